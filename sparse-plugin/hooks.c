// SPDX-License-Identifier: GPL-2.0
/*
 * hooks.c - the checks' hooks: what a check_*.c registers to see (each
 * event with the lock state before it, each return, each function, each
 * top-level symbol, the whole unit) and the engine's calls of them.
 */
#include "hooks.h"

#define MAX_HOOKS 16
static event_hook ev_hooks[MAX_HOOKS], ret_hooks[MAX_HOOKS];
static int nev_hooks, nret_hooks;

void register_event_hook(event_hook h) { ev_hooks[nev_hooks++] = h; }
void register_ret_hook(event_hook h) { ret_hooks[nret_hooks++] = h; }

/* checks that look at the whole unit: its symbols, then all its functions */
static sym_hook sym_hooks[MAX_HOOKS];
static unit_hook unit_hooks[MAX_HOOKS];
static int nsym_hooks, nunit_hooks;

void register_sym_hook(sym_hook h) { sym_hooks[nsym_hooks++] = h; }
void register_unit_hook(unit_hook h) { unit_hooks[nunit_hooks++] = h; }

static macro_hook macro_hooks[MAX_HOOKS];
static int nmacro_hooks;

void register_macro_hook(macro_hook h) { macro_hooks[nmacro_hooks++] = h; }

void run_macro_hooks(void)
{
	int i;

	for (i = 0; i < nmacro_hooks; i++)
		macro_hooks[i]();
}

void run_sym_hooks(struct symbol *sym)
{
	int i;

	for (i = 0; i < nsym_hooks; i++)
		sym_hooks[i](sym);
}

void run_event_hooks(struct event_ctx *c)
{
	int i;

	for (i = 0; i < nev_hooks; i++)
		ev_hooks[i](c);
}

void run_ret_hooks(struct event_ctx *c)
{
	int i;

	for (i = 0; i < nret_hooks; i++)
		ret_hooks[i](c);
}

void run_unit_hooks(struct fn **fns, int nfns)
{
	int i;

	for (i = 0; i < nunit_hooks; i++)
		unit_hooks[i](fns, nfns);
}
