// RUN: %check_tidy %s daxlint-removed-api auto %t -- -DDAXLINT_PROFILE_V6_15
// A 6.15 unit (detected: the stub declares dax_break_layout()): pages are
// idle at refcount 0, so the devmap key's calls are gone and a wait for a
// busy page's refcount to drop to one never ends.
#include "daxlint_stub.h"

static void w_wait(struct inode *inode)
{
	filemap_invalidate_unlock(inode->i_mapping);
	schedule();
	filemap_invalidate_lock(inode->i_mapping);
}

int w_break(struct inode *inode)
{
	struct page *busy;
	int err;

	do {
		busy = dax_layout_busy_page(inode->i_mapping);
// CHECK-MESSAGES: :[[@LINE-1]]:10: warning: w_break: open-coded wait for a busy DAX page found by dax_layout_busy_page: from 6.15 {{.*}} [daxlint-removed-api]
// CHECK-FIXES: {{^}}	return dax_break_layout_inode(inode, w_wait);{{$}}
		if (!busy)
			return 0;
		err = ___wait_var_event(&busy->_refcount,
				atomic_read(&busy->_refcount) == 1,
				TASK_INTERRUPTIBLE, 0, 0, w_wait(inode));
	} while (err == 0);
	return err;
}

// a scan whose page is not waited for on its refcount is no wait loop
int w_peek(struct inode *inode)
{
	struct page *p = dax_layout_busy_page(inode->i_mapping);

	return p ? 1 : 0;
}

void w_put(struct page *page)
{
	if (!put_devmap_managed_page(page))
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: w_put: put_devmap_managed_page was removed {{.*}} [daxlint-removed-api]
		put_page(page);
}

// the 6.15 spelling (another callback: only the fix may match the
// CHECK-FIXES line above)
static void w_wait2(struct inode *inode)
{
	w_wait(inode);
}

int w_new(struct inode *inode)
{
	return dax_break_layout_inode(inode, w_wait2);
}
