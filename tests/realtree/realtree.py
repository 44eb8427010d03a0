#!/usr/bin/env python3
"""Real-tree tests over Debian's kernel trees (see README.md): the 6.1
reference tree and the newest linux-source-7.* (or 6.15+) Debian has.

  realtree.py list                 the mutations
  realtree.py run NAME...          apply each mutation and check its findings
  realtree.py run-all              every mutation
  realtree.py baseline             each whole tree against its expected file
  options: --engines cocci,sparse  (default: every installed engine)
           --tree 6.1|latest       only that tree's mutations and baseline
"""
import argparse
import concurrent.futures
import fcntl
import glob
import json
import os
import queue
import shutil
import subprocess
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "kernel-integration"))
from daxlint_lib import cachedir, catalog, subrun, tree  # noqa: E402
from daxlint_lib.engines import cocci_select, cocci_spatch  # noqa: E402
from daxlint_lib.cli import ENGINES  # noqa: E402



class Tree:
    """A reference tree, the profile it must detect, the rules it must
    list as not applicable, and its test files: expected-<name>.json and
    <mutations>/<rule>.json."""

    def __init__(self, name, fetch, profile, not_applicable, mutations):
        self.name, self.fetch, self.profile = name, fetch, profile
        self.not_applicable = set(not_applicable)
        self.expected = os.path.join(HERE, "expected-%s.json" % name)
        self.mutations = os.path.join(HERE, mutations)


TREES = {
    "6.1": Tree("6.1", tree.debian_tree, "v5.15",
                ["gup-layout-lock", "evict-break-final"], "mutations"),
    "latest": Tree("latest", tree.latest_tree, "v6.15",
                   ["pagemap-ops-balance", "devmap-put", "gup-layout-lock"],
                   "mutations-latest"),
}


def installed_engines():
    return [e for e, m in ENGINES.items() if m.available()]


def load_mutations(trees=TREES):
    """Every mutation of TREES (names), each with _tree set."""
    out = []
    for name in trees:
        pattern = os.path.join(TREES[name].mutations, "*.json")
        for path in sorted(glob.glob(pattern)):
            with open(path) as f:
                for m in json.load(f):
                    m["_source"] = os.path.relpath(path, TOP)
                    m["_tree"] = name
                    out.append(m)
    return out


def daxlint(kdir, engine, paths, rules=None):
    """The JSON report of one engine over PATHS of KDIR."""
    return subrun.check_json(paths, kernel=kdir, engines=engine,
                             rules=rules)[0]


def keyset(rep):
    return {(f["rule"], f["file"], f["function"]) for f in rep["findings"]}


class Scratch:
    """One hard-linked copy of the reference tree, reused by every mutation
    (an edit replaces one file by a real copy; restore links it back), at a
    stable path so engines that prepare a build can cache it."""

    def __init__(self, slot=0, which="6.1"):
        self.src = TREES[which].fetch(lambda s: print(s, file=sys.stderr))
        base = os.path.join(cachedir.cache_dir("scratch"),
                            os.path.basename(self.src) + "-mutant")
        # a copy belongs to one process at a time: take the first free slot
        # at or after SLOT (another run on the machine may hold ours)
        while True:
            self.path = base + ("-%d" % slot if slot else "")
            self._lock = open(self.path + ".lock", "w")
            try:
                fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                self._lock.close()
                slot += 2
        stamp = os.path.join(self.path, ".daxlint-scratch")
        if not os.path.exists(stamp) or not self._intact():
            shutil.rmtree(self.path, ignore_errors=True)
            subprocess.run(["cp", "-al", self.src, self.path], check=True)
            open(stamp, "w").close()

    def _intact(self):
        """Every source file of the copy is still the tree's own (a run that
        was killed mid-mutation leaves an edited file behind)."""
        for dirpath, _, files in os.walk(self.src):
            rel = os.path.relpath(dirpath, self.src)
            for fn in files:
                try:
                    a = os.stat(os.path.join(dirpath, fn))
                    b = os.stat(os.path.join(self.path, rel, fn))
                except OSError:
                    return False
                if a.st_ino != b.st_ino:
                    return False
        return True

    def apply(self, m):
        rel = m["file"]
        dst = os.path.join(self.path, rel)
        with open(os.path.join(self.src, rel)) as f:
            text = f.read()
        for e in m["edits"]:
            n = text.count(e["find"])
            if n != 1:
                raise ValueError("%s: edit text occurs %d times in %s: %r"
                                 % (m["name"], n, rel, e["find"][:80]))
            text = text.replace(e["find"], e["replace"])
        os.unlink(dst)
        with open(dst, "w") as f:
            f.write(text)

    def restore(self, m):
        dst = os.path.join(self.path, m["file"])
        os.unlink(dst)
        os.link(os.path.join(self.src, m["file"]), dst)


