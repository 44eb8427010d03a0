//===- CallSections.h - which calls lie inside a section, per path -------===//
//
// A section is opened by a call of one kind of the API table and closed by
// a call of another (dax_layout_lock() / dax_layout_unlock() in v7).  A
// forward dataflow over clang's CFG of one function tells, before each
// call of the body, which opening calls may still be open on some path
// (union at joins) and whether one is open on every path (intersection),
// and which opening calls reach the end of the function still open.
// Loops run to a fixed point.  Nested sections are not counted: a close
// closes whatever is open.
//
//===----------------------------------------------------------------------===//
#ifndef DAXLINT_TIDY_CALLSECTIONS_H
#define DAXLINT_TIDY_CALLSECTIONS_H

#include "KernelApi.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include <vector>

namespace clang::tidy::daxlint {

struct SectionState {
  // the opening calls that may be open here (on some path)
  llvm::SmallVector<const CallExpr *, 2> MayOpen;
  // one is open on every path that reaches here
  bool MustOpen = false;
};

class CallSections {
public:
  // Runs the dataflow over FD's body (which must have one).
  CallSections(const FunctionDecl *FD, ASTContext &Ctx, ApiKind Open,
               ApiKind Close);
  // The state right before CALL (a call of the body); null when the CFG
  // does not reach it.
  const SectionState *before(const CallExpr *Call) const;
  // The opening calls still open on some path to the function's end.
  const llvm::SmallVector<const CallExpr *, 2> &openAtExit() const {
    return AtExit;
  }
  bool built() const { return Built; }

private:
  llvm::DenseMap<const CallExpr *, SectionState> Before;
  llvm::SmallVector<const CallExpr *, 2> AtExit;
  bool Built = false;
};

// The name of the function CALL calls directly, or "".
llvm::StringRef calleeName(const CallExpr *Call);
// The calls under S, in source order: nested ones and those of statement
// expressions (a cond_resched() macro) included.
std::vector<const CallExpr *> callsIn(const Stmt *S);

} // namespace clang::tidy::daxlint

#endif
