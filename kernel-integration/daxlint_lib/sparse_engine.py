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

# a translation unit that matches none of these cannot contain a finding:
# the engine's summaries never leave a translation unit
PREFILTER = (r"xfs_break_layouts|dax_layout_busy_page|dax_layout_lock|"
             r"ext4_break_layouts|fuse_dax_break_layouts|"
             r"xfs_break_dax_layouts|"
             r"follow_page_mask|gup_pgd_range|dev_pagemap_get_ops|"
             r"dev_pagemap_put_ops|devmap_managed_key|device_private_key")

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


def candidates(root, paths):
    """The .c files under PATHS (relative to ROOT) worth checking."""
    cmd = ["grep", "-rlE", "--include=*.c", "-e", PREFILTER, "--"] + list(paths)
    p = subprocess.run(cmd, cwd=root, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode not in (0, 1):
        raise RuntimeError("grep failed: %s" % p.stderr.strip())
    return sorted(set(os.path.normpath(l) for l in p.stdout.splitlines() if l))


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


def run_tree(ctx, rules, progress):
    files = candidates(ctx.root, ctx.paths)
    if not files:
        progress("sparse: no translation unit can contain a finding")
        return [], []
    objdir = prepare_tree(ctx.root, ctx.jobs, progress)
    errors = []
    with tempfile.TemporaryDirectory(prefix="daxlint-sparse-") as tmp:
        js = os.path.join(tmp, "findings.json")
        env = _env(rules, ctx.profile, js)
        env["DAXLINT_SPARSE_QUIET"] = "1"
        progress("sparse: %d translation unit(s): %s" % (
            len(files), " ".join(files[:8]) + (" ..." if len(files) > 8
                                                else "")))
        targets = [f[:-2] + ".o" for f in files]
        # one make per target: kbuild stops at the first object its
        # Makefiles do not build with this config, and we want the rest.
        # kbuild checks a unit only once it compiled: a warning that
        # CONFIG_WERROR (on in defconfig) turns into an error, such as a
        # helper left unused by the very bug being checked, must not hide
        # the unit from the checker (KCFLAGS come after -Werror)
        for t in targets:
            p = _make(ctx.root, objdir, ["C=2", "CHECK=" + BINARY,
                                         "KCFLAGS=-Wno-error", t],
                      min(ctx.jobs, 2), progress, env=env)
            if p.returncode != 0:
                out = p.stdout + p.stderr
                crash = re.search(r"(Segmentation fault|Aborted|core dumped|"
                                  r"Killed).*daxlint-sparse|daxlint-sparse.*"
                                  r"(Segmentation|Aborted|core dumped)|"
                                  r"Error 1[34][0-9]", out)
                if crash:
                    errors.append("daxlint-sparse failed on %s: %s" % (
                        t, p.stderr.strip()[-800:]))
                elif "No rule to make target" in out:
                    progress("sparse: %s: no such kbuild target; skipped" % t)
                else:
                    # kbuild checks after compiling: a unit this config
                    # does not build (CONFIG_USERFAULTFD=n ...) fails to
                    # compile and is never checked
                    progress("sparse: %s does not compile with this config "
                             "(not built by it); skipped" % t)
        findings = _read_findings(js, ctx.root, rules)
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
