/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daxfs.h - does the unit show that its filesystem has DAX inodes
 */
#ifndef DAXLINT_DAXFS_H
#define DAXLINT_DAXFS_H

#include <stddef.h>

#include "fn.h"
#include "optable.h"

/* watch the unit's address_space_operations (a check's init) */
void daxfs_watch(void);
/* T is an address_space_operations table */
int daxfs_is_aops(const struct optable *t);
/*
 * The unit FNS shows DAX inodes: 1, and WHY (SIZE bytes) says how ("X is
 * a DAX aops", "f() calls dax_iomap_rw()", "f() tests IS_DAX() at line
 * N", "f() calls g(), whose unit has DAX inodes"), else 0
 */
int unit_shows_dax(struct fn **fns, int nfns, char *why, size_t size);

#endif
