#!/usr/bin/env python3
"""Copy the shared Python of cocci/lib/ and the API table into the rules.

A .cocci file must stay self-contained (the kernel's `make coccicheck` runs
it alone), so code that several rules share lives once in cocci/lib/NAME.py
and is copied between these two lines of each rule that uses it:

  # ---- generated from cocci/lib/NAME.py by cocci/generate.py: do not edit
  # ---- end of cocci/lib/NAME.py

and the kernel API names a rule (or a library it copies) uses come from
kernel-integration/api/kernel-api.tsv, written between

  # ---- generated from kernel-integration/api/kernel-api.tsv by ...
  # ---- end of kernel-integration/api/kernel-api.tsv

as one definition per name API_<KIND> the rest of the file uses (KIND a
kind of the table, upper case, "_" for "-"): API_<KIND> is the tuple of
its exact names, API_<KIND>_RX an alternation that also matches its
families (NAME* rows), API_<KIND>_OBJ {name: the argument naming the
object}, API_<KIND>_VIA {name: what it calls}, API_<KIND>_PROFILES
{name: its profiles, None for all}, API_<KIND>_EXTRA {name: {key:
value}} (the extra column).  Only the rows the table
gives to the cocci engine count.

  python3 cocci/generate.py          rewrite the generated sections
  python3 cocci/generate.py --check  exit 1 if a section is out of date
                                     (the tests run this)
"""
import argparse
import glob
import importlib.util
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
API_PY = os.path.join(os.path.dirname(HERE), "kernel-integration",
                      "daxlint_lib", "api.py")
BEGIN = "# ---- generated from cocci/lib/%s.py by cocci/generate.py: do not edit"
END = "# ---- end of cocci/lib/%s.py"
SECTION_RX = re.compile(
    r"^# ---- generated from cocci/lib/(\w+)\.py by cocci/generate\.py: "
    r"do not edit\n(.*?)^# ---- end of cocci/lib/\1\.py$", re.S | re.M)


def lib(name):
    with open(os.path.join(HERE, "lib", name + ".py")) as fh:
        return fh.read()


def load_api():
    """daxlint_lib/api.py, loaded by path (no package import)."""
    spec = importlib.util.spec_from_file_location("daxlint_api", API_PY)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


API_SRC = "kernel-integration/api/kernel-api.tsv"
API_BEGIN = ("# ---- generated from %s by cocci/generate.py: do not edit"
             % API_SRC)
API_END = "# ---- end of %s" % API_SRC
API_SECTION_RX = re.compile(r"^%s\n(.*?)^%s$" % (re.escape(API_BEGIN),
                                                  re.escape(API_END)),
                            re.S | re.M)
API_REF_RX = re.compile(r"\bAPI_([A-Z][A-Z0-9_]*)\b")
SUFFIXES = ("_RX", "_OBJ", "_VIA", "_PROFILES", "_EXTRA")


def _wrap(head, items, close, width=78):
    """HEAD + ITEMS joined by ", " and wrapped under HEAD + CLOSE."""
    lines, cur = [], head
    for i, it in enumerate(items):
        piece = it + (", " if i + 1 < len(items) else "")
        if len(cur) + len(piece.rstrip()) > width and cur.strip() != \
                head.strip():
            lines.append(cur.rstrip())
            cur = " " * len(head) + piece
        else:
            cur += piece
    return "\n".join(lines + [cur + close])


def api_definition(api, sym):
    """The Python definition of API_<SYM> (an unknown kind is an error)."""
    suffix = next((x for x in SUFFIXES if sym.endswith(x)), "")
    kind = sym[:len(sym) - len(suffix)].lower().replace("_", "-")
    if kind not in api.KINDS:
        raise SystemExit("API_%s: %s is no kind of %s" % (sym, kind,
                                                          API_SRC))
    rows = [r for r in api.select(kind, "cocci")]
    exact = [r for r in rows if not api.is_family(r)]
    if suffix == "_RX":
        alts = api.regex(kind, "cocci").split("|")
        # one raw string a line, each ending at an alternative
        parts, cur = [], ""
        for i, a in enumerate(alts):
            a += "|" if i + 1 < len(alts) else ""
            if cur and len(cur) + len(a) > 54:
                parts.append(cur)
                cur = ""
            cur += a
        parts.append(cur)
        pad = " " * len("API_%s = (" % sym)
        return "API_%s = (%s)" % (sym, ("\n" + pad).join(
            'r"%s"' % p for p in parts))
    if suffix == "_OBJ":
        return _wrap("API_%s = {" % sym, ['"%s": %d' % (r.name, r.obj)
                                         for r in exact], "}")
    if suffix == "_PROFILES":
        return _wrap("API_%s = {" % sym, ['"%s": %s' % (
            r.name, "None" if r.profiles is None else "(%s)" % "".join(
                '"%s", ' % x for x in r.profiles).rstrip())
            for r in exact], "}")
    if suffix == "_EXTRA":
        return _wrap("API_%s = {" % sym, ['"%s": {%s}' % (r.name, ", ".join(
            '"%s": "%s"' % kv for kv in sorted(r.extra.items())))
            for r in exact], "}")
    if suffix == "_VIA":
        return _wrap("API_%s = {" % sym, ['"%s": "%s"' % (
            r.name, r.extra["via"]) for r in exact], "}")
    return _wrap("API_%s = (" % sym, ['"%s"' % r.name for r in exact],
                 ",)" if len(exact) == 1 else ")")


def api_section(api, text):
    """The API section TEXT needs: a definition for each API_ name the
    rest of it (generated library copies included) uses."""
    rest = API_SECTION_RX.sub("", text)
    syms = sorted(set(API_REF_RX.findall(rest)))
    body = "".join(api_definition(api, s) + "\n" for s in syms)
    return "%s\n%s%s" % (API_BEGIN, body, API_END)


def regenerate(text, api=None):
    def sub(m):
        body = lib(m.group(1))
        if not body.endswith("\n"):
            body += "\n"
        return "%s\n%s%s" % (BEGIN % m.group(1), body, END % m.group(1))
    text = SECTION_RX.sub(sub, text)
    if API_SECTION_RX.search(text):
        api = api or load_api()
        section = api_section(api, text)
        text = API_SECTION_RX.sub(lambda m: section, text)
    elif API_REF_RX.search(text):
        # without the section the rule fails at run time (NameError)
        raise SystemExit("API_%s used, but no API section (see the top of "
                         "cocci/generate.py)" % API_REF_RX.search(text).group(1))
    return text


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
