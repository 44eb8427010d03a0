// SPDX-License-Identifier: GPL-2.0
/*
 * check_pagemap_ops_balance.c - the devmap_managed_key static branch is
 * reference counted through dev_pagemap_get_ops()/dev_pagemap_put_ops()
 * (v7; devmap_managed_enable_get()/put() later), the same property as
 * cocci/pagemap-ops-balance.cocci:
 *
 *  - the key is flipped only through that pair: a static_branch_*() /
 *    static_key_*() on it outside the file that defines it, or in that
 *    file outside the get/put functions, is reported;
 *  - a function that takes a reference must not return an error with it
 *    held: refflow.c's count dataflow over the IR, the error returns
 *    told by their value (negative errno, NULL/false, ERR_PTR() of a
 *    failure, a tested error code returned).  A put, a call of a function
 *    of the unit that puts (transitively) or of a teardown, or handing
 *    either to devm_add_action[_or_reset]() drops the count;
 *  - roles come from the same dataflow, as summaries: a function that
 *    can return with one put more than gets is a putter; one that returns
 *    success with the count held is a taker (memremap_pages) -- its role,
 *    not a leak -- and a call of it is a get in its callers (their test
 *    of its failure took nothing);
 *  - the teardown of what a getter set up must put, directly or through
 *    a function of the unit that puts.  Teardowns are found from the
 *    code: a function of the unit a getter calls on an error path after
 *    the get with the get's argument (memunmap_pages in memremap_pages),
 *    a release action a getter or a taker's caller registers with
 *    devm_add_action*() / devres_alloc*(), and a function that resets to
 *    NULL / 0 a field a getter sets (v7 fs_dax_release).  The teardown is
 *    the function whose whole effect, its callees included, must balance:
 *    one that does not put is covered when every call of it in the unit is
 *    followed, on every path to its caller's end, by a put (a helper the
 *    release calls to reset fields, then puts).  Only the deepest
 *    teardown that does not put and is not covered is reported, at its
 *    definition.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daxlint.h"

static const char *const profiles[] = { "v7", "v4.18", "v5.15", NULL };

/*
 * the argument of INSN, a call of ID, that its row of kind K names (obj:
 * the key of a static_branch_*(), the action of devm_add_action*(), the
 * release of devres_alloc*(), the dev_pagemap of a get), or NULL
 */
static pseudo_t obj_arg(struct instruction *insn, struct ident *id,
			enum api_kind k)
{
	const struct api_row *r = api_ident_row(id, k);

	return r && r->obj >= 0 ? call_arg(insn, r->obj) : NULL;
}

/* ---- direct flips of the key ------------------------------------------- */
static void on_event(struct event_ctx *c)
{
	struct event *e = c->ev;
	pseudo_t key;
	struct symbol *s;

	if (e->kind != CK_STATIC_BRANCH || !profile_is(profiles))
		return;
	key = obj_arg(e->insn, e->name, AK_STATIC_BRANCH);
	if (!key || key->type != PSEUDO_SYM)
		return;
	s = key->sym;
	/* the static keys of ZONE_DEVICE pages (the table's pgmap-key rows) */
	if (!api_ident_is(s->ident, AK_PGMAP_KEY))
		return;
	/*
	 * The file that owns (defines) the key flips it in the get/put
	 * functions only; those are never analysed (is_api), so any flip
	 * that reaches this hook in that file is outside the pair.
	 */
	if (file_defines_key(c->fn->stream, show_ident(s->ident)))
		report(R_PGMAP, c->fn, report_pos(c->fn, e->insn),
		       "%s flipped directly outside the get/put pair; the "
		       "reference count no longer matches the key",
		       show_ident(s->ident));
	else
		report(R_PGMAP, c->fn, report_pos(c->fn, e->insn),
		       "%s flipped directly; use the dev_pagemap get/put pair",
		       show_ident(s->ident));
}

/* ---- the get/put pairing -------------------------------------------------- */
#define MAX_FIELDS 32

