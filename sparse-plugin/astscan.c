// SPDX-License-Identifier: GPL-2.0
/*
 * astscan.c - what the evaluated AST still knows and the IR does not:
 * the struct member a lock call's argument points to, and whether a
 * function calls dax_layout_lock() (maybe inlined).
 */
#include <stdlib.h>
#include <string.h>

#include "astscan.h"
#include "astvisit.h"
#include "calltable.h"

/*
 * After evaluation the IR no longer says which struct member a pointer
 * argument points to (&EXT4_I(inode)->i_mmap_sem is "inode - 16"), but the
 * evaluated call expression still does: the argument's type is a pointer to
 * the member's symbol node.  Record it per call position.
 */
struct argfield {
	struct position pos;
	struct ident *fn;
	struct ident *member;
};
static struct argfield *argf;
static int nargf, argf_alloc;

/* the struct a pointer-typed expression points to */
static struct symbol *pointee_struct(struct expression *e)
{
	struct symbol *t = e ? peel_node(e->ctype) : NULL;

	if (!t || t->type != SYM_PTR)
		return NULL;
	t = peel_node(t->ctype.base_type);
	return t && t->type == SYM_STRUCT ? t : NULL;
}

/* the rw_semaphore member of struct ST at byte offset OFF, nested too */
static struct ident *member_at(struct symbol *st, long off, int depth)
{
	struct symbol *m, *mt;

	if (!st || depth > 4)
		return NULL;
	FOR_EACH_PTR(st->symbol_list, m) {
		long size;

		mt = peel_node(m->ctype.base_type);
		if (!mt)
			continue;
		size = mt->bit_size > 0 ? mt->bit_size / 8 : 0;
		if (off < (long)m->offset ||
		    off >= (long)m->offset + (size ? size : 1))
			continue;
		if ((long)m->offset == off && m->ident && mt->type == SYM_STRUCT &&
		    mt->ident && !strcmp(show_ident(mt->ident), "rw_semaphore"))
			return m->ident;
		if (mt->type == SYM_STRUCT || mt->type == SYM_UNION) {
			struct ident *r = member_at(mt, off - m->offset,
						    depth + 1);
			if (r)
				return r;
		}
	} END_FOR_EACH_PTR(m);
	return NULL;
}

static struct expression *peel_casts(struct expression *e)
{
	while (e && (e->type == EXPR_CAST || e->type == EXPR_IMPLIED_CAST ||
		     e->type == EXPR_FORCE_CAST))
		e = e->cast_expression;
	return e;
}

/*
 * After evaluation "&p->field" is "p + offsetof(field)" (or just p for a
 * first member): find the field from p's struct type and the offset.
 */
static struct ident *arg_member(struct expression *e)
{
	struct expression *inner;
	struct symbol *st;

	e = peel_casts(e);
	if (!e)
		return NULL;
	if (e->type == EXPR_BINOP && e->op == '+') {
		struct expression *l = peel_casts(e->left), *r = e->right;

		if (r && r->type == EXPR_VALUE) {
			st = pointee_struct(l);
			if (!st && e->left)
				st = pointee_struct(e->left);
			return member_at(st, (long)r->value, 0);
		}
		return NULL;
	}
	/* offset 0: the pointer itself, before its cast to the member type */
	inner = e;
	while (inner) {
		st = pointee_struct(inner);
		if (st && (!st->ident ||
			   strcmp(show_ident(st->ident), "rw_semaphore")))
			return member_at(st, 0, 0);
		if (inner->type == EXPR_CAST || inner->type == EXPR_IMPLIED_CAST ||
		    inner->type == EXPR_FORCE_CAST)
			inner = inner->cast_expression;
		else
			break;
	}
	return NULL;
}

/*
 * rwsem_is_locked() is a static inline in the kernel: no call is left, only
 * its OP_INLINED_CALL marker, at the position of the inlined statement.
 * Its argument is the initializer of the statement's first parameter.
 */
