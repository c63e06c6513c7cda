# SPDX-License-Identifier: GPL-2.0-only
# khoreg-arch: x86_64: make mainline builds the mainline peer for x86_64 only
# khoreg-vm: named-only mainline-selftests
# khoreg-vm: kernels=khoreg,mainline,khoreg append=kho=on liveupdate=on
#
# liveupdate-interop: memfds cross khoreg -> mainline 7.3 -> khoreg.
# Kernel 1 (khoreg) preserves the memfds of luo_memfd in session "chain"
# and runs stage 1 of mainline's luo_kexec_simple; kernel 2 (mainline, with
# CONFIG_LIVEUPDATE from config.mainline) retrieves and compares them,
# preserves them again, runs stage 2 of luo_kexec_simple (khoreg -> 7.3)
# and stage 1 again; kernel 3 (khoreg) compares the memfds byte for byte a
# second time and runs stage 2 of luo_kexec_simple (7.3 -> khoreg).
# The harness builds the mainline programs (luo-mainline-progs.sh).

kexec_simple() {
	ml-luo_kexec_simple -s "$1" > /tmp/ksft.out 2>&1
	local st=$?

	prog_lines /tmp/ksft.out
	check "mainline's luo_kexec_simple stage $1 on $(uname -r) (status $st)" [ "$st" = 0 ]
}

stage1() {
	local pid

	say "khoreg $(uname -r): preserving memfds in session chain"
	luo_memfd hold chain /tmp/ready > /tmp/hold.out 2>&1 &
	pid=$!
	check "luo_memfd preserved its memfds" wait_ready /tmp/ready "$pid"
	kexec_simple 1
	kexec_load_next
	kill -USR1 "$pid"
	check "luo_memfd wrote once more after finalize" wait_ready /tmp/ready.late "$pid"
	kexec_exec_next
}

stage2() {
	local pid

	say "mainline $(uname -r): retrieving session chain"
	check_mainline_abi
	luo_memfd relay chain /tmp/ready > /tmp/relay.out 2>&1 &
	pid=$!
	wait_ready /tmp/ready "$pid"
	prog_lines /tmp/relay.out
	check "mainline kept the memfds and preserved them again" [ -e /tmp/ready ]
	kexec_simple 2
	kexec_simple 1
	kexec_next
}

stage3() {
	local st

	say "khoreg $(uname -r): retrieving session chain again"
	luo_memfd verify chain > /tmp/verify.out 2>&1
	st=$?
	prog_lines /tmp/verify.out
	check "luo_memfd verify exits 0 (status $st)" [ "$st" = 0 ]
	kexec_simple 2
}
