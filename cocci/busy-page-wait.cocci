// SPDX-License-Identifier: GPL-2.0-only
/// When dax_layout_busy_page() / dax_layout_busy_page_range() returns a
/// page, the caller must wait for it to go idle with the fault lock dropped
/// (___wait_var_event(&page->_refcount, ..., cmd) whose cmd unlocks,
/// schedules and relocks, like xfs_wait_dax_page / ext4_wait_dax_page), and
/// must repeat the lookup until it returns NULL: a loop around it, or a
/// retry out-flag that every caller loops on (xfs_break_layouts's
/// "do { } while (retry)").  Sleeping with the lock held deadlocks against
/// the task that is faulting in the rest of its I/O; a single lookup, or a
/// loop that only repeats when the wait actually slept (the race fixed by
/// b1f382178d15 "ext4: close race between direct IO and
/// ext4_break_layouts()"), lets the caller free blocks behind a page that is
/// still pinned.
//
// Rule: busy-page-wait
// Prefilter: dax_layout_busy_page
// Scope: directory
// Confidence: Moderate
// Comments: a function that only returns the lookup's result passes the
//  duty to its callers; a wait command defined outside the directory is
//  trusted; a lookup whose page is not waited for (e.g. "return -EBUSY",
//  or dropping the locks and starting over) needs no wait.
// Options: --no-includes --include-headers --no-scanner --kbuild-info scripts/coccinelle/dax/kbuild-info

virtual context
virtual org
virtual report

@initialize:python@
@@
# ---- generated from kernel-integration/api/kernel-api.tsv by cocci/generate.py: do not edit
API_BUSY_PAGE = ("dax_layout_busy_page", "dax_layout_busy_page_range")
API_FAULT_LOCK_BIT = ("XFS_MMAPLOCK_EXCL",)
API_SLEEP_RX = (r"schedule|schedule_timeout\w*|io_schedule\w*|msleep\w*|"
                r"usleep_range\w*|ssleep|wait_for_completion\w*|"
                r"wait_var_event\w*|wait_event\w*|wait_on_bit\w*|"
                r"wait_on_page\w*|folio_wait\w*")
API_WAIT_QUEUE_MACRO = ("___wait_var_event",)
# ---- end of kernel-integration/api/kernel-api.tsv
import os
import re
import sys

# ---- generated from cocci/lib/facts.py by cocci/generate.py: do not edit
# Per-file facts for rules that decide over a whole directory.
#
# A directory rule works in three steps, so that the daxlint driver can
# cache the expensive part of each step per file:
#   1. context-free rules record what each file says (dl_c), whatever else
#      is in the group;
#   2. a script derives the directory's context from every file's facts,
#      then rules that depend on that context record more facts (dl_m);
#   3. a script decides from all of it.
# Under `make coccicheck` all three run in one spatch over the group.  The
# daxlint driver passes -D daxlint_state=IN.json (facts of the files it has
# cached, and the files given to this run) and -D daxlint_dump=OUT.json
# (where the facts of the files run here are written).  A cached file's
# step-2 facts are reused only when its projection of the context (the
# parts of it that name an identifier of the file) is unchanged; otherwise
# the file is listed as stale and the driver runs it again.
import json as dl_json
import re as dl_re

DL = {"state": None, "dump": None, "run": None}
DL_C = {}       # file -> {table: [row]}: step 1, files run here
DL_M = {}       # file -> {table: [row]}: step 2, files run here
DL_CACHED = {}  # file -> {"c": ..., "m": ..., "proj": ...} from the driver
DL_PROJ = {}    # file -> projection of the context (step 2 input)
DL_STALE = []   # cached files whose projection changed
DL_IDENT_RX = dl_re.compile(r"[A-Za-z_]\w*")
_dl_idents = {}


def dl_reset():
    """A new file group starts."""
    DL_C.clear()
    DL_M.clear()
    DL_CACHED.clear()
    DL_PROJ.clear()
    del DL_STALE[:]
    DL["run"] = None
    if DL["state"]:
        with open(DL["state"]) as fh:
            st = dl_json.load(fh)
        DL_CACHED.update(st.get("cached", {}))
        DL["run"] = st.get("run", [])


def dl_c(file, table, *row):
    DL_C.setdefault(file, {}).setdefault(table, []).append(list(row))


