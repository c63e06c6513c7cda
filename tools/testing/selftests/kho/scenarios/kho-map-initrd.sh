# SPDX-License-Identifier: GPL-2.0-only
# khoreg-arch: arm64: the handover comes from a boot loader, in /chosen
# khoreg-vm-handover: initrd
#
# kho-map-initrd: a crafted handover preserves a block over the initrd.
# The kernel refuses the whole map and boots on without the handover.

stage1() {
	map_refused "has a block over memory this kernel reserved"
}
