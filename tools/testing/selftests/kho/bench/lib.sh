# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# bench/lib.sh: what the drivers of `make bench` share. Sourced, never run.
# A driver runs its scenario in QEMU with bench_vm, turns the "# bench ..."
# diagnostic lines of the KTAP output into a table with bench_table and
# ends with bench_end. Tables and logs go to $bench_out (build/bench, or
# $KHOREG_BUILD/bench).
#
# Under TCG (the default) the numbers show how costs scale, not how fast
# real hardware is. Environment of every driver: KHO_VM_MEM, KHO_VM_ACCEL
# (vm/run.sh).
set -uo pipefail

bench_kho=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench_out=${KHOREG_BUILD:-$(cd "$bench_kho/../../../.." && pwd)/build}/bench
mkdir -p "$bench_out"

# bench_clock_args: the kernel command line that gives the guests a clock
# resolving nanoseconds under QEMU TCG, which hands the guest the host's
# TSC: tsc=reliable (TCG does not flag its TSC invariant, so Linux would
# drop it as unsynchronized between the CPUs), tsc_early_khz= the host's
# TSC rate measured here (calibrating against the PIT fails on a loaded
# host) and clocksource=tsc. Without them printk times, ktime_get_ns() and
# CLOCK_MONOTONIC fall back to jiffies: 4 ms steps. Empty, with a message,
# when the rate cannot be measured.
bench_clock_args() {
	local khz

	khz=$(make -s -C "$bench_kho" OUTPUT="$bench_out/guest" &&
		"$bench_out/guest/tsc" khz) || khz=
	if [ -z "$khz" ]; then
		echo "${0##*/}: cannot measure the host's TSC rate" >&2
		return 1
	fi
	echo "tsc=reliable tsc_early_khz=$khz clocksource=tsc"
}

# bench_vm LOG [RUN.SH OPTIONS] SCENARIO: run one scenario with vm/run.sh,
# its output into $bench_out/LOG; returns vm/run.sh's status.
bench_vm() {
	local log=$1

	shift
	"$bench_kho/vm/run.sh" "$@" > "$bench_out/$log" 2>&1
}

# The awk helpers of bench_table, for lines such as "# bench registry
# entries=10 bytes=488 finalize_us=95" or "... handed over (812 us)":
#   kv(line, key)       the value of key=VALUE (digits, lower case, '-')
#   before(line, unit)  the number written before " unit"
#   after(line, word)   the number written after "word "
bench_awk_lib='
function kv(line, key) {
	if (!match(line, "(^|[ \t])" key "=[0-9a-z-]+"))
		return ""
	line = substr(line, RSTART, RLENGTH)
	return substr(line, index(line, "=") + 1)
}
function before(line, unit) {
	return match(line, "[0-9]+ " unit) ? substr(line, RSTART) + 0 : ""
}
function after(line, word) {
	return match(line, word " [0-9]+") ? substr(line, RSTART + length(word) + 1) + 0 : ""
}
'

# bench_table TABLE PROGRAM [ARG...]: awk PROGRAM, with the helpers above,
# over ARG... (files, or var=value before standard input); the table is
# printed and kept in $bench_out/TABLE.
bench_table() {
	local table=$1 program=$2

	shift 2
	awk "$bench_awk_lib$program" "$@" | tee "$bench_out/$table"
}

# bench_end STATUS LOG...: exit with STATUS, after naming the logs and their
# failed tests when it is not 0.
bench_end() {
	local status=$1

	shift
	if [ "$status" -ne 0 ]; then
		echo "${0##*/}: a benchmark scenario failed; see $*" >&2
		grep -h '^ *not ok' "$@" >&2
	fi
	exit "$status"
}
