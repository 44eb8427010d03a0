// SPDX-License-Identifier: GPL-2.0-only
/// dax_layout_busy_page() / dax_layout_busy_page_range() may only be called
/// with the filesystem's page-fault lock held exclusively (XFS_MMAPLOCK_EXCL,
/// ext4's i_mmap_sem taken with down_write(), or, from 5.15 on,
/// filemap_invalidate_lock()).  The scan unmaps every DAX page of the file
/// and returns the first one still pinned; only the fault lock stops a new
/// fault from mapping and pinning a page right behind it, so that the caller
/// goes on to free blocks that a device is DMAing into.
///
/// A function that asserts the lock (ASSERT(xfs_isilocked()),
/// lockdep_assert_held_write(), WARN_ON_ONCE(!rwsem_is_locked())) or that
/// does no locking of its own only passes the obligation on (a "wrapper":
/// xfs_break_dax_layouts, ext4_break_layouts, fuse_dax_break_layouts ...).
/// The rule summarises the wrappers of a directory (to a fixed point, with the
/// argument that names the object and any "case BREAK_UNMAP:"-like condition
/// on a parameter) and checks every caller: a caller that does its own
/// locking (takes or releases a fault lock, takes the inode lock, or the
/// xfs i/o lock) must hold the fault lock, on that object, on every path to
/// the call, and not have released it since; a wrapper nobody in the
/// directory calls (an entry point) is reported itself.
//
// Rule: busy-page-locked
// Prefilter: dax_layout_busy_page
// Scope: directory
// Confidence: Moderate
// Comments: lock objects are compared by their root variable through local
//  aliases and single-argument conversions (XFS_I, VFS_I, EXT4_I,
//  file_inode, ->i_mapping ...); an object the rule cannot resolve matches
//  any lock.  Exported wrappers are not reported (callers are elsewhere).
// Options: --no-includes --include-headers --no-scanner --kbuild-info scripts/coccinelle/dax/kbuild-info

virtual context
virtual org
virtual report

@initialize:python@
@@
import os
import re

# facts, one list per worker process; merged in finalize
coccinelle.bpl = []
coccinelle.bplorg = []

API = ("dax_layout_busy_page", "dax_layout_busy_page_range")
BIT_RX = re.compile(r"\bXFS_MMAPLOCK_EXCL\b")
# the lock primitives themselves are not helpers (xfs_ilock() takes
# whatever its flags say)
PRIMITIVES = ("xfs_ilock", "xfs_ilock_nowait", "xfs_lock_two_inodes",
	      "filemap_invalidate_lock", "filemap_invalidate_lock_two",
	      "filemap_invalidate_lock_shared", "xfs_ilock_demote")

defined = set(API)          # functions defined in the directories seen
aliases = {}                # (file, func, var) -> [expr]
assigns = {}                # (file, func, var) -> [(line, "=" or "|=", expr)]
params = {}                 # (file, func) -> {index: name}
good_lock = set()           # (file, line, col, E) lock statements that count
good_unlock = set()         # (file, line, col, E) unlocks that count
raw_locks = []              # (dir, file, func, E, line, col)
raw_unlocks = {}            # (file, func) -> [E]
_helpers = {}               # dir -> {name: param index}
callgraph = {}              # caller name -> callee names
_reach = [None]

def reaching():
	"""Functions that call, maybe through others, the busy-page API."""
	if _reach[0] is None:
		r = set(API)
		changed = True
		while changed:
			changed = False
			for f, cs in callgraph.items():
				if f not in r and cs & r:
					r.add(f)
					changed = True
		_reach[0] = r
	return _reach[0]

def fact(*t):
	coccinelle.bpl.append(t)

def pkey(p, e=None):
	return (p[0].file, p[0].line, p[0].column,
		re.sub(r"\s+", "", e) if e is not None else None)

_src = {}
def call_args(file, line, col):
	"""The argument texts of the call whose callee starts at LINE:COL."""
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
	return [re.sub(r"\s+", "", a) for a in args if a != ""] if args != [""] else []

