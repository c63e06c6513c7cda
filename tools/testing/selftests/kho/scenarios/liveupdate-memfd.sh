# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: append=liveupdate=on
#
# liveupdate-memfd: /dev/liveupdate keeps memfds across kexec.  Kernel 1
# checks the uAPI's error cases, then a holder process preserves a 4 MiB
# memfd with a pattern and a never-written hole (and a file position) and a
# sealed memfd in session "khoreg-luo".  After the handover is finalized
# (kexec_file_load) the holder writes once more and moves the file
# position: the next kernel must see that, since sessions freeze at
# kexec -e.  Two more holders die, one before and one after finalize:
# neither session may reach the next kernel.  Kernel 2 retrieves the
# session, compares the memfds byte for byte and checks size, position and
# seals; kernel 3, booted with liveupdate=off, has no /dev/liveupdate.

# prog_checks DESC CMD...: one check per "ok"/"not-ok" line of CMD, and
# one for its exit status.
prog_checks() {
	local desc=$1 st

	shift
	"$@" > /tmp/prog.out 2>&1
	st=$?
	prog_lines /tmp/prog.out
	check "$desc exits 0 (status $st)" [ "$st" = 0 ]
}

# wait_file PATH: wait until PATH exists (the holders create it when ready).
wait_file() {
	local n=0

	while [ ! -e "$1" ] && [ $n -lt 600 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	[ -e "$1" ]
}

stage1() {
	local holder early late

	check "/dev/liveupdate exists with liveupdate=on" [ -c /dev/liveupdate ]
	check "/dev/liveupdate is root-only (0600)" \
		[ "$(stat -c %a /dev/liveupdate)" = 600 ]
	prog_checks "luo_memfd errors" luo_memfd errors

	# One opener of /dev/liveupdate at a time: start each holder once the
	# one before has closed it.
	luo_memfd hold khoreg-luo /tmp/ready-main &
	holder=$!
	check "holder khoreg-luo preserved its memfds" wait_file /tmp/ready-main
	luo_memfd hold dies-early /tmp/ready-early &
	early=$!
	check "holder dies-early preserved its memfds" wait_file /tmp/ready-early
	luo_memfd hold dies-late /tmp/ready-late &
	late=$!
	check "holder dies-late preserved its memfds" wait_file /tmp/ready-late
	kill "$early"
	wait "$early" 2>/dev/null
	say "session dies-early closed before finalize; loading the next kernel"
	kexec_load_next "liveupdate=on"
	check "the handover is loaded" [ "$(cat /sys/kernel/kho/state)" = loaded ]
	kill -USR1 "$holder"
	check "the holder wrote after finalize" wait_file /tmp/ready-main.late
	kill "$late"
	wait "$late" 2>/dev/null
	msg='liveupdate: session dies-late closed while the handover is frozen'
	check "a session closed while frozen is reported" sh -c "dmesg | grep -q '$msg'"
	say "session dies-late closed after finalize; kexec -e"
	kexec_exec_next
}

stage2() {
	dmesg | grep 'liveupdate' | while IFS= read -r line; do diag "$line"; done
	check "one session was handed over" \
		sh -c "dmesg | grep -q 'liveupdate: live update 1: 1 session(s) handed over'"
	check "nothing in the handover was refused" \
		sh -c "! dmesg | grep -q 'liveupdate.*\\(refused\\|not preserved\\|not restored\\)'"
	prog_checks "luo_memfd verify" luo_memfd verify khoreg-luo
	prog_checks "luo_memfd absent dies-early" luo_memfd absent dies-early
	prog_checks "luo_memfd absent dies-late" luo_memfd absent dies-late
	say "the memfds matched byte for byte; booting with liveupdate=off"
	kexec_next "liveupdate=off"
}

stage3() {
	check "liveupdate=off: no /dev/liveupdate" [ ! -e /dev/liveupdate ]
}
