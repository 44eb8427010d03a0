// SPDX-License-Identifier: GPL-2.0-only
/// In a filesystem that has a DAX address_space_operations, every operation
/// that takes blocks away from a file (the ATTR_SIZE path of .setattr, the
/// hole-punching/collapsing/zeroing/inserting .fallocate modes, the
/// destination of .remap_file_range) must break DAX layouts -- wait until
/// no DAX page of the file is pinned for DMA -- before it truncates the page
/// cache or frees blocks.  Otherwise a block still targeted by DMA from
/// get_user_pages() can be freed and reallocated to another file.
///
/// The rule is interprocedural over one directory (a filesystem): entry
/// points come from the inode_operations/file_operations tables, calls are
/// followed into every function defined in the directory, and a finding is
/// a truncation (truncate_pagecache*, truncate_inode_pages*,
/// truncate_setsize, or the filesystem's own block-freeing routine) that is
/// reachable from an entry point on a path with no layout break before it.
/// See docs/rules/unmap-breaks-layouts.md for the exact model and limits.
//
// Rule: unmap-breaks-layouts
// Prefilter: dax_writeback_mapping_range\s*\(([^s)]|s[^t]|$)|dax[a-z0-9_]*aops\s*=
// Scope: directory-all
// Confidence: Moderate
// Comments: needs the whole directory in one file group (the daxlint
//  driver passes one group per directory); run file by file (plain make
//  coccicheck) it only sees violations whose tables, aops and path are in
//  one file, and never reports more.
// Options: --no-includes --include-headers --no-scanner --kbuild-info scripts/coccinelle/dax/kbuild-info

virtual context
virtual org
virtual report

@initialize:python@
@@
import os
import re
import sys

UBL_DEBUG = bool(os.environ.get("DAXLINT_UBL_DEBUG"))

# the page-cache truncation primitives
UBL_PRIM = re.compile(r"^truncate_(pagecache(_range)?|setsize|"
                      r"inode_pages(_range|_final)?)$")
# the DAX busy-page scan that every layout break is built on (and the
# generic breakers of 6.15+ built on it)
UBL_BUSY = re.compile(r"^(dax_layout_busy_page(_range)?|dax_break_layout\w*)$")
UBL_WB = "dax_writeback_mapping_range"
UBL_ENTRY_OPS = {"setattr": ".setattr", "fallocate": ".fallocate",
                 "remap_file_range": ".remap_file_range",
                 "clone_file_range": ".clone_file_range",
                 "dedupe_file_range": ".dedupe_file_range"}
UBL_DAX_RX = re.compile(r"dax", re.I)
UBL_NEG_DAX_RX = re.compile(r"!\s*\(?\s*[\w>.-]*dax", re.I)

# results of all groups, printed by finalize (one list per worker)
coccinelle.ubl_findings = []


class UblGroup:
    """Facts of one file group (the daxlint driver: one directory)."""

    def __init__(self):
        self.defs = {}          # fn -> (file, line)
        self.calls = {}         # caller -> set of callees
        self.sites = {}         # caller -> [(callee, (file, line, col))]
        self.bw = set()         # (file, line, col) of calls with BREAK_WRITE
        self.entries = {}       # fn -> (op, table)
        self.getattr = set()    # .getattr handlers
        self.refresh = set()    # functions reachable from .getattr
        self.aops = []          # (aops name, writepages fn, file, line)
        self.pcaops = set()     # aops names with a page-cache operation
        self.freers = set()     # learned block-freeing routines
        self.daxvars = set()    # (fn, var) assigned from a DAX test
        self.guards = set()     # (file, line, col) of DAX-guarded breaks
        self.nondax = set()     # (file, first, last line) of branches that
                                # only page-cache inodes take
        self.unbroken = {}      # fn -> [(callee, file, line, col, colend)]
        self.active = False
        self.daxaops = None
        self.pure = set()
        self.reach = set()
        self.tset = set()
        self.findings = set()   # (file, line, col) for context mode

    def closure(self, seeds_rx=None, seeds=()):
        """Functions from which a call chain inside the group reaches a
        callee matching SEEDS_RX or named in SEEDS."""
        hit = set()
        changed = True
        while changed:
            changed = False
            for f, cs in self.calls.items():
                if f in hit or f not in self.defs:
                    continue
                for c in cs:
                    if (c in hit or c in seeds or
                            (seeds_rx is not None and seeds_rx.match(c))):
                        hit.add(f)
                        changed = True
                        break
        return hit


UBL = UblGroup()
UBL_MODE = set()


