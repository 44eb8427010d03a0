/*
 * check-name: busy pages waited for with the lock dropped, lookups repeated
 * check-command: daxlint-sparse -I../../kernel-integration/include $file
 *
 * check-error-start
wait.c:50:17: warning: [busy-page-wait] wait_sleeps_locked: sleeps in schedule() with the fault lock held; the faulting task that must drop the page needs that lock
wait.c:62:36: warning: [busy-page-wait] wait_single_lookup: dax_layout_busy_page() is looked up once; repeat it until it returns NULL
 * check-error-end
 */
#include "daxlint_stub.h"

static void wait_drop_and_sleep(struct inode *inode)
{
	filemap_invalidate_unlock(inode->i_mapping);
	schedule();
	filemap_invalidate_lock(inode->i_mapping);
}

/* ext4_break_layouts as in 6.1: asserted lock, retry loop, dropping wait */
int wait_good(struct inode *inode)
{
	struct page *page;
	int error;

	if (WARN_ON_ONCE(!rwsem_is_locked(&inode->i_mapping->invalidate_lock)))
		return -EINVAL;
	do {
		page = dax_layout_busy_page(inode->i_mapping);
		if (!page)
			return 0;
		error = ___wait_var_event(&page->_refcount,
				atomic_read(&page->_refcount) == 1,
				TASK_INTERRUPTIBLE, 0, 0,
				wait_drop_and_sleep(inode));
	} while (error == 0);
	return error;
}

/* sleeps with the lock held: deadlock against the faulting task */
int wait_sleeps_locked(struct inode *inode)
{
	struct page *page;

	if (WARN_ON_ONCE(!rwsem_is_locked(&inode->i_mapping->invalidate_lock)))
		return -EINVAL;
	do {
		page = dax_layout_busy_page(inode->i_mapping);
		if (!page)
			return 0;
		wait_var_event(&page->_refcount,
			       atomic_read(&page->_refcount) == 1);
	} while (1);
}

/* the 4.19 ext4 bug: one lookup, never repeated */
int wait_single_lookup(struct inode *inode)
{
	struct page *page;

	if (WARN_ON_ONCE(!rwsem_is_locked(&inode->i_mapping->invalidate_lock)))
		return -EINVAL;
	page = dax_layout_busy_page(inode->i_mapping);
	if (!page)
		return 0;
	return ___wait_var_event(&page->_refcount,
			atomic_read(&page->_refcount) == 1,
			TASK_INTERRUPTIBLE, 0, 0, wait_drop_and_sleep(inode));
}
