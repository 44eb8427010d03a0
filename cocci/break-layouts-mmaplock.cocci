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
# ---- generated from kernel-integration/api/kernel-api.tsv by cocci/generate.py: do not edit
API_BREAK_LAYOUTS = ("xfs_break_layouts",)
API_BREAK_UNMAP = ("BREAK_UNMAP", "BREAK_UNMAPI")
API_FAULT_LOCK_BIT = ("XFS_MMAPLOCK_EXCL",)
API_XFS_ASSERT = ("xfs_isilocked", "xfs_assert_ilocked")
API_XFS_DEMOTE = ("xfs_ilock_demote",)
API_XFS_LOCK = ("xfs_ilock", "xfs_ilock_nowait")
API_XFS_UNLOCK = ("xfs_iunlock",)
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

BIT = API_FAULT_LOCK_BIT[0]
LOCKERS = API_XFS_LOCK
ASSERTS = API_XFS_ASSERT
RELEASERS = API_XFS_UNLOCK + API_XFS_DEMOTE
LOCKFNS = LOCKERS + ASSERTS + RELEASERS
BREAK = API_BREAK_LAYOUTS[0]


def unmap_reason(t):
    """T (an argument text) names the unmapping reason"""
    return any(r in t for r in API_BREAK_UNMAP)

MODE = []

# findings of every group, printed by finalize (one list per worker):
# (file, func, line, col, colend, message)
coccinelle.blm_findings = []

# the directory's context, derived from every file's step-1 facts:
# directory -> the functions whose body (transitively, by its text) calls
# xfs_break_layouts() (a superset of the wrappers; SmPL checks them
# precisely), those of them written other than as a call (methods,
# callbacks), and the macros that expand to a flag set containing
# XFS_MMAPLOCK_EXCL; and file -> the lock wrappers it sees (macros and
# one-statement functions that stand for one lock call, lockwrap.py)
BLM = {"cands": {}, "refd": {}, "macros": {}, "wraps": {}}
LW_NAMES = set()  # every wrapper name of the group

# step 2, run-local (the files matched in this run)
_sitefuncs = set()
_aliases = {}     # (file, func) -> {name: [expr, ...]}
_alias_pos = {}
_params = {}      # (file, func) -> [names]
_acq = {}         # (file, line, col) -> canonical inode
_rel = {}         # (file, line, col) -> canonical inode
_flagvar = {}     # (file, line, col, var) -> True/False: var has BIT on all paths
_recorded = set()
_found = set()    # (file, line, col) of the findings of this group

norm = bk_norm
pdir = bk_pdir
pkey = bk_pkey
fkey = bk_fkey


def blm_reset():
    for k in BLM:
        BLM[k] = {}
    LW_NAMES.clear()
    for s in (_sitefuncs, _aliases, _alias_pos, _params, _acq, _rel,
              _flagvar, _recorded, _found):
        s.clear()


def blm_found(p):
    """Context mode: is P the site of a finding of this group?"""
    return (p[0].file, str(p[0].line), str(p[0].column)) in _found


def prescan(d):
    """(cands, refd, macros) of directory D (see BLM)."""
    if d is None:
        return (set(), set(), set())
    return (BLM["cands"].get(d, set()), BLM["refd"].get(d, set()),
            BLM["macros"].get(d, set()))


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


def canon(e, key, depth=0, aliases=None):
    """The inode an inode or xfs_inode expression names, with XFS_I(),
    VFS_I(), ->i_vnode, ->i_mapping and single-definition locals peeled
    (the locals of ALIASES, by default those matched in this run)."""
    e = norm(e)
    al = (_aliases if aliases is None else aliases).get(key, {})
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


def is_acq(pa, a):
    k = pkey(pa)
    return k in _acq and _acq[k] == canon(a, fkey(pa))


def is_rel(pr, a):
    k = pkey(pr)
    return k in _rel and _rel[k] == canon(a, fkey(pr))


def is_lockfn(h):
    return h in LOCKFNS


def flag_user(h):
    return h in LOCKFNS or h == BREAK or h in LW_NAMES or \
        any(h in v for v in BLM["cands"].values())


def is_wrapper(w):
    return w in LW_NAMES


