//===- DaxWritepagesDivertCheck.cpp - daxlint-dax-writepages-divert ------===//
#include "DaxWritepagesDivertCheck.h"
#include "AopsFacts.h"
#include "CallSections.h"
#include "KernelApi.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/MapVector.h"
#include <string>

using namespace clang::ast_matchers;

namespace clang::tidy::daxlint {
namespace {

// How far from the handler the page-cache writeback helpers may be called
// (by the handler's callees' callees), and how deep below a function the
// handler calls dax_writeback_mapping_range() may be (that function's
// callees' callees): the Coccinelle rule's bounds.
const int PcDepth = 1;
const int HelperDepth = 2;

bool pageCacheAops(const AopsObject &O) {
  for (const auto &E : O.Members)
    if (isPageCacheIo(E.getKey()))
      return true;
  return false;
}

// Does BODY test DAX-ness anywhere (IS_DAX(), dax_mapping(), S_DAX, a DAX
// test helper of the unit), whichever way the test goes?
bool testsDax(const AopsFacts &F, const Stmt *S) {
  if (!S)
    return false;
  if (const auto *E = dyn_cast<Expr>(S))
    if (F.daxPolarity(E, 4) != 0)
      return true;
  for (const Stmt *C : S->children())
    if (testsDax(F, C))
      return true;
  return false;
}

} // namespace

DaxWritepagesDivertCheck::DaxWritepagesDivertCheck(StringRef Name,
                                                   ClangTidyContext *Ctx)
    : DaxlintCheck(Name, Ctx) {}

// The handler may be defined after its aops, and the helpers it calls
// anywhere in the unit: the check runs once per unit.
void DaxWritepagesDivertCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void DaxWritepagesDivertCheck::check(const MatchFinder::MatchResult &Result) {
  AopsFacts F(*Result.Context);
  // the page-cache aops each handler serves, by handler, in unit order
  llvm::MapVector<const FunctionDecl *, std::string> Handlers;
  for (const AopsObject &O : F.Objects) {
    const AopsMember *WP = O.get("writepages");
    if (!pageCacheAops(O) || !WP || !WP->Fn)
      continue;
    const FunctionDecl *H = WP->Fn->getDefinition();
    if (!H || !H->hasBody())
      continue; // defined in another unit
    std::string &Objs = Handlers[H];
    Objs += (Objs.empty() ? "" : ", ") + O.Var->getName().str();
  }
  for (const auto &HO : Handlers) {
    const FunctionDecl *H = HO.first;
    const std::string &Objs = HO.second;
    bool Tests = testsDax(F, H->getBody());
    bool PcPath = F.reaches(H, ApiKind::PC_WRITEPAGES, PcDepth) ||
                  F.reaches(H, ApiKind::PC_WRITEBACK, PcDepth);
    if (!Tests && !PcPath)
      continue; // a DAX aops's own .writepages: dax-aops-shape's business
    for (const CallExpr *C : callsIn(H->getBody())) {
      const FunctionDecl *G = C->getDirectCallee();
      if (!G || !G->getIdentifier())
        continue;
      SourceLocation Loc =
          Result.SourceManager->getExpansionLoc(C->getBeginLoc());
      if (apiIs(G->getName(), ApiKind::DAX_WRITEBACK))
        diag(Loc, "%0: page-cache .writepages of %1 %2diverts to "
                  "%3(); that dispatch belongs in the filesystem's DAX aops")
            << H->getName() << Objs
            << (Tests ? "tests DAX-ness and " : "") << G->getName();
      else if (G->getDefinition() && G->getDefinition() != H &&
               F.reaches(G, ApiKind::DAX_WRITEBACK, HelperDepth))
        diag(Loc, "%0: page-cache .writepages of %1 %2diverts to %3(), "
                  "which calls the DAX writeback; that dispatch belongs in "
                  "the filesystem's DAX aops")
            << H->getName() << Objs
            << (Tests ? "tests DAX-ness and " : "") << G->getName();
    }
  }
}

} // namespace clang::tidy::daxlint
