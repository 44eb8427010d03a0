// SPDX-License-Identifier: GPL-2.0-only
/// A DAX inode must get the filesystem's DAX address_space_operations and a
/// page-cache inode must not.  Since "fs, dax: prepare for dax-specific
/// address_space_operations" (and the xfs/ext4/ext2 patches after it) the
/// page-cache aops never run on DAX-mapped blocks; an aops chosen without
/// regard to IS_DAX() lets set_page_dirty/invalidate/writepage run on them.
/// Reported:
///  - an aops assigned where IS_DAX() (dax_mapping(), i_flags & S_DAX, a
///    function returning one of them) is known true is a page-cache aops;
///    one assigned where it is known false is a DAX aops (the branch swap);
///  - a function sets S_DAX in i_flags and then installs a page-cache aops;
///  - a page-cache aops installed on a regular file where no DAX test
///    decides it (not in a branch of one, not after one that returns), and
///    no later call or assignment installs the DAX aops, in a filesystem
///    that has a DAX aops (the pre-series xfs_setup_iops and
///    ext2_iget/ext2_create/ext2_tmpfile);
///  - S_DAX set (here or in a called function) after an aops was installed,
///    with no aops installed after it on some path: the DAX inode keeps the
///    page-cache aops.
//
// Rule: dax-aops-select
// Prefilter: \bS_DAX\b|\b(dax_writeback_mapping_range|dax_iomap_(rw|fault|zero)|dax_layout_busy_page(_range)?|dax_zero_range|dax_truncate_page)\s*\(\s*([^s) \t]|$|s($|[^t]|t($|[^r]|r($|[^u]|u($|[^c]|c($|[^t]|t\w))))))
// Prefilter-own-calls: no
// Scope: directory-all
// Confidence: Moderate
// Comments: a DAX aops is one whose .writepages calls
//  dax_writeback_mapping_range() outside any DAX test (directly or up to
//  two calls deep), or, in a directory that uses the fs-DAX API, one whose
//  members are those of a DAX aops (the no-op dirty hook, no page-cache
//  operation); a page-cache aops has a page-cache operation (read_folio,
//  readpage(s), readahead, writepage, write_begin/end) and is not a DAX
//  aops.  Names are never looked at.  The branch polarity is computed from
//  the condition (!, &&, ||, locals set from IS_DAX(), functions returning
//  an IS_DAX() value).  Directory and symlink inodes (i_op set to
//  inode_operations with .lookup/.get_link on the same path) are not regular
//  files.  See docs/rules/dax-aops-select.md for what it cannot see.
//  The prefilter wants a directory whose inodes can be DAX
//  (ax_dax_inodes: it names S_DAX or calls the fs-DAX API other than
//  from its own definitions of it); mm/ and fs/ (fs/dax.c) cannot.
// Options: --no-includes --include-headers --no-scanner --kbuild-info scripts/coccinelle/dax/kbuild-info

virtual context
virtual org
virtual report
virtual debug

@initialize:python@
@@
# ---- generated from kernel-integration/api/kernel-api.tsv by cocci/generate.py: do not edit
API_DAX_FLAG = ("S_DAX",)
API_DAX_TEST = ("IS_DAX", "dax_mapping")
API_DAX_WRITEBACK = ("dax_writeback_mapping_range",)
API_FSDAX = ("dax_layout_busy_page", "dax_layout_busy_page_range",
             "dax_writeback_mapping_range", "dax_iomap_rw", "dax_iomap_fault",
             "dax_iomap_zero", "dax_zero_range", "dax_truncate_page")
API_NOOP_DIRTY = ("noop_set_page_dirty", "__set_page_dirty_no_writeback",
                  "noop_dirty_folio")
API_NOOP_INVALIDATE = ("noop_invalidatepage",)
API_PC_WRITEBACK = ("__block_write_full_page", "filemap_fdatawrite",
                    "filemap_write_and_wait")
API_PC_WRITEPAGES = ("generic_writepages", "mpage_writepages",
                     "iomap_writepages", "write_cache_pages",
                     "block_write_full_page")
# ---- end of kernel-integration/api/kernel-api.tsv
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
# ---- generated from cocci/lib/aops.py by cocci/generate.py: do not edit
# What the aops rules share (dax-aops-select, dax-aops-shape,
# dax-writepages-divert): which address_space_operations is a DAX one and
# which a page-cache one, what the condition of an `if` implies about
# IS_DAX(), which functions test DAX-ness, and the step-1 facts all three
# record (facts.py; the call graph comes from the text of function bodies:
# srcscan.py, which the rule must include before this file).  Every
# decision is made from what the code does (the members an aops sets, the
# IS_DAX/S_DAX/dax_mapping tests a function makes or calls), never from how
# anything is named.  No unpaired quote in comments here, and no comment
# line that starts with the name of the tool: its own lexer reads this
# code.
#
# Step-1 tables (dl_c), written by the SmPL rules of each rule and by
# ax_scan_calls():
#   def     fn, line, col                 every function definition (SmPL)
#   aops    A, line, col, colend          struct address_space_operations A
#   aopsm   A, fld, V, line, col, line_end, colend   its member .fld = V
#   dvar    fn, x, E                      x = E where E is an IS_DAX() value
#   calls   fn, callee...                 the callees of fn (text, distinct)
#   wbcall  fn, line, col                 dax_writeback_mapping_range() calls
#   sdaxfn  fn                            the body of fn names S_DAX
#   sdaxset fn, line, col                 fn sets S_DAX (x |= ..S_DAX..,
#                                         inode_set_flags(i, ..S_DAX.., m))
#   ret     fn, E...                      the returned expressions of a
#                                         function returning bool/int (the
#                                         candidates for a DAX test helper)
#   ampst   fn, X...                      the identifiers whose address fn
#                                         stores (= &X, ? &X, : &X)
# Step-2 tables (dl_m) of the rules that need them:
#   dvar2   fn, x, E                      x = E where E calls a DAX test
#                                         helper (ax_helpers)
#   dif     fn, C, r1, r2, e1, e2, blk    if/?: whose condition tests
#                                         DAX-ness (ax_dax_related: IS_DAX,
#                                         S_DAX, dax_mapping, a DAX test
#                                         helper, or a local of
#                                         ax_daxvar_names(), which is
#                                         directory-wide), in the files where
#                                         it can matter (ax_dif_file); e1/e2
#                                         how each branch leaves (ax_exit),
#                                         blk the end of the enclosing block
#   site    A, fn, line, col, colend, decl   L = &A / T x = &A (A an aops)
#   sdax    line, col                     a site after S_DAX is set
# A range r is [file, line, col, line_end, col_end] or None.
import re as ax_re

AX_WB = API_DAX_WRITEBACK[0]
AX_PC_OPS = ("read_folio", "readpage", "readpages", "readahead", "writepage",
             "write_begin", "write_end")
# the members a DAX aops must not set: page-cache I/O and the page-cache
# only hooks (dax-aops-shape reports each)
AX_PC_HOOKS = ("readpage", "readpages", "read_folio", "readahead",
               "writepage", "write_begin", "write_end", "releasepage",
               "release_folio", "migratepage", "migrate_folio",
               "is_partially_uptodate", "error_remove_page", "launder_page",
               "launder_folio", "freepage", "free_folio", "isolate_page",
               "putback_page")
# the no-op dirty hook of each generation
AX_NOOP_DIRTY = API_NOOP_DIRTY
AX_NOOP_INVAL = API_NOOP_INVALIDATE[0]
# what a DAX aops has besides its no-op hooks (an anonymous or device
# mapping, anon_aops or dev_dax_aops, has only the dirty hook)
AX_DAX_MEMBERS = ("writepages", "direct_IO", "invalidatepage", "bmap",
                  "swap_activate")
