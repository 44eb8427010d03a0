#!/usr/bin/env python3
"""robustness.py - every Coccinelle rule over every .c file of a tree.

The engine runs a rule only on the files its prefilter selects; this sweep
runs each rule, with the engine's own spatch command line (macro file,
--timeout 120, the tree's profile), on every .c file below the given
directories, so that a crash, a Python exception or a timeout that a
prefilter happens to hide on the reference tree still shows.  Rules that
follow calls across a directory (cocci/lib/facts.py) get one file group
per directory, as in the engine; the others one group per file.

  cocci/robustness.py [--kernel KDIR] [--rules R,R] [--jobs N]
                      [--list FILE] [DIR...]

Prints, per rule, the files swept, the crashes (spatch exit status or an
error line), the timeouts and the parse failures (spatch's blind spots:
file:line of each region it could not parse), and writes every failure to
--list.  Exit 0 when there is no crash and no timeout, 1 otherwise, 2 when
the sweep itself could not run.  Parse failures are listed, not counted as
failures: the engine reports them as blind spots where they touch a rule.
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "kernel-integration"))

from daxlint_lib import catalog, profile, srcfiles  # noqa: E402
from daxlint_lib.engines import cocci, cocci_blind, cocci_spatch  # noqa: E402,E501

# spatch's own words for a file it gave up on (--timeout)
TIMEOUT_RX = re.compile(r"(?i)\btime ?out\b(?!\s*=\s*0)")
GROUP_FILES = 400


def groups_for(rule, files):
    if not cocci_spatch.uses_facts(rule):
        return [[f] for f in files]
    by_dir = {}
    for f in files:
        by_dir.setdefault(os.path.dirname(f), []).append(f)
    return [by_dir[d] for d in sorted(by_dir)]


def chunks(groups, size):
    """Batches of whole groups of about SIZE files (one spatch each)."""
    batch, n = [], 0
    for g in groups:
        batch.append(g)
        n += len(g)
        if n >= size:
            yield batch
            batch, n = [], 0
    if batch:
        yield batch


def run_batch(root, rule, prof, batch, asts):
    """One spatch run of RULE over BATCH; ASTS is the --cache-prefix
    directory shared by the rules that parse alike (cocci_spatch's parse
    signature): the first rule parses a file, the others load its AST, as
    the engine's runs do."""
    with tempfile.NamedTemporaryFile("w", suffix=".groups",
                                     delete=False) as g:
        g.write("\n\n".join("\n".join(grp) for grp in batch) + "\n")
        name = g.name
    try:
        cmd = cocci_spatch.spatch_command(rule, prof, 1, name,
                                          ["--cache-prefix", asts])
        p = subprocess.run(cmd, cwd=root, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True,
                           errors="replace", env=cocci_spatch.spatch_env())
    finally:
        os.unlink(name)
    return p


def failures(p):
    """(crash lines, timeout lines, [(file, line)] parse errors) of a run."""
    crash, timeout, parse = [], [], []
    for line in (p.stdout + "\n" + p.stderr).splitlines():
        m = cocci_blind.PARSE_ERROR_RX.match(line)
        if m:
            parse.append((os.path.normpath(m.group(1)), int(m.group(2))))
        elif cocci_spatch.ERROR_RX.search(line):
            crash.append(line.strip())
        elif TIMEOUT_RX.search(line) and "NB total files" not in line:
            timeout.append(line.strip())
    if p.returncode != 0:
        tail = (p.stderr.strip().splitlines() or ["(no output)"])[-1]
        crash.append("exit %d: %s" % (p.returncode, tail))
    return crash, timeout, parse


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--kernel", help="kernel tree (default: Debian's 6.1 "
                    "tree from the daxlint cache)")
    ap.add_argument("--rules", help="comma-separated rule ids (default: "
                    "every rule the catalog gives the cocci engine)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--list", help="write every crash, timeout and parse "
                    "failure here")
    ap.add_argument("dirs", nargs="*", default=["."])
    a = ap.parse_args(argv)
    if not cocci.available():
        print("robustness: spatch is not installed", file=sys.stderr)
        return 2
    root = a.kernel
    if not root:
        p = subprocess.run([sys.executable, os.path.join(
            TOP, "kernel-integration", "daxlint"), "tree"],
            stdout=subprocess.PIPE, text=True)
        root = p.stdout.strip()
    if not root or not os.path.isdir(root):
        print("robustness: no kernel tree", file=sys.stderr)
        return 2
    prof = profile.detect(root)[0]
    rules = a.rules.split(",") if a.rules else \
        catalog.load().covered_by("cocci")
    files = srcfiles.c_files(root, a.dirs)
    print("robustness: %d .c files, %d rules, profile %s, -j %d"
          % (len(files), len(rules), prof, a.jobs), flush=True)
    out = open(a.list, "w") if a.list else None
    bad, parse = 0, set()
    pool = concurrent.futures.ThreadPoolExecutor(max(1, a.jobs))
    shelf = tempfile.mkdtemp(prefix="daxlint-robustness-")
    # rules that parse alike run one after another, so that all but the
    # first load the ASTs; a rule's batches all finish before the next
    # rule starts, so no file's AST is written while another run reads it
    rules.sort(key=cocci_spatch.parse_signature)
    for rule in rules:
        t0 = time.time()
        crash, timeout, mine = [], [], set()
        batches = list(chunks(groups_for(rule, files), GROUP_FILES))
        asts = os.path.join(shelf, cocci_spatch.parse_signature(rule))
        runs = [pool.submit(run_batch, root, rule, prof, b, asts)
                for b in batches]
        for i, (batch, run) in enumerate(zip(batches, runs), 1):
            c, t, pe = failures(run.result())
            where = "%s..%s" % (batch[0][0], batch[-1][-1])
            crash += ["%s: %s" % (where, x) for x in c]
            timeout += ["%s: %s" % (where, x) for x in t]
            mine.update(pe)
            if i % 10 == 0:
                print("  %s: %d/%d batches, %.0f s" % (rule, i, len(batches),
                      time.time() - t0), file=sys.stderr, flush=True)
        bad += len(crash) + len(timeout)
        parse |= mine
        print("%-24s %6d files  %3d crashes  %3d timeouts  %5d parse "
              "failures  %6.0f s" % (rule, len(files), len(crash),
                                     len(timeout), len(mine),
                                     time.time() - t0), flush=True)
        if out:
            for x in crash:
                out.write("%s\tcrash\t%s\n" % (rule, x))
            for x in timeout:
                out.write("%s\ttimeout\t%s\n" % (rule, x))
            out.flush()
    pool.shutdown()
    shutil.rmtree(shelf, ignore_errors=True)
    # spatch parses a file the same way for every rule: list each failed
    # region once
    print("parse failures, all rules: %d regions in %d files"
          % (len(parse), len({f for f, _ in parse})))
    if out:
        for f, line in sorted(parse):
            out.write("-\tparse\t%s:%d\n" % (f, line))
        out.close()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
