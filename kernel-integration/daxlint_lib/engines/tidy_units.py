"""The tidy engine's runs on a kernel tree (TreeUnits): each candidate unit
compiled in the clang build directory, clang-tidy-16 run on it with the
command line kbuild gave it (compile_commands.json), --jobs at a time, and
its answer cached.

A unit's answer is cached under its source's content, the checks run on
it, the profile, the module and clang-tidy (tidy_plugin.identity), and the
build's configuration and Makefiles, as variants: a variant is reused
while every file its compile read (kbuild's .o.cmd) has the same content.
So a warm run neither compiles nor runs clang-tidy, and an edit re-checks
the edited unit and the units that read an edited header."""
import concurrent.futures
import os
import subprocess
import tempfile

from .. import cache as cachemod
from ..findings import Finding, tool_error
from .kbuild import (CONFIG_DISABLE, CONFIG_ENABLE, CONFIG_VERSION,
                     MAKE_FLAGS, UNEXPLAINED, KbuildKeys, build_arch,
                     unbuilt_reason)
from .tidy_kbuild import (CONFIG_ENABLE_MORE, build_units, make_args,
                          compile_db, prepare_tree, unit_deps)
from .tidy_output import parse
from .tidy_plugin import check_args, clang_tidy, identity

MAX_VARIANTS = 4


def _row(f):
    return [f.rule, f.file, f.line, f.column, f.function, f.detail]


def _finding(row):
    return Finding(row[0], row[1], row[2], row[3], row[4], "tidy", row[5])


class TreeUnits:
    """The units of one daxlint check of a kernel tree with the tidy
    engine: answers from the cache, or from a compile and a clang-tidy run,
    stored back."""

    def __init__(self, ctx, progress):
        self.ctx = ctx
        self.root = os.path.realpath(ctx.root)
        self.progress = progress
        self.cache = getattr(ctx, "cache", None)
        self.objdir = os.path.realpath(prepare_tree(ctx.root, ctx.jobs,
                                                    progress))
        self.arch = build_arch(self.objdir)
        self.content = (self.cache or cachemod.Digests()).content
        self.keys = KbuildKeys(self.root, self.objdir, self.content)
        self._ekey = None

    # -- the cache --
    def engine_key(self):
        if self._ekey is None:
            self._ekey = cachemod.digest(
                "tidy", cachemod.FORMAT, identity(), self.ctx.profile,
                " ".join(make_args(self.objdir) + MAKE_FLAGS), CONFIG_VERSION,
                ",".join(CONFIG_ENABLE + CONFIG_ENABLE_MORE),
                ",".join(CONFIG_DISABLE))
        return self._ekey

    def unit_key(self, unit, rules):
        return cachemod.digest(
            self.engine_key(), ",".join(rules), self.keys.build_identity(),
            self.keys.unit_makefiles(unit), unit,
            self.content(os.path.join(self.root, unit)))

    def lookup(self, unit, rules):
        if not self.cache:
            return None
        for v in self.cache.get(self.unit_key(unit, rules)) or ():
            if all(self.keys.digest_or_none(self.keys.denorm(p)) == d
                   for p, d in v["read"].items()):
                return v
        return None

    def store(self, unit, rules, variant):
        if not self.cache:
            return
        key = self.unit_key(unit, rules)
        old = [v for v in self.cache.get(key) or ()
               if v["read"] != variant["read"]]
        self.cache.put(key, [variant] + old[:MAX_VARIANTS - 1])

    # -- runs --
    def run_one(self, unit, rules, dbdir):
        """clang-tidy-16 on UNIT with its kbuild command line: the answer
        (findings and errors as stored) and whether it may be stored."""
        deps = unit_deps(self.objdir, unit) or []
        read = dict((self.keys.norm(p), self.keys.digest_or_none(p))
                    for p in deps)
        p = subprocess.run(check_args(rules, self.ctx.profile) +
                           ["-p", dbdir, os.path.join(self.root, unit)],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, errors="replace")
        found, errors = parse(p.stdout, self.root, rules)
        ok = p.returncode == 0 or found or errors
        if not ok:
            errors.append(tool_error(
                "tidy", "%s exited %d: %s" % (clang_tidy(), p.returncode,
                                              p.stdout[-500:]),
                file=unit, rules=rules))
        return {"read": read, "findings": [_row(f) for f in found],
                "errors": errors}, bool(ok) and bool(deps)

    def check(self, units):
        """{unit: [rules]} -> (findings, errors)."""
        answers, todo = {}, []
        for u in sorted(units):
            v = self.lookup(u, units[u])
            if v is None:
                todo.append(u)
            else:
                answers[u] = v
        if todo:
            self.progress("tidy: compiling and checking %d unit(s) in %s: "
                          "%s" % (len(todo), self.objdir, " ".join(
                              todo[:8]) + (" ..." if len(todo) > 8 else "")))
            make_out = build_units(self.ctx.root, self.objdir, todo,
                                   self.ctx.jobs, self.progress)
            with tempfile.TemporaryDirectory(prefix="daxlint-tidy-") as db:
                built = compile_db(self.ctx.root, self.objdir, todo, db)
                for u in todo:
                    if u not in built:
                        answers[u] = self.unbuilt(u, units[u], make_out)
                with concurrent.futures.ThreadPoolExecutor(
                        max(1, self.ctx.jobs)) as ex:
                    runs = dict((u, ex.submit(self.run_one, u, units[u], db))
                                for u in built)
                for u, fut in runs.items():
                    v, keep = fut.result()
                    answers[u] = v
                    if keep:
                        self.store(u, units[u], v)
        findings, errors = [], []
        for u in sorted(answers):
            findings += [_finding(r) for r in answers[u]["findings"]]
            errors += answers[u]["errors"]
        return findings, errors

    def unbuilt(self, unit, rules, make_out):
        """The answer for a unit kbuild did not build: a blind spot of
        RULES, or, for a unit of another architecture, one of no rule."""
        why, line, arch = unbuilt_reason(self.root, self.objdir, self.arch,
                                         unit, make_out)
        if why == UNEXPLAINED and make_out:
            why += ": " + make_out.strip().splitlines()[-1][:300]
        return {"read": {}, "findings": [], "errors": [tool_error(
            "tidy", why, file=unit, line=line,
            rules=() if arch else rules)]}
