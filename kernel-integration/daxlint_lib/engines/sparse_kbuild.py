"""The sparse engine's kernel build: the gcc build directory a kernel tree
is prepared in once (kbuild.prepare; prepare_tree), and kbuild's own
checker run over the units (check_units: make C=2 CHECK=daxlint-sparse)."""
import os

from ..cachedir import cache_dir
from .kbuild import MAKE_FLAGS, prepare, run_make, tree_key
from .sparse_checker import BINARY


def prepare_tree(root, jobs, log):
    """The prepared out-of-tree build directory for ROOT (created once)."""
    objdir = os.environ.get("DAXLINT_SPARSE_OBJDIR") or cache_dir(
        "build-" + tree_key(root))
    return prepare(root, objdir, jobs, log)


def check_units(ctx, objdir, files, env, progress):
    """kbuild's checker run over FILES, in one make -k (one kbuild start-up;
    -k because kbuild stops at the first object its Makefiles do not build
    with this config, and we want the rest).  Make's output: what tells
    a unit that does not compile from one that is no target."""
    targets = [f[:-2] + ".o" for f in files]
    p = run_make(ctx.root, objdir, ["-k", "C=2", "CHECK=" + BINARY] +
                 MAKE_FLAGS + targets, min(ctx.jobs, 2), progress, env=env)
    return "" if p.returncode == 0 else p.stdout + p.stderr