struct pm {
	struct fn *f;
	int getter;		/* calls the get itself */
	int takes;		/* calls the get or a taker */
	int taker;		/* returns success with a reference held */
	int putter;		/* drops a reference it did not take */
	int teardown;
	char why[160];
	struct ident *set[MAX_FIELDS], *cleared[MAX_FIELDS];
	int nset, ncleared;
	struct refflow rf;
};

struct unit {
	struct pm *pm;
	int n;
};

static struct pm *pm_of(struct unit *u, struct fn *f)
{
	int i;

	for (i = 0; f && i < u->n; i++)
		if (u->pm[i].f == f)
			return &u->pm[i];
	return NULL;
}

/* the function of the unit a call (or a function-pointer argument) names */
static struct pm *pm_called(struct unit *u, struct fn *from, pseudo_t p)
{
	if (!p || p->type != PSEUDO_SYM || !p->sym || !p->sym->ident)
		return NULL;
	return pm_of(u, callee_of(from, p->sym->ident));
}

static int drops(struct pm *t)
{
	return t && (t->putter || t->teardown);
}

static enum ref_op classify(struct refflow *rf, struct instruction *insn)
{
	struct unit *u = rf->data;
	struct ident *id = insn_call_name(insn);
	struct pm *t;

	if (api_ident_is(id, AK_PGMAP_GET))
		return REF_TAKE;
	if (api_ident_is(id, AK_PGMAP_PUT))
		return REF_DROP;
	/* an inlined function of the unit: its body's calls count */
	if (insn->opcode != OP_CALL || !id)
		return REF_NONE;
	if (api_ident_is(id, AK_DEVM_ACTION))
		return drops(pm_called(u, rf->f,
				       obj_arg(insn, id, AK_DEVM_ACTION))) ?
			REF_DROP : REF_NONE;
	t = pm_of(u, callee_of(rf->f, id));
	/* a taker's call is a get (its failure, tested, took nothing) */
	if (t && t->taker)
		return REF_TAKE;
	return drops(t) ? REF_DROP : REF_NONE;
}

/* ---- fields a getter sets up and a teardown clears (v7) ----------------- */
static void add_field(struct ident **set, int *n, struct ident *id)
{
	int i;

	for (i = 0; i < *n; i++)
		if (set[i] == id)
			return;
	if (*n < MAX_FIELDS)
		set[(*n)++] = id;
}

static int is_null(struct expression *e)
{
	while (e && (e->type == EXPR_CAST || e->type == EXPR_IMPLIED_CAST ||
		     e->type == EXPR_FORCE_CAST))
		e = e->cast_expression;
	return e && e->type == EXPR_VALUE && e->value == 0;
}

/* X->field = V: the member, when the object is reached through a pointer */
static struct ident *ptr_member(struct expression *l)
{
	struct expression *a;

	if (!l || l->type != EXPR_PREOP || l->op != '*' || !l->ctype ||
	    l->ctype->type != SYM_NODE || !l->ctype->ident)
		return NULL;
	a = l->unop;
	while (a && (a->type == EXPR_CAST || a->type == EXPR_IMPLIED_CAST ||
		     a->type == EXPR_FORCE_CAST ||
		     (a->type == EXPR_BINOP && a->op == '+' && a->right &&
		      a->right->type == EXPR_VALUE)))
		a = a->type == EXPR_BINOP ? a->left : a->cast_expression;
	/* a local struct (x.field) is its symbol's address */
	if (!a || a->type == EXPR_SYMBOL)
		return NULL;
	return l->ctype->ident;
}

static void field_expr(struct astvisit *v, struct expression *e)
{
	struct pm *p = v->data;
	struct ident *m;

	if (e->type != EXPR_ASSIGNMENT || e->op != '=' ||
	    !(m = ptr_member(e->left)))
		return;
	if (is_null(e->right))
		add_field(p->cleared, &p->ncleared, m);
	else
		add_field(p->set, &p->nset, m);
}

