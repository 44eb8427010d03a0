//===- AopsFacts.h - what a unit says about its address_space_operations -===//
//
// The facts dax-aops-shape and dax-writepages-divert decide from, gathered
// in one walk of the unit: each initialised address_space_operations
// object and the function each member names; the unit's direct call
// graph; whether the unit uses
// the filesystem-DAX API; which objects are installed where IS_DAX() is
// known true.  Everything is decided from what the code does (the calls a
// function makes, the test a branch depends on), never from names the
// filesystem chose.
//
//===----------------------------------------------------------------------===//
#ifndef DAXLINT_TIDY_AOPSFACTS_H
#define DAXLINT_TIDY_AOPSFACTS_H

#include "KernelApi.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include <vector>

namespace clang::tidy::daxlint {

// The members of struct address_space_operations by role.  These are the
// struct's field names (the kernel's layout, not API calls), as
// cocci/lib/aops.py lists them: moving them into the API table is a step
// of its own, shared with the Coccinelle rules.
bool isPageCacheHook(llvm::StringRef Member); // must not be in a DAX aops
bool isPageCacheIo(llvm::StringRef Member);   // page-cache I/O proper
bool isDaxMember(llvm::StringRef Member);     // besides the no-op hooks
bool isDirtyHook(llvm::StringRef Member);
bool isInvalidateHook(llvm::StringRef Member);
bool isFolioMember(llvm::StringRef Member);   // 5.18+ spelling evidence
bool isPageMember(llvm::StringRef Member);    // before-5.18 evidence
extern const char AopsStructName[];

struct AopsMember {
  const FieldDecl *Field = nullptr;
  const Expr *Value = nullptr;     // never a null pointer constant
  const FunctionDecl *Fn = nullptr; // the function it names, if one
  SourceLocation Loc;              // where the value is written
};

struct AopsObject {
  const VarDecl *Var = nullptr;
  const InitListExpr *Syntactic = nullptr;
  llvm::StringMap<AopsMember> Members; // the members set (non-null)
  const AopsMember *get(llvm::StringRef M) const {
    auto It = Members.find(M);
    return It == Members.end() ? nullptr : &It->second;
  }
};

class AopsFacts {
public:
  explicit AopsFacts(ASTContext &Ctx);

  std::vector<AopsObject> Objects;
  // the unit calls the filesystem-DAX API from code of its own
  bool UsesFsdax = false;
  llvm::DenseSet<const VarDecl *> InstalledUnderDax;

  // Does F (or a function of the unit it calls, DEPTH calls deep) call an
  // API of KIND?
  bool reaches(const FunctionDecl *F, ApiKind Kind, int Depth) const;
  // The same through calls made outside any branch where IS_DAX() is
  // known true: a page-cache .writepages that diverts DAX inodes to
  // dax_writeback_mapping_range() is no DAX .writepages.
  bool reachesUnguarded(const FunctionDecl *F, ApiKind Kind,
                        int Depth) const;
  // +1: E true means the inode is DAX; -1: E true means it is not; 0.
  int daxPolarity(const Expr *E, int Depth) const;
  // Does the unit's struct address_space_operations have member M?
  bool structHas(llvm::StringRef M) const;
  // The function of KIND, declared in this unit and existing in PROFILE,
  // whose type fits member M: the spelling a fix-it can insert.
  const FunctionDecl *fitting(ApiKind Kind, llvm::StringRef M,
                              llvm::StringRef Profile) const;

private:
  ASTContext &Ctx;
  const RecordDecl *Struct = nullptr;
  llvm::DenseMap<const FunctionDecl *, std::vector<const FunctionDecl *>>
      Calls, Unguarded;
  void walk(const Stmt *S, bool DaxTrue, const FunctionDecl *In);
  bool reachesIn(const decltype(Calls) &Map, const FunctionDecl *F,
                 ApiKind Kind, int Depth) const;
};

} // namespace clang::tidy::daxlint

#endif
