// SPDX-License-Identifier: GPL-2.0-only
/// dax_layout_busy_page() / dax_layout_busy_page_range() may only be called
/// with the filesystem's page-fault lock held exclusively (XFS_MMAPLOCK_EXCL,
/// ext4's i_mmap_sem taken with down_write(), or, from 5.15 on,
/// filemap_invalidate_lock()).  The scan unmaps every DAX page of the file
/// and returns the first one still pinned; only the fault lock stops a new
/// fault from mapping and pinning a page right behind it, so that the caller
/// goes on to free blocks that a device is DMAing into.
///
/// A function that asserts the lock (ASSERT(xfs_isilocked()),
/// lockdep_assert_held_write(), WARN_ON_ONCE(!rwsem_is_locked())) or that
/// does no locking of its own only passes the obligation on (a "wrapper":
/// xfs_break_dax_layouts, ext4_break_layouts, fuse_dax_break_layouts ...).
/// The rule summarises the wrappers of a directory (to a fixed point, with the
/// argument that names the object and any "case BREAK_UNMAP:"-like condition
/// on a parameter) and checks every caller: a caller that does its own
/// locking (takes or releases a fault lock, takes the inode lock, or the
/// xfs i/o lock) must hold the fault lock, on that object, on every path to
/// the call, and not have released it since; a wrapper nobody in the
/// directory calls (an entry point) is reported itself.
//
// Rule: busy-page-locked
// Prefilter: dax_layout_busy_page
// Scope: directory
// Confidence: Moderate
// Comments: lock objects are compared by their root variable through local
//  aliases and single-argument conversions (XFS_I, VFS_I, EXT4_I,
//  file_inode, ->i_mapping ...); an object the rule cannot resolve matches
//  any lock.  Exported wrappers are not reported (callers are elsewhere).
// Options: --no-includes --include-headers --no-scanner --kbuild-info scripts/coccinelle/dax/kbuild-info

virtual context
virtual org
virtual report

@initialize:python@
@@
# ---- generated from kernel-integration/api/kernel-api.tsv by cocci/generate.py: do not edit
API_BUSY_PAGE = ("dax_layout_busy_page", "dax_layout_busy_page_range")
API_FAULT_LOCK_BIT = ("XFS_MMAPLOCK_EXCL",)
API_FAULT_LOCK_FIELD = ("invalidate_lock", "i_mmap_sem")
API_INVAL_LOCK = ("filemap_invalidate_lock",)
API_INVAL_LOCK_SHARED = ("filemap_invalidate_lock_shared",)
API_INVAL_LOCK_TWO = ("filemap_invalidate_lock_two",)
API_INVAL_UNLOCK = ("filemap_invalidate_unlock",)
API_RWSEM_DOWNGRADE = ("downgrade_write",)
API_RWSEM_UP_WRITE = ("up_write",)
API_RWSEM_WRITE = ("down_write", "down_write_nested", "down_write_killable",
                   "down_write_trylock")
API_TRYLOCK = ("xfs_ilock_nowait", "down_write_trylock", "down_read_trylock")
API_XFS_DEMOTE = ("xfs_ilock_demote",)
API_XFS_LOCK = ("xfs_ilock", "xfs_ilock_nowait")
API_XFS_LOCK_ORDER_RX = (r"xfs_lock_inumorder|XFS_LOCK_INUMORDER")
API_XFS_LOCK_TWO = ("xfs_lock_two_inodes",)
API_XFS_UNLOCK = ("xfs_iunlock",)
# ---- end of kernel-integration/api/kernel-api.tsv
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
# ---- generated from cocci/lib/locks.py by cocci/generate.py: do not edit
# What the busy-page rules (busy-page-locked, busy-page-wait) share: the
# lookup API, the fault-lock flag, and the calls of a function body with
# the text of their arguments.
#
# The arguments are read from the file's raw text (comments and literals
# included), from the "(" that follows the callee's position: each rule
# keeps its own spelling of them (busy-page-locked drops white space,
# busy-page-wait makes it one space).  Needs srcscan.py (ss_calls) and
# the API section (the names come from the API table).
import re as lk_re

LK_API = API_BUSY_PAGE
LK_BIT_RX = lk_re.compile(r"\b(%s)\b" % "|".join(API_FAULT_LOCK_BIT))
_lk_src = {}


def lk_lines(file):
    """FILE's raw lines (cached)."""
    if file not in _lk_src:
        try:
            with open(file, errors="replace") as fh:
                _lk_src[file] = fh.read().split("\n")
        except OSError:
            _lk_src[file] = []
    return _lk_src[file]


def lk_args(file, line, col):
    """The argument texts, stripped, of the call whose callee starts at
    LINE:COL (an empty list when no "(" follows; an empty argument list
    reads as one empty argument)."""
    lines = lk_lines(file)
    line, col = int(line), int(col)
    txt = "\n".join(lines[line - 1:line + 40])
    i = txt.find("(", col)
    if i < 0:
        return []
    depth, cur, args = 0, "", []
    for c in txt[i:]:
        if c in "([{":
            depth += 1
            if depth == 1:
                continue
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                break
        elif c == "," and depth == 1:
            args.append(cur.strip())
            cur = ""
            continue
        cur += c
    args.append(cur.strip())
    return args


def lk_calls(file, defs):
    """[function, callee, line, column, end column, argument texts] of the
    calls written in the bodies of DEFS ([name, line, column] of the
    functions FILE defines), in the order of the text."""
    out = []
    for fn, g, ln, col, _ in ss_calls(file, defs):
        out.append([fn, g, ln, col, col + len(g), lk_args(file, ln, col)])
    return out


def lk_outside(p, defs):
    """Is the call at P outside the bodies of the functions DEFS (names
    of the functions its file defines)?  Such a call (in a macro
    definition: function "something_else", in an initialiser: the
    variable) is matched by SmPL, those in the bodies by lk_calls."""
    return p[0].current_element not in defs


def lk_call_row(p, g):
    """The row of lk_calls for the call of G at P, matched by SmPL."""
    q = p[0]
    return [q.current_element, g, int(q.line), int(q.column),
            int(q.column_end), lk_args(q.file, q.line, q.column)]
# ---- end of cocci/lib/locks.py
# ---- generated from cocci/lib/lockwrap.py by cocci/generate.py: do not edit
# Lock wrappers: function-like macros and one-statement functions that
# stand for one call of a lock API, so that a rule can treat a call of the
# wrapper as that call.
#
# Spatch does not expand macros and does not look into callees: a lock
# taken through "#define lock_mm(ip) xfs_ilock(ip, XFS_MMAPLOCK_EXCL)" or
# "static inline void lock_mm(struct xfs_inode *ip) { xfs_ilock(ip, ...); }"
# is invisible to a rule that matches the API by its own name.  Step 1
# (context-free, cocci/lib/facts.py) reads the text of each file and
# records every macro or function whose whole body is one call of the API
# (or of another such wrapper of the same file): the callee and its
# arguments, written in terms of the parameters of the wrapper; and every
# object-like macro that is another name for one (no parameters: the
# arguments of the call are passed on as they are).  A macro
# or a static function is seen by its own file only, any other function
# by the files of its directory (headers are not read).  A call of a
# wrapper is resolved by substituting the arguments of the call for the
# parameters, through chains of wrappers.
import os as lw_os
import re as lw_re