/* ---- teardowns ------------------------------------------------------------ */
static void mark_teardown(struct pm *t, const char *fmt, const char *a,
			  const char *b)
{
	if (!t || t->teardown || t->getter)
		return;
	t->teardown = 1;
	snprintf(t->why, sizeof(t->why), fmt, a, b);
}

struct exits { struct fn *f; int err, ok; };

static void exit_kind(struct refflow *rf, pseudo_t val, struct instruction *at,
		      const struct rstate *st, void *data)
{
	struct exits *x = data;

	(void)at;
	if (ref_value_is_error(rf->f, val, st))
		x->err = 1;
	else
		x->ok = 1;
}

/* does every way out of F from BB return an error? */
static int error_path(struct pm *g, struct basic_block *bb)
{
	struct exits x = { g->f, 0, 0 };

	refflow_exits(&g->rf, bb, exit_kind, &x);
	return x.err && !x.ok;
}

/* the arguments of the getter's gets (NULL: a get without one) */
static int get_args(struct pm *g, pseudo_t *args, int max)
{
	struct basic_block *bb;
	struct instruction *insn;
	int n = 0;

	FOR_EACH_PTR(g->f->ep->bbs, bb) {
		FOR_EACH_PTR(bb->insns, insn) {
			if (!insn->bb || (insn->opcode != OP_CALL &&
					  insn->opcode != OP_INLINED_CALL) ||
			    !api_ident_is(insn_call_name(insn), AK_PGMAP_GET) || n >= max)
				continue;
			/* dev_pagemap_get_ops() takes none */
			args[n++] = obj_arg(insn, insn_call_name(insn),
					    AK_PGMAP_GET);
		} END_FOR_EACH_PTR(insn);
	} END_FOR_EACH_PTR(bb);
	return n;
}

static int same_arg(struct instruction *call, pseudo_t *args, int n)
{
	pseudo_t a;
	int i;

	for (i = 0; i < n; i++)
		if (!args[i])
			return 1;
	FOR_EACH_PTR(call->arguments, a) {
		for (i = 0; i < n; i++)
			if (same_obj(a, args[i]))
				return 1;
	} END_FOR_EACH_PTR(a);
	return 0;
}

/* functions of the unit a getter calls with the get held, then fails */
static void unwinds(struct unit *u, struct pm *g)
{
	struct basic_block *bb;
	struct instruction *insn;
	pseudo_t args[8];
	int nargs = get_args(g, args, 8);

	FOR_EACH_PTR(g->f->ep->bbs, bb) {
		FOR_EACH_PTR(bb->insns, insn) {
			struct rstate st;
			struct pm *t;

			if (!insn->bb || insn->opcode != OP_CALL)
				continue;
			t = pm_called(u, g->f, insn->func);
			if (!t || t == g || t->teardown || t->getter)
				continue;
			refflow_state_before(&g->rf, insn, &st);
			if (!st.reached || !(st.counts & RC_HELD) ||
			    !same_arg(insn, args, nargs) ||
			    !error_path(g, bb))
				continue;
			mark_teardown(t, "%s's error path calls it to undo "
				      "the set-up%s", g->f->name, "");
		} END_FOR_EACH_PTR(insn);
	} END_FOR_EACH_PTR(bb);
}

/* release actions registered by a getter or by a caller of one */
static void registrations(struct unit *u, struct pm *r)
{
	struct basic_block *bb;
	struct instruction *insn;

	FOR_EACH_PTR(r->f->ep->bbs, bb) {
		FOR_EACH_PTR(bb->insns, insn) {
			struct ident *id;
			struct pm *t = NULL;

			if (!insn->bb || insn->opcode != OP_CALL)
				continue;
			id = insn_call_name(insn);
			if (api_ident_is(id, AK_DEVM_ACTION))
				t = pm_called(u, r->f,
					      obj_arg(insn, id, AK_DEVM_ACTION));
			else if (api_ident_is(id, AK_DEVRES_ALLOC))
				t = pm_called(u, r->f,
					      obj_arg(insn, id, AK_DEVRES_ALLOC));
			mark_teardown(t, "registered by %s as its release "
				      "action%s", r->f->name, "");
		} END_FOR_EACH_PTR(insn);
	} END_FOR_EACH_PTR(bb);
}

