// RUN: %check_tidy %s daxlint-removed-api v4.18 %t
// BREAK_UNMAPI was the v7 spelling; 4.18 as merged has BREAK_UNMAP.
#include "daxlint_stub.h"

static int r_punch(struct inode *inode, uint *iolock)
{
	return xfs_break_layouts(inode, iolock, BREAK_UNMAPI);
// CHECK-MESSAGES: :[[@LINE-1]]:42: warning: r_punch: BREAK_UNMAPI was removed or renamed in this kernel generation; use BREAK_UNMAP [daxlint-removed-api]
// CHECK-FIXES: {{^}}	return xfs_break_layouts(inode, iolock, BREAK_UNMAP);{{$}}
}

// a name in a comment or a string is no use: BREAK_UNMAPI
static const char *r_doc = "BREAK_UNMAPI";

// noop_set_page_dirty still exists in 4.18
const struct address_space_operations r_ops = {
	.set_page_dirty	= noop_set_page_dirty,
};
