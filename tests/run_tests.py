#!/usr/bin/env python3
"""Run daxlint's test suite (tests/test_*.py) and print one closing line:
'N passed, N failed, N skipped'.

  python3 tests/run_tests.py                 everything
  python3 tests/run_tests.py -k fixtures     tests whose id contains 'fixtures'
  python3 tests/run_tests.py -k devmap-put   ('-' also matches '_' of an id)

A test skipped because its engine (spatch, daxlint-sparse) is missing
counts as failed: the suite never passes without checking.  Set
DAXLINT_TESTS_WITHOUT=1 to accept missing engines knowingly.
"""
import argparse
import os
import sys
import time
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))


class Result(unittest.TextTestResult):
    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.passed = 0

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed += 1


def _flatten(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from _flatten(t)
        else:
            yield t


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-k", action="append", default=[],
                    help="only tests whose id contains this string")
    ap.add_argument("-v", action="store_true", help="verbose")
    args = ap.parse_args()
    sys.path.insert(0, TESTS)
    sys.path.insert(0, os.path.join(os.path.dirname(TESTS), "kernel-integration"))
    suite = unittest.defaultTestLoader.discover(TESTS, pattern="test_*.py",
                                                top_level_dir=TESTS)
    tests = list(_flatten(suite))
    if args.k:
        # test ids spell rule ids with '_' (tests.test_fixtures...
        # test_cocci__devmap_put__bad_...): -k devmap-put selects them too
        tests = [t for t in tests if any(k in t.id() or
                                         k.replace("-", "_") in t.id()
                                         for k in args.k)]
    runner = unittest.TextTestRunner(verbosity=2, resultclass=Result,
                                     stream=sys.stdout)
    start = time.time()
    res = runner.run(unittest.TestSuite(tests))
    failed = len(res.failures) + len(res.errors) + len(res.unexpectedSuccesses)
    # a test skipped because its engine is missing checked nothing: that is
    # a failure of the suite unless the missing engine was asked for
    allowed = os.environ.get("DAXLINT_TESTS_WITHOUT", "")
    missing = [(t, why) for t, why in res.skipped
               if ("not installed" in why or "cannot be built" in why)
               and not allowed]
    for t, why in missing:
        print("FAIL (engine missing): %s: %s" % (t.id(), why))
    if missing:
        print("%d test(s) could not run their engine; install it "
              "(bash kernel-integration/bootstrap.sh test) or set "
              "DAXLINT_TESTS_WITHOUT=1 to accept that" % len(missing))
    failed += len(missing)
    print("daxlint tests in %.0fs" % (time.time() - start))
    print("%d passed, %d failed, %d skipped" % (res.passed, failed,
                                                 len(res.skipped)))
    return 1 if failed or res.passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
