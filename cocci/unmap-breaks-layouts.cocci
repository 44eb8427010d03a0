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
# ---- generated from cocci/lib/srcscan.py by cocci/generate.py: do not edit
# The calls a function body makes, read from its source text.
#
# SmPL finds the function and the braces of its body (one cheap match per
# function); the calls inside are read from the text.  Matching every call
# with SmPL (g@p(...) for any g) costs several times the parse of a
# directory, and a directory rule needs the whole call graph of its
# directory, context-free, so that it can be cached file by file.  The text
# is read with comments, string and character literals, preprocessor lines
# and #if 0 blocks blanked out, so positions stay those spatch reports.
import re as ss_re

SS_CALL_RX = ss_re.compile(r"\b([A-Za-z_]\w*)\s*\(")
SS_NOT_CALLS = set(["if", "while", "for", "switch", "return", "sizeof",
                    "typeof", "__typeof__", "_Alignof", "alignof",
                    "__alignof__", "defined", "__attribute__", "asm",
                    "__asm__", "__builtin_expect", "case", "do", "else"])
# (spelt without backslash escapes: spatch's own lexer reads this code)
SS_QUOTES = (chr(34), chr(39))
SS_BACKSLASH = chr(92)
_ss_blank = {}


# comments, then string and character literals (no newline inside), in one
# left-to-right scan
SS_LIT_RX = ss_re.compile(
    "/[*].*?[*]/|//[^\n]*|" +
    "".join("%s(?:%s.|[^%s%s\n])*%s" % (q, SS_BACKSLASH * 2, q,
                                          SS_BACKSLASH * 2, q) + "|"
            for q in SS_QUOTES)[:-1], ss_re.S)
SS_DIRECTIVE_RX = ss_re.compile(r"\s*#\s*(\w*)\s*(\S*)")


def _ss_spaces(m):
    return ss_re.sub(r"[^\n]", " ", m.group(0))


def _ss_blank_text(text):
    """TEXT with comments, literals, preprocessor lines and #if 0 blocks
    turned into spaces (newlines kept, so positions stay)."""
    lines = SS_LIT_RX.sub(_ss_spaces, text).split("\n")
    raw = text.split("\n")
    skip_depth = 0      # inside #if 0 ... #endif
    k = 0
    while k < len(lines):
        m = SS_DIRECTIVE_RX.match(lines[k])
        if m is None:
            if skip_depth:
                lines[k] = " " * len(lines[k])
            k += 1
            continue
        word = m.group(1)
        if skip_depth:
            if word in ("if", "ifdef", "ifndef"):
                skip_depth += 1
            elif word == "endif":
                skip_depth -= 1
            elif word in ("else", "elif") and skip_depth == 1:
                skip_depth = 0
        elif word == "if" and m.group(2) == "0":
            skip_depth = 1
        # the directive and its continuation lines
        while True:
            cont = raw[k].endswith(SS_BACKSLASH)
            lines[k] = " " * len(lines[k])
            k += 1
            if not cont or k >= len(lines):
                break
    return "\n".join(lines)


def ss_lines(file):
    """FILE's lines, blanked as above (cached)."""
    if file not in _ss_blank:
        try:
            with open(file, errors="replace") as fh:
                _ss_blank[file] = _ss_blank_text(fh.read()).split("\n")
        except OSError:
            _ss_blank[file] = []
    return _ss_blank[file]


def _ss_args(lines, ln, col):
    """The argument text of the call whose "(" is at LINES[ln][col]."""
    depth, buf = 0, []
    for k in range(ln, min(len(lines), ln + 60)):
        s = lines[k]
        for c in s[col if k == ln else 0:]:
            if c == "(":
                depth += 1
                if depth == 1:
                    continue
            elif c == ")":
                depth -= 1
                if depth == 0:
                    return ss_re.sub(r"\s+", " ", "".join(buf)).strip()
            buf.append(c)
        buf.append(" ")
    return ss_re.sub(r"\s+", " ", "".join(buf)).strip()


