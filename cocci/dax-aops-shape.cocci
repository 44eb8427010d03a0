// SPDX-License-Identifier: GPL-2.0-only
/// What a DAX address_space_operations may and must contain.  Since "fs,
/// dax: prepare for dax-specific address_space_operations" a DAX inode's
/// aops exists so that page-cache code never runs on DAX-mapped blocks:
/// it must set the no-op dirty hook (.set_page_dirty = noop_set_page_dirty,
/// __set_page_dirty_no_writeback in 5.14-5.17, .dirty_folio =
/// noop_dirty_folio from 5.18), before 5.18 .invalidatepage =
/// noop_invalidatepage, and a .writepages that calls
/// dax_writeback_mapping_range(); it must not contain a page-cache operation
/// (readpage(s)/read_folio/readahead, writepage, write_begin/end, a non-noop
/// dirty or invalidate hook, releasepage/release_folio,
/// migratepage/migrate_folio, is_partially_uptodate, error_remove_page,
/// launder/free/isolate/putback).  .direct_IO, .bmap and .swap_activate are
/// allowed.
//
// Rule: dax-aops-shape
// Prefilter: \bIS_DAX\(|\bS_DAX\b|\bdax_mapping\(|dax_writeback_mapping_range|[dD][aA][xX]\w*_aops\b
// Scope: directory-all
// Confidence: High
// Comments: a DAX aops is one named *dax*_aops in a directory that uses the
//  fs-DAX API, one whose .writepages calls dax_writeback_mapping_range()
//  outside any DAX test (directly or up to two calls deep, in any file of
//  the directory), or one installed where IS_DAX() is known true or after
//  S_DAX is set (unless it is a plain page-cache aops: that is
//  dax-aops-select's finding).  The .writepages function may live in
//  another file of the filesystem.
// Options: --no-includes --include-headers --no-scanner --kbuild-info scripts/coccinelle/dax/kbuild-info

virtual context
virtual org
virtual report
virtual debug

@initialize:python@
@@
import re

FORBIDDEN = ("readpage", "readpages", "read_folio", "readahead", "writepage",
             "write_begin", "write_end", "releasepage", "release_folio",
             "migratepage", "migrate_folio", "is_partially_uptodate",
             "error_remove_page", "launder_page", "launder_folio",
             "freepage", "free_folio", "isolate_page", "putback_page")
NOOP_DIRTY = ("noop_set_page_dirty", "__set_page_dirty_no_writeback",
              "noop_dirty_folio")
PC_WRITEBACK = ("generic_writepages", "mpage_writepages", "iomap_writepages",
                "write_cache_pages", "block_write_full_page")
PROFILE = [None]
PC_OPS = ("read_folio", "readpage", "readpages", "readahead", "writepage",
          "write_begin", "write_end")
NONREG_IOPS = set(["page_symlink_inode_operations",
                   "simple_symlink_inode_operations",
                   "simple_dir_inode_operations"])
DAXNAME = re.compile(r"[dD][aA][xX]\w*aops")
ST = {}


class Multi(dict):
    """several findings may sit on one position (an aops declaration)"""
    def __setitem__(self, k, v):
        dict.setdefault(self, k, []).append(v)


def reset():
    ST.clear()
    ST.update(fsdax=False, aops={}, wbcalls=[], edges={}, daxvars={},
              ifs=[], sites={}, sdax=set(), consider=set(), nonreg=set(),
              iopsites=set(), after={}, callers={}, asgfn={})
    ST["callpos"] = {}
    ST["bad"] = Multi()
    ST["fundef"] = set()


reset()


def edge(p, callee):
    """record a call of CALLEE at position p (its caller is p's function)"""
    fn = p[0].current_element
    ST["edges"].setdefault(fn, set()).add(callee)
    ST["callpos"].setdefault(fn, []).append((callee, p[0]))


def key(p):
    return (p[0].file, p[0].line, p[0].column)


def pos_in(p, rng):
    """position p (a Location) inside range rng (file, l0, c0, l1, c1)"""
    if not rng or p.file != rng[0]:
        return False
    l, c = int(p.line), int(p.column)
    if (l, c) < (rng[1], rng[2]):
        return False
    if (l, c) > (rng[3], rng[4]):
        return False
    return True


def rng_of(ps):
    if not ps:
        return None
    x = ps[0]
    return (x.file, int(x.line), int(x.column), int(x.line_end),
            int(x.column_end))


