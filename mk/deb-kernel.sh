#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# mk/deb-kernel.sh: the packaged kernel of `make deb`.  The assembled tree
# configured from Debian's own 6.12 configuration (linux-config-6.12,
# flavour amd64, the version of linux-source-6.12), plus khoreg's options
# (tools/testing/selftests/kho/config without the test-only ones) and
# packaging/kernel/config, its modules trimmed to packaging/kernel/modules
# (localmodconfig), built in build/linux/obj-deb-x86_64 and packaged with
# the kernel's bindeb-pkg: linux-image-<version>-khoreg and
# linux-headers-<version>-khoreg (and linux-libc-dev), no debug-info
# package.  The .debs land in build/deb/.  Log: build/logs/deb-kernel.log.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "$ARCH" = x86_64 ] || die "make deb builds x86-64 packages only (ARCH=$ARCH)"
OBJ=$SRC/obj-deb-$ARCH
DEB=$BUILD/deb
LOG=$BUILD/logs/deb-kernel.log
FRAG=$TOP/tools/testing/selftests/kho/config
# Test-only options of the fragment: KUnit, the fuzz suites, the test
# modules and hooks, and the VM harness's built-in NIC set-up.
TEST_ONLY='KUNIT|FUZZ|SELFTEST|TEST_HOOKS|REGISTRY_TEST|NETCFG'
KMAKE=(make -C "$SRC" O="${OBJ#"$SRC"/}" ARCH=x86_64 LOCALVERSION=
       CC="ccache gcc" HOSTCC="ccache gcc")

# debian_config: Debian's configuration for this linux-source-6.12, from
# the linux-config-6.12 package of the same version (downloaded, not
# installed).
debian_config() {
	local ver dir=$DEB/debian-config

	ver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
	if [ ! -f "$dir/$ver/config" ]; then
		say "fetching Debian's configuration: linux-config-6.12 $ver" >&2
		rm -rf "$dir" && mkdir -p "$dir/$ver"
		(cd "$dir" && apt-get download -q "linux-config-6.12=$ver" 2>&1 |
			grep -v 'unsandboxed' >&2 || true)
		dpkg -x "$dir"/linux-config-6.12_*.deb "$dir/x"
		xz -dc "$dir/x/usr/src/linux-config-6.12/config.amd64_none_amd64.xz" \
			> "$dir/$ver/config"
	fi
	echo "$dir/$ver/config"
}

# The options asked for: khoreg's fragment without its test-only options,
# then packaging/kernel/config; later lines win.
wanted() {
	{
		sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$FRAG" |
			grep -Ev "^CONFIG_[A-Z0-9_]*($TEST_ONLY)"
		sed -e 's/^#.*//' -e '/^[[:space:]]*$/d' "$TOP/packaging/kernel/config"
	} | awk -F= '!($1 in v) {order[n++] = $1} {v[$1] = $0}
		     END {for (i = 0; i < n; i++) print v[order[i]]}'
}

configure() {
	local base want=$OBJ/.config.khoreg-want mods=$OBJ/.config.khoreg-modules

	base=$(debian_config)
	wanted > "$want.new"
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$TOP/packaging/kernel/modules" > "$mods"
	cat "$base" "$mods" >> "$want.new"
	if [ -f "$OBJ/.config" ] && cmp -s "$want.new" "$want" &&
	   [ "$OBJ/.config" -nt "$SRC/.git/khoreg-patches" ]; then
		rm -f "$want.new"
		return
	fi
	say "configuring: Debian's $(basename "$(dirname "$base")") amd64 config +" \
	    "khoreg's options + packaging/kernel/config, modules of packaging/kernel/modules"
	wanted > "$OBJ/khoreg.config"
	cp "$base" "$OBJ/.config"
	(cd "$OBJ" && "$SRC/scripts/kconfig/merge_config.sh" -m -O . .config khoreg.config \
		>/dev/null)
	"${KMAKE[@]}" -s olddefconfig >/dev/null
	# Only the modules of the list (and what they need) stay modules.
	{ yes '' || true; } | "${KMAKE[@]}" -s LSMOD="$mods" localmodconfig \
		>/dev/null 2>"$OBJ/localmodconfig.log"
	(cd "$OBJ" && "$SRC/scripts/kconfig/merge_config.sh" -m -O . .config khoreg.config \
		>/dev/null)
	"${KMAKE[@]}" -s olddefconfig >/dev/null
	if ! config_check "$OBJ/khoreg.config" "$OBJ/.config"; then
		rm -f "$want.new"
		die "kernel configuration does not hold every requested option"
	fi
	mv "$want.new" "$want"
	say "$(grep -c '=m$' "$OBJ/.config") module options," \
	    "$(grep -c '=y$' "$OBJ/.config") built in"
}

build() {
	local start=$SECONDS rc

	say "building Linux $(tree_version "$SRC")-khoreg (Debian's configuration) under nice," \
	    "log: ${LOG#$TOP/}"
	set +e
	nice -n 19 "${KMAKE[@]}" -j"$(nproc)" bzImage modules > "$LOG" 2>&1
	rc=$?
	set -e
	if [ $rc -ne 0 ]; then
		grep -E 'error|Error' "$LOG" | head -20 >&2 || true
		die "kernel build failed (log: ${LOG#$TOP/})"
	fi
	say "built in $((SECONDS - start))s (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
}

package() {
	local start=$SECONDS rc ver

	ver=$(tree_version "$SRC")-1+khoreg$(git -C "$TOP" rev-list --count HEAD)
	rm -f "$SRC"/*.deb "$SRC"/*.buildinfo "$SRC"/*.changes
	set +e
	DEBFULLNAME=khoreg DEBEMAIL=khoreg@localhost INSTALL_MOD_STRIP=1 \
		nice -n 19 "${KMAKE[@]}" -j"$(nproc)" KDEB_PKGVERSION="$ver" \
		DPKG_FLAGS=-Ppkg.linux-upstream.nokerneldbg bindeb-pkg >> "$LOG" 2>&1
	rc=$?
	set -e
	[ $rc -eq 0 ] || { tail -20 "$LOG" >&2; die "bindeb-pkg failed (log: ${LOG#$TOP/})"; }
	mkdir -p "$DEB"
	rm -f "$DEB"/linux-*.deb
	mv "$SRC"/*.deb "$DEB/"
	rm -f "$SRC"/*.buildinfo "$SRC"/*.changes
	say "packaged in $((SECONDS - start))s: $(cd "$DEB" && ls linux-*.deb | tr '\n' ' ')"
}

mkdir -p "$OBJ" "$DEB" "$(dirname "$LOG")"
"$TOP/mk/assemble.sh"
configure
build
package
