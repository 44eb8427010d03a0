"""The pre-merge bot comments only on what a series introduces: a patch
that re-adds a DAX diversion to ext2's page-cache writeback is reported,
the ext2 finding the tree already had is not, and a harmless patch gets no
comment.  On the 6.1 tree with the cocci engine: a two-patch mbox whose
first patch breaks xfs's lock ordering and whose second edits a comment
in ext2 gets exactly one finding, attributed to the first; a finding
introduced and then fixed is not reported; a series that does not apply,
and the seed thread (14 patches of 2018), are refused with exit 2 and the
tree untouched; --range reviews the commits of a git repository.

The patches are made at test time from the tree's own files (difflib), so
their context always matches."""
import difflib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(TESTS)
sys.path.insert(0, os.path.join(TOP, "kernel-integration"))
from daxlint_lib import review_output, tree  # noqa: E402
from daxlint_lib.engines.cocci import available  # noqa: E402
from daxlint_lib.engines import sparse  # noqa: E402
sys.path.insert(0, TESTS)
from review_helpers import commit_all, git, mbox_messages  # noqa: E402

DAXLINT = os.path.join(TOP, "kernel-integration", "daxlint")
SEED = "/work/shared/seed/000_96873f31a3ad2b80.txt"
FILE = "fs/ext2/inode.c"
OLD = "\treturn mpage_writepages(mapping, wbc, ext2_get_block);\n"
DIVERT = ("\tif (dax_mapping(mapping))\n"
          "\t\treturn dax_writeback_mapping_range(mapping,\n"
          "\t\t\tEXT2_SB(mapping->host->i_sb)->s_daxdev, wbc);\n" + OLD)
COMMENT = OLD.replace("\treturn", "\t/* page-cache writeback only */\n\treturn")
XFS = "fs/xfs/xfs_iops.c"
XFS_OLD = "\t\tiolock = XFS_IOLOCK_EXCL | XFS_MMAPLOCK_EXCL;\n"
XFS_BAD = "\t\tiolock = XFS_IOLOCK_EXCL;\n"
PRE_EXISTING = ("unmap-breaks-layouts", FILE, "ext2_setsize")
# what the series of these tests touch (the seed's first patch: drivers/dax
# and fs/dax.c)
WATCHED = ["fs/ext2", "fs/xfs", "fs/dax.c", "drivers/dax"]


def diff(kdir, path, edits, base=None):
    """A -p1 diff of PATH applying EDITS [(old, new)] to BASE (default: the
    file in KDIR); returns (diff, new text)."""
    if base is None:
        with open(os.path.join(kdir, path)) as f:
            base = f.read()
    new = base
    for old, rep in edits:
        assert new.count(old) == 1, (path, old)
        new = new.replace(old, rep)
    d = difflib.unified_diff(base.splitlines(True), new.splitlines(True),
                             "a/" + path, "b/" + path)
    return "".join(d), new


def make_patch(kdir, new_text):
    fd, path = tempfile.mkstemp(suffix=".patch")
    with os.fdopen(fd, "w") as f:
        f.write("Subject: [PATCH] test\n\n---\n" +
                diff(kdir, FILE, [(OLD, new_text)])[0])
    return path


def mail(n, total, subject, body_diff, msgid):
    return ("From git@z Thu Jan  1 00:00:00 1970\n"
            "From: Ann Hacker <ann@example.org>\n"
            "Subject: [PATCH v2 %d/%d] %s\n"
            "Message-Id: <%s>\n"
            "In-Reply-To: <cover@example.org>\n"
            "References: <cover@example.org>\n\n"
            "From the changelog: a line that starts with From.\n\n"
            "Signed-off-by: Ann Hacker <ann@example.org>\n---\n%s\n"
            % (n, total, subject, msgid, body_diff))


def mbox(kdir, patches):
    """An mbox (cover letter first) of PATCHES [(subject, diff)]."""
    n = len(patches)
    text = ("From git@z Thu Jan  1 00:00:00 1970\n"
            "From: Ann Hacker <ann@example.org>\n"
            "Subject: [PATCH v2 0/%d] the series\n"
            "Message-Id: <cover@example.org>\n\nThe cover letter.\n\n" % n)
    for i, (subject, d) in enumerate(patches):
        text += mail(i + 1, n, subject, d, "p%d@example.org" % (i + 1))
    fd, path = tempfile.mkstemp(suffix=".mbx")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


def review_series(kdir, patches, *args):
    """daxlint review --series of an mbox of PATCHES, the mbox removed
    afterwards: (exit status, the JSON report or stderr)."""
    path = mbox(kdir, patches)
    try:
        return review(kdir, "--series", path, *args)
    finally:
        os.unlink(path)


