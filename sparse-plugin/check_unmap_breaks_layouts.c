// SPDX-License-Identifier: GPL-2.0
/*
 * check_unmap_breaks_layouts.c - in a filesystem that has DAX inodes, every
 * path of an operation that takes blocks away from a file (.setattr,
 * .fallocate, the destination of .remap_file_range / .clone_file_range /
 * .dedupe_file_range) breaks DAX layouts before it truncates the page cache
 * or frees blocks.  In each translation unit:
 *
 *  - entry points: the functions named in the unit's inode_operations
 *    (.setattr) and file_operations initialisers, and, for tables that live
 *    in another unit, a function that is not static, is not called in this
 *    unit and has exactly the type of .setattr / .fallocate / .remap_file_range
 *    (ext2_setattr, ext4_setattr, ext4_fallocate);
 *  - the unit shows DAX inodes: it defines a DAX-shaped
 *    address_space_operations (.writepages reaching
 *    dax_writeback_mapping_range() and no page-cache operation; names are
 *    not looked at), or calls the filesystem-DAX API (the API table's
 *    fsdax, busy-page and dax-test rows) or a layout break, or
 *    tests IS_DAX() (the S_DAX bit of struct inode's i_flags) -- each
 *    written in the unit's own text -- or calls a function of another unit
 *    of its directory whose unit does;
 *  - a truncation is a call, written in the unit, of truncate_pagecache*(),
 *    truncate_inode_pages*(), truncate_setsize(), of the unit's own
 *    block-freeing routine (the function called right after
 *    truncate_setsize(I, X) / truncate_pagecache(I, X) with the same I and
 *    X), or of a function of the unit (or of another unit of the
 *    directory, by its summary) that (transitively) calls one;
 *  - a break is a call of dax_layout_busy_page*() or of a layout-break
 *    function: a function of the unit that may reach the busy-page scan and
 *    truncates nothing (its summary; a reason argument is followed into its
 *    switch, so BREAK_WRITE is no break), or xfs_break_layouts() with a
 *    reason other than BREAK_WRITE (the lock table's layout break); the
 *    filesystems' wrappers (ext4_break_layouts, fuse_dax_break_layouts,
 *    xfs_break_dax_layouts) are such functions of their units, known
 *    elsewhere by their summaries;
 *  - a path that passes a branch on a DAX test (the S_DAX bit of an
 *    inode's i_flags, dax_mapping(), a function returning one: never a
 *    name) whose DAX side leads to a break (if (IS_DAX(inode) && x) {
 *    ...break... }, a flag computed from IS_DAX()) counts as broken, and the non-DAX side of a branch on a
 *    plain DAX test (if (!IS_DAX(inode)) ..., the else of if (IS_DAX(..)),
 *    the rest after if (IS_DAX(src) || IS_DAX(dst)) goto out; up to out:)
 *    sees only page-cache inodes: the same model as the Coccinelle rule;
 *  - .setattr counts along its size change only: a path that took the side
 *    of a test of ATTR_SIZE on which the bit is set, in the entry point or
 *    in a helper on the way.
 *
 * From the entry points, calls of truncating functions reached without a
 * break are followed; a truncation primitive or block-freeing call reached
 * without a break is reported in the function that makes it.  Functions of
 * other units of the directory are known by their summaries (summary_db.c):
 * whether they truncate or break, and the truncations their entry reaches
 * without a break, reported where they are.  This unit's exported
 * functions get such summaries for the others.
 *
 * This file holds the rule's decision and its findings: the entry points,
 * the block-freeing routine, the unit's fixed points, the findings.  The
 * rest of the rule:
 *  - ubl_calls.c: the unit's functions and calls, and what a call is (a
 *    truncation, a break, the end of the search);
 *  - ubl_paths.c: the path states inside a function (broken yet? the
 *    ATTR_SIZE side taken? which edges a DAX test covers) and the walk
 *    from the entry points through the truncating functions;
 *  - ubl_summary.c: across units, what this unit's summaries say and the
 *    truncations another unit's summary lists;
 *  - ubl.h: what the four share.
 * What it asks the engine: the callee of a call and a function's place
 * (fntable.c), the unit's tables (optable.c), function types (types.c),
 * whether the unit shows DAX inodes (daxfs.c), whether a value is a DAX
 * test and its polarity (daxtest.c, which reads S_DAX through
 * macroval.c), constants under known parameters and the blocks they let
 * a path reach (constval.c, cfg.c), what a line of the text calls or
 * names (srctext.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ubl.h"

/* ---- the operations that take blocks away ----------------------------- */
enum entry_op { E_SETATTR, E_FALLOCATE, E_REMAP, E_CLONE, E_DEDUPE, E_NR };

