// SPDX-License-Identifier: GPL-2.0
/*
 * check_devmap_put.c - code that drops page references in bulk or by a
 * count must hand ZONE_DEVICE pages to put_devmap_managed_page() /
 * put_devmap_managed_page_refs() before its generic test-and-free path:
 * only those helpers notice an FS-DAX page going idle and wake the layout
 * breakers waiting in dax_layout_busy_page() (v7 .. v5.15; the 5.19 fix
 * "mm: fix missing wake-up event for FSDAX pages").
 *
 * The same property as cocci/devmap-put.cocci, decided on the evaluated
 * AST of each function of the .c file (astwalk.c: the helpers are static
 * inlines whose static-branch test sparse cannot follow in the IR):
 *
 *  - a drop is a generic test-and-free written in the function:
 *    put_page_testzero, folio_put_testzero, page_ref_dec_and_test,
 *    folio_ref_dec_and_test, page_ref_sub_and_test, folio_ref_sub_and_test,
 *    folio_put_refs, and folio_put as the only statement of a counting
 *    loop;
 *  - "by count": its count argument uses a scalar parameter (or a local
 *    computed from one), or it is the only statement of a while/for loop
 *    whose condition does.  On every path from the function's entry to
 *    it a helper must have been called -- unless its zero branch frees
 *    straight to the buddy allocator (allocator pages only);
 *  - "in bulk": otherwise, in a while/for loop of a function given a page
 *    array (struct page ** / struct folio ** / pagevec / folio_batch) or
 *    that indexes one.  The function must call a helper somewhere (the
 *    ZONE_DEVICE branch of release_pages); reported once, at the first.
 *
 * A drop of a page the function got where no ZONE_DEVICE page can be is
 * no candidate: from a file mapping's xarray (a DAX mapping holds DAX
 * entries there), a page-cache lookup, the page allocator, or a list
 * linked through the lru member (a ZONE_DEVICE page keeps its pgmap
 * there).  Decided by data flow in the function: the object of the drop
 * is such a call, or a local every definition of which is one.
 */
#include <string.h>

#include "daxlint.h"

/*
 * The names are the API table's: page-drop rows (count_arg: the count of
 * a counted drop), devmap-put (the ZONE_DEVICE helper), buddy-free,
 * page-source (where a page is never a ZONE_DEVICE page: a mapping's
 * xarray, page-cache lookups, the LRU, the page allocator; see
 * cocci/devmap-put.cocci), page-source-out (the same through argument
 * obj) and same-page (the same page under another type).
 */
static const char *const profiles[] = { "v7", "v4.18", "v5.15", NULL };

#define HELPER_RAN	1u
#define MAX_DROPS	64
#define MAX_DERIVED	64
#define MAX_DEFS	256

struct drop {
	struct expression *e;
	struct ident *name;
	int in_loop;		/* inside a while/for loop */
	int counting_loop;	/* the only statement of a counting loop */
	int buddy;		/* its zero branch frees to the buddy allocator */
	int missing;		/* some path reaches it without a helper */
};

struct dp {
	struct fn *f;			/* the function reported */
	struct statement *body;		/* its body, or an inlined copy */
	struct symbol_list *args;	/* its parameters (or their copies) */
	struct symbol *derived[MAX_DERIVED];	/* params and their copies */
	int nderived, changed;
	struct symbol *nodev[MAX_DEFS];	/* locals that are never a
					   ZONE_DEVICE page */
	int nnodev;
	struct { struct symbol *sym; struct expression *val; } defs[MAX_DEFS];
	int ndefs, defs_full;
	int page_array;		/* given or indexing an array of pages */
	int calls_helper;
	int loops;
	struct drop d[MAX_DROPS];
	int nd;
};

static int is_derived(struct dp *p, struct symbol *s)
{
	int i;

	for (i = 0; s && i < p->nderived; i++)
		if (p->derived[i] == s)
			return 1;
	return 0;
}

static void add_derived(struct dp *p, struct symbol *s)
{
	if (!s || is_derived(p, s) || p->nderived == MAX_DERIVED)
		return;
	p->derived[p->nderived++] = s;
	p->changed = 1;
}

/* does E use a parameter-derived count? */
struct uses { struct dp *p; int found; };

