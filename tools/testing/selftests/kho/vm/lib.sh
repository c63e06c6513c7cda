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

# finish: end the chain here and power the machine off.
finish() {
	emit "done stage$STAGE"
	sync
	reboot -f
	sleep 10
}

# free_kb: free memory in kB, MemFree plus the pages on per-CPU free lists,
# which MemFree leaves out and which drain back into it over time.
free_kb() {
	echo $(($(sed -n 's/^MemFree: *\([0-9]*\) kB/\1/p' /proc/meminfo) + \
		$(awk '$1 == "count:" { n += $2 } END { print n * 4 }' /proc/zoneinfo)))
}

# kexec_load_next [CMDLINE...]: load the next kernel of the chain, which
# runs stage N+1, with this kernel's command line, khoreg.stage=N+1 and the
# given extra arguments.
# KEXEC_WITH=kexec-tools loads it with Debian's stock `kexec -s -l` instead
# of the harness's own static caller, which writes how long the
# kexec_file_load() call took to /tmp/kexec.out ("kexec_file_load_ns N").
# The next kernel is /boot/kernel-N+1 when the harness put one there, else
# the first stage's kernel /boot/kernel.  The next initramfs is this root
# filesystem, packed again (files a stage writes outside /tmp reach the
# later stages).  Words of this command line that start with a word of
# KEXEC_DROP are left out.
kexec_load_next() {
	local next=$((STAGE + 1)) kernel=/boot/kernel cmdline= w d

	[ -f /boot/kernel-$next ] && kernel=/boot/kernel-$next
	for w in $(cat /proc/cmdline); do
		case $w in
		khoreg.stage=*) continue ;;
		esac
		for d in ${KEXEC_DROP:-}; do
			case $w in
			"$d"*) continue 2 ;;
			esac
		done
		cmdline="$cmdline$w "
	done
	cmdline="${cmdline}khoreg.stage=$next $*"
	(cd / && find . -xdev ! -name next-initrd.cpio | cpio -o -H newc 2>/dev/null) \
		> /tmp/next-initrd.cpio
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

# kexec_exec_next: execute the kernel kexec_load_next loaded.  It does
# not return.
kexec_exec_next() {
	local next=$((STAGE + 1))

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
