"""Which files and directories the prefilters select (cocci_select's
candidates(), and the sparse engine's directory test for
unmap-breaks-layouts, which reads the same rule header).

A directory rule with `// Prefilter-own-calls: no` is not selected by
calls of an API that the directory defines itself: fs/dax.c calling the
fs-DAX API it implements makes fs/ no user of it (docs/cocci.md)."""
import os
import shutil
import sys
import tempfile
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(TESTS)
sys.path.insert(0, os.path.join(TOP, "kernel-integration"))
from daxlint_lib.engines import cocci_select, sparse_select  # noqa: E402

FILES = {
    # the API's implementation: its functions call each other
    "fs/impl/dax.c": """\
int dax_zero_range(struct inode *inode, loff_t pos, loff_t len,
		   bool *did_zero, const struct iomap_ops *ops)
{
	return 0;
}

int dax_truncate_page(struct inode *inode, loff_t pos, bool *did_zero,
		      const struct iomap_ops *ops)
{
	return dax_zero_range(inode, pos, 1, did_zero, ops);
}
""",
    "fs/impl/inode.c": """\
void impl_init(struct inode *inode)
{
	if (IS_DAX(inode))
		inode->i_flags |= S_SYNC;
}
""",
    # a filesystem that uses it
    "fs/user/file.c": """\
int user_zero(struct inode *inode)
{
	return dax_zero_range(inode, 0, 1, NULL, &user_iomap_ops);
}
""",
    "fs/user/super.c": "int user_other;\n",
    # one that makes its inodes DAX
    "fs/sdax/inode.c": """\
void sdax_flags(struct inode *inode)
{
	inode->i_flags |= S_DAX;
}
""",
    # generic code that only tests other inodes
    "mm/filemap.c": """\
bool mm_skip(struct inode *inode)
{
	return IS_DAX(inode);
}
""",
}


class OwnCalls(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="daxlint-prefilter-")
        for rel, text in FILES.items():
            path = os.path.join(self.root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as fh:
                fh.write(text)
        sparse_select.forget_dax_fs_dirs()

    def tearDown(self):
        shutil.rmtree(self.root, ignore_errors=True)
        sparse_select.forget_dax_fs_dirs()

    def test_cocci_directories(self):
        c = cocci_select.candidates(
            self.root, ["."], ["unmap-breaks-layouts", "dax-aops-select",
                               "dax-aops-shape"])
        self.assertEqual(c["unmap-breaks-layouts"],
                         ["fs/user/file.c", "fs/user/super.c"])
        for r in ("dax-aops-select", "dax-aops-shape"):
            self.assertEqual(c[r], ["fs/sdax/inode.c", "fs/user/file.c",
                                    "fs/user/super.c"], r)

    def test_sparse_unmap_directories(self):
        got = dict((d, sparse_select.dax_fs_dir(self.root, d))
                   for d in ("fs/impl", "fs/user", "fs/sdax", "mm"))
        self.assertEqual(got, {"fs/impl": False, "fs/user": True,
                               "fs/sdax": False, "mm": False})

    def test_a_use_next_to_the_implementation_selects(self):
        # a file of the implementing directory that calls an API function
        # defined elsewhere is a use
        with open(os.path.join(self.root, "fs/impl/iomap.c"), "w") as fh:
            fh.write("int impl_rw(struct kiocb *iocb, struct iov_iter *to)\n"
                     "{\n\treturn dax_iomap_rw(iocb, to, &impl_ops);\n}\n")
        c = cocci_select.candidates(self.root, ["."],
                                    ["unmap-breaks-layouts"])
        self.assertIn("fs/impl/dax.c", c["unmap-breaks-layouts"])
        self.assertTrue(sparse_select.dax_fs_dir(self.root, "fs/impl"))


if __name__ == "__main__":
    unittest.main()
