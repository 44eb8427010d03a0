"""The pre-merge bot: review a patch series against a kernel tree and comment
only on what the series introduces, naming the patch that introduced it.

  review_series.py  the patches: files, mbox, thread page, git range
  review_apply.py   their diffs: parsed, judged safe, applied to a copy
  review_output.py  the report: text, json, sarif, email, github, gitlab

The tree is never written.  The series is first applied whole to a
scratch copy made of what it touches (review_apply.scratch_tree; a patch
that does not apply stops the review before anything is checked: exit 2).  Then daxlint checks the places the
series touches in the tree ("before", mostly from the results cache) and
in the copy after each patch that touches them, the copy being set back to
the state after that patch.  A finding is identified by (rule, file,
function): line numbers move under a patch, those do not.

Attribution: a finding the series introduces is the one present after the
last patch and absent before the first; it is attributed to the patch
after which it appears and stays until the end of the series.  A finding
that one patch introduces and a later one removes is not reported (the
series as a whole does not introduce it); it is listed under "transient"
in the JSON report.

Where checked: the directory of each touched .c file (its .c files alone
when it is a top-level directory such as fs/ or mm/, where a directory
means most of the tree); for a header under include/, the directories of
the .c files that #include it, at most MAX_HEADER_DIRS of them (the rest
are listed as not checked); arch/ is not checked (listed).
"""
import functools
import os
import re
import shutil
import time

from . import findings as fnd, srcfiles, subrun
from . import review_apply as rapply

MAX_HEADER_DIRS = 40
NO_HEADER_SEARCH = {"arch", "include", "Documentation", "tools", "scripts",
                    "samples", "usr", "LICENSES", "rust"}


class ReviewError(Exception):
    """The review could not be done (exit 2); the message says why."""


def group_of(f):
    return (f["rule"], f["file"], f["function"])


def _depth(d):
    return len([x for x in d.split("/") if x])


def _target_of_c(path):
    d = os.path.dirname(path)
    return d if _depth(d) >= 2 else path


@functools.lru_cache(maxsize=256)
def header_users(root, header):
    """The .c files of ROOT that #include HEADER (include/linux/dax.h is
    <linux/dax.h>; fs/xfs/xfs_inode.h is "xfs_inode.h" in its directory)."""
    if header.startswith("include/"):
        name = header[len("include/"):]
        if name.startswith("uapi/"):
            name = name[len("uapi/"):]
        where = sorted(d for d in os.listdir(root)
                       if d not in NO_HEADER_SEARCH and not d.startswith(".")
                       and os.path.isdir(os.path.join(root, d)))
    else:
        name = os.path.basename(header)
        where = [os.path.dirname(header) or "."]
    if not re.match(r"^[A-Za-z0-9_./+-]+$", name):
        return ()
    rx = r'^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]%s[>"]' % \
        "".join("[%s]" % c if c in ".+" else c for c in name)
    users = srcfiles.grep(root, where, rx)
    if not header.startswith("include/"):
        users = [u for u in users if os.path.dirname(u) == where[0]]
    return tuple(users)


def check_targets(root, files, max_header_dirs=MAX_HEADER_DIRS):
    """(targets, not_checked) for the touched FILES: the paths daxlint
    checks (directories, or files of a top-level directory) and the
    [{"path", "reason"}] it does not."""
    targets, skipped = [], []

    def add(t):
        if t not in targets:
            targets.append(t)

    for f in files:
        if not f.endswith((".c", ".h")):
            continue
        if f.startswith("arch/"):
            skipped.append({"path": f, "reason": "arch/ is not checked"})
            continue
        if f.endswith(".c"):
            if not f.startswith("include/"):
                add(_target_of_c(f))
            continue
        if not f.startswith("include/") and _depth(os.path.dirname(f)) >= 2:
            add(os.path.dirname(f))
            continue
        try:
            users = header_users(root, f)
        except RuntimeError as exc:
            skipped.append({"path": f, "reason": str(exc)})
            continue
        dirs = []
        for u in users:
            if u.startswith("arch/"):
                continue
            t = _target_of_c(u)
            if t not in dirs:
                dirs.append(t)
        # the filesystems and mm first: that is where the rules are
        dirs.sort(key=lambda d: (not d.startswith(("fs/", "mm/")), d))
        for t in dirs[:max_header_dirs]:
            add(t)
        if len(dirs) > max_header_dirs:
            skipped.append({
                "path": f, "reason": "included in %d places; the first %d "
                "are checked, not: %s" % (len(dirs), max_header_dirs,
                                          " ".join(dirs[max_header_dirs:]))})
        elif not dirs:
            skipped.append({"path": f, "reason": "no .c file includes it"})
    # a directory checked covers what lies under it
    targets = [t for t in targets
               if not srcfiles.within(t, [o for o in targets if o != t])]
    return targets, skipped


CHECK_TIMEOUT = 1800


