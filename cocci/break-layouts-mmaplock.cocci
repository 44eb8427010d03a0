// SPDX-License-Identifier: GPL-2.0-only
/// xfs_break_layouts(inode, &iolock, BREAK_UNMAP / BREAK_UNMAPI) waits for
/// pinned DAX pages to go idle before extents are unmapped.  It must be
/// reached, on every path, with XFS_MMAPLOCK_EXCL held on that inode (so no
/// new page fault can re-pin a page while the layout is broken), and the
/// iolock flags it is passed must contain XFS_MMAPLOCK_EXCL, because it
/// drops and retakes exactly those flags while it waits.
///
/// "Held" is: taken by xfs_ilock()/xfs_ilock_nowait() with flags that
/// contain XFS_MMAPLOCK_EXCL (a constant, an OR of constants, a macro of
/// the directory that expands to one, or a local variable whose value is
/// known on every path), or proven by ASSERT(xfs_isilocked(ip, ..)) /
/// xfs_assert_ilocked(ip, ..), and not released since by xfs_iunlock() of
/// that bit (nor demoted by xfs_ilock_demote()).  xfs_inode and inode
/// are matched through XFS_I()/VFS_I() and local aliases.  A function
/// that breaks layouts on an inode it receives from its caller, and that
/// is only ever called (never referenced as a method) inside its
/// directory, passes the obligation to its callers; so does one that
/// passes on an iolock pointer or a reason it was given.
//
// Rule: break-layouts-mmaplock
// Prefilter: xfs_break_layouts
// Scope: directory
// Confidence: High
// Comments: cross-function summary over the .c files of one directory
//  (see docs/rules/break-layouts-mmaplock.md for what it cannot see).
//  Patch mode moves an XFS_MMAPLOCK_EXCL taken after the call before it.
// Options: --no-includes --include-headers --no-scanner --kbuild-info scripts/coccinelle/dax/kbuild-info

virtual context
virtual org
virtual report
virtual patch

@initialize:python@
@@
import os
import re

BIT = "XFS_MMAPLOCK_EXCL"
LOCKERS = ("xfs_ilock", "xfs_ilock_nowait")
ASSERTS = ("xfs_isilocked", "xfs_assert_ilocked")
RELEASERS = ("xfs_iunlock", "xfs_ilock_demote")
BREAK = "xfs_break_layouts"

# facts shared with finalize (one list per worker process under -j)
coccinelle.blm_sites = []     # (dir, file, func, callee, line, col, colend, args)
coccinelle.blm_unheld = []    # (file, line, col, arg, why)
coccinelle.blm_flags = []     # (file, line, col, var, ok)
coccinelle.blm_params = []    # (file, func, [param names])
coccinelle.blm_aliases = []   # (file, func, name, expr)

_prescan = {}
_sitefuncs = set()
MODE = []
_aliases = {}     # (file, func) -> {name: [expr, ...]}
_alias_pos = {}
_params = {}      # (file, func) -> [names]
_acq = {}         # (file, line, col) -> canonical inode
_rel = {}         # (file, line, col) -> canonical inode
_flagvar = {}     # (file, line, col, var) -> True/False: var has BIT on all paths
_flagbad = set()  # (file, line, col, var): a path where var lacks BIT


def norm(s):
    return re.sub(r"\s+", "", s)


def _strip_comments(text):
    return re.sub(r"/\*.*?\*/|//[^\n]*", " ", text, flags=re.S)


FUNC_RX = re.compile(r"^[A-Za-z_][^;{}()=#]*?\b([A-Za-z_]\w*)\s*\(([^;{}]*?)\)\s*\{",
                     re.M | re.S)


