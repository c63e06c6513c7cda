# SPDX-License-Identifier: GPL-2.0-only
# khoreg-arch: arm64: U-Boot boots QEMU's arm64 virt machine (Debian's u-boot-qemu)
# khoreg-vm-uboot: uboot-netboot.json
# khoreg-vm-uboot-store: /flash@0 0x4400000 0x180000
# khoreg-vm: flash timeout=600
#
# uboot-netboot: a real boot loader hands over. U-Boot (QEMU's -bios) asks
# QEMU's user network for a lease with DHCP, loads the kernel, the
# initramfs and a khoreg handover over TFTP, writes its lease into the
# handover's template "netcfg" entry with fdt set, names the handover in
# /chosen and boots kernel 1 with booti (vm/uboot.sh lays this out from
# uboot-netboot.json). The handover also carries an entry "broken" without
# a valid compatible: kernel 1 refuses it and restores the rest; and a
# trace setup, which makes kernel 1 trace from before its first initcall
# (and kernel 2 show that trace as early-prev). Kernel
# 1's built-in kho_netcfg has eth0 up with U-Boot's address and default
# route before /init runs; the initramfs runs no DHCP client. U-Boot keeps
# the lease time to itself (its environment after DHCP has none, though
# QEMU's ACK carries one), so the lease has no known end: kernel 1 says so
# and hands 0 on. The template's "trace-store" entry names 1.25 MiB at
# 0x4100000 of the flash; the board's script (khoreg-vm-uboot-store)
# writes its own choice over it, 1.5 MiB at 0x4400000, where kernel 1
# writes "early" at kexec. Kernel 1 kexecs into kernel 2, which gets the
# same lease handed on and shows kernel 1's trace read back from that
# place as early-stored, and kexecs into kernel 3, which gets the lease
# and the store handed on once more. On the host, QEMU's capture of the network shows
# one DHCP exchange (U-Boot's), whose address is the one the kernels
# report, and the kernels' pings after it; the flash file holds the store
# at the script's offset, and nothing at the template's.

p=/sys/firmware/kho/registry
T=/sys/kernel/tracing
E=$T/instances/early

logged() { dmesg | grep -qF "$*"; }

# init_after_netcfg: the kernel log says kho_netcfg configured eth0, then
# that it runs /init.
init_after_netcfg() {
	dmesg > /tmp/dmesg.txt
	grep -n 'kho_netcfg: eth0: configured from the handover' /tmp/dmesg.txt > /tmp/a ||
		{ echo "no kho_netcfg line"; return 1; }
	grep -n 'Run /init as init process' /tmp/dmesg.txt > /tmp/b ||
		{ echo "no line about /init"; return 1; }
	[ "$(cut -d: -f1 /tmp/a)" -lt "$(cut -d: -f1 /tmp/b)" ]
}

# configured: eth0 holds the lease U-Boot wrote, and it works.
configured() {
	local addr

	addr=$(ip -4 -o addr show dev eth0 | sed -n 's/.* inet \([0-9./]*\) .*/\1/p')
	diag "uboot-netboot address $addr"
	check "one log line says eth0 was configured from the handover" \
		logged "kho_netcfg: eth0: configured from the handover: 52:54:00:12:34:56 $addr" \
		"via 10.0.2.2, 1 DNS server(s)"
	check "eth0 is up" sh -c 'ip link show eth0 | grep -q "<.*,UP.*>"'
	check "its address is in QEMU's user network" \
		sh -c "echo $addr | grep -q '^10\.0\.2\.[0-9]*/24$'"
	check "default route via the gateway U-Boot learned" \
		sh -c 'ip route show | grep -q "^default via 10.0.2.2 dev eth0"'
	check "kho_netcfg configured eth0 before /init ran" init_after_netcfg
	check "no DHCP client is running" sh -c '! ps | grep -v grep | grep -q dhcp'
	check "the gateway answers" ping -c 1 -W 5 10.0.2.2
	check "the lease is handed on" \
		[ "$(cat /sys/kernel/kho/registry/netcfg/fields/ifname)" = "string eth0" ]
	check "the lease has no known end: the log says so" \
		logged "via 10.0.2.2, 1 DNS server(s), no lease end"
	check "/proc/net/kho_netcfg shows no lease end" \
		lacks /proc/net/kho_netcfg '^#LEASE-EXPIRES' '^nameserver 10\.0\.2\.3$'
	check "lease-expires 0 is handed on" \
		[ "$(cat /sys/kernel/kho/registry/netcfg/fields/lease-expires)" = "s64 0" ]
}

# store_chosen: the trace store is where U-Boot's script put it, not where
# the template had it.
store_chosen() {
	local f=/sys/firmware/kho/registry/trace-store/fields

	check "the store is the one U-Boot's script chose: 1.5 MiB at 0x4400000" \
		logged 'trace_kho_store: instance early goes to /flash@0 at 0x4400000 (1536 KiB)'
	check "the incoming entry has the script's offset" \
		[ "$(cat $f/offset)" = "u64 71303168" ]
	check "and its size" [ "$(cat $f/size)" = "u64 1572864" ]
	check "the store is handed on" \
		[ "$(cat /sys/kernel/kho/registry/trace-store/fields/offset)" = "u64 71303168" ]
}