LW_DEFINE_RX = lw_re.compile(
    r"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)\(([^()]*)\)(.*)$", lw_re.M)
# another name for a function: #define lock_mm xfs_ilock
LW_ALIAS_RX = lw_re.compile(
    r"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)[ \t]+\(?([A-Za-z_]\w*)\)?[ \t]*$",
    lw_re.M)
# a function definition: a header at the start of a line, then "{"
LW_FUNC_RX = lw_re.compile(
    r"^[A-Za-z_][^;{}()=#]*?\b([A-Za-z_]\w*)\s*\(([^;{}]*?)\)\s*\{",
    lw_re.M | lw_re.S)
LW_IDENT_RX = lw_re.compile(r"[A-Za-z_]\w*")
# an identifier that is not a member name
LW_NAME_RX = lw_re.compile(r"(?<!->)(?<![.\w])[A-Za-z_]\w*")
# (spelt without a backslash escape: spatch reads this code)
LW_CONT = chr(92) + "\n"


def lw_norm(e):
    return lw_re.sub(r"\s+", "", str(e))


def lw_text(file):
    """The text of FILE with comments blanked and continued lines joined,
    or None."""
    try:
        with open(file, errors="replace") as fh:
            text = fh.read()
    except OSError:
        return None
    text = lw_re.sub(r"/\*.*?\*/|//[^\n]*", " ", text, flags=lw_re.S)
    return text.replace(LW_CONT, " ")


def lw_split(s):
    """The arguments of the text S of an argument list, without blanks."""
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(lw_norm(cur))
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(lw_norm(cur))
    return out


def lw_params(P):
    """The names of the parameters of the text P of a parameter list."""
    names = []
    for piece in lw_split(P):
        ids = LW_IDENT_RX.findall(piece)
        if ids and ids != ["void"]:
            names.append(ids[-1])
    return names


def lw_peel(e):
    """E without blanks and without parentheses around all of it."""
    e = lw_norm(e)
    while e.startswith("(") and lw_close(e, 0) == len(e) - 1:
        e = e[1:-1]
    return e


def lw_close(e, i):
    """The index of the bracket that closes the one at E[I], or -1."""
    depth = 0
    for j in range(i, len(e)):
        if e[j] in "([{":
            depth += 1
        elif e[j] in ")]}":
            depth -= 1
            if depth == 0:
                return j
    return -1


def lw_call(stmt):
    """(callee, [argument texts]) when STMT, one statement or expression
    (a "return", a trailing ";", a do { } while (0), a ({ }) or braces
    around it allowed), is exactly one call; else None."""
    s = lw_re.sub(r"\s+", " ", stmt).strip()
    for _ in range(6):
        before = s
        m = lw_re.fullmatch(r"do ?\{(.*)\} ?while ?\( ?0 ?\) ?;?", s)
        if m:
            s = m.group(1).strip()
        m = lw_re.fullmatch(r"\( ?\{(.*)\} ?\)", s)
        if m:
            s = m.group(1).strip()
        if s.startswith("{") and lw_close(s, 0) == len(s) - 1:
            s = s[1:-1].strip()
        if s.endswith(";"):
            s = s[:-1].strip()
        m = lw_re.fullmatch(r"return\b ?(.*)", s)
        if m:
            s = m.group(1)
        if s.startswith("(") and lw_close(s, 0) == len(s) - 1:
            s = s[1:-1].strip()
        if s == before:
            break
    s = lw_norm(s)
    m = lw_re.match(r"([A-Za-z_]\w*)\(", s)
    if not m or lw_close(s, m.end() - 1) != len(s) - 1 or ";" in s:
        return None
    return m.group(1), lw_split(s[m.end():-1])


def lw_scan(file, apis):
    """Step 1: record with dl_c the wrappers of FILE of the names in APIS:
    ("lockwrap", name, scope, [parameters], callee, [arguments]), scope
    "file" (a macro, a static function) or "dir"."""
    text = lw_text(file)
    if text is None:
        return
    found = {}
    for m in LW_ALIAS_RX.finditer(text):
        found[m.group(1)] = ("file", None, m.group(2), None)
    for m in LW_DEFINE_RX.finditer(text):
        ps = [lw_norm(x) for x in m.group(2).split(",")]
        c = lw_call(m.group(3))
        if c and all(LW_IDENT_RX.fullmatch(x) for x in ps if x):
            found[m.group(1)] = ("file", [x for x in ps if x], c[0], c[1])
    if file.endswith(".c"):
        for m in LW_FUNC_RX.finditer(text):
            end = lw_close(text, m.end() - 1)
            c = lw_call(text[m.end() - 1:end + 1]) if end > 0 else None
            if not c:
                continue
            head = text[m.start():m.start(1)]
            scope = "file" if lw_re.search(r"\bstatic\b", head) else "dir"
            found[m.group(1)] = (scope, lw_params(m.group(2)), c[0],
                                 c[1])
    # keep those that lead to an API through the own wrappers of the file
    keep = set()
    changed = True
    while changed:
        changed = False
        for n, (_, _, g, _) in found.items():
            if n not in keep and (g in apis or g in keep) and g != n:
                keep.add(n)
                changed = True
    for n in sorted(keep):
        scope, ps, g, args = found[n]
        dl_c(file, "lockwrap", n, scope, ps, g, args)


def lw_context(facts):
    """{file: {name: [parameters, callee, arguments]}}: the wrappers each
    file sees (its own, then the "dir" ones of its directory), from the
    "lockwrap" rows of FACTS (dl_facts("c")); and {directory: {name:
    template}} of the "dir" ones, for dl_project."""
    own = {}
    shared = {}
    for fl, (n, scope, ps, g, args) in dl_rows(facts, "lockwrap"):
        own.setdefault(fl, {})[n] = [ps, g, args]
        if scope == "dir":
            shared.setdefault(lw_os.path.dirname(fl), {})[n] = [ps, g, args]
    out = {}
    for fl in facts:
        t = dict(shared.get(lw_os.path.dirname(fl), {}))
        t.update(own.get(fl, {}))
        out[fl] = t
    return out, shared


def lw_subst(arg, binding):
    """ARG with each parameter of BINDING replaced by its argument."""
    def one(m):
        a = binding.get(m.group(0))
        if a is None:
            return m.group(0)
        return a if LW_IDENT_RX.fullmatch(a) else "(" + a + ")"
    return lw_peel(LW_NAME_RX.sub(one, arg))


def lw_resolve(table, name, args, apis, depth=0):
    """(api, [arguments]) of the API call that a call NAME(ARGS) of a
    wrapper of TABLE stands for, or None."""
    t = table.get(name)
    if t is None or depth > 8:
        return None
    ps, g, targs = t
    if ps is None:
        out = [lw_peel(a) for a in args]      # another name for G
    elif len(ps) != len(args):
        return None
    else:
        binding = dict(zip(ps, [lw_peel(a) for a in args]))
        out = [lw_subst(a, binding) for a in targs]
    if g in apis:
        return g, out
    return lw_resolve(table, g, out, apis, depth + 1)
