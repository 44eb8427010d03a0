// SPDX-License-Identifier: GPL-2.0
/*
 * summary.c - a function's summary for its callers: the locks it
 * requires at entry, holds and releases at return, whether it sleeps,
 * which parameters are its reason, iolock word and scanned inode, and the
 * locks it asserts.
 */
#include <stdio.h>
#include <string.h>

#include "summary.h"
#include "api.h"
#include "events.h"
#include "fntable.h"
#include "lockobj.h"
#include "lockstate.h"
#include "srctext.h"
#include "value.h"

/*
 * A function whose missing lock is its own fault, not its callers': it
 * takes a fault lock itself (so it must hold it at the call), or it is a
 * static function nobody in the unit calls (an entry point reached through
 * an operations table).  Functions that assert the lock, and those that
 * take none ("wrappers") pass the obligation to their callers; an exported
 * wrapper with no caller in the unit has its callers elsewhere.
 */
int is_top(struct fn *f)
{
	if (f->asserts)
		return 0;
	return f->takes_fault || (f->ncallers == 0 && f->is_static);
}

unsigned req_locks(unsigned req)
{
	unsigned l = 0;

	if (req & REQ_FAULT)
		l |= L_FAULT_EXCL | L_INVAL_SHARED;
	if (req & REQ_MMAP)
		l |= L_MMAP_EXCL | L_MMAP_SHARED;
	return l;
}

/* what the event needs held: REQ_* bits */
unsigned event_needs(struct fn *f, struct event *e,
		     const struct lstate *st)
{
	long long reason;

	if (is_busy_scan(e))
		return REQ_FAULT;
	if (e->kind == CK_BREAK_LAYOUTS &&
	    value_const(call_arg(e->insn, 2), st, f, &reason) && reason == 1)
		return REQ_MMAP;
	if (e->callee && e->kind == CK_NONE) {
		unsigned r = e->callee->req;

		if (e->callee->reason_param &&
		    value_const(call_arg(e->insn, e->callee->reason_param - 1),
				st, f, &reason) && reason == 1)
			r |= REQ_MMAP;
		return r;
	}
	return 0;
}

static int is_sleep(struct event *e)
{
	if (e->kind == CK_SLEEP)
		return 1;
	return e->callee && e->kind == CK_NONE && e->callee->sleeps;
}

/*
 * Does F unlock what may be the fault lock: an unlock of the invalidate
 * lock, or xfs_iunlock() with flags that may hold XFS_MMAPLOCK_EXCL (a
 * parameter: the seed's xfs_wait_var_event(inode, iolock, ..) drops the
 * caller's iolock word)?  Its sleeps are then not with the lock held.
 */
static int drops_fault(struct fn *f)
{
	struct lstate any;
	int k, i;

	memset(&any, 0, sizeof(any));
	for (i = 0; i < f->nvars; i++)
		any.vars[i].may = ~0ULL;
	for (k = 0; k < f->nev; k++) {
		struct event *e = &f->ev[k];

		if (e->kind == CK_INVAL_UNLOCK || e->kind == CK_INVAL_UNLOCK_TWO ||
		    e->kind == CK_RWSEM_UP_WRITE)
			return 1;
		if (e->kind == CK_XFS_IUNLOCK &&
		    (value_may(call_arg(e->insn, 1), &any, f) & L_MMAP_EXCL))
			return 1;
	}
	return 0;
}

