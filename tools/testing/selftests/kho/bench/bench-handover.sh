#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench-handover.sh [--report]: the handover's own cost, khoreg against
# mainline, in one run. For each workload (KHO_BENCH_WORKLOADS, default
# "scattered:67108864 scattered:134217728 contiguous:1073741824
# memfd:1073741824 memfds:8192000": every other 4 KiB page, or max-order
# blocks, preserved by kho_bench; mainline's kernel 2 reservation grows
# with the square of the scattered pages, minutes at 1 GiB under TCG; or
# Live Update through /dev/liveupdate by guest/luo_bench.c, with
# liveupdate=on: one 1 GiB memfd in one session, 500 memfds of 16 KiB in
# 50 sessions) it runs the kho-handover-bench scenario
# KHO_BENCH_RUNS times (default 5) on a mainline -> mainline chain and on
# khoreg -> khoreg, alternating, with the same kho_bench module (built
# from kernel/kho/tests/kho_bench.c as an external module for both) and
# luo_bench program, command line, QEMU settings and initramfs, and prints
# one table per workload: the median of each phase on mainline and on
# khoreg, and khoreg / mainline.
#
# The clock: the guests boot with bench_clock_args (lib.sh), so printk
# times, ktime_get_ns() and the TSC all resolve nanoseconds instead of the
# 4 ms jiffies they fall back to under TCG. kho_bench measures the
# resolution in kernel 1; the table's header prints it, the bench stops if
# it is coarser than a microsecond, and prints figures below it as "<RES".
#
# Phases (us, medians):
#   preserve      kernel 1: kho_preserve_pages() of every extent, the list;
#                 memfd*: creating the sessions and preserving the memfds
#   finalize      kernel 1: kho_finalize() (khoreg; mainline has none;
#                 memfd*: none, "-")
#   kexec_load    kernel 1: kexec_file_load() (mainline serializes in it;
#                 khoreg finalizes in it for memfd*, freezing the sessions)
#   kexec_to_k2   kexec -e (the counter just before the reboot call) to
#                 kernel 2's clock start, right after its first printks
#                 (memfd*: mainline freezes the sessions in it); the sum of
#   k1_down         kexec -e to kernel 1's "Starting new kernel" (console):
#                   reboot notifiers, device and syscore shutdown
#   jump            from there to kernel 2's clock start: stopping the
#                   CPUs, copying staged segments, purgatory (its digest),
#                   decompressing kernel 2 and its first steps
#   k2_reserve    kernel 2, "Built N zonelists" to "SLUB:": where both
#                 kernels reserve the preserved memory (kho_memory_init())
#                 and memblock releases the rest to the page allocator
#   k1_same       the same in kernel 1, a cold boot, for reference
#   k2_to_init    kernel 2's clock start to "Run /init"
#   restore       kernel 2: kho_bench's restore and check of every page;
#                 memfd*: retrieving every session and memfd and finishing
#                 the sessions (khoreg restored the memfds at boot, mainline
#                 restores them here)
#   blackout      kexec -e to kernel 2's userspace with the state restored
#                 (the counter after modprobe kho_bench action=restore, or
#                 once luo_bench retrieved every memfd)
#   map_KiB/GiB   kernel 1: the handover's map pages and FDT per GiB
#                 preserved (khoreg's summary; mainline writes the same
#                 kho-v4 radix tree for the same pages and shows no count)
#   scratch_MiB   scratch kernel 1 reserved by default (cold boot)
#   memfree_MiB   kernel 2: MemFree after kho_bench freed the workload
# The mainline kernel: KHO_BENCH_MAINLINE=like (the default) is mainline
# configured as khoreg's test kernel is (mk/kernel.sh mainline-like: BTF,
# BPF, networking, KUnit, ...), built here, so that both kernels have about
# the same image to load, decompress and boot; peer is the small interop
# peer of make check.
# Environment: KHO_BENCH_RUNS, KHO_BENCH_WORKLOADS, KHO_VM_MEM (default 3G
# here; 4 GiB workloads need about 10G), KHO_BENCH_STAGED=1 (a third chain
# per run, khoreg with kho_staged_load=1: its image staged and hashed for
# purgatory instead of loaded in place; the table gets a column). See lib.sh.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

runs=${KHO_BENCH_RUNS:-5}
workloads=${KHO_BENCH_WORKLOADS:-scattered:67108864 scattered:134217728 contiguous:1073741824
	memfd:1073741824 memfds:8192000}
