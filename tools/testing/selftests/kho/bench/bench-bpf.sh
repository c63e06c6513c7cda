#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench-bpf.sh: the BPF part of `make bench`. Runs the bpf-bench scenario
# in one QEMU guest and prints, for a registry of 10000 entries of four
# fields each, the time to read all of it through the kho_registry BPF
# iterator (cat of the pinned iterator; 512-byte reads) and by reading
# every field file of /sys/kernel/kho/registry. See lib.sh.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

bench_vm bpf.ktap --timeout 900 bpf-bench
status=$?
# shellcheck disable=SC2016 # an awk program
bench_table bpf-table '
/# bench bpf / { n++; e[n] = kv($0, "entries"); r[n] = kv($0, "reader")
	l[n] = kv($0, "lines"); t[n] = kv($0, "ms") }
END {
	printf "%-8s %-13s %8s %10s %12s\n", "entries", "reader", "lines", "time_ms",
		"us/entry"
	for (i = 1; i <= n; i++)
		printf "%-8d %-13s %8d %10d %12.1f\n", e[i], r[i], l[i], t[i],
			t[i] * 1000 / e[i]
}' "$bench_out/bpf.ktap"
bench_end $status "$bench_out/bpf.ktap"
