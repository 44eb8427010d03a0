// SPDX-License-Identifier: GPL-2.0
/*
 * lockstate.c - daxlint's lock-state engine over sparse's linearized IR.
 *
 * For every function of a translation unit (after sparse has expanded
 * macros, inlined static inline helpers and folded constants) the engine
 * classifies the calls that matter (the lock table below), then runs a
 * forward must/may dataflow over the basic blocks: must-held locks join by
 * intersection, may-held and may-released locks by union, and loops are
 * iterated to a fixed point.  Address-taken local lock-flag words
 * (xfs_file_fallocate's iolock) are tracked as bit sets too.
 *
 * Per-function summaries (locks required at entry, held at return,
 * released, "may sleep") are computed for the functions of the translation
 * unit until they no longer change; the checks (check_*.c) then see every
 * relevant event with the state before it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daxlint.h"

/* ---- the lock table --------------------------------------------------- */
struct lock_entry {
	const char *name;
	enum call_kind kind;
	struct ident *ident;
};

static struct lock_entry call_table[] = {
	{ "xfs_ilock", CK_XFS_ILOCK, NULL },
	{ "xfs_ilock_nowait", CK_XFS_ILOCK, NULL },
	{ "xfs_iunlock", CK_XFS_IUNLOCK, NULL },
	{ "xfs_ilock_demote", CK_XFS_DEMOTE, NULL },
	{ "xfs_lock_two_inodes", CK_XFS_LOCK_TWO, NULL },
	{ "xfs_isilocked", CK_XFS_ISLOCKED, NULL },
	{ "xfs_assert_ilocked", CK_XFS_ISLOCKED, NULL },
	{ "xfs_lock_inumorder", CK_XFS_INUMORDER, NULL },
	{ "down_write", CK_RWSEM_WRITE, NULL },
	{ "down_write_nested", CK_RWSEM_WRITE, NULL },
	{ "down_write_killable", CK_RWSEM_WRITE, NULL },
	{ "down_write_trylock", CK_RWSEM_WRITE, NULL },
	{ "down_read", CK_RWSEM_READ, NULL },
	{ "down_read_nested", CK_RWSEM_READ, NULL },
	{ "down_read_killable", CK_RWSEM_READ, NULL },
	{ "down_read_interruptible", CK_RWSEM_READ, NULL },
	{ "down_read_trylock", CK_RWSEM_READ, NULL },
	{ "up_write", CK_RWSEM_UP_WRITE, NULL },
	{ "up_read", CK_RWSEM_UP_READ, NULL },
	{ "downgrade_write", CK_RWSEM_DOWNGRADE, NULL },
	{ "rwsem_is_locked", CK_RWSEM_ASSERT, NULL },
	{ "lockdep_assert_held", CK_LOCKDEP_ASSERT, NULL },
	{ "lockdep_assert_held_write", CK_LOCKDEP_ASSERT, NULL },
	{ "filemap_invalidate_lock", CK_INVAL_LOCK, NULL },
	{ "filemap_invalidate_unlock", CK_INVAL_UNLOCK, NULL },
	{ "filemap_invalidate_lock_shared", CK_INVAL_LOCK_SHARED, NULL },
	{ "filemap_invalidate_unlock_shared", CK_INVAL_UNLOCK_SHARED, NULL },
	{ "filemap_invalidate_lock_two", CK_INVAL_LOCK_TWO, NULL },
	{ "filemap_invalidate_unlock_two", CK_INVAL_UNLOCK_TWO, NULL },
	{ "dax_layout_lock", CK_LAYOUT_LOCK, NULL },
	{ "dax_layout_unlock", CK_LAYOUT_UNLOCK, NULL },
	{ "rcu_read_lock", CK_LAYOUT_LOCK, NULL },
	{ "rcu_read_unlock", CK_LAYOUT_UNLOCK, NULL },
	{ "dax_layout_busy_page", CK_BUSY_PAGE, NULL },
	{ "dax_layout_busy_page_range", CK_BUSY_PAGE, NULL },
	{ "xfs_break_layouts", CK_BREAK_LAYOUTS, NULL },
	{ "follow_page_mask", CK_GUP_WALK, NULL },
	{ "gup_pgd_range", CK_GUP_WALK, NULL },
	{ "schedule", CK_SLEEP, NULL },
	{ "schedule_timeout", CK_SLEEP, NULL },
	{ "io_schedule", CK_SLEEP, NULL },
	{ "io_schedule_timeout", CK_SLEEP, NULL },
	{ "msleep", CK_SLEEP, NULL },
	{ "msleep_interruptible", CK_SLEEP, NULL },
	{ "usleep_range", CK_SLEEP, NULL },
	{ "usleep_range_state", CK_SLEEP, NULL },
	{ "ssleep", CK_SLEEP, NULL },
	{ "wait_for_completion", CK_SLEEP, NULL },
	{ "kmalloc", CK_ALLOC, NULL },
	{ "__kmalloc", CK_ALLOC, NULL },
	{ "kzalloc", CK_ALLOC, NULL },
	{ "kmem_cache_alloc", CK_ALLOC, NULL },
	{ "kmem_cache_zalloc", CK_ALLOC, NULL },
	{ "kmalloc_array", CK_ALLOC, NULL },
	{ "kcalloc", CK_ALLOC, NULL },
	{ "kmalloc_node", CK_ALLOC, NULL },
	{ "__kmalloc_node", CK_ALLOC, NULL },
	{ "kzalloc_node", CK_ALLOC, NULL },
	{ "kmalloc_trace", CK_ALLOC, NULL },
	{ "kmalloc_large", CK_ALLOC, NULL },
	{ "kmem_cache_alloc_node", CK_ALLOC, NULL },
	{ "kmem_cache_alloc_lru", CK_ALLOC, NULL },
	{ "kvmalloc", CK_ALLOC, NULL },
	{ "kvzalloc", CK_ALLOC, NULL },
	{ "kvmalloc_node", CK_ALLOC, NULL },
	{ "kvcalloc", CK_ALLOC, NULL },
	{ "kvmalloc_array", CK_ALLOC, NULL },
	{ "krealloc", CK_ALLOC, NULL },
	{ "kmemdup", CK_ALLOC, NULL },
	{ "mempool_alloc", CK_ALLOC, NULL },
	{ "alloc_pages", CK_ALLOC, NULL },
	{ "__alloc_pages", CK_ALLOC, NULL },
	{ "alloc_pages_node", CK_ALLOC, NULL },
	{ "__alloc_pages_node", CK_ALLOC, NULL },
	{ "__get_free_pages", CK_ALLOC, NULL },
	{ "get_zeroed_page", CK_ALLOC, NULL },
	{ "folio_alloc", CK_ALLOC, NULL },
	{ "__folio_alloc", CK_ALLOC, NULL },
	{ "faultin_page", CK_WAKE_SLEEP, NULL },
	{ "cond_resched", CK_WAKE_SLEEP, NULL },
	{ "_cond_resched", CK_WAKE_SLEEP, NULL },
	{ "__cond_resched", CK_WAKE_SLEEP, NULL },
	{ "might_sleep", CK_WAKE_SLEEP, NULL },
	{ "__might_sleep", CK_WAKE_SLEEP, NULL },
	{ "__might_resched", CK_WAKE_SLEEP, NULL },
	/*
	 * cond_resched() and might_sleep() as kernel builds spell them: an
	 * inline __might_resched() / ___might_sleep() (4.x) that is empty
	 * without DEBUG_ATOMIC_SLEEP, then _cond_resched() (inline under
	 * PREEMPT) or, with PREEMPT_DYNAMIC, a static call
	 */
	{ "___might_sleep", CK_WAKE_SLEEP, NULL },
	{ "__SCT__cond_resched", CK_WAKE_SLEEP, NULL },
	{ "__SCT__might_resched", CK_WAKE_SLEEP, NULL },
	{ "__cond_resched_lock", CK_WAKE_SLEEP, NULL },
	{ "__cond_resched_rwlock_read", CK_WAKE_SLEEP, NULL },
	{ "__cond_resched_rwlock_write", CK_WAKE_SLEEP, NULL },
	{ "might_fault", CK_WAKE_SLEEP, NULL },
	{ "__might_fault", CK_WAKE_SLEEP, NULL },
	{ "synchronize_rcu", CK_WAKE_SLEEP, NULL },
	{ "vmalloc", CK_WAKE_SLEEP, NULL },
	{ "vzalloc", CK_WAKE_SLEEP, NULL },
	{ "__vmalloc", CK_WAKE_SLEEP, NULL },
	{ "vmalloc_node", CK_WAKE_SLEEP, NULL },
	{ "inode_lock", CK_WAKE_SLEEP, NULL },
	{ "inode_lock_shared", CK_WAKE_SLEEP, NULL },
	{ "mutex_lock", CK_WAKE_SLEEP, NULL },
	{ "mutex_lock_nested", CK_WAKE_SLEEP, NULL },
	{ "mutex_lock_interruptible", CK_WAKE_SLEEP, NULL },
	{ "mutex_lock_killable", CK_WAKE_SLEEP, NULL },
	{ "mutex_lock_io", CK_WAKE_SLEEP, NULL },
	{ "mutex_lock_interruptible_nested", CK_WAKE_SLEEP, NULL },
	{ "mutex_lock_killable_nested", CK_WAKE_SLEEP, NULL },
	{ "dev_pagemap_get_ops", CK_PGMAP_GET, NULL },
	{ "dev_pagemap_put_ops", CK_PGMAP_PUT, NULL },
	{ "devmap_managed_enable_get", CK_PGMAP_GET, NULL },
	{ "devmap_managed_enable_put", CK_PGMAP_PUT, NULL },
	{ "static_branch_enable", CK_STATIC_BRANCH, NULL },
	{ "static_branch_disable", CK_STATIC_BRANCH, NULL },
	{ "static_branch_inc", CK_STATIC_BRANCH, NULL },
	{ "static_branch_dec", CK_STATIC_BRANCH, NULL },
	{ "static_key_enable", CK_STATIC_BRANCH, NULL },
	{ "static_key_disable", CK_STATIC_BRANCH, NULL },
	{ "static_key_slow_inc", CK_STATIC_BRANCH, NULL },
	{ "static_key_slow_dec", CK_STATIC_BRANCH, NULL },
};
#define NCALLS (sizeof(call_table) / sizeof(call_table[0]))

