# SPDX-License-Identifier: GPL-2.0-only
# khoreg-arch: arm64: the store is QEMU virt's second flash bank
# khoreg-vm-bundle: trace-flash.json
# khoreg-vm: flash timeout=600 append=trace_instance=flash@kho:512K
#
# trace-flash: a handed-over trace instance kept on flash across cold
# boots. QEMU passes the handover of trace-flash.json as a boot loader
# would: its "trace-store" registry entry names the instance "flash", the
# flash node /flash@0 (both banks, one MTD device), the offset 0x4100000
# (1 MiB into the second bank, a file on the host) and 1 MiB. Kernel 1
# finds the store erased and writes markers; it reboots, which writes
# "flash" to the store, and QEMU stops. QEMU starts again with the same
# file: kernel 2 shows kernel 1's markers in the read-only flash-stored,
# written at reboot, writes its own and kexecs: kernel 3 shows kernel 2's
# markers in flash-stored, written at kexec (and in flash-prev, handed
# over in RAM), and reboots. The host flips a byte of the store: kernel 4
# refuses it (checksum) with one log line and boots on, tracing; the host
# writes foreign bytes over the store's header: kernel 5 refuses it too.

T=/sys/kernel/tracing
NCPU=$(nproc)
STORE='at 0x4100000'

logged() { dmesg | grep -qF "$*"; }

# write_markers TAG: markers TAG-cCPU-1..3 from each CPU into "flash".
write_markers() {
	local cpu=0

	while [ $cpu -lt $NCPU ]; do
		taskset -c $cpu sh -c "for i in 1 2 3; do
				echo $1-c$cpu-\$i > $T/instances/flash/trace_marker
			done"
		cpu=$((cpu + 1))
	done
}

# markers INSTANCE CPU: the markers of INSTANCE on CPU, in order.
markers() {
	sed -n 's/.*tracing_mark_write: //p' $T/instances/$1/per_cpu/cpu$2/trace
}

# check_markers INSTANCE TAG: every CPU of INSTANCE shows TAG's markers,
# exactly and in order.
check_markers() {
	local cpu=0

	while [ $cpu -lt $NCPU ]; do
		markers $1 $cpu > /tmp/got
		printf '%s\n' $2-c$cpu-1 $2-c$cpu-2 $2-c$cpu-3 > /tmp/want
		check "$1 on CPU $cpu: markers $2-c$cpu-1..3, in order" cmp /tmp/want /tmp/got
		cmp -s /tmp/want /tmp/got || diag "got: $(tr '\n' '|' < /tmp/got)"
		cpu=$((cpu + 1))
	done
}

# restored WHEN: one log line says flash-stored holds the trace stored at
# WHEN (reboot, kexec), and the instance is there, read-only.
restored() {
	check "the log says flash-stored holds the trace stored at $1" \
		logged "flash-stored: restored 512 KiB of the trace stored at $1 on"
	check "flash-stored is read-only" \
		write_refused $T/instances/flash-stored/tracing_on 1 'Operation not permitted'
}

# refused WHY: the store was refused with one log line saying WHY, and the
# kernel booted on: no flash-stored, and "flash" traces.
refused() {
	dmesg > /tmp/dmesg.txt
	check "one log line refuses the store: $1" \
		[ "$(grep -c "$STORE: refusing the stored trace: $1\$" /tmp/dmesg.txt)" = 1 ]
	check "no other line refuses it" \
		[ "$(grep -c 'refusing the stored trace' /tmp/dmesg.txt)" = 1 ]
	check "no flash-stored" [ -d $T/instances/flash -a ! -e $T/instances/flash-stored ]
	write_markers s$STAGE
	check_markers flash s$STAGE
}

stage1() {
	check "the flash is an MTD device of both banks (128 MiB)" \
		grep -q '^mtd0: 08000000 ' /proc/mtd
	diag "$(cat /proc/mtd)"
	check "the handover names the store" logged \
		'trace_kho_store: instance flash goes to /flash@0 at 0x4100000 (1024 KiB)'
	check "the entry came from the handover" \
		[ "$(cat /sys/firmware/kho/registry/trace-store/owner)" = qemu ]
	check "the erased store holds no trace" \
		logged "$STORE: no stored trace: empty (erased)"
	check "so there is no flash-stored" \
		[ -d $T/instances/flash -a ! -e $T/instances/flash-stored ]
	check "the store is handed on" \
		grep -q flash /sys/kernel/kho/registry/trace-store/fields/instance
	write_markers s1
	check_markers flash s1
	say "markers in the instance flash; reboot: it goes to flash, QEMU stops and starts again"
	restart_next
}

stage2() {
	restored reboot
	check_markers flash-stored s1
	check "the new flash has none of kernel 1's markers" \
		lacks $T/instances/flash/trace 's1-c' '^# tracer'
	write_markers s2
	say "kernel 1's markers read back from flash after a QEMU restart; kexec"
	kexec_next
}

stage3() {
	restored kexec
	check_markers flash-stored s2
	check_markers flash-prev s2
	check "the store came from kernel 2's handover" \
		grep -q flash /sys/firmware/kho/registry/trace-store/fields/instance
	say "kernel 2's markers read back from flash after kexec;" \
		"reboot, and the host damages the store"
	restart_next
}

stage4() {
	refused "checksum mismatch"
	say "a damaged store is refused; the host writes foreign bytes over it"
	restart_next
}

stage5() {
	refused "foreign contents (bad magic)"
	say "a foreign store is refused"
}

# host_restart DIR STAGE: damage the store in the flash file before the
# QEMU run of STAGE. The store is at 1 MiB of the second bank's file.
host_restart() {
	local off=$((0x100000 + 4096)) b

	case $2 in
	4) # invert one byte past the header: the checksum fails
		b=$(od -A n -t u1 -j $off -N 1 "$1/flash1.img" | tr -d ' ')
		# shellcheck disable=SC2059 # the byte, as an octal escape
		printf "\\$(printf %03o $((b ^ 255)))" |
			dd of="$1/flash1.img" bs=1 seek=$off conv=notrunc 2>/dev/null ;;
	5) printf 'not a khoreg trace store' |
		dd of="$1/flash1.img" bs=1 seek=$((0x100000)) conv=notrunc 2>/dev/null ;;
	esac
}
