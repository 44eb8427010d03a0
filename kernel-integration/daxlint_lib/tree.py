"""The reference trees: Debian's linux-source-6.1, and the newest kernel
source Debian has (linux-source-7.* or 6.15+, from trixie-backports or
sid), each unpacked once into the user's cache directory (XDG_CACHE_HOME),
keyed by the package version so a new Debian upload gets a new tree and a
fresh clone reuses the old one."""
import fcntl
import os
import re
import shlex
import shutil
import subprocess
import tempfile

from .cachedir import cache_dir

PACKAGE = "linux-source-6.1"
TARBALL = "/usr/src/linux-source-6.1.tar.xz"


def _package_version():
    p = subprocess.run(["dpkg-query", "-W", "-f=${Version}", PACKAGE],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       text=True)
    return p.stdout.strip() if p.returncode == 0 else ""


def _install_package(log):
    if os.geteuid() != 0:
        raise RuntimeError("%s is not installed; run as root or "
                           "'apt-get install %s'" % (PACKAGE, PACKAGE))
    log("daxlint: installing %s with apt-get" % PACKAGE)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update"], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", PACKAGE], check=True, env=env,
                   stdout=subprocess.DEVNULL)


def debian_tree(log=lambda s: None):
    """Path of the unpacked Debian 6.1 tree, installing and unpacking it on
    first use."""
    version = _package_version()
    if not version or not os.path.exists(TARBALL):
        _install_package(log)
        version = _package_version()

    def unpack(tmp, dest):
        log("daxlint: unpacking %s into %s" % (TARBALL, dest))
        subprocess.run(["tar", "-xJf", TARBALL, "-C", tmp,
                        "--strip-components=1"], check=True)
    return _unpacked("%s_%s" % (PACKAGE, version), unpack)


def _unpacked(name, unpack):
    """trees/NAME in the cache, made on first use by UNPACK(tmp, dest),
    which fills the directory tmp (renamed to dest once full); one process
    at a time (a lock), and a tree appears whole or not at all."""
    trees = cache_dir("trees")
    dest = os.path.join(trees, name)
    if os.path.isdir(dest):
        return dest
    with open(os.path.join(trees, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.isdir(dest):
            return dest
        tmp = dest + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
        unpack(tmp, dest)
        os.rename(tmp, dest)
    return dest


# the suites that carry today's kernels for a Debian 12/13 machine; read
# through a private apt configuration (daxlint_lib.apt), never the system's
LATEST_SUITES = ("trixie-backports", "sid")
LATEST_RX = re.compile(r"^linux-source-(\d+)\.(\d+)\s")
# the first kernel of the v6.15 profile
LATEST_MIN = (6, 15)


def newest_source(search_output):
    """The newest linux-source-X.Y package (X.Y >= 6.15) named in the output
    of `apt-cache search --names-only ^linux-source-`, or None."""
    best = None
    for line in search_output.splitlines():
        m = LATEST_RX.match(line)
        if not m:
            continue
        v = (int(m.group(1)), int(m.group(2)))
        if v >= LATEST_MIN and (best is None or v > best):
            best = v
    return None if best is None else "linux-source-%d.%d" % best


def _newest_version(versions):
    """The highest of Debian VERSIONS (dpkg's ordering)."""
    best = None
    for v in versions:
        if best is None or subprocess.run(
                ["dpkg", "--compare-versions", v, "gt", best]).returncode == 0:
            best = v
    return best


def _apt_output(opts, args):
    p = subprocess.run(args[:1] + opts + args[1:], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise RuntimeError("%s failed: %s" % (" ".join(args),
                                              p.stderr.strip()))
    return p.stdout


def latest_tree(log=lambda s: None):
    """Path of the unpacked tree of the newest kernel source package in
    Debian's newer suites, downloading and unpacking it on first use."""
    from . import apt
    opts = apt.options(("deb",), LATEST_SUITES)
    fresh = apt.update(opts, log)
    try:
        pkg, version = _latest_package(opts)
    except RuntimeError:
        if fresh:
            raise
        apt.update(opts, log, force=True)
        pkg, version = _latest_package(opts)

    def unpack(tmp, dest):
        with tempfile.TemporaryDirectory(dir=os.path.dirname(tmp)) as dl:
            log("daxlint: downloading %s %s" % (pkg, version))
            p = subprocess.run(["apt-get", "-qq"] + opts +
                               ["download", "%s=%s" % (pkg, version)],
                               cwd=dl, stdout=subprocess.DEVNULL)
            debs = [f for f in os.listdir(dl) if f.endswith(".deb")]
            if p.returncode != 0 or len(debs) != 1:
                raise RuntimeError("could not download %s %s" %
                                   (pkg, version))
            log("daxlint: unpacking %s into %s" % (pkg, dest))
            # the package holds /usr/src/<pkg>.tar.xz: take it out of the
            # .deb and unpack it, without installing anything
            member = "./usr/src/%s.tar.xz" % pkg
            subprocess.run("dpkg-deb --fsys-tarfile %s | tar -xOf - %s | "
                           "tar -xJf - -C %s --strip-components=1"
                           % (shlex.quote(os.path.join(dl, debs[0])),
                              shlex.quote(member), shlex.quote(tmp)),
                           shell=True, check=True)
    return _unpacked("%s_%s" % (pkg, version), unpack)


def _latest_package(opts):
    pkg = newest_source(_apt_output(
        opts, ["apt-cache", "search", "--names-only", "^linux-source-"]))
    if pkg is None:
        raise RuntimeError("no linux-source-7.* or 6.15+ in %s"
                           % ", ".join(LATEST_SUITES))
    out = _apt_output(opts, ["apt-cache", "madison", pkg])
    versions = [l.split("|")[1].strip() for l in out.splitlines()
                if l.count("|") >= 2]
    version = _newest_version(versions)
    if not version:
        raise RuntimeError("no version of %s in %s"
                           % (pkg, ", ".join(LATEST_SUITES)))
    return pkg, version
