# SPDX-License-Identifier: GPL-2.0-only
#
# Host-side KTAP helpers for the khoreg test runners.  Sourced.

# ktap_totals: read KTAP on stdin, print "N passed, N failed" counting leaf
# results only (a result whose subtest holds results of its own is a parent).
ktap_totals() {
	awk '
	match($0, /^ *(not )?ok [0-9]+/) {
		ind = 0
		while (substr($0, ind + 1, 1) == " ")
			ind++
		if (parent[ind + 4]) {
			parent[ind + 4] = 0
		} else if ($0 ~ /^ *not ok/) {
			failed++
		} else if ($0 ~ /# SKIP/) {
			skipped++
		} else {
			passed++
		}
		parent[ind] = 1
	}
	END {
		printf "%d passed, %d failed", passed, failed
		if (skipped)
			printf ", %d skipped", skipped
		printf "\n"
	}'
}

# ktap_indent: indent a KTAP document by one subtest level.
ktap_indent() {
	sed 's/^/    /'
}
