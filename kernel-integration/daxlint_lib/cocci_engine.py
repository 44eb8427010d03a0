"""The Coccinelle engine: one spatch run per rule file in cocci/, over the
files that can contain a finding.

Each cocci/<rule>.cocci carries, besides the kernel's usual header comments,
three lines this driver reads:
  // Rule: <catalog id>
  // Prefilter: <extended regex>   files that cannot match are not parsed
  // Scope: file | directory | directory-all
                                   directory: a rule that follows calls across
                                   the files of one directory gets the files
                                   on the callers' closure of what matches
                                   (callers_closure); directory-all: every
                                   .c file of the directory
and, for a directory rule, optionally
  // Prefilter-own-calls: no       a match whose first group names a
                                   function the directory defines does not
                                   select it (the directory implements that
                                   API rather than uses it: fs/dax.c)
and prints findings in report mode as
  file:line:col-col: WARNING: [<rule>] <function>: <detail>

Every answer is cached per file (cache.py), keyed by the file's content,
the rule's text, the catalog, the profile, spatch's identity and options:
  - a file-scoped rule: the findings of each file;
  - a directory rule that records per-file facts (cocci/lib/facts.py): each
    file's facts and the projection of the directory context they were
    matched under, plus the directory's findings; an edited file is run
    again alone, with the other files' facts given to spatch
    (-D daxlint_state), and any file whose view of the context changed is
    run again too;
  - a directory rule without facts: the directory's findings, keyed by all
    of its files.
Runs are (rule, directory) or (rule, chunk of files) tasks, spread over
--jobs spatch processes.
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import threading
import time

from . import TOP, cache as cachemod, catalog
from .srcfiles import c_files, grep, within

COCCI_DIR = os.path.join(TOP, "cocci")

REPORT_RX = re.compile(
    r"^(?P<file>[^:\s]+):(?P<line>\d+):(?P<col>\d+)(?:-\d+)?: "
    r"(?:WARNING|ERROR|INFO): \[(?P<rule>[a-z0-9.-]+)\] "
    r"(?P<func>[^:\s]*): (?P<detail>.*)$")
# what spatch prints when a rule or a file fails (not parse noise)
ERROR_RX = re.compile(r"^(?:EXN:|Python failure|Traceback|Fatal error|"
                      r"Error:|\w*(?:Error|Exception):|exception )")


def rule_file(rule_id):
    return os.path.join(COCCI_DIR, rule_id + ".cocci")


def read_header(path):
    """The '// Key: value' lines of a .cocci file's header."""
    hdr = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"^//\s*([A-Za-z-]+):\s*(.*?)\s*$", line)
            if m:
                hdr.setdefault(m.group(1).lower(), m.group(2))
            elif line.strip() and not line.startswith("//"):
                break
    return hdr


def available():
    from shutil import which
    return which("spatch") is not None


_IDENT_RX = re.compile(r"[A-Za-z_]\w*")
_COMMENT_RX = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
_NAME_RX = re.compile(r"\b([A-Za-z_]\w*)\s*\(")
_NOT_NAMES = {"__attribute__", "__printf", "__releases", "__acquires",
              "__must_hold", "__cold", "__no_sanitize_address", "if",
              "while", "for", "switch", "sizeof", "typeof"}


def _functions(text):
    """(name, body) of the functions TEXT defines, in kernel style: a header
    ending at column 0 in a line that is just "{", the body ending at a
    line that starts with "}"."""
    out = []
    text = _COMMENT_RX.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    lines = text.split("\n")
    header = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if line == "{" and header:
            j = i + 1
            while j < n and not lines[j].startswith("}"):
                j += 1
            names = [x for x in _NAME_RX.findall(" ".join(header))
                     if x not in _NOT_NAMES]
            if names:
                out.append((names[0], "\n".join(lines[i + 1:j])))
            header = []
            i = j + 1
            continue
        if not line.strip() or line.startswith(("}", "#")) or \
                line.rstrip().endswith(";"):
            header = []
        elif not line[0].isspace() or header:
            header.append(line)
        i += 1
    return out