def run_daxlint(root, paths, engines, profile, jobs):
    """`daxlint check` of PATHS in ROOT, at most CHECK_TIMEOUT seconds."""
    return subrun.check_json(paths, kernel=root, engines=engines,
                             profile=profile, jobs=jobs,
                             timeout=CHECK_TIMEOUT)[0]


def _timed(say, what, fn, *args):
    start = time.monotonic()
    out = fn(*args)
    say("review: %s: %.1f s" % (what, time.monotonic() - start))
    return out


def _split(report, targets):
    """REPORT's findings and errors by target."""
    out = {}
    for t in targets:
        out[t] = {
            "findings": [f for f in report["findings"]
                         if srcfiles.within(f["file"], [t])],
            "errors": [e for e in report["errors"]
                       if not e.get("file") or
                       srcfiles.within(e["file"], [t])],
            "unchecked": [e for e in report.get("unchecked", [])
                          if e.get("file") and
                          srcfiles.within(e["file"], [t])]}
    return out


def _quote(files, finding):
    """(hunk header, quoted patch lines, line) when FINDING's line falls in
    a hunk of the patch FILES; else (None, [], None)."""
    for f in files:
        if f.target() != finding["file"]:
            continue
        for h in f.hunks:
            if not h.covers(finding["line"]):
                continue
            idx = None
            for n, i in h.new_lines():
                if n == finding["line"]:
                    idx = i
            if idx is None:
                return h.header(), list(h.lines), finding["line"]
            start = max(0, idx - 8)
            return h.header(), h.lines[start:idx + 1], finding["line"]
    return None, [], None


def _exists(root, t):
    return os.path.exists(os.path.join(root, t))


def review(kdir, patches, engines, profile, jobs, say,
           max_header_dirs=MAX_HEADER_DIRS, keep=False):
    """Review PATCHES (review_series.Patch, in order) against KDIR."""
    kdir = os.path.abspath(kdir)
    parsed = []
    for p in patches:
        try:
            files = rapply.parse_diff(p.diff, p.label())
        except rapply.DiffError as exc:
            raise ReviewError(str(exc))
        if not files:
            raise ReviewError("%s (%s): no diff found" % (p.label(),
                                                         p.ident()))
        parsed.append(files)
    # every name of every patch, checked against the tree before anything
    # is applied (and each patch again against the copy as it is applied)
    for p, files in zip(patches, parsed):
        try:
            rapply.check_safe(files, kdir, "%s (%s)" % (p.label(), p.ident()))
        except rapply.DiffError as exc:
            raise ReviewError(str(exc))
    touched_by = []
    for files in parsed:
        t = []
        for f in files:
            for p in f.paths():
                if p not in t:
                    t.append(p)
        touched_by.append(t)
    touched = []
    for t in touched_by:
        touched += [p for p in t if p not in touched]
    result = {"patches": [p.as_dict() for p in patches], "touched": touched,
              "checked": [], "not_checked": [], "comments": [],
              "transient": [], "fixed": [], "errors": [], "unchecked": [],
              "profile": profile, "kernel": kdir,
              "engines": [e.strip() for e in engines.split(",") if e.strip()]
              if isinstance(engines, str) else list(engines)}

    # where each patch is checked: a header's users are looked up in the
    # tree (a .c file whose #include the series changes is touched anyway)
    per_patch = []
    for t in touched_by:
        tg, sk = check_targets(kdir, t, max_header_dirs)
        per_patch.append(tg)
        for s in sk:
            if s not in result["not_checked"]:
                result["not_checked"].append(s)
    union = []
    for tg in per_patch:
        union += [t for t in tg if t not in union]
    union = [t for t in union
             if not srcfiles.within(t, [o for o in union if o != t])]
    result["checked"] = union
    per_patch = [[t for t in union if any(srcfiles.within(x, [t]) or
                                          srcfiles.within(t, [x])
                                          for x in tg)]
                 for tg in per_patch]

    scratch = _timed(say, "made the scratch tree", rapply.scratch_tree, kdir,
                     touched, [t for t in union if not t.endswith(".c")])
    try:
        states = []
        for p, files in zip(patches, parsed):
            say("review: applying %s" % p.label())
            try:
                rapply.apply_patch(scratch, files, "%s (%s)" % (p.label(),
                                                               p.ident()))
            except rapply.DiffError as exc:
                raise ReviewError(str(exc))
            except OSError as exc:
                raise ReviewError("%s: %s" % (p.label(), exc))
            states.append(rapply.read_state(scratch, [
                x for f in files for x in f.paths()]))
        if not union:
            return result
        before_t = [t for t in union if _exists(kdir, t)]
        latest = {t: {"findings": [], "errors": [], "unchecked": []}
                  for t in union}
        if before_t:
            latest.update(_split(_timed(
                say, "checked %s before the series" % " ".join(before_t),
                run_daxlint, kdir, before_t, engines, profile, jobs),
                before_t))
        original = rapply.read_state(kdir, touched)
        timeline = [_keys(latest, kdir)]
        current = rapply.read_state(scratch, touched)
        for k, p in enumerate(patches):
            tg = per_patch[k]
            if tg:
                want = {}
                for x in touched:
                    want[x] = original[x]
                    for j in range(k + 1):
                        if x in states[j]:
                            want[x] = states[j][x]
                rapply.write_state(scratch, {x: d for x, d in want.items()
                                             if current.get(x) != d})
                current = want
                live = [t for t in tg if _exists(scratch, t)]
                for t in tg:
                    latest[t] = {"findings": [], "errors": [],
                                 "unchecked": []}
                if live:
                    latest.update(_split(_timed(
                        say, "checked %s after %s" % (" ".join(live),
                                                      p.label()),
                        run_daxlint, scratch, live, engines, profile, jobs),
                        live))
            timeline.append(_keys(latest, scratch, timeline[-1]))
        _attribute(result, patches, parsed, timeline)
        for t in union:
            for e in latest[t]["errors"]:
                if e not in result["errors"]:
                    result["errors"].append(e)
            for e in latest[t]["unchecked"]:
                if e not in result["unchecked"]:
                    result["unchecked"].append(e)
    finally:
        if not keep:
            shutil.rmtree(scratch, ignore_errors=True)
    return result


