"""The sparse engine: daxlint-sparse (sparse-plugin/), a lock-state checker
built on sparse's library, run on fully preprocessed code.

Standalone files (fixtures, --profile given) are checked directly:
  daxlint-sparse -I<file's dir> -I kernel-integration/include
                 -DDAXLINT_PROFILE_<P>
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
import concurrent.futures
import fcntl
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile

from . import INCLUDE, TOP, api, cache as cachemod
from .cachedir import cache_dir
from .findings import Finding, tool_error
from .srcfiles import c_files, grep, within

PLUGIN = os.path.join(TOP, "sparse-plugin")
BINARY = os.path.join(PLUGIN, "build", "daxlint-sparse")

# a translation unit that names none of these APIs, and calls no function
# that the first run summarised in another unit, cannot contain a finding;
# pagemap-ops-balance needs a get of the pair (or the key itself) in the
# unit, and devmap-put only counts a drop whose name is written at the call
# (the checker reads the source line: a drop that only a header's macro
# expands to is none).  By rule: a unit (or function) the engine could not
# check is a blind spot for the rules whose APIs it names.  The names are
# the API table's rows of these kinds that both engines hold (the source
# spellings: sparse-only rows are what a macro expands to), each ending at
# a word boundary (folio_put is not folio_putback_lru).
RULE_KINDS = {
    "break-layouts-mmaplock": ("break-layouts",),
    "busy-page-locked": ("break-layouts", "busy-page"),
    "busy-page-wait": ("break-layouts", "busy-page"),
    "gup-layout-lock": ("layout-lock", "gup-walk"),
    "pagemap-ops-balance": ("pgmap-get", "pgmap-put", "pgmap-key"),
    "devmap-put": ("page-drop",),
}
RULE_APIS = dict((r, [re.escape(n) + r"\b" for n in api.source_names(k)])
                 for r, k in RULE_KINDS.items())
PREFILTER = "|".join(sorted(set(p for ps in RULE_APIS.values()
                                for p in ps)))

# unmap-breaks-layouts: every truncation the rule reports is a call of a
# truncation primitive (or of a block-freeing routine it only learns next
# to one) in a filesystem that has DAX inodes: a directory whose code calls
# the fs-DAX API, which is what the Coccinelle rule's prefilter selects
# (read from its header: one definition for both engines).  So the units
# that can hold a finding, or tell another unit of their directory what
# they truncate (their summaries), are those that call a primitive in such
# a directory; an entry point that only reaches them through calls is
# checked again with their summaries (run_tree).  A standalone unit (no
# tree) must name DAX or a layout break itself.
# (a primitive's name is matched as a prefix, as the checker knows them)
UNMAP_PREFILTER = [r"\b(%s)" % "|".join(
    re.escape(n) for n in api.names(("truncate", "truncate-final"))),
                   r"[dD][aA][xX]|break_layouts"]
UNMAP_RULE = "unmap-breaks-layouts"
_DAX_FS_DIRS = {}


def unmap_dir_header():
    """The header of cocci/unmap-breaks-layouts.cocci: its prefilter."""
    from .engines import cocci_spatch
    return cocci_spatch.read_header(cocci_spatch.rule_file(UNMAP_RULE))


def dax_fs_dir(root, d):
    """Does directory D (relative to ROOT) hold a filesystem with a DAX
    aops, by the Coccinelle rule's prefilter (its .c files, not below)?"""
    key = (os.path.realpath(root), d)
    if key not in _DAX_FS_DIRS:
        from .engines import cocci_select
        hdr = unmap_dir_header()
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


def _read(path):
    try:
        with open(path, errors="replace") as fh:
            return fh.read()
    except OSError:
        return ""


