#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# run.sh [options] [SCENARIO...]: boot the khoreg test kernel in QEMU once per
# scenario, run its stages across kexec, and report KTAP on stdout followed
# by "N passed, N failed".  Exit status 0 when every test passed.
#
#   --kernel IMG        first kernel (default: the assembled build's bzImage)
#   --next-kernel IMG   kernel that stage 1 kexecs into (default: the same)
#                       IMG may be a path or a build name: khoreg, mainline
#   --kernels IMG,...   the kernel of every stage (overrides the two above)
#   --append ARGS       extra kernel command line for the first kernel
#                       (instead of the scenario's own)
#   --also ARGS         command line added to the scenario's own
#   --out DIR           where the scenarios' logs go (default build/vm)
#   --timeout SECONDS   hard limit for one scenario, all kernels and QEMU
#                       runs (default 240, or the scenario's timeout= in
#                       its header)
#   --say               print the guests' plain-words lines as they happen
#   --ktap-only         no closing "N passed, N failed" line (for nesting)
#   --list              list the scenarios and exit
#
# Without SCENARIO, every scenario runs except those whose header line says
# "named-only" (the harness self-tests, the benchmark workload).
# "mainline-selftests" in that line builds mainline's Live Update selftests
# into its guest first (luo-mainline-progs.sh).
# A scenario may name its kernels and command line in a header line, which
# the options above override:
#   # khoreg-vm: kernel=mainline next-kernel=khoreg append=kho=on
# or list the kernel of every stage (stage N runs the N-th):
#   # khoreg-vm: kernels=khoreg,mainline,khoreg
# A scenario that makes the kernel warn on purpose names the function that
# warns; that warning (up to its end-of-trace line) is not a failure:
#   # khoreg-vm: warns=kho_unpreserve_free append=kunit.enable=1
# A scenario that crashes a kernel on purpose with sysrq "c" into a crash
# kernel (kdump) says "sysrq-crash": that panic, up to the crash kernel's
# banner, is not a failure.
# A scenario that makes allocations fail on purpose says "alloc-fails":
# the stack an allocation failure prints (warn_alloc()) is not a failure
# there, a warning, BUG or oops still is.
# and add QEMU arguments (the rest of the line, split at spaces), for
# every architecture or for one:
#   # khoreg-vm-qemu: -nic user,model=virtio-net-pci
#   # khoreg-vm-qemu-arm64: -netdev user,id=n0 -device virtio-net-device,netdev=n0
# On arm64 a scenario may boot its first kernel with a handover crafted by
# vm/mkhandover.py CASE and passed as a boot loader would (in /chosen):
#   # khoreg-vm-handover: CASE
# An arm64 scenario may boot its first kernel through U-Boot instead of
# QEMU's -kernel: the header names the JSON description (next to the
# scenario) of the handover U-Boot passes, which vm/uboot.sh lays out for
# U-Boot's netboot (DHCP and TFTP from QEMU's user network, a virtio-net
# NIC over virtio-mmio; the network traffic is in the scenario's net.pcap):
#   # khoreg-vm-uboot: NAME.json
# and the trace store the board's U-Boot script writes into the handover's
# template "trace-store" entry (hex offset and size in the MTD device):
#   # khoreg-vm-uboot-store: DEVICE OFFSET SIZE
# Or QEMU passes it as a boot loader would, without U-Boot: the handover
# NAME.json describes (khoctl author; its blobs from 0x68000000 up, scratch
# not below 0x50000000) loaded into RAM with QEMU's loader device, its root
# FDT at 0x67f00000 and scratch array at 0x67f10000 named in /chosen:
#   # khoreg-vm-bundle: NAME.json
# On arm64, "flash" in the khoreg-vm: line gives the machine a second flash
# bank (-drive if=pflash,unit=1), backed by the file flash1.img in the
# scenario's results directory, erased (all ones) before the first boot.
# A stage may end with restart_next instead of kexec: the harness then
# starts QEMU again (a cold boot, with the same flash and handover) with
# khoreg.stage=N+1, after the scenario's host_restart DIR N+1 function,
# when it has one, ran on the host.
# A scenario's host_checks function, when it has one, runs on the host
# after the guests, with the scenario's results directory as argument; its
# host_check DESC CMD... lines count like the guests' checks.
# Environment: ARCH=x86_64|arm64 (default x86_64: the guests' architecture,
# arm64 runs QEMU's virt machine; results go to build/vm, build/vm-arm64),
# KHO_VM_ACCEL=tcg|kvm (default tcg: nested KVM hangs on the project's
# machines), KHO_VM_MEM (default 1G), KHO_VM_SMP (default 2),
# KHO_VM_EXTMODS (external modules for the guests, see mkinitramfs.sh).
# A scenario that cannot run on every architecture says which it runs on
# and why in a header line; on the others it is reported as skipped:
#   # khoreg-arch: x86_64: Debian's kexec-tools in the guest is x86 only
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
kho=$(dirname "$here")
top=$(cd "$kho/../../../.." && pwd)
. "$here/ktap.sh"
# shellcheck source=bundle.sh
. "$here/bundle.sh"

