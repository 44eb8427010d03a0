"""The private apt configuration (daxlint_lib/apt.py): the Debian archive
the system uses, in a sources.list of daxlint's own; /etc/apt untouched."""
import os
import shutil
import sys
import tempfile
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(TESTS), "kernel-integration"))

from daxlint_lib import apt  # noqa: E402


class ArchiveUri(unittest.TestCase):
    def test_deb822(self):
        text = ("Types: deb\nURIs: http://mirror.example/debian-security\n"
                "Suites: bookworm-security\n\n"
                "Types: deb\nURIs: http://mirror.example/debian/\n"
                "Suites: bookworm\n")
        self.assertEqual(apt.archive_uri(text), "http://mirror.example/debian")

    def test_one_line(self):
        text = ("deb [arch=amd64] https://other.example/apt x main\n"
                "deb http://ftp.example.org/debian bookworm main\n")
        self.assertEqual(apt.archive_uri(text), "http://ftp.example.org/debian")

    def test_default(self):
        self.assertEqual(apt.archive_uri(""), apt.DEFAULT_URI)


class Options(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="daxlint-apt-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        old = os.environ.get("XDG_CACHE_HOME")
        os.environ["XDG_CACHE_HOME"] = self.dir
        self.addCleanup(lambda: os.environ.__setitem__("XDG_CACHE_HOME", old)
                        if old is not None else
                        os.environ.pop("XDG_CACHE_HOME", None))

    def test_private_sources(self):
        opts = apt.options(["deb-src"], ["sid", "trixie-backports"],
                           uri="http://m.example/debian")
        vals = dict(o.split("=", 1) for o in opts if "=" in o)
        src = vals["Dir::Etc::sourcelist"]
        self.assertTrue(src.startswith(os.path.join(self.dir, "daxlint")))
        with open(src) as fh:
            lines = fh.read().split("\n")
        self.assertIn("sid main", lines[0])
        self.assertTrue(all(l.startswith("deb-src") for l in lines if l))
        self.assertEqual(len([l for l in lines if l]), 2)
        self.assertEqual(vals["Dir::Etc::sourceparts"], "-")
        for key in ("Dir::State::Lists", "Dir::Cache"):
            self.assertTrue(vals[key].startswith(self.dir), key)
            self.assertTrue(os.path.isdir(vals[key]), key)

    def test_configurations_apart(self):
        a = apt.options(["deb"], ["sid"], uri="http://m.example/debian")
        b = apt.options(["deb"], ["bookworm"], uri="http://m.example/debian")
        self.assertNotEqual(a, b)


if __name__ == "__main__":
    unittest.main()


class LatestSource(unittest.TestCase):
    """Which package `daxlint tree --kernel-version latest` fetches: the
    newest linux-source of the v6.15 profile, whatever Debian ships."""
    from daxlint_lib import tree

    def test_newest_minor_wins(self):
        out = ("linux-source-7.2 - Linux kernel source for version 7.2\n"
               "linux-source-7.10 - Linux kernel source for version 7.10\n"
               "linux-source-7.3 - Linux kernel source for version 7.3\n"
               "linux-source-6.1 - Linux kernel source for version 6.1\n")
        self.assertEqual(self.tree.newest_source(out), "linux-source-7.10")

    def test_6_15_counts_and_older_do_not(self):
        self.assertEqual(self.tree.newest_source(
            "linux-source-6.16 - x\nlinux-source-6.12 - y\n"),
            "linux-source-6.16")
        self.assertIsNone(self.tree.newest_source(
            "linux-source-6.12 - y\nlinux-source-6.1 - z\n"))

    def test_other_packages_ignored(self):
        self.assertIsNone(self.tree.newest_source(
            "linux-source - meta\nlinux-source-7.3-rt - q\n"))
