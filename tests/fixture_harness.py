#!/usr/bin/env python3
"""Run an engine over daxlint's fixtures and compare with the findings the
fixtures mark.

A fixture unit is a file tests/fixtures/<rule>/<name>.c, or a directory
tests/fixtures/<rule>/<name>/ whose .c files are checked together (rules
that follow calls across the files of a filesystem).  Its files carry:

  /* daxlint: profile=v7 */          the profile to check it under (once)
  ... code ...  /* expect: RULE */   a finding of RULE must be on this line
  ... code ...  /* expect[cocci]: RULE */   ... by the named engines only
  /* daxlint: does-not-compile */    code that names an API the profile's
                                     tree lacks (a backport): it must not
                                     compile, and is checked all the same

Every engine that the catalog says covers RULE (or lists RULE as a preview
of, engines section) must report it on that line, and nothing else: a missing or an extra finding fails the unit.  Units whose
name starts with bad- must mark at least one finding of their directory's
rule; units named good- must mark none.
"""
import argparse
import glob
import os
import re
import sys

TESTS = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(TESTS)
FIXTURES = os.path.join(TESTS, "fixtures")
sys.path.insert(0, os.path.join(TOP, "kernel-integration"))
# INCLUDE: the stub header's directory, for the tests that compile fixtures
from daxlint_lib import INCLUDE, catalog, subrun  # noqa: E402,F401

PROFILE_RX = re.compile(r"daxlint:\s*profile=([\w.]+)")
NO_COMPILE_RX = re.compile(r"daxlint:\s*does-not-compile")
EXPECT_RX = re.compile(r"expect(?:\[([\w,\s]+)\])?:\s*([a-z0-9,\s-]+?)\s*\*/")


class Unit:
    def __init__(self, rule, path):
        self.rule = rule
        self.path = path
        self.name = os.path.relpath(path, FIXTURES)
        self.files = ([path] if os.path.isfile(path) else
                      sorted(glob.glob(os.path.join(path, "*.c"))))
        self.profile = None
        self.compiles = True
        self.expect = []          # (rule, abs file, line, engines or None)
        for f in self.files:
            with open(f) as fh:
                for n, line in enumerate(fh, 1):
                    if NO_COMPILE_RX.search(line):
                        self.compiles = False
                    m = PROFILE_RX.search(line)
                    if m and self.profile is None:
                        self.profile = m.group(1)
                    for m in EXPECT_RX.finditer(line):
                        engines = ([e.strip() for e in m.group(1).split(",")]
                                   if m.group(1) else None)
                        for r in m.group(2).split(","):
                            if r.strip():
                                self.expect.append((r.strip(), f, n, engines))

    @property
    def kind(self):
        base = os.path.basename(self.path)
        return "bad" if base.startswith("bad") else (
            "good" if base.startswith("good") else "other")

    def expected_for(self, engine):
        cat = catalog.load()
        out = set()
        for rule, f, n, engines in self.expect:
            if not cat.runs(engine, rule):
                continue
            if engines is not None and engine not in engines:
                continue
            out.add((rule, f, n))
        return out


def units(rule=None):
    out = []
    for d in sorted(glob.glob(os.path.join(FIXTURES, "*"))):
        r = os.path.basename(d)
        if rule and r != rule:
            continue
        for p in sorted(glob.glob(os.path.join(d, "*"))):
            if p.endswith(".c") or os.path.isdir(p):
                out.append(Unit(r, p))
    return out


def run_engine(unit, engine):
    """Findings {(rule, abs file, line)} and the report's errors."""
    try:
        rep, rc = subrun.check_json([unit.path], engines=engine,
                                    profile=unit.profile or "v5.15", jobs=1,
                                    cwd=TOP)
    except RuntimeError as exc:
        return None, [str(exc)]
    got = set()
    for f in rep["findings"]:
        got.add((f["rule"], os.path.normpath(os.path.join(TOP, f["file"])),
                 f["line"]))
    errs = list(rep["errors"])
    want_rc = 2 if errs else (1 if got else 0)
    if rc != want_rc:
        errs.append("exit code %d, expected %d" % (rc, want_rc))
    return got, errs


def compare(unit, engine):
    """A list of problems; empty when the engine matches the fixture."""
    got, errs = run_engine(unit, engine)
    if got is None:
        return errs
    want = unit.expected_for(engine)
    probs = list(errs)
    for r, f, n in sorted(want - got):
        probs.append("missing %s at %s:%d" % (r, os.path.relpath(f, TOP), n))
    for r, f, n in sorted(got - want):
        probs.append("unexpected %s at %s:%d" % (r, os.path.relpath(f, TOP),
                                                  n))
    return probs


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", default="cocci")
    ap.add_argument("--rule")
    args = ap.parse_args()
    cat = catalog.load()
    failed = passed = 0
    for u in units(args.rule):
        if not cat.runs(args.engine, u.rule):
            continue
        probs = compare(u, args.engine)
        if probs:
            failed += 1
            print("FAIL %s [%s]" % (u.name, args.engine))
            for p in probs:
                print("    " + str(p))
        else:
            passed += 1
            print("ok   %s [%s]" % (u.name, args.engine))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
