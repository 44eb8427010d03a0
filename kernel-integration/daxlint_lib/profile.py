"""Decide a kernel tree's profile by reading it, never by its version number
alone: distributions and vendors backport, so the spelling of the DAX layout
API in the headers is what tells the generation apart."""
import os
import re

# (profile, [(file relative to the tree, regex)]): the first profile any of
# whose markers is present wins, newest first.
MARKERS = [
    ("v6.15", [("include/linux/dax.h", r"\bdax_break_layout\w*\s*\(")]),
    ("v7", [("include/linux/dax.h", r"\bdax_layout_lock\s*\("),
            ("fs/xfs/xfs_inode.h", r"\bBREAK_UNMAPI\b"),
            ("include/linux/dax.h", r"\bfs_dax_claim_bdev\s*\(")]),
    ("v5.15", [("include/linux/fs.h", r"\bfilemap_invalidate_lock\s*\(")]),
    ("v4.18", [("include/linux/dax.h", r"\bdax_layout_busy_page\s*\(")]),
]


class ProfileError(Exception):
    pass


def _read(kdir, rel):
    try:
        with open(os.path.join(kdir, rel), errors="replace") as f:
            return f.read()
    except OSError:
        return None


def detect(kdir):
    """Return (profile, evidence) for the tree at KDIR."""
    if _read(kdir, "include/linux/fs.h") is None:
        raise ProfileError("%s does not look like a kernel tree "
                           "(no include/linux/fs.h)" % kdir)
    for profile, markers in MARKERS:
        for rel, rx in markers:
            text = _read(kdir, rel)
            if text is not None and re.search(rx, text):
                return profile, "%s matches /%s/" % (rel, rx)
    raise ProfileError("%s predates the DAX layout-break API (no "
                       "dax_layout_busy_page or dax_layout_lock); pass "
                       "--profile to check it anyway" % kdir)


def find_tree_root(path):
    """The kernel tree containing PATH, or None."""
    p = os.path.abspath(path)
    if os.path.isfile(p):
        p = os.path.dirname(p)
    while True:
        if (os.path.isfile(os.path.join(p, "include/linux/fs.h")) and
                os.path.isfile(os.path.join(p, "Kbuild"))):
            return p
        parent = os.path.dirname(p)
        if parent == p:
            return None
        p = parent
