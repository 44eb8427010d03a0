//===- RemovedApiCheck.cpp - daxlint-removed-api -------------------------===//
#include "RemovedApiCheck.h"
#include "AopsFacts.h"
#include "KernelApi.h"
#include "MainFile.h"
#include "OpenCodedWait.h"
#include "Profile.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/MacroArgs.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"

using namespace clang::ast_matchers;

namespace clang::tidy::daxlint {

namespace {

class RemovedMacros : public PPCallbacks {
public:
  RemovedMacros(RemovedApiCheck &C, const SourceManager &SM) : C(C), SM(SM) {}
  void SourceRangeSkipped(SourceRange Range, SourceLocation) override {
    C.skipped(Range);
  }
  void MacroExpands(const Token &Tok, const MacroDefinition &,
                    SourceRange, const MacroArgs *Args) override {
    SourceLocation L = Tok.getLocation();
    if (!L.isFileID() || !SM.isInMainFile(L))
      return;
    if (const IdentifierInfo *II = Tok.getIdentifierInfo())
      C.macroUse(L, II->getName());
    if (!Args)
      return;
    for (unsigned I = 0; I < Args->getNumMacroArguments(); ++I)
      for (const Token *T = Args->getUnexpArgument(I); T->isNot(tok::eof);
           ++T)
        if (T->is(tok::identifier) && T->getLocation().isFileID())
          C.macroUse(T->getLocation(), T->getIdentifierInfo()->getName());
  }

private:
  RemovedApiCheck &C;
  const SourceManager &SM;
};

bool sameParams(const FunctionDecl *A, const FunctionDecl *B,
                ASTContext &Ctx) {
  if (A->getNumParams() != B->getNumParams())
    return false;
  for (unsigned I = 0; I < A->getNumParams(); ++I)
    if (!Ctx.hasSameType(A->getParamDecl(I)->getType(),
                         B->getParamDecl(I)->getType()))
      return false;
  return true;
}

} // namespace

RemovedApiCheck::RemovedApiCheck(StringRef Name, ClangTidyContext *Ctx)
    : DaxlintCheck(Name, Ctx) {}

void RemovedApiCheck::registerPPCallbacks(const SourceManager &SM,
                                          Preprocessor *PP, Preprocessor *) {
  this->SM = &SM;
  this->PP = PP;
  PP->addPPCallbacks(std::make_unique<RemovedMacros>(*this, SM));
}

std::string RemovedApiCheck::profile() const {
  return ProfileOption.empty() ? Detected : ProfileOption;
}

// A removed row: reported everywhere when it belonged to no generation of
// the catalog ("*": the series itself removed it), else where this
// generation no longer has it.  fs_dax_get_by_bdev() is dax-claim-release's
// finding (its conversion needs the owner), so that a call is one finding.
bool RemovedApiCheck::removedHere(llvm::StringRef Name) const {
  // 6.15 made a DAX page idle at refcount 0: the machinery that waited
  // for a refcount of one (the devmap key, its puts) is gone.
  if (apiIs(Name, ApiKind::IDLE_AT_ONE) && profile() == "v6.15")
    return true;
  if (!apiIs(Name, ApiKind::REMOVED) || apiIs(Name, ApiKind::DAX_GET))
    return false;
  const ApiRow *R = apiRow(Name);
  if (!R || R->Profiles == "*")
    return true;
  std::string P = profile();
  return !P.empty() && !R->existsIn(P);
}

void RemovedApiCheck::macroUse(SourceLocation Loc, llvm::StringRef Name) {
  if (apiIs(Name, ApiKind::REMOVED))
    PPUses.push_back({Loc, Name.str(), {}});
}

void RemovedApiCheck::add(SourceLocation Loc, llvm::StringRef Name,
                          std::vector<FixItHint> Fixes) {
  for (Use &U : Uses)
    if (U.Loc == Loc) {
      if (U.Fixes.empty() && !Handled.count(Loc))
        U.Fixes = std::move(Fixes);
      return;
    }
  Uses.push_back({Loc, Name.str(), std::move(Fixes)});
}

// What the check matches, from one declaration of the main file down:
// the mechanical hunks before the names inside them (the busy-page scans
// a function waits on, the seed's put_page() test, an aops' no-op dirty
// hook, a comparison of two radix sectors, the HMM key's enable in v7),
// then the names.  Each runs over one declaration before the next runs.
static std::vector<DeclarationMatcher> mainFileMatchers() {
  // page = <busy-page scan>(...), as an assignment or an initialiser
  auto Scan = ignoringParenImpCasts(callExpr().bind("scan"));
  auto Var = varDecl(isExpansionInMainFile()).bind("var");
  return {
      functionDecl(isDefinition(),
                   forEachDescendant(binaryOperator(
                       isAssignmentOperator(),
                       hasLHS(declRefExpr(to(varDecl().bind("page")))),
                       hasRHS(Scan))))
          .bind("fn"),
      functionDecl(isDefinition(), forEachDescendant(varDecl(
                                       hasInitializer(Scan)).bind("page")))
          .bind("fn"),
      decl(forEachDescendant(
          ifStmt(isExpansionInMainFile(),
                 hasCondition(binaryOperator(hasOperatorName("&&"))),
                 unless(hasElse(stmt())))
              .bind("hmm-if"))),
      decl(forEachDescendant(
          designatedInitExpr(isExpansionInMainFile()).bind("desig"))),
      decl(forEachDescendant(binaryOperator(isExpansionInMainFile(),
                                            hasAnyOperatorName("==", "!="))
                                 .bind("cmp"))),
      decl(forEachDescendant(callExpr(isExpansionInMainFile()).bind("call"))),
      decl(forEachDescendant(
          declRefExpr(isExpansionInMainFile()).bind("ref"))),
      decl(eachOf(Var, forEachDescendant(Var))),
  };
}

// One match for the unit: the check walks the main file's declarations
// itself.  Matchers registered with the finder would be tried on every
// node of the unit, the headers' thousands of inline functions included,
// which cost more than everything else the check does.
void RemovedApiCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void RemovedApiCheck::walkMainFile(const TranslationUnitDecl *TU) {
  static const std::vector<DeclarationMatcher> Matchers = mainFileMatchers();
  for (const Decl *D : TU->decls()) {
    if (!SM->isInMainFile(SM->getExpansionLoc(D->getBeginLoc())))
      continue;
    for (const DeclarationMatcher &M : Matchers)
      for (const BoundNodes &B : match(M, *D, *Ctx))
        check(MatchFinder::MatchResult(B, Ctx));
  }
}

// A busy-page scan whose page is then waited for until its refcount drops
// to one (the filesystems' loops of 5.15 - 6.14): from 6.15 a DAX page is
// idle at refcount 0 and the wait never ends; dax_break_layout*() scan
// and wait themselves.  Reported at the scan, without a fix-it (the
// Coccinelle rule's patch mode rewrites ext4's loop).
void RemovedApiCheck::checkOpenCodedWait(
    const MatchFinder::MatchResult &R) {
  const auto *C = R.Nodes.getNodeAs<CallExpr>("scan");
  const auto *P = R.Nodes.getNodeAs<VarDecl>("page");
  const auto *Fn = R.Nodes.getNodeAs<FunctionDecl>("fn");
  const FunctionDecl *F = C ? C->getDirectCallee() : nullptr;
  if (!F || !F->getIdentifier() || !P || !Fn || profile() != "v6.15" ||
      !apiIs(F->getName(), ApiKind::BUSY_PAGE) ||
      apiIs(F->getName(), ApiKind::DAX_BREAK) ||
      !waitsOnRefcount(Fn->getBody(), P, *Ctx))
    return;
  SourceLocation L = SM->getExpansionLoc(C->getBeginLoc());
  add(L, F->getName(), loopToBreak(C, P, Fn, *Ctx));
  for (Use &U : Uses)
    if (U.Loc == L)
      U.Wait = true;
}

void RemovedApiCheck::check(const MatchFinder::MatchResult &R) {
  Ctx = R.Context;
  SM = &Ctx->getSourceManager();
  if (Detected.empty())
    Detected = resolveProfile("", *Ctx);
  const LangOptions &LO = Ctx->getLangOpts();

  if (const auto *TU = R.Nodes.getNodeAs<TranslationUnitDecl>("tu")) {
    walkMainFile(TU);
    return;
  }

  if (R.Nodes.getNodeAs<CallExpr>("scan")) {
    checkOpenCodedWait(R);
    return;
  }

  // if (IS_HMM_ENABLED && C) { put_zone_device_private_or_public_page(P);
  // return; }  ->  if (put_devmap_managed_page(P)) return;
  if (const auto *If = R.Nodes.getNodeAs<IfStmt>("hmm-if")) {
    const auto *Cond = cast<BinaryOperator>(If->getCond()->IgnoreParens());
    SourceLocation L = Cond->getLHS()->getBeginLoc();
    if (!L.isMacroID())
      return;
    llvm::StringRef Macro = Lexer::getImmediateMacroName(L, *SM, LO);
    SourceLocation ML = SM->getExpansionLoc(L);
    const auto *Body = dyn_cast<CompoundStmt>(If->getThen());
    if (!removedHere(Macro) || !Body || Body->size() != 2)
      return;
    const auto *Call = dyn_cast<CallExpr>(Body->body_front());
    const auto *Ret = dyn_cast<ReturnStmt>(Body->body_back());
    const FunctionDecl *F = Call ? Call->getDirectCallee() : nullptr;
    if (!F || !Ret || Ret->getRetValue() || Call->getNumArgs() != 1 ||
        !removedHere(F->getName()))
      return;
    const ApiRow *Row = apiRow(F->getName());
    const FunctionDecl *G = Row ? declaredFunction(*Ctx, Row->With) : nullptr;
    if (!G || !sameParams(F, G, *Ctx) ||
        !G->getReturnType()->isScalarType())
      return;
    StringRef Arg = Lexer::getSourceText(
        CharSourceRange::getTokenRange(Call->getArg(0)->getSourceRange()),
        *SM, LO);
    std::string Text =
        ("if (" + Row->With + "(" + Arg + "))\n\t\treturn;").str();
    SourceLocation Inner = SM->getExpansionLoc(Call->getBeginLoc());
    add(ML, Macro,
        {FixItHint::CreateReplacement(
            CharSourceRange::getTokenRange(If->getBeginLoc(),
                                           Body->getRBracLoc()),
            Text)});
    add(Inner, F->getName());
    Handled.insert(ML);
    Handled.insert(Inner);
    return;
  }

  if (R.Nodes.getNodeAs<DesignatedInitExpr>("desig")) {
    fixDirtyHook(R);
    return;
  }

  // dax_radix_sector(a) ==/!= dax_radix_sector(b): both become the tree's
  // pfn accessor (comparing two entries does not care which number).
  if (const auto *B = R.Nodes.getNodeAs<BinaryOperator>("cmp")) {
    const auto *L = dyn_cast<CallExpr>(B->getLHS()->IgnoreParenImpCasts());
    const auto *Rt = dyn_cast<CallExpr>(B->getRHS()->IgnoreParenImpCasts());
    const FunctionDecl *LF = L ? L->getDirectCallee() : nullptr;
    const FunctionDecl *RF = Rt ? Rt->getDirectCallee() : nullptr;
    if (!LF || !RF || LF->getCanonicalDecl() != RF->getCanonicalDecl() ||
        !removedHere(LF->getName()))
      return;
    const FunctionDecl *Pfn = nullptr;
    for (llvm::StringRef N : apiNames(ApiKind::DAX_ENTRY_PFN)) {
      const ApiRow *Row = apiRow(N);
      const FunctionDecl *G = declaredFunction(*Ctx, N);
      if (Row && G && Row->existsIn(profile()) && sameParams(LF, G, *Ctx)) {
        Pfn = G;
        break;
      }
    }
    if (!Pfn)
      return;
    for (const CallExpr *C : {L, Rt}) {
      SourceLocation CL = SM->getExpansionLoc(C->getBeginLoc());
      add(CL, LF->getName(),
          {FixItHint::CreateReplacement(
              CharSourceRange::getTokenRange(CL, CL), Pfn->getName())});
      Handled.insert(CL);
    }
    return;
  }

  if (const auto *C = R.Nodes.getNodeAs<CallExpr>("call")) {
    const FunctionDecl *F = C->getDirectCallee();
    if (!F || !F->getIdentifier())
      return;
    SourceLocation CL = C->getBeginLoc();
    if (CL.isMacroID())
      return;
    // static_branch_enable(&device_private_key) in v7: the key's enable
    // became dev_pagemap_get_ops() (later trees spell the get otherwise).
    if (apiIs(F->getName(), ApiKind::STATIC_BRANCH) && C->getNumArgs() == 1 &&
        profile() == "v7") {
      const auto *U = dyn_cast<UnaryOperator>(C->getArg(0)->IgnoreParenImpCasts());
      const auto *D = U ? dyn_cast<DeclRefExpr>(U->getSubExpr()) : nullptr;
      if (!D || !removedHere(D->getDecl()->getName()))
        return;
      for (llvm::StringRef N : apiNames(ApiKind::PGMAP_GET)) {
        const ApiRow *Row = apiRow(N);
        const FunctionDecl *G = declaredFunction(*Ctx, N);
        if (Row && G && Row->existsIn("v7") && G->getNumParams() == 0) {
          SourceLocation DL = D->getLocation();
          add(DL, D->getDecl()->getName(),
              {FixItHint::CreateReplacement(C->getSourceRange(),
                                            (N + "()").str())});
          Handled.insert(DL);
          return;
        }
      }
      return;
    }
    // A removed function called for its effect alone, whose replacement
    // takes the same arguments: a rename.
    if (!removedHere(F->getName()) || Handled.count(CL))
      return;
    const ApiRow *Row = apiRow(F->getName());
    const FunctionDecl *G = Row ? declaredFunction(*Ctx, Row->With) : nullptr;
    auto Parents = Ctx->getParents(*C);
    bool Statement = !Parents.empty() && Parents[0].get<CompoundStmt>();
    if (G && Statement && sameParams(F, G, *Ctx)) {
      add(CL, F->getName(),
          {FixItHint::CreateReplacement(CharSourceRange::getTokenRange(CL, CL),
                                        Row->With)});
      Handled.insert(CL);
    }
    return;
  }

  if (const auto *D = R.Nodes.getNodeAs<DeclRefExpr>("ref")) {
    SourceLocation L = D->getLocation();
    const NamedDecl *ND = D->getDecl();
    if (L.isMacroID() || !ND->getIdentifier() ||
        !removedHere(ND->getName()))
      return;
    // A file that defines the enumerator in its own enum (a v7
    // xfs_inode.h) is a tree that has it.
    if (isa<EnumConstantDecl>(ND) &&
        SM->isInMainFile(SM->getExpansionLoc(ND->getLocation())))
      return;
    const ApiRow *Row = apiRow(ND->getName());
    std::vector<FixItHint> Fix;
    // An enumerator renamed to another of the same enum: a rename.
    if (const auto *EC = dyn_cast<EnumConstantDecl>(ND))
      if (Row && !Row->With.empty())
        for (const NamedDecl *W :
             Ctx->getTranslationUnitDecl()->lookup(&Ctx->Idents.get(Row->With)))
          if (const auto *WC = dyn_cast<EnumConstantDecl>(W))
            if (WC->getDeclContext() == EC->getDeclContext())
              Fix.push_back(FixItHint::CreateReplacement(
                  CharSourceRange::getTokenRange(L, L), Row->With));
    add(L, ND->getName(), std::move(Fix));
    return;
  }

  if (const auto *V = R.Nodes.getNodeAs<VarDecl>("var")) {
    SourceLocation L = V->getLocation();
    if (!L.isMacroID() && V->getIdentifier() && removedHere(V->getName()))
      add(L, V->getName());
  }
}

// .set_page_dirty = noop_set_page_dirty in a tree that removed it: the
// no-op hook of the tree's own spelling, when the unit tells which
// (docs/rules/removed-api.md): the member its struct has, or what the
// file's other aops use.
void RemovedApiCheck::fixDirtyHook(const MatchFinder::MatchResult &R) {
  const auto *DIE = R.Nodes.getNodeAs<DesignatedInitExpr>("desig");
  if (DIE->size() != 1 || !DIE->getDesignator(0)->isFieldDesignator())
    return;
  const auto *Ref = dyn_cast<DeclRefExpr>(DIE->getInit()->IgnoreParenImpCasts());
  if (!Ref || Ref->getLocation().isMacroID() ||
      !removedHere(Ref->getDecl()->getName()) ||
      !apiIs(Ref->getDecl()->getName(), ApiKind::NOOP_DIRTY))
    return;
  const FieldDecl *Field = DIE->getDesignator(0)->getField();
  if (!Field)
    return;
  const auto *RD = dyn_cast<RecordDecl>(Field->getParent());
  if (!RD || RD->getName() != AopsStructName)
    return;
  AopsFacts F(*Ctx);
  bool Page = F.structHas("set_page_dirty"), Folio = F.structHas("dirty_folio");
  llvm::StringRef Member;
  if (Page != Folio) {
    Member = Page ? "set_page_dirty" : "dirty_folio";
  } else {
    bool SeenFolio = false, SeenPage = false;
    for (const AopsObject &O : F.Objects)
      for (const auto &E : O.Members) {
        bool Self = E.getValue().Fn == Ref->getDecl();
        SeenFolio |= isFolioMember(E.getKey());
        SeenPage |= isPageMember(E.getKey()) && !Self;
      }
    if (SeenFolio != SeenPage)
      Member = SeenFolio ? "dirty_folio" : "set_page_dirty";
  }
  SourceLocation L = Ref->getLocation();
  const FunctionDecl *Noop =
      Member.empty() ? nullptr
                     : F.fitting(ApiKind::NOOP_DIRTY, Member, profile());
  if (!Noop) {
    add(L, Ref->getDecl()->getName());
    Handled.insert(L);
    return;
  }
  std::string Text = ("." + Member + "\t= " + Noop->getName()).str();
  add(L, Ref->getDecl()->getName(),
      {FixItHint::CreateReplacement(
          CharSourceRange::getTokenRange(DIE->getBeginLoc(), L), Text)});
  Handled.insert(L);
}

void RemovedApiCheck::skipped(SourceRange R) { Skipped.push_back(R); }

// Names of the unit's code that neither the AST nor the preprocessor can
// resolve: old code in a tree without the API (a backport) does not
// compile, and clang keeps no reference to an undeclared name.  The main
// file's own tokens, outside comments, directives and the branches the
// preprocessor skipped, that name a removed row this tree neither
// declares nor defines as a macro.
void RemovedApiCheck::scanUndeclared() {
  if (!SM || !PP || !Ctx)
    return;
  forEachCodeIdentifier(*SM, Ctx->getLangOpts(), Skipped,
                        [&](llvm::StringRef N, SourceLocation Loc) {
    if (apiIs(N, ApiKind::REMOVED) && removedHere(N) &&
        !PP->isMacroDefined(N) &&
        Ctx->getTranslationUnitDecl()->lookup(&Ctx->Idents.get(N)).empty())
      add(Loc, N);
  });
}

void RemovedApiCheck::onEndOfTranslationUnit() {
  // The preprocessor's uses that the AST did not see (macros, macro
  // arguments); a name the AST saw at the same place is one finding.
  for (const Use &P : PPUses)
    if (removedHere(P.Name))
      add(P.Loc, P.Name);
  scanUndeclared();
  for (Use &U : Uses) {
    const ApiRow *Row = apiRow(U.Name);
    std::string Func = Ctx ? enclosingDeclName(U.Loc, *Ctx) : "";
    if (Func.empty())
      Func = "(file scope)";
    if (U.Wait) {
      // the generic breaks, from the table (dax-break rows)
      std::string Breaks;
      for (llvm::StringRef N : apiNames(ApiKind::DAX_BREAK))
        Breaks += (Breaks.empty() ? "" : " or ") + N.str() + "()";
      auto D = diag(U.Loc, "%0: open-coded wait for a busy DAX page found "
                           "by %1: from 6.15 a page is idle at refcount 0 "
                           "and this wait never ends; use %2 with the wait "
                           "callback")
               << Func << U.Name << Breaks;
      for (const FixItHint &H : U.Fixes)
        D << H;
      continue;
    }
    auto D = diag(U.Loc, "%0: %1 was removed or renamed in this kernel "
                         "generation%2")
             << Func << U.Name
             << (Row && !Row->With.empty()
                     ? ("; use " + Row->With).str()
                     : std::string());
    for (const FixItHint &H : U.Fixes)
      D << H;
  }
  Uses.clear();
  PPUses.clear();
  Skipped.clear();
  Handled.clear();
  Detected.clear();
}

} // namespace clang::tidy::daxlint
