/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report.h - findings, in sparse's format and as JSON
 */
#ifndef DAXLINT_REPORT_H
#define DAXLINT_REPORT_H

#include <stdio.h>

#include "rules.h"
#include "ir.h"

struct fn;

/* where findings go: TEXT (sparse's format), JSON (NULL: none) */
void report_to(FILE *text, FILE *json);
void report(enum rule_id r, struct fn *f, struct position pos,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* a finding in a function of another unit (known by its summary) */
void report_at(enum rule_id r, const char *function, const char *file,
	       int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* S as a JSON string */
void json_string(FILE *fp, const char *s);
/* where a finding in F about INSN is reported: in F's own text */
struct position report_pos(struct fn *f, struct instruction *insn);

#endif
