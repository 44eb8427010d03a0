"""The Coccinelle engine's runs: spatch over (rule, directory) or (rule,
chunk of files) tasks, spread over --jobs spatch processes (schedule), with
the results cache and the parsed files shared between rules (AstShelf).

Every answer is cached per file (cache.py), keyed by the file's content,
the rule's text, its catalog entry, the profile, spatch's identity and
options:
  - a file-scoped rule: the findings of each file;
  - a directory rule that records per-file facts (cocci/lib/facts.py): each
    file's facts and the projection of the directory context they were
    matched under, plus the directory's findings; an edited file is run
    again alone, with the other files' facts given to spatch
    (-D daxlint_state), and any file whose view of the context changed is
    run again too;
  - a directory rule without facts: the directory's findings, keyed by all
    of its files.
"""
import json
import os
import shutil
import subprocess
import tempfile
import threading

from .. import cache as cachemod
from ..findings import Finding
from .cocci_blind import ParseLog
from .cocci_spatch import (ERROR_RX, REPORT_RX, parse_signature,
                           parses_plainly, read_header, rule_file, rule_key,
                           spatch_command, spatch_env, uses_facts)

# ---- parsed files shared between rules ---------------------------------
# spatch can keep the AST of each file it parses (--cache-prefix DIR:
# DIR/<file>.ast_raw, valid while the file's path and time stamp are those
# recorded next to it).  Rules that parse the same directories share them
# through the results cache, keyed by the file's content and by the rule's
# parse signature (cocci_spatch.parse_signature).  An AST is copied into a
# private prefix for each run (spatch may rewrite it) and stored back only
# if the file did not change meanwhile.
SHARE_ASTS = os.environ.get("DAXLINT_COCCI_ASTS", "1") == "1"


def _changed_since_read(cache, root, f):
    """Did F change after the run took its digest?  What spatch made of
    it then must not be stored under that digest."""
    path = os.path.join(root, f)
    return cachemod.file_digest(path) != cache.content(path)


class AstShelf:
    """The ASTs of one spatch run: copied in from the cache before it,
    stored back after it.  Without a cache the prefix is only a witness
    of what spatch parsed (it writes an AST for each file it parsed)."""
    SUFFIXES = (".ast_raw", ".depend_raw")

    def __init__(self, cache, root, rule_id, files):
        self.cache = cache
        self.root = root
        self.files = files
        self.sig = parse_signature(rule_id)
        self.dir = tempfile.mkdtemp(prefix="daxlint-ast-")
        self.missing = []
        self._unchanged = None
        for f in files:
            key = self.key(f) if cache else None
            dst = os.path.join(self.dir, f)
            if cache and self.cache.get_blobs(key, self.SUFFIXES, dst):
                continue
            self.missing.append((f, key))

    def key(self, f):
        return cachemod.digest(self.sig, f, self.cache.content(
            os.path.join(self.root, f)))

    def option(self):
        return ["--cache-prefix", self.dir]

    def parsed(self):
        """The files this run parsed (rather than loaded)."""
        return [f for f, _ in self.missing
                if os.path.exists(os.path.join(self.dir, f) +
                                  self.SUFFIXES[0])]

    def unchanged(self):
        """The parsed files that did not change while spatch read them:
        what it made of those may be stored under their digest (none
        without a cache)."""
        if self._unchanged is None:
            self._unchanged = set(
                f for f in self.parsed() if self.cache and
                not _changed_since_read(self.cache, self.root, f))
        return self._unchanged

    def store(self):
        if not self.cache:
            return
        for f, key in self.missing:
            src = os.path.join(self.dir, f)
            if f not in self.unchanged() or \
                    not all(os.path.exists(src + x) for x in self.SUFFIXES):
                continue
            self.cache.put_blobs(key, self.SUFFIXES, src)

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def run_spatch(root, rule_id, profile, groups, extra=(), cache=None,
               parses=None):
    """Run RULE over GROUPS (lists of files relative to ROOT), one spatch
    file group each; (findings, errors).  With CACHE, parsed files are
    shared with other rules' runs.  PARSES (a ParseLog) learns what failed
    to parse in the files this run parsed."""
    with tempfile.NamedTemporaryFile("w", suffix=".groups",
                                     delete=False) as g:
        g.write("\n\n".join("\n".join(grp) for grp in groups) + "\n")
        name = g.name
    files = [f for grp in groups for f in grp]
    plain = parses is not None and parses_plainly(rule_id)
    shelf = AstShelf(cache if SHARE_ASTS else None, root, rule_id, files) \
        if (cache and SHARE_ASTS) or plain else None
    try:
        cmd = spatch_command(rule_id, profile, 1, name,
                             list(extra) + (shelf.option() if shelf else []))
        p = subprocess.run(cmd, cwd=root, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True,
                           errors="replace", env=spatch_env())
        if shelf and p.returncode == 0:
            shelf.store()
            if plain:
                parses.learn(root, shelf.parsed(), p.stderr,
                             shelf.unchanged())
    finally:
        os.unlink(name)
        if shelf:
            shelf.close()
    findings, errors = [], []
    for line in p.stdout.splitlines():
        m = REPORT_RX.match(line)
        if m:
            if m.group("rule") != rule_id:
                errors.append("cocci/%s.cocci reported under another rule "
                              "id: %s" % (rule_id, line))
                continue
            findings.append(Finding(rule_id, os.path.normpath(m.group("file")),
                                    m.group("line"), int(m.group("col")) + 1,
                                    m.group("func"), "cocci",
                                    m.group("detail")))
        elif ERROR_RX.search(line):
            errors.append("spatch (%s): %s" % (rule_id, line.strip()))
    for line in p.stderr.splitlines():
        if ERROR_RX.search(line):
            errors.append("spatch (%s): %s" % (rule_id, line.strip()))
    if p.returncode != 0 and not errors:
        tail = (p.stderr.strip().splitlines() or ["(no output)"])[-1]
        errors.append("spatch (%s) exited %d: %s" % (rule_id, p.returncode,
                                                       tail))
    return findings, errors


