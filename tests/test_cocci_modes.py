"""Every Coccinelle rule in every virtual mode make coccicheck offers, on
its fixtures (report mode is tests/test_fixtures.py, patch mode
tests/test_patch_mode.py):

- context and org mode run clean: exit 0, no Python or spatch failure;
- org mode lists exactly the lines report mode must report;
- context mode stars exactly those lines for the rules whose context
  mode marks the findings (CONTEXT_MARKS_FINDINGS); the others star an
  approximation that their doc describes, and only have to run.

Also a static check of cocci.include_match(False): it drops a match's
whole environment, and when every environment goes spatch restarts from
an empty one, so a script may only use it when every later rule that
inherits from a rule before it also inherits from the script itself.
"""
import os
import re
import shlex
import subprocess
import unittest

import fixture_harness as fh

from daxlint_lib import catalog
from daxlint_lib.engines import cocci, cocci_spatch

CONTEXT_MARKS_FINDINGS = {
    "break-layouts-mmaplock", "dax-aops-select", "dax-entry-association",
    "devmap-put", "removed-api", "unmap-breaks-layouts",
}

FAILURE_RX = re.compile(r"Python failure|Failure in|EXN|cannot be evaluated|"
                        r"Fatal error|Traceback")
ORG_RX = re.compile(r"^\* TODO \[\[view:([^:]+)::face=[\w-]+::linb=(\d+)")


def _spatch(rule, mode, unit):
    hdr = cocci_spatch.read_header(cocci_spatch.rule_file(rule))
    opts = shlex.split(hdr.get("options", ""))
    while "--kbuild-info" in opts:
        i = opts.index("--kbuild-info")
        del opts[i:i + 2]
    cmd = (["spatch", "--sp-file", cocci_spatch.rule_file(rule)] +
           cocci_spatch.macro_options() +
           ["-D", mode, "-D", "profile=" + (unit.profile or "v5.15"),
            "--very-quiet", "--timeout", "120"] + opts + unit.files)
    return subprocess.run(cmd, cwd=fh.TOP, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True,
                          env=cocci_spatch.spatch_env())


def _starred(diff):
    """{(abs file, line)} of the lines a context-mode diff stars."""
    out, cur, ln = set(), None, 0
    for line in diff.splitlines():
        if line.startswith("--- "):
            cur = os.path.normpath(os.path.join(fh.TOP, line.split()[1]))
        elif line.startswith("+++ "):
            continue
        elif line.startswith("@@"):
            ln = int(re.match(r"@@ -(\d+)", line).group(1))
        elif line.startswith("-"):
            out.add((cur, ln))
            ln += 1
        elif line.startswith(" "):
            ln += 1
    return out


def _todos(text):
    out = set()
    for line in text.splitlines():
        m = ORG_RX.match(line)
        if m:
            out.add((os.path.normpath(os.path.join(fh.TOP, m.group(1))),
                     int(m.group(2))))
    return out


def _make_test(rule):
    def test(self):
        if not cocci.available():
            self.skipTest("spatch is not installed")
        probs = []
        for unit in fh.units(rule):
            want = {(f, n) for r, f, n in unit.expected_for("cocci")
                    if r == rule}
            for mode in ("context", "org"):
                p = _spatch(rule, mode, unit)
                if p.returncode or FAILURE_RX.search(p.stderr):
                    probs.append("%s -D %s: exit %d\n%s" % (
                        unit.name, mode, p.returncode, p.stderr[-1500:]))
                    continue
                if mode == "org":
                    got = _todos(p.stdout)
                elif rule in CONTEXT_MARKS_FINDINGS:
                    got = _starred(p.stdout)
                else:
                    continue
                for f, n in sorted(want - got):
                    probs.append("%s -D %s: %s:%d not marked" % (
                        unit.name, mode, os.path.relpath(f, fh.TOP), n))
                for f, n in sorted(got - want):
                    probs.append("%s -D %s: %s:%d marked" % (
                        unit.name, mode, os.path.relpath(f, fh.TOP), n))
        self.assertEqual(probs, [], "\n".join(probs))
    return test


class CocciModesTest(unittest.TestCase):
    """Generated: one test per Coccinelle rule of the catalog."""


def _generate():
    for rule in catalog.load().covered_by("cocci"):
        setattr(CocciModesTest, "test_modes_" + rule.replace("-", "_"),
                _make_test(rule))


_generate()


# ---- the static check of include_match(False) ----

HEADER_RX = re.compile(r"(?m)^@([^@\n]*)@[ \t]*$")


def _rules(text):
    """[(name, inherited rule names, body, header)] of a rule file, in
    order.  Header lines alternate: a rule's @header@, the @@ closing its
    declarations, then the next rule's header (unnamed rules get '#N')."""
    heads = list(HEADER_RX.finditer(text))
    out = []
    for i in range(0, len(heads) - 1, 2):
        h, close = heads[i], heads[i + 1]
        end = heads[i + 2].start() if i + 2 < len(heads) else len(text)
        words = h.group(1).replace(":", " : ").split()
        name = "#%d" % len(out)
        if words and words[0] in ("script", "initialize", "finalize"):
            rest = words[3:]    # script : python [name]
            if rest and rest[0] not in ("depends",):
                name = rest[0]
        elif words and words[0] not in ("depends", "disable", "exists",
                                        "forall"):
            name = words[0]
        decl = text[h.end():close.start()]
        inh = {m.group(1) for m in re.finditer(r"\b(\w+)\.\w+\b", decl)
               if m.group(1) not in ("virtual", "merge")}
        out.append((name, inh, text[close.end():end], h.group(1)))
    return out


class IncludeMatchTest(unittest.TestCase):
    def test_drops_lose_nothing_a_later_rule_reads(self):
        bad = []
        for rule in catalog.load().covered_by("cocci"):
            with open(cocci_spatch.rule_file(rule)) as f:
                rs = _rules(f.read())
            names = [r[0] for r in rs]
            for i, (name, inh, body, hdr) in enumerate(rs):
                code = "\n".join(
                    line for line in body.splitlines()
                    if not line.lstrip().startswith(("//", "#")))
                if hdr.startswith(("initialize", "finalize")) or not (
                        "include_match(False)" in code or
                        "ax_gate(" in code):
                    continue
                before = set(names[:i])
                for later, linh, _, lhdr in rs[i + 1:]:
                    if name in linh or name in lhdr.split():
                        continue
                    lost = sorted(linh & before)
                    if lost:
                        bad.append("%s: %s drops matches that %s reads "
                                   "(from %s)" % (rule, name, later,
                                                  ", ".join(lost)))
        self.assertEqual(bad, [], "\n".join(bad))


if __name__ == "__main__":
    unittest.main()