# ---- end of cocci/lib/lockwrap.py

# findings, one list per worker process; merged and printed in finalize
coccinelle.bpl = []
coccinelle.bplorg = []

API = LK_API
BIT_RX = LK_BIT_RX
# the lock primitives themselves are not helpers (xfs_ilock() takes
# whatever its flags say)
PRIMITIVES = (API_XFS_LOCK + API_XFS_LOCK_TWO + API_INVAL_LOCK +
	      API_INVAL_LOCK_TWO + API_INVAL_LOCK_SHARED + API_XFS_DEMOTE)
# what a lock wrapper (a macro, a one-statement function: lockwrap.py)
# may stand for: the calls that take, drop or demote a fault lock; the
# rw_semaphore ones take the fault lock field as &x->field
XFS_WRAPPED = API_XFS_LOCK + API_XFS_UNLOCK + API_XFS_DEMOTE
RWSEM_TAKERS = tuple(g for g in API_RWSEM_WRITE if g not in API_TRYLOCK)
RWSEM_WRAPPED = RWSEM_TAKERS + API_RWSEM_UP_WRITE + API_RWSEM_DOWNGRADE
WRAPPED = XFS_WRAPPED + API_INVAL_LOCK + API_INVAL_UNLOCK + RWSEM_WRAPPED
# the wrapped calls that take the lock (the others drop or demote it)
WRAPPED_TAKERS = API_XFS_LOCK + API_INVAL_LOCK + RWSEM_TAKERS
RWSEM_RX = re.compile(r"^&\(?(.+?)\)?->(?:%s)$" %
		      "|".join(API_FAULT_LOCK_FIELD))
# the lock rules, in the order the helper summary reads their locks
XLK, RLK, XLKB, RLKB = 0, 1, 2, 3

class BplGroup(object):
	"""What the rule knows of one file group (a directory)."""
	def __init__(self):
		# step 1, of the files run here
		self.fdefs = {}       # file -> names of the functions it defines
		self.params = {}      # (file, func) -> {index: name}
		self.aliases = {}     # (file, func, var) -> [expr]
		self.assigns = {}     # (file, func, var) -> [(line, "=" or "|=", expr)]
		self.raw_locks = []   # (rule, file, func, E, line, col)
		self.raw_unlocks = {} # (file, func) -> [E]
		# the context of the directory
		self.defined = set(API) # the API and the functions of the
				      # directory
		self.reach = set(API) # functions that call, maybe through
				      # others, the busy-page API
		self.helpers = {}     # lock-taking helper -> parameter index
		self.uhelpers = {}    # unlocking wrapper -> parameter index
		self.managers = set() # wrappers that take the i/o or fault
				      # lock with flags lacking the bit
		self.good = set()     # (file, line, col, E) lock statements that
				      # count, in the files run here
		self.goodu = set()    # (file, line, col, E) unlocks that count
		# step 2, of the files run here
		self.locked = set()   # (file, func, E) of the "lock" rows
		self.unprot = set()   # the "unprot" rows

BPL = BplGroup()

def bpl_norm(e):
	return re.sub(r"\s+", "", e)

def bpl_args(raw):
	"""The argument texts of a call, white space dropped."""
	return [bpl_norm(a) for a in raw if a != ""] if raw != [""] else []

def bpl_key(p, e):
	return (p[0].file, int(p[0].line), int(p[0].column), bpl_norm(e))

def flags_have_bit(F, file, func, depth=0, line=None):
	"""Does the xfs lock-flags expression F contain XFS_MMAPLOCK_EXCL?
	   A local variable counts by the assignments that precede LINE: the
	   last plain assignment or initialiser, and any "|=" after it.  A
	   parameter or *ptr is unknown (None)."""
	F = re.sub(r"\s+", "", F)
	if BIT_RX.search(F):
		return True
	m = re.match(r"^\(?([A-Za-z_]\w*)\)?$", F)
	if not m:
		if F.startswith("*"):
			return None
		return False
	v = m.group(1)
	asg = sorted(BPL.assigns.get((file, func, v), []))
	if asg:
		if line is not None:
			before = [a for a in asg if a[0] < int(line)]
			if before:
				asg = before
		last = max([i for i, a in enumerate(asg) if a[1] == "="] or [0])
		vals = [a[2] for a in asg[last:]]
		return any(BIT_RX.search(x) for x in vals) or \
			any(depth < 3 and flags_have_bit(x, file, func, depth + 1)
			    for x in vals if re.match(r"^\w+$", x.strip()))
	if v in (BPL.params.get((file, func)) or {}).values():
		return None
	if re.match(r"^[A-Z][A-Z0-9_]*$", v):
		return False
	return None

def _strip(e):
	"""The base of an object expression: drop &, *, casts, parentheses,
	   single-argument conversions and field accesses."""
	e = re.sub(r"\s+", "", e)
	for _ in range(12):
		e = e.lstrip("&*")
		m = re.match(r"^\((?:struct)?\w*\*?\)(.*)$", e)
		if m and m.group(1):
			e = m.group(1)
			continue
		if e.startswith("("):
			depth = 0
			for i, c in enumerate(e):
				depth += c == "("
				depth -= c == ")"
				if depth == 0:
					break
			e = e[1:i] + e[i + 1:]
			continue
		m = re.match(r"^([A-Za-z_]\w*)\(", e)
		if m:
			depth, start, args, i = 0, len(m.group(0)), [], 0
			cur = ""
			for i in range(start - 1, len(e)):
				c = e[i]
				if c == "(":
					depth += 1
					if depth == 1:
						continue
				elif c == ")":
					depth -= 1
					if depth == 0:
						break
				elif c == "," and depth == 1:
					args.append(cur)
					cur = ""
					continue
				cur += c
			args.append(cur)
			if len(args) == 1 and args[0]:
				e = args[0] + e[i + 1:]
				continue
			return None
		m = re.match(r"^([A-Za-z_]\w*)", e)
		return m.group(1) if m else None
	return None

def root_in(aliases, e, file, func, depth=0):
	"""The root variable of E in FUNC, through the local ALIASES."""
	b = _strip(e)
	if b is None:
		return None
	vals = aliases.get((file, func, b))
	if vals and depth < 6:
		roots = set(root_in(aliases, v, file, func, depth + 1)
			    for v in vals)
		if len(roots) == 1:
			r = roots.pop()
			return r if r is not None else b
	return b

def bpl_lock(rule, p, E):
	"""A lock statement of p's function that counts, on E."""
	fi, fn = p[0].file, p[0].current_element
	dl_c(fi, "goodlock", int(p[0].line), int(p[0].column), bpl_norm(E))
	BPL.raw_locks.append((rule, fi, fn, E, p[0].line, p[0].column))

