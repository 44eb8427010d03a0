"""The sparse engine itself (sparse-plugin/daxlint-sparse).

tests/sparse/*.c are written in sparse's validation-suite style:

  /*
   * check-name: what the test is about
   * check-command: daxlint-sparse -I../../kernel-integration/include $file
   *
   * check-error-start
  file.c:LINE:COL: warning: [rule] function: message
   * check-error-end
   */

The command runs in tests/sparse/ and its daxlint lines ("warning: [rule]")
must be exactly the expected block, in order; sparse's own diagnostics are
not part of the comparison.  The shared fixtures run through this engine in
test_fixtures.py once the catalog lists "sparse" for their rule.
"""
import glob
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(TESTS)
sys.path.insert(0, os.path.join(TOP, "kernel-integration"))
from daxlint_lib import INCLUDE  # noqa: E402
from daxlint_lib.engines import sparse_checker  # noqa: E402

VALIDATION = os.path.join(TESTS, "sparse")
FINDING_RX = re.compile(r"^\S+:\d+:\d+: warning: \[[a-z0-9-]+\] ")

_BUILT = None


def built():
    """(ok, reason): daxlint-sparse built from Debian's sparse source."""
    global _BUILT
    if _BUILT is None:
        try:
            ok = sparse_checker.build(lambda s: None)
        except OSError as exc:
            ok = False
            reason = str(exc)
        else:
            reason = "make -C sparse-plugin failed (no sparse source " \
                     "package or compiler)"
        _BUILT = (ok, reason)
    return _BUILT


def parse(path):
    with open(path) as fh:
        text = fh.read()
    name = re.search(r"check-name:\s*(.*)", text).group(1).strip()
    cmd = re.search(r"check-command:\s*(.*)", text).group(1).strip()
    block = re.search(r"check-error-start\n(.*?)\s*\* check-error-end",
                      text, re.S)
    expected = [l for l in (block.group(1).splitlines() if block else [])
                if l.strip()]
    return name, cmd, expected


