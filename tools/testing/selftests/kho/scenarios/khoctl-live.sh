# SPDX-License-Identifier: GPL-2.0-only
#
# khoctl-live: khoctl (tools/kho, static in the guest) drives and reads a
# live handover: finalize and abort through /sys/kernel/kho with clear exit
# codes, show and validate the pending handover, and after kexec the one
# the new kernel received in /sys/firmware/kho. The memory map summary
# (from memory_map) must count exactly what kho_selftest preserved on top
# of a baseline handover and agree with the kernel's own summary on both
# sides; memory_map, scratch_array and the sub-blobs read in
# /sys/kernel/kho must be what the next kernel received, byte for byte;
# only root reads them.

S=/khoctl-live
# kho_selftest preserves, in pages: its descriptor (1), folios of orders
# 0, 1, 3, 9 and a spare order 10 (1547), a 13-page range, 32 scattered
# pages, a 600-page vmalloc area and its 2 chunk pages.
ST_PAGES=2195

# jnum FILE KEY: the first number-valued "KEY" of khoctl's JSON output, or 0.
jnum() {
	local v

	v=$(sed -n "s/^ *\"$2\": \([0-9]*\),*$/\1/p" "$1" | head -n 1)
	echo "${v:-0}"
}
# summary DIR KEY: a value of DIR/summary.
summary() { sed -n "s/^$2 //p" "$1/summary"; }
# refused_to_nobody FILE: root reads bytes from FILE, nobody gets EACCES.
refused_to_nobody() {
	[ "$(wc -c < "$1")" -gt 0 ] && fails_with 'Permission denied' as_nobody cat "$1"
}
# reads_empty FILE: FILE exists and reading it gives no byte (a sysfs
# file's size says nothing about what reading it gives).
reads_empty() { [ -e "$1" ] && [ "$(wc -c < "$1")" -eq 0 ]; }

idle_show_refused() {
	khoctl show 2>/tmp/err
	[ $? -eq 3 ] && grep -q "no finalized handover" /tmp/err
}

stage1() {
	check "khoctl on an idle handover says nothing is finalized (exit 3)" \
		idle_show_refused
	check "khoctl finalize" khoctl finalize
	check "khoctl finalize again fails with exit code 3" \
		sh -c 'khoctl finalize 2>/tmp/err; [ $? -eq 3 ] && [ -s /tmp/err ]'
	check "khoctl shows the pending handover" khoctl show /sys/kernel/kho
	check "khoctl validates the pending handover" khoctl validate /sys/kernel/kho
	check "pre-flight: this kernel's image accepts the pending handover" \
		khoctl validate --target /boot/kernel /sys/kernel/kho
	khoctl show --json /sys/kernel/kho > /tmp/pending.json
	check "the JSON names the kho-v4 root" grep -q '"kho-v4"' /tmp/pending.json
	check "khoctl abort" khoctl abort
	check "state is idle after abort" grep -qx idle /sys/kernel/kho/state
	check "a garbage handover file is refused with exit code 1" \
		sh -c 'head -c 4096 /init > /tmp/bad.dtb
			khoctl validate /tmp/bad.dtb; [ $? -eq 1 ]'
	check "memory_map is empty while idle" reads_empty /sys/kernel/kho/memory_map
	check "blobs/ is empty while idle" \
		[ -d /sys/kernel/kho/blobs -a -z "$(ls /sys/kernel/kho/blobs)" ]
	stage1_memory
	kexec_next
}

