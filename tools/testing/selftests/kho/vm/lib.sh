# SPDX-License-Identifier: GPL-2.0-only
#
# Helpers for khoreg guest scenarios (busybox ash).  Results go to a channel
# of their own, one line each, so kernel messages on the console can never
# tear them: the second serial port (ttyS1) on x86, a virtio console (hvc0)
# on arm64.  The host harness turns them into KTAP.
#
# A scenario is /khoreg/scenarios/NAME.sh and defines stage1, stage2, ...;
# stage N runs in the N-th kernel of the kexec chain.

RESULTS=/dev/ttyS1
[ "$(uname -m)" != aarch64 ] || RESULTS=/dev/hvc0

# khoreg_arg NAME: value of khoreg.NAME= on the kernel command line.
khoreg_arg() {
	for w in $(cat /proc/cmdline); do
		case $w in
		khoreg.$1=*) echo "${w#*=}"; return ;;
		esac
	done
}

STAGE=$(khoreg_arg stage)
STAGE=${STAGE:-1}
SCENARIO=$(khoreg_arg scenario)

emit() { echo "khoreg: $*" > $RESULTS; }
ok() { emit "ok stage$STAGE: $*"; }
fail() { emit "not ok stage$STAGE: $*"; }
diag() { emit "# $*"; }
# say TEXT: a plain-words line that `make run` shows as it happens.
say() { emit "say kernel $STAGE: $*"; }

# check DESC CMD [ARGS...]: ok when CMD succeeds, else not ok with its output.
check() {
	local desc=$1 line

	shift
	if "$@" > /tmp/check.out 2>&1; then
		ok "$desc"
	else
		fail "$desc"
		head -n 20 /tmp/check.out | while IFS= read -r line; do
			diag "$line"
		done
	fi
}

# prog_lines FILE: one check per "ok"/"not-ok"/"not ok" line of FILE (the
# output of a guest program), the other lines as diagnostics.
prog_lines() {
	local line

	while IFS= read -r line; do
		case $line in
		"ok "*) ok "${line#ok }" ;;
		"not-ok "*) fail "${line#not-ok }" ;;
		"not ok "*) fail "${line#not ok }" ;;
		*) diag "$line" ;;
		esac
	done < "$1"
}

# wait_ready FILE PID: wait until FILE exists or PID is gone.
wait_ready() {
	while [ ! -e "$1" ] && kill -0 "$2" 2>/dev/null; do
		sleep 0.2
	done
	[ -e "$1" ]
}

# Negative checks, which must not pass because what they look at is
# missing: each first shows that it is there.

# lacks [-i] FILE PATTERN [PRESENT]: FILE can be read and is not empty
# (and has a line matching PRESENT, when given), and no line of it matches
# PATTERN (grep -E; -i: ignoring case).  It prints the lines that match.
lacks() {
	local i=

	[ "$1" != -i ] || { i=-i; shift; }
	cat "$1" > /tmp/lacks.txt || return 1
	if [ ! -s /tmp/lacks.txt ]; then
		echo "$1 is empty"
		return 1
	fi
	if [ -n "${3:-}" ] && ! grep -Eq "$3" /tmp/lacks.txt; then
		echo "$1 has no line matching $3"
		return 1
	fi
	grep -E $i "$2" /tmp/lacks.txt
	[ $? -eq 1 ]
}

# log_lacks PATTERN: the kernel log has no line matching PATTERN (grep -E).
log_lacks() {
	dmesg > /tmp/dmesg.txt
	lacks /tmp/dmesg.txt "$1"
}

# write_refused FILE VALUE [ERROR]: FILE exists and writing VALUE to it
# fails (with the message ERROR, the strerror() text of the errno expected,
# when given).
write_refused() {
	if [ ! -e "$1" ]; then
		echo "no $1"
		return 1
	fi
	if sh -c 'echo "$1" > "$2"' sh "$2" "$1" 2> /tmp/write.err; then
		echo "writing '$2' to $1 succeeded"
		return 1
	fi
	cat /tmp/write.err
	[ -z "${3:-}" ] || grep -q "$3" /tmp/write.err
}

# no_ipv4 IFACE: the network interface IFACE exists and has no IPv4
# address.
no_ipv4() {
	ip addr show dev "$1" > /tmp/ip.out || return 1
	lacks /tmp/ip.out ' inet ' "^[0-9]+: $1[:@]"
}

