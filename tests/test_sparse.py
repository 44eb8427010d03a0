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
import shutil
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
# directory fixtures whose entry point's unit shows no DAX inodes of its
# own and calls no function of a unit that does: the DAX aops sits alone in
# aops.c, which no other file calls into.  One unit (the fixture harness)
# sees it; kbuild's units do not (docs/rules/unmap-breaks-layouts.md).
NO_DAX_EVIDENCE_ACROSS_UNITS = {
    "bad-own-block-free", "bad-remap-dest", "bad-setattr-setsize",
    "bad-setattr-shared-helper",
}


def split_units(files, include, rule="unmap-breaks-layouts"):
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
                   "DAXLINT_SPARSE_RULES": rule}
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


def _make_split_case(d, rule):
    expect = re.compile(r"/\* expect: %s \*/" % re.escape(rule))

    def test(self):
        files = sorted(glob.glob(os.path.join(d, "*.c")))
        want = set()
        for f in files:
            with open(f) as fh:
                for n, line in enumerate(fh, 1):
                    if expect.search(line):
                        want.add((os.path.basename(f), n))
        got = split_units(files, INCLUDE, rule)
        self.assertEqual(got, want, d)
    return test


for _d in sorted(glob.glob(os.path.join(FIXTURES, "*", ""))):
    _b = os.path.basename(os.path.dirname(_d))
    if _b in NO_DAX_EVIDENCE_ACROSS_UNITS:
        continue
    setattr(CrossUnit, "test_split_" + re.sub(r"\W", "_", _b),
            _make_split_case(os.path.dirname(_d), "unmap-breaks-layouts"))
# evict-break-final's directory fixtures: the eviction, its helpers and
# the evidence of DAX inodes in different units (the directory's record)
for _d in sorted(glob.glob(os.path.join(TESTS, "fixtures",
                                        "evict-break-final", "*", ""))):
    _b = os.path.basename(os.path.dirname(_d))
    setattr(CrossUnit, "test_split_evict_" + re.sub(r"\W", "_", _b),
            _make_split_case(os.path.dirname(_d), "evict-break-final"))


class Layout(unittest.TestCase):
    """docs/sparse.md, "Layout": the plugin's include graph (its own
    #include "..." lines, sparse's headers left out) has no cycle."""

    def test_include_graph_has_no_cycle(self):
        plugin = os.path.join(TOP, "sparse-plugin")
        graph = {}
        for f in os.listdir(plugin):
            if f.endswith((".c", ".h", ".def")):
                with open(os.path.join(plugin, f)) as fh:
                    graph[f] = [h for h in re.findall(
                        r'(?m)^\s*#\s*include\s+"([^"]+)"', fh.read())
                        if os.path.exists(os.path.join(plugin, h))]
        done, path = set(), []

        def visit(f):
            if f in path:
                self.fail("include cycle: " +
                          " -> ".join(path[path.index(f):] + [f]))
            if f in done:
                return
            path.append(f)
            for h in graph[f]:
                visit(h)
            path.pop()
            done.add(f)

        for f in sorted(graph):
            visit(f)


# ---- adding a check: the walk-through of docs/writing-rules.md -------------
WALK_DOC = os.path.join(TOP, "docs", "writing-rules.md")
WALK_TITLE = "## Walk-through: adding a sparse check"
# a step: <!-- walk-through: ACTION [PATH] --> and the code block after it
WALK_RX = re.compile(r"<!-- walk-through: (\w+)(?: (\S+))? -->\n"
                     r"```\w*\n(.*?)```", re.S)
# what a build or a run leaves in a checkout (.gitignore), and git's own
COPY_IGNORE = shutil.ignore_patterns(".git", "build", "__pycache__",
                                     "*.pyc", "*.o")


def walk_through_steps():
    """The section's steps, in order: (action, path, block text)."""
    with open(WALK_DOC) as fh:
        text = fh.read()
    sec = text[text.index(WALK_TITLE):]
    sec = sec[:sec.index("\n## ", len(WALK_TITLE))]
    return [m.groups() for m in WALK_RX.finditer(sec)]


def tree_files(root):
    """Relative path -> content of the files under ROOT that a copy
    takes (COPY_IGNORE)."""
    out = {}
    for d, dirs, files in os.walk(root):
        drop = COPY_IGNORE(d, dirs + files)
        dirs[:] = [x for x in dirs if x not in drop]
        for f in files:
            if f in drop:
                continue
            path = os.path.join(d, f)
            with open(path, "rb") as fh:
                out[os.path.relpath(path, root)] = fh.read()
    return out


