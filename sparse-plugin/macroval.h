/* SPDX-License-Identifier: GPL-2.0 */
/*
 * macroval.h - the integer value of an object-like macro of the unit
 */
#ifndef DAXLINT_MACROVAL_H
#define DAXLINT_MACROVAL_H

#include "ir.h"

/*
 * The value of the object-like macro NAME when its expansion is a
 * number, a shift or an OR of numbers, in parentheses or not: 1 and *V
 * set, else 0.  Only while the unit's tokens are alive (a macro hook).
 */
int macro_int_value(const char *name, long long *v);

#endif
