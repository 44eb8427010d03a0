/* SPDX-License-Identifier: GPL-2.0 */
/*
 * refstate.h - reference-count pairs over the IR, paths over the AST
 */
#ifndef DAXLINT_REFSTATE_H
#define DAXLINT_REFSTATE_H

#include "fn.h"
#include "astvisit.h"
#include "types.h"

int profile_is(const char *const *profiles);
int ident_in(struct ident *id, const char *const *names);
int fn_in_c_file(struct fn *f);
int source_calls_at(struct position pos, const char *name);

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

/* -- the AST: must-facts over every path --------------------------- */
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

#endif
