// SPDX-License-Identifier: GPL-2.0-only
/// A DAX inode must get the filesystem's DAX address_space_operations and a
/// page-cache inode must not.  Since "fs, dax: prepare for dax-specific
/// address_space_operations" (and the xfs/ext4/ext2 patches after it) the
/// page-cache aops never run on DAX-mapped blocks; an aops chosen without
/// regard to IS_DAX() lets set_page_dirty/invalidate/writepage run on them.
/// Reported:
///  - an aops assigned where IS_DAX() (dax_mapping(), i_flags & S_DAX) is
///    known true is a page-cache aops; one assigned where it is known false
///    is a DAX aops (the true/false branch swap);
///  - a function sets S_DAX in i_flags and then installs a page-cache aops;
///  - a function installs a page-cache aops on a regular file with no
///    IS_DAX()/S_DAX consideration at all (nor a later call that installs
///    the DAX aops), in a filesystem that has a DAX aops (the pre-series
///    xfs_setup_iops and ext2_iget/ext2_create/ext2_tmpfile).
//
// Rule: dax-aops-select
// Prefilter: \bIS_DAX\(|\bS_DAX\b|\bdax_mapping\(|dax_writeback_mapping_range|[dD][aA][xX]\w*_aops\b
// Scope: directory-all
// Confidence: Moderate
// Comments: a DAX aops is one whose .writepages calls
//  dax_writeback_mapping_range() outside any DAX test (directly or one call
//  deep), or one named *dax*_aops in a directory that uses the fs-DAX API;
//  a page-cache aops has a page-cache operation (read_folio, readpage(s),
//  readahead, writepage, write_begin/end) and is not a DAX aops.  The
//  branch polarity is computed from the condition (!, &&, ||, and local
//  variables set from IS_DAX()).  Directory and symlink inodes (i_op set to
//  inode_operations with .lookup/.get_link on the same path) are not regular
//  files.  See docs/rules/dax-aops-select.md for what it cannot see.
// Options: --no-includes --include-headers --no-scanner --kbuild-info scripts/coccinelle/dax/kbuild-info

virtual context
virtual org
virtual report
virtual debug

@initialize:python@
@@
import re

PC_OPS = ("read_folio", "readpage", "readpages", "readahead", "writepage",
          "write_begin", "write_end")
NONREG_IOPS = set(["page_symlink_inode_operations",
                   "simple_symlink_inode_operations",
                   "simple_dir_inode_operations"])
DAXNAME = re.compile(r"[dD][aA][xX]\w*aops")
ST = {}


def reset():
    ST.clear()
    ST.update(fsdax=False, aops={}, wbcalls=[], edges={}, daxvars={},
              ifs=[], sites={}, sdax=set(), consider=set(), nonreg=set(),
              iopsites=set(), after={}, callers={}, asgfn={})
    ST["callpos"] = {}
    ST["bad"] = {}


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
    return ST["bad"][key(p)]

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
ST["aops"].setdefault(A, {"m": {}, "p": p[0]})

@aopsm@
identifier aops.A, fld;
expression V;
@@
struct address_space_operations A = { ..., .fld = V, ... };

@script:python@
A << aops.A;
fld << aopsm.fld;
V << aopsm.V;
@@
ST["aops"][A]["m"][fld] = V

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

// callers of the functions that choose an aops (a call made after a
// page-cache aops is installed may install the DAX aops over it)
@script:python ups@
p << aopsite.p;
g;
@@
coccinelle.g = cocci.make_ident(p[0].current_element)

@cs@
identifier ups.g;
position p;
@@
g@p(...)

@script:python@
g << ups.g;
p << cs.p;
@@
edge(p, g)

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

// functions that consider DAX-ness at all
@consider@
identifier f;
@@
f(...) { <+... \(IS_DAX(...)\|dax_mapping(...)\|S_DAX\) ...+> }

@script:python@
f << consider.f;
@@
ST["consider"].add(f)

// directory and symlink inode_operations: an aops installed on the same
// path as one of them is not a regular file's
@nonreg@
identifier I, fld =~ "^(lookup|get_link|follow_link)$";
expression V;
@@
struct inode_operations I = { ..., .fld = V, ... };

@script:python@
I << nonreg.I;
@@
ST["nonreg"].add(I)

@iopsite exists@
expression X, L;
identifier I, A : script:python() { is_aops(A) };
position p;
@@
(
X->i_op = &I; ... L = &A@p;
|
L = &A@p; ... X->i_op = &I;
)

