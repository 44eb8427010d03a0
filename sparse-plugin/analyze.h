/* SPDX-License-Identifier: GPL-2.0 */
/*
 * analyze.h - one translation unit through the engine and the checks
 */
#ifndef DAXLINT_ANALYZE_H
#define DAXLINT_ANALYZE_H

#include "ir.h"

void daxlint_check_symbols(struct symbol_list *list);
void daxlint_finish(void);

#endif
