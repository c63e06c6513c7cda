#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# make check driver: unit tests, golden files, bounded fuzz run; prints KTAP.
# Usage: check.sh TEST_BIN KHOCTL FUZZ_BIN SRC_DIR SHARED_LIB
TEST_BIN=$1
KHOCTL=$2
FUZZ_BIN=$3
SRC=$4
SHARED=$5
DATA=$SRC/tests/data
GOLDEN=$SRC/tests/golden
FUZZ_SMOKE_RUNS=${FUZZ_SMOKE_RUNS:-200000}
FUZZ_SMOKE_TIME=${FUZZ_SMOKE_TIME:-20}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0
n=0

result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		fail=$((fail + 1))
	fi
}

echo "KTAP version 1"
echo "1..4"

# 1: unit tests (nested KTAP from the runner)
"$TEST_BIN"
result $? unit

# 2: golden files: author is deterministic, show/--json/validate match
# golden NAME MODE FILE: run "khoctl MODE FILE" in tests/data (mode json
# runs "khoctl show --json FILE"), compare output and exit status with
# tests/golden/NAME.MODE
golden() {
	gname=$1
	gmode=$2
	shift 2
	case $gmode in
	json)	set -- show --json "$@" ;;
	*)	set -- "$gmode" "$@" ;;
	esac
	gn=$((gn + 1))
	(cd "$DATA" && "$KHOCTL" "$@" > "$TMP/out" 2>&1; echo "exit $?" >> "$TMP/out")
	if cmp -s "$TMP/out" "$GOLDEN/$gname.$gmode"; then
		echo "    ok $gn ${gmode}_$gname"
	else
		echo "    not ok $gn ${gmode}_$gname"
		diff -u "$GOLDEN/$gname.$gmode" "$TMP/out" | head -20 | sed 's/^/    # /'
		gfail=$((gfail + 1))
	fi
}

