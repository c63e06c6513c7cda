# SPDX-License-Identifier: GPL-2.0-only
#
# kho-corrupt: kernel 1 finalizes a handover and then damages its FDT
# (compatible "kho-v9"); kernel 2 must log one line, ignore the handover
# and boot normally. Then kernel 2 damages its memory map (a root slot
# pointing outside RAM) and kernel 3 must do the same. Kernel 3 takes its
# sub-blob's page out of the map: kernel 4 must refuse a sub-blob outside
# preserved memory the same way.

stage1() {
	check "kho_selftest preserves, finalizes and damages the FDT" \
		modprobe kho_selftest action=corrupt-fdt
	kexec_next
}

refused() {
	check "the damaged handover is refused" [ -d /sys/firmware -a ! -d /sys/firmware/kho ]
	check "one log line says why" [ "$(dmesg | grep -c 'ignoring the handover')" = 1 ]
	dmesg | grep 'ignoring the handover' | while IFS= read -r line; do diag "$line"; done
	check "nothing can be restored" fails_logging \
		'kho_selftest: no valid kho-selftest sub-blob' modprobe kho_selftest action=restore
	check "KHO is still usable" [ "$(cat /sys/kernel/kho/state)" = idle ]
}

stage2() {
	refused
	check "kho_selftest preserves, finalizes and damages the memory map" \
		modprobe kho_selftest action=corrupt-map
	kexec_next
}

stage3() {
	refused
	check "kho_selftest preserves, finalizes and takes its sub-blob out of the map" \
		modprobe kho_selftest action=corrupt-blob
	kexec_next
}

stage4() {
	refused
	msg='KHO: a sub-blob is not wholly in preserved memory (at 0x[0-9a-f]*); ignoring'
	check "the log names the sub-blob outside preserved memory" \
		sh -c "dmesg | grep -q '$msg the handover'"
}
