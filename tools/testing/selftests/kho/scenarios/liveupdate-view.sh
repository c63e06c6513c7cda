# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: append=liveupdate=on
#
# liveupdate-view: khoreg's view of the Live Update sessions. A holder
# preserves two memfds (4 MiB + 123 bytes, token 42, and 8 KiB, token 43)
# in session "view-test". The registry entry liveupdate/session-1 and its
# files show them in sysfs (root only) and in the BPF iterator (khobpf
# show). Kernel 2 gets the memfds and, in the incoming registry, the
# description.

reg=/sys/kernel/kho/registry/liveupdate
big=$((4 * 1024 * 1024 + 123))
small=8192

# field FILE VALUE: a registry field file shows "VALUE".
field() {
	[ "$(cat "$1")" = "$2" ]
}

stage1() {
	local s=$reg/entries/session-1 pid

	check "no session is described before one is created" \
		field $reg/fields/sessions "u64 0"
	luo_memfd hold view-test /tmp/ready > /tmp/hold.out 2>&1 &
	pid=$!
	check "the holder preserved its memfds" wait_ready /tmp/ready "$pid"
	check "the totals count one session" field $reg/fields/sessions "u64 1"
	check "and two files" field $reg/fields/files "u64 2"
	check "of $((big + small)) bytes" field $reg/fields/bytes "u64 $((big + small))"
	check "session-1 is named view-test" field $s/fields/name "string view-test"
	check "session-1 has two files" field $s/fields/files "u64 2"
	check "session-1 holds $((big + small)) bytes" \
		field $s/fields/bytes "u64 $((big + small))"
	check "file-2a has token 42" field $s/entries/file-2a/fields/token "u64 42"
	check "file-2a is a memfd-v2" \
		field $s/entries/file-2a/fields/handler "string memfd-v2"
	check "file-2a holds $big bytes" field $s/entries/file-2a/fields/bytes "u64 $big"
	check "file-2b holds $small bytes" field $s/entries/file-2b/fields/bytes "u64 $small"
	check "nobody cannot read a session's name" \
		fails_with 'Permission denied' as_nobody cat $s/fields/name

	check "bpffs" mount -t bpf none /sys/fs/bpf
	khobpf show > /tmp/iter 2>&1
	check "the BPF iterator lists session-1" \
		grep -q '^entry liveupdate/session-1 ' /tmp/iter
	check "with its name" grep -q 'name = string view-test' /tmp/iter
	kexec_load_next
	kill -USR1 "$pid"
	check "the holder wrote once more after finalize" \
		wait_ready /tmp/ready.late "$pid"
	kexec_exec_next
}

stage2() {
	local in=/sys/firmware/kho/registry/liveupdate/entries/session-1 st

	luo_memfd verify view-test > /tmp/verify.out 2>&1
	st=$?
	check "the memfds arrived (luo_memfd verify, status $st)" [ "$st" = 0 ]
	check "the description arrived in the incoming registry" \
		field $in/fields/name "string view-test"
	check "with its two files" field $in/fields/files "u64 2"
	check "this kernel describes no session yet" \
		field $reg/fields/sessions "u64 0"
}
