"""The sparse engine's per-unit runs and their results cache (UnitRunner):
each unit checked directly with the command line kbuild gave it before,
or through kbuild, its answer cached as variants."""
import concurrent.futures
import fcntl
import json
import os
import shutil
import subprocess
import tempfile

from .. import cache as cachemod
from ..findings import tool_error
from ..srcfiles import read_text
from .sparse_blind import enclosing_function, stop_reason
from .sparse_checker import BINARY, checker_env, checker_identity
from .kbuild import (CONFIG_DISABLE, CONFIG_ENABLE, CONFIG_VERSION,
                     MAKE_FLAGS, UNEXPLAINED, KbuildKeys, build_arch,
                     unbuilt_reason)
from .sparse_kbuild import check_units
from .sparse_select import dax_fs_dir, rules_named_in

# Each run of the checker on a unit writes its findings, summaries, log and
# a record of what it read (unit_record.c) into DAXLINT_SPARSE_OUTDIR.  A
# unit's answer is cached under its source's content and the build's
# identity, as variants: a variant is reused while every file the
# preprocessor read has the same content and every summary the checker
# looked up is the same as it was.  A unit checked once through kbuild
# leaves its exact command line; a later miss is checked with it directly,
# without kbuild (no make start-up, no compile).
MAX_VARIANTS = 4


def _unit_id(path):
    return path.replace("/", "%")


