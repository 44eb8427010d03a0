// SPDX-License-Identifier: GPL-2.0
/*
 * refstate.c - daxlint's reference-count engine, next to the lock engine of
 * lockstate.c (pagemap-ops-balance, devmap-put).
 *
 * Two views of a function of the translation unit:
 *
 *  - Over sparse's linearized IR, a forward dataflow of the count of a
 *    get/put pair held on each path: a set of possible counts (-1, 0, 1,
 *    2+; joins unite), plus the facts that the conditional branches taken
 *    on the path establish about values ("err != 0", "rc < 0", "!p",
 *    "IS_ERR(p)"; joins intersect).  Every way out of the function (each
 *    source of the return phi) can then be told an error return -- a
 *    negative errno constant, NULL or false, ERR_PTR() of a failure, a
 *    call's result the function tests and returns -- from a success.  A
 *    get whose own result says it failed took nothing on that edge.
 *
 *  - Over the evaluated AST of the function's own code (macros expanded,
 *    a static inline helper seen as one call at its call site, its body
 *    not entered), a forward walk of every path -- if/else, loops (to a
 *    fixed point), switch, goto, break, continue, return, && and ?: --
 *    with facts that calls establish (joins intersect): "a devmap helper
 *    ran before this drop on every path".  The AST is needed there: sparse
 *    0.6.4 drops the edges of asm goto, so the static-branch test at the
 *    top of put_devmap_managed_page*() always falls through and the
 *    inlined helper, its OP_INLINED_CALL marker included, is gone from the
 *    IR.
 */
#include <stdlib.h>
#include <string.h>

#include "refstate.h"
#include "options.h"
#include "srctext.h"
#include "value.h"

/* ---- small helpers ----------------------------------------------------- */
/* is the checker's profile one of PROFILES (NULL-terminated)?  unset: yes */
int profile_is(const char *const *profiles)
{
	if (!opt.profile)
		return 1;
	for (; *profiles; profiles++)
		if (!strcmp(opt.profile, *profiles))
			return 1;
	return 0;
}

/* is ID one of NAMES (NULL-terminated)? */
int ident_in(struct ident *id, const char *const *names)
{
	if (!id)
		return 0;
	for (; *names; names++)
		if (id->len == strlen(*names) &&
		    !memcmp(id->name, *names, id->len))
			return 1;
	return 0;
}

/* a function of a .c file (not a header's static inline) */
int fn_in_c_file(struct fn *f)
{
	const char *n = stream_name(f->stream);
	size_t l = n ? strlen(n) : 0;

	return l > 2 && !strcmp(n + l - 2, ".c");
}

/*
 * Is NAME( written in the source at POS (its line, or the next ones of
 * the same statement)?  A call that only a macro of a header expands to
 * is not: the rules are about the code as written, and the driver's grep
 * prefilter relies on it.
 */
int source_calls_at(struct position pos, const char *name)
{
	size_t n = strlen(name);
	int l;

	for (l = pos.line; l < (int)pos.line + 4; l++) {
		const char *t = source_line(pos.stream, l), *q;

		if (!t)
			return 0;
		for (q = t; (q = strstr(q, name)) != NULL; q += n)
			if (q[n] == '(' && (q == t || !is_ident_char(q[-1])))
				return 1;
		if (strchr(t, ';') || strchr(t, '{'))
			return 0;
	}
	return 0;
}

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

/* ---- the AST path walk ---------------------------------------------------- */
struct awlabel {
	const void *key;	/* a label, break/continue target, loop head */
	struct aws cur, prev;	/* what jumps to it: this pass, the last one */
};

static const struct aws unreached = { 0, 0 };

static struct aws meet(struct aws a, struct aws b)
{
	if (!a.reached)
		return b;
	if (!b.reached)
		return a;
	a.bits &= b.bits;
	return a;
}

static struct awlabel *label(struct astwalk *w, const void *key)
{
	int i;

