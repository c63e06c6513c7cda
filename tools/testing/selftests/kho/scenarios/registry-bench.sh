# SPDX-License-Identifier: GPL-2.0-only
#
# registry-bench: time the registry's part of finalize (serialize, freeze,
# validate, generate the sub-blob) and the blob's size for 10, 1000 and
# 10000 entries of four fields each. Reports numbers, asserts nothing
# about them.

stage1() {
	local n line us bytes

	diag "entries  blob_bytes  finalize_us"
	for n in 10 1000 10000; do
		check "declare $n entries" modprobe khoreg_test action=bench entries=$n
		check "finalize with $n entries" sh -c 'echo 1 > /sys/kernel/kho/finalize'
		line=$(dmesg | grep 'KHO registry: handing over' | tail -n 1)
		bytes=$(echo "$line" | sed -n 's/.* in \([0-9]*\) bytes.*/\1/p')
		us=$(echo "$line" | sed -n 's/.*(\([0-9]*\) us).*/\1/p')
		check "abort" sh -c 'echo 0 > /sys/kernel/kho/finalize'
		check "unload" rmmod khoreg_test
		diag "$(printf '%7s  %10s  %11s' "$n" "$bytes" "$us")"
		say "registry of $n entries: $bytes bytes, generated in $us us"
	done
}