def _ss_body(lines, line, col, limit):
    """(first, last) 0-based line indexes of the body of the function whose
    name is at LINE:COL: from the first "{" after the name to the brace
    that closes it, and never past line LIMIT (the next function's name),
    which bounds the damage of braces that #ifdef branches unbalance."""
    depth, first = 0, None
    for ln in range(line - 1, min(limit, len(lines))):
        s = lines[ln]
        for k in range(col if ln == line - 1 else 0, len(s)):
            c = s[k]
            if c == "{":
                depth += 1
                if first is None:
                    first = (ln, k)
            elif c == "}" and first is not None:
                depth -= 1
                if depth == 0:
                    return first, ln
    if first is None:
        return None, None
    return first, min(limit, len(lines)) - 1


def ss_calls(file, defs):
    """[function, callee, line, column, argument text] of the calls written
    in the bodies of DEFS, [name, line, column] of the functions defined in
    FILE (SmPL's positions of their names): an identifier followed by "(",
    not a keyword, not a member (a->f(), a.f())."""
    lines = ss_lines(file)
    defs = sorted(defs, key=lambda d: (d[1], d[2]))
    out = []
    for i, (fn, line, col) in enumerate(defs):
        limit = defs[i + 1][1] - 1 if i + 1 < len(defs) else len(lines)
        first, last = _ss_body(lines, line, col, limit)
        if first is None:
            continue
        for ln in range(first[0], last + 1):
            s = lines[ln]
            for m in SS_CALL_RX.finditer(s):
                if ln == first[0] and m.start(1) < first[1]:
                    continue
                name = m.group(1)
                if name in SS_NOT_CALLS:
                    continue
                before = s[:m.start(1)].rstrip()
                if before.endswith((".", "->")) or \
                        (not before and ln > 0 and
                         lines[ln - 1].rstrip().endswith((".", "->"))):
                    continue
                args = _ss_args(lines, ln, m.end(0) - 1)
                out.append([fn, name, ln + 1, m.start(1), args])
    return out


def ss_block_end(file, line, col):
    """(line, column) of the "}" that closes the "{" at LINE:COL of FILE
    (1-based line, 0-based column), or None."""
    lines = ss_lines(file)
    depth = 0
    for ln in range(line - 1, len(lines)):
        s = lines[ln]
        for k in range(col if ln == line - 1 else 0, len(s)):
            if s[k] == "{":
                depth += 1
            elif s[k] == "}":
                depth -= 1
                if depth == 0:
                    return (ln + 1, k)
    return None
# ---- end of cocci/lib/srcscan.py

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
UBL_SIZE_RX = re.compile(r"\bATTR_SIZE\b")
UBL_NEG_DAX_RX = re.compile(r"!\s*\(?\s*[\w>.-]*dax", re.I)

# results of all groups, printed by finalize (one list per worker)
coccinelle.ubl_findings = []


class UblGroup:
    """What one file group (one directory) is made of, derived from the
    facts of all its files (facts.py: step 1 "c", step 2 "m")."""

    def __init__(self):
        self.defs = {}          # fn -> (file, line)
        self.calls = {}         # caller -> set of callees
        self.sites = {}         # caller -> [(callee, (file, line, col))]
        self.bw = set()         # (file, line, col) of calls with BREAK_WRITE
        self.entries = {}       # fn -> (op, table)
        self.aops = []          # (aops name, writepages fn, file, line)
        self.pcaops = set()     # aops names with a page-cache operation
        self.freers = set()     # learned block-freeing routines
        self.daxvars = set()    # (file, fn, var) assigned from a DAX test
        self.guards = set()     # (file, line, col) of DAX-guarded breaks
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


def ubl_balanced(c):
    depth = 0
    for ch in c:
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            return False
    return depth == 0


