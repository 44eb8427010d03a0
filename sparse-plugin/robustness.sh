#!/bin/bash
# robustness.sh - daxlint-sparse must never crash on a file that plain
# sparse accepts.  Runs kbuild's own checker invocations (make -k C=2) over
# fs/xfs, fs/ext4, fs/ext2, fs/fuse, fs/dax.c and mm/ of a prepared tree
# with DAXLINT_SPARSE_ALL=1 (every function through the lock-state
# dataflow and every check, not only those the prefilter would pick), and
# lists any unit on which the checker died (signal, or exit status >= 128)
# while plain sparse did not.
#
#   sparse-plugin/robustness.sh [KDIR]      (default: Debian's 6.1 tree)
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
KDIR=${1:-$(python3 "$TOP/kernel-integration/daxlint" tree 2>/dev/null)}
make -s -C "$TOP/sparse-plugin" >/dev/null || exit 2
PLAIN=$("$TOP/sparse-plugin/build-sparse.sh")/sparse
OURS=$TOP/sparse-plugin/build/daxlint-sparse
OBJDIR=$(cd "$TOP/kernel-integration" && python3 -c "
import sys
from daxlint_lib import sparse_engine
print(sparse_engine.prepare_tree('$KDIR', 2, lambda s: print(s, file=sys.stderr)))")
DIRS="fs/xfs/ fs/ext4/ fs/ext2/ fs/fuse/ mm/ fs/dax.o"
LOG=$(mktemp -d)
# record each unit's checker command with a stand-in CHECK that only writes
# its arguments down (kbuild runs it after compiling each object)
cat > "$LOG/record" <<'REC'
#!/bin/bash
printf '%q ' "$@" >> "$DAXLINT_RECORD"; echo >> "$DAXLINT_RECORD"
REC
chmod +x "$LOG/record"
# (with the engine's make flags: the objects of OBJDIR are built with them)
MAKE_FLAGS=$(cd "$TOP/kernel-integration" && python3 -c "
from daxlint_lib import sparse_engine
print(' '.join(sparse_engine.MAKE_FLAGS))")
DAXLINT_RECORD="$LOG/cmds" make -s -C "$KDIR" O="$OBJDIR" -k \
    -j"${JOBS:-2}" C=2 CHECK="$LOG/record" $MAKE_FLAGS $DIRS >/dev/null 2>&1
total=0; crashes=0; skipped=0
while read -r cmd; do
    [ -n "$cmd" ] || continue
    total=$((total + 1))
    file=${cmd##* }
    (cd "$OBJDIR" && eval "$PLAIN $cmd" >/dev/null 2>&1); prc=$?
    if [ $prc -ge 128 ]; then skipped=$((skipped + 1)); continue; fi
    (cd "$OBJDIR" && export DAXLINT_SPARSE_ALL=1 DAXLINT_SPARSE_QUIET=1 &&
        eval "$OURS $cmd" >/dev/null 2>"$LOG/err"); rc=$?
    if [ $rc -ge 128 ] || [ $rc -ne $prc ]; then
        crashes=$((crashes + 1))
        echo "CRASH (exit $rc, sparse $prc): $file"
        tail -3 "$LOG/err"
    fi
done < "$LOG/cmds"
rm -rf "$LOG"
echo "units: $total  checker failures: $crashes  rejected by plain sparse: $skipped"
[ $crashes -eq 0 ]
