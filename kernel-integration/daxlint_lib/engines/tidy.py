"""The tidy engine: our clang-tidy module (clang-checker/) run by
clang-tidy-16.

Standalone files (fixtures, --profile given) are checked directly
against the stub kernel header:
  clang-tidy-16 --load=<plugin> -checks='-*,daxlint-<rule>,...'
      -config='{CheckOptions: {daxlint-<rule>.Profile: <p>}}'
      file.c -- -I<file's dir> -I kernel-integration/include
                -DDAXLINT_PROFILE_<P>
Kernel trees are checked with the command line kbuild gives each unit: the
tree is prepared once in a clang build directory in the cache (make
LLVM=-16, the sparse engine's configuration), the candidate units
(tidy_select) are compiled there, the kernel's gen_compile_commands.py
writes their compile_commands.json, and clang-tidy-16 -p runs on each,
--jobs at a time, its answer cached (tidy_units).  Every run first
verifies that clang-tidy is LLVM 16 and that the plugin loaded with its
checks active (tidy_plugin.verify()): otherwise the run is an error,
never a silent "clean".  NOLINT/NOLINTNEXTLINE(daxlint-<rule>) are
honoured by clang-tidy itself.

  tidy_plugin.py  clang-tidy-16 and the module: build, identity, verify
  tidy_output.py  what clang-tidy prints: findings and error records
  tidy_select.py  the candidate units of a tree
  tidy_kbuild.py  the clang build directory, the units' command lines
  tidy_units.py   the per-unit runs and their results cache
"""
import os
import subprocess

from .. import INCLUDE
from ..findings import tool_error
from ..srcfiles import c_files, within
from .sparse_checker import PROFILE_DEFINE
from .tidy_output import parse
from .tidy_plugin import PREFIX, build, check_args, clang_tidy, plugin_path, \
    tools_present, verify
from .tidy_select import candidates, rules_of_units
from .tidy_units import TreeUnits


def available():
    """Are LLVM 16's clang-tidy and headers installed (and the module
    built or buildable)?"""
    return tools_present() and build()


def command(files, rules, profile, extra_inc=()):
    """The clang-tidy-16 command line for standalone FILES."""
    return check_args(rules, profile) + list(files) + ["--"] + \
        compile_flags(profile, extra_inc)


def compile_flags(profile, extra_inc=()):
    """How a standalone file is compiled: its includes, the stub kernel
    header, the profile's define."""
    out = []
    for d in extra_inc:
        out += ["-I", d]
    out += ["-I", INCLUDE]
    if profile in PROFILE_DEFINE:
        out.append("-D%s=1" % PROFILE_DEFINE[profile])
    return out


def run_standalone(ctx, rules, progress):
    findings, errors = [], []
    for path in ctx.paths:
        files = [os.path.join(ctx.root, f) for f in c_files(ctx.root, [path])]
        # each file is its own translation unit; a directory's files see
        # each other's headers
        dirs = sorted(set(os.path.dirname(f) for f in files))
        for f in files:
            p = subprocess.run(command([f], rules, ctx.profile, dirs),
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
            fs, errs = parse(p.stdout, ctx.root, rules)
            findings += fs
            errors += errs
            if p.returncode not in (0, 1) or (p.returncode and not errs
                                              and not fs):
                errors.append(tool_error(
                    "tidy", "%s exited %d: %s" % (clang_tidy(), p.returncode,
                                                  p.stdout[-500:]),
                    file=os.path.relpath(f, ctx.root), rules=list(rules)))
    return findings, errors


def run_tree(ctx, rules, progress):
    """The candidate units of the tree's PATHS, each with the checks of the
    rules it is a candidate for."""
    units = rules_of_units(candidates(ctx.root, ctx.paths, rules))
    if not units:
        progress("tidy: no translation unit can contain a finding")
        return [], []
    progress("tidy: %d translation unit(s): %s" % (
        len(units), " ".join(sorted(units)[:8]) +
        (" ..." if len(units) > 8 else "")))
    findings, errors = TreeUnits(ctx, progress).check(units)
    return ([f for f in findings if within(f.file, ctx.paths)],
            [e for e in errors if within(e["file"] or "", ctx.paths)])


def run(ctx, rules, progress):
    if not rules:
        # asked for, but it has a check for none of the rules to run: say
        # so rather than look clean
        from .. import catalog
        cat = catalog.load()
        have = [r for r in cat.ids() if cat.runs("tidy", r)]
        return [], ["tidy: none of the rules to run has a clang-tidy check "
                    "yet (it has %s); nothing was checked"
                    % ", ".join(have)]
    if not build(progress):
        return [], ["tidy: the clang-tidy module (clang-checker/) does not "
                    "build; run cmake -S clang-checker -B /tmp/b && "
                    "cmake --build /tmp/b to see why"]
    why = verify(rules)
    if why:
        return [], ["tidy: " + why + "; nothing was checked"]
    progress("tidy: %s with %s: %s" % (clang_tidy(), plugin_path(),
                                       ", ".join(PREFIX + r for r in rules)))
    if ctx.standalone:
        return run_standalone(ctx, rules, progress)
    return run_tree(ctx, rules, progress)
