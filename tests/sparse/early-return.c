/*
 * check-name: a dax_layout_lock() section left open by an early return
 * check-command: daxlint-sparse -I../../kernel-integration/include -DDAXLINT_PROFILE_V7=1 $file
 *
 * check-error-start
early-return.c:19:24: warning: [gup-layout-lock] early_return: dax_layout_lock() section not closed on every path to return
early-return.c:52:35: warning: [gup-layout-lock] sleeps_inside: kmalloc() may sleep inside a dax_layout_lock() (RCU) section
early-return.c:53:29: warning: [gup-layout-lock] sleeps_inside: cond_resched() may sleep inside a dax_layout_lock() (RCU) section
 * check-error-end
 */
#include "daxlint_stub.h"

static long early_return(struct vm_area_struct *vma, unsigned long start,
			 struct page **pages)
{
	unsigned int mask;
	struct page *page;

	dax_layout_lock();
	page = follow_page_mask(vma, start, FOLL_GET, &mask);
	if (!page)
		return -EFAULT;
	dax_layout_unlock();
	pages[0] = page;
	return 1;
}

static long balanced(struct vm_area_struct *vma, unsigned long start,
		     struct page **pages)
{
	unsigned int mask;
	struct page *page;

	dax_layout_lock();
	page = follow_page_mask(vma, start, FOLL_GET, &mask);
	dax_layout_unlock();
	if (!page)
		return -EFAULT;
	pages[0] = page;
	return 1;
}

static long sleeps_inside(struct vm_area_struct *vma, unsigned long start,
			  struct page **pages)
{
	unsigned int mask;
	struct page *page;

	dax_layout_lock();
	page = follow_page_mask(vma, start, FOLL_GET, &mask);
	if (!page) {
		pages[0] = kmalloc(64, GFP_KERNEL);
		cond_resched();
	}
	pages[1] = kmalloc(64, GFP_ATOMIC);
	dax_layout_unlock();
	return page != NULL;
}

long (*early_ops[])(struct vm_area_struct *, unsigned long, struct page **) = {
	early_return, balanced, sleeps_inside
};
