/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daxlint.h - the daxlint sparse checker: a small lock-state engine over
 * sparse's linearized IR (lockstate.c) and one check per rule (check_*.c),
 * the way smatch separates smatch_locking.c from its check_*.c files.
 */
#ifndef DAXLINT_H
#define DAXLINT_H

#include <stdio.h>

#include "lib.h"
#include "allocate.h"
#include "token.h"
#include "parse.h"
#include "symbol.h"
#include "expression.h"
#include "linearize.h"
#include "flow.h"

/* ---- abstract locks: bits of a lock set ------------------------------ */
/* the XFS inode lock bits are the kernel's own values (xfs_inode.h) */
#define L_IOLOCK_EXCL	(1u << 0)
#define L_IOLOCK_SHARED	(1u << 1)
#define L_ILOCK_EXCL	(1u << 2)
#define L_ILOCK_SHARED	(1u << 3)
#define L_MMAP_EXCL	(1u << 4)
#define L_MMAP_SHARED	(1u << 5)
#define L_XFS_MASK	0x3fu
/* mapping->invalidate_lock or ext4's i_mmap_sem held for write */
#define L_INVAL_EXCL	(1u << 6)
#define L_INVAL_SHARED	(1u << 7)
/* dax_layout_lock() (v7): an RCU read-side section */
#define L_LAYOUT	(1u << 8)
/* the page-fault-blocking lock held exclusively, whichever fs spelling */
#define L_FAULT_EXCL	(L_MMAP_EXCL | L_INVAL_EXCL)

/* ---- what a call does ------------------------------------------------ */
enum call_kind {
	CK_NONE = 0,
	CK_XFS_ILOCK,		/* xfs_ilock(ip, F), xfs_ilock_nowait */
	CK_XFS_IUNLOCK,		/* xfs_iunlock(ip, F) */
	CK_XFS_DEMOTE,		/* xfs_ilock_demote(ip, F) */
	CK_XFS_LOCK_TWO,	/* xfs_lock_two_inodes(ip0, F0, ip1, F1) */
	CK_XFS_ISLOCKED,	/* xfs_isilocked / xfs_assert_ilocked: proof */
	CK_XFS_INUMORDER,	/* xfs_lock_inumorder(F, n): value F */
	CK_RWSEM_WRITE,		/* down_write(&x->field) (+ _killable etc.) */
	CK_RWSEM_READ,
	CK_RWSEM_UP_WRITE,
	CK_RWSEM_UP_READ,
	CK_RWSEM_DOWNGRADE,
	CK_RWSEM_ASSERT,	/* rwsem_is_locked(&x->field) in a WARN_ON */
	CK_LOCKDEP_ASSERT,	/* lockdep_assert_held*(&x->field) as a call */
	CK_INVAL_LOCK,		/* filemap_invalidate_lock(mapping) */
	CK_INVAL_UNLOCK,
	CK_INVAL_LOCK_SHARED,
	CK_INVAL_UNLOCK_SHARED,
	CK_INVAL_LOCK_TWO,
	CK_INVAL_UNLOCK_TWO,
	CK_LAYOUT_LOCK,		/* dax_layout_lock(), rcu_read_lock() */
	CK_LAYOUT_UNLOCK,
	CK_BUSY_PAGE,		/* dax_layout_busy_page(_range) */
	CK_BREAK_LAYOUTS,	/* xfs_break_layouts(inode, &iolock, reason) */
	CK_GUP_WALK,		/* follow_page_mask, gup_pgd_range */
	CK_SLEEP,		/* schedule() and friends */
	CK_ALLOC,		/* kmalloc-like: sleeps with __GFP_DIRECT_RECLAIM */
	CK_WAKE_SLEEP,		/* faultin_page etc: may sleep (gup) */
	CK_PGMAP_GET,		/* dev_pagemap_get_ops, devmap_managed_enable_get */
	CK_PGMAP_PUT,
	CK_STATIC_BRANCH,	/* static_branch_*(), static_key_*() */
	CK_NR
};

/* ---- tracked local variables (address-taken lock-flag words) --------- */
#define MAX_VARS 8
#define MAX_ROOTS 4
#define ROOT_ANY ((pseudo_t)1)
struct varval {
	unsigned long long must;	/* bits surely set */
	unsigned long long may;		/* bits possibly set */
};