_BASE = {}
_BASE_LOCK = threading.Lock()


def affected_rules(root, paths, edited):
    """Rules whose input can contain EDITED: a rule whose candidate files
    (prefilter, directory scope) leave it out sees the same input with or
    without the edit, so its findings cannot change."""
    rules = [r for r in catalog.load().ids()
             if os.path.isfile(cocci_spatch.rule_file(r))]
    cands = cocci_select.candidates(root, paths, rules)
    return {r for r, files in cands.items() if edited in files}


def check_mutation(scratch, m, engines):
    """Problems (empty list when the mutation behaves as expected)."""
    paths = m.get("check") or [os.path.dirname(m["file"])]
    cat = catalog.load()
    probs = []
    before = affected_rules(scratch.src, paths, m["file"])
    scratch.apply(m)
    try:
        rules = sorted(before | affected_rules(scratch.path, paths, m["file"])
                       | {x["rule"] for x in m["expect"] + m.get("gone", [])})
        # every engine the catalog lists for an expected rule must run:
        # a mutation no engine checked would pass without testing anything
        need = {e for x in m["expect"] + m.get("gone", [])
                for e in cat.rule(x["rule"])["engines"]}
        if m.get("engines"):
            need &= set(m["engines"])
        for e in sorted(need - set(engines) - set(installed_engines())):
            probs.append("[%s] covers %s but is not installed"
                         % (e, ", ".join(sorted(
                             x["rule"] for x in m["expect"]
                             if e in cat.rule(x["rule"])["engines"]))))
        checked = 0
        for e in engines:
            if m.get("engines") and e not in m["engines"]:
                continue            # an expectation of other engines only
            if not set(rules) & set(cat.covered_by(e)):
                continue            # the edit reaches none of its rules
            want = {(x["rule"], x["function"]) for x in m["expect"]
                    if e in cat.rule(x["rule"])["engines"]}
            if m["expect"] and not want:
                continue            # this engine covers none of its rules
            checked += 1
            # the engine's own rules: a preview check (tidy) is judged by
            # the fixtures until the catalog lists the engine for its rule
            mine = [r for r in rules if e in cat.rule(r)["engines"]]
            # the tree too: a 6.1 and a 7.x mutation can check the same
            # paths for the same rules
            key = (scratch.src, e, tuple(paths), tuple(mine))
            with _BASE_LOCK:
                if key not in _BASE:
                    b = daxlint(scratch.src, e, paths, mine)
                    _BASE[key] = (keyset(b), b["errors"])
            base_keys, base_errors = _BASE[key]
            if base_errors:
                # a blind spot of the unedited run (a spatch timeout on a
                # loaded machine) would pass as a finding the edit added
                # or hide one it removed: say so, never compare against it
                probs.append("[%s] errors before the edit: %s"
                             % (e, base_errors))
                continue
            rep = daxlint(scratch.path, e, paths, mine)
            if rep["errors"]:
                probs.append("[%s] errors: %s" % (e, rep["errors"]))
            new = keyset(rep) - base_keys
            got = {(r, fn) for r, _, fn in new}
            for r, fn in sorted(want - got):
                probs.append("[%s] missing %s in %s" % (e, r, fn))
            for r, f, fn in sorted(new):
                if (r, fn) not in want:
                    probs.append("[%s] unexpected %s in %s (%s)"
                                 % (e, r, fn, f))
            # "gone": findings of the unedited tree the edit must remove
            base = {(r, fn) for r, _, fn in base_keys}
            now = {(r, fn) for r, _, fn in keyset(rep)}
            for x in m.get("gone", []):
                if e not in cat.rule(x["rule"])["engines"]:
                    continue
                k = (x["rule"], x["function"])
                if k not in base:
                    probs.append("[%s] %s in %s: not found before the edit"
                                 % (e, k[0], k[1]))
                elif k in now:
                    probs.append("[%s] %s in %s: still reported"
                                 % (e, k[0], k[1]))
        if not checked and not probs:
            probs.append("no engine checked this mutation (engines run: %s)"
                         % (", ".join(engines) or "none"))
    finally:
        scratch.restore(m)
    return probs


