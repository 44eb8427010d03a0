// SPDX-License-Identifier: GPL-2.0
/*
 * summary_db.c - function summaries across translation units, the way
 * smatch's cross-function database works: a first run over the units
 * writes the summary of every non-static function that carries one
 * (DAXLINT_SPARSE_SUMMARY_OUT=FILE, one line per function), a second run
 * reads them back (DAXLINT_SPARSE_SUMMARIES=FILE[:FILE...]) and a call of
 * a function defined in another unit uses its summary as if the callee
 * were in the unit.  kernel-integration/daxlint_lib/engines/sparse.py drives
 * both runs; by hand:
 *
 *   DAXLINT_SPARSE_SUMMARY_OUT=db make C=2 CHECK=daxlint-sparse fs/ext4/
 *   DAXLINT_SPARSE_SUMMARIES=db make C=2 CHECK=daxlint-sparse fs/ext4/
 *
 * Line format (text, space-separated, one write() per unit so that
 * make -j writers do not interleave):
 *   name file req acq rel sleeps reason_param iolock_param fault_param
 *   calls_busy waits sets_flag scans ubl ubl_items
 * The last two are unmap-breaks-layouts's: whether the function may
 * truncate the page cache or free blocks (UBL_TRUNCS) or break layouts
 * (UBL_BREAKS), and the truncations its entry reaches without a layout
 * break, as ubl_summary.c encodes them (one token, "-" for
 * none).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "summary_db.h"
#include "options.h"
#include "unit_record.h"

#define STUB_HASH 256
#define FAULT_BITS (L_MMAP_EXCL | L_MMAP_SHARED | L_INVAL_EXCL | L_INVAL_SHARED)
static struct fn *stubs[STUB_HASH];
static int loaded;
static const char *output;	/* set by the driver's per-unit runs */

void summary_db_set_output(const char *path)
{
	output = path;
}

static unsigned hash_id(const struct ident *id)
{
	unsigned long v = (unsigned long)id;

	return (unsigned)((v >> 4) ^ (v >> 12)) & (STUB_HASH - 1);
}

static void load_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	char line[8192], name[256], file[1024], items[4096];
	struct fn s;

	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp)) {
		struct fn *f;
		struct ident *id;
		unsigned h;
		int n = 0;

		memset(&s, 0, sizeof(s));
		if (sscanf(line, "%255s %1023s %u %u %u %d %d %d %d %d %d %d %d%n",
			   name, file, &s.req, &s.acq, &s.rel, &s.sleeps,
			   &s.reason_param, &s.iolock_param, &s.fault_param,
			   &s.calls_busy, &s.waits, &s.sets_flag,
			   &s.scans, &n) != 13)
			continue;
		if (sscanf(line + n, "%d %4095s", &s.ubl, items) != 2)
			strcpy(items, "-");
		id = built_in_ident(name);
		h = hash_id(id);
		for (f = stubs[h]; f; f = f->hnext)
			if (!strcmp(f->name, name))
				break;
		if (f)
			continue;	/* the first definition read wins */
		f = malloc(sizeof(*f));
		*f = s;
		f->name = strdup(name);
		f->stub = id;
		f->stub_file = strdup(file);
		f->ubl_items = strdup(items);
		f->hnext = stubs[h];
		stubs[h] = f;
	}
	fclose(fp);
}

/* the unit shows DAX inodes: every summary it writes says so (-1: not
   told yet for this unit) */
static int unit_dax = -1;

const char *summary_db_rel(const char *path)
{
	static char buf[4096];
	char *real = realpath(path, NULL), *root;
	size_t n;

	snprintf(buf, sizeof(buf), "%s", real ? real : path);
	free(real);
	root = opt.root ? realpath(opt.root, NULL) : NULL;
	n = root ? strlen(root) : 0;
	if (n && !strncmp(buf, root, n) && buf[n] == '/')
		memmove(buf, buf + n + 1, strlen(buf + n + 1) + 1);
	free(root);
	return buf;
}

/*
 * A directory's record is named by the directory relative to the tree,
 * not by its absolute path: a copy of the tree (the real-tree tests'
 * scratch copies) then looks up the same name, and the driver's cache
 * can answer for both.
 */
void summary_db_dir_record(const char *file, char *buf, size_t size)
{
	const char *rel = summary_db_rel(file);
	const char *slash = strrchr(rel, '/');

	snprintf(buf, size, "daxfs@%.*s", slash ? (int)(slash - rel) : 1,
		 slash ? rel : ".");
}

void summary_db_unit_dax(int dax)
{
	unit_dax = dax;
}

