#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# selftest.sh: tests of the VM harness itself, as KTAP.  A harness that
# cannot see a failure or a hang would make every other result worthless.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../../../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failed=0

echo "KTAP version 1"
echo "1..6"

# Results in $out: make check runs suite vm, which writes build/vm, at the
# same time.
"$here/run.sh" --out "$out/vm" harness-fail > "$out/fail" 2>&1
rc=$?
if [ $rc -eq 1 ] &&
   grep -q '^    not ok [0-9]* stage1: a deliberately failing check$' "$out/fail" &&
   grep -q '^    ok [0-9]* stage1: a passing check$' "$out/fail" &&
   grep -q '^not ok 1 harness-fail$' "$out/fail" &&
   tail -n 1 "$out/fail" | grep -q '^[0-9]* passed, [1-9][0-9]* failed$'; then
	echo "ok 1 a failing scenario is reported as failed"
else
	echo "not ok 1 a failing scenario is reported as failed"
	failed=1
	sed 's/^/# /' "$out/fail"
fi

# No bound on how long run.sh took: building the initramfs on a loaded
# machine takes any time.  A guest that was not killed would hang here.
start=$SECONDS
"$here/run.sh" --out "$out/vm" --timeout 30 harness-hang > "$out/hang" 2>&1
rc=$?
took=$((SECONDS - start))
if [ $rc -eq 1 ] &&
   grep -q 'not ok [0-9]* harness: guest finished within 30s' "$out/hang" &&
   grep -q '^    # killed after 30s; last console lines:' "$out/hang" &&
   grep -q '^not ok 1 harness-hang$' "$out/hang"; then
	echo "ok 2 a hung guest is killed at its time limit and reported"
else
	echo "not ok 2 a hung guest is killed at its time limit and reported"
	failed=1
	echo "# run.sh returned $rc after ${took}s"
	sed 's/^/# /' "$out/hang"
fi

# fake_suite NAME STATUS: an executable suite that prints the KTAP on stdin
# and exits with STATUS.
fake_suite() {
	{
		echo "#!/bin/sh"
		echo "cat <<'EOF'"
		cat
		echo "EOF"
		echo "exit $2"
	} > "$out/$1.sh"
	chmod +x "$out/$1.sh"
}

# counted_failed N NAME TOTALS DESCRIPTION: mk/check.sh, running the fake
# suite NAME alone, reports it as not ok, prints TOTALS last and exits
# non-zero.
counted_failed() {
	local n=$1 name=$2 totals=$3 desc=$4 rc

	KHOREG_CHECK_OUT=$out/check-$name KHOREG_CHECK_SUITES=$out/$name.sh \
		"$top/mk/check.sh" > "$out/$name.out" 2>&1
	rc=$?
	if [ $rc -ne 0 ] && grep -q "^not ok 1 $name\$" "$out/$name.out" &&
	   [ "$(tail -n 1 "$out/$name.out")" = "$totals" ]; then
		echo "ok $n $desc"
	else
		echo "not ok $n $desc"
		echo "# mk/check.sh returned $rc; want not ok 1 $name, then: $totals"
		sed 's/^/# /' "$out/$name.out"
		failed=1
	fi
}

fake_suite exits-nonzero 1 <<'EOF'
KTAP version 1
1..2
ok 1 first
ok 2 second
EOF
counted_failed 3 exits-nonzero "2 passed, 1 failed" \
	"a suite that exits non-zero after only ok results is counted failed"

fake_suite short-plan 0 <<'EOF'
KTAP version 1
1..3
ok 1 first
ok 2 second
EOF
counted_failed 4 short-plan "2 passed, 1 failed" \
	"a suite with plan 1..3 and two results is counted failed"

fake_suite failed-parent 0 <<'EOF'
KTAP version 1
1..1
    KTAP version 1
    # Subtest: parent
    1..2
    ok 1 first child
    ok 2 second child
not ok 1 parent
EOF
counted_failed 5 failed-parent "2 passed, 1 failed" \
	"a not ok parent whose children all passed is counted failed"

# The same one level down, as run.sh reports scenarios, and a document
# cut short.
cat > "$out/nested" <<'EOF'
KTAP version 1
1..3
    KTAP version 1
    # Subtest: short
    1..3
    ok 1 first
    ok 2 second
ok 1 short
    KTAP version 1
    # Subtest: parent
    1..1
    ok 1 child
not ok 2 parent
    KTAP version 1
    # Subtest: cut
    1..1
EOF
. "$here/ktap.sh"
totals=$(ktap_totals < "$out/nested")
desc="a short subtest, a not ok parent and a document cut short count failed"
if [ "$totals" = "3 passed, 4 failed" ]; then
	echo "ok 6 $desc"
else
	echo "not ok 6 $desc"
	echo "# ktap_totals: $totals; want 3 passed, 4 failed"
	ktap_problems < "$out/nested" | sed 's/^/# /'
	failed=1
fi
exit $failed
