"""The Coccinelle engine: one spatch run per rule file in cocci/, over the
files that can contain a finding.

Each cocci/<rule>.cocci carries, besides the kernel's usual header comments,
three lines this driver reads:
  // Rule: <catalog id>
  // Prefilter: <extended regex>   files that cannot match are not parsed
  // Scope: file | directory       directory: a rule that follows calls across
                                   the files of one directory gets them all
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
ERROR_RX = re.compile(r"EXN:|Python failure|Traceback|Fatal error|"
                      r"^Error:|exception", re.I)


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


def candidates(root, paths, rules):
    """{rule: [files]}: the files each rule's spatch run must see."""
    headers = {r: read_header(rule_file(r)) for r in rules}
    regexes = {r: h.get("prefilter", "") for r, h in headers.items()}
    union = "|".join("(%s)" % rx for rx in regexes.values() if rx)
    pool = _grep(root, paths, union) if union else []
    everything = None
    texts = {}
    for f in pool:
        with open(os.path.join(root, f), errors="replace") as fh:
            texts[f] = fh.read()
    out = {}
    for r in rules:
        rx = regexes[r]
        if not rx:
            if everything is None:
                everything = _list_c_files(root, paths)
            out[r] = everything
            continue
        crx = re.compile(rx)
        hits = [f for f in pool if crx.search(texts[f])]
        if headers[r].get("scope") == "directory":
            dirs = sorted(set(os.path.dirname(f) for f in hits))
            hits = []
            for d in dirs:
                # only the files under the user's PATHs of that directory
                for f in _list_c_files(root, [d or "."]):
                    if os.path.dirname(f) == d and _within(f, paths):
                        hits.append(f)
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
           "-D", "report", "-D", "profile=" + profile,
           "--no-includes", "--include-headers", "--timeout", "120"]
    cmd += shlex.split(hdr.get("options", ""))
    if jobs > 1:
        cmd += ["-j", str(jobs), "--chunksize", "1"]
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
        if scope == "directory":
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
