# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: named-only kernels=khoreg,khoreg append=kho=on
#
# kho-handover-bench: the workload of the handover benchmark
# (tools/testing/selftests/kho/bench/bench-handover.sh), run on a
# mainline -> mainline chain and on khoreg -> khoreg with the same module
# (kho_bench, built from one source for both) or the same program (the
# Live Update workloads: guest/luo_bench.c), command line, QEMU settings
# and initramfs.  The command line names the workload:
# khoreg.bench_layout=scattered|contiguous (kho_bench) or memfd|memfds
# (luo_bench, with liveupdate=on) and khoreg.bench_bytes=N.
# Kernel 1 preserves it and kexecs; kernel 2 restores (kho_bench) or
# retrieves (luo_bench) it and checks every page.  Figures go out as
# "# bench handover ..." lines: the workload's own (ns), printk times (us,
# from the kernel's clock start in early setup_arch()) and readings of the
# CPU's counter (guest/tsc.c), which keeps counting across kexec:
#   k1 ...            the workload's preserve line, scratch_bytes (the scratch
#                     kernel 1 reserved, cold), khoreg_map_bytes (khoreg:
#                     map pages and FDT from its summary), k1_load_ns
#                     (kexec_file_load), k1_zonelists and k1_slab (printk
#                     times of "Built N zonelists" and "SLUB:", around
#                     where both kernels reserve the preserved memory and
#                     release the rest to the page allocator)
#   k1mark ...        mark1_before, mark1_after, mark1_us: the same for
#                     kernel 1's clock, whose "Starting new kernel" on the
#                     console ends its shutdown
#   kexec_counter=    the counter just before reboot(LINUX_REBOOT_CMD_KEXEC)
#   k2 ...            the workload's restore line; mark_before, mark_after (the
#                     counter around writing a mark to /dev/kmsg) and
#                     mark_us (its printk time), which place kernel 2's
#                     clock start on the counter; restored_counter (the
#                     counter once kho_bench restored and checked all, or
#                     luo_bench retrieved every memfd);
#                     k2_zonelists, k2_slab, k2_init (clock start to
#                     "Run /init");
#                     memfree_kb after the workload was freed again
# Without khoreg.bench_bytes= it does nothing, so it costs nothing in a
# plain run.

# scratch_bytes: the scratch this kernel reserved for its successor.
scratch_bytes() {
	local sum=0 len

	if [ -d /sys/kernel/kho/scratch ]; then
		for len in $(cut -d ' ' -f 2 /sys/kernel/kho/scratch/*); do
			sum=$((sum + len))
		done
	else
		for len in $(cat /sys/kernel/debug/kho/out/scratch_len); do
			sum=$((sum + len))
		done
	fi
	echo $sum
}

stage1() {
	local kernel layout bytes line map=0 k1_load mark

	kernel=$(bench_kernel)
	layout=$(khoreg_arg bench_layout) bytes=$(khoreg_arg bench_bytes)
	if [ -z "$bytes" ]; then
		ok "kho-handover-bench runs only under bench-handover.sh (khoreg.bench_bytes=)"
		return
	fi
	say "$kernel $(uname -r): preserving $bytes bytes, $layout"
	case $layout in
	memfd*)
		# It holds the sessions until kexec -e.
		luo_bench hold "$layout" "$bytes" /tmp/luo_bench.ready > /tmp/luo_bench.out &
		check "luo_bench preserves $bytes bytes ($layout)" \
			wait_ready /tmp/luo_bench.ready $!
		line=$(cat /tmp/luo_bench.out)
		;;
	*)
		check "kho_bench preserves $bytes bytes ($layout)" \
			modprobe kho_bench action=preserve layout="$layout" bytes="$bytes"
		line=$(dmesg | sed -n 's/.*kho_bench: kernel1 //p')
		;;
	esac
	dmesg > /bench-k1.dmesg
	kexec_load_next
	k1_load=$(sed -n 's/^kexec_file_load_ns //p' /tmp/kexec.out)
	# After kexec_file_load(), which finalizes khoreg's handover.
	[ $kernel = khoreg ] && map=$(awk '$1 == "map_pages" { m = $2 }
		$1 == "fdt_size" { f = $2 } END { print m * 4096 + f }' /sys/kernel/kho/summary)
	check "kexec_file_load was timed" [ -n "$k1_load" ]
	diag "bench handover k1 kernel=$kernel $line scratch_bytes=$(scratch_bytes)" \
		"khoreg_map_bytes=$map k1_load_ns=$k1_load" \
		"k1_zonelists=$(dmesg_time 'Built [0-9]* zonelists' /bench-k1.dmesg)" \
		"k1_slab=$(dmesg_time 'SLUB: ' /bench-k1.dmesg)"
	# Kernel 1's clock on the counter, which places its "Starting new
	# kernel" (the console, read by bench-handover.sh) between kexec -e
	# and kernel 2.
	mark=$(tsc mark "<7>kho_bench: mark1")
	dmesg > /tmp/k1-mark.dmesg
	diag "bench handover k1mark mark1_before=${mark% *} mark1_after=${mark#* }" \
		"mark1_us=$(dmesg_time 'kho_bench: mark1' /tmp/k1-mark.dmesg)"
	emit "kexec stage2"
	kexec_file exec -c "khoreg: # bench handover kexec_counter=" > $RESULTS
	fail "kexec into the stage 2 kernel"
	finish
}

stage2() {
	local mark restored line layout st

	layout=$(khoreg_arg bench_layout)
	# At KERN_DEBUG: off the console, whose output would slow the write.
	mark=$(tsc mark "<7>kho_bench: mark")
	case $layout in
	memfd*)
		luo_bench retrieve "$layout" "$(khoreg_arg bench_bytes)" > /tmp/luo_bench.out
		st=$?
		line=$(sed -n 's/^\(restore_ns=[0-9]*\) retrieved_counter=.*/\1/p' \
			/tmp/luo_bench.out)
		restored=$(sed -n 's/.* retrieved_counter=\([0-9]*\)$/\1/p' /tmp/luo_bench.out)
		prog_lines /tmp/luo_bench.out
		check "luo_bench retrieves and checks every memfd (status $st)" [ "$st" = 0 ]
		;;
	*)
		check "kho_bench restores and checks every page" \
			modprobe kho_bench action=restore
		restored=$(tsc now)
		line=$(dmesg | sed -n 's/.*kho_bench: kernel2 //p')
		;;
	esac
	dmesg > /tmp/k2.dmesg
	check "the workload logged its restore" [ -n "$line" ]
	diag "bench handover k2 kernel=$(bench_kernel) $line" \
		"mark_before=${mark% *} mark_after=${mark#* }" \
		"mark_us=$(dmesg_time 'kho_bench: mark' /tmp/k2.dmesg)" \
		"restored_counter=$restored" \
		"k2_zonelists=$(dmesg_time 'Built [0-9]* zonelists' /tmp/k2.dmesg)" \
		"k2_slab=$(dmesg_time 'SLUB: ' /tmp/k2.dmesg)" \
		"k2_init=$(dmesg_time 'Run /init as init process' /tmp/k2.dmesg)" \
		"memfree_kb=$(awk '$1 == "MemFree:" { print $2 }' /proc/meminfo)"
	case $layout in
	memfd*) ;;
	*) check "kho_bench unloads" rmmod kho_bench ;;
	esac
}
