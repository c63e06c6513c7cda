# SPDX-License-Identifier: GPL-2.0-only
# khoreg-arch: arm64: the handover comes from a boot loader, in /chosen
# khoreg-vm-handover: nomapnode
#
# kho-map-nomap-node: a crafted handover whose radix tree nodes lie in
# memory the boot DTB marks no-map: RAM, but outside the linear map, so
# reading the root would fault. The kernel refuses the map before reading
# any node and boots on without the handover.

stage1() {
	map_refused "names memory that must not be mapped"
}
