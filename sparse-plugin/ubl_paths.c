// SPDX-License-Identifier: GPL-2.0
/*
 * ubl_paths.c - the paths of unmap-breaks-layouts: within one function,
 * which states ("broken yet?" x "ATTR_SIZE side taken yet?") the paths
 * from its entry bring to each call, a DAX test's branches and a size
 * test's set side included; across the unit, what the entry points reach
 * through the truncating functions, and the way there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ubl.h"

/* ---- ATTR_SIZE tests: .setattr's size-changing path ------------------ */
/* P is a loaded word, or bits of one */
static int loads_value(pseudo_t p, int depth)
{
	struct instruction *d;

	if (!p || p->type != PSEUDO_REG || !(d = p->def) || depth > 6)
		return 0;
	switch (d->opcode) {
	case OP_LOAD:
		return 1;
	case OP_ZEXT: case OP_SEXT: case OP_TRUNC: case OP_COPY:
		return loads_value(d->src, depth + 1);
	case OP_LSR: case OP_AND:
		return d->src2 && d->src2->type == PSEUDO_VAL &&
		       loads_value(d->src1, depth + 1);
	default:
		return 0;
	}
}

/*
 * How a value relates to the attribute change including ATTR_SIZE: one
 * bit of a loaded word (iattr->ia_valid, or a copy) tested on a line that
 * names ATTR_SIZE (the macro's tokens are gone once the unit is parsed).
 */
static unsigned size_dep(pseudo_t p, int depth)
{
	struct instruction *d;

	if (!p || p->type != PSEUDO_REG || !(d = p->def) || depth > 6)
		return 0;
	switch (d->opcode) {
	case OP_AND:
		if (d->src2 && d->src2->type == PSEUDO_VAL &&
		    d->src2->value > 0 &&
		    !(d->src2->value & (d->src2->value - 1)) &&
		    loads_value(d->src1, 0) && line_names(d->pos, "ATTR_SIZE"))
			return DEP_POS | DEP_PURE;
		return 0;
	case OP_SET_NE:
		if (d->src2 && d->src2->type == PSEUDO_VAL && !d->src2->value)
			return size_dep(d->src1, depth + 1);
		return 0;
	case OP_SET_EQ:
		if (d->src2 && d->src2->type == PSEUDO_VAL && !d->src2->value)
			return dep_swap(size_dep(d->src1, depth + 1));
		return 0;
	case OP_ZEXT: case OP_SEXT: case OP_TRUNC: case OP_COPY:
		return size_dep(d->src, depth + 1);
	default:
		return 0;
	}
}

/*
 * What the branch ending block B does for DAX inodes: COVER_TRUE /
 * COVER_FALSE mark the edges on which no DAX inode needs a break (yet):
 * a guard (a DAX test whose DAX side leads to a break) covers both, the
 * non-DAX side of a plain DAX test covers that side.
 */
#define COVER_TRUE	1
#define COVER_FALSE	2
#define COVER_GUARD	(COVER_TRUE | COVER_FALSE | 4)

/* the code at A is written before the code at B (or we cannot tell) */
static int written_before(struct position a, struct position b)
{
	if (a.stream != b.stream)
		return 1;
	return a.line < b.line || (a.line == b.line && a.pos < b.pos);
}

/* the edges of a branch on which the ATTR_SIZE bit is known set */
#define SIZE_TRUE	1
#define SIZE_FALSE	2

static int branch_cover(struct uinfo *u, int b, const char *breaks,
			char *size_edge)
{
	struct fn *f = u->f;
	struct instruction *last = last_instruction(f->bbs[b].bb->insns);
	unsigned dep, sdep;
	int cover = 0, i;

	if (!last || last->opcode != OP_CBR || last->bb_true == last->bb_false)
		return 0;
	dep = dax_dep(last->cond);
	sdep = dep ? 0 : size_dep(last->cond, 0);
	if (sdep & DEP_PURE)
		*size_edge = (sdep & DEP_POS) ? SIZE_TRUE : SIZE_FALSE;
	if (!dep)
		return 0;
	/*
	 * A guard is "if (dax test) { ... break ... }": the DAX side is the
	 * if's own body, written before the code that follows the if (in
	 * "if (!IS_DAX(inode)) return ...;" the DAX side is the rest of the
	 * function: no guard, but a page-cache branch).
	 */
	if ((dep & DEP_POS) && !(dep & DEP_NEG) &&
	    written_before(last->bb_true->pos, last->bb_false->pos)) {
		char *dom = calloc(f->nbbs + 1, 1);

		edge_dominated(f, b, last->bb_true, dom);
		for (i = 0; i < f->nbbs; i++)
			if (dom[i] && breaks[i])
				cover = COVER_GUARD;
		free(dom);
		if (cover)
			return cover;
	}
	if (dep & DEP_PURE)
		cover = (dep & DEP_POS) ? COVER_FALSE : COVER_TRUE;
	return cover;
}

