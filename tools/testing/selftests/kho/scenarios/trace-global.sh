# SPDX-License-Identifier: GPL-2.0-only
#
# trace-global: the top-level trace buffer (/sys/kernel/tracing/trace)
# across kexec. Kernel 1 hands it over (trace_kho_global=2M), enables
# sched_process_fork in it, turns print-parent off and irq-info on and
# writes markers from each CPU. Kernel 2 (without trace_kho_global=) shows
# them in order per CPU in global-prev; the handover alone puts its
# top-level buffer on handed-over memory again, with the event on from
# early boot and print-parent off, but irq-info off, as its trace_options=
# says (the command line wins). Kernel 3 gets trace_kho_global=1M: the
# command line chooses the size and the handover's configuration is not
# applied. trace_clock=global: under TCG the sched clock is unstable, and
# 6.12 then switches the top-level buffer to that clock at late_initcall,
# which clears it, unless trace_clock= chose a clock.
# khoreg-vm: append=trace_kho_global=2M trace_options=noirq-info trace_clock=global

T=/sys/kernel/tracing
NCPU=$(nproc)

tag() { cut -c1-8 /proc/sys/kernel/random/boot_id; }

# write_markers TAG: markers TAG-cCPU-1..3 from each CPU
write_markers() {
	local cpu=0

	while [ $cpu -lt $NCPU ]; do
		taskset -c $cpu sh -c "for i in 1 2 3; do
			echo $1-c$cpu-\$i > $T/trace_marker; done"
		cpu=$((cpu + 1))
	done
}

# check_markers TAG: global-prev shows them in order on each CPU
check_markers() {
	local cpu=0 got

	while [ $cpu -lt $NCPU ]; do
		got=$(sed -n 's/.*tracing_mark_write: //p' \
			$T/instances/global-prev/per_cpu/cpu$cpu/trace | tr '\n' ' ')
		check "global-prev on CPU $cpu: markers $1-c$cpu-1..3 in order" \
			[ "$got" = "$1-c$cpu-1 $1-c$cpu-2 $1-c$cpu-3 " ]
		[ "$got" = "$1-c$cpu-1 $1-c$cpu-2 $1-c$cpu-3 " ] || diag "got: $got"
		cpu=$((cpu + 1))
	done
}

opt() { cat $T/options/$1; }
fork_on() { cat $T/events/sched/sched_process_fork/enable; }

stage1() {
	check "the VM has two CPUs" [ "$NCPU" -ge 2 ]
	check "the top-level buffer is on KHO memory" sh -c \
		"dmesg | grep -q 'top-level buffer global: 2048 KiB ring buffer handed over'"
	check "kho_instances lists it" grep -qx 'global 2097152' $T/kho_instances
	check "an instance cannot be named global (EINVAL)" \
		write_refused $T/kho_instances 'global 1M' 'Invalid argument'
	check "a buffer on a memory range has no snapshot" [ -e $T/trace -a ! -e $T/snapshot ]
	check "trace_options=noirq-info applied" [ "$(opt irq-info)" = 0 ]
	echo 1 > $T/events/sched/sched_process_fork/enable
	echo noprint-parent > $T/trace_options
	echo irq-info > $T/trace_options
	write_markers "g1-$(tag)"
	say "wrote markers g1-$(tag)-cCPU-1..3 into the top-level buffer; kexec"
	KEXEC_DROP=trace_kho_global kexec_next "khoreg.tag1=g1-$(tag)"
}

stage2() {
	local first

	check "global-prev exists" [ -d $T/instances/global-prev ]
	check "the restore is logged" sh -c \
		"dmesg | grep -q 'global-prev: restored 2048 KiB'"
	check_markers "$(khoreg_arg tag1)"
	say "global-prev shows kernel 1's top-level markers:"
	grep tracing_mark_write $T/instances/global-prev/trace | while IFS= read -r line; do
		say "  $line"
	done
	check "the handover put the top-level buffer on KHO memory again" \
		grep -qx 'global 2097152' $T/kho_instances
	check "the log says the handover configured it" sh -c \
		"dmesg | grep 'global: configured by the handover: 1 event(s), ' |
			grep -q ' option(s), tracing on'"
	check "sched_process_fork is enabled" [ "$(fork_on)" = 1 ]
	check "print-parent is off, as handed over" [ "$(opt print-parent)" = 0 ]
	check "irq-info is off: trace_options= wins over the handover" \
		[ "$(opt irq-info)" = 0 ]
	first=$(grep -v '^#' $T/trace | head -n 2 | sed 's/.*sched_process_fork: //')
	diag "first events: $(echo "$first" | tr '\n' '|')"
	check "the top-level trace starts with swapper forking init and kthreadd" \
		[ "$first" = "$(printf '%s\n%s' \
			'comm=swapper/0 pid=0 child_comm=swapper/0 child_pid=1' \
			'comm=swapper/0 pid=0 child_comm=swapper/0 child_pid=2')" ]
	check "global-prev refuses tracing_on" \
		write_refused $T/instances/global-prev/tracing_on 1
	write_markers "g2-$(tag)"
	kexec_next "trace_kho_global=1M khoreg.tag2=g2-$(tag)"
}

stage3() {
	check "the log says the command line configured it" sh -c \
		"dmesg | grep -q 'global: configured by the command line'"
	check "trace_kho_global=1M sets the size" \
		grep -qx 'global 1048576' $T/kho_instances
	check "the handover's events are not applied" [ "$(fork_on)" = 0 ]
	check "nor its options" [ "$(opt print-parent)" = 1 ]
	check_markers "$(khoreg_arg tag2)"
	check "none of kernel 1's markers, but kernel 2's" lacks \
		$T/instances/global-prev/trace "$(khoreg_arg tag1)" "$(khoreg_arg tag2)"
	check "global-prev can be deleted" rmdir $T/instances/global-prev
}
