# SPDX-License-Identifier: GPL-2.0-only
#
# trace-early: the handover carries the tracing configuration. Kernel 1
# (no trace_instance= on its command line) creates the instance "early"
# through /sys/kernel/tracing/kho_instances, enables sched_process_fork
# in it and changes two of its trace options; kernel 2 creates "early"
# again before any initcall, with the event on and those options, so its
# trace starts with the forks of kernel 2's own boot: swapper forking pid 1
# (init) and pid 2 (kthreadd), long before the initramfs.

T=/sys/kernel/tracing
E=$T/instances/early

stage1() {
	check "kho_instances creates a handed-over instance" \
		sh -c "echo 'early 1M' > $T/kho_instances"
	check "kho_instances lists it" grep -qx 'early 1048576' $T/kho_instances
	check "a second one of that name is refused (EEXIST)" \
		write_refused $T/kho_instances 'early 1M' 'File exists'
	check "it cannot be deleted" rmdir_refused $E
	check "sched_process_fork is enabled in it" \
		sh -c "echo 1 > $E/events/sched/sched_process_fork/enable"
	check "it records forks" sh -c "sh -c true; grep -q sched_process_fork $E/trace"
	check "trace options noirq-info and sym-offset are set in it" sh -c \
		"echo noirq-info > $E/trace_options && echo sym-offset > $E/trace_options"
	kexec_next
}

stage2() {
	local first

	check "early was created again" [ -d $E ]
	check "it is handed over again" grep -qx 'early 1048576' $T/kho_instances
	check "the log says the handover configured it" sh -c \
		"dmesg | grep 'early: configured by the handover: 1 event(s), ' |
			grep -q ' option(s), tracing on'"
	check "no option failed" log_lacks 'cannot set trace option'
	check "irq-info is off, as handed over" [ "$(cat $E/options/irq-info)" = 0 ]
	check "sym-offset is on, as handed over" [ "$(cat $E/options/sym-offset)" = 1 ]
	check "other options keep their defaults" [ "$(cat $E/options/print-parent)" = 1 ]
	check "sched_process_fork is enabled" \
		[ "$(cat $E/events/sched/sched_process_fork/enable)" = 1 ]
	check "nothing else is enabled" \
		[ "$(cat $E/events/sched/sched_process_exec/enable)" = 0 ]
	first=$(grep -v '^#' $E/trace | head -n 2 | sed 's/.*sched_process_fork: //')
	diag "first events: $(echo "$first" | tr '\n' '|')"
	check "the trace starts with swapper forking init and kthreadd" [ "$first" = \
		"$(printf '%s\n%s' 'comm=swapper/0 pid=0 child_comm=swapper/0 child_pid=1' \
			'comm=swapper/0 pid=0 child_comm=swapper/0 child_pid=2')" ]
	check "early-prev holds kernel 1's forks" \
		grep -q sched_process_fork $T/instances/early-prev/trace
}
