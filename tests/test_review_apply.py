"""`daxlint review`'s diffs, without an engine: parsed from mail bodies,
refused when they leave the tree (absolute, "..", through a symlink of the
tree, a git rename to outside, .git, symlink or submodule modes, binary),
applied to a hard-linked copy whose original is never written (not even
by a mode change), and a patch that does not apply named with its hunk."""
import os
import shutil
import stat
import sys
import tempfile
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(TESTS)
sys.path.insert(0, os.path.join(TOP, "kernel-integration"))
from daxlint_lib import review_apply as ra  # noqa: E402

GOOD = """Subject: [PATCH] x

A commit message.
--- a/not/a/diff because the next line is not +++
---
 fs/foo/a.c | 1 +

diff --git a/fs/foo/a.c b/fs/foo/a.c
index 1111111..2222222 100644
--- a/fs/foo/a.c
+++ b/fs/foo/a.c
@@ -1,3 +1,4 @@
 int a;
+int b;

 int c;
--
2.39.5
"""


def plain(old, new=None, hunk="@@ -1 +1 @@\n-int a;\n+int z;\n"):
    return "--- %s\n+++ %s\n%s" % (old, new or old, hunk)


class Parse(unittest.TestCase):
    def test_mail_body(self):
        files = ra.parse_diff(GOOD)
        self.assertEqual(len(files), 1)
        f = files[0]
        self.assertEqual((f.paths(), f.target()),
                         (["fs/foo/a.c"], "fs/foo/a.c"))
        h = f.hunks[0]
        # the empty line is a context line whose blank was lost
        self.assertEqual(h.lines, [" int a;", "+int b;", " ", " int c;"])
        self.assertEqual(h.new_lines(), [(1, 0), (2, 1), (3, 2), (4, 3)])
        self.assertTrue(h.covers(4) and not h.covers(5))
        # what reaches GNU patch is the diff alone, rebuilt
        self.assertNotIn("commit message", f.text())
        self.assertTrue(f.text().startswith("diff --git a/fs/foo/a.c"))

    def test_miscounted_hunk(self):
        with self.assertRaises(ra.DiffError) as cm:
            ra.parse_diff(plain("a/x.c", hunk="@@ -1,5 +1,5 @@\n a\n-b\n+c\n"))
        self.assertIn("cut short", str(cm.exception))

    def test_git_rename_and_quoted_names(self):
        files = ra.parse_diff(
            'diff --git "a/fs/x\\tz.c" b/fs/y.c\n'
            'similarity index 100%\n'
            'rename from "fs/x\\tz.c"\nrename to fs/y.c\n')
        self.assertEqual(files[0].rename, ["fs/x\tz.c", "fs/y.c"])
        self.assertEqual(files[0].target(), "fs/y.c")


