#!/bin/bash
# build-sparse.sh - fetch Debian's sparse source package, build libsparse.a
# in a cache directory outside the checkout, and print that directory.
#
#   sparse-plugin/build-sparse.sh          build (idempotent) and print dir
#
# The tree lives in ${XDG_CACHE_HOME:-~/.cache}/daxlint/sparse-<version>/;
# nothing of sparse's code is ever copied into the daxlint checkout.
set -euo pipefail

CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/daxlint
mkdir -p "$CACHE"
log() { echo "build-sparse: $*" >&2; }
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo

# 1. sparse's source package, through a private apt configuration under
#    the cache (daxlint_lib/apt.py): the system's sources are never edited
APT="env PYTHONPATH=$(cd "$(dirname "$0")/../kernel-integration" && pwd) \
    python3 -m daxlint_lib.apt --types deb-src --"

# 2. the minimal tools to unpack and build (no build-dep: sparse's library
#    needs only a C compiler and make; its optional GTK/LLVM tools are off)
missing=
for p in dpkg-dev gcc make; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
    log "apt-get install$missing"
    $SUDO apt-get install -y -qq $missing >&2
fi

VER=$($APT apt-cache showsrc sparse | sed -n 's/^Version: //p' | sort -V | tail -1)
[ -n "$VER" ] || { log "no sparse source package found"; exit 1; }
UPVER=${VER%%-*}
UPVER=${UPVER#*:}
DIR=$CACHE/sparse-$VER
SRC=$DIR/sparse-$UPVER

if [ ! -f "$SRC/libsparse.a" ] || [ ! -x "$SRC/sparse" ]; then
    if [ ! -d "$SRC" ]; then
        mkdir -p "$DIR"
        log "apt-get source sparse=$VER into $DIR"
        (cd "$DIR" && $APT apt-get source -qq "sparse=$VER" >&2)
    fi
    log "building libsparse.a and sparse in $SRC"
    # HAVE_* = no: only the library and the plain checker are needed
    make -C "$SRC" -j"${JOBS:-2}" HAVE_GTK=no HAVE_LLVM=no HAVE_SQLITE=no \
        HAVE_BOOLECTOR=no libsparse.a sparse >&2
fi
echo "$SRC"