def flags_have_bit(F, file, func, depth=0, line=None):
	"""Does the xfs lock-flags expression F contain XFS_MMAPLOCK_EXCL?
	   A local variable counts by the assignments that precede LINE: the
	   last plain assignment or initialiser, and any "|=" after it.  A
	   parameter or *ptr is unknown (None)."""
	F = re.sub(r"\s+", "", F)
	if BIT_RX.search(F):
		return True
	m = re.match(r"^\(?([A-Za-z_]\w*)\)?$", F)
	if not m:
		if F.startswith("*"):
			return None
		return False
	v = m.group(1)
	asg = sorted(assigns.get((file, func, v), []))
	if asg:
		if line is not None:
			before = [a for a in asg if a[0] < int(line)]
			if before:
				asg = before
		last = max([i for i, a in enumerate(asg) if a[1] == "="] or [0])
		vals = [a[2] for a in asg[last:]]
		return any(BIT_RX.search(x) for x in vals) or \
			any(depth < 3 and flags_have_bit(x, file, func, depth + 1)
			    for x in vals if re.match(r"^\w+$", x.strip()))
	if v in (params.get((file, func)) or {}).values():
		return None
	if re.match(r"^[A-Z][A-Z0-9_]*$", v):
		return False
	return None

_cur_dir = [None]
def is_lock_helper(name, file):
	if file is None:
		file = _cur_dir[0]
		if file is None:
			return False
	else:
		_cur_dir[0] = file
	d = os.path.dirname(file)
	h = _helpers.get(d)
	if h is None:
		h = {}
		for (dd, f, fn, E, line, col) in raw_locks:
			if dd != d or fn in API or fn in PRIMITIVES:
				continue
			# only a lock taken unconditionally, at the top level of
			# the function body
			if f not in _src:
				call_args(f, 1, 0)
			src = _src.get(f) or []
			if int(line) > len(src) or \
			   not re.match(r"^(\t| {8})\S", src[int(line) - 1]):
				continue
			ps = params.get((f, fn)) or {}
			r = root(E, f, fn)
			idx = [i for i, n in ps.items() if n == r]
			if not idx:
				continue
			if any(root(u, f, fn) == r
			       for u in raw_unlocks.get((f, fn), [])):
				continue
			h.setdefault(fn, idx[0])
		_helpers[d] = h
	return name in h

def _strip(e):
	"""The base of an object expression: drop &, *, casts, parentheses,
	   single-argument conversions and field accesses."""
	e = re.sub(r"\s+", "", e)
	for _ in range(12):
		e = e.lstrip("&*")
		m = re.match(r"^\((?:struct)?\w*\*?\)(.*)$", e)
		if m and m.group(1):
			e = m.group(1)
			continue
		if e.startswith("("):
			depth = 0
			for i, c in enumerate(e):
				depth += c == "("
				depth -= c == ")"
				if depth == 0:
					break
			e = e[1:i] + e[i + 1:]
			continue
		m = re.match(r"^([A-Za-z_]\w*)\(", e)
		if m:
			depth, start, args, i = 0, len(m.group(0)), [], 0
			cur = ""
			for i in range(start - 1, len(e)):
				c = e[i]
				if c == "(":
					depth += 1
					if depth == 1:
						continue
				elif c == ")":
					depth -= 1
					if depth == 0:
						break
				elif c == "," and depth == 1:
					args.append(cur)
					cur = ""
					continue
				cur += c
			args.append(cur)
			if len(args) == 1 and args[0]:
				e = args[0] + e[i + 1:]
				continue
			return None
		m = re.match(r"^([A-Za-z_]\w*)", e)
		return m.group(1) if m else None
	return None

def root(e, file, func, depth=0):
	b = _strip(e)
	if b is None:
		return None
	vals = aliases.get((file, func, b))
	if vals and depth < 6:
		roots = set(root(v, file, func, depth + 1) for v in vals)
		if len(roots) == 1:
			r = roots.pop()
			return r if r is not None else b
	return b

// ---------------------------------------------------------------------
// facts about every function of the directory

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
fact("def", p[0].file, f, int(p[0].line))

@fparam2@
identifier f, x;
type T;
parameter list[n] ps;
position p;
@@
f@p(ps, T x, ...) { ... }

@script:python@
f << fparam2.f;
x << fparam2.x;
n << fparam2.n;
p << fparam2.p;
@@
params.setdefault((p[0].file, f), {})[int(n)] = x
fact("param", p[0].file, f, int(n), x)