def bpl_helper_rows(fl):
	"""[rule, order, func, index] of FL's lock statements that make their
	   function a lock-taking helper: taken unconditionally (at the top
	   level of the body) on the object of parameter INDEX, and never
	   unlocked in the function."""
	out = []
	src = lk_lines(fl)
	own = [x for x in BPL.raw_locks if x[1] == fl]
	for seq, (rule, f, fn, E, line, col) in enumerate(own):
		if fn in API or fn in PRIMITIVES:
			continue
		if int(line) > len(src) or \
		   not re.match(r"^(\t| {8})\S", src[int(line) - 1]):
			continue
		ps = BPL.params.get((f, fn)) or {}
		r = root_in(BPL.aliases, E, f, fn)
		idx = [i for i, n in ps.items() if n == r]
		if not idx:
			continue
		if any(root_in(BPL.aliases, u, f, fn) == r
		       for u in BPL.raw_unlocks.get((f, fn), [])):
			continue
		out.append([rule, seq, fn, idx[0]])
	return out

def bpl_wrap_kind(table, name):
	"""("lock" | "unlock", parameter index of the object) of the lock
	   wrapper NAME of TABLE (lockwrap.py), ("manages", None) for one
	   that takes the i/o or fault lock without the bit, else None.  The
	   flags must be constant: a flags parameter is not followed."""
	# (another name for a call: its own arguments are the parameters)
	ps = table[name][0] or ["_lw%d" % i for i in range(2)]
	r = lw_resolve(table, name, ps, WRAPPED)
	if r is None or not r[1]:
		return None
	g, args = r
	obj = args[0]
	m = RWSEM_RX.match(obj)
	if g in RWSEM_WRAPPED:
		if not m:
			return None
		obj = m.group(1)
	ids = set(LW_NAME_RX.findall(obj))
	idx = [i for i, n in enumerate(ps) if n in ids]
	if not idx:
		return None
	if g in XFS_WRAPPED:
		if len(args) != 2 or set(LW_NAME_RX.findall(args[1])) & set(ps):
			return None
		if not BIT_RX.search(args[1]):
			if g in API_XFS_LOCK and \
			   re.search(r"\bXFS_(IOLOCK|MMAPLOCK)_", args[1]):
				return ("manages", None)
			return None
	if g in WRAPPED_TAKERS:
		return ("lock", idx[0])
	return ("unlock", idx[0])

def bpl_derive():
	"""The directory's context from every file's step-1 facts."""
	C = dl_facts("c")
	for fl, (fn, ln, col) in dl_rows(C, "def"):
		BPL.defined.add(fn)
	callgraph = {}
	for fl, (fn, g, ln, col, ce, args) in dl_rows(C, "call"):
		if g in BPL.defined:
			callgraph.setdefault(fn, set()).add(g)
	changed = True
	while changed:
		changed = False
		for f, cs in callgraph.items():
			if f not in BPL.reach and cs & BPL.reach:
				BPL.reach.add(f)
				changed = True
	# the first lock that makes a function a helper gives the parameter
	# (the locks in rule order, then file order, then match order)
	rows = sorted((rule, fl, seq, fn, i)
		      for fl, (rule, seq, fn, i) in dl_rows(C, "helper"))
	for rule, fl, seq, fn, i in rows:
		BPL.helpers.setdefault(fn, i)
	# lock wrappers: a call of one is the lock or unlock it stands for
	tables, shared = lw_context(C)
	for fl in sorted(tables):
		for name in sorted(tables[fl]):
			k = bpl_wrap_kind(tables[fl], name)
			if k is None:
				continue
			if k[0] == "lock":
				BPL.helpers.setdefault(name, k[1])
			elif k[0] == "unlock":
				BPL.uhelpers.setdefault(name, k[1])
			else:
				BPL.managers.add(name)
	# the lock statements that count in the files run here: their own,
	# and the calls of helpers, on the argument the helper locks
	for fl in sorted(DL_C):
		own = C.get(fl, {})
		for ln, col, e in own.get("goodlock", ()):
			BPL.good.add((fl, ln, col, e))
		for ln, col, e in own.get("goodunlock", ()):
			BPL.goodu.add((fl, ln, col, e))
		for fn, g, ln, col, ce, raw in own.get("call", ()):
			args = bpl_args(raw)
			i = BPL.helpers.get(g)
			if g not in API and i is not None and i < len(args):
				BPL.good.add((fl, ln, col, args[i]))
			i = BPL.uhelpers.get(g)
			if g not in API and i is not None and i < len(args):
				BPL.goodu.add((fl, ln, col, args[i]))
	# what step 2 asks of the context, as each file sees it
	names = {"defined": BPL.defined, "reach": BPL.reach,
		 "helpers": set(BPL.helpers), "uhelpers": set(BPL.uhelpers),
		 "managers": BPL.managers}
	for h, i in BPL.helpers.items():
		names.setdefault("helper_arg%d" % i, set()).add(h)
	for h, i in BPL.uhelpers.items():
		names.setdefault("uhelper_arg%d" % i, set()).add(h)
	dl_project(names=names)

def bpl_defined(f):
	return f in BPL.defined

def bpl_reached(f):
	return f in BPL.reach

def bpl_helper(f):
	return f in BPL.helpers

def bpl_uhelper(f):
	return f in BPL.uhelpers

def bpl_good(p, E):
	return bpl_key(p, E) in BPL.good

def bpl_goodu(p, E):
	return bpl_key(p, E) in BPL.goodu

def bpl_unprot(p, f, E):
	"""A call of a function that reaches the API, on a path of F without
	   the lock on E (kept where F holds a lock on E that counts)."""
	fi = p[0].file
	row = (fi, f, E, int(p[0].line), int(p[0].column))
	if (fi, f, E) in BPL.locked and row not in BPL.unprot:
		BPL.unprot.add(row)
		dl_m(*((fi, "unprot") + row[1:]))

def switch_cond(defs, params, lines, fi, fn, line):
	"""(param, [case labels]) when the call on LINE is reached only through
	   case labels of a switch on a parameter of FN, else None.  DEFS:
	   [(file, line)] of the definitions of FN, PARAMS: its parameter
	   names, LINES: the text of FI."""
	start = None
	for (f2, l2) in defs:
		if f2 == fi and l2 <= line and (start is None or l2 > start):
			start = l2
	if start is None or line > len(lines):
		return None
	body = "\n".join(lines[start - 1:line - 1])
	body = re.sub(r"/\*.*?\*/", " ", body, flags=re.S)
	body = re.sub(r"//[^\n]*", " ", body)
	toks = re.split(r"(\{|\}|\bcase\b[^:;{}]*:|\bdefault\s*:|;)", body)
	toks = [x.strip() for x in toks if x is not None and x.strip()]
	depth = 0
	labels = None
	ps = params
	j = len(toks) - 1
	while j >= 0:
		tk = toks[j]
		if tk == "}":
			depth += 1
		elif tk == "{":
			if depth > 0:
				depth -= 1
			else:
				before = toks[j - 1] if j > 0 else ""
				m = re.search(r"\bswitch\s*\(\s*([A-Za-z_]\w*)\s*\)$",
					      before)
				if m:
					if labels and m.group(1) in ps:
						return (m.group(1), labels)
					return None
		elif depth == 0 and labels is None and \
		     (tk.startswith("case") or tk.startswith("default")):
			labels = []
			k = j
			while k >= 0 and (toks[k].startswith("case") or
					  toks[k].startswith("default")):
				if toks[k].startswith("default"):
					return None
				labels.append(re.sub(r"\s+", "",
					re.sub(r"^case|:$", "", toks[k])))
				k -= 1
			# reached by falling through from the case above?
			if k >= 0 and toks[k] != "{":
				prev = toks[k - 1] if toks[k] == ";" and k > 0 else ""
				if not re.match(r"^(break|return|goto|continue)\b", prev):
					return None
			j = k + 1
		j -= 1
	return None

