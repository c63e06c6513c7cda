# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: timeout=600 append=liveupdate=on
#
# liveupdate-view: khoreg's view of the Live Update sessions. A holder
# preserves two memfds (4 MiB + 123 bytes, token 42, and 8 KiB, token 43)
# in session "view-test". The registry entry liveupdate/session-1 and its
# files show them in sysfs (root only), in the BPF iterator (khobpf
# show) and, once kexec_file_load() has finalized the handover, in khoctl
# show as text and JSON (root only). Before that, kho_policy with a limit
# per session below the session's size refuses the handover, naming
# itself and the session; with a limit above it the handover goes ahead.
# Kernel 2 gets the memfds and, in the incoming registry, the
# description, which khoctl show incoming prints.

reg=/sys/kernel/kho/registry/liveupdate
big=$((4 * 1024 * 1024 + 123))
small=8192

# field FILE VALUE: a registry field file shows "VALUE".
field() {
	[ "$(cat "$1")" = "$2" ]
}

# show_lists FILE: FILE, the text of khoctl show, lists session view-test
# with its two files under "live update:".
show_lists() {
	sed -n '/^live update: /,$p' "$1" > /tmp/lu.txt
	grep -qx "live update: sessions 1 files 2 bytes $((big + small))" /tmp/lu.txt &&
	grep -qx "  liveupdate/session-1: session \"view-test\" files 2 bytes $((big + small))" \
		/tmp/lu.txt &&
	grep -qx "    token 42 handler \"memfd-v2\" bytes $big" /tmp/lu.txt &&
	grep -qx "    token 43 handler \"memfd-v2\" bytes $small" /tmp/lu.txt
}

# json_lists FILE: FILE, the JSON of khoctl show --json, has the member
# "liveupdate" with session view-test and the tokens and sizes of its files.
json_lists() {
	sed -n '/^  "liveupdate": {$/,$p' "$1" | tr -d ' \n' > /tmp/lu.json
	grep -q '"sessions":\[{"name":"view-test","path":"liveupdate/session-1"' /tmp/lu.json &&
	grep -q "\"files\":\[{\"token\":\"42\",\"handler\":\"memfd-v2\",\"bytes\":\"$big\"}" \
		/tmp/lu.json &&
	grep -q "{\"token\":\"43\",\"handler\":\"memfd-v2\",\"bytes\":\"$small\"}" /tmp/lu.json
}

# policy_limits: kho_policy with a limit per session below the session's
# size refuses the handover, naming itself, the session and the sizes;
# with a limit above it the handover goes ahead.
policy_limits() {
	local why="live update session view-test holds $((big + small)) bytes"

	check "attach kho_policy with a 1 MiB limit per session" \
		khobpf policy attach --max-session-bytes 1048576
	check "the handover is refused (E2BIG)" \
		write_refused /sys/kernel/kho/finalize 1 'Argument list too long'
	diag "last_error: $(cat /sys/kernel/kho/last_error)"
	check "last_error names the program, the session, its size and the limit" \
		grep -qF \
		"entry liveupdate/session-1: kho_policy (-7): $why, above the limit of 1048576" \
		/sys/kernel/kho/last_error
	check "the kernel log names the program" \
		sh -c "dmesg | grep -qF 'validator kho_policy refused the handover: $why'"
	check "detach kho_policy" khobpf policy detach
	check "attach kho_policy with an 8 MiB limit per session" \
		khobpf policy attach --max-session-bytes 8388608
	check "the handover within the limit is accepted" \
		sh -c 'echo 1 > /sys/kernel/kho/finalize'
	check "abort" sh -c 'echo 0 > /sys/kernel/kho/finalize'
	check "detach kho_policy" khobpf policy detach
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
	policy_limits
	kexec_load_next
	khoctl show > /tmp/show.txt 2>&1
	check "khoctl show lists the session, its files, tokens and sizes" show_lists /tmp/show.txt
	sed -n '/^live update: /,$p' /tmp/show.txt | while IFS= read -r line; do diag "$line"; done
	khoctl show --json > /tmp/show.json 2>&1
	check "khoctl show --json lists them" json_lists /tmp/show.json
	check "nobody cannot run khoctl show" fails_with 'Permission denied' as_nobody khoctl show
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
	khoctl show incoming > /tmp/show.txt 2>&1
	check "khoctl show incoming lists the session kernel 1 handed over" \
		show_lists /tmp/show.txt
	check "this kernel describes no session yet" \
		field $reg/fields/sessions "u64 0"
}
