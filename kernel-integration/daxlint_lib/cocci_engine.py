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
and prints findings in report mode as
  file:line:col-col: WARNING: [<rule>] <function>: <detail>
"""
import os
import re
import shlex
import subprocess
import tempfile

from . import TOP

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


def _list_c_files(root, paths):
    out = []
    for p in paths:
        full = os.path.join(root, p)
        if os.path.isfile(full):
            out.append(os.path.normpath(p))
            continue
        for dirpath, dirnames, filenames in os.walk(full):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for fn in filenames:
                if fn.endswith(".c"):
                    out.append(os.path.normpath(
                        os.path.relpath(os.path.join(dirpath, fn), root)))
    return sorted(set(out))


def _grep(root, paths, regex):
    """Files under PATHS (relative to ROOT) whose text matches REGEX."""
    cmd = ["grep", "-rlE", "--include=*.c", "-e", regex, "--"] + list(paths)
    p = subprocess.run(cmd, cwd=root, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode not in (0, 1):
        raise RuntimeError("grep failed: %s" % p.stderr.strip())
    return sorted(set(os.path.normpath(l) for l in p.stdout.splitlines() if l))


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


def callers_closure(texts, seed_rx):
    """The files of one directory a cross-function rule needs: those that
    match SEED_RX, and those that mention a function whose body matches
    SEED_RX or mentions such a function, to a fixed point (the callers, and
    the operation tables naming them, of everything the rule looks for)."""
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
    out = []
    for f, t in texts.items():
        if seed_rx.search(t) or (tokens and
                                 tokens & set(_IDENT_RX.findall(t))):
            out.append(f)
    return sorted(out)


def candidates(root, paths, rules):
    """{rule: [files]}: the files each rule's spatch run must see."""
    headers = {r: read_header(rule_file(r)) for r in rules}
    regexes = {r: h.get("prefilter", "") for r, h in headers.items()}
    union = "|".join("(%s)" % rx for rx in regexes.values() if rx)
    pool = _grep(root, paths, union) if union else []
    everything = None
    texts = {}

    def text(f):
        if f not in texts:
            with open(os.path.join(root, f), errors="replace") as fh:
                texts[f] = fh.read()
        return texts[f]

    out = {}
    for r in rules:
        rx = regexes[r]
        if not rx:
            if everything is None:
                everything = _list_c_files(root, paths)
            out[r] = everything
            continue
        crx = re.compile(rx)
        hits = [f for f in pool if crx.search(text(f))]
        scope = headers[r].get("scope", "file")
        if scope in ("directory", "directory-all"):
            dirs = sorted(set(os.path.dirname(f) for f in hits))
            hits = []
            for d in dirs:
                members = [f for f in _list_c_files(root, [d or "."])
                           if os.path.dirname(f) == d and _within(f, paths)]
                if scope == "directory":
                    members = callers_closure({f: text(f) for f in members},
                                              crx)
                hits += members
        out[r] = sorted(set(hits))
    return out


def _within(f, paths):
    for p in paths:
        p = os.path.normpath(p)
        if p in (".", "") or f == p or f.startswith(p.rstrip("/") + "/"):
            return True
    return False


def spatch_command(rule_id, profile, jobs, groups_file, extra=()):
    hdr = read_header(rule_file(rule_id))
    cmd = ["spatch", "--sp-file", rule_file(rule_id), "--very-quiet",
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


def run_rule(root, rule_id, files, profile, jobs):
    """Run one rule over FILES (relative to ROOT); (findings, errors)."""
    from .findings import Finding
    if not files:
        return [], []
    with tempfile.NamedTemporaryFile("w", suffix=".groups",
                                     delete=False) as g:
        # a directory-scoped rule wants one group per directory so that a
        # parallel worker sees a whole filesystem; others one file a group
        scope = read_header(rule_file(rule_id)).get("scope", "file")
        if scope.startswith("directory"):
            bydir = {}
            for f in files:
                bydir.setdefault(os.path.dirname(f), []).append(f)
            g.write("\n\n".join("\n".join(v) for _, v in sorted(bydir.items())))
        else:
            g.write("\n\n".join(files))
        g.write("\n")
        groups = g.name
    try:
        cmd = spatch_command(rule_id, profile, jobs, groups)
        p = subprocess.run(cmd, cwd=root, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    finally:
        os.unlink(groups)
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


def run(ctx, rules, progress):
    """Engine entry point: ctx has root, paths, profile, jobs."""
    findings, errors = [], []
    for r in [r for r in rules if not os.path.isfile(rule_file(r))]:
        errors.append("cocci: the catalog lists %s but %s is missing"
                      % (r, os.path.relpath(rule_file(r), TOP)))
    rules = [r for r in rules if os.path.isfile(rule_file(r))]
    cands = candidates(ctx.root, ctx.paths, rules)
    for i, r in enumerate(rules, 1):
        files = cands[r]
        progress("cocci: [%d/%d] %s: %d file(s)" % (i, len(rules), r,
                                                     len(files)))
        f, e = run_rule(ctx.root, r, files, ctx.profile, ctx.jobs)
        findings += f
        errors += e
    return findings, errors
