/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fntable.h - the functions of the translation unit
 */
#ifndef DAXLINT_FNTABLE_H
#define DAXLINT_FNTABLE_H

#include "fn.h"

struct fn *fn_by_ident(struct ident *id);
/* the definition a call from FROM reaches: its own file's, else a global,
   else another unit's summary */
struct fn *callee_of(struct fn *from, struct ident *id);
void fn_table_add(struct fn *f);
struct fn **fn_table(int *n);
void fn_table_reset(void);

#endif
