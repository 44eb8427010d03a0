/* SPDX-License-Identifier: GPL-2.0 */
/*
 * astwalk.h - must-facts over every path of a function's AST
 */
#ifndef DAXLINT_ASTWALK_H
#define DAXLINT_ASTWALK_H

#include "fn.h"

/* a forward walk of every path: BITS are facts established by calls */
struct aws {
	int reached;
	unsigned bits;		/* facts true on every path to here */
};
struct astwalk {
	struct fn *f;
	struct statement *body;	/* instead of f's (an inlined copy) */
	/* a call, with the state before it: the facts the call establishes */
	unsigned (*call)(struct astwalk *w, struct expression *call,
			 struct ident *name, const struct aws *before);
	void *data;
	int loops;		/* while/for loops around the current point */
	/* private */
	int nlabels, alabels, changed;
	struct awlabel *labels;
	int nswitch;
	struct aws sw[16];
	int swdefault[16];
};
void ast_walk_fn(struct astwalk *w);

#endif
