# SPDX-License-Identifier: GPL-2.0-only
# khoreg-arch: x86_64: QEMU's -numa reaches the kernel in ACPI's SRAT (config.x86_64)
# khoreg-vm: timeout=1200
# khoreg-vm-qemu: -m 6G -smp 4,sockets=2,cores=2,threads=1
# khoreg-vm-qemu: -object memory-backend-ram,id=m0,size=3G
# khoreg-vm-qemu: -object memory-backend-ram,id=m1,size=3G
# khoreg-vm-qemu: -numa node,nodeid=0,cpus=0-1,memdev=m0 -numa node,nodeid=1,cpus=2-3,memdev=m1
#
# numa-kaslr: the production topology of a host. A 6 GiB guest with two
# NUMA nodes of 3 GiB and two CPUs each (node 0 below 4 GiB, node 1 above),
# KASLR on, and a chain of 11 kernels: 10 live updates. Every kernel
# checks that
#   - it reserved its scratch as scratch.c intends: four areas, the first
#     below 4 GiB, the second anywhere, then one on node 0 and one on node
#     1, each wholly on its node and, sized by default, big enough for
#     the node's memmap; in the kernels booted with kho_scratch= (every
#     other one) exactly the sizes it names;
#   - (from the second on) its image, "Kernel code" to "Kernel bss" in
#     /proc/iomem, lies inside one scratch area the previous kernel
#     advertised in /sys/kernel/kho/scratch, which is also the scratch
#     array it received;
#   - kho_selftest restores every byte of what the previous kernel
#     preserved with nodes=0,1 (folios, a page range, scattered pages and
#     a vmalloc area placed on node 0 and node 1 in turn), each page on the
#     node it was preserved on;
# and then preserves again and hands over. The last one checks that the
# kernels were placed at random, not all at one address.

HOPS=10
# Explicit sizes for every other kernel: low, global, per node.
SIZES=64M,256M,128M
SIZES_BYTES="$((64 << 20)) $((256 << 20)) $((128 << 20)) $((128 << 20))"
# What the previous kernel advertised and where each kernel lay, carried
# along the chain in the root filesystem.
PREV=/khoreg-topo-scratch
WHERE=/khoreg-topo-where

# node_span N: "START END" (bytes, END exclusive) of node N's memory, from
# the zones of /proc/zoneinfo.
node_span() {
	awk -v want="$1" '
		$1 == "Node" { sub(",", "", $2); node = $2 + 0 }
		$1 == "spanned" { spanned = $2 + 0 }
		$1 == "start_pfn:" && node == want && spanned > 0 {
			s = $2 * 4096; e = ($2 + spanned) * 4096
			if (lo == "" || s < lo) lo = s
			if (e > hi) hi = e
		}
		END { if (lo != "") printf "%.0f %.0f\n", lo, hi }' /proc/zoneinfo
}

# memmap_bytes N: the size of node N's memmap, 64 bytes a present page.
memmap_bytes() {
	awk -v want="$1" '
		$1 == "Node" { sub(",", "", $2); node = $2 + 0 }
		$1 == "present" && node == want { pages += $2 }
		END { printf "%.0f\n", pages * 64 }' /proc/zoneinfo
}

# scratch_areas: this kernel's outgoing areas, "INDEX START END" (bytes).
scratch_areas() {
	local f start len

	for f in /sys/kernel/kho/scratch/*; do
		read -r start len < "$f"
		echo "${f##*/} $((start)) $((start + len))"
	done | sort -n
}

# within START END LO HI: [START, END) lies inside [LO, HI).
within() {
	[ "$1" -ge "$3" ] && [ "$2" -le "$4" ]
}

# area_check: the areas are laid out per node as scratch.c intends.
area_check() {
	local i start end n0 n1 want

	scratch_areas > /tmp/areas
	[ "$(wc -l < /tmp/areas)" = 4 ] || { echo "not 4 areas:"; cat /tmp/areas; return 1; }
	set -- $(node_span 0) $(node_span 1)
	[ $# = 4 ] || { echo "no span for both nodes"; return 1; }
	n0="$1 $2" n1="$3 $4"
	while read -r i start end; do
		case $i in
		0) [ "$end" -le $((1 << 32)) ] || { echo "area 0 ends above 4 GiB"; return 1; } ;;
		2) within "$start" "$end" $n0 ||
			{ echo "area 2 ($start-$end) is not on node 0 ($n0)"; return 1; } ;;
		3) within "$start" "$end" $n1 ||
			{ echo "area 3 ($start-$end) is not on node 1 ($n1)"; return 1; } ;;
		esac
	done < /tmp/areas
	if [ -z "$(khoreg_arg scratch_sized)" ]; then
		while read -r i start end; do
			[ "$i" -ge 2 ] || continue
			want=$(memmap_bytes $((i - 2)))
			[ "$want" -gt 0 ] && [ $((end - start)) -ge "$want" ] ||
				{ echo "area $i has $((end - start)) bytes, node $((i - 2))'s" \
				       "memmap $want"; return 1; }
		done < /tmp/areas
		return 0
	fi
	while read -r i start end; do
		want=$(echo $SIZES_BYTES | cut -d' ' -f$((i + 1)))
		[ $((end - start)) = "$want" ] ||
			{ echo "area $i has $((end - start)) bytes, not $want"; return 1; }
	done < /tmp/areas
}

