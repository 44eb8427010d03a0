"""The catalog is the single source of truth: every rule it names has a doc
and an implementation in each engine it claims, and nothing else exists."""
import glob
import os
import re
import unittest

from daxlint_lib import api, catalog, TOP
from daxlint_lib.engines import cocci_spatch


class Catalog(unittest.TestCase):
    def setUp(self):
        self.cat = catalog.load()

    def test_fields(self):
        for r in self.cat.rules:
            self.assertRegex(r["id"], r"^[a-z][a-z0-9-]+$")
            for k in ("title", "message", "severity", "profiles", "engines",
                      "patch"):
                self.assertIn(k, r, "%s lacks %s" % (r["id"], k))
            self.assertIn(r["severity"], ("error", "warning", "note"))
            for p in r["profiles"]:
                self.assertIn(p, self.cat.profiles)
            for e in r["engines"] + r["patch"]:
                self.assertIn(e, self.cat.engines)
            self.assertTrue(set(r["patch"]) <= set(r["engines"]))
            for sub in r.get("subsumes", []):
                self.assertIn(sub, self.cat.by_id)
            # the sparse engine's prefilter for the rule: kinds of the API
            # table (test_api.py: every sparse rule has them)
            if "sparse_prefilter_kinds" in r:
                self.assertIn("sparse", r["engines"], r["id"])
                for k in r["sparse_prefilter_kinds"]:
                    self.assertIn(k, api.KINDS, r["id"])
            if r.get("sparse_prefilter_dir_gated"):
                self.assertIn("sparse_prefilter_kinds", r, r["id"])
        self.assertEqual(len(self.cat.ids()), len(set(self.cat.ids())))

    def test_docs(self):
        for r in self.cat.ids():
            path = os.path.join(TOP, "docs", "rules", r + ".md")
            self.assertTrue(os.path.isfile(path), "no doc for %s" % r)

    def test_cocci_rules_match_catalog(self):
        files = {os.path.basename(f)[:-6]
                 for f in glob.glob(os.path.join(TOP, "cocci", "*.cocci"))}
        self.assertEqual(files, set(self.cat.covered_by("cocci")))
        for r in files:
            path = cocci_spatch.rule_file(r)
            hdr = cocci_spatch.read_header(path)
            self.assertEqual(hdr.get("rule"), r, path)
            with open(path) as f:
                text = f.read()
            for mode in ("report", "context", "org"):
                self.assertRegex(text, r"(?m)^virtual .*\b%s\b" % mode,
                                 "%s lacks virtual %s" % (path, mode))
            has_patch = re.search(r"(?m)^virtual .*\bpatch\b", text)
            self.assertEqual(bool(has_patch),
                             "cocci" in self.cat.rule(r)["patch"],
                             "%s: virtual patch vs catalog 'patch'" % path)
            # the report lines carry the catalog id, never another one
            for rid in re.findall(r"\[([a-z0-9-]+)\]", text):
                if rid in self.cat.by_id:
                    self.assertEqual(rid, r, path)

    def test_sparse_checks_match_catalog(self):
        # sparse-plugin/checks.def registers the checks; the Makefile
        # builds every check_*.c: each list must name the catalog's
        # sparse rules, no more, no less
        plugin = os.path.join(TOP, "sparse-plugin")
        with open(os.path.join(plugin, "checks.def")) as f:
            rows = re.findall(r'(?m)^CHECK\(\s*(R_\w+)\s*,\s*"([a-z0-9-]+)"'
                              r'\s*,\s*(\w+)\s*\)', f.read())
        ids = [r[1] for r in rows]
        self.assertEqual(len(ids), len(set(ids)), "a check listed twice")
        self.assertEqual(set(ids), set(self.cat.covered_by("sparse")))
        files = {os.path.basename(f)[len("check_"):-2]
                 for f in glob.glob(os.path.join(plugin, "check_*.c"))}
        self.assertEqual(files, {r[2] for r in rows})
        for enum, rid, name in rows:
            self.assertEqual(name, rid.replace("-", "_"))
            with open(os.path.join(plugin, "check_%s.c" % name)) as f:
                text = f.read()
            # the file defines the init the list names, and reports its
            # own rule only
            self.assertRegex(text, r"(?m)^void check_%s_init\(void\)" % name)
            self.assertEqual(set(re.findall(r"\bR_[A-Z_]+\b", text)) -
                             {"R_NR"}, {enum}, name)


