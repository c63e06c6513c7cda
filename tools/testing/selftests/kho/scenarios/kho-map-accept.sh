# SPDX-License-Identifier: GPL-2.0-only
# khoreg-arch: arm64: the handover comes from a boot loader, in /chosen
# khoreg-vm-handover: accept
#
# kho-map-accept: a crafted handover whose map is valid (two disjoint
# blocks) is taken: the control case of the kho-map-* scenarios, showing
# that their refusals come from what each of them breaks.

stage1() {
	dmesg > /tmp/dmesg.txt
	check "the kernel found the crafted handover" \
		grep -q 'KHO: found a handover: FDT at' /tmp/dmesg.txt
	check "it reserved both blocks and the six map nodes" \
		grep -q 'KHO: reserved 2 preserved block(s), 4 page(s), 6 map node(s)' \
		/tmp/dmesg.txt
	check "nothing was refused" lacks /tmp/dmesg.txt 'ignoring the handover' 'found a handover'
	check "the handover is there" [ -d /sys/firmware/kho ]
}
