"""The sparse engine's candidate selection: the translation units that can
contain a finding (a grep prefilter built from the API table; for
unmap-breaks-layouts, the truncating units of the directories the
Coccinelle rule's prefilter selects), the rules a text names, and the
units that call a function summarised in another unit."""
import os
import re

from .. import api, catalog
from ..srcfiles import grep
from . import cocci_select, cocci_spatch

# a translation unit that names none of these APIs, and calls no function
# that the first run summarised in another unit, cannot contain a finding;
# pagemap-ops-balance needs a get of the pair (or the key itself) in the
# unit, and devmap-put only counts a drop whose name is written at the call
# (the checker reads the source line: a drop that only a header's macro
# expands to is none).  By rule: a unit (or function) the engine could not
# check is a blind spot for the rules whose APIs it names.  The names are
# the API table's rows of these kinds that both engines hold (the source
# spellings: sparse-only rows are what a macro expands to), each ending at
# a word boundary (folio_put is not folio_putback_lru).  The kinds are the
# catalog's: a rule's sparse_prefilter_kinds, so that a new check needs
# no line here.
RULE_KINDS = dict((r["id"], tuple(r["sparse_prefilter_kinds"]))
                  for r in catalog.load().rules
                  if "sparse" in r["engines"] and
                  "sparse_prefilter_kinds" in r)
RULE_APIS = dict((r, [re.escape(n) + r"\b" for n in api.source_names(k)])
                 for r, k in RULE_KINDS.items())
# rules whose API every filesystem calls but whose finding needs one with
# DAX inodes (the catalog's sparse_prefilter_dir_gated; evict-break-final:
# every filesystem truncates an evicted inode's pages): their units are
# those of the directories that the rule's Coccinelle prefilter selects
DIR_GATED = tuple(r["id"] for r in catalog.load().rules
                  if r.get("sparse_prefilter_dir_gated"))
PREFILTER = "|".join(sorted(set(p for r, ps in RULE_APIS.items()
                                if r not in DIR_GATED for p in ps)))

# unmap-breaks-layouts: every truncation the rule reports is a call of a
# truncation primitive (or of a block-freeing routine it only learns next
# to one) in a filesystem that has DAX inodes: a directory whose code calls
# the fs-DAX API, which is what the Coccinelle rule's prefilter selects
# (read from its header: one definition for both engines).  So the units
# that can hold a finding, or tell another unit of their directory what
# they truncate (their summaries), are those that call a primitive in such
# a directory; an entry point that only reaches them through calls is
# checked again with their summaries (sparse.run_tree).  A standalone unit (no
# tree) must name DAX or a layout break itself.
# (a primitive's name is matched as a prefix, as the checker knows them)
UNMAP_PREFILTER = [r"\b(%s)" % "|".join(
    re.escape(n) for n in api.names(("truncate", "truncate-final"))),
                   r"[dD][aA][xX]|break_layouts"]
UNMAP_RULE = "unmap-breaks-layouts"
_DAX_FS_DIRS = {}


def forget_dax_fs_dirs():
    """Forget which directories dax_fs_dir() found to hold a DAX
    filesystem (it remembers them for the life of the process): for a
    caller whose trees change under the same path."""
    _DAX_FS_DIRS.clear()


def unmap_dir_header(rule=UNMAP_RULE):
    """The header of cocci/<rule>.cocci: its prefilter."""
    return cocci_spatch.read_header(cocci_spatch.rule_file(rule))


def dax_fs_dir(root, d, rule=UNMAP_RULE):
    """Does directory D (relative to ROOT) hold a filesystem with DAX
    inodes, by the Coccinelle rule's prefilter (its .c files, not below)?"""
    key = (os.path.realpath(root), d, rule)
    if key not in _DAX_FS_DIRS:
        hdr = unmap_dir_header(rule)
        _DAX_FS_DIRS[key] = cocci_select.directory_selected(
            root, d, re.compile(hdr["prefilter"]),
            hdr.get("prefilter-own-calls") != "no")
    return _DAX_FS_DIRS[key]


def rules_named_in(text, rules, unmap_dir=None):
    """The RULES whose prefilter TEXT (a unit, a function) matches.
    UNMAP_DIR: whether the unit's directory is a DAX filesystem's (None:
    no tree, the text must name DAX or a layout break)."""
    out = []
    for r in rules:
        if r == UNMAP_RULE:
            if re.search(UNMAP_PREFILTER[0], text) and (
                    unmap_dir if unmap_dir is not None else
                    re.search(UNMAP_PREFILTER[1], text)):
                out.append(r)
        elif any(re.search(p, text) for p in RULE_APIS.get(r, ())):
            out.append(r)
    return out


def candidates(root, paths, rules=None):
    """The .c files under PATHS (relative to ROOT) worth checking for RULES
    (default: every rule)."""
    files = set(grep(root, paths, PREFILTER))
    if rules is None or UNMAP_RULE in rules:
        files |= set(f for f in grep(root, paths, UNMAP_PREFILTER[0])
                     if dax_fs_dir(root, os.path.dirname(f)))
    for r in DIR_GATED:
        if rules is None or r in rules:
            files |= set(f for f in grep(root, paths, "|".join(RULE_APIS[r]))
                         if dax_fs_dir(root, os.path.dirname(f), r))
    return sorted(files)


def callers_elsewhere(root, paths, defs, local=()):
    """The .c files under PATHS that name a function of DEFS defined in
    another file: they need the summaries to be checked.  A function of
    LOCAL matters to the files of its own directory only."""
    if not defs:
        return []
    out = []
    names = r"\b(%s)\b" % "|".join(sorted(defs))
    for f in sorted(grep(root, paths, names)):
        with open(os.path.join(root, f), errors="replace") as fh:
            # the words of the file: a name of DEFS as a whole word, as
            # \bNAME\b finds it, once per file rather than once per name
            words = set(re.findall(r"\w+", fh.read()))
        if any(d != f and n in words and
               (n not in local or os.path.dirname(d) == os.path.dirname(f))
               for n, d in defs.items()):
            out.append(f)
    return out
