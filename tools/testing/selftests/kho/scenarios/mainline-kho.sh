# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: kernel=mainline next-kernel=mainline append=kho=on
#
# mainline-kho: Debian's mainline kernel, the peer of the interop tests,
# hands over to itself with its own KHO and KHO test.  Shows that the harness
# runs a kernel other than ours and that the peer's KHO works under it.

stage1() {
	say "booted mainline Linux $(uname -r) with kho=on; its KHO test preserved its data"
	check "mainline's KHO is enabled (debugfs kho/out)" [ -d /sys/kernel/debug/kho/out ]
	kexec_next
}

stage2() {
	say "booted mainline Linux $(uname -r) through kexec"
	check "mainline received a handover (debugfs kho/in)" [ -d /sys/kernel/debug/kho/in ]
	dmesg > /tmp/dmesg
	check "mainline's KHO test restored its data" grep -q "KHO restore succeeded" /tmp/dmesg
	grep -i kho /tmp/dmesg > /tmp/dmesg.kho
	check "no KHO errors logged" lacks -i /tmp/dmesg.kho 'fail|error|invalid'
}
