"""Patch mode of every rule whose catalog entry lists "cocci" under "patch":
for each of its bad-* fixture units, spatch -D patch must produce a diff
that applies, compiles against kernel-integration/include with the fixture's profile
macro, and leaves the rule silent on the result.

A fixture whose finding cannot be fixed mechanically opts out with a line
containing `daxlint: no-autofix` (the rule's doc says why); such a unit is
only required to still compile and to be left alone or partly fixed, never
broken: its patch, if any, must still compile.
"""
import os
import shutil
import subprocess
import tempfile
import unittest

import fixture_harness as fh

from daxlint_lib import catalog, subrun

NO_AUTOFIX = "daxlint: no-autofix"


def _patch_rules():
    cat = catalog.load()
    return [r["id"] for r in cat.rules if "cocci" in r.get("patch", [])]


def _profile_macro(profile):
    return "DAXLINT_PROFILE_" + (profile or "v5.15").upper().replace(".", "_")


def _opted_out(unit):
    for f in unit.files:
        with open(f) as fh_:
            if NO_AUTOFIX in fh_.read():
                return True
    return False


def _spatch_patch(rule, profile, files, cwd):
    cmd = ["spatch", "--sp-file",
           os.path.join(fh.TOP, "cocci", rule + ".cocci"),
           "-D", "patch", "-D", "profile=" + (profile or "v5.15"),
           "--very-quiet", "--no-includes", "--include-headers",
           "--timeout", "120"] + files
    return subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)


def _apply(diff, cwd):
    """Apply a unified diff (spatch's ---/+++ name the relative files)."""
    p = subprocess.run(["patch", "-p0", "--batch", "--forward",
                        "--no-backup-if-mismatch"], input=diff, cwd=cwd,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    return p.returncode, p.stdout


def _compile(files, profile):
    for f in files:
        p = subprocess.run(["gcc", "-fsyntax-only", "-std=gnu11", "-Wall",
                            "-Werror", "-Wno-unused-function", "-I",
                            fh.INCLUDE, "-D" + _profile_macro(profile), f],
                           stderr=subprocess.PIPE, text=True)
        if p.returncode:
            return p.stderr
    return None


def _recheck(rule, profile, path):
    """Findings of RULE on PATH after the patch: [(file, line, message)]."""
    rep, _ = subrun.check_json([path], engines="cocci", rules=[rule],
                               profile=profile or "v5.15", jobs=1,
                               cwd=fh.TOP)
    return rep["findings"], rep["errors"]


def _make_test(rule, unit):
    def test(self):
        if shutil.which("spatch") is None:
            self.skipTest("spatch is not installed")
        opted_out = _opted_out(unit)
        with tempfile.TemporaryDirectory(prefix="daxlint-patch-") as tmp:
            # a copy of the unit, spatch run from the copy's parent so the
            # diff names files relative to it
            name = os.path.basename(unit.path)
            dst = os.path.join(tmp, name)
            if os.path.isdir(unit.path):
                shutil.copytree(unit.path, dst)
                rel = sorted(os.path.join(name, os.path.basename(f))
                             for f in unit.files)
            else:
                shutil.copy(unit.path, dst)
                rel = [name]
            p = _spatch_patch(rule, unit.profile, rel, tmp)
            self.assertNotIn("EXN", p.stderr, p.stderr)
            self.assertEqual(p.returncode, 0, p.stderr[-2000:])
            diff = p.stdout
            if not opted_out:
                self.assertTrue(diff.strip(), "%s: patch mode of %s made no "
                                "change (mark the fixture '%s' if its finding "
                                "cannot be fixed mechanically)"
                                % (unit.name, rule, NO_AUTOFIX))
            if diff.strip():
                rc, out = _apply(diff, tmp)
                self.assertEqual(rc, 0, "patch did not apply:\n%s\n%s"
                                 % (out, diff))
            files = [os.path.join(tmp, r) for r in rel]
            err = _compile(files, unit.profile)
            # a does-not-compile unit (old code in a tree that lacks the
            # API) need not compile after its patch either
            self.assertTrue(err is None or not unit.compiles,
                            "patched %s does not compile:\n%s\n%s"
                            % (unit.name, err, diff))
            if opted_out:
                return
            found, errors = _recheck(rule, unit.profile, dst)
            self.assertEqual(errors, [], "\n".join(map(str, errors)))
            self.assertEqual(found, [], "%s still reported after patch "
                             "mode:\n%s\n%s" % (
                                 unit.name,
                                 "\n".join("%s:%s: %s" % (
                                     f["file"], f["line"],
                                     f.get("message", "")) for f in found),
                                 diff))
    return test


class PatchModeTest(unittest.TestCase):
    """Generated: one test per (patch-capable rule, bad fixture unit)."""

    def test_catalog_patch_rules_have_patch_virtual(self):
        for rule in _patch_rules():
            path = os.path.join(fh.TOP, "cocci", rule + ".cocci")
            if not os.path.exists(path):
                continue
            with open(path) as f:
                self.assertIn("virtual patch", f.read(),
                              "%s lists cocci patch mode but its .cocci "
                              "has no 'virtual patch'" % rule)


def _generate():
    for rule in _patch_rules():
        if not os.path.exists(os.path.join(fh.TOP, "cocci", rule + ".cocci")):
            continue
        for unit in fh.units(rule):
            if unit.kind != "bad":
                continue
            name = "test_patch_%s_%s" % (
                rule.replace("-", "_"),
                os.path.basename(unit.path).replace("-", "_")
                .replace(".", "_"))
            setattr(PatchModeTest, name, _make_test(rule, unit))


_generate()

if __name__ == "__main__":
    unittest.main()