# page-cache writeback: a .writepages that is one of AX_PC_WRITEPAGES is
# no DAX one; one that reaches one of AX_PC_WB (up to two calls deep) is
# none either
AX_PC_WRITEPAGES = API_PC_WRITEPAGES
AX_PC_WB = API_PC_WRITEPAGES + API_PC_WRITEBACK
# the filesystem-DAX API: a directory that calls one of these is a DAX
# filesystem (an aops shaped like a DAX one is a DAX aops only there); the
# directory that defines them (fs/) only implements it
AX_FSDAX_API = API_FSDAX
AX_NONREG_IOPS = set(["page_symlink_inode_operations",
                      "simple_symlink_inode_operations",
                      "simple_dir_inode_operations"])
# the DAX tests: the calls (IS_DAX, dax_mapping) and the inode flag
AX_DAX_TESTS = API_DAX_TEST + API_DAX_FLAG
AX_FIXED_RX = ax_re.compile(r"\b(%s)\b" % "|".join(AX_DAX_TESTS))
AX_SDAX_RX = ax_re.compile(r"\b(%s)\b" % "|".join(API_DAX_FLAG))


def ax_names_sdax(t):
    """T (a text, or a list of tokens) holds the DAX inode flag"""
    return any(f in t for f in API_DAX_FLAG)


AX_TOK = ax_re.compile(r"&&|\|\||->|==|!=|<=|>=|[A-Za-z_]\w*|\d\w*|\S")
# an address stored: = &X, ? &X, : &X (not &x->f, &x.f, &x[i], &f())
AX_AMPST_RX = ax_re.compile(
    r"[=?:]\s*&\s*([A-Za-z_]\w*)\b(?!\s*(?:->|\.|\[|\())")
AX_RET_RX = ax_re.compile(r"\breturn\b")
AX_RET_TYPE_RX = ax_re.compile(r"\b(bool|_Bool|int|long|unsigned)\b")
AX_CONST = {"true": True, "1": True, "false": False, "0": False}
# bounds: helper rounds, caller levels, unknown atoms enumerated
AX_ROUNDS = 4
AX_MAX_UNKNOWNS = 12


class AxDir:
    """The directory as the aops rules see it, built from the facts of
    every file (ax_load)."""

    def __init__(self):
        self.fsdax = False
        self.aops = {}          # A -> {"m": {fld: V}, "mp": {fld: pos},
                                #       "p": pos}; pos = (file, line, col,
                                #       line_end, col_end)
        self.defs = set()       # functions defined in the directory
        self.calls = {}         # fn -> set of callees (text)
        self.callers = {}       # fn -> set of callers (defined here)
        self.edges = {}         # fn -> callees that matter (ax_edges)
        self.wbcalls = []       # (fn, (file, line, col))
        self.daxvars = {}       # (fn, x) -> E
        self.ifs = []           # (fn, C, r1, r2, e1, e2, blk)
        self.consider = set()   # functions that look at DAX-ness
        self.daxwb = set()      # functions with an unguarded wbcall
        self.anywb = set()      # functions with a wbcall
        self.rets = {}          # fn -> [returned expression]
        self.helpers = {}       # fn -> value tree: a DAX test helper
        self.sdaxset = set()    # functions that set S_DAX themselves
        self.sdaxfns = set()    # functions whose body names S_DAX
        self.ampst = {}         # fn -> identifiers whose address it stores
        self.impl = {}          # (C, fn) -> ax_implications
        self.amp = None         # regex: &A for an aops A (ax_context_gates)
        self.dvrx = None        # regex: a local holding an IS_DAX() value
        self.hrx = None         # regex: a call of a DAX test helper
        self.i0rx = None        # regex: a call of a function that stores
                                # an aops (set by the rules that need it)
        self.gate = {}          # gate name -> can its rule match here


AX = AxDir()
AX_DEFS = {}        # file -> set of (fn, line, col): ax_def
AX_SCANNED = {}     # file -> ss_calls(file, defs), files run here
_ax_text = {}       # file -> its text


class AxPos:
    """A position as coccilib.report/org print it."""

    def __init__(self, fl, ln, col, ce, ln_end=None):
        self.file, self.line, self.column = fl, str(ln), str(col)
        self.line_end = str(ln if ln_end is None else ln_end)
        self.column_end = str(ce)


def ax_reset():
    AX.__init__()
    AX_DEFS.clear()
    AX_SCANNED.clear()
    _ax_text.clear()


# ---- gates: a rule that no file of the run can match is not run ---------
# (a SmPL rule costs about the same over a file whether it matches there or
# not; its gate is a script rule that binds nothing when the rule cannot
# match, and the rule says   depends on GATE)
def ax_text(fl):
    if fl not in _ax_text:
        try:
            with open(fl, errors="replace") as fh:
                _ax_text[fl] = fh.read()
        except OSError:
            _ax_text[fl] = ""
    return _ax_text[fl]


def ax_some_file(pred):
    """PRED holds for a file of the group run here (cocci.files(); true
    when spatch cannot say)"""
    try:
        files = cocci.files()
    except Exception:
        return True
    return any(pred(f) for f in files)


def ax_names_rx(names, before=""):
    """A regex for the identifiers NAMES (after BEFORE), or None."""
    if not names:
        return None
    return ax_re.compile(r"%s\b(%s)\b" % (before, "|".join(
        ax_re.escape(n) for n in sorted(names))))


def ax_has_fixed(fl):
    """FL names IS_DAX, dax_mapping or S_DAX"""
    return AX_FIXED_RX.search(ax_text(fl)) is not None


def ax_takes_aops(fl):
    """FL takes the address of an aops object of the directory"""
    return AX.amp is not None and AX.amp.search(ax_text(fl)) is not None


def ax_mentions_helper(fl):
    """FL calls a DAX test helper of the directory"""
    return AX.hrx is not None and AX.hrx.search(ax_text(fl)) is not None


def ax_dif_file(fl):
    """A test of DAX-ness in FL can matter: FL installs an aops, calls a
    function that installs one (when a rule asks: AX.i0rx) or calls
    dax_writeback_mapping_range(), and names IS_DAX, dax_mapping, S_DAX, a
    DAX test helper or a local that holds an IS_DAX() value (conditions
    are only looked at around those, in the same function)"""
    if not (ax_takes_aops(fl) or AX_WB in ax_text(fl) or (
            AX.i0rx is not None and AX.i0rx.search(ax_text(fl)))):
        return False
    return ax_has_fixed(fl) or ax_mentions_helper(fl) or (
        AX.dvrx is not None and AX.dvrx.search(ax_text(fl)) is not None)


def ax_gate(name):
    """The body of the gate script of a rule: each rule has its own, right
    before it (a gate that binds nothing makes spatch forget which rules
    matched before, so that no later rule can depend on an earlier gate)"""
    if AX.gate.get(name):
        coccinelle.g = cocci.make_ident(name)
    else:
        # safe: a gate inherits nothing, so this drops every environment
        # and spatch restarts from an empty one; no rule after a gate
        # inherits from a rule before it, and only the gated rule depends
        # on the gate, so nothing a later rule reads is lost
        cocci.include_match(False)


def ax_context_gates():
    """After ax_load: the regexes that the gates of the step-2 rules use,
    and those gates (site: L = &A, T x = &A, and the paths from them;
    dif: the tests of DAX-ness; dvar2: locals set from a DAX test helper)"""
    AX.amp = ax_names_rx(set(AX.aops), r"&\s*")
    AX.dvrx = ax_names_rx(ax_daxvar_names())
    AX.hrx = ax_names_rx(set(AX.helpers))
    AX.gate["site"] = ax_some_file(ax_takes_aops)
    AX.gate["dvar2"] = ax_some_file(ax_mentions_helper)
    AX.gate["dif"] = ax_some_file(ax_dif_file)
    AX.gate["sdax"] = ax_some_file(
        lambda fl: ax_takes_aops(fl) and ax_names_sdax(ax_text(fl)))
    AX.gate["iopsite"] = ax_some_file(
        lambda fl: ax_takes_aops(fl) and "i_op" in ax_text(fl))


def ax_def(p):
    """Record the function definition whose name is at P: the constraint of
    the position of   fn@p(...) { ... }   (always true).  A script rule
    would be run once per function, at about a millisecond each; the
    constraint costs microseconds."""
    for q in p:
        AX_DEFS.setdefault(q.file, set()).add(
            (q.current_element, int(q.line), int(q.column)))
    return True


