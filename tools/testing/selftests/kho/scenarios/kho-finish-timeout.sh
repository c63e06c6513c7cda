# SPDX-License-Identifier: GPL-2.0-only
#
# kho-finish-timeout: the received handover finishes by itself.  Kernel 1
# preserves memory (kho_selftest), registry entries (khoreg_test,
# kho_counter) and kexecs with kho_finish_timeout=20.  Kernel 2 restores
# nothing and never writes /sys/firmware/kho/finish: after 20 s the
# unclaimed entries and sub-blob are logged, every preserved page not
# restored comes back to the page allocator (the pages kho_selftest and
# khoreg_test name are free in /proc/kpageflags), and modules loaded after
# the deadline get -ESTALE and a log line instead of freed memory.  Kernel 3
# (kho_finish_timeout=0) finishes before userspace starts; kernel 4
# (kho_finish_timeout=-1) waits for the write, restores late and finishes
# early.

in=/sys/firmware/kho/registry
summary() { sed -n "s/^$1 //p" /sys/firmware/kho/summary; }
finish_state() { cat /sys/firmware/kho/finish; }

# logged TEXT: the kernel log has a line containing TEXT.
logged() { dmesg | grep -qF "$1"; }

# accounted: every preserved page (and map page) was restored or released,
# none twice.
accounted() {
	[ $(($(summary restored_pages) + $(summary released_pages))) -eq \
		$(($(summary pages) + $(summary map_nodes))) ]
}

preserve() {
	check "kho_selftest preserves its memory" modprobe kho_selftest action=preserve
}

stage1() {
	preserve
	check "khoreg_test declares its entries" modprobe khoreg_test action=declare
	check "kho_counter declares its entry" modprobe kho_counter label=stage1
	say "preserved memory and 4 registry entries; kexec with kho_finish_timeout=20"
	kexec_next kho_finish_timeout=20
}

stage2() {
	local state released released_kb i

	state=$(finish_state)
	diag "finish: $state"
	check "the deadline is logged" logged 'KHO: the handover finishes in 20 s'
	check "the handover is pending" \
		sh -c "echo '$state' | grep -Eq '^pending ([1-9]|1[0-9]|20)\$'"
	check "nothing released yet" [ "$(summary released_pages)" = 0 ]
	check "no entry is reported unclaimed before the deadline" \
		log_lacks 'not claimed by the end of the handover'

	# What kho_selftest and khoreg_test preserved (but the vmalloc areas).
	kho_selftest_pages /sys/firmware/kho/blobs/kho-selftest > /tmp/unclaimed
	registry_pages $in/khoreg-test $in/khoreg-test/entries/child \
		$in/khoreg-spare >> /tmp/unclaimed
	check "the handed-over memory is held before the deadline" pages_held /tmp/unclaimed
	check "it is still pending" \
		sh -c "grep -q '^pending [0-9]*\$' /sys/firmware/kho/finish"
	small_pcp_lists
	say "waiting for the deadline without writing finish"
	i=0
	while [ $i -lt 30 ] && [ "$(finish_state)" != "finished timeout" ]; do
		sleep 1
		i=$((i + 1))
	done
	released_kb=$(($(summary released_pages) * 4))
	check "the handover finished by itself" [ "$(finish_state)" = "finished timeout" ]
	check "the handed-over memory came back: its pages are free" pages_freed /tmp/unclaimed
	check "the summary says finished" [ "$(summary finished)" = 1 ]
	check "finishing is logged" \
		logged 'KHO: finishing the handover: kho_finish_timeout=20 passed'
	check "the unclaimed entry is logged" \
		logged 'entry khoreg-test (khoreg,test-v1) not claimed by the end of the handover'
	check "the unclaimed nested entry is logged" \
		logged 'entry khoreg-test/child (khoreg,test-child-v1) not claimed'
	check "the unclaimed counter is logged" \
		logged 'entry counter (khoreg,counter-v1) not claimed by the end of the handover'
	check "the count of unclaimed entries is logged" \
		logged 'KHO registry: 4 entries not claimed; their memory goes back'
	check "the unretrieved sub-blob is logged" \
		sh -c "dmesg | grep -q 'sub-blob kho-selftest (.*) was retrieved by no driver'"
	check "its status is released" grep -q '^kho-selftest [0-9]* released$' \
		/sys/firmware/kho/blob_status
	check "more than the spare folio and the spare entry came back" \
		[ "$(summary released_pages)" -ge $((1024 + 256)) ]
	check "every preserved page was restored or released, once" accounted

	check "a late kho_selftest restore is refused, with a clear log line" \
		fails_logging 'sub-blob kho-selftest retrieved after the handover finished' \
		modprobe kho_selftest action=restore
	check "a late khoreg_test restore is refused, with a clear log line" \
		fails_logging 'khoreg-test: claimed after the handover finished' \
		modprobe khoreg_test action=restore
	check "kho_counter loads late" modprobe kho_counter
	check "its claim failed with -ESTALE" \
		logged 'kho_counter: cannot restore the counter (-116)'
	check "it starts a fresh counter" \
		[ "$(cat /sys/kernel/kho/registry/counter/fields/boots)" = "u64 1" ]
	released=$(summary released_pages)
	check "writing finish afterwards is accepted" sh -c 'echo 1 > /sys/firmware/kho/finish'
	check "and changes nothing" [ "$(summary released_pages)" = "$released" ]
	check "the state still says timeout" [ "$(finish_state)" = "finished timeout" ]
	say "finished by itself: ${released_kb} kB released"

	preserve
	kexec_next kho_finish_timeout=0
}

stage3() {
	check "finished before userspace started" [ "$(finish_state)" = "finished timeout" ]
	check "finishing is logged" \
		logged 'KHO: finishing the handover: kho_finish_timeout=0 passed'
	check "the spare folio was released" [ "$(summary released_pages)" -ge 1024 ]
	check "every preserved page was restored or released, once" accounted
	check "the unclaimed counter is logged" \
		logged 'entry counter (khoreg,counter-v1) not claimed by the end of the handover'
	check "a module cannot restore any more" \
		fails_logging 'sub-blob kho-selftest retrieved after the handover finished' \
		modprobe kho_selftest action=restore
	say "kho_finish_timeout=0: finished at the end of the initcalls"

	preserve
	kexec_next kho_finish_timeout=-1
}

stage4() {
	check "the handover waits for a write" [ "$(finish_state)" = "pending never" ]
	check "it says so in the log" \
		logged 'unrestored memory stays reserved until /sys/firmware/kho/finish is written'
	check "kho_selftest restores and verifies everything" modprobe kho_selftest action=restore
	check "nothing released yet" [ "$(summary released_pages)" = 0 ]
	check "finish" sh -c 'echo 1 > /sys/firmware/kho/finish'
	check "finished by the write" [ "$(finish_state)" = "finished write" ]
	check "finishing is logged" \
		logged 'KHO: finishing the handover: /sys/firmware/kho/finish was written'
	check "the spare folio was released" [ "$(summary released_pages)" -ge 1024 ]
	check "every preserved page was restored or released, once" accounted
	say "kho_finish_timeout=-1: restored late, finished on the write"
}
