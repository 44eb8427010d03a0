"""The kernel API table (kernel-integration/api/kernel-api.tsv), read once.

The table is the one place that names the kernel functions, macros and
fields the rules know; the engines take their name lists from here (the
Python driver directly, cocci/generate.py into the .cocci files,
sparse-plugin/gen-api.py into an X-macro file).  This module needs only
the standard library, so that cocci/generate.py and the sparse generator
can load it by path.
"""
import collections
import os
import re

TABLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))), "api", "kernel-api.tsv")

# what a row can be; a kind not listed here is a typo in the table
KINDS = {
    # XFS inode locks (flags: the XFS_*LOCK_* bits)
    "xfs-lock": "takes the locks its flags name",
    "xfs-unlock": "drops the locks its flags name",
    "xfs-demote": "turns the exclusive locks its flags name shared",
    "xfs-lock-two": "locks two inodes, each with its flags",
    "xfs-assert": "tests that the locks its flags name are held",
    "xfs-lock-order": "its value is its flags argument (lockdep subclass)",
    "xfs-lock-bit": "an XFS inode lock flag (value=)",
    "fault-lock-bit": "the flag of the page-fault lock",
    "break-layouts": "the filesystem's layout break wrapper of the API",
    "break-unmap": "the layout break reason that unmaps (spellings)",
    "break-write": "the layout break reason of a write",
    # rw_semaphores and the invalidate_lock API
    "rwsem-write": "takes an rw_semaphore for write",
    "rwsem-read": "takes an rw_semaphore for read",
    "rwsem-up-write": "drops an rw_semaphore held for write",
    "rwsem-up-read": "drops an rw_semaphore held for read",
    "rwsem-downgrade": "turns a write hold into a read hold",
    "rwsem-assert": "tests that an rw_semaphore is held",
    "lockdep-assert": "asserts that a lock is held",
    "trylock": "takes a lock only if free: never sleeps (_trylock, "
               "_nowait)",
    "fault-lock-field": "the rw_semaphore field that is the fault lock",
    "inval-lock": "takes mapping->invalidate_lock for write",
    "inval-unlock": "drops it",
    "inval-lock-shared": "takes it for read",
    "inval-unlock-shared": "drops a read hold",
    "inval-lock-two": "takes it on two mappings",
    "inval-unlock-two": "drops it on two mappings",
    "layout-lock": "opens a v7 layout (RCU read-side) section",
    "layout-unlock": "closes it",
    "layout-api": "the v7 layout lock by its own name, not its RCU body: "
                  "a tree that declares it is v7, a function that calls it "
                  "(or inlines it) opens sections",
    # the busy-page scan and what must not happen around it
    "busy-page": "scans a mapping for pinned DAX pages",
    "dax-break": "scans for pinned DAX pages until none is left, waiting "
                 "through its callback argument cb= (NULL: no wait, "
                 "-ERESTARTSYS when a page is busy)",
    "gup-walk": "a gup page-table walker",
    "sleep": "sleeps or waits",
    "may-sleep": "may sleep",
    "no-sleep": "a name a may-sleep family catches that does not sleep",
    "inode-lock": "takes the inode lock (i_rwsem): a function that does "
                  "manages its locking itself",
    "wait-queue": "sets up a wait-queue wait (its command may sleep)",
    "wait-queue-macro": "the macro of a wait-queue wait (its command is "
                        "argument 5)",
    "alloc": "allocates; sleeps when its GFP mask allows direct reclaim",
    "gfp-bit": "the GFP bit that lets an allocation sleep, as the "
               "headers define it (value=: its value when they do not)",
    "gfp-bit-nr": "the bit number of a gfp-bit defined as BIT(it) (6.8+)",
    "gfp-sleepy": "a GFP mask that allows direct reclaim",
    # dev_pagemap references and ZONE_DEVICE page drops
    "pgmap-get": "takes a dev_pagemap static-key reference (obj: the "
                 "dev_pagemap, when it takes one)",
    "pgmap-put": "drops it",
    "pgmap-key": "a static key of ZONE_DEVICE pages",
    "pgmap-refkey": "the static key the pair counts",
    "static-branch": "flips a static key directly (obj: the key)",
    "devm-action": "registers a release action (obj: the action)",
    "devres-alloc": "allocates a devres release (obj: the release)",
    "page-drop": "drops a page reference (count=: the count argument)",
    "loop-drop": "a page-drop that is one only as the only statement of a "
                 "counting loop, never in bulk (6.1 releases page-cache "
                 "batches with it)",
    "devmap-put": "the ZONE_DEVICE branch of a page drop",
    "buddy-free": "frees to the page allocator",
    "page-source": "returns a page that is never a ZONE_DEVICE page",
    "page-source-out": "the same, through argument obj",
    "page-source-iter": "an iterator binding argument obj through via=",
    "same-page": "the same page under another type",
    "list-entry": "the container of a list member (obj: the member)",
    "list-iter": "a list iterator (obj: its entry; the member is last)",
    # truncation, the fs-DAX API, writeback, the aops hooks
    "truncate": "a truncation primitive (unmaps and frees page cache)",
    "truncate-final": "the truncation of an inode being evicted",
    "break-final": "the last layout break of an inode being evicted: waits until no DAX page of it is pinned (6.15+)",
    "truncate-size": "a truncation to a new size, (inode, size): a "
                     "filesystem frees the blocks past it right after, "
                     "with the same arguments",
    "fsdax": "the filesystem-DAX API: its callers are DAX filesystems",
    "dax-writeback": "the DAX .writepages callee",
    "dax-test": "tests whether an inode or mapping is DAX",
    "dax-flag": "the inode flag that makes an inode DAX",
    "pc-writepages": "a page-cache .writepages implementation",
    "pc-writeback": "page-cache writeback a DAX .writepages must not reach",
    "noop-dirty": "the no-op dirty hook of a generation",
    "noop-invalidate": "the no-op invalidate hook",
    # dax_device claims, DAX entries, removed API
    "dax-claim": "claims a dax_device for a holder",
    "dax-get": "looks a dax_device up for a block device",
    "dax-release": "releases a dax_device",
    "dax-entry": "builds or (dis)associates a DAX mapping entry",
    "dax-entry-test": "tests a DAX mapping entry",
    "dax-entry-pfn": "the pfn accessor of a DAX entry",
    "removed": "removed or renamed by the series (with=: the replacement)",
    "idle-at-one": "the machinery that signalled a ZONE_DEVICE page idle at "
                   "refcount one, removed in 6.15 (pages are idle at 0)",
    "marker": "its presence in header in= marks profile marks= (form=: "
              "call, a call of it; word, the word)",
}
ENGINES = ("sparse", "cocci")
Row = collections.namedtuple(
    "Row", "name kinds obj flags profiles engines extra line")


