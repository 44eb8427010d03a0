/* SPDX-License-Identifier: GPL-2.0 */
/*
 * locks.h - the abstract locks (bits of a lock set) and the lock state at
 * a program point
 */
#ifndef DAXLINT_LOCKS_H
#define DAXLINT_LOCKS_H

#include "ir.h"

/* ---- abstract locks: bits of a lock set ------------------------------ */
/* the XFS inode lock bits are the kernel's own values (xfs_inode.h) */
#define L_IOLOCK_EXCL	(1u << 0)
#define L_IOLOCK_SHARED	(1u << 1)
#define L_ILOCK_EXCL	(1u << 2)
#define L_ILOCK_SHARED	(1u << 3)
#define L_MMAP_EXCL	(1u << 4)
#define L_MMAP_SHARED	(1u << 5)
#define L_XFS_MASK	0x3fu
/* mapping->invalidate_lock or ext4's i_mmap_sem held for write */
#define L_INVAL_EXCL	(1u << 6)
#define L_INVAL_SHARED	(1u << 7)
/* dax_layout_lock() (v7): an RCU read-side section */
#define L_LAYOUT	(1u << 8)
/* the page-fault-blocking lock held exclusively, whichever fs spelling */
#define L_FAULT_EXCL	(L_MMAP_EXCL | L_INVAL_EXCL)

/* ---- tracked local variables (address-taken lock-flag words) --------- */
#define MAX_VARS 8
#define MAX_ROOTS 4
#define ROOT_ANY ((pseudo_t)1)
struct varval {
	unsigned long long must;	/* bits surely set */
	unsigned long long may;		/* bits possibly set */
};

/* the lock state at a program point */
struct lstate {
	int reached;
	unsigned must;		/* locks held on every path */
	unsigned may;		/* locks held on some path */
	unsigned released;	/* locks this function may have released */
	unsigned taken;		/* locks this function may have taken */
	struct instruction *layout_site;	/* the dax_layout_lock() taken */
	/*
	 * The inodes XFS_MMAPLOCK_EXCL is held on, when known (a must-set:
	 * joins intersect).  ROOT_ANY: held on the caller's inode (assumed at
	 * entry, or taken on an inode the engine cannot name).
	 */
	int nroots;
	pseudo_t roots[MAX_ROOTS];
	/* the same for the invalidate_lock / i_mmap_sem held for write */
	int niroots;
	pseudo_t iroots[MAX_ROOTS];
	struct varval vars[MAX_VARS];
};

#endif
