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
 * N", "f() calls g(), whose unit has DAX inodes", "fs/xfs/xfs_iops.c of
 * the same directory shows DAX inodes"), else 0.  FLAGS:
 */
/* the unit's own text only, not its directory's record (what the unit
   tells the others: evidence must start in some unit's text) */
#define DAXFS_OWN	1u
/* a page-cache aops whose .writepages diverts DAX mappings is no
   evidence: the divert is dax-writepages-divert's finding, and only a DAX
   aops makes unmap-breaks-layouts's filesystem (as in the cocci rule) */
#define DAXFS_NO_DIVERT	2u
int unit_shows_dax(struct fn **fns, int nfns, char *why, size_t size,
		   unsigned flags);
/*
 * Tell the summaries whether the unit's own text shows DAX inodes (its
 * functions' UBL_DAXFS, its directory's record), once per unit: each
 * check that needs the answer in the other units calls it.
 */
void daxfs_tell_directory(struct fn **fns, int nfns);

#endif