/* the rw_semaphore fields that are the fault-blocking lock */
static const char *const fault_fields[] = {
	"invalidate_lock",	/* struct address_space, 5.15+ */
	"i_mmap_sem",		/* struct ext4_inode_info, 4.19 - 5.14 */
};
static struct ident *fault_idents[2];
static struct ident *dax_layout_lock_ident;

/*
 * calls that only matter as OP_INLINED_CALL markers of inlined helpers; a
 * sleeper counts inlined too: the build may make it an empty inline
 * (_cond_resched() under PREEMPT, __might_resched() without
 * DEBUG_ATOMIC_SLEEP) and the marker is then all that is left of it
 */
static int inlined_kind_ok(enum call_kind k)
{
	switch (k) {
	case CK_LAYOUT_LOCK: case CK_LAYOUT_UNLOCK:
	case CK_INVAL_LOCK: case CK_INVAL_UNLOCK:
	case CK_INVAL_LOCK_SHARED: case CK_INVAL_UNLOCK_SHARED:
	case CK_INVAL_LOCK_TWO: case CK_INVAL_UNLOCK_TWO:
	case CK_SLEEP: case CK_WAKE_SLEEP:
		return 1;
	default:
		return 0;
	}
}

static void init_tables(void)
{
	static int done;
	unsigned i;

	if (done)
		return;
	done = 1;
	for (i = 0; i < NCALLS; i++)
		call_table[i].ident = built_in_ident(call_table[i].name);
	for (i = 0; i < 2; i++)
		fault_idents[i] = built_in_ident(fault_fields[i]);
	dax_layout_lock_ident = built_in_ident("dax_layout_lock");
}

static enum call_kind lookup_kind(struct ident *id)
{
	unsigned i;

	if (!id)
		return CK_NONE;
	for (i = 0; i < NCALLS; i++)
		if (call_table[i].ident == id)
			return call_table[i].kind;
	return CK_NONE;
}

static int is_fault_field(struct ident *id)
{
	return id && (id == fault_idents[0] || id == fault_idents[1]);
}

/* ---- hooks --------------------------------------------------------------- */
#define MAX_HOOKS 16
static event_hook ev_hooks[MAX_HOOKS], ret_hooks[MAX_HOOKS];
static fn_hook fn_hooks[MAX_HOOKS];
static int nev_hooks, nret_hooks, nfn_hooks;

void register_event_hook(event_hook h) { ev_hooks[nev_hooks++] = h; }
void register_ret_hook(event_hook h) { ret_hooks[nret_hooks++] = h; }
void register_fn_hook(fn_hook h) { fn_hooks[nfn_hooks++] = h; }

/* checks that look at the whole unit: its symbols, then all its functions */
static sym_hook sym_hooks[MAX_HOOKS];
static unit_hook unit_hooks[MAX_HOOKS];
static int nsym_hooks, nunit_hooks;

void register_sym_hook(sym_hook h) { sym_hooks[nsym_hooks++] = h; }
void register_unit_hook(unit_hook h) { unit_hooks[nunit_hooks++] = h; }

/* ---- functions of the translation unit ----------------------------------- */
#define FN_HASH 1024
static struct fn *fn_hash[FN_HASH];
static struct fn **fns;
static int nfns, fns_alloc;

static unsigned hash_ptr(const void *p)
{
	unsigned long v = (unsigned long)p;

	return (unsigned)((v >> 4) ^ (v >> 14)) & (FN_HASH - 1);
}

struct fn *fn_by_ident(struct ident *id)
{
	struct fn *f;

	for (f = fn_hash[hash_ptr(id)]; f; f = f->hnext)
		if (f->sym->ident == id)
			return f;
	return NULL;
}

/* the definition a call from FROM reaches: its own file's, else a global */
struct fn *callee_of(struct fn *from, struct ident *id)
{
	struct fn *f, *global = NULL;

	for (f = fn_hash[hash_ptr(id)]; f; f = f->hnext) {
		if (f->sym->ident != id)
			continue;
		if (f->stream == from->stream)
			return f;
		if (!f->is_static && !global)
			global = f;
	}
	/* defined in another unit: its summary, when a first run wrote one */
	return global ? global : summary_db_lookup(id);
}

struct fn *fn_callee(struct fn *from, struct ident *id)
{
	return callee_of(from, id);
}

/* ---- call argument lock fields from the evaluated AST -------------------- */
/*
 * After evaluation the IR no longer says which struct member a pointer
 * argument points to (&EXT4_I(inode)->i_mmap_sem is "inode - 16"), but the
 * evaluated call expression still does: the argument's type is a pointer to
 * the member's symbol node.  Record it per call position.
 */
struct argfield {
	struct position pos;
	struct ident *fn;
	struct ident *member;
};
static struct argfield *argf;
static int nargf, argf_alloc;

/* a type without its SYM_NODE wrappers */
struct symbol *peel_node(struct symbol *t)
{
	while (t && t->type == SYM_NODE)
		t = t->ctype.base_type;
	return t;
}

/* the struct a pointer-typed expression points to */
static struct symbol *pointee_struct(struct expression *e)
{
	struct symbol *t = e ? peel_node(e->ctype) : NULL;

	if (!t || t->type != SYM_PTR)
		return NULL;
	t = peel_node(t->ctype.base_type);
	return t && t->type == SYM_STRUCT ? t : NULL;
}

/* the rw_semaphore member of struct ST at byte offset OFF, nested too */
static struct ident *member_at(struct symbol *st, long off, int depth)
{
	struct symbol *m, *mt;

	if (!st || depth > 4)
		return NULL;
	FOR_EACH_PTR(st->symbol_list, m) {
		long size;

		mt = peel_node(m->ctype.base_type);
		if (!mt)
			continue;
		size = mt->bit_size > 0 ? mt->bit_size / 8 : 0;
		if (off < (long)m->offset ||
		    off >= (long)m->offset + (size ? size : 1))
			continue;
		if ((long)m->offset == off && m->ident && mt->type == SYM_STRUCT &&
		    mt->ident && !strcmp(show_ident(mt->ident), "rw_semaphore"))
			return m->ident;
		if (mt->type == SYM_STRUCT || mt->type == SYM_UNION) {
			struct ident *r = member_at(mt, off - m->offset,
						    depth + 1);
			if (r)
				return r;
		}
	} END_FOR_EACH_PTR(m);
	return NULL;
}

static struct expression *peel_casts(struct expression *e)
{
	while (e && (e->type == EXPR_CAST || e->type == EXPR_IMPLIED_CAST ||
		     e->type == EXPR_FORCE_CAST))
		e = e->cast_expression;
	return e;
}

/*
 * After evaluation "&p->field" is "p + offsetof(field)" (or just p for a
 * first member): find the field from p's struct type and the offset.
 */
