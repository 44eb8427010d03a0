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
 *   DAXLINT_SPARSE_QUIET=1        only daxlint findings on stderr
 *   DAXLINT_SPARSE_UNIT=1         the files given are one unit: function
 *                                 summaries cross files (fixture dirs)
 *   DAXLINT_SPARSE_OUTDIR=DIR     the driver's per-unit files (findings,
 *                                 summaries, log, what was read:
 *                                 unit_record.c)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "daxlint.h"

const char *rule_name[R_NR] = {
	[R_GUP] = "gup-layout-lock",
	[R_BREAK_MMAP] = "break-layouts-mmaplock",
	[R_BUSY_LOCKED] = "busy-page-locked",
	[R_BUSY_WAIT] = "busy-page-wait",
	[R_UNMAP_BREAKS] = "unmap-breaks-layouts",
	[R_PGMAP] = "pagemap-ops-balance",
	[R_DEVMAP_PUT] = "devmap-put",
};
int rule_enabled[R_NR];

static FILE *json_out, *out;
static int nfindings;

/* findings already printed: (rule, stream, line) */
struct seen { int rule, stream, line; };
static struct seen *seen;
static int nseen;

static int already(int r, struct position pos)
{
	int i;

	for (i = 0; i < nseen; i++)
		if (seen[i].rule == r && seen[i].stream == pos.stream &&
		    seen[i].line == (int)pos.line)
			return 1;
	seen = realloc(seen, (nseen + 1) * sizeof(*seen));
	seen[nseen].rule = r;
	seen[nseen].stream = pos.stream;
	seen[nseen].line = pos.line;
	nseen++;
	return 0;
}

void json_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(fp, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(fp, "\\u%04x", *s);
		else
			fputc(*s, fp);
	}
	fputc('"', fp);
}

void report(enum rule_id r, struct fn *f, struct position pos,
	    const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	const char *file = stream_name(pos.stream);

	if (!rule_enabled[r] || already(r, pos))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	nfindings++;
	fprintf(out, "%s:%d:%d: warning: [%s] %s: %s\n", file, pos.line,
		pos.pos, rule_name[r], f ? f->name : "", msg);
	if (json_out) {
		char buf[2048];
		FILE *m = fmemopen(buf, sizeof(buf), "w");

		fputs("{\"rule\": ", m);
		json_string(m, rule_name[r]);
		fputs(", \"file\": ", m);
		json_string(m, file);
		fprintf(m, ", \"line\": %d, \"column\": %d, \"function\": ",
			pos.line, pos.pos);
		json_string(m, f ? f->name : "");
		fputs(", \"detail\": ", m);
		json_string(m, msg);
		fputs("}\n", m);
		fclose(m);
		buf[sizeof(buf) - 1] = 0;
		/* one write: findings of parallel make jobs do not interleave */
		if (write(fileno(json_out), buf, strlen(buf)) < 0)
			perror("daxlint-sparse: DAXLINT_SPARSE_JSON");
	}
}

static void setup(void)
{
	const char *rules = getenv("DAXLINT_SPARSE_RULES");
	const char *json = getenv("DAXLINT_SPARSE_JSON");
	const char *quiet = getenv("DAXLINT_SPARSE_QUIET");
	int i;

	for (i = 0; i < R_NR; i++)
		rule_enabled[i] = !rules || !*rules;
	if (rules && *rules) {
		char *copy = strdup(rules), *tok, *save = NULL;

		for (tok = strtok_r(copy, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save))
			for (i = 0; i < R_NR; i++)
				if (!strcmp(tok, rule_name[i]))
					rule_enabled[i] = 1;
		free(copy);
	}
	if (json && *json) {
		int fd = open(json, O_WRONLY | O_CREAT | O_APPEND, 0644);

		if (fd < 0)
			perror(json);
		else
			json_out = fdopen(fd, "a");
	}
	out = stderr;
	if (quiet && *quiet == '1') {
		/* sparse's own diagnostics go away, ours keep the old stderr */
		int fd = dup(2);

		if (fd >= 0 && (out = fdopen(fd, "w")) != NULL)
			freopen("/dev/null", "w", stderr);
		else
			out = stderr;
	}
	check_gup_layout_lock_init();
	check_break_layouts_mmaplock_init();
	check_busy_page_locked_init();
	check_busy_page_wait_init();
	check_pagemap_ops_balance_init();
	check_unmap_breaks_layouts_init();
	check_devmap_put_init();
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
	if (freopen(log, "w", stderr))
		out = stderr;
	free(json);
	free(log);
}

int main(int argc, char **argv)
{
	struct string_list *filelist = NULL;
	char *file, *unit = NULL;

	/* like sparse: ignore -o <file> */
	do_output = 0;
	unit_record_init(argc, argv);
	setup();
	daxlint_check_symbols(sparse_initialize(argc, argv, &filelist));
	FOR_EACH_PTR(filelist, file) {
		unit = file;
	} END_FOR_EACH_PTR(file);
	per_unit_output(unit);
	FOR_EACH_PTR(filelist, file) {
		daxlint_check_symbols(sparse(file));
	} END_FOR_EACH_PTR(file);
	daxlint_finish();
	if (Wsparse_error && die_if_error)
		return 1;
	report_stats();
	fflush(out);
	if (json_out)
		fclose(json_out);
	unit_record_finish(unit);
	return 0;
}