/* the lock state at a program point */
struct lstate {
	int reached;
	unsigned must;		/* locks held on every path */
	unsigned may;		/* locks held on some path */
	unsigned released;	/* locks this function may have released */
	unsigned taken;		/* locks this function may have taken */
	struct instruction *layout_site;	/* the dax_layout_lock() taken */
	/*
	 * The inodes XFS_MMAPLOCK_EXCL is held on, when known (a must-set:
	 * joins intersect).  ROOT_ANY: held on the caller's inode (assumed at
	 * entry, or taken on an inode the engine cannot name).
	 */
	int nroots;
	pseudo_t roots[MAX_ROOTS];
	/* the same for the invalidate_lock / i_mmap_sem held for write */
	int niroots;
	pseudo_t iroots[MAX_ROOTS];
	struct varval vars[MAX_VARS];
};

/* rule ids: bits of a function's requirement summary */
enum rule_id {
	R_GUP = 0,
	R_BREAK_MMAP,
	R_BUSY_LOCKED,
	R_BUSY_WAIT,
	R_UNMAP_BREAKS,
	R_PGMAP,
	R_DEVMAP_PUT,
	R_NR
};
extern const char *rule_name[R_NR];
extern int rule_enabled[R_NR];

struct fn;

/* one relevant instruction of a function */
struct event {
	struct instruction *insn;
	enum call_kind kind;
	int inlined;		/* an OP_INLINED_CALL marker */
	struct fn *callee;	/* a function defined in this translation unit */
	struct ident *name;	/* callee name (calls, inlined calls) */
	struct ident *member;	/* first argument's lock field, if any */
	int bbidx;
};

/* the events of one basic block: fn->ev[first .. first + n) */
struct bbinfo {
	struct basic_block *bb;
	int first, n;
	int in_loop;		/* -1 unknown, 0, 1 */
};

struct fn {
	struct symbol *sym;
	struct entrypoint *ep;
	const char *name;
	int is_static, is_inline;
	int uses_layout_lock;	/* calls dax_layout_lock(), maybe inlined */
	int first_line, last_line, stream;
	struct event *ev;
	int nev;
	struct bbinfo *bbs;
	int nbbs;
	int interesting;	/* has lock or rule events */
	int ncallers;		/* calls from other functions of this TU */
	int nloop_callers;	/* ... of which inside a loop */
	/* summary */
	unsigned req;		/* locks required at entry (L_* bits) */
	unsigned acq;		/* locks held at every return */
	unsigned rel;		/* locks possibly released at return */
	int sleeps;		/* may sleep without releasing its caller's locks */
	int asserts;		/* asserts the fault lock (ASSERT/lockdep/WARN) */
	int takes_fault;	/* takes a fault-blocking lock itself */
	int reason_param;	/* 1-based parameter passed on as the reason */
	int iolock_param;	/* 1-based parameter passed on as the iolock
				   word of xfs_break_layouts(BREAK_UNMAP) */
	int fault_param;	/* 1-based parameter naming the inode (or
				   mapping) whose fault lock REQ_FAULT is */
	int walks;		/* calls a gup walker */
	int sets_retry;		/* stores a constant through a pointer argument */
	int calls_busy;		/* calls dax_layout_busy_page (or a wrapper) */
	int scans;		/* reaches a busy-page scan, maybe through
				   callees (a layout break); calls_busy
				   implies it */
	/* dataflow */
	struct symbol *vars[MAX_VARS];
	int nvars;
	struct lstate *in, *out;	/* per basic block */
	struct fn *hnext;	/* ident hash chain */
	/* a function of another unit, known by its summary (summary_db.c) */
	struct ident *stub;
	const char *stub_file;	/* the file its summary names */
	int stub_waits, stub_sets_flag;
	/*
	 * unmap-breaks-layouts across units: UBL_* facts, and the truncations
	 * its entry reaches without a layout break
	 * (check_unmap_breaks_layouts.c encodes them; "-": none)
	 */
	int ubl;
	char *ubl_items;
};


