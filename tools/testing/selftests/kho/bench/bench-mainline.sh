#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench-mainline.sh [--report]: the head-to-head benchmark of `make bench`.
# Runs the kho-test-bench scenario on a mainline -> mainline chain
# (mainline's built-in lib/test_kho.c) and on a khoreg -> khoreg chain
# (kho_test_compat), with the same workload (test_kho.max_mem, default
# 1 GiB of random-order folios), command line, QEMU settings and
# initramfs, and prints one row per kernel and run, in milliseconds:
#
#   k1_load      kernel 1: kexec_file_load() (khoreg finalizes in it)
#   k1_total     kernel 1: the test's init call (fill the folios with random
#                bytes, checksum and preserve them) plus k1_load: what
#                kernel 1 spends on the handover before kexec -e
#   k2_boot      kernel 2: clock start to "Run /init as init process"
#   k2_test      kernel 2: the test's init call: restore and verify
#   k2_verif     kernel 2: clock start to "KHO restore succeeded" (the
#                module of khoreg is loaded from /init, mainline's test is
#                built in and runs before it)
#   k2_kernel    kernel 2: kernel time until booted and verified: k2_boot,
#                plus k2_test when the test ran after /init
#   k2_kboot     what the handover adds to booting: kernel 2's boot to /init
#                less kernel 1's (a cold boot), both without the test
#   k1_kho, k2_kho  khoreg only (kho_test_compat's own log): its preserve
#                calls, and its restore calls
#   meta_KiB     khoreg only: map pages and root FDT of the handover
#
# then the ratios khoreg / mainline of the medians. dmesg times count from
# the kernel's clock start in early setup_arch(), on the TSC
# (bench_clock_args in lib.sh). Environment: KHO_BENCH_RUNS (default 3),
# KHO_BENCH_BYTES (default 1073741824), KHO_BENCH_DMESG=1 (keep both
# kernels' logs in the ktap files, for profiling), KHO_VM_MEM (default 2G
# here). See lib.sh.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

runs=${KHO_BENCH_RUNS:-3}
bytes=${KHO_BENCH_BYTES:-1073741824}
clock=$(bench_clock_args) || exit 1
append="kho=on printk.time=1 initcall_debug nokaslr $clock test_kho.max_mem=$bytes"
[ "${KHO_BENCH_DMESG:-0}" = 1 ] && append="$append khoreg.bench_dmesg=1"
status=0

# One chain per kernel and run, alternating so that drifting host load
# affects both alike. The third kernel never boots: it puts the other
# kernel's image and modules into the initramfs, so both chains carry the
# same bytes. --report prints the table of the last runs again.
if [ "${1:-}" = --report ]; then
	runs=$(find "$bench_out" -maxdepth 1 -name 'mainline-*-khoreg.ktap' | wc -l)
else
	rm -f "$bench_out"/mainline-*.ktap
	for run in $(seq "$runs"); do
		for kernel in mainline khoreg; do
			[ $kernel = khoreg ] && other=mainline || other=khoreg
			KHO_VM_MEM=${KHO_VM_MEM:-2G} bench_vm "mainline-$run-$kernel.ktap" \
				--timeout 1200 --kernels "$kernel,$kernel,$other" \
				--append "$append" kho-test-bench || status=1
		done
	done
fi

# shellcheck disable=SC2016 # an awk program
for run in $(seq "$runs"); do
	for kernel in mainline khoreg; do
		sed -n "s/^ *# bench kho_test /run=$run /p" "$bench_out/mainline-$run-$kernel.ktap"
	done
done | bench_table mainline-table '
function ms(us) { return us < 0 ? "-" : sprintf("%.0f", us / 1000) }
function median(list,   a, n, i, j, t) {
	n = split(list, a, " ")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
	k = substr($1, 5) "," substr($2, 8)
	if (!(k in seen)) { seen[k] = 1; order[++n] = k }
	for (i = 3; i <= NF; i++) {
		split($i, f, "=")
		v[k, f[1]] = f[2]
	}
}
END {
	printf "kho_test workload: %d bytes of random-order folios, %d run(s)\n", bytes, runs
	printf "%-8s %3s %7s %8s %7s %7s %8s %9s %8s %6s %6s %8s\n", "kernel", "run",
		"k1_load", "k1_total", "k2_boot", "k2_test", "k2_verif", "k2_kernel",
		"k2_kboot", "k1_kho", "k2_kho", "meta_KiB"
	for (i = 1; i <= n; i++) {
		k = order[i]
		split(k, rk, ",")
		if (!((k, "k1_init") in v) || !((k, "k1_load") in v)) {
			printf "%-8s %3s  (no figures: see the ktap file)\n", rk[2], rk[1]
			continue
		}
		k1t = v[k, "k1_init"] + v[k, "k1_load"]
		k2k = v[k, "k2_init"]
		# Boot time without the test, kernel 2 less kernel 1.
		kb = v[k, "k2_init"] - v[k, "k1_boot"]
		if (v[k, "k2_verified"] > v[k, "k2_init"])
			k2k += v[k, "k2_test"]
		else
			kb -= v[k, "k2_test"]
		if (v[k, "k1_end"] <= v[k, "k1_boot"])
			kb += v[k, "k1_init"]
		printf "%-8s %3s %7s %8s %7s %7s %8s %9s %8s %6s %6s %8s\n", rk[2], rk[1],
			ms(v[k, "k1_load"]), ms(k1t), ms(v[k, "k2_init"]),
			ms(v[k, "k2_test"]), ms(v[k, "k2_verified"]), ms(k2k),
			sprintf("%+d", kb / 1000),
			ms((k, "k1_kho") in v ? v[k, "k1_kho"] : -1),
			ms((k, "k2_kho") in v ? v[k, "k2_kho"] : -1),
			(k, "meta_bytes") in v && v[k, "meta_bytes"] ? \
				sprintf("%.0f", v[k, "meta_bytes"] / 1024) : "-"
		k1[rk[2]] = k1[rk[2]] " " k1t
		k2v[rk[2]] = k2v[rk[2]] " " v[k, "k2_verified"]
		k2k_[rk[2]] = k2k_[rk[2]] " " k2k
	}
	if (k1["mainline"] == "" || k1["khoreg"] == "")
		exit
	printf "khoreg / mainline of the medians: k1_total %.2f, k2_verif %.2f, k2_kernel %.2f\n",
		median(k1["khoreg"]) / median(k1["mainline"]),
		median(k2v["khoreg"]) / median(k2v["mainline"]),
		median(k2k_["khoreg"]) / median(k2k_["mainline"])
}' bytes="$bytes" runs="$runs"
bench_end $status "$bench_out"/mainline-*.ktap
