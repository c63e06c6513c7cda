# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: named-only
#
# registry-bench: the registry workload of `make bench`
# (tools/testing/selftests/kho/bench/bench-registry.sh). Times the
# registry's part of finalize (serialize, freeze, validate, write the
# sub-blob) and reports the blob's size for 10, 1000 and 10000 entries of
# four fields each (or the sizes of khoreg.bench_entries=N,N...), as
# "# bench registry ..." lines. Asserts nothing about the numbers. Without
# khoreg.bench=1 on the command line it does nothing.

stage1() {
	local n line us bytes sizes

	if [ "$(khoreg_arg bench)" != 1 ]; then
		ok "registry-bench runs only under make bench (khoreg.bench=1)"
		return
	fi
	sizes=$(khoreg_arg bench_entries | tr , ' ')
	for n in ${sizes:-10 1000 10000}; do
		check "declare $n entries" modprobe khoreg_test action=bench entries=$n
		check "finalize with $n entries" sh -c 'echo 1 > /sys/kernel/kho/finalize'
		line=$(dmesg | grep 'KHO registry: handing over' | tail -n 1)
		bytes=$(echo "$line" | sed -n 's/.* in \([0-9]*\) bytes.*/\1/p')
		us=$(echo "$line" | sed -n 's/.*(\([0-9]*\) us).*/\1/p')
		check "abort" sh -c 'echo 0 > /sys/kernel/kho/finalize'
		check "unload" rmmod khoreg_test
		diag "bench registry entries=$n bytes=$bytes finalize_us=$us"
		say "registry of $n entries: $bytes bytes, written in $us us"
	done
}
