/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daxtest.h - does a value depend on an IS_DAX()/S_DAX test, and with
 * which polarity
 */
#ifndef DAXLINT_DAXTEST_H
#define DAXLINT_DAXTEST_H

#include "fn.h"

/* what a value says of the inode (dax_dep() and friends) */
#define DEP_POS		1u	/* true on DAX inodes */
#define DEP_NEG		2u	/* true on page-cache inodes */
#define DEP_PURE	4u	/* nothing but the DAX test */

/*
 * A macro hook (register_macro_hook()): reads the value of the table's
 * dax-flag row (S_DAX) while the unit's tokens are alive.  A check that
 * asks the questions below registers it.
 */
void dax_flag_note(void);
/* D is the S_DAX bit of an inode's i_flags: an AND with it, or a shift
   that extracts it (IS_DAX(), FUSE_IS_DAX(), a renamed macro) */
int dax_flag_test(struct instruction *d);
/* DEP_* of the value P */
unsigned dax_dep(pseudo_t p);
/* DEP_* of what F returns (DEP_PURE only with a single return) */
unsigned fn_dax_dep(struct fn *f);
/* D with DEP_POS and DEP_NEG swapped: the value negated */
unsigned dep_swap(unsigned d);

#endif
