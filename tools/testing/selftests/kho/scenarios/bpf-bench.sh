# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: named-only
#
# bpf-bench: the BPF workload of `make bench` (tools/testing/selftests/kho/
# bench/bench-bpf.sh). Times reading the whole pending registry through the
# kho_registry BPF iterator (with cat, and in 512-byte reads, which resume
# from the iterator's cursor) against walking /sys/kernel/kho/registry,
# for 10000 entries of four fields each, as "# bench bpf ..." lines.
# Asserts nothing about the numbers.

# Centiseconds since boot.
now() { sed 's/^\([0-9]*\)\.\([0-9]*\) .*/\1\2/' /proc/uptime; }

# bench_row READER LINES T0 T1: one "# bench bpf" line.
bench_row() {
	diag "bench bpf entries=$n reader=$1 lines=$2 ms=$((($4 - $3) * 10))"
}

stage1() {
	local n=10000 t0 t1 lines sysfs_lines

	check "bpffs" mount -t bpf none /sys/fs/bpf
	check "declare $n entries" modprobe khoreg_test action=bench entries=$n
	check "bpftool iter pin" \
		sh -c 'cd / && bpftool iter pin tools/bpf/kho/kho_iter.bpf.o /sys/fs/bpf/kho'
	t0=$(now)
	lines=$(cat /sys/fs/bpf/kho | wc -l)
	t1=$(now)
	bench_row iterator "$lines" "$t0" "$t1"
	t0=$(now)
	lines=$(dd if=/sys/fs/bpf/kho bs=512 2>/dev/null | wc -l)
	t1=$(now)
	bench_row iterator-512 "$lines" "$t0" "$t1"
	t0=$(now)
	sysfs_lines=$(find /sys/kernel/kho/registry -path '*/fields/*' -type f \
		-exec cat {} + | wc -l)
	t1=$(now)
	bench_row sysfs "$sysfs_lines" "$t0" "$t1"
	check "the iterator printed an entry line and every field" \
		[ "$lines" -eq $((sysfs_lines + n)) ]
	check "unpin" rm /sys/fs/bpf/kho
	say "read $n entries through the BPF iterator and through sysfs"
}