echo "    KTAP version 1"
gn=0
gfail=0
count=$(ls "$DATA"/*.json | wc -l)
echo "    1..$((count * 4 + 3))"
for json in "$DATA"/*.json; do
	name=$(basename "$json" .json)
	dtb=$name.dtb
	gn=$((gn + 1))
	if (cd "$DATA" && "$KHOCTL" author -o "$TMP/$dtb" "$name.json") &&
	   cmp -s "$TMP/$dtb" "$DATA/$dtb"; then
		echo "    ok $gn author_$name"
	else
		echo "    not ok $gn author_$name"; gfail=$((gfail + 1))
	fi
	golden "$name" show "$dtb"
	golden "$name" json "$dtb"
	golden "$name" validate "$dtb"
done
# a directory laid out like /sys/kernel/kho (fdt, blobs/, memory_map,
# scratch_array): the memory map is summarised and validated as in a bundle
golden sysfs show sysfs
golden sysfs json sysfs
golden sysfs validate sysfs
echo "    # $((gn - gfail)) passed, $gfail failed"
result $gfail golden

# 3: khoctl command line: exit codes, help, finalize/abort on a fake sysfs
cn=0
cfail=0
expect() {
	want=$1
	name=$2
	shift 2
	"$@" > "$TMP/cli.out" 2>&1
	got=$?
	cn=$((cn + 1))
	if [ "$got" = "$want" ]; then
		echo "    ok $cn $name"
	else
		echo "    not ok $cn $name"
		echo "    # exit $got, expected $want: $*"
		sed 's/^/    # /' "$TMP/cli.out" | head -5
		cfail=$((cfail + 1))
	fi
}
echo "    KTAP version 1"
echo "    1..29"
expect 2 no_args "$KHOCTL"
expect 0 help "$KHOCTL" --help
expect 0 version "$KHOCTL" --version
expect 2 bad_command "$KHOCTL" frobnicate
for c in show validate diff author dump finalize abort import; do
	expect 0 help_$c "$KHOCTL" $c --help
done
expect 2 bad_option "$KHOCTL" show --bogus
expect 3 missing_file "$KHOCTL" show "$TMP/nope"
head -c 100 "$DATA/basic.dtb" > "$TMP/trunc.dtb"
expect 1 truncated "$KHOCTL" validate "$TMP/trunc.dtb"
expect 4 diff_differs "$KHOCTL" diff "$DATA/basic.dtb" "$DATA/netboot.dtb"
expect 0 diff_same "$KHOCTL" diff "$DATA/basic.dtb" "$DATA/basic.dtb"
mkdir -p "$TMP/sys"
: > "$TMP/sys/finalize"
expect 0 finalize "$KHOCTL" finalize --sysfs "$TMP/sys"
if [ "$(cat "$TMP/sys/finalize")" != 1 ]; then
	cfail=$((cfail + 1))
	echo "    # finalize wrote '$(cat "$TMP/sys/finalize")'"
fi
expect 0 abort "$KHOCTL" abort --sysfs "$TMP/sys"
if [ "$(cat "$TMP/sys/finalize")" != 0 ]; then
	cfail=$((cfail + 1))
	echo "    # abort wrote '$(cat "$TMP/sys/finalize")'"
fi
expect 3 finalize_no_kho "$KHOCTL" finalize --sysfs "$TMP/nokho"
# import writes the authored registry sub-blob, from JSON or as given
: > "$TMP/sys/registry_import"
expect 0 import_json "$KHOCTL" import --sysfs "$TMP/sys" "$DATA/netboot.json"
"$KHOCTL" author --registry -o "$TMP/netboot-registry.dtb" "$DATA/netboot.json"
if ! cmp -s "$TMP/sys/registry_import" "$TMP/netboot-registry.dtb"; then
	cfail=$((cfail + 1))
	echo "    # import did not write what author --registry writes"
fi
expect 3 import_no_kho "$KHOCTL" import --sysfs "$TMP/nokho" "$DATA/netboot.json"
echo '{ "registry": { "entries": [ { "name": "x", "bogus": 1 } ] } }' > "$TMP/bad.json"
expect 1 import_bad_json "$KHOCTL" import --sysfs "$TMP/sys" "$TMP/bad.json"
# pre-flight against ELF objects carrying (or not) the khoreg ABI note
note() {
	printf '.section .note.khoreg,"a",@note\n.balign 4\n'
	printf '.long 7, 2f - 1f, 1\n.asciz "khoreg"\n.balign 4\n1:'
	for s in "$@"; do printf '.asciz "%s"\n' "$s"; done
	printf '.balign 4\n2:\n'
}
note kho-v4 khoreg-registry-v1 | ${CC:-cc} -c -x assembler -o "$TMP/new.o" -
note kho-v4 | ${CC:-cc} -c -x assembler -o "$TMP/old.o" -
expect 0 preflight_ok "$KHOCTL" validate --target "$TMP/new.o" "$DATA/basic.dtb"
expect 1 preflight_no_registry "$KHOCTL" validate --target "$TMP/old.o" "$DATA/basic.dtb"
expect 1 preflight_no_note "$KHOCTL" validate --target "$DATA/basic.json" "$DATA/basic.dtb"
expect 3 preflight_missing "$KHOCTL" validate --target "$TMP/nope" "$DATA/basic.dtb"
# every function declared in khoreg.h is exported, and nothing else
nm -D --defined-only "$SHARED" | awk '$3 ~ /^(lib)?khoreg_/ { sub(/@.*/, "", $3); print $3 }' |
	sort -u > "$TMP/exported"
grep -oE '\b(lib)?khoreg_[a-z_]*\(' "$SRC/khoreg.h" | tr -d '(' | sort -u > "$TMP/declared"
expect 0 exported_symbols diff "$TMP/declared" "$TMP/exported"
# no name means one thing in the kernel and another in libkhoreg or khoctl
expect 0 kernel_names sh "$SRC/tests/kernel_names.sh"
echo "    # $((cn - cfail)) passed, $cfail failed"
result $cfail cli

# 4: bounded fuzz run over the in-tree handovers and descriptions, and
# every input that once crashed something (fuzz/regressions/)
mkdir -p "$TMP/corpus"
if "$FUZZ_BIN" -runs="$FUZZ_SMOKE_RUNS" -max_total_time="$FUZZ_SMOKE_TIME" -timeout=10 \
	-max_len=65536 -artifact_prefix="$TMP/" "$TMP/corpus" "$DATA" "$SRC/fuzz/regressions" \
	> "$TMP/fuzz.log" 2>&1; then
	echo "    # $(grep -o 'Done [0-9]* runs.*' "$TMP/fuzz.log")"
	result 0 fuzz_smoke
else
	tail -30 "$TMP/fuzz.log" | sed 's/^/    # /'
	result 1 fuzz_smoke
fi

echo "# $((n - fail)) passed, $fail failed"
[ $fail = 0 ]
