"""The daxlint command: profile detection, exit codes, output formats and
the merge of findings across engines."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(TESTS)
DAXLINT = os.path.join(TOP, "kernel-integration", "daxlint")
FIXTURE = os.path.join(TESTS, "fixtures", "dax-writepages-divert")

from daxlint_lib import catalog, findings, profile  # noqa: E402
from daxlint_lib.engines.cocci import available  # noqa: E402


def run(*args):
    p = subprocess.run([sys.executable, DAXLINT] + list(args), cwd=TOP,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    return p.returncode, p.stdout, p.stderr


def fake_tree(files):
    d = tempfile.mkdtemp(prefix="daxlint-tree-")
    base = {"include/linux/fs.h": "struct inode;\n", "Kbuild": ""}
    base.update(files)
    for rel, text in base.items():
        os.makedirs(os.path.join(d, os.path.dirname(rel)), exist_ok=True)
        with open(os.path.join(d, rel), "w") as f:
            f.write(text)
    return d


class Profiles(unittest.TestCase):
    def detect(self, files):
        return profile.detect(fake_tree(files))[0]

    def test_v7(self):
        self.assertEqual(self.detect({
            "include/linux/dax.h": "void dax_layout_lock(void);\n"
            "struct page *dax_layout_busy_page(struct address_space *m);\n",
            "include/linux/fs.h": "struct inode;\n"}), "v7")

    def test_v7_from_xfs_alone(self):
        self.assertEqual(self.detect({
            "fs/xfs/xfs_inode.h": "enum { BREAK_WRITE, BREAK_UNMAPI };\n",
            "include/linux/dax.h": "struct page *dax_layout_busy_page(void);\n"
        }), "v7")

    def test_v4_18(self):
        self.assertEqual(self.detect({
            "include/linux/dax.h":
            "struct page *dax_layout_busy_page(struct address_space *m);\n"}),
            "v4.18")

    def test_v5_15_backport_keeps_makefile_version_out(self):
        # an old Makefile version with the new API backported is v5.15
        self.assertEqual(self.detect({
            "Makefile": "VERSION = 4\nPATCHLEVEL = 19\n",
            "include/linux/dax.h": "struct page *dax_layout_busy_page(void);\n",
            "include/linux/fs.h": "static inline void filemap_invalidate_lock"
            "(struct address_space *mapping) { }\n"}), "v5.15")

    def test_v6_15(self):
        self.assertEqual(self.detect({
            "include/linux/dax.h": "int dax_break_layout(struct inode *i);\n",
            "include/linux/fs.h": "void filemap_invalidate_lock(void *m);\n"}),
            "v6.15")

    def test_pre_series_is_an_error(self):
        with self.assertRaises(profile.ProfileError):
            self.detect({"include/linux/dax.h": "int dax_iomap_fault(void);\n"})

    def test_not_a_tree(self):
        with self.assertRaises(profile.ProfileError):
            profile.detect(tempfile.mkdtemp())


class Merge(unittest.TestCase):
    def test_same_violation_two_engines_is_one_finding(self):
        a = findings.Finding("busy-page-locked", "fs/x.c", 10, 3, "f",
                             "cocci", "d")
        b = findings.Finding("busy-page-locked", "fs/x.c", 10, None, "f",
                             "sparse", "")
        c = findings.Finding("busy-page-wait", "fs/x.c", 10, 3, "f", "cocci")
        out = findings.merge([a, b, c])
        self.assertEqual(len(out), 2)
        self.assertEqual(sorted(out[0].engines), ["cocci", "sparse"])


    def test_subsumed_rule_on_same_line_is_dropped(self):
        cat = catalog.load()
        pairs = [(r["id"], s) for r in cat.rules
                 for s in r.get("subsumes", [])]
        if not pairs:
            self.skipTest("no rule subsumes another")
        big, small = pairs[0]
        a = findings.Finding(big, "fs/x.c", 10, 3, "f", "cocci")
        b = findings.Finding(small, "fs/x.c", 10, 3, "f", "cocci")
        c = findings.Finding(small, "fs/x.c", 11, 3, "f", "cocci")
        out = findings.merge([a, b, c])
        self.assertEqual([(x.rule, x.line) for x in out],
                         [(big, 10), (small, 11)])


class Command(unittest.TestCase):
    def test_help(self):
        rc, out, _ = run("check", "--help")
        self.assertEqual(rc, 0)
        for word in ("--kernel", "--profile", "--engines", "--format",
                     "exit status"):
            self.assertIn(word, out)

    def test_rules_lists_catalog(self):
        rc, out, _ = run("rules")
        self.assertEqual(rc, 0)
        for r in catalog.load().ids():
            self.assertIn(r, out)

    def test_standalone_needs_profile(self):
        rc, _, err = run("check", os.path.join(FIXTURE, "good-split-aops.c"))
        self.assertEqual(rc, 2)
        self.assertIn("--profile", err)

    def test_missing_path_is_tool_error(self):
        rc, _, err = run("check", "--profile", "v5.15", "/nonexistent/x.c")
        self.assertEqual(rc, 2)

    def test_unknown_engine_is_tool_error(self):
        rc, _, err = run("check", "--profile", "v5.15", "--engines", "nope",
                         FIXTURE)
        self.assertEqual(rc, 2)

    def test_kernel_without_paths_checks_whole_tree(self):
        kdir = fake_tree({"include/linux/dax.h":
                          "struct page *dax_layout_busy_page(void *m);\n",
                          "fs/foo/a.c": "int a(void) { return 0; }\n"})
        rc, out, err = run("check", "-q", "--format", "json", "--kernel",
                           kdir)
        self.assertEqual(rc, 0, err)
        rep = json.loads(out)
        self.assertEqual(rep["profile"], "v4.18")
        self.assertEqual(rep["kernel"], kdir)
        # a PATH is relative to KDIR
        rc, out, err = run("check", "-q", "--kernel", kdir, "fs/foo")
        self.assertEqual(rc, 0, err)
        rc, _, err = run("check", "-q", "--kernel", kdir, "fs/nope")
        self.assertEqual(rc, 2)

    def test_default_engines_are_the_installed_ones(self):
        """Without --engines every installed engine runs, and the report
        and the progress line say which."""
        from daxlint_lib.cli import ENGINES
        want = [e for e, m in ENGINES.items() if m.available()]
        rc, out, err = run("check", "--format", "json", "--profile", "v5.15",
                           "--rules", "gup-layout-lock",
                           os.path.join(FIXTURE, "good-split-aops.c"))
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out)["engines"], want)
        self.assertIn("daxlint: engines: %s (every installed engine"
                      % ", ".join(want), err)

    def test_rules_without_a_check_in_the_engines_run_are_listed(self):
        """--engines tidy checks only the rules it has a check for: the
        report claims those and lists the others as not checked."""
        from daxlint_lib.engines import tidy
        if not tidy.available():
            self.skipTest("tidy engine not installed")
        rc, out, err = run("check", "-q", "--format", "json", "--profile",
                           "v5.15", "--engines", "tidy",
                           os.path.join(FIXTURE, "good-split-aops.c"))
        rep = json.loads(out)
        cat = catalog.load()
        have = [r for r in cat.ids() if cat.runs("tidy", r) and
                "v5.15" in cat.rule(r)["profiles"]]
        self.assertEqual(rep["rules_run"], have)
        self.assertEqual(
            sorted(x["rule"] for x in rep["not_checked"]),
            sorted(r for r in cat.ids() if r not in have and
                   "v5.15" in cat.rule(r)["profiles"]))
        self.assertIn("dax-aops-select", [x["rule"]
                                          for x in rep["not_checked"]])

    def test_not_applicable_rules_listed(self):
        rc, out, _ = run("check", "-q", "--profile", "v5.15", "--format",
                         "json", "--rules", "gup-layout-lock",
                         os.path.join(FIXTURE, "good-split-aops.c"))
        rep = json.loads(out)
        self.assertEqual(rc, 0)
        self.assertEqual([x["rule"] for x in rep["not_applicable"]],
                         ["gup-layout-lock"])

    @unittest.skipUnless(available(), "spatch not installed")
    def test_formats_and_exit_codes(self):
        bad = os.path.join(FIXTURE, "bad-dax-mapping-test.c")
        good = os.path.join(FIXTURE, "good-split-aops.c")
        args = ["check", "-q", "--profile", "v4.18", "--engines", "cocci",
                "--rules", "dax-writepages-divert"]
        rc, out, _ = run(*(args + [good]))
        self.assertEqual(rc, 0, out)
        rc, out, _ = run(*(args + ["--format", "json", bad]))
        self.assertEqual(rc, 1)
        rep = json.loads(out)
        self.assertEqual(rep["profile"], "v4.18")
        self.assertEqual(rep["errors"], [])
        f = rep["findings"][0]
        for k in ("rule", "file", "line", "column", "function", "engines",
                  "message", "severity"):
            self.assertIn(k, f)
        self.assertEqual(f["function"], "demo_writepages")
        self.assertEqual(f["file"], os.path.relpath(bad, TOP))
        rc, out, _ = run(*(args + [bad]))
        self.assertRegex(out, r"(?m)^tests/fixtures/dax-writepages-divert/"
                         r"bad-dax-mapping-test\.c:\d+: demo_writepages: "
                         r"\[dax-writepages-divert\] .* \(cocci\)$")
        rc, out, _ = run(*(args + ["--format", "sarif", bad]))
        doc = json.loads(out)
        self.assertEqual(doc["version"], "2.1.0")
        res = doc["runs"][0]["results"]
        self.assertEqual(len(res), len(rep["findings"]))
        self.assertEqual(res[0]["ruleId"], "dax-writepages-divert")
        self.assertEqual(res[0]["locations"][0]["physicalLocation"]["region"]
                         ["startLine"], f["line"])