build=${KHOREG_BUILD:-$top/build}
kernel= next= kernels= append= also= out= timeout= say=0 summary=1
export ARCH=${ARCH:-x86_64}
case $ARCH in
x86_64)
	kimage=arch/x86/boot/bzImage vmdir=$build/vm
	qemu=(qemu-system-x86_64) console=ttyS0
	# On a loaded host TCG can miss the IO-APIC timer check's window:
	# "IO-APIC + timer doesn't work!", a panic at boot.
	arch_args=no_timer_check
	;;
arm64)
	kimage=arch/arm64/boot/Image vmdir=$build/vm-$ARCH
	qemu=(qemu-system-aarch64 -M virt) console=ttyAMA0 arch_args=
	;;
*)
	echo "run.sh: ARCH=$ARCH is not supported (x86_64, arm64)" >&2
	exit 2
	;;
esac

# image NAME-OR-PATH: the kernel image a kernel name stands for.
image() {
	case $1 in
	khoreg) echo "$build/linux/obj-$ARCH/$kimage" ;;
	mainline) echo "$build/mainline/linux/obj-$ARCH/$kimage" ;;
	*) echo "$1" ;;
	esac
}

# header SCENARIO KEY: a value from the scenario's "# khoreg-vm:" line;
# append= is last on the line and takes the rest of it.
header() {
	if [ "$2" = append ]; then
		sed -n 's/^# khoreg-vm: .*append=//p' "$kho/scenarios/$1.sh"
	else
		sed -n "s/^# khoreg-vm: \(.* \)\{0,1\}$2=\([^ ]*\).*/\2/p" "$kho/scenarios/$1.sh"
	fi
}

# header_has SCENARIO WORD: its "# khoreg-vm:" line has the word WORD.
header_has() {
	grep -q "^# khoreg-vm: \\(.* \\)\\{0,1\\}$2\\( \\|\$\\)" "$kho/scenarios/$1.sh"
}

scenarios_all() {
	grep -L '^# khoreg-vm: \(.* \)\{0,1\}named-only' "$kho"/scenarios/*.sh |
		sed 's|.*/||; s/\.sh$//'
}

# arch_skip SCENARIO: why it does not run on $ARCH; empty when it does.
arch_skip() {
	local line archs

	line=$(sed -n 's/^# khoreg-arch: //p' "$kho/scenarios/$1.sh")
	[ -n "$line" ] || return 0
	archs=${line%%:*}
	case " ${archs//,/ } " in
	*" $ARCH "*) ;;
	*) echo "runs on $archs only:${line#*:}" ;;
	esac
}

