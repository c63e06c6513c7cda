# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: named-only
#
# kho-bench: the workload of `make bench` (tools/testing/selftests/kho/
# bench/bench.sh). Each kernel of a chain restores and checks what the previous
# one preserved with kho_bench, then preserves the next size and layout
# (64 KiB to 1 GiB, scattered 4 KiB pages and max-order blocks) and
# kexecs. Timings go out as "# bench ..." lines. Without khoreg.bench=1
# on the command line it does nothing, so `make check` stays quick.

BENCH_RUNS="contiguous:65536 scattered:65536 contiguous:1048576 scattered:1048576
contiguous:16777216 scattered:16777216 contiguous:268435456 scattered:268435456
contiguous:1073741824 scattered:1073741824"

bench_run() { echo $BENCH_RUNS | tr ' ' '\n' | sed -n "${1}p"; }

bench_stage() {
	local run layout bytes

	if [ "$(khoreg_arg bench)" != 1 ]; then
		ok "kho-bench runs only under make bench (khoreg.bench=1)"
		return
	fi
	if [ "$STAGE" -gt 1 ]; then
		check "kho_bench restores and checks run $((STAGE - 1))" \
			modprobe kho_bench action=restore
		dmesg | grep -m1 'KHO: reserved' | sed 's/.*KHO: /bench kernel2 boot: /' |
			while IFS= read -r line; do diag "$line"; done
		dmesg | sed -n 's/.*kho_bench: kernel2 /bench kernel2 /p' |
			while IFS= read -r line; do diag "$line"; done
		rmmod kho_bench
	fi
	run=$(bench_run "$STAGE")
	[ -n "$run" ] || return
	layout=${run%%:*}
	bytes=${run#*:}
	say "run $STAGE: preserving $bytes bytes, $layout"
	check "kho_bench preserves run $STAGE ($layout, $bytes bytes)" \
		modprobe kho_bench action=preserve layout="$layout" bytes="$bytes"
	dmesg | sed -n 's/.*kho_bench: kernel1 /bench kernel1 /p' |
		while IFS= read -r line; do diag "$line"; done
	diag "bench kernel1 metadata $(tr '\n' ' ' < /sys/kernel/kho/summary)"
	kexec_next
}

for n in 1 2 3 4 5 6 7 8 9 10 11; do
	eval "stage$n() { bench_stage; }"
done