def prescan(d):
    """Text-level look at every .c/.h file of directory D: the functions
    whose body calls xfs_break_layouts() or (transitively) one of those
    (a superset of the wrappers; SmPL checks them precisely), the names
    referenced other than by a call (methods, callbacks), and the macros
    that expand to a flag set containing XFS_MMAPLOCK_EXCL."""
    if d is None:
        return (set(), set(), set())
    if d in _prescan:
        return _prescan[d]
    bodies = {}
    texts = []
    macros = set()
    try:
        names = sorted(os.listdir(d or "."))
    except OSError:
        names = []
    for n in names:
        if not (n.endswith(".c") or n.endswith(".h")):
            continue
        try:
            with open(os.path.join(d or ".", n), errors="replace") as fh:
                t = _strip_comments(fh.read())
        except OSError:
            continue
        texts.append(t)
        for m in re.finditer(r"^\s*#\s*define\s+(\w+)\s+(.*)$", t, re.M):
            if BIT in m.group(2):
                macros.add(m.group(1))
        if not n.endswith(".c"):
            continue
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
    cands = set()
    changed = True
    while changed:
        changed = False
        for f, bs in bodies.items():
            if f in cands:
                continue
            for b in bs:
                if re.search(r"\bxfs_break_layouts\s*\(", b) or any(
                        re.search(r"\b%s\s*\(" % re.escape(c), b)
                        for c in cands):
                    cands.add(f)
                    changed = True
                    break
    # referenced other than as a call: ops tables, function pointers
    refd = set()
    alltext = "\n".join(texts)
    for c in cands:
        for m in re.finditer(r"\b%s\b(?!\s*\()" % re.escape(c), alltext):
            refd.add(c)
            break
    macros.discard(BIT)
    _prescan[d] = (cands, refd, macros)
    return _prescan[d]


def pdir(p):
    return os.path.dirname(p[0].file)


def flag_class(e, d):
    """'yes' if flag expression E surely contains XFS_MMAPLOCK_EXCL, 'no'
    if it surely does not, ('var', name) if it is a plain variable."""
    e = norm(e)
    macros = prescan(d)[2]
    toks = re.findall(r"~?\(?[A-Za-z_]\w*", e)
    for t in toks:
        neg = t.startswith("~")
        name = t.lstrip("~(")
        if (name == BIT or name in macros) and not neg:
            return "yes"
    if re.fullmatch(r"[a-z_]\w*", e):
        return ("var", e)
    m = re.fullmatch(r"([a-z_]\w*)\|.*|.*\|([a-z_]\w*)", e)
    if m and not re.search(r"[~&]", e):
        return ("var", m.group(1) or m.group(2))
    return "no"


def flag_value(e, p):
    """flag_class(), with a variable inside the expression looked up in its
    function's definitions (all of them must contain the bit)."""
    d = pdir(p)
    c = flag_class(e, d)
    if isinstance(c, tuple):
        defs = _aliases.get(fkey(p), {}).get(c[1], [])
        if defs and all(flag_class(x, d) == "yes" for x in defs):
            return "yes"
        return "no"
    return c


def canon(e, key, depth=0):
    """The inode an inode or xfs_inode expression names, with XFS_I(),
    VFS_I(), ->i_vnode, ->i_mapping and single-definition locals peeled."""
    e = norm(e)
    al = _aliases.get(key, {})
    for _ in range(8):
        m = re.fullmatch(r"\((.*)\)", e)
        if m:
            e = m.group(1)
            continue
        m = re.fullmatch(r"(?:XFS_I|VFS_I)\((.*)\)", e)
        if m:
            e = m.group(1)
            continue
        m = re.fullmatch(r"&?\(?(.+?)\)?->(?:i_vnode|i_mapping|i_data)", e)
        if m:
            e = m.group(1)
            continue
        m = re.fullmatch(r"(.+)->(?:f_mapping->host|host)", e)
        if m:
            e = "file_inode(%s)" % m.group(1) if "f_mapping" in e else e
            if "f_mapping" in e:
                continue
        if re.fullmatch(r"[A-Za-z_]\w*", e) and len(al.get(e, [])) == 1:
            nxt = norm(al[e][0])
            if nxt != e:
                e = nxt
                continue
        break
    return e


