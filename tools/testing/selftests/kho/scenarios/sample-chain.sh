# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: named-only timeout=1500
# khoreg-vm-qemu: -nic user,model=virtio-net-pci
# khoreg-arch: x86_64: kho_netcfg's NIC is virtio-net-pci, and the arm64 virt config has no PCI host
#
# sample-chain: every sample of samples/kho across a chain of 20 kexecs
# (21 kernels). Kernel 1 loads kho_counter, kho_buffer (4 MiB),
# kho_versioning and kho_test_compat (1 MiB of folios) and configures eth0
# for the built-in kho_netcfg. Every kernel finalizes, keeps a copy of each
# sub-blob and of every registry field it hands over, and kexecs; the next
# one checks that they arrived byte for byte, loads the samples again and
# checks what each restored: the counter and the versioned state one boot
# further, the buffer in place with its checksums and kernel 1's pages,
# eth0 configured before /init. kho_test_compat speaks mainline's format,
# which is restored and not handed on: it preserves in odd kernels and is
# restored, checksum compared, in even ones. After loading the samples
# (and finishing the handover, after a KHO boot) each kernel notes its free
# memory (memfree below):
# the last one must be within 1% of the first's. The host checks that the
# console log of the 21 kernels has no warning, BUG or oops.
# khoreg.hops=N on the command line (run.sh --also) makes the chain N
# kexecs long, to try it quickly.

HOPS=20
out=/sys/kernel/kho/registry
in=/sys/firmware/kho/registry
mac=52:54:00:4b:48:4f
lease_file=/chain/lease
kb_size=4194304
ktc_mem=1048576

logged() { dmesg | grep -qF "$1"; }
# log_line TEXT: the last kernel log line containing TEXT.
log_line() { dmesg | grep -F "$1" | tail -n 1; }

# fields DIR: "FILE VALUE" for every field of every registry entry in DIR
# and of their children.
fields() {
	(cd "$1" && for f in */fields/* */entries/*/fields/*; do
		[ -f "$f" ] && echo "$f $(cat "$f")"
	done)
}

# buffer_listing DIR: kho_buffer's fields but hops, and without the
# vmalloc descriptor's address, new in every kernel (as sample-buffer).
buffer_listing() {
	(cd "$1" && for f in fields/* entries/*/fields/*; do
		case $f in
		fields/hops) ;;
		fields/vmalloc) echo "$f $(cut -d' ' -f1,3- "$f")" ;;
		*) echo "$f $(cat "$f")" ;;
		esac
	done)
}

# arrived: the sub-blobs and registry fields the previous kernel handed
# over (copied to /chain at finalize) are those this one received, byte
# for byte.
blobs_arrived() {
	local f n=0

	ls /chain/blobs > /tmp/out.blobs
	ls /sys/firmware/kho/blobs > /tmp/in.blobs
	cmp /tmp/out.blobs /tmp/in.blobs || return 1
	for f in /chain/blobs/*; do
		cmp "$f" "/sys/firmware/kho/blobs/${f##*/}" || return 1
		n=$((n + 1))
	done
	echo "$n sub-blob(s): $(tr '\n' ' ' < /tmp/out.blobs)"
	[ $n -ge 1 ]
}

fields_arrived() {
	fields $in > /tmp/in.fields
	[ "$(wc -l < /chain/fields)" -gt 20 ] || return 1
	cmp /chain/fields /tmp/in.fields || {
		diff /chain/fields /tmp/in.fields | head -n 10
		return 1
	}
}

