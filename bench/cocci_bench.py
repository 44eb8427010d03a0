#!/usr/bin/env python3
"""Benchmark the Coccinelle engine (not a test: it asserts nothing).

Times, in one run:
  1. daxlint's Coccinelle run over the whole tree, all rules (what users and
     CI pay), wall time;
  2. the same rules over a sample of directories, once through daxlint
     (prefiltered) and once as plain spatch over every file of the sample
     with Coccinelle's own token prefilter disabled
     (--disable-worth-trying-opt), i.e. parsing every file;
and prints the wall times and the ratio.  The unfiltered whole-tree time is
extrapolated from the sample by file count unless --full asks to run it
(hours on 2 cores).

  python3 bench/cocci_bench.py [--kernel KDIR] [--jobs N] [--sample DIR...]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "kernel-integration"))
from daxlint_lib import catalog, srcfiles, tree  # noqa: E402
from daxlint_lib.engines import cocci_spatch  # noqa: E402

DAXLINT = os.path.join(TOP, "kernel-integration", "daxlint")


def timed(cmd, **kw):
    t = time.time()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, **kw)
    return time.time() - t, p


def c_files(kdir, dirs):
    return srcfiles.c_files(kdir, dirs)


def unfiltered(kdir, dirs, jobs):
    """Every rule, as plain spatch over every .c file of DIRS, no prefilter."""
    files = c_files(kdir, dirs)
    with tempfile.NamedTemporaryFile("w", suffix=".groups", delete=False) as g:
        g.write("\n\n".join(files) + "\n")
    total = 0.0
    try:
        for r in catalog.load().covered_by("cocci"):
            cmd = cocci_spatch.spatch_command(
                r, "v5.15", jobs, g.name,
                extra=["--disable-worth-trying-opt"])
            dt, _ = timed(cmd, cwd=kdir)
            total += dt
    finally:
        os.unlink(g.name)
    return total, len(files)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel", help="tree (default: Debian's 6.1)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--sample", nargs="*",
                    default=["fs/ext2", "fs/xfs", "fs/fuse", "mm"])
    ap.add_argument("--full", action="store_true",
                    help="run the unfiltered baseline over the whole tree")
    args = ap.parse_args()
    kdir = args.kernel or tree.debian_tree()

    dt_full, p = timed([sys.executable, DAXLINT, "check", "-q", "--no-cache", "--format",
                        "json", "--engines", "cocci", "--jobs",
                        str(args.jobs), "--kernel", kdir])
    print("daxlint cocci, whole tree, all rules: %.1f s (exit %d)"
          % (dt_full, p.returncode))
    dt_sample, _ = timed([sys.executable, DAXLINT, "check", "-q", "--no-cache", "--format",
                          "json", "--engines", "cocci", "--jobs",
                          str(args.jobs), "--kernel", kdir] + args.sample)
    base, nsample = unfiltered(kdir, args.sample, args.jobs)
    print("sample %s (%d .c files): daxlint %.1f s, unfiltered spatch "
          "%.1f s, ratio %.3f" % (" ".join(args.sample), nsample, dt_sample,
                                  base, dt_sample / base if base else 0))
    ntotal = len(c_files(kdir, ["."]))
    if args.full:
        base_full, _ = unfiltered(kdir, ["."], args.jobs)
        how = "measured"
    else:
        base_full = base * ntotal / max(nsample, 1)
        how = "extrapolated from the sample by file count"
    print("unfiltered spatch, whole tree (%d .c files): %.0f s (%s)"
          % (ntotal, base_full, how))
    print("ratio daxlint / unfiltered, whole tree: %.4f" % (dt_full / base_full
                                                           if base_full else 0))
    print("wall time: %.1f s" % dt_full)
    return 0


if __name__ == "__main__":
    sys.exit(main())
