"""The sparse engine: daxlint-sparse (sparse-plugin/), a lock-state checker
built on sparse's library, run on fully preprocessed code.

Standalone files (fixtures, --profile given) are checked directly:
  daxlint-sparse -I<file's dir> -I kernel-integration/include
                 -DDAXLINT_PROFILE_<P>
                 $DAXLINT_SPARSE_FLAGS file.c
Kernel trees are checked the way kernel developers run sparse: the tree is
prepared once in an out-of-tree build directory in the cache (defconfig +
the DAX filesystems, olddefconfig, make prepare), keyed by the tree and the
config fragment, and the translation units that can contain a finding (a
grep prefilter) are checked by kbuild itself:
  make -C KDIR O=<cache>/build-<key> C=2 CHECK=daxlint-sparse dir/file.o
so daxlint-sparse sees kbuild's CHECKFLAGS and c_flags.  Findings come
back through DAXLINT_SPARSE_JSON (one JSON object a line); sparse's own
warnings are never taken.

  sparse_checker.py  daxlint-sparse: where it is, its build, its identity
  sparse_select.py   the units that can contain a finding
  sparse_kbuild.py   the prepared build directory, kbuild's checker run
  sparse_runner.py   the per-unit runs and their results cache
  sparse_blind.py    what the checker could not check: the error records
"""
import json
import os
import shlex
import subprocess
import tempfile
from shutil import which

from .. import INCLUDE
from ..findings import Finding, tool_error
from ..srcfiles import c_files, read_text, within
from .sparse_blind import sparse_error_records, stop_reason
from .sparse_checker import BINARY, PROFILE_DEFINE, build, checker_env
from .sparse_kbuild import prepare_tree
from .sparse_runner import UnitRunner
from .sparse_select import (callers_elsewhere, candidates, dax_fs_dir,
                            rules_named_in)

# the summary record a directory's units share (summary_db.c): some unit
# of the directory shows DAX inodes in its own text
DIR_RECORD = "daxfs@"


def available():
    """Is daxlint-sparse built, or can it be built here?"""
    if os.path.exists(BINARY):
        return True
    if not (which("make") and which("cc")):
        return False
    return build()


def _read_findings(json_path, root, rules):
    out = []
    if not os.path.exists(json_path):
        return out
    with open(json_path) as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            d = json.loads(line)
            if d["rule"] not in rules:
                continue
            f = os.path.normpath(d["file"] if os.path.isabs(d["file"])
                                 else os.path.join(root, d["file"]))
            rel = os.path.relpath(f, root)
            if root == "/":
                rel = f.lstrip("/")
            out.append(Finding(d["rule"], rel, d["line"],
                               d["column"] or None, d["function"], "sparse",
                               d["detail"]))
    return out


def run_standalone(ctx, rules, progress):
    """Each PATH is one unit: a file, or a directory whose .c files are
    checked together (function summaries cross its files)."""
    findings, errors = [], []
    extra = shlex.split(os.environ.get("DAXLINT_SPARSE_FLAGS", ""))
    with tempfile.TemporaryDirectory(prefix="daxlint-sparse-") as tmp:
        js = os.path.join(tmp, "findings.json")
        for path in ctx.paths:
            files = c_files(ctx.root, [path])
            if not files:
                continue
            env = checker_env(rules, ctx.profile, js)
            env["DAXLINT_SPARSE_UNIT"] = "1"
            full = [os.path.join(ctx.root, f) for f in files]
            cmd = [BINARY]
            for d in sorted(set(os.path.dirname(f) for f in full)):
                cmd += ["-I", d]
            cmd += ["-I", INCLUDE]
            if ctx.profile in PROFILE_DEFINE:
                cmd.append("-D%s=1" % PROFILE_DEFINE[ctx.profile])
            cmd += extra + full
            p = subprocess.run(cmd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env)
            if p.returncode != 0:
                text = "".join(read_text(f) for f in full)
                errors.append(tool_error(
                    "sparse", stop_reason(p.stderr, p.returncode),
                    file=os.path.relpath(full[0], ctx.root),
                    rules=rules_named_in(text, rules)))
            else:
                errors += sparse_error_records(p.stderr.splitlines(),
                                               ctx.root, rules)
        findings = _read_findings(js, ctx.root, rules)
    return findings, errors


def truncations_only(line):
    """A summary line (name file req acq rel sleeps reason iolock fault
    calls_busy waits sets_flag scans ubl ubl_items) that tells a caller
    only what unmap-breaks-layouts needs (no lock fact: the checker writes
    zeros there): that rule follows calls within a directory (a
    filesystem), so only callers there need it."""
    return len(line) > 13 and all(x == "0" for x in line[2:13])


