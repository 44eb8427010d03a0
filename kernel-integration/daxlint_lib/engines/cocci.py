"""The Coccinelle engine: one spatch run per rule file in cocci/, over the
files that can contain a finding.

  cocci_spatch.py   the rule files' headers, spatch's command line and
                    identity, a rule's parse signature
  cocci_select.py   the files each rule must see (prefilters, directories,
                    the callers' closure)
  cocci_runner.py   the runs, the results cache, the ASTs shared between
                    rules
  cocci_blind.py    what spatch could not parse: the blind-spot records
"""
import os
import time
from shutil import which

from .. import TOP
from ..srcfiles import within
from .cocci_blind import blind_spots
from .cocci_runner import SHARE_ASTS, Runner, schedule
from .cocci_select import candidates
from .cocci_spatch import read_header, rule_file


def available():
    """Is spatch installed?"""
    return which("spatch") is not None


def run(ctx, rules, progress):
    """Engine entry point: ctx has root, paths, profile, jobs, cache."""
    findings, errors = [], []
    for r in [r for r in rules if not os.path.isfile(rule_file(r))]:
        errors.append("cocci: the catalog lists %s but %s is missing"
                      % (r, os.path.relpath(rule_file(r), TOP)))
    rules = [r for r in rules if os.path.isfile(rule_file(r))]
    scopes = dict((r, read_header(rule_file(r)).get("scope", "file"))
                  for r in rules)
    dir_rules = [r for r in rules if scopes[r].startswith("directory")]
    # a file of a kernel tree is checked with its directory (an editor or
    # a commit hook asks about one file; a directory rule needs the
    # others, which the cache holds); only its own findings are reported
    dpaths = ctx.paths if ctx.standalone else sorted(set(
        (os.path.dirname(p) or p) if os.path.isfile(os.path.join(ctx.root, p))
        else p for p in ctx.paths))
    if sorted(dpaths) == sorted(ctx.paths):
        cands = candidates(ctx.root, ctx.paths, rules)
    else:
        cands = candidates(ctx.root, ctx.paths,
                           [r for r in rules if r not in dir_rules])
        cands.update(candidates(ctx.root, dpaths, dir_rules))
    runner = Runner(ctx, progress)
    tasks = []
    for r in rules:
        files = cands[r]
        scope = scopes[r]
        if scope.startswith("directory"):
            bydir = {}
            for f in files:
                bydir.setdefault(os.path.dirname(f), []).append(f)
            for d, fs in sorted(bydir.items()):
                tasks += runner.plan_dir(r, d, sorted(fs), findings)
        else:
            tasks += runner.plan_files(r, files, findings)
    total = sum(len(v) for v in cands.values())
    progress("cocci: %d rule(s), %d (rule, file) pair(s); %d spatch run(s) "
             "needed" % (len(rules), total, len(tasks)))
    done = [0]

    def one(t):
        start = time.monotonic()
        if t.directory is not None:
            res = runner.run_dir(t)
        else:
            res = runner.run_files(t)
        with runner.lock:
            done[0] += 1
            progress("cocci: [%d/%d] %s %s: %d file(s) run%s (%.1f s)" % (
                done[0], len(tasks), t.rule,
                t.directory if t.directory is not None else "(files)",
                res[2], ", %d cached" % t.cached if t.cached else "",
                time.monotonic() - start))
        return res

    for f, e, _ in schedule(tasks, one, max(1, ctx.jobs),
                            runner.cache is not None and SHARE_ASTS):
        findings += f
        errors += e
    errors += blind_spots(ctx.root, cands, scopes, max(1, ctx.jobs),
                          runner.cache, lambda f: within(f, ctx.paths),
                          runner.parses)
    if runner.cache is not None and runner.cache.writes:
        runner.cache.prune()
    findings = [f for f in findings if within(f.file, ctx.paths)]
    return findings, errors
