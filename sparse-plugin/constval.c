// SPDX-License-Identifier: GPL-2.0
/*
 * constval.c - the constant value of a pseudo when some of its
 * function's parameters are known constants (a caller's arguments): the
 * parameters, numbers, casts, comparisons, ANDs and ORs of them; and the
 * constants a call passes on, seen from such a caller.  What a function
 * does with a constant argument (a reason followed into its switch).
 */
#include <string.h>

#include "constval.h"

static int eval(pseudo_t p, const struct argconsts *a, long long *out, int depth)
{
	struct instruction *d;
	long long x, y;

	if (!p || depth > 8)
		return 0;
	if (p->type == PSEUDO_VAL) {
		*out = p->value;
		return 1;
	}
	if (p->type == PSEUDO_ARG) {
		if (a && p->nr >= 1 && p->nr <= ARGCONST_MAX &&
		    (a->known & (1u << (p->nr - 1)))) {
			*out = a->v[p->nr - 1];
			return 1;
		}
		return 0;
	}
	if (p->type != PSEUDO_REG || !(d = p->def))
		return 0;
	switch (d->opcode) {
	case OP_ZEXT: case OP_SEXT: case OP_TRUNC: case OP_COPY:
		return eval(d->src, a, out, depth + 1);
	case OP_SET_EQ: case OP_SET_NE: case OP_SET_LT: case OP_SET_LE:
	case OP_SET_GT: case OP_SET_GE: case OP_SET_B: case OP_SET_BE:
	case OP_SET_A: case OP_SET_AE: case OP_AND: case OP_OR:
		if (!eval(d->src1, a, &x, depth + 1) ||
		    !eval(d->src2, a, &y, depth + 1))
			return 0;
		switch (d->opcode) {
		case OP_SET_EQ: *out = x == y; break;
		case OP_SET_NE: *out = x != y; break;
		case OP_SET_LT: *out = x < y; break;
		case OP_SET_LE: *out = x <= y; break;
		case OP_SET_GT: *out = x > y; break;
		case OP_SET_GE: *out = x >= y; break;
		case OP_SET_B: *out = (unsigned long long)x < (unsigned long long)y; break;
		case OP_SET_BE: *out = (unsigned long long)x <= (unsigned long long)y; break;
		case OP_SET_A: *out = (unsigned long long)x > (unsigned long long)y; break;
		case OP_SET_AE: *out = (unsigned long long)x >= (unsigned long long)y; break;
		case OP_AND: *out = x & y; break;
		default: *out = x | y; break;
		}
		return 1;
	default:
		return 0;
	}
}

int const_eval(pseudo_t p, const struct argconsts *a, long long *out)
{
	return eval(p, a, out, 0);
}

/* the constants CALL passes, seen from a caller with parameters A */
void call_argconsts(struct instruction *call, const struct argconsts *a,
		    struct argconsts *out)
{
	pseudo_t p;
	int n = 0;

	memset(out, 0, sizeof(*out));
	FOR_EACH_PTR(call->arguments, p) {
		if (n < ARGCONST_MAX && eval(p, a, &out->v[n], 0))
			out->known |= 1u << n;
		n++;
	} END_FOR_EACH_PTR(p);
}
