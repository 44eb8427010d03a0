"""The tidy engine on kernel trees, piece by piece (engines/tidy_kbuild.py,
tidy_select.py, tidy_units.py): the units it picks, how it reads kbuild's
records of a unit, how a gcc command line becomes one clang 16 takes.  The
whole-tree runs and the real-tree mutations are in test_realtree.py."""
import os
import shlex
import shutil
import sys
import tempfile
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(TESTS)
sys.path.insert(0, os.path.join(TOP, "kernel-integration"))
from daxlint_lib.engines import tidy_kbuild, tidy_select  # noqa: E402


def write_tree(root, files):
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as fh:
            fh.write(text)


class SelectTest(unittest.TestCase):
    """A check that judges what one unit defines runs only on the units
    that define it; the others keep the rule's Coccinelle selection."""

    def test_aops_units_of_a_dax_directory(self):
        with tempfile.TemporaryDirectory() as root:
            write_tree(root, {
                # a filesystem with DAX inodes: it calls the fs-DAX API
                "fs/demo/file.c": "int f(void) { return dax_iomap_rw(a, b, c); }\n",
                "fs/demo/aops.c": "const struct address_space_operations "
                                  "demo_aops = { };\n",
                "fs/demo/super.c": "int g(void) { return 0; }\n",
                # no DAX inode here: its aops cannot be a DAX aops
                "fs/plain/aops.c": "const struct address_space_operations "
                                   "plain_aops = { };\n",
                "fs/plain/dax.c": "int h(void) { return BREAK_UNMAPI; }\n",
            })
            c = tidy_select.candidates(root, ["fs"], ["dax-aops-shape",
                                                      "removed-api"])
        self.assertEqual(c["dax-aops-shape"], ["fs/demo/aops.c"])
        self.assertEqual(c["removed-api"], ["fs/plain/dax.c"])
        self.assertEqual(tidy_select.rules_of_units(c), {
            "fs/demo/aops.c": ["dax-aops-shape"],
            "fs/plain/dax.c": ["removed-api"]})


class RecordTest(unittest.TestCase):
    """What kbuild wrote down about a unit (dir/.name.o.cmd, .name.i.cmd)."""

    CMD = ("savedcmd_fs/demo/aops.o := clang-16 -Wp,-MMD,fs/demo/.aops.o.d "
           "-nostdinc -I/src/include -DKBUILD_BASENAME='\"aops\"' -c -o "
           "fs/demo/aops.o /src/fs/demo/aops.c\n\n"
           "source_fs/demo/aops.o := /src/fs/demo/aops.c\n\n"
           "deps_fs/demo/aops.o := \\\n"
           "  /src/include/linux/kconfig.h \\\n"
           "    $(wildcard include/config/CPU_BIG_ENDIAN) \\\n"
           "  include/generated/autoconf.h \\\n"
           "  /src/fs/demo/demo.h \\\n\n"
           "fs/demo/aops.o: $(deps_fs/demo/aops.o)\n")

    def test_deps_without_config_wildcards(self):
        with tempfile.TemporaryDirectory() as obj:
            write_tree(obj, {"fs/demo/.aops.o.cmd": self.CMD})
            self.assertEqual(tidy_kbuild.unit_deps(obj, "fs/demo/aops.c"), [
                "/src/include/linux/kconfig.h",
                os.path.join(obj, "include/generated/autoconf.h"),
                "/src/fs/demo/demo.h"])
            self.assertIsNone(tidy_kbuild.unit_deps(obj, "fs/demo/x.c"))

    def test_preprocessing_record_gives_the_compile_line(self):
        """A unit that never compiled gets its command line from kbuild's
        record of preprocessing it ($(CPP) $(c_flags))."""
        cmd = self.CMD.replace("aops.o", "aops.i").replace(
            "clang-16 ", "clang-16 -E ").replace(" -c -o", " -o")
        with tempfile.TemporaryDirectory() as obj:
            write_tree(obj, {"fs/demo/.aops.i.cmd": cmd})
            e = tidy_kbuild.preprocessed_entry(obj, "fs/demo/aops.c", "/src")
            self.assertEqual(tidy_kbuild.unit_deps(obj, "fs/demo/aops.c")[-1],
                             "/src/fs/demo/demo.h")
        self.assertEqual(e["file"], "/src/fs/demo/aops.c")
        self.assertEqual(e["directory"], obj)
        argv = shlex.split(e["command"])
        self.assertEqual(argv, ["clang-16", "-c", "-Wp,-MMD,fs/demo/.aops.i.d",
                                "-nostdinc", "-I/src/include",
                                '-DKBUILD_BASENAME="aops"',
                                "/src/fs/demo/aops.c"])


@unittest.skipUnless(shutil.which(tidy_kbuild.CLANG),
                     "clang-16 not installed (bootstrap.sh deps tidy)")
class AsClangTest(unittest.TestCase):
    def test_gcc_only_options_go_as_clang_names_them(self):
        """A gcc build's command line (a 7.x tree refuses clang 16): the
        options clang 16 does not have are left out, the rest kept."""
        with tempfile.TemporaryDirectory() as d:
            cmd = ("gcc -Wp,-MMD,a/.x.o.d -O2 -fconserve-stack "
                   "-mindirect-branch=thunk-extern -fno-strict-aliasing "
                   "-DFOO=1 -c -o a/x.o /src/a/x.c")
            got = tidy_kbuild.as_clang(cmd, d).split()
        self.assertEqual(got, ["clang-16", "-Wp,-MMD,a/.x.o.d", "-O2",
                               "-fno-strict-aliasing", "-DFOO=1", "-c",
                               "-o", "a/x.o", "/src/a/x.c"])


if __name__ == "__main__":
    unittest.main()
