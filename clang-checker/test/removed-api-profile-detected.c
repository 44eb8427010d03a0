// RUN: %check_tidy %s daxlint-removed-api auto %t -- -DDAXLINT_PROFILE_V7
// RUN: %check_tidy --messages-prefix=CHECK-MESSAGES-515 %s daxlint-removed-api auto %t -- -DDAXLINT_PROFILE_V5_15
// Without a Profile option (an editor, make clang-tidy) the generation
// comes from the declarations the unit sees: the v7 stub declares
// dax_layout_lock(), where BREAK_UNMAPI is the current spelling; a 5.15
// tree declares filemap_invalidate_lock() and BREAK_UNMAPI is gone.
#include "daxlint_stub.h"

static int p_punch(struct inode *inode, uint *iolock)
{
	return xfs_break_layouts(inode, iolock, BREAK_UNMAPI);
// CHECK-MESSAGES-515: :[[@LINE-1]]:42: warning: p_punch: BREAK_UNMAPI was removed {{.*}} [daxlint-removed-api]
}
