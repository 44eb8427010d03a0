"""Which source files of a kernel tree a run looks at: the .c files under
some paths, those whose text matches an extended regex, and whether a
file lies under the paths asked for.  Paths are relative to the tree's
root, normalised; every engine picks its files through these, and reads
a file that may be missing through read_text()."""
import os
import subprocess


def c_files(root, paths):
    """The .c files under PATHS (files or directories, relative to ROOT;
    hidden directories skipped), sorted."""
    out = []
    for p in paths:
        full = os.path.join(root, p)
        if os.path.isfile(full):
            if full.endswith(".c"):
                out.append(os.path.normpath(p))
            continue
        for dirpath, dirnames, filenames in os.walk(full):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for fn in filenames:
                if fn.endswith(".c"):
                    out.append(os.path.normpath(os.path.relpath(
                        os.path.join(dirpath, fn), root)))
    return sorted(set(out))


def _grep_units(root, paths):
    """PATHS split for parallel greps: a directory becomes its .c files
    and subdirectories, two levels deep (drivers/ alone is half a tree)."""
    out = []
    for p in paths:
        todo = [(os.path.normpath(p), 2)]
        while todo:
            q, depth = todo.pop()
            full = os.path.join(root, q)
            if depth == 0 or not os.path.isdir(full):
                out.append(q)
                continue
            try:
                names = sorted(os.listdir(full))
            except OSError:
                out.append(q)
                continue
            for n in names:
                sub = os.path.normpath(os.path.join(q, n))
                if n.startswith("."):
                    continue
                if os.path.isdir(os.path.join(root, sub)):
                    todo.append((sub, depth - 1))
                elif n.endswith(".c"):
                    out.append(sub)
    return out


def grep(root, paths, regex, jobs=None):
    """The .c files under PATHS whose text matches REGEX (grep -E), sorted;
    like c_files(), hidden directories are skipped.  The tree is split
    between JOBS greps (default: one per CPU)."""
    jobs = max(1, jobs or os.cpu_count() or 1)
    units = _grep_units(root, paths) if jobs > 1 else list(paths)
    groups = [units[i::jobs] for i in range(jobs) if units[i::jobs]]
    procs = [subprocess.Popen(
        ["grep", "-rlE", "--include=*.c", "--exclude-dir=.?*", "-e", regex,
         "--"] + g, cwd=root,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for g in groups]
    found = set()
    for p, (out, err) in [(p, p.communicate()) for p in procs]:
        if p.returncode not in (0, 1):
            raise RuntimeError("grep failed: %s" % err.strip())
        found.update(os.path.normpath(l) for l in out.splitlines() if l)
    return sorted(found)


def within(f, paths):
    """F is one of PATHS or lies under one of them."""
    for p in paths:
        p = os.path.normpath(p)
        if p in (".", "") or f == p or f.startswith(p.rstrip("/") + "/"):
            return True
    return False


def read_text(path):
    """The text of PATH (undecodable bytes replaced), or "" when it cannot
    be read."""
    try:
        with open(path, errors="replace") as fh:
            return fh.read()
    except OSError:
        return ""
