# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm-qemu: -nic user,model=virtio-net-pci
# khoreg-arch: x86_64: its NIC is virtio-net-pci, and the arm64 virt config has no PCI host
#
# sample-netcfg-authored: a bootloader's handover, with khoctl standing in
# for the bootloader. Kernel 1 never touches the network: khoctl import
# authors a "netcfg" entry from JSON and adds it to the pending handover
# (/sys/kernel/kho/registry_import), which refuses a second entry of the
# same name and blobs with problems or memory fields, saying why in
# last_error. Kernel 2's built-in kho_netcfg configures eth0 from the
# authored entry before /init and hands it on; kernel 3 is still
# configured. Kernel 3 then imports an entry whose lease has expired:
# kernel 4 logs why, configures nothing and boots on.

p=/sys/module/kho_netcfg/parameters
mac=52:54:00:12:34:60
lease_file=/khoreg-netcfg-lease

logged() { dmesg | grep -qF "$1"; }

# netcfg_json LEASE-END: a description of the netcfg entry of eth0:
# 10.0.2.20/24 via 10.0.2.2 with QEMU's DNS server 10.0.2.3.
netcfg_json() {
	cat <<EOF
{ "registry": { "entries": [ {
  "name": "netcfg", "compatible": "khoreg,netcfg-v1", "version": 1,
  "owner": "bootloader",
  "fields": [
    { "name": "ifname", "type": "string", "value": "eth0" },
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
	check "it is a pending entry" [ "$(cat $f/compatible)" = khoreg,netcfg-v1 ]
	check "version" [ "$(cat $f/version)" = 1 ]
	check "addr" [ "$(cat $f/fields/addr)" = "u32 167772692" ]
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
	local lease

	configured
	check "stop handing eth0 over" sh -c "echo > $p/ifname"
	check "the entry is gone" \
		[ -d /sys/kernel/kho/registry -a ! -e /sys/kernel/kho/registry/netcfg ]
	lease=$(($(date +%s) - 60))
	netcfg_json $lease > /tmp/netcfg.json
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
	say "expired lease: nothing configured, boot went on"
}
