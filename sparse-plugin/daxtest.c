// SPDX-License-Identifier: GPL-2.0
/*
 * daxtest.c - does a value depend on whether an inode is a DAX inode, and
 * with which polarity: the S_DAX bit of struct inode's i_flags (IS_DAX(),
 * whatever macro or line spells it), the table's DAX tests that are
 * calls (dax_mapping()), a function of the unit returning one, a function
 * of another unit of the directory whose summary says it does
 * (UBL_DAXPRED, UBL_NDAXPRED), and what is computed from them: negations,
 * comparisons with 0, ANDs, ORs, selects, phis.  Never a name.
 */
#include "daxtest.h"
#include "api.h"
#include "fntable.h"
#include "macroval.h"
#include "types.h"
#include "value.h"

/* the value of S_DAX, read while the unit's tokens are alive */
static long long sdax_value;
static int sdax_known;

void dax_flag_note(void)
{
	long long v;
	unsigned i;

	/* the inode flag of DAX inodes (the table's dax-flag row: S_DAX) */
	for (i = 0; i < API_NROWS; i++)
		if (api_rows[i].kind == AK_DAX_FLAG &&
		    macro_int_value(api_rows[i].name, &v) && v > 0 &&
		    !(v & (v - 1))) {
			sdax_value = v;
			sdax_known = 1;
		}
}

/* the word at byte OFF of an object of type ST is struct inode's i_flags */
static int is_inode_flags(struct symbol *st, long long off, int depth)
{
	struct symbol *m;

	if (!st || st->type != SYM_STRUCT || depth > 6)
		return 0;
	FOR_EACH_PTR(st->symbol_list, m) {
		struct symbol *mt = peel_node(m->ctype.base_type);
		long long mo = (long long)m->offset;
		long long size = m->bit_size > 0 ? m->bit_size / 8 : 1;

		if (off < mo || off >= mo + size)
			continue;
		if (ident_is(st->ident, "inode") && mo == off &&
		    ident_is(m->ident, "i_flags"))
			return 1;
		if (mt && mt->type == SYM_STRUCT)
			return is_inode_flags(mt, off - mo, depth + 1);
	} END_FOR_EACH_PTR(m);
	return 0;
}

/* the OP_LOAD that P is (through casts and copies) */
static struct instruction *load_of(pseudo_t p, int depth)
{
	struct instruction *d;

	if (!p || p->type != PSEUDO_REG || !(d = p->def) || depth > 6)
		return NULL;
	switch (d->opcode) {
	case OP_LOAD:
		return d;
	case OP_ZEXT: case OP_SEXT: case OP_TRUNC: case OP_COPY:
		return load_of(d->src, depth + 1);
	default:
		return NULL;
	}
}

/*
 * IS_DAX() as the kernel defines it: the S_DAX bit of an inode's i_flags
 * (inode->i_flags & S_DAX, or a shift that extracts that bit), whatever
 * macro or line spells it (FUSE_IS_DAX(), a renamed helper macro).
 */
int dax_flag_test(struct instruction *d)
{
	struct instruction *ld;
	long long sdax = sdax_value;

	if ((d->opcode != OP_AND && d->opcode != OP_LSR) || !d->src2 ||
	    d->src2->type != PSEUDO_VAL || !sdax_known)
		return 0;
	if (d->opcode == OP_AND ? d->src2->value != sdax :
	    (d->src2->value < 0 || d->src2->value > 62 ||
	     1LL << d->src2->value != sdax))
		return 0;
	ld = load_of(d->src1, 0);
	return ld && is_inode_flags(pseudo_pointee(ld->src), ld->offset, 0);
}

unsigned dep_swap(unsigned d)
{
	return (d & DEP_PURE) | ((d & DEP_POS) ? DEP_NEG : 0) |
	       ((d & DEP_NEG) ? DEP_POS : 0);
}

static unsigned call_dep(struct instruction *d, int depth);

