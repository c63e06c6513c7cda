# SPDX-License-Identifier: GPL-2.0-only
# khoreg-arch: arm64: the handover comes from a boot loader, in /chosen
# khoreg-vm-handover: cycle
#
# kho-map-cycle: a table slot of a crafted handover names the root.
# The kernel refuses the whole map and boots on without the handover.

stage1() {
	map_refused "names one node twice (a shared child or a cycle)"
}
