# SPDX-License-Identifier: GPL-2.0-only
# khoreg-arch: x86_64: the damage is done to x86's SETUP_KEXEC_KHO setup_data
#
# kaslr-scratch: the x86 decompressor does not trust the scratch array of
# a handover when it places a KASLR kernel. Each kernel damages the array
# the next one is told about (kho_x86.damage_scratch, a knob of test
# kernels, CONFIG_KEXEC_HANDOVER_SELFTEST): an area far beyond RAM (the
# decompressor used to put the kernel there), a terabyte of array, an
# array moved off its alignment. Each next kernel
# must boot, randomized over e820 RAM, and refuse the handover with one
# log line; the last hop, undamaged, shows the handover does arrive.

knob=/sys/module/kho_x86/parameters/damage_scratch

# where: this kernel's physical and virtual start, saved for the last stage
where() {
	local phys virt

	phys=$(sed -n 's/^ *\([0-9a-f]*\)-[0-9a-f]* : Kernel code$/\1/p' /proc/iomem)
	virt=$(sed -n 's/^\([0-9a-f]*\) T _text$/\1/p' /proc/kallsyms)
	diag "kernel code at physical $phys, _text at $virt"
	echo "$phys $virt" >> /khoreg-kaslr-where
}

# damaged_boot: this kernel got a damaged array and refused the handover.
damaged_boot() {
	check "the kernel booted and refused the handover in one log line" \
		[ "$(dmesg | grep -c 'KHO: .*ignoring the handover')" = 1 ]
	dmesg | grep 'KHO: .*ignoring the handover' | while IFS= read -r line; do
		diag "$line"
	done
	check "no handover arrived" [ ! -e /sys/firmware/kho ]
	where
}

# damage_next HOW: the next kernel is told about a damaged array
damage_next() {
	check "damage the next scratch array: $1" sh -c "echo $1 > $knob"
	check "the knob reads back" [ "$(cat $knob)" = "$1" ]
	kexec_next
}

stage1() {
	check "the test knob exists" [ -e $knob ]
	check "it starts undamaged" [ "$(cat $knob)" = none ]
	check "an unknown damage is refused" write_refused $knob bogus 'Invalid argument'
	check "KASLR is on" lacks /proc/cmdline '(^| )nokaslr( |$)'
	where
	say "the next kernel's scratch area lies beyond RAM; kexec"
	damage_next outside
}

stage2() {
	damaged_boot
	check "the reason: an area outside RAM" \
		sh -c "dmesg | grep -q 'KHO: scratch area points outside RAM'"
	say "booted; next: a terabyte of scratch array; kexec"
	damage_next count
}

stage3() {
	damaged_boot
	check "the reason: the array's length" \
		sh -c "dmesg | grep -q 'KHO: scratch array of 1099511627776 bytes is invalid'"
	say "booted; next: a misaligned scratch array; kexec"
	damage_next misaligned
}

stage4() {
	damaged_boot
	say "booted; next: an undamaged handover; kexec"
	damage_next none
}

stage5() {
	check "the undamaged handover arrived" [ -d /sys/firmware/kho ]
	where
	# Five kernels, each randomized: not all at the same place, unless
	# KASLR is off (or, at odds below 1 in 10^10, by chance).
	check "the kernels were placed at random (physical)" \
		[ "$(cut -d' ' -f1 /khoreg-kaslr-where | sort -u | wc -l)" -gt 1 ]
	check "the kernels were placed at random (virtual)" \
		[ "$(cut -d' ' -f2 /khoreg-kaslr-where | sort -u | wc -l)" -gt 1 ]
	say "three damaged scratch arrays: each next kernel booted with KASLR"
}