/* how a value relates to the inode being a DAX inode */
static unsigned dep_of(pseudo_t p, int depth)
{
	struct instruction *d;
	unsigned r = 0;
	pseudo_t s;

	if (!p || p->type != PSEUDO_REG || !(d = p->def) || depth > 10)
		return 0;
	switch (d->opcode) {
	case OP_AND: case OP_LSR:
		if (dax_flag_test(d))
			return DEP_POS | DEP_PURE;
		if (d->src2 && d->src2->type == PSEUDO_VAL)
			return dep_of(d->src1, depth + 1);
		return (dep_of(d->src1, depth + 1) |
			dep_of(d->src2, depth + 1)) & ~DEP_PURE;
	case OP_OR:
		return (dep_of(d->src1, depth + 1) |
			dep_of(d->src2, depth + 1)) & ~DEP_PURE;
	case OP_SET_NE:
		if (d->src2 && d->src2->type == PSEUDO_VAL && !d->src2->value)
			return dep_of(d->src1, depth + 1);
		return 0;
	case OP_SET_EQ:
		if (d->src2 && d->src2->type == PSEUDO_VAL && !d->src2->value)
			return dep_swap(dep_of(d->src1, depth + 1));
		return 0;
	case OP_ZEXT: case OP_SEXT: case OP_TRUNC: case OP_COPY:
		return dep_of(d->src, depth + 1);
	case OP_SEL:
		return (dep_of(d->src2, depth + 1) |
			dep_of(d->src3, depth + 1)) & ~DEP_PURE;
	case OP_PHI:
		FOR_EACH_PTR(d->phi_list, s) {
			if (s == VOID || !s->def || s->def->opcode != OP_PHISOURCE)
				continue;
			r |= dep_of(s->def->phi_src, depth + 1);
		} END_FOR_EACH_PTR(s);
		return r & ~DEP_PURE;
	case OP_CALL:
		/* a DAX predicate that is not inlined */
		return call_dep(d, depth);
	default:
		return 0;
	}
}

/* what F returns, as dep_of() sees each returned value */
static unsigned ret_dep(struct fn *f, int depth)
{
	struct basic_block *bb;
	struct instruction *insn;
	unsigned r = 0;
	int n = 0;

	if (!f || !f->ep || depth > 10)
		return 0;
	FOR_EACH_PTR(f->ep->bbs, bb) {
		FOR_EACH_PTR(bb->insns, insn) {
			if (!insn->bb || insn->opcode != OP_RET)
				continue;
			n++;
			r |= dep_of(insn->src, depth + 1);
		} END_FOR_EACH_PTR(insn);
	} END_FOR_EACH_PTR(bb);
	return n == 1 ? r : r & ~DEP_PURE;
}

/*
 * A call's value as a DAX test: dax_mapping() (the kernel's), a function
 * of the unit whose returned value is one (myfs_is_direct(): return
 * IS_DAX(inode);), or a function of another unit of the filesystem whose
 * summary says so -- never by how it is named.
 */
static unsigned call_dep(struct instruction *d, int depth)
{
	struct ident *id = insn_call_name(d);
	struct fn *from, *callee;

	if (!id)
		return 0;
	/* dax_mapping(): the table's DAX tests that are calls */
	if (api_ident_is(id, AK_DAX_TEST))
		return DEP_POS | DEP_PURE;
	from = d->bb ? fn_of_ep(d->bb->ep) : NULL;
	callee = from ? callee_of(from, id) : fn_by_ident(id);
	if (!callee || callee == from)
		return 0;
	if (callee->stub)
		return !from || !fn_same_dir(callee, from) ? 0 :
		       (callee->ubl & UBL_DAXPRED) ? DEP_POS | DEP_PURE :
		       (callee->ubl & UBL_NDAXPRED) ? DEP_NEG | DEP_PURE : 0;
	return ret_dep(callee, depth + 1);
}

unsigned dax_dep(pseudo_t p)
{
	return dep_of(p, 0);
}

unsigned fn_dax_dep(struct fn *f)
{
	return ret_dep(f, 0);
}
