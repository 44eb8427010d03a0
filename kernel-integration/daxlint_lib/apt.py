"""A private apt configuration under the cache.

daxlint needs suites of the Debian archive that the system's sources may
not list: sparse's source package (deb-src) and, for today's kernels, the
linux-source packages of newer suites.  It never edits /etc/apt: each
(types, suites) set gets its own sources.list, package lists and apt cache
under ${XDG_CACHE_HOME:-~/.cache}/daxlint/apt/, and apt-get or apt-cache
run with -o options pointing there.  The archive's address is the one the
system's sources use for Debian (a mirror or proxy keeps working).

    python3 -m daxlint_lib.apt [--types deb-src] [--suite S]... -- CMD...

runs CMD (apt-get or apt-cache and its arguments) under that
configuration, after fetching its lists if it has none; when CMD fails on
lists fetched by an earlier run, they are refreshed and CMD runs again.
"""
import glob
import hashlib
import os
import re
import subprocess
import sys

from .cachedir import cache_dir

DEFAULT_URI = "http://deb.debian.org/debian"
KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"


def _system_sources():
    texts = []
    for p in ["/etc/apt/sources.list"] + sorted(
            glob.glob("/etc/apt/sources.list.d/*.list") +
            glob.glob("/etc/apt/sources.list.d/*.sources")):
        try:
            with open(p) as fh:
                texts.append(fh.read())
        except OSError:
            pass
    return "\n".join(texts)


def archive_uri(text=None):
    """The URI the system's sources use for the Debian archive (not its
    security archive)."""
    text = _system_sources() if text is None else text
    for uri in re.findall(r"(?m)^\s*(?:URIs:|deb(?:-src)?\s+(?:\[[^]]*\]\s+)?)"
                          r"\s*(\S+)", text):
        if re.search(r"/debian/?$", uri):
            return uri.rstrip("/")
    return DEFAULT_URI


def codename():
    try:
        with open("/etc/os-release") as fh:
            m = re.search(r"(?m)^VERSION_CODENAME=(\S+)", fh.read())
            if m:
                return m.group(1).strip('"')
    except OSError:
        pass
    return "bookworm"


def options(types=("deb",), suites=None, uri=None):
    """apt -o options for a private configuration listing SUITES (default:
    the system's release) of the archive with TYPES."""
    suites = list(suites or [codename()])
    uri = uri or archive_uri()
    signed = " [signed-by=%s]" % KEYRING if os.path.exists(KEYRING) else ""
    lines = ["%s%s %s %s main" % (t, signed, uri, s)
             for t in types for s in suites]
    text = "\n".join(lines) + "\n"
    base = os.path.join(cache_dir("apt"),
                        hashlib.sha256(text.encode()).hexdigest()[:12])
    for d in ("lists/partial", "cache/archives/partial"):
        os.makedirs(os.path.join(base, d), exist_ok=True)
    src = os.path.join(base, "sources.list")
    if not os.path.exists(src):
        with open(src + ".tmp", "w") as fh:
            fh.write(text)
        os.replace(src + ".tmp", src)
    return ["-o", "Dir::Etc::sourcelist=" + src,
            "-o", "Dir::Etc::sourceparts=-",
            "-o", "Dir::State::Lists=" + os.path.join(base, "lists"),
            "-o", "Dir::Cache=" + os.path.join(base, "cache"),
            # the lists live under the user's cache, out of _apt's reach
            "-o", "APT::Sandbox::User=root"]


def _lists_dir(opts):
    return next(o.split("=", 1)[1] for o in opts
                if o.startswith("Dir::State::Lists="))


def update(opts, log=lambda s: None, force=False):
    """apt-get update for OPTS' configuration, unless it has lists already
    (and not FORCE).  True if it ran."""
    stamp = os.path.join(_lists_dir(opts), ".daxlint-updated")
    if os.path.exists(stamp) and not force:
        return False
    log("apt-get update (private configuration %s)"
        % os.path.dirname(_lists_dir(opts)))
    subprocess.run(["apt-get", "-qq"] + opts + ["update"], check=True,
                   stdout=sys.stderr)
    with open(stamp, "w"):
        pass
    return True


def main(argv):
    types, suites = ["deb"], []
    while argv and argv[0] != "--":
        if argv[0] == "--types" and len(argv) > 1:
            types = argv[1].split(",")
            argv = argv[2:]
        elif argv[0] == "--suite" and len(argv) > 1:
            suites.append(argv[1])
            argv = argv[2:]
        else:
            print(__doc__, file=sys.stderr)
            return 2
    cmd = argv[1:]
    if not cmd:
        print(__doc__, file=sys.stderr)
        return 2
    opts = options(types, suites)

    def log(s):
        print("daxlint: " + s, file=sys.stderr)
    try:
        fresh = update(opts, log)
        rc = subprocess.run(cmd[:1] + opts + cmd[1:]).returncode
        if rc != 0 and not fresh:
            # lists from an earlier run may name what the archive dropped
            update(opts, log, force=True)
            rc = subprocess.run(cmd[:1] + opts + cmd[1:]).returncode
    except (OSError, subprocess.CalledProcessError) as exc:
        log(str(exc))
        return 2
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
