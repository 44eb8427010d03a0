//===- Profile.h - which kernel generation a translation unit is ---------===//
//
// The rules spell their obligations per generation (v7, v4.18, v5.15).  The
// driver passes the profile as the check option `Profile`; without one
// (an editor, `make clang-tidy`) the declarations the unit sees decide,
// through the API table's marker rows (dax_layout_lock declared: v7, ...).
//
//===----------------------------------------------------------------------===//
#ifndef DAXLINT_TIDY_PROFILE_H
#define DAXLINT_TIDY_PROFILE_H

#include "clang/AST/ASTContext.h"
#include <string>

namespace clang::tidy::daxlint {

// OPTION when it names a profile, else what the unit's declarations show;
// "" when nothing tells.
std::string resolveProfile(llvm::StringRef Option, const ASTContext &Ctx);

} // namespace clang::tidy::daxlint

#endif
