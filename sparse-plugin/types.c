// SPDX-License-Identifier: GPL-2.0
/*
 * types.c - the unit's C types: peel a type's SYM_NODE wrappers, compare
 * function types (an operations table's member and a function that may
 * fill it), find a struct's members by name and by offset, the type an
 * address pseudo points into.
 */
#include <string.h>

#include "types.h"

struct symbol *peel_node(struct symbol *t)
{
	while (t && t->type == SYM_NODE)
		t = t->ctype.base_type;
	return t;
}

int ident_is(struct ident *id, const char *s)
{
	size_t n = strlen(s);

	return id && (size_t)id->len == n && !memcmp(id->name, s, n);
}

/* is ID one of NAMES (NULL-terminated)? */
int ident_in(struct ident *id, const char *const *names)
{
	if (!id)
		return 0;
	for (; *names; names++)
		if (id->len == strlen(*names) &&
		    !memcmp(id->name, *names, id->len))
			return 1;
	return 0;
}

static int same_type(struct symbol *a, struct symbol *b, int depth)
{
	a = peel_node(a);
	b = peel_node(b);
	if (a == b)
		return 1;
	if (!a || !b || a->type != b->type || depth > 6)
		return 0;
	switch (a->type) {
	case SYM_PTR:
		return same_type(a->ctype.base_type, b->ctype.base_type,
				 depth + 1);
	case SYM_STRUCT: case SYM_UNION: case SYM_ENUM:
		return a->ident && a->ident == b->ident;
	case SYM_BASETYPE:
		return a->bit_size == b->bit_size &&
		       (a->ctype.modifiers & MOD_UNSIGNED) ==
		       (b->ctype.modifiers & MOD_UNSIGNED);
	default:
		return 0;
	}
}

int same_fn_type(struct symbol *fa, struct symbol *fb)
{
	struct symbol *x, *y;
	int na, nb, i = 0;

	fa = peel_node(fa);
	fb = peel_node(fb);
	if (!fa || !fb || fa->type != SYM_FN || fb->type != SYM_FN)
		return 0;
	if (!same_type(fa->ctype.base_type, fb->ctype.base_type, 0))
		return 0;
	na = ptr_list_size((struct ptr_list *)fa->arguments);
	nb = ptr_list_size((struct ptr_list *)fb->arguments);
	if (na != nb || !na)
		return 0;
	PREPARE_PTR_LIST(fb->arguments, y);
	FOR_EACH_PTR(fa->arguments, x) {
		if (!y || !same_type(x->ctype.base_type, y->ctype.base_type, 0))
			i = -1;
		NEXT_PTR_LIST(y);
	} END_FOR_EACH_PTR(x);
	FINISH_PTR_LIST(y);
	return i == 0;
}

/* the function type of member MEMBER of struct TABLE, as this unit has it */
struct symbol *member_fn_type(const char *table, const char *member)
{
	struct symbol *st = lookup_symbol(built_in_ident(table), NS_STRUCT);
	struct symbol *m, *t;

	st = peel_node(st);
	if (!st || st->type != SYM_STRUCT)
		return NULL;
	FOR_EACH_PTR(st->symbol_list, m) {
		if (!ident_is(m->ident, member))
			continue;
		t = peel_node(m->ctype.base_type);
		if (t && t->type == SYM_PTR)
			return peel_node(t->ctype.base_type);
	} END_FOR_EACH_PTR(m);
	return NULL;
}

/* the member of struct ST at byte offset OFF */
struct symbol *member_at_offset(struct symbol *st, unsigned off)
{
	struct symbol *m;

	FOR_EACH_PTR(st->symbol_list, m) {
		if (m->ident && (unsigned long)m->offset == off)
			return m;
	} END_FOR_EACH_PTR(m);
	return NULL;
}

/* the type an address pseudo points into (NULL: not known) */
struct symbol *pseudo_pointee(pseudo_t p)
{
	struct symbol *t = NULL, *fnt, *arg;
	int n = 0;

	if (!p)
		return NULL;
	switch (p->type) {
	case PSEUDO_REG:
		t = p->def ? p->def->type : NULL;
		break;
	case PSEUDO_SYM:
		/* the object itself: its members are at offsets from it */
		return peel_node(p->sym);
	case PSEUDO_ARG:
		if (!p->def || !p->def->bb || !p->def->bb->ep ||
		    !p->def->bb->ep->name)
			return NULL;
		fnt = peel_node(p->def->bb->ep->name->ctype.base_type);
		if (!fnt || fnt->type != SYM_FN)
			return NULL;
		FOR_EACH_PTR(fnt->arguments, arg) {
			if (++n == p->nr)
				t = arg;
		} END_FOR_EACH_PTR(arg);
		break;
	default:
		return NULL;
	}
	t = peel_node(t);
	return t && t->type == SYM_PTR ? peel_node(t->ctype.base_type) : NULL;
}
