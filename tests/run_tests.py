#!/usr/bin/env python3
"""Run daxlint's test suite (tests/test_*.py) and print one closing line:
'N passed, N failed, N skipped'.

  python3 tests/run_tests.py                 everything
  python3 tests/run_tests.py -k fixtures     tests whose id contains 'fixtures'
  python3 tests/run_tests.py -k devmap-put   ('-' also matches '_' of an id)
  python3 tests/run_tests.py -j 1            one process (default: one per
                                             core, at most 4)

With -j N the test classes are shared out among N worker processes, the
longest first by the durations of the last run (kept in
${XDG_CACHE_HOME:-~/.cache}/daxlint/test-durations.json); a class runs
whole in one worker, so its setUpClass runs once.  Each worker's output is
printed as it finishes; the closing line counts them all.  Most tests run
one single-threaded engine process at a time: without workers the suite
leaves a core idle.

A test skipped because its engine (spatch, daxlint-sparse) is missing
counts as failed: the suite never passes without checking.  Set
DAXLINT_TESTS_WITHOUT=1 to accept missing engines knowingly.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(TESTS)
DURATIONS = os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"),
    "daxlint", "test-durations.json")


class Result(unittest.TextTestResult):
    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.passed = 0
        self.durations = {}
        self._start = None

    def startTest(self, test):
        self._start = time.time()
        super().startTest(test)

    def stopTest(self, test):
        super().stopTest(test)
        if self._start is not None:
            self.durations[test.id()] = time.time() - self._start

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed += 1


def _flatten(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from _flatten(t)
        else:
            yield t


def _load(keys):
    sys.path.insert(0, TESTS)
    sys.path.insert(0, os.path.join(TOP, "kernel-integration"))
    suite = unittest.defaultTestLoader.discover(TESTS, pattern="test_*.py",
                                                top_level_dir=TESTS)
    tests = list(_flatten(suite))
    if keys:
        # test ids spell rule ids with '_' (tests.test_fixtures...
        # test_cocci__devmap_put__bad_...): -k devmap-put selects them too
        tests = [t for t in tests if any(k in t.id() or
                                         k.replace("-", "_") in t.id()
                                         for k in keys)]
    return tests


def _run(tests, stream):
    """(passed, failed ids, skipped [(id, why)], durations)"""
    runner = unittest.TextTestRunner(verbosity=2, resultclass=Result,
                                     stream=stream)
    res = runner.run(unittest.TestSuite(tests))
    failed = [t.id() for t, _ in res.failures + res.errors] + \
        [t.id() for t in res.unexpectedSuccesses]
    return (res.passed, failed, [(t.id(), why) for t, why in res.skipped],
            res.durations)


def _class_of(test_id):
    return test_id.rsplit(".", 1)[0]


def _read_durations():
    try:
        with open(DURATIONS) as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return {}


def _write_durations(new):
    old = _read_durations()
    old.update(new)
    os.makedirs(os.path.dirname(DURATIONS), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(DURATIONS))
    with os.fdopen(fd, "w") as fh:
        json.dump(old, fh, indent=0, sort_keys=True)
    os.replace(tmp, DURATIONS)


def _share(tests, jobs):
    """The ids of TESTS in JOBS lists of whole classes, balanced by the
    last durations (a test not timed yet counts a second)."""
    known = _read_durations()
    classes = {}
    for t in tests:
        classes.setdefault(_class_of(t.id()), []).append(t.id())
    cost = dict((c, sum(known.get(i, 1.0) for i in ids))
                for c, ids in classes.items())
    bins = [[0.0, []] for _ in range(jobs)]
    for c in sorted(classes, key=lambda c: -cost[c]):
        b = min(bins, key=lambda b: b[0])
        b[0] += cost[c]
        b[1] += classes[c]
    return [ids for _, ids in bins if ids]


def _prepare():
    """Build once what every worker would otherwise build at the same time
    (the sparse checker: two makes in one directory race)."""
    sys.path.insert(0, os.path.join(TOP, "kernel-integration"))
    try:
        from daxlint_lib.engines import sparse_checker
        sparse_checker.build(lambda s: None)
    except Exception:
        pass        # the tests that need it say why it is missing


_DONE_RX = re.compile(r"\.\.\. (ok|FAIL|ERROR|skipped|expected failure)")


def _parallel(tests, jobs):
    _prepare()
    shares = _share(tests, jobs)
    tmp = tempfile.mkdtemp(prefix="daxlint-tests-")
    procs = []
    for n, ids in enumerate(shares):
        idf = os.path.join(tmp, "ids%d" % n)
        out = os.path.join(tmp, "out%d.json" % n)
        log = open(os.path.join(tmp, "log%d" % n), "w+")
        with open(idf, "w") as fh:
            fh.write("\n".join(ids) + "\n")
        p = subprocess.Popen([sys.executable, os.path.abspath(__file__),
                              "--worker", idf, out],
                             stdout=log, stderr=subprocess.STDOUT)
        procs.append((p, out, log, ids))
    passed, failed, skipped, durations = 0, [], [], {}
    pending = list(procs)
    total, start, said = len(tests), time.time(), time.time()
    while pending:
        if time.time() - said >= 60:
            # the workers' own output comes when each ends: say how far
            done = 0
            for _, _, log, _ in pending:
                with open(log.name) as fh:
                    done += len(_DONE_RX.findall(fh.read()))
            done += total - sum(len(ids) for _, _, _, ids in pending)
            print("tests: about %d of %d done (%.0f s)" %
                  (done, total, time.time() - start), flush=True)
            said = time.time()
        for item in list(pending):
            p, out, log, ids = item
            if p.poll() is None:
                continue
            pending.remove(item)
            log.seek(0)
            sys.stdout.write(log.read())
            sys.stdout.flush()
            log.close()
            try:
                with open(out) as fh:
                    r = json.load(fh)
            except (OSError, ValueError):
                # a worker that died takes its tests with it: all failed
                print("FAIL: test worker exited %d without results" %
                      p.returncode)
                failed += ids
                continue
            passed += r["passed"]
            failed += r["failed"]
            skipped += [tuple(s) for s in r["skipped"]]
            durations.update(r["durations"])
        time.sleep(0.2)
    shutil.rmtree(tmp, ignore_errors=True)
    return passed, failed, skipped, durations


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-k", action="append", default=[],
                    help="only tests whose id contains this string")
    ap.add_argument("-j", type=int, default=min(4, os.cpu_count() or 1),
                    help="worker processes (default: one per core, at "
                         "most 4)")
    ap.add_argument("-v", action="store_true", help="verbose")
    ap.add_argument("--worker", nargs=2, metavar=("IDS", "OUT"),
                    help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.worker:
        with open(args.worker[0]) as fh:
            want = set(fh.read().split())
        tests = [t for t in _load([]) if t.id() in want]
        passed, failed, skipped, durations = _run(tests, sys.stdout)
        with open(args.worker[1], "w") as fh:
            json.dump({"passed": passed, "failed": failed,
                       "skipped": skipped, "durations": durations}, fh)
        return 0

    tests = _load(args.k)
    start = time.time()
    if args.j > 1 and len(tests) > 1:
        passed, failed, skipped, durations = _parallel(tests, args.j)
    else:
        passed, failed, skipped, durations = _run(tests, sys.stdout)
    _write_durations(durations)
    nfailed = len(failed)
    # a test skipped because its engine is missing checked nothing: that is
    # a failure of the suite unless the missing engine was asked for
    allowed = os.environ.get("DAXLINT_TESTS_WITHOUT", "")
    missing = [(t, why) for t, why in skipped
               if ("not installed" in why or "cannot be built" in why)
               and not allowed]
    for t, why in missing:
        print("FAIL (engine missing): %s: %s" % (t, why))
    if missing:
        print("%d test(s) could not run their engine; install it "
              "(bash kernel-integration/bootstrap.sh test) or set "
              "DAXLINT_TESTS_WITHOUT=1 to accept that" % len(missing))
    nfailed += len(missing)
    if failed:
        print("failed: " + " ".join(sorted(failed)))
    print("daxlint tests in %.0fs" % (time.time() - start))
    print("%d passed, %d failed, %d skipped" % (passed, nfailed,
                                                 len(skipped)))
    return 1 if nfailed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
