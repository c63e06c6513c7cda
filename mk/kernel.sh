#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# mk/kernel.sh [khoreg|mainline|mainline-like|builtin|sanitize]: configure
# and build a kernel from tinyconfig plus committed config fragments, with
# ccache, into <tree>/obj-$ARCH.  khoreg (the default) is the assembled 6.12
# tree; mainline is Debian's newest 7.x, the peer of the interop tests;
# mainline-like is that tree configured as khoreg's test kernel is, every
# option of khoreg's fragments that mainline declares (the benchmark's
# mainline, the same size of kernel to decompress and boot), in
# build/mainline/linux/obj-like-$ARCH; builtin is
# the khoreg kernel with every sample of samples/kho built in (=y), only
# its kernel image, in build/linux/obj-builtin-$ARCH; sanitize is the
# khoreg kernel with KASAN, UBSAN, DEBUG_VM, lockdep and kmemleak
# (config.sanitize), image and modules, in build/linux/obj-sanitize-$ARCH.
# Prints a progress line while it builds; the full log is
# build/logs/<tree>-$ARCH.log.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

TREE=${1:-khoreg}
FRAGDIR=$TOP/tools/testing/selftests/kho

# arch_fragment: the VM harness's options for this architecture, if any.
arch_fragment() {
	[ ! -f "$FRAGDIR/vm/config.$ARCH" ] || echo "$FRAGDIR/vm/config.$ARCH"
}

# kho_arch_fragment: khoreg's own test options for this architecture, if any.
kho_arch_fragment() {
	[ ! -f "$FRAGDIR/config.$ARCH" ] || echo "$FRAGDIR/config.$ARCH"
}

# known_options SRC FRAGMENT...: the option lines of the fragments whose
# option some Kconfig file of the tree SRC declares.
known_options() {
	local src=$1

	shift
	find "$src" -path "$src/obj-*" -prune -o -name 'Kconfig*' -print0 |
		xargs -0 sed -n 's/^[[:space:]]*\(menu\)\{0,1\}config[[:space:]]\{1,\}\([A-Za-z0-9_]*\).*/\2/p' |
		awk 'NR == FNR { known["CONFIG_" $1]; next }
		     { sub(/#.*/, "") }
		     /=/ { split($0, kv, "="); if (kv[1] in known) print }' - "$@"
}

TARGETS="$(basename "$KIMAGE") modules"
case $TREE in
khoreg)
	"$TOP/mk/assemble.sh"
	STAMP=$SRC/.git/khoreg-patches
	FRAGMENTS="$FRAGDIR/vm/config $(arch_fragment) $FRAGDIR/config $(kho_arch_fragment)"
	;;
mainline)
	"$TOP/mk/mainline-source.sh" >/dev/null
	SRC=$BUILD/mainline/linux
	OBJ=$SRC/obj-$ARCH
	STAMP=$SRC/.khoreg-package
	FRAGMENTS="$FRAGDIR/vm/config $(arch_fragment) $FRAGDIR/config.mainline"
	;;
mainline-like)
	"$TOP/mk/mainline-source.sh" >/dev/null
	SRC=$BUILD/mainline/linux
	OBJ=$SRC/obj-like-$ARCH
	STAMP=$SRC/.khoreg-package
	mkdir -p "$OBJ"
	known_options "$SRC" "$FRAGDIR/config" $(kho_arch_fragment) > "$OBJ/khoreg-like.config"
	FRAGMENTS="$FRAGDIR/vm/config $(arch_fragment) $OBJ/khoreg-like.config
		   $FRAGDIR/config.mainline $FRAGDIR/config.mainline-like"
	;;
builtin)
	"$TOP/mk/assemble.sh"
	STAMP=$SRC/.git/khoreg-patches
	OBJ=$SRC/obj-builtin-$ARCH
	mkdir -p "$OBJ"
	# Every sample option (all but the SAMPLE_KHO menu), =y.
	sed -n 's/^config \(SAMPLE_KHO_[A-Z0-9_]*\)$/CONFIG_\1=y/p' \
		"$TOP/samples/kho/Kconfig" > "$OBJ/samples-builtin.config"
	FRAGMENTS="$FRAGDIR/vm/config $(arch_fragment) $FRAGDIR/config $(kho_arch_fragment)
		   $OBJ/samples-builtin.config"
	TARGETS=$(basename "$KIMAGE")
	;;
sanitize)
	"$TOP/mk/assemble.sh"
	STAMP=$SRC/.git/khoreg-patches
	OBJ=$SRC/obj-sanitize-$ARCH
	FRAGMENTS="$FRAGDIR/vm/config $(arch_fragment) $FRAGDIR/config $(kho_arch_fragment)
		   $FRAGDIR/config.sanitize"
	;;
*)
	die "usage: mk/kernel.sh [khoreg|mainline|mainline-like|builtin|sanitize]"
	;;
esac
LOG=$BUILD/logs/$TREE-$ARCH.log
KMAKE=(make -C "$SRC" O="${OBJ#"$SRC"/}" ARCH=$ARCH CROSS_COMPILE=$CROSS_COMPILE
       CC="ccache ${CROSS_COMPILE}gcc" HOSTCC="ccache gcc")

configure() {
	local want=$OBJ/.config.khoreg-want frag

	# Later fragments override earlier ones, as with merge_config.sh.
	cat $FRAGMENTS | sed -e 's/#.*//' -e '/^[[:space:]]*$/d' |
		awk -F= '!($1 in v) {order[n++] = $1} {v[$1] = $0}
			 END {for (i = 0; i < n; i++) print v[order[i]]}' > "$want.new"
	if [ -f "$OBJ/.config" ] && cmp -s "$want.new" "$want" &&
	   [ "$OBJ/.config" -nt "$STAMP" ]; then
		rm -f "$want.new"
		return
	fi
	say "configuring: tinyconfig + $(for frag in $FRAGMENTS; do printf '%s ' "${frag#$TOP/}"; done)"
	"${KMAKE[@]}" -s tinyconfig >/dev/null
	(cd "$OBJ" && "$SRC/scripts/kconfig/merge_config.sh" -m -O . .config "$want.new" >/dev/null)
	"${KMAKE[@]}" -s olddefconfig >/dev/null
	if ! config_check "$want.new" "$OBJ/.config"; then
		rm -f "$want.new"
		die "kernel configuration does not hold every requested option"
	fi
	mv "$want.new" "$want"
}

build() {
	local start=$SECONDS n=0 line

	mkdir -p "$(dirname "$LOG")"
	say "building Linux $(tree_version "$SRC") for $ARCH (log: ${LOG#$TOP/})"
	set +e
	"${KMAKE[@]}" -j"$(nproc)" $TARGETS 2>&1 | tee "$LOG" | while IFS= read -r line; do
		case $line in
		"  CC "*|"  LD "*|"  AR "*|"  AS "*) n=$((n + 1)) ;;
		*) continue ;;
		esac
		if [ -t 1 ] || [ $((n % 250)) -eq 0 ]; then
			printf '\r    %d objects built, %ds elapsed ' "$n" $((SECONDS - start))
			[ -t 1 ] || printf '\n'
		fi
	done
	local rc=${PIPESTATUS[0]}
	set -e
	[ -t 1 ] && printf '\n'
	if [ "$rc" -ne 0 ]; then
		grep -E 'error|Error' "$LOG" | head -20 >&2 || true
		tail -20 "$LOG" >&2
		die "kernel build failed (full log: ${LOG#$TOP/})"
	fi
	say "built ${OBJ#$TOP/}/$KIMAGE in $((SECONDS - start))s"
}

mkdir -p "$OBJ"
configure
build
