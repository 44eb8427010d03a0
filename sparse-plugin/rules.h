/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rules.h - the rules the checks report, and which of them this run reports
 */
#ifndef DAXLINT_RULES_H
#define DAXLINT_RULES_H

/* one rule a check: checks.def */
enum rule_id {
#define CHECK(id, name, fn) id,
#include "checks.def"
#undef CHECK
	R_NR
};
extern const char *rule_name[R_NR];
extern int rule_enabled[R_NR];

#endif
