// SPDX-License-Identifier: GPL-2.0
/*
 * check_unmap_breaks_layouts.c - in a filesystem that has DAX inodes, every
 * path of an operation that takes blocks away from a file (.setattr,
 * .fallocate, the destination of .remap_file_range / .clone_file_range /
 * .dedupe_file_range) breaks DAX layouts before it truncates the page cache
 * or frees blocks.  Within one translation unit:
 *
 *  - entry points: the functions named in the unit's inode_operations
 *    (.setattr) and file_operations initialisers, and, for tables that live
 *    in another unit, a function that is not static, is not called in this
 *    unit and has exactly the type of .setattr / .fallocate / .remap_file_range
 *    (ext2_setattr, ext4_setattr, ext4_fallocate);
 *  - the unit shows DAX inodes: it defines a DAX-shaped
 *    address_space_operations (.writepages reaching
 *    dax_writeback_mapping_range(), or a name with "dax", and no page-cache
 *    operation), or calls the DAX API (dax_*()) or a layout break, or tests
 *    IS_DAX() -- each written in the unit's own text (the driver's
 *    prefilter relies on that);
 *  - a truncation is a call, written in the unit, of truncate_pagecache*(),
 *    truncate_inode_pages*(), truncate_setsize(), of the unit's own
 *    block-freeing routine (the function called right after
 *    truncate_setsize(I, X) / truncate_pagecache(I, X) with the same I and
 *    X), or of a function of the unit that (transitively) calls one;
 *  - a break is a call of dax_layout_busy_page*() or of a layout-break
 *    function: a function of the unit that may reach the busy-page scan and
 *    truncates nothing (its summary; a reason argument is followed into its
 *    switch, so BREAK_WRITE is no break), or one of the engine's table
 *    (xfs_break_layouts with a reason other than BREAK_WRITE,
 *    ext4_break_layouts, fuse_dax_break_layouts, xfs_break_dax_layouts);
 *  - a path that passes a branch on a DAX test whose DAX side leads to a
 *    break (if (IS_DAX(inode) && x) { ...break... }, a flag computed from
 *    IS_DAX()) counts as broken, and the non-DAX side of a branch on a
 *    plain DAX test (if (!IS_DAX(inode)) ..., the else of if (IS_DAX(..)))
 *    sees only page-cache inodes: the same model as the Coccinelle rule.
 *
 * From the entry points, calls of truncating functions reached without a
 * break are followed; a truncation primitive or block-freeing call reached
 * without a break is reported in the function that makes it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daxlint.h"

/* ---- the operations that take blocks away ----------------------------- */
enum entry_op { E_SETATTR, E_FALLOCATE, E_REMAP, E_CLONE, E_DEDUPE,
		E_GETATTR, E_NR };

static const struct {
	const char *table;	/* struct tag of the table */
	const char *member;
} entry_ops[E_NR] = {
	[E_SETATTR] = { "inode_operations", "setattr" },
	[E_FALLOCATE] = { "file_operations", "fallocate" },
	[E_REMAP] = { "file_operations", "remap_file_range" },
	[E_CLONE] = { "file_operations", "clone_file_range" },
	[E_DEDUPE] = { "file_operations", "dedupe_file_range" },
	[E_GETATTR] = { "inode_operations", "getattr" },
};

/* page-cache operations: an aops with one of them is no DAX aops */
static const char *const pagecache_ops[] = {
	"read_folio", "readpage", "readpages", "readahead", "writepage",
	"write_begin", "write_end",
};

/* functions named in the unit's tables */
struct tref {
	struct ident *fn;
	int stream;
	enum entry_op op;
};
static struct tref *trefs;
static int ntrefs, trefs_alloc;

/* the unit's address_space_operations objects */
struct aref {
	struct symbol *sym;
	struct ident *writepages;
	int pagecache;
};
static struct aref *arefs;
static int narefs, arefs_alloc;

static int ident_is(struct ident *id, const char *s)
{
	size_t n = strlen(s);

	return id && (size_t)id->len == n && !memcmp(id->name, s, n);
}

static const char *id_str(struct ident *id)
{
	static char buf[4][128];
	static int k;
	char *b = buf[k++ & 3];

	if (!id)
		return "?";
	snprintf(b, sizeof(buf[0]), "%.*s", id->len, id->name);
	return b;
}

/* the member of struct ST at byte offset OFF */
static struct symbol *member_at_offset(struct symbol *st, unsigned off)
{
	struct symbol *m;

	FOR_EACH_PTR(st->symbol_list, m) {
		if (m->ident && (unsigned long)m->offset == off)
			return m;
	} END_FOR_EACH_PTR(m);
	return NULL;
}

