// SPDX-License-Identifier: GPL-2.0
/*
 * check_unmap_breaks_layouts.c - in a filesystem that has DAX inodes, every
 * path of an operation that takes blocks away from a file (.setattr,
 * .fallocate, the destination of .remap_file_range / .clone_file_range /
 * .dedupe_file_range) breaks DAX layouts before it truncates the page cache
 * or frees blocks.  In each translation unit:
 *
 *  - entry points: the functions named in the unit's inode_operations
 *    (.setattr) and file_operations initialisers, and, for tables that live
 *    in another unit, a function that is not static, is not called in this
 *    unit and has exactly the type of .setattr / .fallocate / .remap_file_range
 *    (ext2_setattr, ext4_setattr, ext4_fallocate);
 *  - the unit shows DAX inodes: it defines a DAX-shaped
 *    address_space_operations (.writepages reaching
 *    dax_writeback_mapping_range() and no page-cache operation; names are
 *    not looked at), or calls the filesystem-DAX API (the API table's
 *    fsdax, busy-page and dax-test rows) or a layout break, or
 *    tests IS_DAX() (the S_DAX bit of struct inode's i_flags) -- each
 *    written in the unit's own text -- or calls a function of another unit
 *    of its directory whose unit does;
 *  - a truncation is a call, written in the unit, of truncate_pagecache*(),
 *    truncate_inode_pages*(), truncate_setsize(), of the unit's own
 *    block-freeing routine (the function called right after
 *    truncate_setsize(I, X) / truncate_pagecache(I, X) with the same I and
 *    X), or of a function of the unit (or of another unit of the
 *    directory, by its summary) that (transitively) calls one;
 *  - a break is a call of dax_layout_busy_page*() or of a layout-break
 *    function: a function of the unit that may reach the busy-page scan and
 *    truncates nothing (its summary; a reason argument is followed into its
 *    switch, so BREAK_WRITE is no break), or xfs_break_layouts() with a
 *    reason other than BREAK_WRITE (the lock table's layout break); the
 *    filesystems' wrappers (ext4_break_layouts, fuse_dax_break_layouts,
 *    xfs_break_dax_layouts) are such functions of their units, known
 *    elsewhere by their summaries;
 *  - a path that passes a branch on a DAX test (the S_DAX bit of an
 *    inode's i_flags, dax_mapping(), a function returning one: never a
 *    name) whose DAX side leads to a break (if (IS_DAX(inode) && x) {
 *    ...break... }, a flag computed from IS_DAX()) counts as broken, and the non-DAX side of a branch on a
 *    plain DAX test (if (!IS_DAX(inode)) ..., the else of if (IS_DAX(..)),
 *    the rest after if (IS_DAX(src) || IS_DAX(dst)) goto out; up to out:)
 *    sees only page-cache inodes: the same model as the Coccinelle rule;
 *  - .setattr counts along its size change only: a path that took the side
 *    of a test of ATTR_SIZE on which the bit is set, in the entry point or
 *    in a helper on the way.
 *
 * From the entry points, calls of truncating functions reached without a
 * break are followed; a truncation primitive or block-freeing call reached
 * without a break is reported in the function that makes it.  Functions of
 * other units of the directory are known by their summaries (summary_db.c):
 * whether they truncate or break, and the truncations their entry reaches
 * without a break, reported where they are.  This unit's exported
 * functions get such summaries for the others.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daxlint.h"

/* ---- the operations that take blocks away ----------------------------- */
enum entry_op { E_SETATTR, E_FALLOCATE, E_REMAP, E_CLONE, E_DEDUPE, E_NR };

static const struct {
	const char *table;	/* struct tag of the table */
	const char *member;
} entry_ops[E_NR] = {
	[E_SETATTR] = { "inode_operations", "setattr" },
	[E_FALLOCATE] = { "file_operations", "fallocate" },
	[E_REMAP] = { "file_operations", "remap_file_range" },
	[E_CLONE] = { "file_operations", "clone_file_range" },
	[E_DEDUPE] = { "file_operations", "dedupe_file_range" },
};

/* the tables of the unit (optable.c) */
static void on_symbol(struct symbol *sym)
{
	if (rule_enabled[R_UNMAP_BREAKS])
		optable_note(sym);
}