def note_lock(h, p, E, F):
    """The lock call H(E, F) at P (written so, or the call of a wrapper
    that stands for it): an acquire or a release of the bit on the inode
    of E when
    F surely contains it."""
    c = flag_class(F, pdir(p))
    if isinstance(c, tuple):
        c = "yes" if _flagvar.get(pkey(p) + (c[1],), False) else "no"
    if c == "yes":
        (_rel if h in RELEASERS else _acq)[pkey(p)] = canon(E, fkey(p))


def note_wrapper(w, p, es):
    """A call W(ES) at P of a lock wrapper of the file of P."""
    r = lw_resolve(BLM["wraps"].get(p[0].file, {}), w, lw_split(str(es)),
                   LOCKFNS)
    if r and len(r[1]) == 2:
        note_lock(r[0], p, r[1][0], r[1][1])


def in_site(p):
    return fkey(p) in _sitefuncs


def site_ok(ps, g):
    return g == BREAK or g in prescan(pdir(ps))[0]


def blm_derive():
    """The directory's context from every file's step-1 facts."""
    C = dl_facts("c")
    bodies = bk_dir_bodies(C)
    refs = {}
    macros = {}
    for fl, (names,) in dl_rows(C, "ref"):
        refs.setdefault(os.path.dirname(fl), set()).update(names)
    for fl, (name,) in dl_rows(C, "macro"):
        macros.setdefault(os.path.dirname(fl), set()).add(name)
    BLM["wraps"], shared = lw_context(C)
    for t in BLM["wraps"].values():
        LW_NAMES.update(t)
    names = {}
    for d in sorted(set(bodies) | set(refs) | set(macros)):
        cands = bk_closure(bodies.get(d, {}), lambda cs: BREAK in cs)
        BLM["cands"][d] = cands
        # referenced other than as a call: ops tables, function pointers
        BLM["refd"][d] = cands & refs.get(d, set())
        BLM["macros"][d] = macros.get(d, set()) - set([BIT])
        names["cands " + d] = BLM["cands"][d]
        names["macros " + d] = BLM["macros"][d]
    # what step 2 asks of the context, as each file sees it (the own
    # wrappers of a file are its step-1 facts; those of another file
    # count where their names are written)
    dl_project(names=names,
               defs=dict(("lockwrap " + d, t) for d, t in shared.items()))


def blm_record(file, func):
    """Step 2: the aliases and parameters of a function with a site, and
    the flag variables of its file, for the decision."""
    k = (file, func)
    if k not in _recorded:
        _recorded.add(k)
        for n, es in _aliases.get(k, {}).items():
            for e in es:
                dl_m(file, "alias", func, n, norm(e))
        dl_m(file, "param", func, _params.get(k, []))
    if file not in _recorded:
        _recorded.add(file)
        for (fl, ln, col, v), ok in sorted(_flagvar.items()):
            if fl == file:
                dl_m(file, "flag", ln, col, v, ok)


def blm_decide():
    """The cross-function decision, from every file's step-2 facts."""
    M = dl_facts("m")
    S = {}
    for fl, (func, g, line, col, colend, args) in dl_rows(M, "site"):
        S[(fl, line, col)] = (os.path.dirname(fl), fl, func, g, line, col,
                              colend, args)
    U = {}
    for fl, (line, col, arg, why) in dl_rows(M, "unheld"):
        U.setdefault((fl, line, col, arg), set()).add(why)
    FL = {}
    for fl, (line, col, var, ok) in dl_rows(M, "flag"):
        k = (fl, line, col, var)
        FL[k] = FL.get(k, True) and ok
    P = {}
    for fl, (func, names) in dl_rows(M, "param"):
        P[(fl, func)] = names
    AL = {}
    for fl, (func, n, e) in dl_rows(M, "alias"):
        d = AL.setdefault((fl, func), {})
        if e not in d.setdefault(n, []):
            d[n].append(e)

    byfunc = {}      # (dir, func) -> [site]
    callers = {}     # (dir, callee) -> [site]
    for s in S.values():
        byfunc.setdefault((s[0], s[2]), []).append(s)
        callers.setdefault((s[0], s[3]), []).append(s)

    def param_index(d, func, files, expr):
        """index of the parameter of FUNC that EXPR (canonical) is, or
        None"""
        for fl in files:
            ps = P.get((fl, func), [])
            c = canon(expr, (fl, func), aliases=AL)
            if c in ps:
                return ps.index(c)
        return None

    def reason_active(s, arg):
        if unmap_reason(arg):
            return True
        if re.fullmatch(r"[A-Za-z_]\w*", arg):
            defs = AL.get((s[1], s[2]), {}).get(arg, [])
            return any(unmap_reason(x) for x in defs)
        return False

    # obligations of a callee: dict kind -> parameter index
    #   held: the inode argument must be held; flags: &iolock must have
    #   BIT; reason: only when this argument is an unmap reason
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
        """Check one call site S against its callee's obligations; returns
        the obligations S's own function takes over (when it is not an
        entry)."""
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
            m = re.fullmatch(r"&\(?([A-Za-z_]\w*)\)?", a)
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
        _found.add((k[0], str(k[2]), str(k[3])))
        coccinelle.blm_findings.append(
            k + ("; ".join(x[1:] for x in sorted(merged[k])),))