# kernel_range: "START END" (END exclusive) of this kernel's image.
kernel_range() {
	grep -E ' : Kernel (code|bss)$' /proc/iomem | tr -d ' ' | tr -- '-:' '  ' |
		awk 'NR == 1 { s = $1 } { e = $2 } END { print s, e }' | {
		read -r s e
		echo "$((0x$s)) $((0x$e + 1))"
	}
}

# in_prev_scratch: this kernel lies inside one area the previous kernel
# advertised, and received the same areas.
in_prev_scratch() {
	local ks ke i start end

	[ -s $PREV ] || { echo "no areas saved by the previous kernel"; return 1; }
	read -r ks ke < /tmp/kernel
	od -A n -t u8 -v -w16 /sys/firmware/kho/scratch_array |
		awk '{ printf "%.0f %.0f\n", $1, $1 + $2 }' > /tmp/received
	cut -d' ' -f2- $PREV | cmp - /tmp/received ||
		{ echo "received:"; cat /tmp/received; return 1; }
	while read -r i start end; do
		if [ "$ks" -ge "$start" ] && [ "$ke" -le "$end" ]; then
			echo "kernel $ks-$ke in area $i ($start-$end)"
			return 0
		fi
	done < $PREV
	echo "kernel $ks-$ke is in no area:"
	cat $PREV
	return 1
}

topology_stage() {
	local last=$((HOPS + 1)) area what="each node's at least its memmap"

	if [ "$STAGE" = 1 ]; then
		check "two NUMA nodes with memory" \
			[ "$(cat /sys/devices/system/node/has_memory)" = 0-1 ]
		check "four CPUs online" [ "$(cat /sys/devices/system/cpu/online)" = 0-3 ]
		check "KASLR is on" lacks /proc/cmdline '(^| )nokaslr( |$)'
		diag "node 0: $(node_span 0), node 1: $(node_span 1)"
	fi
	[ -z "$SIZED" ] || what=$SIZES
	check "scratch: 4 areas, below 4 GiB, anywhere, node 0, node 1 ($what)" area_check
	diag "scratch areas: $(tr '\n' ';' < /tmp/areas)"
	kernel_range > /tmp/kernel
	cut -d' ' -f1 /tmp/kernel >> $WHERE
	if [ "$STAGE" -gt 1 ]; then
		check "kernel $STAGE lies in the scratch kernel $((STAGE - 1)) advertised" \
			in_prev_scratch
		area=$(sed -n 's/.* in area \([0-9]\).*/\1/p' /tmp/check.out)
		diag "$(cat /tmp/check.out)"
		echo "$area" >> $WHERE.areas
		check "kho_selftest restores every byte on nodes 0 and 1" \
			modprobe kho_selftest action=restore nodes=0,1
		check "node 0 and node 1 held preserved memory" sh -c \
			"dmesg | grep -q 'kho_selftest: node 0: restored [1-9]' &&
			 dmesg | grep -q 'kho_selftest: node 1: restored [1-9]'"
		rmmod kho_selftest
	fi
	if [ "$STAGE" = $last ]; then
		check "the kernels were placed at random" \
			[ "$(sort -u $WHERE | wc -l)" -gt 1 ]
		diag "$(sort -u $WHERE | wc -l) addresses in $STAGE kernels;" \
			"areas: $(sort $WHERE.areas | uniq -c | tr -s ' \n' ' ')"
		say "$HOPS live updates on 2 NUMA nodes: every kernel in scratch, every byte back"
		return
	fi
	if [ "$STAGE" = 1 ]; then
		check "nodes= naming a node without memory is refused" \
			fails_logging 'kho_selftest: nodes=0,7: not a list' \
			modprobe kho_selftest action=preserve nodes=0,7
	fi
	check "kho_selftest preserves on nodes 0 and 1" \
		modprobe kho_selftest action=preserve nodes=0,1
	scratch_areas > $PREV
	say "kernel $STAGE: scratch per node, preserved on both nodes; kexec"
	if [ -n "$SIZED" ]; then
		KEXEC_DROP="kho_scratch= khoreg.scratch_sized=" kexec_next
	else
		kexec_next "kho_scratch=$SIZES khoreg.scratch_sized=1"
	fi
}

SIZED=$(khoreg_arg scratch_sized)
for n in $(seq 1 $((HOPS + 1))); do
	eval "stage$n() { topology_stage; }"
done