class UblPos:
    def __init__(self, fl, ln, col, ce):
        self.file, self.line, self.column = fl, str(ln), str(col)
        self.line_end, self.column_end = str(ln), str(ce)


def ubl_loc(p):
    return (p.file, int(p.line), int(p.column))


def ubl_is_break_call(g, p):
    return g in UBL.pure and ubl_loc(p[0]) not in UBL.bw


def ubl_isdef(g):
    return g in UBL.defs


def ubl_reached(g):
    return g in UBL.reach


def ubl_in_reach(p):
    return p[0].current_element in UBL.reach


def ubl_breaker(g):
    return g in UBL.pure


def ubl_truncator(g):
    return bool(UBL_PRIM.match(g)) or g in UBL.tset


def ubl_not_bw(p):
    return ubl_loc(p[0]) not in UBL.bw


def ubl_guard(p):
    return ubl_loc(p[0]) in UBL.guards


def ubl_found(p):
    return ubl_loc(p[0]) in UBL.findings


def ubl_callee(g):
    return bool(g in UBL.defs or UBL_PRIM.match(g) or UBL_BUSY.match(g) or
                g == UBL_WB)


def ubl_only_dax_test(cond, negated):
    """COND is a single DAX test (no && or ||), negated or not as asked."""
    c = cond.strip()
    if "&&" in c or "||" in c or not UBL_DAX_RX.search(c):
        return False
    return bool(UBL_NEG_DAX_RX.search(c)) == negated


def ubl_nondax_site(fl, ln):
    for f, a, b in UBL.nondax:
        if f == fl and a <= ln <= b:
            return True
    return False


def ubl_daxish(fn, cond):
    c = cond.strip()
    if UBL_NEG_DAX_RX.search(c):
        return False
    if UBL_DAX_RX.search(c):
        return True
    for tok in re.findall(r"[A-Za-z_]\w*", c):
        if (fn, tok) in UBL.daxvars:
            return True
    return False

# a new file group starts: forget the previous one
@script:python ubl_start@
@@
UBL.__init__()

@script:python depends on report@
@@
UBL_MODE.add("report")

@script:python depends on org@
@@
UBL_MODE.add("org")

@ubl_def@
identifier fn;
position p;
@@
fn@p(...) { ... }

@script:python@
fn << ubl_def.fn;
p << ubl_def.p;
@@
UBL.defs.setdefault(fn, (p[0].file, p[0].line))

@ubl_call@
identifier g : script:python() { ubl_callee(g) };
expression list es;
position p;
@@
g@p(es)

@script:python@
g << ubl_call.g;
es << ubl_call.es;
p << ubl_call.p;
@@
for q in p:
    UBL.calls.setdefault(q.current_element, set()).add(g)
    UBL.sites.setdefault(q.current_element, []).append((g, ubl_loc(q)))
    # a layout-break call with the write reason does not wait for DAX pages
    if g in UBL.defs and re.search(r"\bBREAK_WRITE\b", str(es)):
        UBL.bw.add(ubl_loc(q))

@ubl_iops@
identifier ops, f;
@@
struct inode_operations ops = { ..., .setattr = f, ... };

@script:python@
ops << ubl_iops.ops;
f << ubl_iops.f;
@@
UBL.entries.setdefault(f, (".setattr", ops))

@ubl_giops@
identifier ops, f;
@@
struct inode_operations ops = { ..., .getattr = f, ... };

@script:python@
f << ubl_giops.f;
@@
UBL.getattr.add(f)

@ubl_fops@
identifier ops, f, fld;
@@
struct file_operations ops = { ...,
	.fld = f, ... };

@script:python@
ops << ubl_fops.ops;
f << ubl_fops.f;
fld << ubl_fops.fld;
@@
if fld in UBL_ENTRY_OPS:
    UBL.entries.setdefault(f, (UBL_ENTRY_OPS[fld], ops))

@ubl_aops@
identifier ops, wp;
position p;
@@
struct address_space_operations ops@p = { ..., .writepages = wp, ... };

@script:python@
ops << ubl_aops.ops;
wp << ubl_aops.wp;
p << ubl_aops.p;
@@
UBL.aops.append((ops, wp, p[0].file, p[0].line))

# an aops that does page-cache I/O is no DAX aops, even if its .writepages
# (wrongly) diverts DAX inodes: that is dax-writepages-divert's finding
@ubl_pcaops@
identifier ops, pcop;
@@
struct address_space_operations ops = {
	...,
	.\(read_folio\|readpage\|readpages\|readahead\|writepage\|write_begin\|write_end\)
		= pcop,
	...
};