static void uses_expr(struct astvisit *v, struct expression *e)
{
	struct uses *u = v->data;

	if (e->type == EXPR_SYMBOL && is_derived(u->p, e->symbol))
		u->found = 1;
}

static int uses_derived(struct dp *p, struct expression *e)
{
	struct uses u = { p, 0 };
	struct astvisit v = { .expr = uses_expr, .data = &u };

	ast_visit_expr(&v, e);
	return u.found;
}

static int is_page_struct(struct symbol *t, int pages_or_batch)
{
	while (t && t->type == SYM_NODE)
		t = t->ctype.base_type;
	if (!t || t->type != SYM_STRUCT || !t->ident)
		return 0;
	if (pages_or_batch)
		return ident_in(t->ident, (const char *const[]){ "pagevec",
				"folio_batch", NULL });
	return ident_in(t->ident, (const char *const[]){ "page", "folio", NULL });
}

static struct symbol *pointee(struct symbol *t)
{
	while (t && t->type == SYM_NODE)
		t = t->ctype.base_type;
	return t && t->type == SYM_PTR ? t->ctype.base_type : NULL;
}

/* struct page ** / struct folio **, or a pagevec / folio_batch pointer */
static int page_array_type(struct symbol *t)
{
	struct symbol *p = pointee(t);

	return is_page_struct(pointee(p), 0) || is_page_struct(p, 1);
}

/* ---- parameters and the locals computed from them ---------------------- */
static void alias_expr(struct astvisit *v, struct expression *e)
{
	struct dp *p = v->data;
	struct expression *l;

	if (e->type != EXPR_ASSIGNMENT || e->op != '=')
		return;
	l = e->left;
	if (l && l->type == EXPR_PREOP && l->op == '*' && l->unop &&
	    l->unop->type == EXPR_SYMBOL && uses_derived(p, e->right))
		add_derived(p, l->unop->symbol);
}

static void alias_stmt(struct astvisit *v, struct statement *s, int enter)
{
	struct dp *p = v->data;
	struct symbol *sym;

	if (!enter || s->type != STMT_DECLARATION)
		return;
	FOR_EACH_PTR(s->declaration, sym) {
		if (sym->initializer && uses_derived(p, sym->initializer))
			add_derived(p, sym);
	} END_FOR_EACH_PTR(sym);
}

static void params(struct dp *p)
{
	struct symbol *a;
	struct astvisit v = { .stmt = alias_stmt, .expr = alias_expr, .data = p };
	int i;

	FOR_EACH_PTR(p->args, a) {
		struct symbol *t = a->ctype.base_type;

		if (page_array_type(a))
			p->page_array = 1;
		else if (t && is_int_type(a))
			add_derived(p, a);
	} END_FOR_EACH_PTR(a);
	for (i = 0; i < 6; i++) {
		p->changed = 0;
		ast_visit_body(&v, p->body);
		if (!p->changed)
			break;
	}
}

/* ---- where a page comes from ------------------------------------------- */
static int is_arg(struct dp *p, struct symbol *s)
{
	struct symbol *a;

	FOR_EACH_PTR(p->args, a) {
		if (a == s)
			return 1;
	} END_FOR_EACH_PTR(a);
	return 0;
}

static int is_nodev(struct dp *p, struct symbol *s)
{
	int i;

	for (i = 0; s && i < p->nnodev; i++)
		if (p->nodev[i] == s)
			return 1;
	return 0;
}

/* the offset of member NAME in struct T, through anonymous members */
static int member_offset(struct symbol *t, const char *name, long *off)
{
	struct symbol *m;

	while (t && t->type == SYM_NODE)
		t = t->ctype.base_type;
	if (!t || (t->type != SYM_STRUCT && t->type != SYM_UNION))
		return 0;
	FOR_EACH_PTR(t->symbol_list, m) {
		long inner;

		if (m->ident && !strcmp(show_ident(m->ident), name)) {
			*off = m->offset;
			return 1;
		}
		if (!m->ident && member_offset(m, name, &inner)) {
			*off = m->offset + inner;
			return 1;
		}
	} END_FOR_EACH_PTR(m);
	return 0;
}

