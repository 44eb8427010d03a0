// SPDX-License-Identifier: GPL-2.0
/*
 * optable.c - the unit's operations tables: each initialized object of a
 * watched struct type (inode_operations, file_operations,
 * address_space_operations ...) and, member by member, the function it
 * names (f, &f, (cast)f).  A check watches the tags it needs and passes
 * its symbols on from its sym hook; the engine forgets them with the
 * unit.
 */
#include <stdlib.h>
#include <string.h>

#include "optable.h"
#include "types.h"

#define MAX_WATCHED 16
static struct ident *watched[MAX_WATCHED];
static int nwatched;

static struct optable *tabs;
static int ntabs, tabs_alloc;

void optable_watch(const char *tag)
{
	struct ident *id = built_in_ident(tag);
	int i;

	for (i = 0; i < nwatched; i++)
		if (watched[i] == id)
			return;
	if (nwatched < MAX_WATCHED)
		watched[nwatched++] = id;
}

/* the function an initializer entry names: f, &f, (cast)f */
static struct ident *init_fn(struct expression *e)
{
	while (e) {
		switch (e->type) {
		case EXPR_CAST: case EXPR_IMPLIED_CAST: case EXPR_FORCE_CAST:
			e = e->cast_expression;
			continue;
		case EXPR_PREOP:
			if (e->op != '&')
				return NULL;
			e = e->unop;
			continue;
		case EXPR_SYMBOL:
			if (e->symbol && peel_node(e->symbol->ctype.base_type) &&
			    peel_node(e->symbol->ctype.base_type)->type == SYM_FN)
				return e->symbol->ident;
			return NULL;
		default:
			return NULL;
		}
	}
	return NULL;
}

void optable_note(struct symbol *sym)
{
	struct symbol *st;
	struct expression *e;
	struct optable *t;
	int i, alloc = 0;

	if (!sym->initializer || sym->initializer->type != EXPR_INITIALIZER)
		return;
	/* several checks note the symbols they see: record a table once */
	for (i = 0; i < ntabs; i++)
		if (tabs[i].sym == sym)
			return;
	st = peel_node(sym->ctype.base_type);
	if (!st || st->type != SYM_STRUCT || !st->ident)
		return;
	for (i = 0; i < nwatched && watched[i] != st->ident; i++)
		;
	if (i == nwatched)
		return;
	if (ntabs == tabs_alloc) {
		tabs_alloc = tabs_alloc ? 2 * tabs_alloc : 16;
		tabs = realloc(tabs, tabs_alloc * sizeof(*tabs));
	}
	t = &tabs[ntabs++];
	memset(t, 0, sizeof(*t));
	t->sym = sym;
	t->tag = st->ident;
	FOR_EACH_PTR(sym->initializer->expr_list, e) {
		struct symbol *m;
		struct ident *fn;

		if (e->type != EXPR_POS)
			continue;
		m = member_at_offset(st, e->init_offset);
		fn = init_fn(e->init_expr);
		if (!m || !fn)
			continue;
		if (t->nent == alloc) {
			alloc = alloc ? 2 * alloc : 8;
			t->ent = realloc(t->ent, alloc * sizeof(*t->ent));
		}
		t->ent[t->nent].member = m->ident;
		t->ent[t->nent].fn = fn;
		t->nent++;
	} END_FOR_EACH_PTR(e);
}

struct optable *optables(int *n)
{
	*n = ntabs;
	return tabs;
}

void optable_reset(void)
{
	int i;

	for (i = 0; i < ntabs; i++)
		free(tabs[i].ent);
	ntabs = 0;
}
