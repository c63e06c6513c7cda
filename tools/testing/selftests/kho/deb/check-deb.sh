#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-deb.sh: the packages of `make deb` on a Debian system (make
# check-deb).  A Debian root file system built with mmdebstrap from
# Debian's archive (cached as build/deb-vm/base-SUITE.tar; the packages of
# deb/packages), the .debs of build/deb installed into it with dpkg, the
# initramfs-tools initrd their kernel's postinst made, booted in QEMU
# (TCG, x86-64) from a virtio disk.  Under systemd, khoreg-check.service
# runs the stages of deb/deb-live-update.sh with the VM harness's guest
# library (vm/lib.sh): the samples load, `khoctl show` reads the pending
# handover, `systemctl kexec` live-updates to the same packaged kernel
# (loaded with `kexec -s`), and the next kernel restores the samples'
# state.  KTAP on stdout, then "N passed, N failed"; exit status 0 when
# every test passed.
#
# Environment: KHOREG_DEB_SUITE (default bookworm), KHO_VM_MEM (default
# 2G), KHO_VM_SMP (default 2), KHOREG_DEB_TIMEOUT (seconds, default 1500).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
kho=$(dirname "$here")
top=$(cd "$kho/../../../.." && pwd)
. "$kho/vm/ktap.sh"

build=${KHOREG_BUILD:-$top/build}
debs=$build/deb
vm=$build/deb-vm
suite=${KHOREG_DEB_SUITE:-bookworm}
scenario=deb-live-update
limit=${KHOREG_DEB_TIMEOUT:-1500}
base=$vm/base-$suite.tar
root=$vm/root
log=$vm/setup.log

say() { printf '==> %s\n' "$*" >&2; }

# base_image: the cached root file system, made again when deb/packages
# changes.
base_image() {
	local pkgs

	pkgs=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$here/packages" | paste -sd, -)
	if [ -f "$base" ] && [ "$(cat "$base.pkgs" 2>/dev/null)" = "$pkgs" ]; then
		return 0
	fi
	command -v mmdebstrap > /dev/null || "$top/mk/deps.sh" mmdebstrap || return 1
	say "building the $suite root file system with mmdebstrap (cached: ${base#$top/})"
	rm -f "$base" "$base.pkgs"
	mmdebstrap --variant=minbase --format=tar --include="$pkgs" "$suite" "$base.new" \
		>> "$log" 2>&1 || return 1
	mv "$base.new" "$base"
	echo "$pkgs" > "$base.pkgs"
}

# in_root CMD...: run CMD chrooted into $root with /proc, /sys and /dev.
in_root() {
	local rc

	mount -t proc none "$root/proc" && mount -t sysfs none "$root/sys" &&
		mount --bind /dev "$root/dev" || { umount_root; return 1; }
	chroot "$root" "$@"
	rc=$?
	umount_root
	return $rc
}

umount_root() {
	local m

	for m in dev sys proc; do
		mountpoint -q "$root/$m" && umount "$root/$m"
	done
	return 0
}

# install_debs: $root is the base with build/deb's packages installed, the
# test files in place and the kernel and initrd copied to $vm; sets $kver.
install_debs() {
	local d

	umount_root
	rm -rf "$root" && mkdir -p "$root"
	tar -xf "$base" -C "$root" || return 1
	mkdir -p "$root/tmp/debs"
	for d in "$debs"/linux-image-*-khoreg_*.deb "$debs"/khoreg-tools_*.deb \
		 "$debs"/libkhoreg*.deb; do
		[ -f "$d" ] || { echo "no $d: run make deb first"; return 1; }
		cp "$d" "$root/tmp/debs/"
	done
	say "installing $(cd "$root/tmp/debs" && ls | tr '\n' ' ')"
	in_root sh -c 'dpkg -i /tmp/debs/*.deb' >> "$log" 2>&1 || return 1
	rm -rf "$root/tmp/debs"
	kver=$(cd "$root/lib/modules" && ls -d *-khoreg | tail -n 1)
	[ -f "$root/boot/initrd.img-$kver" ] || { echo "no initrd for $kver"; return 1; }
	cp "$root/boot/vmlinuz-$kver" "$vm/vmlinuz"
	cp "$root/boot/initrd.img-$kver" "$vm/initrd.img"

	echo '/dev/vda / ext4 defaults 0 1' > "$root/etc/fstab"
	echo khoreg-deb > "$root/etc/hostname"
	mkdir -p "$root/khoreg/scenarios"
	cp "$kho/vm/lib.sh" "$root/khoreg/lib.sh"
	cp "$here/$scenario.sh" "$kho/scenarios/sample-buffer.sh" "$root/khoreg/scenarios/"
	cp "$here/khoreg-check.service" "$root/etc/systemd/system/"
	ln -sf /etc/systemd/system/khoreg-check.service \
		"$root/etc/systemd/system/multi-user.target.wants/khoreg-check.service"
}