def ax_key(p):
    """The key of a SmPL position, as the findings are keyed."""
    return (p.file, p.line, p.column)


def ax_rng(ps):
    """[file, line, col, line_end, col_end] of the first of positions PS."""
    if not ps:
        return None
    x = ps[0]
    return [x.file, int(x.line), int(x.column), int(x.line_end),
            int(x.column_end)]


def ax_pos_in(loc, rng):
    """LOC (file, line, col) inside range RNG"""
    if not rng or loc[0] != rng[0]:
        return False
    lc = (int(loc[1]), int(loc[2]))
    return (rng[1], rng[2]) <= lc <= (rng[3], rng[4])


# ---- step 1 from the text: the calls of every function ------------------
def _ax_ret_type_ok(lines, line, col):
    """The function whose name is at LINE:COL returns bool or an integer
    (what a DAX test helper returns), read from the text before its name"""
    ln = line - 1
    if ln >= len(lines):
        return False
    txt = lines[ln][:col]
    for k in range(max(0, ln - 3), ln):
        txt = lines[k] + " " + txt
    txt = ax_re.split(r"[;{}]", txt)[-1]
    return "*" not in txt and AX_RET_TYPE_RX.search(txt) is not None


def _ax_returns(text):
    """The expressions of the return statements in TEXT (a body, blanked)"""
    out = []
    for m in AX_RET_RX.finditer(text):
        depth, k = 0, m.end()
        while k < len(text):
            c = text[k]
            if c in "([":
                depth += 1
            elif c in ")]":
                depth -= 1
            elif (c == ";" and depth <= 0) or c in "{}":
                break
            k += 1
        out.append(ax_re.sub(r"\s+", " ", text[m.end():k]).strip())
    return out


def ax_scan_calls():
    """The function definitions (ax_def), the calls,
    dax_writeback_mapping_range() calls, S_DAX mentions, returned
    expressions and stored addresses in their bodies, of each file run
    here."""
    for fl in sorted(AX_DEFS):
        for fn, ln, col in sorted(AX_DEFS[fl], key=lambda d: (d[1], d[2])):
            dl_c(fl, "def", fn, ln, col)
    for fl in sorted(DL_C):
        defs = DL_C[fl].get("def", ())
        calls = ss_calls(fl, defs)
        AX_SCANNED[fl] = calls
        per = {}
        seen = set()
        for fn, g, ln, col, args in calls:
            if (fn, g) not in seen:
                seen.add((fn, g))
                per.setdefault(fn, []).append(g)
            if g == AX_WB:
                dl_c(fl, "wbcall", fn, ln, col)
        for fn in sorted(per):
            dl_c(fl, "calls", fn, *per[fn])
        lines = ss_lines(fl)
        dvars = set((r[0], r[1]) for r in DL_C[fl].get("dvar", ()))
        defs = sorted(defs, key=lambda d: (d[1], d[2]))
        for i, (fn, line, col) in enumerate(defs):
            limit = defs[i + 1][1] - 1 if i + 1 < len(defs) else len(lines)
            first, last = _ss_body(lines, line, col, limit)
            if first is None:
                continue
            body = "\n".join(
                lines[ln][first[1]:] if ln == first[0] else lines[ln]
                for ln in range(first[0], last + 1))
            if AX_SDAX_RX.search(body):
                dl_c(fl, "sdaxfn", fn)
            amps = sorted(set(AX_AMPST_RX.findall(body)))
            if amps:
                dl_c(fl, "ampst", fn, *amps)
            if not _ax_ret_type_ok(lines, line, col):
                continue
            rets = _ax_returns(body)
            # a candidate DAX test helper: a few short returns, one of them
            # a call, an S_DAX test or a local holding an IS_DAX() value
            if rets and len(rets) <= 8 and \
                    all(r and len(r) <= 200 for r in rets) and \
                    any("(" in r or ax_names_sdax(r) or (fn, r) in dvars
                        for r in rets):
                dl_c(fl, "ret", fn, *rets)


# ---- step 2: how a branch leaves, the block around a condition ----------
def _ax_text_of(fl, rng):
    """The (blanked) text of range RNG of FL"""
    lines = ss_lines(fl)
    f, l1, c1, l2, c2 = rng
    if l1 < 1 or l2 > len(lines):
        return ""
    if l1 == l2:
        return lines[l1 - 1][c1:c2]
    parts = [lines[l1 - 1][c1:]] + lines[l1:l2 - 1] + [lines[l2 - 1][:c2]]
    return "\n".join(parts)


def _ax_last_stmt(text):
    """The last statement at the top level of TEXT (a statement or a
    compound statement)"""
    t = text.strip()
    if t.startswith("{") and t.endswith("}"):
        t = t[1:-1]
    segs, cur, dp, db = [], [], 0, 0
    for ch in t:
        cur.append(ch)
        if ch in "([":
            dp += 1
        elif ch in ")]":
            dp -= 1
        elif ch == "{":
            db += 1
        elif ch == "}":
            db -= 1
            if db == 0 and dp == 0:
                segs.append("".join(cur))
                cur = []
        elif ch == ";" and db == 0 and dp == 0:
            segs.append("".join(cur))
            cur = []
    segs = [x.strip() for x in segs + ["".join(cur)] if x.strip()]
    return segs[-1] if segs else ""


def ax_exit(fl, rng):
    """How the branch RNG of FL ends: -1 when its last statement returns,
    the line of the label when it is a goto (forward jumps leave what
    follows the branch), 0 otherwise"""
    if not rng:
        return 0
    s = _ax_last_stmt(_ax_text_of(fl, rng))
    s = ax_re.sub(r"^(?:[A-Za-z_]\w*\s*:(?!:)\s*)+", "", s)
    m = ax_re.match(r"(return|goto)\b\s*([A-Za-z_]\w*)?", s)
    if not m:
        return 0
    if m.group(1) == "return":
        return -1
    lab = ax_re.compile(r"^\s*%s\s*:(?!:)" % ax_re.escape(m.group(2) or ""))
    lines = ss_lines(fl)
    for ln in range(rng[3], len(lines)):
        if lab.match(lines[ln]):
            return ln + 1
    return 0


def ax_block_end(fl, line, col):
    """[line, col] of the brace closing the innermost block around
    LINE:COL of FL, or None"""
    lines = ss_lines(fl)
    depth = 0
    for ln in range(min(line, len(lines)) - 1, -1, -1):
        s = lines[ln]
        end = col if ln == line - 1 else len(s)
        for k in range(end - 1, -1, -1):
            if s[k] == "}":
                depth += 1
            elif s[k] == "{":
                if depth == 0:
                    e = ss_block_end(fl, ln + 1, k)
                    return list(e) if e else None
                depth -= 1
    return None


def _ax_stmt_of_block(fl, line, col):
    """The if whose condition starts at LINE:COL of FL is a statement of
    its block: the text before its if keyword ends a statement or opens
    the block (not an else if, nor the body of another if or a loop, which
    run on paths that never reach the test)"""
    lines = ss_lines(fl)
    before = "\n".join(lines[max(0, line - 6):line - 1] +
                       [lines[line - 1][:col]] if line - 1 < len(lines)
                       else [])
    m = ax_re.search(r"\bif\s*\(\s*$", before)
    if not m:
        return False
    prev = before[:m.start()].rstrip()
    return prev == "" or prev[-1] in ";{}" or (
        prev[-1] == ":" and not prev.endswith("::"))


def ax_dif_row(pc, p1, p2):
    """The dif row of a condition at PC with branches P1, P2 (an if when
    PC is given; a conditional expression has no exits): the exits of
    the branches, and the end of the block that the if is a statement of
    (None when it is not one: then nothing after it is decided by it)"""
    fl = p1[0].file
    r1, r2 = ax_rng(p1), ax_rng(p2)
    if pc:
        ln, col = int(pc[0].line), int(pc[0].column)
        blk = ax_block_end(fl, ln, col) if \
            _ax_stmt_of_block(fl, ln, col) else None
        return [r1, r2, ax_exit(fl, r1), ax_exit(fl, r2), blk]
    return [r1, r2, 0, 0, None]


