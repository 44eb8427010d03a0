// SPDX-License-Identifier: GPL-2.0-only
/// xfs_break_layouts(inode, &iolock, BREAK_WRITE) only recalls pNFS layout
/// leases; BREAK_UNMAP (v7: BREAK_UNMAPI) also waits for pinned DAX pages
/// to go idle.  A path that breaks with BREAK_WRITE and then punches,
/// truncates, collapses, inserts or remaps the extents of the same inode
/// frees blocks that a device may still be DMAing into.
///
/// The unmap operations are found by what they do: a call of one of the
/// primitives below on that inode, or of a function of the same directory
/// that (transitively) calls one on the inode it is given.
///   page cache / mapping truncation: truncate_setsize, truncate_pagecache,
///     truncate_pagecache_range, truncate_inode_pages,
///     truncate_inode_pages_range
///   xfs extent removal and shifting: xfs_bunmapi, __xfs_bunmapi,
///     xfs_itruncate_extents, xfs_itruncate_extents_flags,
///     xfs_bmap_collapse_extents, xfs_bmap_insert_extents
///   xfs operations built on those (listed so that code which only
///   declares them is covered): xfs_free_file_space,
///     xfs_collapse_file_space, xfs_insert_file_space,
///     xfs_flush_unmap_range, xfs_setattr_size, xfs_reflink_remap_blocks
/// The BREAK_WRITE break is followed into wrappers (a reason passed down
/// as a parameter) and out to callers (a helper that breaks with
/// BREAK_WRITE, after whose call the caller unmaps).
//
// Rule: break-reason
// Prefilter: xfs_break_layouts
// Scope: directory-all
// Confidence: Moderate
// Comments: cross-function summary over all .c files of one directory
//  (directory-all: the unmap summary needs callees, not only callers)
//  (see docs/rules/break-reason.md).
// Options: --no-includes --include-headers --no-scanner --kbuild-info scripts/coccinelle/dax/kbuild-info

virtual context
virtual org
virtual report

@initialize:python@
@@
import os
import re

BREAK = "xfs_break_layouts"
PRIMITIVES = (
    "truncate_setsize", "truncate_pagecache", "truncate_pagecache_range",
    "truncate_inode_pages", "truncate_inode_pages_range",
    "xfs_bunmapi", "__xfs_bunmapi", "xfs_itruncate_extents",
    "xfs_itruncate_extents_flags", "xfs_bmap_collapse_extents",
    "xfs_bmap_insert_extents",
    "xfs_free_file_space", "xfs_collapse_file_space",
    "xfs_insert_file_space", "xfs_flush_unmap_range", "xfs_setattr_size",
    "xfs_reflink_remap_blocks",
)
MODE = []

coccinelle.br_sites = []     # (dir, file, func, callee, line, col, colend, args)
coccinelle.br_after = []     # (file, site line, site col, callee, line, col, args)
coccinelle.br_calls = []     # (dir, file, func, callee, args) in unmapper candidates
coccinelle.br_params = []    # (file, func, [names])
coccinelle.br_aliases = []   # (file, func, name, expr)

_prescan = {}
_aliases = {}
_alias_pos = {}
_params = {}


def norm(s):
    return re.sub(r"\s+", "", str(s))


def _strip_comments(text):
    return re.sub(r"/\*.*?\*/|//[^\n]*", " ", text, flags=re.S)


FUNC_RX = re.compile(r"^[A-Za-z_][^;{}()=#]*?\b([A-Za-z_]\w*)\s*\(([^;{}]*?)\)\s*\{",
                     re.M | re.S)


def _closure(bodies, seed_rx):
    cands = set()
    changed = True
    while changed:
        changed = False
        for f, bs in bodies.items():
            if f in cands:
                continue
            for b in bs:
                if re.search(seed_rx, b) or any(
                        re.search(r"\b%s\s*\(" % re.escape(c), b)
                        for c in cands):
                    cands.add(f)
                    changed = True
                    break
    return cands


