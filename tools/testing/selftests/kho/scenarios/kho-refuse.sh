# SPDX-License-Identifier: GPL-2.0-only
#
# kho-refuse: a finalize hook whose validator refuses the handover makes
# both finalize and kexec_file_load fail, with the hook's reason in
# /sys/kernel/kho/last_error and the kernel log; once the hook is gone the
# same kexec_file_load succeeds.

stage1() {
	check "kho_selftest registers a refusing validator" modprobe kho_selftest action=refuse
	check "finalize is refused (EPERM)" \
		write_refused /sys/kernel/kho/finalize 1 'Operation not permitted'
	check "the handover stays idle" [ "$(cat /sys/kernel/kho/state)" = idle ]
	check "kexec_file_load is refused (EPERM)" kexec_refused 'Operation not permitted'
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