@script:python@
I << iopsite.I;
p << iopsite.p;
@@
if I in ST["nonreg"] or I in NONREG_IOPS:
    ST["iopsites"].add(key(p))

// calls made after an aops is installed (a later call may install the DAX
// aops over it: fuse_init_file_inode -> fuse_dax_inode_init)
@after exists@
expression L;
identifier A : script:python() { is_aops(A) };
identifier g;
position p;
@@
L = &A@p;
...
g(...)

@script:python@
p << after.p;
g << after.g;
@@
ST["after"].setdefault(key(p), set()).add(g)

// decide, once per directory
@script:python decide@
@@
# guarded calls of dax_writeback_mapping_range do not make a DAX writepages
ST["daxwb"] = set()
for f, loc in ST["wbcalls"]:
    guarded = False
    for (fn, c, r1, r2) in ST["ifs"]:
        if fn == f and (pos_in(loc, r1) or pos_in(loc, r2)):
            guarded = True
    if not guarded:
        ST["daxwb"].add(f)

daxobjs = [a for a in ST["aops"] if is_dax_aops(a)]
overriders = set()
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
    s["ctx"] = ctx
    A = s["A"]
    # a function that installs an aops and takes the DAX decision itself
    # (fuse_dax_inode_init) overrides what its caller installed before; if
    # its decision is wrong it is reported itself
    if s["fn"] in ST["consider"]:
        overriders.add(s["fn"])
    if is_dax_aops(A) or (("dax" in ctx or k in ST["sdax"]) and
                          not is_pc_aops(A)):
        overriders.add(s["fn"])
        if A not in daxobjs:
            daxobjs.append(A)


def overrides(g, depth=0):
    if g in overriders:
        return True
    if depth >= 1:
        return False
    return any(overrides(h, depth + 1) for h in ST["edges"].get(g, ()))


for k, s in ST["sites"].items():
    A, fn, ctx = s["A"], s["fn"], s["ctx"]
    if ctx == set(["dax"]) and is_pc_aops(A):
        ST["bad"][k] = ("IS_DAX() inode gets page-cache aops %s (%s); a DAX "
                        "inode must get the filesystem's DAX aops"
                        % (A, ", ".join("." + o for o in pc_ops_of(A))))
    elif ctx == set(["nondax"]) and is_dax_aops(A):
        ST["bad"][k] = ("non-DAX inode gets DAX aops %s; page-cache I/O "
                        "needs the page-cache aops" % A)
    elif not ctx and k in ST["sdax"] and is_pc_aops(A):
        ST["bad"][k] = ("S_DAX is set but page-cache aops %s is installed; "
                        "a DAX inode must get the DAX aops" % A)
    elif (not ctx and k not in ST["sdax"] and is_pc_aops(A) and daxobjs
          and fn not in ST["consider"] and k not in ST["iopsites"]
          and not any(overrides(g) for g in ST["after"].get(k, ()))):
        ST["bad"][k] = ("regular-file aops set to page-cache %s without "
                        "IS_DAX() consideration, but this filesystem has DAX "
                        "aops %s" % (A, ", ".join(sorted(daxobjs))))

@script:python depends on debug@
@@
import sys
for k, s in sorted(ST["sites"].items()):
    sys.stderr.write("site %s %s ctx=%s dax=%s pc=%s sdax=%s consider=%s "
                     "nonreg=%s after=%s\n" % (
                         k, s["A"], s["ctx"], is_dax_aops(s["A"]),
                         is_pc_aops(s["A"]), k in ST["sdax"],
                         s["fn"] in ST["consider"], k in ST["iopsites"],
                         sorted(ST["after"].get(k, ()))))
sys.stderr.write("daxwb %s fsdax %s\n" % (sorted(ST["daxwb"]), ST["fsdax"]))

@badsite@
identifier A;
position p : script:python() { bad(p) };
@@
\(&A@p\)

@ctx depends on context@
identifier badsite.A;
position badsite.p;
@@
* \(&A@p\)

@script:python depends on org@
p << badsite.p;
@@
coccilib.org.print_todo(p[0], "[dax-aops-select] %s: %s" % (p[0].current_element, msg(p)))

@script:python depends on report@
p << badsite.p;
@@
coccilib.report.print_report(p[0], "WARNING: [dax-aops-select] %s: %s" % (p[0].current_element, msg(p)))
