"""`daxlint review`'s bookkeeping, with a stand-in engine on a small tree
written here (the real engine runs in test_review.py): which places a
series is checked at (a header where it is included, at most N
directories, arch/ listed as not checked), the patch each finding is
attributed to, a finding introduced and later removed not reported, one
the tree had not reported, and the tree never written."""
import os
import re
import shutil
import sys
import tempfile
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(TESTS)
sys.path.insert(0, os.path.join(TOP, "kernel-integration"))
from daxlint_lib import review, review_series as rs, srcfiles  # noqa: E402

RULE = "dax-writepages-divert"
FUNC_RX = re.compile(r"^int (\w+)\(")

TREE = {
    "fs/foo/a.c": "#include <linux/thing.h>\n\nint fa(void)\n{\n"
                  "\treturn 0;\n}\n\nint fb(void)\n{\n\treturn 1;\n}\n",
    "fs/foo/b.c": "/* b */\nint fc(void)\n{\n\treturn 2;\n}\n",
    "fs/old/o.c": "int fo(void)\n{\n\tBAD_CALL();\n\treturn 0;\n}\n",
    "fs/bar/u.c": "#include  <linux/thing.h>\nint fu(void)\n{\n}\n",
    "mm/m.c": "# include <linux/thing.h>\nint fm(void)\n{\n}\n",
    "drivers/x/x.c": "#include \"linux/thing.h\"\nint fx(void)\n{\n}\n",
    "fs/top.c": "int ft(void)\n{\n}\n",
    "include/linux/thing.h": "int thing(void);\n",
    "include/linux/unused.h": "int unused(void);\n",
    "fs/foo/local.h": "int local(void);\n",
    "arch/x86/k.c": "int fk(void)\n{\n}\n",
}


def fake_engine(calls):
    """A stand-in for `daxlint check`: a finding wherever BAD_CALL() is."""
    def run(root, paths, engines, profile, jobs):
        calls.append((root, list(paths)))
        found = []
        for f in srcfiles.c_files(root, paths):
            func = ""
            with open(os.path.join(root, f)) as fh:
                for n, line in enumerate(fh, 1):
                    m = FUNC_RX.match(line)
                    if m:
                        func = m.group(1)
                    if "BAD_CALL" in line:
                        found.append({
                            "rule": RULE, "file": f, "line": n,
                            "column": 1, "function": func,
                            "engines": ["fake"], "message": "m",
                            "detail": "", "severity": "warning",
                            "profile": profile})
        return {"findings": found, "errors": [], "unchecked": []}
    return run


def diff(path, old, new):
    import difflib
    return "".join(difflib.unified_diff(old.splitlines(True),
                                        new.splitlines(True),
                                        "a/" + path, "b/" + path))


def make_tree():
    """A temporary directory holding TREE."""
    root = tempfile.mkdtemp()
    for p, text in TREE.items():
        full = os.path.join(root, p)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as fh:
            fh.write(text)
    return root


