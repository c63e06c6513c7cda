#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench.sh: the first cut of `make bench`. Runs the kho-bench scenario in
# one QEMU guest (a chain of 11 kernels: each restores and checks what the
# previous one preserved, then preserves the next size) and prints a table
# per layout and size: kernel 1 preserve and finalize time, metadata bytes
# (map pages and root FDT), kernel 2 boot-time reservation, restore time,
# and time from kernel 2's start until the restore was verified. KHO_VM_MEM
# is 2G by default here. See lib.sh.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

KHO_VM_MEM=${KHO_VM_MEM:-2G} bench_vm ktap --append khoreg.bench=1 --timeout 1800 kho-bench
status=$?
# shellcheck disable=SC2016 # an awk program
bench_table table '
/# bench kernel1 layout=/ { n++; lay[n] = kv($0, "layout"); by[n] = kv($0, "bytes");
	ext[n] = kv($0, "extents"); pre[n] = kv($0, "preserve_ns"); fin[n] = kv($0, "finalize_ns") }
/# bench kernel1 metadata/ { mp[n] = after($0, "map_pages"); fs[n] = after($0, "fdt_size") }
/# bench kernel2 boot: reserved/ { rsv[++k] = before($0, "us") }
/# bench kernel2 layout=/ { r++; rest[r] = kv($0, "restore_ns")
	b2v[r] = kv($0, "boot_to_verified_ns") }
END {
	printf "%-10s %10s %8s %11s %11s %9s %10s %11s %11s %9s %11s\n", "layout", "bytes",
		"extents", "preserve_ms", "finalize_ms", "k1_ns/pg", "meta_bytes", "k2_resv_ms",
		"restore_ms", "k2_ns/pg", "k2_boot_ms"
	for (i = 1; i <= n; i++) {
		pages = by[i] / 4096
		printf "%-10s %10d %8d %11.3f %11.3f %9.1f %10d %11.3f %11.3f %9.1f %11.1f\n",
			lay[i], by[i], ext[i], pre[i] / 1e6, fin[i] / 1e6,
			(pre[i] + fin[i]) / pages,
			mp[i] * 4096 + fs[i], rsv[i] / 1e3, rest[i] / 1e6,
			(rsv[i] * 1000 + rest[i]) / pages, b2v[i] / 1e6
	}
}' "$bench_out/ktap"
bench_end $status "$bench_out/ktap"