class UnitRunner:
    """The units of one daxlint check of a kernel tree: each one's answer
    from the cache, or from a run of the checker (directly or through
    kbuild), stored back."""

    def __init__(self, ctx, objdir, rules, progress):
        self.ctx = ctx
        self.given_root = os.path.abspath(ctx.root)   # as kbuild names it
        self.root = os.path.realpath(ctx.root)
        self.objdir = os.path.realpath(objdir)
        self.rules = rules
        self.progress = progress
        self.cache = getattr(ctx, "cache", None)
        self._ekey = None
        self.arch = build_arch(self.objdir)
        # without a cache, still once per run: every unit lists the
        # hundreds of headers it read, and later rounds reuse the command
        # lines kbuild gave the first
        self.content = (self.cache or cachemod.Digests()).content
        self.keys = KbuildKeys(self.root, self.objdir, self.content)
        self.build_identity = self.keys.build_identity
        self.unit_makefiles = self.keys.unit_makefiles
        self._digest_or_none = self.keys.digest_or_none
        self.denorm = self.keys.denorm
        self.argvs = {}

    # -- keys --

    def engine_key(self):
        if self._ekey is None:
            self._ekey = cachemod.digest(
                "sparse", cachemod.FORMAT, checker_identity(),
                ",".join(sorted(self.rules)), self.ctx.profile,
                " ".join(MAKE_FLAGS), CONFIG_VERSION, ",".join(CONFIG_ENABLE),
                ",".join(CONFIG_DISABLE))
        return self._ekey

    def unit_key(self, unit):
        return cachemod.digest(
            self.engine_key(), self.build_identity(),
            self.unit_makefiles(unit), unit,
            self.content(os.path.join(self.root, unit)))

    def argv_key(self, unit):
        # -2: the command lines recorded before unit_record.c kept a copy
        # of argv lost every -DNAME=VALUE's value
        return cachemod.digest("sparse-argv-2", self.objdir,
                               self.build_identity(),
                               self.unit_makefiles(unit), unit)

    # -- what a run read --
    def norm(self, path, cwd):
        return self.keys.norm(os.path.normpath(os.path.join(cwd, path)),
                              (self.given_root,))

    def rel(self, path):
        full = os.path.realpath(path)
        return os.path.relpath(full, self.root) \
            if full.startswith(self.root + "/") else full

    # -- summaries --
    @staticmethod
    def effective(dbs):
        """{name: summary without its file} as the checker sees DBS (the
        newest database first, the first line of a name wins)."""
        out = {}
        for db in reversed(dbs):
            for line in db:
                out.setdefault(line[0], " ".join(line[2:]))
        return out

    def write_dbs(self, dbs, tmp):
        paths = []
        for i, db in enumerate(dbs):
            p = os.path.join(tmp, "sum%d" % i)
            with open(p, "w") as fh:
                for line in db:
                    fh.write(" ".join([line[0],
                                       os.path.join(self.root, line[1])] +
                                      line[2:]) + "\n")
            paths.append(p)
        return ":".join(reversed(paths))

    # -- the cache --
    def lookup(self, unit, eff):
        if not self.cache:
            return None
        rec = self.cache.get(self.unit_key(unit))
        for v in (rec or {}).get("variants", ()):
            if all(self._digest_or_none(self.denorm(p)) == d
                   for p, d in v["read"].items()) and \
                    all(eff.get(n) == s for n, s in v["lookups"].items()):
                return v
        return None

    def store(self, unit, variant):
        if not self.cache:
            return
        key = self.unit_key(unit)
        rec = self.cache.get(key) or {"variants": []}
        vs = [variant] + [v for v in rec["variants"]
                          if v["read"] != variant["read"] or
                          v["lookups"] != variant["lookups"]]
        self.cache.put(key, {"variants": vs[:MAX_VARIANTS]})

    # -- runs --
    def _env(self, outdir, summaries):
        env = checker_env(self.rules, self.ctx.profile, os.devnull)
        env["DAXLINT_SPARSE_OUTDIR"] = outdir
        env["DAXLINT_SPARSE_SUMMARIES"] = summaries
        # a directory's record is named relative to the tree (a scratch
        # copy of the tree then shares the cached answers)
        env["DAXLINT_SPARSE_ROOT"] = self.root
        return env

    def collect(self, unit, outdir, eff):
        """The variant a run left in OUTDIR for UNIT, or None when the
        checker did not run to the end on it."""
        base = os.path.join(outdir,
                            _unit_id(os.path.join(self.given_root, unit)))
        try:
            with open(base + ".info") as fh:
                info = json.load(fh)
        except (OSError, ValueError):
            return None
        read = {}
        for p in info["read"]:
            full = os.path.normpath(os.path.join(info["cwd"], p))
            if os.path.isfile(full):
                read[self.norm(p, info["cwd"])] = self._digest_or_none(full)
        findings = []
        if os.path.exists(base + ".json"):
            with open(base + ".json") as fh:
                for line in fh:
                    if line.strip():
                        d = json.loads(line)
                        d["file"] = self.rel(os.path.join(info["cwd"],
                                                          d["file"]))
                        findings.append(d)
        summary = []
        if os.path.exists(base + ".sum"):
            with open(base + ".sum") as fh:
                for line in fh:
                    w = line.split()
                    if len(w) >= 2:
                        summary.append([w[0], self.rel(w[1])] + w[2:])
        with open(base + ".log", errors="replace") as fh:
            errs = [l.rstrip() for l in fh if ": error: " in l]
        argv = {"cwd": info["cwd"], "argv": info["argv"][1:]}
        self.argvs[unit] = argv
        if self.cache:
            self.cache.put(self.argv_key(unit), argv)
        return {"read": read,
                "lookups": dict((n, eff.get(n)) for n in info["lookups"]),
                "findings": findings, "summary": sorted(summary),
                "errors": errs}

    # -- units the checker could not check --
    def unit_rules(self, unit):
        return rules_named_in(read_text(os.path.join(self.root, unit)),
                              self.rules,
                              dax_fs_dir(self.root, os.path.dirname(unit)))

    def blind(self, unit, reason, rules=None, line=None):
        fn = enclosing_function(os.path.join(self.root, unit), line)[0] \
            if line else None
        return tool_error("sparse", reason, file=unit, line=line,
                          function=fn, rules=(self.unit_rules(unit)
                                              if rules is None else rules))

    def foreign(self, unit):
        """The architecture of a unit of another one than the build's."""
        parts = unit.split("/")
        if len(parts) > 2 and parts[0] == "arch" and self.arch and \
                parts[1] != self.arch:
            return parts[1]
        return None

    def log_of(self, unit, outdir):
        """The unit's log when the checker was started on it, else None."""
        base = os.path.join(outdir,
                            _unit_id(os.path.join(self.given_root, unit)))
        return read_text(base + ".log") \
            if os.path.exists(base + ".log") else None

    def unbuilt_reason(self, unit, make_out):
        return unbuilt_reason(self.root, self.objdir, self.arch, unit,
                              make_out)

    # -- runs --
    def run_direct(self, unit, argv, cwd, summaries, eff):
        with tempfile.TemporaryDirectory(prefix="daxlint-sparse-") as out:
            p = subprocess.run([BINARY] + argv, cwd=cwd,
                               env=self._env(out, summaries),
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
            v = self.collect(unit, out, eff)
            if v is None:
                log = self.log_of(unit, out)
                return None, stop_reason(log or "", p.returncode)
            return v, None

    def run_kbuild(self, units, summaries, eff):
        """{unit: (variant or None, None or (reason, is_build_failure,
        line, foreign arch or None))}"""
        out = tempfile.mkdtemp(prefix="daxlint-sparse-")
        try:
            make_out = check_units(self.ctx, self.objdir, units,
                                   self._env(out, summaries), self.progress)
            res = {}
            for u in units:
                v = self.collect(u, out, eff)
                if v is not None:
                    res[u] = (v, None)
                    continue
                log = self.log_of(u, out)
                if log is not None:
                    # the checker ran on it: its failure, not the build's
                    res[u] = (None, (stop_reason(log), False, None, None))
                else:
                    why, line, arch = self.unbuilt_reason(u, make_out)
                    # only a failure make's output explains is the unit's
                    # own; anything else (make stopped early, a race in the
                    # build directory) may pass next time: not remembered
                    res[u] = (None, (why, why != UNEXPLAINED, line, arch))
            return res
        finally:
            shutil.rmtree(out, ignore_errors=True)

    def check(self, units, dbs, tmp, errors):
        """{unit: variant} for UNITS under the summaries DBS; a unit that
        could not be checked adds an error record to ERRORS."""
        eff = self.effective(dbs)
        res, todo = {}, []
        for u in units:
            arch = self.foreign(u)
            if arch:
                # not part of this build's kernel, and no config builds it
                # here: listed, with the rules it names, but it cannot
                # hide a finding in the kernel being checked
                named = self.unit_rules(u)
                errors.append(self.blind(u, (
                    "not checked: unit of arch/%s, this build is %s%s" % (
                        arch, self.arch, " (names the APIs of %s)" %
                        ", ".join(named) if named else "")), rules=[]))
                continue
            v = self.lookup(u, eff)
            if v is None or (v.get("unbuilt") and
                             v.get("reason") == UNEXPLAINED):
                # an unexplained failure is never taken from the cache
                # (runs before this rule could remember one)
                todo.append(u)
            elif v.get("unbuilt"):
                errors.append(self.blind(u, v.get("reason") or
                                         "not checked: not built",
                                         line=v.get("line"),
                                         rules=[] if v.get("foreign")
                                         else None))
            else:
                res[u] = v
        if not todo:
            return res
        summaries = self.write_dbs(dbs, tmp) if dbs else \
            os.path.join(tmp, "none")
        open(os.path.join(tmp, "none"), "a").close()
        direct, kb = [], []
        for u in todo:
            a = self.argvs.get(u) or (self.cache.get(self.argv_key(u))
                                      if self.cache else None)
            (direct if a and os.path.isdir(a["cwd"]) else kb).append((u, a))
        failed = {}
        if direct:
            self.progress("sparse: %d unit(s) checked directly with kbuild's "
                          "command line: %s" % (len(direct), " ".join(
                              u for u, _ in direct[:8])))
            with concurrent.futures.ThreadPoolExecutor(
                    max(1, self.ctx.jobs)) as pool:
                for (u, a), (v, why) in zip(direct, pool.map(
                        lambda x: self.run_direct(x[0], x[1]["argv"],
                                                  x[1]["cwd"], summaries,
                                                  eff), direct)):
                    if v is not None:
                        res[u] = v
                    else:
                        failed[u] = (why, False, None, None)
        if kb:
            with open(os.path.join(self.objdir, ".daxlint-lock"), "w") as lk:
                # one kbuild at a time in a build directory (kbuild
                # rewrites include/config/kernel.release on every run)
                fcntl.flock(lk, fcntl.LOCK_EX)
                for u, (v, why) in self.run_kbuild(
                        [u for u, _ in kb], summaries, eff).items():
                    if v is not None:
                        res[u] = v
                    else:
                        failed[u] = why
        for u in todo:
            v = res.get(u)
            if v is not None:
                self.store(u, v)
                continue
            reason, unbuilt, line, arch = failed[u]
            self.progress("sparse: %s: %s" % (u, reason))
            # another architecture's unit is listed but cannot hide a
            # finding in the kernel being checked (as in foreign())
            errors.append(self.blind(u, reason, line=line,
                                     rules=[] if arch else None))
            if unbuilt:
                # kbuild does not build it: known until its source or the
                # build changes; a checker failure is tried again
                src = os.path.join(self.root, u)
                self.store(u, {"unbuilt": True, "reason": reason, "line": line,
                               "foreign": bool(arch),
                               "lookups": {},
                               "read": {self.norm(src, "/"):
                                        self._digest_or_none(src)}})
        return res