# traced_from_boot: the handover's trace setup (the "ftrace" sub-blob of
# uboot-netboot.json, an instance "early" of 1 MiB without pages, with
# sched_process_fork and the options noirq-info sym-offset) made "early"
# before any initcall: its trace starts with the forks of init and kthreadd.
traced_from_boot() {
	local first

	check "the log says the handover configured early" \
		logged 'early: configured by the handover: 1 event(s), 2 option(s), tracing on'
	check "early exists, without a previous trace" [ -d $E -a ! -e $T/instances/early-prev ]
	check "it is handed over again" grep -qx 'early 1048576' $T/kho_instances
	check "irq-info is off, as handed over" [ "$(cat $E/options/irq-info)" = 0 ]
	check "sym-offset is on, as handed over" [ "$(cat $E/options/sym-offset)" = 1 ]
	check "sched_process_fork is enabled" \
		[ "$(cat $E/events/sched/sched_process_fork/enable)" = 1 ]
	first=$(grep -v '^#' $E/trace | head -n 2 | sed 's/.*sched_process_fork: //')
	check "the trace starts with swapper forking init and kthreadd" [ "$first" = \
		"$(printf '%s\n%s' 'comm=swapper/0 pid=0 child_comm=swapper/0 child_pid=1' \
			'comm=swapper/0 pid=0 child_comm=swapper/0 child_pid=2')" ]
}

stage1() {
	check "kernel 1 accepted U-Boot's handover" \
		logged 'KHO: found a handover: FDT at 0x000000004bf00000, 1 scratch area(s)'
	check "the incoming handover is visible" [ -f /sys/firmware/kho/fdt ]
	check "the broken entry is refused, netcfg and trace-store restored" \
		logged 'KHO registry: restored registry: 2 entries, 1 rejected, '
	check "the refusal is logged" \
		logged 'incoming registry: broken: missing or bad compatible'
	check "the incoming registry has netcfg, not broken" \
		[ -d $p/netcfg -a ! -e $p/broken ]
	check "netcfg comes from U-Boot" [ "$(cat $p/netcfg/owner)" = u-boot ]
	configured
	traced_from_boot
	store_chosen
	check "the store U-Boot chose was erased" \
		logged 'at 0x4400000: no stored trace: empty (erased)'
	say "booted by U-Boot: eth0 has U-Boot's lease before /init, early traced from boot;" \
		"kexec, which writes early to the store U-Boot's script chose"
	kexec_next
}

stage2() {
	configured
	store_chosen
	fork_of_init='parent_comm=swapper/0 parent_pid=0x0 (0)'
	fork_of_init="$fork_of_init child_comm=swapper/0 child_pid=0x1 (1)"
	check "early-prev holds kernel 1's trace from its boot: swapper forking init" \
		grep -qF "sched_process_fork: $fork_of_init" $T/instances/early-prev/trace
	check "the log says early-stored holds the trace kernel 1 stored at kexec" \
		logged 'early-stored: restored 1024 KiB of the trace stored at kexec on'
	check "early-stored, read back from flash, has it too: swapper forking init" \
		grep -qF "sched_process_fork: $fork_of_init" $T/instances/early-stored/trace
	say "kernel 2 got the lease handed on from kernel 1, and its trace from flash; kexec"
	kexec_next
}

stage3() {
	configured
	store_chosen
	check "early-stored holds the trace kernel 2 stored at kexec" \
		logged 'early-stored: restored 1024 KiB of the trace stored at kexec on'
	say "kernel 3 got the same lease and store handed on by a kernel that got them handed on"
}

# flash_at FILE OFFSET: the first 4 bytes of FILE at OFFSET, in hex.
flash_at() {
	od -A n -t x1 -j "$2" -N 4 "$1" | tr -d ' \n'
}

# uboot_env DIR: U-Boot's environment after DHCP, as its script printed it.
uboot_env() {
	local from='^khoreg: U-Boot environment after DHCP:' to='^khoreg: end of the environment'

	tr -d '\r' < "$1/console.log" | sed -n "/$from/,/$to/p"
}

# host_checks DIR: QEMU's capture of the guest's network (DIR/net.pcap),
# U-Boot's console and the flash file.
host_checks() {
	local s=$1/net.summary addr ack

	"$here/pcap-summary.py" "$1/net.pcap" > "$s" 2>&1
	addr=$(sed -n 's|^khoreg: # uboot-netboot address \(.*\)/.*|\1|p' "$1/results.log" |
		tr -d '\r' | sort -u)
	ack=$(sed -n 's/^[0-9]* ACK client .* yiaddr \([0-9.]*\).*/\1/p' "$s")
	uboot_env "$1" > "$1/uboot-env.txt"
	host_check "QEMU's ACK gave U-Boot a lease time" grep -q ' ACK client .* lease [1-9]' "$s"
	host_check "U-Boot's environment after DHCP has the lease's address, no lease time" \
		sh -c "grep -q '^ipaddr=$ack\$' '$1/uboot-env.txt' &&
			! grep -i lease '$1/uboot-env.txt'"
	# 0x4400000 and 0x4100000 of the MTD device: 4 and 1 MiB into bank 1
	host_check "the flash holds the store where U-Boot's script put it" \
		[ "$(flash_at "$1/flash1.img" $((0x400000)))" = 6673746b ]
	host_check "and nothing where the template had it" \
		[ "$(flash_at "$1/flash1.img" $((0x100000)))" = ffffffff ]
	host_check "the capture has U-Boot's DHCP exchange" grep -q ' ACK client ' "$s"
	host_check "the capture has the kernels' pings of the gateway after it" \
		sh -c "sed -n '/ ACK client /,\$p' '$s' |
			grep -q 'ICMP echo-request $addr > 10.0.2.2'"
	host_check "one DHCP exchange: one DISCOVER, one REQUEST, one ACK" \
		[ "$(grep -c ' DISCOVER \| REQUEST \| ACK ' "$s")" = 3 ]
	host_check "all kernels have the address DHCP gave U-Boot ($ack)" \
		[ -n "$ack" -a "$addr" = "$ack" ]
}