def closure_tokens(texts, seed_rx):
    """The functions of TEXTS whose body matches SEED_RX or mentions such a
    function, to a fixed point."""
    defs = []
    for t in texts.values():
        for name, body in _functions(t):
            defs.append((name, set(_IDENT_RX.findall(body)),
                         bool(seed_rx.search(body))))
    tokens = {name for name, _, seeded in defs if seeded}
    changed = bool(tokens)
    while changed:
        changed = False
        for name, idents, _ in defs:
            if name not in tokens and idents & tokens:
                tokens.add(name)
                changed = True
    return tokens


def callers_closure(texts, seed_rx):
    """The files of one directory a cross-function rule needs: those that
    match SEED_RX, and those that mention a function whose body matches
    SEED_RX or mentions such a function, to a fixed point (the callers, and
    the operation tables naming them, of everything the rule looks for)."""
    tokens = closure_tokens(texts, seed_rx)
    out = []
    for f, t in texts.items():
        if seed_rx.search(t) or (tokens and
                                 tokens & set(_IDENT_RX.findall(t))):
            out.append(f)
    return sorted(out)


def _text_reader(root):
    """A reader of ROOT's files that reads each one once."""
    texts = {}

    def text(f):
        if f not in texts:
            with open(os.path.join(root, f), errors="replace") as fh:
                texts[f] = fh.read()
        return texts[f]
    return text


def directory_selected(root, d, rx, own_calls=True, text=None):
    """Does a .c file of directory D (not below) match the prefilter RX?
    Without OWN_CALLS, a match whose first group is a function that a .c
    file of D defines does not count."""
    text = text or _text_reader(root)
    try:
        files = [os.path.join(d, fn) for fn in sorted(os.listdir(
            os.path.join(root, d))) if fn.endswith(".c")]
    except OSError:
        return False
    defined = None
    for f in files:
        for m in rx.finditer(text(f)):
            if own_calls or not m.group(1):
                return True
            if defined is None:
                defined = set(n for g in files for n, _ in _functions(text(g)))
            if m.group(1) not in defined:
                return True
    return False


def candidates(root, paths, rules):
    """{rule: [files]}: the files each rule's spatch run must see."""
    headers = {r: read_header(rule_file(r)) for r in rules}
    regexes = {r: h.get("prefilter", "") for r, h in headers.items()}
    union = "|".join("(%s)" % rx for rx in regexes.values() if rx)
    pool = grep(root, paths, union) if union else []
    everything = None
    text = _text_reader(root)

    out = {}
    for r in rules:
        rx = regexes[r]
        if not rx:
            if everything is None:
                everything = c_files(root, paths)
            out[r] = everything
            continue
        crx = re.compile(rx)
        hits = [f for f in pool if crx.search(text(f))]
        scope = headers[r].get("scope", "file")
        if scope in ("directory", "directory-all"):
            dirs = sorted(set(os.path.dirname(f) for f in hits))
            if headers[r].get("prefilter-own-calls") == "no":
                dirs = [d for d in dirs if directory_selected(
                    root, d, crx, False, text)]
            hits = []
            for d in dirs:
                members = [f for f in c_files(root, [d or "."])
                           if os.path.dirname(f) == d and within(f, paths)]
                if scope == "directory":
                    members = callers_closure({f: text(f) for f in members},
                                              crx)
                hits += members
        out[r] = sorted(set(hits))
    return out


# spatch finds its Python by running "python3" from PATH, which can be a
# slow shim (pyenv: ~0.6 s per spatch start); Debian's coccinelle is built
# against the system's python3
SPATCH_PYTHON = "/usr/bin/python3"
FACTS_MARK = "# ---- generated from cocci/lib/facts.py"
_IDENTITY = []


