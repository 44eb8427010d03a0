// SPDX-License-Identifier: GPL-2.0
/*
 * check_pagemap_ops_balance.c - the devmap_managed_key is only flipped
 * through dev_pagemap_get_ops()/put_ops() (devmap_managed_enable_get/put),
 * never by a direct static_branch_*() outside the file that defines it.
 */
#include <string.h>

#include "daxlint.h"

static void on_event(struct event_ctx *c)
{
	struct event *e = c->ev;
	pseudo_t key;
	struct symbol *s;

	if (e->kind != CK_STATIC_BRANCH)
		return;
	key = call_arg(e->insn, 0);
	if (!key || key->type != PSEUDO_SYM)
		return;
	s = key->sym;
	if (!s->ident || (strcmp(show_ident(s->ident), "devmap_managed_key") &&
			  strcmp(show_ident(s->ident), "device_private_key")))
		return;
	/* the file that owns (defines) the key may flip it */
	if (file_defines_key(c->fn->stream, show_ident(s->ident)))
		return;
	report(R_PGMAP, c->fn, report_pos(c->fn, e->insn),
	       "%s flipped directly; use the dev_pagemap get/put pair",
	       show_ident(s->ident));
}

void check_pagemap_ops_balance_init(void)
{
	register_event_hook(on_event);
}