class Review(unittest.TestCase):
    def setUp(self):
        self.tree = make_tree()
        self.snapshot = self.snap()
        self.calls = []
        self.saved = review.run_daxlint
        review.run_daxlint = fake_engine(self.calls)
        self.text = dict(TREE)

    def tearDown(self):
        review.run_daxlint = self.saved
        shutil.rmtree(self.tree)

    def snap(self):
        out = {}
        for d, _, fs in os.walk(self.tree):
            for f in fs:
                p = os.path.join(d, f)
                st = os.stat(p)
                with open(p, "rb") as fh:
                    out[p] = (fh.read(), st.st_mtime_ns, st.st_mode)
        return out

    def edit(self, path, old, new):
        """A patch changing OLD to NEW in PATH, on top of the earlier ones."""
        before = self.text[path]
        assert before.count(old) == 1, (path, old)
        self.text[path] = before.replace(old, new)
        return diff(path, before, self.text[path])

    def run_series(self, *diffs):
        patches = [rs.Patch("Subject: x\n\n" + d, "change %d" % (i + 1),
                            index=i + 1, total=len(diffs),
                            message_id="m%d@x" % (i + 1))
                   for i, d in enumerate(diffs)]
        res = review.review(self.tree, patches, "cocci", "v6.1", 1,
                            lambda s: None)
        self.assertEqual(self.snap(), self.snapshot, "the tree was written")
        return res

    def test_finding_attributed_to_its_patch(self):
        p1 = self.edit("fs/foo/b.c", "/* b */", "/* b, reworded */")
        p2 = self.edit("fs/foo/a.c", "\treturn 1;\n",
                       "\tBAD_CALL();\n\treturn 1;\n")
        p3 = self.edit("fs/foo/a.c", "\treturn 0;\n", "\treturn 3;\n")
        res = self.run_series(p1, p2, p3)
        self.assertEqual(res["checked"], ["fs/foo"])
        self.assertEqual(len(res["comments"]), 1)
        c = res["comments"][0]
        self.assertEqual((c["file"], c["function"], c["line"]),
                         ("fs/foo/a.c", "fb", 10))
        ib = c["introduced_by"]
        self.assertEqual((ib["index"], ib["message_id"], ib["line"]),
                         (2, "m2@x", 10))
        self.assertEqual(ib["quote"][-1], "+\tBAD_CALL();")
        self.assertTrue(ib["hunk"].startswith("@@ -"))
        # before, then after each of the three patches (all in fs/foo)
        self.assertEqual([c[1] for c in self.calls], [["fs/foo"]] * 4)
        self.assertEqual(review.exit_code(res), 1)

    def test_introduced_then_removed_not_reported(self):
        p1 = self.edit("fs/foo/a.c", "\treturn 1;\n",
                       "\tBAD_CALL();\n\treturn 1;\n")
        p2 = self.edit("fs/foo/b.c", "/* b */", "/* b2 */")
        p3 = self.edit("fs/foo/a.c", "\tBAD_CALL();\n", "")
        res = self.run_series(p1, p2, p3)
        self.assertEqual(res["comments"], [])
        self.assertEqual([(t["function"], t["introduced_by"]["index"],
                           t["removed_by"]["index"])
                          for t in res["transient"]], [("fb", 1, 3)])
        self.assertEqual(review.exit_code(res), 0)

    def test_reintroduced_attributed_to_the_last_patch(self):
        p1 = self.edit("fs/foo/a.c", "\treturn 1;\n",
                       "\tBAD_CALL();\n\treturn 1;\n")
        p2 = self.edit("fs/foo/a.c", "\tBAD_CALL();\n", "")
        p3 = self.edit("fs/foo/a.c", "\treturn 1;\n",
                       "\tBAD_CALL();\n\treturn 1;\n")
        res = self.run_series(p1, p2, p3)
        self.assertEqual([c["introduced_by"]["index"]
                          for c in res["comments"]], [3])

    def test_finding_the_tree_had_not_reported(self):
        p1 = self.edit("fs/old/o.c", "\treturn 0;\n", "\treturn 9;\n")
        res = self.run_series(p1)
        self.assertEqual(res["comments"], [])
        self.assertEqual(res["checked"], ["fs/old"])

    def test_second_violation_in_a_function_reported(self):
        # fo already has one finding of the rule: a second one is news
        p1 = self.edit("fs/old/o.c", "\treturn 0;\n",
                       "\tBAD_CALL();\n\treturn 0;\n")
        res = self.run_series(p1)
        self.assertEqual([(c["function"], c["line"])
                          for c in res["comments"]], [("fo", 4)])
        self.assertEqual(res["fixed"], [])

    def test_new_violation_above_the_old_one_reported_where_added(self):
        p1 = self.edit("fs/old/o.c", "{\n", "{\n\tBAD_CALL(1);\n")
        res = self.run_series(p1)
        self.assertEqual([(c["function"], c["line"])
                          for c in res["comments"]], [("fo", 3)])

    def test_finding_moved_by_lines_above_not_reported(self):
        p1 = self.edit("fs/old/o.c", "int fo(void)\n",
                       "/* one */\n/* two */\nint fo(void)\n")
        res = self.run_series(p1)
        self.assertEqual((res["comments"], res["fixed"]), ([], []))

    def test_offending_line_only_edited_not_reported(self):
        p1 = self.edit("fs/old/o.c", "\tBAD_CALL();\n",
                       "\tBAD_CALL(); /* to be fixed */\n")
        res = self.run_series(p1)
        self.assertEqual((res["comments"], res["fixed"]), ([], []))

    def test_fixed_finding_listed(self):
        p1 = self.edit("fs/old/o.c", "\tBAD_CALL();\n", "")
        res = self.run_series(p1)
        self.assertEqual([f["function"] for f in res["fixed"]], ["fo"])

    def test_header_checked_where_included(self):
        p1 = self.edit("include/linux/thing.h", "int thing(void);",
                       "int thing(int);")
        res = self.run_series(p1)
        self.assertEqual(sorted(res["checked"]),
                         ["drivers/x", "fs/bar", "fs/foo", "mm/m.c"])
        self.assertEqual(res["not_checked"], [])

    def test_only_what_a_patch_touches_is_rechecked(self):
        p1 = self.edit("fs/foo/b.c", "/* b */", "/* b2 */")
        p2 = self.edit("fs/bar/u.c", "int fu(void)\n{\n",
                       "int fu(void)\n{\n\tBAD_CALL();\n")
        res = self.run_series(p1, p2)
        self.assertEqual([c[1] for c in self.calls],
                         [["fs/foo", "fs/bar"], ["fs/foo"], ["fs/bar"]])
        self.assertEqual([(c["function"], c["introduced_by"]["index"])
                          for c in res["comments"]], [("fu", 2)])

    def test_new_file_in_new_directory(self):
        p1 = diff("fs/new/n.c", "", "int fn(void)\n{\n\tBAD_CALL();\n}\n")
        res = self.run_series(p1)
        self.assertEqual([c["file"] for c in res["comments"]],
                         ["fs/new/n.c"])
        # not checked before: it did not exist
        self.assertEqual([c[1] for c in self.calls], [["fs/new"]])

    def test_unsafe_patch_refused_before_anything(self):
        p1 = self.edit("fs/foo/b.c", "/* b */", "/* b2 */")
        with self.assertRaises(review.ReviewError) as cm:
            self.run_series(p1, "--- a/../x\n+++ b/../x\n@@ -1 +1 @@\n-a\n+b\n")
        self.assertIn("[PATCH 2/2] change 2 (<m2@x>): refused",
                      str(cm.exception))
        self.assertEqual(self.calls, [])

    def test_not_applying_stops_before_any_check(self):
        p1 = self.edit("fs/foo/b.c", "/* b */", "/* b2 */")
        bad = diff("fs/foo/a.c", "int nothing;\n", "int nothing2;\n")
        with self.assertRaises(review.ReviewError) as cm:
            self.run_series(p1, bad)
        self.assertIn("[PATCH 2/2] change 2 (<m2@x>) does not apply",
                      str(cm.exception))
        self.assertEqual(self.calls, [])


class Targets(unittest.TestCase):
    def setUp(self):
        self.tree = make_tree()

    def tearDown(self):
        shutil.rmtree(self.tree)

    def test_targets(self):
        t, skipped = review.check_targets(self.tree, [
            "fs/foo/a.c", "fs/top.c", "fs/foo/local.h", "arch/x86/k.c",
            "Makefile", "include/linux/unused.h"])
        self.assertEqual(t, ["fs/foo", "fs/top.c"])
        self.assertEqual([s["path"] for s in skipped],
                         ["arch/x86/k.c", "include/linux/unused.h"])

    def test_header_bound(self):
        t, skipped = review.check_targets(
            self.tree, ["include/linux/thing.h"], max_header_dirs=2)
        # the filesystems and mm first
        self.assertEqual(t, ["fs/bar", "fs/foo"])
        self.assertEqual(len(skipped), 1)
        self.assertIn("included in 4 places; the first 2 are checked, "
                      "not: mm/m.c drivers/x", skipped[0]["reason"])


if __name__ == "__main__":
    unittest.main()
