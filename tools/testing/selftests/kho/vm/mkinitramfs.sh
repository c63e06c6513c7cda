#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# mkinitramfs.sh OUT KERNEL [KERNEL...]: build the test guest's initramfs:
# busybox-static, the static test programs of ../progs, khoctl, the guest
# /init and helpers, every scenario, the modules of every kernel given, and
# the kernel images the guest kexecs into: the first KERNEL is /boot/kernel,
# the N-th /boot/kernel-N (stage N's kernel; left out when it is the first
# one, which kexec_next falls back to).  A kernel's modules are installed
# when its image lies in a build tree (<objtree>/arch/x86/boot/bzImage).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
kho=$(dirname "$here")
out=$1
shift
work=$(dirname "$out")/rootfs
progs=$(dirname "$out")/progs

rm -rf "$work"
mkdir -p "$work"/{bin,proc,sys,dev,tmp,boot,lib/modules,khoreg/scenarios} "$progs"

cp /bin/busybox "$work/bin/busybox"
for applet in $("$work/bin/busybox" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$work/bin/$applet"
done
ln -s bin "$work/sbin"

make -s -C "$kho" OUTPUT="$progs"
cp "$progs"/* "$work/bin/"
make -s -C "$kho/../../../kho" static >/dev/null
cp "$kho/../../../kho/build/khoctl-static" "$work/bin/khoctl"
# Debian's kexec-tools as users run it: dynamically linked, so with the
# libraries it needs.
cp /sbin/kexec "$work/bin/kexec"
for lib in $(ldd /sbin/kexec | grep -o '/[^ ]*'); do
	mkdir -p "$work$(dirname "$lib")"
	cp -L "$lib" "$work$lib"
done

install -m 755 "$here/init.sh" "$work/init"
cp "$here/lib.sh" "$work/khoreg/lib.sh"
cp "$kho"/scenarios/*.sh "$work/khoreg/scenarios/"

n=0
declare -A installed=()
for kernel in "$@"; do
	n=$((n + 1))
	if [ $n -eq 1 ]; then
		cp "$kernel" "$work/boot/kernel"
	elif [ "$kernel" != "$1" ]; then
		cp "$kernel" "$work/boot/kernel-$n"
	fi
	objtree=$(cd "$(dirname "$kernel")/../../.." && pwd)
	if [ -z "${installed[$objtree]:-}" ] && [ -s "$objtree/modules.order" ]; then
		make -s -C "$objtree" modules_install INSTALL_MOD_PATH="$work" \
			INSTALL_MOD_STRIP=1 >/dev/null
		installed[$objtree]=1
	fi
	[ ! -f "$objtree/kernel/kho/bpf_iter.o" ] || make -s -C "$kho/../../../bpf/kho" \
		OBJTREE="$objtree" OUTPUT="$(dirname "$out")/bpf" DESTDIR="$work" install-guest
done

(cd "$work" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 --reproducible) > "$out"
