#!/usr/bin/env python3
"""Benchmark the results cache (not a test: it asserts nothing).

In one run, on Debian's 6.1 tree, for each engine (cocci, sparse):
  cold   the whole tree with an empty results cache (DAXLINT_CACHE_DIR
         pointed at a new directory; sparse's prepared build directory,
         objects built, is set-up like unpacking the tree)
  warm   the whole tree again, nothing changed
  edit   a hard-linked copy of the tree in which one file of fs/xfs was
         edited (xfs_file_fallocate no longer breaks layouts), its
         directory checked: only that file is analysed again
and the ratio of each to the cold run.  Every figure is the wall time of
the whole `daxlint check` process; warm and edit are the median of --runs
runs (the edit is undone and redone between runs, so each run sees a new
edit against a warm cache).

  python3 bench/incremental_bench.py [--kernel KDIR] [--runs N] [--ci]

--ci also times `.ci/run` (the whole test suite) once, caches warm.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "kernel-integration"))
from daxlint_lib import cachedir, tree  # noqa: E402

DAXLINT = os.path.join(TOP, "kernel-integration", "daxlint")
EDIT_FILE = "fs/xfs/xfs_file.c"
EDIT_FIND = "error = xfs_break_layouts(inode, &iolock, BREAK_UNMAP);"
EDIT_REPLACE = "error = 0;"


def timed(cmd, env=None):
    t = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, env=env)
    dt = time.monotonic() - t
    if p.returncode not in (0, 1):
        sys.exit("bench: %s failed (%d): %s" % (" ".join(cmd), p.returncode,
                                                p.stderr[-2000:]))
    return dt


def check(kdir, engine, paths=(), env=None):
    return [sys.executable, DAXLINT, "check", "-q", "--format", "json",
            "--engines", engine, "--kernel", kdir] + list(paths)


def set_edit(copy, src, on):
    dst = os.path.join(copy, EDIT_FILE)
    os.unlink(dst)
    if not on:
        os.link(os.path.join(src, EDIT_FILE), dst)
        return
    with open(os.path.join(src, EDIT_FILE)) as fh:
        text = fh.read()
    assert text.count(EDIT_FIND) == 1
    # a different comment each time: a new content the cache has not seen
    with open(dst, "w") as fh:
        fh.write(text.replace(EDIT_FIND, EDIT_REPLACE) +
                 "/* bench %f */\n" % time.time())


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel", help="tree (default: Debian's 6.1)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--engines", default="cocci,sparse")
    ap.add_argument("--ci", action="store_true",
                    help="also time .ci/run once (caches warm)")
    args = ap.parse_args()
    src = args.kernel or tree.debian_tree()
    copy = os.path.join(cachedir.cache_dir("scratch"), "bench-incremental")
    if not os.path.isdir(copy):
        subprocess.run(["cp", "-al", src, copy], check=True)
    results = tempfile.mkdtemp(prefix="daxlint-bench-cache-")
    env = dict(os.environ, DAXLINT_CACHE_DIR=results)
    print("date: %s; %d cores; tree %s" % (time.strftime("%Y-%m-%d %H:%M"),
                                           os.cpu_count(), src))
    try:
        for engine in args.engines.split(","):
            # set-up that is not part of any figure: sparse's prepared
            # build directories of both trees, with the objects built
            if engine == "sparse":
                set_edit(copy, src, False)
                for k, paths in ((src, []), (copy, ["fs/xfs"])):
                    setup = tempfile.mkdtemp(prefix="daxlint-bench-setup-")
                    timed(check(k, engine, paths),
                          dict(os.environ, DAXLINT_CACHE_DIR=setup))
                    shutil.rmtree(setup, ignore_errors=True)
            cold = timed(check(src, engine), env)
            warm = statistics.median(timed(check(src, engine), env)
                                     for _ in range(args.runs))
            set_edit(copy, src, False)
            timed(check(copy, engine, ["fs/xfs"]), env)
            edits = []
            for _ in range(args.runs):
                set_edit(copy, src, True)
                edits.append(timed(check(copy, engine, ["fs/xfs"]), env))
            set_edit(copy, src, False)
            edit = statistics.median(edits)
            print("%-6s cold whole tree   %7.1f s" % (engine, cold))
            print("%-6s warm whole tree   %7.1f s  ratio %.3f"
                  % (engine, warm, warm / cold))
            print("%-6s one-file edit     %7.1f s  ratio %.3f"
                  "  (fs/xfs, %s edited)" % (engine, edit, edit / cold,
                                             EDIT_FILE))
            sys.stdout.flush()
        if args.ci:
            t = time.monotonic()
            p = subprocess.run(["bash", os.path.join(TOP, ".ci", "run")],
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
            tail = p.stdout.strip().splitlines()[-1:] or [""]
            print(".ci/run (caches warm): %.0f s, exit %d: %s"
                  % (time.monotonic() - t, p.returncode, tail[0]))
    finally:
        shutil.rmtree(results, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
