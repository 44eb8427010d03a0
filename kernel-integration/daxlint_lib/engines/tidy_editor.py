"""daxlint-clang-tidy, the editors' clang-tidy: clang-tidy-16 with our
module loaded and our checks added to whatever the editor asks for.

  daxlint-clang-tidy [clang-tidy options] FILE... [-p DIR | -- FLAGS]

kernel-integration/shim/clang-tidy runs it under the name clang-tidy: put
that directory first in PATH and the kernel's `make LLVM=-16 clang-tidy`
(scripts/clang-tools/run-clang-tools.py, whose -checks=-*,linuxkernel-*
cannot be changed) runs our checks too.

- the module is built (on first use) and verified as `daxlint check`
  verifies it: clang-tidy-16, our checks listed with the same --load;
  otherwise the reason on stderr and exit 2 (an editor that shows nothing
  must not mean "clean");
- -checks=X becomes -checks=X,daxlint-* (with no -checks, clang-tidy's
  own default or the .clang-tidy file's, plus daxlint-*);
- the compile flags: the editor's (-p DIR, or -- FLAGS) when it gives
  them; else, for a file of a kernel tree, the command line kbuild gives
  its unit (the tidy engine's build directory, prepared once per tree:
  the first file of a tree takes a minute or two); else the stub kernel
  header (kernel-integration/include) and the file's own directory.

Each check reads its profile from its Profile option (.clang-tidy
CheckOptions) or, without one, from the declarations the unit sees."""
import os
import subprocess
import sys
import tempfile
from shutil import which

from .. import INCLUDE, cache as cachemod, catalog, profile
from ..cachedir import cache_dir
from .tidy_kbuild import unit_database
from .tidy_plugin import PREFIX, build, clang_tidy, plugin_path, verify


def _log(s):
    sys.stderr.write("daxlint-clang-tidy: %s\n" % s)


def checks_arg(args):
    """ARGS with our checks added to -checks= (or a -checks of ours)."""
    out, seen = [], False
    for a in args:
        for opt in ("-checks=", "--checks="):
            if a.startswith(opt):
                a = "%s%s,%s*" % (opt, a[len(opt):], PREFIX)
                seen = True
        out.append(a)
    return out if seen else ["-checks=%s*" % PREFIX] + out


def split(args):
    """(clang-tidy options, files, compile flags after --, -p given)."""
    flags = None
    if "--" in args:
        i = args.index("--")
        args, flags = args[:i], args[i + 1:]
    opts, files, has_p, skip = [], [], False, False
    for a in args:
        if skip:
            skip = False
            opts.append(a)
            continue
        if a == "-p":
            has_p, skip = True, True
        elif a.startswith("-p=") or a.startswith("--p="):
            has_p = True
        if a.startswith("-"):
            opts.append(a)
        else:
            files.append(a)
    return opts, files, flags, has_p


def verified(rules):
    """verify(RULES), remembered while the module and clang-tidy are the
    same files: `make clang-tidy` runs us once per unit."""
    try:
        parts = [rules]
        for f in (plugin_path(), which(clang_tidy()) or clang_tidy()):
            st = os.stat(f)
            parts.append("%s %d %d" % (f, st.st_mtime_ns, st.st_size))
    except OSError:
        return verify(rules)
    stamp = os.path.join(cache_dir("tidy-verified"),
                         cachemod.digest(*map(str, parts)))
    if os.path.exists(stamp):
        return None
    why = verify(rules)
    if not why:
        open(stamp, "w").close()
    return why


def main(args):
    if not args or args[0] in ("-h", "--help"):
        sys.stdout.write(__doc__ + "\n")
        return 0
    if not build(_log):
        _log("the clang-tidy module (clang-checker/) does not build")
        return 2
    cat = catalog.load()
    why = verified([r for r in cat.ids() if cat.runs("tidy", r)])
    if why:
        _log(why)
        return 2
    opts, files, flags, has_p = split(args)
    cmd = [clang_tidy(), "--load=" + plugin_path()] + checks_arg(opts) + \
        files
    if has_p or flags:
        return subprocess.call(cmd + (["--"] + flags if flags else []))
    roots = set(profile.find_tree_root(f) for f in files)
    if len(roots) == 1 and None not in roots:
        root = roots.pop()
        units = [os.path.relpath(os.path.realpath(f), os.path.realpath(root))
                 for f in files]
        with tempfile.TemporaryDirectory(prefix="daxlint-tidy-") as db:
            unit_database(root, units, 2, _log, db)
            return subprocess.call(cmd + ["-p", db])
    inc = []
    for d in sorted(set(os.path.dirname(os.path.abspath(f)) for f in files)):
        inc += ["-I", d]
    return subprocess.call(cmd + ["--"] + inc + ["-I", INCLUDE])