def _to_json(f):
    return [f.file, f.line, f.column, f.function, f.detail]


def _from_json(rule_id, row):
    return Finding(rule_id, row[0], row[1], row[2], row[3], "cocci", row[4])


class Task:
    """One spatch job: a rule over one directory, or over a chunk of the
    files of a file-scoped rule."""

    def __init__(self, rule, files, directory=None):
        self.rule = rule
        self.files = files
        self.directory = directory
        self.cost = 0
        self.cached = 0


class Runner:
    """The runs of one daxlint check: the tasks it plans (cached answers
    taken, the rest to run) and how each task runs, its answer stored."""

    def __init__(self, ctx, progress):
        self.ctx = ctx
        self.root = ctx.root
        self.cache = getattr(ctx, "cache", None)
        self.progress = progress
        self.parses = ParseLog(self.cache)
        self.keys = {}
        self.hdr_rules = {}
        self.hdr_dirs = {}      # directory -> its .h files' "name content"
        self.lock = threading.Lock()

    def key(self, rule):
        if rule not in self.keys:
            self.keys[rule] = rule_key(rule, self.ctx.profile)
        return self.keys[rule]

    def content(self, f):
        return self.cache.content(os.path.join(self.root, f))

    def local_headers(self, rule, directory):
        """The "name content" of the .h files of DIRECTORY when RULE reads
        the local headers its files include (// Headers: local): what they
        say is part of each file's answer, so they key it too."""
        if rule not in self.hdr_rules:
            self.hdr_rules[rule] = read_header(rule_file(rule)).get(
                "headers") == "local"
        if not self.hdr_rules[rule]:
            return []
        if directory not in self.hdr_dirs:
            full = os.path.join(self.root, directory)
            try:
                names = sorted(n for n in os.listdir(full)
                               if n.endswith(".h"))
            except OSError:
                names = []
            self.hdr_dirs[directory] = [
                "%s %s" % (n, self.content(os.path.join(directory, n)))
                for n in names]
        return self.hdr_dirs[directory]

    def file_key(self, rule, f, kind):
        if not self.cache:
            return None
        return cachemod.digest(self.key(rule), kind, f, self.content(f),
                               *self.local_headers(rule, os.path.dirname(f)))

    def dir_key(self, rule, directory, files):
        if not self.cache:
            return None
        return cachemod.digest(self.key(rule), "dir", directory,
                               *(["%s %s" % (f, self.content(f))
                                  for f in files] +
                                 self.local_headers(rule, directory)))

    def get(self, key):
        if key is None:
            return None
        with self.lock:
            return self.cache.get(key)

    def put(self, key, value):
        if key is not None:
            with self.lock:
                self.cache.put(key, value)

    # ---- file-scoped rules ----
    def plan_files(self, rule, files, findings):
        """Cached findings of FILES into FINDINGS; the tasks for the rest."""
        todo = []
        for f in files:
            hit = self.get(self.file_key(rule, f, "file"))
            if hit is None:
                todo.append(f)
            else:
                findings += [_from_json(rule, r) for r in hit]
        if not todo:
            return []
        n = max(1, min(len(todo), 2 * max(1, self.ctx.jobs)))
        chunks = [todo[i::n] for i in range(n)]
        out = []
        for c in chunks:
            t = Task(rule, sorted(c))
            t.cost = sum(self._size(f) for f in c)
            out.append(t)
        return out

    def run_files(self, t):
        found, errs = run_spatch(self.root, t.rule, self.ctx.profile,
                                 [[f] for f in t.files], cache=self.cache,
                                 parses=self.parses)
        if not errs and self.cache:
            per = dict((f, []) for f in t.files)
            for x in found:
                per.setdefault(x.file, []).append(_to_json(x))
            for f in t.files:
                self.put(self.file_key(t.rule, f, "file"), per[f])
        return found, errs, len(t.files)

    # ---- directory rules ----
    def plan_dir(self, rule, directory, files, findings):
        hit = self.get(self.dir_key(rule, directory, files))
        if hit is not None:
            findings += [_from_json(rule, r) for r in hit]
            return []
        t = Task(rule, files, directory)
        t.entries = {}
        if self.cache and uses_facts(rule):
            for f in files:
                e = self.get(self.file_key(rule, f, "facts"))
                if e is not None:
                    t.entries[f] = e
        t.cost = sum(self._size(f) for f in files if f not in t.entries)
        t.cached = len(t.entries)
        return [t]

    def run_dir(self, t):
        if not uses_facts(t.rule):
            found, errs = run_spatch(self.root, t.rule, self.ctx.profile,
                                     [t.files], cache=self.cache,
                                     parses=self.parses)
            if not errs and self.cache:
                self.put(self.dir_key(t.rule, t.directory, t.files),
                         [_to_json(x) for x in found])
            return found, errs, len(t.files)
        entries = dict(t.entries)
        run = [f for f in t.files if f not in entries] or t.files[:1]
        ran = set()
        with tempfile.TemporaryDirectory(prefix="daxlint-cocci-") as tmp:
            state, dump = (os.path.join(tmp, "state.json"),
                           os.path.join(tmp, "dump.json"))
            for _ in range(4):
                with open(state, "w") as fh:
                    json.dump({"run": run,
                               "cached": dict((f, e) for f, e in
                                              entries.items()
                                              if f not in run)}, fh)
                if os.path.exists(dump):
                    os.unlink(dump)
                found, errs = run_spatch(
                    self.root, t.rule, self.ctx.profile, [run],
                    ["-D", "daxlint_state=" + state,
                     "-D", "daxlint_dump=" + dump], cache=self.cache,
                    parses=self.parses)
                ran |= set(run)
                if errs:
                    return found, errs, len(ran)
                try:
                    with open(dump) as fh:
                        out = json.load(fh)
                except (OSError, ValueError) as exc:
                    return [], ["cocci (%s): no facts from spatch over %s: "
                                "%s" % (t.rule, t.directory, exc)], len(ran)
                for f, e in out["files"].items():
                    entries[f] = e
                    self.put(self.file_key(t.rule, f, "facts"), e)
                if not out["stale"]:
                    break
                # files whose view of the directory changed: match them
                # again under the new context
                run = sorted(set(run) | set(out["stale"]))
            else:
                return [], ["cocci (%s): the facts of %s did not settle"
                            % (t.rule, t.directory)], len(ran)
        self.put(self.dir_key(t.rule, t.directory, t.files),
                 [_to_json(x) for x in found])
        return found, errs, len(ran)

    def _size(self, f):
        try:
            return os.path.getsize(os.path.join(self.root, f))
        except OSError:
            return 0


