"""`daxlint review`'s inputs, without an engine: mbox splitting (only on real
envelope lines, mboxrd unquoting), subjects read the way b4 reads them,
cover letters and replies skipped, incomplete series refused with the
missing parts named, directories of format-patch files, the saved
public-inbox thread of the seed (14 patches) and size bounds."""
import os
import sys
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(TESTS)
sys.path.insert(0, os.path.join(TOP, "kernel-integration"))
from daxlint_lib import review_series as rs  # noqa: E402
sys.path.insert(0, TESTS)
from review_helpers import ScratchDir, commit_all, git  # noqa: E402

SEED = "/work/shared/seed/000_96873f31a3ad2b80.txt"
SEED_SUBJECTS = [
    "dax: store pfns in the radix",
    "fs, dax: prepare for dax-specific address_space_operations",
    "block, dax: remove dead code in blkdev_writepages()",
    "xfs, dax: introduce xfs_dax_aops",
    "ext4, dax: introduce ext4_dax_aops",
    "ext2, dax: introduce ext2_dax_aops",
    "fs, dax: use page->mapping to warn if truncate collides with a busy page",
    "mm, dax: enable filesystems to trigger dev_pagemap ->page_free callbacks",
    "mm, dev_pagemap: introduce CONFIG_DEV_PAGEMAP_OPS",
    "memremap: mark devm_memremap_pages() EXPORT_SYMBOL_GPL",
    "mm, fs, dax: handle layout changes to pinned dax mappings",
    "xfs: prepare xfs_break_layouts() to be called with XFS_MMAPLOCK_EXCL",
    "xfs: prepare xfs_break_layouts() for another layout type",
    "xfs, dax: introduce xfs_break_dax_layouts()",
]

DIFF = ("---\n"
        " fs/foo/a.c | 1 +\n"
        "\n"
        "diff --git a/fs/foo/a.c b/fs/foo/a.c\n"
        "index 1111111..2222222 100644\n"
        "--- a/fs/foo/a.c\n"
        "+++ b/fs/foo/a.c\n"
        "@@ -1,2 +1,3 @@\n"
        " int a;\n"
        "+int b%d;\n"
        " int c;\n")


def mail(subject, n=0, body="A change.\n", diff=True, msgid=None,
         envelope="From 0123456789abcdef0123456789abcdef01234567 "
                  "Mon Sep 17 00:00:00 2001", reply_to=None):
    head = [envelope,
            "From: Ann Hacker <ann@example.org>",
            "Date: Wed, 21 Mar 2018 15:57:00 -0700",
            "Subject: %s" % subject,
            "Message-Id: <%s>" % (msgid or "m%d@example.org" % n)]
    if reply_to:
        head += ["In-Reply-To: <%s>" % reply_to,
                 "References: <%s>" % reply_to]
    return "\n".join(head) + "\n\n" + body + "\n" + \
        (DIFF % n if diff else "") + "\n"


def series(total=2, version=None, skip=(), cover=True, prefix="PATCH"):
    v = " v%d" % version if version else ""
    out = []
    if cover:
        out.append(mail("[%s%s 0/%d] the cover" % (prefix, v, total), 0,
                        diff=False))
    for n in range(1, total + 1):
        if n not in skip:
            out.append(mail("[%s%s %d/%d] change %d" % (prefix, v, n, total,
                                                        n), n))
    return "".join(out)