/* (T *)(ptr - offsetof(T, lru)): the entry of a list linked through lru */
static int lru_entry(struct expression *cast)
{
	struct expression *e = cast->cast_expression;
	long off;

	while (e && (e->type == EXPR_CAST || e->type == EXPR_IMPLIED_CAST))
		e = e->cast_expression;
	return e && e->type == EXPR_BINOP && e->op == '-' && e->right &&
	       e->right->type == EXPR_VALUE &&
	       member_offset(pointee(cast->ctype), "lru", &off) &&
	       (long long)e->right->value == off;
}

/* the value of a statement expression: its last statement */
static struct expression *stmt_value(struct statement *s)
{
	struct statement *t, *last = NULL;

	if (!s || s->type != STMT_COMPOUND || s->inline_fn)
		return NULL;
	FOR_EACH_PTR(s->stmts, t) {
		last = t;
	} END_FOR_EACH_PTR(t);
	return last && last->type == STMT_EXPRESSION ? last->expression : NULL;
}

static int is_null(struct expression *e)
{
	while (e && (e->type == EXPR_CAST || e->type == EXPR_IMPLIED_CAST ||
		     e->type == EXPR_FORCE_CAST))
		e = e->cast_expression;
	return e && e->type == EXPR_VALUE && e->value == 0;
}

/* is the page or folio E surely not a ZONE_DEVICE page, by its origin? */
static int device_free(struct dp *p, struct expression *e, int depth)
{
	struct ident *id;

	while (e && depth < 12) {
		depth++;
		if (e->type == EXPR_CAST || e->type == EXPR_IMPLIED_CAST ||
		    e->type == EXPR_FORCE_CAST) {
			if (lru_entry(e))
				return 1;
			e = e->cast_expression;
		} else if (e->type == EXPR_BINOP && e->op == '+' && e->right &&
			   e->right->type == EXPR_VALUE) {
			e = e->left;		/* &folio->page */
		} else if (e->type == EXPR_PREOP && e->op == '&' && e->unop &&
			   e->unop->type == EXPR_PREOP && e->unop->op == '*') {
			e = e->unop->unop;
		} else if (e->type == EXPR_PREOP && e->op == '*' && e->unop &&
			   e->unop->type == EXPR_SYMBOL) {
			/* a variable read */
			return is_nodev(p, e->unop->symbol);
		} else if (ast_is_call(e)) {
			id = ast_call_name(e);
			if (api_ident_is(id, AK_PAGE_SOURCE))
				return 1;
			if (!api_ident_is(id, AK_SAME_PAGE))
				return 0;
			e = ast_call_arg(e, 0);
		} else if (e->type == EXPR_STATEMENT) {
			e = stmt_value(e->statement);	/* container_of() */
		} else if (e->type == EXPR_CONDITIONAL ||
			   e->type == EXPR_SELECT) {
			/* list_first_entry_or_null(): an entry or NULL */
			return (is_null(e->cond_true) ||
				device_free(p, e->cond_true ? e->cond_true :
					    e->conditional, depth)) &&
			       (is_null(e->cond_false) ||
				device_free(p, e->cond_false, depth));
		} else {
			return 0;
		}
	}
	return 0;
}

static void add_def(struct dp *p, struct symbol *s, struct expression *v)
{
	if (!s || is_arg(p, s))
		return;
	if (p->ndefs == MAX_DEFS) {
		p->defs_full = 1;
		return;
	}
	p->defs[p->ndefs].sym = s;
	p->defs[p->ndefs++].val = v;
}

static void def_expr(struct astvisit *v, struct expression *e)
{
	const struct api_row *r;
	struct expression *l;

	/* shmem_get_folio(inode, index, &folio, sgp): a NULL value */
	if (ast_is_call(e) &&
	    (r = api_ident_row(ast_call_name(e), AK_PAGE_SOURCE_OUT))) {
		l = ast_call_arg(e, r->obj);
		if (l && l->type == EXPR_SYMBOL)
			add_def(v->data, l->symbol, NULL);
		return;
	}
	if (e->type != EXPR_ASSIGNMENT || e->op != '=')
		return;
	l = e->left;
	if (l && l->type == EXPR_PREOP && l->op == '*' && l->unop &&
	    l->unop->type == EXPR_SYMBOL)
		add_def(v->data, l->unop->symbol, e->right);
}

