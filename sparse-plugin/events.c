// SPDX-License-Identifier: GPL-2.0
/*
 * events.c - a function's events: the instructions of its IR that
 * matter (calls of the lock table, calls of the unit's functions, stores
 * of tracked lock-flag words, returns), and what its calls show it does.
 */
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "api.h"
#include "astscan.h"
#include "fntable.h"
#include "value.h"

static struct ident *fault_member_ident(struct ident *m)
{
	return is_fault_field(m) ? m : NULL;
}

static void add_event(struct fn *f, struct event *e, int *alloc)
{
	if (f->nev == *alloc) {
		*alloc = *alloc ? 2 * *alloc : 16;
		f->ev = realloc(f->ev, *alloc * sizeof(*f->ev));
	}
	f->ev[f->nev++] = *e;
}

static int local_var(struct symbol *s)
{
	return s && !(s->ctype.modifiers & (MOD_TOPLEVEL | MOD_STATIC |
					     MOD_EXTERN));
}

static void track_var(struct fn *f, struct symbol *s)
{
	if (!local_var(s) || var_index(f, s) >= 0 || f->nvars >= MAX_VARS)
		return;
	f->vars[f->nvars++] = s;
}

void build_events(struct fn *f)
{
	struct basic_block *bb;
	struct instruction *insn;
	int alloc = 0, idx = 0, n;

	n = ptr_list_size((struct ptr_list *)f->ep->bbs);
	f->bbs = calloc(n ? n : 1, sizeof(*f->bbs));
	FOR_EACH_PTR(f->ep->bbs, bb) {
		struct bbinfo *bi = &f->bbs[idx];

		bb->priv = (void *)(long)(idx + 1);
		bi->bb = bb;
		bi->first = f->nev;
		bi->in_loop = -1;
		FOR_EACH_PTR(bb->insns, insn) {
			struct event e;

			if (!insn->bb)
				continue;
			memset(&e, 0, sizeof(e));
			e.insn = insn;
			e.bbidx = idx;
			switch (insn->opcode) {
			case OP_CALL:
				e.name = insn_call_name(insn);
				if (!e.name)
					continue;
				e.kind = call_kind_of(e.name);
				if (e.kind == CK_NONE) {
					e.callee = callee_of(f, e.name);
					if (!e.callee || e.callee == f)
						continue;
				}
				if (e.kind >= CK_RWSEM_WRITE &&
				    e.kind <= CK_LOCKDEP_ASSERT) {
					e.member = fault_member_ident(
						astscan_member(insn, e.name));
					/* another rwsem: only its sleeping
					 * acquisitions matter (trylocks do not
					 * sleep) */
					if (!e.member)
						e.kind = (e.kind == CK_RWSEM_WRITE ||
							  e.kind == CK_RWSEM_READ) &&
							 !api_ident_is(e.name,
								       AK_TRYLOCK) ?
							 CK_WAKE_SLEEP : CK_NONE;
					if (e.kind == CK_NONE)
						continue;
				}
				if (e.kind == CK_BREAK_LAYOUTS) {
					pseudo_t a = call_arg(insn, 1);

					if (a && a->type == PSEUDO_SYM)
						track_var(f, a->sym);
				}
				if (e.callee) {
					/* a lock-flag word handed to a helper */
					pseudo_t a;

					FOR_EACH_PTR(insn->arguments, a) {
						if (a->type == PSEUDO_SYM)
							track_var(f, a->sym);
					} END_FOR_EACH_PTR(a);
				}
				break;
			case OP_INLINED_CALL:
				e.inlined = 1;
				e.name = insn_call_name(insn);
				e.kind = call_kind_of(e.name);
				/* WARN_ON(!rwsem_is_locked(&m->invalidate_lock)) */
				if (e.kind == CK_RWSEM_ASSERT &&
				    (e.member = fault_member_ident(
					astscan_member(insn, e.name))) != NULL)
					break;
				if (!inlined_kind_ok(e.kind))
					continue;
				break;
			case OP_STORE:
				if (!insn->src || insn->src->type != PSEUDO_SYM ||
				    !local_var(insn->src->sym))
					continue;
				break;
			case OP_RET:
				break;
			default:
				continue;
			}
			add_event(f, &e, &alloc);
		} END_FOR_EACH_PTR(insn);
		bi->n = f->nev - bi->first;
		idx++;
	} END_FOR_EACH_PTR(bb);
	f->nbbs = idx;

	/* stores are only events for the tracked lock-flag words */
	for (n = 0; n < f->nev; n++) {
		struct event *e = &f->ev[n];

		if (e->insn->opcode == OP_STORE) {
			/* a word that is stored a lock-bit constant somewhere */
			pseudo_t v = e->insn->target;

			if (v && v->type == PSEUDO_VAL && (v->value & L_XFS_MASK))
				track_var(f, e->insn->src->sym);
		}
		if (e->kind != CK_NONE && e->kind != CK_ALLOC &&
		    e->kind != CK_WAKE_SLEEP)
			f->interesting = 1;
	}
}


/* does F store a non-zero constant through a parameter (*retry = true)? */
int fn_sets_flag(struct fn *f)
{
	struct basic_block *bb;
	struct instruction *insn;

	if (f->stub)
		return f->sets_flag;
	FOR_EACH_PTR(f->ep->bbs, bb) {
		FOR_EACH_PTR(bb->insns, insn) {
			if (!insn->bb || insn->opcode != OP_STORE)
				continue;
			if (insn->src && insn->src->type == PSEUDO_ARG &&
			    insn->target && insn->target->type == PSEUDO_VAL &&
			    insn->target->value)
				return 1;
		} END_FOR_EACH_PTR(insn);
	} END_FOR_EACH_PTR(bb);
	return 0;
}

/*
 * Does F set up a wait-queue wait (___wait_var_event(), wait_event*(): the
 * sleep is their command, which may be a function of another unit)?  These
 * calls are no events: look for them in the IR.
 */
static int fn_wait_queue(struct fn *f)
{
	struct basic_block *bb;
	struct instruction *insn;

	FOR_EACH_PTR(f->ep->bbs, bb) {
		FOR_EACH_PTR(bb->insns, insn) {
			struct ident *id;

			if (!insn->bb || insn->opcode != OP_CALL ||
			    !(id = insn_call_name(insn)))
				continue;
			/* the table's wait-queue rows: prepare_to_wait*(),
			   finish_wait() ... */
			if (api_ident_is(id, AK_WAIT_QUEUE))
				return 1;
		} END_FOR_EACH_PTR(insn);
	} END_FOR_EACH_PTR(bb);
	return 0;
}

/* does F wait: a sleep, a wait-queue wait, a callee of the unit that does */
int fn_waits(struct fn *f, int depth)
{
	int k;

	if (!f || depth > 4)
		return 0;
	if (f->stub)
		return f->waits;
	if (fn_wait_queue(f))
		return 1;
	for (k = 0; k < f->nev; k++) {
		struct event *e = &f->ev[k];

		if (e->kind == CK_SLEEP)
			return 1;
		if (e->kind == CK_NONE && e->callee && e->callee != f &&
		    fn_waits(e->callee, depth + 1))
			return 1;
	}
	return 0;
}
