//===- MainFile.h - what the main file's own text says --------------------===//
//
// For what the AST cannot show: names clang could not resolve (code that
// does not compile in this tree keeps no reference to them), and the
// declaration a place belongs to when clang dropped part of it.
//
//===----------------------------------------------------------------------===//
#ifndef DAXLINT_TIDY_MAINFILE_H
#define DAXLINT_TIDY_MAINFILE_H

#include "clang/AST/ASTContext.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <string>

namespace clang::tidy::daxlint {

// F(name, location) for each identifier of the main file's code: outside
// comments, preprocessor directives and the ranges in SKIPPED (the
// branches the preprocessor skipped).
void forEachCodeIdentifier(
    const SourceManager &SM, const LangOptions &LO,
    llvm::ArrayRef<SourceRange> Skipped,
    llvm::function_ref<void(llvm::StringRef, SourceLocation)> F);
// The name of the main file's top-level declaration (function or object)
// holding LOC: by its range, or, where clang dropped what it could not
// compile (an aops initialiser naming a removed hook), by its text up to
// the ";" that ends it.  "" when none.
std::string enclosingDeclName(SourceLocation Loc, ASTContext &Ctx);

} // namespace clang::tidy::daxlint

#endif
