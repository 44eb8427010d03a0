/* SPDX-License-Identifier: GPL-2.0 */
/*
 * events.h - a function's events, and what its calls show it does
 */
#ifndef DAXLINT_EVENTS_H
#define DAXLINT_EVENTS_H

#include "fn.h"

void build_events(struct fn *f);
int fn_waits(struct fn *f, int depth);
int fn_sets_flag(struct fn *f);

#endif