static const struct {
	const char *table;	/* struct tag of the table */
	const char *member;
} entry_ops[E_NR] = {
	[E_SETATTR] = { "inode_operations", "setattr" },
	[E_FALLOCATE] = { "file_operations", "fallocate" },
	[E_REMAP] = { "file_operations", "remap_file_range" },
	[E_CLONE] = { "file_operations", "clone_file_range" },
	[E_DEDUPE] = { "file_operations", "dedupe_file_range" },
};

/* the tables of the unit (optable.c) */
static void on_symbol(struct symbol *sym)
{
	if (rule_enabled[R_UNMAP_BREAKS])
		optable_note(sym);
}

/* the operation a table's member is: 1 + enum entry_op, 0: none */
static int entry_of(const struct optable *t, const struct opentry *e)
{
	int k;

	for (k = 0; k < E_NR; k++)
		if (ident_is(t->tag, entry_ops[k].table) &&
		    ident_is(e->member, entry_ops[k].member))
			return 1 + k;
	return 0;
}

static char evidence[256];	/* how the unit shows DAX inodes */

/* ---- the unit ------------------------------------------------------------- */
static int same_value(pseudo_t a, pseudo_t b)
{
	struct instruction *da, *db;

	if (a == b)
		return 1;
	if (!a || !b || a->type != PSEUDO_REG || b->type != PSEUDO_REG)
		return same_obj(a, b);
	da = a->def;
	db = b->def;
	if (da && db && da->opcode == OP_LOAD && db->opcode == OP_LOAD &&
	    da->offset == db->offset)
		return same_obj(da->src, db->src);
	return same_obj(a, b);
}

/* truncate_setsize(I, X); freer(I, X, ...): the block-freeing routine */
static void find_freers(struct uinfo *u)
{
	int k;

	for (k = 0; k + 1 < u->ncalls; k++) {
		struct call *t = &u->calls[k], *n = &u->calls[k + 1];
		struct uinfo *nu;

		/* a truncation to a size (the table's truncate-size rows) */
		if (!t->prim || !api_is(t->name, AK_TRUNCATE_SIZE))
			continue;
		if (n->bb != t->bb || !(nu = ubl_uinfo_of(n->callee)))
			continue;
		if (same_value(call_arg(t->insn, 0), call_arg(n->insn, 0)) &&
		    same_value(call_arg(t->insn, 1), call_arg(n->insn, 1)))
			nu->freer = 1;
	}
}

static int cmp_calls_pos(const void *a, const void *b)
{
	const struct call *x = *(const struct call * const *)a;
	const struct call *y = *(const struct call * const *)b;

	if (x->insn->pos.line != y->insn->pos.line)
		return (int)x->insn->pos.line - (int)y->insn->pos.line;
	return (int)x->insn->pos.pos - (int)y->insn->pos.pos;
}

static int cmp_entries(const void *a, const void *b)
{
	const struct uinfo *x = *(const struct uinfo * const *)a;
	const struct uinfo *y = *(const struct uinfo * const *)b;

	return strcmp(x->f->name, y->f->name);
}

/* ---- findings ------------------------------------------------------------- */
static const char *op_text(struct uinfo *top)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), ".%s%s", entry_ops[top->entry - 1].member,
		 top->by_type ? ", by its type" : "");
	return buf;
}