# fails_logging TEXT CMD...: CMD fails and the kernel log gains a line
# containing TEXT.  CMD's output is in /tmp/fails.out.
fails_logging() {
	local text=$1 logged

	shift
	logged=$(dmesg | grep -cF "$text")
	if "$@" > /tmp/fails.out 2>&1; then
		echo "$* succeeded"
		return 1
	fi
	cat /tmp/fails.out
	[ "$(dmesg | grep -cF "$text")" -gt "$logged" ] || {
		echo "no new log line: $text"
		return 1
	}
}

# as_nobody CMD...: run CMD as nobody (uid and gid 65534), without
# capabilities.  (busybox's setpriv cannot change the uid.)
as_nobody() {
	su -s /bin/sh nobody -c 'exec "$@"' sh "$@"
}

# fails_with ERROR CMD...: CMD fails, and its output has ERROR in it.
fails_with() {
	local error=$1

	shift
	if "$@" > /tmp/fails.out 2>&1; then
		echo "$* succeeded"
		return 1
	fi
	cat /tmp/fails.out
	grep -qF "$error" /tmp/fails.out
}

# kexec_refused ERROR: kexec_file_load() of /boot/kernel fails with the
# message ERROR (strerror() text), and logs that the handover did not
# finalize.
kexec_refused() {
	local rc

	fails_logging 'kexec_file_load refused: the handover did not finalize' \
		kexec_file load /boot/kernel -c "$(cat /proc/cmdline)" &&
		grep -q "kexec_file_load: $1\$" /tmp/fails.out
	rc=$?
	# Leave no image loaded that the stage did not ask for.
	[ "$(cat /sys/kernel/kexec_loaded)" = 0 ] || kexec_file unload
	return $rc
}

# rmdir_refused DIR: DIR exists, rmdir fails, and it still exists.
rmdir_refused() {
	[ -d "$1" ] || { echo "no directory $1"; return 1; }
	! rmdir "$1" && [ -d "$1" ]
}

# rmmod_refused MODULE: MODULE is loaded, rmmod fails, and it stays loaded.
rmmod_refused() {
	grep -q "^$1 " /proc/modules || { echo "$1 is not loaded"; return 1; }
	! rmmod "$1" && grep -q "^$1 " /proc/modules
}

# leak_scan: with khoreg.kmemleak=1 (the sanitizer suite), have kmemleak
# scan now and copy what it suspects to the console, whose log the host
# scans for reports.  Run before every kexec and at the end of the chain.
# kmemleak reports an object only when it is at least 5 seconds old
# (MSECS_MIN_AGE) and its contents did not change since the scan before:
# so scan, wait past that age, and scan again, and a leak made just before
# leak_scan is reported too.
leak_scan() {
	[ "$(khoreg_arg kmemleak)" = 1 ] || return 0
	if ! echo scan > /sys/kernel/debug/kmemleak || ! sleep 6 ||
	   ! echo scan > /sys/kernel/debug/kmemleak; then
		echo "khoreg: kmemleak: cannot scan" > /dev/console
		return
	fi
	cat /sys/kernel/debug/kmemleak > /dev/console
	echo "khoreg: kmemleak: stage$STAGE scanned" > /dev/console
}

# finish: end the chain here and power the machine off.
finish() {
	leak_scan
	emit "done stage$STAGE"
	sync
	reboot -f
	sleep 10
}

# restart_next: end this QEMU run; the harness starts QEMU again, a cold
# boot with the same flash and handover, whose kernel runs stage N+1
# (run.sh).  It does not return.
restart_next() {
	leak_scan
	emit "restart stage$((STAGE + 1))"
	sync
	reboot -f
	sleep 10
}

# Whether given pages went back to the page allocator, read in
# /proc/kpageflags: KPF_BUDDY (bit 10) marks every page of a free buddy
# block.  A free page on a per-CPU list looks allocated there, and those
# lists may hold megabytes; small_pcp_lists keeps them at a few dozen pages
# a CPU, so that pages_freed can allow for them.  A page list is a file
# with one run of contiguous pages a line: "PFN COUNT" (PFN in hex with
# 0x, or decimal).

