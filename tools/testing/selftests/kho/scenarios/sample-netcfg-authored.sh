# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm-qemu-x86_64: -nic user,model=virtio-net-pci
# khoreg-vm-qemu-arm64: -netdev user,id=n0 -device virtio-net-device,netdev=n0
#
# sample-netcfg-authored: a bootloader's handover, with khoctl standing in
# for the bootloader. Kernel 1 never touches the network: khoctl import
# authors a "netcfg" entry from JSON and adds it to the pending handover
# (/sys/kernel/kho/registry_import), which refuses a second entry of the
# same name and blobs with problems or memory fields, saying why in
# last_error. Kernel 2's built-in kho_netcfg configures eth0 from the
# authored entry before /init and hands it on; kernel 3 is still
# configured. Kernel 3 then imports an entry whose lease has expired:
# kernel 4 logs why, configures nothing and boots on. The interface is the
# one with both the entry's name and its permanent MAC: kernel 5 gets an
# entry for eth0 with another permanent MAC and leaves eth0 alone. Kernel
# 6 gets one for "lan0": it waits until userspace renames eth0 to lan0,
# then configures it, but does not replace the default route userspace
# set meanwhile. Kernel 7 waits for lan0 too, but stops waiting when the
# lease ends (the clock set past it), before lan0 appears, and configures
# nothing when it does. Kernel 8 waits for lan0 and stops when lan0 appears
# after the handover was finished.

p=/sys/module/kho_netcfg/parameters
mac=52:54:00:12:34:60
perm_mac=52:54:00:12:34:56	# QEMU's NIC
lease_file=/khoreg-netcfg-lease

logged() { dmesg | grep -qF "$1"; }

# netcfg_json LEASE-END [IFNAME [PERM-MAC-LAST-BYTE]]: a description of the
# netcfg entry of IFNAME (eth0), permanent MAC 52:54:00:12:34:XX (0x56):
# 10.0.2.20/24 via 10.0.2.2 with QEMU's DNS server 10.0.2.3.
netcfg_json() {
	cat <<EOF
{ "registry": { "entries": [ {
  "name": "netcfg", "compatible": "khoreg,netcfg-v2", "version": 2,
  "owner": "bootloader",
  "fields": [
    { "name": "ifname", "type": "string", "value": "${2:-eth0}" },
    { "name": "perm-mac", "type": "u8", "value": [82, 84, 0, 18, 52, ${3:-86}] },
    { "name": "mac", "type": "u8", "value": [82, 84, 0, 18, 52, 96] },
    { "name": "addr", "type": "u32", "value": "0x0a000214" },
    { "name": "prefix", "type": "u8", "value": 24 },
    { "name": "gateway", "type": "u32", "value": "0x0a000202" },
    { "name": "dns", "type": "u32", "value": ["0x0a000203", 0, 0] },
    { "name": "lease-expires", "type": "s64", "value": $1 } ] } ] } }
EOF
}

# refused WHY CMD...: CMD exits 1 and last_error contains WHY.
refused() {
	local why=$1

	shift
	"$@"
	[ $? -eq 1 ] && grep -qF "$why" /sys/kernel/kho/last_error
}

configured() {
	local lease

	lease=$(cat $lease_file)
	check "MAC $mac" [ "$(cat /sys/class/net/eth0/address)" = $mac ]
	check "eth0 is up" sh -c 'ip link show eth0 | grep -q "<.*,UP.*>"'
	check "address 10.0.2.20/24" \
		sh -c 'ip -4 addr show dev eth0 | grep -q "inet 10.0.2.20/24 brd 10.0.2.255 "'
	check "default route via 10.0.2.2" \
		sh -c 'ip route show | grep -q "^default via 10.0.2.2 dev eth0"'
	printf '#PROTO: KHO\n#LEASE-EXPIRES: %s\nnameserver 10.0.2.3\n' "$lease" \
		> /tmp/netcfg.expected
	check "/proc/net/kho_netcfg, byte for byte" cmp /proc/net/kho_netcfg /tmp/netcfg.expected
	check "one log line says so" logged "kho_netcfg: eth0: configured from the handover:\
 $mac 10.0.2.20/24 via 10.0.2.2, 1 DNS server(s), lease until $lease"
	check "handed on" [ "$(cat /sys/kernel/kho/registry/netcfg/fields/ifname)" = "string eth0" ]
	check "the gateway answers" ping -c 1 -W 5 10.0.2.2
}

