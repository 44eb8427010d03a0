// SPDX-License-Identifier: GPL-2.0
/*
 * analyze.c - one translation unit through the engine: collect its
 * functions, build their events, compute their summaries to a fixed point,
 * run the checks' hooks over the final dataflow, write the summaries.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "options.h"
#include "astscan.h"
#include "optable.h"
#include "calltable.h"
#include "events.h"
#include "fntable.h"
#include "hooks.h"
#include "lockstate.h"
#include "loops.h"
#include "summary.h"
#include "summary_db.h"

static void final_check(struct fn *f)
{
	int b, k;

	if (is_api(f))
		return;
	unsigned entry = is_top(f) ? 0 : req_locks(f->req);

	run_dataflow(f, entry);
	for (b = 0; b < f->nbbs; b++) {
		struct lstate st = f->in[b];

		if (!st.reached)
			continue;
		for (k = 0; k < f->bbs[b].n; k++) {
			struct event *e = &f->ev[f->bbs[b].first + k];
			struct event_ctx c;

			c.fn = f;
			c.ev = e;
			c.st = &st;
			c.in_loop = -1;
			if (e->insn->opcode == OP_RET)
				run_ret_hooks(&c);
			else if (e->insn->opcode != OP_STORE)
				run_event_hooks(&c);
			lock_transfer(f, e, &st);
		}
	}
}

static void reset_tu(void)
{
	fn_table_reset();
	astscan_reset();
	optable_reset();
}

/*
 * One file is one translation unit; with DAXLINT_SPARSE_UNIT=1 (standalone
 * checks of a fixture directory) every file given is collected first and
 * the unit is analysed once, as one, at the end.
 */
static int unit_mode = -1;

static void daxlint_collect_symbols(struct symbol_list *list)
{
	struct symbol *sym;

	call_table_init();
	FOR_EACH_PTR(list, sym) {
		struct entrypoint *ep;
		struct symbol *base;
		struct fn *f;
		int uses_layout;

		expand_symbol(sym);
		run_sym_hooks(sym);
		base = sym->ctype.base_type;
		uses_layout = base && base->type == SYM_FN && base->stmt &&
			      sym->ident && astscan_fn(base->stmt);
		ep = linearize_symbol(sym);
		if (!ep || !ep->entry || !sym->ident)
			continue;
		f = calloc(1, sizeof(*f));
		f->sym = sym;
		f->ep = ep;
		f->name = strdup(show_ident(sym->ident));
		f->uses_layout_lock = uses_layout;
		f->is_static = !!(sym->ctype.modifiers & MOD_STATIC);
		f->is_inline = !!(sym->ctype.modifiers & MOD_INLINE);
		f->stream = sym->pos.stream;
		f->first_line = sym->pos.line;
		f->last_line = 1 << 30;
		fn_table_add(f);
	} END_FOR_EACH_PTR(sym);
}

static void daxlint_analyze(void)
{
	int nfns, i, k, pass, changed;
	struct fn **fns = fn_table(&nfns);
	/* robustness runs: every function through the dataflow and checks */
	int all = opt.all;

	/* a function's text ends where the next one of its file starts */
	for (i = 0; i < nfns; i++)
		for (k = 0; k < nfns; k++)
			if (fns[k]->stream == fns[i]->stream &&
			    fns[k]->first_line > fns[i]->first_line &&
			    fns[k]->first_line - 1 < fns[i]->last_line)
				fns[i]->last_line = fns[k]->first_line - 1;
	/* events once every function of the unit is known (callees) */
	for (i = 0; i < nfns; i++)
		build_events(fns[i]);
	for (i = 0; i < nfns; i++) {
		struct fn *f = fns[i];

		for (k = 0; k < f->nev; k++) {
			struct event *e = &f->ev[k];

			if (e->callee && e->callee != f) {
				e->callee->ncallers++;
				if (ev_in_loop(f, e))
					e->callee->nloop_callers++;
			}
		}
		if (all)
			f->interesting = 1;
		/* cheap: every function, it may become interesting later */
		find_asserts(f);
	}
	for (pass = 0, changed = 1; changed && pass < 10; pass++) {
		changed = 0;
		for (i = 0; i < nfns; i++) {
			struct fn *f = fns[i];
			int want = f->interesting;

			for (k = 0; !want && k < f->nev; k++) {
				struct fn *c = f->ev[k].callee;

				if (c && f->ev[k].kind == CK_NONE &&
				    (c->req || c->acq || c->rel || c->sleeps ||
				     c->reason_param || c->iolock_param))
					want = 1;
			}
			if ((f->ev || all) && want && !f->is_inline) {
				f->interesting = 1;
				changed |= summarize(f);
			}
		}
	}
	for (i = 0; i < nfns; i++)
		if (fns[i]->interesting && !fns[i]->is_inline)
			final_check(fns[i]);
	run_unit_hooks(fns, nfns);
	if (summary_db_writing()) {
		for (i = 0; i < nfns; i++)
			summary_for_db(fns[i]);
		summary_db_write(fns, nfns, fn_unit_file(fns, nfns));
	}
	reset_tu();
}

void daxlint_check_symbols(struct symbol_list *list)
{
	if (unit_mode < 0)
		unit_mode = opt.unit;
	daxlint_collect_symbols(list);
	if (!unit_mode)
		daxlint_analyze();
}

void daxlint_finish(void)
{
	if (unit_mode > 0)
		daxlint_analyze();
}