# small_pcp_lists: shrink every per-CPU free list to its minimum (4 times
# its batch).  Call it before freeing the pages pages_freed checks.
small_pcp_lists() {
	echo 1000000 > /proc/sys/vm/percpu_pagelist_high_fraction
}

# pcp_pages: how many free pages the per-CPU lists hold.
pcp_pages() {
	awk '$1 == "count:" { n += $2 } END { print n + 0 }' /proc/zoneinfo
}

# pages_total LIST: how many pages LIST names.
pages_total() {
	awk '{ n += $2 } END { print n + 0 }' "$1"
}

# pages_free LIST: "FREE ALL": how many pages LIST names, and how many of
# them are in free buddy blocks.
pages_free() {
	local lo hi

	set -- "$1" $(awk '{ p = $1 + 0; e = p + $2 - 1
		if (lo == "" || p < lo) lo = p; if (e > hi) hi = e }
		END { print lo + 0, hi + 0 }' "$1")
	lo=$2 hi=$3
	od -A n -t x8 -v -w8 -j $((lo * 8)) -N $(((hi - lo + 1) * 8)) /proc/kpageflags |
		awk -v lo=$lo -v list="$1" '
		BEGIN {
			while ((getline line < list) > 0) {
				split(line, f, " ")
				for (p = f[1] + 0; p < f[1] + f[2]; p++)
					want[p - lo] = 1
			}
		}
		(NR - 1) in want {
			# bit 10: the third hex digit from the right, value 4
			d = substr($1, length($1) - 2, 1)
			d = index("0123456789abcdef", d) - 1
			all++
			if (int(d / 4) % 2)
				free++
		}
		END { print free + 0, all + 0 }'
}

# pages_held LIST: LIST names pages and none of them is free.
pages_held() {
	set -- $(pages_free "$1")
	diag "$1 of $2 page(s) free"
	[ "$2" -gt 0 ] && [ "$1" -eq 0 ]
}

# pages_freed LIST: LIST names pages and all of them are free but for at
# most as many as the per-CPU lists hold (see small_pcp_lists) and 32
# (128 KiB) the allocator may have handed out again meanwhile.
pages_freed() {
	local pcp

	set -- $(pages_free "$1")
	pcp=$(pcp_pages)
	diag "$1 of $2 page(s) free, $pcp page(s) on per-CPU lists"
	[ "$2" -gt 0 ] && [ $(($2 - $1)) -le $((pcp + 32)) ]
}

# An awk function: pages(ORDER) is 2 to the power ORDER (busybox awk has
# no ^).
awk_pages='function pages(order,    n) { for (n = 1; order > 0; order--) n *= 2; return n }'