static int has_call(struct basic_block *bb)
{
	struct instruction *insn;

	FOR_EACH_PTR(bb->insns, insn) {
		if (insn->bb && insn->opcode == OP_CALL)
			return 1;
	} END_FOR_EACH_PTR(insn);
	return 0;
}

/*
 * A guard is the whole condition of its if: in "if (is_truncate &&
 * IS_DAX(inode))" the test of is_truncate branches to the DAX test or to
 * where the DAX test's own false edge goes; it covers both edges too.
 */
static void guard_conditions(struct fn *f, char *cover)
{
	int changed = 1, b;

	while (changed) {
		changed = 0;
		for (b = 0; b < f->nbbs; b++) {
			struct basic_block *bb = f->bbs[b].bb, *p;
			struct instruction *mine, *last;
			int pi;

			if (cover[b] != COVER_GUARD ||
			    ptr_list_size((struct ptr_list *)bb->parents) != 1 ||
			    has_call(bb))
				continue;
			p = first_basic_block(bb->parents);
			pi = (int)(long)p->priv - 1;
			if (pi < 0 || pi >= f->nbbs || cover[pi] == COVER_GUARD)
				continue;
			mine = last_instruction(bb->insns);
			last = last_instruction(p->insns);
			if (!last || last->opcode != OP_CBR || !mine ||
			    mine->opcode != OP_CBR)
				continue;
			if ((last->bb_true == bb &&
			     (last->bb_false == mine->bb_false ||
			      last->bb_false == mine->bb_true)) ||
			    (last->bb_false == bb &&
			     (last->bb_true == mine->bb_true ||
			      last->bb_true == mine->bb_false))) {
				cover[pi] = COVER_GUARD;
				changed = 1;
			}
		}
	}
}

/*
 * What the paths from U's entry to each of its calls have done: a set of
 * states, each "broken yet?" x "ATTR_SIZE side taken yet?", joined by
 * union over the CFG.  U->unb[k]: UNB_ANY when a path reaches calls[k]
 * without a break, UNB_SIZED when such a path took the ATTR_SIZE side of
 * a size test.  A guard's edges (a DAX or size test whose own side
 * breaks) and the non-DAX side of a plain DAX test count as broken: no
 * DAX inode gets past them unbroken.  So an early exit for DAX inodes
 * ("if (IS_DAX(src) || IS_DAX(dst)) goto out;") closes the rest of the
 * function to them, up to where the exit's own path joins again.
 */
#define ST_OPEN		1u	/* no break, no size test passed */
#define ST_OPEN_SIZED	2u
#define ST_BROKEN	4u
#define ST_BROKEN_SIZED	8u

static unsigned st_break(unsigned s)
{
	return (s & (ST_BROKEN | ST_BROKEN_SIZED)) |
	       ((s & ST_OPEN) ? ST_BROKEN : 0) |
	       ((s & ST_OPEN_SIZED) ? ST_BROKEN_SIZED : 0);
}

static unsigned st_sized(unsigned s)
{
	return (s & (ST_OPEN_SIZED | ST_BROKEN_SIZED)) |
	       ((s & ST_OPEN) ? ST_OPEN_SIZED : 0) |
	       ((s & ST_BROKEN) ? ST_BROKEN_SIZED : 0);
}

static void analyse(struct uinfo *u)
{
	struct fn *f = u->f;
	int n = f->nbbs, b, k, changed = 1, rounds = 0;
	unsigned *in = calloc(n + 1, sizeof(*in));
	char *brk = calloc(n + 1, 1), *cover = calloc(n + 1, 1);
	char *sedge = calloc(n + 1, 1), *isbrk = calloc(u->ncalls + 1, 1);
	int *first = calloc(n + 2, sizeof(*first));
	int entry = (int)(long)f->ep->entry->bb->priv - 1;

	u->unb = calloc(u->ncalls + 1, 1);
	/* the calls of block b are calls[first[b] .. first[b + 1]) */
	for (k = 0; k < u->ncalls; k++)
		first[u->calls[k].bb + 1]++;
	for (b = 0; b < n; b++)
		first[b + 1] += first[b];
	for (k = 0; k < u->ncalls; k++)
		if (ubl_call_breaks(&u->calls[k], NULL, 0))
			brk[u->calls[k].bb] = isbrk[k] = 1;
	for (b = 0; b < n; b++)
		cover[b] = branch_cover(u, b, brk, &sedge[b]);
	guard_conditions(f, cover);
	while (changed && rounds++ < 4 * n + 8) {
		changed = 0;
		for (b = 0; b < n; b++) {
			struct basic_block *p;
			unsigned v = b == entry ? ST_OPEN : 0;

			FOR_EACH_PTR(f->bbs[b].bb->parents, p) {
				int pi = (int)(long)p->priv - 1;
				struct instruction *last;
				unsigned e;

				if (pi < 0 || pi >= n || !in[pi])
					continue;
				e = in[pi];
				for (k = first[pi]; k < first[pi + 1]; k++)
					if (isbrk[k])
						e = st_break(e);
				last = last_instruction(p->insns);
				if (last && last->opcode == OP_CBR &&
				    last->bb_true != last->bb_false) {
					int t = last->bb_true == f->bbs[b].bb;

					if ((cover[pi] & (t ? COVER_TRUE :
							  COVER_FALSE)))
						e = st_break(e);
					if (sedge[pi] == (t ? SIZE_TRUE :
							  SIZE_FALSE))
						e = st_sized(e);
				}
				v |= e;
			} END_FOR_EACH_PTR(p);
			if ((v | in[b]) != in[b]) {
				in[b] |= v;
				changed = 1;
			}
		}
	}
	/* within a block, a break covers the calls after it */
	for (b = 0; b < n; b++) {
		unsigned st = in[b];

		for (k = first[b]; k < first[b + 1]; k++) {
			if (ubl_call_truncates(&u->calls[k])) {
				if (st & (ST_OPEN | ST_OPEN_SIZED))
					u->unb[k] |= UNB_ANY;
				if (st & ST_OPEN_SIZED)
					u->unb[k] |= UNB_SIZED;
			}
			if (isbrk[k])
				st = st_break(st);
		}
	}
	free(in);
	free(brk);
	free(cover);
	free(sedge);
	free(isbrk);
	free(first);
}

