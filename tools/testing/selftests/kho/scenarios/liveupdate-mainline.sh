# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: mainline-selftests append=liveupdate=on
#
# liveupdate-mainline: mainline 7.3's own Live Update selftests, built
# unchanged by luo-mainline-progs.sh (the harness runs it), against khoreg.
# Kernel 1 runs the device tests of "liveupdate"; then each kexec test runs
# its stage 1 in one kernel and its stage 2 in the next: luo_kexec_simple,
# luo_multi_session, luo_stress_sessions and luo_stress_files over a chain
# of five kernels.

# ksft DESC PROG ARGS...: run a kselftest program; its "ok"/"not ok" lines
# become checks, and its exit status (0 pass, 4 skip) one more.
ksft() {
	local desc=$1 st line

	shift
	if ! command -v "$1" > /dev/null; then
		fail "$1 is in the guest (luo-mainline-progs.sh builds it)"
		return
	fi
	"$@" > /tmp/ksft.out 2>&1
	st=$?
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "$desc: ${line#ok }" ;;
		"not ok "*) fail "$desc: ${line#not ok }" ;;
		*) diag "$line" ;;
		esac
	done < /tmp/ksft.out
	check "$desc exits 0 (status $st)" [ "$st" = 0 ]
}

stage1() {
	ksft "liveupdate" ml-liveupdate
	ksft "luo_kexec_simple stage 1" ml-luo_kexec_simple -s 1
	kexec_next
}

stage2() {
	ksft "luo_kexec_simple stage 2" ml-luo_kexec_simple -s 2
	ksft "luo_multi_session stage 1" ml-luo_multi_session -s 1
	kexec_next
}

stage3() {
	ksft "luo_multi_session stage 2" ml-luo_multi_session -s 2
	ksft "luo_stress_sessions stage 1" ml-luo_stress_sessions -s 1
	kexec_next
}

stage4() {
	ksft "luo_stress_sessions stage 2" ml-luo_stress_sessions -s 2
	ksft "luo_stress_files stage 1" ml-luo_stress_files -s 1
	kexec_next
}

stage5() {
	ksft "luo_stress_files stage 2" ml-luo_stress_files -s 2
}
