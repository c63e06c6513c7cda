#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# selftest.sh: tests of the VM harness itself, as KTAP.  A harness that
# cannot see a failure or a hang would make every other result worthless.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "KTAP version 1"
echo "1..2"

"$here/run.sh" harness-fail > "$out/fail" 2>&1
rc=$?
if [ $rc -eq 1 ] &&
   grep -q '^    not ok [0-9]* stage1: a deliberately failing check$' "$out/fail" &&
   grep -q '^    ok [0-9]* stage1: a passing check$' "$out/fail" &&
   grep -q '^not ok 1 harness-fail$' "$out/fail" &&
   tail -n 1 "$out/fail" | grep -q '^[0-9]* passed, [1-9][0-9]* failed$'; then
	echo "ok 1 a failing scenario is reported as failed"
else
	echo "not ok 1 a failing scenario is reported as failed"
	sed 's/^/# /' "$out/fail"
fi

start=$SECONDS
"$here/run.sh" --timeout 30 harness-hang > "$out/hang" 2>&1
rc=$?
took=$((SECONDS - start))
if [ $rc -eq 1 ] && [ $took -lt 60 ] &&
   grep -q 'not ok [0-9]* harness: guest finished within 30s' "$out/hang" &&
   grep -q '^    # killed after 30s; last console lines:' "$out/hang" &&
   grep -q '^not ok 1 harness-hang$' "$out/hang"; then
	echo "ok 2 a hung guest is killed at its time limit and reported"
else
	echo "not ok 2 a hung guest is killed at its time limit and reported"
	echo "# run.sh returned $rc after ${took}s"
	sed 's/^/# /' "$out/hang"
fi
