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
