// SPDX-License-Identifier: GPL-2.0
/*
 * checks.c - the checks of checks.def register their hooks, in its order
 * (the order their findings of one event are printed in).
 */
#include "checks.h"

void checks_init(void)
{
#define CHECK(id, name, fn) check_##fn##_init();
#include "checks.def"
#undef CHECK
}