@alias@
identifier x;
expression E;
type T;
position p;
@@
(
T x@p = E;
|
x@p = E
)

@script:python@
x << alias.x;
E << alias.E;
p << alias.p;
@@
aliases.setdefault((p[0].file, p[0].current_element, x), []).append(E)
assigns.setdefault((p[0].file, p[0].current_element, x), []).append(
	(int(p[0].line), "=", E))
fact("alias", p[0].file, p[0].current_element, x, E)

@orassign@
identifier x;
expression E;
position p;
@@
x@p |= E

@script:python@
x << orassign.x;
E << orassign.E;
p << orassign.p;
@@
assigns.setdefault((p[0].file, p[0].current_element, x), []).append(
	(int(p[0].line), "|=", E))

// every call of a function of the directory (or the API), with its arguments
@calls@
identifier g;
position p : script:python(g) { g in defined };
@@
g@p(...)

@script:python@
g << calls.g;
p << calls.p;
@@
for n, E in enumerate(call_args(p[0].file, p[0].line, p[0].column)):
	fact("call", p[0].file, p[0].current_element, g, int(p[0].line),
	     int(p[0].column), int(p[0].column_end), n, E)
callgraph.setdefault(p[0].current_element, set()).add(g)
_reach[0] = None

// lock statements that may take the fault lock exclusively
@xlk@
expression E, F;
position pl;
@@
(
xfs_ilock@pl(E, F)
|
xfs_ilock_nowait@pl(E, F)
|
xfs_lock_two_inodes@pl(E, F, ...)
)

@script:python@
E << xlk.E;
F << xlk.F;
pl << xlk.pl;
@@
fi, fn = pl[0].file, pl[0].current_element
G = re.sub(r"\s+", "", F)
m = re.match(r"^(?:xfs_lock_inumorder|XFS_LOCK_INUMORDER)\((.*),[^,]*\)$", G)
if m:
	G = m.group(1)
if flags_have_bit(G, fi, fn, line=pl[0].line) is not False:
	good_lock.add(pkey(pl, E))
	raw_locks.append((os.path.dirname(fi), fi, fn, E, pl[0].line,
			  pl[0].column))
elif re.search(r"\bXFS_(IOLOCK|MMAPLOCK)_", G) or re.match(r"^\w+$", G):
	# an attempt at the i/o or fault lock with the wrong flags: this
	# function deals with locking, so it is checked, not summarised
	fact("manages", fi, fn)

// the inode's own lock: a function that takes it does the operation's
// locking, so the fault lock belongs there too (checked, not summarised)
@ilk@
expression E;
position pl;
@@
(
inode_lock@pl(E)
|
inode_lock_shared@pl(E)
|
inode_lock_nested@pl(E, ...)
)

@script:python@
pl << ilk.pl;
@@
fact("manages", pl[0].file, pl[0].current_element)

@rlk@
expression E;
position pl;
@@
(
filemap_invalidate_lock@pl(E)
|
filemap_invalidate_lock_two@pl(E, ...)
|
down_write@pl(&E->\(invalidate_lock\|i_mmap_sem\))
|
down_write_killable@pl(&E->\(invalidate_lock\|i_mmap_sem\))
|
down_write_nested@pl(&E->\(invalidate_lock\|i_mmap_sem\), ...)
)

@script:python@
E << rlk.E;
pl << rlk.pl;
@@
fi = pl[0].file
good_lock.add(pkey(pl, E))
raw_locks.append((os.path.dirname(fi), fi, pl[0].current_element, E,
		  pl[0].line, pl[0].column))

// the second object of the two-object forms (a disjunction binds once)
@xlkb@
expression E, F, X1, X2;
position pl;
@@
xfs_lock_two_inodes@pl(X1, X2, E, F)

@script:python@
E << xlkb.E;
F << xlkb.F;
pl << xlkb.pl;
@@
fi, fn = pl[0].file, pl[0].current_element
if flags_have_bit(F, fi, fn, line=pl[0].line) is not False:
	good_lock.add(pkey(pl, E))
	raw_locks.append((os.path.dirname(fi), fi, fn, E, pl[0].line,
			  pl[0].column))

@rlkb@
expression E, X1;
position pl;
@@
filemap_invalidate_lock_two@pl(X1, E)