/* functions that clear what a getter set up */
static void clearers(struct unit *u)
{
	int i, j, a, b;

	for (i = 0; i < u->n; i++) {
		struct pm *t = &u->pm[i];

		for (j = 0; !t->getter && j < u->n; j++) {
			struct pm *g = &u->pm[j];

			if (!g->getter)
				continue;
			for (a = 0; a < t->ncleared; a++)
				for (b = 0; b < g->nset; b++)
					if (t->cleared[a] == g->set[b])
						mark_teardown(t, "it resets %s "
							"that %s sets up",
							show_ident(g->set[b]),
							g->f->name);
		}
	}
}

/* ---- reports ---------------------------------------------------------------- */
struct leak { struct pm *g; struct instruction *sites[8]; int nsites; };

/* the line of a return: a phi source's position may be inside a helper */
static int in_fn(struct fn *f, struct position p)
{
	return p.stream == f->stream && (int)p.line >= f->first_line &&
	       (int)p.line <= f->last_line;
}

static int exit_line(struct fn *f, struct instruction *at)
{
	struct instruction *i;
	int line = 0, done = 0;

	if (in_fn(f, at->pos))
		return at->pos.line;
	FOR_EACH_PTR(at->bb->insns, i) {
		if (i == at)
			done = 1;
		if (!done && i->bb && in_fn(f, i->pos))
			line = i->pos.line;
	} END_FOR_EACH_PTR(i);
	return line;
}

static void leak_exit(struct refflow *rf, pseudo_t val, struct instruction *at,
		      const struct rstate *st, void *data)
{
	struct leak *l = data;
	int i, line;

	if (!(st->counts & RC_HELD) || !st->site ||
	    !ref_value_is_error(rf->f, val, st))
		return;
	for (i = 0; i < l->nsites; i++)
		if (l->sites[i] == st->site)
			return;
	if (l->nsites < 8)
		l->sites[l->nsites++] = st->site;
	line = exit_line(rf->f, at);
	report(R_PGMAP, rf->f, report_pos(rf->f, st->site),
	       "devmap_managed_key reference taken here is not dropped on "
	       "%s%.0d; every put_page() keeps paying for the ZONE_DEVICE "
	       "check", line ? "the error return at line " : "an error return",
	       line);
}

/* ---- helpers of a teardown ------------------------------------------------ */
static int bb_index(struct basic_block *bb)
{
	return (int)(long)bb->priv - 1;
}

/* does INSN of F drop the key: a put, a putter called or handed to devm? */
static int puts_here(struct unit *u, struct fn *f, struct instruction *insn)
{
	struct ident *id;
	struct pm *c;

	if (!insn->bb || (insn->opcode != OP_CALL &&
			  insn->opcode != OP_INLINED_CALL))
		return 0;
	id = insn_call_name(insn);
	if (api_ident_is(id, AK_PGMAP_PUT))
		return 1;
	if (insn->opcode != OP_CALL)
		return 0;
	c = api_ident_is(id, AK_DEVM_ACTION) ?
		pm_called(u, f, obj_arg(insn, id, AK_DEVM_ACTION)) :
		pm_called(u, f, insn->func);
	return c && c->putter;
}