def dl_m(file, table, *row):
    DL_M.setdefault(file, {}).setdefault(table, []).append(list(row))


def dl_norm(x):
    """X as the driver's cache gives it back (tuples become lists, keys
    strings): fresh and cached facts must look the same to the decision."""
    return dl_json.loads(dl_json.dumps(x, sort_keys=True))


def dl_files():
    """Every file of the group, run here or cached, in order."""
    return sorted(set(DL_C) | set(DL_M) | set(DL_CACHED) |
                  set(DL["run"] or ()))


def dl_fresh(file):
    return file not in DL_CACHED


def dl_facts(step):
    """{file: {table: [row]}} of STEP ("c" or "m") over the whole group."""
    own = DL_C if step == "c" else DL_M
    out = {}
    for f in dl_files():
        if dl_fresh(f):
            out[f] = dl_norm(own.get(f, {}))
        else:
            out[f] = DL_CACHED[f].get(step) or {}
    return out


def dl_rows(facts, table):
    """(file, row) of TABLE in FACTS, in file order."""
    for f in sorted(facts):
        for row in facts[f].get(table, ()):
            yield f, row


def dl_idents(file):
    """The identifiers written in FILE (a superset of what any rule can
    bind from it)."""
    if file not in _dl_idents:
        try:
            with open(file, errors="replace") as fh:
                _dl_idents[file] = set(DL_IDENT_RX.findall(fh.read()))
        except OSError:
            _dl_idents[file] = set()
    return _dl_idents[file]


def dl_project(names=None, scalars=None, defs=None):
    """Record each file's view of the context: NAMES maps a part of the
    context to a set of identifiers (kept where the file writes them),
    SCALARS to plain values, DEFS to {identifier: value} (the entries
    kept where the file writes the identifier: what a name stands for
    matters only to a file that uses it).  Cached files whose view
    changed become stale."""
    names = names or {}
    scalars = scalars or {}
    defs = defs or {}
    for f in dl_files():
        ids = dl_idents(f)
        view = dict((k, sorted(set(v) & ids)) for k, v in names.items())
        view.update(scalars)
        for k, d in defs.items():
            view[k] = sorted([n, d[n]] for n in set(d) & ids)
        DL_PROJ[f] = dl_json.dumps(dl_norm(view), sort_keys=True)
        if not dl_fresh(f) and DL_CACHED[f].get("proj") != DL_PROJ[f]:
            DL_STALE.append(f)


def dl_usable():
    """False when a cached file went stale: the driver runs again with it,
    and nothing this run decides is used."""
    return not DL_STALE


def dl_dump():
    if not DL["dump"]:
        return
    out = {"files": {}, "stale": sorted(DL_STALE)}
    for f in dl_files():
        if dl_fresh(f):
            out["files"][f] = {"c": dl_norm(DL_C.get(f, {})),
                               "m": dl_norm(DL_M.get(f, {})),
                               "proj": DL_PROJ.get(f)}
    with open(DL["dump"], "w") as fh:
        dl_json.dump(out, fh, sort_keys=True)
# ---- end of cocci/lib/facts.py
# ---- generated from cocci/lib/srcscan.py by cocci/generate.py: do not edit
# The calls a function body makes, read from its source text.
#
# SmPL finds the function and the braces of its body (one cheap match per
# function); the calls inside are read from the text.  Matching every call
# with SmPL (g@p(...) for any g) costs several times the parse of a
# directory, and a directory rule needs the whole call graph of its
# directory, context-free, so that it can be cached file by file.  The text
# is read with comments, string and character literals, preprocessor lines
# and #if 0 blocks blanked out, so positions stay those spatch reports.
import re as ss_re

SS_CALL_RX = ss_re.compile(r"\b([A-Za-z_]\w*)\s*\(")
SS_NOT_CALLS = set(["if", "while", "for", "switch", "return", "sizeof",
                    "typeof", "__typeof__", "_Alignof", "alignof",
                    "__alignof__", "defined", "__attribute__", "asm",
                    "__asm__", "__builtin_expect", "case", "do", "else"])
# (spelt without backslash escapes: spatch's own lexer reads this code)
SS_QUOTES = (chr(34), chr(39))
SS_BACKSLASH = chr(92)
_ss_blank = {}


