#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench-registry.sh: the registry part of `make bench`. Runs the
# registry-bench scenario in one QEMU guest and prints, for 10, 1000 and
# 10000 entries (or the sizes of KHO_BENCH_ENTRIES, e.g. "10 1000"), the
# size of the registry sub-blob and the time the registry's part of
# finalize took (serialize, freeze, validate, write). See lib.sh.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

entries=${KHO_BENCH_ENTRIES:-10 1000 10000}
bench_vm registry.ktap --append "khoreg.bench=1 khoreg.bench_entries=${entries// /,}" \
	registry-bench
status=$?
# shellcheck disable=SC2016 # an awk program
bench_table registry-table '
/# bench registry / { n++; e[n] = kv($0, "entries"); b[n] = kv($0, "bytes");
	t[n] = kv($0, "finalize_us") }
END {
	printf "%-8s %12s %14s %12s %12s\n", "entries", "blob_bytes", "bytes/entry",
		"finalize_ms", "us/entry"
	for (i = 1; i <= n; i++)
		printf "%-8d %12d %14.1f %12.3f %12.2f\n", e[i], b[i], b[i] / e[i],
			t[i] / 1e3, t[i] / e[i]
}' "$bench_out/registry.ktap"
bench_end $status "$bench_out/registry.ktap"