class Split(unittest.TestCase):
    def test_envelope_lines_only(self):
        body = ("From the very start this was broken:\n"
                "From me Mon this is no date\n")
        msgs = rs.split_mbox(mail("[PATCH 1/1] x", 1, body=body))
        self.assertEqual(len(msgs), 1)
        self.assertIn("From the very start", msgs[0])

    def test_body_line_from_does_not_split_a_series(self):
        text = (mail("[PATCH 1/2] one", 1, body="\nFrom here on, x.\n") +
                mail("[PATCH 2/2] two", 2))
        patches, _ = rs.assemble([rs.parse_mail(m) for m in
                                  rs.split_mbox(text)], "t")
        self.assertEqual([p.subject for p in patches], ["one", "two"])
        self.assertIn("From here on, x.", patches[0].diff)

    def test_mboxrd_unquoted_one_level(self):
        body = ">From the start.\n>>From a quote.\n> From not quoted\n"
        msgs = rs.split_mbox(mail("[PATCH] x", 1, body=body))
        m = rs.parse_mail(msgs[0])
        self.assertTrue(m["body"].startswith("From the start."))
        self.assertIn("\n>From a quote.", m["body"])
        self.assertIn("\n> From not quoted", m["body"])
        raw = rs.parse_mail(rs.split_mbox(mail("[PATCH] x", 1, body=body),
                                          mboxrd=False)[0])
        self.assertIn(">From the start.", raw["body"])

    def test_b4_and_mailer_envelopes(self):
        for env in ("From git@z Thu Jan  1 00:00:00 1970",
                    "From ann@example.org Wed Mar 21 22:57:01 2018",
                    "From 0123abcd Mon Sep 17 00:00:00 2001"):
            text = mail("[PATCH 1/2] a", 1, envelope=env) + \
                mail("[PATCH 2/2] b", 2, envelope=env)
            self.assertEqual(len(rs.split_mbox(text)), 2, env)


class Subjects(unittest.TestCase):
    def test_b4_style_prefixes(self):
        s = rs.Subject("[RFC PATCH net-next v3 02/11] foo: bar [baz]")
        self.assertEqual((s.counter, s.version, s.title),
                         ((2, 11), 3, "foo: bar [baz]"))
        self.assertEqual(s.tags, ["RFC", "PATCH", "net-next"])
        self.assertFalse(s.reply)
        s = rs.Subject("[PATCH v2] [PATCH 3/4] x")
        self.assertEqual((s.counter, s.version, s.title), ((3, 4), 2, "x"))
        self.assertTrue(rs.Subject("Re: [PATCH 1/2] x").reply)
        self.assertTrue(rs.Subject("RE: re: [PATCH 1/2] x").reply)
        self.assertEqual(rs.Subject("[PATCH] x").counter, None)

    def test_encoded_subject(self):
        text = mail("=?UTF-8?Q?=5BPATCH_1/1=5D_caf=C3=A9?=", 1)
        patches, _ = rs.assemble([rs.parse_mail(m) for m in
                                  rs.split_mbox(text)], "t")
        self.assertEqual(patches[0].subject, "caf\u00e9")

    def test_8bit_subject_and_body(self):
        # a diff's context must reach patch byte for byte: a str-parsed mail
        # would come back Latin-1 re-encoded and no longer match the tree
        text = ("Subject: [PATCH] caf\u00e9\n folded\n"
                "Content-Type: text/plain; charset=UTF-8\n"
                "Content-Transfer-Encoding: 8bit\n\n"
                "--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n"
                "-/* J\u00e9r\u00f4me */\n+/* J */\n")
        m = rs.parse_mail(text)
        self.assertEqual(m["subject"], "[PATCH] caf\u00e9 folded")
        self.assertIn("-/* J\u00e9r\u00f4me */\n", m["body"])

    def test_quoted_printable_and_attachment(self):
        qp = ("Subject: [PATCH 1/2] qp\nMIME-Version: 1.0\n"
              "Content-Type: text/plain; charset=UTF-8\n"
              "Content-Transfer-Encoding: quoted-printable\n\n"
              "--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-int x;\n"
              "+int x =3D 1; /* a long line, soft-=\nbroken */\n")
        self.assertIn("+int x = 1; /* a long line, soft-broken */",
                      rs.parse_mail(qp)["body"])
        att = ("Subject: [PATCH 2/2] att\nMIME-Version: 1.0\n"
               "Content-Type: multipart/mixed; boundary=XX\n\n"
               "--XX\nContent-Type: text/plain\n\nSee the patch.\n"
               "--XX\nContent-Type: text/x-patch; name=a.patch\n"
               "Content-Transfer-Encoding: base64\n\n"
               "LS0tIGEveC5jCisrKyBiL3guYwpAQCAtMSArMSBAQAotaW50IHg7CitpbnQgeTsK"
               "\n--XX\nContent-Type: application/octet-stream\n\n"
               "binary junk\n--XX--\n")
        body = rs.parse_mail(att)["body"]
        self.assertIn("See the patch.", body)
        self.assertIn("+int y;", body)
        self.assertNotIn("binary junk", body)