@script:python@
E << rlkb.E;
pl << rlkb.pl;
@@
fi = pl[0].file
good_lock.add(pkey(pl, E))
raw_locks.append((os.path.dirname(fi), fi, pl[0].current_element, E,
		  pl[0].line, pl[0].column))

// unlocks (and demotion to shared) of the fault lock
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
E << xulk.E;
F << xulk.F;
pu << xulk.pu;
@@
fi, fn = pu[0].file, pu[0].current_element
raw_unlocks.setdefault((fi, fn), []).append(E)
if flags_have_bit(F, fi, fn, line=pu[0].line):
	good_unlock.add(pkey(pu, E))
	# releases the fault lock: the function owns it even where the
	# lock statement is missing
	fact("manages", fi, fn)

@rulk@
expression E;
position pu;
@@
(
filemap_invalidate_unlock@pu(E)
|
filemap_invalidate_unlock_two@pu(E, ...)
|
filemap_invalidate_unlock_two@pu(..., E)
|
up_write@pu(&E->\(invalidate_lock\|i_mmap_sem\))
|
downgrade_write@pu(&E->\(invalidate_lock\|i_mmap_sem\))
)

@script:python@
E << rulk.E;
pu << rulk.pu;
@@
raw_unlocks.setdefault((pu[0].file, pu[0].current_element), []).append(E)
good_unlock.add(pkey(pu, E))
fact("manages", pu[0].file, pu[0].current_element)

// assertions that the caller holds the lock
@xas@
expression E, F;
position pa;
@@
(
xfs_isilocked@pa(E, F)
|
xfs_assert_ilocked@pa(E, F)
)

@script:python@
E << xas.E;
F << xas.F;
pa << xas.pa;
@@
if BIT_RX.search(F):
	fact("assert", pa[0].file, pa[0].current_element, E)

@ras@
expression E;
position pa;
@@
(
lockdep_assert_held_write@pa(&E->\(invalidate_lock\|i_mmap_sem\))
|
rwsem_is_locked@pa(&E->\(invalidate_lock\|i_mmap_sem\))
|
lockdep_assert_held_write@pa(E)
)

@script:python@
E << ras.E;
pa << ras.pa;
@@
fact("assert", pa[0].file, pa[0].current_element, E)

// calls of lock-taking helpers: functions of the directory that lock a
// parameter's object and never unlock it
@lkh@
identifier LH;
position pl : script:python(LH) { LH not in API and is_lock_helper(LH, pl[0].file) };
@@
LH@pl(...)

@script:python@
LH << lkh.LH;
pl << lkh.pl;
@@
i = _helpers[os.path.dirname(pl[0].file)].get(LH)
args = call_args(pl[0].file, pl[0].line, pl[0].column)
if i is not None and i < len(args):
	good_lock.add(pkey(pl, args[i]))

// every lock statement that counts, with its function
@lk exists@
identifier f;
identifier LH : script:python() { is_lock_helper(LH, None) };
expression E;
position pl;
position pf : script:python(f) { f in reaching() };
@@
f@pf(...) {
... when any
\( xfs_ilock@pl(E, ...) \| xfs_ilock_nowait@pl(E, ...) \| xfs_lock_two_inodes@pl(E, ...) \| xfs_lock_two_inodes@pl(..., E, ...) \| filemap_invalidate_lock@pl(E) \| filemap_invalidate_lock_two@pl(E, ...) \| filemap_invalidate_lock_two@pl(..., E) \| down_write@pl(&E->\(invalidate_lock\|i_mmap_sem\)) \| down_write_killable@pl(&E->\(invalidate_lock\|i_mmap_sem\)) \| down_write_nested@pl(&E->\(invalidate_lock\|i_mmap_sem\), ...) \| LH@pl(..., E, ...) \)
... when any
}

@script:python@
f << lk.f;
E << lk.E;
pl << lk.pl;
@@
if pkey(pl, E) in good_lock:
	fact("lock", pl[0].file, f, E, int(pl[0].line), int(pl[0].column))

// the second inode/mapping of the two-object lock forms
@lkb exists@
identifier f;
expression E, X1, X2;
position pl;
position pf : script:python(f) { f in reaching() };
@@
f@pf(...) {
... when any
\( xfs_lock_two_inodes@pl(X1, X2, E, ...) \| filemap_invalidate_lock_two@pl(X1, E) \)
... when any
}

