#!/usr/bin/env python3
"""tidy_bench.py - what our clang-tidy checks cost on top of clang-tidy.

clang-tidy-16 with the daxlint module's checks (--load, -checks=-*,daxlint-*,
the unit's profile as the checks' option) against clang-tidy-16 with one
trivial check of its own (-checks=-*,misc-unused-parameters, no module),
on the same translation units, in the same run: every fixture of
tests/fixtures (a file, or each file of a fixture directory) compiled as
the engine compiles standalone files (the stub kernel header, the
profile's define).  Each round runs every unit once with each command,
alternately (A B A B ...), so that a machine whose speed drifts during
the run moves both; the ratio is taken per round, and the median round
is printed, in CPU time (user + system of the clang-tidy processes) and
in wall time.  Issue 11's goal: at most 1.10 (1.05 wanted).

The units are small files: clang-tidy's start-up and the stub header
weigh more in them than in a kernel unit, where our checks' share is
smaller still.  A benchmark, not a test.

With --kernel KDIR the units are the tree's candidate units, each
checked as the engine checks it (clang-tidy-16 -p on the engine's
compile database, the checks of the rules it is a candidate for),
against the trivial check on the same units.

  python3 bench/tidy_bench.py [--rounds N] [--kernel KDIR]
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "kernel-integration"))
sys.path.insert(0, os.path.join(TOP, "tests"))
from daxlint_lib.engines import tidy, tidy_plugin  # noqa: E402
import fixture_harness  # noqa: E402

TRIVIAL = "-checks=-*,misc-unused-parameters"


def commands(unit_file, profile, rules):
    """(A: with our checks, B: with the trivial check) for one file."""
    a = tidy.command([unit_file], rules, profile,
                     [os.path.dirname(unit_file)])
    b = [tidy_plugin.clang_tidy(), TRIVIAL, "--quiet", unit_file, "--"] + \
        tidy.compile_flags(profile, [os.path.dirname(unit_file)])
    return a, b


def kernel_pairs(kdir, rules):
    """(A, B) for each candidate unit of KDIR: clang-tidy-16 -p on the
    engine's own compile database (its build directory in the cache,
    prepared and compiled as `daxlint check --engines tidy` does)."""
    import tempfile
    from daxlint_lib import profile
    from daxlint_lib.engines import tidy_kbuild, tidy_select
    prof = profile.detect(kdir)[0]
    units = tidy_select.rules_of_units(
        tidy_select.candidates(kdir, ["."], rules))
    say = lambda s: print(s, file=sys.stderr)   # noqa: E731
    db = tempfile.mkdtemp(prefix="daxlint-tidy-bench-")
    built = tidy_kbuild.unit_database(kdir, sorted(units), 2, say, db)
    real = os.path.realpath(kdir)
    return [(tidy_plugin.check_args(units[u], prof) +
             ["-p", db, os.path.join(real, u)],
             [tidy_plugin.clang_tidy(), TRIVIAL, "--quiet", "-p", db,
              os.path.join(real, u)]) for u in built]


def timed(cmd):
    """(cpu seconds, wall seconds) of one run of CMD."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime +
            after.ru_stime - before.ru_stime), wall


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--kernel", metavar="KDIR",
                    help="the candidate units of a kernel tree instead of "
                    "the fixtures")
    args = ap.parse_args()
    if not tidy.available():
        print("tidy_bench: clang-tidy-16 or the module is not available",
              file=sys.stderr)
        return 2
    from daxlint_lib import catalog
    cat = catalog.load()
    rules = [r for r in cat.ids() if cat.runs("tidy", r)]
    if args.kernel:
        # the rules of the tree's generation, as `daxlint check` runs them
        from daxlint_lib import profile
        prof = profile.detect(args.kernel)[0]
        rules = [r for r in rules if prof in cat.rule(r)["profiles"]]
    why = tidy_plugin.verify(rules)
    if why:
        print("tidy_bench: " + why, file=sys.stderr)
        return 2
    pairs = []
    if args.kernel:
        pairs = kernel_pairs(args.kernel, rules)
    for u in () if args.kernel else fixture_harness.units():
        for f in u.files:
            pairs.append(commands(f, u.profile or "v5.15", rules))
    print("date: %s; %d cores; %d units; checks: %s"
          % (time.strftime("%Y-%m-%d %H:%M"), os.cpu_count() or 1,
             len(pairs), ", ".join(tidy_plugin.PREFIX + r for r in rules)))
    rows = []
    for r in range(args.rounds):
        acpu = awall = bcpu = bwall = 0.0
        for a, b in pairs:
            c, w = timed(a)
            acpu, awall = acpu + c, awall + w
            c, w = timed(b)
            bcpu, bwall = bcpu + c, bwall + w
        rows.append((acpu / bcpu, awall / bwall, acpu, bcpu, awall, bwall))
        print("round %d: ours %.2f s CPU (%.2f s wall), trivial %.2f s CPU "
              "(%.2f s wall), ratio %.3f CPU, %.3f wall"
              % (r + 1, acpu, awall, bcpu, bwall, rows[-1][0], rows[-1][1]),
              flush=True)
    print("median ratio: %.3f CPU, %.3f wall (goal <= 1.10)"
          % (statistics.median(x[0] for x in rows),
             statistics.median(x[1] for x in rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
