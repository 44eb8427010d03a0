// SPDX-License-Identifier: GPL-2.0
/*
 * check_evict_break_final.c - in a filesystem that can have DAX inodes,
 * the .evict_inode path calls dax_break_layout_final() before it
 * truncates the page cache for good with truncate_inode_pages_final()
 * (6.15+): the final break waits until no DAX page of the inode is
 * pinned for DMA; truncating first lets the inode go away under a device
 * still writing to its blocks.  In each translation unit:
 *
 *  - entry points: the functions named .evict_inode in the unit's
 *    super_operations initialisers, and, for a table in another unit, a
 *    function that is not static, is not called in the unit, has exactly
 *    the type of .evict_inode and reaches the final truncation
 *    (ext4_evict_inode, whose table is in super.c);
 *  - the unit shows DAX inodes (daxfs.c: a DAX-shaped aops, a call of
 *    the filesystem-DAX API, a test of the S_DAX bit, or a call into a
 *    unit of the directory that shows them, by its summary);
 *  - a truncation is a call of the table's truncate-final row written in
 *    the unit, or of a function of the unit that reaches one on a path
 *    without the final break of its own; a break is a call of the
 *    break-final row or of a function of the unit that reaches it;
 *  - the page-cache edge of a branch on a plain DAX test (the S_DAX bit,
 *    whatever macro spells it, or a predicate returning it: daxtest.c)
 *    counts as broken: no DAX inode takes it.
 *
 * A truncation reached from an entry point on a path without a break is
 * reported in the entry point, at the call (the primitive, or the helper
 * that makes it).  The same model as cocci/evict-break-final.cocci.
 */
#include <stdio.h>
#include <stdlib.h>

#include "daxlint.h"

static const char *const profiles[] = { "v6.15", NULL };

/* what the rule knows of each function of the unit (by fn_index()) */
struct efb {
	struct fn *f;
	int truncs;		/* reaches the final truncation */
	int breaks;		/* reaches the final break */
	int entry;		/* an .evict_inode */
	int ncallers;		/* calls from other functions of the unit */
	int state;		/* exposing(): 0 not yet, 1 busy, 2 done */
	const struct fcall *exposed;	/* first unbroken truncation */
};

static struct efb *ei;
static int nei;
static char evidence[256];

static void on_symbol(struct symbol *sym)
{
	if (rule_enabled[R_EVICT_FINAL])
		optable_note(sym);
}

static struct efb *efb_of(struct fn *f)
{
	int i = f ? fn_index(f) : -1;

	return i >= 0 && i < nei && ei[i].f == f ? &ei[i] : NULL;
}

/* the name of the table's first row of kind K (for messages) */
static const char *row_name(enum api_kind k)
{
	int i;

	for (i = 0; i < API_NROWS; i++)
		if (api_rows[i].kind == k)
			return api_rows[i].name;
	return "?";
}

static int is_prim(const struct fcall *c, enum api_kind k)
{
	return api_ident_is(c->id, k) &&
	       line_calls(c->insn->pos, show_ident(c->id));
}

static const struct fcall *exposing(struct efb *u);

/* a function of another unit of FROM's directory, with summary bit BIT */
static int stub_has(const struct fcall *c, struct fn *from, int bit)
{
	return c->callee && c->callee->stub && (c->callee->ubl & bit) &&
	       fn_same_dir(c->callee, from);
}

/* the call truncates for good on a path of its own without a break */
static int call_truncates(const struct fcall *c, struct fn *from)
{
	struct efb *cu;

	if (is_prim(c, AK_TRUNCATE_FINAL) || stub_has(c, from, EFB_TRUNCS))
		return 1;
	cu = efb_of(c->callee);
	return cu && cu->truncs && exposing(cu) != NULL;
}

static int call_breaks(const struct fcall *c, struct fn *from)
{
	struct efb *cu;

	if (is_prim(c, AK_BREAK_FINAL) || stub_has(c, from, EFB_BREAKS))
		return 1;
	cu = efb_of(c->callee);
	return cu && cu->breaks;
}

