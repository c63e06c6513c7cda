# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: warns=kho_unpreserve_free append=kunit.enable=1
#
# kunit: the built-in KUnit suites run at boot (only here: the test config
# leaves KUnit off unless kunit.enable=1); report every test case from
# /sys/kernel/debug/kunit/<suite>/results. kho_lifecycle frees memory the
# handover holds on purpose: kho_unpreserve_free() warns once.

stage1() {
	local d suite line cases

	check "KUnit suites are built in" [ -n "$(ls /sys/kernel/debug/kunit 2>/dev/null)" ]
	for d in /sys/kernel/debug/kunit/*; do
		[ -f "$d/results" ] || continue
		suite=${d##*/}
		cases=0
		grep -E '^    (not )?ok [0-9]+ ' "$d/results" > /tmp/kunit.cases
		while IFS= read -r line; do
			cases=$((cases + 1))
			line=${line#    }
			case $line in
			"not ok "*) line=${line#not ok }; fail "kunit $suite: ${line#* }" ;;
			*) line=${line#ok }; ok "kunit $suite: ${line#* }" ;;
			esac
		done < /tmp/kunit.cases
		if [ $cases -eq 0 ]; then
			fail "kunit $suite ran its cases"
			while IFS= read -r line; do
				diag "$line"
			done < "$d/results"
		fi
	done
}
