"""The sparse engine: daxlint-sparse (sparse-plugin/), a lock-state checker
built on sparse's library, run on fully preprocessed code.

Standalone files (fixtures, --profile given) are checked directly:
  daxlint-sparse -I<file's dir> -I tests/include -DDAXLINT_PROFILE_<P>
                 $DAXLINT_SPARSE_FLAGS file.c
Kernel trees are checked the way kernel developers run sparse: the tree is
prepared once in an out-of-tree build directory in the cache (defconfig +
the DAX filesystems, olddefconfig, make prepare), keyed by the tree and the
config fragment, and the translation units that can contain a finding (a
grep prefilter) are checked by kbuild itself:
  make -C KDIR O=<cache>/build-<key> C=2 CHECK=daxlint-sparse dir/file.o
so daxlint-sparse sees kbuild's CHECKFLAGS and c_flags.  Findings come
back through DAXLINT_SPARSE_JSON (one JSON object a line); sparse's own
warnings are never taken.
"""
import fcntl
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile

from . import TOP
from .findings import Finding

PLUGIN = os.path.join(TOP, "sparse-plugin")
BINARY = os.path.join(PLUGIN, "build", "daxlint-sparse")
INCLUDE = os.path.join(TOP, "tests", "include")

# a translation unit that matches none of these, and calls no function
# that the first run summarised in another unit, cannot contain a finding;
# pagemap-ops-balance needs a get of the pair (or the key itself) in the
# unit, and devmap-put only counts a drop whose name is written at the call
# (the checker reads the source line: a drop that only a header's macro
# expands to is none)
PREFILTER = (r"xfs_break_layouts|dax_layout_busy_page|dax_layout_lock|"
             r"follow_page_mask|gup_pgd_range|dev_pagemap_get_ops|"
             r"dev_pagemap_put_ops|devmap_managed_key|device_private_key|"
             r"devmap_managed_enable_get|devmap_managed_enable_put|"
             r"put_page_testzero|folio_put_testzero|page_ref_dec_and_test|"
             r"folio_ref_dec_and_test|page_ref_sub_and_test|"
             r"folio_ref_sub_and_test|folio_put_refs|folio_put\(")

# unmap-breaks-layouts needs more: a unit can only hold a finding if it
# calls a truncation primitive (every truncation the rule reports is one, or
# a block-freeing routine it only learns from one) and names DAX or a layout
# break (the rule's evidence that the filesystem has DAX inodes is a DAX
# aops, a dax_*() or layout-break call or an IS_DAX() test written in the
# unit's own text).  Both must match.
UNMAP_PREFILTER = [r"\btruncate_(pagecache|setsize|inode_pages)",
                   r"[dD][aA][xX]|break_layouts"]
UNMAP_RULE = "unmap-breaks-layouts"

PROFILE_DEFINE = {"v7": "DAXLINT_PROFILE_V7", "v4.18": "DAXLINT_PROFILE_V4_18",
                  "v5.15": "DAXLINT_PROFILE_V5_15"}

# the kernel config the tree is prepared with: defconfig plus these
CONFIG_ENABLE = [
    "BLOCK", "FS_DAX", "DAX", "ZONE_DEVICE", "MEMORY_HOTPLUG",
    "MEMORY_HOTREMOVE", "SPARSEMEM_VMEMMAP", "LIBNVDIMM", "BLK_DEV_PMEM",
    "ND_CLAIM", "ND_BTT", "ND_PFN", "NVDIMM_PFN", "NVDIMM_DAX", "DEV_DAX",
    "DEV_DAX_PMEM", "XFS_FS", "EXT2_FS", "EXT4_FS", "FUSE_FS", "CUSE",
    "VIRTIO", "VIRTIO_PCI", "VIRTIO_FS", "FUSE_DAX", "TRANSPARENT_HUGEPAGE",
]
CONFIG_VERSION = "1"
# kbuild checks a unit only once it compiled: with CONFIG_WERROR (set by
# defconfig) a warning would hide the unit from the checker, and the edit
# that breaks an invariant is often the one that warns (a put removed
# leaves its static helper unused), so warnings stay warnings.  Part of the
# build key: objects built with other flags live in another directory.
MAKE_FLAGS = ["KCFLAGS=-Wno-error"]


def _cache(*parts):
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(base, "daxlint", *parts)


