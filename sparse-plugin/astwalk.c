// SPDX-License-Identifier: GPL-2.0
/*
 * astwalk.c - a forward walk of every path of a function over the
 * evaluated AST of its own code (devmap-put).
 *
 * Macros are expanded, a static inline helper is seen as one call at its
 * call site, its body not entered.  Every path -- if/else, loops (to a
 * fixed point), switch, goto, break, continue, return, && and ?: -- is
 * walked with facts that calls establish (joins intersect): "a devmap
 * helper ran before this drop on every path".  The AST is needed there:
 * sparse 0.6.4 drops the edges of asm goto, so the static-branch test at
 * the top of put_devmap_managed_page*() always falls through and the
 * inlined helper, its OP_INLINED_CALL marker included, is gone from the
 * IR.
 */
#include <stdlib.h>

#include "astwalk.h"
#include "astvisit.h"

struct awlabel {
	const void *key;	/* a label, break/continue target, loop head */
	struct aws cur, prev;	/* what jumps to it: this pass, the last one */
};

static const struct aws unreached = { 0, 0 };

static struct aws meet(struct aws a, struct aws b)
{
	if (!a.reached)
		return b;
	if (!b.reached)
		return a;
	a.bits &= b.bits;
	return a;
}

static struct awlabel *label(struct astwalk *w, const void *key)
{
	int i;

	for (i = 0; i < w->nlabels; i++)
		if (w->labels[i].key == key)
			return &w->labels[i];
	if (w->nlabels == w->alabels) {
		w->alabels = w->alabels ? 2 * w->alabels : 16;
		w->labels = realloc(w->labels,
				    w->alabels * sizeof(*w->labels));
	}
	w->labels[w->nlabels].key = key;
	w->labels[w->nlabels].cur = unreached;
	w->labels[w->nlabels].prev = unreached;
	return &w->labels[w->nlabels++];
}

static void jump(struct astwalk *w, const void *key, struct aws st)
{
	struct awlabel *l;

	if (!key || !st.reached)
		return;
	l = label(w, key);
	l->cur = meet(l->cur, st);
}

static struct aws landing(struct astwalk *w, const void *key)
{
	struct awlabel *l;

	if (!key)
		return unreached;
	l = label(w, key);
	return meet(l->cur, l->prev);
}

static struct aws aw_stmt(struct astwalk *w, struct statement *s,
			  struct aws st);

static struct aws aw_call(struct astwalk *w, struct expression *e,
			  struct aws st)
{
	if (st.reached && w->call)
		st.bits |= w->call(w, e, ast_call_name(e), &st);
	return st;
}

static struct aws aw_args(struct astwalk *w, struct statement *s,
			  struct aws st);

static struct aws aw_expr(struct astwalk *w, struct expression *e,
			  struct aws st)
{
	struct expression *a;
	struct statement *s;
	struct aws l, r;

	if (!e)
		return st;
	switch (e->type) {
	case EXPR_CALL:
		st = aw_expr(w, e->fn, st);
		FOR_EACH_PTR(e->args, a) {
			st = aw_expr(w, a, st);
		} END_FOR_EACH_PTR(a);
		return aw_call(w, e, st);
	case EXPR_STATEMENT:
		s = ast_inlined(e);
		if (s)
			return aw_call(w, e, aw_args(w, s, st));
		return aw_stmt(w, e->statement, st);
	case EXPR_LOGICAL:
		l = aw_expr(w, e->left, st);
		r = aw_expr(w, e->right, l);
		return meet(l, r);
	case EXPR_CONDITIONAL: case EXPR_SELECT:
		st = aw_expr(w, e->conditional, st);
		l = e->cond_true ? aw_expr(w, e->cond_true, st) : st;
		r = aw_expr(w, e->cond_false, st);
		return meet(l, r);
	case EXPR_BINOP: case EXPR_COMMA: case EXPR_COMPARE:
	case EXPR_ASSIGNMENT:
		st = aw_expr(w, e->left, st);
		return aw_expr(w, e->right, st);
	case EXPR_PREOP: case EXPR_POSTOP:
		return aw_expr(w, e->unop, st);
	case EXPR_CAST: case EXPR_FORCE_CAST: case EXPR_IMPLIED_CAST:
		return aw_expr(w, e->cast_expression, st);
	case EXPR_INITIALIZER:
		FOR_EACH_PTR(e->expr_list, a) {
			st = aw_expr(w, a, st);
		} END_FOR_EACH_PTR(a);
		return st;
	case EXPR_POS:
		return aw_expr(w, e->init_expr, st);
	case EXPR_IDENTIFIER:
		return aw_expr(w, e->ident_expression, st);
	case EXPR_INDEX:
		return aw_expr(w, e->idx_expression, st);
	default:
		return st;
	}
}

static struct aws aw_args(struct astwalk *w, struct statement *s,
			  struct aws st)
{
	struct symbol *sym;

