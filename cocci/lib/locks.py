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
