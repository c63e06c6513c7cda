#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# luo-mainline-progs.sh [SRC]: build mainline's own Live Update selftests
# (tools/testing/selftests/liveupdate of Debian's linux-source-7.x),
# unchanged, as static programs for the test guest: ml-liveupdate,
# ml-luo_kexec_simple, ml-luo_multi_session, ml-luo_stress_sessions and
# ml-luo_stress_files, in the guest program directories of the scenarios
# that run them (build/vm/SCENARIO/progs), which mkinitramfs.sh copies
# into /bin. They are compiled against mainline's own uAPI header.
# SRC is the mainline source tree (default: build/mainline/linux, which
# mk/mainline-source.sh fills). The scenario liveupdate-mainline runs them.
# ARCH=arm64 cross-builds them with aarch64-linux-gnu-gcc.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../../.." && pwd)
src=${1:-$top/build/mainline/linux}
sel=$src/tools/testing/selftests
case ${ARCH:-x86_64} in
x86_64) cc=gcc vm=$top/build/vm ;;
arm64) cc=aarch64-linux-gnu-gcc vm=$top/build/vm-arm64 ;;
*) echo "luo-mainline-progs.sh: ARCH=$ARCH is not supported" >&2; exit 2 ;;
esac

if [ ! -f "$sel/liveupdate/lib/lu_utils.c" ] ||
   [ ! -f "$src/include/uapi/linux/liveupdate.h" ]; then
	echo "luo-mainline-progs.sh: $src holds no mainline Live Update selftests;" \
		"run mk/mainline-source.sh or name a linux-source-7.x tree" >&2
	exit 1
fi
hdr=$(mktemp -d)
trap 'rm -rf "$hdr"' EXIT
mkdir -p "$hdr/linux" "$vm/liveupdate-mainline/progs" "$vm/liveupdate-interop/progs"
cp "$src/include/uapi/linux/liveupdate.h" "$hdr/linux/"
for prog in liveupdate luo_kexec_simple luo_multi_session luo_stress_sessions \
	    luo_stress_files; do
	$cc -static -O2 -D_GNU_SOURCE= -Wall -Wno-unused-function \
		-I"$hdr" -I"$sel/liveupdate/lib/include" \
		-o "$vm/liveupdate-mainline/progs/ml-$prog" \
		"$sel/liveupdate/$prog.c" "$sel/liveupdate/lib/lu_utils.c"
	cp "$vm/liveupdate-mainline/progs/ml-$prog" "$vm/liveupdate-interop/progs/"
	echo "built ml-$prog"
done