/* the function an initializer entry names: f, &f, (cast)f */
static struct ident *init_fn(struct expression *e)
{
	while (e) {
		switch (e->type) {
		case EXPR_CAST: case EXPR_IMPLIED_CAST: case EXPR_FORCE_CAST:
			e = e->cast_expression;
			continue;
		case EXPR_PREOP:
			if (e->op != '&')
				return NULL;
			e = e->unop;
			continue;
		case EXPR_SYMBOL:
			if (e->symbol && peel_node(e->symbol->ctype.base_type) &&
			    peel_node(e->symbol->ctype.base_type)->type == SYM_FN)
				return e->symbol->ident;
			return NULL;
		default:
			return NULL;
		}
	}
	return NULL;
}

static void add_tref(struct ident *fn, int stream, enum entry_op op)
{
	if (ntrefs == trefs_alloc) {
		trefs_alloc = trefs_alloc ? 2 * trefs_alloc : 16;
		trefs = realloc(trefs, trefs_alloc * sizeof(*trefs));
	}
	trefs[ntrefs].fn = fn;
	trefs[ntrefs].stream = stream;
	trefs[ntrefs].op = op;
	ntrefs++;
}

static void on_symbol(struct symbol *sym)
{
	struct symbol *st;
	struct expression *e;
	struct aref *a = NULL;
	int is_aops;

	if (!rule_enabled[R_UNMAP_BREAKS] || !sym->initializer ||
	    sym->initializer->type != EXPR_INITIALIZER)
		return;
	st = peel_node(sym->ctype.base_type);
	if (!st || st->type != SYM_STRUCT || !st->ident)
		return;
	is_aops = ident_is(st->ident, "address_space_operations");
	if (!is_aops && !ident_is(st->ident, "inode_operations") &&
	    !ident_is(st->ident, "file_operations"))
		return;
	if (is_aops) {
		if (narefs == arefs_alloc) {
			arefs_alloc = arefs_alloc ? 2 * arefs_alloc : 8;
			arefs = realloc(arefs, arefs_alloc * sizeof(*arefs));
		}
		a = &arefs[narefs++];
		memset(a, 0, sizeof(*a));
		a->sym = sym;
	}
	FOR_EACH_PTR(sym->initializer->expr_list, e) {
		struct symbol *m;
		struct ident *fn;
		unsigned k;

		if (e->type != EXPR_POS)
			continue;
		m = member_at_offset(st, e->init_offset);
		fn = init_fn(e->init_expr);
		if (!m || !fn)
			continue;
		if (a) {
			if (ident_is(m->ident, "writepages"))
				a->writepages = fn;
			for (k = 0; k < sizeof(pagecache_ops) /
				     sizeof(pagecache_ops[0]); k++)
				if (ident_is(m->ident, pagecache_ops[k]))
					a->pagecache = 1;
			continue;
		}
		for (k = 0; k < E_NR; k++)
			if (ident_is(st->ident, entry_ops[k].table) &&
			    ident_is(m->ident, entry_ops[k].member))
				add_tref(fn, sym->pos.stream, k);
	} END_FOR_EACH_PTR(e);
}

/* ---- source text: what is written in the unit ------------------------- */
/* is NAME( written on the line of P? */
static int text_calls(struct position p, const char *name)
{
	const char *t = source_line(p.stream, p.line), *q;
	size_t n = strlen(name);

	for (q = t; q && (q = strstr(q, name)) != NULL; q += n) {
		const char *e = q + n;

		if (q > t && is_ident_char(q[-1]))
			continue;
		while (*e == ' ' || *e == '\t')
			e++;
		if (*e == '(' || *e == '\n' || !*e)
			return 1;
	}
	return 0;
}

/* does the line of P name DAX (IS_DAX, FUSE_IS_DAX, S_DAX, dax_...)? */
static int text_dax(struct position p)
{
	const char *t = source_line(p.stream, p.line);

	for (; t && *t; t++)
		if (tolower((unsigned char)t[0]) == 'd' &&
		    tolower((unsigned char)t[1]) == 'a' &&
		    tolower((unsigned char)t[2]) == 'x')
			return 1;
	return 0;
}

static int is_truncate_prim(const char *n)
{
	return !strcmp(n, "truncate_pagecache") ||
	       !strcmp(n, "truncate_pagecache_range") ||
	       !strcmp(n, "truncate_setsize") ||
	       !strcmp(n, "truncate_inode_pages") ||
	       !strcmp(n, "truncate_inode_pages_range") ||
	       !strcmp(n, "truncate_inode_pages_final");
}

/* the busy-page scan every layout break is built on (6.15: dax_break_layout*) */
static int is_busy_name(const char *n)
{
	return !strcmp(n, "dax_layout_busy_page") ||
	       !strcmp(n, "dax_layout_busy_page_range") ||
	       !strncmp(n, "dax_break_layout", 16);
}

