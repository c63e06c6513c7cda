#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# mkinitramfs.sh OUT KERNEL [KERNEL...]: build the test guest's initramfs:
# busybox-static, the static test programs of ../guest, khoctl, the guest
# /init and helpers, every scenario, the modules of every kernel given, and
# the kernel images the guest kexecs into: the first KERNEL is /boot/kernel,
# the N-th /boot/kernel-N (stage N's kernel; left out when it is the first
# one, which kexec_next falls back to).  A kernel's modules are installed
# when its image lies in a build tree (<objtree>/arch/*/boot/IMAGE), and
# so are the external modules of KHO_VM_EXTMODS ("OBJTREE=MODDIR ...",
# each built with make -C OBJTREE M=MODDIR) built for that tree.
# ARCH=arm64 builds an arm64 guest: Debian's arm64 busybox-static, libfdt,
# libbpf and bpftool (mk/guest-userland.sh), programs and khobpf
# cross-built with aarch64-linux-gnu-gcc, and no kexec-tools, which is the
# host's x86 one.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
kho=$(dirname "$here")
top=$(cd "$kho/../../../.." && pwd)
out=$1
shift
work=$(dirname "$out")/rootfs
guest=$(dirname "$out")/guest
arch=${ARCH:-x86_64}
case $arch in
x86_64)
	busybox=/bin/busybox cross=() bpf=()
	khoctl=$top/tools/kho/build/khoctl-static
	;;
arm64)
	userland=$("$top/mk/guest-userland.sh" arm64)
	busybox=$userland/bin/busybox
	cross=(CC=aarch64-linux-gnu-gcc AR=aarch64-linux-gnu-ar OUTPUT=build/arm64/
	       LIB_OUTPUT=build/arm64/ "CFLAGS=-O2 -g -I$userland/usr/include"
	       "LDFLAGS=-L$userland/usr/lib/aarch64-linux-gnu")
	khoctl=$top/tools/kho/build/arm64/khoctl-static
	bpf=(ARCH=arm64 "SYSROOT=$userland")
	;;
*)
	echo "mkinitramfs.sh: ARCH=$arch is not supported" >&2
	exit 2
	;;
esac

rm -rf "$work"
mkdir -p "$work"/{bin,proc,sys,dev,tmp,boot,lib/modules,khoreg/scenarios} "$guest"

cp "$busybox" "$work/bin/busybox"
# The applets are listed by the host's busybox-static, the same Debian
# version, since a foreign one cannot run here.
for applet in $(/bin/busybox --list); do
	[ "$applet" = busybox ] || ln -s busybox "$work/bin/$applet"
done
ln -s bin "$work/sbin"
# The users su knows: scenarios run commands as nobody (as_nobody).
mkdir -p "$work/etc"
printf '%s\n' root:x:0:0:root:/:/bin/sh nobody:x:65534:65534:nobody:/:/bin/sh \
	> "$work/etc/passwd"
printf '%s\n' root:x:0: nogroup:x:65534: > "$work/etc/group"

make -s -C "$kho" OUTPUT="$guest" ${cross[0]:+"${cross[0]}"}
cp "$guest"/* "$work/bin/"
make -s -C "$top/tools/kho" static "${cross[@]}" >/dev/null
cp "$khoctl" "$work/bin/khoctl"
if [ "$arch" = x86_64 ]; then
	# Debian's kexec-tools as users run it: dynamically linked, so with
	# the libraries it needs.
	cp /sbin/kexec "$work/bin/kexec"
	for lib in $(ldd /sbin/kexec | grep -o '/[^ ]*'); do
		mkdir -p "$work$(dirname "$lib")"
		cp -L "$lib" "$work$lib"
	done
fi

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
	if [ -z "${installed[$objtree]:-}" ]; then
		installed[$objtree]=1
		mods=()
		[ -s "$objtree/modules.order" ] && mods=("")
		for pair in ${KHO_VM_EXTMODS:-}; do
			[ "${pair%%=*}" = "$objtree" ] && mods+=("M=${pair#*=}")
		done
		for m in "${mods[@]}"; do
			make -s -C "$objtree" ARCH="$arch" ${m:+"$m"} modules_install \
				INSTALL_MOD_PATH="$work" INSTALL_MOD_STRIP=1 \
				${cross[0]:+CROSS_COMPILE=aarch64-linux-gnu-} >/dev/null
		done
	fi
	[ -f "$objtree/kernel/kho/bpf_iter.o" ] || continue
	make -s -C "$kho/../../../bpf/kho" OBJTREE="$objtree" OUTPUT="$(dirname "$out")/bpf" \
		DESTDIR="$work" ${bpf[0]:+"${bpf[@]}"} install-guest
done

(cd "$work" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 --reproducible) > "$out"