static struct ident *arg_member(struct expression *e)
{
	struct expression *inner;
	struct symbol *st;

	e = peel_casts(e);
	if (!e)
		return NULL;
	if (e->type == EXPR_BINOP && e->op == '+') {
		struct expression *l = peel_casts(e->left), *r = e->right;

		if (r && r->type == EXPR_VALUE) {
			st = pointee_struct(l);
			if (!st && e->left)
				st = pointee_struct(e->left);
			return member_at(st, (long)r->value, 0);
		}
		return NULL;
	}
	/* offset 0: the pointer itself, before its cast to the member type */
	inner = e;
	while (inner) {
		st = pointee_struct(inner);
		if (st && (!st->ident ||
			   strcmp(show_ident(st->ident), "rw_semaphore")))
			return member_at(st, 0, 0);
		if (inner->type == EXPR_CAST || inner->type == EXPR_IMPLIED_CAST ||
		    inner->type == EXPR_FORCE_CAST)
			inner = inner->cast_expression;
		else
			break;
	}
	return NULL;
}

static void walk_stmt(struct statement *s);

/*
 * rwsem_is_locked() is a static inline in the kernel: no call is left, only
 * its OP_INLINED_CALL marker, at the position of the inlined statement.
 * Its argument is the initializer of the statement's first parameter.
 */
static void note_inlined_assert(struct statement *s)
{
	struct symbol *a;
	struct ident *m;

	if (lookup_kind(s->inline_fn->ident) != CK_RWSEM_ASSERT ||
	    !s->args || s->args->type != STMT_DECLARATION)
		return;
	a = first_symbol(s->args->declaration);
	m = a ? arg_member(a->initializer) : NULL;
	if (!m)
		return;
	if (nargf == argf_alloc) {
		argf_alloc = argf_alloc ? 2 * argf_alloc : 64;
		argf = realloc(argf, argf_alloc * sizeof(*argf));
	}
	argf[nargf].pos = s->pos;
	argf[nargf].fn = s->inline_fn->ident;
	argf[nargf].member = m;
	nargf++;
}

/*
 * The call site of the outermost inlined helper being walked: calls inside
 * an inlined body carry the helper's own source position, which would put
 * a finding in a header.  They are moved to the line that calls the helper,
 * where a reader (and the other engines) expect it.
 */
static struct position *inline_site;
static int saw_layout_lock;

static void walk_expr(struct expression *e)
{
	struct expression *a, *fe;

	if (!e)
		return;
	switch (e->type) {
	case EXPR_CALL:
		if (inline_site)
			e->pos = *inline_site;
		walk_expr(e->fn);
		FOR_EACH_PTR(e->args, a) {
			walk_expr(a);
		} END_FOR_EACH_PTR(a);
		fe = e->fn;
		while (fe && ((fe->type == EXPR_PREOP && fe->op == '*') ||
			      fe->type == EXPR_CAST ||
			      fe->type == EXPR_IMPLIED_CAST))
			fe = fe->type == EXPR_PREOP ? fe->unop :
			     fe->cast_expression;
		if (fe && fe->type == EXPR_SYMBOL && fe->symbol) {
			struct ident *id = fe->symbol->ident;

			if (id == dax_layout_lock_ident)
				saw_layout_lock = 1;
			enum call_kind k = lookup_kind(id);

			if (k >= CK_RWSEM_WRITE && k <= CK_LOCKDEP_ASSERT) {
				struct expression *first = first_expression(e->args);
				struct ident *m = arg_member(first);

				if (m) {
					if (nargf == argf_alloc) {
						argf_alloc = argf_alloc ? 2 * argf_alloc : 64;
						argf = realloc(argf, argf_alloc * sizeof(*argf));
					}
					argf[nargf].pos = e->pos;
					argf[nargf].fn = id;
					argf[nargf].member = m;
					nargf++;
				}
			}
		}
		break;
	case EXPR_STATEMENT:
		walk_stmt(e->statement);
		break;
	case EXPR_BINOP: case EXPR_COMMA: case EXPR_COMPARE:
	case EXPR_LOGICAL: case EXPR_ASSIGNMENT:
		walk_expr(e->left);
		walk_expr(e->right);
		break;
	case EXPR_PREOP: case EXPR_POSTOP:
		walk_expr(e->unop);
		break;
	case EXPR_CAST: case EXPR_FORCE_CAST: case EXPR_IMPLIED_CAST:
		walk_expr(e->cast_expression);
		break;
	case EXPR_CONDITIONAL: case EXPR_SELECT:
		walk_expr(e->conditional);
		walk_expr(e->cond_true);
		walk_expr(e->cond_false);
		break;
	case EXPR_INITIALIZER:
		FOR_EACH_PTR(e->expr_list, a) {
			walk_expr(a);
		} END_FOR_EACH_PTR(a);
		break;
	case EXPR_POS:
		walk_expr(e->init_expr);
		break;
	case EXPR_IDENTIFIER:
		walk_expr(e->ident_expression);
		break;
	case EXPR_INDEX:
		walk_expr(e->idx_expression);
		break;
	case EXPR_SLICE:
		walk_expr(e->base);
		break;
	default:
		break;
	}
}

static void walk_syms(struct symbol_list *l)
{
	struct symbol *s;

	FOR_EACH_PTR(l, s) {
		if (s->initializer)
			walk_expr(s->initializer);
	} END_FOR_EACH_PTR(s);
}

static void walk_stmt(struct statement *s)
{
	struct statement *t;

	if (!s)
		return;
	switch (s->type) {
	case STMT_DECLARATION:
		walk_syms(s->declaration);
		break;
	case STMT_EXPRESSION:
		walk_expr(s->expression);
		break;
	case STMT_COMPOUND:
		if (s->inline_fn &&
		    s->inline_fn->ident == dax_layout_lock_ident)
			saw_layout_lock = 1;
		if (s->inline_fn)
			note_inlined_assert(s);
		if (s->inline_fn && !inline_site) {
			inline_site = &s->pos;
			walk_stmt(s->args);
			FOR_EACH_PTR(s->stmts, t) {
				walk_stmt(t);
			} END_FOR_EACH_PTR(t);
			inline_site = NULL;
			break;
		}
		walk_stmt(s->args);
		FOR_EACH_PTR(s->stmts, t) {
			walk_stmt(t);
		} END_FOR_EACH_PTR(t);
		break;
	case STMT_IF:
		walk_expr(s->if_conditional);
		walk_stmt(s->if_true);
		walk_stmt(s->if_false);
		break;
	case STMT_RETURN:
		walk_expr(s->ret_value);
		break;
	case STMT_CASE:
		walk_stmt(s->case_statement);
		break;
	case STMT_SWITCH:
		walk_expr(s->switch_expression);
		walk_stmt(s->switch_statement);
		break;
	case STMT_ITERATOR:
		walk_stmt(s->iterator_pre_statement);
		walk_expr(s->iterator_pre_condition);
		walk_stmt(s->iterator_statement);
		walk_stmt(s->iterator_post_statement);
		walk_expr(s->iterator_post_condition);
		break;
	case STMT_LABEL:
		walk_stmt(s->label_statement);
		break;
	case STMT_GOTO:
		walk_expr(s->goto_expression);
		break;
	default:
		break;
	}
}

static int same_pos(struct position a, struct position b)
{
	return a.stream == b.stream && a.line == b.line && a.pos == b.pos;
}

static struct ident *lookup_member(struct instruction *insn, struct ident *fn)
{
	int i;

	for (i = 0; i < nargf; i++)
		if (argf[i].fn == fn && same_pos(argf[i].pos, insn->pos))
			return argf[i].member;
	return NULL;
}

/* ---- values of lock-flag pseudos ------------------------------------------ */
pseudo_t call_arg(struct instruction *insn, int n)
{
	pseudo_t p = NULL;
	int i = 0;

	FOR_EACH_PTR(insn->arguments, p) {
		if (i++ == n)
			return p;
	} END_FOR_EACH_PTR(p);
	return NULL;
}

static int var_index(struct fn *f, struct symbol *s)
{
	int i;

	for (i = 0; i < f->nvars; i++)
		if (f->vars[i] == s)
			return i;
	return -1;
}

/* the name of the function a call instruction calls (NULL: indirect) */
struct ident *insn_call_name(struct instruction *insn)
{
	pseudo_t fp = insn->func;

	if (fp && fp->type == PSEUDO_SYM && fp->sym)
		return fp->sym->ident;
	return NULL;
}

