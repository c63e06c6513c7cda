# SPDX-License-Identifier: GPL-2.0-only
#
# Host-side KTAP helpers for the khoreg test runners.  Sourced.

# ktap_walk MODE: read KTAP on stdin; a subtest is indented 4 spaces more
# than its parent's result line.  Besides every leaf result, these count as
# one failure each, so that a broken run can never add up to "0 failed":
#   - a level whose plan (1..N) is missing or differs from the number of
#     results it printed (a suite that stopped early or printed too many);
#   - a "not ok" parent none of whose children failed (the suite itself
#     failed, e.g. exited non-zero, after its tests passed);
#   - a subtest that no parent result closes (output cut short).
# MODE totals prints "N passed, N failed[, N skipped]" (leaf results and
# the failures above); MODE problems prints one line per failure above.
ktap_walk() {
	awk -v mode="$1" '
	function depth_of(line,    n) {
		n = 0
		while (substr(line, n + 1, 1) == " ")
			n++
		return int(n / 4)
	}
	function reset(d) {
		plan[d] = -1
		count[d] = 0
		fails[d] = 0
		open[d] = 0
		name[d] = ""
	}
	function problem(text) {
		failed++
		if (mode == "problems")
			print text
	}
	# close_level D: the results of level D end; say what is wrong with them.
	function close_level(d, what) {
		if (plan[d] < 0)
			problem(what ": no plan, " count[d] " result(s)")
		else if (plan[d] != count[d])
			problem(what ": plan 1.." plan[d] " but " count[d] " result(s)")
	}
	BEGIN {
		for (d = 0; d < 32; d++)
			reset(d)
		deepest = 0
	}
	{
		line = $0
		sub(/\r$/, "", line)
		d = depth_of(line)
		text = substr(line, d * 4 + 1)
	}
	text ~ /^1\.\.[0-9]+/ {
		plan[d] = substr(text, 4) + 0
		open[d] = 1
		if (d > deepest)
			deepest = d
		next
	}
	text ~ /^# Subtest: / {
		name[d] = substr(text, 12)
		open[d] = 1
		if (d > deepest)
			deepest = d
		next
	}
	text ~ /^(not )?ok [0-9]+/ {
		nok = text ~ /^not ok/
		open[d] = 1
		count[d]++
		if (d > deepest)
			deepest = d
		if (open[d + 1]) {
			# A parent: its subtest ends here.
			for (c = deepest; c > d + 1; c--) {
				if (open[c]) {
					close_level(c, "an unfinished subtest in " text)
					fails[d + 1] += fails[c]
				}
				reset(c)
			}
			before = failed
			close_level(d + 1, "subtest " text)
			fails[d + 1] += failed - before
			if (nok && fails[d + 1] == 0)
				problem("not ok with no failed subtest: " text)
			fails[d] += fails[d + 1]
			if (nok && fails[d + 1] == 0)
				fails[d]++
			reset(d + 1)
			deepest = d
			next
		}
		if (nok) {
			failed++
			fails[d]++
		} else if (text ~ /# SKIP/) {
			skipped++
		} else {
			passed++
		}
	}
	END {
		for (c = deepest; c > 0; c--)
			if (open[c])
				close_level(c, "an unfinished subtest at the end")
		close_level(0, "the document")
		if (mode == "totals") {
			printf "%d passed, %d failed", passed, failed
			if (skipped)
				printf ", %d skipped", skipped
			printf "\n"
		}
	}'
}

# ktap_totals: read KTAP on stdin, print "N passed, N failed[, N skipped]"
# (see ktap_walk for what counts).
ktap_totals() {
	ktap_walk totals
}

# ktap_problems: read KTAP on stdin, print what makes it count as failed
# beyond its "not ok" leaves (see ktap_walk), one line each.
ktap_problems() {
	ktap_walk problems
}

# ktap_indent: indent a KTAP document by one subtest level.
ktap_indent() {
	sed 's/^/    /'
}
