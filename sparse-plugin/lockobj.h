/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lockobj.h - the objects locks are held on
 */
#ifndef DAXLINT_LOCKOBJ_H
#define DAXLINT_LOCKOBJ_H

#include "fn.h"

pseudo_t obj_root(pseudo_t p);
int same_obj(pseudo_t a, pseudo_t b);
/* sets of roots (fn->roots, fn->iroots) */
void rs_add(pseudo_t *roots, int *n, pseudo_t r);
void rs_del(pseudo_t *roots, int *n, pseudo_t r, int known_flags);
void roots_add(struct lstate *st, pseudo_t r);
void roots_del(struct lstate *st, pseudo_t r, int known_flags);
void roots_join(struct lstate *a, const struct lstate *b);
int mmap_held_on(const struct lstate *st, pseudo_t inode);
pseudo_t fault_obj(pseudo_t p);
int is_busy_scan(struct event *e);
pseudo_t event_fault_obj(struct event *e);
int fault_held_on(const struct lstate *st, pseudo_t obj);
/*
 * the 1-based parameter of F whose flags F locks an inode with, when F's
 * one lock call is xfs_ilock(X, that parameter) (xchk_ilock(sc, flags)
 * keeps a record of them besides); 0 otherwise
 */
int lock_flags_param(struct fn *f);

#endif
