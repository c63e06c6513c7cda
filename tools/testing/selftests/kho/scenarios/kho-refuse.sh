# SPDX-License-Identifier: GPL-2.0-only
#
# kho-refuse: a finalize hook whose validator refuses the handover makes
# both finalize and kexec_file_load fail, with the hook's reason in
# /sys/kernel/kho/last_error and the kernel log; once the hook is gone the
# same kexec_file_load succeeds.

stage1() {
	check "kho_selftest registers a refusing validator" modprobe kho_selftest action=refuse
	check "finalize is refused" sh -c '! echo 1 > /sys/kernel/kho/finalize'
	check "the handover stays idle" [ "$(cat /sys/kernel/kho/state)" = idle ]
	check "kexec_file_load is refused" \
		sh -c '! kexec_file load /boot/kernel -c "console=ttyS0" 2>/dev/null'
	check "last_error names the validator and its reason" \
		grep -q 'kho_selftest refused the handover (-1): kho_selftest refuses' \
		/sys/kernel/kho/last_error
	check "the kernel log says why" sh -c "dmesg | grep -q 'finalize: kho_selftest refused'"
	diag "last_error: $(cat /sys/kernel/kho/last_error)"
	check "the validator goes away with its module" rmmod kho_selftest
	say "a validator refused the handover; without it kexec goes ahead"
	kexec_next
}

stage2() {
	check "the handover arrived once the validator was gone" [ -d /sys/firmware/kho ]
}
