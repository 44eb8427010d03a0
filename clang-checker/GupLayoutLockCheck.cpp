//===- GupLayoutLockCheck.cpp - daxlint-gup-layout-lock ------------------===//
#include "GupLayoutLockCheck.h"
#include "CallSections.h"
#include "KernelApi.h"
#include "Profile.h"
#include "Sleepers.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include <set>
#include <utility>

using namespace clang::ast_matchers;

namespace clang::tidy::daxlint {
GupLayoutLockCheck::GupLayoutLockCheck(StringRef Name, ClangTidyContext *Ctx)
    : DaxlintCheck(Name, Ctx) {}

// Whether a helper sleeps needs the whole unit: the check runs once per
// unit.
void GupLayoutLockCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void GupLayoutLockCheck::check(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  // dax_layout_lock() exists in the v7 series only
  if (resolveProfile(ProfileOption, Ctx) != "v7")
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  Sleepers S(Ctx);
  for (const Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody() ||
        !SM.isInMainFile(SM.getExpansionLoc(FD->getLocation())))
      continue;
    // the section API's own definitions open what their callers close
    if (FD->getIdentifier() && (apiIs(FD->getName(), ApiKind::LAYOUT_LOCK) ||
                                apiIs(FD->getName(), ApiKind::LAYOUT_UNLOCK)))
      continue;
    checkFunction(FD, S, Ctx);
  }
}

void GupLayoutLockCheck::checkFunction(const FunctionDecl *FD,
                                       const Sleepers &S, ASTContext &Ctx) {
  CallSections Sec(FD, Ctx, ApiKind::LAYOUT_LOCK, ApiKind::LAYOUT_UNLOCK);
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::StringRef Fn = FD->getName();
  if (!Sec.built()) {
    // the driver reads "not checked: " as a blind spot (engines/tidy.py)
    diag(FD->getLocation(), "%0: not checked: clang could not build the "
                            "function's control-flow graph")
        << Fn;
    return;
  }
  // one finding per place written: a macro (cond_resched()) may expand to
  // several sleeping calls
  std::set<std::pair<unsigned, unsigned>> Seen;
  for (const CallExpr *Call : callsIn(FD->getBody())) {
    const SectionState *St = Sec.before(Call);
    if (!St)
      continue; // not reached
    SourceLocation Loc = SM.getExpansionLoc(Call->getBeginLoc());
    llvm::StringRef N = calleeName(Call);
    if (!N.empty() && apiIs(N, ApiKind::GUP_WALK)) {
      if (!St->MustOpen &&
          Seen.insert({SM.getFileOffset(Loc), 0}).second)
        diag(Loc, "%0: gup page-table walk %1() outside a dax_layout_lock() "
                  "section on some path: dax_layout_busy_page() cannot wait "
                  "for the page reference it takes")
            << Fn << N;
      continue;
    }
    std::string Why;
    if (!St->MayOpen.empty() && S.sleeps(Call, &Why) &&
        Seen.insert({SM.getFileOffset(Loc), 1}).second)
      diag(Loc, "%0: %1 can sleep inside a dax_layout_lock() (RCU "
                "read-side) section opened at line %2")
          << Fn << Why
          << SM.getExpansionLineNumber(St->MayOpen.front()->getBeginLoc());
  }
  for (const CallExpr *Open : Sec.openAtExit())
    diag(SM.getExpansionLoc(Open->getBeginLoc()),
         "%0: dax_layout_lock() section is not closed on every path to the "
         "end of the function (return, goto or fall-through with "
         "dax_layout_unlock() skipped)")
        << Fn;
}

} // namespace clang::tidy::daxlint
