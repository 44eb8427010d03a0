"""The tidy engine's kernel build: the tree prepared once with clang
(kbuild.prepare with LLVM=-16: CONFIG_CC_IS_CLANG, clang's flags), the
candidate units compiled there (clang-tidy needs the command line kbuild
gives each unit, and kbuild writes it down only for what it builds), and
compile_commands.json written by the kernel's own gen_compile_commands.py
over the units' directories.  The user's tree stays clean (O=).

A tree whose kbuild refuses clang 16 (7.x wants clang 17) is built with
gcc instead, and each unit's command line loses the options clang 16
rejects (-fconserve-stack, -mindirect-branch=...: code generation, no
meaning to the parse), as clang itself names them."""
import fcntl
import json
import os
import re
import shlex
import subprocess
import sys

from ..cachedir import cache_dir
from ..srcfiles import read_text
from .kbuild import MAKE_FLAGS, prepare, run_make, tree_key

# LLVM=-16, not LLVM=1: Debian 12's unversioned clang is 14
MAKE_ARGS = ["LLVM=-16"]
# besides kbuild.CONFIG_ENABLE: units that define an
# address_space_operations in a DAX filesystem's directory, which the
# sparse engine has no reason to build (erofs's fscache.c up to 6.x, and
# what it depends on; its ishare.c in 7.x)
CONFIG_ENABLE_MORE = ["FSCACHE", "CACHEFILES", "CACHEFILES_ONDEMAND",
                      "EROFS_FS_ONDEMAND", "EROFS_FS_PAGE_CACHE_SHARE"]
# where the kernel keeps the script (scripts/clang-tools/ since 5.10)
GEN_SCRIPTS = ["scripts/clang-tools/gen_compile_commands.py",
               "scripts/gen_compile_commands.py"]


CLANG = "clang-16"
# what kbuild says when it will not build with the compiler it was given
REFUSED_RX = re.compile(r"C compiler is too old|compiler is not supported")
# what clang says of an option it does not have
UNKNOWN_RX = re.compile(r"(?:unknown argument|unsupported option): '([^']+)'")


def _objdir(root, make_args):
    return cache_dir("%s-build-%s" % (
        "llvm" if make_args else "tidy-gcc",
        tree_key(root, list(make_args) +
                 ["+" + c for c in CONFIG_ENABLE_MORE])))


def prepare_tree(root, jobs, log):
    """ROOT's build directory for the tidy engine in the cache (prepared
    once): with clang 16, or with gcc where kbuild refuses clang 16 (the
    refusal is remembered in the clang directory)."""
    llvm = _objdir(root, MAKE_ARGS)
    refused = os.path.join(llvm, ".daxlint-refused")
    if not os.path.exists(refused):
        try:
            return prepare(root, llvm, jobs, log, MAKE_ARGS, who="tidy",
                           enable=CONFIG_ENABLE_MORE)
        except RuntimeError as exc:
            if not REFUSED_RX.search(str(exc)):
                raise
            with open(refused, "w") as fh:
                fh.write(str(exc))
            log("tidy: kbuild refuses %s for %s; building with gcc, each "
                "unit's command line without the options %s rejects"
                % (CLANG, root, CLANG))
    return prepare(root, _objdir(root, ()), jobs, log, (), who="tidy",
                   enable=CONFIG_ENABLE_MORE)


def make_args(objdir):
    """The compiler arguments of make in OBJDIR (prepare_tree's choice)."""
    return MAKE_ARGS if os.path.basename(objdir).startswith("llvm-") \
        else []


def record(objdir, unit, suffix=".o"):
    """kbuild's record of how it made UNIT's SUFFIX file."""
    d, name = os.path.split(unit[:-2])
    return os.path.join(objdir, d, "." + name + suffix + ".cmd")


