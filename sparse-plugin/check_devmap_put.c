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
 * AST of each function of the .c file (refstate.c: the helpers are static
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
 */
#include <string.h>

#include "daxlint.h"

static const char *const drop_names[] = {
	"put_page_testzero", "folio_put_testzero", "page_ref_dec_and_test",
	"folio_ref_dec_and_test", "page_ref_sub_and_test",
	"folio_ref_sub_and_test", "folio_put_refs", "folio_put", NULL
};
/* drops with a count argument (the second) */
static const char *const counted_names[] = {
	"page_ref_sub_and_test", "folio_ref_sub_and_test", "folio_put_refs",
	NULL
};
/* one reference at a time: a counting loop's only statement */
static const char *const single_names[] = {
	"put_page_testzero", "folio_put_testzero", "page_ref_dec_and_test",
	"folio_ref_dec_and_test", "folio_put", NULL
};
static const char *const helper_names[] = {
	"put_devmap_managed_page", "put_devmap_managed_page_refs",
	"put_devmap_managed_folio", "put_devmap_managed_folio_refs", NULL
};
static const char *const buddy_names[] = {
	"free_the_page", "__free_pages", "__free_pages_ok", "free_unref_page",
	"free_pages", "__free_page", NULL
};
static const char *const profiles[] = { "v7", "v4.18", "v5.15", NULL };

#define HELPER_RAN	1u
#define MAX_DROPS	64
#define MAX_DERIVED	64

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
	struct astvisit v = { NULL, uses_expr, &u };

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
	struct astvisit v = { alias_stmt, alias_expr, p };
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
	const char *const *names;
	struct expression *found;
};

static void find_expr(struct astvisit *v, struct expression *e)
{
	struct finder *fd = v->data;

	if (!fd->found && ast_is_call(e) && ident_in(ast_call_name(e), fd->names))
		fd->found = e;
}

static struct expression *find_call(struct statement *s, struct expression *e,
				    const char *const *names)
{
	struct finder fd = { names, NULL };
	struct astvisit v = { NULL, find_expr, &fd };

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
		    ident_in(ast_call_name(e), single_names) &&
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
		e = find_call(NULL, s->if_conditional, drop_names);
		if (e && find_call(s->if_true, NULL, buddy_names)) {
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
	if (ident_in(id, helper_names))
		p->calls_helper = 1;
	else if (ident_in(id, drop_names))
		note_drop(p, e);
}

/* ---- every path: a helper before the drop ------------------------------- */
static unsigned on_call(struct astwalk *w, struct expression *e,
			struct ident *name, const struct aws *before)
{
	struct dp *p = w->data;
	struct drop *d;

	if (ident_in(name, helper_names))
		return HELPER_RAN;
	d = find_drop(p, e);
	if (d && !(before->bits & HELPER_RAN))
		d->missing = 1;
	return 0;
}

static int counted(struct dp *p, struct drop *d)
{
	if (d->counting_loop)
		return 1;
	return ident_in(d->name, counted_names) &&
	       uses_derived(p, ast_call_arg(d->e, 1));
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
		    !ident_in(d->name, (const char *const[]){ "folio_put", NULL }) &&
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
	struct astvisit v = { NULL, inline_expr, &in };
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