/* ---- the unit's functions and calls ------------------------------------ */
struct call {
	struct instruction *insn;
	struct fn *callee;	/* a function of the unit (not inlined) */
	const char *name;
	int bb;			/* index in fn->bbs */
	int prim;		/* a truncation primitive written here */
};

struct uinfo {
	struct fn *f;
	struct call *calls;
	int ncalls;
	int ncallers;
	int entry;		/* 1 + enum entry_op, 0: none */
	int by_type;		/* entry found by its type */
	int refresh;		/* reachable from .getattr */
	int freer;		/* the unit's block-freeing routine */
	int truncs;		/* (transitively) truncates */
	int breaks;		/* may reach the busy-page scan */
	int visiting;
	int queued;
	struct uinfo *pred;	/* on the way from an entry point */
};

static struct uinfo *ui;
static int nui;
static long long break_write;	/* the value of BREAK_WRITE */

static int *ui_hash;
static unsigned ui_hash_mask;

static unsigned hash_fn(const struct fn *f)
{
	unsigned long v = (unsigned long)f;

	return (unsigned)((v >> 4) ^ (v >> 16)) & ui_hash_mask;
}

static struct uinfo *uinfo_of(const struct fn *f)
{
	unsigned h;

	if (!f || !ui_hash)
		return NULL;
	for (h = hash_fn(f); ui_hash[h]; h = (h + 1) & ui_hash_mask)
		if (ui[ui_hash[h] - 1].f == f)
			return &ui[ui_hash[h] - 1];
	return NULL;
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
			c->callee = fn_callee(f, id);
			if (c->callee && c->callee->is_inline)
				c->callee = NULL;
			c->prim = is_truncate_prim(c->name) &&
				  text_calls(insn->pos, c->name);
		} END_FOR_EACH_PTR(insn);
	}
}

/* the definition a table entry of STREAM names */
static struct uinfo *resolve(struct ident *id, int stream)
{
	struct uinfo *global = NULL;
	int i;

	for (i = 0; i < nui; i++) {
		struct fn *f = ui[i].f;

		if (f->sym->ident != id)
			continue;
		if (f->stream == stream)
			return &ui[i];
		if (!f->is_static && !global)
			global = &ui[i];
	}
	return global;
}

/* ---- types: is F's type the type of an operations table member? -------- */
static int same_type(struct symbol *a, struct symbol *b, int depth)
{
	a = peel_node(a);
	b = peel_node(b);
	if (a == b)
		return 1;
	if (!a || !b || a->type != b->type || depth > 6)
		return 0;
	switch (a->type) {
	case SYM_PTR:
		return same_type(a->ctype.base_type, b->ctype.base_type,
				 depth + 1);
	case SYM_STRUCT: case SYM_UNION: case SYM_ENUM:
		return a->ident && a->ident == b->ident;
	case SYM_BASETYPE:
		return a->bit_size == b->bit_size &&
		       (a->ctype.modifiers & MOD_UNSIGNED) ==
		       (b->ctype.modifiers & MOD_UNSIGNED);
	default:
		return 0;
	}
}

static int same_fn_type(struct symbol *fa, struct symbol *fb)
{
	struct symbol *x, *y;
	int na, nb, i = 0;

	fa = peel_node(fa);
	fb = peel_node(fb);
	if (!fa || !fb || fa->type != SYM_FN || fb->type != SYM_FN)
		return 0;
	if (!same_type(fa->ctype.base_type, fb->ctype.base_type, 0))
		return 0;
	na = ptr_list_size((struct ptr_list *)fa->arguments);
	nb = ptr_list_size((struct ptr_list *)fb->arguments);
	if (na != nb || !na)
		return 0;
	PREPARE_PTR_LIST(fb->arguments, y);
	FOR_EACH_PTR(fa->arguments, x) {
		if (!y || !same_type(x->ctype.base_type, y->ctype.base_type, 0))
			i = -1;
		NEXT_PTR_LIST(y);
	} END_FOR_EACH_PTR(x);
	FINISH_PTR_LIST(y);
	return i == 0;
}

/* the function type of member MEMBER of struct TABLE, as this unit has it */
static struct symbol *member_fn_type(const char *table, const char *member)
{
	struct symbol *st = lookup_symbol(built_in_ident(table), NS_STRUCT);
	struct symbol *m, *t;

	st = peel_node(st);
	if (!st || st->type != SYM_STRUCT)
		return NULL;
	FOR_EACH_PTR(st->symbol_list, m) {
		if (!ident_is(m->ident, member))
			continue;
		t = peel_node(m->ctype.base_type);
		if (t && t->type == SYM_PTR)
			return peel_node(t->ctype.base_type);
	} END_FOR_EACH_PTR(m);
	return NULL;
}