int summarize(struct fn *f)
{
	unsigned req = 0, acq = ~0u, rel = 0;
	int sleeps = 0, calls_busy = 0, any_ret = 0;
	int iolock_param = 0, reason_param = 0, changed = 0;
	int fault_param = 0, breaks_unmap = 0, scans = 0;
	int b, k;

	run_dataflow(f, 0);
	for (b = 0; b < f->nbbs; b++) {
		struct lstate st = f->in[b];

		if (!st.reached)
			continue;
		for (k = 0; k < f->bbs[b].n; k++) {
			struct event *e = &f->ev[f->bbs[b].first + k];
			unsigned need = event_needs(f, e, &st);

			if ((need & REQ_FAULT) && !(st.must & L_FAULT_EXCL) &&
			    !(st.released & L_FAULT_EXCL))
				req |= REQ_FAULT;
			if ((need & REQ_MMAP) && !(st.must & L_MMAP_EXCL) &&
			    !(st.released & L_MMAP_EXCL))
				req |= REQ_MMAP;
			if (is_sleep(e) && !(st.released & L_FAULT_EXCL) &&
			    !drops_fault(f))
				sleeps = 1;
			if (e->kind == CK_BREAK_LAYOUTS ||
			    (e->callee && e->kind == CK_NONE &&
			     e->callee->reason_param)) {
				/* the reason is one of our parameters */
				int nr = e->kind == CK_BREAK_LAYOUTS ? 3 :
					 e->callee->reason_param;
				pseudo_t a = call_arg(e->insn, nr - 1);

				if (a && a->type == PSEUDO_ARG) {
					reason_param = a->nr;
					nr = e->kind == CK_BREAK_LAYOUTS ? 2 :
					     e->callee->iolock_param;
					a = nr ? call_arg(e->insn, nr - 1) : NULL;
					if (a && a->type == PSEUDO_ARG)
						iolock_param = a->nr;
				}
			}
			if (need & REQ_MMAP) {
				/* which of our parameters is the iolock word */
				int nr = e->kind == CK_BREAK_LAYOUTS ? 2 :
					 e->callee->iolock_param;
				pseudo_t a = nr ? call_arg(e->insn, nr - 1) : NULL;

				if (a && a->type == PSEUDO_ARG)
					iolock_param = a->nr;
			}
			if (need & REQ_MMAP)
				breaks_unmap = 1;
			if (need & REQ_FAULT) {
				scans = 1;
				/* which of our parameters is the inode scanned */
				pseudo_t o = event_fault_obj(e);
				int nr = o && o->type == PSEUDO_ARG ? (int)o->nr : -1;

				if (!fault_param)
					fault_param = nr;
				else if (fault_param != nr)
					fault_param = -1;
			}
			if (e->kind == CK_BUSY_PAGE && !e->inlined)
				calls_busy = 1;
			if (e->insn->opcode == OP_RET) {
				any_ret = 1;
				acq &= st.must;
				/* the caller's locks it leaves released */
				rel |= st.released & ~st.must & ~st.taken;
			}
			lock_transfer(f, e, &st);
		}
	}
	if (!any_ret)
		acq = 0;
	/* a function that must hold the lock itself reports, not its callers */
	if (is_top(f))
		req = 0;
	/*
	 * an assertion of the lock passes the obligation to the callers, if
	 * there is one: a scan, or a callee that requires it (an assertion
	 * alone is the function's own precondition, not this rule's)
	 */
	if ((f->asserts & REQ_FAULT) && scans)
		req |= REQ_FAULT;
	/*
	 * ... and an assertion of XFS_MMAPLOCK_EXCL is break-layouts-mmaplock's
	 * business only on the way to xfs_break_layouts(BREAK_UNMAP); a bare
	 * busy-page scan that asserts it is busy-page-locked's (REQ_FAULT).
	 */
	if ((f->asserts & REQ_MMAP) && breaks_unmap)
		req |= REQ_MMAP;
	acq &= L_XFS_MASK | L_INVAL_EXCL | L_INVAL_SHARED;
	rel &= L_XFS_MASK | L_INVAL_EXCL | L_INVAL_SHARED;
	if (iolock_param != f->iolock_param ||
	    reason_param != f->reason_param ||
	    fault_param != f->fault_param) {
		f->iolock_param = iolock_param;
		f->reason_param = reason_param;
		f->fault_param = fault_param;
		changed = 1;
	}
	if (changed || req != f->req || acq != f->acq || rel != f->rel ||
	    sleeps != f->sleeps || calls_busy != f->calls_busy ||
	    scans != f->scans) {
		f->scans = scans;
		f->req = req;
		f->acq = acq;
		f->rel = rel;
		f->sleeps = sleeps;
		f->calls_busy = calls_busy;
		return 1;
	}
	return 0;
}

