"""The sparse engine's blind spots: a unit it should have checked and could
not (it does not build, the config does not build it, the checker crashed
or died, sparse stopped on an error) is an error record, never a progress
line.

The kernel-tree cases run on a scratch tree whose Makefile stands in for
kbuild's single-object targets with C=2 (compile, then run $(CHECK) on the
source from the build directory), prepared the way the engine finds a
prepared build (DAXLINT_SPARSE_OBJDIR with its stamp): no kernel needed.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(TESTS)
sys.path.insert(0, TESTS)
from test_sparse import built  # noqa: E402

DAXLINT = os.path.join(TOP, "kernel-integration", "daxlint")

MAKEFILE = """\
# kbuild's C=2 for one object: compile, then check, from the build dir
%.o: %.c FORCE
\t@if [ -e $(O)/fail-once ]; then rm -f $(O)/fail-once; exit 1; fi
\tcd $(O) && $(CC) -fsyntax-only -I$(CURDIR)/include $(CURDIR)/$< && \\
\t  $(CHECK) -I$(CURDIR)/include $(CURDIR)/$<
FORCE: ;
"""

HEADER = """\
struct page { int refcount; };
int put_page_testzero(struct page *page);
void free_it(struct page *page);
"""

GOOD = """\
#include "fake.h"
void good_put(struct page *page)
{
\tif (put_page_testzero(page))
\t\tfree_it(page);
}
"""

BROKEN = """\
#include "fake.h"
void broken_put(struct page *page)
{
\tif (put_page_testzero(page)
\t\tfree_it(page);
}
"""

GATED = """\
#include "fake.h"
#ifndef CONFIG_GATED
#error "built only with CONFIG_GATED"
#endif
void gated_put(struct page *page)
{
\tif (put_page_testzero(page))
\t\tfree_it(page);
}
"""


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        fh.write(text)


def scratch_tree(tmp, units):
    root = os.path.join(tmp, "linux")
    objdir = os.path.join(tmp, "build")
    write(root, "Makefile", MAKEFILE)
    write(root, "include/fake.h", HEADER)
    write(root, "scripts/Makefile.build", "# kbuild's, in a real tree\n")
    for rel, text in units.items():
        write(root, rel, text)
    write(root, "fs/gated/Makefile", "obj-$(CONFIG_GATED) += gated.o\n")
    write(objdir, ".config", "#\n# Linux/x86 6.1.0 Kernel Configuration\n"
          "#\nCONFIG_OTHER=y\n")
    write(objdir, ".daxlint-prepared", "scratch\n")
    return root, objdir


def check(args, env=None, tmp=None, cache=False):
    e = dict(os.environ)
    e.update(env or {})
    e["XDG_CACHE_HOME"] = os.path.join(tmp, "cache")
    p = subprocess.run([sys.executable, DAXLINT, "check", "-q"] +
                       ([] if cache else ["--no-cache"]) +
                       ["--engines", "sparse", "--format", "json",
                        "--profile", "v5.15"] + args,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, env=e)
    return p.returncode, json.loads(p.stdout), p.stderr


class Tree(unittest.TestCase):
    def setUp(self):
        ok, reason = built()
        if not ok:
            self.skipTest("daxlint-sparse cannot be built: " + reason)

    def run_tree(self, units, env=None, runs=1):
        with tempfile.TemporaryDirectory() as tmp:
            root, objdir = scratch_tree(tmp, units)
            e = {"DAXLINT_SPARSE_OBJDIR": objdir}
            e.update(env or {})
            return [check(["--kernel", root], e, tmp, cache=runs > 1)
                    for _ in range(runs)][-1]

    def by_file(self, rep, key):
        return dict((e["file"], e) for e in rep[key])

    def test_unbuildable_units_are_errors(self):
        rc, rep, err = self.run_tree({
            "fs/good/good.c": GOOD, "fs/bad/broken.c": BROKEN,
            "fs/gated/gated.c": GATED, "arch/arm64/mm/other.c": GOOD})
        self.assertEqual(rc, 2, err)
        errors = self.by_file(rep, "errors")
        self.assertEqual(sorted(errors), ["fs/bad/broken.c",
                                          "fs/gated/gated.c"])
        bad = errors["fs/bad/broken.c"]
        self.assertEqual(bad["engine"], "sparse")
        self.assertIn("does not compile", bad["reason"])
        self.assertEqual((bad["line"], bad["function"]), (4, "broken_put"))
        self.assertEqual(bad["rules"], ["devmap-put"])
        gated = errors["fs/gated/gated.c"]
        self.assertIn("not built by this config (CONFIG_GATED not set)",
                      gated["reason"])
        self.assertEqual(gated["rules"], ["devmap-put"])
        # another architecture's unit: listed, not an error
        other = self.by_file(rep, "unchecked")["arch/arm64/mm/other.c"]
        self.assertEqual(other["rules"], [])
        self.assertIn("arch/arm64", other["reason"])
        self.assertIn("devmap-put", other["reason"])

    def test_composite_and_other_arch_gates(self):
        # hostfs: hostfs_kern.o is linked into hostfs.o, which only
        # CONFIG_HOSTFS builds, and only arch/um/Kconfig defines it
        units = {
            "fs/comp/Makefile": "comp-objs := comp_main.o\n"
                                "obj-$(CONFIG_GATED) += comp.o\n",
            "fs/comp/comp_main.c": GATED, "fs/Kconfig": "config GATED\n",
            "fs/umfs/Makefile": "umfs-y += \\\n\tumfs_kern.o\n"
                                "obj-$(CONFIG_UMFS) += umfs.o\n",
            "fs/umfs/umfs_kern.c": GATED.replace("CONFIG_GATED",
                                                 "CONFIG_UMFS"),
            "arch/um/Kconfig": "menu \"UML\"\nconfig UMFS\n\ttristate\n"}
        for runs in (1, 2):    # found by kbuild, then from the cache
            rc, rep, err = self.run_tree(units, runs=runs)
            self.assertEqual(rc, 2, err)
            [comp] = rep["errors"]
            self.assertEqual(comp["file"], "fs/comp/comp_main.c")
            self.assertIn("not built by this config (CONFIG_GATED not set)",
                          comp["reason"])
            self.assertEqual(comp["rules"], ["devmap-put"])
            um = self.by_file(rep, "unchecked")["fs/umfs/umfs_kern.c"]
            self.assertIn("unit of arch/um (CONFIG_UMFS is defined only "
                          "there), this build is x86", um["reason"])
            self.assertEqual(um["rules"], [])

    def test_unbuilt_unit_from_the_cache(self):
        # the second run knows from the cache that kbuild does not build
        # the unit: still an error
        rc, rep, err = self.run_tree({"fs/good/good.c": GOOD,
                                      "fs/bad/broken.c": BROKEN}, runs=2)
        self.assertEqual(rc, 2, err)
        [e] = rep["errors"]
        self.assertEqual((e["file"], e["line"]), ("fs/bad/broken.c", 4))
        self.assertIn("does not compile", e["reason"])

    def test_unexplained_failure_is_not_remembered(self):
        # make stopped on the unit without saying why (a race in the build
        # directory, make killed): an error this time, checked next time
        with tempfile.TemporaryDirectory() as tmp:
            root, objdir = scratch_tree(tmp, {"fs/good/good.c": GOOD})
            write(objdir, "fail-once", "")
            e = {"DAXLINT_SPARSE_OBJDIR": objdir}
            rc, rep, err = check(["--kernel", root], e, tmp, cache=True)
            self.assertEqual(rc, 2, err)
            [x] = rep["errors"]
            self.assertEqual(x["file"], "fs/good/good.c")
            self.assertFalse(os.path.exists(os.path.join(objdir,
                                                         "fail-once")))
            rc, rep, err = check(["--kernel", root], e, tmp, cache=True)
            self.assertEqual((rc, rep["errors"], rep["unchecked"]),
                             (0, [], []), err)

    def test_clean_tree_has_no_errors(self):
        rc, rep, err = self.run_tree({"fs/good/good.c": GOOD})
        self.assertEqual((rc, rep["errors"], rep["unchecked"]), (0, [], []),
                         err)

    def test_checker_crash_is_not_a_build_failure(self):
        for how, word in (("segv", "crashed"), ("die", "died")):
            rc, rep, err = self.run_tree({"fs/good/good.c": GOOD},
                                         {"DAXLINT_SPARSE_TEST_STOP": how})
            self.assertEqual(rc, 2, err)
            [e] = rep["errors"]
            self.assertEqual(e["file"], "fs/good/good.c")
            self.assertIn("checker " + word, e["reason"])
            self.assertNotIn("compile", e["reason"])
            self.assertEqual(e["rules"], ["devmap-put"])


class Standalone(unittest.TestCase):
    def setUp(self):
        ok, reason = built()
        if not ok:
            self.skipTest("daxlint-sparse cannot be built: " + reason)

    def test_sparse_error_is_a_record_of_its_function(self):
        with tempfile.TemporaryDirectory() as tmp:
            write(tmp, "fake.h", HEADER)
            # sparse 0.6.4 rejects a ?: of void and int (x86's pgd_clear)
            write(tmp, "err.c", GOOD + """\
void bad_cond(struct page *page, int x)
{
\tx ? free_it(page) : 0;
\tif (put_page_testzero(page))
\t\tfree_it(page);
}
""")
            rc, rep, err = check([os.path.join(tmp, "err.c")], tmp=tmp)
        self.assertEqual(rc, 2, err)
        [e] = rep["errors"]
        self.assertEqual((e["line"], e["function"], e["rules"]),
                         (9, "bad_cond", ["devmap-put"]))
        self.assertIn("sparse error: incompatible types", e["reason"])

    def test_checker_crash_in_standalone_run(self):
        with tempfile.TemporaryDirectory() as tmp:
            write(tmp, "fake.h", HEADER)
            write(tmp, "good.c", GOOD)
            rc, rep, err = check([os.path.join(tmp, "good.c")],
                                 {"DAXLINT_SPARSE_TEST_STOP": "segv"}, tmp)
        self.assertEqual(rc, 2, err)
        [e] = rep["errors"]
        self.assertIn("checker crashed", e["reason"])
        self.assertEqual(e["rules"], ["devmap-put"])


if __name__ == "__main__":
    unittest.main()
