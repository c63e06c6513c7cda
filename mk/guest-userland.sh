#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# mk/guest-userland.sh ARCH: the Debian packages a test guest of another
# architecture needs from that architecture (busybox-static for its shell;
# libfdt-dev for linking khoctl statically; libbpf-dev, libelf-dev and
# zlib1g-dev for linking khobpf statically; bpftool with the shared
# libraries and dynamic loader it runs with), unpacked into
# build/userland-ARCH, whose path is printed.  apt runs with a private state
# directory under build/ and the machine's own package sources, so the
# machine's apt setup and packages are left as they were (no dpkg
# multiarch).  Cached: fetched again only when the directory is missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: mk/guest-userland.sh ARCH}
case $arch in
arm64) debarch=arm64 ;;
*) die "no foreign guest userland for $arch" ;;
esac
dir=$BUILD/userland-$arch
pkgs=(busybox-static libfdt-dev libbpf-dev libelf-dev zlib1g-dev
      bpftool libelf1 zlib1g libcap2 libc6)

if [ ! -f "$dir/.khoreg-packages" ] ||
   [ "$(cat "$dir/.khoreg-packages")" != "${pkgs[*]}" ]; then
	apt=$BUILD/apt-$debarch
	mkdir -p "$apt/lists/partial" "$apt/cache"
	opts=(-o APT::Architecture="$debarch" -o APT::Architectures="$debarch"
	      -o Dir::State::Lists="$apt/lists" -o Dir::Cache::archives="$apt/cache"
	      -o Dir::State::status=/dev/null -o Debug::NoLocking=1
	      -o APT::Sandbox::User=root)
	say "fetching ${pkgs[*]} for $debarch" >&2
	apt-get "${opts[@]}" -q update >/dev/null
	rm -rf "$dir" "$apt"/*.deb
	(cd "$apt" && apt-get "${opts[@]}" -q download "${pkgs[@]/%/:$debarch}" >/dev/null)
	for deb in "$apt"/*.deb; do
		dpkg-deb -x "$deb" "$dir"
	done
	rm -f "$apt"/*.deb
	echo "${pkgs[*]}" > "$dir/.khoreg-packages"
fi
echo "$dir"
