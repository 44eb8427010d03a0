// SPDX-License-Identifier: GPL-2.0
/*
 * daxfs.c - does the unit show that its filesystem has DAX inodes, each
 * sign written in the unit's own text: a DAX-shaped
 * address_space_operations (.writepages reaching the table's
 * dax-writeback call and no page-cache operation; names are not looked
 * at), a call of the filesystem-DAX API (the table's fsdax, busy-page
 * and dax-test rows) or of a layout break (the lock table's, or another
 * unit's function whose summary scans or breaks), a test of the S_DAX
 * bit (daxtest.c), or a call of a function of another unit of its
 * directory whose unit does (UBL_DAXFS).
 */
#include <stdio.h>

#include "daxfs.h"
#include "api.h"
#include "calltable.h"
#include "daxtest.h"
#include "fntable.h"
#include "srctext.h"
#include "summary_db.h"
#include "types.h"
#include "value.h"

/* page-cache operations: an aops with one of them is no DAX aops */
static const char *const pagecache_ops[] = {
	"read_folio", "readpage", "readpages", "readahead", "writepage",
	"write_begin", "write_end",
};

void daxfs_watch(void)
{
	optable_watch("address_space_operations");
}

int daxfs_is_aops(const struct optable *t)
{
	return ident_is(t->tag, "address_space_operations");
}

static const char *id_str(struct ident *id)
{
	static char buf[4][128];
	static int k;
	char *b = buf[k++ & 3];

	if (!id)
		return "?";
	snprintf(b, sizeof(buf[0]), "%.*s", id->len, id->name);
	return b;
}

/* an aops's .writepages (NULL: none); 1 when it has page-cache ops */
static int aops_pagecache(const struct optable *t, struct ident **writepages)
{
	int i, pc = 0;
	unsigned k;

	*writepages = NULL;
	for (i = 0; i < t->nent; i++) {
		if (ident_is(t->ent[i].member, "writepages"))
			*writepages = t->ent[i].fn;
		for (k = 0; k < sizeof(pagecache_ops) /
			     sizeof(pagecache_ops[0]); k++)
			if (ident_is(t->ent[i].member, pagecache_ops[k]))
				pc = 1;
	}
	return pc;
}

/* F (of this unit) calls the DAX writeback, maybe through its callees */
static int reaches_wb(struct fn *f, int depth)
{
	const struct fcall *c;
	int k, n;

	if (!f || f->stub || depth > 4)
		return 0;
	c = fn_calls(f, &n);
	for (k = 0; k < n; k++) {
		if (api_ident_is(c[k].id, AK_DAX_WRITEBACK) &&
		    line_calls(c[k].insn->pos, show_ident(c[k].id)))
			return 1;
		if (c[k].callee && c[k].callee != f &&
		    reaches_wb(c[k].callee, depth + 1))
			return 1;
	}
	return 0;
}

/*
 * a call that only a DAX filesystem makes: the filesystem-DAX API, the
 * busy-page scan (6.15's dax_break_layout*() family too) or dax_mapping(),
 * whose IS_DAX() is inlined from the header; the dax_device API
 * (dax_direct_access(), dax_holder() ...) is the block layer's
 */
static int is_fsdax_call(const char *n)
{
	return api_is(n, AK_FSDAX) || api_is(n, AK_BUSY_PAGE) ||
	       api_is(n, AK_DAX_TEST);
}

/* the calls F makes: a sign of DAX inodes in WHY */
static int calls_show_dax(struct fn *f, char *why, size_t size)
{
	int k, n;
	const struct fcall *fc = fn_calls(f, &n);
	for (k = 0; k < n; k++) {
		struct fn *c = fc[k].callee;
		enum call_kind kind = call_kind_of(fc[k].id);
		const char *name;

		/* a call of a function this unit defines is its own code
		   (fs/dax.c implementing the API), not a use */
		if (c && !c->stub)
			continue;
		name = id_str(fc[k].id);
		if ((is_fsdax_call(name) ||
		     kind == CK_BUSY_PAGE || kind == CK_BREAK_LAYOUTS ||
		     (c && (c->scans || (c->ubl & UBL_BREAKS)))) &&
		    line_calls(fc[k].insn->pos, name)) {
			snprintf(why, size, "%s() calls %s()", f->name, name);
			return 1;
		}
		/* a unit of the filesystem that shows DAX inodes (a callee
		   here is another unit's, by the test above) */
		if (c && (c->ubl & UBL_DAXFS) && fn_same_dir(c, f)) {
			snprintf(why, size,
				 "%s() calls %s(), whose unit has DAX inodes",
				 f->name, name);
			return 1;
		}
	}
	return 0;
}