static void def_stmt(struct astvisit *v, struct statement *s, int enter)
{
	struct symbol *sym;

	if (!enter || s->type != STMT_DECLARATION)
		return;
	FOR_EACH_PTR(s->declaration, sym) {
		if (sym->initializer)
			add_def(v->data, sym, sym->initializer);
	} END_FOR_EACH_PTR(sym);
}

/*
 * The locals every definition of which is a page of no device, directly
 * or through other such locals: the greatest such set, so that copies
 * back and forth (page = folio_file_page(folio, i); folio =
 * page_folio(page)) keep it.  Start from every local with a definition,
 * drop those with one that is not, until nothing changes.
 */
static void origins(struct dp *p)
{
	struct astvisit v = { .stmt = def_stmt, .expr = def_expr, .data = p };
	int i, j, k, changed = 1;

	ast_visit_body(&v, p->body);
	if (p->defs_full)
		return;		/* on the safe side: nothing is known */
	for (i = 0; i < p->ndefs; i++)
		if (!is_nodev(p, p->defs[i].sym))
			p->nodev[p->nnodev++] = p->defs[i].sym;
	while (changed) {
		changed = 0;
		for (k = 0; k < p->nnodev; k++) {
			struct symbol *s = p->nodev[k];
			int ok = 1;

			/* (no value: set by a page-cache lookup) */
			for (j = 0; j < p->ndefs && ok; j++)
				if (p->defs[j].sym == s && p->defs[j].val &&
				    !is_null(p->defs[j].val) &&
				    !device_free(p, p->defs[j].val, 0))
					ok = 0;
			if (!ok) {
				p->nodev[k--] = p->nodev[--p->nnodev];
				changed = 1;
			}
		}
	}
}

/* ---- the drops, where they are ------------------------------------------- */
static struct drop *find_drop(struct dp *p, struct expression *e)
{
	int i;

	for (i = 0; i < p->nd; i++)
		if (p->d[i].e == e)
			return &p->d[i];
	return NULL;
}

/* the only expression statement of a loop body, if that is all it is */
static struct expression *only_expr(struct statement *s)
{
	struct statement *t, *one = NULL;

	if (s && s->type == STMT_COMPOUND && !s->inline_fn) {
		FOR_EACH_PTR(s->stmts, t) {
			if (one)
				return NULL;
			one = t;
		} END_FOR_EACH_PTR(t);
		s = one;
	}
	if (!s || s->type != STMT_EXPRESSION)
		return NULL;
	return s->expression;
}

/* the first drop of a condition, and whether a block frees to the buddy */
struct finder {
	enum api_kind kind;
	struct expression *found;
};

static void find_expr(struct astvisit *v, struct expression *e)
{
	struct finder *fd = v->data;

	if (!fd->found && ast_is_call(e) && api_ident_is(ast_call_name(e), fd->kind))
		fd->found = e;
}

static struct expression *find_call(struct statement *s, struct expression *e,
				    enum api_kind kind)
{
	struct finder fd = { kind, NULL };
	struct astvisit v = { .expr = find_expr, .data = &fd };

	if (s)
		ast_visit_stmt(&v, s);
	else
		ast_visit_expr(&v, e);
	return fd.found;
}

static struct drop *note_drop(struct dp *p, struct expression *e)
{
	struct drop *d = find_drop(p, e);

	if (d || p->nd == MAX_DROPS)
		return d;
	d = &p->d[p->nd++];
	memset(d, 0, sizeof(*d));
	d->e = e;
	d->name = ast_call_name(e);
	d->in_loop = p->loops > 0;
	return d;
}

