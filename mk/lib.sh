# SPDX-License-Identifier: GPL-2.0-only
# Shared settings for the khoreg build scripts.  Sourced, never run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${KHOREG_BUILD:-$TOP/build}
SRC=$BUILD/linux			# assembled kernel source tree
ARCH=${ARCH:-x86_64}
OBJ=$SRC/obj-$ARCH			# kernel object tree (O=), a direct child
					# of $SRC so Kbuild uses relative paths
TARBALL=${KHOREG_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
# Directories of the repo whose files are placed into the kernel tree.
OVERLAY_DIRS="arch include kernel mm lib samples tools Documentation"
GIT_ID=(-c user.name=khoreg -c user.email=khoreg@localhost)

export CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The kernel image to build and the cross compiler, per architecture.
case $ARCH in
x86_64)	KIMAGE=arch/x86/boot/bzImage CROSS_COMPILE= ;;
arm64)	KIMAGE=arch/arm64/boot/Image CROSS_COMPILE=aarch64-linux-gnu- ;;
*)	die "ARCH=$ARCH is not supported (x86_64, arm64)" ;;
esac

# Kernel version of a source tree, e.g. 6.12.117.
tree_version() {
	awk '/^VERSION =/ {v=$3} /^PATCHLEVEL =/ {p=$3} /^SUBLEVEL =/ {s=$3}
	     END {print v "." p "." s}' "$1/Makefile"
}

# Files of the repo that belong in the kernel tree, tracked or new.
overlay_files() {
	git -C "$TOP" ls-files --cached --others --exclude-standard -- $OVERLAY_DIRS |
		while read -r f; do [ -f "$TOP/$f" ] && printf '%s\n' "$f"; done
}

# Patch file names of patches/series, in order (comments and blanks skipped).
series_patches() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$TOP/patches/series"
}

# config_check WANT CONFIG: every option of the fragment WANT (SYM=VAL or
# "# SYM is not set" lines) holds in the .config CONFIG. A dependency that
# is not met makes Kconfig drop an option silently, which would build the
# wrong kernel; each one missing is named on stderr.
config_check() {
	local line sym missing=0

	while read -r line; do
		sym=${line%%=*}
		if [ "$line" = "$sym=n" ] || [ "$line" = "# $sym is not set" ]; then
			grep -q "^$sym=" "$2" || continue
		elif grep -qx -- "$line" "$2"; then
			continue
		fi
		printf 'error: %s requested, .config has: %s\n' "$line" \
			"$(grep -E "^$sym=|^# $sym is not set" "$2" || echo 'nothing')" >&2
		missing=1
	done < "$1"
	return $missing
}