static unsigned long long value_rec(pseudo_t p, const struct lstate *st,
				    struct fn *f, int may, int depth)
{
	const unsigned long long unknown = may ? ~0ULL : 0;
	struct instruction *d;
	unsigned long long a, b;
	pseudo_t src;
	int first;

	if (!p || depth > 12)
		return unknown;
	switch (p->type) {
	case PSEUDO_VAL:
		return (unsigned long long)p->value;
	case PSEUDO_PHI:
		d = p->def;
		if (!d || d->opcode != OP_PHISOURCE)
			return unknown;
		return value_rec(d->phi_src, st, f, may, depth + 1);
	case PSEUDO_REG:
		break;
	default:
		return unknown;
	}
	d = p->def;
	if (!d)
		return unknown;
	switch (d->opcode) {
	case OP_OR:
		a = value_rec(d->src1, st, f, may, depth + 1);
		b = value_rec(d->src2, st, f, may, depth + 1);
		return a | b;
	case OP_AND:
		a = value_rec(d->src1, st, f, may, depth + 1);
		b = value_rec(d->src2, st, f, may, depth + 1);
		return a & b;
	case OP_ZEXT: case OP_SEXT: case OP_TRUNC: case OP_COPY:
		return value_rec(d->src, st, f, may, depth + 1);
	case OP_LOAD:
		if (d->src && d->src->type == PSEUDO_SYM && d->offset == 0 && st) {
			int i = var_index(f, d->src->sym);

			if (i >= 0)
				return may ? st->vars[i].may : st->vars[i].must;
		}
		return unknown;
	case OP_SEL:
		a = value_rec(d->src2, st, f, may, depth + 1);
		b = value_rec(d->src3, st, f, may, depth + 1);
		return may ? (a | b) : (a & b);
	case OP_PHI:
		first = 1;
		a = 0;
		FOR_EACH_PTR(d->phi_list, src) {
			if (src == VOID)
				continue;
			b = value_rec(src, st, f, may, depth + 1);
			if (first)
				a = b;
			else
				a = may ? (a | b) : (a & b);
			first = 0;
		} END_FOR_EACH_PTR(src);
		return first ? unknown : a;
	case OP_CALL:
		if (lookup_kind(insn_call_name(d)) == CK_XFS_INUMORDER)
			return value_rec(call_arg(d, 0), st, f, may, depth + 1) &
				(may ? ~0ULL : L_XFS_MASK);
		return unknown;
	default:
		return unknown;
	}
}

unsigned long long value_must(pseudo_t p, const struct lstate *st, struct fn *f)
{
	return value_rec(p, st, f, 0, 0);
}

unsigned long long value_may(pseudo_t p, const struct lstate *st, struct fn *f)
{
	return value_rec(p, st, f, 1, 0);
}

int value_const(pseudo_t p, const struct lstate *st, struct fn *f,
		long long *out)
{
	unsigned long long a = value_must(p, st, f), b = value_may(p, st, f);

	if (a != b)
		return 0;
	*out = (long long)a;
	return 1;
}

/* ---- building a function's events ----------------------------------------- */
static struct ident *fault_member_ident(struct ident *m)
{
	return is_fault_field(m) ? m : NULL;
}

static void add_event(struct fn *f, struct event *e, int *alloc)
{
	if (f->nev == *alloc) {
		*alloc = *alloc ? 2 * *alloc : 16;
		f->ev = realloc(f->ev, *alloc * sizeof(*f->ev));
	}
	f->ev[f->nev++] = *e;
}

static int local_var(struct symbol *s)
{
	return s && !(s->ctype.modifiers & (MOD_TOPLEVEL | MOD_STATIC |
					     MOD_EXTERN));
}

static void track_var(struct fn *f, struct symbol *s)
{
	if (!local_var(s) || var_index(f, s) >= 0 || f->nvars >= MAX_VARS)
		return;
	f->vars[f->nvars++] = s;
}

static void build_events(struct fn *f)
{
	struct basic_block *bb;
	struct instruction *insn;
	int alloc = 0, idx = 0, n;

	n = ptr_list_size((struct ptr_list *)f->ep->bbs);
	f->bbs = calloc(n ? n : 1, sizeof(*f->bbs));
	FOR_EACH_PTR(f->ep->bbs, bb) {
		struct bbinfo *bi = &f->bbs[idx];

		bb->priv = (void *)(long)(idx + 1);
		bi->bb = bb;
		bi->first = f->nev;
		bi->in_loop = -1;
		FOR_EACH_PTR(bb->insns, insn) {
			struct event e;

			if (!insn->bb)
				continue;
			memset(&e, 0, sizeof(e));
			e.insn = insn;
			e.bbidx = idx;
			switch (insn->opcode) {
			case OP_CALL:
				e.name = insn_call_name(insn);
				if (!e.name)
					continue;
				e.kind = lookup_kind(e.name);
				if (e.kind == CK_NONE) {
					e.callee = callee_of(f, e.name);
					if (!e.callee || e.callee == f)
						continue;
				}
				if (e.kind >= CK_RWSEM_WRITE &&
				    e.kind <= CK_LOCKDEP_ASSERT) {
					e.member = fault_member_ident(
						lookup_member(insn, e.name));
					/* another rwsem: only its sleeping
					 * acquisitions matter (trylocks do not
					 * sleep) */
					if (!e.member)
						e.kind = (e.kind == CK_RWSEM_WRITE ||
							  e.kind == CK_RWSEM_READ) &&
							 !strstr(show_ident(e.name),
								 "trylock") ?
							 CK_WAKE_SLEEP : CK_NONE;
					if (e.kind == CK_NONE)
						continue;
				}
				if (e.kind == CK_BREAK_LAYOUTS) {
					pseudo_t a = call_arg(insn, 1);

					if (a && a->type == PSEUDO_SYM)
						track_var(f, a->sym);
				}
				if (e.callee) {
					/* a lock-flag word handed to a helper */
					pseudo_t a;

					FOR_EACH_PTR(insn->arguments, a) {
						if (a->type == PSEUDO_SYM)
							track_var(f, a->sym);
					} END_FOR_EACH_PTR(a);
				}
				break;
			case OP_INLINED_CALL:
				e.inlined = 1;
				e.name = insn_call_name(insn);
				e.kind = lookup_kind(e.name);
				/* WARN_ON(!rwsem_is_locked(&m->invalidate_lock)) */
				if (e.kind == CK_RWSEM_ASSERT &&
				    (e.member = fault_member_ident(
					lookup_member(insn, e.name))) != NULL)
					break;
				if (!inlined_kind_ok(e.kind))
					continue;
				break;
			case OP_STORE:
				if (!insn->src || insn->src->type != PSEUDO_SYM ||
				    !local_var(insn->src->sym))
					continue;
				break;
			case OP_RET:
				break;
			default:
				continue;
			}
			add_event(f, &e, &alloc);
		} END_FOR_EACH_PTR(insn);
		bi->n = f->nev - bi->first;
		idx++;
	} END_FOR_EACH_PTR(bb);
	f->nbbs = idx;

	/* stores are only events for the tracked lock-flag words */
	for (n = 0; n < f->nev; n++) {
		struct event *e = &f->ev[n];

		if (e->insn->opcode == OP_STORE) {
			/* a word that is stored a lock-bit constant somewhere */
			pseudo_t v = e->insn->target;

			if (v && v->type == PSEUDO_VAL && (v->value & L_XFS_MASK))
				track_var(f, e->insn->src->sym);
		}
		if (e->kind != CK_NONE && e->kind != CK_ALLOC &&
		    e->kind != CK_WAKE_SLEEP)
			f->interesting = 1;
	}
}

/* ---- loops ------------------------------------------------------------------ */
static int bbidx(struct basic_block *bb)
{
	return (int)(long)bb->priv - 1;
}

static int reaches(struct fn *f, struct basic_block *from,
		   struct basic_block *to, char *seen)
{
	struct basic_block **stack, *bb, *child;
	int sp = 0, found = 0;

	stack = malloc((f->nbbs + 1) * sizeof(*stack) * 4 + 64);
	stack[sp++] = from;
	while (sp && !found) {
		bb = stack[--sp];
		FOR_EACH_PTR(bb->children, child) {
			int i = bbidx(child);

			if (child == to) {
				found = 1;
				break;
			}
			if (i < 0 || i >= f->nbbs || seen[i])
				continue;
			seen[i] = 1;
			stack[sp++] = child;
		} END_FOR_EACH_PTR(child);
	}
	free(stack);
	return found;
}

int bb_in_loop(struct fn *f, struct basic_block *bb)
{
	struct event e;
	int i = bbidx(bb);

	if (i < 0 || i >= f->nbbs)
		return 0;
	memset(&e, 0, sizeof(e));
	e.bbidx = i;
	return ev_in_loop(f, &e);
}