static void report_unit(void)
{
	struct xleaf *xleaves;
	int nxleaves;
	struct uinfo **roots = calloc(ubl_nui + 1, sizeof(*roots));
	int *s0 = calloc(ubl_nui + 1, sizeof(*s0));
	int nroots = 0, i, k, j;

	for (i = 0; i < ubl_nui; i++)
		if (ubl_ui[i].entry && !ubl_ui[i].f->is_inline)
			roots[nroots++] = &ubl_ui[i];
	qsort(roots, nroots, sizeof(*roots), cmp_entries);
	/* only .setattr's size change takes blocks away: it starts unsized */
	for (i = 0; i < nroots; i++)
		s0[i] = roots[i]->entry - 1 != E_SETATTR;
	ubl_reach(roots, s0, nroots);
	ubl_xleaves_reset();
	for (i = 0; i < ubl_nui; i++) {
		struct uinfo *u = &ubl_ui[i], *top;
		struct call **leaves;
		char chain[1024], more[512] = "";
		int s = ubl_best_state(u), nleaves = 0;
		size_t len = 0;

		if (!u->reached_in || !u->unb)
			continue;
		ubl_chain_text(u, s, chain, sizeof(chain));
		top = ubl_chain_head(u, s);
		leaves = calloc(u->ncalls + 1, sizeof(*leaves));
		for (k = 0; k < u->ncalls; k++) {
			struct call *c = &u->calls[k];

			if (!ubl_counts(u->unb[k], s) && !(c->strunc &&
			    (u->unb[k] & UNB_ANY)))
				continue;
			if (ubl_call_is_leaf(c) && ubl_counts(u->unb[k], s))
				leaves[nleaves++] = c;
			else if (c->strunc)
				ubl_expand_stub(c->callee, u->f,
						s || (u->unb[k] & UNB_SIZED),
						chain, (int)(top - ubl_ui));
		}
		if (nleaves) {
			struct call *first;

			qsort(leaves, nleaves, sizeof(*leaves), cmp_calls_pos);
			first = leaves[0];
			for (k = 1; k < nleaves && len + 64 < sizeof(more); k++)
				len += snprintf(more + len, sizeof(more) - len,
						"%s%s() at line %d",
						k == 1 ? "; also " : ", ",
						leaves[k]->name,
						leaves[k]->insn->pos.line);
			report(R_UNMAP_BREAKS, u->f,
			       report_pos(u->f, first->insn),
			       "%s%s%s reached from %s (%s) without breaking DAX layouts first%s; a device may still be DMAing into those blocks (%s)",
			       !first->prim ? "frees blocks (" : "",
			       first->name, !first->prim ? "())" : "()",
			       chain, op_text(top), more, evidence);
		}
		free(leaves);
	}
	/* truncations of other units: one finding a function, the first */
	xleaves = ubl_xleaves(&nxleaves);
	for (i = 0; i < nxleaves; i = j) {
		char more[512] = "";
		size_t len = 0;

		for (j = i + 1; j < nxleaves &&
		     !strcmp(xleaves[j].file, xleaves[i].file) &&
		     !strcmp(xleaves[j].fn, xleaves[i].fn); j++)
			if (xleaves[j].line != xleaves[j - 1].line &&
			    len + 64 < sizeof(more))
				len += snprintf(more + len, sizeof(more) - len,
						"%s%s() at line %d",
						len ? ", " : "; also ",
						xleaves[j].call, xleaves[j].line);
		report_at(R_UNMAP_BREAKS, xleaves[i].fn, xleaves[i].file,
			  xleaves[i].line, xleaves[i].col,
			  "%s() reached from %s (%s) without breaking DAX layouts first%s; a device may still be DMAing into those blocks (%s)",
			  xleaves[i].call, xleaves[i].chain,
			  op_text(&ubl_ui[xleaves[i].top]), more, evidence);
	}
	free(roots);
	free(s0);
}

/* ---- the unit ------------------------------------------------------------- */
static void reset_unit(void)
{
	int i, k;

	for (i = 0; i < ubl_nui; i++) {
		for (k = 0; k < ubl_ui[i].ncalls; k++)
			free((char *)ubl_ui[i].calls[k].name);
		free(ubl_ui[i].calls);
		free(ubl_ui[i].unb);
	}
	free(ubl_ui);
	ubl_ui = NULL;
	ubl_nui = 0;
}

