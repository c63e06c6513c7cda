# SPDX-License-Identifier: GPL-2.0-only
#
# trace-preserve: the instance "keep" lives in memory that KHO hands over
# (trace_instance=keep@kho:4M). Kernel 1 writes numbered trace markers from
# each CPU, each after a fork traced by sched_process_fork; kernel 2 finds
# them, with the fork events, in order per CPU in the read-only keep-prev,
# writes its own markers to its new "keep" and deletes keep-prev, which
# gives its memory back (its vmalloc area leaves /proc/vmallocinfo);
# kernel 3 sees kernel 2's markers and none of kernel 1's.
# khoreg-vm: append=trace_instance=keep@kho:4M

T=/sys/kernel/tracing
NCPU=$(nproc)


# write_markers TAG: on each CPU, a shell forks a child and writes marker
# "TAG-cCPU-N CHILD_PID", three times, with sched_process_fork enabled
# only meanwhile.
write_markers() {
	local cpu=0 ev=$T/instances/keep/events/sched/sched_process_fork/enable

	while [ $cpu -lt $NCPU ]; do
		taskset -c $cpu sh -c "echo 1 > $ev
			for i in 1 2 3; do
				: & wait \$!
				echo $1-c$cpu-\$i \$! > $T/instances/keep/trace_marker
			done
			echo 0 > $ev"
		cpu=$((cpu + 1))
	done
}

# cpu_events INSTANCE CPU: the markers and the forks (but kthreadd's) on one
# CPU, in order: "fork PID" and "mark TAG-cCPU-N PID".
cpu_events() {
	grep -v 'sched_process_fork: parent_comm=kthreadd ' $T/instances/$1/per_cpu/cpu$2/trace |
		sed -n -e 's/.*tracing_mark_write: /mark /p' \
		-e 's/.*sched_process_fork: .* child_pid=0x[0-9a-f]* (\([0-9]*\))$/fork \1/p'
}

# expected TAG CPU GOT: what cpu_events shows for write_markers TAG on CPU,
# with the child pids the markers in file GOT name.
expected() {
	local i pid

	for i in 1 2 3; do
		pid=$(sed -n "s/^mark $1-c$2-$i \([0-9]*\)$/\1/p" $3)
		echo "fork $pid"
		echo "mark $1-c$2-$i $pid"
	done
}

# check_cpus INSTANCE TAG: every CPU shows exactly what write_markers TAG wrote.
check_cpus() {
	local cpu=0

	while [ $cpu -lt $NCPU ]; do
		cpu_events $1 $cpu > /tmp/got
		expected $2 $cpu /tmp/got > /tmp/want
		check "$1 on CPU $cpu: markers $2-c$cpu-1..3 after their forks, in order" \
			cmp /tmp/want /tmp/got
		if ! cmp -s /tmp/want /tmp/got; then
			diag "got: $(tr '\n' '|' < /tmp/got)"
		fi
		cpu=$((cpu + 1))
	done
}

tag() { cut -c1-8 /proc/sys/kernel/random/boot_id; }

# prev_buffer N: /proc/vmallocinfo lists N areas of 1024 pages that
# vmap() mapped to hand their pages back on vfree() (as
# kho_restore_vmalloc() maps a restored area), and the 4 MiB instance
# keep is listed there too, as an ordinary vmalloc area.
prev_buffer() {
	grep ' pages=1024 ' /proc/vmallocinfo
	[ "$(grep -c ' pages=1024 vmap' /proc/vmallocinfo)" = "$1" ] &&
		grep -q ' pages=1024 vmalloc' /proc/vmallocinfo
}

stage1() {
	check "the VM has two CPUs" [ "$NCPU" -ge 2 ]
	check "instance keep was created on KHO memory" sh -c \
		"dmesg | grep -q 'instance keep: 4096 KiB ring buffer handed over'"
	check "this is not a KHO boot: keep but no keep-prev" \
		[ -d $T/instances/keep -a ! -d $T/instances/keep-prev ]
	write_markers "k1-$(tag)"
	say "wrote markers k1-$(tag)-cCPU-1..3 from each CPU into instance keep; kexec"
	kexec_next "khoreg.tag1=k1-$(tag)"
}

stage2() {

	check "keep-prev exists" [ -d $T/instances/keep-prev ]
	check "a new keep exists for the next kernel" [ -d $T/instances/keep ]
	check "the restore is logged" sh -c \
		"dmesg | grep -q 'keep-prev: restored 4096 KiB'"
	check_cpus keep-prev "$(khoreg_arg tag1)"
	khoctl show /sys/firmware/kho > /tmp/show 2>&1
	check "khoctl show reads kernel 1's trace setup: keep, 4 MiB, its buffer handed over" \
		grep -qx '  keep: 4194304 bytes, buffer handed over, tracing on' /tmp/show
	grep '^trace\|^  keep' /tmp/show | while IFS= read -r line; do diag "$line"; done
	say "keep-prev shows kernel 1's markers in order on each CPU:"
	grep tracing_mark_write $T/instances/keep-prev/trace | while IFS= read -r line; do
		say "  $line"
	done
	# The kernel moved (KASLR): 6.12 prints the previous boot's events
	# field by field, as pointers in their print formats are stale.
	check "fork events are decoded field by field" grep -q \
		'sched_process_fork: parent_comm=sh parent_pid=0x[0-9a-f]* ([0-9]*) child_comm=sh' \
		$T/instances/keep-prev/trace
	check "the new keep is empty" \
		lacks $T/instances/keep/trace tracing_mark_write '^# tracer:'
	check "keep-prev refuses tracing_on" write_refused $T/instances/keep-prev/tracing_on 1
	check "keep-prev refuses markers" write_refused $T/instances/keep-prev/trace_marker x
	grep -v '^#' $T/instances/keep-prev/trace > /tmp/read1
	grep -v '^#' $T/instances/keep-prev/trace > /tmp/read2
	check "keep-prev reads the same twice" cmp /tmp/read1 /tmp/read2

	write_markers "k2-$(tag)"
	# keep-prev's buffer: the 4 MiB area kho_restore_vmalloc() mapped, with
	# its pages (VM_MAP_PUT_PAGES: vfree() frees them).
	check "keep-prev's buffer is a restored 4 MiB vmalloc area" prev_buffer 1
	check "keep-prev can be deleted" rmdir $T/instances/keep-prev
	check "deleting keep-prev freed its buffer's area and pages" prev_buffer 0
	kexec_next "khoreg.tag2=k2-$(tag)"
}

stage3() {
	check_cpus keep-prev "$(khoreg_arg tag2)"
	check "none of kernel 1's markers, but kernel 2's" lacks \
		$T/instances/keep-prev/trace "$(khoreg_arg tag1)" "$(khoreg_arg tag2)"
}
