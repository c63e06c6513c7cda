#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run every khoreg test suite and report one KTAP document, closed by the
# line "N passed, N failed" (leaf tests).  Exit status 0 when all passed.
# Expects `make kernel tools` to have run for every architecture of
# KHO_ARCHS (the Makefile's check target does).  The VM scenarios run once
# per architecture: suite vm on x86_64, vm-arm64 on arm64 with the
# scenario it supports (or those of KHO_ARM64_SCENARIOS).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$TOP/tools/testing/selftests/kho/vm/ktap.sh"

out=$BUILD/check
mkdir -p "$out"
rm -f "$out/totals"
suites=(series libkhoreg harness)
for a in ${KHO_ARCHS:-x86_64 arm64}; do
	case $a in
	x86_64) suites+=(vm) ;;
	arm64) suites+=(vm-arm64) ;;
	*) die "KHO_ARCHS: $a is not supported (x86_64, arm64)" ;;
	esac
done
# Empty: every scenario; those that cannot run on arm64 are reported as
# skipped with their reason.
KHO_ARM64_SCENARIOS=${KHO_ARM64_SCENARIOS:-}

suite_series() {
	local log=$out/series.log

	"$TOP/mk/series.sh" > "$log" 2>&1
	echo "KTAP version 1"
	echo "1..2"
	if grep -q '^==> the series applies with git am' "$log"; then
		echo "ok 1 make series: patches apply with git am to pristine Linux $(tree_version "$SRC")"
	else
		echo "not ok 1 make series: patches apply with git am to pristine Linux $(tree_version "$SRC")"
		tail -n 20 "$log" | sed 's/^/# /'
	fi
	if grep -q '^==> checkpatch --strict: clean' "$log"; then
		echo "ok 2 make series: checkpatch --strict clean"
	else
		echo "not ok 2 make series: checkpatch --strict clean"
		grep -E '^(checkpatch:|ERROR|WARNING|CHECK)' "$log" | head -n 30 | sed 's/^/# /'
	fi
}

suite_libkhoreg() {
	make -s -C "$TOP/tools/lib/khoreg" check
}

suite_harness() {
	"$TOP/tools/testing/selftests/kho/vm/selftest.sh"
}

suite_vm() {
	ARCH=x86_64 "$TOP/tools/testing/selftests/kho/vm/run.sh" --ktap-only
}

suite_vm-arm64() {
	# shellcheck disable=SC2086 # a list of scenario names
	ARCH=arm64 "$TOP/tools/testing/selftests/kho/vm/run.sh" --ktap-only \
		$KHO_ARM64_SCENARIOS
}

{
	echo "KTAP version 1"
	echo "1..${#suites[@]}"
	i=0
	for s in "${suites[@]}"; do
		i=$((i + 1))
		printf '==> test suite %s\n' "$s" >&2
		"suite_$s" > "$out/$s.ktap" 2>"$out/$s.err"
		echo "    # Subtest: $s"
		ktap_indent < "$out/$s.ktap"
		if grep -q '^ *not ok' "$out/$s.ktap" || ! grep -q '^ *ok' "$out/$s.ktap"; then
			echo "not ok $i $s"
			sed 's/^/# /' "$out/$s.err" | tail -n 20
		else
			echo "ok $i $s"
		fi
	done
} | tee "$out/all.ktap"
ktap_totals < "$out/all.ktap" | tee "$out/totals"
! grep -q '^not ok' "$out/all.ktap"
