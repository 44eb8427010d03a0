"""What `daxlint review` reviews: the patches of a series, in order, read
from patch files, an mbox (mboxo, mboxrd as `b4 mbox` writes it, or the
`git format-patch` / `b4 am` flavour), a directory of `git format-patch`
files, a saved public-inbox thread page, or a range of commits of a git
repository.

Every input is text written by strangers: nothing here runs a shell, and
whatever is malformed or too big is a SeriesError (a clean message, exit 2),
never a traceback.

A message is a patch when its subject is not a reply ("Re:"), its counter
is not 0/m (the cover letter), and its body holds a diff.  Patches are
ordered by the n/m counter of their "[PATCH vN n/m]" subject prefix (read
the way b4 reads it: any bracketed prefixes, tags such as RFC, RESEND or a
tree name, the version vN); a series with missing parts names them.
"""
import email
import email.errors
import email.header
import email.policy
import email.utils
import os
import re
import subprocess

MAX_BYTES = 20 * 1024 * 1024
MAX_PATCHES = 500


class SeriesError(Exception):
    """The input cannot be reviewed (malformed, incomplete, too big)."""


class Patch:
    """One patch of the series: `diff` is the mail body (commit message and
    diff), `index`/`total` its place (1-based), `message_id` without the
    angle brackets, `commit` the id for --range."""

    def __init__(self, diff, subject, index=1, total=1, version=1,
                 tags=(), message_id=None, references=(), commit=None,
                 author=None, source=None, full_subject=None):
        self.diff = diff
        self.subject = subject
        self.full_subject = full_subject or subject
        self.index = index
        self.total = total
        self.version = version
        self.tags = list(tags)
        self.message_id = message_id
        self.references = list(references)
        self.commit = commit
        self.author = author
        self.source = source

    def label(self):
        """[PATCH vN n/m] subject, as a reviewer names the patch."""
        return "[PATCH%s %d/%d] %s" % (
            " v%d" % self.version if self.version > 1 else "",
            self.index, self.total, self.subject)

    def ident(self):
        if self.message_id:
            return "<%s>" % self.message_id
        if self.commit:
            return "commit %s" % self.commit[:12]
        return self.source or ""

    def as_dict(self):
        return {"index": self.index, "total": self.total,
                "version": self.version, "subject": self.subject,
                "full_subject": self.full_subject,
                "message_id": self.message_id,
                "references": self.references, "commit": self.commit,
                "author": self.author, "source": self.source}


# --- subjects ---------------------------------------------------------------

REPLY_RX = re.compile(r"^\s*((re|aw|sv|fwd?)\s*:\s*)+", re.I)
PREFIX_RX = re.compile(r"^\s*\[([^\]]*)\]\s*")
COUNTER_RX = re.compile(r"^(\d+)/(\d+)$")
VERSION_RX = re.compile(r"^v(\d+)$", re.I)


class Subject:
    """A subject read like b4 reads it: `reply`, `counter` (n, m) or None,
    `version`, `tags` (PATCH, RFC, net-next, ...), `title` (the rest)."""

    def __init__(self, text):
        text = " ".join((text or "").split())
        self.full = text
        self.reply = bool(REPLY_RX.match(text))
        rest = REPLY_RX.sub("", text)
        self.counter = None
        self.version = 1
        self.tags = []
        self.bracketed = False
        while True:
            m = PREFIX_RX.match(rest)
            if not m:
                break
            self.bracketed = True
            rest = rest[m.end():]
            for tok in m.group(1).replace(",", " ").split():
                c = COUNTER_RX.match(tok)
                v = VERSION_RX.match(tok)
                if c:
                    self.counter = (int(c.group(1)), int(c.group(2)))
                elif v:
                    self.version = int(v.group(1))
                else:
                    self.tags.append(tok)
        self.title = rest.strip()


# --- mail -------------------------------------------------------------------

