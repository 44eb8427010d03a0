// SPDX-License-Identifier: GPL-2.0-only
/// A page-cache .writepages must not divert DAX inodes to
/// dax_writeback_mapping_range(): since "fs, dax: prepare for dax-specific
/// address_space_operations" a DAX inode has its own aops whose .writepages
/// does that, and the page-cache one never sees a DAX inode.  A leftover
/// dax_mapping()/IS_DAX() dispatch is dead code at best and, if the aops
/// selection is wrong, hides it (seed patches 03-06 delete these blocks from
/// blkdev_writepages, xfs_vm_writepages, ext4_writepages, ext2_writepages).
//
// Rule: dax-writepages-divert
// Prefilter: dax_writeback_mapping_range
// Scope: directory-all
// Confidence: High
// Comments: a page-cache aops is one that sets a page-cache operation
//  (read_folio, readpage(s), readahead, writepage, write_begin/end).  Its
//  .writepages is followed in every file of the directory; a call of
//  dax_writeback_mapping_range() in it, or a call of a function of the
//  directory that reaches it (up to two calls deep), is reported where the
//  .writepages makes it, whatever the test around it (dax_mapping(),
//  IS_DAX(), i_flags & S_DAX, negated, early return, #ifdef).
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
    ST["bad"] = {}
    ST["callpos"] = {}


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
    return any(calls_dax_wb(g, depth + 1) for g in ST["edges"].get(fn, ()))


def is_dax_aops(a):
    o = ST["aops"].get(a)
    if o is None:
        return False
    wp = o["m"].get("writepages")
    if wp and calls_dax_wb(wp):
        return True
    return bool(ST["fsdax"] and DAXNAME.search(a))


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

// functions that test DAX-ness
@consider@
identifier f;
@@
f(...) { <+... \(IS_DAX(...)\|dax_mapping(...)\|S_DAX\) ...+> }

@script:python@
f << consider.f;
@@
ST["consider"].add(f)

// decide, once per directory
@script:python decide@
@@
wbfns = set(f for f, _ in ST["wbcalls"])


def reaches(fn, depth=0, seen=None):
    if fn in wbfns:
        return True
    if depth >= 2:
        return False
    return any(reaches(g, depth + 1) for g in ST["edges"].get(fn, ())
               if g != fn)


PC_WB = ("generic_writepages", "mpage_writepages", "iomap_writepages",
         "write_cache_pages", "block_write_full_page",
         "__block_write_full_page", "filemap_fdatawrite",
         "filemap_write_and_wait")


def calls_pc(fn, depth=0):
    if fn in PC_WB:
        return True
    if depth >= 2:
        return False
    return any(calls_pc(g, depth + 1) for g in ST["edges"].get(fn, ())
               if g != fn)


handlers = {}
for a, o in ST["aops"].items():
    wp = o["m"].get("writepages")
    if wp and any(f in o["m"] for f in PC_OPS):
        handlers.setdefault(wp, []).append(a)

for wp, objs in handlers.items():
    objs = ", ".join(sorted(objs))
    if not (wp in ST["consider"] or calls_pc(wp)):
        continue        # a pure DAX .writepages: dax-aops-shape checks it
    how = ("tests DAX-ness and " if wp in ST["consider"] else "")
    for g, loc in ST["callpos"].get(wp, ()):
        if g == "dax_writeback_mapping_range":
            ST["bad"][(loc.file, loc.line, loc.column)] = (
                "page-cache .writepages of %s %sdiverts to "
                "dax_writeback_mapping_range(); that dispatch belongs in the "
                "filesystem's DAX aops" % (objs, how))
        elif g != wp and reaches(g):
            ST["bad"][(loc.file, loc.line, loc.column)] = (
                "page-cache .writepages of %s %sdiverts to %s(), which "
                "calls dax_writeback_mapping_range(); that dispatch belongs "
                "in the filesystem's DAX aops" % (objs, how, g))

@script:python depends on debug@
@@
import sys
sys.stderr.write("handlers %s bad %s\n" % (handlers, ST["bad"]))

@badcall@
identifier g;
position p : script:python() { bad(p) };
@@
g@p(...)

@ctx depends on context@
identifier badcall.g;
position badcall.p;
@@
* g@p(...)

@script:python depends on org@
p << badcall.p;
@@
coccilib.org.print_todo(p[0], "[dax-writepages-divert] %s: %s" % (p[0].current_element, msg(p)))

@script:python depends on report@
p << badcall.p;
@@
coccilib.report.print_report(p[0], "WARNING: [dax-writepages-divert] %s: %s" % (p[0].current_element, msg(p)))