int ev_in_loop(struct fn *f, struct event *e)
{
	struct bbinfo *bi = &f->bbs[e->bbidx];

	if (bi->in_loop < 0) {
		char *seen = calloc(f->nbbs + 1, 1);

		bi->in_loop = reaches(f, bi->bb, bi->bb, seen);
		free(seen);
	}
	return bi->in_loop;
}

/* ---- source text: assertions the preprocessor compiled away ---------------- */
struct srcfile {
	int stream;
	char **lines;
	int nlines;
};
static struct srcfile *srcs;
static int nsrcs;

static struct srcfile *source(int stream)
{
	struct srcfile *s;
	FILE *fp;
	char *line = NULL;
	size_t cap = 0;
	int i, alloc = 0;

	for (i = 0; i < nsrcs; i++)
		if (srcs[i].stream == stream)
			return &srcs[i];
	srcs = realloc(srcs, (nsrcs + 1) * sizeof(*srcs));
	s = &srcs[nsrcs++];
	memset(s, 0, sizeof(*s));
	s->stream = stream;
	fp = fopen(stream_name(stream), "r");
	if (!fp)
		return s;
	while (getline(&line, &cap, fp) >= 0) {
		if (s->nlines == alloc) {
			alloc = alloc ? 2 * alloc : 256;
			s->lines = realloc(s->lines, alloc * sizeof(char *));
		}
		s->lines[s->nlines++] = strdup(line);
	}
	free(line);
	fclose(fp);
	return s;
}

/* line LINE (1-based) of the file of STREAM, NULL if there is none */
const char *source_line(int stream, int line)
{
	struct srcfile *s = source(stream);

	return line >= 1 && line <= s->nlines ? s->lines[line - 1] : NULL;
}

/*
 * A call expanded from a macro argument (the wait command of
 * ___wait_var_event(.., cmd)) has the position of the macro's name: the
 * line of the statement, from P on, where NAME( is written.
 */
/* a character of a C identifier */
int is_ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

struct position call_text_pos(struct fn *f, struct position p,
			      const char *name)
{
	struct srcfile *s;
	size_t n = strlen(name);
	int l;

	if (p.stream != f->stream)
		return p;
	s = source(f->stream);
	for (l = p.line; l <= f->last_line && l <= s->nlines &&
	     l < (int)p.line + 12; l++) {
		const char *t = s->lines[l - 1], *q = t;

		while ((q = strstr(q, name)) != NULL) {
			const char *e = q + n;

			while (*e == ' ' || *e == '\t')
				e++;
			if (*e == '(' && (q == t || !is_ident_char(q[-1]))) {
				p.line = l;
				return p;
			}
			q += n;
		}
		if (strchr(t, ';'))
			break;
	}
	return p;
}

/* does F store a non-zero constant through a parameter (*retry = true)? */
int fn_sets_flag(struct fn *f)
{
	struct basic_block *bb;
	struct instruction *insn;

	if (f->stub)
		return f->stub_sets_flag;
	FOR_EACH_PTR(f->ep->bbs, bb) {
		FOR_EACH_PTR(bb->insns, insn) {
			if (!insn->bb || insn->opcode != OP_STORE)
				continue;
			if (insn->src && insn->src->type == PSEUDO_ARG &&
			    insn->target && insn->target->type == PSEUDO_VAL &&
			    insn->target->value)
				return 1;
		} END_FOR_EACH_PTR(insn);
	} END_FOR_EACH_PTR(bb);
	return 0;
}

/*
 * Does F set up a wait-queue wait (___wait_var_event(), wait_event*(): the
 * sleep is their command, which may be a function of another unit)?  These
 * calls are no events: look for them in the IR.
 */
static int fn_wait_queue(struct fn *f)
{
	static const char *const names[] = {
		"prepare_to_wait_event", "prepare_to_wait",
		"prepare_to_wait_exclusive", "init_wait_var_entry",
		"finish_wait",
	};
	struct basic_block *bb;
	struct instruction *insn;
	unsigned i;

	FOR_EACH_PTR(f->ep->bbs, bb) {
		FOR_EACH_PTR(bb->insns, insn) {
			struct ident *id;

			if (!insn->bb || insn->opcode != OP_CALL ||
			    !(id = insn_call_name(insn)))
				continue;
			for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
				if (id->len == strlen(names[i]) &&
				    !memcmp(id->name, names[i], id->len))
					return 1;
		} END_FOR_EACH_PTR(insn);
	} END_FOR_EACH_PTR(bb);
	return 0;
}

/* does F wait: a sleep, a wait-queue wait, a callee of the unit that does */
int fn_waits(struct fn *f, int depth)
{
	int k;

	if (!f || depth > 4)
		return 0;
	if (f->stub)
		return f->stub_waits;
	if (fn_wait_queue(f))
		return 1;
	for (k = 0; k < f->nev; k++) {
		struct event *e = &f->ev[k];

		if (e->kind == CK_SLEEP)
			return 1;
		if (e->kind == CK_NONE && e->callee && e->callee != f &&
		    fn_waits(e->callee, depth + 1))
			return 1;
	}
	return 0;
}

/*
 * Does the function's own text contain A followed (within the same
 * statement) by B?  Used for ASSERT(xfs_isilocked(..)) and
 * lockdep_assert_held*(..) that CONFIG_XFS_DEBUG=n / CONFIG_LOCKDEP=n
 * preprocess to nothing.
 */
int fn_source_mentions(struct fn *f, const char *a, const char *b)
{
	struct srcfile *s;
	int l;

	if (f->stub)
		return 0;
	s = source(f->stream);
	for (l = f->first_line; l <= f->last_line && l <= s->nlines; l++) {
		const char *t = s->lines[l - 1], *p;
		char buf[512];
		int k;

		p = strstr(t, a);
		if (!p)
			continue;
		if (strstr(p, "//") == p)
			continue;
		/* this line and up to three continuation lines */
		snprintf(buf, sizeof(buf), "%s", p);
		for (k = 1; k <= 3 && l + k <= s->nlines && !strchr(buf, ';'); k++)
			strncat(buf, s->lines[l + k - 1],
				sizeof(buf) - strlen(buf) - 1);
		if (strchr(buf, ';'))
			*strchr(buf, ';') = 0;
		if (!b || strstr(buf, b))
			return 1;
	}
	return 0;
}

/* does the file of STREAM define (DEFINE_STATIC_KEY*) the key NAME? */
int file_defines_key(int stream, const char *name)
{
	struct srcfile *s = source(stream);
	int l;

	for (l = 0; l < s->nlines; l++) {
		const char *p = strstr(s->lines[l], "DEFINE_STATIC_KEY");

		if (p && strstr(p, name))
			return 1;
	}
	return 0;
}

/* the function is one of the APIs of the lock table (its definition) */
int is_api(struct fn *f)
{
	return f->sym && lookup_kind(f->sym->ident) != CK_NONE;
}

/* what a call of the function named ID does, by the lock table */
enum call_kind call_kind_of(struct ident *id)
{
	return lookup_kind(id);
}

int wrapper_name(struct fn *f)
{
	return strstr(f->name, "break_layout") ||
	       strstr(f->name, "break_dax_layout") ||
	       strstr(f->name, "busy_page");
}

/*
 * A function whose missing lock is its own fault, not its callers': it
 * takes a fault lock itself (so it must hold it at the call), or it is a
 * static function nobody in the unit calls (an entry point reached through
 * an operations table).  Functions that assert the lock, and those that
 * take none ("wrappers") pass the obligation to their callers; an exported
 * wrapper with no caller in the unit has its callers elsewhere.
 */
int is_top(struct fn *f)
{
	if (f->asserts)
		return 0;
	return f->takes_fault || (f->ncallers == 0 && f->is_static);
}

struct position report_pos(struct fn *f, struct instruction *insn)
{
	struct position p = insn->pos;
	struct basic_block *bb;
	struct instruction *i;
	int after = 0;

	if (p.stream == f->stream && (int)p.line >= f->first_line &&
	    (int)p.line <= f->last_line)
		return p;
	/* inside an inlined helper: the helper's call site in this function */
	FOR_EACH_PTR(f->ep->bbs, bb) {
		if (bb == insn->bb)
			after = 1;
		if (!after)
			continue;
		FOR_EACH_PTR(bb->insns, i) {
			if (i == insn) {
				after = 2;
				continue;
			}
			if (after < 2 && bb == insn->bb)
				continue;
			if (i->opcode == OP_INLINED_CALL &&
			    i->pos.stream == f->stream &&
			    (int)i->pos.line >= f->first_line &&
			    (int)i->pos.line <= f->last_line)
				return i->pos;
		} END_FOR_EACH_PTR(i);
		after = 2;
	} END_FOR_EACH_PTR(bb);
	return p;
}