while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--next-kernel) next=$2; shift 2 ;;
	--kernels) kernels=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--also) also=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--say) say=1; shift ;;
	--ktap-only) summary=0; shift ;;
	--list) scenarios_all; exit 0 ;;
	-h|--help) sed -n '4,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;;
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
# Absolute: the guest's initramfs is built from another directory.
[ -z "$out" ] || vmdir=$(mkdir -p "$out" && cd "$out" && pwd)
mkdir -p "$vmdir"

accel=${KHO_VM_ACCEL:-tcg}
# One CPU per socket: SeaBIOS lists only a package's first CPU in the MP
# table, the only CPU table the tinyconfig kernel reads (no ACPI).
smp=${KHO_VM_SMP:-2}
qemu_args=(-accel "$accel" -m "${KHO_VM_MEM:-1G}" -smp "$smp,sockets=$smp,cores=1,threads=1"
	   -nodefaults -no-reboot -display none -vga none)
[ "$accel" = kvm ] && qemu_args+=(-cpu host) || qemu_args+=(-cpu max)
# Results travel on a second channel: x86's second serial port (ttyS1),
# on arm64's virt machine, which has one UART, a virtio console (hvc0).
results_args() {
	case $ARCH in
	x86_64) echo "-serial file:$1" ;;
	arm64) echo "-device virtio-serial-device -chardev file,id=results,path=$1" \
		"-device virtconsole,chardev=results" ;;
	esac
}

# Console lines that mean the kernel crashed or warned.
crash_pattern='Kernel panic|BUG:|Oops|general protection fault|WARNING: CPU'

# uboot_args DIR DESC KERNEL CMDLINE STORE: lay out the U-Boot netboot of
# KERNEL with the handover described by DESC (and the board's trace store
# STORE, see uboot.sh) in DIR/tftp and print the QEMU
# arguments that boot it; fails, saying why in DIR/setup.log, when it
# cannot.
uboot_args() {
	local dir=$1 bios=/usr/lib/u-boot/qemu_arm64/u-boot.bin

	if [ "$ARCH" != arm64 ] || [ ! -f "$bios" ]; then
		echo "# U-Boot boots arm64 guests only, from $bios (u-boot-qemu)" \
			>> "$dir/setup.log"
		rm -f "$dir/initramfs.cpio"
		return 1
	fi
	rm -f "$dir/net.pcap"
	if ! "$top/tools/kho/build/khoctl" author -o "$dir/handover.bundle" \
		"$kho/scenarios/$2" >> "$dir/setup.log" 2>&1 ||
	   ! "$here/uboot.sh" "$dir/tftp" "$dir/handover.bundle" "$3" \
		"$dir/initramfs.cpio" "$4" "$5" >> "$dir/setup.log" 2>&1; then
		rm -f "$dir/initramfs.cpio"
		return 1
	fi
	echo "-bios $bios -netdev user,id=net0,tftp=$dir/tftp" \
		"-device virtio-net-device,netdev=net0" \
		"-object filter-dump,id=dump0,netdev=net0,file=$dir/net.pcap"
}

