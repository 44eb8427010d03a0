// SPDX-License-Identifier: GPL-2.0
/*
 * daxlint-sparse - sparse with daxlint's DAX layout checks.
 *
 * A drop-in CHECK= program for kbuild: it takes every option sparse takes
 * (sparse_initialize() parses them), parses, evaluates and linearizes each
 * file exactly like sparse, and prints daxlint findings in sparse's format
 *
 *   file:line:col: warning: [rule] function: message
 *
 * Sparse's own diagnostics from parsing, evaluation and linearization are
 * printed by the library as usual; sparse.c's context-imbalance and
 * memcpy-size checks are not repeated.  Environment:
 *
 *   DAXLINT_SPARSE_JSON=FILE      also append one JSON object a finding
 *   DAXLINT_SPARSE_RULES=a,b      only these rules (default: all)
 *   DAXLINT_SPARSE_PROFILE=P      v7 | v4.18 | v5.15 | v6.15: gup-layout-lock
 *                                 runs for v7 only (default: when the unit
 *                                 declares dax_layout_lock()), devmap-put
 *                                 and pagemap-ops-balance for v7 .. v5.15
 *                                 (default: run)
 *   DAXLINT_SPARSE_QUIET=1        only daxlint findings, sparse's errors
 *                                 and a stopped run's reason on stderr
 *   DAXLINT_SPARSE_UNIT=1         the files given are one unit: function
 *                                 summaries cross files (fixture dirs)
 *   DAXLINT_SPARSE_OUTDIR=DIR     the driver's per-unit files (findings,
 *                                 summaries, log, what was read:
 *                                 unit_record.c)
 *
 * A run that stops before the end of its unit -- a signal, or sparse's
 * die()/error_die(), which exit(1) like a failed compile would -- prints
 * CHECKER_STOPPED_MARK and the reason on stderr (the unit's log) and exits
 * with EXIT_CHECKER_STOPPED (or by the signal): the driver must not take
 * the checker's own failure for a unit that does not build.
 * DAXLINT_SPARSE_TEST_STOP=segv|die makes a run stop that way once its unit
 * is known (the driver's tests of that report).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "analyze.h"
#include "options.h"
#include "checks.h"
#include "hooks.h"
#include "report.h"
#include "summary_db.h"
#include "unit_record.h"
#include "evaluate.h"

static FILE *json_out, *out;

#define CHECKER_STOPPED_MARK "daxlint-sparse: checker stopped: "
#define EXIT_CHECKER_STOPPED 70		/* EX_SOFTWARE */
static volatile sig_atomic_t finished;
static int stop_fd = 2;		/* where `out` writes, for the handler */
static FILE *quiet_diag;	/* sparse's diagnostics with QUIET */

static void put_stderr(const char *s, size_t n)
{
	ssize_t r = write(stop_fd, s, n);

	(void)r;	/* nothing better to do in a dying process */
}

static void stopped_by_signal(int sig)
{
	static const char msg[] = CHECKER_STOPPED_MARK "fatal signal ";
	char num[16];
	int n = 0, s = sig;

	/* async-signal-safe: write(2) only, then die by the same signal */
	do
		num[sizeof(num) - 1 - n++] = '0' + s % 10;
	while ((s /= 10) && n < (int)sizeof(num) - 1);
	put_stderr(msg, sizeof(msg) - 1);
	put_stderr(num + sizeof(num) - n, n);
	put_stderr("\n", 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * QUIET hides sparse's warnings, not its errors: an error can stop the
 * analysis of a function, and a caller that sees none would take the
 * unit for checked
 */
static void forward_quiet_errors(int stopped)
{
	char line[1024], last[1024] = "";

	if (!quiet_diag)
		return;
	fflush(stderr);
	rewind(quiet_diag);
	while (fgets(line, sizeof(line), quiet_diag)) {
		if (strstr(line, ": error: ") || !strncmp(line, "error: ", 7))
			fputs(line, out);
		else
			strcpy(last, line);
	}
	/* die()'s message is no "error:" line: the last one printed */
	if (stopped && *last)
		fputs(last, out);
	fclose(quiet_diag);
	quiet_diag = NULL;
}

/* exit() before the end of main(): sparse's die() and error_die() */
static void stopped_early(void)
{
	if (finished)
		return;
	forward_quiet_errors(1);
	fprintf(out, CHECKER_STOPPED_MARK "sparse gave up on the unit "
		"(die()/error_die(), the message above)\n");
	fflush(stderr);
	fflush(out);
	if (json_out)
		fflush(json_out);
	_exit(EXIT_CHECKER_STOPPED);
}

static void watch_for_stops(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	unsigned int i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], stopped_by_signal);
	atexit(stopped_early);
}

/* a variable of the environment, NULL when unset or empty */
static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

