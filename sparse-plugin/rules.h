/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rules.h - the rules the checks report, and which of them this run reports
 */
#ifndef DAXLINT_RULES_H
#define DAXLINT_RULES_H

/* rule ids: bits of a function's requirement summary */
enum rule_id {
	R_GUP = 0,
	R_BREAK_MMAP,
	R_BUSY_LOCKED,
	R_BUSY_WAIT,
	R_UNMAP_BREAKS,
	R_PGMAP,
	R_DEVMAP_PUT,
	R_NR
};
extern const char *rule_name[R_NR];
extern int rule_enabled[R_NR];

#endif
