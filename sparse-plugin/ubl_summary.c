// SPDX-License-Identifier: GPL-2.0
/*
 * ubl_summary.c - unmap-breaks-layouts across the units of a directory
 * (a filesystem): what this unit's exported functions tell the others in
 * their summaries (they truncate, with the truncations their entry
 * reaches unbroken; they break layouts, and which parameter is the
 * reason; they are DAX predicates), and the truncations another unit's
 * summary lists, expanded for this unit's findings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ubl.h"

/* ---- truncations of other units, from their summaries ---------------- */
/*
 * A function's summary (summary_db.c) lists what its entry reaches
 * without a break, as ';'-separated items:
 *   L:function:line:column:call:sized:a>b>function
 *	a truncation primitive or block-freeing call of the function's own
 *	unit (its summary's file), reached through a>b>...;
 *   X:callee:sized:a>b>caller
 *	a call of another unit's truncating function (its own summary).
 * sized: the way there took the ATTR_SIZE side of a size test (it counts
 * on every path; otherwise only below a caller that took it).
 */
static struct xleaf *xleaves;
static int nxleaves, xleaves_alloc;

static void chain_arrows(const char *in, char *out, size_t size)
{
	size_t len = 0;

	out[0] = 0;
	while (*in && len + 8 < size) {
		const char *e = strchr(in, '>');
		size_t n = e ? (size_t)(e - in) : strlen(in);

		len += snprintf(out + len, size - len, "%s%.*s()",
				len ? " -> " : "", (int)n, in);
		in += n + (e ? 1 : 0);
	}
}

/* SRC into DST of SIZE bytes, cut if longer */
static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = 0;
}

static void add_xleaf(const char *file, const char *fn, int line, int col,
		      const char *call, const char *chain, int top)
{
	struct xleaf *x;

	if (nxleaves == xleaves_alloc) {
		xleaves_alloc = xleaves_alloc ? 2 * xleaves_alloc : 16;
		xleaves = realloc(xleaves, xleaves_alloc * sizeof(*xleaves));
	}
	x = &xleaves[nxleaves++];
	copy_str(x->file, sizeof(x->file), file);
	copy_str(x->fn, sizeof(x->fn), fn);
	copy_str(x->call, sizeof(x->call), call);
	copy_str(x->chain, sizeof(x->chain), chain);
	x->line = line;
	x->col = col;
	x->top = top;
}

/*
 * The truncations G (another unit's function, called from FROM) reaches
 * unbroken, in state S, the way to G being PREFIX.
 */
static void expand_stub(struct fn *g, struct fn *from, int s,
			const char *prefix, int top, int depth)
{
	char *items, *item, *save = NULL;

	if (depth > 8 || !g->ubl_items || !strcmp(g->ubl_items, "-"))
		return;
	items = strdup(g->ubl_items);
	for (item = strtok_r(items, ";", &save); item;
	     item = strtok_r(NULL, ";", &save)) {
		char fn[128], call[128], chain[1024], arrows[1024], way[2048];
		int line, col, sized;

		if (sscanf(item, "L:%127[^:]:%d:%d:%127[^:]:%d:%1023s", fn,
			   &line, &col, call, &sized, chain) == 6) {
			if (!s && !sized)
				continue;
			chain_arrows(chain, arrows, sizeof(arrows));
			snprintf(way, sizeof(way), "%s -> %s", prefix, arrows);
			add_xleaf(g->stub_file, fn, line, col, call, way, top);
		} else if (sscanf(item, "X:%127[^:]:%d:%1023s", fn, &sized,
				  chain) == 3) {
			struct fn *h = summary_db_lookup(built_in_ident(fn));

			if (!ubl_stub_truncs(h, from))
				continue;
			chain_arrows(chain, arrows, sizeof(arrows));
			snprintf(way, sizeof(way), "%s -> %s", prefix, arrows);
			expand_stub(h, from, s || sized, way, top, depth + 1);
		}
	}
	free(items);
}

static int cmp_xleaf(const void *a, const void *b)
{
	const struct xleaf *x = a, *y = b;
	int r = strcmp(x->file, y->file);

	if (!r)
		r = strcmp(x->fn, y->fn);
	if (!r)
		r = x->line - y->line;
	return r ? r : x->col - y->col;
}

