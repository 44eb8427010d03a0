"""Real-tree tests on Debian's linux-source-6.1 (installed and unpacked into
the cache on first use): the whole tree reports exactly expected-6.1.json,
and every mutation in tests/realtree/mutations/ behaves as it says."""
import os
import sys
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
    pass


class Mutations(unittest.TestCase):
    pass


def _baseline_test(engine):
    def test(self):
        probs = realtree.check_baseline(engine)
        self.assertEqual(probs, [], "\n".join(probs))
    return test


def _mutation_test(m):
    def test(self):
        probs = results()[m["name"]]
        self.assertEqual(probs, [], "\n".join(probs))
    return test


def _install():
    for e in realtree.ENGINES:
        t = _baseline_test(e)
        if e not in realtree.installed_engines():
            t = unittest.skip("%s not installed" % e)(t)
        setattr(WholeTree, "test_debian_6_1_%s" % e, t)
    for m in realtree.load_mutations():
        name = m["name"].replace("-", "_").replace(".", "_")
        setattr(Mutations, "test_" + name, _mutation_test(m))


_install()


class MutationFiles(unittest.TestCase):
    def test_names_unique_and_rules_known(self):
        from daxlint_lib import catalog
        seen = {}
        for m in realtree.load_mutations():
            self.assertNotIn(m["name"], seen, "%s in %s and %s" % (
                m["name"], m["_source"], seen.get(m["name"])))
            seen[m["name"]] = m["_source"]
            for x in m["expect"]:
                self.assertIn(x["rule"], catalog.load().by_id, m["name"])
            for k in ("file", "edits", "expect", "why"):
                self.assertIn(k, m, "%s lacks %s" % (m["name"], k))
