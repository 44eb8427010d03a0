// SPDX-License-Identifier: GPL-2.0
/*
 * check_gup_layout_lock.c - v7 only: the gup page-table walkers
 * (follow_page_mask, gup_pgd_range) run between dax_layout_lock() and
 * dax_layout_unlock() of the same function; every section is closed on
 * every path; nothing that sleeps runs inside a section (it is an RCU
 * read-side section).  dax_layout_lock() is a static inline, so sparse sees
 * its inlined body (rcu_read_lock) and an inlined-call marker: both count.
 *
 * The sleepers are those INVARIANTS.md lists and their kin (faultin_page,
 * cond_resched, schedule, might_sleep, mutex_lock, down_read, down_write,
 * a GFP_KERNEL allocation), as the build spells them (lockstate.c's call
 * table, inlined helpers included), any rw_semaphore or fault lock taken
 * other than by a trylock, and the functions of the unit that reach one.
 */
#include <stdlib.h>
#include <string.h>

#include "daxlint.h"

static int enabled_for_unit(struct fn *f)
{
	if (opt.profile)
		return !strcmp(opt.profile, "v7");
	(void)f;
	/* a v7 tree declares dax_layout_lock() (the layout-api rows) */
	return layout_api_declared();
}

static int has_layout_lock(struct fn *f)
{
	return f->uses_layout_lock;
}

/* an allocator's GFP argument (0-based), its table row's flag argument */
static int gfp_arg(struct ident *name)
{
	const struct api_row *r = api_ident_row(name, AK_ALLOC);

	return r && r->flags == AF_GFP ? r->flag_arg[0] : 1;
}

/* the enum constant of a gfp-bit-nr row, or -1 */
static long long direct_reclaim_nr(void)
{
	struct symbol *bit;
	unsigned i;

	for (i = 0; i < API_NROWS; i++) {
		if (api_rows[i].kind != AK_GFP_BIT_NR || api_rows[i].family)
			continue;
		bit = lookup_symbol(built_in_ident(api_rows[i].name), NS_SYMBOL);
		if (bit && bit->initializer &&
		    bit->initializer->type == EXPR_VALUE)
			return bit->initializer->value;
	}
	return -1;
}

/*
 * __GFP_DIRECT_RECLAIM, the bit that lets an allocation sleep, as the
 * unit's headers define it (the gfp-bit rows): ___GFP_DIRECT_RECLAIM is
 * 0x400000 in 4.x, 0x400 from 4.20, BIT(___GFP_DIRECT_RECLAIM_BIT) (the
 * gfp-bit-nr rows) from 6.8 on; the row's value when they do not say
 */
static unsigned long long direct_reclaim(void)
{
	unsigned long long fallback = 0;
	unsigned i;

	for (i = 0; i < API_NROWS; i++) {
		const struct api_row *r = &api_rows[i];
		struct symbol *m;
		struct token *t;
		long long nr;

		if (r->kind != AK_GFP_BIT || r->family)
			continue;
		if (!fallback)
			fallback = r->value;
		m = lookup_symbol(built_in_ident(r->name), NS_MACRO);
		t = m ? m->expansion : NULL;
		if (t && !eof_token(t) && token_type(t) == TOKEN_NUMBER)
			return strtoull(t->number, NULL, 0);
		/* BIT(___GFP_DIRECT_RECLAIM_BIT): the enum's value */
		if (t && !eof_token(t) && token_type(t) == TOKEN_IDENT &&
		    (nr = direct_reclaim_nr()) >= 0)
			return 1ULL << nr;
	}
	return fallback;
}

/* does F, a function of the unit, reach a sleeper (through its callees)? */
static int is_sleeper(struct event_ctx *c, struct fn *f, struct event *e,
		      int depth);

static int fn_sleeps(struct event_ctx *c, struct fn *f, int depth)
{
	int i;

	if (f->sleeps)
		return 1;
	if (!f->ev || depth > 6)
		return 0;
	for (i = 0; i < f->nev; i++)
		if (is_sleeper(c, f, &f->ev[i], depth + 1))
			return 1;
	return 0;
}

static int is_sleeper(struct event_ctx *c, struct fn *f, struct event *e,
		      int depth)
{
	long long gfp;
	pseudo_t a;

	switch (e->kind) {
	case CK_SLEEP:
	case CK_WAKE_SLEEP:
		return 1;
	/*
	 * a fault lock is a sleeping lock too; trylocks (the table's trylock
	 * rows: _trylock, xfs_ilock_nowait) do not sleep
	 */
	case CK_RWSEM_WRITE: case CK_RWSEM_READ:
	case CK_INVAL_LOCK: case CK_INVAL_LOCK_SHARED: case CK_INVAL_LOCK_TWO:
	case CK_XFS_ILOCK: case CK_XFS_LOCK_TWO:
		return !api_ident_is(e->name, AK_TRYLOCK);
	case CK_ALLOC:
		/*
		 * a mask with __GFP_DIRECT_RECLAIM: its value on this path
		 * here, a constant in a callee
		 */
		a = call_arg(e->insn, gfp_arg(e->name));
		if (f == c->fn && value_const(a, c->st, c->fn, &gfp))
			return (gfp & direct_reclaim()) != 0;
		if (f != c->fn && a && a->type == PSEUDO_VAL)
			return (a->value & direct_reclaim()) != 0;
		return 0;
	default:
		return e->kind == CK_NONE && e->callee && e->callee != f &&
		       fn_sleeps(c, e->callee, depth);
	}
}

static int sleeps(struct event_ctx *c)
{
	return is_sleeper(c, c->fn, c->ev, 0);
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
