# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: append=trace_instance=keep@kho:1M
#
# tour: what `make run` shows, in a few plain lines a kernel. Kernel 1:
# the samples register their state in the registry (kho_counter's counter,
# kho_buffer's 4 MiB buffer), a trace marker goes into the trace instance
# "keep" (on memory KHO hands over), `khoctl show` prints the pending
# handover, and kexec. Kernel 2: the counter and the buffer restored, the
# registry it received under /sys/firmware/kho, the marker in the previous
# kernel's trace (keep-prev), and what finishing the handover gave back to
# the page allocator. Each line it shows is checked too.

reg=/sys/kernel/kho/registry
T=/sys/kernel/tracing

logged() { dmesg | grep -qF "$1"; }
# field ENTRY NAME: a field's value, without its type.
field() { cut -d' ' -f2- "$1/fields/$2"; }
# summary KEY: a value of /sys/firmware/kho/summary.
summary() { sed -n "s/^$1 //p" /sys/firmware/kho/summary; }

stage1() {
	local marker

	say "booted Linux $(uname -r); KHO enabled: $(cat /sys/kernel/kho/enabled)"
	check "kho_counter registers its counter" modprobe kho_counter label=tour
	check "bump the counter" sh -c 'echo 1 > /sys/module/kho_counter/parameters/bump'
	check "the counter is in the registry" [ "$(field $reg/counter ticks)" = 1 ]
	say "kho_counter registered 'counter': boots=$(field $reg/counter boots)" \
		"ticks=$(field $reg/counter ticks) label=$(field $reg/counter label)"
	check "kho_buffer registers its buffer" modprobe kho_buffer size=4194304
	check "the buffer is in the registry" [ "$(field $reg/buffer size)" = 4194304 ]
	say "kho_buffer registered 'buffer': 4 MiB in place," \
		"$(field $reg/buffer nr_folios) folios + a page range + a vmalloc area, checksummed"
	marker="hello from kernel 1, boot id $(cut -c1-8 /proc/sys/kernel/random/boot_id)"
	check "instance keep is on handed-over memory" [ -d $T/instances/keep ]
	check "write a trace marker" sh -c "echo '$marker' > $T/instances/keep/trace_marker"
	say "trace marker in instance 'keep': \"$marker\""
	echo "$marker" > /tour-marker
	kexec_load_next
	check "kexec_file_load finalized the handover" \
		[ "$(cat /sys/kernel/kho/state)" = loaded ]
	check "khoctl shows the pending handover" \
		sh -c 'khoctl show /sys/kernel/kho > /tmp/show'
	say "khoctl show /sys/kernel/kho (the pending handover; fields and folios left out):"
	grep -Ev '^[[:space:]]+(order [0-9]+:|folio[0-9]+:|[a-z0-9]+ [a-z0-9_]+ = )' /tmp/show |
		while IFS= read -r line; do
			say "  $line"
		done
	say "kexec"
	kexec_exec_next
}

stage2() {
	local counter released

	say "booted Linux $(uname -r) through the handover"
	check "kho_counter restores the counter" modprobe kho_counter
	check "it restored boots=1 ticks=1" \
		logged 'kho_counter: restored boots=1 ticks=1 label=tour'
	counter="boots=$(field $reg/counter boots) ticks=$(field $reg/counter ticks)"
	say "counter restored: $counter label=$(field $reg/counter label)"
	check "kho_buffer restores the buffer" modprobe kho_buffer
	check "in place, checksums matching" \
		logged 'kho_buffer: restored 4194304 bytes in place after 1 kexec'
	say "$(dmesg | sed -n 's/.*kho_buffer: \(restored .*\)/buffer \1/p' | head -n 1)"
	say "registry received under /sys/firmware/kho/registry:"
	for e in /sys/firmware/kho/registry/*/; do
		e=${e%/}
		[ -f "$e/compatible" ] || continue
		say "  ${e##*/}: $(cat $e/compatible), $(ls $e/fields | wc -l) fields," \
			"claimed=$(cat $e/claimed)"
	done
	check "the previous kernel's trace is in keep-prev" [ -d $T/instances/keep-prev ]
	check "it holds kernel 1's marker" \
		grep -qF "$(cat /tour-marker)" $T/instances/keep-prev/trace
	say "kernel 1's trace (keep-prev):" \
		"$(grep -m 1 tracing_mark_write $T/instances/keep-prev/trace | sed 's/^ *//')"
	check "finish the handover" sh -c 'echo 1 > /sys/firmware/kho/finish'
	released=$(summary released_pages)
	check "finishing returned pages to the allocator" [ "$released" -gt 0 ]
	say "finish: $released page(s) ($((released * 4)) KiB) nobody restored" \
		"went back to the page allocator; $(summary restored_pages) page(s) were restored"
}
