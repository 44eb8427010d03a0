// SPDX-License-Identifier: GPL-2.0
/*
 * srctext.c - the source text of the unit's files, cached by stream:
 * what the preprocessor compiled away (assertions), where a call is
 * written, whether a line calls or names an identifier, the static keys
 * a file defines.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srctext.h"

struct srcfile {
	int stream;
	char **lines;
	int nlines;
};
static struct srcfile *srcs;
static int nsrcs;

static struct srcfile *source(int stream)
{
	struct srcfile *s;
	FILE *fp;
	char *line = NULL;
	size_t cap = 0;
	int i, alloc = 0;

	for (i = 0; i < nsrcs; i++)
		if (srcs[i].stream == stream)
			return &srcs[i];
	srcs = realloc(srcs, (nsrcs + 1) * sizeof(*srcs));
	s = &srcs[nsrcs++];
	memset(s, 0, sizeof(*s));
	s->stream = stream;
	fp = fopen(stream_name(stream), "r");
	if (!fp)
		return s;
	while (getline(&line, &cap, fp) >= 0) {
		if (s->nlines == alloc) {
			alloc = alloc ? 2 * alloc : 256;
			s->lines = realloc(s->lines, alloc * sizeof(char *));
		}
		s->lines[s->nlines++] = strdup(line);
	}
	free(line);
	fclose(fp);
	return s;
}

/* line LINE (1-based) of the file of STREAM, NULL if there is none */
const char *source_line(int stream, int line)
{
	struct srcfile *s = source(stream);

	return line >= 1 && line <= s->nlines ? s->lines[line - 1] : NULL;
}

/* a character of a C identifier */
int is_ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/*
 * Is NAME( written on the line of P (a call of NAME in the text, not one
 * a macro expands to)?  NAME at the end of the line counts: its
 * arguments follow on the next.
 */
int line_calls(struct position p, const char *name)
{
	const char *t = source_line(p.stream, p.line), *q;
	size_t n = strlen(name);

	for (q = t; q && (q = strstr(q, name)) != NULL; q += n) {
		const char *e = q + n;

		if (q > t && is_ident_char(q[-1]))
			continue;
		while (*e == ' ' || *e == '\t')
			e++;
		if (*e == '(' || *e == '\n' || !*e)
			return 1;
	}
	return 0;
}

/*
 * Is NAME( written in the source at POS (its line, or the next ones of
 * the same statement)?  A call that only a macro of a header expands to
 * is not: the rules are about the code as written, and the driver's grep
 * prefilter relies on it.
 */
int source_calls_at(struct position pos, const char *name)
{
	size_t n = strlen(name);
	int l;

	for (l = pos.line; l < (int)pos.line + 4; l++) {
		const char *t = source_line(pos.stream, l), *q;

		if (!t)
			return 0;
		for (q = t; (q = strstr(q, name)) != NULL; q += n)
			if (q[n] == '(' && (q == t || !is_ident_char(q[-1])))
				return 1;
		if (strchr(t, ';') || strchr(t, '{'))
			return 0;
	}
	return 0;
}

/* is the identifier NAME written on the line of P? */
int line_names(struct position p, const char *name)
{
	const char *t = source_line(p.stream, p.line), *q;
	size_t n = strlen(name);

	for (q = t; q && (q = strstr(q, name)) != NULL; q += n)
		if ((q == t || !is_ident_char(q[-1])) && !is_ident_char(q[n]))
			return 1;
	return 0;
}

/*
 * A call expanded from a macro argument (the wait command of
 * ___wait_var_event(.., cmd)) has the position of the macro's name: the
 * line of the statement, from P on, where NAME( is written.
 */

struct position call_text_pos(struct fn *f, struct position p,
			      const char *name)
{
	struct srcfile *s;
	size_t n = strlen(name);
	int l;

	if (p.stream != f->stream)
		return p;
	s = source(f->stream);
	for (l = p.line; l <= f->last_line && l <= s->nlines &&
	     l < (int)p.line + 12; l++) {
		const char *t = s->lines[l - 1], *q = t;

		while ((q = strstr(q, name)) != NULL) {
			const char *e = q + n;

			while (*e == ' ' || *e == '\t')
				e++;
			if (*e == '(' && (q == t || !is_ident_char(q[-1]))) {
				p.line = l;
				return p;
			}
			q += n;
		}
		if (strchr(t, ';'))
			break;
	}
	return p;
}

/*
 * Does the function's own text contain A followed (within the same
 * statement) by B?  Used for ASSERT(xfs_isilocked(..)) and
 * lockdep_assert_held*(..) that CONFIG_XFS_DEBUG=n / CONFIG_LOCKDEP=n
 * preprocess to nothing.
 */
int fn_source_mentions(struct fn *f, const char *a, const char *b)
{
	struct srcfile *s;
	int l;

	if (f->stub)
		return 0;
	s = source(f->stream);
	for (l = f->first_line; l <= f->last_line && l <= s->nlines; l++) {
		const char *t = s->lines[l - 1], *p;
		char buf[512];
		int k;

		p = strstr(t, a);
		if (!p)
			continue;
		if (strstr(p, "//") == p)
			continue;
		/* this line and up to three continuation lines */
		snprintf(buf, sizeof(buf), "%s", p);
		for (k = 1; k <= 3 && l + k <= s->nlines && !strchr(buf, ';'); k++)
			strncat(buf, s->lines[l + k - 1],
				sizeof(buf) - strlen(buf) - 1);
		if (strchr(buf, ';'))
			*strchr(buf, ';') = 0;
		if (!b || strstr(buf, b))
			return 1;
	}
	return 0;
}

/* does the file of STREAM define (DEFINE_STATIC_KEY*) the key NAME? */
int file_defines_key(int stream, const char *name)
{
	struct srcfile *s = source(stream);
	int l;

	for (l = 0; l < s->nlines; l++) {
		const char *p = strstr(s->lines[l], "DEFINE_STATIC_KEY");

		if (p && strstr(p, name))
			return 1;
	}
	return 0;
}