# a real mbox envelope line: "From <address-or-sha> <asctime date>", as git
# ("From 0123abcd Mon Sep 17 00:00:00 2001"), b4 ("From git@z Thu Jan  1
# 00:00:00 1970") and mail agents write it; a body line that merely starts
# with "From " is not one
ENVELOPE_RX = re.compile(
    r"^From \S+ +(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|"
    r"Aug|Sep|Oct|Nov|Dec) +\d{1,2} \d{1,2}:\d\d:\d\d( [+-]?\d{4}| \w+)* *$")
MBOXRD_RX = re.compile(r"^>(>*From )")
DIFF_RX = re.compile(r"^(diff --git |--- \S|\+\+\+ \S|@@ -\d)", re.M)


def split_mbox(text, mboxrd=True):
    """The messages of an mbox TEXT, split only on real envelope lines (at
    the start or after an empty line); with MBOXRD, quoted ">From " lines
    lose one ">".  Text without an envelope is one message."""
    lines = text.split("\n")
    msgs, cur = [], None
    for i, line in enumerate(lines):
        if ENVELOPE_RX.match(line) and (i == 0 or lines[i - 1] == ""):
            if cur is not None:
                msgs.append(cur)
            cur = []
            continue
        if cur is None:
            cur = []
        if mboxrd:
            line = MBOXRD_RX.sub(r"\1", line)
        cur.append(line)
    if cur is not None:
        msgs.append(cur)
    out = []
    for m in msgs:
        body = "\n".join(m)
        if body.strip():
            out.append(body)
    return out


def _header(msg, name):
    raw = next((v for k, v in msg.raw_items()
                if k.lower() == name.lower()), None)
    if raw is None:
        return None
    if isinstance(raw, str):
        # a raw 8-bit header (read from bytes as surrogate escapes)
        raw = raw.encode("ascii", "surrogateescape").decode("utf-8",
                                                            "replace")
        raw = " ".join(raw.split())     # unfolded
    try:
        return str(email.header.make_header(email.header.decode_header(
            str(raw))))
    except (ValueError, LookupError, UnicodeError, email.errors.HeaderParseError):
        return str(raw)


def _msgid(value):
    if not value:
        return None
    m = re.search(r"<([^<>\s]+)>", value)
    return m.group(1) if m else value.strip() or None


def _body(msg):
    """The text of a mail: its text/plain part(s) and attached patches."""
    parts = msg.walk() if msg.is_multipart() else [msg]
    out = []
    for part in parts:
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        if ctype not in ("text/plain", "text/x-patch", "text/x-diff",
                         "application/x-patch", "text/x-csrc"):
            continue
        payload = part.get_payload(decode=True)
        if payload is None:
            continue
        charset = part.get_content_charset() or "utf-8"
        try:
            out.append(payload.decode(charset, errors="replace"))
        except LookupError:
            out.append(payload.decode("utf-8", errors="replace"))
    return "\n".join(out)


def parse_mail(text, source=None):
    """One mail TEXT as a dict: subject (None for a bare diff without mail
    headers), body, message_id, references, author, in_reply_to."""
    if not re.match(r"[A-Za-z0-9-]+:", text):
        return {"subject": None, "body": text, "message_id": None,
                "references": [], "author": None, "in_reply_to": None}
    try:
        # from bytes: an 8bit body then decodes by its charset (from a str,
        # the email package would re-encode non-ASCII text as Latin-1)
        msg = email.message_from_bytes(text.encode("utf-8", "replace"),
                                       policy=email.policy.compat32)
        subject = _header(msg, "Subject")
        body = _body(msg)
    except Exception as exc:   # the email package may raise anything
        raise SeriesError("%s: malformed mail: %s" % (source or "input", exc))
    refs = []
    for h in ("References", "In-Reply-To"):
        for r in re.findall(r"<([^<>\s]+)>", _header(msg, h) or ""):
            if r not in refs:
                refs.append(r)
    return {"subject": subject, "body": body,
            "message_id": _msgid(_header(msg, "Message-Id")),
            "references": refs, "author": _header(msg, "From"),
            "in_reply_to": _msgid(_header(msg, "In-Reply-To"))}


