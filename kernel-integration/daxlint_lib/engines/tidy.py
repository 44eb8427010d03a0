"""The tidy engine: our clang-tidy module (clang-checker/) run by
clang-tidy-16.

Standalone files (fixtures, --profile given) are checked directly
against the stub kernel header:
  clang-tidy-16 --load=<plugin> -checks='-*,daxlint-<rule>,...'
      -config='{CheckOptions: {daxlint-<rule>.Profile: <p>}}'
      file.c -- -I<file's dir> -I kernel-integration/include
                -DDAXLINT_PROFILE_<P>
Every run first verifies that clang-tidy is LLVM 16 and that the plugin
loaded with its checks active (tidy_plugin.verify()): otherwise the run
is an error, never a silent "clean".  Kernel trees need an LLVM=-16
build and its compile_commands.json, which is not written yet: on a tree
the engine says so as an error.  NOLINT/NOLINTNEXTLINE(daxlint-<rule>)
are honoured by clang-tidy itself.

  tidy_plugin.py  clang-tidy-16 and the module: build, identity, verify
"""
import os
import re
import subprocess

from .. import INCLUDE
from ..findings import Finding, tool_error
from ..srcfiles import c_files
from .sparse_checker import PROFILE_DEFINE
from .tidy_plugin import PREFIX, build, clang_tidy, plugin_path, \
    tools_present, verify

# file:line:col: warning: <function>: <detail> [daxlint-<rule>]
DIAG_RX = re.compile(r"^(.+?):(\d+):(\d+): (?:warning|error): "
                     r"(?:(\S+): )?(.*) \[" + re.escape(PREFIX) +
                     r"([a-z0-9-]+)\]$")
# Kernel trees need an LLVM=-16 build's compile_commands.json, which the
# engine does not write yet: on a tree it reports itself blind
KERNEL_TREES = False

# what a check prints, as a warning of its own, for a place it could not
# analyse (GupLayoutLockCheck: a function without a CFG): an error record
NOT_CHECKED = "not checked: "
# a compile error of the unit: what was not checked
ERROR_RX = re.compile(r"^(.+?):(\d+):(\d+): error: (.*?)"
                      r"(?: \[clang-diagnostic-[\w-]+\])?$")


def available():
    """Are LLVM 16's clang-tidy and headers installed (and the module
    built or buildable)?"""
    return tools_present() and build()


def command(files, rules, profile, extra_inc=()):
    """The clang-tidy-16 command line for standalone FILES."""
    checks = "-*," + ",".join(PREFIX + r for r in rules)
    opts = ", ".join("%s%s.Profile: '%s'" % (PREFIX, r, profile)
                     for r in rules)
    cmd = [clang_tidy(), "--load=" + plugin_path(), "-checks=" + checks,
           "-config={CheckOptions: {%s}}" % opts, "--quiet"]
    return cmd + list(files) + ["--"] + compile_flags(profile, extra_inc)


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


def parse(output, root, rules):
    """Findings and error records from clang-tidy's output."""
    findings, errors = [], []
    for line in output.splitlines():
        m = DIAG_RX.match(line)
        if m:
            f, ln, col, func, detail, rule = m.groups()
            if rule not in rules:
                continue
            rel = os.path.relpath(os.path.abspath(f), root)
            if detail.startswith(NOT_CHECKED):
                # a check's blind spot: the rule cannot claim clean there
                errors.append(tool_error("tidy", detail, file=rel,
                                         line=int(ln), function=func,
                                         rules=[rule]))
                continue
            findings.append(Finding(rule, rel, ln, col, func, "tidy",
                                    detail))
            continue
        m = ERROR_RX.match(line)
        if m:
            errors.append(tool_error(
                "tidy", "clang: " + m.group(4),
                file=os.path.relpath(os.path.abspath(m.group(1)), root),
                line=int(m.group(2)), rules=list(rules)))
    return findings, errors


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
    if not ctx.standalone and not KERNEL_TREES:
        return [], ["tidy: kernel trees are not checked by the tidy engine "
                    "yet (it needs an LLVM=-16 build and its "
                    "compile_commands.json: docs/clang-checker/README.md); "
                    "nothing was checked - check standalone files with "
                    "--profile, or use --engines cocci,sparse"]
    progress("tidy: %s with %s: %s" % (clang_tidy(), plugin_path(),
                                       ", ".join(PREFIX + r for r in rules)))
    return run_standalone(ctx, rules, progress)
