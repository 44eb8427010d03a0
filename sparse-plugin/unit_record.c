// SPDX-License-Identifier: GPL-2.0
/*
 * unit_record.c - what one run of the checker read and wrote, for the
 * daxlint driver's results cache.
 *
 * With DAXLINT_SPARSE_OUTDIR=DIR each run writes, for its translation unit
 * (the last file on the command line), files named after the unit's path
 * (every '/' made '%'):
 *
 *   DIR/<unit>.json   the findings, one JSON object a line
 *   DIR/<unit>.sum    the summaries of its exported functions (summary_db.c)
 *   DIR/<unit>.log    everything the run printed (sparse's diagnostics too)
 *   DIR/<unit>.info   written last, when the run completed: the command
 *                     line and directory (so that the unit can be checked
 *                     again without kbuild), every file the preprocessor
 *                     read, and every function whose summary was looked up
 *                     (so that a cached answer is reused only while those
 *                     files and summaries are unchanged)
 *
 * A unit with no .info was not checked to the end (sparse died, or kbuild
 * never ran the checker on it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit_record.h"
#include "options.h"
#include "ir.h"

static const char *outdir;
static int saved_argc;
static char **saved_argv;
static char **lookups;
static int nlookups;

void unit_record_init(int argc, char **argv)
{
	int i;

	outdir = opt.outdir;
	saved_argc = argc;
	/*
	 * a copy: sparse's option parsing writes into argv (-DNAME=VALUE
	 * becomes -DNAME), and a unit rerun with the damaged command line
	 * sees KBUILD_MODNAME defined as 1
	 */
	saved_argv = calloc(argc + 1, sizeof(*saved_argv));
	for (i = 0; i < argc; i++)
		saved_argv[i] = strdup(argv[i]);
}

/* DIR/<unit><suffix>, or NULL outside the driver's runs */
char *unit_record_path(const char *unit, const char *suffix)
{
	size_t n;
	char *p, *q;

	if (!outdir || !unit)
		return NULL;
	n = strlen(outdir) + strlen(unit) + strlen(suffix) + 2;
	p = malloc(n);
	snprintf(p, n, "%s/", outdir);
	q = p + strlen(p);
	for (; *unit; unit++)
		*q++ = *unit == '/' ? '%' : *unit;
	strcpy(q, suffix);
	return p;
}

void unit_record_lookup(const char *name)
{
	int i;

	if (!outdir)
		return;
	for (i = 0; i < nlookups; i++)
		if (!strcmp(lookups[i], name))
			return;
	lookups = realloc(lookups, (nlookups + 1) * sizeof(*lookups));
	lookups[nlookups++] = strdup(name);
}

static void str_list(FILE *fp, const char *key, const char *const *v, int n)
{
	int i;

	fprintf(fp, ", \"%s\": [", key);
	for (i = 0; i < n; i++) {
		if (i)
			fputs(", ", fp);
		json_string(fp, v[i]);
	}
	fputc(']', fp);
}

void unit_record_finish(const char *unit)
{
	char *path = unit_record_path(unit, ".info");
	char *tmp, cwd[4096];
	const char **streams;
	FILE *fp;
	int i;

	if (!path)
		return;
	tmp = unit_record_path(unit, ".info.tmp");
	fp = fopen(tmp, "w");
	if (!fp) {
		perror(tmp);
		return;
	}
	fputs("{\"unit\": ", fp);
	json_string(fp, unit);
	fputs(", \"cwd\": ", fp);
	json_string(fp, getcwd(cwd, sizeof(cwd)) ? cwd : "");
	str_list(fp, "argv", (const char *const *)saved_argv, saved_argc);
	streams = malloc((input_stream_nr + 1) * sizeof(*streams));
	for (i = 0; i < input_stream_nr; i++)
		streams[i] = input_streams[i].name;
	str_list(fp, "read", streams, input_stream_nr);
	free(streams);
	str_list(fp, "lookups", (const char *const *)lookups, nlookups);
	fputs("}\n", fp);
	fclose(fp);
	/* whole or not at all: the driver takes a .info as "checked" */
	if (rename(tmp, path) < 0)
		perror(path);
	free(tmp);
	free(path);
}
