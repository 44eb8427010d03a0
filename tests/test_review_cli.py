"""`daxlint review` as a bot runs it, on inputs it must refuse before any
engine runs: a diff path leaving the tree, an incomplete series, no input
or two, malformed mail; each a clean message and exit 2, never a
traceback, and the tree untouched.  And --help names every option and
the exit codes."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(TESTS)
DAXLINT = os.path.join(TOP, "kernel-integration", "daxlint")
sys.path.insert(0, TESTS)
from review_helpers import ScratchDir  # noqa: E402


def daxlint(*args, stdin=None):
    p = subprocess.run([sys.executable, DAXLINT, "review", "-q"] + list(args),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, input=stdin)
    return p.returncode, p.stdout, p.stderr


class Refused(ScratchDir, unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.tree = os.path.join(self.tmp, "linux")
        os.makedirs(os.path.join(self.tree, "fs/foo"))
        with open(os.path.join(self.tree, "fs/foo/a.c"), "w") as fh:
            fh.write("int a;\n")
        self.mtime = os.stat(os.path.join(self.tree, "fs/foo/a.c")
                             ).st_mtime_ns

    def run_review(self, *args, stdin=None):
        rc, out, err = daxlint("--kernel", self.tree, "--profile", "v5.15",
                               *args, stdin=stdin)
        self.assertEqual(rc, 2, (out, err))
        self.assertNotIn("Traceback", err)
        self.assertEqual(os.listdir(self.tree), ["fs"])
        self.assertEqual(os.listdir(os.path.join(self.tree, "fs/foo")),
                         ["a.c"])
        self.assertEqual(os.stat(os.path.join(self.tree, "fs/foo/a.c")
                                 ).st_mtime_ns, self.mtime)
        return err

    def test_escape_refused(self):
        p = self.write("evil.patch",
                       "Subject: [PATCH] evil\n\n---\n"
                       "--- a/fs/foo/a.c\n+++ b/fs/foo/a.c\n"
                       "@@ -1 +1 @@\n-int a;\n+int b;\n"
                       "diff --git a/fs/foo/a.c b/fs/foo/a.c\n"
                       "rename from fs/foo/a.c\nrename to ../../evil.c\n")
        err = self.run_review(p)
        self.assertIn("[PATCH 1/1] evil (evil.patch): refused", err)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "evil.c")))

    def test_incomplete_series(self):
        mbox = "".join(
            "From git@z Thu Jan  1 00:00:00 1970\nSubject: [PATCH %d/3] p\n"
            "Message-Id: <%d@x>\n\n--- a/fs/foo/a.c\n+++ b/fs/foo/a.c\n"
            "@@ -1 +1 @@\n-int a;\n+int b;\n\n" % (n, n) for n in (1, 3))
        err = self.run_review("--series", self.write("s.mbx", mbox))
        self.assertIn("missing patch(es) 2/3 of 3", err)
        # the same from stdin (b4 mbox -o - MSGID | daxlint review ...)
        err = self.run_review("--series", "-", stdin=mbox)
        self.assertIn("missing patch(es) 2/3 of 3", err)

    def test_one_input(self):
        p = self.write("a.patch", "--- a/x\n+++ b/x\n")
        err = self.run_review("--series", p, p)
        self.assertIn("exactly one of", err)
        err = self.run_review()
        self.assertIn("exactly one of", err)

    def test_malformed(self):
        for text in ("\x00\xff garbage", "Subject: [PATCH 1/1] x\n\n"
                     "--- a/fs/foo/a.c\n+++ b/fs/foo/a.c\n@@ -1,9 +1,9 @@\n"
                     " int a;\n"):
            err = self.run_review("--series", self.write("m.mbx", text))
            self.assertIn("daxlint review: ", err)

    def test_range_outside_a_repository(self):
        err = self.run_review("--range", "HEAD~1..HEAD")
        self.assertIn("git rev-parse", err)


class Timeout(unittest.TestCase):
    def test_check_killed_with_its_children(self):
        sys.path.insert(0, os.path.join(TOP, "kernel-integration"))
        from daxlint_lib import subrun
        tmp = tempfile.mkdtemp()
        pidfile = os.path.join(tmp, "pid")
        try:
            with self.assertRaises(RuntimeError) as cm:
                subrun._run_bounded(
                    ["sh", "-c", 'sleep 60 & echo $! > "$0"; wait', pidfile],
                    None, None, 1)
            self.assertIn("took more than 1 s", str(cm.exception))
            with open(pidfile) as fh:
                pid = int(fh.read())
            import time
            for _ in range(50):
                try:
                    with open("/proc/%d/stat" % pid) as fh:
                        state = fh.read().rsplit(")", 1)[1].split()[0]
                except OSError:
                    state = "gone"
                if state in ("gone", "Z", "X"):
                    break
                time.sleep(0.1)
            self.assertIn(state, ("gone", "Z", "X"))
        finally:
            shutil.rmtree(tmp)


class Help(unittest.TestCase):
    def test_help_explains_options_and_exit_codes(self):
        p = subprocess.run([sys.executable, DAXLINT, "review", "--help"],
                           stdout=subprocess.PIPE, text=True)
        self.assertEqual(p.returncode, 0)
        for word in ("--series", "--range", "--repo", "--kernel", "--format",
                     "--output", "--sarif", "--email-from", "--mbox-format",
                     "--max-header-dirs", "--timeout", "email", "github", "gitlab",
                     "sarif", "exit status: 0", "1 it introduces",
                     "2 the tool failed, a patch does not apply"):
            self.assertIn(word, p.stdout)


if __name__ == "__main__":
    unittest.main()