static void on_unit(struct fn **fns, int nfns)
{
	int debug = opt.ubl_debug;
	int writing = summary_db_writing();
	struct symbol *type[E_NR];
	struct symbol *bw;
	struct optable *tabs;
	int i, k, changed, any_entry = 0, ntabs, nentries = 0, naops = 0;

	if (!rule_enabled[R_UNMAP_BREAKS] || !nfns) {
		reset_unit();
		return;
	}
	tabs = optables(&ntabs);
	ubl_nui = nfns;
	ubl_ui = calloc(ubl_nui, sizeof(*ubl_ui));
	for (i = 0; i < ubl_nui; i++)
		ubl_ui[i].f = fns[i];
	/*
	 * entry points: the unit's tables, then the functions of a table's
	 * type that nothing in the unit calls (cheap tests first: most units
	 * have neither, and then only the summaries for other units are
	 * wanted)
	 */
	for (k = 0; k < E_NR; k++)
		type[k] = member_fn_type(entry_ops[k].table,
					 entry_ops[k].member);
	for (i = 0; i < ubl_nui; i++) {
		struct fn *f = ubl_ui[i].f;

		if (f->is_static || f->is_inline)
			continue;
		for (k = 0; k < E_NR; k++)
			if (type[k] && same_fn_type(f->sym->ctype.base_type,
						    type[k])) {
				ubl_ui[i].entry = 1 + k;
				ubl_ui[i].by_type = 1;
				any_entry = 1;
				break;
			}
	}
	for (i = 0; i < ntabs; i++) {
		naops += daxfs_is_aops(&tabs[i]);
		for (k = 0; k < tabs[i].nent; k++)
			nentries += entry_of(&tabs[i], &tabs[i].ent[k]) != 0;
	}
	if (nentries)
		any_entry = 1;
	if (!any_entry && !writing) {
		reset_unit();
		return;
	}
	any_entry = 0;
	for (i = 0; i < ubl_nui; i++)
		ubl_collect_calls(&ubl_ui[i]);
	for (i = 0; i < ubl_nui; i++)
		for (k = 0; k < ubl_ui[i].ncalls; k++) {
			struct uinfo *cu;

			cu = ubl_uinfo_of(ubl_ui[i].calls[k].callee);

			if (cu && cu != &ubl_ui[i])
				cu->ncallers++;
		}
	for (i = 0; i < ubl_nui; i++) {
		if (ubl_ui[i].by_type && ubl_ui[i].ncallers)
			ubl_ui[i].entry = ubl_ui[i].by_type = 0;
		any_entry |= ubl_ui[i].entry != 0;
	}
	for (i = 0; i < ntabs; i++)
		for (k = 0; k < tabs[i].nent; k++) {
			int op = entry_of(&tabs[i], &tabs[i].ent[k]);
			struct uinfo *u = !op ? NULL :
				ubl_uinfo_of(fn_in_stream(tabs[i].ent[k].fn,
						      tabs[i].sym->pos.stream));

			if (u && (!u->entry || u->by_type)) {
				u->entry = op;
				u->by_type = 0;
				any_entry = 1;
			}
		}
	/* the layout break reason of a write (the table's break-write row) */
	bw = NULL;
	for (i = 0; !bw && i < API_NROWS; i++)
		if (api_rows[i].kind == AK_BREAK_WRITE)
			bw = lookup_symbol(built_in_ident(api_rows[i].name),
					   NS_SYMBOL);
	ubl_break_write = 0;
	ubl_break_write_known = bw && bw->initializer &&
			    bw->initializer->type == EXPR_VALUE;
	if (ubl_break_write_known)
		ubl_break_write = bw->initializer->value;

	/* block-freeing routines, then the functions that truncate */
	for (i = 0; i < ubl_nui; i++)
		find_freers(&ubl_ui[i]);
	for (changed = 1; changed; ) {
		changed = 0;
		for (i = 0; i < ubl_nui; i++) {
			if (ubl_ui[i].truncs)
				continue;
			for (k = 0; k < ubl_ui[i].ncalls; k++) {
				if (ubl_call_truncates(&ubl_ui[i].calls[k])) {
					ubl_ui[i].truncs = 1;
					changed = 1;
					break;
				}
			}
		}
	}
	/* functions that may break layouts (whatever their arguments) */
	for (changed = 1; changed; ) {
		changed = 0;
		for (i = 0; i < ubl_nui; i++) {
			if (ubl_ui[i].breaks)
				continue;
			for (k = 0; k < ubl_ui[i].ncalls; k++) {
				if (ubl_call_breaks(&ubl_ui[i].calls[k], NULL,
						    0)) {
					ubl_ui[i].breaks = 1;
					changed = 1;
					break;
				}
			}
		}
	}
	if (writing) {
		ubl_write_summaries();
		daxfs_tell_directory(fns, nfns);
	}
	if (debug) {
		fprintf(stderr, "ubl: %d functions, %d table entries, %d aops, entries:%s\n",
			ubl_nui, nentries, naops, any_entry ? "" : " none");
		for (i = 0; i < ubl_nui; i++)
			if (ubl_ui[i].entry || ubl_ui[i].truncs || ubl_ui[i].breaks ||
			    ubl_ui[i].freer)
				fprintf(stderr, "ubl:   %s:%s%s%s%s%s%s%s\n",
					ubl_ui[i].f->name,
					ubl_ui[i].entry ? " entry ." : "",
					ubl_ui[i].entry ?
					entry_ops[ubl_ui[i].entry - 1].member : "",
					ubl_ui[i].truncs ? " truncates" : "",
					ubl_ui[i].breaks ? " breaks" : "",
					ubl_ui[i].freer ? " frees-blocks" : "",
					ubl_ui[i].f->ubl_items ? " summary " : "",
					ubl_ui[i].f->ubl_items ?
					ubl_ui[i].f->ubl_items : "");
	}
	if (!any_entry || !unit_shows_dax(fns, nfns, evidence,
					  sizeof(evidence),
					  DAXFS_OWN | DAXFS_NO_DIVERT)) {
		if (debug && any_entry)
			fprintf(stderr, "ubl: no DAX inodes in this unit\n");
		reset_unit();
		return;
	}
	if (debug)
		fprintf(stderr, "ubl: DAX inodes: %s\n", evidence);
	report_unit();
	reset_unit();
}

void check_unmap_breaks_layouts_init(void)
{
	int k;

	register_macro_hook(dax_flag_note);
	daxfs_watch();
	for (k = 0; k < E_NR; k++)
		optable_watch(entry_ops[k].table);
	register_sym_hook(on_symbol);
	register_unit_hook(on_unit);
}
