//===- KernelApi.h - the shared kernel API table, compiled in ------------===//
//
// The rows of kernel-integration/api/kernel-api.tsv, generated into api.inc
// at build time (sparse-plugin/gen-api.py --engine tidy).  A check asks for
// a kind, never spells a kernel name itself, so that a name added to the
// table reaches every engine at once.
//
//===----------------------------------------------------------------------===//
#ifndef DAXLINT_TIDY_KERNELAPI_H
#define DAXLINT_TIDY_KERNELAPI_H

#include "clang/AST/ASTContext.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/StringRef.h"
#include <vector>

namespace clang::tidy::daxlint {

enum class ApiKind {
#define DAXLINT_API_KIND(K) K,
#include "api.inc"
};

// One table row as the checks need it: what removed-api's fix-its replace
// a name with, and which profiles it exists in.
struct ApiRow {
  llvm::StringRef Name;
  llvm::StringRef Profiles; // "v7,v4.18", or "*" for every profile
  llvm::StringRef With;     // replacement of a removed API, or ""
  llvm::StringRef Marks;    // the profile a marker row marks, or ""

  bool existsIn(llvm::StringRef Profile) const;
};

// Is NAME (an identifier: function, macro, enumerator, variable) of KIND?
// Family rows (NAME*) match by prefix.
bool apiIs(llvm::StringRef Name, ApiKind Kind);
// The row of NAME, or null.
const ApiRow *apiRow(llvm::StringRef Name);
// The names of KIND, in table order.
std::vector<llvm::StringRef> apiNames(ApiKind Kind);
// The unit's declaration of the function NAME (the tree's spelling of a
// table row or its replacement), or null.
const FunctionDecl *declaredFunction(ASTContext &Ctx, llvm::StringRef Name);
// Is a macro of KIND among the macros whose expansion wrote LOC (S_DAX
// written directly or inside IS_DAX()'s body, GFP_KERNEL inside a macro
// of the caller's)?
bool macroOfKind(SourceLocation Loc, const SourceManager &SM,
                 const LangOptions &LO, ApiKind Kind);

} // namespace clang::tidy::daxlint

#endif
