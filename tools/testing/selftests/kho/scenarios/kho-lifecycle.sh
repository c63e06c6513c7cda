# SPDX-License-Identifier: GPL-2.0-only
#
# kho-lifecycle: once kexec_file_load() carries the handover, abort is
# refused with EBUSY and one log line saying what to do; the admin's way
# out works (unload the image, then abort); nothing was leaked; and the
# handover loaded again still reaches kernel 2, where kho_selftest restores
# everything byte for byte.

kho_state() { cat /sys/kernel/kho/state; }
summary() { sed -n "s/^$1 //p" /sys/kernel/kho/summary; }

stage1() {
	check "kho_selftest preserves its memory" modprobe kho_selftest action=preserve
	check "the summary counts leaked pages" [ -n "$(summary leaked_pages)" ]
	kexec_load_next
	check "the handover is loaded" [ "$(kho_state)" = loaded ]
	check "abort is refused while an image carries the handover, and logged" \
		fails_logging 'abort refused: a kexec image carries the handover; unload it first' \
		sh -c 'echo 0 > /sys/kernel/kho/finalize'
	check "the refusal is EBUSY" grep -q 'Device or resource busy' /tmp/fails.out
	check "the handover is still loaded" [ "$(kho_state)" = loaded ]
	check "unload the image" kexec_file unload
	check "the handover is finalized again" [ "$(kho_state)" = finalized ]
	check "abort, once unloaded" sh -c 'echo 0 > /sys/kernel/kho/finalize'
	check "the handover is idle" [ "$(kho_state)" = idle ]
	check "nothing was leaked" [ "$(summary leaked_pages)" = 0 ]
	say "abort refused while loaded; unloaded, aborted; loading again"
	kexec_next
}

stage2() {
	check "this is a KHO boot" [ -d /sys/firmware/kho ]
	check "kho_selftest restores and verifies everything" \
		modprobe kho_selftest action=restore
}
