# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Handover bundles (khoctl author) as a boot loader passes them: sourced by
# uboot.sh (U-Boot loads the files over TFTP) and run.sh (QEMU's loader
# device puts them into guest RAM, for the khoreg-vm-bundle: header).

# bundle_prop BUNDLE PATH NAME: the bytes of property NAME of node PATH.
bundle_prop() {
	fdtget -t bx "$1" "$2" "$3" | tr ' ' '\n' | sed '/^$/d' |
		while read -r b; do printf '%02x' "0x$b"; done | xxd -r -p
}

# bundle_files DIR BUNDLE: write the bundle's root FDT (DIR/kho-root.dtb),
# its scratch array (DIR/kho-scratch.bin) and each of its memory regions
# (DIR/kho-ADDR.bin, ADDR its address in hex without 0x), and print the
# regions' ADDRs, one a line.
bundle_files() {
	local r

	bundle_prop "$2" / handover > "$1/kho-root.dtb" &&
		bundle_prop "$2" / scratch > "$1/kho-scratch.bin" || return 1
	for r in $(fdtget -l "$2" /memory); do
		bundle_prop "$2" "/memory/$r" data > "$1/kho-${r#region@}.bin" || return 1
		echo "${r#region@}"
	done
}
