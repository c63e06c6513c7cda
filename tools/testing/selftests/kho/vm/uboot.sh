#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# uboot.sh DIR BUNDLE KERNEL INITRD CMDLINE [STORE]: lay out a U-Boot netboot
# with a khoreg handover in the TFTP directory DIR. BUNDLE is a handover
# bundle (khoctl author); its root FDT, scratch array and memory regions
# become files that the U-Boot script DIR/boot.scr.uimg loads to their
# addresses over TFTP. The script then fills in the "netcfg" registry entry,
# when the handover has one, from what U-Boot's DHCP learned (ethaddr,
# ipaddr, netmask, gatewayip, dnsip; U-Boot keeps the lease time to itself,
# so lease-expires stays 0), prints U-Boot's environment after DHCP, writes
# the board's trace store STORE ("DEVICE OFFSET SIZE", hex) into the
# "trace-store" entry when both are there (DEVICE as long as the
# template's: fdt set rewrites in place), names the handover in /chosen
# (linux,kho-fdt, linux,kho-scratch) and boots the kernel with booti.
# U-Boot's distro boot finds the script: its "dhcp" target asks DHCP and
# loads boot.scr.uimg from the TFTP server. Documentation/kho/bootloader.rst
# describes the protocol; DIR/boot.cmd is the script in plain text.
set -euo pipefail
# shellcheck source=bundle.sh
. "$(dirname "$0")/bundle.sh"

dir=$1 bundle=$2 kernel=$3 initrd=$4 cmdline=$5 store=${6:-}
# Where the root FDT and the scratch array go: below the authored blobs
# (the descriptions of the scenarios place those at 0x4c000000), above the
# initramfs U-Boot loads at ramdisk_addr_r (0x44000000).
root_addr=0x4bf00000 scratch_addr=0x4bf10000
# Where booti keeps the compressed kernel while it unpacks it to
# kernel_addr_r (0x40400000), above the compressed initramfs.
comp_addr=0x48000000

# dotted_to_hex VAR SRC: U-Boot commands that set VAR to the value of the
# dotted-quad environment variable SRC as hex digits (0 when SRC is not
# set). setexpr reads numbers as hex, so a decimal octet "d2d1d0" reads as
# 0x100 d2 + 0x10 d1 + d0; its value is 100 d2 + 10 d1 + d0 (0x64, 0xa).
dotted_to_hex() {
	local i octet='(\\d+)'

	echo "setexpr kho_h 0"
	for i in 1 2 3 4; do
		echo "setenv kho_o 0"
		echo "setexpr kho_o sub \"^$octet\\\\.$octet\\\\.$octet\\\\.$octet\$\"" \
			"\"\\\\$i\" \"\${$2}\""
		echo "setexpr kho_d \${kho_o} / 100"
		echo "setexpr kho_d \${kho_d} * 64"
		echo "setexpr kho_e \${kho_o} / 10"
		echo "setexpr kho_e \${kho_e} \"&\" f"
		echo "setexpr kho_e \${kho_e} * a"
		echo "setexpr kho_d \${kho_d} + \${kho_e}"
		echo "setexpr kho_e \${kho_o} \"&\" f"
		echo "setexpr kho_d \${kho_d} + \${kho_e}"
		echo "setexpr kho_h \${kho_h} * 100"
		echo "setexpr kho_h \${kho_h} + \${kho_d}"
	done
	echo "setenv $1 \${kho_h}"
}

# netcfg_fill ADDR: U-Boot commands that write the lease into the template
# netcfg entry of the registry sub-blob at ADDR, in place: every value has
# the length the template gave it, so the blob does not move or grow.
netcfg_fill() {
	local p

	echo "echo khoreg: writing the DHCP lease into the netcfg entry"
	echo "fdt addr $1"
	echo "setexpr kho_mac gsub : \" \" \"\${ethaddr}\""
	echo "fdt set /netcfg perm-mac \"[\${kho_mac}]\""
	echo "fdt set /netcfg mac \"[\${kho_mac}]\""
	dotted_to_hex kho_addr ipaddr
	echo "fdt set /netcfg addr \"<0x\${kho_addr}>\""
	dotted_to_hex kho_gw gatewayip
	echo "fdt set /netcfg gateway \"<0x\${kho_gw}>\""
	dotted_to_hex kho_dns dnsip
	echo "fdt set /netcfg dns \"<0x\${kho_dns} 0 0>\""
	dotted_to_hex kho_mask netmask
	for p in $(seq 0 32); do
		printf 'if test "${kho_mask}" = "%x"; then setenv kho_prefix %x; fi\n' \
			$(((0xffffffff << (32 - p)) & 0xffffffff)) "$p"
	done
	echo "fdt set /netcfg prefix \"[\${kho_prefix}]\""
}