def add_alias(p, x, e):
    k = fkey(p)
    _alias_pos.setdefault(k, set())
    if (pkey(p), x) in _alias_pos[k]:
        return
    _alias_pos[k].add((pkey(p), x))
    _aliases.setdefault(k, {}).setdefault(x, []).append(norm(e))


def pkey(p):
    return (p[0].file, p[0].line, p[0].column)


def fkey(p):
    return (p[0].file, p[0].current_element)


def is_acq(pa, a):
    k = pkey(pa)
    return k in _acq and _acq[k] == canon(a, fkey(pa))


def is_rel(pr, a):
    k = pkey(pr)
    return k in _rel and _rel[k] == canon(a, fkey(pr))


def is_lockfn(h):
    return h in LOCKERS + ASSERTS + RELEASERS


def flag_user(h):
    return h in LOCKERS + RELEASERS + ASSERTS or h == BREAK or \
        any(h in v[0] for v in _prescan.values())


def in_site(p):
    return fkey(p) in _sitefuncs


def site_ok(ps, g):
    return g == BREAK or g in prescan(pdir(ps))[0]

@initialize:python depends on report@
@@
MODE.append("report")

@initialize:python depends on org@
@@
MODE.append("org")

// ---------------------------------------------------------------------
// the call sites: xfs_break_layouts() and calls of the directory's
// functions that (textually) lead to it
// ---------------------------------------------------------------------

@site@
identifier g;
position ps : script:python(g) { site_ok(ps, g) };
expression list es;
@@
g@ps(es)

@script:python sitef@
ps << site.ps;
f;
@@
_sitefuncs.add(fkey(ps))
coccinelle.f = cocci.make_ident(ps[0].current_element)

@script:python@
ps << site.ps;
g << site.g;
es << site.es;
@@
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
coccinelle.blm_sites.append((pdir(ps), ps[0].file, ps[0].current_element,
                             g, ps[0].line, ps[0].column, ps[0].column_end,
                             args))

@par@
identifier sitef.f;
parameter list P;
position pf;
@@
f@pf(P) { ... }

@script:python@
pf << par.pf;
P << par.P;
f << sitef.f;
@@
names = []
for piece in str(P).split(","):
    ids = re.findall(r"[A-Za-z_]\w*", piece)
    names.append(ids[-1] if ids else "")
_params[(pf[0].file, f)] = names

// local aliases: ip = XFS_I(inode), inode = VFS_I(ip), iolock = ...
@adecl@
type T;
identifier x;
expression E;
position p : script:python() { in_site(p) };
@@
T x@p = E;

@script:python@
p << adecl.p;
x << adecl.x;
E << adecl.E;
@@
add_alias(p, x, E)

@aasg@
identifier x;
expression E;
position p : script:python() { in_site(p) };
@@
x@p = E

@script:python@
p << aasg.p;
x << aasg.x;
E << aasg.E;
@@
add_alias(p, x, E)

// ---------------------------------------------------------------------
// flag variables: does V contain XFS_MMAPLOCK_EXCL at use U on every path?
// ---------------------------------------------------------------------

@vuse@
identifier h : script:python() { flag_user(h) };
identifier V : script:python() { bool(re.search("[a-z]", V)) };
expression E;
position pu;
@@
(
  h@pu(E, V)
|
  h@pu(..., &V, ...)
)

@script:python@
pu << vuse.pu;
V << vuse.V;
@@
_flagvar[pkey(pu) + (V,)] = True

// a definition that leaves the bit out reaches the use
@vbad1 disable decl_init exists@
identifier vuse.V, h;
position vuse.pu;
type T;
expression E1 : script:python(pu) { flag_value(E1, pu) != "yes" };
expression E2 : script:python(pu) { flag_value(E2, pu) == "yes" };
@@
(
  T V;
|
  T V = E1;
|
  V = E1
|
  V &= ~E2
)
  ... when != V = E2
      when != V |= E2
  h@pu(...)

