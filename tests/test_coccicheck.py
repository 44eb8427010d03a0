"""The kernel's own 'make coccicheck' runs the installed rules: in a
hard-linked copy of Debian's 6.1 tree, after install-cocci.sh,
'make coccicheck MODE=report M=fs/ext2' prints the expected ext2 finding(s)
and the org/context modes run."""
import json
import os
import re
import shutil
import subprocess
import sys
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(TESTS)
sys.path.insert(0, os.path.join(TOP, "kernel-integration"))
from daxlint_lib import cachedir, tree  # noqa: E402
from daxlint_lib.engines.cocci import available  # noqa: E402
from daxlint_lib.engines.cocci_spatch import REPORT_RX  # noqa: E402

INSTALL = os.path.join(TOP, "kernel-integration", "install-cocci.sh")
EXPECTED = os.path.join(TESTS, "realtree", "expected-6.1.json")


def kernel_copy():
    src = tree.debian_tree()
    dst = os.path.join(cachedir.cache_dir("scratch"), "coccicheck")
    shutil.rmtree(dst, ignore_errors=True)
    subprocess.run(["cp", "-al", src, dst], check=True)
    subprocess.run(["bash", INSTALL, dst], check=True,
                   stdout=subprocess.DEVNULL)
    return dst


@unittest.skipUnless(available(), "spatch not installed")
class Coccicheck(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.kdir = kernel_copy()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.kdir, ignore_errors=True)

    def make(self, mode, rule):
        p = subprocess.run(
            ["make", "-s", "coccicheck", "MODE=" + mode, "M=fs/ext2",
             "COCCI=scripts/coccinelle/dax/%s.cocci" % rule],
            cwd=self.kdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True)
        return p

    def test_report_prints_ext2_finding(self):
        with open(EXPECTED) as f:
            want = [x for x in json.load(f) if x["file"].startswith("fs/ext2/")]
        self.assertTrue(want, "expected-6.1.json has no ext2 finding")
        for rule in sorted({x["rule"] for x in want}):
            p = self.make("report", rule)
            self.assertEqual(p.returncode, 0, p.stdout[-3000:])
            got = set()
            for line in p.stdout.splitlines():
                m = REPORT_RX.match(line)
                if m:
                    got.add((m.group("rule"), os.path.normpath(m.group("file")),
                             m.group("func")))
            for x in want:
                if x["rule"] == rule:
                    self.assertIn((rule, x["file"], x["function"]), got,
                                  p.stdout[-3000:])

    def test_org_and_context_modes_run(self):
        with open(EXPECTED) as f:
            rule = [x for x in json.load(f)
                    if x["file"].startswith("fs/ext2/")][0]["rule"]
        org = self.make("org", rule)
        self.assertEqual(org.returncode, 0, org.stdout[-3000:])
        self.assertRegex(org.stdout, r"(?m)^\* TODO")
        ctx = self.make("context", rule)
        self.assertEqual(ctx.returncode, 0, ctx.stdout[-3000:])