def ubl_unparen(c):
    c = c.strip()
    while c.startswith("(") and c.endswith(")") and ubl_balanced(c[1:-1]):
        c = c[1:-1].strip()
    return c


def ubl_split(cond, op):
    """The operands of COND at its top level of OP (&& or ||)."""
    parts, cur, depth, k = [], [], 0, 0
    while k < len(cond):
        ch = cond[k]
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and cond.startswith(op, k):
            parts.append("".join(cur))
            cur = []
            k += len(op)
            continue
        cur.append(ch)
        k += 1
    parts.append("".join(cur))
    return [ubl_unparen(x) for x in parts]


def ubl_plain_test(c, rx):
    """C is one test matching RX, neither negated nor compared."""
    flat = c.replace("->", ".")
    return bool(rx.search(c)) and not c.startswith("!") and \
        "&&" not in c and "||" not in c and \
        not re.search(r"[=!]=|[<>?]", flat)


def ubl_test_kind(cond, rx):
    """pos: COND is true exactly when one of its tests matching RX holds
    (a test, or a disjunction of tests: the false side has none of them);
    neg: COND is true exactly when none holds (a negated test, a
    conjunction of negated tests, the negation of a pos); None otherwise."""
    c = ubl_unparen(cond)
    if all(ubl_plain_test(x, rx) for x in ubl_split(c, "||")):
        return "pos"
    if c.startswith("!") and ubl_balanced(c[1:]) and \
            ubl_test_kind(c[1:], rx) == "pos":
        return "neg"
    ands = ubl_split(c, "&&")
    if all(x.startswith("!") and ubl_plain_test(ubl_unparen(x[1:]), rx)
           for x in ands):
        return "neg"
    return None


def ubl_only_dax_test(cond, negated):
    """COND is a DAX test (or a disjunction of DAX tests), negated or not
    as asked: one side of it is taken by page-cache inodes only."""
    return ubl_test_kind(cond, UBL_DAX_RX) == ("neg" if negated else "pos")


def ubl_exits(stmt):
    """STMT (an if branch) always leaves: its last statement at its own
    level is a return, goto, break or continue."""
    t = stmt.strip()
    if t.startswith("{") and t.endswith("}"):
        t = t[1:-1]
    last, cur, paren, brace = "", [], 0, 0
    for ch in t:
        cur.append(ch)
        paren += (ch == "(") - (ch == ")")
        brace += (ch == "{") - (ch == "}")
        if paren == 0 and brace == 0 and ch in ";}":
            last, cur = "".join(cur), []
    if "".join(cur).strip():
        last = "".join(cur)
    return bool(re.match(r"\s*(return|goto|break|continue)\b", last))


UBL_LABEL_RX = re.compile(r"\s*(case\b|default\s*:|[A-Za-z_]\w*\s*:(?!:))")


def ubl_after(fl, line_end):
    """(first, last) lines of the code after an if statement whose branch
    ends at LINE_END, up to the end of the enclosing block or the first
    label (where other paths join again), or None."""
    lines = ss_lines(fl)
    depth = 0
    for ln in range(line_end, len(lines)):
        s = lines[ln]
        if UBL_LABEL_RX.match(s):
            return (line_end + 1, ln) if ln > line_end else None
        for ch in s:
            depth += (ch == "{") - (ch == "}")
            if depth < 0:
                return (line_end + 1, ln + 1)
    return None


def ubl_nondax_site(nondax, fl, ln):
    for f, a, b in nondax:
        if f == fl and a <= ln <= b:
            return True
    return False


def ubl_daxish(fl, fn, cond):
    c = cond.strip()
    if UBL_NEG_DAX_RX.search(c):
        return False
    if UBL_DAX_RX.search(c):
        return True
    for tok in re.findall(r"[A-Za-z_]\w*", c):
        if (fl, fn, tok) in UBL.daxvars:
            return True
    return False


