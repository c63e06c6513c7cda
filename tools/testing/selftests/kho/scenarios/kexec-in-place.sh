# SPDX-License-Identifier: GPL-2.0-only
#
# kexec-in-place: kexec_file_load() writes the image carrying the handover
# straight to its destinations in scratch (one log line says so), and that
# kernel boots with the handover; with an image already loaded, a second
# load is staged in ordinary pages and hashed for purgatory instead (no
# line), and purgatory's check of that copy passes: kernel 3 boots with
# kernel 2's handover.

in_place() { dmesg | grep -c 'Kexec HandOver image loaded in place in scratch'; }

stage1() {
	check "no image was loaded in place yet" [ "$(in_place)" = 0 ]
	check "kho_selftest preserves its memory" modprobe kho_selftest action=preserve
	kexec_load_next
	check "the image was loaded in place in scratch" [ "$(in_place)" = 1 ]
	say "kexec into an image loaded in place"
	kexec_exec_next
}

stage2() {
	check "kernel 2 booted through the handover" [ -e /sys/firmware/kho ]
	check "kho_selftest restores what kernel 1 preserved" \
		modprobe kho_selftest action=restore
	kexec_load_next
	check "the first load was in place" [ "$(in_place)" = 1 ]
	kexec_load_next
	check "the second load, over a loaded image, was staged" [ "$(in_place)" = 1 ]
	say "kexec into a staged image that purgatory checks"
	kexec_exec_next
}

stage3() {
	check "kernel 3 booted through the handover" [ -e /sys/firmware/kho ]
	check "its handover carried at least the FDT page" \
		[ "$(sed -n 's/^blocks //p' /sys/firmware/kho/summary)" -ge 1 ]
}