/* the operation a table's member is: 1 + enum entry_op, 0: none */
static int entry_of(const struct optable *t, const struct opentry *e)
{
	int k;

	for (k = 0; k < E_NR; k++)
		if (ident_is(t->tag, entry_ops[k].table) &&
		    ident_is(e->member, entry_ops[k].member))
			return 1 + k;
	return 0;
}

/* the table's truncation primitives, the eviction's one included */
static int is_truncate_prim(const char *n)
{
	return api_is(n, AK_TRUNCATE) || api_is(n, AK_TRUNCATE_FINAL);
}

/* the busy-page scan every layout break is built on (6.15: dax_break_layout*) */
static int is_busy_name(const char *n)
{
	return api_is(n, AK_BUSY_PAGE);
}

/* ---- functions of other units, known by their summaries ----------------- */
/* a function of another unit of the filesystem that may truncate */
static int stub_truncs(struct fn *callee, struct fn *from)
{
	return callee && callee->stub && (callee->ubl & UBL_TRUNCS) &&
	       fn_same_dir(callee, from);
}

/* ---- the unit's functions and calls ------------------------------------ */
struct call {
	struct instruction *insn;
	struct fn *callee;	/* a function of the unit (not inlined), or
				   of another unit known by its summary */
	const char *name;
	int bb;			/* index in fn->bbs */
	int prim;		/* a truncation primitive written here */
	int strunc;		/* a function of another unit of the
				   filesystem that may truncate */
};

/* what the paths from a function's entry to a call have done */
#define UNB_ANY		1u	/* some path reaches it without a break */
#define UNB_SIZED	2u	/* ... one that took the ATTR_SIZE side */

struct uinfo {
	struct fn *f;
	struct call *calls;
	int ncalls;
	int ncallers;
	int entry;		/* 1 + enum entry_op, 0: none */
	int by_type;		/* entry found by its type */
	int freer;		/* the unit's block-freeing routine */
	int truncs;		/* (transitively) truncates */
	int breaks;		/* may reach the busy-page scan */
	int visiting;
	unsigned char *unb;	/* UNB_* per call (analyse()), NULL: not yet */
	/* reached from the roots of the last reach(): bit s for state s
	 * (0: no ATTR_SIZE test passed on the way, 1: one was) */
	int reached;
	struct uinfo *pred[2];	/* on the way, per state */
	unsigned char pred_s[2];
};

static struct uinfo *ui;
static int nui;
static long long break_write;	/* the value of BREAK_WRITE */
static int break_write_known;	/* ... declared in the unit */
static char evidence[256];	/* how the unit shows DAX inodes */

/* U's data of the unit's function F (ui[] is parallel to fn_table()) */
static struct uinfo *uinfo_of(const struct fn *f)
{
	int i = fn_index(f);

	return i >= 0 && i < nui ? &ui[i] : NULL;
}

static void collect_calls(struct uinfo *u)
{
	struct fn *f = u->f;
	int b, alloc = 0;

	for (b = 0; b < f->nbbs; b++) {
		struct instruction *insn;

		FOR_EACH_PTR(f->bbs[b].bb->insns, insn) {
			struct ident *id;
			struct call *c;

			if (!insn->bb || insn->opcode != OP_CALL)
				continue;
			id = insn_call_name(insn);
			if (!id)
				continue;
			if (u->ncalls == alloc) {
				alloc = alloc ? 2 * alloc : 16;
				u->calls = realloc(u->calls,
						   alloc * sizeof(*u->calls));
			}
			c = &u->calls[u->ncalls++];
			memset(c, 0, sizeof(*c));
			c->insn = insn;
			c->bb = b;
			c->name = strdup(show_ident(id));
			c->callee = callee_of(f, id);
			if (c->callee && c->callee->is_inline)
				c->callee = NULL;
			c->prim = is_truncate_prim(c->name) &&
				  line_calls(insn->pos, c->name);
			c->strunc = stub_truncs(c->callee, f);
		} END_FOR_EACH_PTR(insn);
	}
}

/* ---- does a call break layouts? ----------------------------------------- */
static int fn_breaks_with(struct uinfo *u, const struct argconsts *a,
			  int depth);

