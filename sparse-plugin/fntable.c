// SPDX-License-Identifier: GPL-2.0
/*
 * fntable.c - the functions of the translation unit, by name, and the
 * definition a call reaches (this unit's, or another unit's summary).
 */
#include <stdlib.h>
#include <string.h>

#include "fntable.h"
#include "summary_db.h"

#define FN_HASH 1024
static struct fn *fn_hash[FN_HASH];
static struct fn **fns;
static int nfns, fns_alloc;

static unsigned hash_ptr(const void *p)
{
	unsigned long v = (unsigned long)p;

	return (unsigned)((v >> 4) ^ (v >> 14)) & (FN_HASH - 1);
}

struct fn *fn_by_ident(struct ident *id)
{
	struct fn *f;

	for (f = fn_hash[hash_ptr(id)]; f; f = f->hnext)
		if (f->sym->ident == id)
			return f;
	return NULL;
}

/* the definition a call from FROM reaches: its own file's, else a global */
struct fn *callee_of(struct fn *from, struct ident *id)
{
	struct fn *f, *global = NULL;

	for (f = fn_hash[hash_ptr(id)]; f; f = f->hnext) {
		if (f->sym->ident != id)
			continue;
		if (f->stream == from->stream)
			return f;
		if (!f->is_static && !global)
			global = f;
	}
	/* defined in another unit: its summary, when a first run wrote one */
	return global ? global : summary_db_lookup(id);
}



/* a function of the unit, in the order its definitions were read */
void fn_table_add(struct fn *f)
{
	if (nfns == fns_alloc) {
		fns_alloc = fns_alloc ? 2 * fns_alloc : 64;
		fns = realloc(fns, fns_alloc * sizeof(*fns));
	}
	fns[nfns++] = f;
	f->hnext = fn_hash[hash_ptr(f->sym->ident)];
	fn_hash[hash_ptr(f->sym->ident)] = f;
}

struct fn **fn_table(int *n)
{
	*n = nfns;
	return fns;
}

/* the unit is done: free its functions */
void fn_table_reset(void)
{
	int i;

	for (i = 0; i < nfns; i++) {
		free(fns[i]->ev);
		free(fns[i]->bbs);
		free(fns[i]->in);
		free(fns[i]->out);
		free(fns[i]->ubl_items);
		free(fns[i]);
	}
	nfns = 0;
	memset(fn_hash, 0, sizeof(fn_hash));
}
