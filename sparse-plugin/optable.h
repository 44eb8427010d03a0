/* SPDX-License-Identifier: GPL-2.0 */
/*
 * optable.h - the unit's operations tables: the initialized objects of
 * the struct types a check watches (inode_operations ...) and the
 * functions their members name
 */
#ifndef DAXLINT_OPTABLE_H
#define DAXLINT_OPTABLE_H

#include "ir.h"

/* a member of a table that names a function: .setattr = myfs_setattr */
struct opentry {
	struct ident *member;
	struct ident *fn;
};

/* an initialized object of a watched struct type, in the unit's order */
struct optable {
	struct symbol *sym;	/* the object (its stream: sym->pos.stream) */
	struct ident *tag;	/* its struct tag */
	struct opentry *ent;	/* in initializer order */
	int nent;
};

/* record the tables of struct TAG (a check's init) */
void optable_watch(const char *tag);
/* a top-level symbol of the unit (from a check's sym hook) */
void optable_note(struct symbol *sym);
/* the tables recorded in this unit */
struct optable *optables(int *n);
/* the unit is done */
void optable_reset(void);

#endif
