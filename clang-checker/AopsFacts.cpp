//===- AopsFacts.cpp - one walk of the unit for the aops rules -----------===//
#include "AopsFacts.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"
#include <functional>

namespace clang::tidy::daxlint {

const char AopsStructName[] = "address_space_operations";

namespace {
const char *const PageCacheHooks[] = {
    "readpage",      "readpages",     "read_folio",
    "readahead",     "writepage",     "write_begin",
    "write_end",     "releasepage",   "release_folio",
    "migratepage",   "migrate_folio", "is_partially_uptodate",
    "error_remove_page", "launder_page", "launder_folio",
    "freepage",      "free_folio",    "isolate_page",
    "putback_page"};
const char *const PageCacheIo[] = {"read_folio", "readpage",   "readpages",
                                   "readahead",  "writepage",  "write_begin",
                                   "write_end"};
const char *const DaxMembers[] = {"writepages", "direct_IO", "invalidatepage",
                                  "bmap", "swap_activate"};

bool in(llvm::ArrayRef<const char *> List, llvm::StringRef M) {
  return llvm::any_of(List, [&](const char *S) { return M == S; });
}

// The callees of each function defined in the unit.
class CallCollector : public RecursiveASTVisitor<CallCollector> {
public:
  std::vector<const FunctionDecl *> *Out = nullptr;
  bool VisitCallExpr(CallExpr *CE) {
    if (const FunctionDecl *F = CE->getDirectCallee())
      Out->push_back(F);
    return true;
  }
};
} // namespace

bool isPageCacheHook(llvm::StringRef M) { return in(PageCacheHooks, M); }
bool isPageCacheIo(llvm::StringRef M) { return in(PageCacheIo, M); }
bool isDaxMember(llvm::StringRef M) { return in(DaxMembers, M); }
bool isDirtyHook(llvm::StringRef M) {
  return M == "set_page_dirty" || M == "dirty_folio";
}
bool isInvalidateHook(llvm::StringRef M) {
  return M == "invalidatepage" || M == "invalidate_folio";
}
bool isFolioMember(llvm::StringRef M) { return M.endswith("_folio"); }
bool isPageMember(llvm::StringRef M) {
  return M == "readpage" || M == "invalidatepage" || M == "releasepage" ||
         M == "set_page_dirty" || M == "migratepage" || M == "freepage";
}

AopsFacts::AopsFacts(ASTContext &Ctx) : Ctx(Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    if (auto *RD = dyn_cast<RecordDecl>(D))
      if (RD->getName() == AopsStructName && RD->isCompleteDefinition())
        Struct = RD;
    if (auto *FD = dyn_cast<FunctionDecl>(D)) {
      if (!FD->doesThisDeclarationHaveABody())
        continue;
      CallCollector C;
      C.Out = &Calls[FD->getCanonicalDecl()];
      C.TraverseStmt(FD->getBody());
      if (!SM.isInMainFile(SM.getExpansionLoc(FD->getLocation())))
        continue;
      // A definition of the fs-DAX API itself (fs/dax.c) is no use of it.
      if (!apiIs(FD->getName(), ApiKind::FSDAX))
        for (const FunctionDecl *Callee : *C.Out)
          if (Callee->getIdentifier() &&
              apiIs(Callee->getName(), ApiKind::FSDAX))
            UsesFsdax = true;
      continue;
    }
    auto *VD = dyn_cast<VarDecl>(D);
    if (!VD || !VD->hasInit() ||
        !SM.isInMainFile(SM.getExpansionLoc(VD->getLocation())))
      continue;
    const auto *RT = VD->getType()->getAs<RecordType>();
    if (!RT || RT->getDecl()->getName() != AopsStructName)
      continue;
    const auto *ILE = dyn_cast<InitListExpr>(VD->getInit());
    if (!ILE)
      continue;
    AopsObject O;
    O.Var = VD;
    O.Syntactic = ILE->isSemanticForm() && ILE->getSyntacticForm()
                      ? ILE->getSyntacticForm()
                      : ILE;
    unsigned I = 0;
    for (const FieldDecl *F : RT->getDecl()->fields()) {
      if (I >= ILE->getNumInits())
        break;
      const Expr *E = ILE->getInit(I++);
      if (!E || isa<ImplicitValueInitExpr>(E) ||
          E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
        continue;
      AopsMember M;
      M.Field = F;
      M.Value = E;
      M.Loc = SM.getExpansionLoc(E->getBeginLoc());
      if (const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
        M.Fn = dyn_cast<FunctionDecl>(DRE->getDecl());
      O.Members[F->getName()] = M;
    }
    Objects.push_back(std::move(O));
  }
  // Installation sites and calls outside DAX branches, after every
  // function's calls are known (a DAX test helper may be defined below
  // its caller).
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls())
    if (auto *FD = dyn_cast<FunctionDecl>(D))
      if (FD->doesThisDeclarationHaveABody() &&
          SM.isInMainFile(SM.getExpansionLoc(FD->getLocation()))) {
        Unguarded[FD->getCanonicalDecl()];
        walk(FD->getBody(), false, FD->getCanonicalDecl());
      }
}

bool AopsFacts::reaches(const FunctionDecl *F, ApiKind Kind,
                        int Depth) const {
  return reachesIn(Calls, F, Kind, Depth);
}

bool AopsFacts::reachesUnguarded(const FunctionDecl *F, ApiKind Kind,
                                 int Depth) const {
  return reachesIn(Unguarded, F, Kind, Depth);
}

bool AopsFacts::reachesIn(const decltype(Calls) &Map, const FunctionDecl *F,
                          ApiKind Kind, int Depth) const {
  if (!F)
    return false;
  if (const FunctionDecl *Def = F->getDefinition())
    F = Def;
  auto It = Map.find(F->getCanonicalDecl());
  if (It == Map.end())
    return false;
  for (const FunctionDecl *C : It->second) {
    if (C->getIdentifier() && apiIs(C->getName(), Kind))
      return true;
    if (Depth > 0 && reachesIn(Map, C, Kind, Depth - 1))
      return true;
  }
  return false;
}

int AopsFacts::daxPolarity(const Expr *E, int Depth) const {
  if (!E)
    return 0;
  E = E->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    return UO->getOpcode() == UO_LNot ? -daxPolarity(UO->getSubExpr(), Depth)
                                      : 0;
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    switch (BO->getOpcode()) {
    case BO_LAnd: // both true: the DAX side holds
      return daxPolarity(BO->getLHS(), Depth) > 0 ||
                     daxPolarity(BO->getRHS(), Depth) > 0
                 ? 1
                 : 0;
    case BO_And: { // x->i_flags & S_DAX, whatever macro spells it
      const SourceManager &SM = Ctx.getSourceManager();
      const LangOptions &LO = Ctx.getLangOpts();
      return macroOfKind(BO->getRHS()->getBeginLoc(), SM, LO,
                         ApiKind::DAX_FLAG) ||
                     macroOfKind(BO->getLHS()->getBeginLoc(), SM, LO,
                                 ApiKind::DAX_FLAG)
                 ? 1
                 : 0;
    }
    default:
      return 0;
    }
  }
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *F = CE->getDirectCallee();
    if (!F || !F->getIdentifier())
      return 0;
    if (apiIs(F->getName(), ApiKind::DAX_TEST))
      return 1;
    // A helper of the unit whose every return is a DAX test.
    const FunctionDecl *Def = F->getDefinition();
    if (!Def || Depth <= 0)
      return 0;
    int Seen = 0;
    bool All = true;
    std::function<void(const Stmt *)> Rets = [&](const Stmt *S) {
      if (!S)
        return;
      if (const auto *R = dyn_cast<ReturnStmt>(S)) {
        ++Seen;
        All &= daxPolarity(R->getRetValue(), Depth - 1) > 0;
        return;
      }
      for (const Stmt *C : S->children())
        Rets(C);
    };
    Rets(Def->getBody());
    return Seen && All ? 1 : 0;
  }
  return 0;
}

