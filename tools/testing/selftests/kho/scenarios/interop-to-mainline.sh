# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: kernel=khoreg next-kernel=mainline append=kho=on
#
# interop-to-mainline: our 6.12 kernel hands over to Debian's mainline
# kernel.  kho_test_compat preserves random folios in the "kho_test" format
# of mainline's KHO test, and kho_selftest adds a sub-blob mainline knows
# nothing about.  Mainline's built-in test_kho must restore and verify our
# folios, and mainline must run on the scratch areas we handed it, with
# sane memory figures and no KHO error in its log.

mem_kb() { sed -n "s/^$1: *\([0-9]*\) kB/\1/p" /proc/meminfo; }

stage1() {
	say "khoreg $(uname -r) up after $(stage_uptime)s"
	check "kho_test_compat preserves data in mainline's kho_test format" \
		modprobe kho_test_compat
	check "kho_selftest adds a sub-blob mainline does not know" \
		modprobe kho_selftest action=preserve
	dmesg | grep 'kho_test_compat:' | while IFS= read -r line; do diag "$line"; done
	cat /sys/kernel/kho/scratch/* > /interop-scratch
	mem_kb MemTotal > /interop-memtotal
	say "kexec into mainline at uptime $(stage_uptime)s"
	kexec_next
}

stage2() {
	local total free ours

	dmesg > /tmp/dmesg
	say "mainline $(uname -r) up after $(stage_uptime)s"
	check_mainline_abi
	check "mainline accepted khoreg's handover" \
		grep -q 'KHO: found kexec handover data' /tmp/dmesg
	check "mainline's test_kho restored and verified khoreg's folios" \
		grep -q 'test_kho: KHO restore succeeded' /tmp/dmesg
	awk 'NR == FNR { a[FNR] = $1; next } { print a[FNR], $1 }' \
		/sys/kernel/debug/kho/out/scratch_phys \
		/sys/kernel/debug/kho/out/scratch_len > /tmp/scratch
	check "mainline runs on the scratch areas khoreg handed over" \
		diff /interop-scratch /tmp/scratch
	total=$(mem_kb MemTotal) free=$(mem_kb MemFree) ours=$(cat /interop-memtotal)
	diag "MemTotal $total kB (khoreg had $ours kB), MemFree $free kB"
	check "MemTotal is within 10% of khoreg's" [ $((total * 10)) -ge $((ours * 9)) ]
	check "MemFree is at least half of MemTotal and not above it" \
		[ "$free" -le "$total" -a $((free * 2)) -ge "$total" ]
	grep -i kho /tmp/dmesg > /tmp/dmesg.kho
	check "no KHO error in mainline's log" \
		lacks -i /tmp/dmesg.kho 'fail|error|invalid|disabling|incompatible|broken'
}