@script:python@
f << lkb.f;
E << lkb.E;
pl << lkb.pl;
@@
if pkey(pl, E) in good_lock:
	fact("lock", pl[0].file, f, E, int(pl[0].line), int(pl[0].column))

// a call reached from the function's entry without passing the lock on E
@unprot exists@
identifier lk.f;
expression lk.E;
identifier g, LH;
position q : script:python(E) { pkey(q, E) in good_lock };
position p : script:python(g) { g in reaching() };
@@
f(...) {
... when != \( xfs_ilock@q(E, ...) \| xfs_ilock_nowait@q(E, ...) \| xfs_lock_two_inodes@q(E, ...) \| xfs_lock_two_inodes@q(..., E, ...) \| filemap_invalidate_lock@q(E) \| filemap_invalidate_lock_two@q(E, ...) \| filemap_invalidate_lock_two@q(..., E) \| down_write@q(&E->\(invalidate_lock\|i_mmap_sem\)) \| down_write_killable@q(&E->\(invalidate_lock\|i_mmap_sem\)) \| down_write_nested@q(&E->\(invalidate_lock\|i_mmap_sem\), ...) \| LH@q(..., E, ...) \)
g@p(...)
... when any
}

@script:python@
f << lk.f;
E << lk.E;
p << unprot.p;
@@
fact("unprot", p[0].file, f, E, int(p[0].line), int(p[0].column))

// ... or after the lock on E was released and not taken again
@unlocked exists@
identifier lk.f;
expression lk.E;
identifier g, LH;
position q : script:python(E) { pkey(q, E) in good_lock };
position u : script:python(E) { pkey(u, E) in good_unlock };
position p : script:python(g) { g in reaching() };
@@
f(...) {
... when any
\( xfs_iunlock@u(E, ...) \| xfs_ilock_demote@u(E, ...) \| filemap_invalidate_unlock@u(E) \| filemap_invalidate_unlock_two@u(E, ...) \| filemap_invalidate_unlock_two@u(..., E) \| up_write@u(&E->\(invalidate_lock\|i_mmap_sem\)) \| downgrade_write@u(&E->\(invalidate_lock\|i_mmap_sem\)) \)
... when != \( xfs_ilock@q(E, ...) \| xfs_ilock_nowait@q(E, ...) \| xfs_lock_two_inodes@q(E, ...) \| xfs_lock_two_inodes@q(..., E, ...) \| filemap_invalidate_lock@q(E) \| filemap_invalidate_lock_two@q(E, ...) \| filemap_invalidate_lock_two@q(..., E) \| down_write@q(&E->\(invalidate_lock\|i_mmap_sem\)) \| down_write_killable@q(&E->\(invalidate_lock\|i_mmap_sem\)) \| down_write_nested@q(&E->\(invalidate_lock\|i_mmap_sem\), ...) \| LH@q(..., E, ...) \)
g@p(...)
... when any
}

@script:python@
f << lk.f;
E << lk.E;
p << unlocked.p;
@@
fact("unprot", p[0].file, f, E, int(p[0].line), int(p[0].column))

// the same for the second object of the two-object locks
// a call reached from the function's entry without passing the lock on E
@unprotb exists@
identifier lkb.f;
expression lkb.E;
identifier g, LH;
position q : script:python(E) { pkey(q, E) in good_lock };
position p : script:python(g) { g in reaching() };
@@
f(...) {
... when != \( xfs_ilock@q(E, ...) \| xfs_ilock_nowait@q(E, ...) \| xfs_lock_two_inodes@q(E, ...) \| xfs_lock_two_inodes@q(..., E, ...) \| filemap_invalidate_lock@q(E) \| filemap_invalidate_lock_two@q(E, ...) \| filemap_invalidate_lock_two@q(..., E) \| down_write@q(&E->\(invalidate_lock\|i_mmap_sem\)) \| down_write_killable@q(&E->\(invalidate_lock\|i_mmap_sem\)) \| down_write_nested@q(&E->\(invalidate_lock\|i_mmap_sem\), ...) \| LH@q(..., E, ...) \)
g@p(...)
... when any
}

@script:python@
f << lkb.f;
E << lkb.E;
p << unprotb.p;
@@
fact("unprot", p[0].file, f, E, int(p[0].line), int(p[0].column))

