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
/* the definition ID written in STREAM names in this unit: STREAM's own,
   else a global (NULL: none; no summary) */
struct fn *fn_in_stream(struct ident *id, int stream);
/* the function of the unit whose linearized code EP is (NULL: none) */
struct fn *fn_of_ep(struct entrypoint *ep);
/* F's place in fn_table(), -1 for another unit's function (a summary):
   a check's per-function data can be an array parallel to the table */
int fn_index(const struct fn *f);
/* STUB, another unit's function known by its summary, is defined in
   FROM's directory (the same filesystem) */
int fn_same_dir(struct fn *stub, struct fn *from);
/* F is a function of a .c file (not a header's static inline) */
int fn_in_c_file(struct fn *f);
/* the unit's own .c file: that of its first function written in one
   (not a header's inline), NULL when none is */
const char *fn_unit_file(struct fn **fns, int nfns);
/* F's direct calls, block by block in fn->bbs order (the unit's call
   graph: once every function of the unit is known) */
const struct fcall *fn_calls(struct fn *f, int *n);
void fn_table_add(struct fn *f);
struct fn **fn_table(int *n);
void fn_table_reset(void);
/* the function is one of the APIs of the lock table (its definition) */
int is_api(struct fn *f);

#endif