class Safety(unittest.TestCase):
    def setUp(self):
        self.tree = tempfile.mkdtemp()
        os.makedirs(os.path.join(self.tree, "fs/foo"))
        with open(os.path.join(self.tree, "fs/foo/a.c"), "w") as fh:
            fh.write("int a;\n")
        self.outside = tempfile.mkdtemp()
        os.symlink(self.outside, os.path.join(self.tree, "fs/link"))

    def tearDown(self):
        shutil.rmtree(self.tree)
        shutil.rmtree(self.outside)

    def refused(self, text, why):
        with self.assertRaises(ra.DiffError) as cm:
            ra.check_safe(ra.parse_diff(text), self.tree, "1/1")
        self.assertIn("refused", str(cm.exception))
        self.assertIn(why, str(cm.exception))

    def test_escapes_refused(self):
        self.refused(plain("/etc/passwd"), "absolute")
        self.refused(plain("a/../../etc/passwd"), "..")
        self.refused(plain("a/fs/../../x"), "..")
        self.refused(plain("a/fs/link/x.c"), "symlink in the tree")
        self.refused(plain("a/fs/link"), "symlink in the tree")
        self.refused("diff --git a/fs/foo/a.c b/fs/foo/a.c\n"
                     "rename from fs/foo/a.c\nrename to ../x\n", "..")
        self.refused("diff --git a/fs/foo/a.c b/fs/foo/b.c\n"
                     "copy from fs/foo/a.c\ncopy to fs/link/b.c\n", "symlink")
        self.refused(plain("a/.git/hooks/post-checkout"), ".git")
        self.refused("diff --git a/fs/l b/fs/l\nnew file mode 120000\n"
                     "--- /dev/null\n+++ b/fs/l\n@@ -0,0 +1 @@\n+/etc\n",
                     "symlink")
        self.refused("diff --git a/fs/s b/fs/s\nnew file mode 160000\n",
                     "submodule")
        self.refused("diff --git a/fs/b.bin b/fs/b.bin\n"
                     "GIT binary patch\nliteral 1\n", "binary")
        self.refused(plain("a/fs/x\x01.c"), "control character")
        # git's C-quoted names are read as git writes them
        self.refused('diff --git "a/fs/x\\ny.c" "b/fs/x\\ny.c"\n'
                     'new file mode 100644\n', "control character")
        self.refused(plain('"a/fs/\\056\\056/x.c"'), "..")

    def test_harmless_accepted(self):
        ra.check_safe(ra.parse_diff(GOOD), self.tree, "1/1")
        ra.check_safe(ra.parse_diff(plain("/dev/null", "b/fs/foo/new.c",
                                          "@@ -0,0 +1 @@\n+int n;\n")),
                      self.tree, "1/1")


