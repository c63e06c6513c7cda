# SPDX-License-Identifier: GPL-2.0-only
#
# kho-preserve: kho_selftest preserves folios of orders 0, 1, 3 and 9, a
# 13-page range, 32 scattered pages, a vmalloc area and a spare order-10 folio with a seeded
# pattern; kernel 1 goes through finalize/abort cycles and kexecs; kernel 2
# restores everything but the spare folio, compares it byte for byte, and
# gets the spare folio's pages back (free in /proc/kpageflags) when the
# handover is finished;
# kernel 3 proves a KHO-booted kernel can hand over again.

kho_state() { cat /sys/kernel/kho/state; }
summary() { sed -n "s/^$1 //p" /sys/firmware/kho/summary; }

stage1() {
	check "KHO is enabled" [ "$(cat /sys/kernel/kho/enabled)" = 1 ]
	check "the handover starts idle" [ "$(kho_state)" = idle ]
	check "scratch area 0 is listed" grep -q '^0x' /sys/kernel/kho/scratch/0
	# 1 GiB, all below 4 GiB, one node: the area below 4 GiB is all there is
	check "one node: no scratch area per node" [ ! -e /sys/kernel/kho/scratch/1 ]
	check "nobody cannot read its address" \
		fails_with 'Permission denied' as_nobody cat /sys/kernel/kho/scratch/0
	check "this is not a KHO boot" [ -d /sys/firmware -a ! -e /sys/firmware/kho ]
	check "kho_selftest preserves its memory" modprobe kho_selftest action=preserve
	say "preserved folios, a page range and a vmalloc area; trying finalize and abort"

	check "finalize" sh -c 'echo 1 > /sys/kernel/kho/finalize'
	check "state is finalized" [ "$(kho_state)" = finalized ]
	check "the pending FDT is readable" [ "$(wc -c < /sys/kernel/kho/fdt)" -gt 0 ]
	check "finalizing twice is refused (EBUSY)" \
		write_refused /sys/kernel/kho/finalize 1 'Device or resource busy'
	check "abort" sh -c 'echo 0 > /sys/kernel/kho/finalize'
	check "state is idle again" [ "$(kho_state)" = idle ]
	check "aborting an idle handover is refused (EINVAL)" \
		write_refused /sys/kernel/kho/finalize 0 'Invalid argument'
	check "a bad finalize value is refused (EINVAL)" \
		write_refused /sys/kernel/kho/finalize maybe 'Invalid argument'
	check "finalize again" sh -c 'echo 1 > /sys/kernel/kho/finalize'
	check "no error is recorded" [ -z "$(cat /sys/kernel/kho/last_error)" ]
	say "handing over with kexec_file_load"
	kexec_next
}

stage2() {
	say "booted through KHO: $(dmesg | grep -m1 'KHO: reserved' | sed 's/.*KHO: //')"
	check "this is a KHO boot" [ -d /sys/firmware/kho ]
	check "the received FDT is readable" [ "$(wc -c < /sys/firmware/kho/fdt)" -gt 0 ]
	check "preserved blocks were reserved" [ "$(summary blocks)" -gt 0 ]
	check "nobody cannot read the summary (fdt_phys)" \
		fails_with 'Permission denied' as_nobody cat /sys/firmware/kho/summary
	check "kho_selftest restores and verifies everything" \
		modprobe kho_selftest action=restore
	dmesg | grep kho_selftest | while IFS= read -r line; do diag "$line"; done
	check "restored pages are counted" [ "$(summary restored_pages)" -gt 0 ]
	check "free pages between scattered preserved pages came back at boot" \
		sh -c "dmesg | grep -q 'KHO: returned [1-9][0-9]* page(s) between preserved blocks'"
	check "the handover is pending, with a deadline" \
		grep -q '^pending [0-9][0-9]*$' /sys/firmware/kho/finish
	kho_selftest_pages /sys/firmware/kho/blobs/kho-selftest spare > /tmp/spare
	check "the sub-blob names the spare folio" [ -s /tmp/spare ]
	check "the spare folio is held until the handover finishes" pages_held /tmp/spare
	small_pcp_lists
	check "finish the handover" sh -c 'echo 1 > /sys/firmware/kho/finish'
	diag "$(summary released_pages) page(s) released"
	check "the unclaimed spare folio is released" [ "$(summary released_pages)" -ge 1024 ]
	check "its pages are free" pages_freed /tmp/spare
	check "finished is reported" [ "$(summary finished)" = 1 ]
	check "finished early by the write" [ "$(cat /sys/firmware/kho/finish)" = "finished write" ]
	say "everything restored matched; the unclaimed 4 MiB came back to the allocator"
	check "it can hand over again: scratch for the next kernel is reserved" \
		[ "$(cat /sys/kernel/kho/enabled)" = 1 ]
	kexec_next
}

stage3() {
	check "a KHO-booted kernel handed over again" [ -d /sys/firmware/kho ]
	check "its handover carried at least the FDT page" [ "$(summary blocks)" -ge 1 ]
}
