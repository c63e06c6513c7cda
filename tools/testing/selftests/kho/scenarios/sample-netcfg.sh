# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm-qemu-x86_64: -nic user,model=virtio-net-pci
# khoreg-vm-qemu-arm64: -netdev user,id=n0 -device virtio-net-device,netdev=n0
#
# sample-netcfg: the kho_netcfg sample (samples/kho/kho_netcfg_main.c, built in)
# hands the network configuration of eth0 from kernel to kernel. Kernel 1
# configures eth0 by hand (a MAC of its own, 10.0.2.15/24, default route
# via QEMU's gateway 10.0.2.2), names it to kho_netcfg and gives it DNS
# servers and a lease end; finalize fills the "netcfg" entry from the live
# interface. Kernels 2 and 3 find eth0 configured before their /init runs
# any network command, show the DNS servers and the lease in
# /proc/net/kho_netcfg, reach the gateway, and hand the configuration on.

p=/sys/module/kho_netcfg/parameters
f=/sys/kernel/kho/registry/netcfg/fields
mac=52:54:00:4b:48:4f
lease_file=/khoreg-netcfg-lease

# logged TEXT: the kernel log has a line containing TEXT.
logged() { dmesg | grep -qF "$1"; }

# configured: eth0 is as kernel 1 set it up and the lease file is right,
# checked with read-only commands.
configured() {
	local lease

	lease=$(cat $lease_file)
	check "MAC $mac" [ "$(cat /sys/class/net/eth0/address)" = $mac ]
	check "eth0 is up" sh -c 'ip link show eth0 | grep -q "<.*,UP.*>"'
	check "address 10.0.2.15/24" \
		sh -c 'ip -4 addr show dev eth0 | grep -q "inet 10.0.2.15/24 brd 10.0.2.255 "'
	check "one IPv4 address" [ "$(ip -4 addr show dev eth0 | grep -c inet)" = 1 ]
	check "default route via 10.0.2.2" \
		sh -c 'ip route show | grep -q "^default via 10.0.2.2 dev eth0"'
	printf '#PROTO: KHO\n#LEASE-EXPIRES: %s\nnameserver 10.0.2.3\nnameserver 192.0.2.53\n' \
		"$lease" > /tmp/netcfg.expected
	check "/proc/net/kho_netcfg, byte for byte" cmp /proc/net/kho_netcfg /tmp/netcfg.expected
	check "one log line says so" logged "kho_netcfg: eth0: configured from the handover:\
 $mac 10.0.2.15/24 via 10.0.2.2, 2 DNS server(s), lease until $lease"
	check "handed on: ifname" [ "$(cat $f/ifname)" = "string eth0" ]
	check "handed on: DNS servers" [ "$(cat $f/dns)" = "u32[3] 167772675 3221226037 0" ]
	check "handed on: lease" [ "$(cat $f/lease-expires)" = "s64 $lease" ]
	check "the gateway answers" ping -c 1 -W 5 10.0.2.2
}

stage1() {
	local lease

	check "nothing was handed over" \
		logged 'kho_netcfg: nothing handed over: no interface configured'
	check "no /proc/net/kho_netcfg" [ -d /proc/net -a ! -e /proc/net/kho_netcfg ]
	check "eth0 exists and has no IPv4 address" no_ipv4 eth0
	check "no entry before an interface is named" \
		[ -d /sys/kernel/kho/registry -a ! -e /sys/kernel/kho/registry/netcfg ]
	# ifconfig sets it over an AF_INET socket: the kernel has no AF_PACKET.
	check "set the MAC" ifconfig eth0 hw ether $mac
	check "bring eth0 up" ip link set eth0 up
	check "add 10.0.2.15/24" ip addr add 10.0.2.15/24 brd + dev eth0
	check "add the default route" ip route add default via 10.0.2.2
	check "the gateway answers" ping -c 1 -W 5 10.0.2.2

	check "a bad interface name is refused" \
		write_refused $p/ifname eth/0 'Invalid argument'
	check "bad DNS servers are refused" write_refused $p/dns 10.0.2 'Invalid argument'
	check "name eth0" sh -c "echo eth0 > $p/ifname"
	check "the entry is registered" \
		[ "$(cat /sys/kernel/kho/registry/netcfg/compatible)" = khoreg,netcfg-v2 ]
	check "set DNS servers" sh -c "echo 10.0.2.3,192.0.2.53 > $p/dns"
	check "DNS servers read back" [ "$(cat $p/dns)" = 10.0.2.3,192.0.2.53 ]
	lease=$(($(date +%s) + 86400))
	echo $lease > $lease_file
	check "set the lease end" sh -c "echo $lease > $p/lease_expires"
	check "ifname" [ "$(cat $f/ifname)" = "string eth0" ]
	check "dns" [ "$(cat $f/dns)" = "u32[3] 167772675 3221226037 0" ]
	check "lease-expires" [ "$(cat $f/lease-expires)" = "s64 $lease" ]

	check "finalize fills the entry from eth0" khoctl finalize
	check "perm-mac: the NIC's own, not the MAC set" \
		[ "$(cat $f/perm-mac)" = "u8[6] 82 84 0 18 52 86" ]
	check "mac" [ "$(cat $f/mac)" = "u8[6] 82 84 0 75 72 79" ]
	check "addr" [ "$(cat $f/addr)" = "u32 167772687" ]
	check "prefix" [ "$(cat $f/prefix)" = "u8 24" ]
	check "gateway" [ "$(cat $f/gateway)" = "u32 167772674" ]
	check "finalized: the parameters refuse changes" write_refused $p/dns 10.0.2.3
	say "eth0 $mac 10.0.2.15/24 via 10.0.2.2 handed over; kexec"
	kexec_next
}

stage2() {
	configured
	say "eth0 configured from the handover before /init; kexec"
	kexec_next
}

stage3() {
	configured
	say "eth0 still configured after two kexecs"
}
