#!/usr/bin/env python3
"""Run one daxlint check over a lit test file, clang-tidy's way.

  check_tidy.py --plugin SO --filecheck FC --include DIR
                FILE CHECK PROFILE|auto TMP [-- extra clang args]

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
    ap.add_argument("--messages-prefix", default="CHECK-MESSAGES",
                    help="the prefix of the expected diagnostics (one "
                    "file, several RUN lines)")
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
    # PROFILE "auto": no option, the check detects it from the unit's
    # declarations (the extra clang args choose the stub's generation)
    cmd = [a.clang_tidy, "--load=" + a.plugin, "-checks=-*," + a.check]
    if a.profile != "auto":
        cmd.append("-config={CheckOptions: {%s.Profile: '%s'}}"
                   % (a.check, a.profile))
    cmd += ["--fix", copy, "--", "-I", a.include]
    if a.profile != "auto":
        cmd.append("-D%s=1" % PROFILE_DEFINE[a.profile])
    cmd += a.extra
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    out = p.stdout
    if p.returncode not in (0, 1):
        sys.stderr.write(out)
        return 1
    msgs = a.messages_prefix
    if "// %s:" % msgs not in text:
        # nothing expected: no diagnostic at all
        if re.search(r"\b(warning|error):", out):
            sys.stderr.write("---- unexpected diagnostics:\n" + out)
            return 1
    else:
        r = subprocess.run([a.filecheck, a.file, "-check-prefix=" + msgs,
                            "-implicit-check-not={{warning|error}}:"],
                           input=out, text=True)
        if r.returncode:
            sys.stderr.write("---- clang-tidy output:\n" + out)
            return 1
    if "// CHECK-FIXES:" in text:
        r = subprocess.run([a.filecheck, a.file, "-check-prefix=CHECK-FIXES",
                            "-strict-whitespace", "-input-file", copy])
        if r.returncode:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
