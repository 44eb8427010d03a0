// SPDX-License-Identifier: GPL-2.0-only
/// A filesystem's dax_device is owned: in the v7 series it is taken with
/// fs_dax_claim_bdev(bdev, owner) and given back with
/// fs_dax_release(dax_dev, owner); from 6.0 on it is taken with
/// fs_dax_get_by_bdev(bdev, &off, holder, ops) and given back with
/// fs_put_dax(dax_dev, holder).  The release must use the owner/holder the
/// claim used (the pgmap / holder is cleared only for its owner), must
/// happen on every error path of the claiming function, and there must be
/// a teardown (unmount) that releases it.  In a v7 tree the series removed
/// fs_dax_get_by_bdev()/fs_put_dax(): leftover calls are reported and, in
/// patch mode, converted to fs_dax_claim_bdev()/fs_dax_release() with the
/// owner in scope (the struct xfs_mount * or struct super_block * of the
/// function), as the seed's patch 08 does.
//
// Rule: dax-claim-release
// Prefilter: fs_dax_claim_bdev|fs_dax_release|fs_dax_get_by_bdev|put_dax
// Scope: file
// Confidence: Moderate
// Comments: owners/holders are compared per directory by the last
//  identifier of the expression, with E->f = x assignments of the claiming
//  function as aliases (btp->bt_mount = mp makes bt_mount and mp the same
//  holder). The teardown check follows the structure field the device is
//  stored in. Calls through wrappers are not followed.
// Options: --no-includes --include-headers

virtual context
virtual org
virtual report
virtual patch

@initialize:python@
@@
# ---- generated from kernel-integration/api/kernel-api.tsv by cocci/generate.py: do not edit
API_DAX_CLAIM = ("fs_dax_claim_bdev",)
API_DAX_RELEASE = ("fs_dax_release", "fs_put_dax", "put_dax")
# ---- end of kernel-integration/api/kernel-api.tsv
import os
import re

coccinelle.claims = []
coccinelle.releases = []
coccinelle.aliases = []
coccinelle.locals_ = []
coccinelle.modes = []
MODE = {"report": False, "org": False}
PROF = {"p": None}
V7CACHE = {}
OWNERS = {}
# per file: function -> the owner to convert its leftover get/put with
CONVERT = {"get": {}, "put": {}}
FILE = {"leaks": [], "nullret": set(), "ret0": set(), "seen": set()}

def is_v7(path):
    """Is the code being checked a v7 tree?  The profile if given, else
    the tree's include/linux/dax.h (spatch runs at the tree's top under
    make coccicheck and under daxlint), else the file itself."""
    if PROF["p"] is not None:
        return PROF["p"] == "v7"
    if "tree" not in V7CACHE:
        try:
            with open("include/linux/dax.h", errors="replace") as f:
                V7CACHE["tree"] = bool(re.search(
                    r"\b(%s)\s*\(" % "|".join(API_DAX_CLAIM), f.read()))
        except OSError:
            V7CACHE["tree"] = None
    if V7CACHE["tree"] is not None:
        return V7CACHE["tree"]
    if path not in V7CACHE:
        try:
            with open(path, errors="replace") as f:
                V7CACHE[path] = bool(re.search(
                    r"\bfs_dax_(claim_bdev|release)\s*\(", f.read()))
        except OSError:
            V7CACHE[path] = False
    return V7CACHE[path]

def emit(p, msg):
    key = (p.file, p.line, p.column)
    if key in FILE["seen"]:
        return
    FILE["seen"].add(key)
    if MODE["report"]:
        coccilib.report.print_report(p,
            "WARNING: [dax-claim-release] %s: %s" % (p.current_element, msg))
    elif MODE["org"]:
        coccilib.org.print_todo(p,
            "[dax-claim-release] %s: %s" % (p.current_element, msg))

def rec(p, **kw):
    d = dict(file=p.file, dir=os.path.dirname(p.file), line=int(p.line),
             col=int(p.column), col_end=int(p.column_end),
             func=p.current_element)
    d.update(kw)
    return d

@script:python setprof@
prof << virtual.profile;
@@
PROF["p"] = prof

@script:python depends on report@
@@
MODE["report"] = True
if "report" not in coccinelle.modes:
    coccinelle.modes.append("report")

@script:python depends on org@
@@
MODE["org"] = True
if "org" not in coccinelle.modes:
    coccinelle.modes.append("org")

// ---------------------------------------------------------------------
// claims and releases, with their owner/holder

@claim_v7@
expression B, H;
position p;
@@
fs_dax_claim_bdev@p(B, H)