/* ---- constant arguments: does a call break layouts? -------------------- */
#define MAX_ARGS 8
struct args {
	long long v[MAX_ARGS];
	unsigned known;		/* bit n-1: parameter n is v[n-1] */
};

static int eval(pseudo_t p, const struct args *a, long long *out, int depth)
{
	struct instruction *d;
	long long x, y;

	if (!p || depth > 8)
		return 0;
	if (p->type == PSEUDO_VAL) {
		*out = p->value;
		return 1;
	}
	if (p->type == PSEUDO_ARG) {
		if (a && p->nr >= 1 && p->nr <= MAX_ARGS &&
		    (a->known & (1u << (p->nr - 1)))) {
			*out = a->v[p->nr - 1];
			return 1;
		}
		return 0;
	}
	if (p->type != PSEUDO_REG || !(d = p->def))
		return 0;
	switch (d->opcode) {
	case OP_ZEXT: case OP_SEXT: case OP_TRUNC: case OP_COPY:
		return eval(d->src, a, out, depth + 1);
	case OP_SET_EQ: case OP_SET_NE: case OP_SET_LT: case OP_SET_LE:
	case OP_SET_GT: case OP_SET_GE: case OP_SET_B: case OP_SET_BE:
	case OP_SET_A: case OP_SET_AE: case OP_AND: case OP_OR:
		if (!eval(d->src1, a, &x, depth + 1) ||
		    !eval(d->src2, a, &y, depth + 1))
			return 0;
		switch (d->opcode) {
		case OP_SET_EQ: *out = x == y; break;
		case OP_SET_NE: *out = x != y; break;
		case OP_SET_LT: *out = x < y; break;
		case OP_SET_LE: *out = x <= y; break;
		case OP_SET_GT: *out = x > y; break;
		case OP_SET_GE: *out = x >= y; break;
		case OP_SET_B: *out = (unsigned long long)x < (unsigned long long)y; break;
		case OP_SET_BE: *out = (unsigned long long)x <= (unsigned long long)y; break;
		case OP_SET_A: *out = (unsigned long long)x > (unsigned long long)y; break;
		case OP_SET_AE: *out = (unsigned long long)x >= (unsigned long long)y; break;
		case OP_AND: *out = x & y; break;
		default: *out = x | y; break;
		}
		return 1;
	default:
		return 0;
	}
}

static int fn_breaks_with(struct uinfo *u, const struct args *a, int depth);

/* the constants a call passes, seen from a caller with arguments A */
static void call_args(struct call *c, const struct args *a, struct args *out)
{
	pseudo_t p;
	int n = 0;

	memset(out, 0, sizeof(*out));
	FOR_EACH_PTR(c->insn->arguments, p) {
		if (n < MAX_ARGS && eval(p, a, &out->v[n], 0))
			out->known |= 1u << n;
		n++;
	} END_FOR_EACH_PTR(p);
}

/*
 * Does this call break DAX layouts, the caller's parameters being A (NULL:
 * unknown)?  Only a break that truncates nothing itself counts: a call of
 * a function that both breaks and truncates is a truncation.
 */
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

static int call_breaks(struct call *c, const struct args *a, int depth)
{
	enum call_kind k;

	/* defined in another unit: its summary says whether it scans */
	if (c->callee && c->callee->stub)
		return c->callee->scans;
	if (unknown_private(c))
		return 1;
	if (c->callee) {
		struct uinfo *cu = uinfo_of(c->callee);
		struct args ca;

		if (!cu || !cu->breaks || cu->truncs)
			return 0;
		call_args(c, a, &ca);
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

		if (eval(call_arg(c->insn, 2), a, &reason, 0) &&
		    reason == break_write)
			return 0;	/* BREAK_WRITE only recalls leases */
		return 1;
	}
	return 0;
}

