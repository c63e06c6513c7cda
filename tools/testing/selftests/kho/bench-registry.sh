#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench-registry.sh: the registry part of `make bench`. Runs the
# registry-bench scenario in one QEMU guest and prints, for 10, 1000 and
# 10000 entries, the size of the registry sub-blob and the time the
# registry's part of finalize took (serialize, freeze, validate, write).
#
# Under TCG (the default) the numbers show how costs scale, not how fast
# real hardware is. Environment: KHO_VM_MEM, KHO_VM_ACCEL.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${KHOREG_BUILD:-$(cd "$here/../../../.." && pwd)/build}/bench
mkdir -p "$out"
"$here/vm/run.sh" --append khoreg.bench=1 registry-bench > "$out/registry.ktap" 2>&1
status=$?

awk '
function kv(line, key) {
	if (match(line, key "=[0-9]+"))
		return substr(line, RSTART + length(key) + 1, RLENGTH - length(key) - 1)
	return ""
}
/# bench registry / { n++; e[n] = kv($0, "entries"); b[n] = kv($0, "bytes");
	t[n] = kv($0, "finalize_us") }
END {
	printf "%-8s %12s %14s %12s %12s\n", "entries", "blob_bytes", "bytes/entry",
		"finalize_ms", "us/entry"
	for (i = 1; i <= n; i++)
		printf "%-8d %12d %14.1f %12.3f %12.2f\n", e[i], b[i], b[i] / e[i],
			t[i] / 1e3, t[i] / e[i]
}' "$out/registry.ktap" | tee "$out/registry-table"
if [ $status -ne 0 ]; then
	echo "bench-registry.sh: the registry-bench scenario failed; see $out/registry.ktap" >&2
	grep '^ *not ok' "$out/registry.ktap" >&2
fi
exit $status
