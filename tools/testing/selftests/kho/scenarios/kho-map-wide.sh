# SPDX-License-Identifier: GPL-2.0-only
# khoreg-arch: arm64: the handover comes from a boot loader, in /chosen
# khoreg-vm-handover: wide
#
# kho-map-wide: a crafted handover names 1152 MiB on a 1 GiB machine, in
# blocks that are each RAM. The kernel refuses the whole map and boots on
# without the handover.

stage1() {
	map_refused "names more memory than this machine has"
}