class Assemble(unittest.TestCase):
    def parse(self, text):
        return rs.assemble([rs.parse_mail(m) for m in rs.split_mbox(text)],
                           "test.mbx")

    def test_order_cover_and_replies(self):
        text = (mail("[PATCH v2 2/3] second", 2) +
                mail("Re: [PATCH v2 1/3] first", 9, msgid="r@x",
                     reply_to="m1@example.org") +
                mail("[PATCH v2 0/3] cover", 0, diff=False) +
                mail("[PATCH v2 3/3] third", 3) +
                mail("[PATCH v2 1/3] first", 1))
        patches, notes = self.parse(text)
        self.assertEqual([(p.index, p.total, p.version, p.subject)
                          for p in patches],
                         [(1, 3, 2, "first"), (2, 3, 2, "second"),
                          (3, 3, 2, "third")])
        self.assertEqual(patches[0].message_id, "m1@example.org")
        self.assertTrue(any("cover letter" in n for n in notes))
        self.assertIn("+int b1;", patches[0].diff)

    def test_unnumbered_follow_up_left_out(self):
        patches, notes = self.parse(series(2) + mail("[PATCH] a fixup", 7))
        self.assertEqual([p.subject for p in patches],
                         ["change 1", "change 2"])
        self.assertIn("not part of the numbered series, left out: "
                      "[PATCH] a fixup", notes)

    def test_missing_parts_named(self):
        with self.assertRaises(rs.SeriesError) as cm:
            self.parse(series(total=5, skip=(2, 4)))
        self.assertIn("missing patch(es) 2/5, 4/5 of 5", str(cm.exception))

    def test_newest_version_taken(self):
        patches, notes = self.parse(series(2, version=1) +
                                    series(2, version=3))
        self.assertEqual({p.version for p in patches}, {3})
        self.assertTrue(any("reviewing v3" in n for n in notes))

    def test_no_patch(self):
        with self.assertRaises(rs.SeriesError):
            self.parse(mail("[PATCH 0/1] only a cover", 0, diff=False))

    def test_numbered_patch_without_diff(self):
        with self.assertRaises(rs.SeriesError) as cm:
            self.parse(mail("[PATCH 1/1] empty", 1, diff=False))
        self.assertIn("has no diff", str(cm.exception))

    def test_garbage_is_a_clean_error(self):
        for text in ("", "\x00\x01\x02", "From x Mon Jan  1 00:00:00 2001\n",
                     "Subject: [PATCH 1/1]\n\n@@ -1 +1 @@\n"):
            with self.assertRaises(rs.SeriesError):
                self.parse(text)


