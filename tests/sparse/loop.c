/*
 * check-name: a lock dropped inside a loop is not held on the next iteration
 * check-command: daxlint-sparse -I../../kernel-integration/include $file
 *
 * check-error-start
loop.c:32:44: warning: [busy-page-locked] loop_drops: dax_layout_busy_page() after the fault lock was released on some path
 * check-error-end
 */
#include "daxlint_stub.h"

/* locked around the whole loop: the fixed point keeps it held */
static int loop_ok(struct inode *inode, int n)
{
	struct page *page = NULL;
	int i;

	filemap_invalidate_lock(inode->i_mapping);
	for (i = 0; i < n; i++)
		page = dax_layout_busy_page(inode->i_mapping);
	filemap_invalidate_unlock(inode->i_mapping);
	return page != NULL;
}

/* the first iteration holds it, a later one does not */
static int loop_drops(struct inode *inode, int n)
{
	struct page *page = NULL;
	int i;

	filemap_invalidate_lock(inode->i_mapping);
	for (i = 0; i < n; i++) {
		page = dax_layout_busy_page(inode->i_mapping);
		if (page)
			filemap_invalidate_unlock(inode->i_mapping);
	}
	return page != NULL;
}

int (*loop_ops[])(struct inode *, int) = { loop_ok, loop_drops };