def run_many(muts, engines, workers=2):
    """{name: problems} for MUTS, WORKERS at a time, each worker on its own
    scratch copy of the mutation's tree (a directory-wide rule runs on one
    core, so two mutations at once use the machine)."""
    slots = {}
    for name in sorted({m["_tree"] for m in muts}):
        slots[name] = queue.Queue()
        for i in range(workers):
            slots[name].put(Scratch(i, name))

    def one(m):
        q = slots[m["_tree"]]
        sc = q.get()
        try:
            return m["name"], check_mutation(sc, m, engines)
        except (ValueError, RuntimeError, OSError) as exc:
            return m["name"], [str(exc)]
        finally:
            q.put(sc)

    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return dict(pool.map(one, muts))


def check_baseline(engine, which="6.1"):
    """Problems of a whole-tree run of ENGINE against the tree's expected
    findings, profile and not-applicable rules."""
    t = TREES[which]
    src = t.fetch()
    rep = daxlint(src, engine, [])
    with open(t.expected) as f:
        # a preview check runs too: it must find what is there, and only
        # that
        want = {(x["rule"], x["file"], x["function"]) for x in json.load(f)
                if catalog.load().runs(engine, x["rule"])}
    got = keyset(rep)
    probs = []
    if rep["profile"] != t.profile:
        probs.append("profile %s, expected %s" % (rep["profile"], t.profile))
    na = {x["rule"] for x in rep["not_applicable"]}
    if na != t.not_applicable:
        probs.append("not applicable: %s, expected %s"
                     % (", ".join(sorted(na)) or "none",
                        ", ".join(sorted(t.not_applicable))))
    if rep["errors"]:
        probs.append("errors: %s" % rep["errors"])
    for k in sorted(want - got):
        probs.append("missing %s" % (k,))
    for k in sorted(got - want):
        probs.append("unexpected %s" % (k,))
    return probs


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=["list", "run", "run-all", "baseline"])
    ap.add_argument("names", nargs="*")
    ap.add_argument("--engines", default=",".join(installed_engines()))
    ap.add_argument("--workers", type=int, default=2,
                    help="mutations checked at once (default: 2)")
    ap.add_argument("--tree", choices=sorted(TREES),
                    help="only this tree (default: every tree)")
    args = ap.parse_args()
    engines = [e for e in args.engines.split(",") if e]
    trees = [args.tree] if args.tree else list(TREES)
    muts = load_mutations(trees)
    if args.cmd == "list":
        for m in muts:
            print("%-40s %-28s %s" % (m["name"], m["_source"],
                                      ", ".join("%s@%s" % (x["rule"],
                                                           x["function"])
                                                for x in m["expect"])
                                      or "(must stay silent)"))
        return 0
    if args.cmd == "baseline":
        bad = 0
        for which in trees:
            for e in engines:
                probs = check_baseline(e, which)
                print("%s %s [%s]" % ("FAIL" if probs else "ok  ", which, e))
                for p in probs:
                    print("    " + p)
                bad += bool(probs)
        return 1 if bad else 0
    if args.cmd == "run":
        muts = [m for m in muts if m["name"] in args.names]
        missing = set(args.names) - {m["name"] for m in muts}
        if missing:
            print("unknown mutation(s): %s" % ", ".join(sorted(missing)))
            return 2
    results = run_many(muts, engines, args.workers)
    failed = passed = 0
    for m in muts:
        probs = results[m["name"]]
        if probs:
            failed += 1
            print("FAIL %s (%s)" % (m["name"], m["_source"]))
            for p in probs:
                print("    " + p)
        else:
            passed += 1
            print("ok   %s" % m["name"])
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