/* does every path of F from CALL to F's end put? */
static int put_after(struct unit *u, struct fn *f, struct instruction *call)
{
	char *seen = calloc(f->nbbs + 1, 1);
	int *stack = malloc((f->nbbs + 1) * sizeof(int));
	struct basic_block *bb = call->bb, *child;
	struct instruction *insn;
	int sp = 0, ok = 1, after = 0, put = 0;

	/* the rest of the call's own block, then its successors */
	FOR_EACH_PTR(bb->insns, insn) {
		if (insn == call)
			after = 1;
		else if (after && puts_here(u, f, insn))
			put = 1;
	} END_FOR_EACH_PTR(insn);
	if (!put) {
		if (bb_index(bb) >= 0 && bb_index(bb) < f->nbbs)
			seen[bb_index(bb)] = 1;
		if (!bb->children)
			ok = 0;
		FOR_EACH_PTR(bb->children, child) {
			int c = bb_index(child);

			if (c >= 0 && c < f->nbbs && !seen[c]) {
				seen[c] = 1;
				stack[sp++] = c;
			}
		} END_FOR_EACH_PTR(child);
	}
	while (!put && ok && sp) {
		int here = 0;

		bb = f->bbs[stack[--sp]].bb;
		FOR_EACH_PTR(bb->insns, insn) {
			if (puts_here(u, f, insn))
				here = 1;
		} END_FOR_EACH_PTR(insn);
		if (here)
			continue;
		/* the end of the function, reached without a put */
		if (!bb->children)
			ok = 0;
		FOR_EACH_PTR(bb->children, child) {
			int c = bb_index(child);

			if (c >= 0 && c < f->nbbs && !seen[c]) {
				seen[c] = 1;
				stack[sp++] = c;
			}
		} END_FOR_EACH_PTR(child);
	}
	free(stack);
	free(seen);
	return put || ok;
}

/*
 * Is teardown T, which does not put, covered by its callers: called in the
 * unit, and every call followed on every path by a put?
 */
static int covered(struct unit *u, struct pm *t)
{
	struct basic_block *bb;
	struct instruction *insn;
	int i, calls = 0;

	for (i = 0; i < u->n; i++) {
		struct pm *p = &u->pm[i];

		FOR_EACH_PTR(p->f->ep->bbs, bb) {
			FOR_EACH_PTR(bb->insns, insn) {
				if (!insn->bb || insn->opcode != OP_CALL ||
				    pm_called(u, p->f, insn->func) != t)
					continue;
				calls++;
				if (p == t || !put_after(u, p->f, insn))
					return 0;
			} END_FOR_EACH_PTR(insn);
		} END_FOR_EACH_PTR(bb);
	}
	return calls > 0;
}

/* does teardown T call another teardown that does not put? */
static int calls_bad_teardown(struct unit *u, struct pm *t)
{
	struct basic_block *bb;
	struct instruction *insn;

	FOR_EACH_PTR(t->f->ep->bbs, bb) {
		FOR_EACH_PTR(bb->insns, insn) {
			struct pm *c;

			if (!insn->bb || insn->opcode != OP_CALL)
				continue;
			c = pm_called(u, t->f, insn->func);
			if (c && c != t && c->teardown && !c->putter &&
			    !c->getter && !covered(u, c))
				return 1;
		} END_FOR_EACH_PTR(insn);
	} END_FOR_EACH_PTR(bb);
	return 0;
}

/* the roles a function's ways out give it */
struct roles { int neg, held_ok; };

static void role_exit(struct refflow *rf, pseudo_t val, struct instruction *at,
		      const struct rstate *st, void *data)
{
	struct roles *x = data;

	(void)at;
	if (st->counts & RC_NEG)
		x->neg = 1;
	if ((st->counts & RC_HELD) && !ref_value_is_error(rf->f, val, st))
		x->held_ok = 1;
}

/* does P call a taker (or a getter: its release actions are teardowns)? */
static int calls_taker(struct unit *u, struct pm *p)
{
	struct basic_block *bb;
	struct instruction *insn;

	FOR_EACH_PTR(p->f->ep->bbs, bb) {
		FOR_EACH_PTR(bb->insns, insn) {
			struct pm *c;

			if (!insn->bb || insn->opcode != OP_CALL)
				continue;
			c = pm_called(u, p->f, insn->func);
			if (c && c != p && (c->taker || c->getter))
				return 1;
		} END_FOR_EACH_PTR(insn);
	} END_FOR_EACH_PTR(bb);
	return 0;
}

