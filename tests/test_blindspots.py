"""Blind spots of the Coccinelle engine: a function spatch cannot parse is
reported, never silently skipped (issue 7)."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(TESTS)
DAXLINT = os.path.join(TOP, "kernel-integration", "daxlint")
# a file-scoped rule: its prefilter names the API the bad function calls
FIXTURE = os.path.join(TESTS, "fixtures", "dax-claim-release",
                       "bad-holder-mismatch.c")
RULE = "dax-claim-release"
UNPARSABLE = "\treturn error + ;\n"

from daxlint_lib.engines import (cocci, cocci_blind,  # noqa: E402
                                 cocci_runner, cocci_spatch)


def check(path, *extra):
    p = subprocess.run([sys.executable, DAXLINT, "check", "--profile",
                        "v5.15", "--engines", "cocci", "--format", "json",
                        "--jobs", "1", "-q"] + list(extra) + [path],
                       cwd=os.path.dirname(path), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    return p.returncode, json.loads(p.stdout), p.stderr


def finding_function(text):
    """(name, first, last) of the function holding the fixture's expected
    finding."""
    expect = [n for n, l in enumerate(text.split("\n"), 1)
              if re.search(r"expect:\s*" + RULE, l)]
    for span in cocci_blind.function_spans(text):
        if span[1] <= expect[0] <= span[2]:
            return span
    raise AssertionError("no function around the expected finding")


class ParseOutput(unittest.TestCase):
    """spatch --parse-c's listing of a failed region, mapped to lines."""

    LINES = ["struct a {", "};", "", "static void f(void)", "{",
             "\tx();", "\treturn error + ;", "}", ""]
    OUT = ("parse error \n = File \"t.c\", line 7, column 16, charpos = 9\n"
           "  around = ';',\n  whole content = \treturn error + ;\n"
           "badcount: 6\nbad: };\nbad: \nbad: static void f(void)\nbad: {\n"
           "bad: \tx();\nBAD:!!!!! \treturn error + ;\nbad: }\n"
           "-----\nNB total files = 1; perfect = 0; pbs = 1\n")

    def test_region(self):
        self.assertEqual(cocci_blind.bad_regions(self.OUT, self.LINES),
                         [(2, 8, 7)])

    def test_region_found_by_content(self):
        # no error line given: the listing is looked up in the file
        out = re.sub(r"line 7", "line 99", self.OUT)
        self.assertEqual(cocci_blind.bad_regions(out, self.LINES)[0][:2],
                         (2, 8))

    def test_header_region_is_left_out(self):
        # a region spatch reports in a header it read is not this file's
        out = self.OUT.replace('File "t.c"', 'File "t.h"')
        self.assertEqual(cocci_blind.bad_regions(out, self.LINES, "t.c"),
                         [])
        self.assertEqual(len(cocci_blind.bad_regions(self.OUT, self.LINES,
                                                      "t.c")), 1)

    def test_macro_definition_is_named(self):
        lines = ["#define M(x) \\", "\tfor (x = 0; \\", "\t\tx < 1; x++)"]
        self.assertEqual(cocci_blind.define_at(lines, 3), "M")
        self.assertIsNone(cocci_blind.define_at(self.LINES, 7))

    def test_spans(self):
        self.assertEqual(cocci_blind.function_spans("\n".join(self.LINES)),
                         [("f", 4, 8)])
        # an attribute with arguments before the name is not the name
        self.assertEqual(cocci_blind.function_spans(
            "static __realloc_size(2) void *\nkr(const void *p)\n{\n}\n"),
            [("kr", 1, 4)])


class ParseSignature(unittest.TestCase):
    """What of a semantic patch can change how spatch parses C."""

    RULE = ("@initialize:python@\n@@\nPARAMS = 1\ntypedef_like = 2\n\n"
            "@r@\nidentifier f;\n@@\nf(...);\n\n"
            "@script:python@\nf << r.f;\n@@\nprint(f)\n")

    def test_python_is_not_smpl(self):
        # a script body (after the @@ that closes its header) is Python
        self.assertEqual(cocci_spatch.smpl_parse_parts(self.RULE), ([], []))

    def test_declarations_count(self):
        text = self.RULE.replace("identifier f;", "identifier f;\n"
                                 "typedef u8;")
        self.assertEqual(cocci_spatch.smpl_parse_parts(text)[1],
                         ["typedef u8;"])

    def test_every_rule_parses_plainly(self):
        # all rules share the parse: one AST per file, and the rule runs
        # report what failed to parse (no extra --parse-c)
        for fn in sorted(os.listdir(cocci_spatch.COCCI_DIR)):
            if fn.endswith(".cocci"):
                self.assertTrue(cocci_spatch.parses_plainly(fn[:-6]), fn)