# u64_cells HEX: a u64 as the two cells fdt set writes, big-endian.
u64_cells() {
	printf '<0x%x 0x%x>' $(($1 >> 32)) $(($1 & 0xffffffff))
}

# store_fill ADDR BLOB DEVICE OFFSET SIZE: U-Boot commands that write the
# board's trace store into the template "trace-store" entry of the registry
# sub-blob BLOB, loaded at ADDR, in place.
store_fill() {
	local template

	template=$(fdtget "$2" /trace-store device) || return 1
	if [ ${#3} -ne ${#template} ]; then
		echo "uboot.sh: store device $3 is not as long as the template's $template" >&2
		return 1
	fi
	echo "echo khoreg: trace store of this board: $3 at $4, $5 bytes"
	echo "fdt addr $1"
	echo "fdt set /trace-store device \"$3\""
	echo "fdt set /trace-store offset \"$(u64_cells "$4")\""
	echo "fdt set /trace-store size \"$(u64_cells "$5")\""
}

rm -rf "$dir"
mkdir -p "$dir"
# TFTP from QEMU's user network moves about 150 KiB/s under TCG: both
# files travel compressed. booti unpacks the kernel (by way of
# kernel_comp_addr_r), the kernel its initramfs.
gzip -6 -n -c "$kernel" > "$dir/Image.gz"
gzip -6 -n -c "$initrd" > "$dir/initramfs.cpio.gz"
addrs=$(bundle_files "$dir" "$bundle")
{
	echo "echo khoreg: U-Boot loads the kernel, the initramfs and the handover"
	echo "setenv tftpblocksize 1428"
	echo "tftpboot \${kernel_addr_r} Image.gz"
	echo "setenv kernel_comp_addr_r $comp_addr"
	echo "setenv kernel_comp_size \${filesize}"
	echo "tftpboot \${ramdisk_addr_r} initramfs.cpio.gz"
	echo "setenv kho_initrd_size \${filesize}"
	echo "tftpboot $root_addr kho-root.dtb"
	echo "setenv kho_root_size \${filesize}"
	echo "tftpboot $scratch_addr kho-scratch.bin"
	echo "setenv kho_scratch_size \${filesize}"
	netcfg='' tstore=''
	for addr in $addrs; do
		echo "tftpboot 0x$addr kho-$addr.bin"
		if fdtget "$dir/kho-$addr.bin" /netcfg compatible >/dev/null 2>&1; then
			netcfg=0x$addr
		fi
		if fdtget "$dir/kho-$addr.bin" /trace-store compatible >/dev/null 2>&1; then
			tstore=$addr
		fi
	done
	if [ -n "$netcfg" ]; then
		netcfg_fill "$netcfg"
		echo "echo khoreg: U-Boot environment after DHCP:"
		echo "printenv"
		echo "echo khoreg: end of the environment"
	fi
	if [ -n "$tstore" ] && [ -n "$store" ]; then
		# shellcheck disable=SC2086 # STORE is DEVICE OFFSET SIZE
		store_fill "0x$tstore" "$dir/kho-$tstore.bin" $store || exit 1
	fi
	echo "fdt addr \${fdt_addr}"
	echo "fdt resize 4096"
	echo "fdt set /chosen linux,kho-fdt \"<0 $root_addr 0 0x\${kho_root_size}>\""
	echo "fdt set /chosen linux,kho-scratch \"<0 $scratch_addr 0 0x\${kho_scratch_size}>\""
	echo "setenv bootargs \"$cmdline\""
	echo "setenv fdt_high 0xffffffffffffffff"
	echo "setenv initrd_high 0xffffffffffffffff"
	echo "echo khoreg: booting the kernel with the handover in /chosen"
	echo "booti \${kernel_addr_r} \${ramdisk_addr_r}:\${kho_initrd_size} \${fdt_addr}"
} > "$dir/boot.cmd"
mkimage -q -A arm64 -O linux -T script -C none -n khoreg-netboot \
	-d "$dir/boot.cmd" "$dir/boot.scr.uimg"
