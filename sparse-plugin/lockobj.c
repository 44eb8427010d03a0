// SPDX-License-Identifier: GPL-2.0
/*
 * lockobj.c - the objects locks are held on: the inode a lock call
 * names (through XFS_I/VFS_I/i_mapping), the sets of inodes a lock state
 * holds a lock on, and whether a lock is held on a given inode.
 */
#include <string.h>

#include "lockobj.h"
#include "value.h"

/*
 * The inode a lock call names, up to the conversions between struct inode
 * and struct xfs_inode (XFS_I, VFS_I: pointer arithmetic and casts).
 */
pseudo_t obj_root(pseudo_t p)
{
	int depth;

	for (depth = 0; p && p->type == PSEUDO_REG && depth < 16; depth++) {
		struct instruction *d = p->def;

		if (!d)
			break;
		switch (d->opcode) {
		case OP_ADD: case OP_SUB:
			if (d->src2 && d->src2->type == PSEUDO_VAL)
				p = d->src1;
			else if (d->opcode == OP_ADD && d->src1 &&
				 d->src1->type == PSEUDO_VAL)
				p = d->src2;
			else
				return p;
			break;
		case OP_PTRCAST: case OP_UTPTR: case OP_PTRTU: case OP_COPY:
		case OP_ZEXT: case OP_SEXT: case OP_TRUNC:
			p = d->src;
			break;
		default:
			return p;
		}
	}
	return p;
}

/* the same object: the same pseudo, or the same load of the same object */
static int same_obj_rec(pseudo_t a, pseudo_t b, int depth)
{
	struct instruction *da, *db;

	a = obj_root(a);
	b = obj_root(b);
	if (a == b)
		return 1;
	if (!a || !b || depth > 6 || a->type != PSEUDO_REG ||
	    b->type != PSEUDO_REG)
		return 0;
	da = a->def;
	db = b->def;
	if (!da || !db || da->opcode != OP_LOAD || db->opcode != OP_LOAD ||
	    da->offset != db->offset)
		return 0;
	return same_obj_rec(da->src, db->src, depth + 1);
}

int same_obj(pseudo_t a, pseudo_t b)
{
	if (a == ROOT_ANY || b == ROOT_ANY)
		return 1;
	return same_obj_rec(a, b, 0);
}

void rs_add(pseudo_t *roots, int *n, pseudo_t r)
{
	int i;

	for (i = 0; i < *n; i++)
		if (roots[i] == r)
			return;
	if (*n < MAX_ROOTS)
		roots[(*n)++] = r;
	else
		roots[MAX_ROOTS - 1] = ROOT_ANY;
}

void rs_del(pseudo_t *roots, int *n, pseudo_t r, int known_flags)
{
	int i, j;

	for (i = j = 0; i < *n; i++) {
		/* an unlock of an object we cannot tell apart drops it */
		if (roots[i] == ROOT_ANY ? known_flags && r != ROOT_ANY &&
		    *n > 1 : same_obj(roots[i], r))
			continue;
		roots[j++] = roots[i];
	}
	*n = j;
}

static void rs_join(pseudo_t *a, int *na, const pseudo_t *b, int nb)
{
	int i, j, k;

	for (i = k = 0; i < *na; i++) {
		for (j = 0; j < nb; j++)
			if (a[i] == b[j] || b[j] == ROOT_ANY ||
			    same_obj(a[i], b[j]))
				break;
		if (j < nb)
			a[k++] = a[i];
	}
	*na = k;
}

void roots_add(struct lstate *st, pseudo_t r)
{
	rs_add(st->roots, &st->nroots, r);
}

void roots_del(struct lstate *st, pseudo_t r, int known_flags)
{
	rs_del(st->roots, &st->nroots, r, known_flags);
}

void roots_join(struct lstate *a, const struct lstate *b)
{
	rs_join(a->roots, &a->nroots, b->roots, b->nroots);
	rs_join(a->iroots, &a->niroots, b->iroots, b->niroots);
}

/* is the loaded value of D a struct address_space pointer? */
static int loads_mapping(struct instruction *d)
{
	struct symbol *t = d->type;

	if (t && t->type == SYM_NODE)
		t = t->ctype.base_type;
	if (!t || t->type != SYM_PTR)
		return 0;
	t = t->ctype.base_type;
	if (t && t->type == SYM_NODE)
		t = t->ctype.base_type;
	/* not show_ident(): its buffer may hold the caller's message */
	return t && t->type == SYM_STRUCT && t->ident &&
	       t->ident->len == 13 &&
	       !memcmp(t->ident->name, "address_space", 13);
}

