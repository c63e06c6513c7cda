# SPDX-License-Identifier: GPL-2.0-only
#
# trace-corrupt: a damaged trace buffer costs only its own CPU's events.
# Kernel 1 writes markers on CPU 0 and CPU 1 into the handed-over instances
# "keep" and "spare", then damages the meta data of keep's CPU 0 buffer;
# kernel 2 logs it once, shows nothing in keep-prev's CPU 0, all of its
# CPU 1 and all of spare-prev. Kernel 2 does the same with keep's CPU 0
# sub-buffers (an event of impossible length); kernel 3 logs that and
# still reads keep-prev's CPU 1 and spare-prev.
# khoreg-vm: append=trace_instance=keep@kho:1M trace_instance=spare@kho:1M

T=/sys/kernel/tracing

markers() { sed -n 's/.*tracing_mark_write: //p' "$1" | tr '\n' ' '; }

# write_and_damage TAG ACTION
write_and_damage() {
	taskset -c 0 sh -c "for i in 1 2 3; do
		echo $1-keep-\$i > $T/instances/keep/trace_marker
		echo $1-spare-\$i > $T/instances/spare/trace_marker; done"
	taskset -c 1 sh -c "for i in 1 2 3; do
		echo $1-keep-c1-\$i > $T/instances/keep/trace_marker; done"
	check "trace_kho_selftest damages keep's CPU 0 buffer ($2)" \
		modprobe trace_kho_selftest instance=keep cpu=0 action=$2
}

# survived TAG WHY: keep-prev's CPU 0 is empty, its CPU 1 and spare-prev
# are whole, and the log says WHY once.
survived() {
	check "keep-prev exists" [ -d $T/instances/keep-prev ]
	check "keep-prev's CPU 0 buffer was discarded" \
		[ -z "$(grep -v '^#' $T/instances/keep-prev/per_cpu/cpu0/trace)" ]
	check "one log line says why" [ "$(dmesg | grep -c "$2")" = 1 ]
	check "the restore log counts 0 events on keep-prev's CPU 0" \
		sh -c "dmesg | grep -q 'keep-prev: CPU 0: 0 event(s)'"
	dmesg | grep -e "$2" -e 'trace_kho: .*-prev' | while IFS= read -r line; do
		diag "$line"
	done
	check "keep-prev's CPU 1 buffer still reads, in order" \
		[ "$(markers $T/instances/keep-prev/per_cpu/cpu1/trace)" = \
		  "$1-keep-c1-1 $1-keep-c1-2 $1-keep-c1-3 " ]
	check "spare-prev shows its markers in order" \
		[ "$(markers $T/instances/spare-prev/per_cpu/cpu0/trace)" = \
		  "$1-spare-1 $1-spare-2 $1-spare-3 " ]
	check "keep-prev can be deleted" rmdir $T/instances/keep-prev
}

stage1() {
	write_and_damage k1 corrupt-meta
	kexec_next
}

stage2() {
	survived k1 'Ring buffer boot meta \[0\] head buffer out of range'
	write_and_damage k2 corrupt-page
	kexec_next
}

stage3() {
	survived k2 'Ring buffer meta \[0\] invalid buffer page'
}
