"""The tidy engine: the clang-tidy module (clang-checker/) and its glue
(kernel-integration/daxlint_lib/engines/tidy*.py).

- the module's own tests, clang-tidy style (// CHECK-MESSAGES: /
  // CHECK-FIXES:), in clang-checker/test/, run by LLVM 16's lit;
- the shared fixtures of every rule the engine runs (covered or preview
  in the catalog) through `daxlint check --engines tidy`;
- a run that could not check (a plugin that did not load, the LLVM 14
  clang-tidy, a tree it cannot build) exits 2, never "clean";
- clang-tidy-16 --fix on the bad fixtures gives code that compiles, and
  the fixable ones re-check clean;
- daxlint-clang-tidy, the editors' clang-tidy: our checks added to the
  editor's, its flags kept, LLVM 14 refused; the PATH shim that the
  kernel's make clang-tidy runs.

Skipped when LLVM 16 is not installed; the suite's bootstrap
(bootstrap.sh test) installs it, and run_tests.py counts such a skip as
a failure unless DAXLINT_TESTS_WITHOUT is set.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(TESTS)
sys.path.insert(0, TESTS)
sys.path.insert(0, os.path.join(TOP, "kernel-integration"))
import fixture_harness  # noqa: E402
from daxlint_lib import INCLUDE, catalog, subrun  # noqa: E402
from daxlint_lib.engines import (sparse_checker, tidy, tidy_output,  # noqa: E402
                                 tidy_plugin)

LIT = "/usr/lib/llvm-16/build/utils/lit/lit.py"
LIT_TESTS = os.path.join(TOP, "clang-checker", "test")
# fixture units one translation unit cannot decide: the reason is in the
# rule's doc (docs/rules/<id>.md, "tidy"); they must keep failing until
# the engine sees several units (then remove them here)
CROSS_UNIT = {
    "dax-aops-shape/bad-pmem-aops-split":
        "the .writepages helper and the IS_DAX() installation are in "
        "other files of the directory",
    "dax-writepages-divert/bad-helper-other-file":
        "the handler is in another file than its aops, and the helper that "
        "calls dax_writeback_mapping_range() in a third",
}
NO_AUTOFIX = re.compile(r"daxlint:\s*no-autofix")

_PLUGIN = []


def plugin():
    if not _PLUGIN:
        if not tidy_plugin.tools_present():
            raise unittest.SkipTest(
                "tidy engine not installed (clang-tidy-16, libclang-16-dev, "
                "cmake: bash kernel-integration/bootstrap.sh deps tidy)")
        if not tidy_plugin.build():
            raise AssertionError("the clang-tidy module does not build")
        _PLUGIN.append(tidy_plugin.plugin_path())
    return _PLUGIN[0]


def tidy_rules():
    cat = catalog.load()
    return [r for r in cat.ids() if cat.runs("tidy", r)]


def tidy_units():
    return [u for r in tidy_rules() for u in fixture_harness.units(r)]


class TidyModuleTest(unittest.TestCase):
    def test_lit(self):
        """clang-checker/test/*.c through lit + FileCheck."""
        so = plugin()
        with tempfile.TemporaryDirectory() as tmp:
            p = subprocess.run([sys.executable, LIT, "-sv", "-j2",
                                "--param", "plugin=" + so,
                                "--param", "exec_root=" + tmp, LIT_TESTS],
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
        self.assertEqual(p.returncode, 0, p.stdout[-4000:])
        self.assertIn("Passed", p.stdout)

    def test_lists_every_check(self):
        have = tidy_plugin.listed_checks(tidy_plugin.clang_tidy(), plugin())
        self.assertEqual(have, set("daxlint-" + r for r in tidy_rules()))


class TidyFixtureTest(unittest.TestCase):
    def test_fixtures(self):
        plugin()
        failed = []
        for u in tidy_units():
            probs = fixture_harness.compare(u, "tidy")
            if u.name in CROSS_UNIT:
                self.assertTrue(probs, "%s passes now: remove it from "
                                "CROSS_UNIT" % u.name)
                self.assertTrue(all(p.startswith("missing") for p in probs),
                                probs)
            elif probs:
                failed.append("%s: %s" % (u.name, "; ".join(probs)))
        self.assertEqual(failed, [])


def _check(paths, env=None, **kw):
    e = dict(os.environ)
    e.update(env or {})
    return subrun.check_json(paths, engines="tidy", jobs=1, cwd=TOP, env=e,
                             **kw)


class TidyCannotCheckTest(unittest.TestCase):
    BAD = os.path.join(TOP, "tests", "fixtures", "removed-api",
                       "bad-break-unmapi.c")

    def assertExit2(self, env=None, **kw):
        rep, rc = _check([self.BAD], env=env, profile="v4.18", **kw)
        self.assertEqual(rc, 2)
        self.assertTrue(rep["errors"])
        self.assertEqual(rep["findings"], [])
        return rep

    def test_control(self):
        plugin()
        rep, rc = _check([self.BAD], profile="v4.18")
        self.assertEqual(rc, 1)
        self.assertEqual(len(rep["findings"]), 2)

    def test_plugin_missing(self):
        plugin()
        rep = self.assertExit2(env={"DAXLINT_TIDY_PLUGIN": "/nonexistent.so"})
        self.assertIn("does not exist", str(rep["errors"]))

    def test_plugin_fails_to_load(self):
        plugin()
        with tempfile.NamedTemporaryFile(suffix=".so") as so:
            so.write(b"not an ELF file\n")
            so.flush()
            rep = self.assertExit2(env={"DAXLINT_TIDY_PLUGIN": so.name})
        self.assertIn("did not load", str(rep["errors"]))

    def test_llvm14_clang_tidy(self):
        plugin()
        old = shutil.which("clang-tidy")
        if not old or tidy_plugin.version_of(old) == "16":
            self.skipTest("no other clang-tidy version here")
        rep = self.assertExit2(env={"DAXLINT_CLANG_TIDY": old})
        self.assertIn("not 16", str(rep["errors"]))

    def test_no_rule_with_a_check(self):
        plugin()
        # busy-page-wait has no clang-tidy check yet
        rep, rc = _check([self.BAD], profile="v7", rules=["busy-page-wait"])
        self.assertEqual(rc, 2)
        self.assertIn("none of the rules", str(rep["errors"]))

    def test_tree_kbuild_cannot_prepare_is_an_error(self):
        """A kernel tree whose build the engine cannot prepare (here: no
        kbuild at all) is an error, never "clean"."""
        plugin()
        with tempfile.TemporaryDirectory() as tree:
            shutil.copy(self.BAD, os.path.join(tree, "a.c"))
            rep, rc = _check(["a.c"], kernel=tree, profile="v4.18")
        self.assertEqual(rc, 2)
        self.assertEqual(rep["findings"], [])
        self.assertIn("make defconfig failed", str(rep["errors"]))


class TidyOutputTest(unittest.TestCase):
    """How the driver reads clang-tidy's lines (no clang-tidy needed)."""

    def test_not_checked_is_an_error_not_a_finding(self):
        root = "/k"
        out = ("/k/mm/gup.c:10:5: warning: walk: not checked: clang could "
               "not build the function's control-flow graph "
               "[daxlint-gup-layout-lock]\n"
               "/k/mm/gup.c:20:2: warning: walk2: gup page-table walk "
               "follow_page_mask() outside a dax_layout_lock() section "
               "[daxlint-gup-layout-lock]\n")
        findings, errors = tidy_output.parse(out, root, ["gup-layout-lock"])
        self.assertEqual([(f.rule, f.file, f.line) for f in findings],
                         [("gup-layout-lock", "mm/gup.c", 20)])
        self.assertEqual([(e["file"], e["line"], e["function"], e["rules"])
                          for e in errors],
                         [("mm/gup.c", 10, "walk", ["gup-layout-lock"])])


    def test_compile_error_of_a_removed_api_line_is_its_finding(self):
        """Old code naming an API the tree lacks does not compile: the
        error on the line of the removed-api finding is that finding; an
        error elsewhere still says the unit was not fully checked."""
        out = ("/k/fs/a.c:7:9: error: use of undeclared identifier "
               "'BREAK_UNMAPI' [clang-diagnostic-error]\n"
               "/k/fs/a.c:7:9: warning: f: BREAK_UNMAPI was removed or "
               "renamed in this kernel generation [daxlint-removed-api]\n"
               "/k/fs/a.c:9:3: error: expected ';' after expression "
               "[clang-diagnostic-error]\n")
        findings, errors = tidy_output.parse(out, "/k", ["removed-api"])
        self.assertEqual([(f.file, f.line, f.function) for f in findings],
                         [("fs/a.c", 7, "f")])
        self.assertEqual([(e["line"], e["rules"]) for e in errors],
                         [(9, ["removed-api"])])


class TidyNolintTest(unittest.TestCase):
    SRC = """#include "daxlint_stub.h"
static int f(struct inode *inode, uint *iolock)
{
	return xfs_break_layouts(inode, iolock, BREAK_UNMAPI); // NOLINT(%s)
}
"""

    def run_with(self, check):
        with tempfile.TemporaryDirectory() as tmp:
            f = os.path.join(tmp, "nolint.c")
            with open(f, "w") as fh:
                fh.write(self.SRC % check)
            return _check([f], profile="v4.18")

    def test_daxlint_check_honours_nolint(self):
        plugin()
        rep, rc = self.run_with("daxlint-removed-api")
        self.assertEqual((rc, rep["findings"], rep["errors"]), (0, [], []))
        rep, rc = self.run_with("daxlint-dax-aops-shape")
        self.assertEqual(rc, 1)
        self.assertEqual([f["rule"] for f in rep["findings"]],
                         ["removed-api"])


class EditorWrapperTest(unittest.TestCase):
    """kernel-integration/daxlint-clang-tidy, what editors run."""
    WRAPPER = os.path.join(TOP, "kernel-integration", "daxlint-clang-tidy")
    BAD = TidyCannotCheckTest.BAD

    def run_wrapper(self, args, env=None):
        return subprocess.run([self.WRAPPER] + args, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True,
                              env=dict(os.environ, **(env or {})))

    def test_adds_our_checks_to_the_editors(self):
        """-checks=-* from the editor still runs ours; a standalone file
        gets the stub header."""
        plugin()
        p = self.run_wrapper(["-checks=-*", self.BAD])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("[daxlint-removed-api]", p.stdout)
        self.assertRegex(p.stdout, r"bad-break-unmapi\.c:15:\d+: warning: "
                         r"demo_punch: BREAK_UNMAPI was removed")

    def test_editor_flags_are_kept(self):
        """-- FLAGS from the editor are the compile flags: without the
        stub header's directory the fixture does not compile."""
        plugin()
        p = self.run_wrapper([self.BAD, "--", "-DX=1"])
        self.assertIn("'daxlint_stub.h' file not found", p.stdout)

    def test_llvm14_is_refused(self):
        plugin()
        p = self.run_wrapper([self.BAD],
                             {"DAXLINT_CLANG_TIDY": "/usr/bin/clang-tidy"})
        if not os.path.exists("/usr/bin/clang-tidy"):
            self.skipTest("no /usr/bin/clang-tidy")
        self.assertEqual(p.returncode, 2)
        self.assertIn("LLVM 14", p.stderr)
        self.assertEqual(p.stdout, "")


class MakeClangTidyShimTest(unittest.TestCase):
    """kernel-integration/shim/clang-tidy, first in PATH, as the kernel's
    run-clang-tools.py (make clang-tidy) runs clang-tidy: a database, its
    fixed -checks=-*,linuxkernel-*, one file."""
    SHIM = os.path.join(TOP, "kernel-integration", "shim")

    def test_kernel_invocation_runs_our_checks(self):
        plugin()
        bad = TidyCannotCheckTest.BAD
        with tempfile.TemporaryDirectory() as db:
            with open(os.path.join(db, "compile_commands.json"), "w") as fh:
                json.dump([{"directory": os.path.dirname(bad), "file": bad,
                            "command": "clang-16 -I %s -c %s"
                                       % (INCLUDE, bad)}], fh)
            p = subprocess.run(
                ["clang-tidy", "-p", os.path.join(db, "compile_commands.json"),
                 "-checks=-*,linuxkernel-*", bad],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                cwd=os.path.dirname(bad),
                env=dict(os.environ, PATH=self.SHIM + os.pathsep +
                         os.environ.get("PATH", "")))
        self.assertEqual(p.returncode, 0, p.stdout)
        self.assertRegex(p.stdout, r"bad-break-unmapi\.c:15:\d+: warning: "
                         r"demo_punch: BREAK_UNMAPI was removed.* "
                         r"\[daxlint-removed-api\]")


class TidyFixTest(unittest.TestCase):
    def test_fix_compiles_and_rechecks_clean(self):
        """--fix on every single-file bad fixture: the result compiles
        (a does-not-compile fixture must not compile before either);
        where the fixture is fixable (not no-autofix) and every finding
        of its rule has a fix-it (removed-api), it re-checks clean."""
        so = plugin()
        bad = [u for u in tidy_units()
               if u.kind == "bad" and os.path.isfile(u.path)]
        self.assertTrue(bad)
        with tempfile.TemporaryDirectory() as tmp:
            for u in bad:
                with open(u.path) as fh:
                    text = fh.read()
                copy = os.path.join(tmp, os.path.basename(u.path))
                shutil.copy(u.path, copy)
                cmd = tidy.command([copy], tidy_rules(), u.profile)
                cmd.insert(1, "--fix")
                subprocess.run(cmd, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, check=False)
                define = "-D%s" % sparse_checker.PROFILE_DEFINE[u.profile]
                gcc = ["gcc", "-fsyntax-only", "-Wall", "-Werror",
                       "-Wno-unused-function", "-I", INCLUDE, define]
                if not u.compiles:
                    # old code in a tree that lacks the API: it did not
                    # compile before --fix either (test_fixtures checks
                    # the mark)
                    continue
                cc = subprocess.run(gcc + [copy], stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True)
                self.assertEqual(cc.returncode, 0, "%s after --fix:\n%s"
                                 % (u.name, cc.stdout))
                if u.rule != "removed-api" or NO_AUTOFIX.search(text):
                    continue
                rep, rc = _check([copy], profile=u.profile)
                self.assertEqual((rc, rep["findings"]), (0, []), u.name)
        self.assertTrue(so)


if __name__ == "__main__":
    unittest.main()
