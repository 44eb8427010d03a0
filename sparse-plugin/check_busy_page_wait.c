// SPDX-License-Identifier: GPL-2.0
/*
 * check_busy_page_wait.c - after dax_layout_busy_page() returns a page the
 * caller waits with the fault lock dropped and repeats the lookup.
 *
 *  - a sleep (schedule(), wait_var_event()'s schedule, a helper of this
 *    unit that sleeps without dropping the lock first) reached with the
 *    fault lock held, in a function that looks busy pages up: deadlock
 *    against the faulting task;
 *  - a lookup that waits and is not inside a loop (do/while, goto again)
 *    of its function, unless the function sets a retry flag for callers
 *    that loop on it (the pattern of xfs_break_dax_layouts; a caller that
 *    does not loop is reported at the call);
 *  - a loop whose exit test reads a retry flag that only the wait command
 *    sets: the lookup is repeated only if the wait slept (b1f382178d15);
 *  - 6.15's generic layout break (the table's dax-break rows) loops itself
 *    and sleeps in its callback: a callback of the unit that sleeps with
 *    the lock or does not take it back, a break without a callback (it
 *    fails with -ERESTARTSYS instead of waiting) that is not retried, a
 *    result thrown away (__must_check).
 */
#include "daxlint.h"

/* a single lookup that hands a retry flag (*retry = true) to its callers */
static int flag_wrapper(struct fn *f)
{
	int k;

	if (!f->calls_busy || !fn_sets_flag(f))
		return 0;
	for (k = 0; k < f->nev; k++)
		if (f->ev[k].kind == CK_BUSY_PAGE && !f->ev[k].inlined &&
		    !ev_in_loop(f, &f->ev[k]))
			return 1;
	return 0;
}

/* does F itself store a non-zero constant into its local S? */
static int sets_local(struct fn *f, struct symbol *s)
{
	struct basic_block *bb;
	struct instruction *insn;

	FOR_EACH_PTR(f->ep->bbs, bb) {
		FOR_EACH_PTR(bb->insns, insn) {
			if (insn->bb && insn->opcode == OP_STORE &&
			    insn->src && insn->src->type == PSEUDO_SYM &&
			    insn->src->sym == s && insn->target &&
			    insn->target->type == PSEUDO_VAL &&
			    insn->target->value)
				return 1;
		} END_FOR_EACH_PTR(insn);
	} END_FOR_EACH_PTR(bb);
	return 0;
}

/* is the value P computed from a load of the local S? */
static int reads_local(pseudo_t p, struct symbol *s, int depth)
{
	struct instruction *d;
	pseudo_t src;

	if (!p || depth > 8)
		return 0;
	if (p->type == PSEUDO_PHI)
		return p->def && reads_local(p->def->phi_src, s, depth + 1);
	if (p->type != PSEUDO_REG || !(d = p->def))
		return 0;
	if (d->opcode == OP_LOAD)
		return d->src && d->src->type == PSEUDO_SYM && d->src->sym == s;
	if (d->opcode == OP_PHI) {
		FOR_EACH_PTR(d->phi_list, src) {
			if (src != VOID && reads_local(src, s, depth + 1))
				return 1;
		} END_FOR_EACH_PTR(src);
		return 0;
	}
	if (d->opcode == OP_SEL)
		return reads_local(d->src1, s, depth + 1) ||
		       reads_local(d->src2, s, depth + 1) ||
		       reads_local(d->src3, s, depth + 1);
	if ((d->opcode >= OP_BINARY && d->opcode <= OP_BINARY_END) ||
	    (d->opcode >= OP_BINCMP && d->opcode <= OP_BINCMP_END))
		return reads_local(d->src1, s, depth + 1) ||
		       reads_local(d->src2, s, depth + 1);
	if ((d->opcode >= OP_UNOP && d->opcode <= OP_UNOP_END) ||
	    d->opcode == OP_COPY)
		return reads_local(d->src, s, depth + 1);
	return 0;
}

/* does a loop of F decide whether to go round again on the local S? */
static int loop_tests(struct fn *f, struct symbol *s)
{
	struct basic_block *bb;
	struct instruction *br;

	FOR_EACH_PTR(f->ep->bbs, bb) {
		br = last_instruction(bb->insns);
		if (br && br->bb && br->opcode == OP_CBR &&
		    bb_in_loop(f, bb) && reads_local(br->cond, s, 0))
			return 1;
	} END_FOR_EACH_PTR(bb);
	return 0;
}

/*
 * The retry flag F's loop tests is set only by a helper it hands the flag
 * to (the wait command: "I slept"), never by F when it finds a page: the
 * lookup is not repeated when the page went idle without a sleep
 * (b1f382178d15).
 */
static int retry_only_if_slept(struct fn *f)
{
	int k;

	for (k = 0; k < f->nev; k++) {
		struct event *e = &f->ev[k];
		pseudo_t a;

		/*
		 * a wait command that says "I slept", not a scanner that sets
		 * the flag when it finds a page (xfs_break_dax_layouts)
		 */
		if (e->kind != CK_NONE || !e->callee ||
		    !fn_sets_flag(e->callee) || !fn_waits(e->callee, 0) ||
		    e->callee->scans)
			continue;
		FOR_EACH_PTR(e->insn->arguments, a) {
			if (a->type == PSEUDO_SYM && !sets_local(f, a->sym) &&
			    loop_tests(f, a->sym))
				return 1;
		} END_FOR_EACH_PTR(a);
	}
	return 0;
}

