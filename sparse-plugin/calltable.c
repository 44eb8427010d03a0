// SPDX-License-Identifier: GPL-2.0
/*
 * calltable.c - the lock table: what a call of a kernel API does
 * (enum call_kind), and the rw_semaphore fields that are the fault lock.
 */
#include "calltable.h"
#include "fn.h"

struct lock_entry {
	const char *name;
	enum call_kind kind;
	struct ident *ident;
};

static struct lock_entry call_table[] = {
	{ "xfs_ilock", CK_XFS_ILOCK, NULL },
	{ "xfs_ilock_nowait", CK_XFS_ILOCK, NULL },
	{ "xfs_iunlock", CK_XFS_IUNLOCK, NULL },
	{ "xfs_ilock_demote", CK_XFS_DEMOTE, NULL },
	{ "xfs_lock_two_inodes", CK_XFS_LOCK_TWO, NULL },
	{ "xfs_isilocked", CK_XFS_ISLOCKED, NULL },
	{ "xfs_assert_ilocked", CK_XFS_ISLOCKED, NULL },
	{ "xfs_lock_inumorder", CK_XFS_INUMORDER, NULL },
	{ "down_write", CK_RWSEM_WRITE, NULL },
	{ "down_write_nested", CK_RWSEM_WRITE, NULL },
	{ "down_write_killable", CK_RWSEM_WRITE, NULL },
	{ "down_write_trylock", CK_RWSEM_WRITE, NULL },
	{ "down_read", CK_RWSEM_READ, NULL },
	{ "down_read_nested", CK_RWSEM_READ, NULL },
	{ "down_read_killable", CK_RWSEM_READ, NULL },
	{ "down_read_interruptible", CK_RWSEM_READ, NULL },
	{ "down_read_trylock", CK_RWSEM_READ, NULL },
	{ "up_write", CK_RWSEM_UP_WRITE, NULL },
	{ "up_read", CK_RWSEM_UP_READ, NULL },
	{ "downgrade_write", CK_RWSEM_DOWNGRADE, NULL },
	{ "rwsem_is_locked", CK_RWSEM_ASSERT, NULL },
	{ "lockdep_assert_held", CK_LOCKDEP_ASSERT, NULL },
	{ "lockdep_assert_held_write", CK_LOCKDEP_ASSERT, NULL },
	{ "filemap_invalidate_lock", CK_INVAL_LOCK, NULL },
	{ "filemap_invalidate_unlock", CK_INVAL_UNLOCK, NULL },
	{ "filemap_invalidate_lock_shared", CK_INVAL_LOCK_SHARED, NULL },
	{ "filemap_invalidate_unlock_shared", CK_INVAL_UNLOCK_SHARED, NULL },
	{ "filemap_invalidate_lock_two", CK_INVAL_LOCK_TWO, NULL },
	{ "filemap_invalidate_unlock_two", CK_INVAL_UNLOCK_TWO, NULL },
	{ "dax_layout_lock", CK_LAYOUT_LOCK, NULL },
	{ "dax_layout_unlock", CK_LAYOUT_UNLOCK, NULL },
	{ "rcu_read_lock", CK_LAYOUT_LOCK, NULL },
	{ "rcu_read_unlock", CK_LAYOUT_UNLOCK, NULL },
	{ "dax_layout_busy_page", CK_BUSY_PAGE, NULL },
	{ "dax_layout_busy_page_range", CK_BUSY_PAGE, NULL },
	{ "xfs_break_layouts", CK_BREAK_LAYOUTS, NULL },
	{ "follow_page_mask", CK_GUP_WALK, NULL },
	{ "gup_pgd_range", CK_GUP_WALK, NULL },
	{ "schedule", CK_SLEEP, NULL },
	{ "schedule_timeout", CK_SLEEP, NULL },
	{ "io_schedule", CK_SLEEP, NULL },
	{ "io_schedule_timeout", CK_SLEEP, NULL },
	{ "msleep", CK_SLEEP, NULL },
	{ "msleep_interruptible", CK_SLEEP, NULL },
	{ "usleep_range", CK_SLEEP, NULL },
	{ "usleep_range_state", CK_SLEEP, NULL },
	{ "ssleep", CK_SLEEP, NULL },
	{ "wait_for_completion", CK_SLEEP, NULL },
	{ "kmalloc", CK_ALLOC, NULL },
	{ "__kmalloc", CK_ALLOC, NULL },
	{ "kzalloc", CK_ALLOC, NULL },
	{ "kmem_cache_alloc", CK_ALLOC, NULL },
	{ "kmem_cache_zalloc", CK_ALLOC, NULL },
	{ "kmalloc_array", CK_ALLOC, NULL },
	{ "kcalloc", CK_ALLOC, NULL },
	{ "kmalloc_node", CK_ALLOC, NULL },
	{ "__kmalloc_node", CK_ALLOC, NULL },
	{ "kzalloc_node", CK_ALLOC, NULL },
	{ "kmalloc_trace", CK_ALLOC, NULL },
	{ "kmalloc_large", CK_ALLOC, NULL },
	{ "kmem_cache_alloc_node", CK_ALLOC, NULL },
	{ "kmem_cache_alloc_lru", CK_ALLOC, NULL },
	{ "kvmalloc", CK_ALLOC, NULL },
	{ "kvzalloc", CK_ALLOC, NULL },
	{ "kvmalloc_node", CK_ALLOC, NULL },
	{ "kvcalloc", CK_ALLOC, NULL },
	{ "kvmalloc_array", CK_ALLOC, NULL },
	{ "krealloc", CK_ALLOC, NULL },
	{ "kmemdup", CK_ALLOC, NULL },
	{ "mempool_alloc", CK_ALLOC, NULL },
	{ "alloc_pages", CK_ALLOC, NULL },
	{ "__alloc_pages", CK_ALLOC, NULL },
	{ "alloc_pages_node", CK_ALLOC, NULL },
	{ "__alloc_pages_node", CK_ALLOC, NULL },
	{ "__get_free_pages", CK_ALLOC, NULL },
	{ "get_zeroed_page", CK_ALLOC, NULL },
	{ "folio_alloc", CK_ALLOC, NULL },
	{ "__folio_alloc", CK_ALLOC, NULL },
	{ "faultin_page", CK_WAKE_SLEEP, NULL },
	{ "cond_resched", CK_WAKE_SLEEP, NULL },
	{ "_cond_resched", CK_WAKE_SLEEP, NULL },
	{ "__cond_resched", CK_WAKE_SLEEP, NULL },
	{ "might_sleep", CK_WAKE_SLEEP, NULL },
	{ "__might_sleep", CK_WAKE_SLEEP, NULL },
	{ "__might_resched", CK_WAKE_SLEEP, NULL },
	/*
	 * cond_resched() and might_sleep() as kernel builds spell them: an
	 * inline __might_resched() / ___might_sleep() (4.x) that is empty
	 * without DEBUG_ATOMIC_SLEEP, then _cond_resched() (inline under
	 * PREEMPT) or, with PREEMPT_DYNAMIC, a static call
	 */
	{ "___might_sleep", CK_WAKE_SLEEP, NULL },
	{ "__SCT__cond_resched", CK_WAKE_SLEEP, NULL },
	{ "__SCT__might_resched", CK_WAKE_SLEEP, NULL },
	{ "__cond_resched_lock", CK_WAKE_SLEEP, NULL },
	{ "__cond_resched_rwlock_read", CK_WAKE_SLEEP, NULL },
	{ "__cond_resched_rwlock_write", CK_WAKE_SLEEP, NULL },
	{ "might_fault", CK_WAKE_SLEEP, NULL },
	{ "__might_fault", CK_WAKE_SLEEP, NULL },
	{ "synchronize_rcu", CK_WAKE_SLEEP, NULL },
	{ "vmalloc", CK_WAKE_SLEEP, NULL },
	{ "vzalloc", CK_WAKE_SLEEP, NULL },
	{ "__vmalloc", CK_WAKE_SLEEP, NULL },
	{ "vmalloc_node", CK_WAKE_SLEEP, NULL },
	{ "inode_lock", CK_WAKE_SLEEP, NULL },
	{ "inode_lock_shared", CK_WAKE_SLEEP, NULL },
	{ "mutex_lock", CK_WAKE_SLEEP, NULL },
	{ "mutex_lock_nested", CK_WAKE_SLEEP, NULL },
	{ "mutex_lock_interruptible", CK_WAKE_SLEEP, NULL },
	{ "mutex_lock_killable", CK_WAKE_SLEEP, NULL },
	{ "mutex_lock_io", CK_WAKE_SLEEP, NULL },
	{ "mutex_lock_interruptible_nested", CK_WAKE_SLEEP, NULL },
	{ "mutex_lock_killable_nested", CK_WAKE_SLEEP, NULL },
	{ "dev_pagemap_get_ops", CK_PGMAP_GET, NULL },
	{ "dev_pagemap_put_ops", CK_PGMAP_PUT, NULL },
	{ "devmap_managed_enable_get", CK_PGMAP_GET, NULL },
	{ "devmap_managed_enable_put", CK_PGMAP_PUT, NULL },
	{ "static_branch_enable", CK_STATIC_BRANCH, NULL },
	{ "static_branch_disable", CK_STATIC_BRANCH, NULL },
	{ "static_branch_inc", CK_STATIC_BRANCH, NULL },
	{ "static_branch_dec", CK_STATIC_BRANCH, NULL },
	{ "static_key_enable", CK_STATIC_BRANCH, NULL },
	{ "static_key_disable", CK_STATIC_BRANCH, NULL },
	{ "static_key_slow_inc", CK_STATIC_BRANCH, NULL },
	{ "static_key_slow_dec", CK_STATIC_BRANCH, NULL },
};
#define NCALLS (sizeof(call_table) / sizeof(call_table[0]))

