#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Fetch Debian's newest mainline kernel source (linux-source-7.x from
# trixie-backports) and unpack it into build/mainline/linux: the peer kernel
# of the interop tests.  apt runs with a private source list and state
# directory under build/, so the machine's own apt setup and packages are
# left exactly as they were.  Prints the version; cached until Debian serves
# a newer one (set KHOREG_MAINLINE_OFFLINE=1 to reuse what is there).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

dir=$BUILD/mainline
apt=$dir/apt
mkdir -p "$apt/lists/partial" "$apt/etc" "$apt/cache"
uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
[ -n "$uri" ] || uri=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list)
printf 'Types: deb\nURIs: %s\nSuites: trixie-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
	"$uri" > "$apt/etc/backports.sources"
opts=(-o Dir::Etc::sourcelist=/dev/null -o Dir::Etc::sourceparts="$apt/etc"
      -o Dir::State::Lists="$apt/lists" -o Dir::Cache::archives="$apt/cache"
      -o Debug::NoLocking=1)

if [ "${KHOREG_MAINLINE_OFFLINE:-0}" = 1 ] && [ -f "$dir/linux/Makefile" ]; then
	tree_version "$dir/linux"
	exit 0
fi
apt-get "${opts[@]}" -q update >/dev/null
pkg=$(apt-cache "${opts[@]}" search --names-only '^linux-source-7\.[0-9]+$' |
	awk '{print $1}' | sort -V | tail -n 1)
[ -n "$pkg" ] || die "trixie-backports serves no linux-source-7.x"
ver=$(apt-cache "${opts[@]}" show "$pkg" | awk '/^Version:/ {print $2; exit}')
if [ "$(cat "$dir/linux/.khoreg-package" 2>/dev/null)" != "$pkg $ver" ]; then
	say "fetching $pkg $ver from trixie-backports"
	rm -rf "$dir/deb" "$dir/linux" "$dir"/*.deb
	(cd "$dir" && apt-get "${opts[@]}" -q download "$pkg" >/dev/null 2>&1)
	dpkg -x "$dir"/"$pkg"_*.deb "$dir/deb"
	mkdir -p "$dir/linux"
	tar -xf "$dir"/deb/usr/src/"$pkg".tar.xz -C "$dir/linux" --strip-components=1
	rm -rf "$dir/deb" "$dir"/*.deb
	echo "$pkg $ver" > "$dir/linux/.khoreg-package"
fi
tree_version "$dir/linux"