def bpl_switches():
	"""Step 2: the switch conditions of the calls of functions that reach
	   the API, in the files run here."""
	for fl in sorted(DL_C):
		own = DL_C[fl]
		defs = {}
		for fn, ln, col in own.get("def", ()):
			defs.setdefault(fn, []).append((fl, ln))
		lines = lk_lines(fl)
		done = set()
		for fn, g, ln, col, ce, raw in own.get("call", ()):
			if g not in BPL.reach or not bpl_args(raw) or \
			   (fn, ln) in done:
				continue
			done.add((fn, ln))
			ps = (BPL.params.get((fl, fn)) or {}).values()
			c = switch_cond(defs.get(fn, []), ps, lines, fl, fn, ln)
			if c is not None:
				dl_m(fl, "switch", fn, ln, c[0], c[1])

def bpl_decide():
	"""The obligations, wrappers and findings of the directory, from
	   every file's facts."""
	C = dl_facts("c")
	M = dl_facts("m")
	# the facts the rule used to collect, in the order it collected them
	ALL = []
	for fl, (fn, ln, col) in dl_rows(C, "def"):
		ALL.append(("def", fl, fn, ln))
	for fl, (fn, n, x) in dl_rows(C, "param"):
		ALL.append(("param", fl, fn, n, x))
	for fl, (fn, x, E) in dl_rows(C, "alias"):
		ALL.append(("alias", fl, fn, x, E))
	for fl, (fn, E) in dl_rows(C, "assert"):
		ALL.append(("assert", fl, fn, E))
	for fl, (fn, E, ln, col) in dl_rows(M, "lock"):
		ALL.append(("lock", fl, fn, E, ln, col))
	for fl, (fn,) in dl_rows(C, "manages"):
		ALL.append(("manages", fl, fn))
	# a call of a wrapper that drops the fault lock, or takes a lock
	# without the bit, is locking of its own
	for fl, (fn, g, ln, col, ce, raw) in dl_rows(C, "call"):
		if g in BPL.uhelpers or g in BPL.managers:
			ALL.append(("manages", fl, fn))
	for fl, (fn, g, ln, col, ce, raw) in dl_rows(C, "call"):
		if g in BPL.defined:
			for n, E in enumerate(bpl_args(raw)):
				ALL.append(("call", fl, fn, g, ln, col, ce, n, E))
	for fl, (fn, E, ln, col) in dl_rows(M, "unprot"):
		ALL.append(("unprot", fl, fn, E, ln, col))
	for fl, (fn, ln, col, r, Cv) in dl_rows(M, "cond"):
		ALL.append(("cond", fl, fn, ln, col, r, Cv))
	switches = {}
	for fl, (fn, ln, r, labels) in dl_rows(M, "switch"):
		switches[(fl, fn, ln)] = (r, labels)
	exports = set()
	for fl, (fn,) in dl_rows(C, "export"):
		exports.add((fl, fn))
	bpl_decide_dirs(ALL, switches, exports)

