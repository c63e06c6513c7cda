#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# make bench: khoctl validate on a 10,000-entry registry blob versus
# "dtc -I dtb -O dts" parsing the same blob. Usage: bench.sh KHOCTL OUTDIR
KHOCTL=$1
OUT=$2
N=${BENCH_ENTRIES:-10000}
ROUNDS=${BENCH_ROUNDS:-5}
mkdir -p "$OUT"

awk -v n="$N" 'BEGIN {
	printf "{ \"registry\": { \"entries\": [\n"
	for (i = 0; i < n; i++) {
		printf "%s{ \"name\": \"dev%d\", ", i ? "," : "", i
		printf "\"compatible\": \"bench,dev-v1\", "
		printf "\"version\": 1, \"owner\": \"bench\", \"fields\": ["
		printf "{ \"name\": \"id\", \"type\": \"u32\", \"value\": %d }, ", i
		printf "{ \"name\": \"count\", \"type\": \"u64\", \"value\": %d }, ", i * 1000
		printf "{ \"name\": \"label\", \"type\": \"string\", "
		printf "\"value\": \"device %d\" }, ", i
		printf "{ \"name\": \"ring\", \"type\": \"u16\", \"value\": [1, 2, 3, 4] } ] }\n"
	}
	printf "] } }\n"
}' > "$OUT/bench.json"
"$KHOCTL" author --registry -o "$OUT/bench.dtb" "$OUT/bench.json" || exit 1
command -v dtc >/dev/null || { echo "dtc not installed"; exit 1; }

now() { date +%s%N; }

t0=$(now)
i=0
while [ $i -lt "$ROUNDS" ]; do
	"$KHOCTL" validate -q "$OUT/bench.dtb" || exit 1
	i=$((i + 1))
done
t1=$(now)
i=0
while [ $i -lt "$ROUNDS" ]; do
	dtc -q -I dtb -O dts -o /dev/null "$OUT/bench.dtb" || exit 1
	i=$((i + 1))
done
t2=$(now)
kv=$(( (t1 - t0) / ROUNDS / 1000 ))
dt=$(( (t2 - t1) / ROUNDS / 1000 ))
size=$(wc -c < "$OUT/bench.dtb")
echo "registry blob: $N entries, $size bytes"
echo "khoctl validate: ${kv} us per run"
echo "dtc -I dtb -O dts: ${dt} us per run"
awk -v a="$kv" -v b="$dt" 'BEGIN { printf "ratio validate/dtc: %.2f\n", a / b }'
