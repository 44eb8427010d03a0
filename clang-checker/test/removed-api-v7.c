// RUN: %check_tidy %s daxlint-removed-api v7 %t
// The v7 rewrites: the seed's put_page() hunk, a removed put called for
// its effect, the HMM key's enable, radix sectors compared.  BREAK_UNMAPI
// is v7's own spelling: silent.
#include "daxlint_stub.h"

static void r_put_page(struct page *page)
{
	if (IS_HMM_ENABLED && is_zone_device_page(page)) {
		put_zone_device_private_or_public_page(page);
		return;
	}
// CHECK-MESSAGES: :[[@LINE-4]]:6: warning: r_put_page: IS_HMM_ENABLED was removed or renamed in this kernel generation; use put_devmap_managed_page [daxlint-removed-api]
// CHECK-MESSAGES: :[[@LINE-4]]:3: warning: r_put_page: put_zone_device_private_or_public_page was removed {{.*}} [daxlint-removed-api]
// CHECK-FIXES: {{^}}	if (put_devmap_managed_page(page)){{$}}
// CHECK-FIXES-NEXT: {{^}}		return;{{$}}
	put_page(page);
}

static void r_release(struct page *pg)
{
	put_zone_device_private_or_public_page(pg);
// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: r_release: put_zone_device_private_or_public_page was removed {{.*}} [daxlint-removed-api]
// CHECK-FIXES: {{^}}	put_devmap_managed_page(pg);{{$}}
}

static void r_enable(void)
{
	static_branch_enable(&device_private_key);
// CHECK-MESSAGES: :[[@LINE-1]]:24: warning: r_enable: device_private_key was removed {{.*}} [daxlint-removed-api]
// CHECK-FIXES: {{^}}	dev_pagemap_get_ops();{{$}}
}

static bool r_same(void *a, void *b)
{
	return dax_radix_sector(a) == dax_radix_sector(b);
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: r_same: dax_radix_sector was removed {{.*}} [daxlint-removed-api]
// CHECK-MESSAGES: :[[@LINE-2]]:32: warning: r_same: dax_radix_sector was removed {{.*}} [daxlint-removed-api]
// CHECK-FIXES: {{^}}	return dax_radix_pfn(a) == dax_radix_pfn(b);{{$}}
}

// a sector used as a value is converted by hand: reported, not rewritten
static sector_t r_value(void *e)
{
	return dax_radix_sector(e) + 1;
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: r_value: dax_radix_sector was removed {{.*}} [daxlint-removed-api]
// CHECK-FIXES: {{^}}	return dax_radix_sector(e) + 1;{{$}}
}

static int r_punch(struct inode *inode, uint *iolock)
{
	return xfs_break_layouts(inode, iolock, BREAK_UNMAPI);
}
