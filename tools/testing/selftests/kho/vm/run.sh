#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# run.sh [options] [SCENARIO...]: boot the khoreg test kernel in QEMU once per
# scenario, run its stages across kexec, and report KTAP on stdout followed
# by "N passed, N failed".  Exit status 0 when every test passed.
#
#   --kernel IMG        first kernel (default: the assembled build's bzImage)
#   --next-kernel IMG   kernel that stage 1 kexecs into (default: the same)
#   --append ARGS       extra kernel command line for the first kernel
#   --timeout SECONDS   hard limit for one scenario, all kernels (default 240)
#   --say               print the guests' plain-words lines as they happen
#   --ktap-only         no closing "N passed, N failed" line (for nesting)
#   --list              list the scenarios and exit
#
# Without SCENARIO, every scenario except the harness-* self-tests runs.
# Environment: KHO_VM_ACCEL=tcg|kvm (default tcg: nested KVM hangs on the
# project's machines), KHO_VM_MEM (default 1G), KHO_VM_SMP (default 2).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
kho=$(dirname "$here")
top=$(cd "$kho/../../../.." && pwd)
. "$here/ktap.sh"

build=${KHOREG_BUILD:-$top/build}
objtree=$build/linux/obj-x86_64
kernel=$objtree/arch/x86/boot/bzImage
next= append= timeout=240 say=0 summary=1

scenarios_all() {
	ls "$kho/scenarios" | sed -n 's/\.sh$//p' | grep -v '^harness-'
}

while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--next-kernel) next=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--say) say=1; shift ;;
	--ktap-only) summary=0; shift ;;
	--list) scenarios_all; exit 0 ;;
	-h|--help) sed -n '4,20s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] && scenarios=("$@") || mapfile -t scenarios < <(scenarios_all)
for s in "${scenarios[@]}"; do
	if [ ! -f "$kho/scenarios/$s.sh" ]; then
		echo "run.sh: no scenario $s in $kho/scenarios" >&2
		exit 2
	fi
done
[ -f "$kernel" ] || { echo "run.sh: no kernel image $kernel (run 'make kernel')" >&2; exit 2; }

vmdir=$build/vm
mkdir -p "$vmdir"
KHOREG_OBJTREE=$objtree "$here/mkinitramfs.sh" "$vmdir/initramfs.cpio" "$kernel" $next ||
	{ echo "run.sh: could not build the initramfs" >&2; exit 2; }

accel=${KHO_VM_ACCEL:-tcg}
qemu_args=(-accel "$accel" -m "${KHO_VM_MEM:-1G}" -smp "${KHO_VM_SMP:-2}"
	   -nodefaults -no-reboot -display none -vga none)
[ "$accel" = kvm ] && qemu_args+=(-cpu host) || qemu_args+=(-cpu max)

# Console lines that mean the kernel crashed or warned.
crash_pattern='Kernel panic|BUG:|Oops|general protection fault|WARNING: CPU|Call Trace'

