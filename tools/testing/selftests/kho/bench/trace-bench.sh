#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# trace-bench.sh: the trace part of `make bench`. Runs the trace-bench
# scenario (handed-over trace instances of 1, 16 and 64 MiB, full of
# markers) and prints, per size, the time kernel 1 takes to allocate,
# preserve and map the buffer, the time finalize spends on the ftrace
# sub-blob (once for all sizes), and the time (and TSC cycles) kernel 2
# takes to restore, check and map it again. KHO_VM_MEM is 2G by default
# here. See lib.sh.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

KHO_VM_MEM=${KHO_VM_MEM:-2G} bench_vm trace-ktap --append khoreg.bench=1 --timeout 900 \
	trace-bench
status=$?
# Lines look like "# bench trace kernel1 instance bench16: 16384 KiB ring
# buffer handed over at kexec (812 us)" and "# bench trace kernel2
# bench16-prev: restored 16384 KiB of the previous kernel's trace (95 us,
# 210 kcycles)". Kernel 2 restores before its clocks run under TCG, so its
# cost is also given in TSC cycles.
# shellcheck disable=SC2016 # an awk program
bench_table trace-table '
/# bench trace kernel1 instance / { n++; size[n] = before($0, "KiB"); pre[n] = before($0, "us") }
/# bench trace kernel1 ftrace sub-blob/ { blob = before($0, "us") }
/# bench trace kernel2 / { k = before($0, "KiB"); rest[k] = before($0, "us")
	cyc[k] = before($0, "kcycles") }
END {
	printf "%-9s %13s %12s %14s %17s\n", "trace_MiB", "k1_create_ms", "finalize_ms",
		"k2_restore_ms", "k2_restore_Mcyc"
	for (i = 1; i <= n; i++)
		printf "%-9d %13.3f %12.3f %14.3f %17.3f\n", size[i] / 1024, pre[i] / 1e3,
			blob / 1e3, rest[size[i]] / 1e3, cyc[size[i]] / 1e3
}' "$bench_out/trace-ktap"
bench_end $status "$bench_out/trace-ktap"
