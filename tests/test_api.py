"""The kernel API table (kernel-integration/api/kernel-api.tsv) is the one
hand-written list of the kernel API: the engines' lists are generated from
it or computed from it, and the C tables it replaces hold nothing it
lacks."""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "kernel-integration"))
from daxlint_lib import TOP, api, apiscan, catalog  # noqa
from daxlint_lib.engines import sparse_checker, sparse_select  # noqa

GENERATE = os.path.join(TOP, "cocci", "generate.py")
GEN_API = os.path.join(TOP, "sparse-plugin", "gen-api.py")


def _run(*cmd):
    return subprocess.run([sys.executable] + list(cmd),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)


class Table(unittest.TestCase):
    def test_rows(self):
        rows = api.rows()
        self.assertGreater(len(rows), 100)
        profiles = set(catalog.load().profiles)
        for r in rows:
            self.assertRegex(r.name, r"^[A-Za-z_]\w*\*?$")
            for p in r.profiles or ():
                self.assertIn(p, profiles, r.name)
            for e in r.engines:
                self.assertIn(e, api.ENGINES, r.name)
            if "marker" in r.kinds:
                self.assertIn(r.extra.get("marks"), profiles, r.name)

    def test_a_typo_in_a_kind_is_an_error(self):
        d = tempfile.mkdtemp()
        try:
            p = os.path.join(d, "t.tsv")
            with open(p, "w") as fh:
                fh.write("xfs_ilock\txfs-lokc\t0\t1:xfs-lock\t*\t*\t-\n")
            with self.assertRaises(ValueError):
                api.rows(p)
        finally:
            shutil.rmtree(d)


class CocciSections(unittest.TestCase):
    def check_edited(self, edit):
        """generate.py --check over a copy of devmap-put.cocci changed by
        EDIT (text -> text)."""
        with open(os.path.join(TOP, "cocci", "devmap-put.cocci")) as f:
            text = f.read()
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "x.cocci"), "w") as f:
                f.write(edit(text))
            return _run(GENERATE, "--check", "--dir", d)

    def test_check_fails_on_a_stale_api_section(self):
        """generate.py --check (run by test_catalog) compares the API
        sections too: an edited one is stale."""
        old = '"nth_page", '

        def edit(text):
            self.assertTrue(old in text)
            return text.replace(old, "", 1)
        p = self.check_edited(edit)
        self.assertEqual(p.returncode, 1, p.stdout)
        self.assertIn("x.cocci", p.stdout)

    def test_an_unknown_kind_is_an_error(self):
        p = self.check_edited(lambda text: text.replace(
            "SAME_PAGE = set(API_SAME_PAGE)",
            "SAME_PAGE = set(API_SAME_PAEG)", 1))
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("SAME_PAEG", p.stdout)

    def test_a_rule_without_its_api_section_is_an_error(self):
        def edit(text):
            m = re.search(r"^# ---- generated from kernel-integration/\S+ "
                          r".*?^# ---- end of kernel-integration/\S+\n",
                          text, re.S | re.M)
            self.assertIsNotNone(m)
            return text[:m.start()] + text[m.end():]
        p = self.check_edited(edit)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("no API section", p.stdout)


class OneHandKeptList(unittest.TestCase):
    def test_no_python_list_of_api_names_outside_the_table(self):
        self.assertEqual(apiscan.scan(), [])

    def test_the_scan_finds_a_hand_kept_list(self):
        """The scan is no test that cannot fail: a tuple of names, a regex
        and a list in a .cocci rule's Python are found; a message is not."""
        d = tempfile.mkdtemp()
        try:
            py = os.path.join(d, "x.py")
            with open(py, "w") as fh:
                fh.write('LOCKS = ("xfs_ilock", "xfs_iunlock")\n'
                         'RX = r"^(msleep\\w*|ssleep)$"\n'
                         'MSG = "xfs_ilock() without the lock"\n')
            names = set(api.all_names())
            self.assertEqual(apiscan.hand_kept(py, names),
                             [(1, "xfs_ilock"), (1, "xfs_iunlock"),
                              (2, "msleep"), (2, "ssleep")])
            cocci = os.path.join(d, "x.cocci")
            with open(cocci, "w") as fh:
                fh.write('@initialize:python@\n@@\nG = ["put_dax"]\n'
                         '@r@\n@@\nput_dax("x");\n')
            self.assertEqual(apiscan.hand_kept(cocci, names),
                             [(3, "put_dax")])
        finally:
            shutil.rmtree(d)


class SparsePrefilter(unittest.TestCase):
    def test_rules_and_names(self):
        """Every rule the sparse engine covers has table kinds (the unmap
        rule has its own prefilter), and each kind yields names."""
        sparse = set(catalog.load().covered_by("sparse"))
        self.assertEqual(set(sparse_select.RULE_KINDS) |
                         {sparse_select.UNMAP_RULE}, sparse)
        for r, pats in sparse_select.RULE_APIS.items():
            self.assertTrue(pats, r)
            for k in sparse_select.RULE_KINDS[r]:
                self.assertTrue(api.source_names(k), (r, k))

    def test_a_name_ends_at_a_word(self):
        """folio_put names folio_put(), not folio_putback_lru()."""
        self.assertEqual(sparse_select.rules_named_in(
            "folio_putback_lru(f);", ["devmap-put"]), [])
        self.assertEqual(sparse_select.rules_named_in(
            "folio_put(f);", ["devmap-put"]), ["devmap-put"])