def review(kdir, *args):
    p = subprocess.run([sys.executable, DAXLINT, "review", "-q", "--format",
                        "json", "--kernel", kdir] + list(args),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    return p.returncode, json.loads(p.stdout) if p.stdout else p.stderr


def fingerprint(kdir, paths):
    """What must not change in the tree: each file's content, inode, mode
    and mtime under PATHS, and the tree's top-level entries."""
    out = {"/": sorted(os.listdir(kdir))}
    for p in paths:
        top = os.path.join(kdir, p)
        walk = os.walk(top) if os.path.isdir(top) else \
            [(os.path.dirname(top), [], [os.path.basename(top)])]
        for d, _, fs in walk:
            for f in fs:
                full = os.path.join(d, f)
                st = os.lstat(full)
                with open(full, "rb") as fh:
                    h = hashlib.sha1(fh.read()).hexdigest()
                out[full] = (h, st.st_ino, st.st_mode, st.st_mtime_ns)
    return out


@unittest.skipUnless(available(), "spatch not installed")
class Review(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.kdir = tree.debian_tree()

    def setUp(self):
        self.before = fingerprint(self.kdir, WATCHED)

    def tearDown(self):
        self.assertEqual(fingerprint(self.kdir, WATCHED), self.before,
                         "the tree was modified")

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
        # fs/ext2/inode.c has a finding already (ext2_setsize): a series
        # touching only that file is not told about it
        patch = make_patch(self.kdir, COMMENT)
        try:
            rc, res = review(self.kdir, patch)
        finally:
            os.unlink(patch)
        self.assertEqual(rc, 0, res)
        self.assertEqual(res["comments"], [])
        self.assertEqual(res["checked"], ["fs/ext2"])
        # the scratch tree sees what the tree does: nothing "fixed" either
        self.assertEqual(res["fixed"], [])
        self.assertEqual((res["errors"], res["transient"]), ([], []))

    def test_two_patch_mbox_attributed_to_the_first(self):
        xfs = diff(self.kdir, XFS, [(XFS_OLD, XFS_BAD)])[0]
        ext2 = diff(self.kdir, FILE, [(OLD, COMMENT)])[0]
        fd, sarif = tempfile.mkstemp(suffix=".sarif")
        os.close(fd)
        try:
            rc, res = review_series(
                self.kdir, [("xfs: take the iolock alone", xfs),
                            ("ext2: say what writeback does", ext2)],
                "--sarif", sarif)
            with open(sarif) as fh:
                doc = json.load(fh)
        finally:
            os.unlink(sarif)
        self.assertEqual(rc, 1, res)
        self.assertEqual(sorted(res["checked"]), ["fs/ext2", "fs/xfs"])
        got = [(c["rule"], c["file"], c["function"]) for c in res["comments"]]
        self.assertEqual(got, [("break-layouts-mmaplock", XFS,
                                "xfs_vn_setattr")])
        self.assertNotIn(PRE_EXISTING, got)
        self.assertEqual((res["fixed"], res["errors"]), ([], []))
        ib = res["comments"][0]["introduced_by"]
        self.assertEqual((ib["index"], ib["total"], ib["version"],
                          ib["subject"], ib["message_id"]),
                         (1, 2, 2, "xfs: take the iolock alone",
                          "p1@example.org"))
        # the email reply threads under patch 1 and quotes its hunk
        msgs = mbox_messages(review_output.render(res, "email"))
        self.assertEqual(len(msgs), 1)
        self.assertEqual(msgs[0]["In-Reply-To"], "<p1@example.org>")
        self.assertEqual(msgs[0]["Subject"],
                         "Re: [PATCH v2 1/2] xfs: take the iolock alone")
        body = msgs[0].get_content().splitlines()
        if ib["line"]:
            self.assertIn("> +" + XFS_BAD.rstrip("\n"), body)
        self.assertIn("function: xfs_vn_setattr", body)
        # the SARIF file of the same run
        self.assertEqual(doc["version"], "2.1.0")
        self.assertEqual([r["ruleId"] for r in doc["runs"][0]["results"]],
                         ["break-layouts-mmaplock"])
        self.assertIn("daxlint/v1",
                      doc["runs"][0]["results"][0]["partialFingerprints"])

    def test_introduced_then_fixed_not_reported(self):
        d1, mid = diff(self.kdir, FILE, [(OLD, DIVERT)])
        d2, _ = diff(self.kdir, FILE, [(DIVERT, OLD)], base=mid)
        rc, res = review_series(self.kdir, [("ext2: divert", d1),
                                            ("ext2: undo", d2)])
        self.assertEqual(rc, 0, res)
        self.assertEqual(res["comments"], [])
        self.assertEqual([(t["rule"], t["function"],
                           t["introduced_by"]["index"],
                           t["removed_by"]["index"])
                          for t in res["transient"]],
                         [("dax-writepages-divert", "ext2_writepages", 1, 2)])

    def test_series_that_does_not_apply(self):
        d1, _ = diff(self.kdir, FILE, [(OLD, COMMENT)])
        # made against the tree, not against patch 1: its context (the
        # lines before the return) no longer matches once patch 1 is in
        d2, _ = diff(self.kdir, FILE, [(OLD, DIVERT)])
        rc, err = review_series(self.kdir, [("ext2: comment", d1),
                                            ("ext2: stale", d2)])
        self.assertEqual(rc, 2, err)
        self.assertIn("[PATCH v2 2/2] ext2: stale (<p2@example.org>) does "
                      "not apply: fs/ext2/inode.c: hunk #1 FAILED", err)
        self.assertNotIn("Traceback", err)

    @unittest.skipUnless(os.path.isfile(SEED), "the seed thread is not here")
    def test_seed_thread_refused(self):
        rc, err = review(self.kdir, "--series", SEED)
        self.assertEqual(rc, 2, err)
        self.assertIn("[PATCH v7 1/14] dax: store pfns in the radix", err)
        self.assertIn("does not apply", err)
        self.assertNotIn("Traceback", err)

    def test_range(self):
        repo = tempfile.mkdtemp()
        try:
            os.makedirs(os.path.join(repo, "fs/ext2"))
            shutil.copy(os.path.join(self.kdir, FILE),
                        os.path.join(repo, FILE))

            def commit(old, new, subject):
                with open(os.path.join(repo, FILE)) as fh:
                    text = fh.read()
                with open(os.path.join(repo, FILE), "w") as fh:
                    fh.write(text.replace(old, new))
                return commit_all(repo, subject)

            git(repo, "init", "-q")
            base = commit_all(repo, "base")
            commit(OLD, COMMENT, "ext2: comment")
            c2 = commit("\t/* page-cache writeback only */\n",
                        "\t/* page-cache writeback only */\n" +
                        DIVERT[:-len(OLD)], "ext2: divert DAX writeback")
            rc, res = review(self.kdir, "--repo", repo, "--range",
                             base + "..HEAD")
        finally:
            shutil.rmtree(repo)
        self.assertEqual(rc, 1, res)
        self.assertEqual([(c["rule"], c["function"],
                           c["introduced_by"]["index"],
                           c["introduced_by"]["commit"],
                           c["introduced_by"]["subject"])
                          for c in res["comments"]],
                         [("dax-writepages-divert", "ext2_writepages", 2, c2,
                           "ext2: divert DAX writeback")])


@unittest.skipUnless(sparse.available(), "daxlint-sparse cannot be built")
class ReviewWithSparse(unittest.TestCase):
    """The build-based engine, opt-in for a bot (docs/review.md): the same
    two-patch series, checked with kbuild's units of the scratch copy."""

    @classmethod
    def setUpClass(cls):
        cls.kdir = tree.debian_tree()

    def test_two_patch_mbox_attributed_to_the_first(self):
        before = fingerprint(self.kdir, WATCHED)
        xfs = diff(self.kdir, XFS, [(XFS_OLD, XFS_BAD)])[0]
        ext2 = diff(self.kdir, FILE, [(OLD, COMMENT)])[0]
        rc, res = review_series(self.kdir,
                                [("xfs: take the iolock alone", xfs),
                                 ("ext2: say what writeback does", ext2)],
                                "--engines", "sparse")
        self.assertEqual(fingerprint(self.kdir, WATCHED), before,
                         "the tree was modified")
        self.assertEqual(rc, 1, res)
        self.assertEqual([(c["rule"], c["file"], c["function"],
                           c["engines"], c["introduced_by"]["index"])
                          for c in res["comments"]],
                         [("break-layouts-mmaplock", XFS, "xfs_vn_setattr",
                           ["sparse"], 1)])
        self.assertEqual((res["fixed"], res["errors"]), ([], []))


class RefusedOnTheTree(unittest.TestCase):
    """Refusals need no engine: they come before anything is applied."""

    @classmethod
    def setUpClass(cls):
        cls.kdir = tree.debian_tree()

    def test_path_through_a_symlink_of_the_tree(self):
        # scripts/dummy-tools/nm is a symlink of the 6.1 tree
        link = os.path.join(self.kdir, "scripts/dummy-tools/nm")
        self.assertTrue(os.path.islink(link))
        target = os.path.realpath(link)
        st = os.stat(target)
        fd, path = tempfile.mkstemp(suffix=".patch")
        with os.fdopen(fd, "w") as f:
            f.write("Subject: [PATCH] tools: nm\n\n---\n"
                    "--- a/scripts/dummy-tools/nm\n"
                    "+++ b/scripts/dummy-tools/nm\n"
                    "@@ -1 +1,2 @@\n #!/bin/sh\n+echo owned\n")
        try:
            rc, err = review(self.kdir, path)
        finally:
            os.unlink(path)
        self.assertEqual(rc, 2, err)
        self.assertIn("refused: scripts/dummy-tools/nm goes through "
                      "scripts/dummy-tools/nm, a symlink in the tree", err)
        self.assertEqual(os.stat(target).st_mtime_ns, st.st_mtime_ns)


if __name__ == "__main__":
    unittest.main()
