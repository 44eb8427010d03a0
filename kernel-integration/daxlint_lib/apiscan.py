"""Find kernel API names kept by hand outside the API table.

The table (api.py) is the one hand-written list of the kernel API; the
engines take their names from it.  This scanner finds the string literals
of Python code (daxlint_lib, cocci/lib, the Python of .cocci rules outside
their generated sections) that spell a table name as a list element or
inside a regular expression: a literal that is exactly a name, or one
with regex syntax (|, \\b, \\w, \\s, ^, $) that holds a name as a word.
A message ("xfs_break_layouts(BREAK_UNMAP) without ...") is no list.
"""
import glob
import os
import re

from . import TOP, api

STRING_RX = re.compile(r"""[rRbBuU]?("[^"\n]*"|'[^'\n]*')""")
WORD_RX = re.compile(r"[A-Za-z_]\w*")
ESCAPE_RX = re.compile(r"\\[A-Za-z]")
REGEXY_RX = re.compile(r"\||\\[bws]|^\^|\$$")
GENERATED_RX = re.compile(
    r"^# ---- generated from (\S+) by cocci/generate\.py: do not edit\n"
    r".*?^# ---- end of \1$", re.S | re.M)


def python_lines(path):
    """(line number, text) of the Python code of PATH: a .py file whole,
    a .cocci file's script blocks without their generated sections."""
    with open(path) as fh:
        text = fh.read()
    if not path.endswith(".cocci"):
        return list(enumerate(text.split("\n"), 1))
    text = GENERATED_RX.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    out, inpy = [], False
    for n, line in enumerate(text.split("\n"), 1):
        if line.startswith("@"):
            inpy = "python" in line or (inpy and line.startswith("@@"))
            continue
        if inpy:
            out.append((n, line))
    return out


def hand_kept(path, names):
    """(line, name) of every table name PATH keeps in a list or regex."""
    hits = []
    for n, line in python_lines(path):
        code = line.split("#", 1)[0] if line.lstrip().startswith("#") \
            else line
        for m in STRING_RX.finditer(code):
            s = m.group(1)[1:-1]
            if s in names:
                hits.append((n, s))
            elif REGEXY_RX.search(s):
                # \\b, \\w ... are no part of a word
                hits.extend((n, w) for w in WORD_RX.findall(
                    ESCAPE_RX.sub(" ", s)) if w in names)
    return hits


def sources(top=TOP):
    """The hand-written Python that could keep an API list."""
    ki = os.path.join(top, "kernel-integration")
    lib = os.path.join(ki, "daxlint_lib")
    # the package and its subpackages (the engines)
    out = sorted(glob.glob(os.path.join(lib, "**", "*.py"), recursive=True))
    out = [p for p in out if os.path.relpath(p, lib) not in ("api.py",
                                                             "apiscan.py")]
    out.append(os.path.join(ki, "daxlint"))
    out += sorted(glob.glob(os.path.join(top, "cocci", "lib", "*.py")))
    out.append(os.path.join(top, "cocci", "generate.py"))
    out += sorted(glob.glob(os.path.join(top, "cocci", "*.cocci")))
    return out


def scan(top=TOP):
    names = set(api.all_names())
    return [(os.path.relpath(p, top), n, w) for p in sources(top)
            for n, w in hand_kept(p, names)]
