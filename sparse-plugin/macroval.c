// SPDX-License-Identifier: GPL-2.0
/*
 * macroval.c - the integer value of an object-like macro of the unit,
 * from its expansion's tokens: a number, a shift of numbers, an OR of
 * those, in parentheses (S_DAX: (1 << 13)); the kernel's flag macros are
 * spelt that way.  The tokens are sparse's while the unit's file is being
 * read: a check asks from a macro hook (hooks.h).
 */
#include <stdlib.h>

#include "macroval.h"

static int macro_expr(struct token **t, long long *v, int depth);

static int macro_prim(struct token **t, long long *v, int depth)
{
	struct token *k = *t;

	if (eof_token(k) || depth > 8)
		return 0;
	if (token_type(k) == TOKEN_NUMBER) {
		char *end;

		*v = strtoll(k->number, &end, 0);
		*t = k->next;
		return end != k->number;
	}
	if (match_op(k, '(')) {
		*t = k->next;
		if (!macro_expr(t, v, depth + 1) || eof_token(*t) ||
		    !match_op(*t, ')'))
			return 0;
		*t = (*t)->next;
		return 1;
	}
	return 0;
}

static int macro_expr(struct token **t, long long *v, int depth)
{
	long long r;

	if (!macro_prim(t, v, depth))
		return 0;
	while (!eof_token(*t) && (match_op(*t, SPECIAL_LEFTSHIFT) ||
				  match_op(*t, '|'))) {
		int shift = match_op(*t, SPECIAL_LEFTSHIFT);

		*t = (*t)->next;
		if (!macro_prim(t, &r, depth) || (shift && (r < 0 || r > 62)))
			return 0;
		*v = shift ? *v << r : (*v | r);
	}
	return 1;
}

int macro_int_value(const char *name, long long *v)
{
	struct symbol *m = lookup_symbol(built_in_ident(name), NS_MACRO);
	struct token *t;

	if (!m || m->arglist || !m->expansion)
		return 0;
	t = m->expansion;
	if (!macro_expr(&t, v, 0))
		return 0;
	/* the preprocessor ends a macro's body with an untaint marker */
	while (!eof_token(t) && token_type(t) == TOKEN_UNTAINT)
		t = t->next;
	return eof_token(t);
}
