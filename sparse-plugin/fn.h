/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fn.h - a function of the unit as the engine sees it: its events, its
 * basic blocks, its summary and its dataflow states
 */
#ifndef DAXLINT_FN_H
#define DAXLINT_FN_H

#include "calltable.h"
#include "locks.h"

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

/*
 * a direct call of a function of the unit, with the definition it
 * reaches (fn_calls())
 */
struct fcall {
	struct instruction *insn;
	struct ident *id;	/* the name called */
	struct fn *callee;	/* callee_of(): a function of this unit or
				   another unit's summary; NULL: unknown, or
				   an inline one (its body is the caller's
				   code) */
	int bb;			/* its block: index in fn->bbs */
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
	int calls_busy;		/* calls dax_layout_busy_page (or a wrapper) */
	int scans;		/* reaches a busy-page scan, maybe through
				   callees (a layout break); calls_busy
				   implies it */
	/* dataflow */
	struct symbol *vars[MAX_VARS];
	int nvars;
	struct lstate *in, *out;	/* per basic block */
	struct fn *hnext;	/* ident hash chain */
	int idx;		/* its place in fn_table() (fn_index()) */
	struct fcall *calls;	/* fn_calls(), made on first use */
	int ncalls;		/* -1: not made yet */
	/* a function of another unit, known by its summary (summary_db.c) */
	struct ident *stub;
	const char *stub_file;	/* the file its summary names */
	/*
	 * what the summary database carries beside the summary: loaded for
	 * a stub, filled by summary_for_db() for the unit's own functions
	 */
	int exported;		/* not static, not inline, no API's definition */
	int waits;		/* fn_waits() */
	int sets_flag;		/* fn_sets_flag() */
	/*
	 * unmap-breaks-layouts across units: UBL_* facts, and the truncations
	 * its entry reaches without a layout break
	 * (ubl_summary.c encodes them; "-": none)
	 */
	int ubl;
	char *ubl_items;
};


/* fn->ubl */
#define UBL_TRUNCS	1	/* may truncate or free blocks (itself or
				   through callees) */
#define UBL_BREAKS	2	/* may break layouts, truncates nothing */
#define UBL_DAXFS	4	/* its unit shows that the filesystem has
				   DAX inodes */
#define UBL_DAXPRED	8	/* returns IS_DAX() of an inode */
#define UBL_NDAXPRED	16	/* returns !IS_DAX() of an inode */
/* evict-break-final's, in the same word: a function of another unit of
   the directory that reaches the final break / exposes a final
   truncation on a path of its own without it */
#define EFB_BREAKS	64
#define EFB_TRUNCS	128
#define UBL_BODY	32	/* a row of the table defined in the tree
				   (xfs_break_layouts): its body, summarized,
				   says whether it breaks layouts */
#define UBL_REASON_SHIFT 8	/* (n << 8): breaks nothing when its
				   parameter n is BREAK_WRITE */

/* requirement summary bits (fn->req) */
#define REQ_FAULT	1u	/* the fault lock (any spelling), exclusive */
#define REQ_MMAP	2u	/* XFS_MMAPLOCK_EXCL itself */

#endif
