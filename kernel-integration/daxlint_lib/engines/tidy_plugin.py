"""The tidy engine's tool: clang-tidy-16 and our module loaded into it
(clang-checker/).  Where the module is built (a directory of the cache
named after a digest of its sources, so that two checkouts of the same
sources share one build and an edit never runs a stale plugin), how
(cmake, -j2 at most: the build machines are shared), and the check that
every run makes before it trusts a silence: clang-tidy is LLVM 16 and
lists our checks with the same --load.

A plugin that fails to load is ignored by clang-tidy (exit 0, no
checks); an LLVM 14 clang-tidy (Debian's /usr/bin/clang-tidy) loads a 16
plugin, lists its checks and reports nothing.  Either would make every
file look clean, so verify() turns both into an error."""
import os
import re
import subprocess
from shutil import which

from .. import TOP, cache as cachemod
from ..cachedir import cache_dir

SOURCES = os.path.join(TOP, "clang-checker")
PREFIX = "daxlint-"
LLVM_MAJOR = "16"
# what the plugin is built from besides its own directory: the API table
# and the generator that turns it into api.inc
SHARED = [os.path.join(TOP, "kernel-integration", "api", "kernel-api.tsv"),
          os.path.join(TOP, "kernel-integration", "daxlint_lib", "api.py"),
          os.path.join(TOP, "sparse-plugin", "gen-api.py")]


def clang_tidy():
    """The clang-tidy to run: clang-tidy-16 (DAXLINT_CLANG_TIDY for tests
    and unusual installs; verify() still insists on LLVM 16)."""
    return os.environ.get("DAXLINT_CLANG_TIDY") or "clang-tidy-16"


def source_files():
    out = []
    for d, dirs, files in os.walk(SOURCES):
        dirs[:] = sorted(x for x in dirs if x not in ("test", "docs",
                                                      "build"))
        for f in sorted(files):
            if f.endswith((".cpp", ".h", ".txt", ".def", ".inc")):
                out.append(os.path.join(d, f))
    return out + SHARED


def source_digest():
    return cachemod.digest(*["%s %s" % (os.path.relpath(f, TOP),
                                        cachemod.file_digest(f))
                             for f in source_files()])[:16]


def build_dir():
    return os.path.join(cache_dir(), "tidy-build-" + source_digest())


def plugin_path():
    """The module to --load: DAXLINT_TIDY_PLUGIN (tests), else the build
    of the current sources."""
    return (os.environ.get("DAXLINT_TIDY_PLUGIN") or
            os.path.join(build_dir(), "DaxlintTidyModule.so"))


def tools_present():
    return bool(which(clang_tidy()) and which("cmake") and
                which("clang-%s" % LLVM_MAJOR) and
                os.path.isdir("/usr/lib/llvm-%s/include/clang-tidy"
                              % LLVM_MAJOR))


def build(log=lambda s: None):
    """Configure and build the module into build_dir() unless it is
    there; True when the plugin exists."""
    if os.environ.get("DAXLINT_TIDY_PLUGIN"):
        return True
    out = plugin_path()
    if os.path.exists(out):
        return True
    bdir = build_dir()
    log("tidy: building the clang-tidy module into %s" % bdir)
    for cmd in (["cmake", "-S", SOURCES, "-B", bdir,
                 "-DCMAKE_BUILD_TYPE=Release"],
                ["cmake", "--build", bdir, "-j2"]):
        p = subprocess.run(cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        if p.returncode != 0:
            log("tidy: build failed:\n" + p.stdout[-3000:])
            return False
    return os.path.exists(out)


def version_of(binary):
    p = subprocess.run([binary, "--version"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    m = re.search(r"LLVM version (\d+)\.", p.stdout)
    return m.group(1) if m else None


def listed_checks(binary, plugin):
    """The daxlint checks that BINARY lists with PLUGIN loaded."""
    p = subprocess.run([binary, "--load=" + plugin,
                        "-checks=-*," + PREFIX + "*", "--list-checks"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    return set(x.strip() for x in p.stdout.splitlines()
               if x.strip().startswith(PREFIX))


def verify(rules):
    """None when clang-tidy is LLVM 16 and the loaded plugin's checks for
    RULES are active; else the reason, for an error that stops the run."""
    binary, plugin = clang_tidy(), plugin_path()
    if not which(binary):
        return "%s not found" % binary
    v = version_of(binary)
    if v != LLVM_MAJOR:
        return ("%s is LLVM %s, not %s: a plugin built for LLVM %s loads "
                "into it and silently reports nothing"
                % (binary, v or "(unknown)", LLVM_MAJOR, LLVM_MAJOR))
    if not os.path.exists(plugin):
        return "the clang-tidy module %s does not exist" % plugin
    have = listed_checks(binary, plugin)
    want = set(PREFIX + r for r in rules)
    if not want <= have:
        return ("the clang-tidy module %s did not load or lacks checks "
                "(%s --list-checks shows %s, needs %s)"
                % (plugin, binary, ", ".join(sorted(have)) or "none",
                   ", ".join(sorted(want - have))))
    return None


def check_args(rules, profile):
    """clang-tidy-16 with our module, RULES' checks and nothing else, and
    PROFILE as every check's Profile option (the files follow)."""
    checks = "-*," + ",".join(PREFIX + r for r in rules)
    opts = ", ".join("%s%s.Profile: '%s'" % (PREFIX, r, profile)
                     for r in rules)
    return [clang_tidy(), "--load=" + plugin_path(), "-checks=" + checks,
            "-config={CheckOptions: {%s}}" % opts, "--quiet"]


def identity():
    """What a cached answer depends on: the plugin's sources and the
    clang-tidy binary."""
    return cachemod.digest(source_digest(), clang_tidy(),
                           version_of(clang_tidy()) or "")