def build_units(root, objdir, units, jobs, log):
    """Compile UNITS' objects (make -k: one that fails does not stop the
    others); make's output when some failed, else "".  A unit that never
    compiled (old code that names an API this tree lacks) is preprocessed
    instead: kbuild's record of that (make dir/unit.i: $(CPP) $(c_flags))
    gives its command line all the same.  One make at a time in a build
    directory: runs sharing it wait."""
    out = ""
    with open(os.path.join(objdir, ".daxlint-make-lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        p = run_make(root, objdir, make_args(objdir) + ["-k"] + MAKE_FLAGS +
                     [u[:-2] + ".o" for u in units], jobs, log)
        if p.returncode != 0:
            out = p.stdout + p.stderr
        missing = [u for u in units if not os.path.exists(record(objdir, u))]
        if missing:
            p = run_make(root, objdir, make_args(objdir) + ["-k"] +
                         MAKE_FLAGS + [u[:-2] + ".i" for u in missing],
                         jobs, log)
            if p.returncode != 0:
                out += p.stdout + p.stderr
    return out


def preprocessed_entry(objdir, unit, real):
    """A compile_commands.json entry for UNIT from kbuild's record of its
    preprocessing (its compile's flags, -E for -c), or None."""
    m = re.match(r"(?:saved)?cmd_\S+ := (.*)",
                 read_text(record(objdir, unit, ".i")))
    if not m:
        return None
    argv, out, i = shlex.split(m.group(1)), [], 0
    while i < len(argv):
        if argv[i] == "-o":
            i += 2
            continue
        out.append("-c" if argv[i] == "-E" else argv[i])
        i += 1
    return {"directory": objdir, "file": os.path.join(real, unit),
            "command": " ".join(shlex.quote(a) for a in out)}


def gen_script(root):
    for rel in GEN_SCRIPTS:
        if os.path.exists(os.path.join(root, rel)):
            return os.path.join(root, rel)
    return None


def compile_db(root, objdir, units, dbdir):
    """Write DBDIR/compile_commands.json for the directories of UNITS with
    the kernel's script; the units it has an entry for.  Raises
    RuntimeError when the tree has no such script or it fails."""
    script = gen_script(root)
    if not script:
        raise RuntimeError("%s has no %s: the tidy engine needs it for "
                           "the units' command lines" % (root,
                                                         GEN_SCRIPTS[0]))
    out = os.path.join(dbdir, "compile_commands.json")
    dirs = sorted(set(os.path.join(objdir, os.path.dirname(u))
                      for u in units))
    p = subprocess.run([sys.executable, script, "-d", objdir, "-o", out] +
                       [d for d in dirs if os.path.isdir(d)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if p.returncode != 0:
        raise RuntimeError("%s failed: %s" % (script, p.stdout[-1500:]))
    with open(out) as fh:
        entries = json.load(fh)
    real = os.path.realpath(root)
    have = set(os.path.relpath(os.path.realpath(e["file"]), real)
               for e in entries)
    for u in units:
        e = None if u in have else preprocessed_entry(objdir, u, real)
        if e:
            entries.append(e)
            have.add(u)
    if not make_args(objdir):
        for e in entries:
            e["command"] = as_clang(e["command"], e["directory"])
    with open(out, "w") as fh:
        json.dump(entries, fh, indent=1)
    return [u for u in units if u in have]


_REJECTED = {}


def rejected(flags, cwd):
    """The options of FLAGS that clang 16 does not have, as it names them
    (remembered per option list)."""
    key = tuple(flags)
    if key not in _REJECTED:
        out = set()
        for _ in range(8):
            p = subprocess.run([CLANG, "-fsyntax-only", "-x", "c"] +
                               [f for f in flags if f not in out] +
                               [os.devnull], cwd=cwd,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
            new = set(UNKNOWN_RX.findall(p.stdout)) - out
            if not new:
                break
            out |= new
        _REJECTED[key] = out
    return _REJECTED[key]


def as_clang(command, cwd):
    """A gcc command line of kbuild's as clang 16 takes it: the compiler
    named CLANG, the options it rejects left out."""
    argv = shlex.split(command)
    flags, i = [], 1
    while i < len(argv):
        a = argv[i]
        if a == "-o":
            i += 2
            continue
        if a not in ("-c",) and not a.startswith("-Wp,") and \
                not (not a.startswith("-") and a.endswith((".c", ".S"))):
            flags.append(a)
        i += 1
    bad = rejected(flags, cwd)
    return " ".join(shlex.quote(a) for a in
                    [CLANG] + [a for a in argv[1:] if a not in bad])


def unit_database(root, units, jobs, log, dbdir):
    """UNITS of ROOT compiled in its build directory (prepared first when
    needed) and DBDIR/compile_commands.json written for them: the units
    it has an entry for.  What daxlint-clang-tidy and the bench need; the
    engine itself looks into its cache between the steps."""
    objdir = prepare_tree(root, jobs, log)
    build_units(root, objdir, units, jobs, log)
    return compile_db(root, objdir, units, dbdir)


def unit_deps(objdir, unit):
    """The files UNIT's last compile (or preprocessing) read, absolute:
    kbuild's record of it (dir/.name.o.cmd: the source and fixdep's deps_
    list, less its $(wildcard include/config/...) lines, which the build's
    configuration covers).  None when the unit was never built."""
    text = read_text(record(objdir, unit)) or \
        read_text(record(objdir, unit, ".i"))
    m = re.search(r"^deps_\S+ := \\\n((?:.*\\\n)*.*)$", text, re.M)
    if not m:
        return None
    out = []
    for line in m.group(1).splitlines():
        f = line.strip().rstrip("\\").strip()
        if not f or f.startswith("$("):
            continue
        out.append(os.path.normpath(os.path.join(objdir, f)))
    return out