def bpl_decide_dirs(ALL, switches, exports):
	RULE = "busy-page-locked"
	out = coccinelle.bpl

	class D(object):
		def __init__(self):
			self.defs = {}        # name -> [(file, line)]
			self.params = {}      # (file, func) -> {i: name}
			self.aliases = {}     # (file, func, var) -> [expr]
			self.asserts = {}     # (file, func) -> [E]
			self.locks = {}       # (file, func) -> set(E)
			self.calls = {}       # (file, func) -> {(line, col): rec}
			self.unprot = set()   # (file, func, E, line, col)
			self.cond = {}        # (file, line, col) -> (r, C)
			self.manages = set()  # (file, func) that do their own
					      # locking without (surely) taking
					      # the fault lock

	dirs = {}
	def dd(f):
		d = os.path.dirname(f)
		if d not in dirs:
			dirs[d] = D()
		return dirs[d]

	seen = set()
	for t in ALL:
		if t in seen:
			continue
		seen.add(t)
		k = t[0]
		if k == "def":
			dd(t[1]).defs.setdefault(t[2], []).append((t[1], t[3]))
		elif k == "param":
			dd(t[1]).params.setdefault((t[1], t[2]), {})[t[3]] = t[4]
		elif k == "alias":
			dd(t[1]).aliases.setdefault((t[1], t[2], t[3]), []).append(t[4])
		elif k == "assert":
			dd(t[1]).asserts.setdefault((t[1], t[2]), []).append(t[3])
		elif k == "lock":
			dd(t[1]).locks.setdefault((t[1], t[2]), set()).add(t[3])
		elif k == "manages":
			dd(t[1]).manages.add((t[1], t[2]))
		elif k == "call":
			_, fi, fn, g, line, col, cole, n, E = t
			c = dd(fi).calls.setdefault((fi, fn), {})
			rec = c.setdefault((line, col), {"callee": g, "file": fi,
							 "func": fn, "line": line,
							 "col": col, "colend": cole,
							 "args": {}})
			rec["args"][n] = E
		elif k == "unprot":
			dd(t[1]).unprot.add(tuple(t[1:]))
		elif k == "cond":
			dd(t[1]).cond[(t[1], t[3], t[4])] = (t[5], t[6])

	def root(d, e, fi, fn):
		return root_in(d.aliases, e, fi, fn)

	def is_const(a):
		return re.match(r"^[A-Z][A-Z0-9_]*$", re.sub(r"\s+", "", a)) is not None

	for dname in sorted(dirs):
		d = dirs[dname]
		# obligations: callee -> (object arg index or None, (cond index, [labels]) or None)
		obl = dict((a, (0, None)) for a in API)
		why = dict((a, a) for a in API)
		wrappers = {}
		funcs = sorted(set(d.calls.keys()) | set(d.locks.keys()) | d.manages)

		def sites(key):
			res = []
			for rec in d.calls.get(key, {}).values():
				g = rec["callee"]
				if g not in obl:
					continue
				idx, cnd = obl[g]
				if cnd is not None:
					ci, labels = cnd
					a = rec["args"].get(ci)
					vals = [a] if a is not None else []
					if a is not None and re.match(r"^\w+$", a.strip()) \
					   and not is_const(a):
						# a local variable: the values assigned to it
						vals = d.aliases.get((rec["file"], rec["func"],
								      a.strip()), [a])
					if vals and all(is_const(v) and
							re.sub(r"\s+", "", v) not in labels
							for v in vals):
						continue
				res.append(rec)
			return res

		changed = True
		rounds = 0
		while changed and rounds < 50:
			changed = False
			rounds += 1
			for key in funcs:
				fi, fn = key
				if fn in API or fn in wrappers:
					continue
				ss = sites(key)
				if not ss:
					continue
				asserting = bool(d.asserts.get(key))
				if not asserting and (d.locks.get(key) or
						      key in d.manages):
					continue
				ps = d.params.get(key) or {}
				idx = None
				for rec in ss:
					a = rec["args"].get(obl[rec["callee"]][0]) \
						if obl[rec["callee"]][0] is not None else None
					r = root(d, a, fi, fn) if a is not None else None
					hit = [i for i, nm in ps.items() if nm == r]
					if hit:
						idx = hit[0]
						break
				cnd = None
				conds = []
				for rec in ss:
					c = d.cond.get((fi, rec["line"], rec["col"]))
					if c is not None:
						c = (c[0], [re.sub(r"\s+", "", c[1])])
					else:
						c = switches.get((fi, fn, rec["line"]))
					conds.append(c)
				if conds and all(c is not None for c in conds) and \
				   len(set((c[0], tuple(c[1])) for c in conds)) == 1:
					pi = [i for i, nm in ps.items() if nm == conds[0][0]]
					if pi:
						cnd = (pi[0], conds[0][1])
				wrappers[fn] = (key, asserting)
				obl[fn] = (idx, cnd)
				why[fn] = why[ss[0]["callee"]]
				changed = True

		if os.environ.get("DAXLINT_DEBUG"):
			sys.stderr.write("busy-page-locked: %s: wrappers %s\n" % (
				dname, sorted((k, v) for k, v in obl.items())))
		callers = set()
		for key, recs in d.calls.items():
			for rec in recs.values():
				callers.add(rec["callee"])

		def report(rec, detail):
			out.append("%s:%s:%s-%s: WARNING: [%s] %s: %s" % (
				rec["file"], rec["line"], rec["col"], rec["colend"], RULE,
				rec["func"], detail))

		for key in funcs:
			fi, fn = key
			if fn in API:
				continue
			ss = sites(key)
			if not ss:
				continue
			if fn in wrappers:
				if wrappers[fn][1] or fn in callers or \
				   (fi, fn) in exports:
					continue
				for rec in ss:
					report(rec, "%s() reaches %s() and no caller in %s "
					       "takes the fault-blocking lock: take it "
					       "exclusively (XFS_MMAPLOCK_EXCL, "
					       "filemap_invalidate_lock(), down_write(i_mmap_sem)) "
					       "around the call, or a fault can pin a DAX page "
					       "right after the scan" % (
					       rec["callee"], why[rec["callee"]],
					       dname or "."))
				continue
			locks = d.locks.get(key, set())
			if os.environ.get("DAXLINT_DEBUG") == fn:
				sys.stderr.write("locks %s\nunprot %s\n" % (locks, sorted(
					u for u in d.unprot if u[1] == fn)))
			for rec in ss:
				i = obl[rec["callee"]][0]
				a = rec["args"].get(i) if i is not None else None
				r = root(d, a, fi, fn) if a is not None else None
				ok = False
				for E in locks:
					re_ = root(d, E, fi, fn)
					if r is not None and re_ is not None and r != re_:
						continue
					if (fi, fn, E, rec["line"], rec["col"]) not in d.unprot:
						ok = True
						break
				if not ok:
					report(rec, "%s() reaches %s() on a path without the "
					       "fault-blocking lock held exclusively%s; a "
					       "concurrent fault can map and pin a DAX page "
					       "right after the scan" % (
					       rec["callee"], why[rec["callee"]],
					       (" on %s" % a.strip()) if a else ""))

@script:python bpl_state@
st << virtual.daxlint_state;
@@
DL["state"] = st

@script:python bpl_dumpto@
out << virtual.daxlint_dump;
@@
DL["dump"] = out

# a new file group starts: forget the previous one
@script:python bpl_start@
@@
BPL.__init__()
dl_reset()

// ---- step 1: what each file says, whatever else is in the group ----

@fn@
identifier f;
position p;
@@
f@p(...) { ... }

@script:python@
f << fn.f;
p << fn.p;
@@
BPL.fdefs.setdefault(p[0].file, set()).add(f)
dl_c(p[0].file, "def", f, int(p[0].line), int(p[0].column))

@fparam2@
identifier f, x;
type T;
parameter list[n] ps;
position p;
@@
f@p(ps, T x, ...) { ... }

@script:python@
f << fparam2.f;
x << fparam2.x;
n << fparam2.n;
p << fparam2.p;
@@
BPL.params.setdefault((p[0].file, f), {})[int(n)] = x
dl_c(p[0].file, "param", f, int(n), x)

@alias@
identifier x;
expression E;
type T;
position p;
@@
(
T x@p = E;
|
x@p = E
)

@script:python@
x << alias.x;
E << alias.E;
p << alias.p;
@@
BPL.aliases.setdefault((p[0].file, p[0].current_element, x), []).append(E)
BPL.assigns.setdefault((p[0].file, p[0].current_element, x), []).append(
	(int(p[0].line), "=", E))
dl_c(p[0].file, "alias", p[0].current_element, x, E)

@orassign@
identifier x;
expression E;
position p;
@@
x@p |= E

@script:python@
x << orassign.x;
E << orassign.E;
p << orassign.p;
@@
BPL.assigns.setdefault((p[0].file, p[0].current_element, x), []).append(
	(int(p[0].line), "|=", E))

// lock statements that may take the fault lock exclusively
@xlk@
expression E, F;
position pl;
@@
(
xfs_ilock@pl(E, F)
|
xfs_ilock_nowait@pl(E, F)
|
xfs_lock_two_inodes@pl(E, F, ...)
)

@script:python@
E << xlk.E;
F << xlk.F;
pl << xlk.pl;
@@
fi, fn = pl[0].file, pl[0].current_element
G = re.sub(r"\s+", "", F)
m = re.match(r"^(?:%s)\((.*),[^,]*\)$" % API_XFS_LOCK_ORDER_RX, G)
if m:
	G = m.group(1)
if flags_have_bit(G, fi, fn, line=pl[0].line) is not False:
	bpl_lock(XLK, pl, E)
elif re.search(r"\bXFS_(IOLOCK|MMAPLOCK)_", G) or re.match(r"^\w+$", G):
	# an attempt at the i/o or fault lock with the wrong flags: this
	# function deals with locking, so it is checked, not summarised
	dl_c(fi, "manages", fn)

// the inode's own lock: a function that takes it does the operation's
// locking, so the fault lock belongs there too (checked, not summarised)
@ilk@
expression E;
position pl;
@@
(
inode_lock@pl(E)
|
inode_lock_shared@pl(E)
|
inode_lock_nested@pl(E, ...)
)

@script:python@
pl << ilk.pl;
@@
dl_c(pl[0].file, "manages", pl[0].current_element)

@rlk@
expression E;
position pl;
@@
(
filemap_invalidate_lock@pl(E)
|
filemap_invalidate_lock_two@pl(E, ...)
|
down_write@pl(&E->\(invalidate_lock\|i_mmap_sem\))
|
down_write_killable@pl(&E->\(invalidate_lock\|i_mmap_sem\))
|
down_write_nested@pl(&E->\(invalidate_lock\|i_mmap_sem\), ...)
)