def ax_sets_sdax(r):
    """R, the right-hand side of |= or the flags of inode_set_flags(), sets
    S_DAX (not a test, a mask or a copy of the bit: no & or ~)"""
    toks = ax_tokens(str(r))
    return ax_names_sdax(toks) and "&" not in toks and "~" not in toks


# ---- the directory from the facts ---------------------------------------
def ax_load(C):
    """AX from the step-1 facts C."""
    for fl, (fn, ln, col) in dl_rows(C, "def"):
        AX.defs.add(fn)
    for fl, row in dl_rows(C, "calls"):
        AX.calls.setdefault(row[0], set()).update(row[1:])
    for f, cs in AX.calls.items():
        for g in cs:
            AX.callers.setdefault(g, set()).add(f)
    for fl, (fn, ln, col) in dl_rows(C, "wbcall"):
        AX.wbcalls.append((fn, (fl, ln, col)))
    # a call of the API from its own definitions is no use of it
    api = set(AX_FSDAX_API) - AX.defs
    for fn, cs in AX.calls.items():
        if cs & api:
            AX.fsdax = True
        if cs & set(API_DAX_TEST):
            AX.consider.add(fn)
    for fl, (fn,) in dl_rows(C, "sdaxfn"):
        AX.consider.add(fn)
        AX.sdaxfns.add(fn)
    for fl, (fn, ln, col) in dl_rows(C, "sdaxset"):
        AX.sdaxset.add(fn)
    for fl, row in dl_rows(C, "ampst"):
        AX.ampst.setdefault(row[0], set()).update(row[1:])
    for fl, row in dl_rows(C, "ret"):
        AX.rets.setdefault(row[0], []).extend(row[1:])
    for fl, row in dl_rows(C, "aops"):
        AX.aops.setdefault(row[0], {"m": {}, "mp": {},
                                    "p": (fl,) + tuple(row[1:3]) +
                                    (row[1], row[3])})
    for fl, (a, fld, v, ln, col, ln_end, ce) in dl_rows(C, "aopsm"):
        o = AX.aops.setdefault(a, {"m": {}, "mp": {}, "p": None})
        o["m"][fld] = v
        o["mp"][fld] = (fl, ln, col, ln_end, ce)
    for fl, (fn, x, e) in dl_rows(C, "dvar"):
        AX.daxvars[(fn, x)] = e
    ax_helpers()
    # a function that calls a DAX test helper looks at DAX-ness too
    for fn, cs in AX.calls.items():
        if cs & set(AX.helpers):
            AX.consider.add(fn)


def ax_dax_inodes():
    """After ax_load: can an inode of this directory be DAX?  Only a
    filesystem makes its inodes DAX: it sets S_DAX in i_flags and does
    their I/O and faults through the fs-DAX API.  A directory that does
    neither (mm/, the VFS in fs/, a filesystem without DAX support) tests
    IS_DAX() only on the inodes of other filesystems, and the aops it
    installs are never on a DAX inode."""
    return AX.fsdax or bool(AX.sdaxfns)


def ax_load_m(M):
    """The conditions that test DAX-ness, and the locals set from a DAX
    test helper, from the step-2 facts M."""
    for fl, (fn, x, e) in dl_rows(M, "dvar2"):
        AX.daxvars[(fn, x)] = e
    AX.impl = {}
    for fl, row in dl_rows(M, "dif"):
        AX.ifs.append(tuple(row))


def ax_daxvar_names():
    return set(v for (_, v) in AX.daxvars)


def ax_callers_closure(base, levels):
    """BASE and the functions of the directory that reach one of BASE
    through at most LEVELS calls"""
    out = set(base)
    front = set(base)
    for _ in range(levels):
        nxt = set()
        for g in front:
            nxt |= AX.callers.get(g, set()) - out
        out |= nxt
        front = nxt
    return out


def ax_installers(levels=2):
    """The functions that store the address of an aops of the directory,
    and their callers up to LEVELS calls up"""
    base = set(f for f, xs in AX.ampst.items() if xs & set(AX.aops))
    return ax_callers_closure(base, levels)


def ax_icalls(names):
    """Step 2: the calls of NAMES in the files run here, [fn, callee, line,
    col], from the text scan"""
    out = []
    for fl in sorted(AX_SCANNED):
        for fn, g, ln, col, args in AX_SCANNED[fl]:
            if g in names:
                out.append((fl, [fn, g, ln, col]))
    return out


def ax_sdax_setters(levels=3):
    """The functions that set S_DAX, and their callers up to LEVELS calls
    up (the paths that may make an inode DAX)"""
    return ax_callers_closure(AX.sdaxset, levels)


def ax_edges(extra=()):
    """The call graph as the rules follow it: the calls of
    dax_writeback_mapping_range() and of the page-cache writeback helpers,
    of the functions that call one of them, and of the functions that call
    those (and of EXTRA)."""
    l1a = set(fn for fn, loc in AX.wbcalls)
    l1b = set(f for f, cs in AX.calls.items() if cs & set(AX_PC_WB))
    l2a = set(f for f, cs in AX.calls.items() if cs & l1a)
    l2b = set(f for f, cs in AX.calls.items() if cs & l1b)
    want = (set([AX_WB]) | set(AX_PC_WB) | l1a | l1b | l2a | l2b |
            set(extra))
    AX.edges = {}
    for f, cs in AX.calls.items():
        e = cs & want
        if e:
            AX.edges[f] = e
    return want


def ax_wb_guards():
    """dax_writeback_mapping_range() calls under a DAX test (inside its
    branch, or after a branch of it that leaves) do not make a DAX
    .writepages"""
    AX.daxwb = set()
    AX.anywb = set()
    for f, loc in AX.wbcalls:
        AX.anywb.add(f)
        k, tested = ax_loc_ctx(f, loc)
        if not tested:
            AX.daxwb.add(f)


# ---- condition polarity -------------------------------------------------
def ax_tokens(s):
    return AX_TOK.findall(s)


def _ax_balanced_call(toks):
    d = 0
    for i, x in enumerate(toks):
        if x == "(":
            d += 1
        elif x == ")":
            d -= 1
            if d == 0 and i != len(toks) - 1:
                return False
    return True


def ax_atom_kind(toks, fn, depth=0):
    """'X' when the atom says 'the inode is DAX', ("F", E) when it is a
    local holding the IS_DAX() value E, ("T", tree) when it is a call of a
    DAX test helper (tree: its value), ("C", v) for a constant, else
    None"""
    t = " ".join(toks)
    if ax_re.match(r"^(%s) \(.*\)$" % "|".join(API_DAX_TEST), t) and \
            _ax_balanced_call(toks):
        return "X"
    if ax_names_sdax(toks) and "~" not in toks and "&" in toks and \
            "|" not in toks and "==" not in toks and "!=" not in toks:
        return "X"
    if len(toks) >= 3 and toks[0] in AX.helpers and toks[1] == "(" and \
            toks[-1] == ")" and _ax_balanced_call(toks[1:]):
        return ("T", AX.helpers[toks[0]])
    if len(toks) == 1 and toks[0] in AX_CONST:
        return ("C", AX_CONST[toks[0]])
    if len(toks) == 1 and depth == 0:
        f = AX.daxvars.get((fn, toks[0]))
        if f is not None:
            return ("F", f)
    return None


def ax_parse(toks, fn, depth=0):
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
        # (bool) casts and !! say nothing about the value
        while len(a) > 3 and a[0] == "(" and a[1] in ("bool", "_Bool") \
                and a[2] == ")":
            a = a[3:]
        k = ax_atom_kind(a, fn, depth)
        if k == "X":
            return ("X",)
        if isinstance(k, tuple) and k[0] == "F":
            return ax_parse(ax_tokens(k[1]), fn, depth + 1)
        if isinstance(k, tuple) and k[0] in ("T",):
            return k[1]
        if isinstance(k, tuple) and k[0] == "C":
            return k
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


def ax_unknowns(t, acc):
    if t[0] == "U":
        acc.add(t[1])
    elif t[0] in ("and", "or"):
        ax_unknowns(t[1], acc)
        ax_unknowns(t[2], acc)
    elif t[0] == "not":
        ax_unknowns(t[1], acc)
    return acc


