#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Lists every khoreg/kho identifier that both userspace (libkhoreg, khoctl)
# and the kernel (kernel/kho, include/linux/kho*) use, leaving out the ABI
# headers' own (include/linux/kho/abi/), which both share on purpose, and
# comment lines. A name in both means two things: exits 1 when any is.
# Usage: kernel_names.sh [TOP]
TOP=${1:-$(cd "$(dirname "$0")/../../../.." && pwd)}
cd "$TOP" || exit 2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

names() {
	grep -hv '^[[:space:]]*\(/\*\|\*\|//\)' "$@" |
		grep -oE '\b(lib)?(khoreg|KHOREG|kho|KHO)_[A-Za-z0-9_]+' | sort -u
}

names include/linux/kho/abi/*.h > "$TMP/abi"
names tools/lib/khoreg/*.[ch] tools/lib/khoreg/tests/*.c \
	tools/lib/khoreg/fuzz/*.c tools/kho/*.[ch] |
	comm -23 - "$TMP/abi" > "$TMP/user"
names kernel/kho/*.[ch] include/linux/kho.h include/linux/kho/*.h |
	comm -23 - "$TMP/abi" > "$TMP/kernel"
comm -12 "$TMP/user" "$TMP/kernel" > "$TMP/both"
if [ -s "$TMP/both" ]; then
	echo "used by both the kernel and libkhoreg/khoctl:"
	cat "$TMP/both"
	exit 1
fi
exit 0