static int has_get(struct fn *f)
{
	struct basic_block *bb;
	struct instruction *insn;

	FOR_EACH_PTR(f->ep->bbs, bb) {
		FOR_EACH_PTR(bb->insns, insn) {
			if (insn->bb && (insn->opcode == OP_CALL ||
					 insn->opcode == OP_INLINED_CALL) &&
			    api_ident_is(insn_call_name(insn), AK_PGMAP_GET))
				return 1;
		} END_FOR_EACH_PTR(insn);
	} END_FOR_EACH_PTR(bb);
	return 0;
}

static void on_unit(struct fn **fns, int n)
{
	struct unit u;
	int i, k, round, changed, getters = 0, before, after;

	if (!rule_enabled[R_PGMAP] || !profile_is(profiles))
		return;
	memset(&u, 0, sizeof(u));
	u.pm = calloc(n + 1, sizeof(*u.pm));
	for (i = 0; i < n; i++) {
		struct fn *f = fns[i];
		struct pm *p;

		/* the get/put functions themselves are the API */
		if (!fn_in_c_file(f) || !fn_body(f) || is_api(f))
			continue;
		p = &u.pm[u.n++];
		p->f = f;
		p->getter = has_get(f);
		getters += p->getter;
	}
	if (!getters)
		goto out;
	for (i = 0; i < u.n; i++) {
		struct pm *p = &u.pm[i];
		struct astvisit v = { .expr = field_expr, .data = p };

		ast_visit_stmt(&v, fn_body(p->f));
	}
	clearers(&u);
	/*
	 * Roles, until stable (they only grow): putters and takers from each
	 * function's ways out, the teardowns a getter unwinds through or a
	 * taker's caller registers.
	 */
	for (round = 0, changed = 1; changed && round < 10; round++) {
		changed = 0;
		for (i = 0; i < u.n; i++) {
			struct pm *p = &u.pm[i];
			struct roles x = { 0, 0 };

			refflow_free(&p->rf);
			p->rf.f = p->f;
			p->rf.classify = classify;
			p->rf.data = &u;
			refflow_run(&p->rf);
			refflow_exits(&p->rf, NULL, role_exit, &x);
			if (x.neg && !p->getter && !p->putter) {
				p->putter = 1;
				changed = 1;
			}
			if (x.held_ok && !p->taker) {
				p->taker = 1;
				changed = 1;
			}
		}
		before = after = 0;
		for (k = 0; k < u.n; k++)
			before += u.pm[k].teardown;
		for (i = 0; i < u.n; i++) {
			struct pm *p = &u.pm[i];

			p->takes = p->getter || calls_taker(&u, p);
			if (p->getter)
				unwinds(&u, p);
			if (p->takes)
				registrations(&u, p);
		}
		for (k = 0; k < u.n; k++)
			after += u.pm[k].teardown;
		changed |= before != after;
	}
	for (i = 0; i < u.n; i++) {
		struct pm *p = &u.pm[i];

		if (p->takes) {
			struct leak l = { p, { NULL }, 0 };

			refflow_exits(&p->rf, NULL, leak_exit, &l);
		} else if (p->teardown && !p->putter && !covered(&u, p) &&
			   !calls_bad_teardown(&u, p)) {
			report(R_PGMAP, p->f, p->f->sym->pos,
			       "teardown (%s) never drops the devmap_managed_key "
			       "reference the get took; the key and every "
			       "put_page()'s ZONE_DEVICE check stay on", p->why);
		}
	}
out:
	for (i = 0; i < u.n; i++)
		refflow_free(&u.pm[i].rf);
	free(u.pm);
}

void check_pagemap_ops_balance_init(void)
{
	register_event_hook(on_event);
	register_unit_hook(on_unit);
}
