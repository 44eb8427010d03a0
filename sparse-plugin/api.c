// SPDX-License-Identifier: GPL-2.0
/*
 * api.c - the rows of the kernel API table (api.def) and the lookup by
 * name and kind
 */
#include <string.h>

#include "ir.h"
#include "api.h"

const struct api_row api_rows[API_NROWS] = {
#define DAXLINT_API(name, kind, obj, f0, f1, flags, value, count, family) \
	{ name, AK_##kind, obj, { f0, f1 }, AF_##flags, value, count, family },
#include "api.def"
};

/* N of LEN characters (an identifier's name need not end in a NUL); K is
   AK_NR for a row of any kind */
static const struct api_row *row_of(const char *n, size_t len,
				    enum api_kind k)
{
	unsigned i;

	for (i = 0; i < API_NROWS; i++) {
		const struct api_row *r = &api_rows[i];
		size_t rl;

		if (k != AK_NR && r->kind != k)
			continue;
		rl = strlen(r->name);
		if ((r->family ? len >= rl : len == rl) &&
		    !memcmp(n, r->name, rl))
			return r;
	}
	return NULL;
}

const struct api_row *api_row(const char *n, enum api_kind k)
{
	return n ? row_of(n, strlen(n), k) : NULL;
}

int api_is(const char *n, enum api_kind k)
{
	return api_row(n, k) != NULL;
}

/* not through show_ident(): its few static buffers are the caller's */
const struct api_row *api_ident_row(struct ident *id, enum api_kind k)
{
	return id ? row_of(id->name, id->len, k) : NULL;
}

int api_ident_is(struct ident *id, enum api_kind k)
{
	return api_ident_row(id, k) != NULL;
}

/* a row of any kind names ID */
int api_ident_known(struct ident *id)
{
	return id && row_of(id->name, id->len, AK_NR);
}
