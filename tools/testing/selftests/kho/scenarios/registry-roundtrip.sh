# SPDX-License-Identifier: GPL-2.0-only
#
# registry-roundtrip: kernel 1 declares registry entries with a field of
# every type (khoreg_test action=declare), shows them in
# /sys/kernel/kho/registry and hands them over; kernel 2 mirrors them in
# /sys/firmware/kho/registry, restores and checks every value and every
# preserved byte (action=restore), gets the memory of the entry nobody
# claimed back when the handover finishes, and removes the entry of a
# module that unloads without unregistering it.

out=/sys/kernel/kho/registry
in=/sys/firmware/kho/registry
summary() { sed -n "s/^$1 //p" /sys/firmware/kho/summary; }

# logged TEXT: the kernel log has a line containing TEXT.
logged() { dmesg | grep -qF "$1"; }

stage1() {
	local e=$out/khoreg-test

	check "KHO is enabled" [ "$(cat /sys/kernel/kho/enabled)" = 1 ]
	check "the registry directory exists" [ -d $out ]
	check "khoreg_test declares its entries" modprobe khoreg_test action=declare
	check "compatible" [ "$(cat $e/compatible)" = khoreg,test-v1 ]
	check "version" [ "$(cat $e/version)" = 1 ]
	check "owner" [ "$(cat $e/owner)" = khoreg_test ]
	check "u8" [ "$(cat $e/fields/small)" = "u8 165" ]
	check "u16" [ "$(cat $e/fields/port)" = "u16 8080" ]
	check "u32" [ "$(cat $e/fields/count)" = "u32 123456789" ]
	check "u64" [ "$(cat $e/fields/big)" = "u64 18364758544493064720" ]
	check "s64" [ "$(cat $e/fields/delta)" = "s64 -1234567890123" ]
	check "bool" [ "$(cat $e/fields/enabled)" = "bool true" ]
	check "string" [ "$(cat $e/fields/label)" = "string eth0 up" ]
	check "bytes are a binary file" \
		[ "$(od -An -tx1 $e/fields/mac | tr -d ' \n')" = 02005e102030 ]
	check "u32 array" [ "$(cat $e/fields/queues)" = "u32[4] 1 20 300 4000" ]
	check "bool array" [ "$(cat $e/fields/flags)" = "bool[2] false true" ]
	check "range" grep -Eq '^range 0x[0-9a-f]+ 0x5000$' $e/fields/ring
	check "folio" grep -Eq '^folio 0x[0-9a-f]+ 3$' $e/fields/buf
	check "vmalloc" grep -Eq '^vmalloc 0x[0-9a-f]+ 7 0$' $e/fields/table
	check "memory fields are root-only" [ "$(stat -c %a $e/fields/ring)" = 400 ]
	check "secret fields are root-only" [ "$(stat -c %a $e/fields/secret)" = 400 ]
	check "other fields are world-readable" [ "$(stat -c %a $e/fields/count)" = 444 ]
	check "nested entry" [ "$(cat $e/entries/child/fields/head)" = "u32 77" ]
	check "finalize" sh -c 'echo 1 > /sys/kernel/kho/finalize'
	check "the registry is handed over" logged 'KHO registry: handing over 3 entries'
	check "an owner module cannot unload while finalized" rmmod_refused khoreg_test
	check "abort" sh -c 'echo 0 > /sys/kernel/kho/finalize'
	check "finalize again" sh -c 'echo 1 > /sys/kernel/kho/finalize'
	check "the registry blob is exported" cp /sys/kernel/kho/blobs/khoreg /registry-stage1.dtb
	check "khoctl validates the kernel's registry blob" khoctl validate /registry-stage1.dtb
	khoctl show /registry-stage1.dtb > /tmp/show 2>&1
	while IFS= read -r line; do diag "$line"; done < /tmp/show
	check "khoctl decodes the entry" \
		grep -q 'khoreg-test: khoreg,test-v1 version 1 owner khoreg_test' /tmp/show
	check "khoctl decodes a u64" grep -q 'u64 big = 18364758544493064720' /tmp/show
	check "khoctl decodes an array" grep -q 'u32\[4\] queues = \[1, 20, 300, 4000\]' /tmp/show
	check "khoctl decodes the nested entry" grep -q 'u32 head = 77' /tmp/show
	say "declared 3 registry entries with every field type; handing over"
	kexec_next
}

stage2() {
	local e=$in/khoreg-test

	check "the incoming registry was parsed" \
		logged 'KHO registry: restored registry: 3 entries, 0 rejected, 0 problem'
	check "incoming compatible" [ "$(cat $e/compatible)" = khoreg,test-v1 ]
	check "incoming owner" [ "$(cat $e/owner)" = khoreg_test ]
	check "incoming u32" [ "$(cat $e/fields/count)" = "u32 123456789" ]
	check "incoming string" [ "$(cat $e/fields/label)" = "string eth0 up" ]
	check "incoming nested entry" [ "$(cat $e/entries/child/fields/head)" = "u32 77" ]
	check "not claimed yet" [ "$(cat $e/claimed)" = 0 ]
	check "the blob arrived unchanged" cmp /registry-stage1.dtb /sys/firmware/kho/blobs/khoreg
	check "khoreg_test restores and checks everything" modprobe khoreg_test action=restore
	dmesg | grep 'khoreg_test: ' | while IFS= read -r line; do diag "$line"; done
	check "claimed" [ "$(cat $e/claimed)" = 1 ]
	check "child claimed" [ "$(cat $e/entries/child/claimed)" = 1 ]
	check "spare not claimed" [ "$(cat $in/khoreg-spare/claimed)" = 0 ]
	registry_pages $in/khoreg-spare > /tmp/spare
	check "the unclaimed entry holds 1 MiB" [ "$(pages_total /tmp/spare)" = 256 ]
	check "it is held until the handover finishes" pages_held /tmp/spare
	small_pcp_lists
	check "finish the handover" sh -c 'echo 1 > /sys/firmware/kho/finish'
	diag "$(summary released_pages) page(s) released"
	check "the unclaimed 1 MiB came back: its pages are free" pages_freed /tmp/spare
	check "the unclaimed entry is logged" logged \
		'entry khoreg-spare (khoreg,test-spare-v1) not claimed by the end of the handover'
	check "claimed entries are not" log_lacks 'entry khoreg-test.* not claimed'

	check "unload khoreg_test" rmmod khoreg_test
	check "a module declares an entry" modprobe khoreg_test action=orphan
	check "its directory exists" [ -d $out/khoreg-orphan ]
	check "the module unloads without unregistering" rmmod khoreg_test
	check "its entry is gone" [ ! -e $out/khoreg-orphan ]
	check "the removal is logged" \
		logged 'khoreg_test unloaded with entry khoreg-orphan registered'
	say "every value and preserved byte matched; the unclaimed entry's memory came back"
}
