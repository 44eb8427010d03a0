/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ubl.h - what the files of unmap-breaks-layouts share: the unit's
 * functions and calls as the rule sees them and what a call does
 * (ubl_calls.c), the paths through them (ubl_paths.c), the summaries
 * across units (ubl_summary.c), used by the decision
 * (check_unmap_breaks_layouts.c).  Each file calls only those listed
 * before it.
 */
#ifndef DAXLINT_UBL_H
#define DAXLINT_UBL_H

#include "daxlint.h"

struct call {
	struct instruction *insn;
	struct fn *callee;	/* a function of the unit (not inlined), or
				   of another unit known by its summary */
	const char *name;
	int bb;			/* index in fn->bbs */
	int prim;		/* a truncation primitive written here */
	int strunc;		/* a function of another unit of the
				   filesystem that may truncate */
};

/* what the paths from a function's entry to a call have done */
#define UNB_ANY		1u	/* some path reaches it without a break */
#define UNB_SIZED	2u	/* ... one that took the ATTR_SIZE side */

struct uinfo {
	struct fn *f;
	struct call *calls;
	int ncalls;
	int ncallers;
	int entry;		/* 1 + enum entry_op, 0: none */
	int by_type;		/* entry found by its type */
	int freer;		/* the unit's block-freeing routine */
	int truncs;		/* (transitively) truncates */
	int breaks;		/* may reach the busy-page scan */
	int visiting;
	unsigned char *unb;	/* UNB_* per call (analyse()), NULL: not yet */
	/* reached from the roots of the last ubl_reach(): bit s for state s
	 * (0: no ATTR_SIZE test passed on the way, 1: one was) */
	int reached_in;
	struct uinfo *pred[2];	/* on the way, per state */
	unsigned char pred_s[2];
};

/* the unit's functions, parallel to fn_table() */
extern struct uinfo *ubl_ui;
extern int ubl_nui;
/* the value of BREAK_WRITE, when the unit declares it */
extern long long ubl_break_write;
extern int ubl_break_write_known;

/* U's data of the unit's function F (ubl_ui[] is parallel to fn_table()) */
static inline struct uinfo *ubl_uinfo_of(const struct fn *f)
{
	int i = fn_index(f);

	return i >= 0 && i < ubl_nui ? &ubl_ui[i] : NULL;
}

/* ---- ubl_calls.c: what a call is ------------------------------------ */
/* fill U's calls (fn_calls()) with what the rule sees in each */
void ubl_collect_calls(struct uinfo *u);
/* the table's truncation primitives, the eviction's one included */
int ubl_is_truncate_prim(const char *n);
/* the busy-page scan every layout break is built on */
int ubl_is_busy_name(const char *n);
/* a function of another unit of the filesystem that may truncate */
int ubl_stub_truncs(struct fn *callee, struct fn *from);
/* the call breaks DAX layouts, the caller's parameters being A (NULL:
   unknown), and truncates nothing itself */
int ubl_call_breaks(struct call *c, const struct argconsts *a, int depth);
/* U may reach a break with its parameters A */
int ubl_fn_breaks_with(struct uinfo *u, const struct argconsts *a,
		       int depth);
/* the call is a truncation (by property) */
int ubl_call_truncates(struct call *c);
/* the call ends the search: a truncation primitive or block-freeing call */
int ubl_call_is_leaf(struct call *c);

/* ---- ubl_paths.c: the paths to the truncations ---------------------- */
/* the call's UNB_* counts on the way down in state S */
int ubl_counts(unsigned unb, int s);
/* the state U was reached in that reaches the most */
int ubl_best_state(struct uinfo *u);
/* mark what ROOTS (ROOTS[i] starting in state S0[i]) reach through the
   unit's truncating functions, with the way there */
void ubl_reach(struct uinfo **roots, const int *s0, int nroots);
/* the way from a root to U in state S: "a() -> b() -> u()" (ARROWS), or
   "a>b>u" for a summary */
void ubl_chain_build(struct uinfo *u, int s, char *buf, size_t size,
		     int arrows);
void ubl_chain_text(struct uinfo *u, int s, char *buf, size_t size);
/* the root of the way to U in state S */
struct uinfo *ubl_chain_head(struct uinfo *u, int s);

/* ---- ubl_summary.c: across units ------------------------------------ */
/* a truncation of another unit that this unit's entry reaches */
struct xleaf {
	char file[1024], fn[128], call[128], chain[1024];
	int line, col, top;	/* top: index of the root in ubl_ui[] */
};
void ubl_xleaves_reset(void);
/* the truncations G (another unit's function, called from FROM) reaches
   unbroken, in state S, the way to G being PREFIX, from root TOP */
void ubl_expand_stub(struct fn *g, struct fn *from, int s,
		     const char *prefix, int top);
/* the truncations expanded since the reset, by file, function, place */
struct xleaf *ubl_xleaves(int *n);
/* the unit's summaries for the other units (fn->ubl, fn->ubl_items) */
void ubl_write_summaries(void);

#endif
