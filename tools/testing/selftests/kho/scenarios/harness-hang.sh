# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: named-only
#
# harness-hang: a guest that never finishes; the harness self-test checks
# that it is killed at the time limit and reported.  Not run on its own.

stage1() {
	say "hanging on purpose"
	sleep 100000
}
