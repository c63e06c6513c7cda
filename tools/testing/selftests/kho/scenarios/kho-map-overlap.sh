# SPDX-License-Identifier: GPL-2.0-only
# khoreg-arch: arm64: the handover comes from a boot loader, in /chosen
# khoreg-vm-handover: overlap
#
# kho-map-overlap: a crafted handover preserves the blocks (P, order 1)
# and (P + 4 KiB, order 0), both holding P's second page. The kernel
# refuses the whole map and boots on without the handover.

stage1() {
	map_refused "has overlapping blocks"
}
