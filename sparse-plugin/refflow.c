// SPDX-License-Identifier: GPL-2.0
/*
 * refflow.c - daxlint's reference-count engine over sparse's linearized IR,
 * next to the lock engine of lockstate.c (pagemap-ops-balance).
 *
 * A forward dataflow of the count of a get/put pair held on each path: a
 * set of possible counts (-1, 0, 1, 2+; joins unite), plus the facts that
 * the conditional branches taken on the path establish about values
 * ("err != 0", "rc < 0", "!p", "IS_ERR(p)"; joins intersect).  Every way
 * out of the function (each source of the return phi) can then be told an
 * error return -- a negative errno constant, NULL or false, ERR_PTR() of a
 * failure, a call's result the function tests and returns -- from a
 * success.  A get whose own result says it failed took nothing on that
 * edge.
 */
#include <stdlib.h>
#include <string.h>

#include "refflow.h"
#include "types.h"
#include "value.h"

static struct symbol *fn_return_type(struct fn *f)
{
	struct symbol *t = f->sym->ctype.base_type;

	return t && t->type == SYM_FN ? t->ctype.base_type : NULL;
}

static int bbi(struct basic_block *bb)
{
	return (int)(long)bb->priv - 1;
}

/* ---- values -------------------------------------------------------------- */
/* a value up to its integer/pointer conversions */
static pseudo_t val_root(pseudo_t p)
{
	int d;

	for (d = 0; d < 16 && p && p->type == PSEUDO_REG && p->def; d++) {
		struct instruction *i = p->def;

		switch (i->opcode) {
		case OP_SEXT: case OP_ZEXT: case OP_TRUNC: case OP_PTRCAST:
		case OP_UTPTR: case OP_PTRTU: case OP_COPY:
			p = i->src;
			continue;
		default:
			break;
		}
		break;
	}
	return p;
}

static int pseudo_is_ptr(struct fn *f, pseudo_t p)
{
	struct symbol *t = NULL, *a;
	int i = 0;

	if (!p)
		return 0;
	if (p->type == PSEUDO_REG && p->def)
		t = p->def->type;
	else if (p->type == PSEUDO_SYM)
		return 1;
	else if (p->type == PSEUDO_ARG) {
		struct symbol *fn = f->sym->ctype.base_type;

		/* no break out of FOR_EACH_PTR: it only leaves a list node */
		FOR_EACH_PTR(fn->arguments, a) {
			if (++i == (int)p->nr)
				t = a;
		} END_FOR_EACH_PTR(a);
	}
	t = peel_node(t);
	return t && t->type == SYM_PTR;
}

static int is_zero_val(pseudo_t p)
{
	return p && p->type == PSEUDO_VAL && p->value == 0;
}

/*
 * What a conditional branch on C says about a value when the edge TAKEN
 * (1: the true edge) is followed: the value and whether it is then a
 * failure (an int != 0 or < 0, a NULL or IS_ERR pointer) or a success.
 */
static int cond_fact(struct fn *f, pseudo_t c, int taken, pseudo_t *subj,
		     int *err)
{
	enum { NONZERO, NEGATIVE, ISERR } kind = NONZERO;
	int d, nz = taken;

	for (d = 0; d < 8 && c && c->type == PSEUDO_REG && c->def; d++) {
		struct instruction *i = c->def;

		if (i->opcode == OP_ZEXT || i->opcode == OP_SEXT ||
		    i->opcode == OP_TRUNC || i->opcode == OP_COPY) {
			c = i->src;
			continue;
		}
		if ((i->opcode == OP_SET_NE || i->opcode == OP_SET_EQ) &&
		    (is_zero_val(i->src2) || is_zero_val(i->src1))) {
			if (i->opcode == OP_SET_EQ)
				nz = !nz;
			c = is_zero_val(i->src2) ? i->src1 : i->src2;
			continue;
		}
		if (i->opcode == OP_SET_LT && is_zero_val(i->src2)) {
			kind = NEGATIVE;
			c = i->src1;
		} else if ((i->opcode == OP_SET_A || i->opcode == OP_SET_AE) &&
			   i->src2 && i->src2->type == PSEUDO_VAL &&
			   (unsigned long long)i->src2->value >=
			   0xffffffffffff0000ULL) {
			kind = ISERR;	/* IS_ERR(), IS_ERR_VALUE() */
			c = i->src1;
		}
		break;
	}
	c = val_root(c);
	if (!c || c == VOID || c->type == PSEUDO_VAL)
		return 0;
	*subj = c;
	if (kind != NONZERO)
		*err = taken;
	else
		*err = pseudo_is_ptr(f, c) ? !nz : nz;
	return 1;
}

