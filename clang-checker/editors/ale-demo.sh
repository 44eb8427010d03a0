#!/bin/bash
# The capture in docs/clang-checker/editors.md: Vim with ALE on a
# removed-api fixture, under tmux, the cursor on the finding's line.
#   bash clang-checker/editors/ale-demo.sh      (as root: installs vim-ale)
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
dpkg -s vim-ale tmux >/dev/null 2>&1 ||
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q vim-ale tmux >/dev/null
tmp=$(mktemp -d)
cp "$TOP/tests/fixtures/removed-api/bad-break-unmapi.c" "$tmp/demo.c"
tmux kill-session -t daxlint-demo 2>/dev/null || true
tmux new-session -d -s daxlint-demo -x 150 -y 32 -c "$tmp" \
    "vim -u $TOP/clang-checker/editors/ale.vim +15 demo.c"
# ALE lints on opening the file; the first run may build the module
for _ in $(seq 1 120); do
    sleep 2
    tmux capture-pane -p -t daxlint-demo | grep -q 'daxlint-removed-api' && break
done
tmux capture-pane -p -t daxlint-demo
tmux kill-session -t daxlint-demo
rm -rf "$tmp"
