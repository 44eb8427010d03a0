//===- DaxAopsShapeCheck.cpp - daxlint-dax-aops-shape --------------------===//
#include "DaxAopsShapeCheck.h"
#include "AopsFacts.h"
#include "KernelApi.h"
#include "Profile.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang::ast_matchers;

namespace clang::tidy::daxlint {

// How deep a .writepages may reach dax_writeback_mapping_range() through
// helpers of the unit (the Coccinelle rule's bound).
static const int WritebackDepth = 2;

DaxAopsShapeCheck::DaxAopsShapeCheck(StringRef Name, ClangTidyContext *Ctx)
    : DaxlintCheck(Name, Ctx) {}

// The decision needs the whole unit (a helper defined below the aops, the
// function that installs it), so the check runs once per unit.
void DaxAopsShapeCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

static bool pageCacheWriteback(const AopsFacts &F, const FunctionDecl *Fn) {
  if (!Fn)
    return false;
  if (Fn->getIdentifier() && apiIs(Fn->getName(), ApiKind::PC_WRITEPAGES))
    return true;
  return F.reaches(Fn, ApiKind::PC_WRITEPAGES, WritebackDepth) ||
         F.reaches(Fn, ApiKind::PC_WRITEBACK, WritebackDepth);
}

// Outside any DAX test: a page-cache .writepages that diverts DAX inodes
// (dax-writepages-divert's subject) is not a DAX one.
static bool daxWriteback(const AopsFacts &F, const FunctionDecl *Fn) {
  return Fn &&
         F.reachesUnguarded(Fn, ApiKind::DAX_WRITEBACK, WritebackDepth) &&
         !pageCacheWriteback(F, Fn);
}

static bool isNoop(const AopsMember *M, ApiKind Kind) {
  return M && M->Fn && M->Fn->getIdentifier() && apiIs(M->Fn->getName(), Kind);
}

// By what it does: a .writepages that writes back through the DAX API; or,
// in a unit that uses the fs-DAX API, the members of a DAX aops (so that
// one whose .writepages is wrong is still recognised); or installed where
// IS_DAX() is known true, unless it is a plain page-cache aops (a wrong
// choice: dax-aops-select's finding, not a wrong shape).
bool DaxAopsShapeCheck::isDaxAops(const AopsFacts &F,
                                  const AopsObject &O) const {
  const AopsMember *WP = O.get("writepages");
  bool DaxWb = WP && daxWriteback(F, WP->Fn);
  if (DaxWb)
    return true;
  bool PcHook = false, PcIo = false, DaxMember = false, NoopDirty = false,
       OtherDirty = false, BadInval = false;
  for (const auto &E : O.Members) {
    llvm::StringRef M = E.getKey();
    PcHook |= isPageCacheHook(M);
    PcIo |= isPageCacheIo(M);
    DaxMember |= isDaxMember(M);
    if (isDirtyHook(M))
      (isNoop(&E.getValue(), ApiKind::NOOP_DIRTY) ? NoopDirty : OtherDirty) =
          true;
    if (isInvalidateHook(M) && !isNoop(&E.getValue(), ApiKind::NOOP_INVALIDATE))
      BadInval = true;
  }
  if (F.UsesFsdax && NoopDirty && !OtherDirty && !PcHook && !BadInval &&
      DaxMember)
    return true;
  if (F.InstalledUnderDax.count(O.Var->getCanonicalDecl()) && !PcIo)
    return true;
  return false;
}

// Does this generation have .invalidatepage (and so need the no-op one)?
// v7 and v4.18 do; a v5.15 tree does while it still spells the dirty hook
// .set_page_dirty (5.14-5.17).
static bool needsInvalidate(const AopsFacts &F, const AopsObject &O,
                            llvm::StringRef Profile) {
  if (!F.structHas("invalidatepage"))
    return false;
  if (Profile == "v7" || Profile == "v4.18")
    return true;
  if (O.get("set_page_dirty"))
    return true;
  return !F.structHas("dirty_folio");
}

// The dirty hook member this file's generation spells: the one the
// struct has, or, when the headers have both (daxlint's stub), what the
// file's other aops use; "" when nothing tells (then no fix-it).
static llvm::StringRef dirtyMember(const AopsFacts &F, llvm::StringRef Profile) {
  bool Page = F.structHas("set_page_dirty"), Folio = F.structHas("dirty_folio");
  if (Page != Folio)
    return Page ? "set_page_dirty" : "dirty_folio";
  if (Profile == "v7" || Profile == "v4.18")
    return "set_page_dirty";
  bool SeenFolio = false, SeenPage = false;
  for (const AopsObject &O : F.Objects)
    for (const auto &E : O.Members) {
      SeenFolio |= isFolioMember(E.getKey());
      SeenPage |= isPageMember(E.getKey());
    }
  if (SeenFolio != SeenPage)
    return SeenFolio ? "dirty_folio" : "set_page_dirty";
  return "";
}

void DaxAopsShapeCheck::check(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  AopsFacts F(Ctx);
  std::string Profile = resolveProfile(ProfileOption, Ctx);
  for (const AopsObject &O : F.Objects)
    if (isDaxAops(F, O))
      checkObject(F, O, Profile, Ctx);
}

void DaxAopsShapeCheck::checkObject(const AopsFacts &F, const AopsObject &O,
                                    llvm::StringRef Profile, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::StringRef Name = O.Var->getName();

  // Members that must not be there, each where it is written.
  for (const auto &E : O.Members) {
    llvm::StringRef M = E.getKey();
    const AopsMember &Mem = E.getValue();
    llvm::StringRef Val = Mem.Fn ? Mem.Fn->getName() : "...";
    if (isPageCacheHook(M))
      diag(Mem.Loc, "%0: DAX aops sets page-cache operation .%1 = %2; "
                    "page-cache code must never run on DAX-mapped blocks")
          << Name << M << Val;
    else if (isDirtyHook(M) && !isNoop(&Mem, ApiKind::NOOP_DIRTY))
      diag(Mem.Loc, "%0: DAX aops sets the page-cache dirty hook .%1 = %2; "
                    "it must be the no-op one")
          << Name << M << Val;
    else if (isInvalidateHook(M) && !isNoop(&Mem, ApiKind::NOOP_INVALIDATE))
      diag(Mem.Loc, "%0: DAX aops sets .%1 = %2; a DAX aops has no "
                    "invalidate hook other than the no-op one")
          << Name << M << Val;
  }

  const AopsMember *WP = O.get("writepages");
  if (WP && WP->Fn && pageCacheWriteback(F, WP->Fn))
    diag(WP->Loc, "%0: DAX aops .writepages = %1 writes back through the "
                  "page cache; it must call dax_writeback_mapping_range()")
        << Name << WP->Fn->getName();
  else if (WP && WP->Fn && WP->Fn->hasBody() && !daxWriteback(F, WP->Fn))
    diag(WP->Loc, "%0: DAX aops .writepages = %1 never reaches "
                  "dax_writeback_mapping_range()")
        << Name << WP->Fn->getName();

  // Members that must be there: one finding on the object's name, with
  // the members a fix-it can add.
  llvm::SmallVector<std::string, 3> Missing;
  llvm::SmallVector<std::string, 2> Inserts;
  bool HasDirty = O.get("set_page_dirty") || O.get("dirty_folio");
  if (!HasDirty) {
    llvm::StringRef DM = dirtyMember(F, Profile);
    const FunctionDecl *Noop =
        DM.empty() ? nullptr : F.fitting(ApiKind::NOOP_DIRTY, DM, Profile);
    if (Noop) {
      Missing.push_back(("no no-op dirty hook (." + DM + " = " +
                         Noop->getName() + ")").str());
      Inserts.push_back(("." + DM + "\t= " + Noop->getName() + ",").str());
    } else {
      Missing.push_back("no no-op dirty hook");
    }
  }
  const AopsMember *Inval = O.get("invalidatepage");
  if (!Inval && !O.get("invalidate_folio") && needsInvalidate(F, O, Profile)) {
    const FunctionDecl *Noop =
        F.fitting(ApiKind::NOOP_INVALIDATE, "invalidatepage", Profile);
    llvm::StringRef N = Noop ? Noop->getName() : "noop_invalidatepage";
    Missing.push_back(("no .invalidatepage = " + N).str());
    if (Noop)
      Inserts.push_back((".invalidatepage\t= " + N + ",").str());
  }
  if (!WP)
    Missing.push_back("no .writepages calling dax_writeback_mapping_range()");
  if (Missing.empty())
    return;

  std::string Msg = llvm::join(Missing, "; ");
  auto D = diag(O.Var->getLocation(), "%0: DAX aops has %1") << Name << Msg;
  // Insert the members before the closing brace, on a line of their own
  // when the brace is on one; the last member gets its comma first.
  const InitListExpr *S = O.Syntactic;
  if (Inserts.empty() || !S || S->getRBraceLoc().isMacroID())
    return;
  SourceLocation RB = S->getRBraceLoc();
  const LangOptions &LO = Ctx.getLangOpts();
  if (S->getNumInits() > 0) {
    const Expr *Last = S->getInit(S->getNumInits() - 1);
    SourceLocation End =
        Lexer::getLocForEndOfToken(SM.getExpansionLoc(Last->getEndLoc()), 0,
                                   SM, LO);
    auto Next = Lexer::findNextToken(SM.getExpansionLoc(Last->getEndLoc()),
                                     SM, LO);
    if (Next && Next->isNot(tok::comma))
      D << FixItHint::CreateInsertion(End, ",");
  }
  std::pair<FileID, unsigned> Pos = SM.getDecomposedLoc(RB);
  unsigned Col = SM.getColumnNumber(Pos.first, Pos.second);
  bool OwnLine = true;
  llvm::StringRef Buf = SM.getBufferData(Pos.first);
  for (unsigned I = Pos.second - (Col - 1); I < Pos.second; ++I)
    OwnLine &= Buf[I] == ' ' || Buf[I] == '\t';
  std::string Text;
  for (const std::string &I : Inserts)
    Text += OwnLine ? "\t" + I + "\n" : " " + I;
  if (OwnLine)
    D << FixItHint::CreateInsertion(RB.getLocWithOffset(-(int)(Col - 1)),
                                    Text);
  else
    D << FixItHint::CreateInsertion(RB, Text + " ");
}

} // namespace clang::tidy::daxlint
