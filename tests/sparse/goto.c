/*
 * check-name: an error path jumps past the lock to a label; no retry jump
 * check-command: daxlint-sparse -I../../kernel-integration/include $file
 *
 * check-error-start
goto.c:22:36: warning: [busy-page-locked] goto_skips_lock: dax_layout_busy_page() without the fault lock (XFS_MMAPLOCK_EXCL / invalidate_lock) held exclusively
goto.c:48:36: warning: [busy-page-wait] goto_wait_once: dax_layout_busy_page() is looked up once; repeat it until it returns NULL
 * check-error-end
 * A scan that hands the page back without waiting: no busy-page-wait.
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

/* waits with the lock dropped, but never jumps back to look again */
static int goto_wait_once(struct inode *inode, int flags)
{
	struct xfs_inode *ip = XFS_I(inode);
	struct page *page;

	xfs_ilock(ip, XFS_MMAPLOCK_EXCL);
	page = dax_layout_busy_page(inode->i_mapping);
	if (!page)
		goto out_unlock;
	xfs_iunlock(ip, XFS_MMAPLOCK_EXCL);
	schedule();
	return 1;
out_unlock:
	xfs_iunlock(ip, XFS_MMAPLOCK_EXCL);
	return 0;
}

int (*goto_ops[])(struct inode *, int) = { goto_skips_lock, goto_unlock_out,
					   goto_wait_once };
