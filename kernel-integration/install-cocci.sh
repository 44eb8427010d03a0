#!/usr/bin/env bash
# install-cocci.sh KDIR - install daxlint's Coccinelle rules into a kernel
# tree's scripts/coccinelle/dax/, where the kernel's own 'make coccicheck'
# finds them:
#   make coccicheck MODE=report M=fs/ext2
#   make coccicheck MODE=patch COCCI=scripts/coccinelle/dax/removed-api.cocci
# 'install-cocci.sh -u KDIR' removes them again.
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ "${1:-}" = "-u" ]; then
	rm -rf "$2/scripts/coccinelle/dax"
	echo "removed $2/scripts/coccinelle/dax"
	exit 0
fi
KDIR=${1:?usage: install-cocci.sh [-u] KDIR}
if [ ! -f "$KDIR/scripts/coccicheck" ]; then
	echo "install-cocci.sh: $KDIR has no scripts/coccicheck" >&2
	exit 2
fi
dest="$KDIR/scripts/coccinelle/dax"
mkdir -p "$dest"
rm -f "$dest"/*.cocci
cp "$TOP"/cocci/*.cocci "$dest/"
echo "installed $(ls "$dest" | wc -l) daxlint rules into $dest"