/*
 * The edge from block P (ending in LAST) to CHILD only page-cache inodes
 * take: the other side of a plain DAX test
 */
static int page_cache_edge(struct instruction *last,
			   struct basic_block *child)
{
	unsigned dep;

	if (!last || last->opcode != OP_CBR || last->bb_true == last->bb_false)
		return 0;
	dep = dax_dep(last->cond);
	if (!(dep & DEP_PURE) || ((dep & DEP_POS) && (dep & DEP_NEG)))
		return 0;
	return child == ((dep & DEP_POS) ? last->bb_false : last->bb_true);
}

/*
 * The first truncation of U reached on a path without a break (NULL:
 * none).  Over the blocks, a forward "broken on every path" dataflow:
 * 2 not reached yet, 1 broken, 0 maybe not.
 */
static const struct fcall *exposing(struct efb *u)
{
	struct fn *f = u->f;
	const struct fcall *calls, *found = NULL;
	int n, nb = f->nbbs, b, k, entry, changed = 1, rounds = 0;
	char *in;
	int *first;

	if (u->state == 2)
		return u->exposed;
	if (u->state == 1)
		return NULL;		/* a cycle exposes nothing by itself */
	u->state = 1;
	calls = fn_calls(f, &n);
	in = malloc(nb + 1);
	first = calloc(nb + 2, sizeof(*first));
	for (b = 0; b < nb; b++)
		in[b] = 2;
	/* calls are block by block in fn->bbs order: each block's range */
	for (k = 0; k < n; k++)
		first[calls[k].bb + 1]++;
	for (b = 0; b < nb; b++)
		first[b + 1] += first[b];
	entry = (int)(long)f->ep->entry->bb->priv - 1;
	if (entry >= 0 && entry < nb)
		in[entry] = 0;
	while (changed && rounds++ < 4 * nb + 8) {
		changed = 0;
		for (b = 0; b < nb; b++) {
			struct basic_block *child;
			struct instruction *last;
			char s = in[b];

			if (s == 2)
				continue;
			for (k = first[b]; k < first[b + 1]; k++)
				if (call_breaks(&calls[k], f))
					s = 1;
			last = last_instruction(f->bbs[b].bb->insns);
			FOR_EACH_PTR(f->bbs[b].bb->children, child) {
				int ci = (int)(long)child->priv - 1;
				char e = page_cache_edge(last, child) ? 1 : s;

				if (ci < 0 || ci >= nb)
					continue;
				if (e < in[ci]) {
					in[ci] = e;
					changed = 1;
				}
			} END_FOR_EACH_PTR(child);
		}
	}
	/* within a block, a break covers the calls after it */
	for (b = 0; b < nb; b++) {
		char s = in[b];

		if (s == 2)
			continue;
		for (k = first[b]; k < first[b + 1]; k++) {
			const struct fcall *c = &calls[k];

			if (!s && call_truncates(c, f) &&
			    (!found || c->insn->pos.line < found->insn->pos.line))
				found = c;
			if (call_breaks(c, f))
				s = 1;
		}
	}
	free(in);
	free(first);
	u->exposed = found;
	u->state = 2;
	return found;
}

/* a function of the unit that reaches a call of the primitive K */
static int fixed_point(int is_break)
{
	int i, k, n, any = 0, changed = 1;

	while (changed) {
		changed = 0;
		for (i = 0; i < nei; i++) {
			const struct fcall *c = fn_calls(ei[i].f, &n);
			int *v = is_break ? &ei[i].breaks : &ei[i].truncs;

			if (*v)
				continue;
			for (k = 0; k < n && !*v; k++) {
				struct efb *cu = efb_of(c[k].callee);

				if (is_prim(&c[k], is_break ? AK_BREAK_FINAL :
						       AK_TRUNCATE_FINAL) ||
				    stub_has(&c[k], ei[i].f, is_break ?
					     EFB_BREAKS : EFB_TRUNCS) ||
				    (cu && cu != &ei[i] &&
				     (is_break ? cu->breaks : cu->truncs)))
					*v = changed = any = 1;
			}
		}
	}
	return any;
}