static void scan_stmt(struct astvisit *v, struct statement *s, int enter)
{
	const struct api_row *r;
	struct dp *p = v->data;
	struct expression *e;
	struct drop *d;

	switch (s->type) {
	case STMT_ITERATOR:
		if (s->iterator_post_condition)
			break;		/* do-while */
		p->loops += enter ? 1 : -1;
		if (!enter)
			break;
		/* while (refs--) folio_put(folio); */
		e = only_expr(s->iterator_statement);
		if (e && ast_is_call(e) &&
		    (r = api_ident_row(ast_call_name(e), AK_PAGE_DROP)) &&
		    r->count_arg < 0 &&
		    uses_derived(p, s->iterator_pre_condition)) {
			d = note_drop(p, e);
			if (d)
				d->counting_loop = 1;
		}
		break;
	case STMT_IF:
		/* if (page_ref_sub_and_test(page, n)) free_the_page(page, o); */
		if (!enter)
			break;
		e = find_call(NULL, s->if_conditional, AK_PAGE_DROP);
		if (e && find_call(s->if_true, NULL, AK_BUDDY_FREE)) {
			d = note_drop(p, e);
			if (d)
				d->buddy = 1;
		}
		break;
	default:
		break;
	}
}

static void scan_expr(struct astvisit *v, struct expression *e)
{
	struct dp *p = v->data;
	struct ident *id;

	/* pages[i], pvec->pages[i], fbatch->folios[i], *pages */
	if (e->type == EXPR_PREOP && e->op == '*' && e->unop &&
	    e->unop->type != EXPR_SYMBOL &&
	    is_page_struct(pointee(pointee(e->unop->ctype)), 0))
		p->page_array = 1;
	if (!ast_is_call(e))
		return;
	id = ast_call_name(e);
	if (api_ident_is(id, AK_DEVMAP_PUT))
		p->calls_helper = 1;
	else if (api_ident_is(id, AK_PAGE_DROP))
		note_drop(p, e);
}

/* ---- every path: a helper before the drop ------------------------------- */
static unsigned on_call(struct astwalk *w, struct expression *e,
			struct ident *name, const struct aws *before)
{
	struct dp *p = w->data;
	struct drop *d;

	if (api_ident_is(name, AK_DEVMAP_PUT))
		return HELPER_RAN;
	d = find_drop(p, e);
	if (d && !(before->bits & HELPER_RAN))
		d->missing = 1;
	return 0;
}

static int counted(struct dp *p, struct drop *d)
{
	const struct api_row *r = api_ident_row(d->name, AK_PAGE_DROP);

	if (d->counting_loop)
		return 1;
	return r && r->count_arg >= 0 &&
	       uses_derived(p, ast_call_arg(d->e, r->count_arg));
}

/*
 * Is the drop NAME written at *POS?  A real call inside an inlined copy
 * carries its caller's position (lockstate.c moves it to the call site):
 * look for it in the inline function's own text, and report it there.
 */
static int written_at(struct fn *f, struct position *pos, const char *name)
{
	struct position p;
	const char *t;
	int l, end;

	if (source_calls_at(*pos, name))
		return 1;
	if (f->ep)
		return 0;
	/* the inline's text: up to the brace that closes it */
	for (end = f->first_line; end < f->first_line + 400; end++) {
		t = source_line(f->stream, end);
		if (!t || (end > f->first_line && t[0] == '}'))
			break;
	}
	if (pos->stream == f->stream && (int)pos->line >= f->first_line &&
	    (int)pos->line <= end)
		return 0;
	p = f->sym->pos;
	for (l = f->first_line; l <= end; l++) {
		const char *q, *c;

		p.line = l;
		if (!source_calls_at(p, name))
			continue;
		/* sparse's column: the '(' of the call, tabs of 8 */
		t = source_line(f->stream, l);
		q = strstr(t, name);
		p.pos = 1;
		for (c = t; q && c <= q + strlen(name); c++)
			p.pos = *c == '\t' ? (p.pos + 7) / 8 * 8 + 1 : p.pos + 1;
		p.pos--;
		*pos = p;
		return 1;
	}
	return 0;
}

static void check_body(struct fn *f, struct statement *body,
		       struct symbol_list *args)
{
	struct dp p;
	struct astvisit v;
	struct astwalk w;
	struct drop *bulk = NULL;
	int i;