/*
 * A function of this filesystem defined in another unit, checked without
 * summaries (a one-pass `make C=2`): declared, not defined here, in a
 * header of the unit's own directory (fuse_i.h, ext4.h ...), not in the
 * kernel's include/.  What it does is unknown, so it may break layouts.
 */
static int unknown_private(struct call *c)
{
	struct symbol *s = c->insn->func->sym, *t;
	const char *a, *b, *sa, *sb;

	if (c->callee || summary_db_active() || !s)
		return 0;
	t = s->ctype.base_type;
	if (!t || t->type != SYM_FN || t->stmt || s->definition)
		return 0;
	a = stream_name(s->pos.stream);
	b = stream_name(c->insn->pos.stream);
	sa = strrchr(a, '/');
	sb = strrchr(b, '/');
	return sa && sb && sa - a == sb - b && !strncmp(a, b, sa - a) &&
	       s->pos.stream != c->insn->pos.stream;
}

/*
 * Does this call break DAX layouts, the caller's parameters being A (NULL:
 * unknown)?  Only a break that truncates nothing itself counts: a call of
 * a function that both breaks and truncates is a truncation.
 */
static int call_breaks(struct call *c, const struct argconsts *a,
		       int depth)
{
	enum call_kind k;

	/*
	 * defined in another unit: its summary says whether it scans; one
	 * that also truncates is no break in its callers, its own paths are
	 * checked (its summary lists what they reach unbroken)
	 */
	if (c->callee && c->callee->stub) {
		int n = c->callee->ubl >> UBL_REASON_SHIFT;
		long long reason;

		if (n && break_write_known &&
		    const_eval(call_arg(c->insn, n - 1), a, &reason) &&
		    reason == break_write)
			return 0;	/* its reason parameter: BREAK_WRITE */
		return (c->callee->scans || (c->callee->ubl & UBL_BREAKS)) &&
		       !c->strunc;
	}
	if (unknown_private(c))
		return 1;
	if (c->callee) {
		struct uinfo *cu = uinfo_of(c->callee);
		struct argconsts ca;

		if (!cu || !cu->breaks || cu->truncs)
			return 0;
		call_argconsts(c->insn, a, &ca);
		if (!ca.known)
			return 1;
		return fn_breaks_with(cu, &ca, depth + 1);
	}
	if (is_busy_name(c->name))
		return 1;
	k = call_kind_of(c->insn->func->sym->ident);
	if (k == CK_BUSY_PAGE)
		return 1;
	if (k == CK_BREAK_LAYOUTS) {
		long long reason;

		if (const_eval(call_arg(c->insn, 2), a, &reason) &&
		    reason == break_write)
			return 0;	/* BREAK_WRITE only recalls leases */
		return 1;
	}
	return 0;
}

/* may U reach a break with its parameters A (branches on them resolved)? */
static int fn_breaks_with(struct uinfo *u, const struct argconsts *a,
			  int depth)
{
	struct fn *f = u->f;
	int *order, n, i, k, found = 0;

	if (depth > 8 || u->visiting || !f->nbbs)
		return 0;
	u->visiting = 1;
	order = malloc((f->nbbs + 1) * sizeof(*order));
	n = fn_blocks_reached(f, a, order);
	/* block by block, in the order a depth-first walk reaches them */
	for (i = 0; i < n && !found; i++)
		for (k = 0; k < u->ncalls && !found; k++)
			if (u->calls[k].bb == order[i] &&
			    call_breaks(&u->calls[k], a, depth))
				found = 1;
	free(order);
	u->visiting = 0;
	return found;
}

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

/* ---- ATTR_SIZE tests: .setattr's size-changing path -------------------- */
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

/* ---- the path analysis of one function ----------------------------------- */
/* a call that is a truncation (by property) */
static int call_truncates(struct call *c)
{
	struct uinfo *cu;

	if (c->prim || c->strunc)
		return 1;
	cu = uinfo_of(c->callee);
	return cu && (cu->freer || cu->truncs);
}

