/*
 * check-name: nested XFS locks, OR-ed and variable flags, demotion, inumorder
 * check-command: daxlint-sparse -I../../kernel-integration/include $file
 *
 * check-error-start
nested.c:23:34: warning: [break-layouts-mmaplock] nested_inner_dropped: xfs_break_layouts(BREAK_UNMAP) after XFS_MMAPLOCK_EXCL was released on some path
nested.c:36:34: warning: [break-layouts-mmaplock] nested_demoted: xfs_break_layouts(BREAK_UNMAP) after XFS_MMAPLOCK_EXCL was released on some path
nested.c:62:34: warning: [break-layouts-mmaplock] nested_variable: xfs_break_layouts(BREAK_UNMAP) without XFS_MMAPLOCK_EXCL held
 * check-error-end
 * A scan that hands the page back without waiting: no busy-page-wait.
 */
#include "daxlint_stub.h"

static int nested_inner_dropped(struct inode *inode)
{
	struct xfs_inode *ip = XFS_I(inode);
	uint iolock = XFS_IOLOCK_EXCL | XFS_MMAPLOCK_EXCL;
	int error;

	xfs_ilock(ip, XFS_IOLOCK_EXCL);
	xfs_ilock(ip, XFS_MMAPLOCK_EXCL);
	xfs_iunlock(ip, XFS_MMAPLOCK_EXCL);
	error = xfs_break_layouts(inode, &iolock, BREAK_UNMAP);
	xfs_iunlock(ip, XFS_IOLOCK_EXCL);
	return error;
}

static int nested_demoted(struct inode *inode)
{
	struct xfs_inode *ip = XFS_I(inode);
	uint iolock = XFS_IOLOCK_EXCL | XFS_MMAPLOCK_EXCL;
	int error;

	xfs_ilock(ip, iolock);
	xfs_ilock_demote(ip, XFS_MMAPLOCK_EXCL);
	error = xfs_break_layouts(inode, &iolock, BREAK_UNMAP);
	xfs_iunlock(ip, XFS_IOLOCK_EXCL | XFS_MMAPLOCK_SHARED);
	return error;
}

static int nested_inumorder(struct xfs_inode *ip1, struct xfs_inode *ip2)
{
	struct page *page;

	xfs_ilock(ip1, XFS_MMAPLOCK_EXCL);
	xfs_ilock(ip2, xfs_lock_inumorder(XFS_MMAPLOCK_EXCL, 1));
	page = dax_layout_busy_page(VFS_I(ip2)->i_mapping);
	xfs_iunlock(ip2, XFS_MMAPLOCK_EXCL);
	xfs_iunlock(ip1, XFS_MMAPLOCK_EXCL);
	return page != NULL;
}

static int nested_variable(struct inode *inode, int excl)
{
	struct xfs_inode *ip = XFS_I(inode);
	uint iolock = XFS_IOLOCK_SHARED;
	int error;

	if (excl)
		iolock = XFS_IOLOCK_EXCL | XFS_MMAPLOCK_EXCL;
	xfs_ilock(ip, iolock);
	error = xfs_break_layouts(inode, &iolock, BREAK_UNMAP);
	xfs_iunlock(ip, iolock);
	return error;
}

void *nested_ops[] = { nested_inner_dropped, nested_demoted, nested_inumorder,
		       nested_variable };