int summary_db_unit_dax_told(void)
{
	return unit_dax >= 0;
}

/* are this unit's summaries wanted (a first run, or the driver's)? */
int summary_db_writing(void)
{
	return output || opt.summary_out;
}

/* were summaries of other units given (a second run)? */
int summary_db_active(void)
{
	return opt.summaries != NULL;
}

struct fn *summary_db_lookup(struct ident *id)
{
	struct fn *f;

	if (!loaded) {
		char *list, *tok, *save = NULL;

		loaded = 1;
		if (opt.summaries) {
			list = strdup(opt.summaries);
			for (tok = strtok_r(list, ":", &save); tok;
			     tok = strtok_r(NULL, ":", &save))
				load_file(tok);
			free(list);
		}
	}
	/* the answer depends on this summary (or its absence): the
	 * driver's cache keeps the run only while it is unchanged */
	unit_record_lookup(show_ident(id));
	for (f = stubs[hash_id(id)]; f; f = f->hnext)
		if (f->stub == id)
			return f;
	return NULL;
}

/* LINE (N bytes) at the end of *BUF (*LEN bytes of *CAP) */
static void append(char **buf, size_t *len, size_t *cap, const char *line,
		   size_t n)
{
	if (*len + n + 1 > *cap) {
		*cap = 2 * (*len + n + 1);
		*buf = realloc(*buf, *cap);
	}
	memcpy(*buf + *len, line, n);
	*len += n;
}

/*
 * append the summaries of the unit's exported functions (after analysis
 * and summary_for_db(): this file only stores and loads them)
 */
void summary_db_write(struct fn **fns, int nfns, const char *file)
{
	const char *out = output ? output : opt.summary_out;
	size_t len = 0, cap = 0;
	char *buf = NULL;
	int i, fd, dax = unit_dax > 0;

	unit_dax = -1;		/* the next unit is told anew */
	if (!out || !*out)
		return;
	for (i = 0; i < nfns; i++) {
		struct fn *f = fns[i];
		char line[6000];
		int n, lock;

		/*
		 * only what a caller elsewhere is checked against: the
		 * locks it requires, hands back held or released (the fault
		 * lock), the reason and iolock it passes on, a scan, and the
		 * truncations it makes.  A function that merely sleeps would
		 * send every caller of fs/dax.c into the second run for
		 * nothing.
		 */
		/* a row of the table defined here is known to the other
		 * units by its row, except for what its body breaks */
		if (!f->exported && !(f->ubl & UBL_BODY))
			continue;
		lock = f->exported && f->interesting &&
		       (f->req || f->reason_param || f->iolock_param ||
			f->scans || ((f->acq | f->rel) & FAULT_BITS));
		if (!lock && !f->ubl)
			continue;
		if (dax)
			f->ubl |= UBL_DAXFS;
		/* known for its truncations only: no lock facts (a callee
		 * that merely sleeps stays unknown to the lock checks) */
		if (!lock)
			n = snprintf(line, sizeof(line),
				     "%s %s 0 0 0 0 0 0 0 0 0 0 0 %d %s\n",
				     f->name, stream_name(f->stream), f->ubl,
				     f->ubl_items ? f->ubl_items : "-");
		else
			n = snprintf(line, sizeof(line),
				     "%s %s %u %u %u %d %d %d %d %d %d %d %d %d %s\n",
				     f->name, stream_name(f->stream), f->req,
				     f->acq, f->rel, f->sleeps, f->reason_param,
				     f->iolock_param, f->fault_param,
				     f->calls_busy, f->waits,
				     f->sets_flag, f->scans, f->ubl,
				     f->ubl_items ? f->ubl_items : "-");
		if (n > 0 && (size_t)n < sizeof(line))
			append(&buf, &len, &cap, line, n);
	}
	/* the directory's record: the units of the directory that show no
	 * DAX inodes in their own text learn it from it (xfs_super.c's
	 * .evict_inode, whose DAX tests are in xfs_iops.c) */
	if (dax && file) {
		char name[4200], line[8400];
		int n;

		summary_db_dir_record(file, name, sizeof(name));
		n = snprintf(line, sizeof(line),
			     "%s %s 0 0 0 0 0 0 0 0 0 0 0 %d -\n", name, file,
			     UBL_DAXFS);
		if (n > 0 && (size_t)n < sizeof(line))
			append(&buf, &len, &cap, line, n);
	}
	if (!len)
		return;
	fd = open(out, O_WRONLY | O_APPEND | O_CREAT, 0644);
	if (fd >= 0) {
		if (write(fd, buf, len) != (ssize_t)len)
			perror(out);
		close(fd);
	}
	free(buf);
}
