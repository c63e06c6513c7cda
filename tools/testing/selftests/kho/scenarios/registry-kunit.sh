# SPDX-License-Identifier: GPL-2.0-only
#
# registry-kunit: the built-in KUnit suite "kho_registry" ran at boot
# (declaration, blob generation, round-trip decode of every type, version
# checks, and malformed incoming blobs) and passed. Its KTAP lines are
# copied into the results as diagnostics.

stage1() {
	dmesg | sed 's/^\[[ 0-9.]*\] //' |
		sed -n '/# Subtest: kho_registry/,/ok [0-9]* kho_registry$/p' > /tmp/ktap
	grep -E '^ *(not )?ok |# kho_registry:' /tmp/ktap | grep -v '^     ' |
		while IFS= read -r line; do diag "$line"; done
	check "the kho_registry suite ran" grep -q '# Subtest: kho_registry' /tmp/ktap
	check "no kho_registry test failed" sh -c '! grep -q "not ok" /tmp/ktap'
	check "the kho_registry suite passed" grep -Eq '^ok [0-9]+ kho_registry$' /tmp/ktap
	say "KUnit kho_registry: $(grep '# kho_registry:' /tmp/ktap)"
}