/* the only reader of the environment */
static void read_options(void)
{
	const char *v;

	opt.json = env("DAXLINT_SPARSE_JSON");
	opt.rules = env("DAXLINT_SPARSE_RULES");
	opt.profile = env("DAXLINT_SPARSE_PROFILE");
	opt.quiet = (v = env("DAXLINT_SPARSE_QUIET")) && *v == '1';
	opt.unit = (v = env("DAXLINT_SPARSE_UNIT")) && *v == '1';
	opt.all = (v = env("DAXLINT_SPARSE_ALL")) && *v == '1';
	opt.summary_out = env("DAXLINT_SPARSE_SUMMARY_OUT");
	opt.summaries = env("DAXLINT_SPARSE_SUMMARIES");
	opt.outdir = env("DAXLINT_SPARSE_OUTDIR");
	opt.test_stop = env("DAXLINT_SPARSE_TEST_STOP");
	opt.ubl_debug = env("DAXLINT_UBL_DEBUG") != NULL;
	opt.root = env("DAXLINT_SPARSE_ROOT");
}

static void setup(void)
{
	const char *rules = opt.rules;
	const char *json = opt.json;
	int i;

	for (i = 0; i < R_NR; i++)
		rule_enabled[i] = !rules;
	if (rules) {
		char *copy = strdup(rules), *tok, *save = NULL;

		for (tok = strtok_r(copy, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save))
			for (i = 0; i < R_NR; i++)
				if (!strcmp(tok, rule_name[i]))
					rule_enabled[i] = 1;
		free(copy);
	}
	if (json) {
		int fd = open(json, O_WRONLY | O_CREAT | O_APPEND, 0644);

		if (fd < 0)
			perror(json);
		else
			json_out = fdopen(fd, "a");
	}
	out = stderr;
	if (opt.quiet) {
		/*
		 * sparse's own diagnostics go to a scratch file (its errors
		 * are passed on at the end), ours keep the old stderr
		 */
		int fd = dup(2);

		quiet_diag = tmpfile();
		if (fd >= 0 && quiet_diag && (out = fdopen(fd, "w")) != NULL) {
			stop_fd = fd;
			fflush(stderr);
			dup2(fileno(quiet_diag), 2);
		} else {
			out = stderr;
		}
	}
	report_to(out, json_out);
	checks_init();
}

/*
 * The driver's runs: the unit's findings, summaries and everything printed
 * go to its own files in DAXLINT_SPARSE_OUTDIR, whatever kbuild runs in
 * parallel.
 */
static void per_unit_output(const char *unit)
{
	char *json = unit_record_path(unit, ".json");
	char *sum = unit_record_path(unit, ".sum");
	char *log = unit_record_path(unit, ".log");
	int fd;

	if (!json)
		return;
	if (json_out)
		fclose(json_out);
	fd = open(json, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	json_out = fd < 0 ? NULL : fdopen(fd, "w");
	if (!json_out)
		perror(json);
	fd = open(sum, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0)
		close(fd);
	summary_db_set_output(sum);
	fflush(stderr);
	if (freopen(log, "w", stderr)) {
		out = stderr;
		stop_fd = 2;
	}
	report_to(out, json_out);
	free(json);
	free(log);
}

static void test_stop(const char *how)
{
	if (!how)
		return;
	if (!strcmp(how, "segv"))
		raise(SIGSEGV);
	if (!strcmp(how, "die"))
		die("DAXLINT_SPARSE_TEST_STOP=die");
}

/*
 * sparse(FILE), with the macro values the checks need read before the
 * tokens they are made of are freed
 */
static struct symbol_list *parse_file(char *file)
{
	struct symbol_list *res = sparse_keep_tokens(file);

	run_macro_hooks();
	clear_token_alloc();
	if (has_error & ERROR_CURR_PHASE)
		has_error = ERROR_PREV_PHASE;
	evaluate_symbol_list(res);
	return res;
}

int main(int argc, char **argv)
{
	struct string_list *filelist = NULL;
	char *file, *unit = NULL;

	/* like sparse: ignore -o <file> */
	do_output = 0;
	read_options();
	unit_record_init(argc, argv);
	setup();
	watch_for_stops();
	/*
	 * 6.x kernels write __typeof_unqual__ (scripts/checker-valid.sh
	 * refuses a checker without it); sparse 0.6.4 does not know it.  Its
	 * type with the qualifiers dropped changes nothing the checks ask.
	 */
	add_pre_buffer("#define __typeof_unqual__ __typeof__\n");
	daxlint_check_symbols(sparse_initialize(argc, argv, &filelist));
	FOR_EACH_PTR(filelist, file) {
		unit = file;
	} END_FOR_EACH_PTR(file);
	per_unit_output(unit);
	test_stop(opt.test_stop);
	FOR_EACH_PTR(filelist, file) {
		daxlint_check_symbols(parse_file(file));
	} END_FOR_EACH_PTR(file);
	daxlint_finish();
	forward_quiet_errors(0);
	finished = 1;
	if (Wsparse_error && die_if_error)
		return 1;
	report_stats();
	fflush(out);
	if (json_out)
		fclose(json_out);
	unit_record_finish(unit);
	return 0;
}
