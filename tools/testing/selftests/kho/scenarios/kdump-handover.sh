# SPDX-License-Identifier: GPL-2.0-only
# khoreg-arch: x86_64: elfcorehdr= names the BIOS area of the x86 PC
#
# kdump-handover: a kdump kernel takes no handover, even one passed to it.
# kexec_file_load() gives a crash kernel none (kdump.sh), so this hands a
# finalized handover to a kernel that is made a kdump kernel by its
# command line alone: elfcorehdr= naming the BIOS area at 0xf0000, which
# holds no ELF header, so the kernel finds no dump there and boots on. It
# must ignore the handover with one log line, reserve no scratch and leave
# KHO disabled.

reason='KHO: a kdump kernel takes no handover; ignoring the handover'

stage1() {
	check "kho_selftest preserves its memory" modprobe kho_selftest action=preserve
	say "handing over to a kernel that is told it is a kdump kernel"
	kexec_next elfcorehdr=0xf0000
}

stage2() {
	check "the kernel is a kdump kernel" grep -q 'elfcorehdr=' /proc/cmdline
	check "it ignored the handover in one log line" \
		[ "$(dmesg | grep -c 'KHO: .*ignoring the handover')" = 1 ]
	check "the reason: a kdump kernel" \
		sh -c "dmesg | grep -qF '$reason'"
	check "no handover arrived" [ ! -e /sys/firmware/kho ]
	check "KHO is disabled, no scratch reserved" sh -c \
		"dmesg | grep -q 'KHO: disabled in a kdump kernel' &&
		 [ \"\$(cat /sys/kernel/kho/enabled)\" = 0 ] && [ ! -e /sys/kernel/kho/scratch ]"
	check "kho_selftest finds nothing to restore" \
		fails_logging 'kho_selftest: no valid kho-selftest sub-blob' \
		modprobe kho_selftest action=restore
}
