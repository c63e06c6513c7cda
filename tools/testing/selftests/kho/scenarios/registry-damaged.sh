# SPDX-License-Identifier: GPL-2.0-only
#
# registry-damaged: kernel 1 declares the khoreg_test entries, finalizes
# and then breaks the registry blob (a bool field holding 7, a nested
# entry without compatible). Kernel 2 must boot, drop the broken entry and
# refuse the broken field with -EPROTO, log both, and still restore every
# other value and all the memory.

# logged TEXT: the kernel log has a line containing TEXT.
logged() { dmesg | grep -qF "$1"; }

stage1() {
	check "khoreg_test declares, finalizes and damages the blob" \
		modprobe khoreg_test action=damage
	say "handing over a registry with a broken entry and a broken field"
	kexec_next
}

stage2() {
	local e=/sys/firmware/kho/registry/khoreg-test

	check "the good entries restore, the broken one is rejected" \
		logged 'KHO registry: restored registry: 2 entries, 1 rejected, 2 problem(s)'
	dmesg | grep 'incoming registry' | while IFS= read -r line; do diag "$line"; done
	check "the broken entry is logged" \
		logged 'incoming registry: khoreg-test/child: missing or bad compatible'
	check "the broken field is logged" \
		logged 'incoming registry: khoreg-test: field enabled: bad value'
	check "sysfs shows the field as unusable" \
		[ "$(cat $e/fields/enabled)" = "bool (unusable: -71)" ]
	check "sysfs has no dropped entry" [ -d $e/entries -a ! -e $e/entries/child ]
	check "khoreg_test restores the rest and sees the damage refused" \
		modprobe khoreg_test action=restore-damaged
	dmesg | grep 'khoreg_test: ' | while IFS= read -r line; do diag "$line"; done
	say "the broken entry was dropped, the broken field refused, the rest restored"
}
