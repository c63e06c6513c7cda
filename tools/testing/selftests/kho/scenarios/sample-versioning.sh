# SPDX-License-Identifier: GPL-2.0-only
#
# sample-versioning: the kho_versioning sample (samples/kho/kho_versioning.c)
# plays the old, the current and a future driver in one test kernel, with
# its "format" parameter. Kernel 1 writes v1 state; kernel 2 (v2) upgrades
# it: the name becomes the label, timeout_ms becomes timeout_us, the new
# field first_version is derived as 1; kernel 3 shows the old driver's exact
# version rule refusing v2, then reads v2 with the v2 reader and writes v3,
# as a future driver would; kernel 4 (v2) refuses v3 cleanly: a clear log
# line, the entry left unclaimed, new state, a clean unload.

out=/sys/kernel/kho/registry/versioning
in=/sys/firmware/kho/registry/versioning

# logged TEXT: the kernel log has a line containing TEXT; said TEXT: one
# of kho_versioning's.
logged() { dmesg | grep -qF "$1"; }
said() { logged "kho_versioning: $1"; }
log_diag() { dmesg | grep 'kho_versioning: ' | while IFS= read -r l; do diag "$l"; done; }

stage1() {
	check "kho_versioning loads as the old (v1) driver" \
		modprobe kho_versioning format=1 label=stage1 timeout_ms=2500
	check "nothing was handed over: new state" \
		said 'new state: label=stage1 timeout_us=2500000'
	check "compatible v1" [ "$(cat $out/compatible)" = khoreg,versioning-v1 ]
	check "version 1" [ "$(cat $out/version)" = 1 ]
	check "v1 fields" [ "$(cat $out/fields/kexecs $out/fields/name $out/fields/timeout_ms |
		tr '\n' ' ')" = "u32 0 string stage1 u32 2500 " ]
	say "wrote v1 state: name=stage1 timeout_ms=2500; kexec"
	kexec_next
}

stage2() {
	check "v1 state arrived" [ "$(cat $in/version)" = 1 ]
	check "kho_versioning loads as the current (v2) driver" modprobe kho_versioning
	log_diag
	check "it upgraded the v1 state: name became label" \
		said 'upgraded v1 state: name=stage1 became label, '
	check "timeout_ms became timeout_us, first_version was derived" \
		logged ', timeout_ms=2500 became timeout_us=2500000, first_version=1'
	check "it restored v1 state" said 'restored v1 state: kexecs=1 label=stage1'
	check "it claimed the entry" [ "$(cat $in/claimed)" = 1 ]
	check "compatible v2" [ "$(cat $out/compatible)" = khoreg,versioning-v2 ]
	check "version 2" [ "$(cat $out/version)" = 2 ]
	check "v2 fields" [ "$(cat $out/fields/kexecs $out/fields/label $out/fields/timeout_us \
		$out/fields/first_version | tr '\n' ' ')" = \
		"u64 1 string stage1 u64 2500000 u32 1 " ]
	check "no v1 field is left" \
		[ -d $out/fields -a ! -e $out/fields/name -a ! -e $out/fields/timeout_ms ]
	say "upgraded v1 to v2: label=stage1 timeout_us=2500000 first_version=1; kexec"
	kexec_next
}

stage3() {
	check "v2 state arrived" [ "$(cat $in/version)" = 2 ]
	check "the old (v1) driver loads" modprobe kho_versioning format=1
	check "its exact version rule refuses v2" \
		said 'refusing version 2 state: this driver reads versions 1 to 1; left unclaimed'
	check "the entry is left unclaimed" [ "$(cat $in/claimed)" = 0 ]
	check "unload the old driver" rmmod kho_versioning
	check "a future (v3) driver loads" modprobe kho_versioning format=3
	log_diag
	check "it read the v2 state with the v2 reader" \
		said 'restored v2 state: kexecs=2 label=stage1 timeout_us=2500000 first_version=1'
	check "it claimed the entry" [ "$(cat $in/claimed)" = 1 ]
	check "compatible v3" [ "$(cat $out/compatible)" = khoreg,versioning-v3 ]
	check "v3 fields" [ "$(cat $out/fields/kexecs $out/fields/timeout_ns \
		$out/fields/first_version | tr '\n' ' ')" = "u64 2 u64 2500000000 u32 1 " ]
	say "the v2 reader read v2; wrote v3 as a future driver would; kexec"
	kexec_next
}

stage4() {
	check "v3 state arrived" [ "$(cat $in/version)" = 3 ]
	check "the current (v2) driver loads" modprobe kho_versioning
	log_diag
	check "the registry says why it refuses" \
		logged 'versioning: version 3 is outside 1..2'
	check "the driver logs a clear refusal" \
		said 'refusing version 3 state: this driver reads versions 1 to 2; left unclaimed'
	check "the entry is left unclaimed" [ "$(cat $in/claimed)" = 0 ]
	check "finishing the handover" sh -c 'echo 1 > /sys/firmware/kho/finish'
	check "the registry logs it as not claimed" \
		logged 'entry versioning (khoreg,versioning-v3) not claimed by the end of the hand'
	check "it starts new v2 state" [ "$(cat $out/fields/kexecs $out/fields/first_version |
		tr '\n' ' ')" = "u64 0 u32 2 " ]
	check "unload" rmmod kho_versioning
	check "the entry is gone" [ ! -e $out ]
	say "v3 refused and left unclaimed; new v2 state; unloaded"
}
