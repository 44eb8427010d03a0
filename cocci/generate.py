#!/usr/bin/env python3
"""Copy the shared Python of cocci/lib/ into the rules that use it.

A .cocci file must stay self-contained (the kernel's `make coccicheck` runs
it alone), so code that several rules share lives once in cocci/lib/NAME.py
and is copied between these two lines of each rule that uses it:

  # ---- generated from cocci/lib/NAME.py by cocci/generate.py: do not edit
  # ---- end of cocci/lib/NAME.py

  python3 cocci/generate.py          rewrite the generated sections
  python3 cocci/generate.py --check  exit 1 if a section is out of date
                                     (the tests run this)
"""
import argparse
import glob
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BEGIN = "# ---- generated from cocci/lib/%s.py by cocci/generate.py: do not edit"
END = "# ---- end of cocci/lib/%s.py"
SECTION_RX = re.compile(
    r"^# ---- generated from cocci/lib/(\w+)\.py by cocci/generate\.py: "
    r"do not edit\n(.*?)^# ---- end of cocci/lib/\1\.py$", re.S | re.M)


def lib(name):
    with open(os.path.join(HERE, "lib", name + ".py")) as fh:
        return fh.read()


def regenerate(text):
    def sub(m):
        body = lib(m.group(1))
        if not body.endswith("\n"):
            body += "\n"
        return "%s\n%s%s" % (BEGIN % m.group(1), body, END % m.group(1))
    return SECTION_RX.sub(sub, text)


def rules(directory=HERE):
    return sorted(glob.glob(os.path.join(directory, "*.cocci")))


def stale(directory=HERE):
    """The .cocci files of DIRECTORY whose generated sections differ from
    cocci/lib/."""
    out = []
    for path in rules(directory):
        with open(path) as fh:
            text = fh.read()
        if regenerate(text) != text:
            out.append(path)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--dir", default=HERE,
                    help="the directory of .cocci files (an installed copy)")
    args = ap.parse_args()
    if args.check:
        bad = stale(args.dir)
        for path in bad:
            print("%s: generated section out of date (run python3 "
                  "cocci/generate.py)" % path)
        return 1 if bad else 0
    for path in rules(args.dir):
        with open(path) as fh:
            text = fh.read()
        new = regenerate(text)
        if new != text:
            with open(path, "w") as fh:
                fh.write(new)
            print("regenerated %s" % os.path.relpath(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
