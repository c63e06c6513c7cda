# SPDX-License-Identifier: GPL-2.0-only
# khoreg-arch: arm64: the handover comes from a boot loader, in /chosen
# khoreg-vm-handover: nomap
#
# kho-map-nomap: a crafted handover preserves a block in memory that the
# boot DTB marks no-map (NOMAP in memblock: RAM to
# memblock_is_region_memory(), but not to memblock_is_map_memory()). The
# kernel refuses the whole map and boots on without the handover.

stage1() {
	map_refused "names memory that must not be mapped"
}