@claim_holder@
expression B, Off, H, Ops;
position p;
@@
fs_dax_get_by_bdev@p(B, Off, H, Ops)

@claim_plain@
expression list[n] es;
position p;
@@
fs_dax_get_by_bdev@p(es)

@rel_owner@
expression D, H;
position p;
@@
\(fs_dax_release@p\|fs_put_dax@p\)(D, H)

@rel_plain@
expression D;
position p;
@@
\(fs_put_dax@p\|put_dax@p\)(D)

@script:python@
p << claim_v7.p;
H << claim_v7.H;
@@
FILE["cur"] = p[0].file
coccinelle.claims.append(rec(p[0], holder=H, api="claim"))

@script:python@
p << claim_holder.p;
H << claim_holder.H;
@@
FILE["cur"] = p[0].file
coccinelle.claims.append(rec(p[0], holder=H, api="holder"))

@script:python@
p << claim_plain.p;
n << claim_plain.n;
@@
FILE["cur"] = p[0].file
if int(n) != 4:
    coccinelle.claims.append(rec(p[0], holder=None, api="plain"))

@script:python@
p << rel_owner.p;
D << rel_owner.D;
H << rel_owner.H;
@@
coccinelle.releases.append(rec(p[0], dev=D, holder=H, api="owner"))

@script:python@
p << rel_plain.p;
D << rel_plain.D;
@@
# a holder-less put releases without clearing any owner: holder NULL
coccinelle.releases.append(rec(p[0], dev=D, holder="NULL", api="plain"))

// where a claimed device is stored: a structure field or a local

@slot_field@
expression E;
identifier f;
position p;
@@
\(E->f\|E.f\) = \(fs_dax_claim_bdev@p\|fs_dax_get_by_bdev@p\)(...)

@slot_local@
local idexpression D;
position p;
@@
D = \(fs_dax_claim_bdev@p\|fs_dax_get_by_bdev@p\)(...)

@slot_decl@
identifier D;
type T;
position p;
@@
T D = \(fs_dax_claim_bdev@p\|fs_dax_get_by_bdev@p\)(...);

@script:python@
p << slot_field.p;
f << slot_field.f;
@@
coccinelle.locals_.append(rec(p[0], kind="slot", name=f, field=True))

@script:python@
p << slot_local.p;
D << slot_local.D;
@@
coccinelle.locals_.append(rec(p[0], kind="slot", name=D, field=False))

@script:python@
p << slot_decl.p;
D << slot_decl.D;
@@
coccinelle.locals_.append(rec(p[0], kind="slot", name=D, field=False))

// the type of the structure a device is stored in / released from, where
// Coccinelle knows it (a local or parameter): dif->dax_dev and
// sbi->dax_dev are different slots
@slot_field_t@
type T;
T *E;
identifier f;
position p;
@@
E->f = \(fs_dax_claim_bdev@p\|fs_dax_get_by_bdev@p\)(...)

@script:python@
p << slot_field_t.p;
T << slot_field_t.T;
@@
coccinelle.locals_.append(rec(p[0], kind="ctype", name=T))

@rel_t@
type T;
T *E;
identifier f;
position p;
@@
\(fs_dax_release@p\|fs_put_dax@p\|put_dax@p\)(E->f, ...)

@script:python@
p << rel_t.p;
T << rel_t.T;
@@
coccinelle.locals_.append(rec(p[0], kind="ctype", name=T))

@alias_t@
type T;
T *E;
identifier f, x;
position p;
@@
E->f = x@p

@script:python@
p << alias_t.p;
T << alias_t.T;
@@
coccinelle.locals_.append(rec(p[0], kind="ctype", name=T))

@loadf_t@
type T, T2;
T *E;
identifier f, x;
position p;
@@
(
T2 x@p = E->f;
|
x@p = E->f
)

@script:python@
p << loadf_t.p;
T << loadf_t.T;
@@
coccinelle.locals_.append(rec(p[0], kind="ctype", name=T))

// in a function that claims: E->f = x (aliases for holders, and where a
// claimed local ends up); a local handed to another function.  These
// match anywhere and are filtered by function in python (a whole-function
// <+... ...+> pattern is far too slow on a big fill_super).
@script:python@
@@
FILE["claimfns"] = set(c["func"] for c in coccinelle.claims
                       if c["file"] == FILE.get("cur"))

@alias@
expression E;
identifier f, x;
position p;
@@
\(E->f\|E.f\) = x@p

@script:python@
p << alias.p;
f << alias.f;
x << alias.x;
@@
if x != "NULL" and p[0].current_element in FILE["claimfns"]:
    coccinelle.aliases.append(rec(p[0], field=f, name=x))