# comments, then string and character literals (no newline inside), in one
# left-to-right scan
SS_LIT_RX = ss_re.compile(
    "/[*].*?[*]/|//[^\n]*|" +
    "".join("%s(?:%s.|[^%s%s\n])*%s" % (q, SS_BACKSLASH * 2, q,
                                          SS_BACKSLASH * 2, q) + "|"
            for q in SS_QUOTES)[:-1], ss_re.S)
SS_DIRECTIVE_RX = ss_re.compile(r"\s*#\s*(\w*)\s*(\S*)")


def _ss_spaces(m):
    return ss_re.sub(r"[^\n]", " ", m.group(0))


def _ss_blank_text(text):
    """TEXT with comments, literals, preprocessor lines and #if 0 blocks
    turned into spaces (newlines kept, so positions stay)."""
    lines = SS_LIT_RX.sub(_ss_spaces, text).split("\n")
    raw = text.split("\n")
    skip_depth = 0      # inside #if 0 ... #endif
    k = 0
    while k < len(lines):
        m = SS_DIRECTIVE_RX.match(lines[k])
        if m is None:
            if skip_depth:
                lines[k] = " " * len(lines[k])
            k += 1
            continue
        word = m.group(1)
        if skip_depth:
            if word in ("if", "ifdef", "ifndef"):
                skip_depth += 1
            elif word == "endif":
                skip_depth -= 1
            elif word in ("else", "elif") and skip_depth == 1:
                skip_depth = 0
        elif word == "if" and m.group(2) == "0":
            skip_depth = 1
        # the directive and its continuation lines
        while True:
            cont = raw[k].endswith(SS_BACKSLASH)
            lines[k] = " " * len(lines[k])
            k += 1
            if not cont or k >= len(lines):
                break
    return "\n".join(lines)


def ss_lines(file):
    """FILE's lines, blanked as above (cached)."""
    if file not in _ss_blank:
        try:
            with open(file, errors="replace") as fh:
                _ss_blank[file] = _ss_blank_text(fh.read()).split("\n")
        except OSError:
            _ss_blank[file] = []
    return _ss_blank[file]


def _ss_args(lines, ln, col):
    """The argument text of the call whose "(" is at LINES[ln][col]."""
    depth, buf = 0, []
    for k in range(ln, min(len(lines), ln + 60)):
        s = lines[k]
        for c in s[col if k == ln else 0:]:
            if c == "(":
                depth += 1
                if depth == 1:
                    continue
            elif c == ")":
                depth -= 1
                if depth == 0:
                    return ss_re.sub(r"\s+", " ", "".join(buf)).strip()
            buf.append(c)
        buf.append(" ")
    return ss_re.sub(r"\s+", " ", "".join(buf)).strip()


def _ss_body(lines, line, col, limit):
    """(first, last) 0-based line indexes of the body of the function whose
    name is at LINE:COL: from the first "{" after the name to the brace
    that closes it, and never past line LIMIT (the next function's name),
    which bounds the damage of braces that #ifdef branches unbalance."""
    depth, first = 0, None
    for ln in range(line - 1, min(limit, len(lines))):
        s = lines[ln]
        for k in range(col if ln == line - 1 else 0, len(s)):
            c = s[k]
            if c == "{":
                depth += 1
                if first is None:
                    first = (ln, k)
            elif c == "}" and first is not None:
                depth -= 1
                if depth == 0:
                    return first, ln
    if first is None:
        return None, None
    return first, min(limit, len(lines)) - 1


def ss_calls(file, defs):
    """[function, callee, line, column, argument text] of the calls written
    in the bodies of DEFS, [name, line, column] of the functions defined in
    FILE (SmPL's positions of their names): an identifier followed by "(",
    not a keyword, not a member (a->f(), a.f())."""
    lines = ss_lines(file)
    defs = sorted(defs, key=lambda d: (d[1], d[2]))
    out = []
    for i, (fn, line, col) in enumerate(defs):
        limit = defs[i + 1][1] - 1 if i + 1 < len(defs) else len(lines)
        first, last = _ss_body(lines, line, col, limit)
        if first is None:
            continue
        for ln in range(first[0], last + 1):
            s = lines[ln]
            for m in SS_CALL_RX.finditer(s):
                if ln == first[0] and m.start(1) < first[1]:
                    continue
                name = m.group(1)
                if name in SS_NOT_CALLS:
                    continue
                before = s[:m.start(1)].rstrip()
                if before.endswith((".", "->")) or \
                        (not before and ln > 0 and
                         lines[ln - 1].rstrip().endswith((".", "->"))):
                    continue
                args = _ss_args(lines, ln, m.end(0) - 1)
                out.append([fn, name, ln + 1, m.start(1), args])
    return out