# ---- condition polarity -------------------------------------------------
TOK = re.compile(r"&&|\|\||->|==|!=|<=|>=|[A-Za-z_]\w*|\d\w*|\S")


def tokens(s):
    return TOK.findall(s)


def atom_kind(toks, fn, depth=0):
    """'X' when the atom says 'the inode is DAX', else None"""
    t = " ".join(toks)
    if re.match(r"^(IS_DAX|dax_mapping) \(.*\)$", t) and \
            _balanced_call(toks):
        return "X"
    if "S_DAX" in toks and "~" not in toks and "&" in toks and \
            "|" not in toks and "==" not in toks and "!=" not in toks:
        return "X"
    if len(toks) == 1 and depth == 0:
        f = ST["daxvars"].get((fn, toks[0]))
        if f is not None:
            return ("F", f)
    return None


def _balanced_call(toks):
    d = 0
    for i, x in enumerate(toks):
        if x == "(":
            d += 1
        elif x == ")":
            d -= 1
            if d == 0 and i != len(toks) - 1:
                return False
    return True


def parse(toks, fn, depth=0):
    pos = [0]

    def peek():
        return toks[pos[0]] if pos[0] < len(toks) else None

    def p_or():
        left = p_and()
        while peek() == "||":
            pos[0] += 1
            left = ("or", left, p_and())
        return left

    def p_and():
        left = p_un()
        while peek() == "&&":
            pos[0] += 1
            left = ("and", left, p_un())
        return left

    def atom():
        start = pos[0]
        d = 0
        while pos[0] < len(toks):
            x = toks[pos[0]]
            if d == 0 and x in ("&&", "||", ")"):
                break
            if x == "(":
                d += 1
            elif x == ")":
                d -= 1
            pos[0] += 1
        a = toks[start:pos[0]]
        k = atom_kind(a, fn, depth)
        if k == "X":
            return ("X",)
        if isinstance(k, tuple):
            return parse(tokens(k[1]), fn, depth + 1)
        return ("U", " ".join(a))

    def p_un():
        x = peek()
        if x == "!":
            pos[0] += 1
            return ("not", p_un())
        if x == "(":
            save = pos[0]
            pos[0] += 1
            inner = p_or()
            if peek() == ")":
                pos[0] += 1
                if peek() in (None, "&&", "||", ")"):
                    return inner
            pos[0] = save
        return atom()

    try:
        tree = p_or()
    except Exception:
        return ("U", " ".join(toks))
    return tree


def unknowns(t, acc):
    if t[0] == "U":
        acc.add(t[1])
    elif t[0] in ("and", "or"):
        unknowns(t[1], acc)
        unknowns(t[2], acc)
    elif t[0] == "not":
        unknowns(t[1], acc)
    return acc


def has_x(t):
    if t[0] == "X":
        return True
    if t[0] in ("and", "or"):
        return has_x(t[1]) or has_x(t[2])
    if t[0] == "not":
        return has_x(t[1])
    return False


def ev(t, x, env):
    if t[0] == "X":
        return x
    if t[0] == "U":
        return env[t[1]]
    if t[0] == "not":
        return not ev(t[1], x, env)
    if t[0] == "and":
        return ev(t[1], x, env) and ev(t[2], x, env)
    return ev(t[1], x, env) or ev(t[2], x, env)


def implications(cond, fn):
    """{True: 'dax'|'nondax'|None, False: ...}: what the then (True) and
    else (False) branch of `if (cond)` imply about IS_DAX(inode)"""
    t = parse(tokens(cond), fn)
    out = {True: None, False: None}
    if not has_x(t):
        return out
    us = sorted(unknowns(t, set()))[:10]
    seen = {True: set(), False: set()}
    for bits in range(1 << len(us)):
        env = dict((u, bool(bits >> i & 1)) for i, u in enumerate(us))
        for x in (True, False):
            seen[ev(t, x, env)].add(x)
    for br in (True, False):
        if seen[br] == set([True]):
            out[br] = "dax"
        elif seen[br] == set([False]):
            out[br] = "nondax"
    return out


def dax_related(c):
    c = str(c)
    if re.search(r"\b(IS_DAX|dax_mapping)\b|\bS_DAX\b", c):
        return True
    names = set(v for (_, v) in ST["daxvars"])
    return any(re.search(r"\b%s\b" % re.escape(n), c) for n in names)


def dax_value(e):
    e = str(e)
    t = parse(tokens(e), None, 1)
    return has_x(t)