@handoff@
identifier g;
local idexpression x;
position p;
@@
g@p(..., x, ...)

@script:python@
p << handoff.p;
g << handoff.g;
x << handoff.x;
@@
if (g not in API_DAX_RELEASE and
        p[0].current_element in FILE["claimfns"]):
    coccinelle.locals_.append(rec(p[0], kind="handoff", name=x))

// a local holding an owner: void *holder = mp; ... (holder, mp) alias
@lalias@
identifier x, y;
type T;
position p;
@@
(
T x@p = y;
|
x@p = y
)

@script:python@
p << lalias.p;
x << lalias.x;
y << lalias.y;
@@
if y != "NULL" and x != y:
    coccinelle.locals_.append(rec(p[0], kind="lalias", name=x, field=y))

// in a function that releases: a local loaded from a field
@loadf@
expression E;
identifier f, x;
type T;
position p;
@@
(
T x@p = \(E->f\|E.f\);
|
x@p = \(E->f\|E.f\)
)

@script:python@
p << loadf.p;
f << loadf.f;
x << loadf.x;
@@
coccinelle.locals_.append(rec(p[0], kind="load", name=x, field=f))

// ---------------------------------------------------------------------
// error paths of the claiming function

// a claimed local reaches a return without being released or handed on
@leak_local exists@
local idexpression D;
expression E;
identifier g;
position pc, pr;
@@
D = \(fs_dax_claim_bdev@pc\|fs_dax_get_by_bdev@pc\)(...);
... when != \(fs_dax_release\|fs_put_dax\|put_dax\)(D, ...)
    when != E = D
    when != g(..., D, ...)
    when != return D;
return@pr ...;

@leak_decl exists@
identifier D;
type T;
expression E;
identifier g;
position pc, pr;
@@
T D = \(fs_dax_claim_bdev@pc\|fs_dax_get_by_bdev@pc\)(...);
... when != \(fs_dax_release\|fs_put_dax\|put_dax\)(D, ...)
    when != E = D
    when != g(..., D, ...)
    when != return D;
return@pr ...;

// a return taken because the claim failed leaks nothing
@nullret@
expression D;
position pr;
@@
if (\(!D\|D == NULL\|IS_ERR(D)\|IS_ERR_OR_NULL(D)\))
\(return@pr ...;\|{ ... return@pr ...; }\)

// a success return: a local claim is typically handed on under a
// condition correlated with the claim (the seed's "if (rtdev)
// xfs_alloc_buftarg(mp, rtdev, dax_rtdev)"), which a path-insensitive
// match cannot see; only error returns are checked for a leaked local
@ret0@
position pr;
@@
return@pr 0;

@script:python@
pr << ret0.pr;
@@
FILE["ret0"].add((pr[0].file, pr[0].line, pr[0].column))

// the structure holding the claimed device is freed without releasing it
@leak_field exists@
expression E;
identifier f;
position pc, pk;
@@
\(E->f\|E.f\) = \(fs_dax_claim_bdev@pc\|fs_dax_get_by_bdev@pc\)(...);
... when != \(fs_dax_release\|fs_put_dax\|put_dax\)(\(E->f\|E.f\), ...)
\(kfree@pk\|kvfree@pk\|kmem_free@pk\|kfree_sensitive@pk\|kzfree@pk\)(E);

@script:python@
pc << leak_local.pc;
pr << leak_local.pr;
D << leak_local.D;
@@
FILE["leaks"].append((pr[0], D, "return leaves the dax_device claimed into "
                      "'%s' at line %s unreleased: error paths must release "
                      "it with the owner it was claimed with"
                      % (D, pc[0].line)))

@script:python@
pc << leak_decl.pc;
pr << leak_decl.pr;
D << leak_decl.D;
@@
FILE["leaks"].append((pr[0], D, "return leaves the dax_device claimed into "
                      "'%s' at line %s unreleased: error paths must release "
                      "it with the owner it was claimed with"
                      % (D, pc[0].line)))

@script:python@
pr << nullret.pr;
D << nullret.D;
@@
FILE["nullret"].add((pr[0].file, pr[0].line, pr[0].column, D))

@script:python@
pc << leak_field.pc;
pk << leak_field.pk;
E << leak_field.E;
f << leak_field.f;
@@
emit(pk[0], "'%s' is freed while the dax_device claimed into %s->%s at "
     "line %s is still held: release it first" % (E, E, f, pc[0].line))

@ctx_leak depends on context@
position leak_field.pk;
identifier k;
@@
* k@pk(...);

// ---------------------------------------------------------------------
// v7: the series removed fs_dax_get_by_bdev()/fs_put_dax() from
// filesystems; convert with the owner in scope

