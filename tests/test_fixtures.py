"""Every fixture unit, through every engine that covers its rule and is
installed here: the findings must be exactly the marked ones."""
import os
import subprocess
import unittest

import fixture_harness as fh

from daxlint_lib import catalog
from daxlint_lib.cli import ENGINES


def _make_test(unit, engine):
    def test(self):
        probs = fh.compare(unit, engine)
        self.assertEqual(probs, [], "\n".join(probs))
    return test


def _compile_test(unit):
    def test(self):
        prof = (unit.profile or "v5.15").upper().replace("V", "V", 1)
        macro = "DAXLINT_PROFILE_" + prof.replace(".", "_")
        rcs = []
        for f in unit.files:
            p = subprocess.run(["gcc", "-fsyntax-only", "-std=gnu11",
                                "-Wall", "-Werror", "-Wno-unused-function",
                                "-I", fh.INCLUDE, "-D" + macro, f],
                               stderr=subprocess.PIPE, text=True)
            if unit.compiles:
                self.assertEqual(p.returncode, 0, p.stderr)
            rcs.append(p.returncode)
        if not unit.compiles:
            # the mark must be true: such a unit models code the tree lacks
            # the API for
            self.assertTrue(any(rcs), "%s compiles but is marked "
                            "does-not-compile" % unit.name)
    return test


class FixtureShape(unittest.TestCase):
    def test_every_rule_has_bad_and_good_fixtures(self):
        have = {}
        for u in fh.units():
            have.setdefault(u.rule, set()).add(u.kind)
        for r in catalog.load().ids():
            self.assertIn(r, have, "no fixtures for %s" % r)
            self.assertEqual({"bad", "good"} - have[r], set(),
                             "%s lacks bad or good fixtures" % r)

    def test_marks_match_names(self):
        for u in fh.units():
            self.assertIsNotNone(u.profile, "%s: no 'daxlint: profile='"
                                 % u.name)
            self.assertIn(u.profile, catalog.load().profiles, u.name)
            rules = {e[0] for e in u.expect}
            for r in rules:
                self.assertIn(r, catalog.load().by_id, "%s: unknown rule %s"
                              % (u.name, r))
            if u.kind == "bad":
                self.assertIn(u.rule, rules, "%s marks no %s finding"
                              % (u.name, u.rule))
            elif u.kind == "good":
                self.assertEqual(rules, set(), "%s is good but marks %s"
                                 % (u.name, rules))


class FixtureCompiles(unittest.TestCase):
    pass


class FixtureFindings(unittest.TestCase):
    pass


def _install():
    for u in fh.units():
        safe = u.name.replace("/", "__").replace("-", "_").replace(".", "_")
        setattr(FixtureCompiles, "test_" + safe, _compile_test(u))
        for engine, mod in ENGINES.items():
            if engine not in catalog.load().rule(u.rule)["engines"]:
                continue
            t = _make_test(u, engine)
            if not mod.available():
                t = unittest.skip("%s not installed" % engine)(t)
            setattr(FixtureFindings, "test_%s__%s" % (engine, safe), t)


_install()
