#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make deb: Debian packages of khoreg built with Debian's tools, in
# build/deb/: the kernel (mk/deb-kernel.sh: linux-image-VERSION-khoreg,
# linux-headers-VERSION-khoreg) and the tools (mk/deb-tools.sh:
# khoreg-tools, libkhoreg1, libkhoreg-dev, checked by lintian).  Prints
# how long each took; build/deb/times has it too.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "$ARCH" = x86_64 ] || die "make deb builds x86-64 packages only (ARCH=$ARCH)"
# Debian's packaging tools, on top of what make kernel needs.
"$TOP/mk/deps.sh"
"$TOP/mk/deps.sh" debhelper dpkg-dev fakeroot lintian libbpf-dev libelf-dev libfdt-dev \
	zlib1g-dev bpftool clang

t0=$SECONDS
"$TOP/mk/deb-kernel.sh"
t1=$SECONDS
"$TOP/mk/deb-tools.sh"
t2=$SECONDS
{
	echo "kernel packages: $((t1 - t0))s (configure, build under nice -n 19, bindeb-pkg)"
	echo "tools packages: $((t2 - t1))s (dpkg-buildpackage, lintian)"
	echo "on $(nproc) CPU(s), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$BUILD/deb/times"
say "packages in build/deb: $(cd "$BUILD/deb" && ls ./*.deb | sed 's|^\./||' | tr '\n' ' ')"