class Index(unittest.TestCase):
    def test_rule_index_is_generated_from_catalog(self):
        from daxlint_lib.cli import rules_markdown
        with open(os.path.join(TOP, "docs", "rules", "README.md")) as f:
            self.assertEqual(f.read(), rules_markdown(),
                             "regenerate: kernel-integration/daxlint rules "
                             "--markdown > docs/rules/README.md")


class SharedCode(unittest.TestCase):
    def test_generated_sections_are_up_to_date(self):
        """The copies of cocci/lib/*.py inside the rules are the library's
        text (python3 cocci/generate.py rewrites them)."""
        import subprocess
        import sys
        p = subprocess.run([sys.executable,
                            os.path.join(TOP, "cocci", "generate.py"),
                            "--check"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        self.assertEqual(p.returncode, 0, p.stdout)

    def test_check_fails_on_a_stale_copy(self):
        import shutil
        import subprocess
        import sys
        import tempfile
        d = tempfile.mkdtemp()
        try:
            src = cocci_spatch.rule_file("unmap-breaks-layouts")
            with open(src) as f:
                text = f.read()
            marker = "# ---- end of cocci/lib/facts.py"
            self.assertIn(marker, text)
            with open(os.path.join(d, "x.cocci"), "w") as f:
                f.write(text.replace(marker, "# edited by hand\n" + marker))
            p = subprocess.run([sys.executable,
                                os.path.join(TOP, "cocci", "generate.py"),
                                "--check", "--dir", d],
                               stdout=subprocess.PIPE, text=True)
            self.assertEqual(p.returncode, 1)
            self.assertIn("x.cocci", p.stdout)
        finally:
            shutil.rmtree(d)


class NoRestrictedCase(unittest.TestCase):
    """An engine covers a rule only if it passes all of that rule's
    must-report cases: no fixture line or real-tree mutation may leave out
    an engine the catalog lists for its rule (issue 7)."""

    def setUp(self):
        self.cat = catalog.load()

    def test_fixtures(self):
        import fixture_harness
        bad = []
        for path in sorted(glob.glob(os.path.join(TOP, "tests", "fixtures",
                                                  "*", "*"))):
            files = [path] if os.path.isfile(path) else sorted(
                glob.glob(os.path.join(path, "**", "*.c"), recursive=True))
            for f in files:
                with open(f, errors="replace") as fh:
                    for n, line in enumerate(fh, 1):
                        for m in fixture_harness.EXPECT_RX.finditer(line):
                            if not m.group(1):
                                continue
                            named = {e.strip() for e in
                                     m.group(1).split(",")}
                            for r in m.group(2).split(","):
                                left = set(self.cat.rule(r.strip())[
                                    "engines"]) - named
                                if left:
                                    bad.append("%s:%d leaves out %s" % (
                                        os.path.relpath(f, TOP), n,
                                        ", ".join(sorted(left))))
        self.assertEqual(bad, [])

    def test_mutations(self):
        import json
        bad = []
        for path in sorted(glob.glob(os.path.join(
                TOP, "tests", "realtree", "mutations", "*.json"))):
            with open(path) as fh:
                muts = json.load(fh)
            for m in muts:
                if not m.get("engines"):
                    continue
                rules = {x["rule"] for x in m.get("expect", []) +
                         m.get("gone", [])}
                if not rules:
                    # a must-not-report case may name the engines that
                    # can build it (own-break-unmapi-definition redefines
                    # an enum: only spatch reads it)
                    continue
                need = set().union(*[set(self.cat.rule(r)["engines"])
                                     for r in rules])
                left = need - set(m["engines"])
                if left:
                    bad.append("%s: %s leaves out %s" % (
                        os.path.basename(path), m["name"],
                        ", ".join(sorted(left))))
        self.assertEqual(bad, [])
