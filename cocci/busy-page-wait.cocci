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
import os
import re

coccinelle.bpw = []
coccinelle.bpworg = []

API = ("dax_layout_busy_page", "dax_layout_busy_page_range")
SLEEP_RX = re.compile(r"^(schedule|schedule_timeout\w*|io_schedule\w*|"
		      r"msleep\w*|ssleep|usleep_range\w*|wait_var_event\w*|"
		      r"wait_event\w*|wait_for_completion\w*|wait_on_bit\w*|"
		      r"wait_on_page\w*|folio_wait\w*)$")
BIT_RX = re.compile(r"\bXFS_MMAPLOCK_EXCL\b")

defined = set(API)
returns = {}                # func -> set(callee returned directly)
good_unlock = set()         # (file, line, col)
_lk = [None]
callgraph = {}              # caller -> callees (functions of the directory)
_near = [None]

def near():
	"""(functions that reach a lookup, their callees)"""
	if _near[0] is None:
		r = set(API) | lookups()
		changed = True
		while changed:
			changed = False
			for f, cs in callgraph.items():
				if f not in r and cs & r:
					r.add(f)
					changed = True
		c = set()
		for f in r:
			c |= callgraph.get(f, set())
		_near[0] = (r, c)
	return _near[0]

def fact(*t):
	coccinelle.bpw.append(t)

def is_sleep(s):
	return SLEEP_RX.match(s) is not None

def lookups():
	"""The API and functions that return its result."""
	if _lk[0] is None:
		r = set(API)
		changed = True
		while changed:
			changed = False
			for f, cs in returns.items():
				if f not in r and cs & r:
					r.add(f)
					changed = True
		_lk[0] = r
	return _lk[0]

def pk(p):
	return (p[0].file, p[0].line, p[0].column)

_src = {}
def call_args(file, line, col):
	if file not in _src:
		try:
			with open(file, errors="replace") as fh:
				_src[file] = fh.read().split("\n")
		except OSError:
			_src[file] = []
	lines = _src[file]
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
	return [re.sub(r"\s+", " ", a) for a in args if a != ""]

@fn@
identifier f;
position p;
@@
f@p(...) { ... }

@script:python@
f << fn.f;
p << fn.p;
@@
defined.add(f)

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
fact("param", p[0].file, f, int(n), x)

// functions that hand the lookup's result to their caller
@ret@
identifier g;
position p : script:python(g) { g in defined };
@@
return g@p(...);

@script:python@
g << ret.g;
p << ret.p;
@@
returns.setdefault(p[0].current_element, set()).add(g)
_lk[0] = None
fact("ret", p[0].file, p[0].current_element, g)

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
	good_unlock.add(pk(pu))

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
good_unlock.add(pk(pu))

// every call of a function of the directory, with its arguments
@calls@
identifier g;
position p : script:python(g) { g in defined };
@@
g@p(...)

@script:python@
g << calls.g;
p << calls.p;
@@
fact("call", p[0].file, p[0].current_element, g, int(p[0].line),
     int(p[0].column), int(p[0].column_end),
     tuple(call_args(p[0].file, p[0].line, p[0].column)))
callgraph.setdefault(p[0].current_element, set()).add(g)
_near[0] = None

// helpers: does a function sleep after dropping the lock (a good wait
// command), or sleep without dropping it?
@dropper exists@
identifier f, s;
position pf : script:python(f) { f in near()[1] };
position pu : script:python() { pk(pu) in good_unlock };
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
fact("dropper", ps[0].file, f)

@heldsleeper exists@
identifier f, s;
position pf : script:python(f) { f in near()[1] };
position pu : script:python() { pk(pu) in good_unlock };
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
fact("heldsleeper", ps[0].file, f)

// the lookups: the page they return, or the result thrown away
@site@
identifier L;
expression P;
position p : script:python(L) { L in lookups() };
@@
P = L@p(...)

@script:python@
L << site.L;
P << site.P;
p << site.p;
@@
fact("site", p[0].file, p[0].current_element, L, int(p[0].line),
     int(p[0].column), int(p[0].column_end), P)

@site0@
identifier L;
position p : script:python(L) { L in lookups() };
@@
L@p(...);

@script:python@
L << site0.L;
p << site0.p;
@@
fact("site", p[0].file, p[0].current_element, L, int(p[0].line),
     int(p[0].column), int(p[0].column_end), None)

@sitereturn@
identifier L;
position p : script:python(L) { L in lookups() };
@@
return L@p(...);

@script:python@
p << sitereturn.p;
@@
fact("sitereturn", p[0].file, int(p[0].line), int(p[0].column))

// a call that the function's control flow reaches again (a loop, or a
// backward goto): the lookup, or the call of a retry-flag wrapper
@cyc exists@
identifier g;
position p : script:python(g) { g in near()[0] };
@@
g@p(...)
...
g@p(...)

@script:python@
p << cyc.p;
@@
fact("cyc", p[0].file, int(p[0].line), int(p[0].column))

