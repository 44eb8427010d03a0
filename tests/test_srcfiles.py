"""srcfiles.grep splits a tree between several greps: the split never
changes which files match (hidden directories skipped, only .c files,
a path that is a file, paths below two levels)."""
import os
import shutil
import sys
import tempfile
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(TESTS)
sys.path.insert(0, os.path.join(TOP, "kernel-integration"))
from daxlint_lib import srcfiles  # noqa: E402

FILES = {
    "a.c": "S_DAX\n",
    "b.h": "S_DAX\n",
    "fs/x.c": "nothing\n",
    "fs/xfs/xfs_iops.c": "inode->i_flags |= S_DAX;\n",
    "fs/xfs/libxfs/xfs_inode_buf.c": "S_DAX\n",
    "fs/xfs/libxfs/deep/more/y.c": "S_DAX\n",
    "fs/ext2/inode.c": "no flag here\n",
    "fs/ext2/inode.h": "S_DAX\n",
    "drivers/dax/super.c": "S_DAX\n",
    ".git/z.c": "S_DAX\n",
    "fs/.hidden/w.c": "S_DAX\n",
}


class Grep(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="daxlint-srcfiles-")
        for path, text in FILES.items():
            full = os.path.join(self.root, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w") as fh:
                fh.write(text)

    def tearDown(self):
        shutil.rmtree(self.root)

    def test_split_greps_find_what_one_grep_finds(self):
        want = ["a.c", "drivers/dax/super.c", "fs/xfs/libxfs/deep/more/y.c",
                "fs/xfs/libxfs/xfs_inode_buf.c", "fs/xfs/xfs_iops.c"]
        for paths in (["."], ["fs", "drivers"], ["fs/xfs"],
                      ["fs/xfs/xfs_iops.c", "fs/ext2"]):
            one = srcfiles.grep(self.root, paths, r"\bS_DAX\b", jobs=1)
            self.assertEqual(one, [f for f in want if srcfiles.within(
                f, paths)], paths)
            for jobs in (2, 3, 7):
                self.assertEqual(srcfiles.grep(self.root, paths,
                                               r"\bS_DAX\b", jobs=jobs),
                                 one, (paths, jobs))

    def test_a_bad_regex_is_an_error(self):
        with self.assertRaises(RuntimeError):
            srcfiles.grep(self.root, ["."], "(", jobs=2)


if __name__ == "__main__":
    unittest.main()
