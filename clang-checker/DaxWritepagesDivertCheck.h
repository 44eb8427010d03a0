//===- DaxWritepagesDivertCheck.h - daxlint-dax-writepages-divert --------===//
//
// A page-cache aops's .writepages (one whose aops has page-cache I/O
// members) that tests DAX-ness or has a page-cache writeback path must not
// divert to dax_writeback_mapping_range() (directly or through a function
// of the unit, two calls deep): with per-inode aops that dispatch belongs
// in the DAX aops.  docs/rules/dax-writepages-divert.md, and
// dax-writepages-divert.md in docs/clang-checker/.
//
//===----------------------------------------------------------------------===//
#ifndef DAXLINT_TIDY_DAXWRITEPAGESDIVERTCHECK_H
#define DAXLINT_TIDY_DAXWRITEPAGESDIVERTCHECK_H

#include "DaxlintCheck.h"

namespace clang::tidy::daxlint {

class DaxWritepagesDivertCheck : public DaxlintCheck {
public:
  DaxWritepagesDivertCheck(StringRef Name, ClangTidyContext *Context);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace clang::tidy::daxlint

#endif