// what runs after a lookup: any wait, and waits with the lock still held
@after exists@
identifier L, h;
position p : script:python(L) { L in lookups() };
position q : script:python(h) { is_sleep(h) or h in defined or h == "___wait_var_event" };
@@
L@p(...)
...
h@q(...)

@script:python@
p << after.p;
q << after.q;
h << after.h;
@@
fact("after", p[0].file, int(p[0].line), int(p[0].column), h,
     int(q[0].line), int(q[0].column), int(q[0].column_end),
     tuple(call_args(q[0].file, q[0].line, q[0].column)))

@afterheld exists@
identifier L, h;
position p : script:python(L) { L in lookups() };
position q : script:python(h) { is_sleep(h) or h in defined or h == "___wait_var_event" };
position pu : script:python() { pk(pu) in good_unlock };
@@
L@p(...)
... when != \( xfs_iunlock@pu(...) \| xfs_ilock_demote@pu(...) \| filemap_invalidate_unlock@pu(...) \| filemap_invalidate_unlock_two@pu(...) \| up_write@pu(...) \| downgrade_write@pu(...) \| up_read@pu(...) \)
h@q(...)

@script:python@
p << afterheld.p;
q << afterheld.q;
@@
fact("held", p[0].file, int(p[0].line), int(p[0].column), int(q[0].line),
     int(q[0].column))

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
	fact("flag", p[0].file, p[0].current_element, R, v in ("true", "1"))

@script:python depends on org@
@@
if not coccinelle.bpworg:
	coccinelle.bpworg.append(True)

@ctx depends on context@
@@
* \(dax_layout_busy_page\|dax_layout_busy_page_range\)(...)

@finalize:python@
facts << merge.bpw;
orgs << merge.bpworg;
@@
import os
import re
import sys

RULE = "busy-page-wait"
ALL = set(t for lst in facts for t in lst)

params = {}
rets = {}
droppers = set()
heldsleepers = set()
sites = []
sitereturn = set()
cycs = set()
calls = []
after = {}
held = set()
flags = {}
for t in ALL:
	k = t[0]
	if k == "param":
		params.setdefault((t[1], t[2]), {})[t[3]] = t[4]
	elif k == "ret":
		rets.setdefault(os.path.dirname(t[1]), {}).setdefault(t[2], set()).add(t[3])
	elif k == "dropper":
		droppers.add((os.path.dirname(t[1]), t[2]))
	elif k == "heldsleeper":
		heldsleepers.add((os.path.dirname(t[1]), t[2]))
	elif k == "site":
		sites.append(t[1:])
	elif k == "sitereturn":
		sitereturn.add(t[1:])
	elif k == "cyc":
		cycs.add(t[1:])
	elif k == "call":
		calls.append(t[1:])
	elif k == "after":
		after.setdefault(t[1:4], []).append(t[4:])
	elif k == "held":
		held.add(t[1:])
	elif k == "flag":
		flags.setdefault((t[1], t[2], t[3]), set()).add(t[4])

out = []
def report(fi, line, col, colend, fn, detail):
	out.append("%s:%s:%s-%s: WARNING: [%s] %s: %s" % (
		fi, line, col, colend, RULE, fn, detail))

def callee_of(expr):
	m = re.match(r"^\s*([A-Za-z_]\w*)\s*\((.*)\)\s*$", expr or "", re.S)
	return (m.group(1), m.group(2)) if m else (None, "")

def words(s):
	return set(re.findall(r"[A-Za-z_]\w*", s or ""))

API = ("dax_layout_busy_page", "dax_layout_busy_page_range")
# lookups per directory: the API plus functions returning its result
lookup = {}
for d, rs in rets.items():
	r = set(API)
	changed = True
	while changed:
		changed = False
		for f, cs in rs.items():
			if f not in r and cs & r:
				r.add(f)
				changed = True
	lookup[d] = r

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
		if h == "___wait_var_event":
			cmd = args[5] if len(args) > 5 else None
			waits.append((h, ql, qc, qce, cmd))
		elif re.match(r"^(schedule|schedule_timeout\w*|io_schedule\w*|"
			      r"msleep\w*|ssleep|usleep_range\w*|"
			      r"wait_var_event\w*|wait_event\w*|"
			      r"wait_for_completion\w*|wait_on_bit\w*|"
			      r"wait_on_page\w*|folio_wait\w*)$", h) or \
		     (d, h) in droppers or (d, h) in heldsleepers:
			waits.append((h, ql, qc, qce, None))
	if not waits:
		continue
	# 1. no sleeping with the fault lock held
	for (h, ql, qc, qce, cmd) in waits:
		if (fi, line, col, ql, qc) not in held:
			continue
		bad = None
		if h == "___wait_var_event":
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
	for (f2, fn2, R), vals in flags.items():
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

ORG = any(any(o) for o in orgs)
for l in sorted(set(out)):
	if ORG:
		m = re.match(r"^([^:]+):(\d+):(\d+)-(\d+): WARNING: (.*)$", l)
		print("* TODO [[view:%s::face=ovl-face1::linb=%s::colb=%s::cole=%s][%s]]"
		      % (m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)))
	else:
		print(l)