def build(log=lambda s: None):
    """Build daxlint-sparse (and sparse's library in the cache) if needed."""
    srcs = [os.path.join(PLUGIN, f) for f in os.listdir(PLUGIN)
            if f.endswith((".c", ".h")) or f == "Makefile"]
    if os.path.exists(BINARY) and all(
            os.path.getmtime(s) <= os.path.getmtime(BINARY) for s in srcs):
        return True
    log("sparse: building daxlint-sparse (sparse-plugin/)")
    p = subprocess.run(["make", "-C", PLUGIN, "-j2"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        log("sparse: build failed:\n" + p.stdout[-3000:])
        return False
    return os.path.exists(BINARY)


def available():
    from shutil import which
    if os.path.exists(BINARY):
        return True
    if not (which("make") and which("cc")):
        return False
    return build()


def _c_files(root, paths):
    out = []
    for p in paths:
        full = os.path.join(root, p)
        if os.path.isfile(full):
            if full.endswith(".c"):
                out.append(os.path.normpath(p))
            continue
        for dirpath, dirnames, filenames in os.walk(full):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for fn in sorted(filenames):
                if fn.endswith(".c"):
                    out.append(os.path.normpath(os.path.relpath(
                        os.path.join(dirpath, fn), root)))
    return sorted(set(out))


def _grep(root, paths, rx):
    cmd = ["grep", "-rlE", "--include=*.c", "-e", rx, "--"] + list(paths)
    p = subprocess.run(cmd, cwd=root, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode not in (0, 1):
        raise RuntimeError("grep failed: %s" % p.stderr.strip())
    return set(os.path.normpath(l) for l in p.stdout.splitlines() if l)


def candidates(root, paths, rules=None):
    """The .c files under PATHS (relative to ROOT) worth checking for RULES
    (default: every rule)."""
    files = _grep(root, paths, PREFILTER)
    if rules is None or UNMAP_RULE in rules:
        both = _grep(root, paths, UNMAP_PREFILTER[0])
        if both:
            both &= _grep(root, sorted(both), UNMAP_PREFILTER[1])
        files |= both
    return sorted(files)


def _env(rules, profile, json_path):
    env = dict(os.environ)
    env["DAXLINT_SPARSE_JSON"] = json_path
    env["DAXLINT_SPARSE_RULES"] = ",".join(rules)
    env["DAXLINT_SPARSE_PROFILE"] = profile
    return env


def _read_findings(json_path, root, rules):
    out = []
    if not os.path.exists(json_path):
        return out
    with open(json_path) as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            d = json.loads(line)
            if d["rule"] not in rules:
                continue
            f = os.path.normpath(d["file"] if os.path.isabs(d["file"])
                                 else os.path.join(root, d["file"]))
            rel = os.path.relpath(f, root)
            if root == "/":
                rel = f.lstrip("/")
            out.append(Finding(d["rule"], rel, d["line"],
                               d["column"] or None, d["function"], "sparse",
                               d["detail"]))
    return out


def _crashed(rc):
    return rc < 0 or rc >= 128


def run_standalone(ctx, rules, progress):
    """Each PATH is one unit: a file, or a directory whose .c files are
    checked together (function summaries cross its files)."""
    findings, errors = [], []
    extra = shlex.split(os.environ.get("DAXLINT_SPARSE_FLAGS", ""))
    with tempfile.TemporaryDirectory(prefix="daxlint-sparse-") as tmp:
        js = os.path.join(tmp, "findings.json")
        for path in ctx.paths:
            files = _c_files(ctx.root, [path])
            if not files:
                continue
            env = _env(rules, ctx.profile, js)
            env["DAXLINT_SPARSE_UNIT"] = "1"
            full = [os.path.join(ctx.root, f) for f in files]
            cmd = [BINARY]
            for d in sorted(set(os.path.dirname(f) for f in full)):
                cmd += ["-I", d]
            cmd += ["-I", INCLUDE]
            if ctx.profile in PROFILE_DEFINE:
                cmd.append("-D%s=1" % PROFILE_DEFINE[ctx.profile])
            cmd += extra + full
            p = subprocess.run(cmd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env)
            if p.returncode != 0:
                errors.append("daxlint-sparse exited %d on %s: %s" % (
                    p.returncode, path, p.stderr.strip()[-500:]))
            for line in p.stderr.splitlines():
                if re.search(r": error: ", line):
                    errors.append("sparse: %s" % line)
        findings = _read_findings(js, ctx.root, rules)
    return findings, errors


# ---- kernel trees -----------------------------------------------------------
def tree_key(root):
    h = hashlib.sha1()
    h.update(os.path.realpath(root).encode())
    for name in ("Makefile",):
        try:
            st = os.stat(os.path.join(root, name))
            h.update(("%s:%d:%d" % (name, st.st_size, int(st.st_mtime))).encode())
        except OSError:
            pass
    h.update(("config-%s:%s" % (CONFIG_VERSION, ",".join(CONFIG_ENABLE))).encode())
    h.update(("make:%s" % " ".join(MAKE_FLAGS)).encode())
    return h.hexdigest()[:12]


def _make(root, objdir, args, jobs, log, env=None):
    cmd = ["make", "-C", root, "O=" + objdir, "-j%d" % max(1, jobs)] + args
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, env=env)


def prepare_tree(root, jobs, log):
    """The prepared out-of-tree build directory for ROOT (created once)."""
    objdir = os.environ.get("DAXLINT_SPARSE_OBJDIR") or _cache(
        "build-" + tree_key(root))
    stamp = os.path.join(objdir, ".daxlint-prepared")
    if os.path.exists(stamp):
        return objdir
    os.makedirs(objdir, exist_ok=True)
    with open(os.path.join(objdir, ".daxlint-lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.exists(stamp):
            return objdir
        log("sparse: preparing %s in %s (defconfig + DAX filesystems, "
            "make prepare; once)" % (root, objdir))
        steps = [["defconfig"]]
        for st in steps:
            p = _make(root, objdir, st, jobs, log)
            if p.returncode != 0:
                raise RuntimeError("make %s failed: %s" % (
                    " ".join(st), p.stderr.strip()[-1500:]))
        cfg = [os.path.join(root, "scripts", "config"), "--file",
               os.path.join(objdir, ".config")]
        for c in CONFIG_ENABLE:
            cfg += ["-e", c]
        subprocess.run(cfg, check=True)
        for st in (["olddefconfig"], ["prepare"]):
            p = _make(root, objdir, st, jobs, log)
            if p.returncode != 0:
                raise RuntimeError("make %s failed: %s" % (
                    " ".join(st), p.stderr.strip()[-1500:]))
        with open(stamp, "w") as fh:
            fh.write("prepared by daxlint for %s\n" % root)
    return objdir


def _check_units(ctx, objdir, files, env, progress, errors):
    """kbuild's checker run over FILES, in one make -k (one kbuild start-up;
    -k because kbuild stops at the first object its Makefiles do not build
    with this config, and we want the rest)."""
    targets = [f[:-2] + ".o" for f in files]
    p = _make(ctx.root, objdir, ["-k", "C=2", "CHECK=" + BINARY] +
              MAKE_FLAGS + targets, min(ctx.jobs, 2), progress, env=env)
    if p.returncode == 0:
        return
    out = p.stdout + p.stderr
    crash = re.search(r"(Segmentation fault|Aborted|core dumped|"
                      r"Killed).*daxlint-sparse|daxlint-sparse.*"
                      r"(Segmentation|Aborted|core dumped)|"
                      r"Error 1[34][0-9]", out)
    if crash:
        errors.append("daxlint-sparse failed: %s" % p.stderr.strip()[-800:])
    for t in targets:
        if re.search(r"No rule to make target '[^']*%s'" % re.escape(t), out):
            progress("sparse: %s: no such kbuild target; skipped" % t)
        elif re.search(r"\[[^\]]*%s\] Error" % re.escape(t), out):
            # kbuild checks after compiling: a unit this config does not
            # build (CONFIG_USERFAULTFD=n ...) fails to compile and is
            # never checked
            progress("sparse: %s does not compile with this config "
                     "(not built by it); skipped" % t)


def _summaries(db, root):
    """{function: defining file (relative to ROOT)} of a summary file."""
    out = {}
    if os.path.exists(db):
        with open(db) as fh:
            for line in fh:
                w = line.split()
                if len(w) >= 2:
                    out.setdefault(w[0], os.path.relpath(w[1], root))
    return out


def _callers_elsewhere(root, paths, defs):
    """The .c files under PATHS that name a function of DEFS defined in
    another file: they need the summaries to be checked."""
    if not defs:
        return []
    out = []
    names = r"\b(%s)\b" % "|".join(sorted(defs))
    for f in sorted(_grep(root, paths, names)):
        with open(os.path.join(root, f), errors="replace") as fh:
            text = fh.read()
        if any(d != f and re.search(r"\b%s\b" % re.escape(n), text)
               for n, d in defs.items()):
            out.append(f)
    return out


def _under(f, paths):
    return any(p in ("", ".") or f == os.path.normpath(p) or
               f.startswith(os.path.normpath(p).rstrip("/") + "/")
               for p in paths)


def run_tree(ctx, rules, progress):
    """Two runs, like smatch's cross-function database: the first checks
    the candidate units and writes the summaries of their exported
    functions; the second re-checks, with those summaries, the units that
    call such a function defined in another unit (ext4's extents.c calling
    inode.c's ext4_break_layouts()).  The first run also covers the
    candidates of the checked files' directories, so that checking one file
    still knows its neighbours' summaries."""
    files = candidates(ctx.root, ctx.paths, rules)
    dirs = sorted(set(os.path.dirname(p) or "." for p in ctx.paths
                      if os.path.isfile(os.path.join(ctx.root, p))))
    first = sorted(set(files) | set(candidates(ctx.root, dirs, rules)
                                    if dirs else []))
    if not first:
        progress("sparse: no translation unit can contain a finding")
        return [], []
    objdir = prepare_tree(ctx.root, ctx.jobs, progress)
    errors = []
    # one kbuild at a time in a build directory (kbuild rewrites
    # include/config/kernel.release on every run)
    with open(os.path.join(objdir, ".daxlint-lock"), "w") as lock, \
            tempfile.TemporaryDirectory(prefix="daxlint-sparse-") as tmp:
        fcntl.flock(lock, fcntl.LOCK_EX)
        js, db = os.path.join(tmp, "1.json"), os.path.join(tmp, "sum1")
        none = os.path.join(tmp, "sum0")
        open(none, "w").close()
        env = _env(rules, ctx.profile, js)
        env["DAXLINT_SPARSE_QUIET"] = "1"
        env["DAXLINT_SPARSE_SUMMARY_OUT"] = db
        # a run with summaries, none yet: a call of another unit's function
        # does nothing the checker must guess at (the one-pass fallback)
        env["DAXLINT_SPARSE_SUMMARIES"] = none
        progress("sparse: %d translation unit(s): %s" % (
            len(first), " ".join(first[:8]) + (" ..." if len(first) > 8
                                                else "")))
        _check_units(ctx, objdir, first, env, progress, errors)
        findings = [f for f in _read_findings(js, ctx.root, rules)
                    if _under(f.file, ctx.paths)]
        # then the callers of summarised functions, again with the
        # summaries, until no new summary appears (wrappers of wrappers
        # across units); the newest summary of a function wins
        dbs, known = [db], {}
        for rnd in range(2, 5):
            defs = {}
            for d in dbs:
                defs.update(_summaries(d, ctx.root))
            new = {n: f for n, f in defs.items() if n not in known}
            known.update(new)
            again = _callers_elsewhere(ctx.root, ctx.paths, new)
            if not again:
                break
            progress("sparse: %d unit(s) call functions of other units, "
                     "checked again with their summaries: %s"
                     % (len(again), " ".join(again[:8])))
            js2 = os.path.join(tmp, "%d.json" % rnd)
            env = _env(rules, ctx.profile, js2)
            env["DAXLINT_SPARSE_QUIET"] = "1"
            env["DAXLINT_SPARSE_SUMMARIES"] = ":".join(reversed(dbs))
            dbs.append(os.path.join(tmp, "sum%d" % rnd))
            env["DAXLINT_SPARSE_SUMMARY_OUT"] = dbs[-1]
            _check_units(ctx, objdir, again, env, progress, errors)
            redone = set(again)
            findings = [f for f in findings if f.file not in redone] + \
                _read_findings(js2, ctx.root, rules)
    return findings, errors


def run(ctx, rules, progress):
    """Engine entry point: ctx has root, paths, profile, jobs, standalone."""
    if not rules:
        return [], []
    if not build(progress):
        return [], ["sparse engine: daxlint-sparse could not be built "
                    "(make -C sparse-plugin)"]
    if ctx.standalone:
        return run_standalone(ctx, rules, progress)
    return run_tree(ctx, rules, progress)
