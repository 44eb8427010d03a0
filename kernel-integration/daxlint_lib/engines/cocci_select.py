"""The Coccinelle engine's candidate selection: which files each rule's
spatch run must see.  A rule's // Prefilter: (an extended regex) picks the
files that can match (one grep for all rules); a directory rule gets the
directories of those files, less those that only implement the API
(// Prefilter-own-calls: no), and in each the callers' closure of what
matches (callers_closure), or every file (directory-all).  The function
scan of kernel-style C text is shared with the blind-spot check."""
import os
import re

from ..srcfiles import c_files, grep, within
from .cocci_spatch import read_header, rule_file

IDENT_RX = re.compile(r"[A-Za-z_]\w*")
COMMENT_RX = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
_NAME_RX = re.compile(r"\b([A-Za-z_]\w*)\s*\(")
NOT_NAMES = {"__attribute__", "__printf", "__releases", "__acquires",
             "__must_hold", "__cold", "__no_sanitize_address", "if",
             "while", "for", "switch", "sizeof", "typeof"}


def function_blocks(text):
    """(header, first header line, body lines) of each function TEXT
    defines, in kernel style: a header ending at column 0 in a line that
    is just "{", the body ending at a line that starts with "}".  Lines
    are 0-based indexes into TEXT with comments blanked; body lines are
    the half-open range from the "{" to the closing "}"."""
    out = []
    text = COMMENT_RX.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    lines = text.split("\n")
    header, first = [], None
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if line == "{" and header:
            j = i + 1
            while j < n and not lines[j].startswith("}"):
                j += 1
            out.append((" ".join(header), first, (i, j), lines))
            header, first = [], None
            i = j + 1
            continue
        if not line.strip() or line.startswith(("}", "#")) or \
                line.rstrip().endswith(";"):
            header, first = [], None
        elif not line[0].isspace() or header:
            if not header:
                first = i
            header.append(line)
        i += 1
    return out


def _functions(text):
    """(name, body) of the functions TEXT defines (function_blocks)."""
    out = []
    for header, _, (i, j), lines in function_blocks(text):
        names = [x for x in _NAME_RX.findall(header) if x not in NOT_NAMES]
        if names:
            out.append((names[0], "\n".join(lines[i + 1:j])))
    return out


def closure_tokens(files, seed_rx, functions):
    """The functions of FILES whose body matches SEED_RX or mentions such a
    function, to a fixed point; FUNCTIONS gives a file's (name, body)
    pairs (SourceReader.functions)."""
    defs = []
    for f in files:
        for name, body in functions(f):
            defs.append((name, set(IDENT_RX.findall(body)),
                         bool(seed_rx.search(body))))
    tokens = {name for name, _, seeded in defs if seeded}
    changed = bool(tokens)
    while changed:
        changed = False
        for name, idents, _ in defs:
            if name not in tokens and idents & tokens:
                tokens.add(name)
                changed = True
    return tokens


def callers_closure(texts, seed_rx, functions):
    """The files of one directory a cross-function rule needs: those that
    match SEED_RX, and those that mention a function whose body matches
    SEED_RX or mentions such a function, to a fixed point (the callers, and
    the operation tables naming them, of everything the rule looks for)."""
    tokens = closure_tokens(texts, seed_rx, functions)
    out = []
    for f, t in texts.items():
        if seed_rx.search(t) or (tokens and
                                 tokens & set(IDENT_RX.findall(t))):
            out.append(f)
    return sorted(out)


class SourceReader:
    """ROOT's files, each read once when called with its path, and the
    functions each defines, scanned once (the selection of several rules
    looks at the same directories)."""

    def __init__(self, root):
        self.root = root
        self._texts = {}
        self._functions = {}

    def __call__(self, f):
        if f not in self._texts:
            with open(os.path.join(self.root, f), errors="replace") as fh:
                self._texts[f] = fh.read()
        return self._texts[f]

    def functions(self, f):
        """(name, body) of the functions file F defines (_functions)."""
        if f not in self._functions:
            self._functions[f] = _functions(self(f))
        return self._functions[f]


def directory_selected(root, d, rx, own_calls=True, text=None):
    """Does a .c file of directory D (not below) match the prefilter RX?
    Without OWN_CALLS, a match whose first group is a function that a .c
    file of D defines does not count."""
    text = text or SourceReader(root)
    try:
        files = [os.path.join(d, fn) for fn in sorted(os.listdir(
            os.path.join(root, d))) if fn.endswith(".c")]
    except OSError:
        return False
    defined = None
    for f in files:
        for m in rx.finditer(text(f)):
            if own_calls or not m.group(1):
                return True
            if defined is None:
                defined = set(n for g in files for n, _ in text.functions(g))
            if m.group(1) not in defined:
                return True
    return False


def candidates(root, paths, rules):
    """{rule: [files]}: the files each rule's spatch run must see."""
    headers = {r: read_header(rule_file(r)) for r in rules}
    regexes = {r: h.get("prefilter", "") for r, h in headers.items()}
    union = "|".join("(%s)" % rx for rx in regexes.values() if rx)
    pool = grep(root, paths, union) if union else []
    everything = None
    text = SourceReader(root)

    out = {}
    for r in rules:
        rx = regexes[r]
        if not rx:
            if everything is None:
                everything = c_files(root, paths)
            out[r] = everything
            continue
        crx = re.compile(rx)
        hits = [f for f in pool if crx.search(text(f))]
        scope = headers[r].get("scope", "file")
        if scope in ("directory", "directory-all"):
            dirs = sorted(set(os.path.dirname(f) for f in hits))
            if headers[r].get("prefilter-own-calls") == "no":
                dirs = [d for d in dirs if directory_selected(
                    root, d, crx, False, text)]
            hits = []
            for d in dirs:
                members = [f for f in c_files(root, [d or "."])
                           if os.path.dirname(f) == d and within(f, paths)]
                if scope == "directory":
                    members = callers_closure({f: text(f) for f in members},
                                              crx, text.functions)
                hits += members
        out[r] = sorted(set(hits))
    return out
