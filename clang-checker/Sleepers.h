//===- Sleepers.h - which calls of a translation unit can sleep ----------===//
//
// A call can sleep when its callee is a sleeping or may-sleep row of the
// API table (not a no-sleep or trylock row), when it passes a sleeping GFP
// mask (a gfp-sleepy row's macro in the argument, or a local variable
// set from one), or when its callee is a function of the unit that
// (transitively) makes such a call; a function of the unit that allocates
// with a sleeping mask anywhere sleeps for its callers.  Names are the
// table's; the unit's functions are known by what they call.
//
//===----------------------------------------------------------------------===//
#ifndef DAXLINT_TIDY_SLEEPERS_H
#define DAXLINT_TIDY_SLEEPERS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <string>
#include <vector>

namespace clang::tidy::daxlint {

class Sleepers {
public:
  explicit Sleepers(ASTContext &Ctx);
  // Can CALL sleep?  WHY is set to what sleeps: the callee, the mask, or
  // the callee's way to a sleeper ("helper() -> msleep()").
  bool sleeps(const CallExpr *Call, std::string *Why = nullptr) const;

private:
  struct FnInfo {
    std::vector<const CallExpr *> Calls;
    llvm::DenseSet<const VarDecl *> SleepyVars; // gfp locals set sleepy
  };
  ASTContext &Ctx;
  llvm::DenseMap<const FunctionDecl *, FnInfo> Fns;
  // the unit's functions that sleep, with the call that makes them
  llvm::DenseMap<const FunctionDecl *, const CallExpr *> Sleeping;

  const FunctionDecl *ownerOf(const CallExpr *Call) const;
  bool directly(const CallExpr *Call, const FnInfo *In,
                std::string *Why) const;
  bool sleepyMask(const Expr *E, const FnInfo *In) const;
  llvm::DenseMap<const CallExpr *, const FunctionDecl *> Owner;
};

} // namespace clang::tidy::daxlint

#endif
