/* SPDX-License-Identifier: GPL-2.0 */
/*
 * summary.h - a function's summary for its callers
 */
#ifndef DAXLINT_SUMMARY_H
#define DAXLINT_SUMMARY_H

#include "fn.h"

/* the L_* locks a REQ_* requirement stands for */
unsigned req_locks(unsigned req);
/* what the event needs held: REQ_* bits */
unsigned event_needs(struct fn *f, struct event *e,
		     const struct lstate *st);
/* recompute F's summary; 1 when it changed */
int summarize(struct fn *f);
void find_asserts(struct fn *f);
int is_top(struct fn *f);
void summary_for_db(struct fn *f);

#endif
