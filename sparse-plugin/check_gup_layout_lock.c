// SPDX-License-Identifier: GPL-2.0
/*
 * check_gup_layout_lock.c - v7 only: the gup page-table walkers
 * (follow_page_mask, gup_pgd_range) run between dax_layout_lock() and
 * dax_layout_unlock() of the same function; every section is closed on
 * every path; nothing that sleeps runs inside a section (it is an RCU
 * read-side section).  dax_layout_lock() is a static inline, so sparse sees
 * its inlined body (rcu_read_lock) and an inlined-call marker: both count.
 */
#include <stdlib.h>
#include <string.h>

#include "daxlint.h"

static int enabled_for_unit(struct fn *f)
{
	const char *p = getenv("DAXLINT_SPARSE_PROFILE");
	static struct ident *dll;

	if (p && *p)
		return !strcmp(p, "v7");
	if (!dll)
		dll = built_in_ident("dax_layout_lock");
	(void)f;
	/* a v7 tree declares dax_layout_lock() */
	return dll->symbols != NULL;
}

static int has_layout_lock(struct fn *f)
{
	return f->uses_layout_lock;
}

static int sleeps(struct event_ctx *c)
{
	struct event *e = c->ev;
	long long gfp;

	switch (e->kind) {
	case CK_SLEEP:
	case CK_WAKE_SLEEP:
		return 1;
	case CK_ALLOC:
		/* __GFP_DIRECT_RECLAIM */
		if (value_const(call_arg(e->insn, 1), c->st, c->fn, &gfp))
			return (gfp & 0x400) != 0;
		return 0;
	default:
		return e->kind == CK_NONE && e->callee && e->callee->sleeps;
	}
}

static void on_event(struct event_ctx *c)
{
	struct fn *f = c->fn;
	struct event *e = c->ev;

	if (!enabled_for_unit(f))
		return;
	if (e->kind == CK_GUP_WALK && !(c->st->must & L_LAYOUT)) {
		report(R_GUP, f, report_pos(f, e->insn),
		       "%s() outside a dax_layout_lock() section",
		       show_ident(e->name));
		return;
	}
	if ((c->st->must & L_LAYOUT) && has_layout_lock(f) && sleeps(c))
		report(R_GUP, f, report_pos(f, e->insn),
		       "%s() may sleep inside a dax_layout_lock() (RCU) section",
		       show_ident(e->name));
}

static void on_ret(struct event_ctx *c)
{
	struct fn *f = c->fn;

	if (!enabled_for_unit(f) || !has_layout_lock(f))
		return;
	if ((c->st->may & L_LAYOUT) && c->st->layout_site)
		report(R_GUP, f, report_pos(f, c->st->layout_site),
		       "dax_layout_lock() section not closed on every path to return");
}

void check_gup_layout_lock_init(void)
{
	register_event_hook(on_event);
	register_ret_hook(on_ret);
}
