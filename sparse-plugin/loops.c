// SPDX-License-Identifier: GPL-2.0
/*
 * loops.c - whether a basic block is inside a loop of its function.
 */
#include <stdlib.h>
#include <string.h>

#include "loops.h"

int bbidx(struct basic_block *bb)
{
	return (int)(long)bb->priv - 1;
}

static int reaches(struct fn *f, struct basic_block *from,
		   struct basic_block *to, char *seen)
{
	struct basic_block **stack, *bb, *child;
	int sp = 0, found = 0;

	stack = malloc((f->nbbs + 1) * sizeof(*stack) * 4 + 64);
	stack[sp++] = from;
	while (sp && !found) {
		bb = stack[--sp];
		FOR_EACH_PTR(bb->children, child) {
			int i = bbidx(child);

			if (child == to) {
				found = 1;
				break;
			}
			if (i < 0 || i >= f->nbbs || seen[i])
				continue;
			seen[i] = 1;
			stack[sp++] = child;
		} END_FOR_EACH_PTR(child);
	}
	free(stack);
	return found;
}

int bb_in_loop(struct fn *f, struct basic_block *bb)
{
	struct event e;
	int i = bbidx(bb);

	if (i < 0 || i >= f->nbbs)
		return 0;
	memset(&e, 0, sizeof(e));
	e.bbidx = i;
	return ev_in_loop(f, &e);
}

int ev_in_loop(struct fn *f, struct event *e)
{
	struct bbinfo *bi = &f->bbs[e->bbidx];

	if (bi->in_loop < 0) {
		char *seen = calloc(f->nbbs + 1, 1);

		bi->in_loop = reaches(f, bi->bb, bi->bb, seen);
		free(seen);
	}
	return bi->in_loop;
}