/* may U reach a break with its parameters A (branches on them resolved)? */
static int fn_breaks_with(struct uinfo *u, const struct args *a, int depth)
{
	struct fn *f = u->f;
	char *seen;
	int *stack, sp = 0, i, found = 0;
	struct basic_block *child;

	if (depth > 8 || u->visiting || !f->nbbs)
		return 0;
	u->visiting = 1;
	seen = calloc(f->nbbs + 1, 1);
	stack = malloc((f->nbbs + 1) * sizeof(*stack));
	i = (int)(long)f->ep->entry->bb->priv - 1;
	if (i >= 0 && i < f->nbbs) {
		seen[i] = 1;
		stack[sp++] = i;
	}
	while (sp && !found) {
		struct basic_block *bb;
		struct instruction *last;
		long long v;

		i = stack[--sp];
		bb = f->bbs[i].bb;
		for (int k = 0; k < u->ncalls && !found; k++)
			if (u->calls[k].bb == i &&
			    call_breaks(&u->calls[k], a, depth))
				found = 1;
		last = last_instruction(bb->insns);
		FOR_EACH_PTR(bb->children, child) {
			int ci = (int)(long)child->priv - 1;

			if (ci < 0 || ci >= f->nbbs || seen[ci])
				continue;
			if (last && last->opcode == OP_CBR &&
			    eval(last->cond, a, &v, 0) &&
			    child != (v ? last->bb_true : last->bb_false))
				continue;
			if (last && last->opcode == OP_SWITCH &&
			    eval(last->cond, a, &v, 0)) {
				struct multijmp *jmp, *hit = NULL, *def = NULL;

				FOR_EACH_PTR(last->multijmp_list, jmp) {
					if (jmp->begin > jmp->end)
						def = jmp;
					else if (v >= jmp->begin &&
						 v <= jmp->end && !hit)
						hit = jmp;
				} END_FOR_EACH_PTR(jmp);
				if (!hit)
					hit = def;
				if (hit && hit->target != child)
					continue;
			}
			seen[ci] = 1;
			stack[sp++] = ci;
		} END_FOR_EACH_PTR(child);
	}
	free(seen);
	free(stack);
	u->visiting = 0;
	return found;
}

/* ---- DAX tests ----------------------------------------------------------- */
#define DEP_POS		1u	/* true on DAX inodes */
#define DEP_NEG		2u	/* true on page-cache inodes */
#define DEP_PURE	4u	/* nothing but the DAX test */

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

/* a bit of an inode's flags tested on a line that names DAX (IS_DAX()) */
static int is_dax_flag_test(struct instruction *d)
{
	return (d->opcode == OP_AND || d->opcode == OP_LSR) &&
	       d->src2 && d->src2->type == PSEUDO_VAL &&
	       loads_value(d->src1, 0) && text_dax(d->pos);
}

static unsigned swap_dep(unsigned d)
{
	return (d & DEP_PURE) | ((d & DEP_POS) ? DEP_NEG : 0) |
	       ((d & DEP_NEG) ? DEP_POS : 0);
}

/* how a value relates to the inode being a DAX inode */
static unsigned dax_dep(pseudo_t p, int depth)
{
	struct instruction *d;
	unsigned r = 0;
	pseudo_t s;

	if (!p || p->type != PSEUDO_REG || !(d = p->def) || depth > 10)
		return 0;
	switch (d->opcode) {
	case OP_AND: case OP_LSR:
		if (is_dax_flag_test(d))
			return DEP_POS | DEP_PURE;
		if (d->src2 && d->src2->type == PSEUDO_VAL)
			return dax_dep(d->src1, depth + 1);
		return (dax_dep(d->src1, depth + 1) |
			dax_dep(d->src2, depth + 1)) & ~DEP_PURE;
	case OP_OR:
		return (dax_dep(d->src1, depth + 1) |
			dax_dep(d->src2, depth + 1)) & ~DEP_PURE;
	case OP_SET_NE:
		if (d->src2 && d->src2->type == PSEUDO_VAL && !d->src2->value)
			return dax_dep(d->src1, depth + 1);
		return 0;
	case OP_SET_EQ:
		if (d->src2 && d->src2->type == PSEUDO_VAL && !d->src2->value)
			return swap_dep(dax_dep(d->src1, depth + 1));
		return 0;
	case OP_ZEXT: case OP_SEXT: case OP_TRUNC: case OP_COPY:
		return dax_dep(d->src, depth + 1);
	case OP_SEL:
		return (dax_dep(d->src2, depth + 1) |
			dax_dep(d->src3, depth + 1)) & ~DEP_PURE;
	case OP_PHI:
		FOR_EACH_PTR(d->phi_list, s) {
			if (s == VOID || !s->def || s->def->opcode != OP_PHISOURCE)
				continue;
			r |= dax_dep(s->def->phi_src, depth + 1);
		} END_FOR_EACH_PTR(s);
		return r & ~DEP_PURE;
	case OP_CALL: {
		/* a bool-valued DAX predicate that is not inlined */
		struct symbol *t = peel_node(d->type);
		struct ident *id = insn_call_name(d);

		if (t && t->bit_size == 1 && id &&
		    strstr(show_ident(id), "dax"))
			return DEP_POS | DEP_PURE;
		return 0;
	}
	default:
		return 0;
	}
}

/* ---- DAX inodes in this unit? ------------------------------------------- */
static char evidence[256];

static int reaches_wb(struct uinfo *u, int depth)
{
	int k;

	if (!u || depth > 4)
		return 0;
	for (k = 0; k < u->ncalls; k++) {
		struct call *c = &u->calls[k];

		if (!strcmp(c->name, "dax_writeback_mapping_range") &&
		    text_calls(c->insn->pos, c->name))
			return 1;
		if (c->callee && c->callee != u->f &&
		    reaches_wb(uinfo_of(c->callee), depth + 1))
			return 1;
	}
	return 0;
}

