// RUN: %check_tidy %s daxlint-gup-layout-lock v7 %t
// RUN: %check_tidy --messages-prefix=CHECK-MESSAGES-515 %s daxlint-gup-layout-lock v5.15 %t
// dax_layout_lock() sections in v7: a walk outside one, a section left
// open, something that sleeps inside one (directly, through a helper of
// the unit, through a GFP mask held by a local); the seed's own shape is
// clean.  Under any other profile the check says nothing (there is no
// dax_layout_lock() there).
#include "daxlint_stub.h"
#ifndef DAXLINT_PROFILE_V7
/* the same code compiled as a 5.15 tree would declare it */
void dax_layout_lock(void);
void dax_layout_unlock(void);
#endif

static void g_backoff(void)
{
	msleep(1);
}

static long g_walk(struct vm_area_struct *vma, unsigned long addr,
		   struct page **out, bool fast)
{
	unsigned int mask;
	gfp_t gfp = GFP_NOFS;
	void *buf;

	if (fast) {
		dax_layout_lock();
		buf = kmalloc(8, gfp);
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: g_walk: kmalloc() with a sleeping GFP mask can sleep inside a dax_layout_lock() (RCU read-side) section opened at line [[@LINE-2]] [daxlint-gup-layout-lock]
		*out = follow_page_mask(vma, addr, FOLL_GET, &mask);
		g_backoff();
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: g_walk: g_backoff() -> msleep() can sleep inside {{.*}} [daxlint-gup-layout-lock]
		dax_layout_unlock();
		kfree(buf);
	}
	*out = follow_page_mask(vma, addr, FOLL_GET, &mask);
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: g_walk: gup page-table walk follow_page_mask() outside a dax_layout_lock() section on some path: {{.*}} [daxlint-gup-layout-lock]
	dax_layout_lock();
// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: g_walk: dax_layout_lock() section is not closed on every path {{.*}} [daxlint-gup-layout-lock]
	if (!*out)
		return -EFAULT;
	dax_layout_unlock();
	return 0;
}

/* the seed's shape: resched before the section, the fault after it */
static long g_seed(struct vm_area_struct *vma, unsigned long start,
		   unsigned int foll, struct page **pages)
{
	unsigned int mask;
	struct page *page;

	cond_resched();
	dax_layout_lock();
	page = follow_page_mask(vma, start, foll, &mask);
	dax_layout_unlock();
	if (!page)
		return faultin_page(vma, start, &foll, NULL);
	pages[0] = page;
	return 1;
}
// CHECK-MESSAGES-515-NOT: warning
