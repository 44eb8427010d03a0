// SPDX-License-Identifier: GPL-2.0
/*
 * astvisit.c - the evaluated AST: the calls of an expression (a call, or
 * the body an inlined helper left at its call site) and the one visit of
 * a function's statements and expressions that the engine's AST passes
 * share (astscan.c, the checks' own scans).
 */
#include "astvisit.h"

struct statement *fn_body(struct fn *f)
{
	struct symbol *t = f->sym->ctype.base_type;

	return t && t->type == SYM_FN ? t->stmt : NULL;
}

/* the inlined body an expression is, NULL if it is none */
struct statement *ast_inlined(struct expression *e)
{
	if (e && e->type == EXPR_STATEMENT && e->statement &&
	    e->statement->type == STMT_COMPOUND && e->statement->inline_fn)
		return e->statement;
	return NULL;
}

/* the function a call expression calls, or that was inlined there */
struct ident *ast_call_name(struct expression *e)
{
	struct statement *s = ast_inlined(e);
	struct expression *fe;

	if (s)
		return s->inline_fn->ident;
	if (!e || e->type != EXPR_CALL)
		return NULL;
	fe = e->fn;
	while (fe && ((fe->type == EXPR_PREOP && fe->op == '*') ||
		      fe->type == EXPR_CAST || fe->type == EXPR_IMPLIED_CAST))
		fe = fe->type == EXPR_PREOP ? fe->unop : fe->cast_expression;
	if (fe && fe->type == EXPR_SYMBOL && fe->symbol)
		return fe->symbol->ident;
	return NULL;
}

int ast_is_call(struct expression *e)
{
	return (e && e->type == EXPR_CALL) || ast_inlined(e);
}

/* argument N (0-based) of a call or of an inlined call */
struct expression *ast_call_arg(struct expression *e, int n)
{
	struct statement *s = ast_inlined(e);
	struct expression *a;
	struct symbol *sym;
	int i = 0;

	if (s) {
		if (!s->args || s->args->type != STMT_DECLARATION)
			return NULL;
		FOR_EACH_PTR(s->args->declaration, sym) {
			if (i++ == n)
				return sym->initializer;
		} END_FOR_EACH_PTR(sym);
		return NULL;
	}
	if (!e || e->type != EXPR_CALL)
		return NULL;
	FOR_EACH_PTR(e->args, a) {
		if (i++ == n)
			return a;
	} END_FOR_EACH_PTR(a);
	return NULL;
}

void ast_visit_expr(struct astvisit *v, struct expression *e)
{
	struct expression *a;
	struct statement *s;
	struct symbol *sym;

	if (!e)
		return;
	if (v->expr)
		v->expr(v, e);
	switch (e->type) {
	case EXPR_CALL:
		ast_visit_expr(v, e->fn);
		FOR_EACH_PTR(e->args, a) {
			ast_visit_expr(v, a);
		} END_FOR_EACH_PTR(a);
		break;
	case EXPR_STATEMENT:
		s = v->inlined ? NULL : ast_inlined(e);
		if (s) {
			/* the arguments, not the inlined body */
			if (s->args && s->args->type == STMT_DECLARATION)
				FOR_EACH_PTR(s->args->declaration, sym) {
					ast_visit_expr(v, sym->initializer);
				} END_FOR_EACH_PTR(sym);
			break;
		}
		ast_visit_stmt(v, e->statement);
		break;
	case EXPR_BINOP: case EXPR_COMMA: case EXPR_COMPARE:
	case EXPR_LOGICAL: case EXPR_ASSIGNMENT:
		ast_visit_expr(v, e->left);
		ast_visit_expr(v, e->right);
		break;
	case EXPR_PREOP: case EXPR_POSTOP:
		ast_visit_expr(v, e->unop);
		break;
	case EXPR_CAST: case EXPR_FORCE_CAST: case EXPR_IMPLIED_CAST:
		ast_visit_expr(v, e->cast_expression);
		break;
	case EXPR_CONDITIONAL: case EXPR_SELECT:
		ast_visit_expr(v, e->conditional);
		ast_visit_expr(v, e->cond_true);
		ast_visit_expr(v, e->cond_false);
		break;
	case EXPR_INITIALIZER:
		FOR_EACH_PTR(e->expr_list, a) {
			ast_visit_expr(v, a);
		} END_FOR_EACH_PTR(a);
		break;
	case EXPR_POS:
		ast_visit_expr(v, e->init_expr);
		break;
	case EXPR_IDENTIFIER:
		ast_visit_expr(v, e->ident_expression);
		break;
	case EXPR_INDEX:
		ast_visit_expr(v, e->idx_expression);
		break;
	case EXPR_SLICE:
		ast_visit_expr(v, e->base);
		break;
	default:
		break;
	}
	if (v->expr_leave)
		v->expr_leave(v, e);
}

void ast_visit_stmt(struct astvisit *v, struct statement *s)
{
	struct statement *t;
	struct symbol *sym;

	if (!s)
		return;
	if (v->stmt)
		v->stmt(v, s, 1);
	switch (s->type) {
	case STMT_DECLARATION:
		FOR_EACH_PTR(s->declaration, sym) {
			ast_visit_expr(v, sym->initializer);
		} END_FOR_EACH_PTR(sym);
		break;
	case STMT_EXPRESSION:
		ast_visit_expr(v, s->expression);
		break;
	case STMT_COMPOUND:
		if (v->inlined) {
			/* an inlined copy: its parameters, then its body */
			ast_visit_stmt(v, s->args);
		} else if (s->inline_fn) {
			if (s->args && s->args->type == STMT_DECLARATION)
				FOR_EACH_PTR(s->args->declaration, sym) {
					ast_visit_expr(v, sym->initializer);
				} END_FOR_EACH_PTR(sym);
			break;
		}
		FOR_EACH_PTR(s->stmts, t) {
			ast_visit_stmt(v, t);
		} END_FOR_EACH_PTR(t);
		break;
	case STMT_IF:
		ast_visit_expr(v, s->if_conditional);
		ast_visit_stmt(v, s->if_true);
		ast_visit_stmt(v, s->if_false);
		break;
	case STMT_RETURN:
		ast_visit_expr(v, s->ret_value);
		break;
	case STMT_CASE:
		ast_visit_stmt(v, s->case_statement);
		break;
	case STMT_SWITCH:
		ast_visit_expr(v, s->switch_expression);
		ast_visit_stmt(v, s->switch_statement);
		break;
	case STMT_ITERATOR:
		ast_visit_stmt(v, s->iterator_pre_statement);
		ast_visit_expr(v, s->iterator_pre_condition);
		ast_visit_stmt(v, s->iterator_statement);
		ast_visit_stmt(v, s->iterator_post_statement);
		ast_visit_expr(v, s->iterator_post_condition);
		break;
	case STMT_LABEL:
		ast_visit_stmt(v, s->label_statement);
		break;
	case STMT_GOTO:
		ast_visit_expr(v, s->goto_expression);
		break;
	default:
		break;
	}
	if (v->stmt)
		v->stmt(v, s, 0);
}

/* the statements of a body, an inlined copy's included */
void ast_visit_body(struct astvisit *v, struct statement *body)
{
	struct statement *t;

	if (body && body->type == STMT_COMPOUND && body->inline_fn) {
		FOR_EACH_PTR(body->stmts, t) {
			ast_visit_stmt(v, t);
		} END_FOR_EACH_PTR(t);
		return;
	}
	ast_visit_stmt(v, body);
}