# registry_pages DIR...: the page list of the memory fields (range, folio)
# of the registry entries DIR... (sysfs directories), on stdout.
registry_pages() {
	local d

	for d in "$@"; do
		cat "$d"/fields/*
	done | awk "$awk_pages"'
		$1 == "range" { print $2 / 4096, $3 / 4096 }
		$1 == "folio" { print $2 / 4096, pages($3) }'
}

# kho_selftest_pages BLOB [spare]: the page list of the memory kho_selftest
# action=preserve preserved, read from its sub-blob BLOB (struct
# kho_st_desc of kernel/kho/kho_selftest.c, 4 KiB pages): its folios, page
# range, scattered pages and spare order-10 folio, or only the spare
# folio.  The vmalloc area is left out (only a chunk list names its pages).
kho_selftest_pages() {
	od -A n -t x8 -v -w8 -N 112 "$1" | awk -v what="${2:-all}" "$awk_pages"'
		NR == 1 { magic = $1 }
		{ w[NR] = ("0x" $1) + 0 }
		END {
			if (magic != "6b686f7374657374") {
				print "not a kho-selftest sub-blob" > "/dev/stderr"
				exit 1
			}
			print w[13] / 4096, 1024
			if (what == "spare")
				exit
			for (i = 0; i < 4; i++)
				print w[3 + i] / 4096, pages(w[7 + i])
			print w[11] / 4096, w[12]
			for (i = 0; i < 64; i += 2)
				print w[14] / 4096 + i, 1
		}'
}

# kexec_load_next [CMDLINE...]: load the next kernel of the chain, which
# runs stage N+1, with this kernel's command line, khoreg.stage=N+1 and the
# given extra arguments.
# KEXEC_WITH=kexec-tools loads it with Debian's stock `kexec -s -l` instead
# of the harness's own static caller, which writes how long the
# kexec_file_load() call took to /tmp/kexec.out ("kexec_file_load_ns N").
# The next kernel is /boot/kernel-N+1 when the harness put one there, else
# the first stage's kernel /boot/kernel.  The next initramfs is this root
# filesystem, packed again: every file a stage writes, in /tmp too, reaches
# the later stages.  Words of this command line that start with a word of
# KEXEC_DROP are left out.
kexec_load_next() {
	local next=$((STAGE + 1)) kernel=/boot/kernel cmdline

	[ -f /boot/kernel-$next ] && kernel=/boot/kernel-$next
	cmdline=$(next_cmdline $next "${KEXEC_DROP:-}" "$@")
	pack_root /tmp/next-initrd.cpio
	if [ "${KEXEC_WITH:-}" = kexec-tools ]; then
		kexec -s -l $kernel --initrd=/tmp/next-initrd.cpio \
			--command-line="$cmdline" > /tmp/kexec.out 2>&1
	else
		kexec_file load -t $kernel -i /tmp/next-initrd.cpio -c "$cmdline" \
			> /tmp/kexec.out 2>&1
	fi
	if [ $? -ne 0 ]; then
		fail "kexec_file_load of the stage $next kernel"
		diag "$(cat /tmp/kexec.out)"
		finish
	fi
	rm -f /tmp/next-initrd.cpio
}

# next_cmdline N DROP [CMDLINE...]: the command line of the stage N kernel:
# this kernel's but its khoreg.stage= and its words that start with a word
# of DROP, then khoreg.stage=N and the given extra arguments.
next_cmdline() {
	local next=$1 drop=$2 cmdline= w d

	shift 2
	for w in $(cat /proc/cmdline); do
		case $w in
		khoreg.stage=*) continue ;;
		esac
		for d in $drop; do
			case $w in
			"$d"*) continue 2 ;;
			esac
		done
		cmdline="$cmdline$w "
	done
	echo "${cmdline}khoreg.stage=$next $*"
}

# pack_root FILE: this root filesystem, FILE left out, packed as an
# initramfs into FILE.
pack_root() {
	(cd / && find . -xdev ! -name "${1##*/}" | cpio -o -H newc 2>/dev/null) > "$1"
}

# kexec_load_crash [CMDLINE...]: load the kernel of stage N+1 as the crash
# kernel with Debian's `kexec -p -s` (kexec_file_load() with
# KEXEC_FILE_ON_CRASH) into the memory crashkernel= reserved: this kernel's
# command line but crashkernel=, then khoreg.stage=N+1, what a kdump kernel
# wants (nr_cpus=1 irqpoll reset_devices) and the given extra arguments,
# with this root filesystem as its initramfs. kexec's output is in
# /tmp/kexec.out. A panic, such as crash_now's, then boots it.
kexec_load_crash() {
	local next=$((STAGE + 1)) kernel=/boot/kernel cmdline rc

	[ -f /boot/kernel-$next ] && kernel=/boot/kernel-$next
	cmdline=$(next_cmdline $next "${KEXEC_DROP:-} crashkernel=" \
		nr_cpus=1 irqpoll reset_devices "$@")
	pack_root /tmp/crash-initrd.cpio
	kexec -p -s $kernel --initrd=/tmp/crash-initrd.cpio --command-line="$cmdline" \
		> /tmp/kexec.out 2>&1
	rc=$?
	rm -f /tmp/crash-initrd.cpio
	return $rc
}

# crash_now: crash this kernel on purpose (sysrq "c"), which boots the
# crash kernel kexec_load_crash loaded, running stage N+1. The scenario's
# "# khoreg-vm:" line must say sysrq-crash (run.sh). It does not return.
crash_now() {
	leak_scan
	emit "kexec stage$((STAGE + 1))"
	sync
	echo c > /proc/sysrq-trigger
	fail "the kernel crashed into the crash kernel"
	finish
}

# kexec_exec_next: execute the kernel kexec_load_next loaded.  It does
# not return.
kexec_exec_next() {
	local next=$((STAGE + 1))

	leak_scan
	emit "kexec stage$next"
	if [ "${KEXEC_WITH:-}" = kexec-tools ]; then
		kexec -e
	else
		kexec_file exec
	fi
	fail "kexec into the stage $next kernel"
	finish
}

