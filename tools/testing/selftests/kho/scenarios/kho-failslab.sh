# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: named-only alloc-fails timeout=1800
# khoreg-arch: x86_64: the sanitizer kernel (config.sanitize) is built for x86-64 only
#
# kho-failslab: allocation failures on purpose, on the sanitizer kernel
# (suite sanitize: fault injection is in config.sanitize only).  Each step
# runs once with its 1st allocation failing, once with its 2nd, and so on
# (/proc/PID/fail-nth, failslab and fail_page_alloc, GFP_KERNEL and order 0
# included), until a run completes without reaching the N-th: kernel 1
# loads kho_counter (a registry entry) and kho_buffer (folios, a range and
# a vmalloc area preserved), counting only allocations made under the
# module's code, then finalizes; kernel 2 loads both again, which restores
# them.  A failed load must leave nothing behind (modprobe's second try,
# without a failure, succeeds; in kernel 2 it restores what the failed one
# claimed and gave back), a failed finalize must leave the handover
# idle, and a later attempt without failures must succeed; the harness
# fails the scenario on any oops or warning, and the sanitizer suite on
# any kmemleak report.

FI=/sys/kernel/debug
# The failures each step may inject at most (the injector's "times").
FI_TIMES=100000
# Where x86-64 loads modules (MODULES_VADDR with KASLR, MODULES_END).
FI_MODULES_START=0xffffffffc0000000
FI_MODULES_END=0xffffffffff000000
# Steps that never complete within this many allocations fail.
FI_MAX=1000
# kho_buffer's load makes some 500 allocations (its entries' sysfs
# files, the vmalloc area's pages): it fails every 10th, to keep the
# scenario within minutes under TCG.
KB_STEP=10
KB_ARGS="size=1048576"

kho_state() { cat /sys/kernel/kho/state; }

# fi_setup: make failslab and fail_page_alloc inject into GFP_KERNEL and
# order-0 allocations too, one log line a failure (a stack dump would be
# taken for a crash), at most FI_TIMES.
fi_setup() {
	local a

	for a in failslab fail_page_alloc; do
		echo N > $FI/$a/ignore-gfp-wait || return
		echo 1 > $FI/$a/verbose || return
	done
	echo 0 > $FI/fail_page_alloc/min-order
}

# fi_filter START END: count only allocations with a return address in
# [START, END) on their stack.
fi_filter() {
	local a

	for a in failslab fail_page_alloc; do
		echo "$1" > $FI/$a/require-start || return
		echo "$2" > $FI/$a/require-end || return
	done
}

# fi_left: how many failures the injectors may still inject.
fi_left() {
	echo $(($(cat $FI/failslab/times) + $(cat $FI/fail_page_alloc/times)))
}

# fi_run N CMD: run the shell command CMD in a shell whose N-th counted
# allocation fails (the shell's own, or with exec, its program's); sets
# $rc (CMD's status) and $injected (how many failures were injected).
fi_run() {
	local a

	for a in failslab fail_page_alloc; do
		echo $FI_TIMES > $FI/$a/times
	done
	sh -c 'echo "$1" > /proc/self/fail-nth && eval "$2"' sh "$1" "$2" > /tmp/fi.out 2>&1
	rc=$?
	injected=$((2 * FI_TIMES - $(fi_left)))
}

# fi_sweep WHAT KIND STEP UNDO CMD: run the shell command CMD with its
# 1st, (1 + STEP)-th, ... counted allocation failing until it completes
# with none injected.  After a run that succeeded, UNDO (a shell command) takes it
# back.  KIND_check checks what a run left, KIND_state shows it.  Sets
# $runs and $failed (how many runs saw a failure injected, and CMD fail).
fi_sweep() {
	local what="$1" kind="$2" step="$3" undo="$4" cmd="$5" n=$((1 - $3))

	runs=0 failed=0
	while [ $n -lt $FI_MAX ]; do
		n=$((n + step))
		fi_run "$n" "$cmd"
		[ "$injected" -gt 0 ] || break
		runs=$((runs + 1))
		if ! "${kind}_check"; then
			diag "$what: allocation $n failed, status $rc; then: $("${kind}_state")"
			return 1
		fi
		if [ "$rc" -ne 0 ]; then
			failed=$((failed + 1))
		else
			eval "$undo"
		fi
	done
	diag "$what: $runs run(s) with a failed allocation, $failed of them failed"
	[ "$injected" -eq 0 ] && [ "$rc" -eq 0 ] && [ "$runs" -gt 0 ]
}

