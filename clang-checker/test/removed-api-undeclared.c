// RUN: %check_tidy %s daxlint-removed-api v5.15 %t
// Code carried over from a v7 tree into a 5.15+ one (a backport): the
// names are neither declared nor macros here, so the unit does not compile
// and clang keeps no reference to them; the check finds them in the
// file's own tokens.  Not in comments, directives or skipped branches.
#include "daxlint_stub.h"

static int u_same(void *a, void *b)
{
	return dax_radix_sector(a) == dax_radix_sector(b);
// CHECK-MESSAGES: :[[@LINE-1]]:9: error: call to undeclared function 'dax_radix_sector'{{.*}}
// CHECK-MESSAGES: :[[@LINE-2]]:9: warning: u_same: dax_radix_sector was removed or renamed in this kernel generation; use dax_radix_pfn [daxlint-removed-api]
// CHECK-MESSAGES: :[[@LINE-3]]:32: warning: u_same: dax_radix_sector was removed or renamed in this kernel generation; use dax_radix_pfn [daxlint-removed-api]
}

static void u_put(struct page *page)
{
#if 0
	if (IS_HMM_ENABLED)
		return;
#endif
#ifdef IS_HMM_ENABLED
	/* IS_HMM_ENABLED in a comment is no use */
#endif
	if (IS_HMM_ENABLED && page)
// CHECK-MESSAGES: :[[@LINE-1]]:6: error: use of undeclared identifier 'IS_HMM_ENABLED'{{.*}}
// CHECK-MESSAGES: :[[@LINE-2]]:6: warning: u_put: IS_HMM_ENABLED was removed or renamed in this kernel generation{{.*}} [daxlint-removed-api]
		put_page(page);
}