@ownp@
identifier fn, O;
type T = {struct xfs_mount *, struct super_block *};
@@
fn(..., T O, ...) { ... }

@ownl@
identifier O;
type T = {struct xfs_mount *, struct super_block *};
position p;
@@
\(T O@p;\|T O@p = ...;\)

@script:python@
fn << ownp.fn;
O << ownp.O;
T << ownp.T;
@@
OWNERS.setdefault(fn, []).append((0 if "xfs_mount" in T else 1, 0, O))

@script:python@
p << ownl.p;
O << ownl.O;
T << ownl.T;
@@
OWNERS.setdefault(p[0].current_element, []).append(
    (0 if "xfs_mount" in T else 1, 1, O))

@left_get@
expression B;
position p;
@@
fs_dax_get_by_bdev@p(B)

@left_put@
expression D;
position p;
@@
fs_put_dax@p(D)

// The leftovers are reported here and, when the function has an owner,
// remembered for patch mode (CONVERT, per file).  Nothing is filtered
// with include_match(False): dropping a match drops the whole
// environment, and when every match of left_get is dropped spatch
// starts again from an empty one, so the fs_put_dax() calls of
// left_put (and the conversions found for the gets) were lost with it.
@script:python mkown_get@
p << left_get.p;
@@
own = sorted(OWNERS.get(p[0].current_element, []))
if not is_v7(p[0].file):
    pass
elif own:
    emit(p[0], "fs_dax_get_by_bdev() was removed by the v7 series: claim "
         "the device with fs_dax_claim_bdev(bdev, %s)" % own[0][2])
    CONVERT["get"][p[0].current_element] = own[0][2]
else:
    emit(p[0], "fs_dax_get_by_bdev() was removed by the v7 series: claim "
         "the device with fs_dax_claim_bdev(bdev, owner) (no struct "
         "xfs_mount * or super_block * in scope: convert by hand)")

@script:python mkown_put@
p << left_put.p;
@@
own = sorted(OWNERS.get(p[0].current_element, []))
if not is_v7(p[0].file):
    pass
elif own:
    emit(p[0], "fs_put_dax() was removed by the v7 series: release the "
         "device with fs_dax_release(dax_dev, %s)" % own[0][2])
    CONVERT["put"][p[0].current_element] = own[0][2]
else:
    emit(p[0], "fs_put_dax() was removed by the v7 series: release the "
         "device with fs_dax_release(dax_dev, owner) (no struct "
         "xfs_mount * or super_block * in scope: convert by hand)")

// (convert per function, with the owner found for it)
@depends on patch@
identifier F : script:python() { F in CONVERT["get"] };
fresh identifier O = script:python(F) { CONVERT["get"][F] };
expression B;
@@
F(...)
{
<...
- fs_dax_get_by_bdev(B)
+ fs_dax_claim_bdev(B, O)
...>
}

@depends on patch@
identifier F : script:python() { F in CONVERT["put"] };
fresh identifier O = script:python(F) { CONVERT["put"][F] };
expression D;
@@
F(...)
{
<...
- fs_put_dax(D)
+ fs_dax_release(D, O)
...>
}

// context mode marks the leftovers report mode reports
@ctx_left_get depends on context@
position p : script:python() { is_v7(p[0].file) };
@@
* fs_dax_get_by_bdev@p(...)

@ctx_left_put depends on context@
position p : script:python() { is_v7(p[0].file) };
@@
* fs_put_dax@p(...)

// end of each file: local leaks not explained by a failed claim
@script:python@
@@
for p, D, msg in FILE["leaks"]:
    if ((p.file, p.line, p.column, D) not in FILE["nullret"] and
            (p.file, p.line, p.column) not in FILE["ret0"]):
        emit(p, msg)
FILE["leaks"] = []
FILE["nullret"] = set()
FILE["ret0"] = set()
FILE["cur"] = None
OWNERS.clear()
CONVERT["get"].clear()
CONVERT["put"].clear()

// ---------------------------------------------------------------------
// across the files: owners/holders and the teardown release

@finalize:python@
claims << merge.claims;
releases << merge.releases;
aliases << merge.aliases;
locals_ << merge.locals_;
modes << merge.modes;
@@
import os
import re

def flat(xs):
    out = []
    for x in xs:
        out.extend(x)
    return out

claims = flat(claims)
releases = flat(releases)
aliases = flat(aliases)
locs = flat(locals_)

def last_ident(text):
    if text is None:
        return None
    t = text.strip()
    if t in ("NULL", "0", "((void *)0)"):
        return "NULL"
    ids = [i for i in re.findall(r"[A-Za-z_]\w*", t)
           if i not in ("void", "struct", "const")]
    return ids[-1] if ids else t

