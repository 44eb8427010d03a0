"""The results cache (kernel-integration/daxlint_lib/cache.py): a cached
answer is the answer, whatever changed since it was stored.

Each test runs daxlint in its own XDG_CACHE_HOME on a copy of a fixture
unit, changes one thing, and compares the cached run with --no-cache."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(TESTS)
sys.path.insert(0, os.path.join(TOP, "kernel-integration"))
from daxlint_lib import cache as cachemod, subrun  # noqa: E402
from daxlint_lib.engines import cocci, cocci_blind, cocci_spatch  # noqa: E402

DAXLINT = os.path.join(TOP, "kernel-integration", "daxlint")
UNIT = os.path.join(TESTS, "fixtures", "unmap-breaks-layouts",
                    "good-setattr-breaks")
RULE = "unmap-breaks-layouts"


def have_spatch():
    return cocci.available()


@unittest.skipUnless(have_spatch(), "spatch not installed")
class CachedEqualsFresh(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="daxlint-cache-test-")
        self.unit = os.path.join(self.tmp, "unit")
        shutil.copytree(UNIT, self.unit)
        self.env = dict(os.environ, XDG_CACHE_HOME=os.path.join(self.tmp,
                                                                "cache"))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def check(self, no_cache=False):
        rep, rc = subrun.check_json([self.unit], engines="cocci",
                                    profile="v5.15", rules=[RULE], jobs=1,
                                    no_cache=no_cache, env=self.env)
        self.assertEqual(rep["errors"], [])
        return sorted((f["file"], f["line"], f["function"])
                      for f in rep["findings"])

    def edit(self, name, old, new):
        path = os.path.join(self.unit, name)
        with open(path) as fh:
            text = fh.read()
        self.assertIn(old, text)
        with open(path, "w") as fh:
            fh.write(text.replace(old, new))

    def progress(self, *extra):
        p = subprocess.run([sys.executable, DAXLINT, "check", "--engines",
                            "cocci", "--profile", "v5.15", "--rules", RULE,
                            "-j", "1", self.unit] + list(extra),
                           env=self.env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        return p.stderr

    def test_warm_run_spawns_nothing(self):
        cold = self.check()
        err = self.progress()
        self.assertIn("0 spatch run(s) needed", err)
        self.assertEqual(self.check(), cold)

    def test_context_change_in_another_file(self):
        """layout.c stops waiting for busy pages: its function is no layout
        break any more, which iops.c's path (cached, unchanged) depends on;
        the cached run must match iops.c again and report the truncation."""
        self.assertEqual(self.check(), [])
        self.edit("layout.c", "page = dax_layout_busy_page(inode->i_mapping);",
                  "page = NULL;")
        err = self.progress()
        got = self.check()
        self.assertEqual(got, self.check(no_cache=True))
        self.assertTrue(got, "the unbroken truncation is not reported")
        self.assertEqual({os.path.basename(f) for f, _, _ in got},
                         {"size.c"})
        # layout.c (edited), iops.c and lock.c (they call a function that
        # stopped being a break): run again; aops.c and size.c: not
        self.assertIn("3 file(s) run, 4 cached", err)

    def test_edit_then_revert(self):
        base = self.check()
        self.edit("iops.c", "rc = demo_lock_and_break(mine);", "rc = 0;")
        broken = self.check()
        self.assertNotEqual(broken, base)
        self.assertEqual(broken, self.check(no_cache=True))
        self.edit("iops.c", "rc = 0;", "rc = demo_lock_and_break(mine);")
        self.assertEqual(self.check(), base)

    def test_rule_text_is_part_of_the_key(self):
        k1 = cocci_spatch.rule_key(RULE, "v5.15")
        self.assertNotEqual(k1, cocci_spatch.rule_key(RULE, "v4.18"))
        orig = cocci_spatch.COCCI_DIR
        d = tempfile.mkdtemp(dir=self.tmp)
        try:
            with open(cocci_spatch.rule_file(RULE)) as fh:
                text = fh.read()
            with open(os.path.join(d, RULE + ".cocci"), "w") as fh:
                fh.write(text + "\n// changed\n")
            cocci_spatch.COCCI_DIR = d
            self.assertNotEqual(k1, cocci_spatch.rule_key(RULE, "v5.15"))
        finally:
            cocci_spatch.COCCI_DIR = orig

    def test_only_the_rules_catalog_entry_is_in_the_key(self):
        # another engine's coverage or another rule's entry changes nothing
        # spatch prints for this rule; the rule's own entry may
        import copy
        import json
        from daxlint_lib import catalog
        k1 = cocci_spatch.rule_key(RULE, "v5.15")
        saved = catalog._CACHE
        try:
            cat = copy.deepcopy(catalog.load())
            cat.engines.setdefault("tidy", {})["preview"] = ["made-up"]
            for r in cat.rules:
                if r["id"] != RULE:
                    r["message"] += " (edited)"
            catalog._CACHE = cat
            self.assertEqual(cocci_spatch.rule_key(RULE, "v5.15"), k1)
            cat.by_id[RULE]["profiles"] = ["v7"]
            self.assertNotEqual(cocci_spatch.rule_key(RULE, "v5.15"), k1)
        finally:
            catalog._CACHE = saved
        self.assertEqual(json.loads(cocci_spatch.catalog_entry(RULE))["id"],
                         RULE)

    def test_two_checkouts_share_the_keys(self):
        # a clean clone elsewhere (CI) must find the answers a clone of
        # the same commit stored: the rule and macro files are keyed by
        # their text, not by where the checkout is
        class Contents:
            def content(self, path):
                return "the same text"
        k1 = cocci_spatch.rule_key(RULE, "v5.15")
        s1 = cocci_spatch.parse_signature(RULE)
        p1 = cocci_blind.parse_key(Contents(), "/k", "fs/a.c")
        other = os.path.join(tempfile.mkdtemp(dir=self.tmp), "clone")
        shutil.copytree(cocci_spatch.COCCI_DIR, os.path.join(other, "cocci"))
        saved = (cocci_spatch.TOP, cocci_spatch.COCCI_DIR,
                 cocci_spatch.MACRO_FILE, cocci_spatch._SIG)
        try:
            cocci_spatch.TOP = other
            cocci_spatch.COCCI_DIR = os.path.join(other, "cocci")
            cocci_spatch.MACRO_FILE = os.path.join(other, "cocci",
                                                   "macros.h")
            cocci_spatch._SIG = {}
            self.assertEqual(cocci_spatch.rule_key(RULE, "v5.15"), k1)
            self.assertEqual(cocci_spatch.parse_signature(RULE), s1)
            self.assertEqual(cocci_blind.parse_key(Contents(), "/k",
                                                   "fs/a.c"), p1)
        finally:
            (cocci_spatch.TOP, cocci_spatch.COCCI_DIR,
             cocci_spatch.MACRO_FILE, cocci_spatch._SIG) = saved

    def test_concurrent_runs_share_the_cache(self):
        want = self.check(no_cache=True)
        out = []

        def one():
            rep, _ = subrun.check_json([self.unit], engines="cocci",
                                       profile="v5.15", jobs=1, env=self.env)
            out.append(rep)
        ts = [threading.Thread(target=one) for _ in range(3)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        for rep in out:
            self.assertEqual(rep["errors"], [])
        self.assertEqual(self.check(), want)
        root = os.path.join(self.tmp, "cache", "daxlint", "results")
        for dirpath, _, files in os.walk(root):
            for f in files:
                if f.endswith(".json"):
                    with open(os.path.join(dirpath, f)) as fh:
                        json.load(fh)         # whole, never torn


class Store(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="daxlint-cache-test-")
        self.c = cachemod.Cache(os.path.join(self.tmp, "r"))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_put_get_clear(self):
        k = cachemod.digest("a", "b")
        self.assertIsNone(self.c.get(k))
        self.c.put(k, {"x": [1, 2]})
        self.assertEqual(self.c.get(k), {"x": [1, 2]})
        self.c.clear()
        self.assertIsNone(self.c.get(k))

    def test_digest_is_unambiguous(self):
        self.assertNotEqual(cachemod.digest("ab", "c"),
                            cachemod.digest("a", "bc"))

    def test_prune_keeps_the_recently_used(self):
        keys = [cachemod.digest(i) for i in range(20)]
        for i, k in enumerate(keys):
            self.c.put(k, "x" * 1000)
            path = self.c.path(k)
            os.utime(path, (1000 + i, 1000 + i))
        self.c.get(keys[0])                  # used now: newest
        removed = self.c.prune(10 * 1010)
        self.assertGreater(removed, 0)
        self.assertLessEqual(self.c.stats()["bytes"], 10 * 1010)
        self.assertIsNotNone(self.c.get(keys[0]))
        self.assertIsNone(self.c.get(keys[1]))

    def test_limit_parsing(self):
        self.assertEqual(cachemod.limit_of("2G"), 2 << 30)
        self.assertEqual(cachemod.limit_of("500M"), 500 << 20)
        self.assertEqual(cachemod.limit_of("1234"), 1234)


if __name__ == "__main__":
    unittest.main()
