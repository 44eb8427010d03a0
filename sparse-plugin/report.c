// SPDX-License-Identifier: GPL-2.0
/*
 * report.c - findings: printed in sparse's format (file:line:col: warning:
 * [rule] function: message), each (rule, file, line) once, and appended
 * as one JSON object to the JSON output when there is one.  main.c says
 * where they go; the checks only call report()/report_at().
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "fn.h"

static FILE *text_out, *json_out;

void report_to(FILE *text, FILE *json)
{
	text_out = text;
	json_out = json;
}

/* findings already printed: (rule, file, line) */
struct seen { int rule, line; const char *file; };
static struct seen *seen;
static int nseen;

static int already(int r, const char *file, int line)
{
	int i;

	for (i = 0; i < nseen; i++)
		if (seen[i].rule == r && seen[i].line == line &&
		    !strcmp(seen[i].file, file))
			return 1;
	seen = realloc(seen, (nseen + 1) * sizeof(*seen));
	seen[nseen].rule = r;
	seen[nseen].file = strdup(file);
	seen[nseen].line = line;
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

static void vreport(enum rule_id r, const char *function, const char *file,
		    int line, int col, const char *fmt, va_list ap)
{
	char msg[512];

	if (!rule_enabled[r] || already(r, file, line))
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(text_out, "%s:%d:%d: warning: [%s] %s: %s\n", file, line, col,
		rule_name[r], function, msg);
	if (json_out) {
		char buf[2048];
		FILE *m = fmemopen(buf, sizeof(buf), "w");

		fputs("{\"rule\": ", m);
		json_string(m, rule_name[r]);
		fputs(", \"file\": ", m);
		json_string(m, file);
		fprintf(m, ", \"line\": %d, \"column\": %d, \"function\": ",
			line, col);
		json_string(m, function);
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

void report(enum rule_id r, struct fn *f, struct position pos,
	    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(r, f ? f->name : "", stream_name(pos.stream), pos.line,
		pos.pos, fmt, ap);
	va_end(ap);
}

void report_at(enum rule_id r, const char *function, const char *file,
	       int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(r, function, file, line, col, fmt, ap);
	va_end(ap);
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