def schedule(tasks, work, jobs, share_asts):
    """Results of WORK(task) for TASKS on JOBS threads, the largest first
    (so that the last to finish are short).  With SHARE_ASTS, the rules
    that parse one directory alike wait for the first of them, whose
    parse the others then load from the cache."""
    cond = threading.Condition()
    ready, waiting, results = [], {}, []
    for t in sorted(tasks, key=lambda t: -t.cost):
        g = (t.directory, parse_signature(t.rule)) \
            if share_asts and t.directory is not None else None
        t.group = g
        if g is not None and g in waiting:
            waiting[g].append(t)
        else:
            if g is not None:
                waiting[g] = []
            ready.append(t)
    left = [len(tasks)]

    def worker():
        while True:
            with cond:
                while not ready and left[0] > 0:
                    cond.wait()
                if left[0] <= 0 and not ready:
                    return
                t = ready.pop(0)
            try:
                r = work(t)
            except Exception as exc:      # reported, never lost
                r = ([], ["cocci: %s failed: %s" % (t.rule, exc)], 0)
            with cond:
                results.append(r)
                left[0] -= 1
                if t.group is not None:
                    ready.extend(waiting.pop(t.group, ()))
                    ready.sort(key=lambda x: -x.cost)
                cond.notify_all()

    threads = [threading.Thread(target=worker) for _ in range(jobs)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return results
