# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: named-only
#
# trace-bench: the trace part of `make bench` (tools/testing/selftests/kho/
# bench/trace-bench.sh). Kernel 1 creates handed-over instances of 1, 16 and 64
# MiB through kho_instances and fills each with 1000-byte markers until it
# wraps; kernel 2 restores them. trace_kho's timings go out as
# "# bench trace ..." lines. Without khoreg.bench=1 on the command line it
# does nothing, so `make check` stays quick.

T=/sys/kernel/tracing
SIZES="1 16 64"

bench_lines() {
	dmesg | sed -n "s/.*trace_kho: \(.*$1.*\)/bench trace $2 \1/p" |
		while IFS= read -r line; do diag "$line"; done
}

stage1() {
	local m

	if [ "$(khoreg_arg bench)" != 1 ]; then
		ok "trace-bench runs only under make bench (khoreg.bench=1)"
		return
	fi
	for m in $SIZES; do
		check "a handed-over instance of $m MiB" \
			sh -c "echo 'bench$m ${m}M' > $T/kho_instances"
		check "it is filled with markers" \
			dd if=/dev/zero of=$T/instances/bench$m/trace_marker bs=1000 \
			count=$((m * 1100)) conv=notrunc
	done
	check "the handover is finalized" sh -c 'echo 1 > /sys/kernel/kho/finalize'
	bench_lines 'ring buffer handed over' kernel1
	bench_lines 'sub-blob' kernel1
	kexec_next
}

stage2() {
	local m

	[ "$(khoreg_arg bench)" = 1 ] || return
	bench_lines 'prev: restored' kernel2
	for m in $SIZES; do
		check "bench$m-prev holds markers" \
			grep -q tracing_mark_write $T/instances/bench$m-prev/trace
	done
}