/*
 * an assertion the build may compile away (CONFIG_XFS_DEBUG=n,
 * CONFIG_LOCKDEP=n), in F's source text: a call of a row of kind K (its
 * name, then OPEN) whose statement names a row of kind ARG
 */
static int asserts_in_text(struct fn *f, enum api_kind k, const char *open,
			   enum api_kind arg)
{
	char call[128];
	unsigned i, j;

	for (i = 0; i < API_NROWS; i++) {
		if (api_rows[i].kind != k || api_rows[i].family)
			continue;
		snprintf(call, sizeof(call), "%s%s", api_rows[i].name, open);
		for (j = 0; j < API_NROWS; j++)
			if (api_rows[j].kind == arg &&
			    fn_source_mentions(f, call, api_rows[j].name))
				return 1;
	}
	return 0;
}

/* the lock a function asserts, from its IR or its source text */
void find_asserts(struct fn *f)
{
	int k, i;

	for (k = 0; k < f->nev; k++) {
		struct event *e = &f->ev[k];
		struct lstate none;

		memset(&none, 0, sizeof(none));
		if (e->kind == CK_XFS_ISLOCKED &&
		    (value_must(call_arg(e->insn, 1), &none, f) & L_MMAP_EXCL) &&
		    !(value_must(call_arg(e->insn, 1), &none, f) & L_MMAP_SHARED))
			f->asserts |= REQ_FAULT | REQ_MMAP;
		if (e->kind == CK_RWSEM_ASSERT || e->kind == CK_LOCKDEP_ASSERT)
			f->asserts |= REQ_FAULT;
	}
	for (k = 0; k < f->nev; k++) {
		struct event *e = &f->ev[k];
		struct lstate none;

		memset(&none, 0, sizeof(none));
		for (i = 0; i < f->nvars; i++)
			none.vars[i].may = ~0ULL;
		/* a lock helper whose flags are our argument (xchk_ilock) */
		if (e->kind == CK_NONE && lock_flags_param(e->callee) > 0)
			f->takes_fault = 1;
		switch (e->kind) {
		case CK_XFS_ILOCK:
		case CK_XFS_LOCK_TWO:
			/* any inode lock: the function manages locking */
			f->takes_fault = 1;
			break;
		case CK_WAKE_SLEEP:
			/*
			 * down_write/down_read of another rwsem (i_rwsem; events.c
			 * made it a sleep), inode_lock()
			 */
			if (api_ident_is(e->name, AK_RWSEM_WRITE) ||
			    api_ident_is(e->name, AK_RWSEM_READ) ||
			    api_ident_is(e->name, AK_INODE_LOCK))
				f->takes_fault = 1;
			break;
		case CK_RWSEM_WRITE: case CK_RWSEM_READ:
		case CK_INVAL_LOCK: case CK_INVAL_LOCK_SHARED:
		case CK_INVAL_LOCK_TWO:
		/* releasing it: the owner, even with the lock missing */
		case CK_XFS_IUNLOCK: case CK_RWSEM_UP_WRITE:
		case CK_INVAL_UNLOCK: case CK_INVAL_UNLOCK_TWO:
			f->takes_fault = 1;
			break;
		default:
			break;
		}
	}
	/* xfs_isilocked(ip, XFS_MMAPLOCK_EXCL), xfs_assert_ilocked(..) */
	if (asserts_in_text(f, AK_XFS_ASSERT, "(", AK_FAULT_LOCK_BIT))
		f->asserts |= REQ_FAULT | REQ_MMAP;
	/* lockdep_assert_held*(&mapping->invalidate_lock) */
	if (asserts_in_text(f, AK_LOCKDEP_ASSERT, "", AK_FAULT_LOCK_FIELD))
		f->asserts |= REQ_FAULT;
}

/* what the summary database writes beside the summary (summary_db.c) */
void summary_for_db(struct fn *f)
{
	f->exported = !f->is_static && !f->is_inline && !is_api(f);
	if (!f->exported)
		return;
	f->waits = fn_waits(f, 0);
	f->sets_flag = fn_sets_flag(f);
}
