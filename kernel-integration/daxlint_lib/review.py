"""The pre-merge bot: review a patch series against a kernel tree and comment
only on what the series introduces.

The series is applied to a hard-linked copy of the tree (the tree itself is
never written), daxlint runs over the directories the series touches in
both trees, and a finding is the series' own when the unpatched tree has no
finding of the same rule in the same file and function.  Line numbers move
under a patch; rule, file and function do not.
"""
import os
import re
import shutil
import subprocess
import tempfile

from . import cachedir, findings as fnd, subrun

DIFF_FILE_RX = re.compile(r"^\+\+\+ (?:b/)?(\S+)", re.M)


def touched_files(patch_texts):
    out = []
    for text in patch_texts:
        for f in DIFF_FILE_RX.findall(text):
            if f != "/dev/null" and f not in out:
                out.append(f)
    return out


def check_paths(kdir, files):
    """Directories to check: those of the touched C files and headers."""
    dirs = []
    for f in files:
        if not f.endswith((".c", ".h")):
            continue
        d = os.path.dirname(f) or "."
        if d.startswith("include/") or d.startswith("arch/"):
            continue   # a header change is checked where it is used
        if os.path.isdir(os.path.join(kdir, d)) and d not in dirs:
            dirs.append(d)
    return dirs


def apply_series(kdir, patches, say):
    """A hard-linked copy of KDIR with PATCHES applied (GNU patch writes a
    new file for each one it changes, so the original tree is untouched)."""
    dst = tempfile.mkdtemp(prefix="review-", dir=cachedir.cache_dir("scratch"))
    os.rmdir(dst)
    subprocess.run(["cp", "-al", kdir, dst], check=True)
    for p in patches:
        say("review: applying %s" % os.path.basename(p))
        r = subprocess.run(["patch", "-p1", "--batch", "--forward",
                            "--no-backup-if-mismatch", "-i",
                            os.path.abspath(p)], cwd=dst,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
        if r.returncode != 0:
            shutil.rmtree(dst, ignore_errors=True)
            raise RuntimeError("%s does not apply:\n%s" % (p, r.stdout[-2000:]))
    return dst


def run_daxlint(kdir, paths, engines, profile, jobs):
    return subrun.check_json(paths, kernel=kdir, engines=engines,
                             profile=profile, jobs=jobs)[0]


def review(kdir, patches, engines, profile, jobs, say):
    texts = []
    for p in patches:
        with open(p, errors="replace") as f:
            texts.append(f.read())
    files = touched_files(texts)
    paths = check_paths(kdir, files)
    result = {"patches": [os.path.basename(p) for p in patches],
              "touched": files, "checked": paths, "comments": [],
              "errors": [], "profile": None}
    if not paths:
        return result
    patched = apply_series(kdir, patches, say)
    try:
        say("review: checking %s before and after the series"
            % " ".join(paths))
        before = run_daxlint(kdir, paths, engines, profile, jobs)
        after = run_daxlint(patched, paths, engines, profile, jobs)
    finally:
        shutil.rmtree(patched, ignore_errors=True)
    old = {(f["rule"], f["file"], f["function"]) for f in before["findings"]}
    result["profile"] = after["profile"]
    result["errors"] = after["errors"]
    for f in after["findings"]:
        if (f["rule"], f["file"], f["function"]) not in old:
            result["comments"].append(f)
    return result


def format_text(res):
    out = []
    for f in res["comments"]:
        out.append("%s:%d: %s: [%s] %s (%s)" % (
            f["file"], f["line"], f["function"], f["rule"],
            f["detail"] or f["message"], ", ".join(f["engines"])))
    for e in res["errors"]:
        out.append("daxlint review: error: %s" % fnd.error_text(
            fnd.as_error(e)))
    out.append("")
    out.append("reviewed %d patch(es) touching %d file(s); checked %s"
               % (len(res["patches"]), len(res["touched"]),
                  " ".join(res["checked"]) or "nothing (no C change)"))
    out.append("%d new finding(s) introduced by the series"
               % len(res["comments"]))
    return "\n".join(out) + "\n"
