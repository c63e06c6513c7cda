#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# mkinitramfs.sh OUT KERNEL [NEXT_KERNEL]: build the test guest's initramfs:
# busybox-static, the static test programs of ../progs, the guest /init and
# helpers, every scenario, the kernel's modules, and the kernel image(s) the
# guest kexecs into (/boot/kernel, and /boot/kernel-2 when NEXT_KERNEL is
# given).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
kho=$(dirname "$here")
out=$1 kernel=$2 next=${3:-}
work=$(dirname "$out")/rootfs
progs=$(dirname "$out")/progs
objtree=${KHOREG_OBJTREE:-}

rm -rf "$work"
mkdir -p "$work"/{bin,proc,sys,dev,tmp,boot,lib/modules,khoreg/scenarios} "$progs"

cp /bin/busybox "$work/bin/busybox"
for applet in $("$work/bin/busybox" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$work/bin/$applet"
done
ln -s bin "$work/sbin"

make -s -C "$kho" OUTPUT="$progs"
cp "$progs"/* "$work/bin/"

install -m 755 "$here/init.sh" "$work/init"
cp "$here/lib.sh" "$work/khoreg/lib.sh"
cp "$kho"/scenarios/*.sh "$work/khoreg/scenarios/"

[ ! -f "$objtree/kernel/kho/bpf_iter.o" ] || make -s -C "$kho/../../../bpf/kho" \
	OBJTREE="$objtree" OUTPUT="$(dirname "$out")/bpf" DESTDIR="$work" install-guest
cp "$kernel" "$work/boot/kernel"
[ -z "$next" ] || cp "$next" "$work/boot/kernel-2"
if [ -n "$objtree" ] && [ -f "$objtree/modules.order" ] && [ -s "$objtree/modules.order" ]; then
	make -s -C "$objtree" modules_install INSTALL_MOD_PATH="$work" \
		INSTALL_MOD_STRIP=1 >/dev/null
fi

(cd "$work" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 --reproducible) > "$out"
