/* SPDX-License-Identifier: GPL-2.0 */
/*
 * astvisit.h - the calls of the evaluated AST, and the shared visit
 */
#ifndef DAXLINT_ASTVISIT_H
#define DAXLINT_ASTVISIT_H

#include "fn.h"

struct ident *ast_call_name(struct expression *e);
struct expression *ast_call_arg(struct expression *e, int n);
int ast_is_call(struct expression *e);
struct statement *fn_body(struct fn *f);
struct statement *ast_inlined(struct expression *e);
/*
 * A pre-order visit of a function's code: its own code (an inlined
 * helper's arguments, not its body), or with INLINED every inlined body
 * too.  Set fields only by name or in this order: zero is "none".
 */
struct astvisit {
	/* enter (1) and leave (0) of each statement */
	void (*stmt)(struct astvisit *v, struct statement *s, int enter);
	void (*expr)(struct astvisit *v, struct expression *e);
	void *data;
	/* after an expression's operands */
	void (*expr_leave)(struct astvisit *v, struct expression *e);
	int inlined;
};
void ast_visit_stmt(struct astvisit *v, struct statement *s);
void ast_visit_expr(struct astvisit *v, struct expression *e);
void ast_visit_body(struct astvisit *v, struct statement *body);

#endif
