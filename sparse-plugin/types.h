/* SPDX-License-Identifier: GPL-2.0 */
/*
 * types.h - the unit's C types: what a type is under its SYM_NODE
 * wrappers, whether two function types are the same, a struct's members
 * by name and by offset, what an address points into
 */
#ifndef DAXLINT_TYPES_H
#define DAXLINT_TYPES_H

#include "ir.h"

/* a type without its SYM_NODE wrappers */
struct symbol *peel_node(struct symbol *t);
/* the identifier ID is S */
int ident_is(struct ident *id, const char *s);
/* ID is one of NAMES (NULL-terminated) */
int ident_in(struct ident *id, const char *const *names);
/* FA and FB are function types of the same return and parameter types
   (structs by tag, integers by size and sign; no parameter: never) */
int same_fn_type(struct symbol *fa, struct symbol *fb);
/* the function type of the function-pointer member MEMBER of struct
   TABLE, as the unit declares it (NULL: none) */
struct symbol *member_fn_type(const char *table, const char *member);
/* the named member of struct ST at byte offset OFF (NULL: none) */
struct symbol *member_at_offset(struct symbol *st, unsigned off);
/* the type the address pseudo P points into (NULL: not known) */
struct symbol *pseudo_pointee(pseudo_t p);

#endif
