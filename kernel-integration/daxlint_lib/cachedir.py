"""Where daxlint keeps what is expensive to make again: one directory per
kind (trees, results, apt, scratch, sparse builds) under
${XDG_CACHE_HOME:-~/.cache}/daxlint.  Every module that caches asks here,
so that none of them imports another for a path."""
import os


def cache_dir(*parts):
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    d = os.path.join(base, "daxlint", *parts)
    os.makedirs(d, exist_ok=True)
    return d
