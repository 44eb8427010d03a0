/* SPDX-License-Identifier: GPL-2.0 */
/*
 * value.h - the values of lock-flag pseudos
 */
#ifndef DAXLINT_VALUE_H
#define DAXLINT_VALUE_H

#include "fn.h"

pseudo_t call_arg(struct instruction *insn, int n);
/* the name of the function a call instruction calls (NULL: indirect) */
struct ident *insn_call_name(struct instruction *insn);
/* the index of a tracked lock-flag word of F, -1 if not tracked */
int var_index(struct fn *f, struct symbol *s);
unsigned long long value_must(pseudo_t p, const struct lstate *st,
			      struct fn *f);
unsigned long long value_may(pseudo_t p, const struct lstate *st,
			     struct fn *f);
int value_const(pseudo_t p, const struct lstate *st, struct fn *f,
		long long *out);

#endif
