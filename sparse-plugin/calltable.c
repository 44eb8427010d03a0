// SPDX-License-Identifier: GPL-2.0
/*
 * calltable.c - the lock table: what a call of a kernel API does
 * (enum call_kind), and the rw_semaphore fields that are the fault lock,
 * both read from the API table's rows (api.def).
 */
#include "calltable.h"
#include "api.h"

/*
 * The table's kinds that are calls of the lock table; a kind not here (a
 * flag bit, a page drop, fsdax ...) is no call of it (CK_NONE)
 */
static const enum call_kind call_of_kind[AK_NR] = {
	[AK_XFS_LOCK] = CK_XFS_ILOCK,
	[AK_XFS_UNLOCK] = CK_XFS_IUNLOCK,
	[AK_XFS_DEMOTE] = CK_XFS_DEMOTE,
	[AK_XFS_LOCK_TWO] = CK_XFS_LOCK_TWO,
	[AK_XFS_ASSERT] = CK_XFS_ISLOCKED,
	[AK_XFS_LOCK_ORDER] = CK_XFS_INUMORDER,
	[AK_RWSEM_WRITE] = CK_RWSEM_WRITE,
	[AK_RWSEM_READ] = CK_RWSEM_READ,
	[AK_RWSEM_UP_WRITE] = CK_RWSEM_UP_WRITE,
	[AK_RWSEM_UP_READ] = CK_RWSEM_UP_READ,
	[AK_RWSEM_DOWNGRADE] = CK_RWSEM_DOWNGRADE,
	[AK_RWSEM_ASSERT] = CK_RWSEM_ASSERT,
	[AK_LOCKDEP_ASSERT] = CK_LOCKDEP_ASSERT,
	[AK_INVAL_LOCK] = CK_INVAL_LOCK,
	[AK_INVAL_UNLOCK] = CK_INVAL_UNLOCK,
	[AK_INVAL_LOCK_SHARED] = CK_INVAL_LOCK_SHARED,
	[AK_INVAL_UNLOCK_SHARED] = CK_INVAL_UNLOCK_SHARED,
	[AK_INVAL_LOCK_TWO] = CK_INVAL_LOCK_TWO,
	[AK_INVAL_UNLOCK_TWO] = CK_INVAL_UNLOCK_TWO,
	[AK_LAYOUT_LOCK] = CK_LAYOUT_LOCK,
	[AK_LAYOUT_UNLOCK] = CK_LAYOUT_UNLOCK,
	[AK_BUSY_PAGE] = CK_BUSY_PAGE,
	[AK_BREAK_LAYOUTS] = CK_BREAK_LAYOUTS,
	[AK_GUP_WALK] = CK_GUP_WALK,
	[AK_SLEEP] = CK_SLEEP,
	[AK_ALLOC] = CK_ALLOC,
	[AK_MAY_SLEEP] = CK_WAKE_SLEEP,
	[AK_PGMAP_GET] = CK_PGMAP_GET,
	[AK_PGMAP_PUT] = CK_PGMAP_PUT,
	[AK_STATIC_BRANCH] = CK_STATIC_BRANCH,
};

/* the rows of api.def that are calls of the lock table, by identifier */
struct lock_entry {
	struct ident *ident;
	enum call_kind kind;
};
static struct lock_entry call_table[API_NROWS];
static unsigned ncalls;

/*
 * the rw_semaphore fields that are the fault-blocking lock (the table's
 * fault-lock-field rows: address_space's invalidate_lock, 5.15+; ext4's
 * i_mmap_sem, 4.19 - 5.14)
 */
static struct ident *fault_idents[API_NROWS];
static unsigned nfault;
/* the layout-api rows: the v7 layout lock by its own name */
static struct ident *layout_idents[API_NROWS];
static unsigned nlayout;

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
	for (i = 0; i < API_NROWS; i++) {
		const struct api_row *r = &api_rows[i];

		/* a family (NAME*) names no one identifier */
		if (r->family)
			continue;
		if (r->kind == AK_FAULT_LOCK_FIELD)
			fault_idents[nfault++] = built_in_ident(r->name);
		if (r->kind == AK_LAYOUT_API)
			layout_idents[nlayout++] = built_in_ident(r->name);
		if (call_of_kind[r->kind] == CK_NONE)
			continue;
		call_table[ncalls].ident = built_in_ident(r->name);
		call_table[ncalls].kind = call_of_kind[r->kind];
		ncalls++;
	}
}

enum call_kind call_kind_of(struct ident *id)
{
	unsigned i;

	if (!id)
		return CK_NONE;
	for (i = 0; i < ncalls; i++)
		if (call_table[i].ident == id)
			return call_table[i].kind;
	return CK_NONE;
}

int is_fault_field(struct ident *id)
{
	unsigned i;

	for (i = 0; id && i < nfault; i++)
		if (fault_idents[i] == id)
			return 1;
	return 0;
}

int is_layout_api(struct ident *id)
{
	unsigned i;

	for (i = 0; id && i < nlayout; i++)
		if (layout_idents[i] == id)
			return 1;
	return 0;
}

int layout_api_declared(void)
{
	unsigned i;

	call_table_init();
	for (i = 0; i < nlayout; i++)
		if (layout_idents[i]->symbols)
			return 1;
	return 0;
}