static void find_entries(void)
{
	struct symbol *type = member_fn_type("super_operations",
					     "evict_inode");
	struct optable *tabs;
	int i, k, n, ntabs;

	for (i = 0; i < nei; i++) {
		const struct fcall *c = fn_calls(ei[i].f, &n);

		for (k = 0; k < n; k++) {
			struct efb *cu = efb_of(c[k].callee);

			if (cu && cu != &ei[i])
				cu->ncallers++;
		}
	}
	/* a table of another unit names it: its type, nobody calls it */
	for (i = 0; i < nei; i++) {
		struct fn *f = ei[i].f;

		if (type && !f->is_static && !f->is_inline && ei[i].truncs &&
		    !ei[i].ncallers &&
		    same_fn_type(f->sym->ctype.base_type, type))
			ei[i].entry = 1;
	}
	tabs = optables(&ntabs);
	for (i = 0; i < ntabs; i++) {
		if (!ident_is(tabs[i].tag, "super_operations"))
			continue;
		for (k = 0; k < tabs[i].nent; k++) {
			struct efb *u;

			if (!ident_is(tabs[i].ent[k].member, "evict_inode"))
				continue;
			u = efb_of(fn_in_stream(tabs[i].ent[k].fn,
						tabs[i].sym->pos.stream));
			if (u)
				u->entry = 1;
		}
	}
}

static void on_unit(struct fn **fns, int nfns)
{
	int i, any = 0;

	if (!rule_enabled[R_EVICT_FINAL] || !profile_is(profiles) || !nfns)
		return;
	daxfs_tell_directory(fns, nfns);
	nei = nfns;
	ei = calloc(nei, sizeof(*ei));
	for (i = 0; i < nei; i++)
		ei[i].f = fns[i];
	if (fixed_point(0) | summary_db_writing()) {
		fixed_point(1);
		find_entries();
		for (i = 0; i < nei; i++)
			any |= ei[i].entry && ei[i].truncs;
	}
	/* what the directory's other units learn of the unit's exported
	   functions: they reach the final break, or a final truncation
	   without it (a helper of another file, by what it does) */
	for (i = 0; summary_db_writing() && i < nei; i++) {
		struct fn *f = ei[i].f;

		if (f->is_static || f->is_inline)
			continue;
		if (ei[i].breaks)
			f->ubl |= EFB_BREAKS;
		if (ei[i].truncs && exposing(&ei[i]))
			f->ubl |= EFB_TRUNCS;
	}
	if (any && unit_shows_dax(fns, nfns, evidence, sizeof(evidence), 0)) {
		for (i = 0; i < nei; i++) {
			const struct fcall *c;
			const char *via;

			if (!ei[i].entry || !(c = exposing(&ei[i])))
				continue;
			via = is_prim(c, AK_TRUNCATE_FINAL) ? NULL :
			      show_ident(c->id);
			report(R_EVICT_FINAL, ei[i].f,
			       report_pos(ei[i].f, c->insn),
			       "%s() truncates the page cache for good%s%s%s "
			       "on a path without %s() before it: a DAX page "
			       "still pinned for DMA outlives the inode (DAX "
			       "inodes: %s)",
			       row_name(AK_TRUNCATE_FINAL),
			       via ? " (through " : "", via ? via : "",
			       via ? "())" : "", row_name(AK_BREAK_FINAL),
			       evidence);
		}
	}
	free(ei);
	ei = NULL;
	nei = 0;
}

void check_evict_break_final_init(void)
{
	register_macro_hook(dax_flag_note);
	daxfs_watch();
	optable_watch("super_operations");
	register_sym_hook(on_symbol);
	register_unit_hook(on_unit);
}
