/*
 * check-name: an error path jumps past the lock to a label that scans
 * check-command: daxlint-sparse -I../include $file
 *
 * check-error-start
goto.c:22:36: warning: [busy-page-locked] goto_skips_lock: dax_layout_busy_page() without the fault lock (XFS_MMAPLOCK_EXCL / invalidate_lock) held exclusively
goto.c:22:36: warning: [busy-page-wait] goto_skips_lock: dax_layout_busy_page() is looked up once; repeat it until it returns NULL
goto.c:35:36: warning: [busy-page-wait] goto_unlock_out: dax_layout_busy_page() is looked up once; repeat it until it returns NULL
 * check-error-end
 */
#include "daxlint_stub.h"

static int goto_skips_lock(struct inode *inode, int flags)
{
	struct xfs_inode *ip = XFS_I(inode);
	struct page *page;

	if (flags)
		goto scan;
	xfs_ilock(ip, XFS_MMAPLOCK_EXCL);
scan:
	page = dax_layout_busy_page(inode->i_mapping);
	xfs_iunlock(ip, XFS_MMAPLOCK_EXCL);
	return page != NULL;
}

static int goto_unlock_out(struct inode *inode, int flags)
{
	struct xfs_inode *ip = XFS_I(inode);
	struct page *page = NULL;

	xfs_ilock(ip, XFS_MMAPLOCK_EXCL);
	if (flags)
		goto out_unlock;
	page = dax_layout_busy_page(inode->i_mapping);
out_unlock:
	xfs_iunlock(ip, XFS_MMAPLOCK_EXCL);
	return page != NULL;
}

int (*goto_ops[])(struct inode *, int) = { goto_skips_lock, goto_unlock_out };
