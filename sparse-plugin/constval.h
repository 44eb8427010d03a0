/* SPDX-License-Identifier: GPL-2.0 */
/*
 * constval.h - constant values of pseudos, given constants for some of
 * the function's parameters
 */
#ifndef DAXLINT_CONSTVAL_H
#define DAXLINT_CONSTVAL_H

#include "ir.h"

#define ARGCONST_MAX 8
/* the constants of a function's first ARGCONST_MAX parameters */
struct argconsts {
	long long v[ARGCONST_MAX];
	unsigned known;		/* bit n-1: parameter n is v[n-1] */
};

/*
 * The value of P (numbers; A's parameters, A NULL: none known; casts,
 * comparisons, ANDs and ORs of them): 1 and *OUT set, 0 when not a
 * constant
 */
int const_eval(pseudo_t p, const struct argconsts *a, long long *out);
/* the constants CALL passes, its caller's parameters being A */
void call_argconsts(struct instruction *call, const struct argconsts *a,
		    struct argconsts *out);

#endif