def enclosing_function(path, line):
    """(name, text) of the function whose body holds LINE of PATH, kernel
    style (the body's braces in column 0), or (None, that line)."""
    lines = _read(path).splitlines()
    cand, start = None, None
    for i, l in enumerate(lines[:line], 1):
        m = re.match(r"[A-Za-z_][^;=]*?\b(\w+)\s*\(", l)
        if m and start is None:
            cand = (m.group(1), i)
        elif l.startswith("{") and cand:
            start = cand
        elif l.startswith("}"):
            start, cand = None, None
    if start is None:
        return None, lines[line - 1] if 0 < line <= len(lines) else ""
    end = start[1]
    while end < len(lines) and not lines[end].startswith("}"):
        end += 1
    return start[0], "\n".join(lines[start[1] - 1:end + 1])


ERROR_RX = re.compile(r"^(.*?):(\d+):(\d+): error: (.*)$")


def sparse_error_records(lines, root, rules, rel=None, unmap_dir=None):
    """Sparse's "error:" lines of a checked unit as error records, one a
    function: an error can cut the analysis of the function it is in.
    UNMAP_DIR(file): whether the file's directory is a DAX filesystem's."""
    out, seen = [], {}
    for l in lines:
        m = ERROR_RX.match(l)
        if not m:
            continue
        path = os.path.join(root, m.group(1))
        line = int(m.group(2))
        fn, text = enclosing_function(path, line)
        f = rel(path) if rel else os.path.relpath(path, root)
        key = (f, fn or line)
        if key in seen:
            seen[key]["n"] += 1
            continue
        seen[key] = {"n": 1, "rec": tool_error(
            "sparse", "sparse error: %s" % m.group(4), file=f, line=line,
            function=fn, rules=rules_named_in(
                text, rules, unmap_dir(f) if unmap_dir else None))}
        out.append(seen[key])
    for e in out:
        if e["n"] > 1:
            e["rec"]["reason"] += " (and %d more error(s) there)" % (
                e["n"] - 1)
    return [e["rec"] for e in out]


# what daxlint-sparse prints when it stops before the end of its unit
# (main.c), and the status it then exits with
STOP_MARK = "daxlint-sparse: checker stopped: "
EXIT_STOPPED = 70


def stop_reason(log, rc=None):
    """Why the checker did not finish a unit it was started on, from its
    log (and exit status when known): always a checker failure, never a
    build failure."""
    lines = [l for l in log.splitlines() if l.strip()]
    marks = [l[len(STOP_MARK):] for l in lines if l.startswith(STOP_MARK)]
    before = [l for l in lines if not l.startswith(STOP_MARK)]
    last = (": " + before[-1].strip()[:300]) if before else ""
    if marks and marks[0].startswith("fatal signal"):
        return "checker crashed (%s)" % marks[0]
    if marks:
        return "checker died (sparse die()/error_die())%s" % last
    if rc == EXIT_STOPPED:
        return "checker died (sparse die()/error_die())%s" % last
    if rc is not None and (rc < 0 or rc >= 128):
        return "checker crashed (signal %d)" % (-rc if rc < 0 else rc - 128)
    return "checker stopped before the end of the unit (%s)%s" % (
        "exit status %d" % rc if rc is not None else "killed?", last)

PROFILE_DEFINE = {"v7": "DAXLINT_PROFILE_V7", "v4.18": "DAXLINT_PROFILE_V4_18",
                  "v5.15": "DAXLINT_PROFILE_V5_15"}

