// SPDX-License-Identifier: GPL-2.0
/*
 * ubl_calls.c - unmap-breaks-layouts: what a call of the unit is to the
 * rule.  The unit's functions and their calls (ubl_ui[], filled by
 * ubl_collect_calls()), and whether a call truncates, breaks layouts (its
 * callee's body under the caller's constants, another unit's summary, the
 * lock table's layout break with its reason) or ends the search.  The
 * path walk (ubl_paths.c), the summaries (ubl_summary.c) and the decision
 * (check_unmap_breaks_layouts.c) ask these; they ask none of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ubl.h"

/* the table's truncation primitives, the eviction's one included */
int ubl_is_truncate_prim(const char *n)
{
	return api_is(n, AK_TRUNCATE) || api_is(n, AK_TRUNCATE_FINAL);
}

/* the busy-page scan every layout break is built on (6.15: dax_break_layout*) */
int ubl_is_busy_name(const char *n)
{
	return api_is(n, AK_BUSY_PAGE);
}

/* ---- functions of other units, known by their summaries ----------------- */
/* a function of another unit of the filesystem that may truncate */
int ubl_stub_truncs(struct fn *callee, struct fn *from)
{
	return callee && callee->stub && (callee->ubl & UBL_TRUNCS) &&
	       fn_same_dir(callee, from);
}

/* ---- the unit's functions and calls ------------------------------------ */
struct uinfo *ubl_ui;
int ubl_nui;
long long ubl_break_write;
int ubl_break_write_known;

/* the unit's calls (fn_calls()), with what the rule sees in each */
void ubl_collect_calls(struct uinfo *u)
{
	const struct fcall *fc = fn_calls(u->f, &u->ncalls);
	int k;

	u->calls = calloc(u->ncalls + 1, sizeof(*u->calls));
	for (k = 0; k < u->ncalls; k++) {
		struct call *c = &u->calls[k];

		c->insn = fc[k].insn;
		c->bb = fc[k].bb;
		c->name = strdup(show_ident(fc[k].id));
		c->callee = fc[k].callee;
		if (!c->callee && fc[k].id &&
		    call_kind_of(fc[k].id) == CK_BREAK_LAYOUTS) {
			/* the filesystem's own entry of the table, defined
			 * in another unit: its summarized body decides */
			struct fn *g = summary_db_lookup(fc[k].id);

			if (g && g->stub && (g->ubl & UBL_BODY) &&
			    fn_same_dir(g, u->f))
				c->callee = g;
		}
		c->prim = ubl_is_truncate_prim(c->name) &&
			  line_calls(c->insn->pos, c->name);
		c->strunc = ubl_stub_truncs(c->callee, u->f);
	}
}

/* ---- does a call break layouts? ----------------------------------------- */

/*
 * A function of this filesystem defined in another unit, checked without
 * summaries (a one-pass `make C=2`): declared, not defined here, in a
 * header of the unit's own directory (fuse_i.h, ext4.h ...), not in the
 * kernel's include/.  What it does is unknown, so it may break layouts.
 */
static int unknown_private(struct call *c)
{
	struct symbol *s = c->insn->func->sym, *t;
	const char *a, *b, *sa, *sb;

	if (c->callee || summary_db_active() || !s)
		return 0;
	t = s->ctype.base_type;
	if (!t || t->type != SYM_FN || t->stmt || s->definition)
		return 0;
	a = stream_name(s->pos.stream);
	b = stream_name(c->insn->pos.stream);
	sa = strrchr(a, '/');
	sb = strrchr(b, '/');
	return sa && sb && sa - a == sb - b && !strncmp(a, b, sa - a) &&
	       s->pos.stream != c->insn->pos.stream;
}

/*
 * Does this call break DAX layouts, the caller's parameters being A (NULL:
 * unknown)?  Only a break that truncates nothing itself counts: a call of
 * a function that both breaks and truncates is a truncation.
 */
int ubl_call_breaks(struct call *c, const struct argconsts *a, int depth)
{
	enum call_kind k;

	/*
	 * defined in another unit: its summary says whether it scans; one
	 * that also truncates is no break in its callers, its own paths are
	 * checked (its summary lists what they reach unbroken)
	 */
	if (c->callee && c->callee->stub) {
		int n = c->callee->ubl >> UBL_REASON_SHIFT;
		long long reason;

		if (n && ubl_break_write_known &&
		    const_eval(call_arg(c->insn, n - 1), a, &reason) &&
		    reason == ubl_break_write)
			return 0;	/* its reason parameter: BREAK_WRITE */
		if ((c->callee->ubl & UBL_BODY) && ubl_break_write_known &&
		    call_kind_of(c->insn->func->sym->ident) ==
		    CK_BREAK_LAYOUTS &&
		    const_eval(call_arg(c->insn, 2), a, &reason) &&
		    reason == ubl_break_write)
			return 0;	/* the row's reason: BREAK_WRITE */
		return (c->callee->scans || (c->callee->ubl & UBL_BREAKS)) &&
		       !c->strunc;
	}
	if (unknown_private(c))
		return 1;
	if (c->callee) {
		struct uinfo *cu = ubl_uinfo_of(c->callee);
		struct argconsts ca;

		if (!cu || !cu->breaks || cu->truncs)
			return 0;
		call_argconsts(c->insn, a, &ca);
		if (!ca.known)
			return 1;
		return ubl_fn_breaks_with(cu, &ca, depth + 1);
	}
	if (ubl_is_busy_name(c->name))
		return 1;
	k = call_kind_of(c->insn->func->sym->ident);
	if (k == CK_BUSY_PAGE)
		return 1;
	if (k == CK_BREAK_LAYOUTS) {
		long long reason;

		if (const_eval(call_arg(c->insn, 2), a, &reason) &&
		    reason == ubl_break_write)
			return 0;	/* BREAK_WRITE only recalls leases */
		return 1;
	}
	return 0;
}

/* may U reach a break with its parameters A (branches on them resolved)? */
int ubl_fn_breaks_with(struct uinfo *u, const struct argconsts *a,
		       int depth)
{
	struct fn *f = u->f;
	int *order, n, i, k, found = 0;

	if (depth > 8 || u->visiting || !f->nbbs)
		return 0;
	u->visiting = 1;
	order = malloc((f->nbbs + 1) * sizeof(*order));
	n = fn_blocks_reached(f, a, order);
	/* block by block, in the order a depth-first walk reaches them */
	for (i = 0; i < n && !found; i++)
		for (k = 0; k < u->ncalls && !found; k++)
			if (u->calls[k].bb == order[i] &&
			    ubl_call_breaks(&u->calls[k], a, depth))
				found = 1;
	free(order);
	u->visiting = 0;
	return found;
}

/* ---- the path analysis of one function ----------------------------------- */
/* a call that is a truncation (by property) */
int ubl_call_truncates(struct call *c)
{
	struct uinfo *cu;

	if (c->prim || c->strunc)
		return 1;
	cu = ubl_uinfo_of(c->callee);
	return cu && (cu->freer || cu->truncs);
}

/* a call that ends the search: a truncation primitive or a block-freeing call */
int ubl_call_is_leaf(struct call *c)
{
	struct uinfo *cu = ubl_uinfo_of(c->callee);

	return c->prim || (cu && cu->freer);
}
