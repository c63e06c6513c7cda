#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# mk/deb-tools.sh: khoreg-tools, libkhoreg1 and libkhoreg-dev, built with
# dpkg-buildpackage from packaging/debian and checked with lintian.  The
# sources the packages need are staged in build/deb/src/khoreg-VERSION
# with packaging/debian as debian/, and the BTF of the packaged kernel
# (or, without one, of `make kernel`'s) as debian/kernel-btf/vmlinux for
# the BPF programs (KHOREG_BTF_VMLINUX=FILE names another vmlinux with
# khoreg's BTF).  The .debs land in build/deb/; the log, lintian's
# report included, is build/logs/deb-tools.log.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

DEB=$BUILD/deb
LOG=$BUILD/logs/deb-tools.log
# What the packages are built from.
DIRS="tools/lib/khoreg tools/kho tools/bpf/kho include/linux/kho/abi README.md"

vmlinux=${KHOREG_BTF_VMLINUX:-}
for v in "$SRC/obj-deb-$ARCH/vmlinux" "$SRC/obj-$ARCH/vmlinux"; do
	[ -z "$vmlinux" ] && [ -f "$v" ] && vmlinux=$v
done
[ -n "$vmlinux" ] || die "no kernel with khoreg's BTF: make deb builds one (or make kernel)"

version=$(dpkg-parsechangelog -l "$TOP/packaging/debian/changelog" -S Version)
version=$version+git$(git -C "$TOP" rev-list --count HEAD)
stage=$DEB/src/khoreg-$version
mkdir -p "$DEB" "$(dirname "$LOG")"
rm -rf "$DEB/src" && mkdir -p "$stage"
git -C "$TOP" ls-files -z --cached --others --exclude-standard -- $DIRS |
	(cd "$TOP" && tar --null -T - -cf -) | tar -xf - -C "$stage"
cp -r "$TOP/packaging/debian" "$stage/debian"
# The staged version: the changelog's plus the number of commits.
sed -i "1s/(\([^)]*\))/($version)/" "$stage/debian/changelog"
mkdir -p "$stage/debian/kernel-btf"
objcopy -O binary --only-section=.BTF "$vmlinux" "$stage/debian/kernel-btf/vmlinux"

say "building khoreg-tools, libkhoreg1, libkhoreg-dev $version" \
    "(BPF against ${vmlinux#$TOP/}; log: ${LOG#$TOP/})"
start=$SECONDS
(cd "$stage" && dpkg-buildpackage -b -uc -us -j"$(nproc)") > "$LOG" 2>&1 ||
	{ tail -30 "$LOG" >&2; die "dpkg-buildpackage failed (log: ${LOG#$TOP/})"; }
say "built in $((SECONDS - start))s"
changes=$(ls "$DEB"/src/khoreg_*.changes)
{
	echo "==> lintian $(lintian --version | awk '{print $2}') --info --display-info --pedantic"
	lintian --info --display-info --pedantic --show-overrides \
		--tag-display-limit 0 "$changes" || true
} > "$DEB/lintian.txt" 2>&1
cat "$DEB/lintian.txt" >> "$LOG"
! grep -q 'No packages selected\|^Skipping' "$DEB/lintian.txt" ||
	die "lintian did not check the packages (build/deb/lintian.txt)"
rm -f "$DEB"/khoreg-tools_*.deb "$DEB"/libkhoreg*.deb
mv "$DEB"/src/*.deb "$DEB/"
say "lintian: $(grep -cE '^E: ' "$DEB/lintian.txt" || true) error(s)," \
    "$(grep -cE '^W: ' "$DEB/lintian.txt" || true) warning(s)," \
    "$(grep -cE '^[IP]: ' "$DEB/lintian.txt" || true) info/pedantic," \
    "$(grep -cE '^O: ' "$DEB/lintian.txt" || true) overridden (build/deb/lintian.txt)"
say "packages: $(cd "$DEB" && ls khoreg-tools_*.deb libkhoreg*.deb | tr '\n' ' ')"
