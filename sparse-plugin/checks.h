/* SPDX-License-Identifier: GPL-2.0 */
/*
 * checks.h - the checks of checks.def
 */
#ifndef DAXLINT_CHECKS_H
#define DAXLINT_CHECKS_H

#define CHECK(id, name, fn) void check_##fn##_init(void);
#include "checks.def"
#undef CHECK

/* every check registers its hooks, in the order of checks.def */
void checks_init(void);

#endif