def _line_text_reader(root):
    """A function giving the text of a finding's line in ROOT, blanks
    squeezed ("" when unknown), each file read once."""
    lines = {}

    def line_text(f):
        if f["file"] not in lines:
            lines[f["file"]] = srcfiles.read_text(
                os.path.join(root, f["file"])).splitlines()
        text = lines[f["file"]]
        n = f.get("line") or 0
        return " ".join(text[n - 1].split()) if 0 < n <= len(text) else ""
    return line_text


def _keys(latest, root, prev=None):
    """{(rule, file, function, n): finding} of the findings of a state (the
    tree at ROOT), each keeping its key of PREV (the state before) when it
    is the same finding.  A function can hold two findings of one rule, so
    the group (rule, file, function) is not enough: within a group a
    finding is the same as one of PREV when its line reads the same (lines
    move when a patch adds or removes lines above them); the rest are
    paired in line order only while the group has no more findings than
    before, so a patch that adds a second violation to a function that
    already had one is reported, and one that only edits the offending
    line is not."""
    line_text = _line_text_reader(root)
    groups = {}
    for t in sorted(latest):
        for f in latest[t]["findings"]:
            groups.setdefault(group_of(f), []).append(f)
    old = {}
    for key, f in (prev or {}).items():
        old.setdefault(key[:3], []).append((key, f))
    out = {}
    for g, fs in groups.items():
        fs.sort(key=lambda f: (f.get("line") or 0, f.get("column") or 0))
        texts = [line_text(f) for f in fs]
        left = sorted(old.get(g, []), key=lambda kf: kf[0][3])
        keys = [None] * len(fs)
        for i, text in enumerate(texts):
            for j, (key, pf) in enumerate(left):
                if pf.get("_text") == text:
                    keys[i] = key
                    del left[j]
                    break
        if len(fs) <= len(old.get(g, [])):
            rest = [i for i in range(len(fs)) if keys[i] is None]
            for i, (key, _) in zip(rest, left):
                keys[i] = key
        used = {k[3] for k in keys if k} | {k[3] for k, _ in old.get(g, [])}
        n = 0
        for i, f in enumerate(fs):
            if keys[i] is None:
                while n in used:
                    n += 1
                keys[i] = g + (n,)
                used.add(n)
            out[keys[i]] = dict(f, _text=texts[i])
    return out


def _public(f):
    """F as the report shows it (without what matching it needed)."""
    return dict((k, v) for k, v in f.items() if k != "_text")


def _attribute(result, patches, parsed, timeline):
    """Fill result's comments, transient and fixed from TIMELINE (the
    findings before the series, then after each patch)."""
    n = len(patches)
    before, final = timeline[0], timeline[n]
    for key, f in sorted(final.items(), key=lambda kv: (kv[1]["file"],
                                                        kv[1]["line"])):
        if key in before:
            continue
        k = n
        while k > 1 and key in timeline[k - 1]:
            k -= 1
        first = timeline[k][key]
        hunk, quote, line = _quote(parsed[k - 1], first)
        c = _public(f)
        c["introduced_by"] = dict(patches[k - 1].as_dict(), line=line,
                                  hunk=hunk, quote=quote)
        result["comments"].append(c)
    seen = set()
    for k in range(1, n + 1):
        for key, f in timeline[k].items():
            if key in before or key in final or key in seen:
                continue
            seen.add(key)
            gone = next(j for j in range(k + 1, n + 1)
                        if key not in timeline[j])
            result["transient"].append(dict(
                _public(f), introduced_by=patches[k - 1].as_dict(),
                removed_by=patches[gone - 1].as_dict()))
    for key, f in before.items():
        if key not in final:
            result["fixed"].append(_public(f))


def exit_code(res):
    if res["errors"]:
        return 2
    return 1 if res["comments"] else 0


def error_lines(res):
    return [fnd.error_text(fnd.as_error(e)) for e in res["errors"]]
