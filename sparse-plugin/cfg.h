/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cfg.h - which basic blocks of a function a path reaches
 */
#ifndef DAXLINT_CFG_H
#define DAXLINT_CFG_H

#include "fn.h"
#include "constval.h"

/*
 * The blocks of F a path from its entry reaches when the branches and
 * switches whose condition is a constant, A's parameters known (NULL:
 * none), take only their constant's edge: their indexes into f->bbs in
 * the order a depth-first walk reaches them, into ORDER (room for
 * f->nbbs); returns how many
 */
int fn_blocks_reached(struct fn *f, const struct argconsts *a, int *order);
/* OUT[b] (room for f->nbbs): block b is reached from F's entry, but
   only through the edge FROM -> TO */
void edge_dominated(struct fn *f, int from, struct basic_block *to,
		    char *out);

#endif