/* ---- lock objects ------------------------------------------------------------ */
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

static void rs_add(pseudo_t *roots, int *n, pseudo_t r)
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

static void rs_del(pseudo_t *roots, int *n, pseudo_t r, int known_flags)
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

static void roots_add(struct lstate *st, pseudo_t r)
{
	rs_add(st->roots, &st->nroots, r);
}

static void roots_del(struct lstate *st, pseudo_t r, int known_flags)
{
	rs_del(st->roots, &st->nroots, r, known_flags);
}

static void roots_join(struct lstate *a, const struct lstate *b)
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

/* ---- the dataflow ----------------------------------------------------------- */
static void join(struct lstate *a, const struct lstate *b, int nvars)
{
	int i;

	if (!b->reached)
		return;
	if (!a->reached) {
		*a = *b;
		return;
	}
	a->must &= b->must;
	a->may |= b->may;
	a->released |= b->released;
	a->taken |= b->taken;
	if (!a->layout_site)
		a->layout_site = b->layout_site;
	roots_join(a, b);
	for (i = 0; i < nvars; i++) {
		a->vars[i].must &= b->vars[i].must;
		a->vars[i].may |= b->vars[i].may;
	}
}

static int same_state(const struct lstate *a, const struct lstate *b, int n)
{
	int i;

	if (a->reached != b->reached || a->must != b->must ||
	    a->may != b->may || a->released != b->released ||
	    a->nroots != b->nroots)
		return 0;
	for (i = 0; i < a->nroots; i++)
		if (a->roots[i] != b->roots[i])
			return 0;
	if (a->niroots != b->niroots)
		return 0;
	for (i = 0; i < a->niroots; i++)
		if (a->iroots[i] != b->iroots[i])
			return 0;
	for (i = 0; i < n; i++)
		if (a->vars[i].must != b->vars[i].must ||
		    a->vars[i].may != b->vars[i].may)
			return 0;
	return 1;
}

static void acquire(struct lstate *st, unsigned bits)
{
	st->taken |= bits;
	st->must |= bits;
	st->may |= bits;
}

static void release(struct lstate *st, unsigned must_bits, unsigned may_bits)
{
	/* the fault lock assumed at entry is one abstract lock */
	if (may_bits & L_FAULT_EXCL)
		may_bits |= st->must & L_FAULT_EXCL &
			    ~(st->may & ~st->must & L_FAULT_EXCL);
	/* a lock released here that was not taken here is the caller's */
	st->released |= must_bits | (may_bits & st->may);
	st->must &= ~may_bits;
	st->may &= ~must_bits;
}

/* EXCL -> SHARED for the XFS lock bits */
static void demote(struct lstate *st, unsigned bits)
{
	unsigned excl = bits & (L_IOLOCK_EXCL | L_ILOCK_EXCL | L_MMAP_EXCL);

	st->released |= excl & st->may;
	st->must = (st->must & ~excl) | ((st->must & excl) << 1);
	st->may = (st->may & ~excl) | ((st->may & excl) << 1);
}

/* what xfs_isilocked(ip, F) proves */
static unsigned islocked_proof(unsigned f)
{
	unsigned out = 0, excl, shared;
	int i;

	for (i = 0; i < 3; i++) {
		excl = 1u << (2 * i);
		shared = 1u << (2 * i + 1);
		if ((f & excl) && !(f & shared))
			out |= excl | shared;
		else if (f & shared)
			out |= shared;
	}
	return out;
}

static void transfer(struct fn *f, struct event *e, struct lstate *st)
{
	struct instruction *insn = e->insn;
	unsigned must, may;
	int i;

	if (insn->opcode == OP_STORE) {
		i = var_index(f, insn->src->sym);
		if (i >= 0 && insn->offset == 0) {
			st->vars[i].must = value_must(insn->target, st, f);
			st->vars[i].may = value_may(insn->target, st, f);
		}
		return;
	}
	if (insn->opcode == OP_RET)
		return;
	if (e->callee && e->kind == CK_NONE) {
		struct fn *c = e->callee;

		release(st, c->rel, c->rel);
		if ((c->acq & L_MMAP_EXCL) && !(st->must & L_MMAP_EXCL))
			roots_add(st, ROOT_ANY);
		if (!(st->must & L_MMAP_EXCL))
			st->nroots = 0;
		if ((c->acq & L_INVAL_EXCL) && !(st->must & L_INVAL_EXCL))
			rs_add(st->iroots, &st->niroots, ROOT_ANY);
		if (!(st->must & L_INVAL_EXCL))
			st->niroots = 0;
		acquire(st, c->acq);
		return;
	}
	switch (e->kind) {
	case CK_XFS_ILOCK:
		must = value_must(call_arg(insn, 1), st, f) & L_XFS_MASK;
		if (must & L_MMAP_EXCL)
			roots_add(st, obj_root(call_arg(insn, 0)));
		acquire(st, must);
		break;
	case CK_XFS_IUNLOCK:
		must = value_must(call_arg(insn, 1), st, f) & L_XFS_MASK;
		may = value_may(call_arg(insn, 1), st, f) & L_XFS_MASK;
		if (may & L_MMAP_EXCL)
			roots_del(st, obj_root(call_arg(insn, 0)),
				  (must & L_MMAP_EXCL) != 0);
		release(st, must, may);
		if (!(st->must & L_MMAP_EXCL))
			st->nroots = 0;
		break;
	case CK_XFS_DEMOTE:
		demote(st, value_must(call_arg(insn, 1), st, f) & L_XFS_MASK);
		break;
	case CK_XFS_LOCK_TWO:
		must = (value_must(call_arg(insn, 1), st, f) |
			value_must(call_arg(insn, 3), st, f)) & L_XFS_MASK;
		if (must & L_MMAP_EXCL)
			roots_add(st, ROOT_ANY);
		acquire(st, must);
		break;
	case CK_XFS_ISLOCKED:
		must = islocked_proof(value_must(call_arg(insn, 1), st, f) &
				      L_XFS_MASK);
		if (must & L_MMAP_EXCL)
			roots_add(st, obj_root(call_arg(insn, 0)));
		acquire(st, must);
		break;
	case CK_RWSEM_WRITE:
	case CK_INVAL_LOCK:
		rs_add(st->iroots, &st->niroots, fault_obj(call_arg(insn, 0)));
		acquire(st, L_INVAL_EXCL | L_INVAL_SHARED);
		break;
	case CK_INVAL_LOCK_TWO:
		rs_add(st->iroots, &st->niroots, ROOT_ANY);
		acquire(st, L_INVAL_EXCL | L_INVAL_SHARED);
		break;
	case CK_RWSEM_READ:
	case CK_INVAL_LOCK_SHARED:
		acquire(st, L_INVAL_SHARED);
		break;
	case CK_RWSEM_UP_WRITE:
	case CK_INVAL_UNLOCK:
	case CK_INVAL_UNLOCK_TWO:
		rs_del(st->iroots, &st->niroots,
		       e->kind == CK_INVAL_UNLOCK_TWO ? ROOT_ANY :
		       fault_obj(call_arg(insn, 0)), 1);
		release(st, L_INVAL_EXCL | L_INVAL_SHARED,
			L_INVAL_EXCL | L_INVAL_SHARED);
		if (!(st->must & L_INVAL_EXCL))
			st->niroots = 0;
		break;
	case CK_RWSEM_UP_READ:
	case CK_INVAL_UNLOCK_SHARED:
		release(st, L_INVAL_SHARED, L_INVAL_SHARED);
		break;
	case CK_RWSEM_DOWNGRADE:
		release(st, L_INVAL_EXCL, L_INVAL_EXCL);
		st->niroots = 0;
		break;
	case CK_RWSEM_ASSERT:
	case CK_LOCKDEP_ASSERT:
		rs_add(st->iroots, &st->niroots, fault_obj(call_arg(insn, 0)));
		acquire(st, L_INVAL_EXCL | L_INVAL_SHARED);
		break;
	case CK_LAYOUT_LOCK:
		if (!(st->may & L_LAYOUT) || !st->layout_site)
			st->layout_site = insn;
		acquire(st, L_LAYOUT);
		break;
	case CK_LAYOUT_UNLOCK:
		release(st, L_LAYOUT, L_LAYOUT);
		break;
	default:
		break;
	}
}

