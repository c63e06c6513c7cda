# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: mainline-selftests timeout=600
# khoreg-vm: kernels=khoreg,mainline,khoreg append=kho=on liveupdate=on
#
# liveupdate-interop: memfds cross khoreg -> mainline 7.3 -> khoreg.
# Kernel 1 (khoreg) preserves the memfds of luo_memfd in session "chain"
# and runs stage 1 of mainline's luo_kexec_simple; kernel 2 (mainline, with
# CONFIG_LIVEUPDATE from config.mainline) retrieves and compares them,
# preserves them again, runs stage 2 of luo_kexec_simple (khoreg -> 7.3)
# and stage 1 again; kernel 3 (khoreg) compares the memfds byte for byte a
# second time and runs stage 2 of luo_kexec_simple (7.3 -> khoreg).
# Kernels 2 and 3 log the live update number they were handed: 1, then 2.
# The harness builds the mainline programs (luo-mainline-progs.sh).
# Every kernel's initramfs is the previous root filesystem, /tmp included,
# so each stage waits for a ready file of its own (/tmp/readyN): kernel 1's
# would let kernel 2 go on before its relay is done with /dev/liveupdate.

kexec_simple() {
	ml-luo_kexec_simple -s "$1" > /tmp/ksft.out 2>&1
	local st=$?

	prog_lines /tmp/ksft.out
	check "mainline's luo_kexec_simple stage $1 on $(uname -r) (status $st)" [ "$st" = 0 ]
}

stage1() {
	local pid

	say "khoreg $(uname -r): preserving memfds in session chain"
	luo_memfd hold chain /tmp/ready1 > /tmp/hold.out 2>&1 &
	pid=$!
	check "luo_memfd preserved its memfds" wait_ready /tmp/ready1 "$pid"
	kexec_simple 1
	kexec_load_next
	kill -USR1 "$pid"
	check "luo_memfd wrote once more after finalize" wait_ready /tmp/ready1.late "$pid"
	kexec_exec_next
}

stage2() {
	local pid

	say "mainline $(uname -r): retrieving session chain"
	check_mainline_abi
	check "7.3 counts khoreg's handover as live update 1" \
		sh -c 'dmesg | grep -q "liveupdate number: 1$"'
	luo_memfd relay chain /tmp/ready2 > /tmp/relay.out 2>&1 &
	pid=$!
	wait_ready /tmp/ready2 "$pid"
	prog_lines /tmp/relay.out
	check "mainline kept the memfds and preserved them again" [ -e /tmp/ready2 ]
	kexec_simple 2
	kexec_simple 1
	kexec_next
}

stage3() {
	local st

	say "khoreg $(uname -r): retrieving session chain again"
	check "khoreg counts 7.3's handover as live update 2" \
		sh -c 'dmesg | grep -q "liveupdate: live update 2: [0-9]* session(s) handed over"'
	luo_memfd verify chain > /tmp/verify.out 2>&1
	st=$?
	prog_lines /tmp/verify.out
	check "luo_memfd verify exits 0 (status $st)" [ "$st" = 0 ]
	kexec_simple 2
}