def ss_block_end(file, line, col):
    """(line, column) of the "}" that closes the "{" at LINE:COL of FILE
    (1-based line, 0-based column), or None."""
    lines = ss_lines(file)
    depth = 0
    for ln in range(line - 1, len(lines)):
        s = lines[ln]
        for k in range(col if ln == line - 1 else 0, len(s)):
            if s[k] == "{":
                depth += 1
            elif s[k] == "}":
                depth -= 1
                if depth == 0:
                    return (ln + 1, k)
    return None
# ---- end of cocci/lib/srcscan.py
# ---- generated from cocci/lib/locks.py by cocci/generate.py: do not edit
# What the busy-page rules (busy-page-locked, busy-page-wait) share: the
# lookup API, the fault-lock flag, and the calls of a function body with
# the text of their arguments.
#
# The arguments are read from the file's raw text (comments and literals
# included), from the "(" that follows the callee's position: each rule
# keeps its own spelling of them (busy-page-locked drops white space,
# busy-page-wait makes it one space).  Needs srcscan.py (ss_calls) and
# the API section (the names come from the API table).
import re as lk_re

LK_API = API_BUSY_PAGE
LK_BIT_RX = lk_re.compile(r"\b(%s)\b" % "|".join(API_FAULT_LOCK_BIT))
_lk_src = {}


def lk_lines(file):
    """FILE's raw lines (cached)."""
    if file not in _lk_src:
        try:
            with open(file, errors="replace") as fh:
                _lk_src[file] = fh.read().split("\n")
        except OSError:
            _lk_src[file] = []
    return _lk_src[file]


def lk_args(file, line, col):
    """The argument texts, stripped, of the call whose callee starts at
    LINE:COL (an empty list when no "(" follows; an empty argument list
    reads as one empty argument)."""
    lines = lk_lines(file)
    line, col = int(line), int(col)
    txt = "\n".join(lines[line - 1:line + 40])
    i = txt.find("(", col)
    if i < 0:
        return []
    depth, cur, args = 0, "", []
    for c in txt[i:]:
        if c in "([{":
            depth += 1
            if depth == 1:
                continue
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                break
        elif c == "," and depth == 1:
            args.append(cur.strip())
            cur = ""
            continue
        cur += c
    args.append(cur.strip())
    return args


def lk_calls(file, defs):
    """[function, callee, line, column, end column, argument texts] of the
    calls written in the bodies of DEFS ([name, line, column] of the
    functions FILE defines), in the order of the text."""
    out = []
    for fn, g, ln, col, _ in ss_calls(file, defs):
        out.append([fn, g, ln, col, col + len(g), lk_args(file, ln, col)])
    return out


def lk_outside(p, defs):
    """Is the call at P outside the bodies of the functions DEFS (names
    of the functions its file defines)?  Such a call (in a macro
    definition: function "something_else", in an initialiser: the
    variable) is matched by SmPL, those in the bodies by lk_calls."""
    return p[0].current_element not in defs


def lk_call_row(p, g):
    """The row of lk_calls for the call of G at P, matched by SmPL."""
    q = p[0]
    return [q.current_element, g, int(q.line), int(q.column),
            int(q.column_end), lk_args(q.file, q.line, q.column)]
# ---- end of cocci/lib/locks.py

# findings, one list per worker process; merged and printed in finalize
coccinelle.bpw = []
coccinelle.bpworg = []

API = LK_API
SLEEP_RX = re.compile(r"^(%s)$" % API_SLEEP_RX)
# a wait-queue wait: its command (argument 5) is what sleeps
WAIT_MACRO = API_WAIT_QUEUE_MACRO[0]
BIT_RX = LK_BIT_RX

class BpwGroup(object):
	"""What the rule knows of one file group (a directory)."""
	def __init__(self):
		self.fdefs = {}           # file -> names of the functions it
					  # defines (step 1, files run here)
		self.defined = set(API)   # functions of the directory
		self.lookups = set(API)   # the API and functions that return
					  # its result
		self.near = set()         # functions that reach a lookup
		self.callees = set()      # their callees
		self.goodu = set()        # (file, line, col) unlocks of the
					  # fault lock, in the files run here

