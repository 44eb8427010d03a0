/* SPDX-License-Identifier: GPL-2.0 */
/*
 * refflow.h - a reference count held on each path over the IR, and
 * whether a way out of the function is an error return
 */
#ifndef DAXLINT_REFFLOW_H
#define DAXLINT_REFFLOW_H

#include "fn.h"

/* the counts a path may hold (joins unite) */
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

#endif