/*
 * The callback argument of a layout break: the parameter of the declared
 * function that is a function (or a pointer to one); NULL if none.
 */
static pseudo_t break_callback(struct instruction *call)
{
	struct symbol *fn, *arg;
	int i = 0;

	if (!call->func || call->func->type != PSEUDO_SYM)
		return NULL;
	fn = peel_node(call->func->sym);
	if (!fn || fn->type != SYM_FN)
		return NULL;
	FOR_EACH_PTR(fn->arguments, arg) {
		struct symbol *t = peel_node(arg);

		if (t && t->type == SYM_PTR)
			t = peel_node(t->ctype.base_type);
		if (t && t->type == SYM_FN)
			return call_arg(call, i);
		i++;
	} END_FOR_EACH_PTR(arg);
	return NULL;
}

/* is the call's value used (by the caller, not only thrown away)? */
static int result_used(struct instruction *call)
{
	return call->target && call->target != VOID &&
	       ptr_list_size((struct ptr_list *)call->target->users);
}

/* a call of the generic layout break (its loop and wait are its own) */
static void on_break(struct fn *f, struct event *e)
{
	const char *name = show_ident(e->name);
	pseudo_t cb = break_callback(e->insn);
	struct fn *w;

	if (!result_used(e->insn)) {
		report(R_BUSY_WAIT, f, report_pos(f, e->insn),
		       "the result of %s() is thrown away (__must_check): it fails while a DAX page is still busy",
		       name);
		return;
	}
	if (!cb || (cb->type == PSEUDO_VAL && !cb->value)) {
		if (!ev_in_loop(f, e))
			report(R_BUSY_WAIT, f, report_pos(f, e->insn),
			       "%s() without a callback returns -ERESTARTSYS while a DAX page is busy and is not retried; drop the locks and start over",
			       name);
		return;
	}
	if (cb->type != PSEUDO_SYM || !cb->sym->ident ||
	    !(w = fn_by_ident(cb->sym->ident)))
		return;
	if (w->sleeps)
		report(R_BUSY_WAIT, f, report_pos(f, e->insn),
		       "its callback %s() sleeps without dropping the fault lock",
		       w->name);
	else if ((w->rel & L_FAULT_EXCL) && !(w->acq & L_FAULT_EXCL) &&
		 fn_waits(w, 0))
		report(R_BUSY_WAIT, f, report_pos(f, e->insn),
		       "its callback %s() drops the fault lock to sleep but does not take it again",
		       w->name);
}

/*
 * Is the fault lock held in F by more than F's own obligation (the lock a
 * scanner is assumed to hold at entry)?  It takes or asserts it, or a
 * caller of the unit hands it over.  The final break of an evicted inode
 * (fs/dax.c) scans and sleeps with no lock: no fault can reach it.
 */
static int shows_lock(struct fn *f)
{
	return f->asserts || f->takes_fault || f->ncallers;
}

static void on_event(struct event_ctx *c)
{
	struct fn *f = c->fn;
	struct event *e = c->ev;
	const struct lstate *st = c->st;

	/* the flag wrapper's caller must loop on the flag */
	if (e->kind == CK_NONE && e->callee && !ev_in_loop(f, e) &&
	    flag_wrapper(e->callee)) {
		report(R_BUSY_WAIT, f, report_pos(f, e->insn),
		       "%s() looks busy pages up once and sets a retry flag; call it until it sets none",
		       e->callee->name);
		return;
	}
	if (!f->calls_busy)
		return;
	if (e->kind == CK_BUSY_PAGE && api_ident_is(e->name, AK_DAX_BREAK)) {
		on_break(f, e);
		return;
	}
	/*
	 * a callee that scans and sleeps with the lock is reported in itself
	 * (its callers, here or in other units, would repeat the finding)
	 */
	if ((e->kind == CK_SLEEP ||
	     (e->kind == CK_NONE && e->callee && e->callee->sleeps &&
	      !e->callee->scans)) &&
	    (st->must & L_FAULT_EXCL) && shows_lock(f)) {
		report(R_BUSY_WAIT, f,
		       call_text_pos(f, report_pos(f, e->insn),
				     show_ident(e->name)),
		       "sleeps in %s() with the fault lock held; the faulting task that must drop the page needs that lock",
		       show_ident(e->name));
		return;
	}
	if (e->kind == CK_BUSY_PAGE && !e->inlined && ev_in_loop(f, e) &&
	    retry_only_if_slept(f)) {
		report(R_BUSY_WAIT, f, report_pos(f, e->insn),
		       "%s() is looked up again only when the wait slept; repeat it until it returns NULL",
		       show_ident(e->name));
		return;
	}
	if (e->kind == CK_BUSY_PAGE && !e->inlined && !ev_in_loop(f, e)) {
		/* callers that loop: on a flag this function sets itself */
		if (f->ncallers && f->nloop_callers == f->ncallers &&
		    fn_sets_flag(f))
			return;
		/*
		 * a retry-flag wrapper: its callers in the unit are checked;
		 * an exported one may have all of them in other units
		 */
		if (flag_wrapper(f) && (f->ncallers || !f->is_static))
			return;
		/*
		 * no wait at all and the page is looked at: the busy page is
		 * handed back as an error, not waited for
		 */
		if (!fn_waits(f, 0) && e->insn->target &&
		    e->insn->target != VOID &&
		    ptr_list_size((struct ptr_list *)e->insn->target->users))
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