BPW = BpwGroup()

def is_sleep(s):
	return SLEEP_RX.match(s) is not None

def bpw_args(raw):
	"""The argument texts of a call, white space made one space."""
	return [re.sub(r"\s+", " ", a) for a in raw if a != ""]

def bpw_pk(p):
	return (p[0].file, int(p[0].line), int(p[0].column))

def bpw_derive():
	"""The directory's context from every file's step-1 facts."""
	C = dl_facts("c")
	for fl, (fn, ln, col) in dl_rows(C, "def"):
		BPW.defined.add(fn)
	returns = {}
	for fl, (fn, g) in dl_rows(C, "ret"):
		if g in BPW.defined:
			returns.setdefault(fn, set()).add(g)
	changed = True
	while changed:
		changed = False
		for f, cs in returns.items():
			if f not in BPW.lookups and cs & BPW.lookups:
				BPW.lookups.add(f)
				changed = True
	callgraph = {}
	for fl, (fn, g, ln, col, ce, raw) in dl_rows(C, "call"):
		if g in BPW.defined:
			callgraph.setdefault(fn, set()).add(g)
	r = set(API) | BPW.lookups
	changed = True
	while changed:
		changed = False
		for f, cs in callgraph.items():
			if f not in r and cs & r:
				r.add(f)
				changed = True
	BPW.near = r
	for f in r:
		BPW.callees |= callgraph.get(f, set())
	for fl in sorted(DL_C):
		for ln, col in C.get(fl, {}).get("goodunlock", ()):
			BPW.goodu.add((fl, ln, col))
	# what step 2 asks of the context, as each file sees it
	dl_project(names={"defined": BPW.defined, "lookups": BPW.lookups,
			  "near": BPW.near, "callees": BPW.callees})

def bpw_goodu(p):
	return bpw_pk(p) in BPW.goodu

def bpw_lookup(L):
	return L in BPW.lookups

def bpw_near(g):
	return g in BPW.near

def bpw_callee(f):
	return f in BPW.callees

def bpw_waitish(h):
	return is_sleep(h) or h in BPW.defined or h == WAIT_MACRO

def bpw_decide():
	"""The findings of the directory, from every file's facts."""
	C = dl_facts("c")
	M = dl_facts("m")
	params = {}
	for fl, (fn, n, x) in dl_rows(C, "param"):
		params.setdefault((fl, fn), {})[n] = x
	droppers = set()
	for fl, (f,) in dl_rows(M, "dropper"):
		droppers.add((os.path.dirname(fl), f))
	heldsleepers = set()
	for fl, (f,) in dl_rows(M, "heldsleeper"):
		heldsleepers.add((os.path.dirname(fl), f))
	sites = set()
	for fl, (fn, L, ln, col, ce, P) in dl_rows(M, "site"):
		sites.add((fl, fn, L, ln, col, ce, P))
	cycs = set()
	for fl, (ln, col) in dl_rows(M, "cyc"):
		cycs.add((fl, ln, col))
	calls = set()
	for fl, (fn, g, ln, col, ce, raw) in dl_rows(C, "call"):
		if g in BPW.defined:
			calls.add((fl, fn, g, ln, col, ce, tuple(bpw_args(raw))))
	after = {}
	for fl, (ln, col, h, ql, qc, qce, args) in dl_rows(M, "after"):
		x = (h, ql, qc, qce, tuple(args))
		acts = after.setdefault((fl, ln, col), [])
		if x not in acts:
			acts.append(x)
	held = set()
	for fl, (ln, col, ql, qc) in dl_rows(M, "held"):
		held.add((fl, ln, col, ql, qc))
	flags = {}
	for fl, (fn, R, v) in dl_rows(C, "flag"):
		flags.setdefault((fl, fn, R), set()).add(v)
	bpw_decide_dir(params, droppers, heldsleepers, sites, cycs,
		       sorted(calls), after, held, flags)