# disk_image: $root as an ext4 file system image.
disk_image() {
	rm -f "$vm/disk.img"
	mke2fs -q -t ext4 -L root -d "$root" "$vm/disk.img" 4G >> "$log" 2>&1
}

# boot: QEMU with the packaged kernel and initrd, the results on ttyS1.
boot() {
	# systemd.show_status=error: no progress animation on the console.
	local cmdline="root=/dev/vda rw console=ttyS0 no_timer_check panic=-1"

	cmdline="$cmdline systemd.show_status=error khoreg.scenario=$scenario"
	rm -f "$vm/console.log" "$vm/results.log"
	say "booting $kver in QEMU (TCG): stage 1, systemctl kexec, stage 2 (up to ${limit}s)"
	timeout -k 5 "$limit" qemu-system-x86_64 -accel tcg -cpu max \
		-m "${KHO_VM_MEM:-2G}" -smp "${KHO_VM_SMP:-2}" \
		-nodefaults -no-reboot -display none -vga none \
		-kernel "$vm/vmlinuz" -initrd "$vm/initrd.img" -append "$cmdline" \
		-drive "file=$vm/disk.img,format=raw,if=virtio" -device virtio-rng-pci \
		-serial "file:$vm/console.log" -serial "file:$vm/results.log"
	[ $? -eq 124 ] && timed_out=1 || timed_out=0
}

# report: the guest's results and the harness's own checks, KTAP.
report() {
	local n=0 line crash

	tr -d '\r' < "$vm/results.log" > "$vm/results.txt" 2>/dev/null
	while IFS= read -r line; do
		case $line in
		"khoreg: ok "*) n=$((n + 1)); echo "ok $n ${line#khoreg: ok }" ;;
		"khoreg: not ok "*) n=$((n + 1)); echo "not ok $n ${line#khoreg: not ok }" ;;
		"khoreg: # "*) echo "${line#khoreg: }" ;;
		esac
	done < "$vm/results.txt"
	n=$((n + 1))
	if grep -q "^khoreg: start stage1 $kver\$" "$vm/results.txt" &&
	   grep -q "^khoreg: start stage2 $kver\$" "$vm/results.txt"; then
		echo "ok $n harness: $kver ran stage 1, then after the kexec stage 2"
	else
		echo "not ok $n harness: $kver ran stage 1, then after the kexec stage 2"
		grep '^khoreg: start' "$vm/results.txt" | sed 's/^/# /'
	fi
	n=$((n + 1))
	crash=$(tr -d '\r' < "$vm/console.log" |
		grep -E 'Kernel panic|BUG:|Oops|general protection fault|WARNING: CPU|Call Trace' |
		head -n 5)
	if [ -z "$crash" ]; then
		echo "ok $n harness: no kernel crash or warning"
	else
		echo "not ok $n harness: no kernel crash or warning"
		printf '%s\n' "$crash" | sed 's/^/# /'
	fi
	n=$((n + 1))
	if [ "$timed_out" -eq 0 ] && grep -q '^khoreg: done stage2$' "$vm/results.txt"; then
		echo "ok $n harness: scenario ran to its end"
	else
		echo "not ok $n harness: scenario ran to its end"
		[ "$timed_out" -eq 0 ] || echo "# killed after ${limit}s"
		echo "# last console lines (${vm#$top/}/console.log):"
		tail -n 20 "$vm/console.log" | tr -d '\r' |
			sed -e 's/\x1b\[[0-9;]*[A-Za-z]//g' -e 's/^/# /'
	fi
	echo "1..$n"
}

mkdir -p "$vm"
: > "$log"
kver=none timed_out=0
start=$SECONDS
{
	echo "KTAP version 1"
	echo "1..1"
	if base_image && install_debs >> "$log" 2>&1 && disk_image; then
		boot
		report > "$vm/ktap.body"
		{
			echo "KTAP version 1"
			echo "# Subtest: $scenario"
			grep '^1\.\.' "$vm/ktap.body"
			grep -v '^1\.\.' "$vm/ktap.body"
		} | ktap_indent
		res=ok
		grep -q '^not ok' "$vm/ktap.body" && res="not ok"
	else
		umount_root
		printf '    KTAP version 1\n    # Subtest: %s\n    1..1\n' "$scenario"
		echo "    not ok 1 harness: Debian image with the packages of build/deb"
		tail -n 20 "$log" | sed 's/^/    # /'
		res="not ok"
	fi
	echo "# $scenario took $((SECONDS - start))s"
	echo "$res 1 $scenario"
} | tee "$vm/ktap"
totals=$(ktap_totals < "$vm/ktap")
echo "$totals"
case $totals in
*" passed, 0 failed"*) exit 0 ;;
*) exit 1 ;;
esac
