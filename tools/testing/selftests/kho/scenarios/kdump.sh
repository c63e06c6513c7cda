# SPDX-License-Identifier: GPL-2.0-only
# khoreg-arch: x86_64: the crash kernel is loaded with Debian's kexec-tools, an x86 binary
# khoreg-vm: sysrq-crash timeout=600 append=crashkernel=256M
# khoreg-vm-qemu: -m 3G
#
# kdump: a crash kernel next to a handover, and a crash in the middle of a
# live update. Kernel 1 preserves kho_selftest's memory and loads a crash
# kernel with Debian's `kexec -p -s` while the handover is pending: the
# load must leave the handover idle, and the live update to kernel 2 must
# restore every byte. Kernel 2, booted through KHO, has its crashkernel=
# memory too; it preserves again, finalizes, loads the crash kernel and the
# next kernel, and crashes (sysrq "c"). The crash kernel (kernel 3) must
# ignore the handover (no KHO boot; KHO disabled in a kdump kernel, no
# scratch), have none of the preserved memory in its own RAM, and find the
# preserved memory intact, byte for byte, in /proc/vmcore.
# 3 GiB: default scratch is twice what a kernel reserved, crashkernel=
# included, in one area below 4 GiB. The next kernel takes its 256 MiB
# from that area in one piece, beside its own image, which KASLR places
# anywhere in the area, so the area needs about twice crashkernel=: sized
# at crashkernel= plus 200% of the rest, kernel 2 found no 256 MiB hole
# ("cannot allocate crashkernel"). In 2 GiB the area, some 700 MiB, does
# not fit in one piece beside the crash region ("cannot reserve 1 scratch
# area(s)").

BLOB=/kdump-selftest-blob

# blob_word N: word N (from 0) of the kho-selftest sub-blob kept in $BLOB
# (struct kho_st_desc: magic, seed, folio_phys[4], folio_order[4],
# range_phys, range_pages, spare_phys, scatter_phys), in hex with 0x.
blob_word() {
	od -A n -t x8 -v -w8 -j $(($1 * 8)) -N 8 $BLOB | tr -d ' ' | sed 's/^/0x/'
}

# preserved_ranges: the physical ranges kho_selftest preserved (its folios,
# spare folio, page range and scattered pages), "START END" in bytes.
preserved_ranges() {
	kho_selftest_pages $BLOB | while read -r pfn count; do
		echo "$((pfn * 4096)) $(((pfn + count) * 4096))"
	done
}

# own_ram_clear: none of this kernel's RAM (System RAM in /proc/iomem)
# overlaps what was preserved.
own_ram_clear() {
	local s e start end

	grep ' : System RAM$' /proc/iomem | tr -d ' ' | tr -- '-:' '  ' > /tmp/ram
	[ -s /tmp/ram ] || { echo "no System RAM in /proc/iomem"; return 1; }
	preserved_ranges > /tmp/preserved
	[ -s /tmp/preserved ] || { echo "no preserved ranges"; return 1; }
	diag "crash kernel RAM: $(awk '{ printf "%s-%s ", $1, $2 }' /tmp/ram)"
	while read -r s e _; do
		start=$((0x$s)) end=$((0x$e + 1))
		while read -r ps pe; do
			if [ "$ps" -lt "$end" ] && [ "$start" -lt "$pe" ]; then
				echo "RAM $s-$e holds preserved $ps-$pe"
				return 1
			fi
		done < /tmp/preserved
	done < /tmp/ram
}

# in_vmcore: the preserved memory holds kho_selftest's pattern in the dump
# (kernel/kho/tests/kho_selftest.c: area i for folio i, 4 for the spare
# folio, 10 for the range, 12 for the scattered pages, whose pattern runs
# on across the 64-page area).
in_vmcore() {
	local seed i phys order

	seed=$(blob_word 1)
	for i in 0 1 2 3; do
		phys=$(blob_word $((2 + i))) order=$(blob_word $((6 + i)))
		vmcore pattern /proc/vmcore $seed $i $phys $((4096 << order)) || return 1
	done
	vmcore pattern /proc/vmcore $seed 4 "$(blob_word 12)" $((4096 << 10)) &&
	vmcore pattern /proc/vmcore $seed 10 "$(blob_word 10)" $((13 * 4096)) || return 1
	for i in $(seq 0 2 62); do
		vmcore pattern /proc/vmcore $seed 12 $(($(blob_word 13) + i * 4096)) 4096 \
			$((i * 512)) > /dev/null || { echo "scattered page $i"; return 1; }
	done
}

stage1() {
	check "crashkernel= memory is reserved" grep -q ' : Crash kernel$' /proc/iomem
	check "kho_selftest preserves its memory" modprobe kho_selftest action=preserve
	check "kexec -p -s loads a crash kernel" kexec_load_crash
	check "a crash kernel is loaded" [ "$(cat /sys/kernel/kexec_crash_loaded)" = 1 ]
	check "loading it left the handover idle" grep -qx idle /sys/kernel/kho/state
	say "crash kernel loaded next to a pending handover; live update"
	kexec_next
}

stage2() {
	check "this is a KHO boot" [ -d /sys/firmware/kho ]
	check "kho_selftest restores every byte" modprobe kho_selftest action=restore
	rmmod kho_selftest
	check "a KHO boot reserves crashkernel= memory too" \
		grep -q ' : Crash kernel$' /proc/iomem
	diag "$(grep ' : Crash kernel$' /proc/iomem | tr -s ' ')"
	check "kho_selftest preserves again" modprobe kho_selftest action=preserve
	check "finalize the handover" sh -c 'echo 1 > /sys/kernel/kho/finalize'
	check "keep the sub-blob for the crash kernel" \
		cp /sys/kernel/kho/blobs/kho-selftest $BLOB
	check "kexec -p -s loads a crash kernel" kexec_load_crash
	check "the handover stays finalized" grep -qx finalized /sys/kernel/kho/state
	kexec_load_next
	check "the next kernel of the live update is loaded" \
		[ "$(cat /sys/kernel/kexec_loaded)" = 1 ]
	say "crashing in the middle of the live update (sysrq c)"
	crash_now
}

stage3() {
	check "this is a kdump kernel with a dump" [ -r /proc/vmcore ]
	check "the crash kernel ignored the handover" [ ! -e /sys/firmware/kho ]
	check "KHO is disabled in the kdump kernel, no scratch reserved" sh -c \
		"dmesg | grep -q 'KHO: disabled in a kdump kernel' &&
		 [ \"\$(cat /sys/kernel/kho/enabled)\" = 0 ] && [ ! -e /sys/kernel/kho/scratch ]"
	check "none of its RAM is preserved memory" own_ram_clear
	vmcore ranges /proc/vmcore > /tmp/vmcore-ranges
	diag "vmcore: $(wc -l < /tmp/vmcore-ranges) PT_LOAD segments," \
		"$(stat -c %s /proc/vmcore) bytes"
	check "the check can fail: folio 0 does not hold folio 1's pattern" \
		fails_with differs vmcore pattern /proc/vmcore "$(blob_word 1)" 1 \
		"$(blob_word 2)" 4096
	check "the preserved memory is intact in /proc/vmcore" in_vmcore
	say "the crash kernel ignored the handover and dumped the preserved memory intact"
}