def bpw_decide_dir(params, droppers, heldsleepers, sites, cycs, calls,
		   after, held, flags):
	RULE = "busy-page-wait"
	out = coccinelle.bpw

	def report(fi, line, col, colend, fn, detail):
		out.append("%s:%s:%s-%s: WARNING: [%s] %s: %s" % (
			fi, line, col, colend, RULE, fn, detail))

	def callee_of(expr):
		m = re.match(r"^\s*([A-Za-z_]\w*)\s*\((.*)\)\s*$", expr or "", re.S)
		return (m.group(1), m.group(2)) if m else (None, "")

	def words(s):
		return set(re.findall(r"[A-Za-z_]\w*", s or ""))

	flagwrap = {}       # (dir, func) -> flag parameter index
	for (fi, fn, L, line, col, colend, P) in sorted(sites, key=str):
		d = os.path.dirname(fi)
		if P is None:
			report(fi, line, col, colend, fn, "the page %s() returns is "
			       "thrown away: wait for it to go idle (with the fault lock "
			       "dropped) and repeat the lookup until it returns NULL" % L)
			continue
		acts = after.get((fi, line, col), [])
		waits = []
		for (h, ql, qc, qce, args) in acts:
			cmd = None
			if h == WAIT_MACRO:
				cmd = args[5] if len(args) > 5 else None
				waits.append((h, ql, qc, qce, cmd))
			elif SLEEP_RX.match(h) or \
			     (d, h) in droppers or (d, h) in heldsleepers:
				waits.append((h, ql, qc, qce, None))
		if not waits:
			continue
		# 1. no sleeping with the fault lock held
		for (h, ql, qc, qce, cmd) in waits:
			if (fi, line, col, ql, qc) not in held:
				continue
			bad = None
			if h == WAIT_MACRO:
				# judged by the command it runs, a call nested in it
				continue
			elif (d, h) in droppers:
				continue
			elif (d, h) in heldsleepers:
				bad = "%s() sleeps without dropping it" % h
			else:
				bad = "%s() sleeps" % h
			if bad:
				report(fi, ql, qc, qce, fn, "waits for the busy DAX page "
				       "with the fault lock held (%s): a task faulting in "
				       "the rest of its I/O blocks on that lock and the page "
				       "never goes idle; unlock, schedule() and relock in "
				       "the ___wait_var_event() command" % bad)
		# 2. the lookup is repeated until it returns NULL
		ps = params.get((fi, fn), {})
		setter = {}
		for (f2, fn2, R), vals in sorted(flags.items()):
			if f2 == fi and fn2 == fn:
				setter[R] = vals
		cmdwords = set()
		for (h, ql, qc, qce, cmd) in waits:
			if cmd:
				cmdwords |= words(callee_of(cmd)[1])
		slept_only = [R for R, vals in setter.items()
			      if R in cmdwords and True not in vals]
		if slept_only:
			report(fi, line, col, colend, fn, "the lookup is repeated only "
			       "when the wait command sets '%s', i.e. only if the wait "
			       "slept; a page that went idle before the wait hides the "
			       "other busy pages: repeat the lookup until %s() returns "
			       "NULL" % (slept_only[0], L))
			continue
		if (fi, line, col) in cycs:
			continue
		outflags = [R for R, vals in setter.items()
			    if True in vals and R in ps.values()]
		if outflags:
			idx = [i for i, n in ps.items() if n == outflags[0]][0]
			flagwrap[(d, fn)] = idx
			continue
		report(fi, line, col, colend, fn, "%s() is called once: after waiting "
		       "for the busy page the lookup must be repeated (a loop, or a "
		       "retry flag the caller loops on) until it returns NULL, or "
		       "other pinned pages are freed under DMA" % L)

	# callers of retry-flag wrappers must loop on the flag (wrappers of
	# wrappers that pass their own flag parameter on are followed)
	changed = True
	while changed:
		changed = False
		for (fi, fn, g, line, col, colend, args) in calls:
			d = os.path.dirname(fi)
			if (d, g) not in flagwrap or (d, fn) in flagwrap:
				continue
			idx = flagwrap[(d, g)]
			a = re.sub(r"\s+", "", args[idx]) if idx < len(args) else ""
			if (fi, line, col) in cycs:
				continue
			ps = params.get((fi, fn), {})
			if a.lstrip("&") in ps.values() and not a.startswith("&"):
				flagwrap[(d, fn)] = [i for i, n in ps.items()
						    if n == a][0]
				changed = True
	for (fi, fn, g, line, col, colend, args) in calls:
		d = os.path.dirname(fi)
		if (d, g) not in flagwrap or (d, fn) in flagwrap:
			continue
		if (fi, line, col) in cycs:
			continue
		report(fi, line, col, colend, fn, "%s() asks for a retry when it "
		       "waited for a busy DAX page, but this call is not repeated: "
		       "loop until it no longer sets the retry flag" % g)

