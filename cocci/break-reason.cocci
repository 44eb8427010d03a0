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
# ---- generated from kernel-integration/api/kernel-api.tsv by cocci/generate.py: do not edit
API_BREAK_LAYOUTS = ("xfs_break_layouts",)
API_BREAK_UNMAP = ("BREAK_UNMAP", "BREAK_UNMAPI")
API_BREAK_WRITE = ("BREAK_WRITE",)
API_TRUNCATE = ("truncate_setsize", "truncate_pagecache",
                "truncate_pagecache_range", "truncate_inode_pages",
                "truncate_inode_pages_range")
# ---- end of kernel-integration/api/kernel-api.tsv
import os
import re

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
# ---- generated from cocci/lib/breaks.py by cocci/generate.py: do not edit
# What break-layouts-mmaplock and break-reason share: the text-level scan
# of a directory's functions and the small helpers both rules match with.
#
# The scan reads each .c file of the group on its own (step 1 of
# cocci/lib/facts.py): the functions its text defines, with the names each
# body calls (a name followed by "("), the names written other than as a
# call, and the macros whose one-line definition names a given word.  The
# closures over the whole directory (the functions that reach
# xfs_break_layouts() or an unmap primitive) are computed from those facts
# when the directory's context is derived.  Comments are blanked before the
# scan; nothing else is (strings and #if 0 blocks are read as code), and a
# function is a header at the start of a line followed by "{".
import os as bk_os
import re as bk_re

BK_FUNC_RX = bk_re.compile(
    r"^[A-Za-z_][^;{}()=#]*?\b([A-Za-z_]\w*)\s*\(([^;{}]*?)\)\s*\{",
    bk_re.M | bk_re.S)
BK_CALL_RX = bk_re.compile(r"\b([A-Za-z_]\w*)\s*\(")
BK_REF_RX = bk_re.compile(r"\b[A-Za-z_]\w*\b(?!\s*\()")
BK_DEFINE_RX = bk_re.compile(r"^\s*#\s*define\s+(\w+)\s+(.*)$", bk_re.M)


def bk_norm(s):
    return bk_re.sub(r"\s+", "", str(s))


def bk_strip_comments(text):
    return bk_re.sub(r"/\*.*?\*/|//[^\n]*", " ", text, flags=bk_re.S)


def bk_read(file):
    """FILE's text with comments blanked, or None."""
    try:
        with open(file, errors="replace") as fh:
            return bk_strip_comments(fh.read())
    except OSError:
        return None


def bk_bodies(text):
    """[(name, body)] of the functions TEXT defines: the body from the "{"
    to the brace that closes it (or to the end of TEXT)."""
    out = []
    for m in BK_FUNC_RX.finditer(text):
        i = m.end() - 1
        depth = 0
        j = i
        while j < len(text):
            if text[j] == "{":
                depth += 1
            elif text[j] == "}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        out.append((m.group(1), text[i:j + 1]))
    return out


def bk_scan(file, refs=False, macro_word=None):
    """Step 1: record FILE's text facts with dl_c: ("fn", name, [names
    called in the body]) per function of a .c file (in order), and
    optionally ("ref", [names written other than as a call]) and ("macro",
    name) for each macro whose definition names MACRO_WORD."""
    text = bk_read(file)
    if text is None:
        return
    if file.endswith(".c"):
        for name, body in bk_bodies(text):
            dl_c(file, "fn", name, sorted(set(BK_CALL_RX.findall(body))))
    if refs:
        dl_c(file, "ref", sorted(set(BK_REF_RX.findall(text))))
    if macro_word is not None:
        for m in BK_DEFINE_RX.finditer(text):
            if macro_word in m.group(2):
                dl_c(file, "macro", m.group(1))


def bk_dir_bodies(facts):
    """{directory: {name: [set of callees, one per body]}} from the "fn"
    rows of FACTS (dl_facts("c")), in file order."""
    out = {}
    for fl, (name, calls) in dl_rows(facts, "fn"):
        d = bk_os.path.dirname(fl)
        out.setdefault(d, {}).setdefault(name, []).append(set(calls))
    return out


def bk_closure(bodies, seeded):
    """The names of BODIES ({name: [callee sets]}) one of whose bodies
    calls a seed (SEEDED(callees) is true) or a name of the closure."""
    cands = set()
    changed = True
    while changed:
        changed = False
        for f, bs in bodies.items():
            if f in cands:
                continue
            for b in bs:
                if seeded(b) or b & cands:
                    cands.add(f)
                    changed = True
                    break
    return cands


