#!/bin/bash
# sparse_bench.sh - daxlint-sparse versus plain sparse (the same sparse
# 0.6.4, built from Debian's source package) on the same translation units,
# in the same run.  The command lines are kbuild's own: one `make C=2` with
# a stand-in CHECK= writes down how kbuild invokes the checker on each unit
# (CHECKFLAGS, c_flags), then each round runs every unit with plain sparse
# and with daxlint-sparse, alternately; the best of N rounds is compared.  Target: ratio of wall
# time <= 1.15.  A benchmark, not a test.
#
#   bench/sparse_bench.sh [KDIR] [ROUNDS]
#
# KDIR defaults to Debian's linux-source-6.1 (daxlint tree); the tree is
# prepared by the sparse engine (O= build in the cache) on first use.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
KDIR=${1:-$(python3 "$TOP/kernel-integration/daxlint" tree 2>/dev/null)}
ROUNDS=${2:-3}
make -s -C "$TOP/sparse-plugin" >/dev/null
SPARSE_DIR=$("$TOP/sparse-plugin/build-sparse.sh")
PLAIN=$SPARSE_DIR/sparse
OURS=$TOP/sparse-plugin/build/daxlint-sparse
OBJDIR=$(cd "$TOP/kernel-integration" && python3 -c "
import sys
from daxlint_lib.engines import sparse_kbuild
print(sparse_kbuild.prepare_tree('$KDIR', 2, lambda s: print(s, file=sys.stderr)))")
# the units the engine's prefilter selects in the DAX filesystems and mm,
# and a few that it would not (the cost of a plain unit)
UNITS=${UNITS:-"fs/dax.o fs/xfs/xfs_file.o fs/xfs/xfs_inode.o \
fs/xfs/xfs_iops.o fs/ext4/inode.o fs/fuse/dax.o mm/gup.o mm/memremap.o \
mm/hugetlb.o fs/ext4/extents.o fs/ext2/inode.o fs/fuse/file.o"}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# kbuild's checker command for each unit, written down by a stand-in CHECK
cat > "$TMP/record" <<'REC'
#!/bin/bash
printf '%q ' "$@" >> "$DAXLINT_RECORD"; echo >> "$DAXLINT_RECORD"
REC
chmod +x "$TMP/record"
CMDS=$TMP/cmds
# (with the engine's make flags: the objects of OBJDIR are built with them)
MAKE_FLAGS=$(cd "$TOP/kernel-integration" && python3 -c "
from daxlint_lib.engines import sparse_kbuild
print(' '.join(sparse_kbuild.MAKE_FLAGS))")
DAXLINT_RECORD=$CMDS make -s -C "$KDIR" O="$OBJDIR" -k -j2 C=2 \
    CHECK="$TMP/record" $MAKE_FLAGS $UNITS >/dev/null 2>&1 || true
n=$(grep -c . "$CMDS" || true)
[ "$n" -gt 0 ] || { echo "no checker command recorded" >&2; exit 1; }

run() {   # run CHECKER -> seconds for every recorded unit
    local start end
    start=$(date +%s.%N)
    (cd "$OBJDIR" && while read -r cmd; do
        [ -n "$cmd" ] && { eval "$1 $cmd" >/dev/null 2>&1 || true; }
    done < "$CMDS")
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

best_plain=999999; best_ours=999999
for i in $(seq "$ROUNDS"); do
    p=$(run "$PLAIN"); o=$(run "$OURS")
    echo "round $i: sparse ${p}s  daxlint-sparse ${o}s"
    best_plain=$(echo "if ($p < $best_plain) $p else $best_plain" | bc)
    best_ours=$(echo "if ($o < $best_ours) $o else $best_ours" | bc)
done
ratio=$(echo "scale=3; $best_ours / $best_plain" | bc)
echo "units: $n  best sparse: ${best_plain}s  best daxlint-sparse:" \
     "${best_ours}s  ratio: $ratio (target <= 1.15)"
