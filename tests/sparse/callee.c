/*
 * check-name: locks taken and dropped in callees, requirements of wrappers
 * check-command: daxlint-sparse -I../../kernel-integration/include $file
 *
 * check-error-start
callee.c:51:33: warning: [busy-page-locked] callee_unlocked_by_helper: callee_scan_twice() after the fault lock was released on some path
callee.c:58:33: warning: [busy-page-locked] callee_entry_unlocked: callee_scan_twice() without the fault lock (XFS_MMAPLOCK_EXCL / invalidate_lock) held exclusively
 * check-error-end
 * A scan that hands the page back without waiting: no busy-page-wait.
 */
#include "daxlint_stub.h"

/* not inline: the caller sees it through its summary */
static void callee_lock(struct inode *inode)
{
	filemap_invalidate_lock(inode->i_mapping);
}

static void callee_unlock(struct inode *inode)
{
	filemap_invalidate_unlock(inode->i_mapping);
}

/* a wrapper: takes no lock, so its callers must hold one */
static struct page *callee_scan(struct inode *inode)
{
	return dax_layout_busy_page(inode->i_mapping);
}

static struct page *callee_scan_twice(struct inode *inode)
{
	return callee_scan(inode);
}

static int callee_locked_by_helper(struct inode *inode)
{
	struct page *page;

	callee_lock(inode);
	page = callee_scan_twice(inode);
	callee_unlock(inode);
	return page != NULL;
}

static int callee_unlocked_by_helper(struct inode *inode)
{
	struct page *page;

	callee_lock(inode);
	callee_unlock(inode);
	page = callee_scan_twice(inode);
	return page != NULL;
}

/* an entry point (ops table) that never locks: reported at its call */
static int callee_entry_unlocked(struct inode *inode)
{
	return callee_scan_twice(inode) != NULL;
}

int (*callee_ops[])(struct inode *) = {
	callee_locked_by_helper, callee_unlocked_by_helper,
	callee_entry_unlocked
};