@initialize:python depends on report@
@@
MODE.append("report")

@initialize:python depends on org@
@@
MODE.append("org")

@script:python blm_state@
st << virtual.daxlint_state;
@@
DL["state"] = st

@script:python blm_dumpto@
out << virtual.daxlint_dump;
@@
DL["dump"] = out

# a new file group starts: forget the previous one
@script:python blm_start@
@@
blm_reset()
dl_reset()

// ---- step 1: what each file says, whatever else is in the group ----

// the functions each .c file defines and the names their bodies call,
// the names it writes other than as a call, its flag macros: read from
// the text
@script:python blm_scan@
@@
for fl in cocci.files():
    bk_scan(fl, refs=True, macro_word=BIT)
    lw_scan(fl, LOCKFNS)

// ---- the directory's context ----

@script:python blm_context@
@@
blm_derive()

// ---- step 2: what each file says, given the context ----

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
dl_m(ps[0].file, "site", ps[0].current_element, str(g), ps[0].line,
     ps[0].column, ps[0].column_end, bk_split_args(es))

// the parameters of the functions with a site (in their own file)
@par@
identifier sitef.f;
parameter list P;
position pf : script:python(f) { (pf[0].file, f) in _sitefuncs };
@@
f@pf(P) { ... }

@script:python@
pf << par.pf;
P << par.P;
f << sitef.f;
@@
_params[(pf[0].file, f)] = bk_param_names(P)

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
note_lock(h, p, E, F)

// a lock wrapper (a macro, a one-statement function) of the file: the
// lock call it stands for, with the arguments of this call
@wcall@
identifier wn : script:python() { is_wrapper(wn) };
expression list es;
position p : script:python() { in_site(p) };
@@
wn@p(es)

@script:python@
wn << wcall.wn;
p << wcall.p;
es << wcall.es;
@@
note_wrapper(wn, p, es)

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
dl_m(ps[0].file, "unheld", ps[0].line, ps[0].column, norm(A), "entry")

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
dl_m(ps[0].file, "unheld", ps[0].line, ps[0].column, norm(A), "release")

@script:python@
ps << site.ps;
f << sitef.f;
@@
blm_record(ps[0].file, f)

// ---------------------------------------------------------------------
// the cross-function decision
// ---------------------------------------------------------------------

@script:python blm_result@
@@
if dl_usable():
    blm_decide()
dl_dump()

// ---------------------------------------------------------------------
// context mode: marks the sites report mode reports (the calls of
// xfs_break_layouts() and of the wrappers that pass the obligation on)
// ---------------------------------------------------------------------

@ctx depends on context@
identifier g;
position ps : script:python() { blm_found(ps) };
@@
* g@ps(...)

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

// (include_match(False) is safe here: every rule after this one
// inherits lateok.ok, so an environment it drops, or the empty one
// spatch restarts from when it drops them all, only loses what no later
// rule could use; the finalize reads merged variables, not matches)
@script:python lateok@
R << late.R;
ip << late.ip;
I << sarg.A;
pl << late.pl;
ok;
@@
if not unmap_reason(R) or canon(ip, fkey(pl)) != canon(I, fkey(pl)):
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

@finalize:python@
found << merge.blm_findings;
@@
allf = []
for part in found:
    allf.extend(part)
for k in sorted(allf, key=lambda k: (k[0], int(k[2]), int(k[3]))):
    loc = BkLoc(*k[:5])
    msg = "[break-layouts-mmaplock] %s: %s" % (k[1], k[5])
    if "report" in MODE:
        coccilib.report.print_report(loc, "WARNING: " + msg)
    elif "org" in MODE:
        coccilib.org.print_todo(loc, msg)
