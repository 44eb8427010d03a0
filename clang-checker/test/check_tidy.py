#!/usr/bin/env python3
"""Run one daxlint check over a lit test file, clang-tidy's way.

  check_tidy.py --plugin SO --filecheck FC --include DIR
                FILE CHECK PROFILE TMP [-- extra clang args]

The test file is copied to TMP.c with its // CHECK-... comments emptied
(so that a CHECK-FIXES line cannot match itself), clang-tidy-16 runs the
check CHECK with --fix under PROFILE, and then:
  - its diagnostics must match the file's // CHECK-MESSAGES: lines, and
    no other warning may appear (NOLINT tests rely on that);
  - the fixed copy must match the file's // CHECK-FIXES: lines.
clang-tidy's own check_clang_tidy.py is not shipped by Debian; this is
ours, smaller, for C files."""
import argparse
import re
import subprocess
import sys

PROFILE_DEFINE = {"v7": "DAXLINT_PROFILE_V7", "v4.18": "DAXLINT_PROFILE_V4_18",
                  "v5.15": "DAXLINT_PROFILE_V5_15"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--filecheck", required=True)
    ap.add_argument("--include", required=True)
    ap.add_argument("--clang-tidy", default="clang-tidy-16")
    ap.add_argument("file")
    ap.add_argument("check")
    ap.add_argument("profile")
    ap.add_argument("tmp")
    ap.add_argument("extra", nargs="*")
    a = ap.parse_args()

    with open(a.file) as fh:
        text = fh.read()
    copy = a.tmp + ".c"
    with open(copy, "w") as fh:
        fh.write(re.sub(r"// *CHECK-[A-Z0-9-]*:[^\n]*", "//", text))
    cmd = [a.clang_tidy, "--load=" + a.plugin, "-checks=-*," + a.check,
           "-config={CheckOptions: {%s.Profile: '%s'}}" % (a.check,
                                                           a.profile),
           "--fix", copy, "--", "-I", a.include,
           "-D%s=1" % PROFILE_DEFINE[a.profile]] + a.extra
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    out = p.stdout
    if p.returncode not in (0, 1):
        sys.stderr.write(out)
        return 1
    for prefix, inp in (("CHECK-MESSAGES", None), ("CHECK-FIXES", copy)):
        if "// " + prefix + ":" not in text and prefix == "CHECK-FIXES":
            continue
        fc = [a.filecheck, a.file, "-check-prefix=" + prefix,
              "-implicit-check-not={{warning|error}}:"
              if prefix == "CHECK-MESSAGES" else "-strict-whitespace"]
        if prefix == "CHECK-MESSAGES" and "// CHECK-MESSAGES:" not in text:
            fc.append("-allow-empty")
            fc[2] = "-check-prefix=CHECK-MESSAGES-NONE"
        if inp:
            fc += ["-input-file", inp]
            r = subprocess.run(fc)
        else:
            r = subprocess.run(fc, input=out, text=True)
        if r.returncode:
            sys.stderr.write("---- clang-tidy output:\n" + out)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
