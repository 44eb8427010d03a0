// SPDX-License-Identifier: GPL-2.0
/*
 * cfg.c - which basic blocks of a function a path reaches: from its
 * entry, with the branches and switches on constants decided (given
 * constants for some parameters, constval.c); and the blocks that only
 * one edge leads to.  Blocks are indexes in fn->bbs (bb->priv - 1, as
 * build_events() numbers them).
 */
#include <stdlib.h>

#include "cfg.h"

/* the successor CHILD of a block ending in LAST is taken, A known */
static int edge_taken(struct instruction *last, struct basic_block *child,
		      const struct argconsts *a)
{
	long long v;

	if (last && last->opcode == OP_CBR &&
	    const_eval(last->cond, a, &v) &&
	    child != (v ? last->bb_true : last->bb_false))
		return 0;
	if (last && last->opcode == OP_SWITCH &&
	    const_eval(last->cond, a, &v)) {
		struct multijmp *jmp, *hit = NULL, *def = NULL;

		FOR_EACH_PTR(last->multijmp_list, jmp) {
			if (jmp->begin > jmp->end)
				def = jmp;
			else if (v >= jmp->begin && v <= jmp->end && !hit)
				hit = jmp;
		} END_FOR_EACH_PTR(jmp);
		if (!hit)
			hit = def;
		if (hit && hit->target != child)
			return 0;
	}
	return 1;
}

int fn_blocks_reached(struct fn *f, const struct argconsts *a, int *order)
{
	char *seen = calloc(f->nbbs + 1, 1);
	int *stack = malloc((f->nbbs + 1) * sizeof(*stack));
	int sp = 0, n = 0, i;
	struct basic_block *child;

	i = (int)(long)f->ep->entry->bb->priv - 1;
	if (i >= 0 && i < f->nbbs) {
		seen[i] = 1;
		stack[sp++] = i;
	}
	while (sp) {
		struct instruction *last;

		i = stack[--sp];
		order[n++] = i;
		last = last_instruction(f->bbs[i].bb->insns);
		FOR_EACH_PTR(f->bbs[i].bb->children, child) {
			int ci = (int)(long)child->priv - 1;

			if (ci < 0 || ci >= f->nbbs || seen[ci] ||
			    !edge_taken(last, child, a))
				continue;
			seen[ci] = 1;
			stack[sp++] = ci;
		} END_FOR_EACH_PTR(child);
	}
	free(seen);
	free(stack);
	return n;
}

/*
 * Blocks that only the edge FROM -> TO leads to (dominated by the edge):
 * those reached from the entry, but not without that edge.
 */
void edge_dominated(struct fn *f, int from, struct basic_block *to,
			   char *out)
{
	int *stack = malloc((f->nbbs + 1) * sizeof(*stack)), sp = 0, i;
	char *all = calloc(f->nbbs + 1, 1), *cut = calloc(f->nbbs + 1, 1);
	struct basic_block *child;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		char *seen = pass ? cut : all;

		sp = 0;
		i = (int)(long)f->ep->entry->bb->priv - 1;
		if (i < 0 || i >= f->nbbs)
			continue;
		seen[i] = 1;
		stack[sp++] = i;
		while (sp) {
			i = stack[--sp];
			FOR_EACH_PTR(f->bbs[i].bb->children, child) {
				int ci = (int)(long)child->priv - 1;

				if (ci < 0 || ci >= f->nbbs || seen[ci])
					continue;
				if (pass && i == from && child == to)
					continue;
				seen[ci] = 1;
				stack[sp++] = ci;
			} END_FOR_EACH_PTR(child);
		}
	}
	for (i = 0; i < f->nbbs; i++)
		out[i] = all[i] && !cut[i];
	free(all);
	free(cut);
	free(stack);
}