def _findings(variant, rules):
    out = []
    for d in (variant or {}).get("findings", ()):
        if d["rule"] in rules:
            out.append(Finding(d["rule"], d["file"], d["line"],
                               d["column"] or None, d["function"], "sparse",
                               d["detail"]))
    return out


def run_tree(ctx, rules, progress):
    """Two runs, like smatch's cross-function database: the first checks
    the candidate units and collects the summaries of their exported
    functions; the second re-checks, with those summaries, the units that
    call such a function defined in another unit (ext4's extents.c calling
    inode.c's ext4_break_layouts()), until no new summary appears.  The
    first run also covers the candidates of the checked files'
    directories, so that checking one file still knows its neighbours'
    summaries.  Every unit's answer comes from the cache when what it read
    and the summaries it looked up are unchanged."""
    files = candidates(ctx.root, ctx.paths, rules)
    dirs = sorted(set(os.path.dirname(p) or "." for p in ctx.paths
                      if os.path.isfile(os.path.join(ctx.root, p))))
    first = sorted(set(files) | set(candidates(ctx.root, dirs, rules)
                                    if dirs else []))
    if not first:
        progress("sparse: no translation unit can contain a finding")
        return [], []
    objdir = prepare_tree(ctx.root, ctx.jobs, progress)
    runner = UnitRunner(ctx, objdir, rules, progress)
    errors = []
    progress("sparse: %d translation unit(s): %s" % (
        len(first), " ".join(first[:8]) + (" ..." if len(first) > 8
                                            else "")))
    with tempfile.TemporaryDirectory(prefix="daxlint-sparse-") as tmp:
        res = runner.check(first, [], tmp, errors)
        latest = dict(res)
        # the newest summary of a function wins
        dbs = [sorted(l for u in first for l in
                      (res.get(u) or {}).get("summary", ()))]
        # a summary new or changed since the callers were last checked
        # sends them to another round (a function that truncates only
        # through another unit's function learns it in the second round);
        # what a function truncates matters to the units of its own
        # directory, and only in a DAX filesystem's
        known = {}
        for rnd in range(2, 6):
            eff = {}
            for db in dbs:
                for line in db:
                    ubl = line[0].startswith(DIR_RECORD) or \
                        dax_fs_dir(ctx.root, os.path.dirname(line[1]))
                    if not ubl and truncations_only(line):
                        continue
                    eff[line[0]] = (line[1], " ".join(
                        line[2:] if ubl else line[2:13]),
                        truncations_only(line))
            new = dict((n, v) for n, v in eff.items() if known.get(n) != v)
            known.update(new)
            again = callers_elsewhere(
                ctx.root, ctx.paths, dict((n, v[0]) for n, v in new.items()
                                          if not n.startswith(DIR_RECORD)),
                set(n for n, v in new.items() if v[2]))
            # a directory's record ("some unit of fs/xfs shows DAX
            # inodes") reaches the units that looked it up: those that
            # needed it and found none in their own text
            recs = [n for n in new if n.startswith(DIR_RECORD)]
            if recs:
                again = sorted(set(again) | set(
                    u for u, v in latest.items()
                    if any(n in (v or {}).get("lookups", {}) for n in recs)))
            if not again:
                break
            progress("sparse: %d unit(s) call functions of other units, "
                     "checked again with their summaries: %s"
                     % (len(again), " ".join(again[:8])))
            res = runner.check(again, dbs, tmp, errors)
            latest.update(res)
            dbs.append(sorted(l for u in again for l in
                              (res.get(u) or {}).get("summary", ())))
    findings = []
    for u in sorted(latest):
        findings += [f for f in _findings(latest[u], rules)
                     if within(f.file, ctx.paths)]
        errors += sparse_error_records(
            latest[u].get("errors", ()), runner.objdir, rules, runner.rel,
            lambda f: dax_fs_dir(runner.root, os.path.dirname(f)))
    out, seen = [], set()
    for e in errors:
        k = (e["file"], e["line"], e["function"], e["reason"])
        # a unit fails the same way in every round; a neighbour checked
        # only for its summaries is not what was asked about
        if k not in seen and within(e["file"] or "", ctx.paths):
            seen.add(k)
            out.append(e)
    return findings, out


def run(ctx, rules, progress):
    """Engine entry point: ctx has root, paths, profile, jobs, standalone."""
    if not rules:
        return [], []
    if not build(progress):
        return [], ["sparse engine: daxlint-sparse could not be built "
                    "(make -C sparse-plugin)"]
    if ctx.standalone:
        return run_standalone(ctx, rules, progress)
    return run_tree(ctx, rules, progress)