	for (i = 0; i < w->nlabels; i++)
		if (w->labels[i].key == key)
			return &w->labels[i];
	if (w->nlabels == w->alabels) {
		w->alabels = w->alabels ? 2 * w->alabels : 16;
		w->labels = realloc(w->labels,
				    w->alabels * sizeof(*w->labels));
	}
	w->labels[w->nlabels].key = key;
	w->labels[w->nlabels].cur = unreached;
	w->labels[w->nlabels].prev = unreached;
	return &w->labels[w->nlabels++];
}

static void jump(struct astwalk *w, const void *key, struct aws st)
{
	struct awlabel *l;

	if (!key || !st.reached)
		return;
	l = label(w, key);
	l->cur = meet(l->cur, st);
}

static struct aws landing(struct astwalk *w, const void *key)
{
	struct awlabel *l;

	if (!key)
		return unreached;
	l = label(w, key);
	return meet(l->cur, l->prev);
}

static struct aws aw_stmt(struct astwalk *w, struct statement *s,
			  struct aws st);

static struct aws aw_call(struct astwalk *w, struct expression *e,
			  struct aws st)
{
	if (st.reached && w->call)
		st.bits |= w->call(w, e, ast_call_name(e), &st);
	return st;
}

static struct aws aw_args(struct astwalk *w, struct statement *s,
			  struct aws st);

static struct aws aw_expr(struct astwalk *w, struct expression *e,
			  struct aws st)
{
	struct expression *a;
	struct statement *s;
	struct aws l, r;

	if (!e)
		return st;
	switch (e->type) {
	case EXPR_CALL:
		st = aw_expr(w, e->fn, st);
		FOR_EACH_PTR(e->args, a) {
			st = aw_expr(w, a, st);
		} END_FOR_EACH_PTR(a);
		return aw_call(w, e, st);
	case EXPR_STATEMENT:
		s = ast_inlined(e);
		if (s)
			return aw_call(w, e, aw_args(w, s, st));
		return aw_stmt(w, e->statement, st);
	case EXPR_LOGICAL:
		l = aw_expr(w, e->left, st);
		r = aw_expr(w, e->right, l);
		return meet(l, r);
	case EXPR_CONDITIONAL: case EXPR_SELECT:
		st = aw_expr(w, e->conditional, st);
		l = e->cond_true ? aw_expr(w, e->cond_true, st) : st;
		r = aw_expr(w, e->cond_false, st);
		return meet(l, r);
	case EXPR_BINOP: case EXPR_COMMA: case EXPR_COMPARE:
	case EXPR_ASSIGNMENT:
		st = aw_expr(w, e->left, st);
		return aw_expr(w, e->right, st);
	case EXPR_PREOP: case EXPR_POSTOP:
		return aw_expr(w, e->unop, st);
	case EXPR_CAST: case EXPR_FORCE_CAST: case EXPR_IMPLIED_CAST:
		return aw_expr(w, e->cast_expression, st);
	case EXPR_INITIALIZER:
		FOR_EACH_PTR(e->expr_list, a) {
			st = aw_expr(w, a, st);
		} END_FOR_EACH_PTR(a);
		return st;
	case EXPR_POS:
		return aw_expr(w, e->init_expr, st);
	case EXPR_IDENTIFIER:
		return aw_expr(w, e->ident_expression, st);
	case EXPR_INDEX:
		return aw_expr(w, e->idx_expression, st);
	default:
		return st;
	}
}

static struct aws aw_args(struct astwalk *w, struct statement *s,
			  struct aws st)
{
	struct symbol *sym;

	if (s->args && s->args->type == STMT_DECLARATION)
		FOR_EACH_PTR(s->args->declaration, sym) {
			st = aw_expr(w, sym->initializer, st);
		} END_FOR_EACH_PTR(sym);
	return st;
}

static struct aws aw_stmt(struct astwalk *w, struct statement *s,
			  struct aws st)
{
	struct statement *t;
	struct symbol *sym;
	struct aws c, b, exit;
	int loop, n;

