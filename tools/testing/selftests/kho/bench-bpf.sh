#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench-bpf.sh: the BPF part of `make bench`. Runs the bpf-bench scenario
# in one QEMU guest and prints, for a registry of 10000 entries of four
# fields each, the time to read all of it through the kho_registry BPF
# iterator (cat of the pinned iterator; 512-byte reads) and by reading
# every field file of /sys/kernel/kho/registry.
#
# Under TCG (the default) the numbers show how costs scale, not how fast
# real hardware is. Environment: KHO_VM_MEM, KHO_VM_ACCEL.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${KHOREG_BUILD:-$(cd "$here/../../../.." && pwd)/build}/bench
mkdir -p "$out"
"$here/vm/run.sh" --timeout 900 bpf-bench > "$out/bpf.ktap" 2>&1
status=$?

awk '
function kv(line, key) {
	if (match(line, key "=[0-9a-z-]+"))
		return substr(line, RSTART + length(key) + 1, RLENGTH - length(key) - 1)
	return ""
}
/# bench bpf / { n++; e[n] = kv($0, "entries"); r[n] = kv($0, "reader")
	l[n] = kv($0, "lines"); t[n] = kv($0, "ms") }
END {
	printf "%-8s %-13s %8s %10s %12s\n", "entries", "reader", "lines", "time_ms",
		"us/entry"
	for (i = 1; i <= n; i++)
		printf "%-8d %-13s %8d %10d %12.1f\n", e[i], r[i], l[i], t[i],
			t[i] * 1000 / e[i]
}' "$out/bpf.ktap" | tee "$out/bpf-table"
if [ $status -ne 0 ]; then
	echo "bench-bpf.sh: the bpf-bench scenario failed; see $out/bpf.ktap" >&2
	grep '^ *not ok' "$out/bpf.ktap" >&2
fi
exit $status