/* the rw_semaphore fields that are the fault-blocking lock */
static const char *const fault_fields[] = {
	"invalidate_lock",	/* struct address_space, 5.15+ */
	"i_mmap_sem",		/* struct ext4_inode_info, 4.19 - 5.14 */
};
static struct ident *fault_idents[2];
struct ident *dax_layout_lock_ident;

/*
 * calls that only matter as OP_INLINED_CALL markers of inlined helpers; a
 * sleeper counts inlined too: the build may make it an empty inline
 * (_cond_resched() under PREEMPT, __might_resched() without
 * DEBUG_ATOMIC_SLEEP) and the marker is then all that is left of it
 */
int inlined_kind_ok(enum call_kind k)
{
	switch (k) {
	case CK_LAYOUT_LOCK: case CK_LAYOUT_UNLOCK:
	case CK_INVAL_LOCK: case CK_INVAL_UNLOCK:
	case CK_INVAL_LOCK_SHARED: case CK_INVAL_UNLOCK_SHARED:
	case CK_INVAL_LOCK_TWO: case CK_INVAL_UNLOCK_TWO:
	case CK_SLEEP: case CK_WAKE_SLEEP:
		return 1;
	default:
		return 0;
	}
}

void call_table_init(void)
{
	static int done;
	unsigned i;

	if (done)
		return;
	done = 1;
	for (i = 0; i < NCALLS; i++)
		call_table[i].ident = built_in_ident(call_table[i].name);
	for (i = 0; i < 2; i++)
		fault_idents[i] = built_in_ident(fault_fields[i]);
	dax_layout_lock_ident = built_in_ident("dax_layout_lock");
}

enum call_kind call_kind_of(struct ident *id)
{
	unsigned i;

	if (!id)
		return CK_NONE;
	for (i = 0; i < NCALLS; i++)
		if (call_table[i].ident == id)
			return call_table[i].kind;
	return CK_NONE;
}

int is_fault_field(struct ident *id)
{
	return id && (id == fault_idents[0] || id == fault_idents[1]);
}


/* the function is one of the APIs of the lock table (its definition) */
int is_api(struct fn *f)
{
	return f->sym && call_kind_of(f->sym->ident) != CK_NONE;
}
