# SPDX-License-Identifier: GPL-2.0-only
# khoreg-arch: arm64: the handover comes from a boot loader, in /chosen
# khoreg-vm-handover: nomap
#
# kho-map-nomap: a crafted handover preserves a block in memory that the
# boot DTB marks no-map (NOMAP in memblock). The kernel refuses the whole
# map and boots on without the handover.

stage1() {
	map_refused "has a block over memory that must not be mapped"
}
