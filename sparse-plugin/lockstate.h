/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lockstate.h - the lock-state dataflow of one function
 */
#ifndef DAXLINT_LOCKSTATE_H
#define DAXLINT_LOCKSTATE_H

#include "fn.h"

/* the state after event E of F, from the state before it */
void lock_transfer(struct fn *f, struct event *e, struct lstate *st);
/* fills f->in and f->out, ENTRY_LOCKS held at entry */
void run_dataflow(struct fn *f, unsigned entry_locks);

#endif
