//===- Sleepers.cpp - which calls of a translation unit can sleep --------===//
#include "Sleepers.h"
#include "CallSections.h"
#include "KernelApi.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

namespace clang::tidy::daxlint {
namespace {

// Each function definition of the unit: its calls (nested ones and those
// of statement expressions included) and what its locals are assigned.
class Collector : public RecursiveASTVisitor<Collector> {
public:
  struct Fn {
    std::vector<const CallExpr *> Calls;
    std::vector<std::pair<const VarDecl *, const Expr *>> Sets;
  };
  llvm::DenseMap<const FunctionDecl *, Fn> Fns;

  bool TraverseFunctionDecl(FunctionDecl *FD) {
    if (!FD->doesThisDeclarationHaveABody())
      return true;
    const FunctionDecl *Saved = Cur;
    Cur = FD;
    Fns[FD];
    RecursiveASTVisitor::TraverseFunctionDecl(FD);
    Cur = Saved;
    return true;
  }
  bool VisitCallExpr(CallExpr *C) {
    if (Cur)
      Fns[Cur].Calls.push_back(C);
    return true;
  }
  bool VisitVarDecl(VarDecl *V) {
    if (Cur && V->isLocalVarDecl() && V->getInit())
      Fns[Cur].Sets.push_back({V, V->getInit()});
    return true;
  }
  bool VisitBinaryOperator(BinaryOperator *B) {
    if (!Cur || !B->isAssignmentOp())
      return true;
    if (const auto *D = dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParens()))
      if (const auto *V = dyn_cast<VarDecl>(D->getDecl()))
        if (V->isLocalVarDecl())
          Fns[Cur].Sets.push_back({V, B->getRHS()});
    return true;
  }

private:
  const FunctionDecl *Cur = nullptr;
};

// Is a gfp-sleepy macro (GFP_KERNEL ...) among the macros that wrote the
// tokens of S or of one of its sub-expressions?  A call inside S is not
// looked into: its value is what it returns, not its arguments' mask.
bool namesSleepyMask(const Stmt *S, const SourceManager &SM,
                     const LangOptions &LO) {
  if (!S || isa<CallExpr>(S))
    return false;
  for (SourceLocation L : {S->getBeginLoc(), S->getEndLoc()})
    if (macroOfKind(L, SM, LO, ApiKind::GFP_SLEEPY))
      return true;
  for (const Stmt *C : S->children())
    if (namesSleepyMask(C, SM, LO))
      return true;
  return false;
}

} // namespace

bool Sleepers::sleepyMask(const Expr *E, const FnInfo *In) const {
  if (namesSleepyMask(E, Ctx.getSourceManager(), Ctx.getLangOpts()))
    return true;
  if (!In || In->SleepyVars.empty())
    return false;
  // a local that holds a sleeping mask, anywhere in E
  llvm::SmallVector<const Stmt *, 8> Todo{E};
  while (!Todo.empty()) {
    const Stmt *S = Todo.pop_back_val();
    if (!S || isa<CallExpr>(S))
      continue;
    if (const auto *D = dyn_cast<DeclRefExpr>(S))
      if (const auto *V = dyn_cast<VarDecl>(D->getDecl()))
        if (In->SleepyVars.count(V))
          return true;
    for (const Stmt *C : S->children())
      Todo.push_back(C);
  }
  return false;
}

Sleepers::Sleepers(ASTContext &Ctx) : Ctx(Ctx) {
  Collector C;
  C.TraverseDecl(Ctx.getTranslationUnitDecl());
  for (auto &E : C.Fns) {
    FnInfo &I = Fns[E.first];
    I.Calls = E.second.Calls;
    for (const CallExpr *Call : I.Calls)
      Owner[Call] = E.first;
    // locals set from a sleeping mask (or from such a local)
    bool Changed = true;
    while (Changed) {
      Changed = false;
      for (const auto &S : E.second.Sets)
        if (!I.SleepyVars.count(S.first) && sleepyMask(S.second, &I)) {
          I.SleepyVars.insert(S.first);
          Changed = true;
        }
    }
  }
  // the calls that sleep by themselves, decided once: the fixed point
  // below goes over every call of the unit in each round
  llvm::DenseSet<const CallExpr *> Direct;
  for (const auto &E : Fns)
    for (const CallExpr *Call : E.second.Calls)
      if (directly(Call, &E.second, nullptr))
        Direct.insert(Call);
  // the unit's functions that sleep, to a fixed point
  bool Changed = true;
  while (Changed) {
    Changed = false;
    for (const auto &E : Fns) {
      if (Sleeping.count(E.first))
        continue;
      for (const CallExpr *Call : E.second.Calls) {
        const FunctionDecl *Def = Call->getDirectCallee()
                                      ? Call->getDirectCallee()->getDefinition()
                                      : nullptr;
        if (Direct.count(Call) ||
            (Def && Def != E.first && Sleeping.count(Def))) {
          Sleeping[E.first] = Call;
          Changed = true;
          break;
        }
      }
    }
  }
}

const FunctionDecl *Sleepers::ownerOf(const CallExpr *Call) const {
  auto It = Owner.find(Call);
  return It == Owner.end() ? nullptr : It->second;
}

bool Sleepers::directly(const CallExpr *Call, const FnInfo *In,
                        std::string *Why) const {
  llvm::StringRef N = calleeName(Call);
  if (!N.empty() &&
      (apiIs(N, ApiKind::NO_SLEEP) || apiIs(N, ApiKind::TRYLOCK)))
    return false;
  if (!N.empty() && (apiIs(N, ApiKind::SLEEP) || apiIs(N, ApiKind::MAY_SLEEP))) {
    if (Why)
      *Why = (N + "()").str();
    return true;
  }
  for (const Expr *A : Call->arguments())
    if (sleepyMask(A, In)) {
      if (Why)
        *Why = (N.empty() ? std::string("a call") : (N + "()").str()) +
               " with a sleeping GFP mask";
      return true;
    }
  return false;
}

bool Sleepers::sleeps(const CallExpr *Call, std::string *Why) const {
  const FunctionDecl *Own = ownerOf(Call);
  auto It = Own ? Fns.find(Own) : Fns.end();
  if (directly(Call, It == Fns.end() ? nullptr : &It->second, Why))
    return true;
  const FunctionDecl *Callee = Call->getDirectCallee();
  const FunctionDecl *Def = Callee ? Callee->getDefinition() : nullptr;
  auto S = Def ? Sleeping.find(Def) : Sleeping.end();
  if (S == Sleeping.end())
    return false;
  if (Why) {
    // the way down to what sleeps: helper() -> msleep()
    std::string Way = (Def->getName() + "()").str();
    const FunctionDecl *F = Def;
    for (int Depth = 0; Depth < 4; Depth++) {
      const CallExpr *Next = Sleeping.lookup(F);
      std::string W;
      auto FI = Fns.find(F);
      if (!Next)
        break;
      if (directly(Next, FI == Fns.end() ? nullptr : &FI->second, &W)) {
        Way += " -> " + W;
        break;
      }
      F = Next->getDirectCallee() ? Next->getDirectCallee()->getDefinition()
                                  : nullptr;
      if (!F)
        break;
      Way += " -> " + (F->getName() + "()").str();
    }
    *Why = Way;
  }
  return true;
}

} // namespace clang::tidy::daxlint
