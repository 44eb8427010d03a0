//===- OpenCodedWait.cpp - the 5.15-6.14 busy-page wait loops ------------===//
#include "OpenCodedWait.h"
#include "KernelApi.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

namespace clang::tidy::daxlint {

// &PAGE->_refcount given to a wait macro or sleeping wait (the table's
// wait-queue-macro and sleep rows: ___wait_var_event, wait_var_event*)
// anywhere in BODY.
bool waitsOnRefcount(const Stmt *Body, const VarDecl *Page,
                     ASTContext &Ctx) {
  const SourceManager *SM = &Ctx.getSourceManager();
  if (!Body)
    return false;
  if (const auto *U = dyn_cast<UnaryOperator>(Body))
    if (U->getOpcode() == UO_AddrOf)
      if (const auto *M =
              dyn_cast<MemberExpr>(U->getSubExpr()->IgnoreParenImpCasts()))
        if (const auto *D =
                dyn_cast<DeclRefExpr>(M->getBase()->IgnoreParenImpCasts()))
          // the page's reference count (struct page's atomic_t)
          if (D->getDecl() == Page && M->getMemberDecl()->getName() ==
                                          "_refcount" &&
              U->getBeginLoc().isMacroID()) {
            SourceLocation W =
                SM->getExpansionRange(U->getBeginLoc()).getBegin();
            Token T;
            if (!Lexer::getRawToken(W, T, *SM, Ctx.getLangOpts()) &&
                T.is(tok::raw_identifier)) {
              llvm::StringRef N = T.getRawIdentifier();
              if (apiIs(N, ApiKind::WAIT_QUEUE_MACRO) ||
                  apiIs(N, ApiKind::SLEEP))
                return true;
            }
          }
  for (const Stmt *C : Body->children())
    if (waitsOnRefcount(C, Page, Ctx))
      return true;
  return false;
}

namespace {

// Is S a reference to V (through parentheses and casts)?
bool refersTo(const Expr *S, const VarDecl *V) {
  const auto *D = S ? dyn_cast<DeclRefExpr>(S->IgnoreParenImpCasts()) : nullptr;
  return D && D->getDecl() == V;
}

// The references to V below S that lie outside [B, E].
unsigned usesOutside(const Stmt *S, const VarDecl *V, SourceLocation B,
                     SourceLocation E, const SourceManager &SM) {
  if (!S)
    return 0;
  unsigned N = 0;
  if (const auto *D = dyn_cast<DeclRefExpr>(S)) {
    SourceLocation L = SM.getExpansionLoc(D->getBeginLoc());
    if (D->getDecl() == V && (SM.isBeforeInTranslationUnit(L, B) ||
                              SM.isBeforeInTranslationUnit(E, L)))
      N++;
  }
  for (const Stmt *C : S->children())
    N += usesOutside(C, V, B, E, SM);
  return N;
}

// The call of a function of the unit on INODE alone in S: the wait
// command given to the wait macro.
const CallExpr *waitCommand(const Stmt *S, const VarDecl *Inode) {
  if (!S)
    return nullptr;
  if (const auto *C = dyn_cast<CallExpr>(S))
    if (C->getNumArgs() == 1 && refersTo(C->getArg(0), Inode) &&
        C->getDirectCallee())
      return C;
  for (const Stmt *K : S->children())
    if (const CallExpr *C = waitCommand(K, Inode))
      return C;
  return nullptr;
}

// R's text, with its line when nothing else is on it (a declaration that
// goes leaves no blank line behind).
CharSourceRange wholeLines(SourceRange R, const SourceManager &SM,
                           const LangOptions &LO) {
  SourceLocation B = SM.getExpansionLoc(R.getBegin());
  SourceLocation E = Lexer::getLocForEndOfToken(
      SM.getExpansionLoc(R.getEnd()), 0, SM, LO);
  CharSourceRange Tokens = CharSourceRange::getCharRange(B, E);
  bool Bad = false;
  const char *BP = SM.getCharacterData(B, &Bad);
  const char *EP = Bad ? nullptr : SM.getCharacterData(E, &Bad);
  if (Bad)
    return Tokens;
  unsigned Col = SM.getSpellingColumnNumber(B, &Bad) - 1;
  if (Bad)
    return Tokens;
  for (const char *C = BP - Col; C < BP; ++C)
    if (*C != ' ' && *C != '\t')
      return Tokens;
  const char *After = EP;
  while (*After == ' ' || *After == '\t')
    ++After;
  if (*After != '\n')
    return Tokens;
  return CharSourceRange::getCharRange(B.getLocWithOffset(-(int)Col),
                                       E.getLocWithOffset(After + 1 - EP));
}

} // namespace

// ext4's loop of 5.15 - 6.14, the one shape whose rewrite is mechanical:
//   do { P = SCAN(I->i_mapping[, A, B]); if (!P) return 0;
//        R = WAIT(&P->_refcount, ..., CB(I)); } while (R == 0);
//   return R;
// becomes `return <break>(I[, A, B], CB);`, the break being the table's
// dax-break function the unit declares with one parameter more than the
// scan (the inode for the mapping, and the callback); P's and R's
// declarations go when nothing else uses them.  Anything else: no fix.
std::vector<FixItHint> loopToBreak(const CallExpr *Scan, const VarDecl *Page,
                                   const FunctionDecl *Fn, ASTContext &C) {
  ASTContext *Ctx = &C;
  const SourceManager *SM = &C.getSourceManager();
  const auto *Body = Fn ? dyn_cast_or_null<CompoundStmt>(Fn->getBody())
                        : nullptr;
  if (!Body)
    return {};
  // the do-while of the function's body holding the scan, then return R
  const DoStmt *Do = nullptr;
  const ReturnStmt *Ret = nullptr;
  for (auto It = Body->body_begin(); It != Body->body_end(); ++It)
    if (const auto *D = dyn_cast<DoStmt>(*It))
      if (std::next(It) != Body->body_end() &&
          SM->isBeforeInTranslationUnit(D->getBeginLoc(), Scan->getBeginLoc()) &&
          SM->isBeforeInTranslationUnit(Scan->getBeginLoc(), D->getEndLoc())) {
        Do = D;
        Ret = dyn_cast<ReturnStmt>(*std::next(It));
      }
  const auto *Loop = Do ? dyn_cast<CompoundStmt>(Do->getBody()) : nullptr;
  if (!Loop || !Ret || Loop->size() != 3)
    return {};
  auto S = Loop->body_begin();
  const auto *Assign = dyn_cast<BinaryOperator>(*S);
  const auto *If = dyn_cast<IfStmt>(*std::next(S));
  const auto *Wait = dyn_cast<BinaryOperator>(*std::next(S, 2));
  if (!Assign || Assign->getRHS()->IgnoreParenImpCasts() != Scan || !If ||
      If->getElse() || !Wait || !Wait->isAssignmentOp())
    return {};
  const auto *Not = dyn_cast<UnaryOperator>(If->getCond()->IgnoreParenImpCasts());
  const auto *Ret0 = dyn_cast<ReturnStmt>(If->getThen());
  if (!Ret0)
    if (const auto *CS = dyn_cast<CompoundStmt>(If->getThen()))
      if (CS->size() == 1)
        Ret0 = dyn_cast<ReturnStmt>(CS->body_front());
  if (!Not || Not->getOpcode() != UO_LNot || !refersTo(Not->getSubExpr(), Page) ||
      !Ret0 || !Ret0->getRetValue())
    return {};
  Expr::EvalResult Zero;
  if (!Ret0->getRetValue()->EvaluateAsInt(Zero, *Ctx) ||
      Zero.Val.getInt() != 0)
    return {};
  const auto *RD = dyn_cast<DeclRefExpr>(Wait->getLHS()->IgnoreParenImpCasts());
  const auto *RV = RD ? dyn_cast<VarDecl>(RD->getDecl()) : nullptr;
  const auto *Cond = dyn_cast<BinaryOperator>(Do->getCond()->IgnoreParenImpCasts());
  Expr::EvalResult CZ;
  if (!RV || !Cond || Cond->getOpcode() != BO_EQ ||
      !refersTo(Cond->getLHS(), RV) ||
      !Cond->getRHS()->EvaluateAsInt(CZ, *Ctx) || CZ.Val.getInt() != 0 ||
      !refersTo(Ret->getRetValue(), RV))
    return {};
  // I->i_mapping: the inode
  const auto *M = dyn_cast<MemberExpr>(Scan->getArg(0)->IgnoreParenImpCasts());
  const auto *ID = M ? dyn_cast<DeclRefExpr>(M->getBase()->IgnoreParenImpCasts())
                     : nullptr;
  const auto *Inode = ID ? dyn_cast<VarDecl>(ID->getDecl()) : nullptr;
  const CallExpr *Cmd = Inode ? waitCommand(Wait->getRHS(), Inode) : nullptr;
  if (!Cmd)
    return {};
  const FunctionDecl *Break = nullptr;
  for (llvm::StringRef N : apiNames(ApiKind::DAX_BREAK))
    if (const FunctionDecl *G = declaredFunction(*Ctx, N))
      if (G->getNumParams() == Scan->getNumArgs() + 1)
        Break = G;
  if (!Break)
    return {};
  const LangOptions &LO = Ctx->getLangOpts();
  auto Text = [&](const Expr *E) {
    return Lexer::getSourceText(SM->getExpansionRange(E->getSourceRange()),
                                *SM, LO)
        .str();
  };
  std::string Call = Break->getName().str() + "(" + Inode->getName().str();
  for (unsigned I = 1; I < Scan->getNumArgs(); ++I)
    Call += ", " + Text(Scan->getArg(I));
  Call += ", " + Cmd->getDirectCallee()->getName().str() + ")";
  SourceLocation B = SM->getExpansionLoc(Do->getBeginLoc());
  SourceLocation E = SM->getExpansionRange(Ret->getEndLoc()).getEnd();
  std::vector<FixItHint> Fix{FixItHint::CreateReplacement(
      CharSourceRange::getTokenRange(B, E), "return " + Call)};
  // P's and R's declarations, when the loop was their only user
  for (const Stmt *St : Body->body())
    if (const auto *DS = dyn_cast<DeclStmt>(St))
      if (DS->isSingleDecl())
        if (const auto *V = dyn_cast<VarDecl>(DS->getSingleDecl()))
          if ((V == Page || V == RV) && !V->hasInit() &&
              !usesOutside(Body, V, B, E, *SM))
            Fix.push_back(FixItHint::CreateRemoval(
                wholeLines(DS->getSourceRange(), *SM, LO)));
  return Fix;
}

} // namespace clang::tidy::daxlint
