//===- Profile.cpp - option or detection from the unit's declarations ----===//
#include "Profile.h"
#include "KernelApi.h"
#include "clang/AST/Decl.h"

namespace clang::tidy::daxlint {

std::string resolveProfile(llvm::StringRef Option, const ASTContext &Ctx) {
  if (Option == "v7" || Option == "v4.18" || Option == "v5.15" ||
      Option == "v6.15")
    return Option.str();
  // A later generation's marker wins over an earlier one: a v7 tree still
  // declares dax_layout_busy_page (the 4.18 marker).
  bool Seen615 = false, Seen7 = false, Seen515 = false, Seen418 = false;
  for (const Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    // Functions only: the marker enumerator BREAK_UNMAPI is v7's
    // spelling in a tree, but headers that serve every generation (the
    // stub) keep it as an alias, and a v7 tree declares dax_layout_lock()
    // anyway.
    const auto *ND = dyn_cast<FunctionDecl>(D);
    if (!ND || !ND->getIdentifier() || !apiIs(ND->getName(), ApiKind::MARKER))
      continue;
    const ApiRow *R = apiRow(ND->getName());
    if (!R)
      continue;
    Seen615 |= R->Marks == "v6.15";
    Seen7 |= R->Marks == "v7";
    Seen515 |= R->Marks == "v5.15";
    Seen418 |= R->Marks == "v4.18";
  }
  // 6.15+ trees still declare filemap_invalidate_lock() (5.15's marker)
  if (Seen615)
    return "v6.15";
  if (Seen7)
    return "v7";
  if (Seen515)
    return "v5.15";
  if (Seen418)
    return "v4.18";
  return "";
}

} // namespace clang::tidy::daxlint
