# Per-file facts for rules that decide over a whole directory.
#
# A directory rule works in three steps, so that the daxlint driver can
# cache the expensive part of each step per file:
#   1. context-free rules record what each file says (dl_c), whatever else
#      is in the group;
#   2. a script derives the directory's context from every file's facts,
#      then rules that depend on that context record more facts (dl_m);
#   3. a script decides from all of it.
# Under `make coccicheck` all three run in one spatch over the group.  The
# daxlint driver passes -D daxlint_state=IN.json (facts of the files it has
# cached, and the files given to this run) and -D daxlint_dump=OUT.json
# (where the facts of the files run here are written).  A cached file's
# step-2 facts are reused only when its projection of the context (the
# parts of it that name an identifier of the file) is unchanged; otherwise
# the file is listed as stale and the driver runs it again.
import json as dl_json
import re as dl_re

DL = {"state": None, "dump": None, "run": None}
DL_C = {}       # file -> {table: [row]}: step 1, files run here
DL_M = {}       # file -> {table: [row]}: step 2, files run here
DL_CACHED = {}  # file -> {"c": ..., "m": ..., "proj": ...} from the driver
DL_PROJ = {}    # file -> projection of the context (step 2 input)
DL_STALE = []   # cached files whose projection changed
DL_IDENT_RX = dl_re.compile(r"[A-Za-z_]\w*")
_dl_idents = {}


def dl_reset():
    """A new file group starts."""
    DL_C.clear()
    DL_M.clear()
    DL_CACHED.clear()
    DL_PROJ.clear()
    del DL_STALE[:]
    DL["run"] = None
    if DL["state"]:
        with open(DL["state"]) as fh:
            st = dl_json.load(fh)
        DL_CACHED.update(st.get("cached", {}))
        DL["run"] = st.get("run", [])


def dl_c(file, table, *row):
    DL_C.setdefault(file, {}).setdefault(table, []).append(list(row))


def dl_m(file, table, *row):
    DL_M.setdefault(file, {}).setdefault(table, []).append(list(row))


def dl_norm(x):
    """X as the driver's cache gives it back (tuples become lists, keys
    strings): fresh and cached facts must look the same to the decision."""
    return dl_json.loads(dl_json.dumps(x, sort_keys=True))


def dl_files():
    """Every file of the group, run here or cached, in order."""
    return sorted(set(DL_C) | set(DL_M) | set(DL_CACHED) |
                  set(DL["run"] or ()))


def dl_fresh(file):
    return file not in DL_CACHED


def dl_facts(step):
    """{file: {table: [row]}} of STEP ("c" or "m") over the whole group."""
    own = DL_C if step == "c" else DL_M
    out = {}
    for f in dl_files():
        if dl_fresh(f):
            out[f] = dl_norm(own.get(f, {}))
        else:
            out[f] = DL_CACHED[f].get(step) or {}
    return out


def dl_rows(facts, table):
    """(file, row) of TABLE in FACTS, in file order."""
    for f in sorted(facts):
        for row in facts[f].get(table, ()):
            yield f, row


def dl_idents(file):
    """The identifiers written in FILE (a superset of what any rule can
    bind from it)."""
    if file not in _dl_idents:
        try:
            with open(file, errors="replace") as fh:
                _dl_idents[file] = set(DL_IDENT_RX.findall(fh.read()))
        except OSError:
            _dl_idents[file] = set()
    return _dl_idents[file]


def dl_project(names=None, scalars=None, defs=None):
    """Record each file's view of the context: NAMES maps a part of the
    context to a set of identifiers (kept where the file writes them),
    SCALARS to plain values, DEFS to {identifier: value} (the entries
    kept where the file writes the identifier: what a name stands for
    matters only to a file that uses it).  Cached files whose view
    changed become stale."""
    names = names or {}
    scalars = scalars or {}
    defs = defs or {}
    for f in dl_files():
        ids = dl_idents(f)
        view = dict((k, sorted(set(v) & ids)) for k, v in names.items())
        view.update(scalars)
        for k, d in defs.items():
            view[k] = sorted([n, d[n]] for n in set(d) & ids)
        DL_PROJ[f] = dl_json.dumps(dl_norm(view), sort_keys=True)
        if not dl_fresh(f) and DL_CACHED[f].get("proj") != DL_PROJ[f]:
            DL_STALE.append(f)


def dl_usable():
    """False when a cached file went stale: the driver runs again with it,
    and nothing this run decides is used."""
    return not DL_STALE


def dl_dump():
    if not DL["dump"]:
        return
    out = {"files": {}, "stale": sorted(DL_STALE)}
    for f in dl_files():
        if dl_fresh(f):
            out["files"][f] = {"c": dl_norm(DL_C.get(f, {})),
                               "m": dl_norm(DL_M.get(f, {})),
                               "proj": DL_PROJ.get(f)}
    with open(DL["dump"], "w") as fh:
        dl_json.dump(out, fh, sort_keys=True)
