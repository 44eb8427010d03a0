// SPDX-License-Identifier: GPL-2.0
/*
 * check_break_layouts_mmaplock.c - xfs_break_layouts(inode, &iolock,
 * BREAK_UNMAP) must be reached with XFS_MMAPLOCK_EXCL held and with the
 * iolock word it is passed containing XFS_MMAPLOCK_EXCL (xfs_break_layouts
 * drops and retakes exactly those flags).  A BREAK_WRITE call needs only
 * the iolock, which the VFS usually holds: not checked.
 *
 * A function whose missing lock is not its own fault (it has callers in
 * this unit, or asserts the lock, or is a break-layouts wrapper) passes the
 * requirement to its callers through its summary; the engine checks them.
 */
#include "daxlint.h"

#define BREAK_UNMAP 1

/* the iolock word handed down must contain XFS_MMAPLOCK_EXCL */
static void check_iolock(struct event_ctx *c, pseudo_t iol)
{
	struct fn *f = c->fn;
	int i;

	if (!iol || iol->type != PSEUDO_SYM)
		return;
	for (i = 0; i < f->nvars; i++) {
		if (f->vars[i] != iol->sym)
			continue;
		if (!(c->st->vars[i].must & L_MMAP_EXCL))
			report(R_BREAK_MMAP, f, report_pos(f, c->ev->insn),
			       "the iolock flags passed to xfs_break_layouts(BREAK_UNMAP) do not contain XFS_MMAPLOCK_EXCL");
	}
}

static void on_event(struct event_ctx *c)
{
	struct fn *f = c->fn;
	struct event *e = c->ev;
	const struct lstate *st = c->st;
	long long reason;

	if (e->kind == CK_NONE && e->callee &&
	    (event_needs(f, e, st) & REQ_MMAP)) {
		if (!(st->must & L_MMAP_EXCL)) {
			if ((st->released & L_MMAP_EXCL) || is_top(f))
				report(R_BREAK_MMAP, f, report_pos(f, e->insn),
				       "%s() breaks DAX layouts and needs XFS_MMAPLOCK_EXCL, which is not held here",
				       e->callee->name);
			return;
		}
		if (e->callee->iolock_param)
			check_iolock(c, call_arg(e->insn,
						 e->callee->iolock_param - 1));
		return;
	}
	if (e->kind != CK_BREAK_LAYOUTS)
		return;
	if (!value_const(call_arg(e->insn, 2), st, f, &reason))
		return;
	/*
	 * BREAK_WRITE needs only the iolock, which the VFS or the caller
	 * usually holds (and xfs_file_write_checks retakes through its
	 * iolock pointer): not checked.
	 */
	if (reason != BREAK_UNMAP)
		return;
	if ((st->must & L_MMAP_EXCL) &&
	    !mmap_held_on(st, call_arg(e->insn, 0))) {
		report(R_BREAK_MMAP, f, report_pos(f, e->insn),
		       "xfs_break_layouts(BREAK_UNMAP) on an inode whose XFS_MMAPLOCK_EXCL is not the one held");
		return;
	}
	if (!(st->must & L_MMAP_EXCL)) {
		if ((st->released & L_MMAP_EXCL) || is_top(f)) {
			report(R_BREAK_MMAP, f, report_pos(f, e->insn),
			       (st->released & L_MMAP_EXCL) ?
			       "xfs_break_layouts(BREAK_UNMAP) after XFS_MMAPLOCK_EXCL was released on some path" :
			       "xfs_break_layouts(BREAK_UNMAP) without XFS_MMAPLOCK_EXCL held");
			return;
		}
	}
	check_iolock(c, call_arg(e->insn, 1));
}

void check_break_layouts_mmaplock_init(void)
{
	register_event_hook(on_event);
}