def catalog_append(path, entry):
    """ENTRY (an object's text) as the last rule of the catalog PATH, the
    way it is written by hand: after the last one, before the list's
    closing bracket."""
    with open(path) as fh:
        text = fh.read()
    end = re.search(r"\n(\s*)\}\n\s*\]\n\}\s*$", text)
    with open(path, "w") as fh:
        fh.write(text[:end.start()] + "\n%s}," % end.group(1) + "\n" +
                 entry.rstrip("\n") + text[end.end(1) + 1:])


class AddingACheck(unittest.TestCase):
    """Issue 8: a sparse check is its check_<name>.c, its line in
    checks.def and its catalog entry, nothing else.  The doc's
    walk-through is done on a copy of the repository (the object files of
    this checkout reused: what the new checks.def line reaches is built
    again, about half a minute on two cores); the copy must build, pass
    the wiring tests and report the example's finding, with only those
    three files edited."""

    def setUp(self):
        ok, reason = built()
        if not ok:
            self.skipTest("daxlint-sparse cannot be built: " + reason)

    def test_walk_through(self):
        steps = walk_through_steps()
        self.assertEqual([s[0] for s in steps],
                         ["write", "append", "catalog", "try", "expect"])
        with tempfile.TemporaryDirectory(prefix="daxlint-walk-") as tmp:
            repo = os.path.join(tmp, "repo")
            shutil.copytree(TOP, repo, ignore=COPY_IGNORE)
            edited = set()
            for action, path, text in steps:
                if action == "write":
                    with open(os.path.join(repo, path), "w") as fh:
                        fh.write(text)
                elif action == "append":
                    with open(os.path.join(repo, path), "a") as fh:
                        fh.write(text)
                elif action == "catalog":
                    catalog_append(os.path.join(repo, path), text)
                elif action == "try":
                    example = os.path.join(tmp, path)
                    with open(example, "w") as fh:
                        fh.write(text)
                    continue
                else:
                    expect = text.split()
                    continue
                edited.add(path)
            rule = expect[0]

            # only the three files differ from this checkout
            orig, new = tree_files(TOP), tree_files(repo)
            changed = {f for f in set(orig) | set(new)
                       if orig.get(f) != new.get(f)}
            self.assertEqual(changed, edited)
            self.assertEqual(len(edited), 3)

            # build it, reusing this checkout's objects (their times
            # kept: make rebuilds what the edited files reach)
            src = os.path.join(TOP, "sparse-plugin", "build")
            dst = os.path.join(repo, "sparse-plugin", "build")
            os.makedirs(dst)
            for f in os.listdir(src):
                if f.endswith((".o", ".d")):
                    shutil.copy2(os.path.join(src, f), dst)
            env = dict(os.environ)
            try:
                with open(os.path.join(src, ".sparse-dir")) as fh:
                    env["SPARSE_DIR"] = fh.read().strip()
            except OSError:
                pass            # make asks build-sparse.sh
            p = subprocess.run(["make", "-C",
                                os.path.join(repo, "sparse-plugin"), "-j2"],
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=env)
            self.assertEqual(p.returncode, 0, p.stdout[-3000:])
            self.assertNotIn("warning:", p.stdout)

            # the copy's own wiring tests accept it
            tenv = dict(env)
            tenv["PYTHONPATH"] = os.pathsep.join([
                os.path.join(repo, "kernel-integration"),
                os.path.join(repo, "tests")])
            p = subprocess.run(
                [sys.executable, "-m", "unittest",
                 "test_catalog.Catalog.test_fields",
                 "test_catalog.Catalog.test_sparse_checks_match_catalog",
                 "test_api.SparsePrefilter.test_rules_and_names"],
                cwd=os.path.join(repo, "tests"), stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, text=True, env=tenv)
            self.assertEqual(p.returncode, 0, p.stdout[-3000:])

            # the driver of the copy reports the example's finding
            p = subprocess.run(
                [sys.executable,
                 os.path.join(repo, "kernel-integration", "daxlint"),
                 "check", "-q", "--format", "json", "--engines", "sparse",
                 "--profile", "v5.15", "--rules", rule, example],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                env=env)
            self.assertEqual(p.returncode, 1, p.stderr)
            rep = json.loads(p.stdout)
            self.assertEqual(rep["errors"], [])
            got = []
            for f in rep["findings"]:
                got += [f["rule"], str(f["line"]), f["function"]]
            self.assertEqual(got, expect)


if __name__ == "__main__":
    unittest.main()
