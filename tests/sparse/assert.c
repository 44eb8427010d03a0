/*
 * check-name: assertions that the preprocessor removed still pass the
 *             obligation to the callers
 * check-command: daxlint-sparse -I../../kernel-integration/include $file
 *
 * check-error-start
assert.c:37:27: warning: [busy-page-locked] assert_caller_shared: assert_scan() without the fault lock (XFS_MMAPLOCK_EXCL / invalidate_lock) held exclusively
 * check-error-end
 * A scan that hands the page back without waiting: no busy-page-wait.
 */
#include "daxlint_stub.h"

#undef lockdep_assert_held_write
#define lockdep_assert_held_write(l) do { } while (0)

static struct page *assert_scan(struct inode *inode)
{
	lockdep_assert_held_write(&inode->i_mapping->invalidate_lock);
	return dax_layout_busy_page(inode->i_mapping);
}

static int assert_caller_locked(struct inode *inode)
{
	struct page *page;

	filemap_invalidate_lock(inode->i_mapping);
	page = assert_scan(inode);
	filemap_invalidate_unlock(inode->i_mapping);
	return page != NULL;
}

static int assert_caller_shared(struct inode *inode)
{
	struct page *page;

	filemap_invalidate_lock_shared(inode->i_mapping);
	page = assert_scan(inode);
	filemap_invalidate_unlock_shared(inode->i_mapping);
	return page != NULL;
}

int (*assert_ops[])(struct inode *) = {
	assert_caller_locked, assert_caller_shared
};
