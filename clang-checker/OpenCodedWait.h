//===- OpenCodedWait.h - the 5.15-6.14 busy-page wait loops ---------------===//
//
// From 6.15 a DAX page is idle at refcount 0: a filesystem loop that scans
// for a busy page and waits for its refcount to drop to one never ends
// (removed-api reports it; dax_break_layout*() scan and wait themselves).
// What such a loop is, and the one shape whose rewrite is mechanical.
//
//===----------------------------------------------------------------------===//
#ifndef DAXLINT_TIDY_OPENCODEDWAIT_H
#define DAXLINT_TIDY_OPENCODEDWAIT_H

#include "clang/AST/ASTContext.h"
#include "clang/Basic/Diagnostic.h"
#include <vector>

namespace clang::tidy::daxlint {

// Is &PAGE->_refcount given to a wait macro or a sleeping wait anywhere in
// BODY?
bool waitsOnRefcount(const Stmt *Body, const VarDecl *Page, ASTContext &Ctx);
// The fix-its that turn FN's loop around SCAN into the tree's break, or
// none when the loop is not ext4's shape.
std::vector<FixItHint> loopToBreak(const CallExpr *Scan, const VarDecl *Page,
                                   const FunctionDecl *Fn, ASTContext &Ctx);

} // namespace clang::tidy::daxlint

#endif
