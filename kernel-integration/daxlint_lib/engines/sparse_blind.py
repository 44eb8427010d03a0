"""The sparse engine's blind spots: error records for what the checker
could not check -- sparse's own errors in a unit (one record a function),
a checker that stopped before the end of its unit -- each naming the
rules whose APIs the unit or function names."""
import os
import re

from ..findings import tool_error
from ..srcfiles import read_text
from .sparse_select import rules_named_in


def enclosing_function(path, line):
    """(name, text) of the function whose body holds LINE of PATH, kernel
    style (the body's braces in column 0), or (None, that line)."""
    lines = read_text(path).splitlines()
    cand, start = None, None
    for i, l in enumerate(lines[:line], 1):
        m = re.match(r"[A-Za-z_][^;=]*?\b(\w+)\s*\(", l)
        if m and start is None:
            cand = (m.group(1), i)
        elif l.startswith("{") and cand:
            start = cand
        elif l.startswith("}"):
            start, cand = None, None
    if start is None:
        return None, lines[line - 1] if 0 < line <= len(lines) else ""
    end = start[1]
    while end < len(lines) and not lines[end].startswith("}"):
        end += 1
    return start[0], "\n".join(lines[start[1] - 1:end + 1])


ERROR_RX = re.compile(r"^(.*?):(\d+):(\d+): error: (.*)$")


def sparse_error_records(lines, root, rules, rel=None, unmap_dir=None):
    """Sparse's "error:" lines of a checked unit as error records, one a
    function: an error can cut the analysis of the function it is in.
    UNMAP_DIR(file): whether the file's directory is a DAX filesystem's."""
    out, seen = [], {}
    for l in lines:
        m = ERROR_RX.match(l)
        if not m:
            continue
        path = os.path.join(root, m.group(1))
        line = int(m.group(2))
        fn, text = enclosing_function(path, line)
        f = rel(path) if rel else os.path.relpath(path, root)
        key = (f, fn or line)
        if key in seen:
            seen[key]["n"] += 1
            continue
        seen[key] = {"n": 1, "rec": tool_error(
            "sparse", "sparse error: %s" % m.group(4), file=f, line=line,
            function=fn, rules=rules_named_in(
                text, rules, unmap_dir(f) if unmap_dir else None))}
        out.append(seen[key])
    for e in out:
        if e["n"] > 1:
            e["rec"]["reason"] += " (and %d more error(s) there)" % (
                e["n"] - 1)
    return [e["rec"] for e in out]


# what daxlint-sparse prints when it stops before the end of its unit
# (main.c), and the status it then exits with
STOP_MARK = "daxlint-sparse: checker stopped: "
EXIT_STOPPED = 70


def stop_reason(log, rc=None):
    """Why the checker did not finish a unit it was started on, from its
    log (and exit status when known): always a checker failure, never a
    build failure."""
    lines = [l for l in log.splitlines() if l.strip()]
    marks = [l[len(STOP_MARK):] for l in lines if l.startswith(STOP_MARK)]
    before = [l for l in lines if not l.startswith(STOP_MARK)]
    last = (": " + before[-1].strip()[:300]) if before else ""
    if marks and marks[0].startswith("fatal signal"):
        return "checker crashed (%s)" % marks[0]
    if marks:
        return "checker died (sparse die()/error_die())%s" % last
    if rc == EXIT_STOPPED:
        return "checker died (sparse die()/error_die())%s" % last
    if rc is not None and (rc < 0 or rc >= 128):
        return "checker crashed (signal %d)" % (-rc if rc < 0 else rc - 128)
    return "checker stopped before the end of the unit (%s)%s" % (
        "exit status %d" % rc if rc is not None else "killed?", last)