void AopsFacts::walk(const Stmt *S, bool DaxTrue, const FunctionDecl *In) {
  if (!S)
    return;
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    int P = daxPolarity(If->getCond(), 4);
    walk(If->getCond(), DaxTrue, In);
    walk(If->getThen(), DaxTrue || P > 0, In);
    walk(If->getElse(), DaxTrue || P < 0, In);
    return;
  }
  if (const auto *CO = dyn_cast<ConditionalOperator>(S)) {
    int P = daxPolarity(CO->getCond(), 4);
    walk(CO->getCond(), DaxTrue, In);
    walk(CO->getTrueExpr(), DaxTrue || P > 0, In);
    walk(CO->getFalseExpr(), DaxTrue || P < 0, In);
    return;
  }
  if (const auto *CE = dyn_cast<CallExpr>(S))
    if (!DaxTrue)
      if (const FunctionDecl *F = CE->getDirectCallee())
        Unguarded[In].push_back(F);
  if (const auto *BO = dyn_cast<BinaryOperator>(S))
    if (DaxTrue && BO->getOpcode() == BO_Assign)
      if (const auto *UO =
              dyn_cast<UnaryOperator>(BO->getRHS()->IgnoreParenImpCasts()))
        if (UO->getOpcode() == UO_AddrOf)
          if (const auto *DRE = dyn_cast<DeclRefExpr>(
                  UO->getSubExpr()->IgnoreParenImpCasts()))
            if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
              InstalledUnderDax.insert(VD->getCanonicalDecl());
  for (const Stmt *C : S->children())
    walk(C, DaxTrue, In);
}

bool AopsFacts::structHas(llvm::StringRef M) const {
  if (!Struct)
    return false;
  return llvm::any_of(Struct->fields(), [&](const FieldDecl *F) {
    return F->getName() == M;
  });
}

const FunctionDecl *AopsFacts::fitting(ApiKind Kind, llvm::StringRef M,
                                       llvm::StringRef Profile) const {
  if (!Struct)
    return nullptr;
  const FieldDecl *Field = nullptr;
  for (const FieldDecl *F : Struct->fields())
    if (F->getName() == M)
      Field = F;
  if (!Field)
    return nullptr;
  QualType Want = Field->getType();
  if (const auto *PT = Want->getAs<PointerType>())
    Want = PT->getPointeeType();
  for (llvm::StringRef Name : apiNames(Kind)) {
    const ApiRow *R = apiRow(Name);
    if (R && !Profile.empty() && !R->existsIn(Profile))
      continue;
    for (const NamedDecl *ND :
         Ctx.getTranslationUnitDecl()->lookup(&Ctx.Idents.get(Name)))
      if (const auto *FD = dyn_cast<FunctionDecl>(ND))
        if (Ctx.hasSameType(FD->getType(), Want))
          return FD;
  }
  return nullptr;
}

} // namespace clang::tidy::daxlint