@unittest.skipUnless(cocci.available(), "spatch not installed")
class BlindSpots(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="daxlint-blind-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.cache = os.path.join(self.dir, "cache")
        os.environ["DAXLINT_CACHE_DIR"] = self.cache
        self.addCleanup(os.environ.pop, "DAXLINT_CACHE_DIR", None)
        with open(FIXTURE) as fh:
            self.text = fh.read()
        self.path = os.path.join(self.dir, os.path.basename(FIXTURE))

    def write(self, text):
        with open(self.path, "w") as fh:
            fh.write(text)

    def test_clean_copy_has_no_blind_spot(self):
        self.write(self.text)
        rc, rep, err = check(self.path)
        self.assertEqual(rc, 1, err)
        self.assertEqual(rep["errors"], [])
        self.assertEqual(rep["unchecked"], [])

    def test_unparsable_function_with_a_finding(self):
        name, first, last = finding_function(self.text)
        lines = self.text.split("\n")
        # before the closing brace of the function holding the finding
        lines.insert(last - 1, UNPARSABLE.rstrip("\n"))
        self.write("\n".join(lines))
        for extra in ([], ["--no-cache"], []):     # cold, uncached, warm
            rc, rep, err = check(self.path, *extra)
            self.assertEqual(rc, 2, err)
            mine = [e for e in rep["errors"]
                    if e["function"] == name and e["engine"] == "cocci"]
            self.assertEqual(len(mine), 1, rep["errors"])
            e = mine[0]
            self.assertEqual(os.path.basename(e["file"]),
                             os.path.basename(self.path))
            self.assertEqual(e["line"], last)
            self.assertIn(RULE, e["rules"])
            self.assertIn("could not parse", e["reason"])
            self.assertFalse(any(f["function"] == name
                                 for f in rep["findings"]))

    def test_unparsable_function_touching_no_api(self):
        self.write(self.text + "\nstatic int demo_other(int error)\n{\n"
                   + UNPARSABLE + "}\n")
        rc, rep, err = check(self.path)
        # the fixture's finding is still there; the blind spot is listed
        # apart and does not make the run fail
        self.assertEqual(rc, 1, err)
        self.assertEqual(rep["errors"], [])
        self.assertEqual([(e["function"], e["rules"])
                          for e in rep["unchecked"]], [("demo_other", [])])
        self.assertTrue(rep["findings"])

    def test_rule_run_reports_what_parse_c_reports(self):
        # the failed regions come from the rule's own run (ParseLog) when
        # it parses as --parse-c does; both must say the same
        self.assertTrue(cocci_spatch.parses_plainly(RULE))
        name, first, last = finding_function(self.text)
        lines = self.text.split("\n")
        lines.insert(last - 1, UNPARSABLE.rstrip("\n"))
        self.write("\n".join(lines))
        f = os.path.basename(self.path)
        log = cocci_blind.ParseLog(None)
        found, errs = cocci_runner.run_spatch(self.dir, RULE, "v5.15",
                                              [[f]], parses=log)
        self.assertEqual(errs, [])
        self.assertIsNotNone(log.get(f), "the run did not feed the log")
        self.assertTrue(log.get(f))
        self.assertEqual(log.get(f),
                         cocci_blind.parse_failures(self.dir, f))

    def test_directory_rule_through_a_wrapper(self):
        # demo_setattr reaches xfs_break_layouts only through wrappers in
        # another file: the rule follows its callers, so it is blind there
        src = os.path.join(TESTS, "fixtures", "break-layouts-mmaplock",
                           "bad-wrapper-chain")
        dst = os.path.join(self.dir, "chain")
        shutil.copytree(src, dst)
        ops = os.path.join(dst, "ops.c")
        with open(ops) as fh:
            lines = fh.read().split("\n")
        at = next(i for i, l in enumerate(lines)
                  if "return demo_prep_unmap(" in l)
        lines.insert(at, UNPARSABLE.rstrip("\n"))
        with open(ops, "w") as fh:
            fh.write("\n".join(lines))
        rc, rep, err = check(dst)
        self.assertEqual(rc, 2, err)
        self.assertEqual([(os.path.basename(e["file"]), e["function"],
                           e["rules"]) for e in rep["errors"]],
                         [("ops.c", "demo_setattr",
                           ["break-layouts-mmaplock"])])


if __name__ == "__main__":
    unittest.main()