# ---- what an aops object is --------------------------------------------
def calls_dax_wb(fn, depth=0):
    if fn in ST["daxwb"]:
        return True
    if depth >= 2:
        return False
    return any(calls_dax_wb(g, depth + 1) for g in ST["edges"].get(fn, ())
               if g != fn)


PC_WB = ("generic_writepages", "mpage_writepages", "iomap_writepages",
         "write_cache_pages", "block_write_full_page",
         "__block_write_full_page", "filemap_fdatawrite", "filemap_write_and_wait")


def calls_pc_wb(fn, depth=0):
    if fn in PC_WB:
        return True
    if depth >= 2:
        return False
    return any(calls_pc_wb(g, depth + 1) for g in ST["edges"].get(fn, ())
               if g != fn)


def is_dax_aops(a):
    """a DAX aops by shape: its .writepages writes back through
    dax_writeback_mapping_range() and has no page-cache writeback path (a
    page-cache .writepages that diverts DAX inodes is not one)"""
    o = ST["aops"].get(a)
    if o is None:
        return False
    wp = o["m"].get("writepages")
    if wp and calls_dax_wb(wp) and not calls_pc_wb(wp):
        return True
    # the name fallback: only for a filesystem DAX aops, i.e. in a
    # directory using the fs-DAX API or for an object with a .writepages
    # (the device-DAX dev_dax_aops has neither)
    return bool(DAXNAME.search(a) and (ST["fsdax"] or wp))


def is_pc_aops(a):
    o = ST["aops"].get(a)
    if o is None or is_dax_aops(a):
        return False
    return any(f in o["m"] for f in PC_OPS)


def pc_ops_of(a):
    return [f for f in PC_OPS if f in ST["aops"][a]["m"]]


def is_aops(a):
    return a in ST["aops"]


def bad(p):
    return key(p) in ST["bad"]


def msg(p):
    ms = ST["bad"][key(p)]
    return (ms[0][0], "; ".join(m for (_, m) in ms))

@script:python setprof@
prof << virtual.profile;
@@
PROFILE[0] = prof

@script:python reset_state@
@@
reset()

// the directory uses the filesystem-DAX API (a name *dax*aops means a DAX
// aops only there; drivers/dax's device-DAX aops is not one)
@fsdax@
position p;
@@
\(dax_iomap_rw@p\|dax_iomap_fault@p\|dax_writeback_mapping_range@p\|dax_layout_busy_page@p\|dax_layout_busy_page_range@p\|dax_iomap_zero@p\|dax_zero_range@p\|dax_truncate_page@p\)(...)

@script:python@
p << fsdax.p;
@@
ST["fsdax"] = True

// every address_space_operations object and its members
@aops@
identifier A;
position p;
@@
struct address_space_operations A@p = {...};

@script:python@
A << aops.A;
p << aops.p;
@@
ST["aops"].setdefault(A, {"m": {}, "mp": {}, "p": p[0]})

@aopsm@
identifier aops.A, fld;
expression V;
position pm;
@@
struct address_space_operations A = { ..., .fld = V@pm, ... };

@script:python@
A << aops.A;
fld << aopsm.fld;
V << aopsm.V;
pm << aopsm.pm;
@@
ST["aops"][A]["m"][fld] = V
ST["aops"][A]["mp"][fld] = pm[0]

// the call graph towards dax_writeback_mapping_range() and towards the
// page-cache writeback helpers, followed backwards two levels (callers, and
// their callers) in every file of the directory.  Collecting every call
// instead is far too slow on fs/ext4.
@wbcall@
position p;
@@
dax_writeback_mapping_range@p(...)

@script:python@
p << wbcall.p;
@@
ST["wbcalls"].append((p[0].current_element, p[0]))
edge(p, "dax_writeback_mapping_range")

@pccall@
identifier w =~ "^(generic_writepages|mpage_writepages|iomap_writepages|write_cache_pages|block_write_full_page|__block_write_full_page|filemap_fdatawrite|filemap_write_and_wait)$";
position p;
@@
w@p(...)

@script:python@
w << pccall.w;
p << pccall.p;
@@
edge(p, w)

@script:python up1a@
p << wbcall.p;
g;
@@
coccinelle.g = cocci.make_ident(p[0].current_element)

@script:python up1b@
p << pccall.p;
g;
@@
coccinelle.g = cocci.make_ident(p[0].current_element)

@c1a@
identifier up1a.g;
position p;
@@
g@p(...)

@script:python@
g << up1a.g;
p << c1a.p;
@@
edge(p, g)

