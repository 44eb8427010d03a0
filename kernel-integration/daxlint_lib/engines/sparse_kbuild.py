"""The sparse engine's kernel build: the out-of-tree build directory a
kernel tree is prepared in once (defconfig + the DAX filesystems,
olddefconfig, make prepare; prepare_tree), and kbuild's own checker run
over the units (check_units: make C=2 CHECK=daxlint-sparse), with what its
configuration and Makefiles tell about a unit it does not build."""
import fcntl
import hashlib
import os
import re
import subprocess

from ..cachedir import cache_dir
from ..srcfiles import read_text
from .sparse_checker import BINARY

# the kernel config the tree is prepared with: defconfig plus these
CONFIG_ENABLE = [
    "BLOCK", "FS_DAX", "DAX", "ZONE_DEVICE", "MEMORY_HOTPLUG",
    "MEMORY_HOTREMOVE", "SPARSEMEM_VMEMMAP", "LIBNVDIMM", "BLK_DEV_PMEM",
    "ND_CLAIM", "ND_BTT", "ND_PFN", "NVDIMM_PFN", "NVDIMM_DAX", "DEV_DAX",
    "DEV_DAX_PMEM", "XFS_FS", "EXT2_FS", "EXT4_FS", "FUSE_FS", "CUSE",
    "VIRTIO", "VIRTIO_PCI", "VIRTIO_FS", "FUSE_DAX", "TRANSPARENT_HUGEPAGE",
    # erofs has DAX inodes too (6.1 has no candidate unit there; 6.15+
    # truncates them in erofs_evict_inode)
    "EROFS_FS",
    # units that call the rules' APIs and that defconfig does not build
    # (kbuild compiles a unit before it checks it: one it does not build
    # is never checked): mm/ksm.c, fs/userfaultfd.c and mm/userfaultfd.c,
    # mm/damon/paddr.c, fs/verity/enable.c, btrfs's extent-io-tests.c,
    # nouveau_svm.c
    "KSM", "USERFAULTFD", "DAMON", "DAMON_PADDR", "FS_VERITY", "BTRFS_FS",
    "BTRFS_FS_RUN_SANITY_TESTS", "DEVICE_PRIVATE", "STAGING", "DRM",
    "DRM_NOUVEAU", "DRM_NOUVEAU_SVM",
    # xfs's realtime and (6.15+) zoned devices: xfs_zone_gc.c breaks the
    # layouts of the inodes it moves
    "XFS_RT",
]
# and without these: with 5-level paging x86's pgd_clear() is a ?: of void
# and int, which sparse 0.6.4 rejects (an error in free_p4d_range(),
# mm/memory.c:327 on 6.1); with 4 levels it is asm-generic's inline
CONFIG_DISABLE = ["X86_5LEVEL"]
CONFIG_VERSION = "2"
# kbuild checks a unit only once it compiled: with CONFIG_WERROR (set by
# defconfig) a warning would hide the unit from the checker, and the edit
# that breaks an invariant is often the one that warns (a put removed
# leaves its static helper unused), so warnings stay warnings.  Part of the
# build key: objects built with other flags live in another directory.
MAKE_FLAGS = ["KCFLAGS=-Wno-error"]


def tree_key(root):
    h = hashlib.sha1()
    h.update(os.path.realpath(root).encode())
    for name in ("Makefile",):
        try:
            st = os.stat(os.path.join(root, name))
            h.update(("%s:%d:%d" % (name, st.st_size, int(st.st_mtime))).encode())
        except OSError:
            pass
    h.update(("config-%s:%s-%s" % (CONFIG_VERSION, ",".join(CONFIG_ENABLE),
                                   ",".join(CONFIG_DISABLE))).encode())
    h.update(("make:%s" % " ".join(MAKE_FLAGS)).encode())
    return h.hexdigest()[:12]


def run_make(root, objdir, args, jobs, log, env=None):
    cmd = ["make", "-C", root, "O=" + objdir, "-j%d" % max(1, jobs)] + args
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, env=env)


