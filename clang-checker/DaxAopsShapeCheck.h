//===- DaxAopsShapeCheck.h - daxlint-dax-aops-shape ----------------------===//
//
// What a DAX address_space_operations may and must contain: the no-op
// dirty hook of its generation (and noop_invalidatepage where the
// generation has the hook), a .writepages that writes back through
// dax_writeback_mapping_range(), no page-cache operation.  Which objects
// are DAX aops, and what each finding says: docs/rules/dax-aops-shape.md
// and docs/dax-aops-shape.md here.
//
//===----------------------------------------------------------------------===//
#ifndef DAXLINT_TIDY_DAXAOPSSHAPECHECK_H
#define DAXLINT_TIDY_DAXAOPSSHAPECHECK_H

#include "DaxlintCheck.h"

namespace clang::tidy::daxlint {

class AopsFacts;
struct AopsObject;

class DaxAopsShapeCheck : public DaxlintCheck {
public:
  DaxAopsShapeCheck(StringRef Name, ClangTidyContext *Context);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  bool isDaxAops(const AopsFacts &F, const AopsObject &O) const;
  void checkObject(const AopsFacts &F, const AopsObject &O,
                   llvm::StringRef Profile, ASTContext &Ctx);
};

} // namespace clang::tidy::daxlint

#endif
