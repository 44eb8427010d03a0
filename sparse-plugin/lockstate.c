// SPDX-License-Identifier: GPL-2.0
/*
 * lockstate.c - daxlint's lock-state dataflow over sparse's linearized IR.
 *
 * For one function (its events built by events.c) a forward must/may
 * dataflow over the basic blocks: must-held locks join by intersection,
 * may-held and may-released locks by union, and loops are iterated to a
 * fixed point.  Address-taken local lock-flag words (xfs_file_fallocate's
 * iolock) are tracked as bit sets too.  A call of a function of the unit
 * applies that function's summary (summary.c); analyze.c drives the
 * summaries to a fixed point and runs the checks over the final states.
 */
#include <stdlib.h>
#include <string.h>

#include "lockstate.h"
#include "lockobj.h"
#include "loops.h"
#include "value.h"

static void join(struct lstate *a, const struct lstate *b, int nvars)
{
	int i;

	if (!b->reached)
		return;
	if (!a->reached) {
		*a = *b;
		return;
	}
	a->must &= b->must;
	a->may |= b->may;
	a->released |= b->released;
	a->taken |= b->taken;
	if (!a->layout_site)
		a->layout_site = b->layout_site;
	roots_join(a, b);
	for (i = 0; i < nvars; i++) {
		a->vars[i].must &= b->vars[i].must;
		a->vars[i].may |= b->vars[i].may;
	}
}

static int same_state(const struct lstate *a, const struct lstate *b, int n)
{
	int i;

	if (a->reached != b->reached || a->must != b->must ||
	    a->may != b->may || a->released != b->released ||
	    a->nroots != b->nroots)
		return 0;
	for (i = 0; i < a->nroots; i++)
		if (a->roots[i] != b->roots[i])
			return 0;
	if (a->niroots != b->niroots)
		return 0;
	for (i = 0; i < a->niroots; i++)
		if (a->iroots[i] != b->iroots[i])
			return 0;
	for (i = 0; i < n; i++)
		if (a->vars[i].must != b->vars[i].must ||
		    a->vars[i].may != b->vars[i].may)
			return 0;
	return 1;
}

static void acquire(struct lstate *st, unsigned bits)
{
	st->taken |= bits;
	st->must |= bits;
	st->may |= bits;
}

static void release(struct lstate *st, unsigned must_bits, unsigned may_bits)
{
	/* the fault lock assumed at entry is one abstract lock */
	if (may_bits & L_FAULT_EXCL)
		may_bits |= st->must & L_FAULT_EXCL &
			    ~(st->may & ~st->must & L_FAULT_EXCL);
	/* a lock released here that was not taken here is the caller's */
	st->released |= must_bits | (may_bits & st->may);
	st->must &= ~may_bits;
	st->may &= ~must_bits;
}

/* EXCL -> SHARED for the XFS lock bits */
static void demote(struct lstate *st, unsigned bits)
{
	unsigned excl = bits & (L_IOLOCK_EXCL | L_ILOCK_EXCL | L_MMAP_EXCL);

	st->released |= excl & st->may;
	st->must = (st->must & ~excl) | ((st->must & excl) << 1);
	st->may = (st->may & ~excl) | ((st->may & excl) << 1);
}

/* what xfs_isilocked(ip, F) proves */
static unsigned islocked_proof(unsigned f)
{
	unsigned out = 0, excl, shared;
	int i;

	for (i = 0; i < 3; i++) {
		excl = 1u << (2 * i);
		shared = 1u << (2 * i + 1);
		if ((f & excl) && !(f & shared))
			out |= excl | shared;
		else if (f & shared)
			out |= shared;
	}
	return out;
}

