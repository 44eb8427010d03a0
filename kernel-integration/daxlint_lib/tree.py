"""The reference tree: Debian's linux-source-6.1, unpacked once into the
user's cache directory (XDG_CACHE_HOME), keyed by the package version so a
new Debian upload gets a new tree and a fresh clone reuses the old one."""
import fcntl
import os
import shutil
import subprocess

PACKAGE = "linux-source-6.1"
TARBALL = "/usr/src/linux-source-6.1.tar.xz"


def cache_dir(*parts):
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    d = os.path.join(base, "daxlint", *parts)
    os.makedirs(d, exist_ok=True)
    return d


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
    trees = cache_dir("trees")
    dest = os.path.join(trees, "%s_%s" % (PACKAGE, version))
    if os.path.isdir(dest):
        return dest
    with open(os.path.join(trees, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.isdir(dest):
            return dest
        tmp = dest + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
        log("daxlint: unpacking %s into %s" % (TARBALL, dest))
        subprocess.run(["tar", "-xJf", TARBALL, "-C", tmp,
                        "--strip-components=1"], check=True)
        os.rename(tmp, dest)
    return dest
