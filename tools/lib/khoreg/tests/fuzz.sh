#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# make fuzz driver: run each libFuzzer target for FUZZ_RUNS executions, or
# FUZZ_TIME seconds when FUZZ_RUNS is empty, from the in-tree handovers and
# descriptions and the regression corpus (fuzz/regressions/), with a corpus
# of its own kept under OUTDIR. Prints one line a target: executions,
# seconds, findings; a finding (a crash, leak or timeout: libFuzzer stops
# at the first) is kept as OUTDIR/artifacts/TARGET-*, its log as
# OUTDIR/TARGET.log, and makes the run fail.
# Usage: fuzz.sh SRC_DIR OUTDIR FUZZ_BIN...
SRC=$1
OUT=$2
shift 2
fail=0

if [ -n "${FUZZ_RUNS:-}" ]; then
	limit="-runs=$FUZZ_RUNS"
else
	limit="-max_total_time=${FUZZ_TIME:-300}"
fi
mkdir -p "$OUT/artifacts"
for bin in "$@"; do
	t=$(basename "$bin")
	mkdir -p "$OUT/corpus-$t"
	"$bin" "$limit" -max_len=65536 -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$OUT/artifacts/$t-" "$OUT/corpus-$t" \
		"$SRC/tests/data" "$SRC/fuzz/regressions" > "$OUT/$t.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$OUT/$t.log")
	secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$OUT/$t.log")
	found=$(find "$OUT/artifacts" -name "$t-*" | wc -l)
	echo "$t: ${runs:-?} executions in ${secs:-?} s, $found finding(s)"
	if [ $rc != 0 ] || [ "$found" != 0 ]; then
		tail -n 30 "$OUT/$t.log"
		fail=1
	fi
done
exit $fail