	if (!s)
		return st;
	switch (s->type) {
	case STMT_DECLARATION:
		FOR_EACH_PTR(s->declaration, sym) {
			st = aw_expr(w, sym->initializer, st);
		} END_FOR_EACH_PTR(sym);
		return st;
	case STMT_EXPRESSION:
		return aw_expr(w, s->expression, st);
	case STMT_COMPOUND:
		if (s->inline_fn)
			return st;	/* only reached as an expression */
		FOR_EACH_PTR(s->stmts, t) {
			st = aw_stmt(w, t, st);
		} END_FOR_EACH_PTR(t);
		return st;
	case STMT_IF:
		c = aw_expr(w, s->if_conditional, st);
		return meet(aw_stmt(w, s->if_true, c),
			    s->if_false ? aw_stmt(w, s->if_false, c) : c);
	case STMT_RETURN:
		aw_expr(w, s->ret_value, st);
		return unreached;
	case STMT_GOTO:
		if (s->goto_label)
			jump(w, s->goto_label, st);
		else
			aw_expr(w, s->goto_expression, st);
		return unreached;
	case STMT_LABEL:
		st = meet(st, landing(w, s->label_identifier));
		return aw_stmt(w, s->label_statement, st);
	case STMT_ITERATOR:
		/* for and while, not do-while: a drop "in a loop" */
		loop = !s->iterator_post_condition;
		st = aw_stmt(w, s->iterator_pre_statement, st);
		st = meet(st, landing(w, s));	/* the back edge */
		c = s->iterator_pre_condition ?
			aw_expr(w, s->iterator_pre_condition, st) : st;
		w->loops += loop;
		b = aw_stmt(w, s->iterator_statement, c);
		w->loops -= loop;
		b = meet(b, landing(w, s->iterator_continue));
		b = aw_stmt(w, s->iterator_post_statement, b);
		if (s->iterator_post_condition)
			b = aw_expr(w, s->iterator_post_condition, b);
		jump(w, s, b);
		exit = s->iterator_pre_condition ? c :
		       s->iterator_post_condition ? b : unreached;
		return meet(exit, landing(w, s->iterator_break));
	case STMT_SWITCH:
		c = aw_expr(w, s->switch_expression, st);
		n = w->nswitch;
		if (n < 16) {
			w->sw[n] = c;
			w->swdefault[n] = 0;
		}
		w->nswitch++;
		b = aw_stmt(w, s->switch_statement, unreached);
		w->nswitch--;
		b = meet(b, landing(w, s->switch_break));
		if (n >= 16 || !w->swdefault[n])
			b = meet(b, c);
		return b;
	case STMT_CASE:
		n = w->nswitch - 1;
		if (n >= 0 && n < 16) {
			st = meet(st, w->sw[n]);
			if (!s->case_expression)
				w->swdefault[n] = 1;
		}
		return aw_stmt(w, s->case_statement, st);
	default:
		return st;
	}
}

/*
 * Walk every path of the function until what reaches its labels and loop
 * heads is stable.  The call hook sees each call once a pass, always with
 * facts that hold on real paths (the first passes are optimistic: they
 * only know some of the paths that jump back), so a fact missing in any
 * pass is missing on some path.
 */
void ast_walk_fn(struct astwalk *w)
{
	struct statement *body = w->body ? w->body : fn_body(w->f), *t;
	struct aws entry = { 1, 0 }, st;
	int pass, i, changed;

	if (!body)
		return;
	w->loops = 0;
	for (pass = 0; pass < 12; pass++) {
		for (i = 0; i < w->nlabels; i++) {
			w->labels[i].prev = w->labels[i].cur;
			w->labels[i].cur = unreached;
		}
		w->nswitch = 0;
		if (body->type == STMT_COMPOUND && body->inline_fn) {
			/* an inlined copy of a function: its statements */
			st = entry;
			FOR_EACH_PTR(body->stmts, t) {
				st = aw_stmt(w, t, st);
			} END_FOR_EACH_PTR(t);
		} else {
			aw_stmt(w, body, entry);
		}
		changed = 0;
		for (i = 0; i < w->nlabels; i++) {
			struct awlabel *l = &w->labels[i];

			if (l->cur.reached != l->prev.reached ||
			    l->cur.bits != l->prev.bits)
				changed = 1;
		}
		if (!changed)
			break;
	}
	free(w->labels);
	w->labels = NULL;
	w->nlabels = w->alabels = 0;
}