def spatch_identity():
    """What identifies the installed spatch: its version text and its
    binary (a rebuilt or upgraded spatch is another engine)."""
    if not _IDENTITY:
        from shutil import which
        exe = which("spatch") or "spatch"
        p = subprocess.run([exe, "--version"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        try:
            binary = cachemod.file_digest(os.path.realpath(exe))
        except OSError:
            binary = ""
        _IDENTITY.append(cachemod.digest(p.stdout, binary,
                                         _python() or ""))
    return _IDENTITY[0]


def _python():
    return SPATCH_PYTHON if os.path.exists(SPATCH_PYTHON) else None


def _rule_text(rule_id):
    with open(rule_file(rule_id)) as fh:
        return fh.read()


def uses_facts(rule_id):
    """Does the rule record per-file facts (cocci/lib/facts.py)?"""
    return FACTS_MARK in _rule_text(rule_id)


# the kernel's macros that spatch's own standard.h does not know, written
# from what fails to parse in fs/, mm/, drivers/dax and drivers/nvdimm;
# spatch reads it after standard.h (--macro-file adds to the builtins)
MACRO_FILE = os.path.join(COCCI_DIR, "macros.h")


def macro_options():
    return ["--macro-file", MACRO_FILE] if os.path.isfile(MACRO_FILE) else []


def macro_digest():
    try:
        return cachemod.file_digest(MACRO_FILE)
    except OSError:
        return ""


# spatch spends about a fifth of its CPU time in OCaml's major GC on
# kernel directories; letting the heap grow to three times the live data
# (instead of twice) cuts that for ~10% more memory.  GC settings never
# change what spatch reports.  A setting of the user's wins.
SPATCH_GC = "o=200"


def spatch_env():
    env = dict(os.environ)
    if "OCAMLRUNPARAM" not in env:
        env["OCAMLRUNPARAM"] = SPATCH_GC
    return env


def spatch_command(rule_id, profile, jobs, groups_file, extra=()):
    hdr = read_header(rule_file(rule_id))
    cmd = ["spatch"]
    if _python():
        cmd += ["--python", _python()]
    # --quiet --verbose-parsing: rule output only on stdout; on stderr, the
    # regions spatch failed to parse (the blind-spot check reads them)
    cmd += ["--sp-file", rule_file(rule_id)] + macro_options() + [
            "--quiet", "--verbose-parsing",
            "--no-show-diff", "-D", "report", "-D", "profile=" + profile,
            "--no-includes", "--include-headers", "--timeout", "120"]
    # the driver groups files itself (--file-groups): drop the options that
    # give scripts/coccicheck's --dir runs a directory per group
    opts = shlex.split(hdr.get("options", ""))
    while "--kbuild-info" in opts:
        i = opts.index("--kbuild-info")
        del opts[i:i + 2]
    cmd += [o for o in opts if o != "--no-scanner"]
    if jobs > 1:
        # spatch -j makes its work directories in the current directory (the
        # kernel tree) unless told otherwise: keep the tree untouched
        cmd += ["-j", str(jobs), "--chunksize", "1", "--tmp-dir",
                os.path.join(tempfile.gettempdir(), "daxlint-" + rule_id)]
    cmd += list(extra)
    cmd += ["--file-groups", groups_file]
    return cmd


def rule_key(rule_id, profile):
    """Everything but the file that can change what RULE says of a file."""
    with open(catalog.CATALOG_PATH) as fh:
        cat = fh.read()
    cmd = spatch_command(rule_id, profile, 1, "-")
    return cachemod.digest("cocci", cachemod.FORMAT, spatch_identity(),
                           _rule_text(rule_id), cat, profile, macro_digest(),
                           " ".join(cmd[:-2]))


# ---- parsed files shared between rules ---------------------------------
# spatch can keep the AST of each file it parses (--cache-prefix DIR:
# DIR/<file>.ast_raw, valid while the file's path and time stamp are those
# recorded next to it).  Rules that parse the same directories share them
# through the results cache, keyed by the file's content and by the rule's
# parse signature: what of a semantic patch can change how C is parsed
# (names it writes that standard.h defines as macros, the typedef,
# declarer, iterator and attribute names it declares), the macro files, the
# parsing options and spatch itself.  An AST is copied into a private
# prefix for each run (spatch may rewrite it) and stored back only if the
# file did not change meanwhile.
STANDARD_H = "/usr/lib/coccinelle/standard.h"
SHARE_ASTS = os.environ.get("DAXLINT_COCCI_ASTS", "1") == "1"
_SIG = {}
_STD_NAMES = []


def _standard_names():
    if not _STD_NAMES:
        try:
            with open(STANDARD_H, errors="replace") as fh:
                text = fh.read()
        except OSError:
            text = ""
        _STD_NAMES.append((set(re.findall(r"(?m)^\s*#\s*define\s+(\w+)",
                                         text)),
                           cachemod.digest(text)))
    return _STD_NAMES[0]


def _smpl_parse_parts(rule_id):
    """(standard.h names the rule's SmPL writes, its typedef, declarer,
    iterator and attribute declarations): what of a semantic patch can
    change how spatch parses C."""
    return smpl_parse_parts(_rule_text(rule_id))


def smpl_parse_parts(text):
    """_smpl_parse_parts of a semantic patch's TEXT."""
    smpl, keep = [], True
    for part in re.split(r"(?m)^(@[^@\n]*@)[ \t]*$", text):
        if part == "@@":
            continue       # closes a rule's header: the rule goes on
        if re.match(r"^@[^@\n]*@$", part):
            keep = not re.search(r"script|initialize|finalize", part)
        elif keep:
            smpl.append(re.sub(r"//[^\n]*|/[*].*?[*]/", " ", part,
                               flags=re.S))
    smpl = "\n".join(smpl)
    names = _standard_names()[0]
    used = sorted(set(re.findall(r"[A-Za-z_]\w*", smpl)) & names)
    decls = sorted(re.findall(
        r"(?m)^\s*(?:typedef|declarer|iterator|attribute)\b[^;]*;", smpl))
    return used, decls


def _parse_options(rule_id):
    """The options of RULE's spatch command that bear on parsing."""
    cmd = spatch_command(rule_id, "-", 1, "-")
    opts, skip = [], False
    for a in cmd[1:-2]:
        if skip:
            skip = False
        elif a in ("--sp-file", "-D", "--python", "--timeout"):
            skip = True
        else:
            opts.append(a)
    return opts


def parse_signature(rule_id):
    """The parts of RULE and of spatch's set-up that decide how a C file
    is parsed."""
    if rule_id not in _SIG:
        used, decls = _smpl_parse_parts(rule_id)
        _SIG[rule_id] = cachemod.digest(
            "ast", spatch_identity(), _standard_names()[1], macro_digest(),
            " ".join(_parse_options(rule_id)),
            " ".join(used), "\n".join(decls))
    return _SIG[rule_id]


# what of a rule's options parse_command() also gives spatch --parse-c
_PLAIN = {}
_PLAIN_OPTIONS = {"--quiet", "--verbose-parsing", "--no-show-diff",
                  "--no-includes", "--include-headers"}


def parses_plainly(rule_id):
    """Does RULE's spatch parse C exactly as spatch --parse-c does (no SmPL
    declaration or standard.h name that changes the parse, no other
    parsing option)?  Such a rule's run tells the blind-spot check what
    failed to parse in each file it parsed, sparing a --parse-c run."""
    if rule_id not in _PLAIN:
        used, decls = _smpl_parse_parts(rule_id)
        opts = [o for o in _parse_options(rule_id)
                if o not in macro_options()]
        _PLAIN[rule_id] = not used and not decls and \
            set(opts) <= _PLAIN_OPTIONS
    return _PLAIN[rule_id]


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


def _spatch(root, rule_id, profile, groups, extra=(), cache=None,
            parses=None):
    """Run RULE over GROUPS (lists of files relative to ROOT), one spatch
    file group each; (findings, errors).  With CACHE, parsed files are
    shared with other rules' runs.  PARSES (a ParseLog) learns what failed
    to parse in the files this run parsed."""
    from .findings import Finding
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
    from .findings import Finding
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
        found, errs = _spatch(self.root, t.rule, self.ctx.profile,
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
            found, errs = _spatch(self.root, t.rule, self.ctx.profile,
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
                found, errs = _spatch(
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


def _schedule(tasks, work, jobs, share_asts):
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


# ---- blind spots --------------------------------------------------------
# spatch skips a function it cannot parse and says so only on its verbose
# output: no rule sees that code, and a finding in it vanishes.  What
# failed to parse in a file comes from the rule runs that parse it as
# spatch --parse-c does (--verbose-parsing; ParseLog), else from one
# --parse-c run (same macro files and spatch); both are cached by content.
# spatch lists every failed region as
#   parse error
#    = File "f.c", line L, column C, ...
#   badcount: N
#   bad: <line>            N+1 lines, the one at L marked "BAD:!!!!! "
# The region is mapped to the functions it overlaps; each is reported as
# an error record naming the rules (among those run on the file) whose
# prefilter it matches, or, for a "directory" rule, that calls a function
# of the directory that reaches the prefilter's API (closure_tokens, the
# callers the rule follows): those rules cannot claim the function is
# clean.
PARSE_ERROR_RX = re.compile(r'^ = ?File "([^"]*)", line (\d+)')
BADCOUNT_RX = re.compile(r"^badcount: (\d+)")


def parse_command(f):
    # the rules run with --no-includes and --timeout 120: parse as they do
    return ["spatch", "--parse-c", f, "--no-includes", "--timeout",
            "120"] + macro_options()


def parse_key(cache, root, f):
    return cachemod.digest("parse-c", cachemod.FORMAT, spatch_identity(),
                           _standard_names()[1], macro_digest(),
                           " ".join(parse_command("-")[2:]),
                           cache.content(os.path.join(root, f)))


def _bad_regions(output, lines, name=None):
    """[(first, last, error line)] (1-based) of the failed regions that
    spatch --parse-c printed for the file NAME (None: any); LINES is the
    file's text."""
    out = []
    it = iter(output.splitlines())
    err, other = None, False
    for line in it:
        m = PARSE_ERROR_RX.match(line)
        if m:
            err = int(m.group(2))
            # a header it read: that file's own run reports it
            other = name is not None and \
                os.path.normpath(m.group(1)) != os.path.normpath(name)
            continue
        m = BADCOUNT_RX.match(line)
        if not m:
            continue
        block = []
        for _ in range(int(m.group(1)) + 1):
            row = next(it, None)
            if row is None:
                break
            if row.startswith("BAD:!!!!! "):
                block.append((True, row[len("BAD:!!!!! "):]))
            elif row.startswith("bad:"):
                block.append((False, row[5:] if row.startswith("bad: ")
                              else row[4:]))
            else:
                break
        if not other:
            out.append(_place(block, err, lines))
        err, other = None, False
    return out


def _place(block, err, lines):
    """Where BLOCK (spatch's copy of the region) is in LINES: anchored at
    the marked error line when spatch gave one, else found by content."""
    want = [t.strip() for _, t in block]
    marked = [i for i, (bad, _) in enumerate(block) if bad]

    def fits(start):
        return start >= 1 and start + len(want) - 1 <= len(lines) and \
            all(lines[start - 1 + i].strip() == w
                for i, w in enumerate(want))
    if err is not None and marked and fits(err - marked[0]):
        start = err - marked[0]
        return (start, start + len(want) - 1, err)
    for start in range(1, len(lines) - len(want) + 2):
        if want and fits(start):
            return (start, start + len(want) - 1, err or start)
    # spatch's listing did not match the file: at least the error line
    line = err or 1
    return (line, line, line)


def _regions_of(output, lines, f):
    """The failed regions of F (LINES its text) in spatch's OUTPUT."""
    return sorted(set(_bad_regions(output, lines, f)))


def _read_lines(root, f):
    with open(os.path.join(root, f), errors="replace") as fh:
        return fh.read().split("\n")


class ParseLog:
    """What failed to parse in each file, as the rule runs that parse
    like spatch --parse-c found it (parses_plainly); the blind-spot check
    runs --parse-c only on the files no such run parsed.  Kept in the
    cache under parse_key, so a later run that loads the AST knows it."""

    def __init__(self, cache):
        self.cache = cache
        self.known = {}
        self.lock = threading.Lock()

    def learn(self, root, files, output, unchanged):
        """FILES were parsed by a run with OUTPUT on stderr; those in
        UNCHANGED did not change meanwhile and are remembered in the
        cache."""
        for f in files:
            regions = _regions_of(output, _read_lines(root, f), f)
            with self.lock:
                self.known[f] = regions
                if self.cache and f in unchanged:
                    self.cache.put(parse_key(self.cache, root, f),
                                   [list(r) for r in regions])

    def get(self, f):
        with self.lock:
            return self.known.get(f)


def parse_failures(root, f, cache=None, log=None):
    """The regions of F (relative to ROOT) spatch cannot parse."""
    if log is not None and log.get(f) is not None:
        return log.get(f)
    key = parse_key(cache, root, f) if cache else None
    if key:
        hit = cache.get(key)
        if hit is not None:
            return [tuple(r) for r in hit]
    p = subprocess.run(parse_command(f), cwd=root, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True,
                       errors="replace", env=spatch_env())
    if p.returncode != 0:
        raise RuntimeError("spatch --parse-c %s exited %d" % (f,
                                                             p.returncode))
    lines = _read_lines(root, f)
    regions = _regions_of(p.stdout, lines, f)
    if re.search(r"(?m)^NB total files.*timeout = [1-9]", p.stdout):
        # a parse that timed out: nothing of the file is seen
        regions = [(1, len(lines), 1)]
    if key:
        cache.put(key, [list(r) for r in regions])
    return regions


_C_TYPES = {"void", "int", "char", "short", "long", "unsigned", "signed",
            "const", "struct", "union", "enum", "bool"}


def _outer_names(header):
    """The names called at parenthesis depth 0 in a function's header: the
    last is the function (an attribute with arguments, like
    __realloc_size(2), may come before it)."""
    out, nested, depth = [], [], 0
    for m in re.finditer(r"([A-Za-z_]\w*)\s*\(|[()]", header):
        if m.group(1):
            name = m.group(1)
            if name not in _NOT_NAMES and name not in _C_TYPES:
                (nested if depth else out).append(name)
            depth += 1
        elif m.group(0) == "(":
            depth += 1
        else:
            depth = max(0, depth - 1)
    # a function returning a function pointer: int (*f(int a))(void)
    return out or nested[:1]


def function_spans(text):
    """(name, first line, last line) of the functions TEXT defines, in
    kernel style (the scan of _functions, with line numbers)."""
    out = []
    text = _COMMENT_RX.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    lines = text.split("\n")
    header, first = [], None
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if line == "{" and header:
            j = i + 1
            while j < n and not lines[j].startswith("}"):
                j += 1
            names = _outer_names(" ".join(header))
            if names:
                out.append((names[-1], first + 1, j + 1))
            header, first = [], None
            i = j + 1
            continue
        if not line.strip() or line.startswith(("}", "#")) or \
                line.rstrip().endswith(";"):
            header, first = [], None
        elif not line[0].isspace() or header:
            if not header:
                first = i
            header.append(line)
        i += 1
    return out


def _define_at(lines, line):
    """The macro whose #define (with its continuation lines) holds LINE
    (1-based), or None."""
    i = line - 1
    while i > 0 and lines[i - 1].rstrip().endswith("\\"):
        i -= 1
    m = re.match(r"\s*#\s*define\s+(\w+)", lines[i] if i < len(lines)
                 else "")
    return m.group(1) if m else None


def blind_spots(root, cands, scopes, jobs, cache, within, log=None):
    """Error records for the regions of the files in CANDS ({rule: files})
    that spatch cannot parse."""
    from .findings import tool_error
    files = sorted(set(f for fs in cands.values() for f in fs
                       if within(f)))
    if not files:
        return []
    regexes = dict((r, re.compile(read_header(rule_file(r)).get(
        "prefilter", "") or r"(?!)")) for r in cands)
    failed, errors = {}, []
    lock = threading.Lock()
    todo = list(files)

    def worker():
        while True:
            with lock:
                if not todo:
                    return
                f = todo.pop()
            try:
                regions = parse_failures(root, f, cache, log)
            except (OSError, RuntimeError) as exc:
                with lock:
                    errors.append(tool_error(
                        "cocci", "could not check what spatch fails to "
                        "parse: %s" % exc, file=f, rules=[
                            r for r in cands if f in cands[r]]))
                continue
            if regions:
                with lock:
                    failed[f] = regions
    threads = [threading.Thread(target=worker)
               for _ in range(max(1, min(jobs, len(files))))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    text = _text_reader(root)
    closures = {}

    def reaches(rule, f, idents):
        """Does a function mentioning IDENTS call, in F's directory, one
        that reaches RULE's API?"""
        # only a "directory" rule follows its API out to the callers (the
        # files it is given are that closure); a directory-all rule reads
        # every file, but its API is what its prefilter names
        if scopes[rule] != "directory":
            return False
        d = os.path.dirname(f)
        if (rule, d) not in closures:
            members = [x for x in cands[rule] if os.path.dirname(x) == d]
            closures[(rule, d)] = closure_tokens(
                dict((x, text(x)) for x in members), regexes[rule])
        return bool(idents & closures[(rule, d)])

    out = list(errors)
    for f in sorted(failed):
        lines = text(f).split("\n")
        spans = function_spans(text(f))
        ran = [r for r in sorted(cands) if f in cands[r]]
        # one record per function, however many errors it holds
        places = {}
        for first, last, err in failed[f]:
            # spatch's region starts on the line of the last token it
            # parsed: a function that ends there is not in it
            hit = [s for s in spans if s[1] <= last and s[2] > first]
            # a region that overlaps no function (a declaration, a table)
            # is judged by its own text
            for name, a, b in hit or [(None, first, last)]:
                line = err if a <= err <= b else max(a, first)
                places.setdefault((name, a, b), []).append(line)
        for (name, fa, fb), at in sorted(places.items(),
                                         key=lambda x: (x[0][1], x[0][2])):
            body = "\n".join(lines[fa - 1:fb])
            idents = set(_IDENT_RX.findall(body)) - {name}
            rules = [r for r in ran if regexes[r].search(body) or
                     reaches(r, f, idents)]
            line = min(at)
            what = "function" if name else "region"
            macro = None if name else _define_at(lines, line)
            if macro:
                # spatch parses a macro's body on its own; no rule reads
                # it there (its uses are matched where they are written)
                what = "definition of macro %s" % macro
            reason = ("spatch could not parse this %s (from line %d to "
                      "%d)" % (what, fa, fb))
            if rules:
                reason += "; rules blind here: %s" % ", ".join(rules)
            else:
                reason += "; it calls no API of the rules run on it"
            out.append(tool_error("cocci", reason, file=f, line=line,
                                  function=name, rules=rules))
    return out


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
    cands = candidates(ctx.root, ctx.paths,
                       [r for r in rules if r not in dir_rules])
    # a file of a kernel tree is checked with its directory (an editor or
    # a commit hook asks about one file; a directory rule needs the
    # others, which the cache holds); only its own findings are reported
    dpaths = ctx.paths if ctx.standalone else sorted(set(
        (os.path.dirname(p) or p) if os.path.isfile(os.path.join(ctx.root, p))
        else p for p in ctx.paths))
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

    for f, e, _ in _schedule(tasks, one, max(1, ctx.jobs),
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
