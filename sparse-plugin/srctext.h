/* SPDX-License-Identifier: GPL-2.0 */
/*
 * srctext.h - the source text of the unit's files
 */
#ifndef DAXLINT_SRCTEXT_H
#define DAXLINT_SRCTEXT_H

#include "fn.h"

const char *source_line(int stream, int line);
int is_ident_char(char c);
/* NAME( is written on the line of P (NAME ending the line too) */
int line_calls(struct position p, const char *name);
/* NAME( is written at POS or on the next lines of its statement */
int source_calls_at(struct position pos, const char *name);
/* the identifier NAME is written on the line of P */
int line_names(struct position p, const char *name);
struct position call_text_pos(struct fn *f, struct position p,
			      const char *name);
int fn_source_mentions(struct fn *f, const char *a, const char *b);
int file_defines_key(int stream, const char *name);

#endif
