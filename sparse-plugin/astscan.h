/* SPDX-License-Identifier: GPL-2.0 */
/*
 * astscan.h - the lock fields of calls' arguments, from the evaluated AST
 */
#ifndef DAXLINT_ASTSCAN_H
#define DAXLINT_ASTSCAN_H

#include "ir.h"
#include "types.h"
/* scan a function's body; 1 when it calls dax_layout_lock() */
int astscan_fn(struct statement *body);
/* the lock field the call INSN of FN names in its first argument */
struct ident *astscan_member(struct instruction *insn, struct ident *fn);
void astscan_reset(void);

#endif
