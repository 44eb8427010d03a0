/* SPDX-License-Identifier: GPL-2.0 */
/*
 * loops.h - basic blocks inside loops
 */
#ifndef DAXLINT_LOOPS_H
#define DAXLINT_LOOPS_H

#include "fn.h"

/* the index of BB in its function's fn->bbs */
int bbidx(struct basic_block *bb);
int ev_in_loop(struct fn *f, struct event *e);
int bb_in_loop(struct fn *f, struct basic_block *bb);

#endif