parent = {}
def find(a):
    while parent.get(a, a) != a:
        a = parent[a]
    return a
def union(a, b):
    ra, rb = find(a), find(b)
    if ra != rb:
        parent[ra] = rb
for a in aliases:
    union((a["dir"], a["field"]), (a["dir"], a["name"]))
# a local loaded from a field (owner = btp->bt_mount) is that field, a
# local copied from another (holder = mp) is that one
for l in locs:
    if l["kind"] in ("load", "lalias"):
        union((l["dir"], l["field"]), (l["dir"], l["name"]))

# only a struct type is trusted: a typedef name (xfs_buftarg_t) cannot be
# resolved without the headers and would split one slot into two
ctypes = {}
for l in locs:
    if l["kind"] == "ctype" and re.match(r"^(const\s+)?struct\s+\w+$",
                                         l["name"].strip()):
        ctypes[(l["file"], l["line"], l["col"])] = re.sub(
            r"^const\s+", "", l["name"].strip())
def ctype_at(r):
    return ctypes.get((r["file"], r["line"], r["col"]))

def hclass(d, text):
    li = last_ident(text)
    if li == "NULL":
        return "NULL"
    return find((d, li))

out = []
def say(r, msg):
    out.append((r["file"], r["line"], r["col"], r["col_end"], r["func"],
                msg))

dirs = sorted(set(c["dir"] for c in claims))
for d in dirs:
    dc = [c for c in claims if c["dir"] == d]
    dr = [r for r in releases if r["dir"] == d]
    # 1. owner/holder: claims with an owner vs releases
    own_c = [c for c in dc if c["holder"] is not None]
    if own_c:
        cset = {}
        for c in own_c:
            cset.setdefault(hclass(d, c["holder"]), c)
        rset = {}
        for r in dr:
            rset.setdefault(hclass(d, r["holder"]), r)
        for r in dr:
            h = hclass(d, r["holder"])
            if h not in cset:
                say(r, "dax_device released with owner/holder '%s' but "
                    "claimed with '%s': the claim's owner is never cleared"
                    % (r["holder"], "', '".join(sorted(set(
                        c["holder"] for c in own_c)))))
        if dr:
            for c in own_c:
                if hclass(d, c["holder"]) not in rset:
                    say(c, "dax_device claimed with owner/holder '%s' is "
                        "never released with that owner/holder (releases "
                        "use '%s')" % (c["holder"], "', '".join(sorted(set(
                            r["holder"] for r in dr)))))
    # 2. a teardown outside the claiming function releases the field
    def slot_of_claim(c):
        for l in locs:
            if (l["kind"] == "slot" and l["file"] == c["file"] and
                    l["line"] == c["line"] and l["col"] == c["col"]):
                if l["field"]:
                    return (l["name"], ctype_at(c))
                name = l["name"]
                # a local stored into a field of the claiming function
                for a in aliases:
                    if (a["file"] == c["file"] and a["func"] == c["func"]
                            and a["name"] == name):
                        return (a["field"], ctype_at(a))
                return None
        return None
    def slot_of_release(r):
        li = last_ident(r["dev"])
        for l in locs:
            if (l["kind"] == "load" and l["file"] == r["file"] and
                    l["func"] == r["func"] and l["name"] == li):
                return (l["field"], ctype_at(l))
        return (li, ctype_at(r))
    def same_slot(a, b):
        return a[0] == b[0] and (a[1] is None or b[1] is None or
                                 a[1] == b[1])
    for c in dc:
        s = slot_of_claim(c)
        if s is None:
            continue
        if not any(same_slot(slot_of_release(r), s) and
                   (r["func"] != c["func"] or r["file"] != c["file"])
                   for r in dr):
            say(c, "dax_device stored in %s->%s is never released by a "
                "teardown (unmount) path: it must be released with the "
                "owner it was claimed with" % (s[1] or "", s[0]))

class _Loc:
    def __init__(self, f, ln, col, ce):
        self.file, self.line, self.column, self.column_end = f, ln, col, ce

# org mode lists the findings of the whole run too, like report mode
for fl, ln, col, ce, func, msg in sorted(set(out)):
    if "report" in flat(modes):
        print("%s:%d:%d-%d: WARNING: [dax-claim-release] %s: %s"
              % (fl, ln, col, ce, func, msg))
    elif "org" in flat(modes):
        coccilib.org.print_todo(_Loc(fl, ln, col, ce),
                                "[dax-claim-release] %s: %s" % (func, msg))