@c1b@
identifier up1b.g;
position p;
@@
g@p(...)

@script:python@
g << up1b.g;
p << c1b.p;
@@
edge(p, g)

@script:python up2a@
p << c1a.p;
g;
@@
coccinelle.g = cocci.make_ident(p[0].current_element)

@script:python up2b@
p << c1b.p;
g;
@@
coccinelle.g = cocci.make_ident(p[0].current_element)

@c2a@
identifier up2a.g;
position p;
@@
g@p(...)

@script:python@
g << up2a.g;
p << c2a.p;
@@
edge(p, g)

@c2b@
identifier up2b.g;
position p;
@@
g@p(...)

@script:python@
g << up2b.g;
p << c2b.p;
@@
edge(p, g)

@wpm@
identifier A, wp;
@@
struct address_space_operations A = { ..., .writepages = wp, ... };

// local variables holding an IS_DAX() value
@dvar@
identifier x;
type T;
expression E : script:python() { dax_value(E) };
position p;
@@
(
x = E@p;
|
T x = E@p;
)

@script:python@
x << dvar.x;
E << dvar.E;
p << dvar.p;
@@
ST["daxvars"][(p[0].current_element, x)] = E

// conditionals that test DAX-ness, with the extent of each branch
@dif@
expression C : script:python() { dax_related(C) };
statement S1, S2;
expression E1, E2;
position p1, p2;
@@
(
if (C) S1@p1 else S2@p2
|
if (C) S1@p1
|
C ? E1@p1 : E2@p2
)

@script:python@
C << dif.C;
p1 << dif.p1;
p2 << dif.p2 = [];
@@
ST["ifs"].append((p1[0].current_element, C, rng_of(p1), rng_of(p2)))

// where an aops object is chosen
@aopsite@
expression L, C, E;
identifier A : script:python() { is_aops(A) };
position p;
@@
(
L = &A@p
|
L = C ? &A@p : E
|
L = C ? E : &A@p
)

@script:python@
A << aopsite.A;
p << aopsite.p;
@@
ST["sites"][key(p)] = {"A": A, "p": p[0], "fn": p[0].current_element}

@aopsitedecl@
expression C, E;
identifier A : script:python() { is_aops(A) };
type T;
identifier x;
position p;
@@
(
T x = &A@p;
|
T x = C ? &A@p : E;
|
T x = C ? E : &A@p;
)

@script:python@
A << aopsitedecl.A;
p << aopsitedecl.p;
@@
ST["sites"][key(p)] = {"A": A, "p": p[0], "fn": p[0].current_element}

// S_DAX set in i_flags, then an aops installed with no IS_DAX() test between
@sdax exists@
expression E, L, E2;
identifier A : script:python() { is_aops(A) };
position p;
@@
(
E |= <+... S_DAX ...+>;
|
inode_set_flags(E, <+... S_DAX ...+>, E2);
)
... when != IS_DAX(...)
    when != dax_mapping(...)
L = &A@p;

@script:python@
p << sdax.p;
@@
ST["sdax"].add(key(p))

// .writepages handlers defined in this directory
@wpdef@
identifier wpm.wp;
@@
wp(...) { ... }

@script:python@
wp << wpm.wp;
@@
ST["fundef"].add(wp)

// decide, once per directory
@script:python decide@
@@
ST["daxwb"] = set()
ST["anywb"] = set()
for f, loc in ST["wbcalls"]:
    ST["anywb"].add(f)
    guarded = False
    for (fn, c, r1, r2) in ST["ifs"]:
        if fn == f and (pos_in(loc, r1) or pos_in(loc, r2)):
            guarded = True
    if not guarded:
        ST["daxwb"].add(f)


def reaches_wb(fn, depth=0):
    if fn in ST["anywb"]:
        return True
    if depth >= 2:
        return False
    return any(reaches_wb(g, depth + 1) for g in ST["edges"].get(fn, ()))


daxobjs = set(a for a in ST["aops"] if is_dax_aops(a))
for k, s in ST["sites"].items():
    ctx = set()
    for (fn, c, r1, r2) in ST["ifs"]:
        if fn != s["fn"]:
            continue
        imp = implications(c, fn)
        if pos_in(s["p"], r1) and imp[True]:
            ctx.add(imp[True])
        if pos_in(s["p"], r2) and imp[False]:
            ctx.add(imp[False])
    if (ctx == set(["dax"]) or (not ctx and k in ST["sdax"])) and \
            not is_pc_aops(s["A"]):
        daxobjs.add(s["A"])