/* lockstate.c */
struct event_ctx {
	struct fn *fn;
	struct event *ev;
	const struct lstate *st;	/* the state before the event */
	int in_loop;
};
typedef void (*event_hook)(struct event_ctx *c);
typedef void (*fn_hook)(struct fn *f);
void register_event_hook(event_hook h);
void register_fn_hook(fn_hook h);
void register_ret_hook(event_hook h);
/* every top-level symbol of the unit, as it is collected (tables, aops) */
typedef void (*sym_hook)(struct symbol *sym);
void register_sym_hook(sym_hook h);
/* once per unit, after the summaries and the per-function checks */
typedef void (*unit_hook)(struct fn **fns, int nfns);
void register_unit_hook(unit_hook h);
struct fn *callee_of(struct fn *from, struct ident *id);
const char *source_line(int stream, int line);
void daxlint_check_symbols(struct symbol_list *list);
void daxlint_finish(void);
/* fn->ubl */
#define UBL_TRUNCS	1	/* may truncate or free blocks (itself or
				   through callees) */
#define UBL_BREAKS	2	/* may break layouts, truncates nothing */
#define UBL_DAXFS	4	/* its unit shows that the filesystem has
				   DAX inodes */
#define UBL_DAXPRED	8	/* returns IS_DAX() of an inode */
#define UBL_NDAXPRED	16	/* returns !IS_DAX() of an inode */
#define UBL_REASON_SHIFT 8	/* (n << 8): breaks nothing when its
				   parameter n is BREAK_WRITE */

/* requirement summary bits (fn->req) */
#define REQ_FAULT	1u	/* the fault lock (any spelling), exclusive */
#define REQ_MMAP	2u	/* XFS_MMAPLOCK_EXCL itself */

unsigned long long value_must(pseudo_t p, const struct lstate *st,
			      struct fn *f);
unsigned long long value_may(pseudo_t p, const struct lstate *st,
			     struct fn *f);
int value_const(pseudo_t p, const struct lstate *st, struct fn *f,
		long long *out);
pseudo_t call_arg(struct instruction *insn, int n);
struct ident *insn_call_name(struct instruction *insn);
int is_ident_char(char c);
int ev_in_loop(struct fn *f, struct event *e);
int bb_in_loop(struct fn *f, struct basic_block *bb);
struct fn *fn_by_ident(struct ident *id);
struct fn *fn_callee(struct fn *from, struct ident *id);
int is_top(struct fn *f);
int fn_source_mentions(struct fn *f, const char *a, const char *b);
struct position call_text_pos(struct fn *f, struct position p,
			      const char *name);
int fn_waits(struct fn *f, int depth);
int fn_sets_flag(struct fn *f);
int wrapper_name(struct fn *f);
int is_api(struct fn *f);
enum call_kind call_kind_of(struct ident *id);
pseudo_t obj_root(pseudo_t p);
int same_obj(pseudo_t a, pseudo_t b);
int mmap_held_on(const struct lstate *st, pseudo_t inode);
pseudo_t fault_obj(pseudo_t p);
int is_busy_scan(struct event *e);
pseudo_t event_fault_obj(struct event *e);
int fault_held_on(const struct lstate *st, pseudo_t obj);
unsigned daxlint_event_needs(struct fn *f, struct event *e,
			     const struct lstate *st);
int file_defines_key(int stream, const char *name);
struct position report_pos(struct fn *f, struct instruction *insn);

/* summary_db.c: summaries across translation units */
struct fn *summary_db_lookup(struct ident *id);
int summary_db_active(void);
int summary_db_writing(void);
void summary_db_unit_dax(int dax);
void summary_db_write(struct fn **fns, int nfns);
void summary_db_set_output(const char *path);

/* unit_record.c: what a run read and wrote, for the driver's cache */
void unit_record_init(int argc, char **argv);
char *unit_record_path(const char *unit, const char *suffix);
void unit_record_lookup(const char *name);
void unit_record_finish(const char *unit);
void json_string(FILE *fp, const char *s);

/* refstate.c: reference-count pairs over the IR, paths over the AST */
int profile_is(const char *const *profiles);
int ident_in(struct ident *id, const char *const *names);
int fn_in_c_file(struct fn *f);
int source_calls_at(struct position pos, const char *name);
struct symbol *fn_return_type(struct fn *f);
struct symbol *peel_node(struct symbol *t);

