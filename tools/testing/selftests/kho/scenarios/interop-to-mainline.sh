# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: kernel=khoreg next-kernel=mainline append=kho=on
#
# interop-to-mainline: our 6.12 kernel hands over (kho_selftest's data in a
# sub-blob) to mainline, which must accept the kho-v4 handover and list the
# sub-blob; mainline then hands over back to our kernel, which must accept
# mainline's handover (its KHO test's "kho_test" and "kexec-metadata"
# sub-blobs) and return the memory nobody restored.

stage1() {
	check "kho_selftest preserves its memory" modprobe kho_selftest action=preserve
	kexec_next
}

stage2() {
	dmesg > /tmp/dmesg
	say "booted mainline Linux $(uname -r) through a 6.12 khoreg handover"
	check "mainline accepted the handover" grep -q 'KHO: found kexec handover data' /tmp/dmesg
	check "mainline did not refuse it" sh -c '! grep -q "disabling KHO revival" /tmp/dmesg'
	check "mainline lists our sub-blob" [ -e /sys/kernel/debug/kho/in/sub_fdts/kho-selftest ]
	grep 'KHO' /tmp/dmesg | while IFS= read -r line; do diag "$line"; done
	kexec_next
}

stage3() {
	local released

	say "back on Linux $(uname -r) through mainline's handover"
	check "6.12 accepted mainline's handover" [ -d /sys/firmware/kho ]
	check "mainline's kho_test sub-blob arrived" grep -aq kho_test /sys/firmware/kho/fdt
	check "mainline's kexec-metadata sub-blob arrived" grep -aq kexec-metadata /sys/firmware/kho/fdt
	check "preserved blocks were reserved" \
		[ "$(sed -n 's/^blocks //p' /sys/firmware/kho/summary)" -gt 0 ]
	check "finish the handover" sh -c 'echo 1 > /sys/firmware/kho/finish'
	released=$(sed -n 's/^released_pages //p' /sys/firmware/kho/summary)
	diag "$(tr '\n' ' ' < /sys/firmware/kho/summary)"
	check "mainline's unclaimed memory came back" [ "$released" -gt 0 ]
}
