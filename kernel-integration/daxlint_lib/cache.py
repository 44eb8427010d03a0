"""The results cache: per-file work of the engines, keyed by everything that
can change it, under ${XDG_CACHE_HOME:-~/.cache}/daxlint/results/.

An entry is one JSON file named by the SHA-256 of its key.  The engines
build keys from the file's content (never its name or time stamp alone),
the rule or checker, the catalog, the profile and the engine's version and
options, so a change to any of them is a miss, never a stale answer.
Writes are atomic (a temporary file renamed into place), so concurrent runs
sharing the cache see an entry whole or not at all; pruning and clearing
take a lock.  The cache is bounded (DAXLINT_CACHE_SIZE, default 8 GiB):
after a run that wrote to it, the least recently used entries go first.
DAXLINT_CACHE_DIR puts it elsewhere (the benchmarks time a cold run in an
empty one).
"""
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import time

from .cachedir import cache_dir

FORMAT = "1"                      # bump when the stored layout changes
# Two reference trees, both engines and a few rule versions: 2 GiB was
# too small for one warm CI run, whose mutation suite then missed its
# entries (bench/README.md, d31cefe)
DEFAULT_LIMIT = 8 << 30


def limit_of(text):
    """Bytes of a size written as 123, 500k, 300M or 2G."""
    mult = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}.get(text[-1].lower())
    return int(float(text[:-1]) * mult) if mult else int(text)


def limit():
    v = os.environ.get("DAXLINT_CACHE_SIZE")
    return limit_of(v) if v else DEFAULT_LIMIT


def digest(*parts):
    """SHA-256 of PARTS (strings or bytes), unambiguously joined."""
    h = hashlib.sha256()
    for p in parts:
        b = p if isinstance(p, bytes) else str(p).encode()
        h.update(b"%d:" % len(b))
        h.update(b)
    return h.hexdigest()


def file_digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class Digests:
    """The digest of each file, taken once per run."""

    def __init__(self):
        self._digests = {}

    def content(self, path):
        d = self._digests.get(path)
        if d is None:
            d = self._digests[path] = file_digest(path)
        return d


class Cache(Digests):
    def __init__(self, root=None):
        Digests.__init__(self)
        self.root = root or os.environ.get("DAXLINT_CACHE_DIR") or \
            cache_dir("results", FORMAT)
        os.makedirs(self.root, exist_ok=True)
        self.hits = self.misses = self.writes = 0

    def path(self, key):
        """The file that holds KEY's answer (its blobs lie beside it, the
        same name with their suffixes)."""
        return os.path.join(self.root, key[:2], key[2:] + ".json")

    def get(self, key):
        p = self.path(key)
        try:
            with open(p) as fh:
                val = json.load(fh)
        except (OSError, ValueError):
            self.misses += 1
            return None
        try:
            os.utime(p)          # recently used: pruned last
        except OSError:
            pass
        self.hits += 1
        return val

    def put(self, key, value):
        p = self.path(key)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(p), suffix=".tmp")
        try:
            with os.fdopen(fd, "w") as fh:
                json.dump(value, fh, sort_keys=True)
            os.replace(tmp, p)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        self.writes += 1

    def get_blobs(self, key, suffixes, dst):
        """Copy the files stored under KEY to DST + suffix (DST's directory
        is made); False if one is missing."""
        srcs = [self.path(key)[:-5] + x for x in suffixes]
        if not all(os.path.exists(p) for p in srcs):
            self.misses += 1
            return False
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        try:
            for p, x in zip(srcs, suffixes):
                shutil.copyfile(p, dst + x)
                os.utime(p)
        except OSError:
            self.misses += 1
            return False
        self.hits += 1
        return True

    def put_blobs(self, key, suffixes, src):
        """Store the files SRC + suffix under KEY (each atomically)."""
        base = self.path(key)[:-5]
        os.makedirs(os.path.dirname(base), exist_ok=True)
        for x in suffixes:
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(base),
                                       suffix=".tmp")
            os.close(fd)
            try:
                shutil.copyfile(src + x, tmp)
                os.replace(tmp, base + x)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        self.writes += 1

    def _lock(self):
        fh = open(os.path.join(self.root, ".lock"), "w")
        fcntl.flock(fh, fcntl.LOCK_EX)
        return fh

    def entries(self):
        """(mtime, size, path) of every entry."""
        out = []
        for d in os.scandir(self.root):
            if not d.is_dir():
                continue
            for e in os.scandir(d.path):
                try:
                    st = e.stat()
                except OSError:
                    continue
                if e.name.endswith(".tmp") and \
                        st.st_mtime > time.time() - 3600:
                    continue     # another run is writing it
                out.append((st.st_mtime, st.st_size, e.path))
        return out

    def stats(self):
        es = self.entries()
        return {"path": self.root, "entries": len(es),
                "bytes": sum(s for _, s, _ in es), "limit": limit()}

    def prune(self, max_bytes=None):
        """Drop the least recently used entries until the cache holds at
        most MAX_BYTES (to 90% of it, so that the next runs do not prune
        again at once).  Returns the number of entries removed."""
        max_bytes = limit() if max_bytes is None else max_bytes
        with self._lock():
            es = sorted(self.entries())
            total = sum(s for _, s, _ in es)
            if total <= max_bytes:
                return 0
            n = 0
            for _, size, path in es:
                if total <= max_bytes * 0.9:
                    break
                try:
                    os.unlink(path)
                except OSError:
                    continue
                total -= size
                n += 1
            return n

    def clear(self):
        with self._lock():
            for d in os.scandir(self.root):
                if d.is_dir():
                    shutil.rmtree(d.path, ignore_errors=True)


def open_cache(enabled=True):
    """The results cache, or None when disabled (--no-cache or
    DAXLINT_NO_CACHE=1)."""
    if not enabled or os.environ.get("DAXLINT_NO_CACHE") == "1":
        return None
    return Cache()