def bk_pdir(p):
    return bk_os.path.dirname(p[0].file)


def bk_pkey(p):
    return (p[0].file, p[0].line, p[0].column)


def bk_fkey(p):
    return (p[0].file, p[0].current_element)


def bk_split_args(es):
    """The arguments of an expression list, each without blanks."""
    args = []
    depth = 0
    cur = ""
    for ch in str(es):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            args.append(bk_norm(cur))
            cur = ""
        else:
            cur += ch
    if cur.strip():
        args.append(bk_norm(cur))
    return args


def bk_param_names(P):
    """The names of a parameter list ("" for an unnamed one)."""
    names = []
    for piece in str(P).split(","):
        ids = bk_re.findall(r"[A-Za-z_]\w*", piece)
        names.append(ids[-1] if ids else "")
    return names


class BkLoc:
    """A position for coccilib's report/org printers."""

    def __init__(self, file, func, line, col, colend):
        self.file = file
        self.current_element = func
        self.line = line
        self.column = col
        self.column_end = colend
# ---- end of cocci/lib/breaks.py

BREAK = API_BREAK_LAYOUTS[0]
# the truncation primitives, then what XFS unmaps extents with (its own
# functions: no API, still named here)
PRIMITIVES = API_TRUNCATE + (
    "xfs_bunmapi", "__xfs_bunmapi", "xfs_itruncate_extents",
    "xfs_itruncate_extents_flags", "xfs_bmap_collapse_extents",
    "xfs_bmap_insert_extents",
    "xfs_free_file_space", "xfs_collapse_file_space",
    "xfs_insert_file_space", "xfs_flush_unmap_range", "xfs_setattr_size",
    "xfs_reflink_remap_blocks",
)
MODE = []

# findings of every group, printed by finalize (one list per worker):
# (file, func, line, col, colend, message)
coccinelle.br_findings = []

# the directory's context, derived from every file's step-1 facts:
# directory -> functions that (transitively, by their text) call
# xfs_break_layouts() / an unmap primitive (supersets: checked later)
BR = {"breakers": {}, "unmappers": {}}
_aliases = {}     # (file, func) -> {name: [expr]}, for the decision

norm = bk_norm
pdir = bk_pdir
split_args = bk_split_args


def br_reset():
    BR["breakers"] = {}
    BR["unmappers"] = {}
    _aliases.clear()


def prescan(d):
    """(breakers, unmappers) of directory D."""
    return (BR["breakers"].get(d, set()), BR["unmappers"].get(d, set()))


def in_scope(p):
    """P is in a function that can break layouts or unmap."""
    b, un = prescan(pdir(p))
    return p[0].current_element in un or p[0].current_element in b


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
    b, un = prescan(pdir(pu))
    return u in PRIMITIVES or u in un or u in b


def br_derive():
    """The directory's context from every file's step-1 facts."""
    bodies = bk_dir_bodies(dl_facts("c"))
    prims = set(PRIMITIVES)
    names = {}
    for d in sorted(bodies):
        BR["breakers"][d] = bk_closure(bodies[d], lambda cs: BREAK in cs)
        BR["unmappers"][d] = bk_closure(bodies[d],
                                        lambda cs: bool(cs & prims))
        names["breakers " + d] = BR["breakers"][d]
        names["unmappers " + d] = BR["unmappers"][d]
    # what step 2 asks of the context, as each file sees it
    dl_project(names=names)


