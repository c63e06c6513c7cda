# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: kernels=khoreg,mainline,khoreg append=kho=on
#
# interop-chain: 6.12 -> mainline -> 6.12.  Kernel 1 (khoreg) hands over
# mainline's kho_test data and a khoreg-only sub-blob; kernel 2 (mainline)
# verifies the kho_test data and hands over only what mainline itself
# owns; kernel 3 (khoreg) must accept mainline's handover, list what came,
# and say what did not survive the mainline hop: mainline carries no
# sub-blob it does not own, and its test_kho consumes kho_test without
# handing it on.  Kernel 3 can then hand over again, and kho_test_compat
# unloads cleanly once that handover is aborted.  kho_counter's registry
# entry (in the khoreg registry sub-blob) is lost the same way: kernel 3
# starts a fresh counter.

# The sub-blobs kernel 1 hands over.
KHOREG_BLOBS="kho_test kho-selftest"

stage1() {
	say "khoreg $(uname -r) up after $(stage_uptime)s"
	check "kho_test_compat preserves data in mainline's kho_test format" \
		modprobe kho_test_compat
	check "kho_selftest adds a khoreg-only sub-blob" \
		modprobe kho_selftest action=preserve
	check "kho_counter declares its registry entry" \
		modprobe kho_counter label=chain
	check "counter boots=1" \
		[ "$(cat /sys/kernel/kho/registry/counter/fields/boots)" = "u64 1" ]
	say "kexec into mainline at uptime $(stage_uptime)s"
	kexec_next
}

stage2() {
	local name

	say "mainline $(uname -r) up after $(stage_uptime)s"
	check_mainline_abi
	for name in $KHOREG_BLOBS; do
		check "mainline received khoreg's sub-blob $name" \
			[ -e /sys/kernel/debug/kho/in/sub_fdts/$name ]
	done
	check "mainline received the khoreg registry sub-blob (kho_counter's entry)" \
		[ -e /sys/kernel/debug/kho/in/sub_fdts/khoreg ]
	check "mainline's test_kho restored and verified khoreg's folios" \
		sh -c "dmesg | grep -q 'test_kho: KHO restore succeeded'"
	ls /sys/kernel/debug/kho/out/sub_fdts > /interop-blobs
	diag "mainline hands over the sub-blobs: $(echo $(cat /interop-blobs))"
	say "kexec into khoreg at uptime $(stage_uptime)s"
	kexec_next
}

stage3() {
	local status=/sys/firmware/kho/blob_status name lost=

	say "khoreg $(uname -r) up after $(stage_uptime)s"
	check "khoreg accepted mainline's handover" [ -d /sys/firmware/kho ]
	for name in $(cat /interop-blobs); do
		check "mainline's sub-blob $name is listed" grep -q "^$name " $status
	done
	for name in $KHOREG_BLOBS; do
		grep -q "^$name " $status || lost="$lost $name"
	done
	say "lost across the mainline hop:${lost:- nothing}"
	check "kho-selftest did not survive: mainline carries no sub-blob it does not own" \
		lacks $status '^kho-selftest '
	check "kho_test did not survive: mainline's test_kho consumes it" \
		lacks $status '^kho_test '
	check "no registry came back from mainline" lacks $status '^khoreg '
	check "kho_counter loads" modprobe kho_counter
	dmesg | grep 'kho_counter: ' | while IFS= read -r line; do diag "$line"; done
	check "the counter did not survive the mainline hop: a fresh counter" \
		sh -c "dmesg | grep -q 'kho_counter: nothing handed over: a fresh counter'"
	check "fresh counter boots=1" \
		[ "$(cat /sys/kernel/kho/registry/counter/fields/boots)" = "u64 1" ]
	check "fresh counter not restored" \
		[ "$(cat /sys/kernel/kho/registry/counter/fields/restored)" = "bool false" ]
	diag "kho_counter state (boots=1 label=chain) lost across mainline:" \
		"mainline does not carry the khoreg registry sub-blob"
	say "counter lost across the mainline hop: fresh counter, boots=1"
	check "mainline's preserved blocks were reserved" \
		[ "$(sed -n 's/^blocks //p' /sys/firmware/kho/summary)" -gt 0 ]
	check "finish the handover" sh -c 'echo 1 > /sys/firmware/kho/finish'
	check "mainline's unclaimed memory came back" \
		[ "$(sed -n 's/^released_pages //p' /sys/firmware/kho/summary)" -gt 0 ]
	check "khoreg hands over again after a mainline hop (kho_test_compat preserves)" \
		modprobe kho_test_compat
	check "the next handover finalizes" sh -c 'echo 1 > /sys/kernel/kho/finalize'
	check "kho_test_compat cannot unload while the handover is finalized" \
		rmmod_refused kho_test_compat
	check "abort the handover" sh -c 'echo 0 > /sys/kernel/kho/finalize'
	check "kho_test_compat unloads once it is aborted" rmmod kho_test_compat
	check "finalize again" sh -c 'echo 1 > /sys/kernel/kho/finalize'
	check "its sub-blob is gone from the FDT" lacks /sys/kernel/kho/fdt kho_test
}