class Files(ScratchDir, unittest.TestCase):
    def test_format_patch_directory(self):
        d = os.path.join(self.tmp, "out")
        os.mkdir(d)
        for n in (2, 1):
            with open(os.path.join(d, "%04d-change-%d.patch" % (n, n)),
                      "w") as fh:
                fh.write(mail("[PATCH %d/2] change %d" % (n, n), n))
        with open(os.path.join(d, "0000-cover-letter.patch"), "w") as fh:
            fh.write(mail("[PATCH 0/2] cover", 0, diff=False))
        with open(os.path.join(d, "README"), "w") as fh:
            fh.write("not a patch")
        patches, _ = rs.read_series(d)
        self.assertEqual([p.subject for p in patches],
                         ["change 1", "change 2"])
        self.assertEqual(patches[1].source, "0002-change-2.patch")

    def test_too_big_refused(self):
        p = self.write("big.mbx", "x" * (rs.MAX_BYTES + 1))
        with self.assertRaises(rs.SeriesError) as cm:
            rs.read_series(p)
        self.assertIn("refused", str(cm.exception))

    def test_too_many_patches_refused(self):
        old = rs.MAX_PATCHES
        rs.MAX_PATCHES = 3
        try:
            with self.assertRaises(rs.SeriesError):
                rs.read_series(self.write("s.mbx", series(4)))
        finally:
            rs.MAX_PATCHES = old

    def test_plain_diff_patch_file(self):
        p = self.write("a.diff", DIFF % 7)
        patches, _ = rs.read_patch_files([p])
        self.assertEqual(patches[0].subject, "a.diff")
        self.assertIn("+int b7;", patches[0].diff)

    def test_bad_range_syntax(self):
        for r in ("HEAD", "--output=/tmp/x..HEAD", "a..-b", "a b..c"):
            with self.assertRaises(rs.SeriesError) as cm:
                rs.read_range(self.tmp, r)
            self.assertIn("--range wants BASE..HEAD", str(cm.exception))


def git_repo(tmp, commits):
    """A git repository in TMP with a base commit and then COMMITS
    [(subject, text of fs/foo/a.c)]; returns [base, sha...]."""
    os.makedirs(os.path.join(tmp, "fs/foo"))
    shas = []
    git(tmp, "init", "-q")
    for subject, text in [("base", "int a;\n")] + commits:
        with open(os.path.join(tmp, "fs/foo/a.c"), "w") as fh:
            fh.write(text)
        shas.append(commit_all(tmp, subject))
    return shas


class RangeInput(ScratchDir, unittest.TestCase):
    def test_commits_in_order_with_ids(self):
        shas = git_repo(self.tmp, [
            ("foo: one", "int a;\nint b;\n"),
            ("foo: two\n\nFrom the body: a line.", "int a;\nint c;\n")])
        patches, notes = rs.read_range(self.tmp, shas[0] + "..HEAD")
        self.assertEqual([(p.index, p.total, p.subject, p.commit)
                          for p in patches],
                         [(1, 2, "foo: one", shas[1]),
                          (2, 2, "foo: two", shas[2])])
        self.assertIn("+int c;", patches[1].diff)
        self.assertIn("From the body: a line.", patches[1].diff)
        self.assertEqual(patches[1].ident(), "commit " + shas[2][:12])

    def test_tree_must_be_at_base(self):
        shas = git_repo(self.tmp, [("foo: one", "int b;\n")])
        with self.assertRaises(rs.SeriesError) as cm:
            rs.check_tree_at_base(self.tmp, self.tmp, shas[0] + "..HEAD")
        self.assertIn("not at the range's BASE", str(cm.exception))
        rs.check_tree_at_base(self.tmp, self.tmp, "HEAD..HEAD")
        rs.check_tree_at_base("/", self.tmp, shas[0] + "..HEAD")

    def test_empty_range(self):
        git_repo(self.tmp, [])
        with self.assertRaises(rs.SeriesError) as cm:
            rs.read_range(self.tmp, "HEAD..HEAD")
        self.assertIn("no commits", str(cm.exception))


@unittest.skipUnless(os.path.isfile(SEED), "the seed thread is not here")
class SeedThread(unittest.TestCase):
    def test_fourteen_patches(self):
        patches, notes = rs.read_series(SEED)
        self.assertEqual([p.subject for p in patches], SEED_SUBJECTS)
        self.assertEqual({(p.total, p.version) for p in patches}, {(14, 7)})
        self.assertEqual(patches[0].full_subject,
                         "[PATCH v7 01/14] dax: store pfns in the radix")
        self.assertTrue(all(p.author == "Dan Williams" for p in patches))
        self.assertTrue(any("cover letter" in n for n in notes))
        # the body of a patch, and not the replies quoting it
        self.assertIn("diff --git a/fs/xfs/xfs_file.c", patches[13].diff)
        self.assertNotIn("Reviewed-by: Christoph Hellwig", patches[11].diff)


if __name__ == "__main__":
    unittest.main()
