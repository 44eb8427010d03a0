#!/usr/bin/env python3
"""Write sparse-plugin/api.def, the API table as X-macro rows for C.

  python3 sparse-plugin/gen-api.py          rewrite api.def
  python3 sparse-plugin/gen-api.py --check  exit 1 if api.def is stale
                                            (the tests run this)

Every kind of the table's vocabulary (api.py's KINDS), so that C can
name a kind that has no sparse rows yet:

  DAXLINT_API_KIND(KIND)

then one row per (name, kind) of the table's rows that the sparse engine
holds:

  DAXLINT_API(name, KIND, obj, flag_arg0, flag_arg1, FLAGS, value,
              count_arg, family)

name a string; KIND the kind in upper case with "_" for "-" (XFS_LOCK,
RWSEM_WRITE, PAGE_DROP ...); obj, flag_arg0/1, count_arg argument indexes
or -1; FLAGS NONE, XFS_LOCK or GFP (what the flag arguments carry); value
a flag bit's value or 0; family 1 when name is a prefix (NAME* rows).  A
file that includes it defines the macros it wants (api.h); the other one
expands to nothing.

api.def is committed (and checked in sync by the tests) rather than made
by the Makefile: the plugin's build then needs no python3.

  python3 sparse-plugin/gen-api.py --engine tidy --out FILE

writes the same X-macro rows for the clang-tidy module (clang-checker/,
made at build time by its CMakeLists.txt, not committed): every row of
the table, since clang sees both the source spelling and what a macro
expands to, and after the rows one

  DAXLINT_API_ROW(name, "profiles", "with", "marks")

per table row: the profiles it exists in ("*" for all), the replacement
of a removed API and the profile a marker row marks ("" for none), which
removed-api's fix-its and the profile detection need.
"""
import argparse
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
API_PY = os.path.join(os.path.dirname(HERE), "kernel-integration",
                      "daxlint_lib", "api.py")
OUT = os.path.join(HERE, "api.def")


def load_api():
    spec = importlib.util.spec_from_file_location("daxlint_api", API_PY)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def c_ident(kind):
    return kind.upper().replace("-", "_")


def holds(row, engine):
    """Does ENGINE read ROW?  The tidy engine reads every row."""
    return engine == "tidy" or engine in row.engines


def render(api, engine="sparse"):
    out = ["/* generated from kernel-integration/api/kernel-api.tsv by "
           "sparse-plugin/gen-api.py: do not edit */",
           "/* DAXLINT_API_KIND(KIND); DAXLINT_API(name, KIND, obj, "
           "flag_arg0, flag_arg1, FLAGS, value, count_arg, family) */",
           "#ifndef DAXLINT_API_KIND",
           "#define DAXLINT_API_KIND(kind)",
           "#endif",
           "#ifndef DAXLINT_API",
           "#define DAXLINT_API(name, kind, obj, flag_arg0, flag_arg1, "
           "flags, value, count_arg, family)",
           "#endif"]
    for k in api.KINDS:
        out.append("DAXLINT_API_KIND(%s)" % c_ident(k))
    for r in api.rows():
        if not holds(r, engine):
            continue
        fam = api.is_family(r)
        name = r.name[:-1] if fam else r.name
        fa = list(r.flags[0]) if r.flags else []
        fa += [-1] * (2 - len(fa))
        flags = c_ident(r.flags[1]) if r.flags else "NONE"
        value = r.extra.get("value", "0")
        count = r.extra.get("count", "-1")
        for k in r.kinds:
            out.append('DAXLINT_API("%s", %s, %d, %d, %d, %s, %s, %s, %d)' % (
                name, c_ident(k), -1 if r.obj is None else r.obj,
                fa[0], fa[1], flags, value, count, 1 if fam else 0))
    if engine == "tidy":
        out += ["#ifndef DAXLINT_API_ROW",
                "#define DAXLINT_API_ROW(name, profiles, with, marks)",
                "#endif"]
        for r in api.rows():
            name = r.name[:-1] if api.is_family(r) else r.name
            out.append('DAXLINT_API_ROW("%s", "%s", "%s", "%s")' % (
                name, "*" if r.profiles is None else ",".join(r.profiles),
                r.extra.get("with", ""), r.extra.get("marks", "")))
        out.append("#undef DAXLINT_API_ROW")
    out += ["#undef DAXLINT_API_KIND", "#undef DAXLINT_API"]
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--out", default=OUT, help="the file to write or check")
    ap.add_argument("--engine", default="sparse", choices=("sparse", "tidy"),
                    help="whose rows (tidy: clang-checker's api.inc)")
    args = ap.parse_args()
    text = render(load_api(), args.engine)
    try:
        with open(args.out) as fh:
            old = fh.read()
    except OSError:
        old = None
    if args.check:
        if old != text:
            print("%s: out of date (run python3 sparse-plugin/gen-api.py)"
                  % args.out)
            return 1
        return 0
    if old != text:
        with open(args.out, "w") as fh:
            fh.write(text)
        if args.engine == "sparse":
            print("regenerated %s" % os.path.relpath(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