# bundle_args DIR DESC: the QEMU arguments that pass the handover DESC
# describes as a boot loader would, in RAM and named in /chosen of
# DIR/boot.dtb (see khoreg-vm-bundle: above); fails, saying why in
# DIR/setup.log, when it cannot.
bundle_args() {
	local dir=$1 root=0x67f00000 scratch=0x67f10000 addr addrs

	rm -rf "$dir/bundle"
	mkdir -p "$dir/bundle"
	if ! "$top/tools/kho/build/khoctl" author -o "$dir/handover.bundle" \
		"$kho/scenarios/$2" >> "$dir/setup.log" 2>&1 ||
	   ! addrs=$(bundle_files "$dir/bundle" "$dir/handover.bundle" 2>> "$dir/setup.log") ||
	   ! cp "$dir/boot.dtb" "$dir/bundle/boot.dtb" ||
	   ! fdtput -t x "$dir/bundle/boot.dtb" /chosen linux,kho-fdt 0 $root 0 \
		"$(printf %x "$(stat -c %s "$dir/bundle/kho-root.dtb")")" ||
	   ! fdtput -t x "$dir/bundle/boot.dtb" /chosen linux,kho-scratch 0 $scratch 0 \
		"$(printf %x "$(stat -c %s "$dir/bundle/kho-scratch.bin")")"; then
		echo "# cannot pass the handover of $2" >> "$dir/setup.log"
		return 1
	fi
	echo "-dtb $dir/bundle/boot.dtb" \
		"-device loader,file=$dir/bundle/kho-root.dtb,addr=$root,force-raw=on" \
		"-device loader,file=$dir/bundle/kho-scratch.bin,addr=$scratch,force-raw=on"
	for addr in $addrs; do
		echo "-device loader,file=$dir/bundle/kho-$addr.bin,addr=0x$addr,force-raw=on"
	done
}

# host_check DESC CMD [ARGS...]: a check of a scenario's host_checks (its
# output, shown when it fails, goes to $dir/host_check.out).
host_check() {
	local desc=$1

	shift
	if "$@" > "$dir/host_check.out" 2>&1; then
		echo "khoreg: ok host: $desc"
	else
		echo "khoreg: not ok host: $desc"
		head -n 20 "$dir/host_check.out" | sed 's/^/khoreg: # /'
	fi
}

# run_host_checks NAME DIR: the scenario's host_checks, if it has them.
run_host_checks() {
	grep -q '^host_checks()' "$kho/scenarios/$1.sh" || return 0
	# shellcheck disable=SC1090 # the scenario
	(. "$kho/scenarios/$1.sh"; host_checks "$2") >> "$2/results.log"
}

