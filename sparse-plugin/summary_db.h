/* SPDX-License-Identifier: GPL-2.0 */
/*
 * summary_db.h - summaries across translation units
 */
#ifndef DAXLINT_SUMMARY_DB_H
#define DAXLINT_SUMMARY_DB_H

#include <stddef.h>

#include "fn.h"

struct fn *summary_db_lookup(struct ident *id);
int summary_db_active(void);
int summary_db_writing(void);
void summary_db_unit_dax(int dax);
/* summary_db_unit_dax() was called for the unit being written */
int summary_db_unit_dax_told(void);
/* the unit's summaries, and its directory's record when it shows DAX
   inodes (FILE: the unit's own .c file, NULL: none) */
void summary_db_write(struct fn **fns, int nfns, const char *file);
void summary_db_set_output(const char *path);
/* the name of the record the units of FILE's directory share
   ("daxfs@fs/xfs"): some unit of the directory shows DAX inodes */
void summary_db_dir_record(const char *file, char *buf, size_t size);
/* PATH relative to the tree (DAXLINT_SPARSE_ROOT), else as it is */
const char *summary_db_rel(const char *path);

#endif