def run_checker(args, cwd, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([sparse_checker.BINARY] + args, cwd=cwd,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, env=e)


class ValidationSuite(unittest.TestCase):
    def setUp(self):
        ok, reason = built()
        if not ok:
            self.skipTest("daxlint-sparse cannot be built: " + reason)

    def test_validation_files_exist(self):
        self.assertGreaterEqual(len(glob.glob(os.path.join(VALIDATION,
                                                           "*.c"))), 8)


def _make_case(path):
    def test(self):
        name, cmd, expected = parse(path)
        argv = shlex.split(cmd)
        self.assertEqual(argv[0], "daxlint-sparse", path)
        argv = [os.path.basename(path) if a == "$file" else a
                for a in argv[1:]]
        p = run_checker(argv, VALIDATION, {"DAXLINT_SPARSE_RULES": ""})
        self.assertEqual(p.returncode, 0, p.stderr)
        got = [l for l in p.stderr.splitlines() if FINDING_RX.match(l)]
        self.assertEqual(got, expected, "%s (%s)" % (name, path))
    return test


for _p in sorted(glob.glob(os.path.join(VALIDATION, "*.c"))):
    _n = "test_" + re.sub(r"\W", "_", os.path.basename(_p)[:-2])
    setattr(ValidationSuite, _n, _make_case(_p))


class Interface(unittest.TestCase):
    """daxlint-sparse as kbuild's CHECK= program and as the driver's."""

    def setUp(self):
        ok, reason = built()
        if not ok:
            self.skipTest("daxlint-sparse cannot be built: " + reason)

    def test_accepts_kbuild_checkflags(self):
        # CHECKFLAGS and c_flags of an x86_64 kbuild run
        flags = ["-D__linux__", "-Dlinux", "-D__STDC__", "-Dunix",
                 "-D__unix__", "-Wbitwise", "-Wno-return-void",
                 "-Wno-unknown-attribute", "-D__x86_64__", "--arch=x86",
                 "-mlittle-endian", "-m64", "-Wp,-MMD,/dev/null", "-nostdinc",
                 "-I" + INCLUDE, "-D__KERNEL__", "-fmacro-prefix-map=./=",
                 "-Wall", "-Wundef", "-Werror=strict-prototypes",
                 "-fno-strict-aliasing", "-fno-common", "-fshort-wchar",
                 "-fno-PIE", "-std=gnu11", "-mno-sse", "-mno-mmx",
                 "-mcmodel=kernel", "-O2", "-fno-stack-protector",
                 "-DKBUILD_MODFILE='\"fs/x\"'", "-DKBUILD_BASENAME='\"x\"'",
                 "-DKBUILD_MODNAME='\"x\"'", "-D__KBUILD_MODNAME=kmod_x",
                 "-Wno-pointer-sign", "-fno-delete-null-pointer-checks"]
        p = run_checker(flags + ["loop.c"], VALIDATION)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("[busy-page-locked] loop_drops:", p.stderr)

    def test_sparse_warnings_are_not_findings(self):
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "plain.c")
            with open(src, "w") as fh:
                fh.write("int not_static(void) { return 0; }\n")
            js = os.path.join(tmp, "out.json")
            p = run_checker([src], tmp, {"DAXLINT_SPARSE_JSON": js})
            self.assertIn("not declared", p.stderr)   # sparse's own
            self.assertFalse(os.path.exists(js) and os.path.getsize(js))

    def test_quiet_keeps_only_findings(self):
        p = run_checker(["-I" + INCLUDE, "loop.c"], VALIDATION,
                        {"DAXLINT_SPARSE_QUIET": "1"})
        lines = [l for l in p.stderr.splitlines() if l.strip()]
        self.assertTrue(lines)
        self.assertTrue(all(FINDING_RX.match(l) for l in lines), lines)

    def test_json_output(self):
        with tempfile.TemporaryDirectory() as tmp:
            js = os.path.join(tmp, "out.json")
            run_checker(["-I" + INCLUDE, "callee.c"], VALIDATION,
                        {"DAXLINT_SPARSE_JSON": js,
                         "DAXLINT_SPARSE_RULES": "busy-page-locked"})
            with open(js) as fh:
                rows = [json.loads(l) for l in fh if l.strip()]
        self.assertEqual(sorted((r["rule"], r["line"], r["function"])
                                for r in rows),
                         [("busy-page-locked", 51, "callee_unlocked_by_helper"),
                          ("busy-page-locked", 58, "callee_entry_unlocked")])

    def test_rule_selection(self):
        p = run_checker(["-I" + INCLUDE, "goto.c"], VALIDATION,
                        {"DAXLINT_SPARSE_RULES": "busy-page-wait",
                         "DAXLINT_SPARSE_QUIET": "1"})
        rules = set(re.findall(r"\[([a-z-]+)\]", p.stderr))
        self.assertEqual(rules, {"busy-page-wait"})

    def test_gup_rule_needs_v7(self):
        # without the v7 stubs there is no dax_layout_lock: rule silent
        p = run_checker(["-I" + INCLUDE, "early-return.c"], VALIDATION,
                        {"DAXLINT_SPARSE_QUIET": "1"})
        self.assertNotIn("gup-layout-lock", p.stdout + p.stderr)

    def test_driver_standalone(self):
        daxlint = os.path.join(TOP, "kernel-integration", "daxlint")
        p = subprocess.run(
            [sys.executable, daxlint, "check", "-q", "--format", "json",
             "--engines", "sparse", "--profile", "v5.15",
             "--rules", "break-layouts-mmaplock",
             os.path.join(VALIDATION, "nested.c")],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        rep = json.loads(p.stdout)
        self.assertEqual(rep["errors"], [])
        self.assertEqual(sorted(f["line"] for f in rep["findings"]),
                         [23, 36, 62])
        self.assertTrue(all(f["engines"] == ["sparse"]
                            for f in rep["findings"]))


# ---- unmap-breaks-layouts across translation units ------------------------
FIXTURES = os.path.join(TESTS, "fixtures", "unmap-breaks-layouts")
EXPECT_RX = re.compile(r"/\* expect: unmap-breaks-layouts \*/")
# directory fixtures whose entry point's unit shows no DAX inodes of its
# own and calls no function of a unit that does: the DAX aops sits alone in
# aops.c, which no other file calls into.  One unit (the fixture harness)
# sees it; kbuild's units do not (docs/rules/unmap-breaks-layouts.md).
NO_DAX_EVIDENCE_ACROSS_UNITS = {
    "bad-own-block-free", "bad-remap-dest", "bad-setattr-setsize",
    "bad-setattr-shared-helper",
}


def split_units(files, include):
    """Check each file as its own translation unit, the way the driver
    checks a kernel tree: the first round with an empty summary database
    writes the summaries, every later round checks all units again with
    the previous round's, until they no longer change.  The findings of the
    last round, as (file name, line)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "empty")
        open(db, "w").close()
        prev = None
        # the stub's declarations of the fixture's profile (its first line)
        profile = "v5.15"
        with open(files[0]) as fh:
            m = re.search(r"daxlint:\s*profile=([\w.]+)", fh.readline())
            if m:
                profile = m.group(1)
        define = "-D%s=1" % sparse_checker.PROFILE_DEFINE[profile]
        for rnd in range(6):
            out = os.path.join(tmp, "sum%d" % rnd)
            js = os.path.join(tmp, "findings%d.json" % rnd)
            open(out, "w").close()
            env = {"DAXLINT_SPARSE_SUMMARY_OUT": out,
                   "DAXLINT_SPARSE_SUMMARIES": db,
                   "DAXLINT_SPARSE_JSON": js,
                   "DAXLINT_SPARSE_RULES": "unmap-breaks-layouts"}
            for f in files:
                p = run_checker(["-I", os.path.dirname(f), "-I", include,
                                 define, f],
                                os.path.dirname(f), env)
                if p.returncode != 0:
                    raise AssertionError("%s: %s" % (f, p.stderr[-2000:]))
            with open(out) as fh:
                text = fh.read()
            if text == prev:
                break
            prev, db = text, out
        got = set()
        if os.path.exists(js):
            with open(js) as fh:
                for line in fh:
                    if line.strip():
                        r = json.loads(line)
                        got.add((os.path.basename(r["file"]), r["line"]))
        return got


class CrossUnit(unittest.TestCase):
    """The rule's directory fixtures, each file its own unit: the
    truncations, layout breaks and entry points of other units come from
    the summaries (summary_db.c), and every expected finding is reported,
    nothing else."""

    def setUp(self):
        ok, reason = built()
        if not ok:
            self.skipTest("daxlint-sparse cannot be built: " + reason)


def _make_split_case(d):
    def test(self):
        files = sorted(glob.glob(os.path.join(d, "*.c")))
        want = set()
        for f in files:
            with open(f) as fh:
                for n, line in enumerate(fh, 1):
                    if EXPECT_RX.search(line):
                        want.add((os.path.basename(f), n))
        got = split_units(files, INCLUDE)
        self.assertEqual(got, want, d)
    return test


for _d in sorted(glob.glob(os.path.join(FIXTURES, "*", ""))):
    _b = os.path.basename(os.path.dirname(_d))
    if _b in NO_DAX_EVIDENCE_ACROSS_UNITS:
        continue
    setattr(CrossUnit, "test_split_" + re.sub(r"\W", "_", _b),
            _make_split_case(os.path.dirname(_d)))


if __name__ == "__main__":
    unittest.main()