static void run_dataflow(struct fn *f, unsigned entry_locks)
{
	int changed = 1, rounds = 0, b, k;

	free(f->in);
	free(f->out);
	f->in = calloc(f->nbbs + 1, sizeof(struct lstate));
	f->out = calloc(f->nbbs + 1, sizeof(struct lstate));
	while (changed && rounds++ < 64) {
		changed = 0;
		for (b = 0; b < f->nbbs; b++) {
			struct bbinfo *bi = &f->bbs[b];
			struct basic_block *p;
			struct lstate st;

			memset(&st, 0, sizeof(st));
			if (bi->bb == f->ep->entry->bb) {
				st.reached = 1;
				st.must = st.may = entry_locks;
				if (entry_locks & L_MMAP_EXCL)
					roots_add(&st, ROOT_ANY);
				if (entry_locks & L_INVAL_EXCL)
					rs_add(st.iroots, &st.niroots,
					       ROOT_ANY);
				for (k = 0; k < f->nvars; k++)
					st.vars[k].may = ~0ULL;
			}
			FOR_EACH_PTR(bi->bb->parents, p) {
				int pi = bbidx(p);

				if (pi >= 0 && pi < f->nbbs)
					join(&st, &f->out[pi], f->nvars);
			} END_FOR_EACH_PTR(p);
			f->in[b] = st;
			if (st.reached)
				for (k = 0; k < bi->n; k++)
					transfer(f, &f->ev[bi->first + k], &st);
			if (!same_state(&st, &f->out[b], f->nvars)) {
				f->out[b] = st;
				changed = 1;
			}
		}
	}
}

/* ---- summaries ------------------------------------------------------------- */
static unsigned req_locks(unsigned req)
{
	unsigned l = 0;

	if (req & REQ_FAULT)
		l |= L_FAULT_EXCL | L_INVAL_SHARED;
	if (req & REQ_MMAP)
		l |= L_MMAP_EXCL | L_MMAP_SHARED;
	return l;
}

/* what the event needs held: REQ_* bits */
static unsigned event_needs(struct fn *f, struct event *e,
			    const struct lstate *st)
{
	long long reason;

	if (is_busy_scan(e))
		return REQ_FAULT;
	if (e->kind == CK_BREAK_LAYOUTS &&
	    value_const(call_arg(e->insn, 2), st, f, &reason) && reason == 1)
		return REQ_MMAP;
	if (e->callee && e->kind == CK_NONE) {
		unsigned r = e->callee->req;

		if (e->callee->reason_param &&
		    value_const(call_arg(e->insn, e->callee->reason_param - 1),
				st, f, &reason) && reason == 1)
			r |= REQ_MMAP;
		return r;
	}
	return 0;
}

unsigned daxlint_event_needs(struct fn *f, struct event *e,
			     const struct lstate *st)
{
	return event_needs(f, e, st);
}

static int is_sleep(struct event *e)
{
	if (e->kind == CK_SLEEP)
		return 1;
	return e->callee && e->kind == CK_NONE && e->callee->sleeps;
}

/*
 * Does F unlock what may be the fault lock: an unlock of the invalidate
 * lock, or xfs_iunlock() with flags that may hold XFS_MMAPLOCK_EXCL (a
 * parameter: the seed's xfs_wait_var_event(inode, iolock, ..) drops the
 * caller's iolock word)?  Its sleeps are then not with the lock held.
 */
static int drops_fault(struct fn *f)
{
	struct lstate any;
	int k, i;

	memset(&any, 0, sizeof(any));
	for (i = 0; i < f->nvars; i++)
		any.vars[i].may = ~0ULL;
	for (k = 0; k < f->nev; k++) {
		struct event *e = &f->ev[k];

		if (e->kind == CK_INVAL_UNLOCK || e->kind == CK_INVAL_UNLOCK_TWO ||
		    e->kind == CK_RWSEM_UP_WRITE)
			return 1;
		if (e->kind == CK_XFS_IUNLOCK &&
		    (value_may(call_arg(e->insn, 1), &any, f) & L_MMAP_EXCL))
			return 1;
	}
	return 0;
}

static int summarize(struct fn *f)
{
	unsigned req = 0, acq = ~0u, rel = 0;
	int sleeps = 0, calls_busy = 0, sets_retry = 0, any_ret = 0;
	int iolock_param = 0, reason_param = 0, changed = 0;
	int fault_param = 0, breaks_unmap = 0, scans = 0;
	int b, k;

	run_dataflow(f, 0);
	for (b = 0; b < f->nbbs; b++) {
		struct lstate st = f->in[b];

		if (!st.reached)
			continue;
		for (k = 0; k < f->bbs[b].n; k++) {
			struct event *e = &f->ev[f->bbs[b].first + k];
			unsigned need = event_needs(f, e, &st);

			if ((need & REQ_FAULT) && !(st.must & L_FAULT_EXCL) &&
			    !(st.released & L_FAULT_EXCL))
				req |= REQ_FAULT;
			if ((need & REQ_MMAP) && !(st.must & L_MMAP_EXCL) &&
			    !(st.released & L_MMAP_EXCL))
				req |= REQ_MMAP;
			if (is_sleep(e) && !(st.released & L_FAULT_EXCL) &&
			    !drops_fault(f))
				sleeps = 1;
			if (e->kind == CK_BREAK_LAYOUTS ||
			    (e->callee && e->kind == CK_NONE &&
			     e->callee->reason_param)) {
				/* the reason is one of our parameters */
				int nr = e->kind == CK_BREAK_LAYOUTS ? 3 :
					 e->callee->reason_param;
				pseudo_t a = call_arg(e->insn, nr - 1);

				if (a && a->type == PSEUDO_ARG) {
					reason_param = a->nr;
					nr = e->kind == CK_BREAK_LAYOUTS ? 2 :
					     e->callee->iolock_param;
					a = nr ? call_arg(e->insn, nr - 1) : NULL;
					if (a && a->type == PSEUDO_ARG)
						iolock_param = a->nr;
				}
			}
			if (need & REQ_MMAP) {
				/* which of our parameters is the iolock word */
				int nr = e->kind == CK_BREAK_LAYOUTS ? 2 :
					 e->callee->iolock_param;
				pseudo_t a = nr ? call_arg(e->insn, nr - 1) : NULL;

				if (a && a->type == PSEUDO_ARG)
					iolock_param = a->nr;
			}
			if (need & REQ_MMAP)
				breaks_unmap = 1;
			if (need & REQ_FAULT) {
				scans = 1;
				/* which of our parameters is the inode scanned */
				pseudo_t o = event_fault_obj(e);
				int nr = o && o->type == PSEUDO_ARG ? (int)o->nr : -1;

				if (!fault_param)
					fault_param = nr;
				else if (fault_param != nr)
					fault_param = -1;
			}
			if (e->kind == CK_BUSY_PAGE && !e->inlined)
				calls_busy = 1;
			if (e->insn->opcode == OP_RET) {
				any_ret = 1;
				acq &= st.must;
				/* the caller's locks it leaves released */
				rel |= st.released & ~st.must & ~st.taken;
			}
			transfer(f, e, &st);
		}
	}
	if (!any_ret)
		acq = 0;
	/* a function that must hold the lock itself reports, not its callers */
	if (is_top(f))
		req = 0;
	/*
	 * an assertion of the lock passes the obligation to the callers, if
	 * there is one: a scan, or a callee that requires it (an assertion
	 * alone is the function's own precondition, not this rule's)
	 */
	if ((f->asserts & REQ_FAULT) && scans)
		req |= REQ_FAULT;
	/*
	 * ... and an assertion of XFS_MMAPLOCK_EXCL is break-layouts-mmaplock's
	 * business only on the way to xfs_break_layouts(BREAK_UNMAP); a bare
	 * busy-page scan that asserts it is busy-page-locked's (REQ_FAULT).
	 */
	if ((f->asserts & REQ_MMAP) && breaks_unmap)
		req |= REQ_MMAP;
	(void)sets_retry;
	acq &= L_XFS_MASK | L_INVAL_EXCL | L_INVAL_SHARED;
	rel &= L_XFS_MASK | L_INVAL_EXCL | L_INVAL_SHARED;
	if (iolock_param != f->iolock_param ||
	    reason_param != f->reason_param ||
	    fault_param != f->fault_param) {
		f->iolock_param = iolock_param;
		f->reason_param = reason_param;
		f->fault_param = fault_param;
		changed = 1;
	}
	if (changed || req != f->req || acq != f->acq || rel != f->rel ||
	    sleeps != f->sleeps || calls_busy != f->calls_busy ||
	    scans != f->scans) {
		f->scans = scans;
		f->req = req;
		f->acq = acq;
		f->rel = rel;
		f->sleeps = sleeps;
		f->calls_busy = calls_busy;
		return 1;
	}
	return 0;
}

