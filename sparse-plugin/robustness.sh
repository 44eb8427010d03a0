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
#   sparse-plugin/robustness.sh --all [KDIR]
#   sparse-plugin/robustness.sh --sweep [KDIR] DIR...
#
# --all does the same for every unit the prepared config builds (make's
# default target: vmlinux and the modules; a full build on first use).
#
# --sweep checks every .c file under DIRs (relative to KDIR) without
# compiling anything: each file gets the checker flags kbuild uses for
# fs/dax.o, plus its own directory as include path (a file that needs
# other flags gets parse errors from both, which is fine: only a crash or
# an exit status that differs from plain sparse's counts as a failure).
# Plain sparse runs only on the files the checker did not pass cleanly.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
SWEEP= ALL=
if [ "${1:-}" = --sweep ]; then SWEEP=1; shift; fi
if [ "${1:-}" = --all ]; then ALL=1; shift; fi
KDIR=${1:-$(python3 "$TOP/kernel-integration/daxlint" tree 2>/dev/null)}
[ $# -gt 0 ] && shift
make -s -C "$TOP/sparse-plugin" >/dev/null || exit 2
PLAIN=$("$TOP/sparse-plugin/build-sparse.sh")/sparse
OURS=$TOP/sparse-plugin/build/daxlint-sparse
OBJDIR=$(cd "$TOP/kernel-integration" && python3 -c "
import sys
from daxlint_lib.engines import sparse_kbuild
print(sparse_kbuild.prepare_tree('$KDIR', 2, lambda s: print(s, file=sys.stderr)))")
if [ -n "$ALL" ]; then
    # a build of everything gets its own directory (same config): the
    # engine's build directory stays free for runs meanwhile
    ALLDIR=${XDG_CACHE_HOME:-$HOME/.cache}/daxlint/robustness-$(basename "$OBJDIR")
    mkdir -p "$ALLDIR"
    cp "$OBJDIR/.config" "$ALLDIR/.config"
    make -s -C "$KDIR" O="$ALLDIR" olddefconfig >/dev/null || exit 2
    OBJDIR=$ALLDIR
fi
DIRS="fs/xfs/ fs/ext4/ fs/ext2/ fs/fuse/ mm/ fs/dax.o"
[ -n "$SWEEP" ] && DIRS=fs/dax.o
[ -n "$ALL" ] && DIRS=
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
from daxlint_lib.engines import sparse_kbuild
print(' '.join(sparse_kbuild.MAKE_FLAGS))")
DAXLINT_RECORD="$LOG/cmds" make -s -C "$KDIR" O="$OBJDIR" -k \
    -j"${JOBS:-2}" C=2 CHECK="$LOG/record" $MAKE_FLAGS $DIRS >/dev/null 2>&1
if [ -n "$SWEEP" ]; then
    [ $# -gt 0 ] || { echo "--sweep needs directories" >&2; exit 2; }
    flags=$(head -1 "$LOG/cmds"); flags=${flags% *}; flags=${flags% }
    export PLAIN OURS OBJDIR KDIR flags
    one() {
        local f=$1 d rc prc
        d=$(dirname "$f")
        (cd "$OBJDIR" && DAXLINT_SPARSE_ALL=1 DAXLINT_SPARSE_QUIET=1 \
            eval "$OURS $flags -I$KDIR/$d -I$d $KDIR/$f" >/dev/null 2>&1)
        rc=$?
        [ $rc -eq 0 ] && { echo "ok $f"; return; }
        (cd "$OBJDIR" && eval "$PLAIN $flags -I$KDIR/$d -I$d $KDIR/$f" \
            >/dev/null 2>&1); prc=$?
        if [ $prc -ge 128 ]; then echo "rejected $f"
        elif [ $rc -ge 128 ] || [ $rc -ne $prc ]; then
            echo "CRASH $f (exit $rc, sparse $prc)"
        else echo "ok $f"; fi
    }
    export -f one
    (cd "$KDIR" && find "$@" -name '*.c' -print0) |
        xargs -0 -n 1 -P "${JOBS:-2}" bash -c 'one "$0"' > "$LOG/res"
    grep '^CRASH' "$LOG/res"
    total=$(wc -l < "$LOG/res")
    crashes=$(grep -c '^CRASH' "$LOG/res")
    skipped=$(grep -c '^rejected' "$LOG/res")
    rm -rf "$LOG"
    echo "files: $total  checker failures: $crashes  plain sparse crashed too: $skipped"
    [ "$crashes" -eq 0 ]
    exit
fi
# each unit: the checker first; plain sparse only where it did not pass
export PLAIN OURS OBJDIR
unit() {
    local cmd=$1 file rc prc err
    file=${cmd##* }
    err=$(mktemp)
    (cd "$OBJDIR" && export DAXLINT_SPARSE_ALL=1 DAXLINT_SPARSE_QUIET=1 &&
        eval "$OURS $cmd" >/dev/null 2>"$err"); rc=$?
    if [ $rc -eq 0 ]; then rm -f "$err"; echo "ok $file"; return; fi
    (cd "$OBJDIR" && eval "$PLAIN $cmd" >/dev/null 2>&1); prc=$?
    if [ $prc -ge 128 ]; then echo "rejected $file"
    elif [ $rc -ge 128 ] || [ $rc -ne $prc ]; then
        echo "CRASH (exit $rc, sparse $prc): $file"
        tail -3 "$err" | sed 's/^/    /'
    else echo "ok $file"; fi
    rm -f "$err"
}
export -f unit
grep -v '^$' "$LOG/cmds" | tr '\n' '\0' |
    xargs -0 -n 1 -P "${JOBS:-2}" bash -c 'unit "$0"' > "$LOG/res"
grep -A3 '^CRASH' "$LOG/res" | grep -v '^ok \|^rejected '
total=$(grep -c '^ok \|^rejected \|^CRASH' "$LOG/res")
crashes=$(grep -c '^CRASH' "$LOG/res")
skipped=$(grep -c '^rejected' "$LOG/res")
rm -rf "$LOG"
echo "units: $total  checker failures: $crashes  rejected by plain sparse: $skipped"
[ "$crashes" -eq 0 ]