# the kernel config the tree is prepared with: defconfig plus these
CONFIG_ENABLE = [
    "BLOCK", "FS_DAX", "DAX", "ZONE_DEVICE", "MEMORY_HOTPLUG",
    "MEMORY_HOTREMOVE", "SPARSEMEM_VMEMMAP", "LIBNVDIMM", "BLK_DEV_PMEM",
    "ND_CLAIM", "ND_BTT", "ND_PFN", "NVDIMM_PFN", "NVDIMM_DAX", "DEV_DAX",
    "DEV_DAX_PMEM", "XFS_FS", "EXT2_FS", "EXT4_FS", "FUSE_FS", "CUSE",
    "VIRTIO", "VIRTIO_PCI", "VIRTIO_FS", "FUSE_DAX", "TRANSPARENT_HUGEPAGE",
    # units that call the rules' APIs and that defconfig does not build
    # (kbuild compiles a unit before it checks it: one it does not build
    # is never checked): mm/ksm.c, fs/userfaultfd.c and mm/userfaultfd.c,
    # mm/damon/paddr.c, fs/verity/enable.c, btrfs's extent-io-tests.c,
    # nouveau_svm.c
    "KSM", "USERFAULTFD", "DAMON", "DAMON_PADDR", "FS_VERITY", "BTRFS_FS",
    "BTRFS_FS_RUN_SANITY_TESTS", "DEVICE_PRIVATE", "STAGING", "DRM",
    "DRM_NOUVEAU", "DRM_NOUVEAU_SVM",
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


def plugin_sources():
    """The files daxlint-sparse is built from: its sources and headers,
    the .def files they include (checks.def, api.def) and the Makefile."""
    return sorted(f for f in os.listdir(PLUGIN)
                  if f.endswith((".c", ".h", ".def")) or f == "Makefile")


def build(log=lambda s: None):
    """Build daxlint-sparse (and sparse's library in the cache) if needed."""
    srcs = [os.path.join(PLUGIN, f) for f in plugin_sources()]
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


def candidates(root, paths, rules=None):
    """The .c files under PATHS (relative to ROOT) worth checking for RULES
    (default: every rule)."""
    files = set(grep(root, paths, PREFILTER))
    if rules is None or UNMAP_RULE in rules:
        files |= set(f for f in grep(root, paths, UNMAP_PREFILTER[0])
                     if dax_fs_dir(root, os.path.dirname(f)))
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
            files = c_files(ctx.root, [path])
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
                text = "".join(_read(f) for f in full)
                errors.append(tool_error(
                    "sparse", stop_reason(p.stderr, p.returncode),
                    file=os.path.relpath(full[0], ctx.root),
                    rules=rules_named_in(text, rules)))
            else:
                errors += sparse_error_records(p.stderr.splitlines(),
                                               ctx.root, rules)
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
    h.update(("config-%s:%s-%s" % (CONFIG_VERSION, ",".join(CONFIG_ENABLE),
                                   ",".join(CONFIG_DISABLE))).encode())
    h.update(("make:%s" % " ".join(MAKE_FLAGS)).encode())
    return h.hexdigest()[:12]


def _make(root, objdir, args, jobs, log, env=None):
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
            p = _make(root, objdir, st, jobs, log)
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
            p = _make(root, objdir, st, jobs, log)
            if p.returncode != 0:
                raise RuntimeError("make %s failed: %s" % (
                    " ".join(st), p.stderr.strip()[-1500:]))
        with open(stamp, "w") as fh:
            fh.write("prepared by daxlint for %s\n" % root)
    return objdir


# ---- per-unit runs and the results cache --------------------------------
_CHECKER = []


def checker_identity():
    """What the checker is made of: its sources (the .def files too: they
    are compiled in), the sparse library it is linked with and the
    compiler.  Not the binary itself, whose debug
    information names the directory it was built in: two checkouts of the
    same sources share their cached answers."""
    if not _CHECKER:
        parts = []
        for f in plugin_sources():
            parts.append("%s %s" % (f, cachemod.file_digest(
                os.path.join(PLUGIN, f))))
        lib = None
        try:
            with open(os.path.join(PLUGIN, "build", ".sparse-dir")) as fh:
                lib = os.path.join(fh.read().strip(), "libsparse.a")
        except OSError:
            pass
        if lib is None or not os.path.exists(lib):
            # no record of the library used: the binary itself
            parts.append("binary %s" % cachemod.file_digest(BINARY))
        else:
            parts.append("libsparse %s" % cachemod.file_digest(lib))
        cc = subprocess.run(["cc", "--version"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True).stdout
        parts.append(cc)
        _CHECKER.append(cachemod.digest(*parts))
    return _CHECKER[0]

# Each run of the checker on a unit writes its findings, summaries, log and
# a record of what it read (unit_record.c) into DAXLINT_SPARSE_OUTDIR.  A
# unit's answer is cached under its source's content and the build's
# identity, as variants: a variant is reused while every file the
# preprocessor read has the same content and every summary the checker
# looked up is the same as it was.  A unit checked once through kbuild
# leaves its exact command line; a later miss is checked with it directly,
# without kbuild (no make start-up, no compile).
MAX_VARIANTS = 4


def _unit_id(path):
    return path.replace("/", "%")


class UnitRunner:
    def __init__(self, ctx, objdir, rules, progress):
        self.ctx = ctx
        self.given_root = os.path.abspath(ctx.root)   # as kbuild names it
        self.root = os.path.realpath(ctx.root)
        self.objdir = os.path.realpath(objdir)
        self.rules = rules
        self.progress = progress
        self.cache = getattr(ctx, "cache", None)
        self._mk = {}
        self._ident = None
        self._ekey = None
        self.arch = build_arch(self.objdir)
        # without a cache, still once per run: every unit lists the
        # hundreds of headers it read, and later rounds reuse the command
        # lines kbuild gave the first
        self.content = (self.cache or cachemod.Digests()).content
        self.argvs = {}

    # -- keys --

    def _digest_or_none(self, path):
        try:
            return self.content(path)
        except OSError:
            return None

    def engine_key(self):
        if self._ekey is None:
            self._ekey = cachemod.digest(
                "sparse", cachemod.FORMAT, checker_identity(),
                ",".join(sorted(self.rules)), self.ctx.profile,
                " ".join(MAKE_FLAGS), CONFIG_VERSION, ",".join(CONFIG_ENABLE),
                ",".join(CONFIG_DISABLE))
        return self._ekey

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
                parts.append("%s %s" % (rel, self._digest_or_none(
                    os.path.join(self.root, rel))))
            for rel in (".config", "include/config/auto.conf"):
                parts.append("O:%s %s" % (rel, self._digest_or_none(
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
                                                self._digest_or_none(p)))
                cur = os.path.dirname(cur)
            self._mk[d] = cachemod.digest(*parts)
        return self._mk[d]

    def unit_key(self, unit):
        return cachemod.digest(
            self.engine_key(), self.build_identity(),
            self.unit_makefiles(unit), unit,
            self.content(os.path.join(self.root, unit)))

    def argv_key(self, unit):
        # -2: the command lines recorded before unit_record.c kept a copy
        # of argv lost every -DNAME=VALUE's value
        return cachemod.digest("sparse-argv-2", self.objdir,
                               self.build_identity(),
                               self.unit_makefiles(unit), unit)

    # -- what a run read --
    def norm(self, path, cwd):
        full = os.path.normpath(os.path.join(cwd, path))
        for tag, base in (("S", self.given_root), ("S", self.root),
                          ("O", self.objdir)):
            if full.startswith(base + "/"):
                return "%s:%s" % (tag, full[len(base) + 1:])
        return full

    def denorm(self, p):
        if p.startswith("S:"):
            return os.path.join(self.root, p[2:])
        if p.startswith("O:"):
            return os.path.join(self.objdir, p[2:])
        return p

    def rel(self, path):
        full = os.path.realpath(path)
        return os.path.relpath(full, self.root) \
            if full.startswith(self.root + "/") else full

    # -- summaries --
    @staticmethod
    def effective(dbs):
        """{name: summary without its file} as the checker sees DBS (the
        newest database first, the first line of a name wins)."""
        out = {}
        for db in reversed(dbs):
            for line in db:
                out.setdefault(line[0], " ".join(line[2:]))
        return out

    def write_dbs(self, dbs, tmp):
        paths = []
        for i, db in enumerate(dbs):
            p = os.path.join(tmp, "sum%d" % i)
            with open(p, "w") as fh:
                for line in db:
                    fh.write(" ".join([line[0],
                                       os.path.join(self.root, line[1])] +
                                      line[2:]) + "\n")
            paths.append(p)
        return ":".join(reversed(paths))

    # -- the cache --
    def lookup(self, unit, eff):
        if not self.cache:
            return None
        rec = self.cache.get(self.unit_key(unit))
        for v in (rec or {}).get("variants", ()):
            if all(self._digest_or_none(self.denorm(p)) == d
                   for p, d in v["read"].items()) and \
                    all(eff.get(n) == s for n, s in v["lookups"].items()):
                return v
        return None

    def store(self, unit, variant):
        if not self.cache:
            return
        key = self.unit_key(unit)
        rec = self.cache.get(key) or {"variants": []}
        vs = [variant] + [v for v in rec["variants"]
                          if v["read"] != variant["read"] or
                          v["lookups"] != variant["lookups"]]
        self.cache.put(key, {"variants": vs[:MAX_VARIANTS]})

    # -- runs --
    def _env(self, outdir, summaries):
        env = _env(self.rules, self.ctx.profile, os.devnull)
        env["DAXLINT_SPARSE_OUTDIR"] = outdir
        env["DAXLINT_SPARSE_SUMMARIES"] = summaries
        return env

    def collect(self, unit, outdir, eff):
        """The variant a run left in OUTDIR for UNIT, or None when the
        checker did not run to the end on it."""
        base = os.path.join(outdir,
                            _unit_id(os.path.join(self.given_root, unit)))
        try:
            with open(base + ".info") as fh:
                info = json.load(fh)
        except (OSError, ValueError):
            return None
        read = {}
        for p in info["read"]:
            full = os.path.normpath(os.path.join(info["cwd"], p))
            if os.path.isfile(full):
                read[self.norm(p, info["cwd"])] = self._digest_or_none(full)
        findings = []
        if os.path.exists(base + ".json"):
            with open(base + ".json") as fh:
                for line in fh:
                    if line.strip():
                        d = json.loads(line)
                        d["file"] = self.rel(os.path.join(info["cwd"],
                                                          d["file"]))
                        findings.append(d)
        summary = []
        if os.path.exists(base + ".sum"):
            with open(base + ".sum") as fh:
                for line in fh:
                    w = line.split()
                    if len(w) >= 2:
                        summary.append([w[0], self.rel(w[1])] + w[2:])
        with open(base + ".log", errors="replace") as fh:
            errs = [l.rstrip() for l in fh if ": error: " in l]
        argv = {"cwd": info["cwd"], "argv": info["argv"][1:]}
        self.argvs[unit] = argv
        if self.cache:
            self.cache.put(self.argv_key(unit), argv)
        return {"read": read,
                "lookups": dict((n, eff.get(n)) for n in info["lookups"]),
                "findings": findings, "summary": sorted(summary),
                "errors": errs}

    # -- units the checker could not check --
    def unit_rules(self, unit):
        return rules_named_in(_read(os.path.join(self.root, unit)),
                              self.rules,
                              dax_fs_dir(self.root, os.path.dirname(unit)))

    def blind(self, unit, reason, rules=None, line=None):
        fn = enclosing_function(os.path.join(self.root, unit), line)[0] \
            if line else None
        return tool_error("sparse", reason, file=unit, line=line,
                          function=fn, rules=(self.unit_rules(unit)
                                              if rules is None else rules))

    def foreign(self, unit):
        """The architecture of a unit of another one than the build's."""
        parts = unit.split("/")
        if len(parts) > 2 and parts[0] == "arch" and self.arch and \
                parts[1] != self.arch:
            return parts[1]
        return None

    def log_of(self, unit, outdir):
        """The unit's log when the checker was started on it, else None."""
        base = os.path.join(outdir,
                            _unit_id(os.path.join(self.given_root, unit)))
        return _read(base + ".log") if os.path.exists(base + ".log") \
            else None

    def unbuilt_reason(self, unit, make_out):
        """(why kbuild never ran the checker on UNIT, the line of its first
        compile error), from make's output."""
        obj = unit[:-2] + ".o"
        if re.search(r"No rule to make target '[^']*%s'" % re.escape(obj),
                     make_out):
            return "not checked: no kbuild target %s" % obj, None
        unset = config_gate(self.root, self.objdir, unit)
        if unset:
            return "not checked: not built by this config (%s not set)" % (
                ", ".join(unset)), None
        for l in make_out.splitlines():
            m = re.match(r"\S*%s:(\d+):(?:\d+:)? ((fatal )?error: .*)" %
                         re.escape(unit), l)
            if m:
                return ("not checked: does not compile with this config: "
                        "%s" % m.group(2)[:300]), int(m.group(1))
        return UNEXPLAINED, None

    # -- runs --
    def run_direct(self, unit, argv, cwd, summaries, eff):
        with tempfile.TemporaryDirectory(prefix="daxlint-sparse-") as out:
            p = subprocess.run([BINARY] + argv, cwd=cwd,
                               env=self._env(out, summaries),
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
            v = self.collect(unit, out, eff)
            if v is None:
                log = self.log_of(unit, out)
                return None, stop_reason(log or "", p.returncode)
            return v, None

    def run_kbuild(self, units, summaries, eff):
        """{unit: (variant or None, None or (reason, is_build_failure,
        line))}"""
        out = tempfile.mkdtemp(prefix="daxlint-sparse-")
        try:
            make_out = _check_units(self.ctx, self.objdir, units,
                                    self._env(out, summaries), self.progress)
            res = {}
            for u in units:
                v = self.collect(u, out, eff)
                if v is not None:
                    res[u] = (v, None)
                    continue
                log = self.log_of(u, out)
                if log is not None:
                    # the checker ran on it: its failure, not the build's
                    res[u] = (None, (stop_reason(log), False, None))
                else:
                    why, line = self.unbuilt_reason(u, make_out)
                    # only a failure make's output explains is the unit's
                    # own; anything else (make stopped early, a race in the
                    # build directory) may pass next time: not remembered
                    res[u] = (None, (why, why != UNEXPLAINED, line))
            return res
        finally:
            shutil.rmtree(out, ignore_errors=True)

    def check(self, units, dbs, tmp, errors):
        """{unit: variant} for UNITS under the summaries DBS; a unit that
        could not be checked adds an error record to ERRORS."""
        eff = self.effective(dbs)
        res, todo = {}, []
        for u in units:
            arch = self.foreign(u)
            if arch:
                # not part of this build's kernel, and no config builds it
                # here: listed, with the rules it names, but it cannot
                # hide a finding in the kernel being checked
                named = self.unit_rules(u)
                errors.append(self.blind(u, (
                    "not checked: unit of arch/%s, this build is %s%s" % (
                        arch, self.arch, " (names the APIs of %s)" %
                        ", ".join(named) if named else "")), rules=[]))
                continue
            v = self.lookup(u, eff)
            if v is None or (v.get("unbuilt") and
                             v.get("reason") == UNEXPLAINED):
                # an unexplained failure is never taken from the cache
                # (runs before this rule could remember one)
                todo.append(u)
            elif v.get("unbuilt"):
                errors.append(self.blind(u, v.get("reason") or
                                         "not checked: not built",
                                         line=v.get("line")))
            else:
                res[u] = v
        if not todo:
            return res
        summaries = self.write_dbs(dbs, tmp) if dbs else \
            os.path.join(tmp, "none")
        open(os.path.join(tmp, "none"), "a").close()
        direct, kb = [], []
        for u in todo:
            a = self.argvs.get(u) or (self.cache.get(self.argv_key(u))
                                      if self.cache else None)
            (direct if a and os.path.isdir(a["cwd"]) else kb).append((u, a))
        failed = {}
        if direct:
            self.progress("sparse: %d unit(s) checked directly with kbuild's "
                          "command line: %s" % (len(direct), " ".join(
                              u for u, _ in direct[:8])))
            with concurrent.futures.ThreadPoolExecutor(
                    max(1, self.ctx.jobs)) as pool:
                for (u, a), (v, why) in zip(direct, pool.map(
                        lambda x: self.run_direct(x[0], x[1]["argv"],
                                                  x[1]["cwd"], summaries,
                                                  eff), direct)):
                    if v is not None:
                        res[u] = v
                    else:
                        failed[u] = (why, False, None)
        if kb:
            with open(os.path.join(self.objdir, ".daxlint-lock"), "w") as lk:
                # one kbuild at a time in a build directory (kbuild
                # rewrites include/config/kernel.release on every run)
                fcntl.flock(lk, fcntl.LOCK_EX)
                for u, (v, why) in self.run_kbuild(
                        [u for u, _ in kb], summaries, eff).items():
                    if v is not None:
                        res[u] = v
                    else:
                        failed[u] = why
        for u in todo:
            v = res.get(u)
            if v is not None:
                self.store(u, v)
                continue
            reason, unbuilt, line = failed[u]
            self.progress("sparse: %s: %s" % (u, reason))
            errors.append(self.blind(u, reason, line=line))
            if unbuilt:
                # kbuild does not build it: known until its source or the
                # build changes; a checker failure is tried again
                src = os.path.join(self.root, u)
                self.store(u, {"unbuilt": True, "reason": reason, "line": line,
                               "lookups": {},
                               "read": {self.norm(src, "/"):
                                        self._digest_or_none(src)}})
        return res


UNEXPLAINED = "not checked: does not compile with this config"


def build_arch(objdir):
    """The kernel architecture (SRCARCH) a prepared build is for."""
    m = re.search(r"^# Linux/(\S+) ", _read(os.path.join(objdir, ".config")),
                  re.M)
    return m.group(1) if m else None


def config_gate(root, objdir, unit):
    """The CONFIG_ symbols, not set in the build's .config, of the
    Makefile lines of UNIT's directory that name its object: the reason
    kbuild does not build it."""
    d, obj = os.path.split(unit[:-2] + ".o")
    text = _read(os.path.join(root, d, "Kbuild")) + "\n" + \
        _read(os.path.join(root, d, "Makefile"))
    config = _read(os.path.join(objdir, ".config"))
    unset = []
    for l in text.replace("\\\n", " ").splitlines():
        if not re.search(r"(^|[\s=])%s\b" % re.escape(obj), l):
            continue
        for c in re.findall(r"\$\((CONFIG_\w+)\)", l):
            if not re.search(r"^%s=[ym]" % c, config, re.M) and \
                    c not in unset:
                unset.append(c)
    return unset


def _check_units(ctx, objdir, files, env, progress):
    """kbuild's checker run over FILES, in one make -k (one kbuild start-up;
    -k because kbuild stops at the first object its Makefiles do not build
    with this config, and we want the rest).  Make's output: what tells
    a unit that does not compile from one that is no target."""
    targets = [f[:-2] + ".o" for f in files]
    p = _make(ctx.root, objdir, ["-k", "C=2", "CHECK=" + BINARY] +
              MAKE_FLAGS + targets, min(ctx.jobs, 2), progress, env=env)
    return "" if p.returncode == 0 else p.stdout + p.stderr


def _callers_elsewhere(root, paths, defs, local=()):
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


def truncations_only(line):
    """A summary line (name file req acq rel sleeps reason iolock fault
    calls_busy waits sets_flag scans ubl ubl_items) that tells a caller
    only what unmap-breaks-layouts needs (no lock fact: the checker writes
    zeros there): that rule follows calls within a directory (a
    filesystem), so only callers there need it."""
    return len(line) > 13 and all(x == "0" for x in line[2:13])


def _findings(variant, rules):
    out = []
    for d in (variant or {}).get("findings", ()):
        if d["rule"] in rules:
            out.append(Finding(d["rule"], d["file"], d["line"],
                               d["column"] or None, d["function"], "sparse",
                               d["detail"]))
    return out


def run_tree(ctx, rules, progress):
    """Two runs, like smatch's cross-function database: the first checks
    the candidate units and collects the summaries of their exported
    functions; the second re-checks, with those summaries, the units that
    call such a function defined in another unit (ext4's extents.c calling
    inode.c's ext4_break_layouts()), until no new summary appears.  The
    first run also covers the candidates of the checked files'
    directories, so that checking one file still knows its neighbours'
    summaries.  Every unit's answer comes from the cache when what it read
    and the summaries it looked up are unchanged."""
    files = candidates(ctx.root, ctx.paths, rules)
    dirs = sorted(set(os.path.dirname(p) or "." for p in ctx.paths
                      if os.path.isfile(os.path.join(ctx.root, p))))
    first = sorted(set(files) | set(candidates(ctx.root, dirs, rules)
                                    if dirs else []))
    if not first:
        progress("sparse: no translation unit can contain a finding")
        return [], []
    objdir = prepare_tree(ctx.root, ctx.jobs, progress)
    runner = UnitRunner(ctx, objdir, rules, progress)
    errors = []
    progress("sparse: %d translation unit(s): %s" % (
        len(first), " ".join(first[:8]) + (" ..." if len(first) > 8
                                            else "")))
    with tempfile.TemporaryDirectory(prefix="daxlint-sparse-") as tmp:
        res = runner.check(first, [], tmp, errors)
        latest = dict(res)
        # the newest summary of a function wins
        dbs = [sorted(l for u in first for l in
                      (res.get(u) or {}).get("summary", ()))]
        # a summary new or changed since the callers were last checked
        # sends them to another round (a function that truncates only
        # through another unit's function learns it in the second round);
        # what a function truncates matters to the units of its own
        # directory, and only in a DAX filesystem's
        known = {}
        for rnd in range(2, 6):
            eff = {}
            for db in dbs:
                for line in db:
                    ubl = dax_fs_dir(ctx.root, os.path.dirname(line[1]))
                    if not ubl and truncations_only(line):
                        continue
                    eff[line[0]] = (line[1], " ".join(
                        line[2:] if ubl else line[2:13]),
                        truncations_only(line))
            new = dict((n, v) for n, v in eff.items() if known.get(n) != v)
            known.update(new)
            again = _callers_elsewhere(
                ctx.root, ctx.paths, dict((n, v[0]) for n, v in new.items()),
                set(n for n, v in new.items() if v[2]))
            if not again:
                break
            progress("sparse: %d unit(s) call functions of other units, "
                     "checked again with their summaries: %s"
                     % (len(again), " ".join(again[:8])))
            res = runner.check(again, dbs, tmp, errors)
            latest.update(res)
            dbs.append(sorted(l for u in again for l in
                              (res.get(u) or {}).get("summary", ())))
    findings = []
    for u in sorted(latest):
        findings += [f for f in _findings(latest[u], rules)
                     if within(f.file, ctx.paths)]
        errors += sparse_error_records(
            latest[u].get("errors", ()), runner.objdir, rules, runner.rel,
            lambda f: dax_fs_dir(runner.root, os.path.dirname(f)))
    out, seen = [], set()
    for e in errors:
        k = (e["file"], e["line"], e["function"], e["reason"])
        # a unit fails the same way in every round; a neighbour checked
        # only for its summaries is not what was asked about
        if k not in seen and within(e["file"] or "", ctx.paths):
            seen.add(k)
            out.append(e)
    return findings, out


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
