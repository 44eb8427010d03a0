#!/usr/bin/env bash
# bootstrap.sh - install what daxlint needs on Debian 12 and run it.
#
#   bash kernel-integration/bootstrap.sh check [KDIR] [daxlint check options]
#       check KDIR (default: Debian's linux-source-6.1, fetched and cached)
#   bash kernel-integration/bootstrap.sh test [run_tests.py options]
#       run the whole test suite
#   bash kernel-integration/bootstrap.sh deps
#       only install the dependencies
#
# Installs with apt-get (as root) only what is missing, so a second run is
# quick; expensive artefacts (the unpacked kernel tree, sparse's build, a
# prepared kernel build) live under ${XDG_CACHE_HOME:-~/.cache}/daxlint.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PACKAGES="python3 make gcc xz-utils grep coccinelle linux-source-6.1"

missing_packages() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q "install ok installed" || echo "$p"
	done
}

install_packages() {
	local miss
	miss=$(missing_packages "$@")
	[ -z "$miss" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "bootstrap: missing packages: $miss; run as root" >&2
		exit 2
	fi
	echo "bootstrap: apt-get install $miss" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq $miss >/dev/null
}

deps() {
	install_packages $PACKAGES
	# engines that need a build: each builds itself into the cache
	# (sparse-plugin's Makefile fetches and builds sparse into the cache)
	if [ -f "$TOP/sparse-plugin/Makefile" ]; then
		make -s -C "$TOP/sparse-plugin" >&2
	fi
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
deps)
	deps
	;;
check)
	deps
	args=()
	if [ $# -gt 0 ] && [ -d "$1" ]; then
		args=(--kernel "$1")
		shift
	fi
	exec python3 "$TOP/kernel-integration/daxlint" check "${args[@]}" "$@"
	;;
test)
	deps
	exec python3 "$TOP/tests/run_tests.py" "$@"
	;;
*)
	sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
	exit 2
	;;
esac