static int has_dax_inodes(void)
{
	int i, k;

	for (i = 0; i < narefs; i++) {
		struct aref *a = &arefs[i];
		const char *n = id_str(a->sym->ident);

		if (a->pagecache)
			continue;
		if (strstr(n, "dax") ||
		    (a->writepages &&
		     reaches_wb(resolve(a->writepages, a->sym->pos.stream), 0))) {
			snprintf(evidence, sizeof(evidence),
				 "%s is a DAX aops", n);
			return 1;
		}
	}
	for (i = 0; i < nui; i++) {
		struct fn *f = ui[i].f;
		struct basic_block *bb;
		struct instruction *insn;

		if (f->is_inline)
			continue;
		for (k = 0; k < ui[i].ncalls; k++) {
			struct call *c = &ui[i].calls[k];
			enum call_kind kind;

			kind = call_kind_of(c->insn->func->sym->ident);
			if ((!strncmp(c->name, "dax_", 4) ||
			     kind == CK_BUSY_PAGE || kind == CK_BREAK_LAYOUTS ||
			     (c->callee && c->callee->stub &&
			      c->callee->scans)) &&
			    text_calls(c->insn->pos, c->name)) {
				snprintf(evidence, sizeof(evidence),
					 "%s() calls %s()", f->name, c->name);
				return 1;
			}
		}
		FOR_EACH_PTR(f->ep->bbs, bb) {
			FOR_EACH_PTR(bb->insns, insn) {
				if (!insn->bb || insn->pos.stream != f->stream)
					continue;
				if (insn->opcode == OP_INLINED_CALL) {
					struct ident *id = insn_call_name(insn);

					if (id && !strncmp(show_ident(id), "dax_", 4) &&
					    text_calls(insn->pos, show_ident(id))) {
						snprintf(evidence, sizeof(evidence),
							 "%s() calls %s()", f->name,
							 show_ident(id));
						return 1;
					}
				}
				if (is_dax_flag_test(insn)) {
					snprintf(evidence, sizeof(evidence),
						 "%s() tests IS_DAX() at line %d",
						 f->name, insn->pos.line);
					return 1;
				}
			} END_FOR_EACH_PTR(insn);
		} END_FOR_EACH_PTR(bb);
	}
	return 0;
}

