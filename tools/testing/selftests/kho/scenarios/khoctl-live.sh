# SPDX-License-Identifier: GPL-2.0-only
#
# khoctl-live: khoctl (tools/kho, static in the guest) drives and reads a
# live handover: finalize and abort through /sys/kernel/kho with clear exit
# codes, show and validate the pending handover, and after kexec the one
# the new kernel received in /sys/firmware/kho.

idle_show_refused() {
	khoctl show 2>/tmp/err
	[ $? -eq 3 ] && grep -q "no finalized handover" /tmp/err
}

stage1() {
	check "khoctl on an idle handover says nothing is finalized (exit 3)" \
		idle_show_refused
	check "khoctl finalize" khoctl finalize
	check "khoctl finalize again fails with exit code 3" \
		sh -c 'khoctl finalize 2>/tmp/err; [ $? -eq 3 ] && [ -s /tmp/err ]'
	check "khoctl shows the pending handover" khoctl show /sys/kernel/kho
	check "khoctl validates the pending handover" khoctl validate /sys/kernel/kho
	check "pre-flight: this kernel's image accepts the pending handover" \
		khoctl validate --target /boot/kernel /sys/kernel/kho
	khoctl show --json /sys/kernel/kho > /tmp/pending.json
	check "the JSON names the kho-v4 root" grep -q '"kho-v4"' /tmp/pending.json
	check "khoctl abort" khoctl abort
	check "state is idle after abort" grep -qx idle /sys/kernel/kho/state
	check "a garbage handover file is refused with exit code 1" \
		sh -c 'head -c 4096 /init > /tmp/bad.dtb
			khoctl validate /tmp/bad.dtb; [ $? -eq 1 ]'
	kexec_next
}

stage2() {
	say "$(khoctl show /sys/firmware/kho | head -n 3 | tr '\n' ' ')"
	check "khoctl shows the received handover" khoctl show /sys/firmware/kho
	check "khoctl validates the received handover" khoctl validate /sys/firmware/kho
}