def ubl_derive():
    """The directory's context from every file's step-1 facts."""
    C = dl_facts("c")
    for fl, (fn, ln, col) in dl_rows(C, "def"):
        UBL.defs.setdefault(fn, (fl, ln))
    for fl, (fn, g, ln, col, bw) in dl_rows(C, "call"):
        # a layout-break call with the write reason does not wait for DAX
        # pages
        if bw:
            UBL.bw.add((fl, ln, col))
        if not ubl_callee(g):
            continue
        UBL.calls.setdefault(fn, set()).add(g)
        UBL.sites.setdefault(fn, []).append((g, (fl, ln, col)))
    for table in ("iops_entry", "fops_entry"):
        for fl, (f, op, ops) in dl_rows(C, table):
            UBL.entries.setdefault(f, (op, ops))
    for fl, (ops, wp, ln) in dl_rows(C, "aops"):
        UBL.aops.append((ops, wp, fl, ln))
    for fl, (ops,) in dl_rows(C, "pcaops"):
        UBL.pcaops.add(ops)
    for fl, (freer,) in dl_rows(C, "freer"):
        if freer in UBL.defs:
            UBL.freers.add(freer)

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
        # nothing itself (a wrapper such as xfs_break_layouts); a function
        # that does both is analysed on its own
        UBL.pure = breakers - truncs
        UBL.tset = (truncs | UBL.freers) - UBL.pure
        # every helper an entry point reaches, whoever else calls it
        todo = [f for f in UBL.entries if f in UBL.defs]
        UBL.reach = set(todo)
        while todo:
            f = todo.pop()
            for c in UBL.calls.get(f, ()):
                if (c in UBL.defs and c not in UBL.reach and
                        c not in UBL.freers):
                    UBL.reach.add(c)
                    todo.append(c)
        # only a function that calls a truncator can hold a finding or lead
        # to one
        UBL.reach &= truncs
    # what step 2 asks of the context, as each file sees it
    dl_project(names={"reach": UBL.reach, "pure": UBL.pure,
                      "tset": UBL.tset},
               scalars={"active": UBL.active})


def ubl_sized_site(sizes, nosize, fl, fn, ln):
    """The call at LN of FN in FL is on the size change of .setattr: a test of
    ATTR_SIZE comes before it in FN, and it is in no branch that test
    leaves for a change without ATTR_SIZE."""
    return (any(f == fl and g == fn and tl <= ln for f, g, tl in sizes) and
            not ubl_nondax_site(nosize, fl, ln))


