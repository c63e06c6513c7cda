# SPDX-License-Identifier: GPL-2.0-only
#
# sample-counter: the kho_counter sample (samples/kho/kho_counter.c) keeps
# its "counter" registry entry across two kexecs. Kernel 1 starts a fresh
# counter (boots=1) with a label and two ticks; kernels 2 and 3 restore it,
# log what they restored and count one more boot each, the label and the
# ticks carried along.

f=/sys/kernel/kho/registry/counter/fields

# logged TEXT: the kernel log has a line containing TEXT.
logged() { dmesg | grep -qF "$1"; }

stage1() {
	check "kho_counter loads" modprobe kho_counter label=stage1
	check "nothing was handed over: a fresh counter" \
		logged 'kho_counter: nothing handed over: a fresh counter'
	check "compatible" \
		[ "$(cat /sys/kernel/kho/registry/counter/compatible)" = khoreg,counter-v1 ]
	check "version" [ "$(cat /sys/kernel/kho/registry/counter/version)" = 1 ]
	check "boots=1" [ "$(cat $f/boots)" = "u64 1" ]
	check "not restored" [ "$(cat $f/restored)" = "bool false" ]
	check "label" [ "$(cat $f/label)" = "string stage1" ]
	check "bump counts a tick" sh -c 'echo 1 > /sys/module/kho_counter/parameters/bump'
	check "bump counts another tick" sh -c 'echo 1 > /sys/module/kho_counter/parameters/bump'
	check "ticks=2" [ "$(cat $f/ticks)" = "u64 2" ]
	say "counter: boots=1 ticks=2 label=stage1; kexec"
	kexec_next
}

stage2() {
	check "kho_counter loads" modprobe kho_counter
	dmesg | grep 'kho_counter: ' | while IFS= read -r line; do diag "$line"; done
	check "it restored boots=1 and the label" \
		logged 'kho_counter: restored boots=1 ticks=2 label=stage1'
	check "boots=2" [ "$(cat $f/boots)" = "u64 2" ]
	check "restored" [ "$(cat $f/restored)" = "bool true" ]
	check "the label survived" [ "$(cat $f/label)" = "string stage1" ]
	check "the ticks survived" [ "$(cat $f/ticks)" = "u64 2" ]
	check "bump counts a tick" sh -c 'echo 1 > /sys/module/kho_counter/parameters/bump'
	check "ticks=3" [ "$(cat $f/ticks)" = "u64 3" ]
	say "counter restored: boots=2 ticks=3 label=stage1; kexec"
	kexec_next
}

stage3() {
	check "kho_counter loads" modprobe kho_counter
	dmesg | grep 'kho_counter: ' | while IFS= read -r line; do diag "$line"; done
	check "boots=3" [ "$(cat $f/boots)" = "u64 3" ]
	check "it restored boots=2" \
		logged 'kho_counter: restored boots=2 ticks=3 label=stage1'
	check "restored" [ "$(cat $f/restored)" = "bool true" ]
	check "the label survived two kexecs" [ "$(cat $f/label)" = "string stage1" ]
	check "unload" rmmod kho_counter
	check "the entry is gone" [ ! -e /sys/kernel/kho/registry/counter ]
	check "a second load cannot claim the entry again" modprobe kho_counter
	check "it starts a fresh counter" [ "$(cat $f/boots)" = "u64 1" ]
	check "unload the fresh counter" rmmod kho_counter
	say "counter: boots=3 ticks=3 label=stage1 after two kexecs"
}