# boot NAME DIR: the scenario's QEMU runs (one, and one more for each
# restart_next); sets $timed_out and $limit, its time limit.
boot() {
	local name=$1 dir=$2 qpid names img cmdline handover bundle uboot t0 restart
	local -a imgs=() extra=() crafted=() run=()

	timed_out=0
	rm -f "$dir"/*.log "$dir/initramfs.cpio"
	: > "$dir/results.log"
	names=$(header "$name" kernels)
	if [ -n "$kernels" ]; then
		names=$kernels
	elif [ -n "$kernel$next" ] || [ -z "$names" ]; then
		names="${kernel:-$(header "$name" kernel)},${next:-$(header "$name" next-kernel)}"
	fi
	for img in ${names//,/ }; do
		imgs+=("$(image "$img")")
	done
	[ "${names%%,*}" ] || imgs=("$(image khoreg)" "${imgs[@]}")
	cmdline="console=$console $arch_args panic=-1 khoreg.scenario=$name"
	cmdline="$cmdline ${append:-$(header "$name" append)} $also"
	for img in "${imgs[@]}"; do
		if [ ! -f "$img" ]; then
			echo "# no kernel image $img (make kernel mainline)" > "$dir/setup.log"
			return
		fi
	done
	: > "$dir/setup.log"
	if header_has "$name" mainline-selftests; then
		"$kho/luo-mainline-progs.sh" "$dir/guest" >> "$dir/setup.log" 2>&1 || return
	fi
	"$here/mkinitramfs.sh" "$dir/initramfs.cpio" "${imgs[@]}" \
		>> "$dir/setup.log" 2>&1 || return
	read -ra extra < <(sed -n -e 's/^# khoreg-vm-qemu: //p' \
		-e "s/^# khoreg-vm-qemu-$ARCH: //p" "$kho/scenarios/$name.sh" | tr '\n' ' ')
	handover=$(sed -n 's/^# khoreg-vm-handover: //p' "$kho/scenarios/$name.sh")
	bundle=$(sed -n 's/^# khoreg-vm-bundle: //p' "$kho/scenarios/$name.sh")
	if [ -n "$handover$bundle" ]; then
		# The device tree this very boot would get, then the handover in it.
		# shellcheck disable=SC2046 # results_args is split into arguments
		if ! "${qemu[@]}" "${qemu_args[@]}" "${extra[@]}" -kernel "${imgs[0]}" \
			-initrd "$dir/initramfs.cpio" -append "$cmdline" \
			$(results_args /dev/null) -machine "dumpdtb=$dir/boot.dtb" \
			>> "$dir/setup.log" 2>&1; then
			echo "# cannot dump the device tree" >> "$dir/setup.log"
			rm -f "$dir/initramfs.cpio"
			return
		fi
	fi
	if [ -n "$handover" ] &&
	   ! read -ra crafted < <("$here/mkhandover.py" "$handover" \
		"$dir/boot.dtb" "$dir" 2>> "$dir/setup.log"); then
		echo "# cannot craft handover $handover" >> "$dir/setup.log"
		rm -f "$dir/initramfs.cpio"
		return
	fi
	extra+=("${crafted[@]}")
	if [ -n "$bundle" ]; then
		# shellcheck disable=SC2207 # bundle_args prints arguments
		extra+=($(bundle_args "$dir" "$bundle")) || { rm -f "$dir/initramfs.cpio"; return; }
	fi
	if [ "$ARCH" = arm64 ] && header_has "$name" flash; then
		# 64 MiB, as QEMU's virt machine wants its flash banks
		head -c $((64 << 20)) /dev/zero | tr '\0' '\377' > "$dir/flash1.img"
		extra+=(-drive "if=pflash,unit=1,format=raw,file=$dir/flash1.img")
	fi
	uboot=$(sed -n 's/^# khoreg-vm-uboot: //p' "$kho/scenarios/$name.sh")
	limit=${timeout:-$(header "$name" timeout)}
	limit=${limit:-240}
	t0=$SECONDS
	# One QEMU run, and another one for each stage that ends in restart_next
	while :; do
		run=("${extra[@]}")
		if [ -n "$uboot" ]; then
			# shellcheck disable=SC2207 # uboot_args prints arguments
			run+=($(uboot_args "$dir" "$uboot" "${imgs[0]}" "$cmdline" \
				"$(sed -n 's/^# khoreg-vm-uboot-store: //p' \
					"$kho/scenarios/$name.sh")")) || return
		else
			run+=(-kernel "${imgs[0]}" -initrd "$dir/initramfs.cpio" -append "$cmdline")
		fi
		: > "$dir/run-results.log"
		# shellcheck disable=SC2046 # results_args is split into arguments
		timeout -k 5 $((limit - (SECONDS - t0))) "${qemu[@]}" "${qemu_args[@]}" \
			"${run[@]}" -serial "file:$dir/run-console.log" \
			$(results_args "$dir/run-results.log") &
		qpid=$!
		if [ $say -eq 1 ]; then
			tail -n +1 -f --pid=$qpid "$dir/run-results.log" 2>/dev/null |
				tr -d '\r' | sed -un 's/^khoreg: say /    /p' >&2
		fi
		wait $qpid
		[ $? -eq 124 ] && timed_out=1 || timed_out=0
		cat "$dir/run-console.log" >> "$dir/console.log"
		cat "$dir/run-results.log" >> "$dir/results.log"
		rm -f "$dir/run-console.log" "$dir/run-results.log"
		restart=$(tail -n 1 "$dir/results.log" | tr -d '\r' |
			sed -n 's/^khoreg: restart stage//p')
		[ $timed_out -eq 0 ] && [ -n "$restart" ] && [ $((SECONDS - t0)) -lt "$limit" ] ||
			break
		if grep -q '^host_restart()' "$kho/scenarios/$name.sh"; then
			# shellcheck disable=SC1090 # the scenario
			(. "$kho/scenarios/$name.sh"; host_restart "$dir" "$restart") \
				>> "$dir/setup.log" 2>&1
		fi
		cmdline="${cmdline% khoreg.stage=*} khoreg.stage=$restart"
	done
}

# expected_warnings_dropped FUNC [SYSRQ]: the console on stdin without the
# warnings raised in FUNC (none dropped when FUNC is empty) and, when SYSRQ
# is 1, without the panics sysrq "c" makes, each up to the next kernel's
# banner (the crash kernel's).
expected_warnings_dropped() {
	tr -d '\r' | awk -v fn="$1" -v sysrq="${2:-0}" '
		fn != "" && /WARNING: CPU/ && index($0, " " fn "+") { skip = 1 }
		skip { if (/---\[ end trace/) skip = 0; next }
		sysrq && /Kernel panic - not syncing: sysrq triggered crash/ { crash = 1 }
		crash { if (!/Linux version /) next; crash = 0 }
		{ print }'
}

# report NAME DIR: the scenario's results as a KTAP subtest; returns 1 on failure.
report() {
	local name=$1 dir=$2 n=0 bad=0 line stage banners started crash pattern what
	local out=$dir/ktap

	if [ ! -f "$dir/initramfs.cpio" ]; then
		{
			echo "KTAP version 1"
			echo "# Subtest: $name"
			echo "1..1"
			echo "not ok 1 harness: guest set up"
			sed 's/^/# /' "$dir/setup.log"
		} > "$out"
		return 1
	fi
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
		for stage in $(sed -n 's/^khoreg: \(kexec\|restart\) stage/\1:/p' \
				"$dir/results.txt"); do
			n=$((n + 1))
			what="harness: stage ${stage#*:} kernel started after ${stage%:*}"
			if grep -q "^khoreg: start stage${stage#*:} " "$dir/results.txt"; then
				echo "ok $n $what"
			else
				bad=1
				echo "not ok $n $what"
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
		pattern=$crash_pattern
		header_has "$name" alloc-fails || pattern="$pattern|Call Trace"
		crash=$(expected_warnings_dropped "$(header "$name" warns)" \
				"$(header_has "$name" sysrq-crash && echo 1)" \
				< "$dir/console.log" 2>/dev/null |
			grep -E "$pattern" | head -5)
		n=$((n + 1))
		if [ -z "$crash" ]; then
			echo "ok $n harness: no kernel crash or warning"
		else
			bad=1; echo "not ok $n harness: no kernel crash or warning"
			printf '%s\n' "$crash" | sed 's/^/# /'
		fi
		n=$((n + 1))
		if [ $timed_out -eq 1 ]; then
			bad=1; echo "not ok $n harness: guest finished within ${limit}s"
			echo "# killed after ${limit}s; last console lines:"
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
i=0
for s in "${scenarios[@]}"; do
	i=$((i + 1))
	dir=$vmdir/$s
	mkdir -p "$dir"
	skip=$(arch_skip "$s")
	if [ -n "$skip" ]; then
		echo "ok $i $s # SKIP $skip"
		continue
	fi
	[ $say -eq 1 ] && echo "==> scenario $s" >&2
	start=$SECONDS
	boot "$s" "$dir"
	run_host_checks "$s" "$dir"
	# A scenario whose own results do not add up fails too.
	if report "$s" "$dir" && [ -z "$(ktap_problems < "$dir/ktap")" ]; then
		res="ok"
	else
		res="not ok"
	fi
	ktap_indent < "$dir/ktap"
	echo "# $s took $((SECONDS - start))s"
	echo "$res $i $s"
done | tee -a "$vmdir/ktap"
totals=$(ktap_totals < "$vmdir/ktap")
[ $summary -eq 1 ] && echo "$totals"
case $totals in
*" passed, 0 failed"*) exit 0 ;;
*) exit 1 ;;
esac
