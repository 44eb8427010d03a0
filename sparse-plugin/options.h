/* SPDX-License-Identifier: GPL-2.0 */
/*
 * options.h - the run's options, read once from the environment by
 * main.c before anything else (docs/sparse.md lists the variables).  An
 * empty variable is an unset one.
 */
#ifndef DAXLINT_OPTIONS_H
#define DAXLINT_OPTIONS_H

struct options {
	const char *json;	/* DAXLINT_SPARSE_JSON: append findings here */
	const char *rules;	/* DAXLINT_SPARSE_RULES: a,b (NULL: all) */
	const char *profile;	/* DAXLINT_SPARSE_PROFILE (NULL: none) */
	int quiet;		/* DAXLINT_SPARSE_QUIET=1 */
	int unit;		/* DAXLINT_SPARSE_UNIT=1: the files are one unit */
	int all;		/* DAXLINT_SPARSE_ALL=1: every function checked */
	const char *summary_out;	/* DAXLINT_SPARSE_SUMMARY_OUT */
	const char *summaries;	/* DAXLINT_SPARSE_SUMMARIES: F1:F2 */
	const char *outdir;	/* DAXLINT_SPARSE_OUTDIR: per-unit files */
	const char *test_stop;	/* DAXLINT_SPARSE_TEST_STOP: segv | die */
	int ubl_debug;		/* DAXLINT_UBL_DEBUG set */
	const char *root;	/* DAXLINT_SPARSE_ROOT: the kernel tree, so
				   that a directory's summary record names it
				   relative to the tree ("fs/xfs") */
};
extern struct options opt;

/* is the profile one of PROFILES (NULL-terminated)?  unset: yes */
int profile_is(const char *const *profiles);

#endif
