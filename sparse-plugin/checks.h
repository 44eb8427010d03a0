/* SPDX-License-Identifier: GPL-2.0 */
/*
 * checks.h - the checks, each registering its hooks
 */
#ifndef DAXLINT_CHECKS_H
#define DAXLINT_CHECKS_H

void check_gup_layout_lock_init(void);
void check_break_layouts_mmaplock_init(void);
void check_busy_page_locked_init(void);
void check_busy_page_wait_init(void);
void check_pagemap_ops_balance_init(void);
void check_unmap_breaks_layouts_init(void);
/* after each file is parsed, before its tokens are freed: the macro
   values the check needs (S_DAX) */
void unmap_breaks_note_macros(void);
void check_devmap_put_init(void);

#endif