// ... or after the lock on E was released and not taken again
@unlockedb exists@
identifier lkb.f;
expression lkb.E;
identifier g, LH;
position q : script:python(E) { pkey(q, E) in good_lock };
position u : script:python(E) { pkey(u, E) in good_unlock };
position p : script:python(g) { g in reaching() };
@@
f(...) {
... when any
\( xfs_iunlock@u(E, ...) \| xfs_ilock_demote@u(E, ...) \| filemap_invalidate_unlock@u(E) \| filemap_invalidate_unlock_two@u(E, ...) \| filemap_invalidate_unlock_two@u(..., E) \| up_write@u(&E->\(invalidate_lock\|i_mmap_sem\)) \| downgrade_write@u(&E->\(invalidate_lock\|i_mmap_sem\)) \)
... when != \( xfs_ilock@q(E, ...) \| xfs_ilock_nowait@q(E, ...) \| xfs_lock_two_inodes@q(E, ...) \| xfs_lock_two_inodes@q(..., E, ...) \| filemap_invalidate_lock@q(E) \| filemap_invalidate_lock_two@q(E, ...) \| filemap_invalidate_lock_two@q(..., E) \| down_write@q(&E->\(invalidate_lock\|i_mmap_sem\)) \| down_write_killable@q(&E->\(invalidate_lock\|i_mmap_sem\)) \| down_write_nested@q(&E->\(invalidate_lock\|i_mmap_sem\), ...) \| LH@q(..., E, ...) \)
g@p(...)
... when any
}

@script:python@
f << lkb.f;
E << lkb.E;
p << unlockedb.p;
@@
fact("unprot", p[0].file, f, E, int(p[0].line), int(p[0].column))

// a call made only when a parameter has one value:
// "if (reason == BREAK_UNMAP)" here, "case BREAK_UNMAP:" in finalize
@cond@
identifier g, r;
expression C;
position p : script:python(g) { g in defined };
@@
if (r == C) { <+... g@p(...) ...+> }

@script:python@
r << cond.r;
C << cond.C;
p << cond.p;
@@
fact("cond", p[0].file, p[0].current_element, int(p[0].line),
     int(p[0].column), r, C)

@script:python depends on org@
@@
if not coccinelle.bplorg:
	coccinelle.bplorg.append(True)

@ctx depends on context@
@@
* \(dax_layout_busy_page\|dax_layout_busy_page_range\)(...)

@finalize:python@
facts << merge.bpl;
orgs << merge.bplorg;
@@
import os
import re
import sys

RULE = "busy-page-locked"
API = ("dax_layout_busy_page", "dax_layout_busy_page_range")
ALL = [t for lst in facts for t in lst]

class D(object):
	def __init__(self):
		self.defs = {}        # name -> [(file, line)]
		self.params = {}      # (file, func) -> {i: name}
		self.aliases = {}     # (file, func, var) -> [expr]
		self.asserts = {}     # (file, func) -> [E]
		self.locks = {}       # (file, func) -> set(E)
		self.calls = {}       # (file, func) -> {(line, col): rec}
		self.unprot = set()   # (file, func, E, line, col)
		self.cond = {}        # (file, line, col) -> (r, C)
		self.manages = set()  # (file, func) that do their own locking
				      # without (surely) taking the fault lock

dirs = {}
def dd(f):
	d = os.path.dirname(f)
	if d not in dirs:
		dirs[d] = D()
	return dirs[d]

seen = set()
for t in ALL:
	if t in seen:
		continue
	seen.add(t)
	k = t[0]
	if k == "def":
		dd(t[1]).defs.setdefault(t[2], []).append((t[1], t[3]))
	elif k == "param":
		dd(t[1]).params.setdefault((t[1], t[2]), {})[t[3]] = t[4]
	elif k == "alias":
		dd(t[1]).aliases.setdefault((t[1], t[2], t[3]), []).append(t[4])
	elif k == "assert":
		dd(t[1]).asserts.setdefault((t[1], t[2]), []).append(t[3])
	elif k == "lock":
		dd(t[1]).locks.setdefault((t[1], t[2]), set()).add(t[3])
	elif k == "manages":
		dd(t[1]).manages.add((t[1], t[2]))
	elif k == "call":
		_, fi, fn, g, line, col, cole, n, E = t
		c = dd(fi).calls.setdefault((fi, fn), {})
		rec = c.setdefault((line, col), {"callee": g, "file": fi,
						 "func": fn, "line": line,
						 "col": col, "colend": cole,
						 "args": {}})
		rec["args"][n] = E
	elif k == "unprot":
		dd(t[1]).unprot.add(tuple(t[1:]))
	elif k == "cond":
		dd(t[1]).cond[(t[1], t[3], t[4])] = (t[5], t[6])

