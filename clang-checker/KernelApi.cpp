//===- KernelApi.cpp - lookups in the generated API table ----------------===//
#include "KernelApi.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

namespace clang::tidy::daxlint {
namespace {

struct KindRow {
  const char *Name;
  ApiKind Kind;
  bool Family;
};

// Only the columns the checks use today; the argument columns follow when
// the lock checks need them.
const KindRow KindRows[] = {
#define DAXLINT_API(name, kind, obj, fa0, fa1, flags, value, count, family)  \
  {name, ApiKind::kind, family != 0},
#include "api.inc"
};

const ApiRow Rows[] = {
#define DAXLINT_API_ROW(name, profiles, with, marks)                           \
  {name, profiles, with, marks},
#include "api.inc"
};

bool matches(const KindRow &R, llvm::StringRef Name) {
  return R.Family ? Name.startswith(R.Name) : Name == R.Name;
}

} // namespace

bool ApiRow::existsIn(llvm::StringRef Profile) const {
  if (Profiles == "*")
    return true;
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  Profiles.split(Parts, ',');
  return llvm::is_contained(Parts, Profile);
}

bool apiIs(llvm::StringRef Name, ApiKind Kind) {
  for (const KindRow &R : KindRows)
    if (R.Kind == Kind && matches(R, Name))
      return true;
  return false;
}

const ApiRow *apiRow(llvm::StringRef Name) {
  for (const ApiRow &R : Rows)
    if (R.Name == Name)
      return &R;
  return nullptr;
}

std::vector<llvm::StringRef> apiNames(ApiKind Kind) {
  std::vector<llvm::StringRef> Out;
  for (const KindRow &R : KindRows)
    if (R.Kind == Kind)
      Out.push_back(R.Name);
  return Out;
}

const FunctionDecl *declaredFunction(ASTContext &Ctx, llvm::StringRef Name) {
  for (const NamedDecl *ND :
       Ctx.getTranslationUnitDecl()->lookup(&Ctx.Idents.get(Name)))
    if (const auto *FD = dyn_cast<FunctionDecl>(ND))
      return FD;
  return nullptr;
}

bool macroOfKind(SourceLocation Loc, const SourceManager &SM,
                 const LangOptions &LO, ApiKind Kind) {
  for (int Guard = 0; Loc.isMacroID() && Guard < 16; ++Guard) {
    if (apiIs(Lexer::getImmediateMacroName(Loc, SM, LO), Kind))
      return true;
    Loc = SM.getImmediateMacroCallerLoc(Loc);
  }
  return false;
}

} // namespace clang::tidy::daxlint
