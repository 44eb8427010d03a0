"""Real-tree tests on Debian's linux-source-6.1 and on the newest
linux-source-7.* (or 6.15+) Debian has (each fetched and unpacked into the
cache on first use): each whole tree reports exactly its expected-*.json,
and every mutation in tests/realtree/mutations*/ behaves as it says."""
import fcntl
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "realtree"))
import realtree  # noqa: E402

_RESULTS = {}


def results():
    """All mutations are checked on first use, two at a time; each test
    then reports its own."""
    if not _RESULTS:
        _RESULTS.update(realtree.run_many(realtree.load_mutations(),
                                          realtree.installed_engines()))
    return _RESULTS


class WholeTree(unittest.TestCase):
    def test_kbuild_c2_fs_xfs(self):
        """`make C=2 CHECK=daxlint-sparse fs/xfs/` in a prepared 6.1 tree,
        as a developer runs it: it checks every unit and prints no finding
        (sparse's own warnings are printed as usual, never as findings)."""
        if "sparse" not in realtree.installed_engines():
            self.skipTest("sparse engine not installed")
        from daxlint_lib import tree
        from daxlint_lib.engines import sparse_checker, sparse_kbuild
        src = tree.debian_tree()
        objdir = sparse_kbuild.prepare_tree(src, 2, lambda s: None)
        # one kbuild at a time in the build directory (the driver's lock)
        with open(os.path.join(objdir, ".daxlint-lock"), "w") as lock, \
                tempfile.TemporaryDirectory() as tmp:
            fcntl.flock(lock, fcntl.LOCK_EX)
            js = os.path.join(tmp, "findings.json")
            p = subprocess.run(
                ["make", "-C", src, "O=" + objdir, "-j2", "C=2",
                 "CHECK=" + sparse_checker.BINARY] +
                sparse_kbuild.MAKE_FLAGS + ["fs/xfs/"],
                env=dict(os.environ, DAXLINT_SPARSE_JSON=js),
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            self.assertEqual(p.returncode, 0, p.stderr[-2000:])
            # kbuild names each unit it hands to the checker
            self.assertRegex(p.stdout, r"CHECK\s+\S*fs/xfs/xfs_file\.c")
            self.assertRegex(p.stdout, r"CHECK\s+\S*fs/xfs/xfs_iops\.c")
            self.assertEqual([ln for ln in p.stderr.splitlines()
                              if "warning: [" in ln], [])
            self.assertFalse(os.path.exists(js) and os.path.getsize(js),
                             "findings written to the JSON file")


class Mutations(unittest.TestCase):
    pass


def _baseline_test(engine, which):
    def test(self):
        probs = realtree.check_baseline(engine, which)
        self.assertEqual(probs, [], "\n".join(probs))
    return test


def _no_cache_test(engine):
    def test(self):
        """The whole tree with --no-cache: byte for byte the report of a
        run that takes everything from the cache."""
        from daxlint_lib import subrun, tree
        src = tree.debian_tree()
        cmd = [sys.executable, subrun.DAXLINT, "check", "-q", "--format",
               "json", "--engines", engine, "--kernel", src]
        subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        warm = subprocess.run(cmd, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
        fresh = subprocess.run(cmd + ["--no-cache"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
        self.assertEqual(warm.returncode, fresh.returncode, fresh.stderr)
        self.assertTrue(warm.stdout)
        self.assertEqual(warm.stdout, fresh.stdout)
    return test


def _mutation_test(m):
    def test(self):
        probs = results()[m["name"]]
        self.assertEqual(probs, [], "\n".join(probs))
    return test


def _install():
    for e in realtree.ENGINES:
        for which in realtree.TREES:
            t = _baseline_test(e, which)
            if e not in realtree.installed_engines():
                t = unittest.skip("%s not installed" % e)(t)
            setattr(WholeTree, "test_debian_%s_%s"
                    % (which.replace(".", "_"), e), t)
        t = _no_cache_test(e)
        if e not in realtree.installed_engines():
            t = unittest.skip("%s not installed" % e)(t)
        setattr(WholeTree, "test_debian_6_1_no_cache_same_%s" % e, t)
    for m in realtree.load_mutations():
        name = m["name"].replace("-", "_").replace(".", "_")
        setattr(Mutations, "test_" + name, _mutation_test(m))


_install()


class MutationFiles(unittest.TestCase):
    def test_unchecked_mutation_fails(self):
        """With no engine to run, a must-report mutation is a failure, not
        a pass."""
        m = next(m for m in realtree.load_mutations() if m["expect"])
        sc = realtree.Scratch()
        probs = realtree.check_mutation(sc, m, [])
        self.assertTrue(any("no engine checked" in p for p in probs), probs)

    def test_names_unique_and_rules_known(self):
        from daxlint_lib import catalog
        seen = {}
        for m in realtree.load_mutations():
            self.assertNotIn(m["name"], seen, "%s in %s and %s" % (
                m["name"], m["_source"], seen.get(m["name"])))
            seen[m["name"]] = m["_source"]
            for x in m["expect"] + m.get("gone", []):
                self.assertIn(x["rule"], catalog.load().by_id, m["name"])
            for k in ("file", "edits", "expect", "why"):
                self.assertIn(k, m, "%s lacks %s" % (m["name"], k))