def ax_has_x(t):
    if t[0] == "X":
        return True
    if t[0] in ("and", "or"):
        return ax_has_x(t[1]) or ax_has_x(t[2])
    if t[0] == "not":
        return ax_has_x(t[1])
    return False


def ax_ev(t, x, env):
    if t[0] == "X":
        return x
    if t[0] == "U":
        return env[t[1]]
    if t[0] == "C":
        return t[1]
    if t[0] == "not":
        return not ax_ev(t[1], x, env)
    if t[0] == "and":
        return ax_ev(t[1], x, env) and ax_ev(t[2], x, env)
    return ax_ev(t[1], x, env) or ax_ev(t[2], x, env)


def _ax_rename(t, prefix):
    """T with its unknown atoms made private to PREFIX (a helper: its
    unknowns are not those of the caller, whatever their spelling)"""
    if t[0] == "U":
        return ("U", prefix + "#" + t[1])
    if t[0] in ("and", "or"):
        return (t[0], _ax_rename(t[1], prefix), _ax_rename(t[2], prefix))
    if t[0] == "not":
        return ("not", _ax_rename(t[1], prefix))
    return t


def ax_helper_tree(fn):
    """The value of FN as a tree over X (IS_DAX of the inode), from its
    returned expressions: any of them may be the one returned (a fresh
    unknown chooses), so what the tree implies holds whichever return is
    taken; None when no return depends on X"""
    trees = [ax_parse(ax_tokens(e), fn) for e in AX.rets.get(fn, ())]
    if not trees or not any(ax_has_x(t) for t in trees):
        return None
    trees = [_ax_rename(t, fn) for t in trees]
    t = trees[-1]
    for i in range(len(trees) - 2, -1, -1):
        sel = ("U", "%s#return%d" % (fn, i))
        t = ("or", ("and", sel, trees[i]), ("and", ("not", sel), t))
    return t


def ax_helpers():
    """The DAX test helpers of the directory: functions returning a value
    that depends on IS_DAX(), dax_mapping() or an S_DAX test, directly,
    through a local, or through another helper (AX_ROUNDS levels)"""
    AX.helpers = {}
    for _ in range(AX_ROUNDS):
        new = {}
        for fn in sorted(AX.rets):
            t = ax_helper_tree(fn)
            if t is not None:
                new[fn] = t
        if new == AX.helpers:
            break
        AX.helpers = new


def ax_implications(cond, fn):
    """{True: 'dax'|'nondax'|None, False: ...}: what the then (True) and
    else (False) branch of `if (cond)` imply about IS_DAX(inode)"""
    key = (cond, fn)
    if key in AX.impl:
        return AX.impl[key]
    t = ax_parse(ax_tokens(cond), fn)
    out = {True: None, False: None}
    us = sorted(ax_unknowns(t, set()))
    if ax_has_x(t) and len(us) <= AX_MAX_UNKNOWNS:
        seen = {True: set(), False: set()}
        for bits in range(1 << len(us)):
            env = dict((u, bool(bits >> i & 1)) for i, u in enumerate(us))
            for x in (True, False):
                seen[ax_ev(t, x, env)].add(x)
        for br in (True, False):
            if seen[br] == set([True]):
                out[br] = "dax"
            elif seen[br] == set([False]):
                out[br] = "nondax"
    AX.impl[key] = out
    return out


def _ax_after(loc, end):
    return end is not None and (int(loc[1]), int(loc[2])) > tuple(end)


def _ax_before(loc, end):
    return end is not None and (int(loc[1]), int(loc[2])) < tuple(end)


def _ax_leaves(e, loc):
    """Exit kind E (ax_exit) leaves the code at LOC behind: a return, or a
    goto to a label past LOC"""
    return e == -1 or (e > 0 and e > int(loc[1]))


def ax_loc_ctx(fn, loc):
    """(K, tested) at LOC (file, line, col) in FN: K is what the DAX tests
    that control LOC imply (a subset of {'dax', 'nondax'}), tested says
    that a DAX test controls LOC at all.  A test controls LOC when LOC is
    in one of its branches, or follows it in the same block after a
    branch that leaves (return, goto past LOC): then LOC runs only on the
    other branch."""
    K = set()
    tested = False
    for (f, c, r1, r2, e1, e2, blk) in AX.ifs:
        if f != fn or not r1 or loc[0] != r1[0]:
            continue
        imp = ax_implications(c, f)
        if ax_pos_in(loc, r1):
            tested = True
            K.add(imp[True])
        elif ax_pos_in(loc, r2):
            tested = True
            K.add(imp[False])
        elif blk is not None:
            end = (r2 or r1)[3:5]
            if not (_ax_after(loc, end) and _ax_before(loc, blk)):
                continue
            x1, x2 = _ax_leaves(e1, loc), _ax_leaves(e2, loc)
            if x1 and not x2:
                tested = True
                K.add(imp[False])
            elif x2 and not x1:
                tested = True
                K.add(imp[True])
    K.discard(None)
    return K, tested


def ax_site_ctx(fn, loc):
    """What the conditions around LOC (file, line, col) in FN imply:
    a subset of {'dax', 'nondax'}"""
    return ax_loc_ctx(fn, loc)[0]


def ax_dax_related(c, names):
    """C tests DAX-ness: it names IS_DAX, dax_mapping, S_DAX, calls a DAX
    test helper (AX.hrx) or names one of NAMES (the locals that hold an
    IS_DAX() value, in any file of the directory: ax_daxvar_names)"""
    c = str(c)
    if AX_FIXED_RX.search(c):
        return True
    if AX.hrx is not None and AX.hrx.search(c):
        return True
    return any(ax_re.search(r"\b%s\b" % ax_re.escape(n), c)
               for n in sorted(names))


def ax_dax_value(e):
    """E is an IS_DAX() value (context-free: no local is looked up)"""
    e = str(e)
    if not any(t in e for t in AX_DAX_TESTS):
        return False
    return ax_has_x(ax_parse(ax_tokens(e), None, 1))


def ax_dax_value_h(e):
    """E calls a DAX test helper and its value depends on it (step 2)"""
    e = str(e)
    if AX.hrx is None or not AX.hrx.search(e):
        return False
    return ax_has_x(ax_parse(ax_tokens(e), None, 1))


# ---- what an aops object is --------------------------------------------
def ax_calls_dax_wb(fn, depth=0):
    if fn in AX.daxwb:
        return True
    if depth >= 2:
        return False
    return any(ax_calls_dax_wb(g, depth + 1) for g in AX.edges.get(fn, ())
               if g != fn)


def ax_calls_pc_wb(fn, depth=0):
    if fn in AX_PC_WB:
        return True
    if depth >= 2:
        return False
    return any(ax_calls_pc_wb(g, depth + 1) for g in AX.edges.get(fn, ())
               if g != fn)


def ax_reaches_wb(fn, depth=0):
    """FN calls dax_writeback_mapping_range(), guarded or not, directly or
    up to two calls deep"""
    if fn in AX.anywb:
        return True
    if depth >= 2:
        return False
    return any(ax_reaches_wb(g, depth + 1) for g in AX.edges.get(fn, ())
               if g != fn)


def ax_dax_shaped(m):
    """The members M are those of a DAX aops: the no-op dirty hook, no
    page-cache operation or page-cache only hook, no invalidate hook
    other than the no-op one, and something besides the dirty hook that
    a DAX aops has (an anonymous or device mapping has the dirty hook
    alone)"""
    if any(f in m for f in AX_PC_HOOKS) or "invalidate_folio" in m:
        return False
    if m.get("invalidatepage", AX_NOOP_INVAL) != AX_NOOP_INVAL:
        return False
    dirty = [m[f] for f in ("set_page_dirty", "dirty_folio") if f in m]
    if not dirty or any(v not in AX_NOOP_DIRTY for v in dirty):
        return False
    return any(f in m for f in AX_DAX_MEMBERS)


