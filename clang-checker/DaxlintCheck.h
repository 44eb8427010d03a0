//===- DaxlintCheck.h - what every daxlint check has ---------------------===//
//
// Every check reads kernel C, never C++, and takes the kernel generation
// from its Profile option (Profile.h resolves it, or detects it from the
// unit's declarations when the option is empty).
//
//===----------------------------------------------------------------------===//
#ifndef DAXLINT_TIDY_DAXLINTCHECK_H
#define DAXLINT_TIDY_DAXLINTCHECK_H

#include "clang-tidy/ClangTidyCheck.h"
#include <string>

namespace clang::tidy::daxlint {

class DaxlintCheck : public ClangTidyCheck {
public:
  DaxlintCheck(StringRef Name, ClangTidyContext *Context)
      : ClangTidyCheck(Name, Context),
        ProfileOption(Options.get("Profile", "")) {}
  bool isLanguageVersionSupported(const LangOptions &LO) const override {
    return !LO.CPlusPlus; // kernel C
  }
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override {
    Options.store(Opts, "Profile", ProfileOption);
  }

protected:
  const std::string ProfileOption;
};

} // namespace clang::tidy::daxlint

#endif