stage1() {
	local lease f=/sys/kernel/kho/registry/netcfg

	check "nothing was handed over" \
		logged 'kho_netcfg: nothing handed over: no interface configured'
	check "eth0 exists and has no IPv4 address" no_ipv4 eth0
	lease=$(($(date +%s) + 3600))
	echo $lease > $lease_file
	netcfg_json $lease > /tmp/netcfg.json
	check "khoctl import adds the authored entry" khoctl import /tmp/netcfg.json
	check "it is a pending entry" [ "$(cat $f/compatible)" = khoreg,netcfg-v2 ]
	check "version" [ "$(cat $f/version)" = 2 ]
	check "addr" [ "$(cat $f/fields/addr)" = "u32 167772692" ]
	check "perm-mac" [ "$(cat $f/fields/perm-mac)" = "u8[6] 82 84 0 18 52 86" ]
	check "mac" [ "$(cat $f/fields/mac)" = "u8[6] 82 84 0 18 52 96" ]
	check "lease-expires" [ "$(cat $f/fields/lease-expires)" = "s64 $lease" ]
	check "a second netcfg entry is refused" \
		refused "entry netcfg exists" khoctl import /tmp/netcfg.json
	# Another entry, "other", with a memory field, then with a bad bool.
	sed 's/"netcfg",/"other",/' /tmp/netcfg.json > /tmp/other.json
	sed 's/"fields": \[/&{ "name": "ring", "type": "range",\
 "value": { "addr": 4096, "size": 4096 } },/' /tmp/other.json > /tmp/memory.json
	sed 's/"fields": \[/&{ "name": "flag", "type": "bool", "raw": "00000002" },/' \
		/tmp/other.json > /tmp/bad.json
	check "a memory field is refused" \
		refused "other/ring: a range field refers to memory" khoctl import /tmp/memory.json
	check "a blob with a problem is refused" \
		refused "1 problem(s), the first: other: field flag" khoctl import /tmp/bad.json
	check "author the good one" khoctl author --registry -o /tmp/other.dtb /tmp/other.json
	check "a truncated blob is not an FDT" \
		refused "not an FDT" sh -c 'head -c 20 /tmp/other.dtb | khoctl import'
	head -c 100 /tmp/other.dtb > /sys/kernel/kho/registry_import
	check "a blob cut short imports nothing" \
		[ -d /sys/kernel/kho/registry/netcfg -a ! -e /sys/kernel/kho/registry/other ]
	check "nothing else was imported" [ "$(ls /sys/kernel/kho/registry)" = netcfg ]
	say "authored netcfg entry imported: eth0 $mac 10.0.2.20/24; kexec"
	kexec_next
}

stage2() {
	configured
	say "eth0 configured from the bootloader's entry before /init; kexec"
	kexec_next
}

stage3() {
	configured
	check "stop handing eth0 over" sh -c "echo > $p/ifname"
	check "the entry is gone" \
		[ -d /sys/kernel/kho/registry -a ! -e /sys/kernel/kho/registry/netcfg ]
	# 1 s past the epoch: over on a clock set from the RTC at boot
	# (the arm64 guest's PL031 included, vm/config.arm64)
	netcfg_json 1 > /tmp/netcfg.json
	check "import an entry whose lease has expired" khoctl import /tmp/netcfg.json
	say "eth0 still configured after two kexecs; now an expired lease; kexec"
	kexec_next
}

stage4() {
	check "the expired lease is refused with a reason" \
		logged 'kho_netcfg: bad handover: the lease expired'
	check "eth0 exists and has no IPv4 address" no_ipv4 eth0
	check "no /proc/net/kho_netcfg" [ -d /proc/net -a ! -e /proc/net/kho_netcfg ]
	check "no entry is handed on" \
		[ -d /sys/kernel/kho/registry -a ! -e /sys/kernel/kho/registry/netcfg ]
	netcfg_json $(($(date +%s) + 3600)) eth0 1 > /tmp/netcfg.json
	check "import an entry for eth0 with another permanent MAC" \
		khoctl import /tmp/netcfg.json
	say "expired lease: nothing configured; next: another permanent MAC; kexec"
	kexec_next
}

# wait_logged TEXT: wait for a kernel work item to log TEXT (at most 10 s).
wait_logged() {
	local i

	for i in $(seq 50); do
		logged "$1" && return 0
		sleep 0.2
	done
	return 1
}