@script:python@
E << rlk.E;
pl << rlk.pl;
@@
bpl_lock(RLK, pl, E)

// the second object of the two-object forms (a disjunction binds once)
@xlkb@
expression E, F, X1, X2;
position pl;
@@
xfs_lock_two_inodes@pl(X1, X2, E, F)

@script:python@
E << xlkb.E;
F << xlkb.F;
pl << xlkb.pl;
@@
fi, fn = pl[0].file, pl[0].current_element
if flags_have_bit(F, fi, fn, line=pl[0].line) is not False:
	bpl_lock(XLKB, pl, E)

@rlkb@
expression E, X1;
position pl;
@@
filemap_invalidate_lock_two@pl(X1, E)

@script:python@
E << rlkb.E;
pl << rlkb.pl;
@@
bpl_lock(RLKB, pl, E)

// unlocks (and demotion to shared) of the fault lock
@xulk@
expression E, F;
position pu;
@@
(
xfs_iunlock@pu(E, F)
|
xfs_ilock_demote@pu(E, F)
)

@script:python@
E << xulk.E;
F << xulk.F;
pu << xulk.pu;
@@
fi, fn = pu[0].file, pu[0].current_element
BPL.raw_unlocks.setdefault((fi, fn), []).append(E)
if flags_have_bit(F, fi, fn, line=pu[0].line):
	dl_c(fi, "goodunlock", int(pu[0].line), int(pu[0].column), bpl_norm(E))
	# releases the fault lock: the function owns it even where the
	# lock statement is missing
	dl_c(fi, "manages", fn)

@rulk@
expression E;
position pu;
@@
(
filemap_invalidate_unlock@pu(E)
|
filemap_invalidate_unlock_two@pu(E, ...)
|
filemap_invalidate_unlock_two@pu(..., E)
|
up_write@pu(&E->\(invalidate_lock\|i_mmap_sem\))
|
downgrade_write@pu(&E->\(invalidate_lock\|i_mmap_sem\))
)

@script:python@
E << rulk.E;
pu << rulk.pu;
@@
fi, fn = pu[0].file, pu[0].current_element
BPL.raw_unlocks.setdefault((fi, fn), []).append(E)
dl_c(fi, "goodunlock", int(pu[0].line), int(pu[0].column), bpl_norm(E))
dl_c(fi, "manages", fn)

// assertions that the caller holds the lock
@xas@
expression E, F;
position pa;
@@
(
xfs_isilocked@pa(E, F)
|
xfs_assert_ilocked@pa(E, F)
)

@script:python@
E << xas.E;
F << xas.F;
pa << xas.pa;
@@
if BIT_RX.search(F):
	dl_c(pa[0].file, "assert", pa[0].current_element, E)

@ras@
expression E;
position pa;
@@
(
lockdep_assert_held_write@pa(&E->\(invalidate_lock\|i_mmap_sem\))
|
rwsem_is_locked@pa(&E->\(invalidate_lock\|i_mmap_sem\))
|
lockdep_assert_held_write@pa(E)
)

@script:python@
E << ras.E;
pa << ras.pa;
@@
dl_c(pa[0].file, "assert", pa[0].current_element, E)

// the calls outside function bodies (in macro definitions, initialisers)
@ocall@
identifier g;
position p : script:python() { lk_outside(p, BPL.fdefs.get(p[0].file, ())) };
@@
g@p(...)

@script:python@
g << ocall.g;
p << ocall.p;
@@
dl_c(p[0].file, "call", *lk_call_row(p, g))

// the calls written in each function's body, with their arguments; the
// functions that lock a parameter's object and never unlock it; the
// exported symbols
@script:python bpl_files@
@@
for fl in sorted(DL_C):
	for row in lk_calls(fl, DL_C[fl].get("def", ())):
		dl_c(fl, "call", *row)
	lw_scan(fl, WRAPPED)
	for row in bpl_helper_rows(fl):
		dl_c(fl, "helper", *row)
	exp = set()
	for l in lk_lines(fl):
		for fn in re.findall(r"EXPORT_SYMBOL\w*\(\s*([A-Za-z_]\w*)\s*\)", l):
			exp.add(fn)
	for fn in sorted(exp):
		dl_c(fl, "export", fn)

// ---- the directory's context ----

@script:python bpl_compute@
@@
bpl_derive()

// ---- step 2: what each file says, given the context ----

@script:python bpl_switch@
@@
bpl_switches()

// a call made only when a parameter has one value:
// "if (reason == BREAK_UNMAP)" here, "case BREAK_UNMAP:" in bpl_switches
@cond@
identifier g, r;
expression C;
position p : script:python(g) { bpl_defined(g) };
@@
if (r == C) { <+... g@p(...) ...+> }

@script:python@
r << cond.r;
C << cond.C;
p << cond.p;
@@
dl_m(p[0].file, "cond", p[0].current_element, int(p[0].line),
     int(p[0].column), r, C)

// every lock statement that counts, with its function
@lk exists@
identifier f;
identifier LH : script:python() { bpl_helper(LH) };
expression E;
position pl;
position pf : script:python(f) { bpl_reached(f) };
@@
f@pf(...) {
... when any
// ---- the next line is generated by cocci/generate.py from: SMPL(fault_lock, pl)
\( xfs_ilock@pl(E, ...) \| xfs_ilock_nowait@pl(E, ...) \| xfs_lock_two_inodes@pl(E, ...) \| xfs_lock_two_inodes@pl(..., E, ...) \| filemap_invalidate_lock@pl(E) \| filemap_invalidate_lock_two@pl(E, ...) \| filemap_invalidate_lock_two@pl(..., E) \| down_write@pl(&E->\(invalidate_lock\|i_mmap_sem\), ...) \| down_write_nested@pl(&E->\(invalidate_lock\|i_mmap_sem\), ...) \| down_write_killable@pl(&E->\(invalidate_lock\|i_mmap_sem\), ...) \| LH@pl(..., E, ...) \)
... when any
}

@script:python@
f << lk.f;
E << lk.E;
pl << lk.pl;
@@
if bpl_good(pl, E):
	BPL.locked.add((pl[0].file, f, E))
	dl_m(pl[0].file, "lock", f, E, int(pl[0].line), int(pl[0].column))

// the second inode/mapping of the two-object lock forms
@lkb exists@
identifier f;
expression E, X1, X2;
position pl;
position pf : script:python(f) { bpl_reached(f) };
@@
f@pf(...) {
... when any
\( xfs_lock_two_inodes@pl(X1, X2, E, ...) \| filemap_invalidate_lock_two@pl(X1, E) \)
... when any
}

@script:python@
f << lkb.f;
E << lkb.E;
pl << lkb.pl;
@@
if bpl_good(pl, E):
	BPL.locked.add((pl[0].file, f, E))
	dl_m(pl[0].file, "lock", f, E, int(pl[0].line), int(pl[0].column))