def ax_is_dax_aops(a):
    """a DAX aops by its members: its .writepages writes back through
    dax_writeback_mapping_range() outside any DAX test and has no
    page-cache writeback path (a page-cache .writepages that diverts DAX
    inodes is not one); or, in a directory that uses the filesystem-DAX
    API, its members are shaped like a DAX aops (ax_dax_shaped), whatever
    its .writepages does"""
    o = AX.aops.get(a)
    if o is None:
        return False
    wp = o["m"].get("writepages")
    if wp and ax_calls_dax_wb(wp) and not ax_calls_pc_wb(wp):
        return True
    return AX.fsdax and ax_dax_shaped(o["m"])


def ax_is_pc_aops(a):
    o = AX.aops.get(a)
    if o is None or ax_is_dax_aops(a):
        return False
    return any(f in o["m"] for f in AX_PC_OPS)


def ax_is_aops(a):
    return a in AX.aops


def ax_pc_ops_of(a):
    return [f for f in AX_PC_OPS if f in AX.aops[a]["m"]]
# ---- end of cocci/lib/aops.py

# results of all groups, printed by finalize (one list per worker)
coccinelle.das_findings = []
DAS_MODE = set()
DAS_FOUND = set()       # (file, line, col) of the findings of this group
DAS_CTX = {"daxvars": set(), "installers": set(), "installers0": set(),
           "sdaxf": set(), "sfrx": None}


def das_derive():
    """The directory context from the step-1 facts of every file: what
    step 2 asks is whether an identifier names an aops object of the
    directory, a local holding an IS_DAX() value (in any file), a DAX test
    helper, a function that installs an aops or one that sets S_DAX."""
    ax_load(dl_facts("c"))
    DAS_CTX["daxvars"] = ax_daxvar_names()
    DAS_CTX["installers"] = ax_installers()
    DAS_CTX["installers0"] = ax_installers(0)
    AX.i0rx = ax_names_rx(DAS_CTX["installers0"], r"\b(?=\w+\s*\()")
    DAS_CTX["sdaxf"] = ax_sdax_setters()
    DAS_CTX["sfrx"] = ax_names_rx(DAS_CTX["sdaxf"], r"\b(?=\w+\s*\()")
    dl_project(names={"aops": set(AX.aops), "daxvars": DAS_CTX["daxvars"],
                      "helpers": set(AX.helpers),
                      "installers": DAS_CTX["installers"],
                      "installers0": DAS_CTX["installers0"],
                      "sdaxf": DAS_CTX["sdaxf"]})
    ax_context_gates()
    AX.gate["sfix"] = ax_some_file(das_sfix_file)


def das_sfix_file(fl):
    """FL may make an inode DAX after an aops is installed: it names S_DAX
    or calls a function that sets it"""
    if not DAS_CTX["sdaxf"]:
        return False
    t = ax_text(fl)
    return ax_names_sdax(t) or (DAS_CTX["sfrx"] is not None and
                            DAS_CTX["sfrx"].search(t) is not None)


def das_dax_related(c):
    return ax_dax_related(c, ax_daxvar_names())


def das_installer(g):
    return g in DAS_CTX["installers"]


def das_sdaxf(h):
    return h in DAS_CTX["sdaxf"]


def das_pos_text(p):
    """The source text at position P (one line)"""
    lines = ss_lines(p.file)
    ln = int(p.line) - 1
    if ln >= len(lines) or p.line != p.line_end:
        return ""
    return lines[ln][int(p.column):int(p.column_end)].strip()


def das_sdax_what(q):
    """The function called at Q when it sets S_DAX itself, else the empty
    string (Q is an S_DAX expression)"""
    t = das_pos_text(q)
    return t if das_sdaxf(t) else ""


def das_found(p):
    return ax_key(p[0]) in DAS_FOUND


def das_leavers(M):
    """The functions that, on some path, make the inode DAX and return
    without installing an aops after it and without one installed before
    it in the function (their callers inherit the duty): sclean rows whose
    S_DAX event is direct or a call of such a function"""
    clean = {}
    for fl, (fn, ln, col, what) in dl_rows(M, "sclean"):
        clean.setdefault(fn, set()).add(what)
    out = set()
    for _ in range(AX_ROUNDS + 1):
        new = set(fn for fn, ws in clean.items()
                  if any(w == "" or w in out for w in ws))
        if new == out:
            break
        out = new
    return out