# keep_handover: copy the finalized handover's sub-blobs and registry
# fields to /chain, which the next kernel's root file system carries.
keep_handover() {
	rm -rf /chain/blobs
	mkdir /chain/blobs &&
		cp /sys/kernel/kho/blobs/* /chain/blobs/ &&
		fields $out > /chain/fields
}

# counter_ok S: kho_counter restored boots S-1 and counts boot S, a tick a
# kernel.
counter_ok() {
	if [ "$1" = 1 ]; then
		modprobe kho_counter label=chain || return 1
	else
		modprobe kho_counter || return 1
		log_line 'kho_counter: restored'
		logged "kho_counter: restored boots=$(($1 - 1)) ticks=$(($1 - 1)) label=chain" ||
			return 1
	fi
	echo 1 > /sys/module/kho_counter/parameters/bump &&
		[ "$(cat $out/counter/fields/boots $out/counter/fields/ticks \
			$out/counter/fields/label | tr '\n' ' ')" = "u64 $1 u64 $1 string chain " ]
}

# buffer_ok S: kho_buffer restored its 4 MiB in place, checksums matching,
# on kernel 1's pages, and hands them on.
buffer_ok() {
	if [ "$1" = 1 ]; then
		modprobe kho_buffer size=$kb_size &&
			logged "kho_buffer: created $kb_size bytes" || return 1
		buffer_listing $out/buffer > /chain/kb.1
		[ "$(wc -l < /chain/kb.1)" -gt 5 ]
		return
	fi
	modprobe kho_buffer || return 1
	log_line 'kho_buffer: restored'
	logged "kho_buffer: restored $kb_size bytes in place after $(($1 - 1)) kexec" &&
		[ "$(cat $out/buffer/fields/hops)" = "u32 $(($1 - 1))" ] || return 1
	buffer_listing $out/buffer > /tmp/kb
	cmp /chain/kb.1 /tmp/kb
}

# versioning_ok S: kho_versioning restored its v2 state, S-1 kexecs old.
versioning_ok() {
	if [ "$1" = 1 ]; then
		modprobe kho_versioning label=chain &&
			logged 'kho_versioning: new state: label=chain timeout_us=1000000'
	else
		modprobe kho_versioning || return 1
		log_line 'kho_versioning: restored'
		logged "kho_versioning: restored v2 state: kexecs=$(($1 - 1)) label=chain\
 timeout_us=1000000 first_version=2"
	fi && [ "$(cat $out/versioning/fields/kexecs)" = "u64 $(($1 - 1))" ]
}

# compat_ok S: kho_test_compat preserves (S odd) or restores what kernel
# S-1 preserved, with the checksum it logged (S even).
compat_ok() {
	local line

	if [ $(($1 % 2)) = 1 ]; then
		modprobe kho_test_compat max_mem=$ktc_mem || return 1
		line=$(log_line 'kho_test_compat: preserved')
		echo "$line"
		# "N folio(s), N bytes, checksum 0xN", as the restore logs it
		echo "${line#*preserved }" | sed 's/, in sub-blob .*//' > /chain/ktc
		grep -q " $ktc_mem bytes" /chain/ktc
	else
		modprobe kho_test_compat || return 1
		log_line 'kho_test_compat: restored'
		logged 'kho_test_compat: KHO restore succeeded' &&
			logged "kho_test_compat: restored $(cat /chain/ktc)"
	fi
}

# netcfg_ok: eth0 as kernel 1 set it up, configured by kho_netcfg before
# /init.
netcfg_ok() {
	ip -4 addr show dev eth0 > /tmp/ip.out
	ip route show > /tmp/route.out
	printf '#PROTO: KHO\n#LEASE-EXPIRES: %s\nnameserver 10.0.2.3\n' "$(cat $lease_file)" \
		> /tmp/netcfg.expected
	[ "$(cat /sys/class/net/eth0/address)" = $mac ] &&
		grep -q 'inet 10.0.2.15/24 brd 10.0.2.255 ' /tmp/ip.out &&
		grep -q '^default via 10.0.2.2 dev eth0' /tmp/route.out &&
		cmp /proc/net/kho_netcfg /tmp/netcfg.expected &&
		logged "kho_netcfg: eth0: configured from the handover: $mac 10.0.2.15/24"
}

# netcfg_setup: configure eth0 and have kho_netcfg hand it over.
netcfg_setup() {
	ifconfig eth0 hw ether $mac && ip link set eth0 up &&
		ip addr add 10.0.2.15/24 brd + dev eth0 &&
		ip route add default via 10.0.2.2 &&
		echo eth0 > /sys/module/kho_netcfg/parameters/ifname &&
		echo 10.0.2.3 > /sys/module/kho_netcfg/parameters/dns &&
		echo $(($(date +%s) + 86400)) > $lease_file &&
		cat $lease_file > /sys/module/kho_netcfg/parameters/lease_expires
}

