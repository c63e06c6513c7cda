#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# trace-bench.sh: the trace part of `make bench`. Runs the trace-bench
# scenario (handed-over trace instances of 1, 16 and 64 MiB, full of
# markers) and prints, per size, the time kernel 1 takes to allocate,
# preserve and map the buffer, the time finalize spends on the ftrace
# sub-blob (once for all sizes), and the time (and TSC cycles) kernel 2
# takes to restore, check and map it again.
#
# Under TCG (the default) the numbers show how costs scale, not how fast
# real hardware is. Environment: KHO_VM_MEM (default 2G here), KHO_VM_ACCEL.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${KHOREG_BUILD:-$(cd "$here/../../../.." && pwd)/build}/bench
mkdir -p "$out"
KHO_VM_MEM=${KHO_VM_MEM:-2G} "$here/vm/run.sh" --append khoreg.bench=1 \
	--timeout 900 trace-bench > "$out/trace-ktap" 2>&1
status=$?

# Lines look like "# bench trace kernel1 instance bench16: 16384 KiB ring
# buffer handed over at kexec (812 us)" and "# bench trace kernel2
# bench16-prev: restored 16384 KiB of the previous kernel's trace (95 us,
# 210 kcycles)". Kernel 2 restores before its clocks run under TCG, so its
# cost is also given in TSC cycles.
awk '
function us(line) { match(line, /\([0-9]+ us/); return substr(line, RSTART + 1, RLENGTH - 4) }
function kcyc(line) { match(line, /[0-9]+ kcycles/); return substr(line, RSTART, RLENGTH - 8) }
function kib(line) { match(line, /[0-9]+ KiB/); return substr(line, RSTART, RLENGTH - 4) }
/# bench trace kernel1 instance / { n++; size[n] = kib($0); pre[n] = us($0) }
/# bench trace kernel1 ftrace sub-blob/ { blob = us($0) }
/# bench trace kernel2 / { k = kib($0); rest[k] = us($0); cyc[k] = kcyc($0) }
END {
	printf "%-9s %13s %12s %14s %17s\n", "trace_MiB", "k1_create_ms", "finalize_ms",
		"k2_restore_ms", "k2_restore_Mcyc"
	for (i = 1; i <= n; i++)
		printf "%-9d %13.3f %12.3f %14.3f %17.3f\n", size[i] / 1024, pre[i] / 1e3,
			blob / 1e3, rest[size[i]] / 1e3, cyc[size[i]] / 1e3
}' "$out/trace-ktap" | tee "$out/trace-table"
if [ $status -ne 0 ]; then
	echo "trace-bench.sh: the benchmark scenario failed; see $out/trace-ktap" >&2
	grep '^ *not ok' "$out/trace-ktap" >&2
fi
exit $status
