//===- DaxlintTidyModule.cpp - the daxlint checks for clang-tidy ---------===//
//
// Loaded with clang-tidy-16 --load=DaxlintTidyModule.so; every check is
// named daxlint-<catalog rule id> so that a finding maps back to the rule
// catalog (kernel-integration/rules.json) and NOLINT(daxlint-<id>) reads
// like the rule it silences.
//
//===----------------------------------------------------------------------===//
#include "DaxAopsShapeCheck.h"
#include "DaxWritepagesDivertCheck.h"
#include "GupLayoutLockCheck.h"
#include "RemovedApiCheck.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"

namespace clang::tidy::daxlint {

class DaxlintModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &Factories) override {
    Factories.registerCheck<DaxAopsShapeCheck>("daxlint-dax-aops-shape");
    Factories.registerCheck<DaxWritepagesDivertCheck>(
        "daxlint-dax-writepages-divert");
    Factories.registerCheck<GupLayoutLockCheck>("daxlint-gup-layout-lock");
    Factories.registerCheck<RemovedApiCheck>("daxlint-removed-api");
  }
};

} // namespace clang::tidy::daxlint

namespace clang::tidy {
// The registry is clang-tidy's own: loading the plugin adds the module.
static ClangTidyModuleRegistry::Add<daxlint::DaxlintModule>
    X("daxlint-module", "daxlint: filesystem-DAX DMA vs truncate invariants");
} // namespace clang::tidy