# memfree: MemFree in kB, with the page cache dropped, plus the free
# pages of the per-CPU lists (4 KiB each: x86-64), which MemFree does not
# count: they hold megabytes that come and go with what ran last (in a
# 20-kexec run MemFree alone ranged over 851,184-863,264 kB, kernel 21's
# 1.4% above kernel 1's).
memfree() {
	local kb pcp

	sync
	echo 3 > /proc/sys/vm/drop_caches
	kb=$(sed -n 's/^MemFree: *\([0-9]*\) kB$/\1/p' /proc/meminfo)
	pcp=$(pcp_pages)
	echo "MemFree $kb kB, $pcp page(s) on the per-CPU lists" > /tmp/memfree.parts
	echo $((kb + pcp * 4))
}

# memfree_within_1pct: this kernel's free memory is within 1% of kernel 1's.
memfree_within_1pct() {
	local first last diff

	first=$(cat /chain/memfree.1)
	last=$(cat /chain/memfree.$STAGE)
	diff=$((last - first))
	echo "kernel 1: $first kB, kernel $STAGE: $last kB, difference $diff kB"
	[ "$first" -gt 0 ] && [ $((diff < 0 ? -diff : diff)) -le $((first / 100)) ]
}

chain_stage() {
	local s=$STAGE hops

	hops=$(khoreg_arg hops)
	hops=${hops:-$HOPS}

	if [ "$s" = 1 ]; then
		mkdir -p /chain
		check "configure eth0 and name it to kho_netcfg" netcfg_setup
	else
		check "kernel $((s - 1))'s sub-blobs arrived byte for byte" blobs_arrived
		check "kernel $((s - 1))'s registry fields arrived byte for byte" fields_arrived
		check "kho_netcfg configured eth0 as kernel 1 set it up" netcfg_ok
	fi
	check "kho_counter: boots=$s ticks=$s label=chain" counter_ok "$s"
	check "kho_buffer: $kb_size bytes on kernel 1's pages, checksums matching" \
		buffer_ok "$s"
	check "kho_versioning: v2 state of $((s - 1)) kexec(s)" versioning_ok "$s"
	if [ $((s % 2)) = 1 ]; then
		check "kho_test_compat preserves $ktc_mem bytes of folios" compat_ok "$s"
	else
		check "kho_test_compat restores kernel $((s - 1))'s folios, checksum matching" \
			compat_ok "$s"
	fi
	[ "$s" = 1 ] || check "finish the handover" sh -c 'echo 1 > /sys/firmware/kho/finish'
	memfree > /chain/memfree.$s
	diag "kernel $s: $(cat /chain/memfree.$s) kB free ($(cat /tmp/memfree.parts))"
	if [ "$s" -gt "$hops" ]; then
		check "free memory after $hops kexecs is within 1% of kernel 1's" \
			memfree_within_1pct
		say "every sample survived $hops kexecs"
		return
	fi
	check "finalize" sh -c 'echo 1 > /sys/kernel/kho/finalize'
	check "keep a copy of what kernel $s hands over" keep_handover
	say "kernel $s: samples restored and handed on; kexec"
	kexec_next
}

s=1
while [ $s -le $((HOPS + 1)) ]; do
	eval "stage$s() { chain_stage; }"
	s=$((s + 1))
done

# console_clean LOG: LOG holds the boots of a chain of kernels, and no
# warning, BUG or oops.
console_clean() {
	local boots

	boots=$(grep -c 'Linux version ' "$1")
	echo "$boots kernel boot(s) in $1"
	[ "$boots" -gt 1 ] &&
		! grep -E 'WARNING:|BUG:|Oops|general protection fault|Kernel panic|Call Trace' "$1"
}

host_checks() {
	host_check "the console log of every kernel of the chain has no warning, BUG or oops" \
		console_clean "$1/console.log"
}
