# SPDX-License-Identifier: GPL-2.0-only
#
# sample-buffer: the kho_buffer sample (samples/kho/kho_buffer.c) hands a
# 64 MiB buffer of mixed-order folios, a page range and a vmalloc area over
# two kexecs without a copy. Kernel 1 creates it and records what its
# registry entries say: the physical address and order of every folio, the
# page range, a hash of the vmalloc pages' physical addresses and every
# checksum. Kernels 2 and 3 restore it, verify the checksums and hand the
# same pages on: what arrived and what they hand over again must match
# kernel 1's record byte for byte, so the pages never moved. Kernel 3
# unloads the module, which gives the 64 MiB back: every page the module
# listed in debugfs is free in /proc/kpageflags afterwards.

out=/sys/kernel/kho/registry/buffer
in=/sys/firmware/kho/registry/buffer

logged() { dmesg | grep -qF "$1"; }

# listing DIR: "file value" for every field of the buffer entry and its
# children but hops, and with the vmalloc descriptor's address (new in every
# kernel) left out of the vmalloc field.
listing() {
	(cd "$1" && for f in fields/* entries/*/fields/*; do
		case $f in
		fields/hops) ;;
		fields/vmalloc) echo "$f $(cut -d' ' -f1,3- $f)" ;;
		*) echo "$f $(cat $f)" ;;
		esac
	done)
}

# same_as_kernel1 DIR: DIR's listing is kernel 1's, byte for byte.
same_as_kernel1() {
	listing "$1" > /tmp/listing
	[ "$(wc -l < /kb.1)" -gt 10 ] && cmp /kb.1 /tmp/listing || {
		diff /kb.1 /tmp/listing | head -n 10
		return 1
	}
}

stage1() {
	local orders

	check "kho_buffer loads" modprobe kho_buffer
	dmesg | grep 'kho_buffer: ' | while IFS= read -r line; do diag "$line"; done
	check "it created a 64 MiB buffer" logged 'kho_buffer: created 67108864 bytes'
	check "compatible" [ "$(cat $out/compatible)" = khoreg,buffer-v1 ]
	check "size" [ "$(cat $out/fields/size)" = "u64 67108864" ]
	check "hops=0" [ "$(cat $out/fields/hops)" = "u32 0" ]
	check "one child entry per folio" \
		[ "$(cat $out/fields/nr_folios)" = "u32 $(ls $out/entries | wc -l)" ]
	orders=$(cat $out/entries/*/fields/folio | cut -d' ' -f3 | sort -un | tr '\n' ' ')
	diag "folio orders: $orders"
	check "folios of mixed orders" [ $(echo $orders | wc -w) -ge 5 ]
	check "a 1024-page range" grep -q '^range 0x[0-9a-f]* 0x400000$' $out/fields/range
	check "a 4096-page vmalloc area" grep -q '^vmalloc 0x[0-9a-f]* 4096 0$' \
		$out/fields/vmalloc
	listing $out > /kb.1
	diag "$(wc -l < /kb.1) fields recorded, e.g. $(grep folio0/ /kb.1 | tr '\n' ' ')"
	say "64 MiB: $(cut -d' ' -f2 $out/fields/nr_folios) folios, range, vmalloc; kexec"
	kexec_next
}

# restored_stage HOPS: the buffer came through HOPS kexecs in place.
restored_stage() {
	check "the buffer entry arrived" [ "$(cat $in/claimed)" = 0 ]
	check "what arrived is what kernel 1 recorded" same_as_kernel1 $in
	check "kho_buffer loads" modprobe kho_buffer
	dmesg | grep 'kho_buffer: ' | while IFS= read -r line; do diag "$line"; done
	check "it restored the buffer in place and the checksums match" \
		logged "kho_buffer: restored 67108864 bytes in place after $1 kexec"
	check "it claimed the entry" [ "$(cat $in/claimed)" = 1 ]
	check "hops=$1" [ "$(cat $out/fields/hops)" = "u32 $1" ]
	check "it hands over the same physical pages again" same_as_kernel1 $out
}

stage2() {
	restored_stage 1
	say "the buffer survived a kexec in place; kexec"
	kexec_next
}

stage3() {
	restored_stage 2
	check "the module lists its pages" \
		sh -c 'cat /sys/kernel/debug/kho_buffer/pages > /tmp/kb.pages'
	check "they are 64 MiB" [ "$(pages_total /tmp/kb.pages)" = 16384 ]
	check "none of them is free" pages_held /tmp/kb.pages
	small_pcp_lists
	check "unload" rmmod kho_buffer
	check "the entry is gone" [ ! -e $out ]
	check "unloading freed the 64 MiB: all its pages are free" pages_freed /tmp/kb.pages
	say "the buffer survived two kexecs in place, and was freed on unload"
}