void lock_transfer(struct fn *f, struct event *e, struct lstate *st)
{
	struct instruction *insn = e->insn;
	unsigned must, may;
	int i;

	if (insn->opcode == OP_STORE) {
		i = var_index(f, insn->src->sym);
		if (i >= 0 && insn->offset == 0) {
			st->vars[i].must = value_must(insn->target, st, f);
			st->vars[i].may = value_may(insn->target, st, f);
		}
		return;
	}
	if (insn->opcode == OP_RET)
		return;
	if (e->callee && e->kind == CK_NONE) {
		struct fn *c = e->callee;

		release(st, c->rel, c->rel);
		if ((c->acq & L_MMAP_EXCL) && !(st->must & L_MMAP_EXCL))
			roots_add(st, ROOT_ANY);
		if (!(st->must & L_MMAP_EXCL))
			st->nroots = 0;
		if ((c->acq & L_INVAL_EXCL) && !(st->must & L_INVAL_EXCL))
			rs_add(st->iroots, &st->niroots, ROOT_ANY);
		if (!(st->must & L_INVAL_EXCL))
			st->niroots = 0;
		acquire(st, c->acq);
		/* a lock helper: the flags are the caller's argument */
		if ((i = lock_flags_param(c)) > 0) {
			must = value_must(call_arg(insn, i - 1), st, f) &
			       L_XFS_MASK;
			if ((must & L_MMAP_EXCL) && !(st->must & L_MMAP_EXCL))
				roots_add(st, ROOT_ANY);
			acquire(st, must);
		}
		return;
	}
	switch (e->kind) {
	case CK_XFS_ILOCK:
		must = value_must(call_arg(insn, 1), st, f) & L_XFS_MASK;
		if (must & L_MMAP_EXCL)
			roots_add(st, obj_root(call_arg(insn, 0)));
		acquire(st, must);
		break;
	case CK_XFS_IUNLOCK:
		must = value_must(call_arg(insn, 1), st, f) & L_XFS_MASK;
		may = value_may(call_arg(insn, 1), st, f) & L_XFS_MASK;
		if (may & L_MMAP_EXCL)
			roots_del(st, obj_root(call_arg(insn, 0)),
				  (must & L_MMAP_EXCL) != 0);
		release(st, must, may);
		if (!(st->must & L_MMAP_EXCL))
			st->nroots = 0;
		break;
	case CK_XFS_DEMOTE:
		demote(st, value_must(call_arg(insn, 1), st, f) & L_XFS_MASK);
		break;
	case CK_XFS_LOCK_TWO:
		must = (value_must(call_arg(insn, 1), st, f) |
			value_must(call_arg(insn, 3), st, f)) & L_XFS_MASK;
		if (must & L_MMAP_EXCL)
			roots_add(st, ROOT_ANY);
		acquire(st, must);
		break;
	case CK_XFS_ISLOCKED:
		must = islocked_proof(value_must(call_arg(insn, 1), st, f) &
				      L_XFS_MASK);
		if (must & L_MMAP_EXCL)
			roots_add(st, obj_root(call_arg(insn, 0)));
		acquire(st, must);
		break;
	case CK_RWSEM_WRITE:
	case CK_INVAL_LOCK:
		rs_add(st->iroots, &st->niroots, fault_obj(call_arg(insn, 0)));
		acquire(st, L_INVAL_EXCL | L_INVAL_SHARED);
		break;
	case CK_INVAL_LOCK_TWO:
		rs_add(st->iroots, &st->niroots, ROOT_ANY);
		acquire(st, L_INVAL_EXCL | L_INVAL_SHARED);
		break;
	case CK_RWSEM_READ:
	case CK_INVAL_LOCK_SHARED:
		acquire(st, L_INVAL_SHARED);
		break;
	case CK_RWSEM_UP_WRITE:
	case CK_INVAL_UNLOCK:
	case CK_INVAL_UNLOCK_TWO:
		rs_del(st->iroots, &st->niroots,
		       e->kind == CK_INVAL_UNLOCK_TWO ? ROOT_ANY :
		       fault_obj(call_arg(insn, 0)), 1);
		release(st, L_INVAL_EXCL | L_INVAL_SHARED,
			L_INVAL_EXCL | L_INVAL_SHARED);
		if (!(st->must & L_INVAL_EXCL))
			st->niroots = 0;
		break;
	case CK_RWSEM_UP_READ:
	case CK_INVAL_UNLOCK_SHARED:
		release(st, L_INVAL_SHARED, L_INVAL_SHARED);
		break;
	case CK_RWSEM_DOWNGRADE:
		release(st, L_INVAL_EXCL, L_INVAL_EXCL);
		st->niroots = 0;
		break;
	case CK_RWSEM_ASSERT:
	case CK_LOCKDEP_ASSERT:
		rs_add(st->iroots, &st->niroots, fault_obj(call_arg(insn, 0)));
		acquire(st, L_INVAL_EXCL | L_INVAL_SHARED);
		break;
	case CK_LAYOUT_LOCK:
		if (!(st->may & L_LAYOUT) || !st->layout_site)
			st->layout_site = insn;
		acquire(st, L_LAYOUT);
		break;
	case CK_LAYOUT_UNLOCK:
		release(st, L_LAYOUT, L_LAYOUT);
		break;
	default:
		break;
	}
}

void run_dataflow(struct fn *f, unsigned entry_locks)
{
	int changed = 1, rounds = 0, b, k;

	free(f->in);
	free(f->out);
	f->in = calloc(f->nbbs + 1, sizeof(struct lstate));
	f->out = calloc(f->nbbs + 1, sizeof(struct lstate));
	while (changed && rounds++ < 64) {
		changed = 0;
		for (b = 0; b < f->nbbs; b++) {
			struct bbinfo *bi = &f->bbs[b];
			struct basic_block *p;
			struct lstate st;

			memset(&st, 0, sizeof(st));
			if (bi->bb == f->ep->entry->bb) {
				st.reached = 1;
				st.must = st.may = entry_locks;
				if (entry_locks & L_MMAP_EXCL)
					roots_add(&st, ROOT_ANY);
				if (entry_locks & L_INVAL_EXCL)
					rs_add(st.iroots, &st.niroots,
					       ROOT_ANY);
				for (k = 0; k < f->nvars; k++)
					st.vars[k].may = ~0ULL;
			}
			FOR_EACH_PTR(bi->bb->parents, p) {
				int pi = bbidx(p);

				if (pi >= 0 && pi < f->nbbs)
					join(&st, &f->out[pi], f->nvars);
			} END_FOR_EACH_PTR(p);
			f->in[b] = st;
			if (st.reached)
				for (k = 0; k < bi->n; k++)
					lock_transfer(f, &f->ev[bi->first + k], &st);
			if (!same_state(&st, &f->out[b], f->nvars)) {
				f->out[b] = st;
				changed = 1;
			}
		}
	}
}