# --- public-inbox thread pages ----------------------------------------------

PERMALINK_RX = re.compile(r"^\^ permalink raw reply.*$", re.M)
PI_FROM_RX = re.compile(r"^From: (.*?) @ (\d{4}-\d\d-\d\d[ \d:]+UTC)")


def is_thread_page(text):
    return bool(PERMALINK_RX.search(text)) and "(permalink / raw)" in text


def split_thread_page(text):
    """The messages of a saved public-inbox thread page (the flat view:
    "* subject", the thread lines, "From: name @ date UTC (permalink /
    raw)", indented To:/Cc:, an empty line, the body, "^ permalink raw
    reply"), as dicts like parse_mail's.  The page has no Message-Ids."""
    out = []
    for chunk in PERMALINK_RX.split(text):
        lines = chunk.split("\n")
        start = next((i for i, l in enumerate(lines) if l.startswith("* ")),
                     None)
        if start is None:
            continue
        subject = lines[start][2:].strip()
        # the subject may wrap onto lines indented by two spaces before the
        # thread lines ("  2018-03-21 22:57 ..." or "@ 2018...")
        i = start + 1
        frm = None
        while i < len(lines):
            m = PI_FROM_RX.match(lines[i])
            if m:
                frm = m.group(1)
                break
            i += 1
        if frm is None:
            continue
        i += 1
        while i < len(lines) and lines[i][:1] in (" ", "\t") and \
                lines[i].strip():
            i += 1          # To:, Cc: and their continuation lines
        if i < len(lines) and not lines[i].strip():
            i += 1
        body = "\n".join(lines[i:])
        out.append({"subject": subject, "body": body, "message_id": None,
                    "references": [], "author": frm, "in_reply_to": None})
    return out


# --- series -----------------------------------------------------------------