def ubl_decide():
    """Chain the unbroken calls from the entry points down to the
    truncations.  A .setattr chain counts only once it has taken the
    ATTR_SIZE side of a size test (state 1): the size change is what takes
    blocks away, not a refresh of the attributes that truncates the page
    cache to a size changed elsewhere (fuse_setattr -> fuse_do_getattr).
    Every other entry point starts in state 1."""
    M = dl_facts("m")
    unbroken = {}
    for fl, (fn, t, ln, col, ce) in dl_rows(M, "unbroken"):
        unbroken.setdefault(fn, set()).add((t, fl, ln, col, ce))
    nondax = set((fl, a, b) for fl, (a, b) in dl_rows(M, "nondax"))
    nosize = set((fl, a, b) for fl, (a, b) in dl_rows(M, "nosize"))
    sizes = set((fl, fn, ln) for fl, (fn, ln) in dl_rows(M, "sizetest"))
    if UBL_DEBUG:
        for f in sorted(unbroken):
            sys.stderr.write("ubl: %s: %s\n" % (f, sorted(unbroken[f])))
    pred = {}
    todo = []
    for f in sorted(UBL.entries):
        if f in UBL.defs:
            s0 = 0 if UBL.entries[f][0] == ".setattr" else 1
            pred[(f, s0)] = None
            todo.append((f, s0))
    while todo:
        f, s = todo.pop(0)
        for (c, fl, ln, col, ce) in sorted(unbroken.get(f, ()),
                                           key=lambda x: (x[2], x[3])):
            if ubl_nondax_site(nondax, fl, ln):
                continue
            if c not in UBL.defs or c in UBL.freers:
                continue
            s2 = 1 if s or ubl_sized_site(sizes, nosize, fl, f, ln) else 0
            if (c, 1) in pred or (c, s2) in pred:
                continue
            pred[(c, s2)] = (f, s)
            todo.append((c, s2))
    for f in sorted(set(g for g, _ in pred)):
        s = 1 if (f, 1) in pred else 0
        leaves = sorted([x for x in unbroken.get(f, ())
                         if (UBL_PRIM.match(x[0]) or x[0] in UBL.freers) and
                         not ubl_nondax_site(nondax, x[1], x[2]) and
                         (s or ubl_sized_site(sizes, nosize, x[1], f, x[2]))],
                        key=lambda x: (x[2], x[3]))
        if not leaves:
            continue
        chain = [(f, s)]
        while pred[chain[0]] is not None:
            chain.insert(0, pred[chain[0]])
        op, table = UBL.entries[chain[0][0]]
        t, fl, ln, col, ce = leaves[0]
        what = "frees blocks (%s())" % t if t in UBL.freers else "%s()" % t
        more = ""
        if len(leaves) > 1:
            more = "; also %s" % ", ".join("%s() at line %d" % (x[0], x[2])
                                           for x in leaves[1:])
        msg = ("%s reached from %s (%s) without breaking DAX layouts "
               "first%s; a device may still be DMAing into those blocks "
               "(%s is a DAX aops)" %
               (what, " -> ".join("%s()" % c for c, _ in chain), op,
                more, UBL.daxaops))
        UBL.findings.add((fl, ln, col))
        coccinelle.ubl_findings.append((fl, ln, col, ce, f, msg,
                                        tuple(sorted(UBL_MODE))))

@script:python ubl_state@
st << virtual.daxlint_state;
@@
DL["state"] = st

@script:python ubl_dumpto@
out << virtual.daxlint_dump;
@@
DL["dump"] = out

# a new file group starts: forget the previous one
@script:python ubl_start@
@@
UBL.__init__()
dl_reset()

@script:python depends on report@
@@
UBL_MODE.add("report")

@script:python depends on org@
@@
UBL_MODE.add("org")

// ---- step 1: what each file says, whatever else is in the group ----

// every function, and the calls written in its body
@ubl_def@
identifier fn;
position p;
@@
fn@p(...) { ... }

@script:python@
fn << ubl_def.fn;
p << ubl_def.p;
@@
dl_c(p[0].file, "def", fn, int(p[0].line), int(p[0].column))

@ubl_iops@
identifier ops, f;
position p;
@@
struct inode_operations ops@p = { ..., .setattr = f, ... };

@script:python@
ops << ubl_iops.ops;
f << ubl_iops.f;
p << ubl_iops.p;
@@
dl_c(p[0].file, "iops_entry", f, ".setattr", ops)

@ubl_fops@
identifier ops, f, fld;
position p;
@@
struct file_operations ops@p = { ...,
	.fld = f, ... };

@script:python@
ops << ubl_fops.ops;
f << ubl_fops.f;
fld << ubl_fops.fld;
p << ubl_fops.p;
@@
if fld in UBL_ENTRY_OPS:
    dl_c(p[0].file, "fops_entry", f, UBL_ENTRY_OPS[fld], ops)

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
dl_c(p[0].file, "aops", ops, wp, int(p[0].line))

# an aops that does page-cache I/O is no DAX aops, even if its .writepages
# (wrongly) diverts DAX inodes: that is dax-writepages-divert's finding
@ubl_pcaops@
identifier ops, pcop;
position p;
@@
struct address_space_operations ops@p = {
	...,
	.\(read_folio\|readpage\|readpages\|readahead\|writepage\|write_begin\|write_end\)
		= pcop,
	...
};