@script:python bpw_state@
st << virtual.daxlint_state;
@@
DL["state"] = st

@script:python bpw_dumpto@
out << virtual.daxlint_dump;
@@
DL["dump"] = out

# a new file group starts: forget the previous one
@script:python bpw_start@
@@
BPW.__init__()
dl_reset()

// ---- step 1: what each file says, whatever else is in the group ----

@fn@
identifier f;
position p;
@@
f@p(...) { ... }

@script:python@
f << fn.f;
p << fn.p;
@@
BPW.fdefs.setdefault(p[0].file, set()).add(f)
dl_c(p[0].file, "def", f, int(p[0].line), int(p[0].column))

@fparam@
identifier f, x;
type T;
parameter list[n] ps;
position p;
@@
f@p(ps, T x, ...) { ... }

@script:python@
f << fparam.f;
x << fparam.x;
n << fparam.n;
p << fparam.p;
@@
dl_c(p[0].file, "param", f, int(n), x)

// functions that hand a call's result to their caller (those that return
// the lookup's are found in bpw_derive)
@ret@
identifier g;
position p;
@@
return g@p(...);

@script:python@
g << ret.g;
p << ret.p;
@@
dl_c(p[0].file, "ret", p[0].current_element, g)

// unlocks of the fault lock
@xulk@
expression E, F;
position pu;
@@
(
xfs_iunlock@pu(E, F)
|
xfs_ilock_demote@pu(E, F)
)

@script:python@
F << xulk.F;
pu << xulk.pu;
@@
G = re.sub(r"\s+", "", F)
if BIT_RX.search(G) or not re.match(r"^[A-Z0-9_|()]+$", G):
	dl_c(pu[0].file, "goodunlock", int(pu[0].line), int(pu[0].column))

@rulk@
expression E;
position pu;
@@
(
filemap_invalidate_unlock@pu(...)
|
filemap_invalidate_unlock_two@pu(...)
|
up_write@pu(&E->\(invalidate_lock\|i_mmap_sem\))
|
downgrade_write@pu(&E->\(invalidate_lock\|i_mmap_sem\))
|
up_read@pu(&E->\(invalidate_lock\|i_mmap_sem\))
)

@script:python@
pu << rulk.pu;
@@
dl_c(pu[0].file, "goodunlock", int(pu[0].line), int(pu[0].column))

// retry flags: set to true (and to false) by the function itself
@flag@
identifier R;
expression V;
position p;
@@
(
 *R@p = V
|
 R@p = V
)

@script:python@
R << flag.R;
V << flag.V;
p << flag.p;
@@
v = re.sub(r"\s+", "", V)
if v in ("true", "false", "0", "1"):
	dl_c(p[0].file, "flag", p[0].current_element, R, v in ("true", "1"))

// the calls outside function bodies (in macro definitions, initialisers)
@ocall@
identifier g;
position p : script:python() { lk_outside(p, BPW.fdefs.get(p[0].file, ())) };
@@
g@p(...)

@script:python@
g << ocall.g;
p << ocall.p;
@@
dl_c(p[0].file, "call", *lk_call_row(p, g))

// the calls written in each function's body, with their arguments
@script:python bpw_calls@
@@
for fl in sorted(DL_C):
	for row in lk_calls(fl, DL_C[fl].get("def", ())):
		dl_c(fl, "call", *row)

// ---- the directory's context ----

@script:python bpw_compute@
@@
bpw_derive()

// ---- step 2: what each file says, given the context ----

// helpers: does a function sleep after dropping the lock (a good wait
// command), or sleep without dropping it?
@dropper exists@
identifier f, s;
position pf : script:python(f) { bpw_callee(f) };
position pu : script:python() { bpw_goodu(pu) };
position ps : script:python(s) { is_sleep(s) };
@@
f@pf(...) {
... when any
\( xfs_iunlock@pu(...) \| xfs_ilock_demote@pu(...) \| filemap_invalidate_unlock@pu(...) \| filemap_invalidate_unlock_two@pu(...) \| up_write@pu(...) \| downgrade_write@pu(...) \| up_read@pu(...) \)
...
s@ps(...)
... when any
}