def prescan(d):
    """Text-level look at the .c files of directory D: functions that
    (transitively) call xfs_break_layouts(), functions that (transitively)
    call an unmap primitive (supersets; checked precisely later), and names
    used other than by a call."""
    if d is None:
        return (set(), set(), set())
    if d in _prescan:
        return _prescan[d]
    bodies = {}
    texts = []
    try:
        names = sorted(os.listdir(d or "."))
    except OSError:
        names = []
    for n in names:
        if not n.endswith(".c"):
            continue
        try:
            with open(os.path.join(d or ".", n), errors="replace") as fh:
                t = _strip_comments(fh.read())
        except OSError:
            continue
        texts.append(t)
        for m in FUNC_RX.finditer(t):
            i = m.end() - 1
            depth = 0
            j = i
            while j < len(t):
                if t[j] == "{":
                    depth += 1
                elif t[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            bodies.setdefault(m.group(1), []).append(t[i:j + 1])
    breakers = _closure(bodies, r"\bxfs_break_layouts\s*\(")
    unmappers = _closure(bodies, r"\b(?:%s)\s*\(" % "|".join(
        re.escape(p) for p in PRIMITIVES))
    refd = set()
    alltext = "\n".join(texts)
    for c in breakers:
        if re.search(r"\b%s\b(?!\s*\()" % re.escape(c), alltext):
            refd.add(c)
    _prescan[d] = (breakers, unmappers, refd)
    return _prescan[d]


def pdir(p):
    return os.path.dirname(p[0].file)


def pkey(p):
    return (p[0].file, p[0].line, p[0].column)


def fkey(p):
    return (p[0].file, p[0].current_element)


def add_alias(p, x, e):
    k = fkey(p)
    _alias_pos.setdefault(k, set())
    if (pkey(p), x) in _alias_pos[k]:
        return
    _alias_pos[k].add((pkey(p), x))
    _aliases.setdefault(k, {}).setdefault(x, []).append(norm(e))


def split_args(es):
    args = []
    depth = 0
    cur = ""
    for ch in str(es):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            args.append(norm(cur))
            cur = ""
        else:
            cur += ch
    if cur.strip():
        args.append(norm(cur))
    return args


def _peel(e):
    for _ in range(8):
        m = re.fullmatch(r"\(([^()]*(?:\([^()]*\))*[^()]*)\)", e)
        if m:
            e = m.group(1)
            continue
        m = re.fullmatch(r"(?:XFS_I|VFS_I)\((.*)\)", e)
        if m:
            e = m.group(1)
            continue
        m = re.fullmatch(r"&\(?(.+?)\)?->(?:i_vnode|i_data)", e)
        if m:
            e = m.group(1)
            continue
        m = re.fullmatch(r"(.+)->i_mapping", e)
        if m:
            e = m.group(1)
            continue
        m = re.fullmatch(r"(.+)->f_mapping->host", e)
        if m:
            e = "file_inode(%s)" % m.group(1)
            continue
        m = re.fullmatch(r"(.+)->host", e)
        if m and not e.endswith("f_mapping->host"):
            e = m.group(1)
            continue
        m = re.fullmatch(r"d_inode\(file_dentry\((.*)\)\)", e)
        if m:
            e = "file_inode(%s)" % m.group(1)
            continue
        break
    return e


def canon(e, key, depth=0):
    """The inode an expression names: conversions peeled, locals with one
    definition replaced by it (also inside a larger expression)."""
    e = _peel(norm(e))
    if depth > 6:
        return e
    al = _aliases.get(key, {})
    def sub(m):
        n = m.group(0)
        defs = al.get(n, [])
        if len(defs) == 1 and not re.search(
                r"(?<![\w>.])%s(?!\w)" % re.escape(n), defs[0]):
            return canon(defs[0], key, depth + 1)
        return n
    e2 = re.sub(r"(?<![\w>.])[a-z_]\w*(?!\s*\()", sub, e)
    return _peel(e2)


def inode_like(form):
    """a form that can name an inode: a parameter, or a parameter reached
    through member accesses and the VFS conversion helpers"""
    return len(form) < 80 and re.fullmatch(r"[\w{}>().\-]*", form) is not None


def is_event(pu, u):
    b, un, _ = prescan(pdir(pu))
    return u in PRIMITIVES or u in un or u in b


@initialize:python depends on report@
@@
MODE.append("report")

@initialize:python depends on org@
@@
MODE.append("org")

// ---------------------------------------------------------------------
// the break sites: xfs_break_layouts() and calls of the directory's
// functions that (textually) lead to it
// ---------------------------------------------------------------------

@site@
identifier g;
position ps : script:python(g) { g == BREAK or g in prescan(pdir(ps))[0] };
expression list es;
@@
g@ps(es)

@script:python sitef@
ps << site.ps;
g << site.g;
es << site.es;
f;
@@
coccinelle.br_sites.append((pdir(ps), ps[0].file, ps[0].current_element,
                            g, ps[0].line, ps[0].column, ps[0].column_end,
                            split_args(es)))
coccinelle.f = cocci.make_ident(ps[0].current_element)

// unmap operations reachable after a site in the same function
@later exists@
identifier site.g, u;
position site.ps;
position pu : script:python(u) { is_event(pu, u) };
expression list us;
@@
  g@ps(...)
  ...
  u@pu(us)

@script:python@
ps << site.ps;
u << later.u;
pu << later.pu;
us << later.us;
@@
coccinelle.br_after.append((ps[0].file, ps[0].line, ps[0].column, u,
                            pu[0].line, pu[0].column, split_args(us)))

// every call to an unmap operation inside an unmapper candidate: the
// summary of what each candidate unmaps
@ucall@
identifier u;
position pc : script:python(u) { is_event(pc, u) and pc[0].current_element in prescan(pdir(pc))[1] };
expression list us;
@@
u@pc(us)

@script:python@
u << ucall.u;
pc << ucall.pc;
us << ucall.us;
@@
coccinelle.br_calls.append((pdir(pc), pc[0].file, pc[0].current_element, u,
                            split_args(us)))

// parameters and local aliases of the functions that matter
@par@
identifier f;
parameter list P;
position pf : script:python(f) { f in prescan(pdir(pf))[1] or f in prescan(pdir(pf))[0] };
@@
f@pf(P) { ... }

@script:python@
pf << par.pf;
P << par.P;
f << par.f;
@@
names = []
for piece in str(P).split(","):
    ids = re.findall(r"[A-Za-z_]\w*", piece)
    names.append(ids[-1] if ids else "")
coccinelle.br_params.append((pf[0].file, f, names))

@adecl@
type T;
identifier x;
expression E;
position p : script:python() { p[0].current_element in prescan(pdir(p))[1] or p[0].current_element in prescan(pdir(p))[0] };
@@
T x@p = E;

@script:python@
p << adecl.p;
x << adecl.x;
E << adecl.E;
@@
coccinelle.br_aliases.append((p[0].file, p[0].current_element, x, norm(E)))

@aasg@
identifier x;
expression E;
position p : script:python() { p[0].current_element in prescan(pdir(p))[1] or p[0].current_element in prescan(pdir(p))[0] };
@@
x@p = E

@script:python@
p << aasg.p;
x << aasg.x;
E << aasg.E;
@@
coccinelle.br_aliases.append((p[0].file, p[0].current_element, x, norm(E)))

// context mode: a BREAK_WRITE followed by an unmap primitive in the same
// function (wrappers and summaries are only followed in report/org mode)
@ctx depends on context exists@
expression I, L;
identifier u = {truncate_setsize, truncate_pagecache, truncate_pagecache_range,
                truncate_inode_pages, truncate_inode_pages_range, xfs_bunmapi,
                xfs_itruncate_extents, xfs_free_file_space,
                xfs_collapse_file_space, xfs_insert_file_space,
                xfs_flush_unmap_range, xfs_setattr_size,
                xfs_reflink_remap_blocks};
@@
* xfs_break_layouts(I, L, BREAK_WRITE)
  ...
* u(...)

// ---------------------------------------------------------------------
// the cross-function decision
// ---------------------------------------------------------------------

@finalize:python@
sites << merge.br_sites;
afts << merge.br_after;
calls << merge.br_calls;
params << merge.br_params;
aliases << merge.br_aliases;
@@
import re as _re


class _Loc:
    def __init__(self, file, func, line, col, colend):
        self.file = file
        self.current_element = func
        self.line = line
        self.column = col
        self.column_end = colend


S = {}
for part in sites:
    for s in part:
        S[(s[1], s[4], s[5])] = s
A = {}
for part in afts:
    for a in part:
        A.setdefault((a[0], a[1], a[2]), set()).add((a[3], a[4], a[5], tuple(a[6])))
C = {}
for part in calls:
    for c in part:
        C.setdefault((c[0], c[2]), set()).add((c[1], c[3], tuple(c[4])))
P = {}
for part in params:
    for pp in part:
        P[(pp[0], pp[1])] = pp[2]
for part in aliases:
    for a in part:
        d = _aliases.setdefault((a[0], a[1]), {})
        if a[3] not in d.setdefault(a[2], []):
            d[a[2]].append(a[3])

fparams = {}      # (dir, func) -> (file, [params])
for (fl, fn), ps in P.items():
    fparams[(os.path.dirname(fl), fn)] = (fl, ps)


def form_of(d, func, fl, expr):
    """EXPR of FUNC as a function of FUNC's parameters: a format string
    with {0}, {1}, ... or None when no parameter is involved."""
    c = canon(expr, (fl, func))
    ps = fparams.get((d, func), (fl, []))[1]
    used = False
    for i, n in enumerate(ps):
        if n and _re.search(r"(?<![\w>.])%s(?![\w])" % _re.escape(n), c):
            c = _re.sub(r"(?<![\w>.])%s(?![\w])" % _re.escape(n), "{%d}" % i, c)
            used = True
    return c if used else None


def apply_form(form, args, d, func, fl):
    try:
        return _peel(form.format(*[canon(a, (fl, func)) for a in args]))
    except (IndexError, KeyError):
        return None


def same(x, y):
    def n(e):
        return _re.sub(r"[()]", "", _peel(e))
    return x is not None and y is not None and n(x) == n(y)


# UM[(dir, func)]: forms (over func's params) of the inodes func unmaps
UM = {}


def unmapped(d, func, stack=()):
    key = (d, func)
    if key in UM:
        return UM[key]
    if key in stack:
        return set()
    UM[key] = set()
    out = set()
    for fl, u, args in C.get(key, ()):
        for x in event_inodes(d, func, fl, u, args, stack + (key,)):
            f = form_of(d, func, fl, x)
            if f and inode_like(f):
                out.add(f)
    UM[key] = out
    return out


def event_inodes(d, func, fl, u, args, stack=()):
    """the inodes (canonical, in FUNC) that a call U(ARGS) unmaps"""
    out = set()
    if u in PRIMITIVES:
        for a in args:
            out.add(canon(a, (fl, func)))
    sub = unmapped(d, u, stack) if (d, u) in fparams else set()
    for f in sub:
        x = apply_form(f, args, d, func, fl)
        if x:
            out.add(x)
    return out


# BW[(dir, func)]: how func breaks layouts: [(reason, inode form)], reason
# "WRITE", "UNMAP" or ("param", i)
BW = {}
byfunc = {}
for s in S.values():
    byfunc.setdefault((s[0], s[2]), []).append(s)


def reason_of(s, r):
    d, fl, func = s[0], s[1], s[2]
    if "BREAK_WRITE" in r:
        return "WRITE"
    if "BREAK_UNMAP" in r:
        return "UNMAP"
    c = canon(r, (fl, func))
    if "BREAK_WRITE" in c:
        return "WRITE"
    if "BREAK_UNMAP" in c:
        return "UNMAP"
    f = form_of(d, func, fl, r)
    if f and _re.fullmatch(r"\{(\d+)\}", f):
        return ("param", int(f[1:-1]))
    return None


def breaks(d, g, stack=()):
    """[(reason, inode form over g's params)] for callee g"""
    if g == BREAK:
        return [(("param", 2), "{0}")]
    key = (d, g)
    if key in BW:
        return BW[key]
    if key in stack:
        return []
    BW[key] = []
    out = []
    for s in byfunc.get(key, []):
        for reason, inode in site_breaks(s, stack + (key,)):
            f = form_of(d, g, s[1], inode) if inode else None
            if f is None:
                continue
            if isinstance(reason, tuple) or reason in ("WRITE", "UNMAP"):
                out.append((reason, f))
    BW[key] = out
    return out


def site_breaks(s, stack=()):
    """[(reason, inode)] a call site S performs, in S's function"""
    d, fl, func, g, line, col, colend, args = s
    out = []
    for reason, form in breaks(d, g, stack):
        if isinstance(reason, tuple):
            i = reason[1]
            if i >= len(args):
                continue
            r = reason_of(s, args[i])
            if r is None:
                continue
            reason = r
        x = apply_form(form, args, d, func, fl)
        out.append((reason, x))
    return out


findings = []
for s in sorted(S.values(), key=lambda s: (s[1], int(s[4]), int(s[5]))):
    d, fl, func, g, line, col, colend, args = s
    for reason, x in site_breaks(s):
        if reason != "WRITE" or x is None:
            continue
        for u, ul, uc, uargs in sorted(A.get((fl, line, col), ()),
                                       key=lambda e: (int(e[1]), int(e[2]))):
            hit = [y for y in event_inodes(d, func, fl, u, list(uargs)) if same(y, x)]
            if hit:
                via = "" if g == BREAK else " (in %s())" % g
                findings.append((fl, func, line, col, colend,
                                 "xfs_break_layouts(BREAK_WRITE)%s, then %s() at line %s unmaps extents of the same inode: the DAX busy-page wait is skipped; use BREAK_UNMAP"
                                 % (via, u, ul)))
                break

done = set()
for f in findings:
    if f[:4] in done:
        continue
    done.add(f[:4])
    loc = _Loc(*f[:5])
    msg = "[break-reason] %s: %s" % (f[1], f[5])
    if "report" in MODE:
        coccilib.report.print_report(loc, "WARNING: " + msg)
    elif "org" in MODE:
        coccilib.org.print_todo(loc, msg)
