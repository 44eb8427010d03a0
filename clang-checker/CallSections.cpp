//===- CallSections.cpp - which calls lie inside a section, per path -----===//
#include "CallSections.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/STLExtras.h"

namespace clang::tidy::daxlint {

llvm::StringRef calleeName(const CallExpr *Call) {
  const FunctionDecl *FD = Call->getDirectCallee();
  return FD && FD->getIdentifier() ? FD->getName() : llvm::StringRef();
}

std::vector<const CallExpr *> callsIn(const Stmt *S) {
  std::vector<const CallExpr *> Out;
  llvm::SmallVector<const Stmt *, 16> Todo{S};
  while (!Todo.empty()) {
    const Stmt *T = Todo.pop_back_val();
    if (!T)
      continue;
    if (const auto *C = dyn_cast<CallExpr>(T))
      Out.push_back(C);
    // children pushed last first: popped in source order
    llvm::SmallVector<const Stmt *, 8> Kids(T->child_begin(), T->child_end());
    Todo.append(Kids.rbegin(), Kids.rend());
  }
  return Out;
}

namespace {

struct BlockState {
  bool Reached = false;
  SectionState S;
};

void addOnce(llvm::SmallVector<const CallExpr *, 2> &V, const CallExpr *C) {
  if (!llvm::is_contained(V, C))
    V.push_back(C);
}

// Joins IN into OUT; true when OUT changed.
bool join(BlockState &Out, const SectionState &In) {
  if (!Out.Reached) {
    Out.Reached = true;
    Out.S = In;
    return true;
  }
  bool Changed = false;
  for (const CallExpr *C : In.MayOpen)
    if (!llvm::is_contained(Out.S.MayOpen, C)) {
      Out.S.MayOpen.push_back(C);
      Changed = true;
    }
  if (Out.S.MustOpen && !In.MustOpen) {
    Out.S.MustOpen = false;
    Changed = true;
  }
  return Changed;
}

} // namespace

CallSections::CallSections(const FunctionDecl *FD, ASTContext &Ctx,
                           ApiKind Open, ApiKind Close) {
  CFG::BuildOptions BO;
  BO.setAllAlwaysAdd(); // every call is an element, in evaluation order
  std::unique_ptr<CFG> G =
      CFG::buildCFG(FD, FD->getBody(), &Ctx, BO);
  if (!G)
    return;
  Built = true;
  std::vector<BlockState> In(G->getNumBlockIDs());
  In[G->getEntry().getBlockID()].Reached = true;

  // The transfer of block B from its entry state S; RECORD keeps the
  // state before each call (done once the fixed point is reached).
  auto Run = [&](const CFGBlock &B, SectionState S, bool Record) {
    for (const CFGElement &E : B) {
      auto CS = E.getAs<CFGStmt>();
      if (!CS)
        continue;
      const auto *Call = dyn_cast<CallExpr>(CS->getStmt());
      if (!Call)
        continue;
      if (Record)
        Before[Call] = S;
      llvm::StringRef N = calleeName(Call);
      if (N.empty())
        continue;
      if (apiIs(N, Open)) {
        S.MayOpen.clear();
        S.MayOpen.push_back(Call);
        S.MustOpen = true;
      } else if (apiIs(N, Close)) {
        S.MayOpen.clear();
        S.MustOpen = false;
      }
    }
    return S;
  };

  bool Changed = true;
  while (Changed) {
    Changed = false;
    for (const CFGBlock *B : *G) {
      if (!B || !In[B->getBlockID()].Reached)
        continue;
      SectionState Out = Run(*B, In[B->getBlockID()].S, false);
      for (const CFGBlock::AdjacentBlock &Succ : B->succs())
        if (const CFGBlock *T = Succ.getReachableBlock())
          Changed |= join(In[T->getBlockID()], Out);
    }
  }
  for (const CFGBlock *B : *G)
    if (B && In[B->getBlockID()].Reached)
      Run(*B, In[B->getBlockID()].S, true);
  const BlockState &Exit = In[G->getExit().getBlockID()];
  if (Exit.Reached)
    for (const CallExpr *C : Exit.S.MayOpen)
      addOnce(AtExit, C);
}

const SectionState *CallSections::before(const CallExpr *Call) const {
  auto It = Before.find(Call);
  return It == Before.end() ? nullptr : &It->second;
}

} // namespace clang::tidy::daxlint
