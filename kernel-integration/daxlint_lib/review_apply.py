"""The diffs of a series: read, judged safe, and applied to a scratch copy
of the tree (never to the tree).

A patch's text is written by a stranger.  Only its diff reaches GNU patch,
rebuilt here from what was parsed (file headers, git rename/copy/mode
lines, unified hunks) and applied with `patch -u` (so no ed script, the
old CVE-2018-1000156 path, and no commit-message text is ever read by it);
its file names are checked before anything is applied: an absolute name,
a `..` or `.git` component, a control character, a path through a symlink
of the tree, a symlink or submodule created by the series, or a binary
patch is refused.  The scratch tree (scratch_tree) holds hard links of the
tree's files: before patching a file, its hard link is broken (the file is
copied to a new inode), so nothing patch does to that path — rewrite,
chmod, delete — can reach the tree's own file.
"""
import os
import re
import shutil
import stat
import subprocess
import tempfile

from . import cachedir


class DiffError(Exception):
    """A diff that is malformed, unsafe or does not apply."""


HUNK_RX = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$")
GIT_RX = re.compile(r"^diff --git (\"(?:[^\"\\]|\\.)*\"|\S+) "
                    r"(\"(?:[^\"\\]|\\.)*\"|\S+)$")
EXT_RX = re.compile(r"^(old mode|new mode|deleted file mode|new file mode|"
                    r"rename from|rename to|copy from|copy to|"
                    r"similarity index|dissimilarity index|index) (.*)$")
