# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: kernel=mainline next-kernel=khoreg append=kho=on kho_scratch=256M,64M,64M
#
# interop-from-mainline: Debian's mainline kernel, whose built-in test_kho
# preserved random folios at boot, hands over to our 6.12 kernel.  Our
# kho_test_compat must restore mainline's folios and verify their checksum,
# and /sys/firmware/kho must show every sub-blob mainline sent, those no
# khoreg driver reads included: listed as unclaimed, then released (and
# named in the log) when the handover is finished.
# Mainline's default scratch, sized from what it reserved at boot, left no
# room on arm64 for our kernel next to a 31 MB initramfs ("Could not find
# any suitable kernel location"): kho_scratch= gives it room.

mem_kb() { sed -n "s/^$1: *\([0-9]*\) kB/\1/p" /proc/meminfo; }

stage1() {
	say "mainline $(uname -r) up after $(stage_uptime)s"
	check_mainline_abi
	check "mainline's test_kho preserved its folios (sub-blob kho_test)" \
		[ -e /sys/kernel/debug/kho/out/sub_fdts/kho_test ]
	ls /sys/kernel/debug/kho/out/sub_fdts > /interop-blobs
	diag "mainline hands over the sub-blobs: $(echo $(cat /interop-blobs))"
	say "kexec into khoreg at uptime $(stage_uptime)s"
	kexec_next
}

stage2() {
	local status=/sys/firmware/kho/blob_status name others= before after

	say "khoreg $(uname -r) up after $(stage_uptime)s"
	check "khoreg accepted mainline's handover" [ -d /sys/firmware/kho ]
	dmesg | grep 'KHO:' | head -n 10 | while IFS= read -r line; do diag "$line"; done
	for name in $(cat /interop-blobs); do
		check "mainline's sub-blob $name is listed" grep -q "^$name " $status
		check "mainline's sub-blob $name is readable" [ -s /sys/firmware/kho/blobs/$name ]
		[ "$name" = kho_test ] || others="$others $name"
	done
	check "kho_test_compat restores mainline's folios and verifies their checksum" \
		modprobe kho_test_compat
	dmesg | grep 'kho_test_compat:' | while IFS= read -r line; do diag "$line"; done
	check "kho_test_compat reports success" \
		sh -c "dmesg | grep -q 'kho_test_compat: KHO restore succeeded'"
	check "kho_test is marked retrieved" grep -q '^kho_test [0-9]* retrieved$' $status
	diag "sub-blobs khoreg does not read:${others:- none}"
	for name in $others; do
		check "$name is unclaimed before finish" grep -q "^$name [0-9]* unclaimed$" $status
	done
	before=$(mem_kb MemFree)
	check "finish the handover" sh -c 'echo 1 > /sys/firmware/kho/finish'
	after=$(mem_kb MemFree)
	diag "MemFree $before kB -> $after kB; $(grep released_pages /sys/firmware/kho/summary)"
	for name in $others; do
		check "$name is released at finish" grep -q "^$name [0-9]* released$" $status
		check "the log names $name as released" sh -c \
			"dmesg | grep -q 'KHO: sub-blob $name ([0-9]* bytes) was retrieved by no'"
	done
	check "unrestored pages went back to the allocator" \
		[ "$(sed -n 's/^released_pages //p' /sys/firmware/kho/summary)" -gt 0 ]
}
