/* SPDX-License-Identifier: GPL-2.0 */
/*
 * api.h - the kernel API table (kernel-integration/api/kernel-api.tsv) as
 * C data: the rows of api.def, which gen-api.py generates from it.  The
 * kernel API names of the plugin live there, not in its .c files.
 */
#ifndef DAXLINT_API_H
#define DAXLINT_API_H

/* what a row is: the table's kinds, XFS_LOCK for xfs-lock ... */
enum api_kind {
#define DAXLINT_API_KIND(kind) AK_##kind,
#include "api.def"
	AK_NR
};

/* what a row's flag arguments carry */
enum api_flags { AF_NONE, AF_XFS_LOCK, AF_GFP };

struct api_row {
	const char *name;	/* a prefix when family */
	enum api_kind kind;
	int obj;		/* the argument naming the object, or -1 */
	int flag_arg[2];	/* the arguments carrying flags, or -1 */
	enum api_flags flags;
	unsigned long value;	/* a flag bit's value */
	int count_arg;		/* a counted drop's count argument, or -1 */
	int family;		/* NAME*: any name NAME starts */
};

/* the number of rows, a constant: tables sized by it need no allocation */
enum { API_NROWS = 0
#define DAXLINT_API(name, kind, obj, f0, f1, flags, value, count, family) + 1
#include "api.def"
};

extern const struct api_row api_rows[API_NROWS];

/* the row of kind K that names N (a family row: N starts with its
   prefix), or NULL */
const struct api_row *api_row(const char *n, enum api_kind k);
/* a row of kind K names N */
int api_is(const char *n, enum api_kind k);
struct ident;
/* the same for the identifier ID (NULL: none), without show_ident() */
const struct api_row *api_ident_row(struct ident *id, enum api_kind k);
int api_ident_is(struct ident *id, enum api_kind k);
/* a row of any kind names ID */
int api_ident_known(struct ident *id);

#endif