# A module step leaves the module loaded: busybox's modprobe tries
# finit_module() and, when that fails, init_module(), which has no failure
# left to inject and succeeds only if the failed load left nothing behind.
module_check() {
	[ "$rc" -eq 0 ] && grep -q "^$mod " /proc/modules
}
module_state() {
	grep "^$mod " /proc/modules || echo "$mod not loaded"
	tail -n 3 /tmp/fi.out
}

# module_sweep STEP MODULE [ARGS...]: fi_sweep of loading MODULE; it
# stays loaded after the last, complete run.
module_sweep() {
	mod=$2
	fi_sweep "loading $mod" module "$1" "rmmod $mod" "exec modprobe $2 ${3:-}"
}

# A finalize step leaves the handover finalized (rc 0) or idle.
finalize_check() {
	if [ "$rc" -eq 0 ]; then
		[ "$(kho_state)" = finalized ]
	else
		[ "$(kho_state)" = idle ]
	fi
}
finalize_state() {
	echo "state $(kho_state), last error: $(cat /sys/kernel/kho/last_error)"
}

stage1() {
	check "fault injection is there: /proc/self/fail-nth" [ -w /proc/self/fail-nth ]
	check "failslab and fail_page_alloc reach GFP_KERNEL and order 0" fi_setup
	check "they count allocations under a module's code" \
		fi_filter $FI_MODULES_START $FI_MODULES_END
	check "a load of kho_counter fails at every allocation in turn, cleanly" \
		module_sweep 1 kho_counter label=failslab
	check "a load of kho_buffer fails at every allocation in turn, cleanly" \
		module_sweep $KB_STEP kho_buffer $KB_ARGS
	check "the registry holds both entries" \
		[ -d /sys/kernel/kho/registry/counter -a -d /sys/kernel/kho/registry/buffer ]
	check "they count every allocation of the finalizing task" \
		fi_filter 0 18446744073709551615
	check "finalize fails at every allocation in turn, back to idle" \
		fi_sweep "the finalize" finalize 1 'echo 0 > /sys/kernel/kho/finalize' \
		'echo 1 > /sys/kernel/kho/finalize'
	check "the last finalize, with no failure, succeeded" [ "$(kho_state)" = finalized ]
	say "every failed allocation while preserving and finalizing was undone; kexec"
	# Kernel 2's sweeps outlast the default 300 s before a handover
	# finishes, after which nothing can be restored (-ESTALE).
	kexec_next kho_finish_timeout=3600
}

stage2() {
	check "this is a KHO boot" [ -d /sys/firmware/kho ]
	check "it can hand over (kho_buffer preserves again): scratch is reserved" \
		[ "$(cat /sys/kernel/kho/enabled)" = 1 ]
	check "failslab and fail_page_alloc reach GFP_KERNEL and order 0" fi_setup
	check "they count allocations under a module's code" \
		fi_filter $FI_MODULES_START $FI_MODULES_END
	check "a restoring load of kho_counter fails at every allocation in turn, cleanly" \
		module_sweep 1 kho_counter
	dmesg | grep 'kho_counter: ' | tail -n 3 | while IFS= read -r line; do diag "$line"; done
	# The first failed load claimed the entry and gave it back
	# (khoreg_unclaim()), so modprobe's second try restored it too.
	check "after the first failed load, the counter was restored again" \
		sh -c "[ \$(dmesg | grep -c 'kho_counter: restored boots=') -ge 2 ]"
	check "a restoring load of kho_buffer fails at every allocation in turn, cleanly" \
		module_sweep $KB_STEP kho_buffer $KB_ARGS
	dmesg | grep 'kho_buffer: ' | tail -n 3 | while IFS= read -r line; do diag "$line"; done
	check "after the first failed load, the buffer was restored" \
		sh -c "dmesg | grep -q 'kho_buffer: restored [0-9]* bytes in place'"
	check "failures were injected: the kernel logged them" \
		sh -c "dmesg | grep -q 'FAULT_INJECTION: forcing a failure'"
	check "finish the handover" sh -c 'echo 1 > /sys/firmware/kho/finish'
	check "unload kho_buffer" rmmod kho_buffer
	check "unload kho_counter" rmmod kho_counter
	say "every failed allocation while restoring was undone"
}