/* is V (a call's result) tested by a branch of F? */
static int fn_calls_result_tested(struct fn *f, pseudo_t v)
{
	struct basic_block *bb;
	struct instruction *insn;
	pseudo_t s;
	int err;

	FOR_EACH_PTR(f->ep->bbs, bb) {
		FOR_EACH_PTR(bb->insns, insn) {
			if (!insn->bb || insn->opcode != OP_CBR)
				continue;
			if (cond_fact(f, insn->cond, 1, &s, &err) && s == v)
				return 1;
		} END_FOR_EACH_PTR(insn);
	} END_FOR_EACH_PTR(bb);
	return 0;
}

/* ---- the count dataflow ------------------------------------------------- */
static unsigned count_up(unsigned c)
{
	return ((c << 1) & (RC_NEG | RC_0 | RC_1 | RC_MANY)) | (c & RC_MANY);
}

static unsigned count_down(unsigned c)
{
	return (c >> 1) | (c & RC_NEG) | (c & RC_MANY);
}

static int fact_get(const struct rstate *st, pseudo_t p)
{
	int i;

	for (i = 0; i < st->nfacts; i++)
		if (st->facts[i].p == p)
			return st->facts[i].err;
	return -1;
}

static void fact_set(struct rstate *st, pseudo_t p, int err)
{
	int i;

	for (i = 0; i < st->nfacts; i++)
		if (st->facts[i].p == p) {
			st->facts[i].err = err;
			return;
		}
	if (st->nfacts == MAX_FACTS) {
		memmove(st->facts, st->facts + 1,
			(MAX_FACTS - 1) * sizeof(st->facts[0]));
		st->nfacts--;
	}
	st->facts[st->nfacts].p = p;
	st->facts[st->nfacts].err = err;
	st->nfacts++;
}

static void rjoin(struct rstate *a, const struct rstate *b)
{
	int i, k;

	if (!b->reached)
		return;
	if (!a->reached) {
		*a = *b;
		return;
	}
	a->counts |= b->counts;
	if (!a->site)
		a->site = b->site;
	for (i = k = 0; i < a->nfacts; i++)
		if (fact_get(b, a->facts[i].p) == a->facts[i].err)
			a->facts[k++] = a->facts[i];
	a->nfacts = k;
}

static int rsame(const struct rstate *a, const struct rstate *b)
{
	int i;

	if (a->reached != b->reached || a->counts != b->counts ||
	    a->nfacts != b->nfacts)
		return 0;
	for (i = 0; i < a->nfacts; i++)
		if (fact_get(b, a->facts[i].p) != a->facts[i].err)
			return 0;
	return 1;
}

static void ref_transfer(struct refflow *rf, struct instruction *insn,
			 struct rstate *st)
{
	if (!insn->bb ||
	    (insn->opcode != OP_CALL && insn->opcode != OP_INLINED_CALL))
		return;
	switch (rf->classify(rf, insn)) {
	case REF_TAKE:
		st->counts = count_up(st->counts);
		if (!st->site)
			st->site = insn;
		break;
	case REF_DROP:
		st->counts = count_down(st->counts);
		break;
	default:
		break;
	}
}

static struct instruction *terminator(struct basic_block *bb)
{
	struct instruction *insn, *last = NULL;

	FOR_EACH_PTR(bb->insns, insn) {
		if (insn->bb)
			last = insn;
	} END_FOR_EACH_PTR(insn);
	return last;
}

/* the state on the edge from block PI to TO */
static void edge_state(struct refflow *rf, int pi, struct basic_block *to,
		       struct rstate *out)
{
	struct instruction *t;
	pseudo_t subj;
	int err;

	*out = rf->out[pi];
	if (!out->reached)
		return;
	t = terminator(rf->f->bbs[pi].bb);
	if (!t || t->opcode != OP_CBR || t->bb_true == t->bb_false)
		return;
	if (!cond_fact(rf->f, t->cond, t->bb_true == to, &subj, &err))
		return;
	fact_set(out, subj, err);
	/* a get whose own result says it failed took nothing */
	if (err && subj->type == PSEUDO_REG && subj->def &&
	    subj->def->opcode == OP_CALL && subj->def->bb &&
	    rf->classify(rf, subj->def) == REF_TAKE)
		out->counts = count_down(out->counts);
}

