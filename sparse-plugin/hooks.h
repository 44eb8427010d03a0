/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hooks.h - what a check registers to see, and the engine's calls of it
 */
#ifndef DAXLINT_HOOKS_H
#define DAXLINT_HOOKS_H

#include "fn.h"

struct event_ctx {
	struct fn *fn;
	struct event *ev;
	const struct lstate *st;	/* the state before the event */
	int in_loop;
};
typedef void (*event_hook)(struct event_ctx *c);
void register_event_hook(event_hook h);
void register_ret_hook(event_hook h);
/* every top-level symbol of the unit, as it is collected (tables, aops) */
typedef void (*sym_hook)(struct symbol *sym);
void register_sym_hook(sym_hook h);
/* once per unit, after the summaries and the per-function checks */
typedef void (*unit_hook)(struct fn **fns, int nfns);
void register_unit_hook(unit_hook h);

/*
 * after each file is parsed, before its tokens are freed: the macro
 * values a check needs (S_DAX)
 */
typedef void (*macro_hook)(void);
void register_macro_hook(macro_hook h);
void run_macro_hooks(void);
void run_sym_hooks(struct symbol *sym);
void run_event_hooks(struct event_ctx *c);
void run_ret_hooks(struct event_ctx *c);
void run_unit_hooks(struct fn **fns, int nfns);

#endif
