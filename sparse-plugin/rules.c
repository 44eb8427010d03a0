// SPDX-License-Identifier: GPL-2.0
/*
 * rules.c - the catalog ids of the rules the checks report, and which of
 * them this run reports (main.c sets them from DAXLINT_SPARSE_RULES).
 */
#include "rules.h"

const char *rule_name[R_NR] = {
#define CHECK(id, name, fn) [id] = name,
#include "checks.def"
#undef CHECK
};
int rule_enabled[R_NR];