@script:python@
f << dropper.f;
ps << dropper.ps;
@@
dl_m(ps[0].file, "dropper", f)

@heldsleeper exists@
identifier f, s;
position pf : script:python(f) { bpw_callee(f) };
position pu : script:python() { bpw_goodu(pu) };
position ps : script:python(s) { is_sleep(s) };
@@
f@pf(...) {
... when != \( xfs_iunlock@pu(...) \| xfs_ilock_demote@pu(...) \| filemap_invalidate_unlock@pu(...) \| filemap_invalidate_unlock_two@pu(...) \| up_write@pu(...) \| downgrade_write@pu(...) \| up_read@pu(...) \)
s@ps(...)
... when any
}

@script:python@
f << heldsleeper.f;
ps << heldsleeper.ps;
@@
dl_m(ps[0].file, "heldsleeper", f)

// the lookups: the page they return, or the result thrown away
@site@
identifier L;
expression P;
position p : script:python(L) { bpw_lookup(L) };
@@
P = L@p(...)

@script:python@
L << site.L;
P << site.P;
p << site.p;
@@
dl_m(p[0].file, "site", p[0].current_element, L, int(p[0].line),
     int(p[0].column), int(p[0].column_end), P)

@site0@
identifier L;
position p : script:python(L) { bpw_lookup(L) };
@@
L@p(...);

@script:python@
L << site0.L;
p << site0.p;
@@
dl_m(p[0].file, "site", p[0].current_element, L, int(p[0].line),
     int(p[0].column), int(p[0].column_end), None)

// a call that the function's control flow reaches again (a loop, or a
// backward goto): the lookup, or the call of a retry-flag wrapper
@cyc exists@
identifier g;
position p : script:python(g) { bpw_near(g) };
@@
g@p(...)
...
g@p(...)

@script:python@
p << cyc.p;
@@
dl_m(p[0].file, "cyc", int(p[0].line), int(p[0].column))

// what runs after a lookup: any wait, and waits with the lock still held
@after exists@
identifier L, h;
position p : script:python(L) { bpw_lookup(L) };
position q : script:python(h) { bpw_waitish(h) };
@@
L@p(...)
...
h@q(...)

@script:python@
p << after.p;
q << after.q;
h << after.h;
@@
dl_m(p[0].file, "after", int(p[0].line), int(p[0].column), h,
     int(q[0].line), int(q[0].column), int(q[0].column_end),
     bpw_args(lk_args(q[0].file, q[0].line, q[0].column)))

@afterheld exists@
identifier L, h;
position p : script:python(L) { bpw_lookup(L) };
position q : script:python(h) { bpw_waitish(h) };
position pu : script:python() { bpw_goodu(pu) };
@@
L@p(...)
... when != \( xfs_iunlock@pu(...) \| xfs_ilock_demote@pu(...) \| filemap_invalidate_unlock@pu(...) \| filemap_invalidate_unlock_two@pu(...) \| up_write@pu(...) \| downgrade_write@pu(...) \| up_read@pu(...) \)
h@q(...)

@script:python@
p << afterheld.p;
q << afterheld.q;
@@
dl_m(p[0].file, "held", int(p[0].line), int(p[0].column), int(q[0].line),
     int(q[0].column))

// ---- the decision ----

@script:python bpw_result@
@@
if dl_usable():
	bpw_decide()
dl_dump()

@script:python depends on org@
@@
if not coccinelle.bpworg:
	coccinelle.bpworg.append(True)

@ctx depends on context@
@@
* \(dax_layout_busy_page\|dax_layout_busy_page_range\)(...)

@finalize:python@
found << merge.bpw;
orgs << merge.bpworg;
@@
ORG = any(any(o) for o in orgs)
for l in sorted(set(l for part in found for l in part)):
	if ORG:
		m = re.match(r"^([^:]+):(\d+):(\d+)-(\d+): WARNING: (.*)$", l)
		print("* TODO [[view:%s::face=ovl-face1::linb=%s::colb=%s::cole=%s][%s]]"
		      % (m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)))
	else:
		print(l)