@script:python@
pu << vuse.pu;
V << vuse.V;
h << vbad1.h;
@@
_flagvar[pkey(pu) + (V,)] = False

// a parameter (value unknown on entry) reaches the use unset
@vbad2 exists@
identifier f;
identifier vuse.V, h;
position vuse.pu;
type T;
expression E2 : script:python(pu) { flag_value(E2, pu) == "yes" };
@@
f(..., T V, ...) {
  ... when != V = E2
      when != V |= E2
  h@pu(...)
  ... when any
}

@script:python@
pu << vuse.pu;
V << vuse.V;
h << vbad2.h;
@@
_flagvar[pkey(pu) + (V,)] = False

// ---------------------------------------------------------------------
// acquire, assert and release points
// ---------------------------------------------------------------------

@lk@
identifier h : script:python() { is_lockfn(h) };
expression E, F;
position p : script:python() { in_site(p) };
@@
h@p(E, F)

@script:python@
h << lk.h;
p << lk.p;
E << lk.E;
F << lk.F;
@@
if h in LOCKERS + ASSERTS + RELEASERS:
    c = flag_class(F, pdir(p))
    if isinstance(c, tuple):
        c = "yes" if _flagvar.get(pkey(p) + (c[1],), False) else "no"
    if c == "yes":
        (_rel if h in RELEASERS else _acq)[pkey(p)] = canon(E, fkey(p))

// ---------------------------------------------------------------------
// is an inode argument of a site held on every path?
// ---------------------------------------------------------------------

@sarg@
identifier sitef.f, site.g;
position site.ps;
expression A;
@@
g@ps(..., A, ...)

// no acquire at all on some path from entry
@ue exists@
identifier sitef.f, site.g, h;
position site.ps;
expression sarg.A;
position pa : script:python(A) { is_acq(pa, A) };
position pf;
@@
f@pf(...) {
  ... when != h@pa(...)
  g@ps(...)
  ... when any
}

@script:python@
ps << site.ps;
A << sarg.A;
pf << ue.pf;
@@
coccinelle.blm_unheld.append((ps[0].file, ps[0].line, ps[0].column,
                              norm(A), "entry"))

// released on some path and not taken again
@ur exists@
identifier site.g, h, h2;
position site.ps;
expression sarg.A;
position pr : script:python(A) { is_rel(pr, A) };
position pa : script:python(A) { is_acq(pa, A) };
@@
  h@pr(...)
  ... when != h2@pa(...)
  g@ps(...)

@script:python@
ps << site.ps;
A << sarg.A;
pr << ur.pr;
@@
coccinelle.blm_unheld.append((ps[0].file, ps[0].line, ps[0].column,
                              norm(A), "release"))

@script:python@
ps << site.ps;
f << sitef.f;
@@
k = (ps[0].file, f)
for n, es in _aliases.get(k, {}).items():
    for e in es:
        coccinelle.blm_aliases.append((ps[0].file, f, n, norm(e)))
coccinelle.blm_params.append((ps[0].file, f, _params.get(k, [])))
for (fl, ln, col, v), ok in _flagvar.items():
    if fl == ps[0].file:
        coccinelle.blm_flags.append((fl, ln, col, v, ok))

// ---------------------------------------------------------------------
// context mode: every unmap break with no XFS_MMAPLOCK_EXCL taken before
// it in the same function (callers are not followed in this mode)
// ---------------------------------------------------------------------

@ctx depends on context exists@
identifier sitef.f, h;
position site.ps;
expression I, L, R;
position pa : script:python(I) { is_acq(pa, I) };
@@
f(...) {
  ... when != h@pa(...)
* xfs_break_layouts@ps(I, L, R)
  ... when any
}

// ---------------------------------------------------------------------
// patch mode: the lock is simply taken too late.  Move it (and an
// "iolock |= XFS_MMAPLOCK_EXCL" that follows it) before the call, and
// unlock on the direct returns in between.
// ---------------------------------------------------------------------

