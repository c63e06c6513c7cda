# SPDX-License-Identifier: GPL-2.0-only
#
# kexec-basic: kernel 1 kexecs into kernel 2 with kexec_file_load; kernel 2
# proves it was reached that way: kernel 1's boot id arrives on its command
# line and differs from its own.

stage1() {
	local boot_id

	boot_id=$(cat /proc/sys/kernel/random/boot_id)
	say "booted Linux $(uname -r) in $(cut -d' ' -f1 /proc/uptime)s (boot id $boot_id)"
	check "first kernel of the chain" [ -z "$(khoreg_arg prev_boot_id)" ]
	check "kexec_file_load is available" [ -e /sys/kernel/kexec_loaded ]
	say "handing over with kexec_file_load: boot id $boot_id goes on the next command line"
	kexec_next "khoreg.prev_boot_id=$boot_id"
}

stage2() {
	local boot_id prev

	boot_id=$(cat /proc/sys/kernel/random/boot_id)
	prev=$(khoreg_arg prev_boot_id)
	say "booted Linux $(uname -r) through kexec (boot id $boot_id)"
	say "it received kernel 1's boot id $prev"
	check "kernel 1's boot id reached kernel 2" [ -n "$prev" ]
	check "kernel 2 is a new boot (boot ids differ)" [ "$prev" != "$boot_id" ]
}