/* F is the .writepages of one of the unit's page-cache aops */
static int pagecache_writepages(struct fn *f, struct optable *tabs, int ntabs)
{
	int i;

	for (i = 0; i < ntabs; i++) {
		struct ident *wp;

		if (daxfs_is_aops(&tabs[i]) &&
		    aops_pagecache(&tabs[i], &wp) && wp &&
		    fn_in_stream(wp, tabs[i].sym->pos.stream) == f)
			return 1;
	}
	return 0;
}

/* the directory's record: another unit of it showed DAX inodes */
static int dir_shows_dax(struct fn **fns, int nfns, char *why, size_t size)
{
	const char *file = fn_unit_file(fns, nfns);
	char name[4200];
	struct fn *d;

	if (!summary_db_active() || !file)
		return 0;
	summary_db_dir_record(file, name, sizeof(name));
	d = summary_db_lookup(built_in_ident(name));
	if (!d || !(d->ubl & UBL_DAXFS))
		return 0;
	snprintf(why, size, "%s, of the same directory, shows DAX inodes",
		 summary_db_rel(d->stub_file));
	return 1;
}

int unit_shows_dax(struct fn **fns, int nfns, char *why, size_t size,
		   unsigned flags)
{
	struct optable *tabs;
	int i, ntabs;

	tabs = optables(&ntabs);
	for (i = 0; i < ntabs; i++) {
		struct ident *wp;

		if (!daxfs_is_aops(&tabs[i]) || aops_pagecache(&tabs[i], &wp))
			continue;
		if (wp && reaches_wb(fn_in_stream(wp, tabs[i].sym->pos.stream),
				     0)) {
			snprintf(why, size, "%s is a DAX aops",
				 id_str(tabs[i].sym->ident));
			return 1;
		}
	}
	for (i = 0; i < nfns; i++) {
		struct fn *f = fns[i];
		struct basic_block *bb;
		struct instruction *insn;

		if (f->is_inline)
			continue;
		if ((flags & DAXFS_NO_DIVERT) &&
		    pagecache_writepages(f, tabs, ntabs))
			continue;
		if (calls_show_dax(f, why, size))
			return 1;
		FOR_EACH_PTR(f->ep->bbs, bb) {
			FOR_EACH_PTR(bb->insns, insn) {
				if (!insn->bb || insn->pos.stream != f->stream)
					continue;
				if (insn->opcode == OP_INLINED_CALL) {
					struct ident *id = insn_call_name(insn);

					if (id && is_fsdax_call(show_ident(id)) &&
					    line_calls(insn->pos, show_ident(id))) {
						snprintf(why, size,
							 "%s() calls %s()",
							 f->name, show_ident(id));
						return 1;
					}
				}
				if (dax_flag_test(insn)) {
					snprintf(why, size,
						 "%s() tests IS_DAX() at line %d",
						 f->name, insn->pos.line);
					return 1;
				}
			} END_FOR_EACH_PTR(insn);
		} END_FOR_EACH_PTR(bb);
	}
	return !(flags & DAXFS_OWN) && dir_shows_dax(fns, nfns, why, size);
}

void daxfs_tell_directory(struct fn **fns, int nfns)
{
	char why[256];

	if (summary_db_writing() && !summary_db_unit_dax_told())
		summary_db_unit_dax(unit_shows_dax(fns, nfns, why, sizeof(why),
						   DAXFS_OWN |
						   DAXFS_NO_DIVERT));
}