/* ---- the path analysis of one function ----------------------------------- */
/* a call that is a truncation (by property) */
static int call_truncates(struct call *c)
{
	struct uinfo *cu;

	if (c->prim)
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
 * Blocks that only the edge FROM -> TO leads to (dominated by the edge):
 * those reached from the entry, but not without that edge.
 */
static void edge_dominated(struct fn *f, int from, struct basic_block *to,
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

static int branch_cover(struct uinfo *u, int b, const char *breaks)
{
	struct fn *f = u->f;
	struct instruction *last = last_instruction(f->bbs[b].bb->insns);
	unsigned dep;
	int cover = 0, i;

	if (!last || last->opcode != OP_CBR || last->bb_true == last->bb_false)
		return 0;
	dep = dax_dep(last->cond, 0);
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
 * The calls of U that truncate and that some path from U's entry reaches
 * without a break: UNBROKEN[k] set for U->calls[k].
 */
static void analyse(struct uinfo *u, char *unbroken)
{
	struct fn *f = u->f;
	int n = f->nbbs, b, k, changed = 1, rounds = 0;
	char *in = malloc(n + 1), *out = malloc(n + 1), *brk = calloc(n + 1, 1);
	char *cover = calloc(n + 1, 1);
	int entry = (int)(long)f->ep->entry->bb->priv - 1;

	for (k = 0; k < u->ncalls; k++)
		if (call_breaks(&u->calls[k], NULL, 0))
			brk[u->calls[k].bb] = 1;
	for (b = 0; b < n; b++) {
		cover[b] = branch_cover(u, b, brk);
		in[b] = out[b] = 1;
	}
	guard_conditions(f, cover);
	while (changed && rounds++ < 4 * n + 8) {
		changed = 0;
		for (b = 0; b < n; b++) {
			struct basic_block *p;
			char v = b == entry ? 0 : 1;

			FOR_EACH_PTR(f->bbs[b].bb->parents, p) {
				int pi = (int)(long)p->priv - 1;
				struct instruction *last;
				char e;

				if (pi < 0 || pi >= n)
					continue;
				e = out[pi];
				last = last_instruction(p->insns);
				if (!e && last && last->opcode == OP_CBR &&
				    last->bb_true != last->bb_false &&
				    (((cover[pi] & COVER_TRUE) &&
				      last->bb_true == f->bbs[b].bb) ||
				     ((cover[pi] & COVER_FALSE) &&
				      last->bb_false == f->bbs[b].bb)))
					e = 1;
				v &= e;
			} END_FOR_EACH_PTR(p);
			if (v != in[b]) {
				in[b] = v;
				changed = 1;
			}
			v = in[b] | brk[b];
			if (v != out[b]) {
				out[b] = v;
				changed = 1;
			}
		}
	}
	/* within a block, a break covers the calls after it */
	for (b = 0; b < n; b++) {
		char st = in[b];
		struct instruction *insn;

		FOR_EACH_PTR(f->bbs[b].bb->insns, insn) {
			if (!insn->bb || insn->opcode != OP_CALL)
				continue;
			for (k = 0; k < u->ncalls; k++) {
				if (u->calls[k].insn != insn)
					continue;
				if (!st && call_truncates(&u->calls[k]))
					unbroken[k] = 1;
				if (call_breaks(&u->calls[k], NULL, 0))
					st = 1;
				break;
			}
		} END_FOR_EACH_PTR(insn);
	}
	free(in);
	free(out);
	free(brk);
	free(cover);
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

		if (!t->prim || (strcmp(t->name, "truncate_setsize") &&
				 strcmp(t->name, "truncate_pagecache")))
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

static void chain_text(struct uinfo *u, char *buf, size_t size)
{
	struct uinfo *c;
	size_t len = 0;
	int depth, k;

	for (depth = 0, c = u; c->pred; c = c->pred)
		depth++;
	buf[0] = 0;
	for (; depth >= 0; depth--) {
		for (c = u, k = 0; k < depth; k++)
			c = c->pred;
		if (len < size)
			len += snprintf(buf + len, size - len, "%s%s()",
					len ? " -> " : "", c->f->name);
	}
}

static struct uinfo *chain_head(struct uinfo *u)
{
	while (u->pred)
		u = u->pred;
	return u;
}

static void report_unit(void)
{
	struct uinfo **queue = calloc(nui + 1, sizeof(*queue));
	int nq = 0, head = 0, i, k;

	for (i = 0; i < nui; i++)
		if (ui[i].entry && !ui[i].refresh && !ui[i].f->is_inline)
			queue[nq++] = &ui[i];
	qsort(queue, nq, sizeof(*queue), cmp_entries);
	for (i = 0; i < nq; i++)
		queue[i]->queued = 1;
	while (head < nq) {
		struct uinfo *u = queue[head];
		char *unbroken = calloc(u->ncalls + 1, 1);
		struct call **leaves = calloc(u->ncalls + 1, sizeof(*leaves));
		struct call **follow = calloc(u->ncalls + 1, sizeof(*follow));
		int nleaves = 0, nfollow = 0;

		head++;
		if (u->truncs)
			analyse(u, unbroken);
		for (k = 0; k < u->ncalls; k++) {
			struct call *c = &u->calls[k];
			struct uinfo *cu = uinfo_of(c->callee);

			if (!unbroken[k])
				continue;
			if (call_is_leaf(c))
				leaves[nleaves++] = c;
			else if (cu && !cu->freer && !cu->refresh)
				follow[nfollow++] = c;
		}
		qsort(follow, nfollow, sizeof(*follow), cmp_calls_pos);
		for (k = 0; k < nfollow; k++) {
			struct uinfo *cu = uinfo_of(follow[k]->callee);

			if (cu->queued)
				continue;
			cu->queued = 1;
			cu->pred = u;
			queue[nq++] = cu;
		}
		if (nleaves) {
			char chain[1024], more[512] = "";
			struct uinfo *top = chain_head(u);
			struct call *first;
			size_t len = 0;

			qsort(leaves, nleaves, sizeof(*leaves), cmp_calls_pos);
			first = leaves[0];
			for (k = 1; k < nleaves && len + 64 < sizeof(more); k++)
				len += snprintf(more + len, sizeof(more) - len,
						"%s%s() at line %d",
						k == 1 ? "; also " : ", ",
						leaves[k]->name,
						leaves[k]->insn->pos.line);
			chain_text(u, chain, sizeof(chain));
			report(R_UNMAP_BREAKS, u->f,
			       report_pos(u->f, first->insn),
			       "%s%s%s reached from %s (.%s%s) without breaking DAX layouts first%s; a device may still be DMAing into those blocks (%s)",
			       call_is_leaf(first) && !first->prim ?
			       "frees blocks (" : "", first->name,
			       call_is_leaf(first) && !first->prim ?
			       "())" : "()", chain,
			       entry_ops[top->entry - 1].member,
			       top->by_type ? ", by its type" : "", more,
			       evidence);
		}
		free(unbroken);
		free(leaves);
		free(follow);
	}
	free(queue);
}

static void reset_unit(void)
{
	int i, k;

	for (i = 0; i < nui; i++) {
		for (k = 0; k < ui[i].ncalls; k++)
			free((char *)ui[i].calls[k].name);
		free(ui[i].calls);
	}
	free(ui);
	ui = NULL;
	nui = 0;
	ntrefs = 0;
	narefs = 0;
	free(ui_hash);
	ui_hash = NULL;
}

static void on_unit(struct fn **fns, int nfns)
{
	int debug = getenv("DAXLINT_UBL_DEBUG") && *getenv("DAXLINT_UBL_DEBUG");
	struct symbol *type[E_NR];
	struct symbol *bw;
	int i, k, changed, any_entry = 0;

	if (!rule_enabled[R_UNMAP_BREAKS] || !nfns) {
		reset_unit();
		return;
	}
	nui = nfns;
	ui = calloc(nui, sizeof(*ui));
	for (ui_hash_mask = 63; ui_hash_mask < 2u * nui; )
		ui_hash_mask = 2 * ui_hash_mask + 1;
	ui_hash = calloc(ui_hash_mask + 1, sizeof(*ui_hash));
	for (i = 0; i < nui; i++) {
		unsigned h = hash_fn(fns[i]);

		ui[i].f = fns[i];
		while (ui_hash[h])
			h = (h + 1) & ui_hash_mask;
		ui_hash[h] = i + 1;
	}
	/*
	 * entry points: the unit's tables, then the functions of a table's
	 * type that nothing in the unit calls (cheap tests first: most units
	 * have neither)
	 */
	for (k = 0; k < E_NR; k++)
		type[k] = k == E_GETATTR ? NULL :
			  member_fn_type(entry_ops[k].table, entry_ops[k].member);
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
	for (i = 0; i < ntrefs; i++)
		if (trefs[i].op != E_GETATTR)
			any_entry = 1;
	if (!any_entry) {
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
	for (i = 0; i < ntrefs; i++) {
		struct uinfo *u = resolve(trefs[i].fn, trefs[i].stream);

		if (!u)
			continue;
		if (trefs[i].op == E_GETATTR) {
			u->refresh = 1;
		} else if (!u->entry || u->by_type) {
			u->entry = 1 + trefs[i].op;
			u->by_type = 0;
			any_entry = 1;
		}
	}
	if (debug)
		fprintf(stderr, "ubl: %d functions, %d table entries, %d aops, entries:%s\n",
			nui, ntrefs, narefs, any_entry ? "" : " none");
	if (!any_entry || !has_dax_inodes()) {
		if (debug && any_entry)
			fprintf(stderr, "ubl: no DAX inodes in this unit\n");
		reset_unit();
		return;
	}
	if (debug)
		fprintf(stderr, "ubl: DAX inodes: %s\n", evidence);

	bw = lookup_symbol(built_in_ident("BREAK_WRITE"), NS_SYMBOL);
	break_write = 0;
	if (bw && bw->initializer && bw->initializer->type == EXPR_VALUE)
		break_write = bw->initializer->value;

	/* .getattr refreshes: not operations of this filesystem */
	for (changed = 1; changed; ) {
		changed = 0;
		for (i = 0; i < nui; i++) {
			if (!ui[i].refresh)
				continue;
			for (k = 0; k < ui[i].ncalls; k++) {
				struct uinfo *cu = uinfo_of(ui[i].calls[k].callee);

				if (cu && !cu->refresh) {
					cu->refresh = 1;
					changed = 1;
				}
			}
		}
	}
	/* block-freeing routines, then the functions that truncate */
	for (i = 0; i < nui; i++)
		find_freers(&ui[i]);
	for (changed = 1; changed; ) {
		changed = 0;
		for (i = 0; i < nui; i++) {
			if (ui[i].truncs)
				continue;
			for (k = 0; k < ui[i].ncalls; k++) {
				struct call *c = &ui[i].calls[k];
				struct uinfo *cu = uinfo_of(c->callee);

				if (c->prim || (cu && (cu->freer || cu->truncs))) {
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
	if (debug)
		for (i = 0; i < nui; i++)
			if (ui[i].entry || ui[i].truncs || ui[i].breaks ||
			    ui[i].freer || ui[i].refresh)
				fprintf(stderr, "ubl:   %s:%s%s%s%s%s%s\n",
					ui[i].f->name,
					ui[i].entry ? " entry ." : "",
					ui[i].entry ?
					entry_ops[ui[i].entry - 1].member : "",
					ui[i].truncs ? " truncates" : "",
					ui[i].breaks ? " breaks" : "",
					ui[i].freer ? " frees-blocks" : "",
					ui[i].refresh ? " refresh" : "");
	report_unit();
	reset_unit();
}

void check_unmap_breaks_layouts_init(void)
{
	register_sym_hook(on_symbol);
	register_unit_hook(on_unit);
}
