// SPDX-License-Identifier: GPL-2.0
/*
 * fntable.c - the functions of the translation unit, by name, by place
 * and by code, and the calls between them: the definition a call reaches
 * (this unit's, or another unit's summary, and whether that one is of the
 * caller's directory), each function's direct calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fntable.h"
#include "api.h"
#include "summary_db.h"
#include "value.h"

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

/* the definition ID written in STREAM names: STREAM's own, else a global */
struct fn *fn_in_stream(struct ident *id, int stream)
{
	struct fn *f, *global = NULL;

	for (f = fn_hash[hash_ptr(id)]; f; f = f->hnext) {
		if (f->sym->ident != id)
			continue;
		if (f->stream == stream)
			return f;
		if (!f->is_static && !global)
			global = f;
	}
	return global;
}

/* the definition a call from FROM reaches: its own file's, else a global */
struct fn *callee_of(struct fn *from, struct ident *id)
{
	struct fn *f = fn_in_stream(id, from->stream);

	if (f)
		return f;
	/* a kernel API of the table means what its row says, wherever it is
	 * implemented: the summary of its body (fs/dax.c's final break scans
	 * busy pages with no fault lock, as eviction may) must not make its
	 * callers owe what the body does */
	if (api_ident_known(id))
		return NULL;
	/* defined in another unit: its summary, when a first run wrote one */
	return summary_db_lookup(id);
}

struct fn *fn_of_ep(struct entrypoint *ep)
{
	int i;

	for (i = 0; ep && i < nfns; i++)
		if (fns[i]->ep == ep)
			return fns[i];
	return NULL;
}

int fn_index(const struct fn *f)
{
	return f && !f->stub && f->idx < nfns && fns[f->idx] == f ?
	       f->idx : -1;
}

/* the directory of PATH, through symbolic links when it exists */
static void dir_of(const char *path, char *out, size_t size)
{
	char *real = realpath(path, NULL), *slash;

	snprintf(out, size, "%s", real ? real : path);
	free(real);
	slash = strrchr(out, '/');
	if (slash)
		*slash = 0;
	else
		snprintf(out, size, ".");
}

/*
 * A summary of the same directory (filesystem) as FROM: a check that
 * follows calls into the filesystem's own functions only (a generic
 * helper such as simple_setattr() truncating on a filesystem's behalf is
 * not followed).  Memoized: realpath() per call would be dear.
 */
int fn_same_dir(struct fn *stub, struct fn *from)
{
	static struct { struct fn *stub; int stream, local; } memo[64];
	static int nmemo;
	char a[4096], b[4096];
	int i, local;

	for (i = 0; i < nmemo; i++)
		if (memo[i].stub == stub && memo[i].stream == from->stream)
			return memo[i].local;
	dir_of(stub->stub_file, a, sizeof(a));
	dir_of(stream_name(from->stream), b, sizeof(b));
	local = !strcmp(a, b);
	i = nmemo < 64 ? nmemo++ : (int)((unsigned long)stub >> 4) % 64;
	memo[i].stub = stub;
	memo[i].stream = from->stream;
	memo[i].local = local;
	return local;
}

/* a function of a .c file (not a header's static inline) */
int fn_in_c_file(struct fn *f)
{
	const char *n = stream_name(f->stream);
	size_t l = n ? strlen(n) : 0;

	return l > 2 && !strcmp(n + l - 2, ".c");
}

const char *fn_unit_file(struct fn **fns, int nfns)
{
	int i;

	for (i = 0; i < nfns; i++)
		if (!fns[i]->is_inline && fn_in_c_file(fns[i]))
			return stream_name(fns[i]->stream);
	return NULL;
}

const struct fcall *fn_calls(struct fn *f, int *n)
{
	int b, alloc = 0;

	if (f->ncalls >= 0) {
		*n = f->ncalls;
		return f->calls;
	}
	f->ncalls = 0;
	for (b = 0; b < f->nbbs; b++) {
		struct instruction *insn;

		FOR_EACH_PTR(f->bbs[b].bb->insns, insn) {
			struct fcall *c;
			struct ident *id;

			if (!insn->bb || insn->opcode != OP_CALL ||
			    !(id = insn_call_name(insn)))
				continue;
			if (f->ncalls == alloc) {
				alloc = alloc ? 2 * alloc : 16;
				f->calls = realloc(f->calls,
						   alloc * sizeof(*f->calls));
			}
			c = &f->calls[f->ncalls++];
			c->insn = insn;
			c->id = id;
			c->bb = b;
			c->callee = callee_of(f, id);
			if (c->callee && c->callee->is_inline)
				c->callee = NULL;
		} END_FOR_EACH_PTR(insn);
	}
	*n = f->ncalls;
	return f->calls;
}

/* a function of the unit, in the order its definitions were read */
void fn_table_add(struct fn *f)
{
	if (nfns == fns_alloc) {
		fns_alloc = fns_alloc ? 2 * fns_alloc : 64;
		fns = realloc(fns, fns_alloc * sizeof(*fns));
	}
	f->idx = nfns;
	f->ncalls = -1;
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
		free(fns[i]->calls);
		free(fns[i]);
	}
	nfns = 0;
	memset(fn_hash, 0, sizeof(fn_hash));
}

/* the function is one of the APIs of the lock table (its definition) */
int is_api(struct fn *f)
{
	return f->sym && call_kind_of(f->sym->ident) != CK_NONE;
}