@script:python@
ops << ubl_pcaops.ops;
p << ubl_pcaops.p;
@@
dl_c(p[0].file, "pcaops", ops)

# the truncate-then-free idiom names the filesystem block-freeing
# routine: the call right after a page-cache truncation, on the same inode
# and size (a function of the directory: see ubl_derive)
@ubl_free@
identifier tp : script:python() { tp == "truncate_setsize" or tp == "truncate_pagecache" };
identifier freer;
expression I, X, E;
position p;
@@
tp(I, X);
(
freer@p(I, X, ...);
|
E = freer@p(I, X, ...);
)

@script:python@
freer << ubl_free.freer;
p << ubl_free.p;
@@
dl_c(p[0].file, "freer", freer)

// ---- the directory's context ----

// the calls written in each function's body
@script:python ubl_calls@
@@
for fl in list(DL_C):
    for fn, g, ln, col, args in ss_calls(fl, DL_C[fl].get("def", ())):
        dl_c(fl, "call", fn, g, ln, col,
             bool(re.search(r"\bBREAK_WRITE\b", args)))

@script:python ubl_compute@
@@
ubl_derive()

@script:python ubl_debug1@
@@
if UBL_DEBUG and UBL.defs:
    d = os.path.dirname(list(UBL.defs.values())[0][0])
    sys.stderr.write("ubl[%s]: daxaops=%s entries=%s pure=%s freers=%s "
                     "reach=%s\n" %
                     (d, UBL.daxaops, sorted(UBL.entries), sorted(UBL.pure),
                      sorted(UBL.freers), sorted(UBL.reach)))

// ---- step 2: what each file says, given the context ----

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
    UBL.daxvars.add((q.file, q.current_element, x))
    dl_m(q.file, "daxvar", q.current_element, x)

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
        dl_m(q.file, "nondax", int(q.line), int(q.line_end))
if UBL.active and ubl_only_dax_test(C, negated=False) and ubl_exits(S):
    # if (IS_DAX(src) || IS_DAX(dst)) goto out;  the code after it, up to
    # where the DAX side joins again, only sees page-cache inodes
    for q in ps:
        r = ubl_after(q.file, int(q.line_end))
        if r:
            dl_m(q.file, "nondax", r[0], r[1])
if UBL.active and UBL_SIZE_RX.search(C):
    # the size change of .setattr: the calls after a test of ATTR_SIZE, but
    # not on its side without ATTR_SIZE
    for q in pc:
        dl_m(q.file, "sizetest", q.current_element, int(q.line))
    kind = ubl_test_kind(C, UBL_SIZE_RX)
    for q in ps:
        if kind == "neg":
            dl_m(q.file, "nosize", int(q.line), int(q.line_end))
        elif kind == "pos" and ubl_exits(S):
            r = ubl_after(q.file, int(q.line_end))
            if r:
                dl_m(q.file, "nosize", r[0], r[1])
if UBL.active:
    for q in pc:
        if q.current_element in UBL.reach and \
                ubl_daxish(q.file, q.current_element, C):
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
        dl_m(q.file, "nondax", int(q.line), int(q.line_end))
if UBL.active and ubl_test_kind(C, UBL_SIZE_RX) == "pos":
    for q in ps2:
        dl_m(q.file, "nosize", int(q.line), int(q.line_end))

# every call of a truncating function that some path from the entry of the
# function reaches without a layout break
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
    dl_m(q.file, "unbroken", fn, t, int(q.line), int(q.column),
         int(q.column_end))

// ---- the decision ----

@script:python ubl_result@
@@
if UBL_DEBUG and UBL.active:
    sys.stderr.write("ubl: guards=%s\n" % sorted(UBL.guards))
if UBL.active and dl_usable():
    ubl_decide()
dl_dump()

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