def _read(path):
    if path == "-":
        import sys
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise SeriesError("the series on stdin is over %d MB: refused"
                              % (MAX_BYTES // (1024 * 1024)))
        return data.decode("utf-8", errors="replace").replace("\r\n", "\n")
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise SeriesError("cannot read %s: %s" % (path, exc.strerror))
    if size > MAX_BYTES:
        raise SeriesError("%s is %d bytes: a series is refused over %d MB"
                          % (path, size, MAX_BYTES // (1024 * 1024)))
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise SeriesError("cannot read %s: %s" % (path, exc.strerror))
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n")


def mails_of_text(text, source, mboxrd=True):
    if is_thread_page(text):
        return split_thread_page(text)
    return [parse_mail(m, source) for m in split_mbox(text, mboxrd)]


def has_diff(body):
    return bool(re.search(r"^(diff --git |--- \S.*\n\+\+\+ \S)", body, re.M))


def assemble(mails, source):
    """The patches among MAILS (dicts of parse_mail), in series order.
    Cover letters (0/m), replies and mails without a diff are skipped;
    when several versions are present the newest is taken (as b4 does);
    a series with missing parts is a SeriesError naming them.
    Returns (patches, notes)."""
    notes = []
    cands = []
    for pos, m in enumerate(mails):
        s = Subject(m["subject"] or "")
        if s.reply:
            continue
        if s.counter and s.counter[0] == 0:
            notes.append("cover letter: %s" % s.full)
            continue
        if not has_diff(m["body"]):
            if s.counter:
                raise SeriesError("%s: %s has no diff" % (source, s.full))
            continue
        cands.append((pos, s, m))
    if not cands:
        raise SeriesError("%s: no patch found (no mail with a diff that is "
                          "not a reply or a cover letter)" % source)
    versions = sorted({s.version for _, s, _ in cands})
    if len(versions) > 1:
        notes.append("versions v%s present: reviewing v%d"
                     % (", v".join(map(str, versions)), versions[-1]))
        cands = [c for c in cands if c[1].version == versions[-1]]
    if len(cands) > MAX_PATCHES:
        raise SeriesError("%s: %d patches: a series is refused over %d"
                          % (source, len(cands), MAX_PATCHES))
    counted = [c for c in cands if c[1].counter]
    if counted and len(counted) != len(cands):
        # a thread also holds follow-ups ("[PATCH] fix the fix") that are
        # not parts of the numbered series
        for _, s, _ in cands:
            if not s.counter:
                notes.append("not part of the numbered series, left out: %s"
                             % s.full)
        cands = counted
    patches = []
    if counted:
        totals = {s.counter[1] for _, s, _ in cands}
        if len(totals) != 1:
            raise SeriesError("%s: patches of different series lengths (%s)"
                              % (source, ", ".join(
                                  "/%d" % t for t in sorted(totals))))
        total = totals.pop()
        byn = {}
        for pos, s, m in cands:
            n = s.counter[0]
            if n > total:
                raise SeriesError("%s: %s: patch %d of a series of %d"
                                  % (source, s.full, n, total))
            if n in byn:
                notes.append("patch %d/%d appears twice: using the first"
                             % (n, total))
                continue
            byn[n] = (pos, s, m)
        missing = [n for n in range(1, total + 1) if n not in byn]
        if missing:
            raise SeriesError("%s: the series is incomplete: missing patch(es) "
                              "%s of %d" % (source, ", ".join(
                                  "%d/%d" % (n, total) for n in missing),
                                  total))
        order = [byn[n] for n in range(1, total + 1)]
    else:
        total = len(cands)
        order = cands
    for i, (pos, s, m) in enumerate(order):
        patches.append(Patch(
            m["body"], s.title or s.full, index=i + 1, total=total,
            version=s.version, tags=s.tags, message_id=m["message_id"],
            references=m["references"], author=m["author"],
            source=m.get("source") or source, full_subject=s.full))
    return patches, notes


PATCH_EXTS = (".patch", ".diff", ".eml", ".mbox", ".mbx")


def read_series(path, mboxrd=True):
    """(patches, notes) of --series PATH: an mbox, a thread page, or a
    directory of git format-patch files."""
    if path != "-" and os.path.isdir(path):
        names = sorted(n for n in os.listdir(path)
                       if n.endswith(PATCH_EXTS) and
                       os.path.isfile(os.path.join(path, n)))
        if not names:
            raise SeriesError("%s: no *.patch, *.diff, *.eml or *.mbox file"
                              % path)
        mails, size = [], 0
        for n in names:
            full = os.path.join(path, n)
            size += os.path.getsize(full)
            if size > MAX_BYTES:
                raise SeriesError("%s: over %d MB: refused"
                                  % (path, MAX_BYTES // (1024 * 1024)))
            for m in mails_of_text(_read(full), full, mboxrd):
                m["source"] = n
                mails.append(m)
        return assemble(mails, path)
    text = _read(path)
    mails = mails_of_text(text, path, mboxrd)
    if len(mails) > 4 * MAX_PATCHES:
        raise SeriesError("%s: %d mails: refused" % (path, len(mails)))
    return assemble(mails, path)


def read_patch_files(paths, mboxrd=True):
    """(patches, notes) of PATCH arguments: one patch per file, in the
    order given, with its mail subject when it has one."""
    patches = []
    size = 0
    if len(paths) > MAX_PATCHES:
        raise SeriesError("%d patches: refused over %d"
                          % (len(paths), MAX_PATCHES))
    for i, p in enumerate(paths):
        text = _read(p)
        size += len(text)
        if size > MAX_BYTES:
            raise SeriesError("the patches are over %d MB: refused"
                              % (MAX_BYTES // (1024 * 1024)))
        mails = split_mbox(text, mboxrd)
        m = parse_mail(mails[0], p) if mails else {
            "subject": None, "body": "", "message_id": None,
            "references": [], "author": None}
        body = m["body"] if m["subject"] is not None else text
        s = Subject(m["subject"] or os.path.basename(p))
        patches.append(Patch(body, s.title or s.full, index=i + 1,
                             total=len(paths), version=s.version,
                             tags=s.tags, message_id=m["message_id"],
                             references=m["references"], author=m["author"],
                             source=os.path.basename(p), full_subject=s.full))
    return patches, []


# --- git ranges -------------------------------------------------------------

RANGE_RX = re.compile(r"^([^\s.][^\s]*?)\.\.([^\s.][^\s]*)$")


def _git(repo, args, what):
    try:
        p = subprocess.run(["git", "-C", repo] + args,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SeriesError("git %s failed: %s" % (what, exc))
    if p.returncode != 0:
        raise SeriesError("git %s failed: %s" % (
            what, p.stderr.decode(errors="replace").strip()[-500:]))
    return p.stdout.decode("utf-8", errors="replace")


def range_ends(repo, rng):
    """(BASE, HEAD) of RNG as commit ids of REPO."""
    m = RANGE_RX.match(rng or "")
    if not m or m.group(1).startswith("-") or m.group(2).startswith("-"):
        raise SeriesError("--range wants BASE..HEAD (two revisions), not %r"
                          % rng)
    return tuple(_git(repo, ["rev-parse", "--verify", "--quiet",
                             "--end-of-options", r + "^{commit}"],
                      "rev-parse %s" % r).strip() for r in m.groups())


def check_tree_at_base(kdir, repo, rng):
    """When the tree the series is applied to is the repository itself, it
    must be checked out at BASE (at HEAD the commits are already in)."""
    if os.path.realpath(kdir) != os.path.realpath(repo):
        return
    base, _ = range_ends(repo, rng)
    at = _git(repo, ["rev-parse", "HEAD"], "rev-parse HEAD").strip()
    if at != base:
        raise SeriesError(
            "%s is at %s, not at the range's BASE %s: the commits would be "
            "applied to a tree that has them already; check BASE out "
            "elsewhere (git worktree add --detach DIR BASE) and pass it as "
            "--kernel, with --repo %s" % (kdir, at[:12], base[:12], repo))


def read_range(repo, rng):
    """(patches, notes) of the commits BASE..HEAD of the git repository
    REPO (oldest first, merges left out), each `git format-patch`ed."""
    base, head = range_ends(repo, rng)
    shas = _git(repo, ["rev-list", "--reverse", "--no-merges",
                       "%s..%s" % (base, head)], "rev-list").split()
    notes = []
    merges = _git(repo, ["rev-list", "--merges", "%s..%s" % (base, head)],
                  "rev-list").split()
    if merges:
        notes.append("%d merge commit(s) left out" % len(merges))
    if not shas:
        raise SeriesError("%s: no commits in the range" % rng)
    if len(shas) > MAX_PATCHES:
        raise SeriesError("%s: %d commits: refused over %d"
                          % (rng, len(shas), MAX_PATCHES))
    patches, size = [], 0
    for i, sha in enumerate(shas):
        text = _git(repo, ["format-patch", "-1", "--stdout", "--no-signature",
                           "--no-stat", "--no-color", "--full-index",
                           "--end-of-options", sha], "format-patch %s" % sha)
        size += len(text)
        if size > MAX_BYTES:
            raise SeriesError("%s: over %d MB of patches: refused"
                              % (rng, MAX_BYTES // (1024 * 1024)))
        if ENVELOPE_RX.match(text.split("\n", 1)[0]):
            text = text.split("\n", 1)[1] if "\n" in text else ""
        mail = parse_mail(text, sha)
        subject = _git(repo, ["log", "-1", "--format=%s", "--end-of-options",
                              sha], "log").strip()
        patches.append(Patch(mail["body"], subject, index=i + 1,
                             total=len(shas), commit=sha,
                             author=mail["author"], source=sha[:12],
                             full_subject="[PATCH %d/%d] %s"
                             % (i + 1, len(shas), subject)))
    return patches, notes