@late depends on patch exists@
identifier sitef.f;
position site.ps, ue.pf;
expression sarg.A;
expression R, ip;
identifier V;
position pl;
@@
f@pf(...) {
  ...
  xfs_break_layouts@ps(A, &V, R)
  ... when != xfs_ilock(...)
  xfs_ilock@pl(ip, XFS_MMAPLOCK_EXCL);
  ... when any
}

@script:python lateok@
R << late.R;
ip << late.ip;
I << sarg.A;
pl << late.pl;
ok;
@@
if "BREAK_UNMAP" not in R or canon(ip, fkey(pl)) != canon(I, fkey(pl)):
    cocci.include_match(False)
else:
    coccinelle.ok = cocci.make_ident("ok")

@fixret depends on patch exists@
identifier lateok.ok;
position site.ps, late.pl;
expression late.ip;
identifier late.V;
expression E2 : script:python() { flag_class(E2, None) == "yes" };
@@
  xfs_break_layouts@ps(...)
  ... when != xfs_ilock@pl(...)
      when != xfs_iunlock(ip, V)
      when != xfs_iunlock(ip, E2)
+ xfs_iunlock(ip, XFS_MMAPLOCK_EXCL);
  return ...;

// (positions cannot be inherited past a transformation: re-match by
// the inherited expressions from here on)
@fixmove depends on patch exists@
identifier lateok.ok;
expression late.ip, sarg.A, late.R;
identifier late.V;
expression ER;
statement S;
@@
(
+ xfs_ilock(ip, XFS_MMAPLOCK_EXCL);
+ V |= XFS_MMAPLOCK_EXCL;
  ER = xfs_break_layouts(A, &V, R);
|
+ xfs_ilock(ip, XFS_MMAPLOCK_EXCL);
+ V |= XFS_MMAPLOCK_EXCL;
  xfs_break_layouts(A, &V, R);
|
+ xfs_ilock(ip, XFS_MMAPLOCK_EXCL);
+ V |= XFS_MMAPLOCK_EXCL;
  if (xfs_break_layouts(A, &V, R)) S
)
  ... when != xfs_ilock(...)
(
- xfs_ilock(ip, XFS_MMAPLOCK_EXCL);
- V |= XFS_MMAPLOCK_EXCL;
|
- xfs_ilock(ip, XFS_MMAPLOCK_EXCL);
)

// ---------------------------------------------------------------------
// the cross-function decision
// ---------------------------------------------------------------------

@finalize:python@
sites << merge.blm_sites;
unheld << merge.blm_unheld;
flags << merge.blm_flags;
params << merge.blm_params;
aliases << merge.blm_aliases;
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
U = {}
for part in unheld:
    for u in part:
        U.setdefault((u[0], u[1], u[2], u[3]), set()).add(u[4])
FL = {}
for part in flags:
    for fl in part:
        k = fl[:4]
        FL[k] = FL.get(k, True) and fl[4]
P = {}
for part in params:
    for pp in part:
        P[(pp[0], pp[1])] = pp[2]
AL = {}
for part in aliases:
    for a in part:
        d = AL.setdefault((a[0], a[1]), {})
        if a[3] not in d.setdefault(a[2], []):
            d[a[2]].append(a[3])
for k, v in AL.items():
    _aliases[k] = v

byfunc = {}      # (dir, func) -> [site]
callers = {}     # (dir, callee) -> [site]
for s in S.values():
    byfunc.setdefault((s[0], s[2]), []).append(s)
    callers.setdefault((s[0], s[3]), []).append(s)


def param_index(d, func, files, expr):
    """index of the parameter of FUNC that EXPR (canonical) is, or None"""
    for fl in files:
        ps = P.get((fl, func), [])
        c = canon(expr, (fl, func))
        if c in ps:
            return ps.index(c)
    return None