# ---- the C side: api.def and the tables it will replace --------------------
# The API names the .c files of sparse-plugin/ still spell as string
# literals, by file: the lists not read from api.def yet.  A list converted
# leaves this dict; a name added to a .c file fails the test.
LITERALS_LEFT = {
    "calltable.c": {
        "dax_layout_lock"
    },
    "check_devmap_put.c": {"folio_put"},
    "check_gup_layout_lock.c": {
        "___GFP_DIRECT_RECLAIM", "___GFP_DIRECT_RECLAIM_BIT", "dax_layout_lock"
    },
    "check_unmap_breaks_layouts.c": {
        "truncate_pagecache", "truncate_setsize"
    },
    "summary.c": {"inode_lock"},
}



def _c_sources():
    text = {}
    for p in sorted(glob.glob(os.path.join(TOP, "sparse-plugin", "*.c"))):
        with open(p) as fh:
            text[os.path.basename(p)] = fh.read()
    return text


def _def_rows():
    rows = []
    with open(os.path.join(TOP, "sparse-plugin", "api.def")) as fh:
        for line in fh:
            m = re.match(r'DAXLINT_API\("(\w+)", (\w+), (-?\d+), (-?\d+), '
                         r'(-?\d+), (\w+), (\w+), (-?\d+), ([01])\)$', line)
            if m:
                rows.append(m.groups())
    return rows


class SparseDef(unittest.TestCase):
    def setUp(self):
        self.c = _c_sources()
        self.rows = _def_rows()
        self.kinds = {}
        for name, kind, *_ in self.rows:
            self.kinds.setdefault(name, set()).add(
                kind.lower().replace("_", "-"))

    def test_api_def_is_up_to_date(self):
        p = _run(GEN_API, "--check")
        self.assertEqual(p.returncode, 0, p.stdout)

    def test_the_def_files_are_part_of_the_checker(self):
        """The driver rebuilds and re-keys its cache when api.def or
        checks.def changes: they are compiled in."""
        self.assertLessEqual({"api.def", "checks.def"},
                             set(sparse_checker.plugin_sources()))

    def test_check_fails_on_a_stale_api_def(self):
        d = tempfile.mkdtemp()
        try:
            out = os.path.join(d, "api.def")
            with open(os.path.join(TOP, "sparse-plugin", "api.def")) as f:
                text = f.read()
            with open(out, "w") as f:
                f.write(text.replace('"xfs_ilock"', '"xfs_ilok"', 1))
            p = _run(GEN_API, "--check", "--out", out)
            self.assertEqual(p.returncode, 1, p.stdout)
        finally:
            shutil.rmtree(d)

    def test_no_new_hand_kept_names_in_c(self):
        """The .c files spell no API name but those of the lists not
        converted yet: a hand-kept list added back (call_table[] as it
        was) is string literals that name table rows."""
        names = set(api.all_names())
        found = {}
        for f, t in self.c.items():
            lit = set(re.findall(r'"(\w+)"', t)) & names
            if lit:
                found[f] = lit
        self.assertEqual(found, LITERALS_LEFT)

    def test_every_kind_the_c_side_names_has_rows(self):
        """A kind that a .c file asks for (AK_<KIND>) and that has no row
        for the sparse engine would match nothing, silently."""
        used = set(m for t in self.c.values()
                   for m in re.findall(r"\bAK_(\w+)", t)) - {"NR"}
        self.assertIn("FAULT_LOCK_FIELD", used)
        have = set(r[1] for r in self.rows)
        self.assertEqual(used - have, set())

    def test_every_call_kind_has_rows(self):
        """Each enum call_kind is mapped from a table kind that has rows
        in api.def (a kind without rows would leave its checks blind)."""
        with open(os.path.join(TOP, "sparse-plugin", "calltable.h")) as fh:
            enum = re.search(r"enum call_kind \{(.*?)\};", fh.read(),
                             re.S).group(1)
        cks = set(re.findall(r"^\s*CK_(\w+)", enum, re.M)) - {"NONE", "NR"}
        mapped = dict((ck, ak) for ak, ck in re.findall(
            r"\[AK_(\w+)\] = CK_(\w+),", self.c["calltable.c"]))
        self.assertGreater(len(cks), 20)
        self.assertEqual(set(mapped), cks)
        for ck, ak in mapped.items():
            self.assertTrue(any(r[1] == ak and r[8] == "0"
                                for r in self.rows), "CK_%s (%s)" % (ck, ak))

    def test_gfp_arguments(self):
        """gfp_arg() of check_gup_layout_lock.c takes an allocator's GFP
        argument from its row: every alloc row has one."""
        allocs = [r for r in self.rows if r[1] == "ALLOC"]
        self.assertGreater(len(allocs), 20)
        for name, kind, obj, f0, f1, fl, val, count, fam in allocs:
            self.assertEqual(fl, "GFP", name)
            self.assertGreaterEqual(int(f0), 0, name)

    def test_xfs_lock_bits(self):
        """The bits' values are the plugin's L_* (the kernel's values)."""
        h = {}
        for p in glob.glob(os.path.join(TOP, "sparse-plugin", "*.h")):
            with open(p) as fh:
                h.update((n, 1 << int(b)) for n, b in re.findall(
                    r"#define L_(\w+)\s+\(1u << (\d+)\)", fh.read()))
        bits = dict((r[0], int(r[6], 16)) for r in self.rows
                    if r[1] == "XFS_LOCK_BIT")
        self.assertEqual(len(bits), 6)
        for name, value in bits.items():
            self.assertEqual(h[name[len("XFS_"):].replace("MMAPLOCK",
                                                          "MMAP")],
                             value, name)

    def test_the_keys(self):
        """check_pagemap_ops_balance.c knows the static keys by their
        kind: both generations' keys have it."""
        for key in ("devmap_managed_key", "device_private_key"):
            self.assertIn("pgmap-key", self.kinds.get(key, ()))
