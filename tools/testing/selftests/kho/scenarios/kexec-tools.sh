# SPDX-License-Identifier: GPL-2.0-only
# khoreg-arch: x86_64: the guest runs the host's Debian kexec-tools, an x86 binary
#
# kexec-tools: Debian's stock kexec-tools, unchanged, carries a KHO
# handover: `kexec -s -l` (kexec_file_load) finalizes the pending handover
# by itself, `kexec -e` boots the next kernel, which restores what
# kho_selftest preserved and verifies it byte for byte.

stage1() {
	check "Debian's kexec-tools runs in the guest" kexec --version
	check "kho_selftest preserves its memory" modprobe kho_selftest action=preserve
	check "the handover starts idle" grep -qx idle /sys/kernel/kho/state
	say "handing over with Debian's kexec -s -l and kexec -e"
	KEXEC_WITH=kexec-tools kexec_next
}

stage2() {
	say "booted through KHO after a stock kexec -s -l"
	check "this is a KHO boot" [ -d /sys/firmware/kho ]
	check "kho_selftest restores and verifies everything" \
		modprobe kho_selftest action=restore
}
