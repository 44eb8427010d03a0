/* SPDX-License-Identifier: GPL-2.0 */
/*
 * calltable.h - what a call of a kernel API does, by the lock table
 */
#ifndef DAXLINT_CALLTABLE_H
#define DAXLINT_CALLTABLE_H

#include "ir.h"

/* ---- what a call does ------------------------------------------------ */
enum call_kind {
	CK_NONE = 0,
	CK_XFS_ILOCK,		/* xfs_ilock(ip, F), xfs_ilock_nowait */
	CK_XFS_IUNLOCK,		/* xfs_iunlock(ip, F) */
	CK_XFS_DEMOTE,		/* xfs_ilock_demote(ip, F) */
	CK_XFS_LOCK_TWO,	/* xfs_lock_two_inodes(ip0, F0, ip1, F1) */
	CK_XFS_ISLOCKED,	/* xfs_isilocked / xfs_assert_ilocked: proof */
	CK_XFS_INUMORDER,	/* xfs_lock_inumorder(F, n): value F */
	CK_RWSEM_WRITE,		/* down_write(&x->field) (+ _killable etc.) */
	CK_RWSEM_READ,
	CK_RWSEM_UP_WRITE,
	CK_RWSEM_UP_READ,
	CK_RWSEM_DOWNGRADE,
	CK_RWSEM_ASSERT,	/* rwsem_is_locked(&x->field) in a WARN_ON */
	CK_LOCKDEP_ASSERT,	/* lockdep_assert_held*(&x->field) as a call */
	CK_INVAL_LOCK,		/* filemap_invalidate_lock(mapping) */
	CK_INVAL_UNLOCK,
	CK_INVAL_LOCK_SHARED,
	CK_INVAL_UNLOCK_SHARED,
	CK_INVAL_LOCK_TWO,
	CK_INVAL_UNLOCK_TWO,
	CK_LAYOUT_LOCK,		/* dax_layout_lock(), rcu_read_lock() */
	CK_LAYOUT_UNLOCK,
	CK_BUSY_PAGE,		/* dax_layout_busy_page(_range) */
	CK_BREAK_LAYOUTS,	/* xfs_break_layouts(inode, &iolock, reason) */
	CK_GUP_WALK,		/* follow_page_mask, gup_pgd_range */
	CK_SLEEP,		/* schedule() and friends */
	CK_ALLOC,		/* kmalloc-like: sleeps with __GFP_DIRECT_RECLAIM */
	CK_WAKE_SLEEP,		/* faultin_page etc: may sleep (gup) */
	CK_PGMAP_GET,		/* dev_pagemap_get_ops, devmap_managed_enable_get */
	CK_PGMAP_PUT,
	CK_STATIC_BRANCH,	/* static_branch_*(), static_key_*() */
	CK_NR
};


void call_table_init(void);
/* what a call of the function named ID does (CK_NONE: nothing known) */
enum call_kind call_kind_of(struct ident *id);
/* an rw_semaphore field that is the fault-blocking lock */
int is_fault_field(struct ident *id);
/* a kind that matters as the OP_INLINED_CALL marker of an inlined helper */
int inlined_kind_ok(enum call_kind k);
/* the layout lock by its own name (dax_layout_lock), not its RCU body */
int is_layout_api(struct ident *id);
/* the unit declares the layout lock: a v7 tree */
int layout_api_declared(void);

#endif
