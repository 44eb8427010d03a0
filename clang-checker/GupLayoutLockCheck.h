//===- GupLayoutLockCheck.h - daxlint-gup-layout-lock --------------------===//
//
// v7 only: dax_layout_busy_page() relies on every get_user_pages
// page-table walk running inside a dax_layout_lock() (RCU read-side)
// section.  Reported, per function: a walk not inside a section on every
// path; a section some path leaves open to the end of the function; a
// call that can sleep inside a section on some path.  What the rule is
// and why: docs/rules/gup-layout-lock.md; this check: gup-layout-lock.md
// in docs/clang-checker/.
//
//===----------------------------------------------------------------------===//
#ifndef DAXLINT_TIDY_GUPLAYOUTLOCKCHECK_H
#define DAXLINT_TIDY_GUPLAYOUTLOCKCHECK_H

#include "DaxlintCheck.h"

namespace clang::tidy::daxlint {

class Sleepers;

class GupLayoutLockCheck : public DaxlintCheck {
public:
  GupLayoutLockCheck(StringRef Name, ClangTidyContext *Context);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  void checkFunction(const FunctionDecl *FD, const Sleepers &S,
                     ASTContext &Ctx);
};

} // namespace clang::tidy::daxlint

#endif
