#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run every khoreg test suite and report one KTAP document, closed by the
# line "N passed, N failed" (leaf tests, plus one failure for each suite or
# subtest that exited non-zero, printed a different number of results than
# its plan, or says "not ok" with no failed test below it: see ktap_walk in
# tools/testing/selftests/kho/vm/ktap.sh).  Exit status 0 when 0 failed.
# KHOREG_CHECK_OUT: where the results go (default build/check).
# Expects `make kernel tools` to have run for every architecture of
# KHO_ARCHS (the Makefile's check target does).  The VM scenarios run once
# per architecture: suite vm on x86_64, vm-arm64 on arm64 with the
# scenario it supports (or those of KHO_ARM64_SCENARIOS).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$TOP/tools/testing/selftests/kho/vm/ktap.sh"

out=${KHOREG_CHECK_OUT:-$BUILD/check}
mkdir -p "$out"
rm -f "$out/totals"
# The default suites: the VM ones once per architecture of KHO_ARCHS.
# KHOREG_CHECK_SUITES="vm builtin" runs only the suites named.
# The longest first (the sanitizer kernel's build and scenarios, arm64's
# scenarios, then the series' checkpatch): they start first when suites
# run side by side (below).
x86=0 arm64=0
for a in ${KHO_ARCHS:-x86_64 arm64}; do
	case $a in
	x86_64) x86=1 ;;
	arm64) arm64=1 ;;
	*) die "KHO_ARCHS: $a is not supported (x86_64, arm64)" ;;
	esac
done
default=()
[ $x86 = 0 ] || default+=(sanitize)
[ $arm64 = 0 ] || default+=(vm-arm64)
default+=(series)
[ $x86 = 0 ] || default+=(vm builtin)
default+=(scripts graph libkhoreg harness)
# A suite may also be the path of an executable that prints KTAP (it is
# named after the file); the harness self-test runs fake suites that way.
read -ra suites <<< "${KHOREG_CHECK_SUITES:-${default[*]}}"
# Empty: every scenario; those that cannot run on arm64 are reported as
# skipped with their reason.
KHO_ARM64_SCENARIOS=${KHO_ARM64_SCENARIOS:-}

# in_tree CMD...: run CMD holding $BUILD/tree.lock.  Suites run side by side
# (below); those that assemble or export the kernel tree (mk/assemble.sh
# and the git index of mk/series.sh) take turns.
in_tree() {
	flock "$BUILD/tree.lock" "$@"
}

suite_series() {
	local log=$out/series.log

	in_tree "$TOP/mk/series.sh" > "$log" 2>&1
	echo "KTAP version 1"
	echo "1..2"
	if grep -q '^==> the series applies with git am' "$log"; then
		echo "ok 1 make series: patches apply with git am to pristine Linux $(tree_version "$SRC")"
	else
		echo "not ok 1 make series: patches apply with git am to pristine Linux $(tree_version "$SRC")"
		tail -n 20 "$log" | sed 's/^/# /'
	fi
	if grep -q '^==> checkpatch --strict: clean' "$log"; then
		echo "ok 2 make series: checkpatch --strict clean"
	else
		echo "not ok 2 make series: checkpatch --strict clean"
		grep -E '^(checkpatch:|ERROR|WARNING|CHECK)' "$log" | head -n 30 | sed 's/^/# /'
	fi
}

suite_scripts() {
	"$TOP/mk/selftest.sh"
}

# Issue 15: data flows one way. No file of these directories includes or
# calls, directly or through others, a file that includes or calls it.
suite_graph() {
	(cd "$TOP" && mk/graph-check.py --ktap kernel/kho tools/kho tools/lib/khoreg)
}

suite_libkhoreg() {
	make -s -C "$TOP/tools/lib/khoreg" check
}

suite_harness() {
	"$TOP/tools/testing/selftests/kho/vm/selftest.sh"
}

suite_vm() {
	ARCH=x86_64 "$TOP/tools/testing/selftests/kho/vm/run.sh" --ktap-only
}

suite_vm-arm64() {
	# shellcheck disable=SC2086 # a list of scenario names
	ARCH=arm64 "$TOP/tools/testing/selftests/kho/vm/run.sh" --ktap-only \
		$KHO_ARM64_SCENARIOS
}