# kexec_next [CMDLINE...]: kexec into the next kernel of the chain: load it
# with kexec_load_next, then execute it.  It does not return.
kexec_next() {
	kexec_load_next "$@"
	kexec_exec_next
}

# The KHO ABI khoreg speaks: the root compatible of its handover FDT.
KHOREG_KHO_ABI=kho-v4

# kho_abi FILE: the root compatible ("kho-vN") of a KHO handover FDT.
kho_abi() {
	tr -c 'a-z0-9-' '\n' < "$1" | grep -m 1 -x 'kho-v[0-9]*'
}

# mainline_abi: the KHO ABI the running mainline kernel speaks.  Its
# debugfs shows its outgoing FDT only after a cold boot; after a handover it
# either accepted one of its own version or logged the version it wanted.
mainline_abi() {
	local d=/sys/kernel/debug/kho

	if [ -e $d/out/fdt ]; then
		kho_abi $d/out/fdt
	elif dmesg | grep -q "incompatible with 'kho-v"; then
		dmesg | sed -n "s/.*incompatible with '\(kho-v[0-9]*\)'.*/\1/p" | head -n 1
	elif [ -e $d/in/fdt ]; then
		kho_abi $d/in/fdt
	fi
}

# check_mainline_abi: the running mainline kernel speaks khoreg's KHO ABI;
# otherwise fail naming both versions.
check_mainline_abi() {
	local abi

	abi=$(mainline_abi)
	if [ "$abi" = "$KHOREG_KHO_ABI" ]; then
		ok "mainline $(uname -r) speaks $abi, as khoreg does"
	else
		fail "mainline $(uname -r) speaks ${abi:-no kho-vN ABI};" \
			"khoreg speaks $KHOREG_KHO_ABI"
	fi
}

# bench_kernel: khoreg or mainline, the kernel this stage runs (for the
# benchmarks' scenarios).
bench_kernel() {
	[ -e /sys/kernel/kho/finalize ] && echo khoreg || echo mainline
}

# dmesg_time PATTERN FILE: the printk time of the first line matching, in us.
dmesg_time() {
	grep -m 1 "$1" "$2" | sed -n 's/^\[ *\([0-9]*\)\.\([0-9]*\)\].*/\1\2/p' |
		sed 's/^0*\(.\)/\1/'
}

# stage_uptime: seconds since this kernel started (for hop timings).
stage_uptime() {
	cut -d ' ' -f 1 /proc/uptime
}

khoreg_main() {
	emit "start stage$STAGE $(uname -r)"
	if [ ! -f "/khoreg/scenarios/$SCENARIO.sh" ]; then
		fail "scenario '$SCENARIO' exists"
		finish
	fi
	. "/khoreg/scenarios/$SCENARIO.sh"
	if type "stage$STAGE" > /dev/null 2>&1; then
		"stage$STAGE"
	else
		fail "scenario '$SCENARIO' has a stage$STAGE"
	fi
	finish
}

# map_refused WHY: the first kernel, booted with a handover crafted by
# vm/mkhandover.py (run.sh's "khoreg-vm-handover:" header), found it,
# refused its preserved-memory map with one log line saying WHY, reserved
# none of it and booted on as if no handover had come.
map_refused() {
	local want="KHO: preserved memory map $1 (at 0x[0-9a-f]*); ignoring the handover"

	dmesg > /tmp/dmesg.txt
	check "the kernel found the crafted handover" \
		grep -q 'KHO: found a handover: FDT at' /tmp/dmesg.txt
	check "one log line refuses the map: $1" [ "$(grep -c "$want" /tmp/dmesg.txt)" = 1 ]
	check "no other line refuses it" \
		[ "$(grep -c 'ignoring the handover' /tmp/dmesg.txt)" = 1 ]
	grep 'ignoring the handover' /tmp/dmesg.txt | while IFS= read -r line; do diag "$line"; done
	check "nothing of it was reserved" \
		lacks /tmp/dmesg.txt 'preserved block\(s\)' 'found a handover'
	check "the handover is ignored" [ -d /sys/firmware -a ! -d /sys/firmware/kho ]
	check "KHO is usable for the next handover" [ "$(cat /sys/kernel/kho/state)" = idle ]
}