/* a call that ends the search: a truncation primitive or a block-freeing call */
static int call_is_leaf(struct call *c)
{
	struct uinfo *cu = uinfo_of(c->callee);

	return c->prim || (cu && cu->freer);
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
		if (call_breaks(&u->calls[k], NULL, 0))
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
			if (call_truncates(&u->calls[k])) {
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

/* ---- the unit ------------------------------------------------------------- */
static int same_value(pseudo_t a, pseudo_t b)
{
	struct instruction *da, *db;

	if (a == b)
		return 1;
	if (!a || !b || a->type != PSEUDO_REG || b->type != PSEUDO_REG)
		return same_obj(a, b);
	da = a->def;
	db = b->def;
	if (da && db && da->opcode == OP_LOAD && db->opcode == OP_LOAD &&
	    da->offset == db->offset)
		return same_obj(da->src, db->src);
	return same_obj(a, b);
}

/* truncate_setsize(I, X); freer(I, X, ...): the block-freeing routine */
static void find_freers(struct uinfo *u)
{
	int k;

	for (k = 0; k + 1 < u->ncalls; k++) {
		struct call *t = &u->calls[k], *n = &u->calls[k + 1];
		struct uinfo *nu;

		/* a truncation to a size (the table's truncate-size rows) */
		if (!t->prim || !api_is(t->name, AK_TRUNCATE_SIZE))
			continue;
		if (n->bb != t->bb || !(nu = uinfo_of(n->callee)))
			continue;
		if (same_value(call_arg(t->insn, 0), call_arg(n->insn, 0)) &&
		    same_value(call_arg(t->insn, 1), call_arg(n->insn, 1)))
			nu->freer = 1;
	}
}

static int cmp_calls_pos(const void *a, const void *b)
{
	const struct call *x = *(const struct call * const *)a;
	const struct call *y = *(const struct call * const *)b;

	if (x->insn->pos.line != y->insn->pos.line)
		return (int)x->insn->pos.line - (int)y->insn->pos.line;
	return (int)x->insn->pos.pos - (int)y->insn->pos.pos;
}

static int cmp_entries(const void *a, const void *b)
{
	const struct uinfo *x = *(const struct uinfo * const *)a;
	const struct uinfo *y = *(const struct uinfo * const *)b;

	return strcmp(x->f->name, y->f->name);
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
static int counts(unsigned unb, int s)
{
	return s ? !!(unb & UNB_ANY) : !!(unb & UNB_SIZED);
}

static int best_state(struct uinfo *u)
{
	return (u->reached & 2) ? 1 : 0;
}

/*
 * Mark what the roots reach through truncating functions of the unit
 * (ROOTS[i] starting in state S0[i]), with the way there.
 */
static void reach(struct uinfo **roots, const int *s0, int nroots)
{
	struct { struct uinfo *u; int s; } *queue;
	int head = 0, nq = 0, i, k;

	for (i = 0; i < nui; i++) {
		ui[i].reached = 0;
		ui[i].pred[0] = ui[i].pred[1] = NULL;
	}
	queue = calloc(2 * nui + nroots + 1, sizeof(*queue));
	for (i = 0; i < nroots; i++) {
		if (roots[i]->reached & (2 | (1 << s0[i])))
			continue;
		roots[i]->reached |= 1 << s0[i];
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
			struct uinfo *cu = uinfo_of(u->calls[k].callee);
			int s2 = s || (u->unb[k] & UNB_SIZED);

			if (!(u->unb[k] & UNB_ANY) || !cu || !cu->truncs ||
			    cu->freer || (cu->reached & (2 | (1 << s2))))
				continue;
			cu->reached |= 1 << s2;
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
static void chain_build(struct uinfo *u, int s, char *buf, size_t size,
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

static void chain_text(struct uinfo *u, int s, char *buf, size_t size)
{
	chain_build(u, s, buf, size, 1);
}

static struct uinfo *chain_head(struct uinfo *u, int s)
{
	while (u->pred[s]) {
		int t = u->pred_s[s];

		u = u->pred[s];
		s = t;
	}
	return u;
}

/* ---- truncations of other units, from their summaries ---------------------- */
/*
 * A function's summary (summary_db.c) lists what its entry reaches
 * without a break, as ';'-separated items:
 *   L:function:line:column:call:sized:a>b>function
 *	a truncation primitive or block-freeing call of the function's own
 *	unit (its summary's file), reached through a>b>...;
 *   X:callee:sized:a>b>caller
 *	a call of another unit's truncating function (its own summary).
 * sized: the way there took the ATTR_SIZE side of a size test (it counts
 * on every path; otherwise only below a caller that took it).
 */
struct xleaf {
	char file[1024], fn[128], call[128], chain[1024];
	int line, col, top;	/* top: index of the root in ui[] */
};
static struct xleaf *xleaves;
static int nxleaves, xleaves_alloc;

static void chain_arrows(const char *in, char *out, size_t size)
{
	size_t len = 0;

	out[0] = 0;
	while (*in && len + 8 < size) {
		const char *e = strchr(in, '>');
		size_t n = e ? (size_t)(e - in) : strlen(in);

		len += snprintf(out + len, size - len, "%s%.*s()",
				len ? " -> " : "", (int)n, in);
		in += n + (e ? 1 : 0);
	}
}

/* SRC into DST of SIZE bytes, cut if longer */
static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = 0;
}

static void add_xleaf(const char *file, const char *fn, int line, int col,
		      const char *call, const char *chain, int top)
{
	struct xleaf *x;

	if (nxleaves == xleaves_alloc) {
		xleaves_alloc = xleaves_alloc ? 2 * xleaves_alloc : 16;
		xleaves = realloc(xleaves, xleaves_alloc * sizeof(*xleaves));
	}
	x = &xleaves[nxleaves++];
	copy_str(x->file, sizeof(x->file), file);
	copy_str(x->fn, sizeof(x->fn), fn);
	copy_str(x->call, sizeof(x->call), call);
	copy_str(x->chain, sizeof(x->chain), chain);
	x->line = line;
	x->col = col;
	x->top = top;
}

/*
 * The truncations G (another unit's function, called from FROM) reaches
 * unbroken, in state S, the way to G being PREFIX.
 */
static void expand_stub(struct fn *g, struct fn *from, int s,
			const char *prefix, int top, int depth)
{
	char *items, *item, *save = NULL;

	if (depth > 8 || !g->ubl_items || !strcmp(g->ubl_items, "-"))
		return;
	items = strdup(g->ubl_items);
	for (item = strtok_r(items, ";", &save); item;
	     item = strtok_r(NULL, ";", &save)) {
		char fn[128], call[128], chain[1024], arrows[1024], way[2048];
		int line, col, sized;

		if (sscanf(item, "L:%127[^:]:%d:%d:%127[^:]:%d:%1023s", fn,
			   &line, &col, call, &sized, chain) == 6) {
			if (!s && !sized)
				continue;
			chain_arrows(chain, arrows, sizeof(arrows));
			snprintf(way, sizeof(way), "%s -> %s", prefix, arrows);
			add_xleaf(g->stub_file, fn, line, col, call, way, top);
		} else if (sscanf(item, "X:%127[^:]:%d:%1023s", fn, &sized,
				  chain) == 3) {
			struct fn *h = summary_db_lookup(built_in_ident(fn));

			if (!stub_truncs(h, from))
				continue;
			chain_arrows(chain, arrows, sizeof(arrows));
			snprintf(way, sizeof(way), "%s -> %s", prefix, arrows);
			expand_stub(h, from, s || sized, way, top, depth + 1);
		}
	}
	free(items);
}

static int cmp_xleaf(const void *a, const void *b)
{
	const struct xleaf *x = a, *y = b;
	int r = strcmp(x->file, y->file);

	if (!r)
		r = strcmp(x->fn, y->fn);
	if (!r)
		r = x->line - y->line;
	return r ? r : x->col - y->col;
}

/* ---- findings ------------------------------------------------------------- */
static const char *op_text(struct uinfo *top)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), ".%s%s", entry_ops[top->entry - 1].member,
		 top->by_type ? ", by its type" : "");
	return buf;
}

static void report_unit(void)
{
	struct uinfo **roots = calloc(nui + 1, sizeof(*roots));
	int *s0 = calloc(nui + 1, sizeof(*s0));
	int nroots = 0, i, k, j;

	for (i = 0; i < nui; i++)
		if (ui[i].entry && !ui[i].f->is_inline)
			roots[nroots++] = &ui[i];
	qsort(roots, nroots, sizeof(*roots), cmp_entries);
	/* only .setattr's size change takes blocks away: it starts unsized */
	for (i = 0; i < nroots; i++)
		s0[i] = roots[i]->entry - 1 != E_SETATTR;
	reach(roots, s0, nroots);
	nxleaves = 0;
	for (i = 0; i < nui; i++) {
		struct uinfo *u = &ui[i], *top;
		struct call **leaves;
		char chain[1024], more[512] = "";
		int s = best_state(u), nleaves = 0;
		size_t len = 0;

		if (!u->reached || !u->unb)
			continue;
		chain_text(u, s, chain, sizeof(chain));
		top = chain_head(u, s);
		leaves = calloc(u->ncalls + 1, sizeof(*leaves));
		for (k = 0; k < u->ncalls; k++) {
			struct call *c = &u->calls[k];

			if (!counts(u->unb[k], s) && !(c->strunc &&
			    (u->unb[k] & UNB_ANY)))
				continue;
			if (call_is_leaf(c) && counts(u->unb[k], s))
				leaves[nleaves++] = c;
			else if (c->strunc)
				expand_stub(c->callee, u->f,
					    s || (u->unb[k] & UNB_SIZED), chain,
					    (int)(top - ui), 0);
		}
		if (nleaves) {
			struct call *first;

			qsort(leaves, nleaves, sizeof(*leaves), cmp_calls_pos);
			first = leaves[0];
			for (k = 1; k < nleaves && len + 64 < sizeof(more); k++)
				len += snprintf(more + len, sizeof(more) - len,
						"%s%s() at line %d",
						k == 1 ? "; also " : ", ",
						leaves[k]->name,
						leaves[k]->insn->pos.line);
			report(R_UNMAP_BREAKS, u->f,
			       report_pos(u->f, first->insn),
			       "%s%s%s reached from %s (%s) without breaking DAX layouts first%s; a device may still be DMAing into those blocks (%s)",
			       !first->prim ? "frees blocks (" : "",
			       first->name, !first->prim ? "())" : "()",
			       chain, op_text(top), more, evidence);
		}
		free(leaves);
	}
	/* truncations of other units: one finding a function, the first */
	qsort(xleaves, nxleaves, sizeof(*xleaves), cmp_xleaf);
	for (i = 0; i < nxleaves; i = j) {
		char more[512] = "";
		size_t len = 0;

		for (j = i + 1; j < nxleaves &&
		     !strcmp(xleaves[j].file, xleaves[i].file) &&
		     !strcmp(xleaves[j].fn, xleaves[i].fn); j++)
			if (xleaves[j].line != xleaves[j - 1].line &&
			    len + 64 < sizeof(more))
				len += snprintf(more + len, sizeof(more) - len,
						"%s%s() at line %d",
						len ? ", " : "; also ",
						xleaves[j].call, xleaves[j].line);
		report_at(R_UNMAP_BREAKS, xleaves[i].fn, xleaves[i].file,
			  xleaves[i].line, xleaves[i].col,
			  "%s() reached from %s (%s) without breaking DAX layouts first%s; a device may still be DMAing into those blocks (%s)",
			  xleaves[i].call, xleaves[i].chain,
			  op_text(&ui[xleaves[i].top]), more, evidence);
	}
	free(roots);
	free(s0);
}

/* ---- this unit's summaries for the others ------------------------------------ */
static void summarize_truncs(struct uinfo *g)
{
	char items[3000] = "", chain[1024], item[1400];
	size_t len = 0;
	int i, k, s0 = 0;

	g->f->ubl |= UBL_TRUNCS;
	reach(&g, &s0, 1);
	for (i = 0; i < nui && len < sizeof(items) - 1; i++) {
		struct uinfo *u = &ui[i];
		int s = best_state(u);

		if (!u->reached || !u->unb)
			continue;
		chain_build(u, s, chain, sizeof(chain), 0);
		for (k = 0; k < u->ncalls; k++) {
			struct call *c = &u->calls[k];
			int sized = (s && (u->unb[k] & UNB_ANY)) ||
				    (u->unb[k] & UNB_SIZED);
			int n;

			if (!(u->unb[k] & UNB_ANY))
				continue;
			if (call_is_leaf(c))
				n = snprintf(item, sizeof(item),
					     "L:%s:%d:%d:%s:%d:%s",
					     u->f->name,
					     report_pos(u->f, c->insn).line,
					     report_pos(u->f, c->insn).pos,
					     c->name, sized, chain);
			else if (c->strunc)
				n = snprintf(item, sizeof(item), "X:%s:%d:%s",
					     c->name, sized, chain);
			else
				continue;
			if (n <= 0 || len + n + 2 >= sizeof(items))
				continue;
			len += snprintf(items + len, sizeof(items) - len,
					"%s%s", len ? ";" : "", item);
		}
	}
	free(g->f->ubl_items);
	g->f->ubl_items = strdup(len ? items : "-");
}

/*
 * The parameter of a layout break that is its reason, as a caller of
 * another unit needs it: the one that, given BREAK_WRITE's value, leaves
 * no path to the busy-page scan (UBL_REASON_SHIFT).
 */
static int reason_param(struct uinfo *u)
{
	int n, nargs = ptr_list_size((struct ptr_list *)
				     u->f->sym->ctype.base_type->arguments);
	struct argconsts a;

	if (!break_write_known)
		return 0;
	for (n = 1; n <= nargs && n <= ARGCONST_MAX; n++) {
		memset(&a, 0, sizeof(a));
		a.v[n - 1] = break_write;
		a.known = 1u << (n - 1);
		if (!fn_breaks_with(u, &a, 0))
			return n << UBL_REASON_SHIFT;
	}
	return 0;
}

static void write_summaries(void)
{
	unsigned dep;
	int i;

	for (i = 0; i < nui; i++) {
		struct fn *f = ui[i].f;

		/* the primitives themselves (mm/truncate.c) are no news */
		if (f->is_static || f->is_inline ||
		    is_truncate_prim(f->name) || is_busy_name(f->name) ||
		    is_api(f))
			continue;
		if (ui[i].truncs)
			summarize_truncs(&ui[i]);
		else if (ui[i].breaks)
			f->ubl |= UBL_BREAKS | reason_param(&ui[i]);
		/* a DAX predicate, for the DAX tests of the other units */
		dep = fn_dax_dep(f);
		if (dep & DEP_PURE)
			f->ubl |= (dep & DEP_POS) ? UBL_DAXPRED : UBL_NDAXPRED;
	}
}

/* ---- the unit ------------------------------------------------------------- */
static void reset_unit(void)
{
	int i, k;

	for (i = 0; i < nui; i++) {
		for (k = 0; k < ui[i].ncalls; k++)
			free((char *)ui[i].calls[k].name);
		free(ui[i].calls);
		free(ui[i].unb);
	}
	free(ui);
	ui = NULL;
	nui = 0;
}

static void on_unit(struct fn **fns, int nfns)
{
	int debug = opt.ubl_debug;
	int writing = summary_db_writing();
	struct symbol *type[E_NR];
	struct symbol *bw;
	struct optable *tabs;
	int i, k, changed, any_entry = 0, ntabs, nentries = 0, naops = 0;

	if (!rule_enabled[R_UNMAP_BREAKS] || !nfns) {
		reset_unit();
		return;
	}
	tabs = optables(&ntabs);
	nui = nfns;
	ui = calloc(nui, sizeof(*ui));
	for (i = 0; i < nui; i++)
		ui[i].f = fns[i];
	/*
	 * entry points: the unit's tables, then the functions of a table's
	 * type that nothing in the unit calls (cheap tests first: most units
	 * have neither, and then only the summaries for other units are
	 * wanted)
	 */
	for (k = 0; k < E_NR; k++)
		type[k] = member_fn_type(entry_ops[k].table,
					 entry_ops[k].member);
	for (i = 0; i < nui; i++) {
		struct fn *f = ui[i].f;

		if (f->is_static || f->is_inline)
			continue;
		for (k = 0; k < E_NR; k++)
			if (type[k] && same_fn_type(f->sym->ctype.base_type,
						    type[k])) {
				ui[i].entry = 1 + k;
				ui[i].by_type = 1;
				any_entry = 1;
				break;
			}
	}
	for (i = 0; i < ntabs; i++) {
		naops += daxfs_is_aops(&tabs[i]);
		for (k = 0; k < tabs[i].nent; k++)
			nentries += entry_of(&tabs[i], &tabs[i].ent[k]) != 0;
	}
	if (nentries)
		any_entry = 1;
	if (!any_entry && !writing) {
		reset_unit();
		return;
	}
	any_entry = 0;
	for (i = 0; i < nui; i++)
		collect_calls(&ui[i]);
	for (i = 0; i < nui; i++)
		for (k = 0; k < ui[i].ncalls; k++) {
			struct uinfo *cu = uinfo_of(ui[i].calls[k].callee);

			if (cu && cu != &ui[i])
				cu->ncallers++;
		}
	for (i = 0; i < nui; i++) {
		if (ui[i].by_type && ui[i].ncallers)
			ui[i].entry = ui[i].by_type = 0;
		any_entry |= ui[i].entry != 0;
	}
	for (i = 0; i < ntabs; i++)
		for (k = 0; k < tabs[i].nent; k++) {
			int op = entry_of(&tabs[i], &tabs[i].ent[k]);
			struct uinfo *u = !op ? NULL :
				uinfo_of(fn_in_stream(tabs[i].ent[k].fn,
						      tabs[i].sym->pos.stream));

			if (u && (!u->entry || u->by_type)) {
				u->entry = op;
				u->by_type = 0;
				any_entry = 1;
			}
		}
	/* the layout break reason of a write (the table's break-write row) */
	bw = NULL;
	for (i = 0; !bw && i < API_NROWS; i++)
		if (api_rows[i].kind == AK_BREAK_WRITE)
			bw = lookup_symbol(built_in_ident(api_rows[i].name),
					   NS_SYMBOL);
	break_write = 0;
	break_write_known = bw && bw->initializer &&
			    bw->initializer->type == EXPR_VALUE;
	if (break_write_known)
		break_write = bw->initializer->value;

	/* block-freeing routines, then the functions that truncate */
	for (i = 0; i < nui; i++)
		find_freers(&ui[i]);
	for (changed = 1; changed; ) {
		changed = 0;
		for (i = 0; i < nui; i++) {
			if (ui[i].truncs)
				continue;
			for (k = 0; k < ui[i].ncalls; k++) {
				if (call_truncates(&ui[i].calls[k])) {
					ui[i].truncs = 1;
					changed = 1;
					break;
				}
			}
		}
	}
	/* functions that may break layouts (whatever their arguments) */
	for (changed = 1; changed; ) {
		changed = 0;
		for (i = 0; i < nui; i++) {
			if (ui[i].breaks)
				continue;
			for (k = 0; k < ui[i].ncalls; k++) {
				if (call_breaks(&ui[i].calls[k], NULL, 0)) {
					ui[i].breaks = 1;
					changed = 1;
					break;
				}
			}
		}
	}
	if (writing) {
		write_summaries();
		summary_db_unit_dax(unit_shows_dax(fns, nfns, evidence, sizeof(evidence)));
	}
	if (debug) {
		fprintf(stderr, "ubl: %d functions, %d table entries, %d aops, entries:%s\n",
			nui, nentries, naops, any_entry ? "" : " none");
		for (i = 0; i < nui; i++)
			if (ui[i].entry || ui[i].truncs || ui[i].breaks ||
			    ui[i].freer)
				fprintf(stderr, "ubl:   %s:%s%s%s%s%s%s%s\n",
					ui[i].f->name,
					ui[i].entry ? " entry ." : "",
					ui[i].entry ?
					entry_ops[ui[i].entry - 1].member : "",
					ui[i].truncs ? " truncates" : "",
					ui[i].breaks ? " breaks" : "",
					ui[i].freer ? " frees-blocks" : "",
					ui[i].f->ubl_items ? " summary " : "",
					ui[i].f->ubl_items ?
					ui[i].f->ubl_items : "");
	}
	if (!any_entry || !unit_shows_dax(fns, nfns, evidence, sizeof(evidence))) {
		if (debug && any_entry)
			fprintf(stderr, "ubl: no DAX inodes in this unit\n");
		reset_unit();
		return;
	}
	if (debug)
		fprintf(stderr, "ubl: DAX inodes: %s\n", evidence);
	report_unit();
	reset_unit();
}

void check_unmap_breaks_layouts_init(void)
{
	int k;

	register_macro_hook(dax_flag_note);
	daxfs_watch();
	for (k = 0; k < E_NR; k++)
		optable_watch(entry_ops[k].table);
	register_sym_hook(on_symbol);
	register_unit_hook(on_unit);
}
