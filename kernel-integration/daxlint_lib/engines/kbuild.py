"""What the engines that check a kernel tree through its own build share:
the out-of-tree build directory a tree is prepared in once (defconfig +
the DAX filesystems, olddefconfig, make prepare; prepare), with gcc for
the sparse engine and with clang (LLVM=-16) for the tidy engine; what a
unit's answer depends on besides its source (KbuildKeys); and why kbuild
did not build a unit (unbuilt_reason)."""
import fcntl
import hashlib
import os
import re
import subprocess

from .. import cache as cachemod
from ..srcfiles import read_text

# the kernel config a tree is prepared with: defconfig plus these
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
# why a unit was not checked when make's output does not say: never
# remembered, since it may pass next time
UNEXPLAINED = "not checked: does not compile with this config"


def tree_key(root, make_args=()):
    """The name of ROOT's build directory built with MAKE_ARGS (the
    compiler: LLVM=-16), its configuration and flags."""
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
    if make_args:
        h.update(("args:%s" % " ".join(make_args)).encode())
    return h.hexdigest()[:12]


def run_make(root, objdir, args, jobs, log, env=None):
    cmd = ["make", "-C", root, "O=" + objdir, "-j%d" % max(1, jobs)] + args
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, env=env)


def prepare(root, objdir, jobs, log, make_args=(), who="sparse",
            enable=()):
    """Prepare OBJDIR for ROOT once (defconfig + the DAX filesystems and
    ENABLE, make prepare), every make with MAKE_ARGS; OBJDIR."""
    stamp = os.path.join(objdir, ".daxlint-prepared")
    if os.path.exists(stamp):
        return objdir
    os.makedirs(objdir, exist_ok=True)
    with open(os.path.join(objdir, ".daxlint-lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.exists(stamp):
            return objdir
        log("%s: preparing %s in %s (defconfig + DAX filesystems, "
            "make prepare%s; once)" % (who, root, objdir, "".join(
                " " + a for a in make_args)))
        p = run_make(root, objdir, list(make_args) + ["defconfig"], jobs, log)
        if p.returncode != 0:
            raise RuntimeError("make defconfig failed: %s"
                               % p.stderr.strip()[-1500:])
        cfg = [os.path.join(root, "scripts", "config"), "--file",
               os.path.join(objdir, ".config")]
        for c in CONFIG_ENABLE + list(enable):
            cfg += ["-e", c]
        for c in CONFIG_DISABLE:
            cfg += ["-d", c]
        subprocess.run(cfg, check=True)
        for st in (["olddefconfig"], ["prepare"]):
            p = run_make(root, objdir, list(make_args) + st, jobs, log)
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


def unbuilt_reason(root, objdir, arch, unit, make_out):
    """(why kbuild did not build UNIT, the line of its first compile
    error, the other architecture it belongs to or None), from make's
    output and the tree's Makefiles and Kconfig."""
    obj = unit[:-2] + ".o"
    if re.search(r"No rule to make target '[^']*%s'" % re.escape(obj),
                 make_out):
        return "not checked: no kbuild target %s" % obj, None, None
    unset = config_gate(root, objdir, unit)
    for c in unset:
        arches = kconfig_arches(root, c)
        if arches and arch not in arches:
            # hostfs: only arch/um can enable it, so it is no part of
            # the kernel being checked (like a unit under arch/um/)
            return ("not checked: unit of arch/%s (%s is defined only "
                    "there), this build is %s" % (
                        "/".join(arches), c, arch)), None, arches[0]
    if unset:
        return "not checked: not built by this config (%s not set)" % (
            ", ".join(unset)), None, None
    for l in make_out.splitlines():
        m = re.match(r"\S*%s:(\d+):(?:\d+:)? ((fatal )?error: .*)" %
                     re.escape(unit), l)
        if m:
            return ("not checked: does not compile with this config: "
                    "%s" % m.group(2)[:300]), int(m.group(1)), None
    return UNEXPLAINED, None, None


class KbuildKeys:
    """What a unit's answer depends on besides its own text and the
    headers it read: the build's configuration and the Makefiles that
    turn it into the unit's command line.  CONTENT digests a file."""

    def __init__(self, root, objdir, content):
        self.root = root
        self.objdir = objdir
        self.content = content
        self._mk = {}
        self._ident = None

    def digest_or_none(self, path):
        try:
            return self.content(path)
        except OSError:
            return None

    def norm(self, full, roots=()):
        """FULL (an absolute path) as what a cached record keeps: S:<path
        in the tree> (ROOTS: other spellings of the tree's path), O:<path
        in the build directory>, else FULL."""
        for tag, base in ([("S", r) for r in roots] +
                          [("S", self.root), ("O", self.objdir)]):
            if full.startswith(base + "/"):
                return "%s:%s" % (tag, full[len(base) + 1:])
        return full

    def denorm(self, p):
        if p.startswith("S:"):
            return os.path.join(self.root, p[2:])
        if p.startswith("O:"):
            return os.path.join(self.objdir, p[2:])
        return p

    def build_identity(self):
        """What decides kbuild's command line for every unit: the
        configuration it made and the Makefiles that turn it into flags."""
        if self._ident is None:
            parts = []
            for rel in ["Makefile", "scripts/Kbuild.include",
                        "arch/x86/Makefile"] + sorted(
                            "scripts/" + f for f in os.listdir(
                                os.path.join(self.root, "scripts"))
                            if f.startswith("Makefile")):
                parts.append("%s %s" % (rel, self.digest_or_none(
                    os.path.join(self.root, rel))))
            for rel in (".config", "include/config/auto.conf"):
                parts.append("O:%s %s" % (rel, self.digest_or_none(
                    os.path.join(self.objdir, rel))))
            self._ident = cachemod.digest(*parts)
        return self._ident

    def unit_makefiles(self, unit):
        """The Makefiles (Kbuild files) of the unit's directory and its
        parents: they add the unit's own flags."""
        d = os.path.dirname(unit)
        if d not in self._mk:
            parts = []
            cur = d
            while cur:
                for name in ("Makefile", "Kbuild"):
                    p = os.path.join(self.root, cur, name)
                    if os.path.exists(p):
                        parts.append("%s %s" % (os.path.join(cur, name),
                                                self.digest_or_none(p)))
                cur = os.path.dirname(cur)
            self._mk[d] = cachemod.digest(*parts)
        return self._mk[d]