/* the lock a function asserts, from its IR or its source text */
static void find_asserts(struct fn *f)
{
	int k, i;

	for (k = 0; k < f->nev; k++) {
		struct event *e = &f->ev[k];
		struct lstate none;

		memset(&none, 0, sizeof(none));
		if (e->kind == CK_XFS_ISLOCKED &&
		    (value_must(call_arg(e->insn, 1), &none, f) & L_MMAP_EXCL) &&
		    !(value_must(call_arg(e->insn, 1), &none, f) & L_MMAP_SHARED))
			f->asserts |= REQ_FAULT | REQ_MMAP;
		if (e->kind == CK_RWSEM_ASSERT || e->kind == CK_LOCKDEP_ASSERT)
			f->asserts |= REQ_FAULT;
	}
	for (k = 0; k < f->nev; k++) {
		struct event *e = &f->ev[k];
		struct lstate none;

		memset(&none, 0, sizeof(none));
		for (i = 0; i < f->nvars; i++)
			none.vars[i].may = ~0ULL;
		switch (e->kind) {
		case CK_XFS_ILOCK:
		case CK_XFS_LOCK_TWO:
			/* any inode lock: the function manages locking */
			f->takes_fault = 1;
			break;
		case CK_WAKE_SLEEP:
			/* down_write/down_read of another rwsem (i_rwsem) */
			if (e->name &&
			    (!strncmp(show_ident(e->name), "down_", 5) ||
			     !strncmp(show_ident(e->name), "inode_lock", 10)))
				f->takes_fault = 1;
			break;
		case CK_RWSEM_WRITE: case CK_RWSEM_READ:
		case CK_INVAL_LOCK: case CK_INVAL_LOCK_SHARED:
		case CK_INVAL_LOCK_TWO:
		/* releasing it: the owner, even with the lock missing */
		case CK_XFS_IUNLOCK: case CK_RWSEM_UP_WRITE:
		case CK_INVAL_UNLOCK: case CK_INVAL_UNLOCK_TWO:
			f->takes_fault = 1;
			break;
		default:
			break;
		}
	}
	if (fn_source_mentions(f, "xfs_isilocked(", "MMAPLOCK_EXCL") ||
	    fn_source_mentions(f, "xfs_assert_ilocked(", "MMAPLOCK_EXCL"))
		f->asserts |= REQ_FAULT | REQ_MMAP;
	if (fn_source_mentions(f, "lockdep_assert_held", "invalidate_lock") ||
	    fn_source_mentions(f, "lockdep_assert_held", "i_mmap_sem"))
		f->asserts |= REQ_FAULT;
}

static void final_check(struct fn *f)
{
	int b, k, h;

	if (is_api(f))
		return;
	unsigned entry = is_top(f) ? 0 : req_locks(f->req);

	run_dataflow(f, entry);
	for (b = 0; b < f->nbbs; b++) {
		struct lstate st = f->in[b];

		if (!st.reached)
			continue;
		for (k = 0; k < f->bbs[b].n; k++) {
			struct event *e = &f->ev[f->bbs[b].first + k];
			struct event_ctx c;

			c.fn = f;
			c.ev = e;
			c.st = &st;
			c.in_loop = -1;
			if (e->insn->opcode == OP_RET) {
				for (h = 0; h < nret_hooks; h++)
					ret_hooks[h](&c);
			} else if (e->insn->opcode != OP_STORE) {
				for (h = 0; h < nev_hooks; h++)
					ev_hooks[h](&c);
			}
			transfer(f, e, &st);
		}
	}
	for (h = 0; h < nfn_hooks; h++)
		fn_hooks[h](f);
}

static void reset_tu(void)
{
	int i;

	for (i = 0; i < nfns; i++) {
		free(fns[i]->ev);
		free(fns[i]->bbs);
		free(fns[i]->in);
		free(fns[i]->out);
		free(fns[i]->ubl_items);
		free(fns[i]);
	}
	nfns = 0;
	nargf = 0;
	memset(fn_hash, 0, sizeof(fn_hash));
}

/*
 * One file is one translation unit; with DAXLINT_SPARSE_UNIT=1 (standalone
 * checks of a fixture directory) every file given is collected first and
 * the unit is analysed once, as one, at the end.
 */
static int unit_mode = -1;

void daxlint_collect_symbols(struct symbol_list *list)
{
	struct symbol *sym;
	int k;

	init_tables();
	FOR_EACH_PTR(list, sym) {
		struct entrypoint *ep;
		struct symbol *base;
		struct fn *f;

		expand_symbol(sym);
		for (k = 0; k < nsym_hooks; k++)
			sym_hooks[k](sym);
		base = sym->ctype.base_type;
		saw_layout_lock = 0;
		if (base && base->type == SYM_FN && base->stmt && sym->ident)
			walk_stmt(base->stmt);
		ep = linearize_symbol(sym);
		if (!ep || !ep->entry || !sym->ident)
			continue;
		f = calloc(1, sizeof(*f));
		f->sym = sym;
		f->ep = ep;
		f->name = strdup(show_ident(sym->ident));
		f->uses_layout_lock = saw_layout_lock;
		f->is_static = !!(sym->ctype.modifiers & MOD_STATIC);
		f->is_inline = !!(sym->ctype.modifiers & MOD_INLINE);
		f->stream = sym->pos.stream;
		f->first_line = sym->pos.line;
		f->last_line = 1 << 30;
		if (nfns == fns_alloc) {
			fns_alloc = fns_alloc ? 2 * fns_alloc : 64;
			fns = realloc(fns, fns_alloc * sizeof(*fns));
		}
		fns[nfns++] = f;
		f->hnext = fn_hash[hash_ptr(sym->ident)];
		fn_hash[hash_ptr(sym->ident)] = f;
	} END_FOR_EACH_PTR(sym);
}

void daxlint_analyze(void)
{
	int i, k, pass, changed;
	/* robustness runs: every function through the dataflow and checks */
	int all = getenv("DAXLINT_SPARSE_ALL") && *getenv("DAXLINT_SPARSE_ALL") == '1';

	/* a function's text ends where the next one of its file starts */
	for (i = 0; i < nfns; i++)
		for (k = 0; k < nfns; k++)
			if (fns[k]->stream == fns[i]->stream &&
			    fns[k]->first_line > fns[i]->first_line &&
			    fns[k]->first_line - 1 < fns[i]->last_line)
				fns[i]->last_line = fns[k]->first_line - 1;
	/* events once every function of the unit is known (callees) */
	for (i = 0; i < nfns; i++)
		build_events(fns[i]);
	for (i = 0; i < nfns; i++) {
		struct fn *f = fns[i];

		for (k = 0; k < f->nev; k++) {
			struct event *e = &f->ev[k];

			if (e->callee && e->callee != f) {
				e->callee->ncallers++;
				if (ev_in_loop(f, e))
					e->callee->nloop_callers++;
			}
		}
		if (all)
			f->interesting = 1;
		/* cheap: every function, it may become interesting later */
		find_asserts(f);
	}
	for (pass = 0, changed = 1; changed && pass < 10; pass++) {
		changed = 0;
		for (i = 0; i < nfns; i++) {
			struct fn *f = fns[i];
			int want = f->interesting;

			for (k = 0; !want && k < f->nev; k++) {
				struct fn *c = f->ev[k].callee;

				if (c && f->ev[k].kind == CK_NONE &&
				    (c->req || c->acq || c->rel || c->sleeps ||
				     c->reason_param || c->iolock_param))
					want = 1;
			}
			if ((f->ev || all) && want && !f->is_inline) {
				f->interesting = 1;
				changed |= summarize(f);
			}
		}
	}
	for (i = 0; i < nfns; i++)
		if (fns[i]->interesting && !fns[i]->is_inline)
			final_check(fns[i]);
	for (i = 0; i < nunit_hooks; i++)
		unit_hooks[i](fns, nfns);
	summary_db_write(fns, nfns);
	reset_tu();
}

void daxlint_check_symbols(struct symbol_list *list)
{
	if (unit_mode < 0) {
		const char *u = getenv("DAXLINT_SPARSE_UNIT");

		unit_mode = u && *u == '1';
	}
	daxlint_collect_symbols(list);
	if (!unit_mode)
		daxlint_analyze();
}

void daxlint_finish(void)
{
	if (unit_mode > 0)
		daxlint_analyze();
}