def das_decide():
    if not ax_dax_inodes():
        # no inode of this directory can be DAX (ax_dax_inodes): what it
        # installs is never on a DAX inode
        return
    C = dl_facts("c")
    M = dl_facts("m")
    ax_load_m(M)
    sites = {}
    for decl in (False, True):
        for fl, (a, fn, ln, col, ce, d) in dl_rows(M, "site"):
            if d == decl:
                sites[(fl, str(ln), str(col))] = {
                    "A": a, "fn": fn, "loc": (fl, ln, col), "ce": ce}
    ax_edges()
    ax_wb_guards()
    sdax = set((fl, str(ln), str(col)) for fl, (ln, col) in
               dl_rows(M, "sdax"))
    nonreg = set(i for fl, (i,) in dl_rows(C, "nonreg"))
    iopsites = set((fl, str(ln), str(col)) for fl, (i, ln, col) in
                   dl_rows(M, "iopsite")
                   if i in nonreg or i in AX_NONREG_IOPS)
    after = {}
    for fl, (ln, col, g) in dl_rows(M, "after"):
        after.setdefault((fl, str(ln), str(col)), set()).add(g)
    later = {}
    for fl, (ln, col, ln2, col2) in dl_rows(M, "siteafter"):
        if (ln, col) != (ln2, col2):
            later.setdefault((fl, str(ln), str(col)), set()).add(
                (fl, str(ln2), str(col2)))

    # the calls of the functions that install an aops: a helper whose
    # every call in the directory is decided by a DAX test is decided by it
    icalls = {}
    for fl, (fn, g, ln, col) in dl_rows(M, "icall"):
        icalls.setdefault(g, []).append((fn, (fl, ln, col)))

    def caller_ctx(fn):
        K = set()
        for c, loc in icalls.get(fn, ()):
            k, t = ax_loc_ctx(c, loc)
            if not (t or k):
                return set(), False
            K |= k
        return K, bool(icalls.get(fn))

    daxobjs = [a for a in AX.aops if ax_is_dax_aops(a)]
    for k, s in sites.items():
        s["K"], s["tested"] = ax_loc_ctx(s["fn"], s["loc"])
        if not (s["K"] or s["tested"]):
            s["K"], s["tested"] = caller_ctx(s["fn"])
        if ("dax" in s["K"] or k in sdax) and not ax_is_pc_aops(s["A"]) \
                and s["A"] not in daxobjs:
            daxobjs.append(s["A"])

    def decided(s, k):
        return s["tested"] or bool(s["K"]) or k in sdax

    # a function that installs an aops and takes the DAX decision itself
    # (a DAX-decided site, a DAX aops, S_DAX set) overrides what its caller
    # installed before; if its decision is wrong it is reported itself
    overriders = set(AX.sdaxset)
    for k, s in sites.items():
        if decided(s, k) or ax_is_dax_aops(s["A"]):
            overriders.add(s["fn"])
    installs = {}
    for k, s in sites.items():
        installs.setdefault(s["fn"], set()).add(s["A"])

    def overrides(g, depth=0):
        if g in overriders:
            return True
        if depth >= 2:
            return False
        return any(overrides(h, depth + 1)
                   for h in AX.calls.get(g, ()) if h in AX.defs and h != g)

    def installs_nondax(g, depth=0):
        if any(not ax_is_dax_aops(a) for a in installs.get(g, ())):
            return True
        if depth >= 2:
            return False
        return any(installs_nondax(h, depth + 1)
                   for h in AX.calls.get(g, ()) if h in AX.defs and h != g)

    def overridden(k):
        """a later call or a later site of the function, on a path from K,
        takes the DAX decision"""
        if any(overrides(g) for g in after.get(k, ())):
            return True
        return any(k2 in sites and (decided(sites[k2], k2) or
                                    ax_is_dax_aops(sites[k2]["A"]))
                   for k2 in later.get(k, ()))

    def mode_exit(k, s):
        """K leaves the function before the function chooses by IS_DAX():
        a later site of the same function is decided by a DAX test, and
        no path leads from K to any later site (ext4_set_aops: the
        data=journal mode returns before the IS_DAX() choice; the rule
        trusts that such a mode excludes DAX; a wrong later choice is
        reported where it is made)"""
        if later.get(k):
            return False
        return any(s2["fn"] == s["fn"] and s2["loc"][0] == s["loc"][0] and
                   int(s2["loc"][1]) > int(s["loc"][1]) and
                   (s2["K"] or s2["tested"])
                   for k2, s2 in sites.items())

    bad = {}
    # S_DAX set after an aops was installed, and nothing installs one
    # after it on some path: the DAX inode keeps that aops
    leavers = das_leavers(M)
    late = {}
    latesites = set()   # the sites whose aops S_DAX leaves in place
    if daxobjs:
        for fl, (fn, ln, col, ce, what, iln, icol, iwhat, ikind) in \
                dl_rows(M, "sbad"):
            if what and what not in leavers:
                continue
            ik = (fl, str(iln), str(icol))
            if ikind == "amp":
                if ax_is_dax_aops(iwhat) or ik in iopsites:
                    continue
            elif not installs_nondax(iwhat):
                continue
            q = (fl, str(ln), str(col))
            if ikind == "amp":
                latesites.add(ik)
            e = late.setdefault(q, {"fn": fn, "ce": ce, "what": what,
                                    "inst": set()})
            e["inst"].add("%s%s (line %s)" % (
                iwhat, "" if ikind == "amp" else "()", iln))
    for k, s in sites.items():
        A, fn, K = s["A"], s["fn"], s["K"]
        if K == set(["dax"]) and ax_is_pc_aops(A):
            bad[k] = ("IS_DAX() inode gets page-cache aops %s (%s); a DAX "
                      "inode must get the filesystem's DAX aops"
                      % (A, ", ".join("." + o for o in ax_pc_ops_of(A))))
        elif K == set(["nondax"]) and ax_is_dax_aops(A):
            bad[k] = ("non-DAX inode gets DAX aops %s; page-cache I/O "
                      "needs the page-cache aops" % A)
        elif not K and k in sdax and ax_is_pc_aops(A):
            bad[k] = ("S_DAX is set but page-cache aops %s is installed; "
                      "a DAX inode must get the DAX aops" % A)
        elif (ax_is_pc_aops(A) and daxobjs and not decided(s, k)
              and k not in iopsites and not overridden(k)
              and k not in latesites
              and not mode_exit(k, s)):
            bad[k] = ("regular-file aops set to page-cache %s with no "
                      "IS_DAX() test deciding it, but this filesystem has "
                      "DAX aops %s" % (A, ", ".join(sorted(daxobjs))))
    for q, e in late.items():
        sites[q] = {"fn": e["fn"], "loc": (q[0], int(q[1]), int(q[2])),
                    "ce": e["ce"], "A": None}
        bad[q] = ("%s after the aops installed by %s, and no aops is "
                  "installed after it on some path: a DAX inode keeps "
                  "that aops instead of the DAX one" % (
                      "%s() sets S_DAX" % e["what"] if e["what"]
                      else "S_DAX is set", ", ".join(sorted(e["inst"]))))

    if "debug" in DAS_MODE:
        for k, s in sorted(sites.items()):
            if s["A"] is None:
                continue
            sys.stderr.write("site %s %s K=%s tested=%s dax=%s pc=%s "
                             "sdax=%s nonreg=%s after=%s later=%s\n" % (
                                 k, s["A"], sorted(s["K"]), s["tested"],
                                 ax_is_dax_aops(s["A"]),
                                 ax_is_pc_aops(s["A"]), k in sdax,
                                 k in iopsites, sorted(after.get(k, ())),
                                 sorted(later.get(k, ()))))
        sys.stderr.write("sbad %s\n" % list(dl_rows(M, "sbad")))
        sys.stderr.write("daxwb %s fsdax %s helpers %s leavers %s "
                         "daxobjs %s\n" % (sorted(AX.daxwb), AX.fsdax,
                                           sorted(AX.helpers),
                                           sorted(leavers),
                                           sorted(daxobjs)))
    for k in sorted(bad):
        s = sites[k]
        fl, ln, col = s["loc"]
        DAS_FOUND.add(k)
        coccinelle.das_findings.append(
            (fl, ln, col, s["ce"], s["fn"], bad[k],
             tuple(sorted(DAS_MODE - set(["debug"])))))

@script:python das_state@
st << virtual.daxlint_state;
@@
DL["state"] = st

@script:python das_dumpto@
out << virtual.daxlint_dump;
@@
DL["dump"] = out

# a new file group starts: forget the previous one
@script:python das_start@
@@
ax_reset()
DAS_FOUND.clear()
dl_reset()

@script:python depends on report@
@@
DAS_MODE.add("report")

@script:python depends on org@
@@
DAS_MODE.add("org")

@script:python depends on debug@
@@
DAS_MODE.add("debug")

// ---- step 1: what each file says, whatever else is in the group ----

// every function (the calls in its body are read from the text: the call
// graph towards dax_writeback_mapping_range() and the page-cache writeback
// helpers, the use of the fs-DAX API, the functions that look at DAX-ness,
// what they return and which addresses they store)
@das_def@
identifier fn;
position p : script:python() { ax_def(p) };
@@
fn@p(...) { ... }

@script:python depends on das_def@
@@
pass

// every address_space_operations object and its members
@das_aops@
identifier A;
position p;
@@
struct address_space_operations A@p = {...};

@script:python@
A << das_aops.A;
p << das_aops.p;
@@
dl_c(p[0].file, "aops", A, int(p[0].line), int(p[0].column),
     int(p[0].column_end))

@das_aopsm@
identifier A, fld;
expression V;
position pm;
@@
struct address_space_operations A = { ..., .fld = V@pm, ... };

@script:python@
A << das_aopsm.A;
fld << das_aopsm.fld;
V << das_aopsm.V;
pm << das_aopsm.pm;
@@
dl_c(pm[0].file, "aopsm", A, fld, V, int(pm[0].line), int(pm[0].column),
     int(pm[0].line_end), int(pm[0].column_end))

// local variables holding an IS_DAX() value
@script:python das_g_dvar@
g;
@@
AX.gate["dvar"] = ax_some_file(ax_has_fixed)
ax_gate("dvar")

@das_dvar depends on das_g_dvar@
identifier x;
type T;
expression E : script:python() { ax_dax_value(E) };
position p;
@@
(
x = E@p;
|
T x = E@p;
)

@script:python@
x << das_dvar.x;
E << das_dvar.E;
p << das_dvar.p;
@@
dl_c(p[0].file, "dvar", p[0].current_element, x, E)

// where S_DAX is set
@script:python das_g_sdaxset@
g;
@@
AX.gate["sdaxset"] = ax_some_file(lambda fl: ax_names_sdax(ax_text(fl)))
ax_gate("sdaxset")

@das_sdaxset depends on das_g_sdaxset@
expression E, E2;
expression R : script:python() { ax_sets_sdax(R) };
position p;
@@
(
E |= R@p
|
inode_set_flags(E, R@p, E2)
)

@script:python@
p << das_sdaxset.p;
@@
dl_c(p[0].file, "sdaxset", p[0].current_element, int(p[0].line),
     int(p[0].column))

// directory and symlink inode_operations: an aops installed on the same
// path as one of them is not a regular file's
@das_nonreg@
identifier I, fld =~ "^(lookup|get_link|follow_link)$";
expression V;
position p;
@@
struct inode_operations I@p = { ..., .fld = V, ... };

@script:python@
I << das_nonreg.I;
p << das_nonreg.p;
@@
dl_c(p[0].file, "nonreg", I)

// ---- the directory's context ----

@script:python das_calls@
@@
ax_scan_calls()

@script:python das_ctx_derive@
@@
das_derive()

// ---- step 2: what each file says, given the context ----

// the calls of the functions that install an aops (from the text scan)
@script:python das_icalls@
@@
for fl, row in ax_icalls(DAS_CTX["installers0"]):
    dl_m(fl, "icall", *row)