def _parse(path):
    rows = []
    with open(path) as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 7:
                raise ValueError("%s:%d: %d columns, want 7"
                                 % (path, n, len(cols)))
            name, kinds, obj, flags, profiles, engines, extra = cols
            kinds = tuple(kinds.split(","))
            bad = [k for k in kinds if k not in KINDS]
            if bad:
                raise ValueError("%s:%d: unknown kind %s" % (path, n, bad))
            rows.append(Row(
                name, kinds,
                None if obj == "-" else int(obj),
                _flags(flags),
                None if profiles == "*" else tuple(profiles.split(",")),
                ENGINES if engines == "*" else tuple(engines.split(",")),
                {} if extra == "-" else dict(
                    kv.split("=", 1) for kv in extra.split(",")),
                n))
    seen = set()
    for r in rows:
        if r.name in seen:
            raise ValueError("%s:%d: %s has a row already"
                             % (path, r.line, r.name))
        seen.add(r.name)
    return rows


def _flags(text):
    """'1,3:xfs-lock' -> ((1, 3), 'xfs-lock'); '-' -> None."""
    if text == "-":
        return None
    args, what = text.split(":")
    return tuple(int(a) for a in args.split(",")), what


_ROWS = {}


def rows(path=TABLE):
    if path not in _ROWS:
        _ROWS[path] = _parse(path)
    return _ROWS[path]


def is_family(row):
    return row.name.endswith("*")


def select(kinds, engine=None, path=TABLE):
    """The rows of any of KINDS (a kind or a sequence), in table order,
    limited to those ENGINE holds when given."""
    if isinstance(kinds, str):
        kinds = (kinds,)
    return [r for r in rows(path)
            if set(r.kinds) & set(kinds) and
            (engine is None or engine in r.engines)]


def names(kinds, engine=None, path=TABLE):
    """The exact names (no families) of KINDS, in table order."""
    return [r.name for r in select(kinds, engine, path) if not is_family(r)]


def regex(kinds, engine=None, path=TABLE):
    """An alternation matching the names and families of KINDS (no
    anchors, no group): a family NAME* is NAME followed by \\w*."""
    alts = []
    for r in select(kinds, engine, path):
        alt = (re.escape(r.name[:-1]) + r"\w*") if is_family(r) else \
            re.escape(r.name)
        if alt not in alts:
            alts.append(alt)
    return "|".join(alts)


def all_names(path=TABLE):
    """Every name of the table, families with their star stripped."""
    return [r.name.rstrip("*") for r in rows(path)]


def source_names(kinds, path=TABLE):
    """The exact names of KINDS that every engine holds: the spellings a
    grep of the source text can find (a row only one engine holds is a
    macro's expansion or a list not shared yet)."""
    return [r.name for r in select(kinds, path=path)
            if not is_family(r) and set(r.engines) == set(ENGINES)]