texts = {}
def text(fi):
	if fi not in texts:
		try:
			with open(fi, errors="replace") as fh:
				texts[fi] = fh.read().split("\n")
		except OSError:
			texts[fi] = []
	return texts[fi]

def switch_cond(d, fi, fn, line):
	"""(param, [case labels]) when the call on LINE is reached only through
	   case labels of a switch on a parameter of FN, else None."""
	lines = text(fi)
	start = None
	for (f2, l2) in d.defs.get(fn, []):
		if f2 == fi and l2 <= line and (start is None or l2 > start):
			start = l2
	if start is None or line > len(lines):
		return None
	body = "\n".join(lines[start - 1:line - 1])
	body = re.sub(r"/\*.*?\*/", " ", body, flags=re.S)
	body = re.sub(r"//[^\n]*", " ", body)
	toks = re.split(r"(\{|\}|\bcase\b[^:;{}]*:|\bdefault\s*:|;)", body)
	toks = [x.strip() for x in toks if x is not None and x.strip()]
	depth = 0
	labels = None
	ps = (d.params.get((fi, fn)) or {}).values()
	j = len(toks) - 1
	while j >= 0:
		tk = toks[j]
		if tk == "}":
			depth += 1
		elif tk == "{":
			if depth > 0:
				depth -= 1
			else:
				before = toks[j - 1] if j > 0 else ""
				m = re.search(r"\bswitch\s*\(\s*([A-Za-z_]\w*)\s*\)$",
					      before)
				if m:
					if labels and m.group(1) in ps:
						return (m.group(1), labels)
					return None
		elif depth == 0 and labels is None and \
		     (tk.startswith("case") or tk.startswith("default")):
			labels = []
			k = j
			while k >= 0 and (toks[k].startswith("case") or
					  toks[k].startswith("default")):
				if toks[k].startswith("default"):
					return None
				labels.append(re.sub(r"\s+", "",
					re.sub(r"^case|:$", "", toks[k])))
				k -= 1
			# reached by falling through from the case above?
			if k >= 0 and toks[k] != "{":
				prev = toks[k - 1] if toks[k] == ";" and k > 0 else ""
				if not re.match(r"^(break|return|goto|continue)\b", prev):
					return None
			j = k + 1
		j -= 1
	return None

def root(d, e, fi, fn, depth=0):
	b = _strip(e)
	if b is None:
		return None
	vals = d.aliases.get((fi, fn, b))
	if vals and depth < 6:
		roots = set(root(d, v, fi, fn, depth + 1) for v in vals)
		if len(roots) == 1:
			r = roots.pop()
			return r if r is not None else b
	return b

def is_const(a):
	return re.match(r"^[A-Z][A-Z0-9_]*$", re.sub(r"\s+", "", a)) is not None

def exported(fn, fi):
	for l in text(fi):
		if re.search(r"EXPORT_SYMBOL\w*\(\s*%s\s*\)" % re.escape(fn), l):
			return True
	return False

