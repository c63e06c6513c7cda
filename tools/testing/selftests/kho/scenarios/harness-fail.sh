# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: named-only
#
# harness-fail: a deliberately failing scenario; the harness self-test
# checks that it is reported as failed.  Not run on its own.

stage1() {
	ok "a passing check"
	check "a deliberately failing check" false
}
