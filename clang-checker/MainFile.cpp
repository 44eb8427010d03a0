//===- MainFile.cpp - what the main file's own text says -----------------===//
#include "MainFile.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLExtras.h"

namespace clang::tidy::daxlint {

namespace {
// Where D's text ends: the ";" after its start outside any brackets.
SourceLocation declarationEnd(const Decl *D, const SourceManager *SM,
                              const LangOptions &LO) {
  SourceLocation B = SM->getExpansionLoc(D->getBeginLoc());
  std::pair<FileID, unsigned> Pos = SM->getDecomposedLoc(B);
  llvm::StringRef Buf = SM->getBufferData(Pos.first);
  Lexer L(SM->getLocForStartOfFile(Pos.first), LO,
          Buf.begin(), Buf.begin() + Pos.second, Buf.end());
  Token T;
  int Depth = 0;
  do {
    L.LexFromRawLexer(T);
    if (T.isOneOf(tok::l_brace, tok::l_paren, tok::l_square))
      Depth++;
    else if (T.isOneOf(tok::r_brace, tok::r_paren, tok::r_square))
      Depth--;
    else if (T.is(tok::semi) && Depth <= 0)
      return T.getLocation();
  } while (T.isNot(tok::eof));
  return T.getLocation();
}
} // namespace

void forEachCodeIdentifier(
    const SourceManager &SM, const LangOptions &LO,
    llvm::ArrayRef<SourceRange> Skipped,
    llvm::function_ref<void(llvm::StringRef, SourceLocation)> F) {
  FileID Main = SM.getMainFileID();
  llvm::StringRef Buf = SM.getBufferData(Main);
  Lexer L(SM.getLocForStartOfFile(Main), LO, Buf.begin(), Buf.begin(),
          Buf.end());
  Token T;
  bool Directive = false;
  do {
    L.LexFromRawLexer(T);
    if (T.isAtStartOfLine())
      Directive = T.is(tok::hash);
    if (Directive || T.isNot(tok::raw_identifier))
      continue;
    SourceLocation Loc = T.getLocation();
    if (llvm::any_of(Skipped, [&](SourceRange R) {
          return !SM.isBeforeInTranslationUnit(Loc, R.getBegin()) &&
                 !SM.isBeforeInTranslationUnit(R.getEnd(), Loc);
        }))
      continue;
    F(T.getRawIdentifier(), Loc);
  } while (T.isNot(tok::eof));
}

std::string enclosingDeclName(SourceLocation Loc, ASTContext &Ctx) {
  const SourceManager *SM = &Ctx.getSourceManager();
  std::string Name;
  const NamedDecl *Last = nullptr;
  for (const Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    const auto *ND = dyn_cast<NamedDecl>(D);
    SourceRange SR = D->getSourceRange();
    if (!ND || !ND->getIdentifier() || SR.isInvalid())
      continue;
    SourceLocation B = SM->getExpansionLoc(SR.getBegin());
    SourceLocation E = SM->getExpansionRange(SR.getEnd()).getEnd();
    if (!SM->isInMainFile(B) || SM->isBeforeInTranslationUnit(Loc, B))
      continue;
    if (!SM->isBeforeInTranslationUnit(E, Loc))
      Name = ND->getName().str();
    Last = ND;
  }
  if (Name.empty() && Last &&
      SM->isBeforeInTranslationUnit(
          Loc, declarationEnd(Last, SM, Ctx.getLangOpts())))
    Name = Last->getName().str();
  return Name;
}

} // namespace clang::tidy::daxlint