// local variables holding the value of a DAX test helper
@script:python das_g_dvar2@
g;
@@
ax_gate("dvar2")

@das_dvar2 depends on das_g_dvar2@
identifier x;
type T;
expression E : script:python() { ax_dax_value_h(E) };
position p;
@@
(
x = E@p;
|
T x = E@p;
)

@script:python@
x << das_dvar2.x;
E << das_dvar2.E;
p << das_dvar2.p;
@@
AX.daxvars[(p[0].current_element, x)] = E
dl_m(p[0].file, "dvar2", p[0].current_element, x, E)

// conditionals that test DAX-ness, with the extent of each branch
@script:python das_g_dif@
g;
@@
ax_gate("dif")

@das_dif depends on das_g_dif@
expression C : script:python() { das_dax_related(C) };
statement S1, S2;
expression E1, E2;
position p1, p2, pc;
@@
(
if (C@pc) S1@p1 else S2@p2
|
if (C@pc) S1@p1
|
C ? E1@p1 : E2@p2
)

@script:python@
C << das_dif.C;
p1 << das_dif.p1;
p2 << das_dif.p2 = [];
pc << das_dif.pc = [];
@@
if ax_dif_file(p1[0].file):
    dl_m(p1[0].file, "dif", p1[0].current_element, C,
         *ax_dif_row(pc, p1, p2))

// where an aops object is chosen
@script:python das_g_site@
g;
@@
ax_gate("site")

@das_site depends on das_g_site@
expression L, C, E;
identifier A : script:python() { ax_is_aops(A) };
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
A << das_site.A;
p << das_site.p;
@@
dl_m(p[0].file, "site", A, p[0].current_element, int(p[0].line),
     int(p[0].column), int(p[0].column_end), False)

@script:python das_g_sitedecl@
g;
@@
ax_gate("site")

@das_sitedecl depends on das_g_sitedecl@
expression C, E;
identifier A : script:python() { ax_is_aops(A) };
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
A << das_sitedecl.A;
p << das_sitedecl.p;
@@
dl_m(p[0].file, "site", A, p[0].current_element, int(p[0].line),
     int(p[0].column), int(p[0].column_end), True)

// S_DAX set in i_flags, then an aops installed with no IS_DAX() test between
@script:python das_g_sdax@
g;
@@
ax_gate("sdax")

@das_sdax depends on das_g_sdax exists@
expression E, L, E2;
identifier A : script:python() { ax_is_aops(A) };
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
p << das_sdax.p;
@@
dl_m(p[0].file, "sdax", int(p[0].line), int(p[0].column))

// i_op set on the same path as an aops: a directory or symlink inode's if
// the inode_operations (of any file) has .lookup/.get_link
@script:python das_g_iopsite@
g;
@@
ax_gate("iopsite")

@das_iopsite depends on das_g_iopsite exists@
expression X, L;
identifier I, A : script:python() { ax_is_aops(A) };
position p;
@@
(
X->i_op = &I; ... L = &A@p;
|
L = &A@p; ... X->i_op = &I;
)

@script:python@
I << das_iopsite.I;
p << das_iopsite.p;
@@
dl_m(p[0].file, "iopsite", I, int(p[0].line), int(p[0].column))

// calls made after an aops is installed (a later call may install the DAX
// aops over it: fuse_init_file_inode -> fuse_dax_inode_init)
@script:python das_g_after@
g;
@@
ax_gate("site")

@das_after depends on das_g_after exists@
expression L;
identifier A : script:python() { ax_is_aops(A) };
identifier g, x;
type T;
position p;
@@
(
L = <+... &A@p ...+>;
|
T x = <+... &A@p ...+>;
)
...
g(...)

@script:python@
p << das_after.p;
g << das_after.g;
@@
dl_m(p[0].file, "after", int(p[0].line), int(p[0].column), g)

// an aops installed after another one on some path of the function (the
// later choice, if it tests DAX-ness, decides for both)
@script:python das_g_siteafter@
g;
@@
ax_gate("site")

@das_siteafter depends on das_g_siteafter exists@
expression L, L2;
identifier A : script:python() { ax_is_aops(A) };
identifier A2 : script:python() { ax_is_aops(A2) };
identifier x;
type T;
position p, p2;
@@
(
L = <+... &A@p ...+>;
|
T x = <+... &A@p ...+>;
)
...
L2 = <+... &A2@p2 ...+>;

@script:python@
p << das_siteafter.p;
p2 << das_siteafter.p2;
@@
dl_m(p[0].file, "siteafter", int(p[0].line), int(p[0].column),
     int(p2[0].line), int(p2[0].column))

// the inode made DAX (S_DAX set here, or a call of a function that sets
// it) after an aops was installed (&A of an aops, or a call of a function
// that installs one), with no aops installed after it on some path to the
// end of the function
@script:python das_g_sbad@
g;
@@
ax_gate("sfix")

@das_sbad depends on das_g_sbad exists@
identifier fn;
expression E, E2;
expression R : script:python() { ax_sets_sdax(R) };
identifier A : script:python() { ax_is_aops(A) };
identifier A2 : script:python() { ax_is_aops(A2) };
identifier A3 : script:python() { ax_is_aops(A3) };
identifier g : script:python() { das_installer(g) };
identifier g2 : script:python() { das_installer(g2) };
identifier g3 : script:python() { das_installer(g3) };
identifier h : script:python() { das_sdaxf(h) };
position pi, q;
@@
fn(...) {
... when any
\( &A@pi \| g@pi(...) \)
... when != &A2
    when != g2(...)
\( E |= R@q \| inode_set_flags(E, R@q, E2) \| h@q(...) \)
... when != &A3
    when != g3(...)
}

@script:python@
q << das_sbad.q;
pi << das_sbad.pi;
@@
what = das_pos_text(pi[0]).lstrip("&").strip()
kind = "amp" if ax_is_aops(what) else "call"
dl_m(q[0].file, "sbad", q[0].current_element, int(q[0].line),
     int(q[0].column), int(q[0].column_end), das_sdax_what(q[0]),
     int(pi[0].line), int(pi[0].column), what, kind)

// the same with nothing installed before it in the function: its callers
// inherit the duty to install the DAX aops
@script:python das_g_sclean@
g;
@@
ax_gate("sfix")

@das_sclean depends on das_g_sclean exists@
identifier fn;
expression E, E2;
expression R : script:python() { ax_sets_sdax(R) };
identifier A2 : script:python() { ax_is_aops(A2) };
identifier A3 : script:python() { ax_is_aops(A3) };
identifier g2 : script:python() { das_installer(g2) };
identifier g3 : script:python() { das_installer(g3) };
identifier h : script:python() { das_sdaxf(h) };
position q;
@@
fn(...) {
... when != &A2
    when != g2(...)
\( E |= R@q \| inode_set_flags(E, R@q, E2) \| h@q(...) \)
... when != &A3
    when != g3(...)
}

@script:python@
q << das_sclean.q;
@@
dl_m(q[0].file, "sclean", q[0].current_element, int(q[0].line),
     int(q[0].column), das_sdax_what(q[0]))

// ---- the decision, once per directory ----

@script:python das_result@
@@
if dl_usable():
    das_decide()
dl_dump()

@das_ctx depends on context@
identifier A;
position p : script:python() { das_found(p) };
@@
* \(&A@p\)

@das_ctxs depends on context@
expression E;
position p : script:python() { das_found(p) };
@@
* E@p

@finalize:python@
found << merge.das_findings;
@@
seen = set()
for part in found:
    for fl, ln, col, ce, fn, msg, mode in sorted(part):
        if (fl, ln, col) in seen:
            continue
        seen.add((fl, ln, col))
        if "org" in mode:
            coccilib.org.print_todo(AxPos(fl, ln, col, ce),
                                    "[dax-aops-select] %s: %s" % (fn, msg))
        if "report" in mode:
            coccilib.report.print_report(
                AxPos(fl, ln, col, ce),
                "WARNING: [dax-aops-select] %s: %s" % (fn, msg))
