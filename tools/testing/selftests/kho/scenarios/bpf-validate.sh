# SPDX-License-Identifier: GPL-2.0-only
#
# bpf-validate: the kho_policy validator (a kho_validator_ops struct_ops)
# refuses a handover that is too large and entries without an allowed
# compatible prefix: finalize and kexec_file_load fail with the entry, the
# validator and the reason in /sys/kernel/kho/last_error and the kernel
# log; detaching it restores the default policy, and root can detach every
# validator through /sys/kernel/kho/validators. kho_annotate stamps every
# entry; the annotations go into the registry sub-blob and arrive in the
# next kernel's /sys/firmware/kho/registry.

reg=/sys/kernel/kho/registry

# refused ERROR: finalize and kexec_file_load fail with the message ERROR
# (strerror() text) and the handover stays idle.
refused() {
	write_refused /sys/kernel/kho/finalize 1 "$1" &&
	[ "$(cat /sys/kernel/kho/state)" = idle ] &&
	kexec_refused "$1"
}

stage1() {
	check "bpffs" mount -t bpf none /sys/fs/bpf
	check "khoreg_test declares its entries" modprobe khoreg_test action=declare

	check "attach kho_policy with a 4096-byte limit" khobpf policy attach --max-bytes 4096
	check "the too large handover is refused (E2BIG)" refused 'Argument list too long'
	diag "last_error: $(cat /sys/kernel/kho/last_error)"
	check "last_error names the validator and the reason" \
		grep -Eq 'kho_policy \(-7\): handover of [0-9]+ bytes \(3 entries\) exceeds' \
		/sys/kernel/kho/last_error
	check "the kernel log says why" \
		sh -c "dmesg | grep -q 'validator kho_policy refused the handover'"
	check "an unprivileged process cannot detach it (its pin is root's)" \
		fails_with 'kho_policy: Permission denied' as_nobody khobpf policy detach
	check "/sys/kernel/kho/validators lists it" grep -qx kho_policy /sys/kernel/kho/validators
	check "nobody cannot detach validators there" \
		fails_with 'Permission denied' \
		as_nobody sh -c 'echo detach > /sys/kernel/kho/validators'
	check "a bad write is refused (EINVAL)" \
		write_refused /sys/kernel/kho/validators maybe 'Invalid argument'
	check "root detaches every validator there" \
		sh -c 'echo detach > /sys/kernel/kho/validators'
	msg='validator kho_policy detached through /sys/kernel/kho/validators'
	check "the kernel log names it" sh -c "dmesg | grep -q '$msg'"
	check "none is listed" [ -z "$(cat /sys/kernel/kho/validators)" ]
	check "finalize goes ahead without it" sh -c 'echo 1 > /sys/kernel/kho/finalize'
	check "abort" sh -c 'echo 0 > /sys/kernel/kho/finalize'
	check "its pin can still be removed" khobpf policy detach
	check "finalize again" sh -c 'echo 1 > /sys/kernel/kho/finalize'
	check "annotations are refused once finalized" \
		sh -c 'khobpf annotate | grep -q "^khoreg-test: -16 "'
	check "abort" sh -c 'echo 0 > /sys/kernel/kho/finalize'

	check "attach kho_policy requiring the acme, prefix" khobpf policy attach --prefix acme,
	check "an entry without it is refused (EPERM)" refused 'Operation not permitted'
	diag "last_error: $(cat /sys/kernel/kho/last_error)"
	check "last_error names the entry, the validator and the reason" \
		grep -q 'entry khoreg-test: kho_policy (-1): compatible khoreg,test-v1 has none' \
		/sys/kernel/kho/last_error
	check "detach kho_policy" khobpf policy detach
	check "attach kho_policy allowing khoreg, and 1 GiB" \
		khobpf policy attach --prefix acme, --prefix khoreg, --max-bytes 1073741824
	check "a handover within the policy is accepted" sh -c 'echo 1 > /sys/kernel/kho/finalize'
	check "abort" sh -c 'echo 0 > /sys/kernel/kho/finalize'
	check "detach kho_policy" khobpf policy detach

	check "khobpf annotate stamps every entry" sh -c 'khobpf annotate > /tmp/annotate'
	while IFS= read -r line; do diag "$line"; done < /tmp/annotate
	check "every entry was stamped" \
		sh -c '[ -s /tmp/annotate ] && ! grep -v ": 0 (2 annotations)$" /tmp/annotate'
	check "the annotation shows in sysfs" \
		grep -qx "stamp.release=$(uname -r)" $reg/khoreg-test/annotations
	check "and in the iterator" \
		sh -c "khobpf show | grep -q '^  @ stamp.release=$(uname -r); stamp.time=[0-9]*$'"
	check "finalize" sh -c 'echo 1 > /sys/kernel/kho/finalize'
	check "the annotation is in the registry sub-blob" \
		grep -q "stamp.release=$(uname -r)" /sys/kernel/kho/blobs/khoreg
	check "abort" sh -c 'echo 0 > /sys/kernel/kho/finalize'
	uname -r > /release-stage1
	say "kho_policy vetoed the handover; detached, kexec goes ahead with annotated entries"
	kexec_next
}

stage2() {
	local in=/sys/firmware/kho/registry/khoreg-test

	check "the entry arrived" [ -d $in ]
	check "its annotations arrived" \
		grep -qx "stamp.release=$(cat /release-stage1)" $in/annotations
	check "with the time" grep -Eq '^stamp.time=[0-9]+$' $in/annotations
	check "the nested entry's annotations arrived too" \
		grep -q '^stamp.release=' $in/entries/child/annotations
}