def reason_active(s, arg):
    if "BREAK_UNMAP" in arg:
        return True
    if _re.fullmatch(r"[A-Za-z_]\w*", arg):
        defs = _aliases.get((s[1], s[2]), {}).get(arg, [])
        return any("BREAK_UNMAP" in x for x in defs)
    return False


# obligations of a callee: dict kind -> parameter index
#   held: the inode argument must be held; flags: &iolock must have BIT;
#   reason: only when this argument is an unmap reason
OBL = {}
findings = []


def obligations(d, g, stack=()):
    if g == BREAK:
        return {"held": 0, "flags": 1, "reason": 2}
    key = (d, g)
    if key in OBL:
        return OBL[key]
    if key in stack:
        return {}
    OBL[key] = {}
    cands, refd, _ = prescan(d)
    entry = g in refd or not callers.get(key)
    res = {}
    for s in byfunc.get(key, []):
        res.update(check_site(s, stack + (key,), entry, collect=True))
    OBL[key] = res
    return res


def check_site(s, stack, entry, collect):
    """Check one call site S against its callee's obligations; returns the
    obligations S's own function takes over (when it is not an entry)."""
    d, fl, func, g, line, col, colend, args = s
    ob = obligations(d, g, stack)
    if not ob:
        return {}
    take = {}
    if "reason" in ob:
        r = ob["reason"]
        if r >= len(args):
            return {}
        ra = args[r]
        if not reason_active(s, ra):
            idx = param_index(d, func, [fl], ra)
            if idx is None:
                return {}
            if not entry:
                take["reason"] = idx
            else:
                return {}
    what = ("xfs_break_layouts(BREAK_UNMAP)" if g == BREAK else
            "%s() (breaks layouts with BREAK_UNMAP)" % g)
    if "held" in ob and ob["held"] < len(args):
        a = args[ob["held"]]
        why = U.get((fl, line, col, a), set())
        if why:
            idx = param_index(d, func, [fl], a)
            if idx is not None and not entry and "release" not in why:
                take["held"] = idx
            else:
                how = ("released before the call" if "release" in why
                       else "not taken on every path")
                findings.append((fl, func, line, col, colend,
                                 "0%s without XFS_MMAPLOCK_EXCL held (%s): page faults can re-pin DAX pages while the layout is broken"
                                 % (what, how)))
    if "flags" in ob and ob["flags"] < len(args):
        a = args[ob["flags"]]
        m = _re.fullmatch(r"&\(?([A-Za-z_]\w*)\)?", a)
        if m:
            ok = FL.get((fl, line, col, m.group(1)), True)
            if not ok:
                findings.append((fl, func, line, col, colend,
                                 "1iolock flags '%s' passed to %s lack XFS_MMAPLOCK_EXCL on some path (it drops and retakes exactly those flags)"
                                 % (m.group(1), what)))
        else:
            idx = param_index(d, func, [fl], a)
            if idx is not None and not entry:
                take["flags"] = idx
    return take


for s in sorted(S.values(), key=lambda s: (s[1], s[4], s[5])):
    d, fl, func = s[0], s[1], s[2]
    cands, refd, _ = prescan(d)
    entry = func in refd or not callers.get((d, func))
    if entry:
        check_site(s, (), True, False)
    else:
        obligations(d, func)

merged = {}
for f in sorted(set(findings)):
    merged.setdefault(f[:5], [])
    if f[5] not in merged[f[:5]]:
        merged[f[:5]].append(f[5])
for k in sorted(merged, key=lambda k: (k[0], int(k[2]), int(k[3]))):
    loc = _Loc(*k)
    msg = "[break-layouts-mmaplock] %s: %s" % (
        k[1], "; ".join(x[1:] for x in sorted(merged[k])))
    if "report" in MODE:
        coccilib.report.print_report(loc, "WARNING: " + msg)
    elif "org" in MODE:
        coccilib.org.print_todo(loc, msg)
