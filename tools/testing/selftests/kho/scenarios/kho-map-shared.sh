# SPDX-License-Identifier: GPL-2.0-only
# khoreg-arch: arm64: the handover comes from a boot loader, in /chosen
# khoreg-vm-handover: shared
#
# kho-map-shared: two table slots of a crafted handover name one leaf.
# The kernel refuses the whole map and boots on without the handover.

stage1() {
	map_refused "names one node twice (a shared child or a cycle)"
}