# The baseline handover, then kho_selftest's on top of it, finalized.
stage1_memory() {
	local d=/sys/kernel/kho f=$S/pending.json b=/tmp/base.json name

	mkdir -p $S
	khoctl finalize && khoctl show --json $d > $b && khoctl abort
	check "kho_selftest preserves its memory" modprobe kho_selftest action=preserve
	check "khoctl finalize with kho_selftest's memory" khoctl finalize
	khoctl show --json $d > $f
	khoctl show $d > $S/pending.show
	diag "$(grep -A1 '^memory map' $S/pending.show | tr '\n' ' ')"
	check "the memory map is summarised" grep -q '"available": true' $f
	check "it counts kho_selftest's $ST_PAGES pages" \
		[ $(($(jnum $f pages) - $(jnum $b pages))) -eq $ST_PAGES ]
	check "and their bytes" \
		[ $(($(jnum $f bytes) - $(jnum $b bytes))) -eq $((ST_PAGES * 4096)) ]
	check "one more order-9 block" [ $(($(jnum $f 9) - $(jnum $b 9))) -eq 1 ]
	check "one order-10 block, the spare folio" \
		[ $(($(jnum $f 10) - $(jnum $b 10))) -eq 1 ]
	check "at least 32 more extents (the scattered pages)" \
		[ $(($(jnum $f extents) - $(jnum $b extents))) -ge 32 ]
	check "blocks agree with /sys/kernel/kho/summary" \
		[ "$(jnum $f blocks)" = "$(summary $d blocks)" ]
	check "tree nodes agree with map_pages" \
		[ "$(jnum $f nodes)" = "$(summary $d map_pages)" ]
	check "memory_map holds one record per map page" \
		[ $(wc -c < $d/memory_map) -eq $(($(summary $d map_pages) * 4104)) ]
	check "the scratch ranges are known" grep -q '^  0x.*bytes)$' $S/pending.show
	check "khoctl validates the pending handover's memory" khoctl validate $d
	check "every sub-blob is in $d/blobs" \
		[ "$(ls $d/blobs | wc -l)" = "$(summary $d sub_blobs)" ]
	check "kho_selftest's and the registry's among them" \
		[ -e $d/blobs/kho-selftest -a -e $d/blobs/khoreg ]
	mkdir -p $S/blobs
	for name in $(ls $d/blobs); do
		check "sub-blob $name reads as large as its blob-size" sh -c \
			"cp $d/blobs/$name $S/blobs/$name &&
			 grep -q '^  $name: .* size '\$(wc -c < $S/blobs/$name)\$ $S/pending.show"
	done
	cp $d/memory_map $S/memory_map
	cp $d/scratch_array $S/scratch_array
	for name in memory_map scratch_array blobs/kho-selftest; do
		check "non-root cannot read $d/$name" refused_to_nobody $d/$name
	done
}

stage2() {
	local d=/sys/firmware/kho f=/tmp/incoming.json p=$S/pending.json name

	say "$(khoctl show /sys/firmware/kho | head -n 3 | tr '\n' ' ')"
	check "khoctl shows the received handover" khoctl show /sys/firmware/kho
	check "khoctl validates the received handover" khoctl validate /sys/firmware/kho
	for name in $(ls $S/blobs); do
		check "sub-blob $name arrived as kernel 1 read it" \
			cmp $S/blobs/$name $d/blobs/$name
	done
	check "memory_map is the one kernel 1 exported" cmp $S/memory_map $d/memory_map
	check "scratch_array is the one kernel 1 exported" \
		cmp $S/scratch_array $d/scratch_array
	khoctl show --json $d > $f
	check "the memory map is summarised" grep -q '"available": true' $f
	for name in blocks pages bytes extents nodes 9 10; do
		check "$name as pending in kernel 1" [ "$(jnum $f $name)" = "$(jnum $p $name)" ]
	done
	check "blocks agree with /sys/firmware/kho/summary" \
		[ "$(jnum $f blocks)" = "$(summary $d blocks)" ]
	check "pages agree" [ "$(jnum $f pages)" = "$(summary $d pages)" ]
	check "tree nodes agree with map_nodes" \
		[ "$(jnum $f nodes)" = "$(summary $d map_nodes)" ]
	for name in memory_map scratch_array blobs/kho-selftest; do
		check "non-root cannot read $d/$name" refused_to_nobody $d/$name
	done
	check "finish the handover" sh -c "echo 1 > $d/finish"
	check "memory_map is empty once finished" reads_empty $d/memory_map
	check "khoctl says the map's pages are gone" \
		sh -c "khoctl show $d | grep -q 'memory_map holds no pages'"
	check "khoctl still validates it" khoctl validate $d
}