static void note_inlined_assert(struct statement *s)
{
	struct symbol *a;
	struct ident *m;

	if (call_kind_of(s->inline_fn->ident) != CK_RWSEM_ASSERT ||
	    !s->args || s->args->type != STMT_DECLARATION)
		return;
	a = first_symbol(s->args->declaration);
	m = a ? arg_member(a->initializer) : NULL;
	if (!m)
		return;
	if (nargf == argf_alloc) {
		argf_alloc = argf_alloc ? 2 * argf_alloc : 64;
		argf = realloc(argf, argf_alloc * sizeof(*argf));
	}
	argf[nargf].pos = s->pos;
	argf[nargf].fn = s->inline_fn->ident;
	argf[nargf].member = m;
	nargf++;
}

/*
 * The call site of the outermost inlined helper being walked: calls inside
 * an inlined body carry the helper's own source position, which would put
 * a finding in a header.  They are moved to the line that calls the helper,
 * where a reader (and the other engines) expect it.
 */
static struct position *inline_site;
static int saw_layout_lock;

/* a call: the lock field its first argument names, if it is an rwsem's */
static void scan_call(struct expression *e)
{
	struct expression *fe = e->fn;

	while (fe && ((fe->type == EXPR_PREOP && fe->op == '*') ||
		      fe->type == EXPR_CAST ||
		      fe->type == EXPR_IMPLIED_CAST))
		fe = fe->type == EXPR_PREOP ? fe->unop :
		     fe->cast_expression;
	if (fe && fe->type == EXPR_SYMBOL && fe->symbol) {
		struct ident *id = fe->symbol->ident;

		if (is_layout_api(id))
			saw_layout_lock = 1;
		enum call_kind k = call_kind_of(id);

		if (k >= CK_RWSEM_WRITE && k <= CK_LOCKDEP_ASSERT) {
			struct expression *first = first_expression(e->args);
			struct ident *m = arg_member(first);

			if (m) {
				if (nargf == argf_alloc) {
					argf_alloc = argf_alloc ? 2 * argf_alloc : 64;
					argf = realloc(argf, argf_alloc * sizeof(*argf));
				}
				argf[nargf].pos = e->pos;
				argf[nargf].fn = id;
				argf[nargf].member = m;
				nargf++;
			}
		}
	}
}

static void scan_expr(struct astvisit *v, struct expression *e)
{
	(void)v;
	if (e->type == EXPR_CALL && inline_site)
		e->pos = *inline_site;
}

/* after the call's operands: a call inside an argument is noted first */
static void scan_expr_leave(struct astvisit *v, struct expression *e)
{
	(void)v;
	if (e->type == EXPR_CALL)
		scan_call(e);
}

static void scan_stmt(struct astvisit *v, struct statement *s, int enter)
{
	(void)v;
	if (s->type != STMT_COMPOUND || !s->inline_fn)
		return;
	if (!enter) {
		if (inline_site == &s->pos)
			inline_site = NULL;
		return;
	}
	if (is_layout_api(s->inline_fn->ident))
		saw_layout_lock = 1;
	note_inlined_assert(s);
	if (!inline_site)
		inline_site = &s->pos;
}

static int same_pos(struct position a, struct position b)
{
	return a.stream == b.stream && a.line == b.line && a.pos == b.pos;
}

struct ident *astscan_member(struct instruction *insn, struct ident *fn)
{
	int i;

	for (i = 0; i < nargf; i++)
		if (argf[i].fn == fn && same_pos(argf[i].pos, insn->pos))
			return argf[i].member;
	return NULL;
}

/* the calls' lock fields of one function; 1 when it uses dax_layout_lock() */
int astscan_fn(struct statement *body)
{
	struct astvisit v = {
		.stmt = scan_stmt,
		.expr = scan_expr,
		.expr_leave = scan_expr_leave,
		.inlined = 1,
	};

	saw_layout_lock = 0;
	ast_visit_stmt(&v, body);
	return saw_layout_lock;
}

void astscan_reset(void)
{
	nargf = 0;
}
