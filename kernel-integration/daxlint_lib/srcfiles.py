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


def grep(root, paths, regex):
    """The .c files under PATHS whose text matches REGEX (grep -E), sorted."""
    cmd = ["grep", "-rlE", "--include=*.c", "-e", regex, "--"] + list(paths)
    p = subprocess.run(cmd, cwd=root, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode not in (0, 1):
        raise RuntimeError("grep failed: %s" % p.stderr.strip())
    return sorted(set(os.path.normpath(l) for l in p.stdout.splitlines() if l))


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
