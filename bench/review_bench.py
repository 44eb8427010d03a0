#!/usr/bin/env python3
"""Benchmark `daxlint review` on a two-patch series (not a test: it asserts
nothing but that the review ran).

The series, made from Debian's 6.1 tree at run time as an mbox: patch 1/2
takes xfs_vn_setattr's iolock without XFS_MMAPLOCK_EXCL (a lock-order
violation in fs/xfs), patch 2/2 edits a comment in fs/ext2/inode.c.  Each
run is the wall time of the whole `daxlint review --series` process
(scratch copy of the tree, apply, the check before, a re-check after each
patch), the cocci engine, the results cache as it is (run it twice: the
first run after a cache clear is the cold figure).

  python3 bench/review_bench.py [--kernel KDIR] [--runs N]
"""
import argparse
import difflib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "kernel-integration"))
from daxlint_lib import tree  # noqa: E402

DAXLINT = os.path.join(TOP, "kernel-integration", "daxlint")
EDITS = [
    ("fs/xfs/xfs_iops.c", "xfs: take the iolock alone",
     "\t\tiolock = XFS_IOLOCK_EXCL | XFS_MMAPLOCK_EXCL;\n",
     "\t\tiolock = XFS_IOLOCK_EXCL;\n"),
    ("fs/ext2/inode.c", "ext2: say what writeback does",
     "\treturn mpage_writepages(mapping, wbc, ext2_get_block);\n",
     "\t/* page-cache writeback only */\n"
     "\treturn mpage_writepages(mapping, wbc, ext2_get_block);\n"),
]


def series(kdir):
    out = []
    for n, (path, subject, old, new) in enumerate(EDITS, 1):
        with open(os.path.join(kdir, path)) as fh:
            text = fh.read()
        d = "".join(difflib.unified_diff(
            text.splitlines(True), text.replace(old, new).splitlines(True),
            "a/" + path, "b/" + path))
        out.append("From git@z Thu Jan  1 00:00:00 1970\n"
                   "Subject: [PATCH %d/%d] %s\nMessage-Id: <bench%d@x>\n\n"
                   "---\n%s\n" % (n, len(EDITS), subject, n, d))
    fd, path = tempfile.mkstemp(suffix=".mbx")
    with os.fdopen(fd, "w") as fh:
        fh.write("".join(out))
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    kdir = args.kernel or tree.debian_tree()
    mbx = series(kdir)
    times = []
    try:
        for _ in range(args.runs):
            t = time.monotonic()
            p = subprocess.run([sys.executable, DAXLINT, "review", "-q",
                                "--format", "json", "--kernel", kdir,
                                "--series", mbx], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
            times.append(time.monotonic() - t)
            if p.returncode not in (0, 1):
                sys.exit("bench: review failed (%d): %s"
                         % (p.returncode, p.stderr[-2000:]))
            res = json.loads(p.stdout)
            print("review: %.1f s, %d finding(s): %s" % (
                times[-1], len(res["comments"]), ", ".join(
                    "%s %s (%d/%d)" % (c["rule"], c["function"],
                                       c["introduced_by"]["index"],
                                       c["introduced_by"]["total"])
                    for c in res["comments"])), flush=True)
    finally:
        os.unlink(mbx)
    print("two-patch review, %d run(s): first %.1f s, median %.1f s"
          % (len(times), times[0], statistics.median(times)))


if __name__ == "__main__":
    main()