def br_decide():
    """The cross-function decision, from every file's step-2 facts."""
    M = dl_facts("m")
    S = {}
    for fl, (func, g, line, col, colend, args) in dl_rows(M, "site"):
        S[(fl, line, col)] = (os.path.dirname(fl), fl, func, g, line, col,
                              colend, args)
    A = {}
    for fl, (sl, sc, u, line, col, args) in dl_rows(M, "after"):
        A.setdefault((fl, sl, sc), set()).add((u, line, col, tuple(args)))
    C = {}
    for fl, (func, u, args) in dl_rows(M, "call"):
        C.setdefault((os.path.dirname(fl), func), set()).add(
            (fl, u, tuple(args)))
    P = {}
    for fl, (func, names) in dl_rows(M, "param"):
        P[(fl, func)] = names
    _aliases.clear()
    for fl, (func, x, e) in dl_rows(M, "alias"):
        d = _aliases.setdefault((fl, func), {})
        if e not in d.setdefault(x, []):
            d[x].append(e)

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
            if n and re.search(r"(?<![\w>.])%s(?![\w])" % re.escape(n), c):
                c = re.sub(r"(?<![\w>.])%s(?![\w])" % re.escape(n),
                           "{%d}" % i, c)
                used = True
        return c if used else None

    def apply_form(form, args, d, func, fl):
        try:
            return _peel(form.format(*[canon(a, (fl, func)) for a in args]))
        except (IndexError, KeyError):
            return None

    def same(x, y):
        def n(e):
            return re.sub(r"[()]", "", _peel(e))
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
        for fl, u, args in sorted(C.get(key, ())):
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

    # BW[(dir, func)]: how func breaks layouts: [(reason, inode form)],
    # reason "WRITE", "UNMAP" or ("param", i)
    BW = {}
    byfunc = {}
    for s in S.values():
        byfunc.setdefault((s[0], s[2]), []).append(s)

    def reason_of(s, r):
        d, fl, func = s[0], s[1], s[2]
        if any(w in r for w in API_BREAK_WRITE):
            return "WRITE"
        if any(u in r for u in API_BREAK_UNMAP):
            return "UNMAP"
        c = canon(r, (fl, func))
        if any(w in c for w in API_BREAK_WRITE):
            return "WRITE"
        if any(u in c for u in API_BREAK_UNMAP):
            return "UNMAP"
        f = form_of(d, func, fl, r)
        if f and re.fullmatch(r"\{(\d+)\}", f):
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
                                           key=lambda e: (int(e[1]),
                                                          int(e[2]))):
                hit = [y for y in event_inodes(d, func, fl, u, list(uargs))
                       if same(y, x)]
                if hit:
                    via = "" if g == BREAK else " (in %s())" % g
                    findings.append((fl, func, line, col, colend,
                                     "xfs_break_layouts(BREAK_WRITE)%s, then %s() at line %s unmaps extents of the same inode: the DAX busy-page wait is skipped; use BREAK_UNMAP"
                                     % (via, u, ul)))
                    break
    coccinelle.br_findings.extend(findings)

@initialize:python depends on report@
@@
MODE.append("report")

@initialize:python depends on org@
@@
MODE.append("org")

@script:python br_state@
st << virtual.daxlint_state;
@@
DL["state"] = st

@script:python br_dumpto@
out << virtual.daxlint_dump;
@@
DL["dump"] = out

# a new file group starts: forget the previous one
@script:python br_start@
@@
br_reset()
dl_reset()

// ---- step 1: what each file says, whatever else is in the group ----

// the functions each .c file defines and the names their bodies call,
// read from the text
@script:python br_scan@
@@
for fl in cocci.files():
    if fl.endswith(".c"):
        bk_scan(fl)

// ---- the directory's context ----

@script:python br_context@
@@
br_derive()

// ---- step 2: what each file says, given the context ----

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

@script:python@
ps << site.ps;
g << site.g;
es << site.es;
@@
dl_m(ps[0].file, "site", ps[0].current_element, str(g), ps[0].line,
     ps[0].column, ps[0].column_end, split_args(es))

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
dl_m(ps[0].file, "after", ps[0].line, ps[0].column, str(u), pu[0].line,
     pu[0].column, split_args(us))

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
dl_m(pc[0].file, "call", pc[0].current_element, str(u), split_args(us))

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
dl_m(pf[0].file, "param", str(f), bk_param_names(P))

@adecl@
type T;
identifier x;
expression E;
position p : script:python() { in_scope(p) };
@@
T x@p = E;

@script:python@
p << adecl.p;
x << adecl.x;
E << adecl.E;
@@
dl_m(p[0].file, "alias", p[0].current_element, str(x), norm(E))

@aasg@
identifier x;
expression E;
position p : script:python() { in_scope(p) };
@@
x@p = E

@script:python@
p << aasg.p;
x << aasg.x;
E << aasg.E;
@@
dl_m(p[0].file, "alias", p[0].current_element, str(x), norm(E))

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

@script:python br_result@
@@
if dl_usable():
    br_decide()
dl_dump()

@finalize:python@
found << merge.br_findings;
@@
allf = []
for part in found:
    allf.extend(part)
done = set()
for f in sorted(allf, key=lambda f: (f[0], int(f[2]), int(f[3]))):
    if tuple(f[:4]) in done:
        continue
    done.add(tuple(f[:4]))
    loc = BkLoc(*f[:5])
    msg = "[break-reason] %s: %s" % (f[1], f[5])
    if "report" in MODE:
        coccilib.report.print_report(loc, "WARNING: " + msg)
    elif "org" in MODE:
        coccilib.org.print_todo(loc, msg)
