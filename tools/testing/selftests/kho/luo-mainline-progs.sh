#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# luo-mainline-progs.sh OUTDIR [SRC]: build mainline's own Live Update
# selftests (tools/testing/selftests/liveupdate of Debian's
# linux-source-7.x), unchanged, as static programs for the test guest:
# OUTDIR/ml-liveupdate, ml-luo_kexec_simple, ml-luo_multi_session,
# ml-luo_stress_sessions and ml-luo_stress_files, compiled against
# mainline's own uAPI header. A program newer than its sources is kept.
# SRC is the mainline source tree (default: build/mainline/linux, which
# mk/mainline-source.sh fills). vm/run.sh runs it, into the guest program
# directory that mkinitramfs.sh copies into /bin, for the scenarios whose
# "# khoreg-vm:" line says mainline-selftests.
# ARCH=arm64 cross-builds them with aarch64-linux-gnu-gcc.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../../.." && pwd)
[ $# -ge 1 ] || { echo "usage: luo-mainline-progs.sh OUTDIR [SRC]" >&2; exit 2; }
out=$1
src=${2:-$top/build/mainline/linux}
sel=$src/tools/testing/selftests/liveupdate
uapi=$src/include/uapi/linux/liveupdate.h
case ${ARCH:-x86_64} in
x86_64) cc=gcc ;;
arm64) cc=aarch64-linux-gnu-gcc ;;
*) echo "luo-mainline-progs.sh: ARCH=$ARCH is not supported" >&2; exit 2 ;;
esac

if [ ! -f "$sel/lib/lu_utils.c" ] || [ ! -f "$uapi" ]; then
	echo "luo-mainline-progs.sh: $src holds no mainline Live Update selftests;" \
		"run make mainline or name a linux-source-7.x tree" >&2
	exit 1
fi
hdr=$(mktemp -d)
trap 'rm -rf "$hdr"' EXIT
mkdir -p "$hdr/linux" "$out"
cp "$uapi" "$hdr/linux/"
for prog in liveupdate luo_kexec_simple luo_multi_session luo_stress_sessions \
	    luo_stress_files; do
	bin=$out/ml-$prog
	if [ "$bin" -nt "$sel/$prog.c" ] && [ "$bin" -nt "$sel/lib/lu_utils.c" ] &&
	   [ "$bin" -nt "$uapi" ]; then
		continue
	fi
	$cc -static -O2 -D_GNU_SOURCE= -Wall -Wno-unused-function \
		-I"$hdr" -I"$sel/lib/include" \
		-o "$bin" "$sel/$prog.c" "$sel/lib/lu_utils.c"
	echo "built ml-$prog"
done
