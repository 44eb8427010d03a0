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

const struct api_row *api_row(const char *n, enum api_kind k)
{
	unsigned i;

	for (i = 0; n && i < API_NROWS; i++) {
		const struct api_row *r = &api_rows[i];

		if (r->kind == k && (r->family ?
				     !strncmp(n, r->name, strlen(r->name)) :
				     !strcmp(n, r->name)))
			return r;
	}
	return NULL;
}

int api_is(const char *n, enum api_kind k)
{
	return api_row(n, k) != NULL;
}

int api_ident_is(struct ident *id, enum api_kind k)
{
	return id && api_is(show_ident(id), k);
}