	memset(&p, 0, sizeof(p));
	p.f = f;
	p.body = body;
	p.args = args;
	params(&p);
	origins(&p);
	memset(&v, 0, sizeof(v));
	v.stmt = scan_stmt;
	v.expr = scan_expr;
	v.data = &p;
	ast_visit_body(&v, body);
	if (!p.nd)
		return;
	memset(&w, 0, sizeof(w));
	w.f = f;
	w.body = body;
	w.call = on_call;
	w.data = &p;
	ast_walk_fn(&w);
	for (i = 0; i < p.nd; i++) {
		struct drop *d = &p.d[i];
		const char *n = show_ident(d->name);

		/* written here, as the driver's prefilter sees it */
		if (!written_at(f, &d->e->pos, n))
			continue;
		/* a page-cache, LRU or freshly allocated page */
		if (device_free(&p, ast_call_arg(d->e, 0), 0))
			continue;
		if (counted(&p, d)) {
			if (d->missing && !d->buddy)
				report(R_DEVMAP_PUT, f, d->e->pos,
				       "%s() drops a counted number of page "
				       "references without "
				       "put_devmap_managed_page_refs() first "
				       "on some path; an FS-DAX page never "
				       "signals idle and layout breakers wait "
				       "forever", n);
			continue;
		}
		if (d->in_loop && !d->counting_loop &&
		    !api_ident_is(d->name, AK_LOOP_DROP) &&
		    (!bulk || d->e->pos.line < bulk->e->pos.line))
			bulk = d;
	}
	if (bulk && p.page_array && !p.calls_helper)
		report(R_DEVMAP_PUT, f, bulk->e->pos,
		       "page array released in bulk through %s() without "
		       "put_devmap_managed_page() for ZONE_DEVICE pages; an "
		       "FS-DAX page never signals idle and layout breakers "
		       "wait forever", show_ident(bulk->name));
}

/*
 * sparse keeps no body of a static inline function of its own: it only
 * exists inlined into its callers (gup.c's try_get_folio).  Each inlined
 * copy stands for the function, its parameters the copy's argument
 * symbols (a copy whose argument is a constant has it folded: the other
 * copies still see the parameter); findings of several copies are one.
 */
#define MAX_INLINES 256
#define MAX_COPIES 16
struct inlines {
	struct symbol *fn[MAX_INLINES];
	int copies[MAX_INLINES];
	int n;
};

static void inline_expr(struct astvisit *v, struct expression *e)
{
	struct inlines *in = v->data;
	struct statement *s;
	struct symbol *fn;
	const char *file;
	struct fn copy;
	size_t l;
	int i;

	if (e->type != EXPR_STATEMENT || !(s = e->statement) ||
	    s->type != STMT_COMPOUND || !(fn = s->inline_fn) || !fn->ident)
		return;
	for (i = 0; i < in->n && in->fn[i] != fn; i++)
		;
	if (i == in->n) {
		if (in->n == MAX_INLINES)
			return;
		in->fn[in->n] = fn;
		in->copies[in->n++] = 0;
		file = stream_name(fn->pos.stream);
		l = file ? strlen(file) : 0;
		/* a header's helper is not this unit's code */
		if (l < 3 || strcmp(file + l - 2, ".c"))
			in->copies[i] = MAX_COPIES;
	}
	if (in->copies[i] >= MAX_COPIES)
		return;
	in->copies[i]++;
	memset(&copy, 0, sizeof(copy));
	copy.sym = fn;
	copy.name = show_ident(fn->ident);
	copy.stream = fn->pos.stream;
	copy.first_line = fn->pos.line;
	copy.last_line = 1 << 30;
	check_body(&copy, s, s->args && s->args->type == STMT_DECLARATION ?
		   s->args->declaration : NULL);
	/* and the .c inlines it calls in turn */
	ast_visit_body(v, s);
}

static void on_unit(struct fn **fns, int n)
{
	struct inlines in;
	struct astvisit v = { .expr = inline_expr, .data = &in };
	int i;

	if (!rule_enabled[R_DEVMAP_PUT] || !profile_is(profiles))
		return;
	memset(&in, 0, sizeof(in));
	for (i = 0; i < n; i++) {
		struct fn *f = fns[i];

		if (!fn_in_c_file(f) || !fn_body(f))
			continue;
		check_body(f, fn_body(f), f->sym->ctype.base_type->arguments);
		ast_visit_stmt(&v, fn_body(f));
	}
}

void check_devmap_put_init(void)
{
	register_unit_hook(on_unit);
}