class Apply(unittest.TestCase):
    def setUp(self):
        self.tree = tempfile.mkdtemp()
        os.makedirs(os.path.join(self.tree, "fs/foo"))
        self.a = os.path.join(self.tree, "fs/foo/a.c")
        with open(self.a, "w") as fh:
            fh.write("int a;\n\nint c;\n")
        os.chmod(self.a, 0o644)
        self.before = os.stat(self.a)
        self.scratch = ra.scratch_tree(self.tree, ["fs/foo/a.c"], [])

    def tearDown(self):
        shutil.rmtree(self.tree)
        shutil.rmtree(self.scratch, ignore_errors=True)

    def assertTreeUntouched(self):
        st = os.stat(self.a)
        self.assertEqual((st.st_mtime_ns, st.st_mode, st.st_ino),
                         (self.before.st_mtime_ns, self.before.st_mode,
                          self.before.st_ino))
        with open(self.a) as fh:
            self.assertEqual(fh.read(), "int a;\n\nint c;\n")
        self.assertEqual(sorted(os.listdir(os.path.dirname(self.a))),
                         ["a.c"])

    def test_scratch_tree(self):
        os.makedirs(os.path.join(self.tree, "fs/bar/sub"))
        os.makedirs(os.path.join(self.tree, "include/linux"))
        for p in ("fs/bar/b.c", "fs/bar/sub/s.c", "include/linux/h.h",
                  "fs/top.c"):
            with open(os.path.join(self.tree, p), "w") as fh:
                fh.write("int x;\n")
        os.symlink("top.c", os.path.join(self.tree, "fs/rel"))
        st = ra.scratch_tree(self.tree, ["fs/foo/a.c", "fs/new/n.c"],
                             ["fs/bar", "fs/new"])
        try:
            j = lambda p: os.path.join(st, p)
            # on the way to what the series touches: real directories
            for d in ("fs", "fs/foo"):
                self.assertTrue(os.path.isdir(j(d)) and
                                not os.path.islink(j(d)), d)
            # the places checked: hard-linked copies, walked by engines
            self.assertFalse(os.path.islink(j("fs/bar/sub")))
            self.assertEqual(os.stat(j("fs/bar/sub/s.c")).st_ino, os.stat(
                os.path.join(self.tree, "fs/bar/sub/s.c")).st_ino)
            # the rest: read through symlinks; the tree's own symlinks kept
            self.assertEqual(os.readlink(j("include")),
                             os.path.join(self.tree, "include"))
            self.assertEqual(os.readlink(j("fs/rel")), "top.c")
            self.assertFalse(os.path.islink(j("fs/top.c")))
            self.assertFalse(os.path.exists(j("fs/new")))
            # nothing can be patched through those symlinks
            with self.assertRaises(ra.DiffError) as cm:
                ra.apply_patch(st, ra.parse_diff(plain(
                    "a/include/linux/h.h", hunk="@@ -1 +1 @@\n-int x;\n"
                    "+int y;\n")), "1/1")
            self.assertIn("a symlink in the tree", str(cm.exception))
            with open(os.path.join(self.tree, "include/linux/h.h")) as fh:
                self.assertEqual(fh.read(), "int x;\n")
        finally:
            shutil.rmtree(st)
        self.assertTrue(os.path.isfile(os.path.join(self.tree,
                                                    "include/linux/h.h")))

    def test_applied_to_the_copy_only(self):
        # a hard-linked copy: the same inode until the patch is applied
        self.assertEqual(os.stat(os.path.join(self.scratch, "fs/foo/a.c"))
                         .st_ino, self.before.st_ino)
        ra.apply_patch(self.scratch, ra.parse_diff(GOOD), "1/1")
        with open(os.path.join(self.scratch, "fs/foo/a.c")) as fh:
            self.assertEqual(fh.read(), "int a;\nint b;\n\nint c;\n")
        self.assertTreeUntouched()

    def test_mode_change_does_not_reach_the_tree(self):
        ra.apply_patch(self.scratch, ra.parse_diff(
            "diff --git a/fs/foo/a.c b/fs/foo/a.c\n"
            "old mode 100644\nnew mode 100755\n"), "1/1")
        self.assertTrue(os.stat(os.path.join(self.scratch, "fs/foo/a.c"))
                        .st_mode & stat.S_IXUSR)
        self.assertTreeUntouched()

    def test_own_copy_breaks_the_link(self):
        # whatever writes into the copy's file in place afterwards (a tool
        # that chmods or truncates) cannot reach the tree's inode
        ra.own_copy(self.scratch, "fs/foo/a.c")
        path = os.path.join(self.scratch, "fs/foo/a.c")
        self.assertNotEqual(os.stat(path).st_ino, self.before.st_ino)
        with open(path, "r+") as fh:
            fh.write("XXX")
        os.chmod(path, 0o600)
        self.assertTreeUntouched()

    def test_not_applying_names_patch_file_and_hunk(self):
        bad = plain("a/fs/foo/a.c", hunk="@@ -1,2 +1,3 @@\n int x;\n"
                    "+int y;\n \n")
        with self.assertRaises(ra.DiffError) as cm:
            ra.apply_patch(self.scratch, ra.parse_diff(bad),
                           "[PATCH 2/2] foo (<m2@x>)")
        msg = str(cm.exception)
        self.assertIn("[PATCH 2/2] foo (<m2@x>) does not apply", msg)
        self.assertIn("fs/foo/a.c: hunk #1 FAILED at 1 (@@ -1,2 +1,3 @@)",
                      msg)
        self.assertTreeUntouched()

    def test_missing_file_named(self):
        with self.assertRaises(ra.DiffError) as cm:
            ra.apply_patch(self.scratch, ra.parse_diff(plain("a/fs/no.c")),
                           "1/1")
        self.assertIn("does not apply", str(cm.exception))

    def test_states(self):
        ra.apply_patch(self.scratch, ra.parse_diff(GOOD), "1/1")
        st = ra.read_state(self.scratch, ["fs/foo/a.c", "fs/foo/gone.c"])
        self.assertEqual(st["fs/foo/gone.c"], None)
        ra.write_state(self.scratch, {"fs/foo/a.c": b"int q;\n",
                                      "fs/foo/new/n.c": b"int n;\n"})
        with open(os.path.join(self.scratch, "fs/foo/new/n.c")) as fh:
            self.assertEqual(fh.read(), "int n;\n")
        ra.write_state(self.scratch, {"fs/foo/a.c": None})
        self.assertFalse(os.path.exists(os.path.join(self.scratch,
                                                     "fs/foo/a.c")))
        self.assertTreeUntouched()


if __name__ == "__main__":
    unittest.main()