@script:python@
ops << ubl_pcaops.ops;
@@
UBL.pcaops.add(ops)

# the truncate-then-free idiom names the filesystem block-freeing
# routine: the call right after a page-cache truncation, on the same inode
# and size
@ubl_free@
identifier tp : script:python() { tp == "truncate_setsize" or tp == "truncate_pagecache" };
identifier freer : script:python() { ubl_isdef(freer) };
expression I, X, E;
@@
tp(I, X);
(
freer(I, X, ...);
|
E = freer(I, X, ...);
)

@script:python@
freer << ubl_free.freer;
@@
UBL.freers.add(freer)

# what this group is made of: DAX aops, layout breakers, truncators,
# the functions reachable from the entry points
@script:python ubl_compute@
@@
wb = UBL.closure(seeds=(UBL_WB,))
for ops, wp, f, l in UBL.aops:
    if ops in UBL.pcaops:
        continue
    if wp in wb or UBL_DAX_RX.search(ops):
        UBL.daxaops = ops
        break
UBL.active = UBL.daxaops is not None and bool(UBL.entries)
if UBL.active:
    # functions that reach the busy-page scan, not counting calls that
    # pass BREAK_WRITE (the lease-only break of the write path)
    breakers = set()
    changed = True
    while changed:
        changed = False
        for f, ss in UBL.sites.items():
            if f in breakers or f not in UBL.defs:
                continue
            for c, loc in ss:
                if UBL_BUSY.match(c) or (c in breakers and
                                         loc not in UBL.bw):
                    breakers.add(f)
                    changed = True
                    break
    truncs = UBL.closure(seeds_rx=UBL_PRIM, seeds=UBL.freers)
    # a break is a call of a function that breaks layouts and truncates
    # nothing itself (a wrapper such as xfs_break_layouts); a function that
    # does both is analysed on its own
    UBL.pure = breakers - truncs
    UBL.tset = (truncs | UBL.freers) - UBL.pure
    # a truncation that also runs when attributes are only read (.getattr)
    # mirrors a size change made elsewhere (a FUSE or network server), not
    # an operation of this filesystem that takes blocks away
    todo = [f for f in UBL.getattr if f in UBL.defs]
    UBL.refresh = set(todo)
    while todo:
        f = todo.pop()
        for c in UBL.calls.get(f, ()):
            if c in UBL.defs and c not in UBL.refresh:
                UBL.refresh.add(c)
                todo.append(c)
    todo = [f for f in UBL.entries if f in UBL.defs and f not in UBL.refresh]
    UBL.reach = set(todo)
    while todo:
        f = todo.pop()
        for c in UBL.calls.get(f, ()):
            if (c in UBL.defs and c not in UBL.reach and
                    c not in UBL.freers and c not in UBL.refresh):
                UBL.reach.add(c)
                todo.append(c)
    # only a function that calls a truncator can hold a finding or lead to
    # one
    UBL.reach &= truncs

# local flags computed from a DAX test (block_faults in fuse)
@ubl_daxvar@
identifier x;
type T;
expression E : script:python() { UBL_DAX_RX.search(E) is not None };
position p : script:python() { ubl_in_reach(p) };
@@
(
T x@p = E;
|
x@p = E
)

@script:python@
x << ubl_daxvar.x;
p << ubl_daxvar.p;
@@
for q in p:
    UBL.daxvars.add((q.current_element, x))

@script:python ubl_debug1@
@@
if UBL_DEBUG and UBL.defs:
    d = os.path.dirname(list(UBL.defs.values())[0][0])
    sys.stderr.write("ubl[%s]: daxaops=%s entries=%s pure=%s freers=%s "
                     "refresh=%d reach=%s\n" %
                     (d, UBL.daxaops, sorted(UBL.entries), sorted(UBL.pure),
                      sorted(UBL.freers), len(UBL.refresh), sorted(UBL.reach)))

# a break under a DAX test covers the DAX inode: the path where the test
# fails only sees page-cache inodes
@ubl_guard@
expression C;
statement S, S2;
position pc : script:python() { ubl_in_reach(pc) };
position ps, ps2;
@@
(
if (C@pc) S@ps else S2@ps2
|
if (C@pc) S@ps
)

@script:python@
C << ubl_guard.C;
S << ubl_guard.S;
pc << ubl_guard.pc;
ps << ubl_guard.ps;
@@
if UBL.active and ubl_only_dax_test(C, negated=True):
    # the branch taken only by page-cache inodes (if (!IS_DAX(inode)) ...)
    for q in ps:
        UBL.nondax.add((q.file, int(q.line), int(q.line_end)))