# Issue 8: every sample also builds built in.  mk/kernel.sh builtin builds
# the test kernel with all of samples/kho =y in its own object tree; each
# sample's init function must be an initcall (of any level) of that
# vmlinux, and a boot with initcall_debug (scenario sample-builtin) must
# see each return 0.
suite_builtin() {
	local obj=$SRC/obj-builtin-$ARCH log=$out/builtin-build.log start=$SECONDS
	local boot=$out/builtin-boot.ktap fns= n=1 built=0 sym mod fn
	local -a samples

	mapfile -t samples < <(sed -n \
		's/^obj-\$(CONFIG_\(SAMPLE_KHO_[A-Z0-9_]*\))[[:space:]]*+= *\([a-z0-9_]*\)\.o$/\1 \2/p' \
		"$TOP/samples/kho/Makefile")
	echo "KTAP version 1"
	echo "1..$((${#samples[@]} + 2))"
	if in_tree "$TOP/mk/kernel.sh" builtin > "$log" 2>&1; then
		built=1
		echo "# built in $((SECONDS - start))s (log: ${log#"$TOP"/})"
		echo "ok 1 the kernel with every sample built in builds"
	else
		echo "not ok 1 the kernel with every sample built in builds"
		tail -n 20 "$log" | sed 's/^/# /'
	fi
	for sym in "${samples[@]}"; do
		mod=${sym#* } sym=${sym%% *} n=$((n + 1))
		fn=$(nm "$obj/vmlinux" 2>/dev/null |
			sed -n "s/^[0-9a-f]* . __initcall__kmod_${mod}__[0-9]*_[0-9]*_\(.*\)[0-7]s\{0,1\}$/\1/p")
		if [ $built = 1 ] && grep -qx "CONFIG_$sym=y" "$obj/.config" &&
		   [ -n "$fn" ] && [ "$(echo "$fn" | wc -l)" -eq 1 ]; then
			echo "ok $n $mod is built in: CONFIG_$sym=y, its init $fn is an initcall"
			fns=$fns${fns:+,}$mod:$fn
		else
			echo "not ok $n $mod is built in: CONFIG_$sym=y, its init is an initcall"
		fi
	done
	n=$((n + 1))
	[ $built = 1 ] || { echo "not ok $n the built-in samples initialise at boot"; return; }
	"$TOP/tools/testing/selftests/kho/vm/run.sh" --ktap-only --out "$BUILD/vm-builtin" \
		--kernel "$obj/arch/x86/boot/bzImage" \
		--append "initcall_debug log_buf_len=1M khoreg.samples=$fns" \
		sample-builtin > "$boot"
	# The scenario's subtest, then its result as ours.
	sed -n '3,$p' "$boot" | sed '$d'
	if tail -n 1 "$boot" | grep -q '^ok'; then
		echo "ok $n the built-in samples initialise at boot"
	else
		echo "not ok $n the built-in samples initialise at boot"
	fi
}

# Issue 14: the test kernel with KASAN, UBSAN, DEBUG_VM, lockdep and
# kmemleak (mk/kernel.sh sanitize) runs the KUnit suites, with the fuzz
# suites at full strength, and a representative set of VM scenarios; no
# console log may hold a sanitizer report, nor say that lock debugging was
# turned off (then lockdep could not report).  The guests have kmemleak
# scan before every kexec and at the end (khoreg.kmemleak=1).  First, one
# boot with kho_fuzz.plant= (scenario sanitize-plant) makes one report of
# each kind on purpose: the scan must find each, or it could not fail.
# The scenarios: kunit (the fuzz suites), kho-failslab (the allocations of
# preserve, finalize and restore failed one by one, the samples' registry
# entries and memory across kexec), kho-preserve (every kind of preserved
# memory, a KHO-booted kernel handing over again), liveupdate-memfd
# (kernel/liveupdate); every other one costs minutes of TCG more.
SANITIZE_SCENARIOS="kunit kho-failslab kho-preserve liveupdate-memfd"
SANITIZE_TIMEOUT=1200
# KASAN's shadow (an eighth of RAM) counts towards the scratch a kernel
# reserves for the next (kho_scratch=200% of what it reserved), and a
# KHO-booted kernel needs that much again, in one piece, outside the
# scratch it booted in and the blocks it was handed: in 1 GiB, kernel 2 of
# kho-preserve could not hand over to kernel 3, in 2 GiB kernel 2 of
# kho-failslab could not.  2 GiB and 150% leave room for both.
SANITIZE_VM_MEM=2G
SANITIZE_ARGS="khoreg.kmemleak=1 kho_scratch=150%"

# sanitizer_reports LOG: the lines of a console log that are reports of
# KASAN, UBSAN, lockdep or kmemleak, or say that lockdep stopped looking.
sanitizer_reports() {
	tr -d '\r' < "$1" | grep -E 'BUG: KASAN:|UBSAN:|unreferenced object 0x|kmemleak: cannot scan'\
'|WARNING: possible (circular|recursive) locking|WARNING: inconsistent lock state'\
'|WARNING: suspicious RCU usage|BUG: sleeping function called|DEBUG_LOCKS_WARN_ON'\
'|BUG: workqueue leaked lock|turning off the locking correctness validator'\
'|Disabling lock debugging'
}

suite_sanitize() {
	local obj=$SRC/obj-sanitize-$ARCH log=$out/sanitize-build.log start=$SECONDS
	local img vms=$BUILD/vm-sanitize n=0 s kind pattern reports
	local -a kinds=("kasan:BUG: KASAN: slab-out-of-bounds"
			"ubsan:UBSAN: array-index-out-of-bounds"
			"lockdep:WARNING: possible circular locking"
			"leak:unreferenced object 0x")

	img=$obj/arch/x86/boot/bzImage
	echo "KTAP version 1"
	# shellcheck disable=SC2086 # a list of scenario names
	set -- $SANITIZE_SCENARIOS
	echo "1..$((1 + ${#kinds[@]} + 3 * $#))"
	n=$((n + 1))
	if in_tree "$TOP/mk/kernel.sh" sanitize > "$log" 2>&1; then
		echo "# built in $((SECONDS - start))s (log: ${log#"$TOP"/})"
		echo "ok $n the sanitizer kernel builds"
	else
		echo "not ok $n the sanitizer kernel builds"
		tail -n 20 "$log" | sed 's/^/# /'
		return
	fi

	start=$SECONDS
	KHO_VM_MEM=$SANITIZE_VM_MEM "$TOP/tools/testing/selftests/kho/vm/run.sh" --ktap-only \
		--kernel "$img" --out "$vms/planted" --timeout $SANITIZE_TIMEOUT \
		--also "$SANITIZE_ARGS kho_fuzz.plant=kasan,ubsan,lockdep,leak" \
		sanitize-plant > "$out/sanitize-planted.ktap" 2>&1
	echo "# planted reports: sanitize-plant took $((SECONDS - start))s"
	sanitizer_reports "$vms/planted/sanitize-plant/console.log" > "$out/sanitize-planted.txt"
	for kind in "${kinds[@]}"; do
		n=$((n + 1)) pattern=${kind#*:} kind=${kind%%:*}
		if grep -qF "$pattern" "$out/sanitize-planted.txt"; then
			echo "ok $n the scan finds a $kind report made on purpose"
		else
			echo "not ok $n the scan finds a $kind report made on purpose"
		fi
	done

	start=$SECONDS
	KHO_VM_MEM=$SANITIZE_VM_MEM "$TOP/tools/testing/selftests/kho/vm/run.sh" --ktap-only \
		--kernel "$img" --out "$vms" --timeout $SANITIZE_TIMEOUT --also "$SANITIZE_ARGS" \
		"$@" > "$out/sanitize-vm.ktap"
	# Each scenario is a subtest of ours, numbered on from ours.
	sed -n '3,$p' "$out/sanitize-vm.ktap" |
		awk -v n=$n '/^(not )?ok [0-9]+ / { sub(/ok [0-9]+ /, "ok " ++n " ") } 1'
	n=$((n + $#))
	echo "# scenarios ran in $((SECONDS - start))s"
	tr -d '\r' < "$vms/kunit/console.log" 2>/dev/null |
		sed -n 's/^.*# \(.*: [0-9]* inputs: .*\)$/# \1/p'
	for s in "$@"; do
		n=$((n + 1))
		if grep -q 'khoreg: kmemleak: stage[0-9]* scanned' "$vms/$s/console.log" 2>/dev/null; then
			echo "ok $n $s: kmemleak scanned"
		else
			echo "not ok $n $s: kmemleak scanned"
		fi
		n=$((n + 1))
		reports=$(sanitizer_reports "$vms/$s/console.log" 2>/dev/null)
		if [ -f "$vms/$s/console.log" ] && [ -z "$reports" ]; then
			echo "ok $n $s: no sanitizer report in the console log"
		else
			echo "not ok $n $s: no sanitizer report in the console log"
			printf '%s\n' "$reports" | head -n 10 | sed 's/^/# /'
		fi
	done
}

# suite_result I NAME RC: the result line of suite NAME, I-th, which exited
# with RC: not ok when it exited non-zero, printed no result or a "not ok"
# one, or its KTAP does not add up (see ktap_walk).
suite_result() {
	local i=$1 s=$2 rc=$3 problems

	problems=$(ktap_problems < "$out/$s.ktap")
	if [ "$rc" -ne 0 ] || [ -n "$problems" ] ||
	   grep -q '^ *not ok' "$out/$s.ktap" || ! grep -q '^ *ok' "$out/$s.ktap"; then
		echo "not ok $i $s"
		[ "$rc" -eq 0 ] || echo "# the suite exited with status $rc"
		[ -z "$problems" ] || printf '%s\n' "$problems" | sed 's/^/# /'
		sed 's/^/# /' "$out/$s.err" | tail -n 20
	else
		echo "ok $i $s"
	fi
}

# suite_name SUITE: the name a suite's results go under.
suite_name() {
	case $1 in
	*/*) basename "$1" .sh ;;
	*) echo "$1" ;;
	esac
}

# run_suite SUITE: run it into $out/NAME.ktap, its stderr into NAME.err, its
# exit status into NAME.rc and its run time in seconds into NAME.time.
run_suite() {
	local s cmd=suite_$1 start=$SECONDS

	s=$(suite_name "$1")
	case $1 in */*) cmd=$1 ;; esac
	rm -f "$out/$s.rc" "$out/$s.time"
	printf '==> test suite %s\n' "$s" >&2
	"$cmd" > "$out/$s.ktap" 2> "$out/$s.err"
	echo $? > "$out/$s.rc"
	echo $((SECONDS - start)) > "$out/$s.time"
	printf '==> test suite %s: done in %ss\n' "$s" $((SECONDS - start)) >&2
}

# The guests' static khoctl, built once here: the suites that pack it into
# an initramfs run side by side.
make -s -C "$TOP/tools/kho" static > /dev/null || die "make -C tools/kho static failed"

# Up to KHOREG_CHECK_JOBS suites (default 2, the machine's cores) run at a
# time, started in the order listed: a VM suite keeps about one core busy
# with QEMU, a kernel build or checkpatch the other.  Those that write the
# assembled tree hold $BUILD/tree.lock while they do (in_tree).  The KTAP
# document lists the suites in that order, whatever order they ended in.
running=0
for s in "${suites[@]}"; do
	if [ $running -ge "${KHOREG_CHECK_JOBS:-2}" ]; then
		wait -n
		running=$((running - 1))
	fi
	run_suite "$s" &
	running=$((running + 1))
done
wait

{
	echo "KTAP version 1"
	echo "1..${#suites[@]}"
	i=0
	for s in "${suites[@]}"; do
		i=$((i + 1))
		s=$(suite_name "$s")
		echo "    # Subtest: $s"
		ktap_indent < "$out/$s.ktap"
		echo "# $s took $(cat "$out/$s.time" 2>/dev/null || echo '?')s"
		suite_result $i "$s" "$(cat "$out/$s.rc" 2>/dev/null || echo 1)"
	done
} | tee "$out/all.ktap"
ktap_totals < "$out/all.ktap" | tee "$out/totals"
grep -q '^[0-9]* passed, 0 failed' "$out/totals"
