//===- RemovedApiCheck.h - daxlint-removed-api ---------------------------===//
//
// APIs the series (and its mainline follow-ups) removed or renamed: the
// API table's `removed` rows, reported where the unit's generation no
// longer has them, with a fix-it where the replacement is a rename in the
// tree's own spelling.  docs/rules/removed-api.md, docs/removed-api.md.
//
//===----------------------------------------------------------------------===//
#ifndef DAXLINT_TIDY_REMOVEDAPICHECK_H
#define DAXLINT_TIDY_REMOVEDAPICHECK_H

#include "DaxlintCheck.h"
#include "clang/Basic/SourceLocation.h"
#include <string>
#include <vector>

namespace clang::tidy::daxlint {

class RemovedApiCheck : public DaxlintCheck {
public:
  RemovedApiCheck(StringRef Name, ClangTidyContext *Context);
  void registerPPCallbacks(const SourceManager &SM, Preprocessor *PP,
                           Preprocessor *ModuleExpanderPP) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;

  // A use seen by the preprocessor (a macro, or a name given to one as an
  // argument, which the AST may never see: EXPORT_SYMBOL(x)).
  void macroUse(SourceLocation Loc, llvm::StringRef Name);
  // A range the preprocessor skipped (#if 0, a false #ifdef).
  void skipped(SourceRange Range);

private:
  struct Use {
    SourceLocation Loc;
    std::string Name;
    std::vector<FixItHint> Fixes;
    bool Wait = false; // an open-coded busy-page wait, not a name
  };
  const SourceManager *SM = nullptr;
  Preprocessor *PP = nullptr;
  std::vector<SourceRange> Skipped;
  std::vector<Use> Uses;
  std::vector<Use> PPUses;
  // Locations whose finding already carries (or gave away) its fix-it.
  llvm::DenseSet<SourceLocation> Handled;
  ASTContext *Ctx = nullptr;

  void add(SourceLocation Loc, llvm::StringRef Name,
           std::vector<FixItHint> Fixes = {});
  bool removedHere(llvm::StringRef Name) const;
  void scanUndeclared();
  void walkMainFile(const TranslationUnitDecl *TU);
  std::string profile() const;
  void fixDirtyHook(const ast_matchers::MatchFinder::MatchResult &R);
  void checkOpenCodedWait(const ast_matchers::MatchFinder::MatchResult &R);
  std::string Detected;
};

} // namespace clang::tidy::daxlint

#endif
