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
# bookkeeping beside a lock call: an assignment that calls nothing
LW_BOOK_RX = lw_re.compile(r"[A-Za-z_][\w.>-]*\s*[|&+-]?=\s*[^=(){};]+")
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
    # split on the commas only: removing the blanks, as lw_split does,
    # would glue a type to its name (uint flags)
    for piece in P.split(","):
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


def lw_body_call(body):
    """lw_call of the braced BODY of a function, also when the one call
    is followed or preceded by bookkeeping: assignments that call nothing
    (xchk_ilock() records the flags it took in its context)."""
    c = lw_call(body)
    if c:
        return c
    s = body.strip()
    if not (s.startswith("{") and lw_close(s, 0) == len(s) - 1):
        return None
    stmts, depth, cur = [], 0, ""
    for ch in s[1:-1]:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == ";" and depth == 0:
            stmts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip() or depth:
        return None
    calls = []
    for st in stmts:
        if not st:
            continue
        if LW_BOOK_RX.fullmatch(st):
            continue
        c = lw_call(st)
        if not c:
            return None
        calls.append(c)
    return calls[0] if len(calls) == 1 else None


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
            c = lw_body_call(text[m.end() - 1:end + 1]) if end > 0 else None
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
