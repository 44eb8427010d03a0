// SPDX-License-Identifier: GPL-2.0
/*
 * value.c - the values of lock-flag pseudos: the bits surely and
 * possibly set in a flags argument (constants, ORs, tracked local words).
 */
#include "value.h"

pseudo_t call_arg(struct instruction *insn, int n)
{
	pseudo_t p = NULL;
	int i = 0;

	FOR_EACH_PTR(insn->arguments, p) {
		if (i++ == n)
			return p;
	} END_FOR_EACH_PTR(p);
	return NULL;
}

int var_index(struct fn *f, struct symbol *s)
{
	int i;

	for (i = 0; i < f->nvars; i++)
		if (f->vars[i] == s)
			return i;
	return -1;
}

/* the name of the function a call instruction calls (NULL: indirect) */
struct ident *insn_call_name(struct instruction *insn)
{
	pseudo_t fp = insn->func;

	if (fp && fp->type == PSEUDO_SYM && fp->sym)
		return fp->sym->ident;
	return NULL;
}

static unsigned long long value_rec(pseudo_t p, const struct lstate *st,
				    struct fn *f, int may, int depth)
{
	const unsigned long long unknown = may ? ~0ULL : 0;
	struct instruction *d;
	unsigned long long a, b;
	pseudo_t src;
	int first;

	if (!p || depth > 12)
		return unknown;
	switch (p->type) {
	case PSEUDO_VAL:
		return (unsigned long long)p->value;
	case PSEUDO_PHI:
		d = p->def;
		if (!d || d->opcode != OP_PHISOURCE)
			return unknown;
		return value_rec(d->phi_src, st, f, may, depth + 1);
	case PSEUDO_REG:
		break;
	default:
		return unknown;
	}
	d = p->def;
	if (!d)
		return unknown;
	switch (d->opcode) {
	case OP_OR:
		a = value_rec(d->src1, st, f, may, depth + 1);
		b = value_rec(d->src2, st, f, may, depth + 1);
		return a | b;
	case OP_AND:
		a = value_rec(d->src1, st, f, may, depth + 1);
		b = value_rec(d->src2, st, f, may, depth + 1);
		return a & b;
	case OP_ZEXT: case OP_SEXT: case OP_TRUNC: case OP_COPY:
		return value_rec(d->src, st, f, may, depth + 1);
	case OP_LOAD:
		if (d->src && d->src->type == PSEUDO_SYM && d->offset == 0 && st) {
			int i = var_index(f, d->src->sym);

			if (i >= 0)
				return may ? st->vars[i].may : st->vars[i].must;
		}
		return unknown;
	case OP_SEL:
		a = value_rec(d->src2, st, f, may, depth + 1);
		b = value_rec(d->src3, st, f, may, depth + 1);
		return may ? (a | b) : (a & b);
	case OP_PHI:
		first = 1;
		a = 0;
		FOR_EACH_PTR(d->phi_list, src) {
			if (src == VOID)
				continue;
			b = value_rec(src, st, f, may, depth + 1);
			if (first)
				a = b;
			else
				a = may ? (a | b) : (a & b);
			first = 0;
		} END_FOR_EACH_PTR(src);
		return first ? unknown : a;
	case OP_CALL:
		if (call_kind_of(insn_call_name(d)) == CK_XFS_INUMORDER)
			return value_rec(call_arg(d, 0), st, f, may, depth + 1) &
				(may ? ~0ULL : L_XFS_MASK);
		return unknown;
	default:
		return unknown;
	}
}

unsigned long long value_must(pseudo_t p, const struct lstate *st, struct fn *f)
{
	return value_rec(p, st, f, 0, 0);
}

unsigned long long value_may(pseudo_t p, const struct lstate *st, struct fn *f)
{
	return value_rec(p, st, f, 1, 0);
}

int value_const(pseudo_t p, const struct lstate *st, struct fn *f,
		long long *out)
{
	unsigned long long a = value_must(p, st, f), b = value_may(p, st, f);

	if (a != b)
		return 0;
	*out = (long long)a;
	return 1;
}
