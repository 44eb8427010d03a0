/*
 * check-name: switch fall-through reaches the scan with and without the lock
 * check-command: daxlint-sparse -I../../kernel-integration/include $file
 *
 * check-error-start
switch.c:22:44: warning: [busy-page-locked] switch_fallthrough: dax_layout_busy_page() without the fault lock (XFS_MMAPLOCK_EXCL / invalidate_lock) held exclusively
 * check-error-end
 * A scan that hands the page back without waiting: no busy-page-wait.
 *
 */
#include "daxlint_stub.h"

static int switch_fallthrough(struct inode *inode, int mode)
{
	struct page *page = NULL;

	switch (mode) {
	case 1:
		filemap_invalidate_lock(inode->i_mapping);
		/* fall through */
	case 2:
		page = dax_layout_busy_page(inode->i_mapping);
		break;
	default:
		return 0;
	}
	filemap_invalidate_unlock(inode->i_mapping);
	return page != NULL;
}

static int switch_fallthrough_locked(struct inode *inode, int mode)
{
	struct page *page = NULL;

	switch (mode) {
	case 1:
		inode->i_flags |= 1;
		/* fall through */
	case 2:
		down_write(&inode->i_mapping->invalidate_lock);
		page = dax_layout_busy_page(inode->i_mapping);
		up_write(&inode->i_mapping->invalidate_lock);
		break;
	default:
		break;
	}
	return page != NULL;
}

int (*switch_ops[])(struct inode *, int) = {
	switch_fallthrough, switch_fallthrough_locked
};
