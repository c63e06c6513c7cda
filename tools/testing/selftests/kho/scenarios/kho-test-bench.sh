# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: named-only kernels=mainline,mainline,khoreg append=kho=on
#
# kho-test-bench: the workload of the head-to-head benchmark against
# mainline, run by tools/testing/selftests/kho/bench/bench-mainline.sh once on a
# mainline -> mainline chain and once on khoreg -> khoreg (run.sh
# --kernels), with "test_kho.max_mem=BYTES initcall_debug printk.time=1
# nokaslr" added to the command line.  Kernel 1 fills max_mem bytes of
# random-order folios with random bytes, checksums and preserves them in
# mainline's "kho_test" format (mainline: its built-in lib/test_kho.c at
# boot; khoreg: kho_test_compat max_mem=), then loads the next kernel;
# kernel 2 restores the folios and verifies the checksum.  The third kernel
# of the list never boots: it puts the other kernel's image and modules
# into the initramfs too, so both chains load and unpack the same bytes.
# Timings go out as "# bench ..." lines, in microseconds; dmesg times count
# from the kernel's clock start in early setup_arch():
#   k1_load      kernel 1's kexec_file_load() call (khoreg finalizes in it)
#   k1_init      the test's init call in kernel 1 (initcall_debug): fill,
#                checksum and preserve; k1_end is when it returned
#   k1_boot      kernel 1's dmesg time of "Run /init as init process"
#   k2_init      the same in kernel 2
#   k2_test      the test's init call in kernel 2: restore and verify
#   k2_verified  kernel 2's dmesg time of "KHO restore succeeded"
#   k1_kho, k2_kho  khoreg: what kho_test_compat logs its preserve and its
#                restore calls took
# and meta_bytes, the khoreg handover's map pages and root FDT.

# cmdline_arg NAME: the value of NAME= on the kernel command line.
cmdline_arg() {
	for w in $(cat /proc/cmdline); do
		case $w in
		$1=*) echo "${w#*=}"; return ;;
		esac
	done
}

# initcall_us KEY FILE: how long the init call KEY (as initcall_debug
# names it) took.
initcall_us() {
	grep -m 1 "initcall $1 returned 0 after" "$2" |
		sed -n 's/.* after \([0-9]*\) usecs.*/\1/p'
}

stage1() {
	local kernel bytes k1_load meta=

	kernel=$(bench_kernel) bytes=$(cmdline_arg test_kho.max_mem)
	if [ -z "$bytes" ] || ! grep -qw initcall_debug /proc/cmdline; then
		fail "kho-test-bench needs test_kho.max_mem= and initcall_debug (bench-mainline.sh)"
		return
	fi
	say "$kernel $(uname -r): preserving $bytes bytes in kho_test format"
	if [ $kernel = khoreg ]; then
		check "kho_test_compat preserves $bytes bytes" \
			modprobe kho_test_compat max_mem="$bytes"
	else
		check "mainline's test_kho preserved its folios at boot" \
			[ -e /sys/kernel/debug/kho/out/sub_fdts/kho_test ]
	fi
	dmesg > /bench-k1.dmesg
	kexec_load_next
	k1_load=$(sed -n 's/^kexec_file_load_ns //p' /tmp/kexec.out)
	check "kexec_file_load was timed" [ -n "$k1_load" ]
	[ $kernel = khoreg ] && meta=$(awk '$1 == "map_pages" { m = $2 }
		$1 == "fdt_size" { f = $2 } END { print m * 4096 + f }' /sys/kernel/kho/summary)
	diag "bench kho_test kernel=$kernel k1_load=$((k1_load / 1000)) meta_bytes=${meta:-0}"
	kexec_exec_next
}

stage2() {
	local kernel key k1_init k1_boot k1_end k2_init k2_test k2_verified kho=

	kernel=$(bench_kernel)
	if [ $kernel = khoreg ]; then
		check "kho_test_compat restores and verifies the folios" \
			modprobe kho_test_compat
		dmesg > /tmp/k2.dmesg
		key='ktc_init[^ ]* \[kho_test_compat\]'
		k2_verified=$(dmesg_time 'kho_test_compat: KHO restore succeeded' /tmp/k2.dmesg)
		kho="k1_kho=$(sed -n 's/.*, preserved them in \([0-9]*\) us$/\1/p' /bench-k1.dmesg)"
		kho="$kho k2_kho=$(sed -n 's/.*: restoring the list .* took \([0-9]*\) us,.*/\1/p' \
			/tmp/k2.dmesg)"
	else
		dmesg > /tmp/k2.dmesg
		check "mainline's test_kho restored and verified the folios" \
			grep -q 'test_kho: KHO restore succeeded' /tmp/k2.dmesg
		# Without kallsyms initcall_debug names init calls by address
		# (nokaslr: the same in both kernels); test_kho's is the first
		# to return after its success message.
		key=$(sed -n '/test_kho: KHO restore succeeded/,$p' /tmp/k2.dmesg |
			sed -n 's/.*initcall \(0x[0-9a-f]*\) returned.*/\1/p' | head -n 1)
		k2_verified=$(dmesg_time 'test_kho: KHO restore succeeded' /tmp/k2.dmesg)
	fi
	k1_init=$(initcall_us "$key" /bench-k1.dmesg)
	k1_end=$(dmesg_time "initcall $key returned" /bench-k1.dmesg)
	k1_boot=$(dmesg_time 'Run /init as init process' /bench-k1.dmesg)
	k2_init=$(dmesg_time 'Run /init as init process' /tmp/k2.dmesg)
	k2_test=$(initcall_us "$key" /tmp/k2.dmesg)
	check "all timings found" [ -n "$k1_init" -a -n "$k1_end" -a -n "$k1_boot" \
		-a -n "$k2_init" -a -n "$k2_test" -a -n "$k2_verified" ]
	diag "bench kho_test kernel=$kernel k1_init=$k1_init k1_end=$k1_end k1_boot=$k1_boot" \
		"k2_init=$k2_init k2_test=$k2_test k2_verified=$k2_verified $kho"
	grep 'KHO: ' /tmp/k2.dmesg | head -n 5 | while IFS= read -r line; do
		diag "$line"
	done
	# khoreg.bench_dmesg=1: both kernels' logs, for profiling.
	[ "$(khoreg_arg bench_dmesg)" = 1 ] || return 0
	sed 's/^/dmesg k1 /' /bench-k1.dmesg | while IFS= read -r line; do diag "$line"; done
	sed 's/^/dmesg k2 /' /tmp/k2.dmesg | while IFS= read -r line; do diag "$line"; done
}