out = []
for dname in sorted(dirs):
	d = dirs[dname]
	# obligations: callee -> (object arg index or None, (cond index, [labels]) or None)
	obl = {a: (0, None) for a in API}
	why = {a: a for a in API}
	wrappers = {}
	funcs = sorted(set(d.calls.keys()) | set(d.locks.keys()) | d.manages)

	def sites(key):
		res = []
		for rec in d.calls.get(key, {}).values():
			g = rec["callee"]
			if g not in obl:
				continue
			idx, cnd = obl[g]
			if cnd is not None:
				ci, labels = cnd
				a = rec["args"].get(ci)
				vals = [a] if a is not None else []
				if a is not None and re.match(r"^\w+$", a.strip()) \
				   and not is_const(a):
					# a local variable: the values assigned to it
					vals = d.aliases.get((rec["file"], rec["func"],
							      a.strip()), [a])
				if vals and all(is_const(v) and
						re.sub(r"\s+", "", v) not in labels
						for v in vals):
					continue
			res.append(rec)
		return res

	changed = True
	rounds = 0
	while changed and rounds < 50:
		changed = False
		rounds += 1
		for key in funcs:
			fi, fn = key
			if fn in API or fn in wrappers:
				continue
			ss = sites(key)
			if not ss:
				continue
			asserting = bool(d.asserts.get(key))
			if not asserting and (d.locks.get(key) or
					      key in d.manages):
				continue
			ps = d.params.get(key) or {}
			idx = None
			for rec in ss:
				a = rec["args"].get(obl[rec["callee"]][0]) \
					if obl[rec["callee"]][0] is not None else None
				r = root(d, a, fi, fn) if a is not None else None
				hit = [i for i, nm in ps.items() if nm == r]
				if hit:
					idx = hit[0]
					break
			cnd = None
			conds = []
			for rec in ss:
				c = d.cond.get((fi, rec["line"], rec["col"]))
				if c is not None:
					c = (c[0], [re.sub(r"\s+", "", c[1])])
				else:
					c = switch_cond(d, fi, fn, rec["line"])
				conds.append(c)
			if conds and all(c is not None for c in conds) and \
			   len(set((c[0], tuple(c[1])) for c in conds)) == 1:
				pi = [i for i, nm in ps.items() if nm == conds[0][0]]
				if pi:
					cnd = (pi[0], conds[0][1])
			wrappers[fn] = (key, asserting)
			obl[fn] = (idx, cnd)
			why[fn] = why[ss[0]["callee"]]
			changed = True

	if os.environ.get("DAXLINT_DEBUG"):
		sys.stderr.write("busy-page-locked: %s: wrappers %s\n" % (
			dname, sorted((k, v) for k, v in obl.items())))
	callers = set()
	for key, recs in d.calls.items():
		for rec in recs.values():
			callers.add(rec["callee"])

	def report(rec, detail):
		out.append("%s:%s:%s-%s: WARNING: [%s] %s: %s" % (
			rec["file"], rec["line"], rec["col"], rec["colend"], RULE,
			rec["func"], detail))

	for key in funcs:
		fi, fn = key
		if fn in API:
			continue
		ss = sites(key)
		if not ss:
			continue
		if fn in wrappers:
			if wrappers[fn][1] or fn in callers or exported(fn, fi):
				continue
			for rec in ss:
				report(rec, "%s() reaches %s() and no caller in %s "
				       "takes the fault-blocking lock: take it "
				       "exclusively (XFS_MMAPLOCK_EXCL, "
				       "filemap_invalidate_lock(), down_write(i_mmap_sem)) "
				       "around the call, or a fault can pin a DAX page "
				       "right after the scan" % (
				       rec["callee"], why[rec["callee"]],
				       dname or "."))
			continue
		locks = d.locks.get(key, set())
		if os.environ.get("DAXLINT_DEBUG") == fn:
			sys.stderr.write("locks %s\nunprot %s\n" % (locks, sorted(
				u for u in d.unprot if u[1] == fn)))
		for rec in ss:
			i = obl[rec["callee"]][0]
			a = rec["args"].get(i) if i is not None else None
			r = root(d, a, fi, fn) if a is not None else None
			ok = False
			for E in locks:
				re_ = root(d, E, fi, fn)
				if r is not None and re_ is not None and r != re_:
					continue
				if (fi, fn, E, rec["line"], rec["col"]) not in d.unprot:
					ok = True
					break
			if not ok:
				report(rec, "%s() reaches %s() on a path without the "
				       "fault-blocking lock held exclusively%s; a "
				       "concurrent fault can map and pin a DAX page "
				       "right after the scan" % (
				       rec["callee"], why[rec["callee"]],
				       (" on %s" % a.strip()) if a else ""))

ORG = any(any(o) for o in orgs)
for l in sorted(set(out)):
	if ORG:
		m = re.match(r"^([^:]+):(\d+):(\d+)-(\d+): WARNING: (.*)$", l)
		print("* TODO [[view:%s::face=ovl-face1::linb=%s::colb=%s::cole=%s][%s]]"
		      % (m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)))
	else:
		print(l)