/*
 * The object a fault lock or a busy-page scan is about, as an inode: a
 * mapping loaded from an inode (inode->i_mapping, VFS_I(ip)->i_mapping)
 * is that inode; XFS_I/VFS_I/EXT4_I conversions are looked through.
 */
pseudo_t fault_obj(pseudo_t p)
{
	p = obj_root(p);
	if (p && p->type == PSEUDO_REG && p->def &&
	    p->def->opcode == OP_LOAD && loads_mapping(p->def))
		p = obj_root(p->def->src);
	return p;
}

/* a busy-page scan: dax_layout_busy_page*() or another file's wrapper */
int is_busy_scan(struct event *e)
{
	return e->kind == CK_BUSY_PAGE &&
	       !e->inlined;
}

/* the object the fault lock an event needs is about, NULL if unknown */
pseudo_t event_fault_obj(struct event *e)
{
	if (is_busy_scan(e))
		return fault_obj(call_arg(e->insn, 0));
	if (e->kind == CK_NONE && e->callee && e->callee->fault_param > 0)
		return fault_obj(call_arg(e->insn,
					  e->callee->fault_param - 1));
	return NULL;
}

/*
 * A named inode: a parameter, or a phi of parameters (the inodes of
 * swap(ip1, ip2)).  Two different named inodes are told apart; anything
 * else (a load, a call's result) may alias.
 */
static int named_obj_rec(pseudo_t p, pseudo_t self, int depth)
{
	pseudo_t s;

	p = obj_root(p);
	if (!p || depth > 4)
		return 0;
	if (p->type == PSEUDO_ARG || p == self)
		return 1;
	if (p->type != PSEUDO_REG || !p->def || p->def->opcode != OP_PHI)
		return 0;
	FOR_EACH_PTR(p->def->phi_list, s) {
		if (s == VOID)
			continue;
		if (s->type != PSEUDO_PHI || !s->def || !s->def->phi_src ||
		    !named_obj_rec(s->def->phi_src, self ? self : p,
				   depth + 1))
			return 0;
	} END_FOR_EACH_PTR(s);
	return 1;
}

static int named_obj(pseudo_t p)
{
	return named_obj_rec(p, NULL, 0);
}

/* could a root of this set be OBJ? */
static int rs_may_hold(const pseudo_t *roots, int n, pseudo_t obj)
{
	int i;

	if (!n)
		return 1;	/* held, on an object we did not follow */
	for (i = 0; i < n; i++) {
		pseudo_t r = roots[i];

		if (r == ROOT_ANY || same_obj(r, obj))
			return 1;
		if (!named_obj(r) || !named_obj(obj))
			return 1;
	}
	return 0;
}

/* is the fault lock held exclusively on OBJ (the inode scanned)? */
int fault_held_on(const struct lstate *st, pseudo_t obj)
{
	if (!obj)
		return (st->must & L_FAULT_EXCL) != 0;
	if ((st->must & L_INVAL_EXCL) &&
	    rs_may_hold(st->iroots, st->niroots, obj))
		return 1;
	if ((st->must & L_MMAP_EXCL) &&
	    rs_may_hold(st->roots, st->nroots, obj))
		return 1;
	return 0;
}

/* is XFS_MMAPLOCK_EXCL held on INODE (a struct inode or xfs_inode)? */
int mmap_held_on(const struct lstate *st, pseudo_t inode)
{
	int i;

	if (!(st->must & L_MMAP_EXCL))
		return 0;
	if (!st->nroots)
		return 1;	/* held, on an object we did not follow */
	for (i = 0; i < st->nroots; i++)
		if (same_obj(st->roots[i], inode))
			return 1;
	return 0;
}

int lock_flags_param(struct fn *f)
{
	struct event *lock = NULL;
	pseudo_t a;
	int k;

	if (!f || f->stub)
		return 0;
	for (k = 0; k < f->nev; k++) {
		enum call_kind kind = f->ev[k].kind;

		if (kind == CK_NONE || kind == CK_SLEEP || kind == CK_ALLOC ||
		    kind == CK_WAKE_SLEEP)
			continue;
		if (lock || kind != CK_XFS_ILOCK)
			return 0;
		lock = &f->ev[k];
	}
	if (!lock || lock->inlined)
		return 0;
	a = call_arg(lock->insn, 1);
	return a && a->type == PSEUDO_ARG ? (int)a->nr : 0;
}
