// SPDX-License-Identifier: GPL-2.0
/*
 * check_busy_page_wait.c - after dax_layout_busy_page() returns a page the
 * caller waits with the fault lock dropped and repeats the lookup.
 *
 *  - a sleep (schedule(), wait_var_event()'s schedule, a helper of this
 *    unit that sleeps without dropping the lock first) reached with the
 *    fault lock held, in a function that looks busy pages up: deadlock
 *    against the faulting task;
 *  - a lookup that is not inside a loop (do/while, goto again) of its
 *    function and whose function is not called in a loop by its callers
 *    in this unit (the retry-flag pattern of xfs_break_dax_layouts).
 */
#include "daxlint.h"

static void on_event(struct event_ctx *c)
{
	struct fn *f = c->fn;
	struct event *e = c->ev;
	const struct lstate *st = c->st;

	if (!f->calls_busy)
		return;
	if ((e->kind == CK_SLEEP ||
	     (e->kind == CK_NONE && e->callee && e->callee->sleeps)) &&
	    (st->must & L_FAULT_EXCL)) {
		report(R_BUSY_WAIT, f, report_pos(f, e->insn),
		       "sleeps in %s() with the fault lock held; the faulting task that must drop the page needs that lock",
		       show_ident(e->name));
		return;
	}
	if (e->kind == CK_BUSY_PAGE && !e->inlined && !ev_in_loop(f, e)) {
		if (f->ncallers && f->nloop_callers == f->ncallers)
			return;
		if (!f->ncallers && wrapper_name(f) && f->is_static == 0 &&
		    f->sets_retry)
			return;
		report(R_BUSY_WAIT, f, report_pos(f, e->insn),
		       "%s() is looked up once; repeat it until it returns NULL",
		       show_ident(e->name));
	}
}

void check_busy_page_wait_init(void)
{
	register_event_hook(on_event);
}