// a call reached from the function's entry without passing the lock on E
// (recorded where the function holds a lock on E that counts)
@unprot exists@
identifier lk.f;
expression lk.E;
identifier g, LH;
position q : script:python(E) { bpl_good(q, E) };
position p : script:python(g) { bpl_reached(g) };
@@
f(...) {
// ---- the next line is generated by cocci/generate.py from: ... when != SMPL(fault_lock, q)
... when != \( xfs_ilock@q(E, ...) \| xfs_ilock_nowait@q(E, ...) \| xfs_lock_two_inodes@q(E, ...) \| xfs_lock_two_inodes@q(..., E, ...) \| filemap_invalidate_lock@q(E) \| filemap_invalidate_lock_two@q(E, ...) \| filemap_invalidate_lock_two@q(..., E) \| down_write@q(&E->\(invalidate_lock\|i_mmap_sem\), ...) \| down_write_nested@q(&E->\(invalidate_lock\|i_mmap_sem\), ...) \| down_write_killable@q(&E->\(invalidate_lock\|i_mmap_sem\), ...) \| LH@q(..., E, ...) \)
g@p(...)
... when any
}

@script:python@
f << lk.f;
E << lk.E;
p << unprot.p;
@@
bpl_unprot(p, f, E)

// ... or after the lock on E was released and not taken again
@unlocked exists@
identifier lk.f;
expression lk.E;
identifier g, LH;
identifier UH : script:python() { bpl_uhelper(UH) };
position q : script:python(E) { bpl_good(q, E) };
position u : script:python(E) { bpl_goodu(u, E) };
position p : script:python(g) { bpl_reached(g) };
@@
f(...) {
... when any
// ---- the next line is generated by cocci/generate.py from: SMPL(fault_unlock, u)
\( xfs_iunlock@u(E, ...) \| xfs_ilock_demote@u(E, ...) \| filemap_invalidate_unlock@u(E) \| filemap_invalidate_unlock_two@u(E, ...) \| filemap_invalidate_unlock_two@u(..., E) \| up_write@u(&E->\(invalidate_lock\|i_mmap_sem\)) \| downgrade_write@u(&E->\(invalidate_lock\|i_mmap_sem\)) \| UH@u(..., E, ...) \)
// ---- the next line is generated by cocci/generate.py from: ... when != SMPL(fault_lock, q)
... when != \( xfs_ilock@q(E, ...) \| xfs_ilock_nowait@q(E, ...) \| xfs_lock_two_inodes@q(E, ...) \| xfs_lock_two_inodes@q(..., E, ...) \| filemap_invalidate_lock@q(E) \| filemap_invalidate_lock_two@q(E, ...) \| filemap_invalidate_lock_two@q(..., E) \| down_write@q(&E->\(invalidate_lock\|i_mmap_sem\), ...) \| down_write_nested@q(&E->\(invalidate_lock\|i_mmap_sem\), ...) \| down_write_killable@q(&E->\(invalidate_lock\|i_mmap_sem\), ...) \| LH@q(..., E, ...) \)
g@p(...)
... when any
}

@script:python@
f << lk.f;
E << lk.E;
p << unlocked.p;
@@
bpl_unprot(p, f, E)

// the same for the second object of the two-object locks
// a call reached from the function's entry without passing the lock on E
@unprotb exists@
identifier lkb.f;
expression lkb.E;
identifier g, LH;
position q : script:python(E) { bpl_good(q, E) };
position p : script:python(g) { bpl_reached(g) };
@@
f(...) {
// ---- the next line is generated by cocci/generate.py from: ... when != SMPL(fault_lock, q)
... when != \( xfs_ilock@q(E, ...) \| xfs_ilock_nowait@q(E, ...) \| xfs_lock_two_inodes@q(E, ...) \| xfs_lock_two_inodes@q(..., E, ...) \| filemap_invalidate_lock@q(E) \| filemap_invalidate_lock_two@q(E, ...) \| filemap_invalidate_lock_two@q(..., E) \| down_write@q(&E->\(invalidate_lock\|i_mmap_sem\), ...) \| down_write_nested@q(&E->\(invalidate_lock\|i_mmap_sem\), ...) \| down_write_killable@q(&E->\(invalidate_lock\|i_mmap_sem\), ...) \| LH@q(..., E, ...) \)
g@p(...)
... when any
}

@script:python@
f << lkb.f;
E << lkb.E;
p << unprotb.p;
@@
bpl_unprot(p, f, E)

// ... or after the lock on E was released and not taken again
@unlockedb exists@
identifier lkb.f;
expression lkb.E;
identifier g, LH;
identifier UH : script:python() { bpl_uhelper(UH) };
position q : script:python(E) { bpl_good(q, E) };
position u : script:python(E) { bpl_goodu(u, E) };
position p : script:python(g) { bpl_reached(g) };
@@
f(...) {
... when any
// ---- the next line is generated by cocci/generate.py from: SMPL(fault_unlock, u)
\( xfs_iunlock@u(E, ...) \| xfs_ilock_demote@u(E, ...) \| filemap_invalidate_unlock@u(E) \| filemap_invalidate_unlock_two@u(E, ...) \| filemap_invalidate_unlock_two@u(..., E) \| up_write@u(&E->\(invalidate_lock\|i_mmap_sem\)) \| downgrade_write@u(&E->\(invalidate_lock\|i_mmap_sem\)) \| UH@u(..., E, ...) \)
// ---- the next line is generated by cocci/generate.py from: ... when != SMPL(fault_lock, q)
... when != \( xfs_ilock@q(E, ...) \| xfs_ilock_nowait@q(E, ...) \| xfs_lock_two_inodes@q(E, ...) \| xfs_lock_two_inodes@q(..., E, ...) \| filemap_invalidate_lock@q(E) \| filemap_invalidate_lock_two@q(E, ...) \| filemap_invalidate_lock_two@q(..., E) \| down_write@q(&E->\(invalidate_lock\|i_mmap_sem\), ...) \| down_write_nested@q(&E->\(invalidate_lock\|i_mmap_sem\), ...) \| down_write_killable@q(&E->\(invalidate_lock\|i_mmap_sem\), ...) \| LH@q(..., E, ...) \)
g@p(...)
... when any
}

@script:python@
f << lkb.f;
E << lkb.E;
p << unlockedb.p;
@@
bpl_unprot(p, f, E)

// ---- the decision ----

@script:python bpl_result@
@@
if dl_usable():
	bpl_decide()
dl_dump()

@script:python depends on org@
@@
if not coccinelle.bplorg:
	coccinelle.bplorg.append(True)

@ctx depends on context@
@@
* \(dax_layout_busy_page\|dax_layout_busy_page_range\)(...)

@finalize:python@
found << merge.bpl;
orgs << merge.bplorg;
@@
ORG = any(any(o) for o in orgs)
for l in sorted(set(l for part in found for l in part)):
	if ORG:
		m = re.match(r"^([^:]+):(\d+):(\d+)-(\d+): WARNING: (.*)$", l)
		print("* TODO [[view:%s::face=ovl-face1::linb=%s::colb=%s::cole=%s][%s]]"
		      % (m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)))
	else:
		print(l)