C_ESCAPES = {"a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v",
             "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


class Hunk:
    def __init__(self, old_start, old_len, new_start, new_len, tail, lines):
        self.old_start, self.old_len = old_start, old_len
        self.new_start, self.new_len = new_start, new_len
        self.tail = tail
        self.lines = lines          # " x", "+x", "-x", "\\ No newline"

    def header(self):
        return "@@ -%d,%d +%d,%d @@%s" % (self.old_start, self.old_len,
                                         self.new_start, self.new_len,
                                         self.tail)

    def new_lines(self):
        """(post-image line number, patch line index) of each line the
        hunk leaves in the new file."""
        out, n = [], self.new_start
        for i, l in enumerate(self.lines):
            if l[:1] in (" ", "+"):
                out.append((n, i))
                n += 1
        return out

    def covers(self, line):
        return self.new_start <= line < self.new_start + max(self.new_len, 1)


class FileDiff:
    def __init__(self):
        self.git = None             # (a-name, b-name) of "diff --git"
        self.old = None             # raw names of ---/+++ (None: none)
        self.new = None
        self.ext = []               # git extended header lines
        self.rename = [None, None]  # rename/copy from, to (tree paths)
        self.copy = False
        self.binary = False
        self.modes = []
        self.hunks = []

    def paths(self):
        """Every tree path this file diff names (after -p1)."""
        out = []
        for raw in (self.old, self.new) + (self.git or ()):
            p = strip1(raw)
            if p is not None and p not in out:
                out.append(p)
        for p in self.rename:
            if p is not None and p not in out:
                out.append(p)
        return out

    def target(self):
        """The tree path the post-image is at (None when deleted)."""
        if self.new is not None:
            return strip1(self.new)
        if self.rename[1]:
            return self.rename[1]
        if self.git and not any(e.startswith("deleted file mode")
                                for e in self.ext):
            return strip1(self.git[1])
        return None

    def text(self):
        """The diff for GNU patch, rebuilt from what was parsed."""
        out = []
        if self.git:
            out.append("diff --git %s %s" % (quote(self.git[0]),
                                             quote(self.git[1])))
            out += self.ext
        if self.old is not None or self.new is not None:
            out.append("--- %s" % quote(self.old or "/dev/null"))
            out.append("+++ %s" % quote(self.new or "/dev/null"))
        for h in self.hunks:
            out.append(h.header())
            out += h.lines
        return "\n".join(out) + "\n"


def unquote(name):
    """A git file name: "a/x" quoted C-style when it has odd characters;
    the timestamp that diff -u puts after a tab is dropped."""
    if name.startswith('"') and name.endswith('"') and len(name) >= 2:
        out, i, s = [], 0, name[1:-1]
        while i < len(s):
            c = s[i]
            if c == "\\" and i + 1 < len(s):
                n = s[i + 1]
                if n in C_ESCAPES:
                    out.append(C_ESCAPES[n])
                    i += 2
                    continue
                m = re.match(r"[0-7]{3}", s[i + 1:])
                if m:
                    out.append(chr(int(m.group(0), 8)))
                    i += 4
                    continue
            out.append(c)
            i += 1
        return "".join(out)
    return name.split("\t")[0].rstrip()


def quote(name):
    if re.search(r'[\x00-\x20"\\\x7f]', name):
        return '"%s"' % "".join(
            "\\" + {"\t": "t", "\n": "n", '"': '"', "\\": "\\"}.get(c, c)
            if c in '\t\n"\\' else c for c in name)
    return name


def strip1(raw):
    """RAW (a ---/+++ or git name) as a tree path, as `patch -p1` sees it;
    None for /dev/null."""
    if raw is None or raw == "/dev/null":
        return None
    parts = raw.split("/", 1)
    return parts[1] if len(parts) == 2 else ""


def parse_diff(text, name="patch"):
    """The FileDiffs of the diff in TEXT (a mail body: the commit message
    and anything that is not a diff are skipped).  A hunk whose line
    counts do not add up is a DiffError."""
    lines = text.split("\n")
    files, cur, i, n = [], None, 0, len(lines)

    def new_file():
        f = FileDiff()
        files.append(f)
        return f

    while i < n:
        line = lines[i]
        m = GIT_RX.match(line)
        if m:
            cur = new_file()
            cur.git = (unquote(m.group(1)), unquote(m.group(2)))
            i += 1
            while i < n:
                e = EXT_RX.match(lines[i])
                if e:
                    key, val = e.group(1), e.group(2).strip()
                    cur.ext.append(lines[i])
                    if key in ("rename from", "copy from"):
                        cur.rename[0] = unquote(val)
                        cur.copy = key == "copy from"
                    elif key in ("rename to", "copy to"):
                        cur.rename[1] = unquote(val)
                    elif key.endswith("mode"):
                        cur.modes.append(val)
                    i += 1
                elif lines[i].startswith(("Binary files ", "GIT binary patch")):
                    cur.binary = True
                    i += 1
                else:
                    break
            continue
        if line.startswith("--- ") and i + 1 < n and \
                lines[i + 1].startswith("+++ "):
            if cur is None or cur.old is not None or cur.new is not None \
                    or cur.hunks:
                cur = new_file()
            old = unquote(line[4:])
            new = unquote(lines[i + 1][4:])
            cur.old = None if old == "/dev/null" else old
            cur.new = None if new == "/dev/null" else new
            if cur.old is None and cur.new is None:
                raise DiffError("%s: a diff from /dev/null to /dev/null"
                                % name)
            i += 2
            continue
        h = HUNK_RX.match(line)
        if h and cur is not None and (cur.old is not None or
                                      cur.new is not None):
            os_, ol, ns, nl = (int(h.group(1)), int(h.group(2) or 1),
                               int(h.group(3)), int(h.group(4) or 1))
            body, left_old, left_new = [], ol, nl
            i += 1
            while i < n and (left_old > 0 or left_new > 0):
                l = lines[i]
                c = l[:1]
                if l == "":
                    l, c = " ", " "    # a context line whose blank was lost
                if c == " ":
                    left_old -= 1
                    left_new -= 1
                elif c == "-":
                    left_old -= 1
                elif c == "+":
                    left_new -= 1
                elif c == "\\":
                    pass
                else:
                    break
                body.append(l)
                i += 1
            if left_old != 0 or left_new != 0:
                raise DiffError("%s: %s: hunk %s is cut short or miscounted"
                                % (name, strip1(cur.new or cur.old),
                                   line.strip()))
            while i < n and lines[i].startswith("\\"):
                body.append(lines[i])
                i += 1
            cur.hunks.append(Hunk(os_, ol, ns, nl, h.group(5), body))
            continue
        i += 1
    return [f for f in files if f.hunks or f.git]


# --- safety -----------------------------------------------------------------

BAD_MODES = {"120000": "a symlink", "160000": "a submodule (gitlink)"}


def _bad_name(p):
    if p == "":
        return "an empty file name"
    if p.startswith("/"):
        return "an absolute path"
    if re.search(r"[\x00-\x1f\x7f]", p):
        return "a control character in the name"
    parts = p.split("/")
    if ".." in parts:
        return "a '..' component"
    if ".git" in parts:
        return "a '.git' component"
    return None


def through_symlink(root, p):
    """The first component of tree path P that is a symlink under ROOT
    (P itself included), or None."""
    cur = root
    for part in [x for x in p.split("/") if x not in ("", ".")]:
        cur = os.path.join(cur, part)
        try:
            st = os.lstat(cur)
        except OSError:
            return None
        if stat.S_ISLNK(st.st_mode):
            return os.path.relpath(cur, root)
    return None


def check_safe(files, root, label):
    """Refuse (DiffError) a diff that reaches outside the tree ROOT or
    cannot be reviewed: see the module docstring."""
    for f in files:
        raws = [r for r in (f.old, f.new) + (f.git or ()) if r]
        for raw in raws:
            if raw.startswith("/") and raw != "/dev/null":
                raise DiffError("%s: refused: %s is an absolute path"
                                % (label, raw))
            if ".." in raw.split("/"):
                raise DiffError("%s: refused: %s leaves the tree (a '..' "
                                "component)" % (label, raw))
        for p in f.paths():
            why = _bad_name(p)
            if why:
                raise DiffError("%s: refused: %r has %s" % (label, p, why))
            link = through_symlink(root, p)
            if link:
                raise DiffError("%s: refused: %s goes through %s, a symlink "
                                "in the tree" % (label, p, link))
        for m in f.modes:
            if m in BAD_MODES:
                raise DiffError("%s: refused: %s would become %s"
                                % (label, f.target() or f.paths()[0],
                                   BAD_MODES[m]))
        if f.binary:
            raise DiffError("%s: refused: %s is a binary patch, which "
                            "cannot be reviewed" % (label, f.paths()[0]))


# --- applying -----------------------------------------------------------------

def _ancestors(paths, with_self):
    """The directories on the way to PATHS (and PATHS, WITH_SELF)."""
    out = {""}
    for p in paths:
        parts = [x for x in p.split("/") if x]
        for i in range(1, len(parts) + (1 if with_self else 0)):
            out.add("/".join(parts[:i]))
    return out


def scratch_tree(kdir, files, subtrees):
    """A scratch tree for KDIR that costs what a series touches, not what
    the tree holds: each directory on the way to FILES is a real directory
    whose files are hard links of KDIR's and whose other subdirectories
    are symlinks into KDIR (read-only use: the engines read headers
    through them); each of SUBTREES (the places checked, which the
    engines walk) is a hard-linked copy of KDIR's.  A patch can only
    write through real directories: check_safe refuses a path through a
    symlink of the copy, so nothing reaches KDIR through one."""
    dst = tempfile.mkdtemp(prefix="review-", dir=cachedir.cache_dir("scratch"))
    subs = sorted(s for s in set(subtrees)
                  if not any(s != o and (s + "/").startswith(o + "/")
                             for o in subtrees))
    inside = lambda d: any((d + "/").startswith(s + "/") for s in subs)
    need = _ancestors(files, False) | _ancestors(subs, True)
    try:
        for d in sorted(need, key=lambda x: (x.count("/") if x else -1, x)):
            if d and inside(d):
                continue
            os.makedirs(os.path.join(dst, d), exist_ok=True)
            src = os.path.join(kdir, d)
            if os.path.islink(src) or not os.path.isdir(src):
                continue            # a directory the series creates
            for e in os.scandir(src):
                rel = "%s/%s" % (d, e.name) if d else e.name
                if rel in need:
                    continue
                target = os.path.join(dst, rel)
                if e.is_symlink():
                    os.symlink(os.readlink(e.path), target)
                elif e.is_dir():
                    os.symlink(e.path, target)
                elif e.is_file():
                    os.link(e.path, target)
        for s in subs:
            src = os.path.join(kdir, s)
            if os.path.islink(src) or not os.path.isdir(src):
                continue
            os.makedirs(os.path.dirname(os.path.join(dst, s)), exist_ok=True)
            r = subprocess.run(["cp", "-al", "--", src,
                                os.path.join(dst, s)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
            if r.returncode != 0:
                raise DiffError("cannot copy %s: %s" % (s, r.stderr.strip()))
    except BaseException:
        shutil.rmtree(dst, ignore_errors=True)
        raise
    return dst


def own_copy(root, p):
    """Give ROOT/P its own inode (break the hard link to the tree)."""
    full = os.path.join(root, p)
    try:
        st = os.lstat(full)
    except OSError:
        return
    if not stat.S_ISREG(st.st_mode):
        return
    d = os.path.dirname(full)
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".daxlint-")
    with os.fdopen(fd, "wb") as out, open(full, "rb") as src:
        shutil.copyfileobj(src, out)
    os.chmod(tmp, stat.S_IMODE(st.st_mode))
    os.replace(tmp, full)


FAILED_RX = re.compile(r"^Hunk #(\d+) FAILED at (\d+)")
PATCHING_RX = re.compile(r"^(?:patching|checking) file (.*)$")


def _failure(out, files):
    """What GNU patch's output OUT says went wrong, with the hunk named."""
    cur, msgs = None, []
    byname = {}
    for f in files:
        for p in f.paths():
            byname.setdefault(p, f)
    for line in out.splitlines():
        m = PATCHING_RX.match(line)
        if m:
            cur = unquote(m.group(1).strip("'"))
            continue
        m = FAILED_RX.match(line)
        if m:
            k = int(m.group(1))
            f = byname.get(cur)
            hdr = ""
            if f is not None and 0 < k <= len(f.hunks):
                hdr = " (%s)" % f.hunks[k - 1].header()
            msgs.append("%s: hunk #%d FAILED at %s%s" % (cur, k, m.group(2),
                                                         hdr))
        elif "can't find file to patch" in line:
            msgs.append("a file to patch does not exist in the tree")
        elif line.startswith("The next patch would") or \
                line.startswith("Reversed (or previously applied)") or \
                "No such file" in line or "malformed patch" in line or \
                "Only garbage" in line:
            msgs.append(("%s: " % cur if cur else "") + line.strip())
    if not msgs:
        msgs = [out.strip().splitlines()[-1] if out.strip() else
                "patch failed"]
    return msgs


def apply_patch(root, files, label):
    """Apply the FileDiffs FILES to the scratch tree ROOT, after checking
    their paths against it (a series may create a directory a later patch
    writes through, so each patch is checked as it comes)."""
    check_safe(files, root, label)
    for f in files:
        for p in f.paths():
            own_copy(root, p)
    text = "".join(f.text() for f in files)
    env = dict(os.environ, LC_ALL="C")
    env.pop("POSIXLY_CORRECT", None)
    try:
        r = subprocess.run(["patch", "-p1", "-u", "--batch", "--forward",
                            "--fuzz=0", "--no-backup-if-mismatch",
                            "--reject-file=-", "--quoting-style=literal"],
                           cwd=root, input=text.encode("utf-8", "replace"),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           env=env, timeout=300)
    except subprocess.TimeoutExpired:
        raise DiffError("%s: patch took over 300 s: refused" % label)
    out = r.stdout.decode("utf-8", "replace")
    if r.returncode != 0:
        raise DiffError("%s does not apply: %s" % (
            label, "; ".join(_failure(out, files))))
    return out


def read_state(root, paths):
    """{path: bytes or None (absent)} of PATHS under ROOT."""
    out = {}
    for p in paths:
        try:
            with open(os.path.join(root, p), "rb") as fh:
                out[p] = fh.read()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            out[p] = None
    return out


def write_state(root, state):
    """Make the files of STATE ({path: bytes or None}) so under ROOT, each
    as a new inode (never writing into a file the tree shares)."""
    for p, data in state.items():
        full = os.path.join(root, p)
        if data is None:
            if os.path.lexists(full):
                os.unlink(full)
            continue
        d = os.path.dirname(full)
        os.makedirs(d, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=d, prefix=".daxlint-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, full)
