// RUN: %check_tidy %s daxlint-removed-api v5.15 %t
// NOLINT(daxlint-removed-api) and NOLINTNEXTLINE silence the check on
// their line; NOLINT naming another check does not.
#include "daxlint_stub.h"

static int n_a(struct inode *inode, uint *iolock)
{
	return xfs_break_layouts(inode, iolock, BREAK_UNMAPI); // NOLINT(daxlint-removed-api)
}

static int n_b(struct inode *inode, uint *iolock)
{
	// NOLINTNEXTLINE(daxlint-removed-api)
	return xfs_break_layouts(inode, iolock, BREAK_UNMAPI);
}

static int n_c(struct inode *inode, uint *iolock)
{
	return xfs_break_layouts(inode, iolock, BREAK_UNMAPI); // NOLINT(daxlint-dax-aops-shape)
// CHECK-MESSAGES: :[[@LINE-1]]:42: warning: n_c: BREAK_UNMAPI was removed {{.*}} [daxlint-removed-api]
}

static int n_d(struct inode *inode, uint *iolock)
{
	return xfs_break_layouts(inode, iolock, BREAK_UNMAPI); // NOLINT(daxlint-*)
}
