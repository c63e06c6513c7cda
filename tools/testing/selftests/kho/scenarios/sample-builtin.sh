# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: named-only
#
# sample-builtin: boots the kernel that has every sample of samples/kho built
# in (mk/kernel.sh builtin) and checks that the init function of each ran at
# boot and returned 0. make check's builtin suite runs it with
# initcall_debug and names the samples on the command line:
# khoreg.samples=MODULE:INIT_FUNCTION,...

stage1() {
	local samples s

	samples=$(khoreg_arg samples)
	check "the samples are named on the command line" [ -n "$samples" ]
	for s in $(echo "$samples" | tr , ' '); do
		check "${s%%:*} initialised at boot (${s#*:} returned 0)" sh -c \
			"dmesg | grep -q 'initcall ${s#*:}+0x[0-9a-f]*/0x[0-9a-f]* returned 0 '"
	done
	diag "registry entries: $(ls /sys/kernel/kho/registry | tr '\n' ' ')"
}