/* ---- reaching truncations from roots --------------------------------------- */
/*
 * A call counts on the way down when some path reaches it unbroken; in
 * state 0 (a .setattr path that has not yet taken the ATTR_SIZE side of a
 * size test) only a path that takes it here counts: .setattr's other
 * paths change no size (a refresh of the attributes that truncates the
 * page cache to a size the server reports changes nothing of this
 * filesystem's blocks).
 */
int ubl_counts(unsigned unb, int s)
{
	return s ? !!(unb & UNB_ANY) : !!(unb & UNB_SIZED);
}

int ubl_best_state(struct uinfo *u)
{
	return (u->reached_in & 2) ? 1 : 0;
}

/*
 * Mark what the roots reach through truncating functions of the unit
 * (ROOTS[i] starting in state S0[i]), with the way there.
 */
void ubl_reach(struct uinfo **roots, const int *s0, int nroots)
{
	struct { struct uinfo *u; int s; } *queue;
	int head = 0, nq = 0, i, k;

	for (i = 0; i < ubl_nui; i++) {
		ubl_ui[i].reached_in = 0;
		ubl_ui[i].pred[0] = ubl_ui[i].pred[1] = NULL;
	}
	queue = calloc(2 * ubl_nui + nroots + 1, sizeof(*queue));
	for (i = 0; i < nroots; i++) {
		if (roots[i]->reached_in & (2 | (1 << s0[i])))
			continue;
		roots[i]->reached_in |= 1 << s0[i];
		queue[nq].u = roots[i];
		queue[nq++].s = s0[i];
	}
	while (head < nq) {
		struct uinfo *u = queue[head].u;
		int s = queue[head++].s;

		if (!u->truncs)
			continue;
		if (!u->unb)
			analyse(u);
		for (k = 0; k < u->ncalls; k++) {
			struct uinfo *cu = ubl_uinfo_of(u->calls[k].callee);
			int s2 = s || (u->unb[k] & UNB_SIZED);

			if (!(u->unb[k] & UNB_ANY) || !cu || !cu->truncs ||
			    cu->freer || (cu->reached_in & (2 | (1 << s2))))
				continue;
			cu->reached_in |= 1 << s2;
			cu->pred[s2] = u;
			cu->pred_s[s2] = s;
			queue[nq].u = cu;
			queue[nq++].s = s2;
		}
	}
	free(queue);
}

/*
 * The way from a root to U in state S: "a() -> b() -> u()" (ARROWS), or
 * "a>b>u" for a summary
 */
void ubl_chain_build(struct uinfo *u, int s, char *buf, size_t size,
			int arrows)
{
	const char *names[64];
	int n = 0, i;
	size_t len = 0;

	while (u && n < 64) {
		names[n++] = u->f->name;
		if (!u->pred[s])
			break;
		i = u->pred_s[s];
		u = u->pred[s];
		s = i;
	}
	buf[0] = 0;
	for (i = n - 1; i >= 0 && len < size; i--)
		len += snprintf(buf + len, size - len, "%s%s%s",
				i == n - 1 ? "" : arrows ? " -> " : ">",
				names[i], arrows ? "()" : "");
}

void ubl_chain_text(struct uinfo *u, int s, char *buf, size_t size)
{
	ubl_chain_build(u, s, buf, size, 1);
}

struct uinfo *ubl_chain_head(struct uinfo *u, int s)
{
	while (u->pred[s]) {
		int t = u->pred_s[s];

		u = u->pred[s];
		s = t;
	}
	return u;
}
