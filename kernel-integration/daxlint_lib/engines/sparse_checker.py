"""The sparse engine's checker, daxlint-sparse (sparse-plugin/): where it
is, what it is built from and how (build), what identifies it for the
results cache (checker_identity), and the environment that tells a run
what to check and where to write (checker_env)."""
import os
import subprocess

from .. import TOP, cache as cachemod

PLUGIN = os.path.join(TOP, "sparse-plugin")
BINARY = os.path.join(PLUGIN, "build", "daxlint-sparse")

PROFILE_DEFINE = {"v7": "DAXLINT_PROFILE_V7", "v4.18": "DAXLINT_PROFILE_V4_18",
                  "v5.15": "DAXLINT_PROFILE_V5_15",
                  "v6.15": "DAXLINT_PROFILE_V6_15"}


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


def checker_env(rules, profile, json_path):
    """The environment of a run of the checker: the RULES to check under
    PROFILE, its findings written to JSON_PATH."""
    env = dict(os.environ)
    env["DAXLINT_SPARSE_JSON"] = json_path
    env["DAXLINT_SPARSE_RULES"] = ",".join(rules)
    env["DAXLINT_SPARSE_PROFILE"] = profile
    return env


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
