#!/usr/bin/env bash
# bootstrap.sh - install what daxlint needs on Debian 12 and run it.
#
#   bash kernel-integration/bootstrap.sh check [KDIR] [daxlint check options]
#       check KDIR (default: Debian's linux-source-6.1, fetched and cached)
#   bash kernel-integration/bootstrap.sh test [run_tests.py options]
#       run the whole test suite
#   bash kernel-integration/bootstrap.sh deps [tidy]
#       only install the dependencies (with "tidy": LLVM 16's as well)
#
# Installs with apt-get (as root) only what is missing, so a second run is
# quick; expensive artefacts (the unpacked kernel tree, sparse's build, a
# prepared kernel build) live under ${XDG_CACHE_HOME:-~/.cache}/daxlint.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PACKAGES="python3 make gcc xz-utils grep coccinelle linux-source-6.1"
# the tidy engine (clang-checker/): LLVM 16, not Debian's default clang 14,
# whose clang-tidy cannot run a plugin built against 16's headers; only
# when tidy is asked for (check --engines ...tidy...) or tested (test)
TIDY_PACKAGES="clang-16 clang-tidy-16 libclang-16-dev llvm-16-dev llvm-16-tools lld-16 cmake"

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

wants_tidy() {
	local a prev=
	for a in "$@"; do
		case "$prev,$a" in
		--engines,*tidy* | *,--engines=*tidy*) return 0 ;;
		esac
		prev=$a
	done
	return 1
}

deps() {
	install_packages $PACKAGES
	if [ "${DAXLINT_TIDY:-0}" = 1 ]; then
		# shellcheck disable=SC2086
		install_packages $TIDY_PACKAGES
		# the plugin itself is built (into the cache) by the driver on
		# first use: clang-checker/CMakeLists.txt, engines/tidy_plugin.py
	fi
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
	[ "${1:-}" = tidy ] && DAXLINT_TIDY=1
	deps
	;;
check)
	wants_tidy "$@" && DAXLINT_TIDY=1
	deps
	args=()
	if [ $# -gt 0 ] && [ -d "$1" ]; then
		args=(--kernel "$1")
		shift
	fi
	exec python3 "$TOP/kernel-integration/daxlint" check "${args[@]}" "$@"
	;;
test)
	# the suite runs the tidy engine's tests too
	DAXLINT_TIDY=1
	deps
	exec python3 "$TOP/tests/run_tests.py" "$@"
	;;
*)
	sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
	exit 2
	;;
esac