def prepare_tree(root, jobs, log):
    """The prepared out-of-tree build directory for ROOT (created once)."""
    objdir = os.environ.get("DAXLINT_SPARSE_OBJDIR") or cache_dir(
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
            p = run_make(root, objdir, st, jobs, log)
            if p.returncode != 0:
                raise RuntimeError("make %s failed: %s" % (
                    " ".join(st), p.stderr.strip()[-1500:]))
        cfg = [os.path.join(root, "scripts", "config"), "--file",
               os.path.join(objdir, ".config")]
        for c in CONFIG_ENABLE:
            cfg += ["-e", c]
        for c in CONFIG_DISABLE:
            cfg += ["-d", c]
        subprocess.run(cfg, check=True)
        for st in (["olddefconfig"], ["prepare"]):
            p = run_make(root, objdir, st, jobs, log)
            if p.returncode != 0:
                raise RuntimeError("make %s failed: %s" % (
                    " ".join(st), p.stderr.strip()[-1500:]))
        with open(stamp, "w") as fh:
            fh.write("prepared by daxlint for %s\n" % root)
    return objdir


def build_arch(objdir):
    """The kernel architecture (SRCARCH) a prepared build is for."""
    m = re.search(r"^# Linux/(\S+) ",
                  read_text(os.path.join(objdir, ".config")), re.M)
    return m.group(1) if m else None


def config_gate(root, objdir, unit):
    """The CONFIG_ symbols, not set in the build's .config, of the
    Makefile lines of UNIT's directory that name its object, and of those
    that name the composite object it is linked into (hostfs-objs :=
    hostfs_kern.o, obj-$(CONFIG_HOSTFS) += hostfs.o): the reason kbuild
    does not build it."""
    d, obj = os.path.split(unit[:-2] + ".o")
    text = read_text(os.path.join(root, d, "Kbuild")) + "\n" + \
        read_text(os.path.join(root, d, "Makefile"))
    lines = text.replace("\\\n", " ").splitlines()
    config = read_text(os.path.join(objdir, ".config"))
    unset, todo, seen = [], [obj], set()
    while todo:
        o = todo.pop()
        if o in seen:
            continue
        seen.add(o)
        for l in lines:
            if not re.search(r"(^|[\s=])%s\b" % re.escape(o), l):
                continue
            for c in re.findall(r"\$\((CONFIG_\w+)\)", l):
                if not re.search(r"^%s=[ym]" % c, config, re.M) and \
                        c not in unset:
                    unset.append(c)
            m = re.match(r"\s*([\w-]+?)-(?:objs|y|\$\(CONFIG_\w+\))\s*[:+]?=",
                         l)
            if m and m.group(1) not in ("obj", "lib", "subdir", "always"):
                todo.append(m.group(1) + ".o")
    return unset


_KCONFIG = {}


def kconfig_arches(root, sym):
    """The architectures whose arch/<arch>/ Kconfig files define SYM
    (CONFIG_ prefix or not); None when it is defined outside arch/ too,
    or nowhere.  One walk of the tree's Kconfig files, on first use."""
    if root not in _KCONFIG:
        where = {}
        for d, subs, files in os.walk(root):
            subs[:] = [s for s in subs if not s.startswith(".")]
            rel = os.path.relpath(d, root).split(os.sep)
            place = rel[1] if rel[0] == "arch" and len(rel) > 1 else ""
            for f in files:
                if f.startswith("Kconfig"):
                    for n in re.findall(r"^\s*(?:menu)?config\s+(\w+)",
                                        read_text(os.path.join(d, f)), re.M):
                        where.setdefault(n, set()).add(place)
        _KCONFIG[root] = where
    places = _KCONFIG[root].get(sym[len("CONFIG_"):] if
                                sym.startswith("CONFIG_") else sym)
    return sorted(places) if places and "" not in places else None


def check_units(ctx, objdir, files, env, progress):
    """kbuild's checker run over FILES, in one make -k (one kbuild start-up;
    -k because kbuild stops at the first object its Makefiles do not build
    with this config, and we want the rest).  Make's output: what tells
    a unit that does not compile from one that is no target."""
    targets = [f[:-2] + ".o" for f in files]
    p = run_make(ctx.root, objdir, ["-k", "C=2", "CHECK=" + BINARY] +
                 MAKE_FLAGS + targets, min(ctx.jobs, 2), progress, env=env)
    return "" if p.returncode == 0 else p.stdout + p.stderr
