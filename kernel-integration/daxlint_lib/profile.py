"""Decide a kernel tree's profile by reading it, never by its version number
alone: distributions and vendors backport, so the spelling of the DAX layout
API in the headers is what tells the generation apart."""
import os
import re

from . import api

# the first profile any of whose markers is present wins, newest first
ORDER = ("v6.15", "v7", "v5.15", "v4.18")


def _marker(row):
    """(file relative to the tree, regex) of a marker row of the API
    table: a call of the name (a family: any name it starts), or the
    word."""
    name = re.escape(row.name.rstrip("*")) + (r"\w*" if api.is_family(row)
                                              else "")
    rx = r"\b%s\s*\(" % name if row.extra["form"] == "call" else \
        r"\b%s\b" % name
    return row.extra["in"], rx


# (profile, [(file relative to the tree, regex)]), in ORDER
MARKERS = [(p, [_marker(r) for r in api.select("marker")
                if r.extra["marks"] == p]) for p in ORDER]


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