# boot NAME DIR: one QEMU run; sets $timed_out.
boot() {
	local name=$1 dir=$2 qpid

	rm -f "$dir"/*.log
	: > "$dir/results.log"
	timeout -k 5 "$timeout" qemu-system-x86_64 "${qemu_args[@]}" \
		-kernel "$kernel" -initrd "$vmdir/initramfs.cpio" \
		-append "console=ttyS0 panic=-1 khoreg.scenario=$name $append" \
		-serial "file:$dir/console.log" -serial "file:$dir/results.log" &
	qpid=$!
	if [ $say -eq 1 ]; then
		tail -n +1 -f --pid=$qpid "$dir/results.log" 2>/dev/null |
			tr -d '\r' | sed -un 's/^khoreg: say /    /p' >&2
	fi
	wait $qpid
	[ $? -eq 124 ] && timed_out=1 || timed_out=0
}

# report NAME DIR: the scenario's results as a KTAP subtest; returns 1 on failure.
report() {
	local name=$1 dir=$2 n=0 bad=0 line stage banners started crash
	local out=$dir/ktap

	tr -d '\r' < "$dir/results.log" > "$dir/results.txt"
	{
		while IFS= read -r line; do
			case $line in
			"khoreg: ok "*) n=$((n + 1)); echo "ok $n ${line#khoreg: ok }" ;;
			"khoreg: not ok "*)
				n=$((n + 1)); bad=1
				echo "not ok $n ${line#khoreg: not ok }" ;;
			"khoreg: # "*) echo "${line#khoreg: }" ;;
			esac
		done < "$dir/results.txt"

		# What the harness itself checks, whatever the scenario does.
		for stage in $(sed -n 's/^khoreg: kexec stage//p' "$dir/results.txt"); do
			n=$((n + 1))
			if grep -q "^khoreg: start stage$stage " "$dir/results.txt"; then
				echo "ok $n harness: stage $stage kernel started after kexec"
			else
				bad=1
				echo "not ok $n harness: stage $stage kernel started after kexec"
			fi
		done
		started=$(grep -c '^khoreg: start stage' "$dir/results.txt")
		banners=$(grep -c 'Linux version ' "$dir/console.log" 2>/dev/null)
		n=$((n + 1))
		if [ "$started" -ge 1 ] && [ "$banners" -eq "$started" ]; then
			echo "ok $n harness: $banners kernel(s) booted, one per stage"
		else
			bad=1; echo "not ok $n harness: $banners kernel(s) booted, one per stage"
			echo "# $started stage(s) started; console: ${dir#$top/}/console.log"
		fi
		crash=$(grep -E "$crash_pattern" "$dir/console.log" 2>/dev/null | head -5)
		n=$((n + 1))
		if [ -z "$crash" ]; then
			echo "ok $n harness: no kernel crash or warning"
		else
			bad=1; echo "not ok $n harness: no kernel crash or warning"
			printf '%s\n' "$crash" | sed 's/^/# /'
		fi
		n=$((n + 1))
		if [ $timed_out -eq 1 ]; then
			bad=1; echo "not ok $n harness: guest finished within ${timeout}s"
			echo "# killed after ${timeout}s; last console lines:"
			tail -n 25 "$dir/console.log" 2>/dev/null | tr -d '\r' | sed 's/^/# /'
		elif grep -q '^khoreg: done stage' "$dir/results.txt"; then
			echo "ok $n harness: scenario ran to its end"
		else
			bad=1; echo "not ok $n harness: scenario ran to its end"
			echo "# the guest stopped early; last console lines:"
			tail -n 25 "$dir/console.log" 2>/dev/null | tr -d '\r' | sed 's/^/# /'
		fi
		echo "1..$n"
	} > "$out.body"
	{
		echo "KTAP version 1"
		echo "# Subtest: $name"
		grep '^1\.\.' "$out.body"
		grep -v '^1\.\.' "$out.body"
	} > "$out"
	rm -f "$out.body"
	return $bad
}

{
	echo "KTAP version 1"
	echo "1..${#scenarios[@]}"
} > "$vmdir/ktap"
cat "$vmdir/ktap"
i=0 failed=0
for s in "${scenarios[@]}"; do
	i=$((i + 1))
	dir=$vmdir/$s
	mkdir -p "$dir"
	[ $say -eq 1 ] && echo "==> scenario $s" >&2
	start=$SECONDS
	boot "$s" "$dir"
	if report "$s" "$dir"; then res="ok"; else res="not ok"; failed=1; fi
	ktap_indent < "$dir/ktap"
	echo "# $s took $((SECONDS - start))s"
	echo "$res $i $s"
done | tee -a "$vmdir/ktap"
grep -q '^not ok' "$vmdir/ktap" && failed=1 || failed=0
[ $summary -eq 1 ] && ktap_totals < "$vmdir/ktap"
exit $failed