	if (s->args && s->args->type == STMT_DECLARATION)
		FOR_EACH_PTR(s->args->declaration, sym) {
			st = aw_expr(w, sym->initializer, st);
		} END_FOR_EACH_PTR(sym);
	return st;
}

static struct aws aw_stmt(struct astwalk *w, struct statement *s,
			  struct aws st)
{
	struct statement *t;
	struct symbol *sym;
	struct aws c, b, exit;
	int loop, n;

	if (!s)
		return st;
	switch (s->type) {
	case STMT_DECLARATION:
		FOR_EACH_PTR(s->declaration, sym) {
			st = aw_expr(w, sym->initializer, st);
		} END_FOR_EACH_PTR(sym);
		return st;
	case STMT_EXPRESSION:
		return aw_expr(w, s->expression, st);
	case STMT_COMPOUND:
		if (s->inline_fn)
			return st;	/* only reached as an expression */
		FOR_EACH_PTR(s->stmts, t) {
			st = aw_stmt(w, t, st);
		} END_FOR_EACH_PTR(t);
		return st;
	case STMT_IF:
		c = aw_expr(w, s->if_conditional, st);
		return meet(aw_stmt(w, s->if_true, c),
			    s->if_false ? aw_stmt(w, s->if_false, c) : c);
	case STMT_RETURN:
		aw_expr(w, s->ret_value, st);
		return unreached;
	case STMT_GOTO:
		if (s->goto_label)
			jump(w, s->goto_label, st);
		else
			aw_expr(w, s->goto_expression, st);
		return unreached;
	case STMT_LABEL:
		st = meet(st, landing(w, s->label_identifier));
		return aw_stmt(w, s->label_statement, st);
	case STMT_ITERATOR:
		/* for and while, not do-while: a drop "in a loop" */
		loop = !s->iterator_post_condition;
		st = aw_stmt(w, s->iterator_pre_statement, st);
		st = meet(st, landing(w, s));	/* the back edge */
		c = s->iterator_pre_condition ?
			aw_expr(w, s->iterator_pre_condition, st) : st;
		w->loops += loop;
		b = aw_stmt(w, s->iterator_statement, c);
		w->loops -= loop;
		b = meet(b, landing(w, s->iterator_continue));
		b = aw_stmt(w, s->iterator_post_statement, b);
		if (s->iterator_post_condition)
			b = aw_expr(w, s->iterator_post_condition, b);
		jump(w, s, b);
		exit = s->iterator_pre_condition ? c :
		       s->iterator_post_condition ? b : unreached;
		return meet(exit, landing(w, s->iterator_break));
	case STMT_SWITCH:
		c = aw_expr(w, s->switch_expression, st);
		n = w->nswitch;
		if (n < 16) {
			w->sw[n] = c;
			w->swdefault[n] = 0;
		}
		w->nswitch++;
		b = aw_stmt(w, s->switch_statement, unreached);
		w->nswitch--;
		b = meet(b, landing(w, s->switch_break));
		if (n >= 16 || !w->swdefault[n])
			b = meet(b, c);
		return b;
	case STMT_CASE:
		n = w->nswitch - 1;
		if (n >= 0 && n < 16) {
			st = meet(st, w->sw[n]);
			if (!s->case_expression)
				w->swdefault[n] = 1;
		}
		return aw_stmt(w, s->case_statement, st);
	default:
		return st;
	}
}

/*
 * Walk every path of the function until what reaches its labels and loop
 * heads is stable.  The call hook sees each call once a pass, always with
 * facts that hold on real paths (the first passes are optimistic: they
 * only know some of the paths that jump back), so a fact missing in any
 * pass is missing on some path.
 */
void ast_walk_fn(struct astwalk *w)
{
	struct statement *body = w->body ? w->body : fn_body(w->f), *t;
	struct aws entry = { 1, 0 }, st;
	int pass, i, changed;

	if (!body)
		return;
	w->loops = 0;
	for (pass = 0; pass < 12; pass++) {
		for (i = 0; i < w->nlabels; i++) {
			w->labels[i].prev = w->labels[i].cur;
			w->labels[i].cur = unreached;
		}
		w->nswitch = 0;
		if (body->type == STMT_COMPOUND && body->inline_fn) {
			/* an inlined copy of a function: its statements */
			st = entry;
			FOR_EACH_PTR(body->stmts, t) {
				st = aw_stmt(w, t, st);
			} END_FOR_EACH_PTR(t);
		} else {
			aw_stmt(w, body, entry);
		}
		changed = 0;
		for (i = 0; i < w->nlabels; i++) {
			struct awlabel *l = &w->labels[i];

			if (l->cur.reached != l->prev.reached ||
			    l->cur.bits != l->prev.bits)
				changed = 1;
		}
		if (!changed)
			break;
	}
	free(w->labels);
	w->labels = NULL;
	w->nlabels = w->alabels = 0;
}