/* -- the IR: a reference count held on each path (joins unite) ------- */
#define RC_NEG	1u	/* one more put than gets on the path */
#define RC_0	2u
#define RC_1	4u
#define RC_MANY	8u	/* two gets or more */
#define RC_HELD	(RC_1 | RC_MANY)
#define MAX_FACTS 8
/* what a conditional branch taken on the path says about a value */
struct rfact {
	pseudo_t p;
	int err;		/* 1: the value is a failure, 0: a success */
};
struct rstate {
	int reached;
	unsigned counts;	/* RC_* bits: the counts possible here */
	struct instruction *site;	/* a get on some path to here */
	int nfacts;		/* facts true on every path (joins intersect) */
	struct rfact facts[MAX_FACTS];
};
enum ref_op { REF_NONE, REF_TAKE, REF_DROP };
struct refflow;
typedef enum ref_op (*ref_classify)(struct refflow *rf,
				    struct instruction *insn);
struct refflow {
	struct fn *f;
	ref_classify classify;	/* OP_CALL and OP_INLINED_CALL */
	void *data;
	struct rstate *in, *out;	/* per basic block (fn->bbs) */
};
void refflow_run(struct refflow *rf);
void refflow_free(struct refflow *rf);
void refflow_state_before(struct refflow *rf, struct instruction *insn,
			  struct rstate *st);
/* the ways out of the function (reachable from FROM, all when NULL) */
typedef void (*ref_exit_cb)(struct refflow *rf, pseudo_t val,
			    struct instruction *at, const struct rstate *st,
			    void *data);
void refflow_exits(struct refflow *rf, struct basic_block *from,
		   ref_exit_cb cb, void *data);
int ref_value_is_error(struct fn *f, pseudo_t v, const struct rstate *st);
int fn_calls_result_tested(struct fn *f, pseudo_t v);

/* -- the AST: calls in evaluation order, must-facts over every path --- */
struct ident *ast_call_name(struct expression *e);
struct expression *ast_call_arg(struct expression *e, int n);
int ast_is_call(struct expression *e);
struct symbol *ast_symbol(struct expression *e);
struct statement *fn_body(struct fn *f);
/* a pre-order visit of the function's own code (not inlined bodies) */
struct astvisit {
	/* enter (1) and leave (0) of each statement */
	void (*stmt)(struct astvisit *v, struct statement *s, int enter);
	void (*expr)(struct astvisit *v, struct expression *e);
	void *data;
};
void ast_visit_stmt(struct astvisit *v, struct statement *s);
void ast_visit_expr(struct astvisit *v, struct expression *e);
void ast_visit_body(struct astvisit *v, struct statement *body);
/* a forward walk of every path: BITS are facts established by calls */
struct aws {
	int reached;
	unsigned bits;		/* facts true on every path to here */
};
struct astwalk {
	struct fn *f;
	struct statement *body;	/* instead of f's (an inlined copy) */
	/* a call, with the state before it: the facts the call establishes */
	unsigned (*call)(struct astwalk *w, struct expression *call,
			 struct ident *name, const struct aws *before);
	void *data;
	int loops;		/* while/for loops around the current point */
	/* private */
	int nlabels, alabels, changed;
	struct awlabel *labels;
	int nswitch;
	struct aws sw[16];
	int swdefault[16];
};
void ast_walk_fn(struct astwalk *w);

/* main.c: output */
void report(enum rule_id r, struct fn *f, struct position pos,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* a finding in a function of another unit (known by its summary) */
void report_at(enum rule_id r, const char *function, const char *file,
	       int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* check_*.c */
void check_gup_layout_lock_init(void);
void check_break_layouts_mmaplock_init(void);
void check_busy_page_locked_init(void);
void check_busy_page_wait_init(void);
void check_pagemap_ops_balance_init(void);
void check_unmap_breaks_layouts_init(void);
/* after each file is parsed, before its tokens are freed: the macro
   values the check needs (S_DAX) */
void unmap_breaks_note_macros(void);
void check_devmap_put_init(void);

#endif
