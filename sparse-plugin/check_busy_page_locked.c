// SPDX-License-Identifier: GPL-2.0
/*
 * check_busy_page_locked.c - dax_layout_busy_page() / _range() only with
 * the fault-blocking lock held exclusively: XFS_MMAPLOCK_EXCL,
 * mapping->invalidate_lock (filemap_invalidate_lock, down_write) or ext4's
 * i_mmap_sem for write.  Functions that assert the lock or only pass the
 * obligation on (xfs_break_dax_layouts, ext4_break_layouts,
 * fuse_dax_break_layouts) move the check to their callers in the unit;
 * the finding is reported in the outermost function that fails to hold it.
 * Held on the wrong inode (the lock on one parameter, the scan of another)
 * is a finding too.
 */
#include "daxlint.h"

static void on_event(struct event_ctx *c)
{
	struct fn *f = c->fn;
	struct event *e = c->ev;
	const struct lstate *st = c->st;
	const char *what;

	if (is_busy_scan(e))
		what = show_ident(e->name);
	else if (e->kind == CK_NONE && e->callee &&
		 (e->callee->req & REQ_FAULT))
		what = e->callee->name;
	else
		return;
	if (st->must & L_FAULT_EXCL) {
		if (!fault_held_on(st, event_fault_obj(e)))
			report(R_BUSY_LOCKED, f, report_pos(f, e->insn),
			       "%s() on an inode whose fault lock is not the one held",
			       what);
		return;
	}
	if (st->released & L_FAULT_EXCL)
		report(R_BUSY_LOCKED, f, report_pos(f, e->insn),
		       "%s() after the fault lock was released on some path",
		       what);
	else if (is_top(f))
		report(R_BUSY_LOCKED, f, report_pos(f, e->insn),
		       "%s() without the fault lock (XFS_MMAPLOCK_EXCL / invalidate_lock) held exclusively",
		       what);
}

void check_busy_page_locked_init(void)
{
	register_event_hook(on_event);
}