uses_folio = any("dirty_folio" in o["m"] for o in ST["aops"].values())
uses_spd = any("set_page_dirty" in o["m"] for o in ST["aops"].values())
prof = PROFILE[0]


def want_dirty():
    if prof in ("v7", "v4.18"):
        return ".set_page_dirty = noop_set_page_dirty"
    if uses_folio or prof == "v5.15" and not uses_spd:
        return ".dirty_folio = noop_dirty_folio"
    if uses_spd:
        return (".set_page_dirty = noop_set_page_dirty (or "
                "__set_page_dirty_no_writeback from 5.14)")
    return ".dirty_folio = noop_dirty_folio"


def mkey(loc):
    return (loc.file, loc.line, loc.column)


for a in sorted(daxobjs):
    o = ST["aops"][a]
    m, mp = o["m"], o["mp"]
    for f in FORBIDDEN:
        if f in m:
            ST["bad"][mkey(mp[f])] = (
                a, "DAX aops sets page-cache operation .%s = %s; page-cache "
                "code must never run on DAX-mapped blocks" % (f, m[f]))
    dirty = [f for f in ("set_page_dirty", "dirty_folio") if f in m]
    for f in dirty:
        if m[f] not in NOOP_DIRTY:
            ST["bad"][mkey(mp[f])] = (
                a, "DAX aops sets a page-cache dirty hook .%s = %s; it must "
                "be the no-op one (%s)" % (f, m[f], want_dirty()))
    if not dirty:
        ST["bad"][mkey(o["p"])] = (
            a, "DAX aops has no no-op dirty hook (%s); set_page_dirty falls "
            "back to the buffer-head/page-cache one" % want_dirty())
    inval = [f for f in ("invalidatepage", "invalidate_folio") if f in m]
    for f in inval:
        if m[f] != "noop_invalidatepage":
            ST["bad"][mkey(mp[f])] = (
                a, "DAX aops sets a page-cache invalidate hook .%s = %s"
                % (f, m[f]))
    # the .invalidatepage era: v7/v4.18, or a tree whose aops still use
    # .set_page_dirty (5.14-5.17 in the v5.15 profile, or no profile given)
    need_inval = prof in ("v7", "v4.18") or (
        prof in (None, "v5.15") and ("set_page_dirty" in m or (
            not dirty and uses_spd and not uses_folio)))
    if need_inval and "invalidatepage" not in m:
        ST["bad"][mkey(o["p"])] = (
            a, "DAX aops has no .invalidatepage = noop_invalidatepage; "
            "invalidation falls back to block_invalidatepage()")
    wp = m.get("writepages")
    if wp is None:
        ST["bad"][mkey(o["p"])] = (
            a, "DAX aops has no .writepages; it must call "
            "dax_writeback_mapping_range() to flush CPU caches on fsync")
    elif (wp in ST["fundef"] and not reaches_wb(wp)) or wp in PC_WRITEBACK:
        ST["bad"][mkey(mp["writepages"])] = (
            a, "DAX aops .writepages = %s does not call "
            "dax_writeback_mapping_range()" % wp)

@script:python depends on debug@
@@
import sys
sys.stderr.write("shape daxobjs %s\n" % sorted(daxobjs))
sys.stderr.write("bad %s\n" % ST["bad"])

@bada@
identifier A;
position p : script:python() { bad(p) };
@@
struct address_space_operations A@p = {...};

@script:python depends on org@
p << bada.p;
@@
coccilib.org.print_todo(p[0], "[dax-aops-shape] %s: %s" % msg(p))

@script:python depends on report@
p << bada.p;
@@
coccilib.report.print_report(p[0], "WARNING: [dax-aops-shape] %s: %s" % msg(p))

@badm@
identifier A, fld;
expression V;
position p : script:python() { bad(p) };
@@
struct address_space_operations A = { ..., .fld = V@p, ... };

@script:python depends on org@
p << badm.p;
@@
coccilib.org.print_todo(p[0], "[dax-aops-shape] %s: %s" % msg(p))

@script:python depends on report@
p << badm.p;
@@
coccilib.report.print_report(p[0], "WARNING: [dax-aops-shape] %s: %s" % msg(p))

@ctxa depends on context@
identifier A;
position bada.p;
@@
* struct address_space_operations A@p = {...};

@ctxm depends on context@
identifier A, fld;
expression V;
position badm.p;
@@
struct address_space_operations A = { ..., .fld =
* V@p
  , ... };
