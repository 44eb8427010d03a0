"""The Coccinelle engine's spatch: the rule files it runs, the command
line it runs them with, and what identifies a run (spatch itself, the
rule, the macro files, the options) for the results cache.

Each cocci/<rule>.cocci carries, besides the kernel's usual header comments,
three lines this driver reads (read_header):
  // Rule: <catalog id>
  // Prefilter: <extended regex>   files that cannot match are not parsed
  // Scope: file | directory | directory-all
                                   directory: a rule that follows calls across
                                   the files of one directory gets the files
                                   on the callers' closure of what matches
                                   (cocci_select.callers_closure);
                                   directory-all: every .c file of the
                                   directory
and, for a directory rule, optionally
  // Prefilter-own-calls: no       a match whose first group names a
                                   function the directory defines does not
                                   select it (the directory implements that
                                   API rather than uses it: fs/dax.c)
  // Headers: local                the .h files of the directory key each
                                   file's answer (cocci_runner)
and prints findings in report mode as
  file:line:col-col: WARNING: [<rule>] <function>: <detail>
(REPORT_RX).  A rule's parse signature (parse_signature) is what of it can
change how spatch parses C: rules that share one share their ASTs.
"""
import json
import os
import re
import shlex
import subprocess
import tempfile

from .. import TOP, cache as cachemod, catalog

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


def portable(args):
    """ARGS with the checkout's own paths made relative to it: the rule
    and macro files are keyed by their text, so two clones of the same
    commit share their cached answers."""
    return [os.path.relpath(a, TOP) if os.path.isabs(a) and
            a.startswith(TOP + os.sep) else a for a in args]


def catalog_entry(rule_id):
    """RULE's own entry of the catalog.  Nothing else in the catalog (the
    other rules, the engines section) reaches what spatch prints for the
    rule: a .cocci file never reads the catalog, so keying on the whole
    of it made every cocci answer stale whenever another engine's
    coverage changed."""
    r = catalog.load().by_id.get(rule_id)
    return json.dumps(r, sort_keys=True) if r else ""


def rule_key(rule_id, profile):
    """Everything but the file that can change what RULE says of a file."""
    cmd = spatch_command(rule_id, profile, 1, "-")
    return cachemod.digest("cocci", cachemod.FORMAT, spatch_identity(),
                           _rule_text(rule_id), catalog_entry(rule_id),
                           profile, macro_digest(),
                           " ".join(portable(cmd[:-2])))


# ---- how a rule parses C -------------------------------------------------
# what of a semantic patch can change how spatch parses C (names it writes
# that standard.h defines as macros, the typedef, declarer, iterator and
# attribute names it declares), the macro files, the parsing options and
# spatch itself: the key under which rules share parsed files
# (cocci_runner.AstShelf) and parse results (cocci_blind.ParseLog)
STANDARD_H = "/usr/lib/coccinelle/standard.h"
_SIG = {}
_STD_NAMES = []


def standard_names():
    """(the names spatch's standard.h defines as macros, a digest of its
    text)."""
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
    names = standard_names()[0]
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
            "ast", spatch_identity(), standard_names()[1], macro_digest(),
            " ".join(portable(_parse_options(rule_id))),
            " ".join(used), "\n".join(decls))
    return _SIG[rule_id]


# what of a rule's options cocci_blind.parse_command() also gives spatch
# --parse-c
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
