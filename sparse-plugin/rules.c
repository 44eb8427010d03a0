// SPDX-License-Identifier: GPL-2.0
/*
 * rules.c - the catalog ids of the rules the checks report, and which of
 * them this run reports (main.c sets them from DAXLINT_SPARSE_RULES).
 */
#include "rules.h"

const char *rule_name[R_NR] = {
	[R_GUP] = "gup-layout-lock",
	[R_BREAK_MMAP] = "break-layouts-mmaplock",
	[R_BUSY_LOCKED] = "busy-page-locked",
	[R_BUSY_WAIT] = "busy-page-wait",
	[R_UNMAP_BREAKS] = "unmap-breaks-layouts",
	[R_PGMAP] = "pagemap-ops-balance",
	[R_DEVMAP_PUT] = "devmap-put",
};
int rule_enabled[R_NR];