void refflow_run(struct refflow *rf)
{
	struct fn *f = rf->f;
	int n = f->nbbs, changed = 1, rounds = 0, b;

	rf->in = calloc(n + 1, sizeof(*rf->in));
	rf->out = calloc(n + 1, sizeof(*rf->out));
	while (changed && rounds++ < 64) {
		changed = 0;
		for (b = 0; b < n; b++) {
			struct basic_block *bb = f->bbs[b].bb, *p;
			struct instruction *insn;
			struct rstate st, e;

			memset(&st, 0, sizeof(st));
			if (bb == f->ep->entry->bb) {
				st.reached = 1;
				st.counts = RC_0;
			}
			FOR_EACH_PTR(bb->parents, p) {
				int pi = bbi(p);

				if (pi < 0 || pi >= n || f->bbs[pi].bb != p)
					continue;
				edge_state(rf, pi, bb, &e);
				rjoin(&st, &e);
			} END_FOR_EACH_PTR(p);
			rf->in[b] = st;
			if (st.reached)
				FOR_EACH_PTR(bb->insns, insn) {
					ref_transfer(rf, insn, &st);
				} END_FOR_EACH_PTR(insn);
			if (!rsame(&st, &rf->out[b])) {
				rf->out[b] = st;
				changed = 1;
			}
		}
	}
}

void refflow_free(struct refflow *rf)
{
	free(rf->in);
	free(rf->out);
	rf->in = rf->out = NULL;
}

void refflow_state_before(struct refflow *rf, struct instruction *insn,
			  struct rstate *st)
{
	struct instruction *i;
	int b = insn->bb ? bbi(insn->bb) : -1, done = 0;

	memset(st, 0, sizeof(*st));
	if (b < 0 || b >= rf->f->nbbs)
		return;
	*st = rf->in[b];
	if (!st->reached)
		return;
	FOR_EACH_PTR(insn->bb->insns, i) {
		if (i == insn)
			done = 1;
		if (!done)
			ref_transfer(rf, i, st);
	} END_FOR_EACH_PTR(i);
}

/*
 * Call CB for the exit AT of block B with the state before AT.  When paths
 * meet in B, each incoming edge is its own exit: sparse merges returns
 * into one block (and if-converts "return err < 0 ? err : 0"), and the
 * state of each path tells an error return from a success there.
 */
static void exit_at(struct refflow *rf, const char *reach, int start, int b,
		    struct instruction *at, pseudo_t val, ref_exit_cb cb,
		    void *data)
{
	struct basic_block *bb = rf->f->bbs[b].bb, *p;
	struct instruction *i;
	struct rstate st;
	int npreds = 0, done;

	FOR_EACH_PTR(bb->parents, p) {
		int pi = bbi(p);

		if (pi >= 0 && pi < rf->f->nbbs && rf->f->bbs[pi].bb == p &&
		    rf->out[pi].reached)
			npreds++;
	} END_FOR_EACH_PTR(p);
	if (npreds < 2 || bb == rf->f->ep->entry->bb || b == start) {
		refflow_state_before(rf, at, &st);
		cb(rf, val, at, &st, data);
		return;
	}
	FOR_EACH_PTR(bb->parents, p) {
		int pi = bbi(p);

		/* only the paths from where the walk started */
		if (pi < 0 || pi >= rf->f->nbbs || rf->f->bbs[pi].bb != p ||
		    !reach[pi])
			continue;
		edge_state(rf, pi, bb, &st);
		if (!st.reached)
			continue;
		done = 0;
		FOR_EACH_PTR(bb->insns, i) {
			if (i == at)
				done = 1;
			if (!done)
				ref_transfer(rf, i, &st);
		} END_FOR_EACH_PTR(i);
		cb(rf, val, at, &st, data);
	} END_FOR_EACH_PTR(p);
}

/*
 * The ways out: a function's returns meet in one block whose phi takes
 * each returned value from the block that returns it (OP_PHISOURCE);
 * without a phi (void, one return) the OP_RET itself.
 */
void refflow_exits(struct refflow *rf, struct basic_block *from,
		   ref_exit_cb cb, void *data)
{
	struct fn *f = rf->f;
	struct basic_block *bb, *child;
	struct instruction *insn, *ret = NULL, *phi = NULL;
	char *reach = calloc(f->nbbs + 1, 1);
	int *stack = malloc((f->nbbs + 1) * sizeof(int));
	int b, sp = 0, start = from ? bbi(from) : -1;

	if (from && bbi(from) >= 0 && bbi(from) < f->nbbs) {
		reach[bbi(from)] = 1;
		stack[sp++] = bbi(from);
		while (sp) {
			bb = f->bbs[stack[--sp]].bb;
			FOR_EACH_PTR(bb->children, child) {
				int c = bbi(child);

				if (c < 0 || c >= f->nbbs || reach[c])
					continue;
				reach[c] = 1;
				stack[sp++] = c;
			} END_FOR_EACH_PTR(child);
		}
	} else if (!from) {
		memset(reach, 1, f->nbbs);
	}
	for (b = 0; b < f->nbbs; b++)
		FOR_EACH_PTR(f->bbs[b].bb->insns, insn) {
			if (insn->bb && insn->opcode == OP_RET)
				ret = insn;
		} END_FOR_EACH_PTR(insn);
	if (ret && ret->src && ret->src->type == PSEUDO_REG && ret->src->def &&
	    ret->src->def->opcode == OP_PHI)
		phi = ret->src->def;
	for (b = 0; b < f->nbbs; b++) {
		if (!reach[b] || !rf->in[b].reached)
			continue;
		FOR_EACH_PTR(f->bbs[b].bb->insns, insn) {
			if (!insn->bb)
				continue;
			if (insn->opcode == OP_RET && !phi)
				exit_at(rf, reach, start, b, insn, insn->src, cb,
					data);
			else if (insn->opcode == OP_PHISOURCE && phi) {
				pseudo_t s;

				FOR_EACH_PTR(phi->phi_list, s) {
					if (s != VOID && s == insn->target)
						exit_at(rf, reach, start, b,
							insn, insn->phi_src,
							cb, data);
				} END_FOR_EACH_PTR(s);
			}
		} END_FOR_EACH_PTR(insn);
	}
	free(stack);
	free(reach);
}

