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
# Rules that follow calls across a filesystem's files need a directory per
# spatch file group; under scripts/coccicheck's --dir that grouping comes
# from this kbuild-info file (named in those rules' "// Options:").
( cd "$KDIR" && find . -name '*.c' -not -path './.*' -printf '%h %f\n' |
	sort | awk '
	$1 != dir { if (dir != "") printf "\n\n"; dir = $1;
		    d = dir; sub(/^\.\/?/, "", d); if (d == "") d = ".";
		    printf "%s\n ", d }
	{ printf " %s", $2 }
	END { if (dir != "") printf "\n" }' ) > "$dest/kbuild-info"
# spatch looks a directory up in kbuild-info by suffix (the entry as a
# regex after ".*"): fs/xfs also matches "fs", and spatch then skips the
# directory with "too much kbuild info candidate" (hidden by coccicheck's
# --very-quiet).  Nothing in the file can tell them apart, so say which
# directories the rules that follow calls cannot check under coccicheck.
python3 - "$dest/kbuild-info" <<'PY'
import re, sys
ents = [l.strip() for l in open(sys.argv[1])
        if l.strip() and not l[0].isspace()]
rx = [re.compile("(.*)" + e + "$") for e in ents]
bad = [d for d in ents
       if d.startswith(("fs/", "mm/", "drivers/dax", "drivers/nvdimm"))
       and sum(1 for r in rx if r.match(d)) > 1]
if bad:
    import textwrap
    print("note: under 'make coccicheck' spatch cannot group these %d "
          "directories (kbuild-info is matched by suffix): the rules that "
          "follow calls across a directory skip them; 'daxlint check' has "
          "no such limit (docs/cocci.md, \"make coccicheck and "
          "directories\"):" % len(bad))
    print(textwrap.fill(" ".join(bad), initial_indent="  ",
                        subsequent_indent="  "))
PY
echo "installed $(ls "$dest"/*.cocci | wc -l) daxlint rules into $dest"
