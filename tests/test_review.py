"""The pre-merge bot comments only on what a series introduces: a patch
that re-adds a DAX diversion to ext2's page-cache writeback is reported,
the ext2 finding the tree already had is not, and a harmless patch gets no
comment."""
import difflib
import json
import os
import subprocess
import sys
import tempfile
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(TESTS)
sys.path.insert(0, os.path.join(TOP, "kernel-integration"))
from daxlint_lib import tree  # noqa: E402
from daxlint_lib.engines.cocci import available  # noqa: E402

DAXLINT = os.path.join(TOP, "kernel-integration", "daxlint")
FILE = "fs/ext2/inode.c"
OLD = "\treturn mpage_writepages(mapping, wbc, ext2_get_block);\n"
DIVERT = ("\tif (dax_mapping(mapping))\n"
          "\t\treturn dax_writeback_mapping_range(mapping,\n"
          "\t\t\tEXT2_SB(mapping->host->i_sb)->s_daxdev, wbc);\n" + OLD)
COMMENT = OLD.replace("\treturn", "\t/* page-cache writeback only */\n\treturn")


def make_patch(kdir, new_text):
    with open(os.path.join(kdir, FILE)) as f:
        old = f.read()
    assert old.count(OLD) == 1
    new = old.replace(OLD, new_text)
    diff = difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                "a/" + FILE, "b/" + FILE)
    fd, path = tempfile.mkstemp(suffix=".patch")
    with os.fdopen(fd, "w") as f:
        f.write("Subject: [PATCH] test\n\n---\n" + "".join(diff))
    return path


def review(kdir, patch):
    p = subprocess.run([sys.executable, DAXLINT, "review", "-q", "--format",
                        "json", "--kernel", kdir, patch],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    return p.returncode, json.loads(p.stdout) if p.stdout else p.stderr


@unittest.skipUnless(available(), "spatch not installed")
class Review(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.kdir = tree.debian_tree()

    def test_series_finding_reported_old_one_not(self):
        patch = make_patch(self.kdir, DIVERT)
        try:
            rc, res = review(self.kdir, patch)
        finally:
            os.unlink(patch)
        self.assertEqual(rc, 1, res)
        self.assertEqual(res["checked"], ["fs/ext2"])
        got = {(c["rule"], c["file"], c["function"]) for c in res["comments"]}
        self.assertEqual(got, {("dax-writepages-divert", FILE,
                                "ext2_writepages")})

    def test_harmless_series_gets_no_comment(self):
        patch = make_patch(self.kdir, COMMENT)
        try:
            rc, res = review(self.kdir, patch)
        finally:
            os.unlink(patch)
        self.assertEqual(rc, 0, res)
        self.assertEqual(res["comments"], [])