/* ---- error returns ------------------------------------------------------ */
static int err_const(long long v, int zero_err)
{
	if (v == 0)
		return zero_err;
	if (v >= -4095 && v <= -1)
		return 1;
	/* an int's negative errno, seen as unsigned */
	return v >= 0xfffff001LL && v <= 0xffffffffLL;
}

/* is the branch condition C known on a path with the facts of ST? */
static int cond_known(struct fn *f, pseudo_t c, const struct rstate *st)
{
	pseudo_t s1, s0;
	int e1, e0, k;

	if (!cond_fact(f, c, 1, &s1, &e1) || !cond_fact(f, c, 0, &s0, &e0) ||
	    s1 != s0 || e1 == e0)
		return -1;
	k = fact_get(st, s1);
	return k < 0 ? -1 : k == e1;
}

/* is P passed to ERR_PTR() / ERR_CAST() somewhere in F? */
static int err_ptr_arg(struct fn *f, pseudo_t p)
{
	static struct ident *errp, *errc;
	struct basic_block *bb;
	struct instruction *insn;

	if (!errp) {
		errp = built_in_ident("ERR_PTR");
		errc = built_in_ident("ERR_CAST");
	}
	FOR_EACH_PTR(f->ep->bbs, bb) {
		FOR_EACH_PTR(bb->insns, insn) {
			struct ident *id;

			if (!insn->bb || (insn->opcode != OP_CALL &&
					  insn->opcode != OP_INLINED_CALL))
				continue;
			id = insn_call_name(insn);
			if ((id == errp || id == errc) &&
			    val_root(call_arg(insn, 0)) == p)
				return 1;
		} END_FOR_EACH_PTR(insn);
	} END_FOR_EACH_PTR(bb);
	return 0;
}

static int val_err(struct fn *f, pseudo_t v, const struct rstate *st,
		   int zero_err, int depth)
{
	pseudo_t p = val_root(v), s;
	struct instruction *d;
	int k;

	if (!p || p == VOID || depth > 8)
		return 0;
	if (p->type == PSEUDO_VAL)
		return err_const(p->value, zero_err);
	k = fact_get(st, p);
	if (k >= 0)
		return k;
	if (err_ptr_arg(f, p))
		return 1;
	if (p->type != PSEUDO_REG || !(d = p->def))
		return 0;
	switch (d->opcode) {
	case OP_PHI:
		FOR_EACH_PTR(d->phi_list, s) {
			if (s == VOID || s->type != PSEUDO_PHI || !s->def)
				continue;
			if (val_err(f, s->def->phi_src, st, zero_err, depth + 1))
				return 1;
		} END_FOR_EACH_PTR(s);
		return 0;
	case OP_SEL:
		/* "err < 0 ? err : 0": the path's facts may decide the test */
		k = cond_known(f, d->src1, st);
		if (k >= 0)
			return val_err(f, k ? d->src2 : d->src3, st, zero_err,
				       depth + 1);
		return val_err(f, d->src2, st, zero_err, depth + 1) ||
		       val_err(f, d->src3, st, zero_err, depth + 1);
	case OP_CALL:
		/* an error code from a call that the function tests */
		return !pseudo_is_ptr(f, p) && fn_calls_result_tested(f, p);
	default:
		return 0;
	}
}

/* is returning V (with the state ST there) an error return of F? */
int ref_value_is_error(struct fn *f, pseudo_t v, const struct rstate *st)
{
	struct symbol *rt = peel_node(fn_return_type(f));

	if (!v || v == VOID || !rt || rt == &void_ctype)
		return 0;
	/* NULL / false is a failure of a function returning a pointer or bool */
	return val_err(f, v, st, rt->type == SYM_PTR || rt == &bool_ctype, 0);
}