# eth0_unconfigured: eth0 exists, down, without an IPv4 address.
eth0_unconfigured() {
	check "eth0 exists and has no IPv4 address" no_ipv4 eth0
	ip link show dev eth0 > /tmp/link.out
	check "eth0 is down" lacks /tmp/link.out '<.*,UP.*>' '^[0-9]+: eth0:'
}

stage5() {
	local lease

	eth0_unconfigured
	check "the permanent MAC that differs is logged" \
		logged "kho_netcfg: eth0: permanent MAC $perm_mac, not the handed-over\
 52:54:00:12:34:01: not configured"
	check "no /proc/net/kho_netcfg" [ -d /proc/net -a ! -e /proc/net/kho_netcfg ]
	check "stop handing eth0 over" sh -c "echo > $p/ifname"
	lease=$(($(date +%s) + 3600))
	echo $lease > $lease_file
	netcfg_json $lease lan0 > /tmp/netcfg.json
	check "import an entry for lan0, eth0's permanent MAC" khoctl import /tmp/netcfg.json
	say "another permanent MAC: eth0 left alone; next: an entry for lan0; kexec"
	kexec_next
}

stage6() {
	local lease

	lease=$(cat $lease_file)
	eth0_unconfigured
	check "kho_netcfg waits for lan0" \
		logged "kho_netcfg: lan0 (permanent MAC $perm_mac): not present yet"
	check "bring lo up" ip link set lo up
	check "userspace sets a default route" ip route add default dev lo
	check "it is there" sh -c 'ip route show | grep -q "^default dev lo"'
	check "rename eth0 to lan0" ip link set dev eth0 name lan0
	check "kho_netcfg configures lan0, keeping the default route" \
		wait_logged "kho_netcfg: lan0: configured from the handover: $mac\
 10.0.2.20/24, a default route exists: not replaced by one via 10.0.2.2, 1 DNS\
 server(s), lease until $lease"
	check "MAC $mac" [ "$(cat /sys/class/net/lan0/address)" = $mac ]
	check "address 10.0.2.20/24" \
		sh -c 'ip -4 addr show dev lan0 | grep -q "inet 10.0.2.20/24 brd 10.0.2.255 "'
	check "the default route userspace set is still there" \
		sh -c 'ip route show | grep -q "^default dev lo"'
	ip route show > /tmp/route.out
	check "no default route via 10.0.2.2" \
		lacks /tmp/route.out '^default via' '^default dev lo'
	check "lan0 is handed on" \
		[ "$(cat /sys/kernel/kho/registry/netcfg/fields/ifname)" = "string lan0" ]
	say "lan0 configured when it appeared; userspace's default route kept; kexec"
	kexec_next
}

stage7() {
	local lease

	lease=$(cat $lease_file)
	eth0_unconfigured
	check "kho_netcfg waits for lan0" \
		logged "kho_netcfg: lan0 (permanent MAC $perm_mac): not present yet"
	check "set the clock past the lease" date -s @$((lease + 60))
	check "kho_netcfg stops waiting when the lease ends, before lan0 appears" \
		wait_logged "kho_netcfg: lan0: the lease expired "
	check "and says so" sh -c "dmesg | grep -q \
 'kho_netcfg: lan0: the lease expired [0-9]* s ago: no longer waiting for it'"
	check "rename eth0 to lan0" ip link set dev eth0 name lan0
	check "lan0 exists and has no IPv4 address" no_ipv4 lan0
	check "stop handing lan0 over" sh -c "echo > $p/ifname"
	netcfg_json $(($(date +%s) + 3600)) lan0 > /tmp/netcfg.json
	check "import an entry for lan0 again" khoctl import /tmp/netcfg.json
	say "lease ended while waiting: nothing configured; next: finish first; kexec"
	kexec_next
}

stage8() {
	eth0_unconfigured
	check "kho_netcfg waits for lan0" \
		logged "kho_netcfg: lan0 (permanent MAC $perm_mac): not present yet"
	check "finish the handover" sh -c 'echo 1 > /sys/firmware/kho/finish'
	check "rename eth0 to lan0" ip link set dev eth0 name lan0
	check "kho_netcfg stops waiting: the handover finished" \
		wait_logged "kho_netcfg: lan0: the handover finished: no longer waiting for it"
	check "lan0 exists and has no IPv4 address" no_ipv4 lan0
	say "handover finished while waiting: nothing configured"
}