if UBL.active:
    for q in pc:
        if q.current_element in UBL.reach and ubl_daxish(q.current_element, C):
            for b in UBL.pure:
                if re.search(r"\b%s\s*\(" % re.escape(b), S):
                    UBL.guards.add(ubl_loc(q))
                    break

@script:python@
C << ubl_guard.C;
ps2 << ubl_guard.ps2;
@@
if UBL.active and ubl_only_dax_test(C, negated=False):
    # the else branch of if (IS_DAX(inode)) only sees page-cache inodes
    for q in ps2:
        UBL.nondax.add((q.file, int(q.line), int(q.line_end)))

# every call of a truncating function that some path from the entry of the function
# reaches without a layout break
@ubl_path exists@
identifier fn : script:python() { ubl_reached(fn) };
identifier brk : script:python() { ubl_breaker(brk) };
identifier t : script:python() { ubl_truncator(t) };
expression E;
position pb : script:python() { ubl_not_bw(pb) };
position pg : script:python() { ubl_guard(pg) };
position p;
@@
fn(...) {
 ... when != brk@pb(...)
     when != E@pg
     when any
 t@p(...)
 ... when any
}

@script:python@
fn << ubl_path.fn;
t << ubl_path.t;
p << ubl_path.p;
@@
for q in p:
    UBL.unbroken.setdefault(fn, set()).add(
        (t, q.file, int(q.line), int(q.column), int(q.column_end)))

@script:python ubl_debug2@
@@
if UBL_DEBUG and UBL.active:
    sys.stderr.write("ubl: guards=%s\n" % sorted(UBL.guards))
    for f in sorted(UBL.unbroken):
        sys.stderr.write("ubl: %s: %s\n" % (f, sorted(UBL.unbroken[f])))

# chain the unbroken calls from the entry points down to the truncations
@script:python ubl_result@
@@
if UBL.active:
    pred = {}
    todo = []
    for f in sorted(UBL.entries):
        if f in UBL.defs:
            pred[f] = None
            todo.append(f)
    while todo:
        f = todo.pop(0)
        for (c, fl, ln, col, ce) in sorted(UBL.unbroken.get(f, ()),
                                           key=lambda x: (x[2], x[3])):
            if ubl_nondax_site(fl, ln):
                continue
            if (c in UBL.defs and c not in UBL.freers and
                    c not in UBL.refresh and c not in pred):
                pred[c] = f
                todo.append(c)
    for f in pred:
        leaves = sorted([s for s in UBL.unbroken.get(f, ())
                         if (UBL_PRIM.match(s[0]) or s[0] in UBL.freers) and
                         not ubl_nondax_site(s[1], s[2])],
                        key=lambda x: (x[2], x[3]))
        if not leaves:
            continue
        chain = [f]
        while pred[chain[0]] is not None:
            chain.insert(0, pred[chain[0]])
        op, table = UBL.entries[chain[0]]
        t, fl, ln, col, ce = leaves[0]
        what = "frees blocks (%s())" % t if t in UBL.freers else "%s()" % t
        more = ""
        if len(leaves) > 1:
            more = "; also %s" % ", ".join("%s() at line %d" % (s[0], s[2])
                                           for s in leaves[1:])
        msg = ("%s reached from %s (%s) without breaking DAX layouts "
               "first%s; a device may still be DMAing into those blocks "
               "(%s is a DAX aops)" %
               (what, " -> ".join("%s()" % c for c in chain), op,
                more, UBL.daxaops))
        UBL.findings.add((fl, ln, col))
        coccinelle.ubl_findings.append((fl, ln, col, ce, f, msg,
                                        tuple(sorted(UBL_MODE))))

@ubl_ctx depends on context@
identifier t;
position p : script:python() { ubl_found(p) };
@@
* t@p(...)

@finalize:python@
found << merge.ubl_findings;
@@
seen = set()
for part in found:
    for fl, ln, col, ce, f, msg, mode in sorted(part):
        if (fl, ln, col) in seen:
            continue
        seen.add((fl, ln, col))
        if "org" in mode:
            coccilib.org.print_todo(UblPos(fl, ln, col, ce),
                                    "[unmap-breaks-layouts] %s: %s" % (f, msg))
        if "report" in mode:
            print("%s:%d:%d-%d: WARNING: [unmap-breaks-layouts] %s: %s" %
                  (fl, ln, col, ce, f, msg))