void ubl_xleaves_reset(void)
{
	nxleaves = 0;
}

void ubl_expand_stub(struct fn *g, struct fn *from, int s,
		     const char *prefix, int top)
{
	expand_stub(g, from, s, prefix, top, 0);
}

struct xleaf *ubl_xleaves(int *n)
{
	qsort(xleaves, nxleaves, sizeof(*xleaves), cmp_xleaf);
	*n = nxleaves;
	return xleaves;
}

/* ---- this unit's summaries for the others ---------------------------- */
static void summarize_truncs(struct uinfo *g)
{
	char items[3000] = "", chain[1024], item[1400];
	size_t len = 0;
	int i, k, s0 = 0;

	g->f->ubl |= UBL_TRUNCS;
	ubl_reach(&g, &s0, 1);
	for (i = 0; i < ubl_nui && len < sizeof(items) - 1; i++) {
		struct uinfo *u = &ubl_ui[i];
		int s = ubl_best_state(u);

		if (!u->reached_in || !u->unb)
			continue;
		ubl_chain_build(u, s, chain, sizeof(chain), 0);
		for (k = 0; k < u->ncalls; k++) {
			struct call *c = &u->calls[k];
			int sized = (s && (u->unb[k] & UNB_ANY)) ||
				    (u->unb[k] & UNB_SIZED);
			int n;

			if (!(u->unb[k] & UNB_ANY))
				continue;
			if (ubl_call_is_leaf(c))
				n = snprintf(item, sizeof(item),
					     "L:%s:%d:%d:%s:%d:%s",
					     u->f->name,
					     report_pos(u->f, c->insn).line,
					     report_pos(u->f, c->insn).pos,
					     c->name, sized, chain);
			else if (c->strunc)
				n = snprintf(item, sizeof(item), "X:%s:%d:%s",
					     c->name, sized, chain);
			else
				continue;
			if (n <= 0 || len + n + 2 >= sizeof(items))
				continue;
			len += snprintf(items + len, sizeof(items) - len,
					"%s%s", len ? ";" : "", item);
		}
	}
	free(g->f->ubl_items);
	g->f->ubl_items = strdup(len ? items : "-");
}

/*
 * The parameter of a layout break that is its reason, as a caller of
 * another unit needs it: the one that, given BREAK_WRITE's value, leaves
 * no path to the busy-page scan (UBL_REASON_SHIFT).
 */
static int reason_param(struct uinfo *u)
{
	int n, nargs = ptr_list_size((struct ptr_list *)
				     u->f->sym->ctype.base_type->arguments);
	struct argconsts a;

	if (!ubl_break_write_known)
		return 0;
	for (n = 1; n <= nargs && n <= ARGCONST_MAX; n++) {
		memset(&a, 0, sizeof(a));
		a.v[n - 1] = ubl_break_write;
		a.known = 1u << (n - 1);
		if (!ubl_fn_breaks_with(u, &a, 0))
			return n << UBL_REASON_SHIFT;
	}
	return 0;
}

void ubl_write_summaries(void)
{
	unsigned dep;
	int i;

	for (i = 0; i < ubl_nui; i++) {
		struct fn *f = ubl_ui[i].f;

		/* the primitives themselves (mm/truncate.c) are no news; a
		 * filesystem's own layout-break entry of the table is: what
		 * its body breaks (a wrapper that no longer reaches the scan
		 * must not count as a break in the other units) */
		if (f->is_static || f->is_inline ||
		    ubl_is_truncate_prim(f->name) ||
		    ubl_is_busy_name(f->name))
			continue;
		if (is_api(f)) {
			if (call_kind_of(f->sym->ident) != CK_BREAK_LAYOUTS)
				continue;
			f->ubl |= UBL_BODY;
		}
		if (ubl_ui[i].truncs)
			summarize_truncs(&ubl_ui[i]);
		else if (ubl_ui[i].breaks)
			f->ubl |= UBL_BREAKS | reason_param(&ubl_ui[i]);
		/* a DAX predicate, for the DAX tests of the other units */
		dep = fn_dax_dep(f);
		if (dep & DEP_PURE)
			f->ubl |= (dep & DEP_POS) ? UBL_DAXPRED : UBL_NDAXPRED;
	}
}