top=$(cd "$bench_kho/../../../.." && pwd)
build=${KHOREG_BUILD:-$top/build}
khoreg_obj=$build/linux/obj-x86_64
mainline=${KHO_BENCH_MAINLINE:-like}
case $mainline in
like) mainline_obj=$build/mainline/linux/obj-like-x86_64 ;;
peer) mainline_obj=$build/mainline/linux/obj-x86_64 ;;
*)
	echo "bench-handover.sh: KHO_BENCH_MAINLINE is like or peer, not '$mainline'" >&2
	exit 2
	;;
esac
status=0
console=$build/vm/kho-handover-bench/console.log
chains="mainline khoreg"
[ "${KHO_BENCH_STAGED:-0}" = 0 ] || chains="$chains staged"

# kimage KERNEL: what run.sh boots for khoreg or mainline.
kimage() {
	[ "$1" = khoreg ] && echo khoreg || echo "$mainline_obj/arch/x86/boot/bzImage"
}

if [ "${1:-}" != --report ]; then
	if [ "$mainline" = like ]; then
		ARCH=x86_64 "$top/mk/kernel.sh" mainline-like || exit 1
	fi
	clock=$(bench_clock_args) || exit 1
	khz=${clock#*tsc_early_khz=}
	echo "${khz%% *}" > "$bench_out/handover.khz"
	# kho_bench: the same source, as an external module for each kernel
	# (installed in updates/, before khoreg's own build of it).
	extmods=
	for kernel in khoreg mainline; do
		[ $kernel = khoreg ] && obj=$khoreg_obj || obj=$mainline_obj
		mod=$bench_out/kho_bench-$kernel
		mkdir -p "$mod"
		cmp -s "$top/kernel/kho/tests/kho_bench.c" "$mod/kho_bench.c" ||
			cp "$top/kernel/kho/tests/kho_bench.c" "$mod/"
		[ -f "$mod/Kbuild" ] || echo 'obj-m := kho_bench.o' > "$mod/Kbuild"
		if ! nice make -s -C "$obj" M="$mod" modules > "$mod/build.log" 2>&1; then
			echo "bench-handover.sh: kho_bench does not build against $obj:" >&2
			cat "$mod/build.log" >&2
			exit 1
		fi
		extmods="$extmods $obj=$mod"
	done
	rm -f "$bench_out"/handover-*.ktap
	for w in $workloads; do
		append="kho=on printk.time=1 nokaslr $clock khoreg.bench_layout=${w%%:*}"
		append="$append khoreg.bench_bytes=${w#*:}"
		[ "${w#memfd}" = "$w" ] || append="$append liveupdate=on"
		for run in $(seq "$runs"); do
			for chain in $chains; do
				kernel=${chain/staged/khoreg} extra=
				[ $chain = staged ] && extra=" kho_staged_load=1"
				[ $kernel = khoreg ] && other=mainline || other=khoreg
				log=handover-${w%%:*}-${w#*:}-$run-$chain.ktap
				kernels="$(kimage $kernel),$(kimage $kernel),$(kimage $other)"
				KHO_VM_MEM=${KHO_VM_MEM:-3G} KHO_VM_EXTMODS="$extmods" \
					bench_vm "$log" --timeout 1200 --kernels "$kernels" \
					--append "$append$extra" kho-handover-bench || status=1
				# Kernel 1's last line: its shutdown is over.
				down=$(tr -d '\r' < "$console" |
					grep -m 1 'kexec_core: Starting new kernel' |
					sed -n 's/^\[ *\([0-9]*\)\.\([0-9]*\)\].*/\1\2/p' |
					sed 's/^0*\(.\)/\1/')
				echo "# bench handover k1_down_us=$down" >> "$bench_out/$log"
			done
		done
	done
fi

for w in $workloads; do
	files=("$bench_out/handover-${w%%:*}-${w#*:}"-*.ktap)
	[ -e "${files[0]}" ] || continue
	# shellcheck disable=SC2016 # an awk program
	bench_table "handover-${w%%:*}-${w#*:}-table" '
function median(list,   a, n, i, j, t) {
	n = split(list, a, " ")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function add(k, phase, value) { v[k, phase] = v[k, phase] " " value }
# A time in us, or "<RES" below the clock resolution.
function us(x) { return x < res_us ? sprintf("<%.3g", res_us) : sprintf("%.0f", x) }
FNR == 1 {
	k = FILENAME ~ /-khoreg\.ktap$/ ? "khoreg" : "mainline"
	if (FILENAME ~ /-staged\.ktap$/) k = "staged"
	kexec = ""; c1 = ""; c0 = ""
}
/# bench handover k1 / {
	gib = kv($0, "bytes") / 1073741824; lay = kv($0, "layout"); by = kv($0, "bytes")
	r = kv($0, "resolution_ns") / 1000
	if (r > res_us) res_us = r
	add(k, "preserve", kv($0, "preserve_ns") / 1000)
	f = kv($0, "finalize_ns")
	if (f != "") add(k, "finalize", f / 1000)
	add(k, "kexec_load", kv($0, "k1_load_ns") / 1000)
	add(k, "scratch_MiB", kv($0, "scratch_bytes") / 1048576)
	if (k != "mainline") add(k, "map_KiB/GiB", kv($0, "khoreg_map_bytes") / 1024 / gib)
	add(k, "k1_same", kv($0, "k1_slab") - kv($0, "k1_zonelists"))
	n[k]++
}
/# bench handover k1mark / {
	c1 = kv($0, "mark1_before") - kv($0, "mark1_us") * khz / 1000
	tie = (kv($0, "mark1_after") - kv($0, "mark1_before")) * 1000 / khz
	if (tie > tie_us) tie_us = tie
}
/# bench handover kexec_counter=/ { kexec = kv($0, "kexec_counter") }
/# bench handover k1_down_us=[0-9]/ && kexec != "" && c1 != "" && c0 != "" {
	down = c1 + kv($0, "k1_down_us") * khz / 1000
	add(k, "k1_down", (down - kexec) * 1000 / khz)
	add(k, "jump", (c0 - down) * 1000 / khz)
}
/# bench handover k2 / && kexec != "" {
	# The mark got its printk time early in its write(), which took tie.
	c0 = kv($0, "mark_before") - kv($0, "mark_us") * khz / 1000
	tie = (kv($0, "mark_after") - kv($0, "mark_before")) * 1000 / khz
	if (tie > tie_us) tie_us = tie
	add(k, "kexec_to_k2", (c0 - kexec) * 1000 / khz)
	add(k, "k2_reserve", kv($0, "k2_slab") - kv($0, "k2_zonelists"))
	add(k, "k2_to_init", kv($0, "k2_init"))
	add(k, "restore", kv($0, "restore_ns") / 1000)
	add(k, "blackout", (kv($0, "restored_counter") - kexec) * 1000 / khz)
	add(k, "memfree_MiB", kv($0, "memfree_kb") / 1024)
	done[k]++
}
# One row: the phase, mainline, khoreg, their ratio (and the staged chain).
function row(p, fmt,   m, r, st) {
	m = median(v["mainline", p]); r = median(v["khoreg", p]); st = median(v["staged", p])
	printf "%-14s %12s %12s %8s", p, cell("mainline", p, m, fmt), cell("khoreg", p, r, fmt),
		ratio(p, m, r)
	if (n["staged"])
		printf " %12s %8s", cell("staged", p, st, fmt), ratio(p, m, st)
	printf "\n"
}
function cell(k, p, x, fmt) {
	if (v[k, p] == "")
		return "-"
	return fmt == "us" ? us(x) : sprintf("%.1f", x)
}
function ratio(p, m, r) {
	if (v["mainline", p] == "" || r == "" || m <= 0 || (m < res_us || r < res_us))
		return "-"
	return sprintf("%.2f", r / m)
}
END {
	printf "workload: %s, %d bytes; runs: mainline %d/%d, khoreg %d/%d", lay, by,
		n["mainline"], done["mainline"], n["khoreg"], done["khoreg"]
	if (n["staged"])
		printf ", staged %d/%d", n["staged"], done["staged"]
	printf " (preserved/restored)\n"
	printf "clock: TSC at %d kHz; resolution %.3f us (kernel 1: ktime_get_ns, local_clock);",
		khz, res_us
	printf " kernel 1 and 2 clocks tied to the TSC by writes that took <= %.0f us\n", tie_us
	if (res_us > 1) {
		printf "the clock resolves only %.0f us, not microseconds: no figures\n", res_us
		exit 1
	}
	printf "%-14s %12s %12s %8s", "phase (us)", "mainline", "khoreg", "ratio"
	if (n["staged"])
		printf " %12s %8s", "staged", "ratio"
	printf "\n"
	np = split("preserve finalize kexec_load kexec_to_k2 k1_down jump k2_reserve k1_same" \
		   " k2_to_init restore blackout", ph, " ")
	for (i = 1; i <= np; i++)
		row(ph[i], "us")
	np = split("map_KiB/GiB scratch_MiB memfree_MiB", ph, " ")
	for (i = 1; i <= np; i++)
		row(ph[i], "")
}' khz="$(cat "$bench_out/handover.khz")" "${files[@]}" || status=1
done
bench_end $status "$bench_out"/handover-*.ktap
