"""What clang-tidy-16 prints for our checks: findings, and error records
for what it could not check (a check's "not checked: ..." warning, a
compile error of the unit)."""
import os
import re

from ..findings import Finding, tool_error
from .tidy_plugin import PREFIX

# file:line:col: warning: <function>: <detail> [daxlint-<rule>]
DIAG_RX = re.compile(r"^(.+?):(\d+):(\d+): (?:warning|error): "
                     r"(?:(\S+): )?(.*) \[" + re.escape(PREFIX) +
                     r"([a-z0-9-]+)\]$")
# what a check prints, as a warning of its own, for a place it could not
# analyse (GupLayoutLockCheck: a function without a CFG): an error record
NOT_CHECKED = "not checked: "
# a compile error of the unit: what was not checked
ERROR_RX = re.compile(r"^(.+?):(\d+):(\d+): error: (.*?)"
                      r"(?: \[clang-diagnostic-[\w-]+\])?$")
# the rule whose finding explains the compile errors of its line: code that
# names an API this tree does not have (a backport) does not compile there,
# and the finding says why; the rest of the unit is checked as usual
EXPLAINS_ERRORS = "removed-api"


def parse(output, root, rules):
    """Findings and error records from clang-tidy's output."""
    findings, errors = [], []
    for line in output.splitlines():
        m = DIAG_RX.match(line)
        if m:
            f, ln, col, func, detail, rule = m.groups()
            if rule not in rules:
                continue
            rel = os.path.relpath(os.path.abspath(f), root)
            if detail.startswith(NOT_CHECKED):
                # a check's blind spot: the rule cannot claim clean there
                errors.append(tool_error("tidy", detail, file=rel,
                                         line=int(ln), function=func,
                                         rules=[rule]))
                continue
            findings.append(Finding(rule, rel, ln, col, func, "tidy",
                                    detail))
            continue
        m = ERROR_RX.match(line)
        if m:
            errors.append(tool_error(
                "tidy", "clang: " + m.group(4),
                file=os.path.relpath(os.path.abspath(m.group(1)), root),
                line=int(m.group(2)), rules=list(rules)))
    explained = set((f.file, int(f.line)) for f in findings
                    if f.rule == EXPLAINS_ERRORS)
    return findings, [e for e in errors if e["reason"].startswith(
        NOT_CHECKED) or (e["file"], e["line"]) not in explained]
