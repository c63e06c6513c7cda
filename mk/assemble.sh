#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Assemble the kernel tree: Debian's linux-source-6.12 unpacked under
# build/linux (a git repository whose first commit, tagged "base", is the
# pristine source), patches/series applied on top as one commit per patch,
# and every project file symlinked into place so that editing the repo is
# what the next build sees.  Idempotent and quick when nothing changed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

stamp_of_source() {
	dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || true
	stat -c '%s %Y' "$TARBALL"
}

stamp_of_patches() {
	(cd "$TOP/patches" && cat series $(series_patches)) | sha256sum
}

refuse_if_unsaved() {
	[ -d "$SRC/.git" ] || return 0
	if [ -n "$(git -C "$SRC" status --porcelain --untracked-files=no)" ]; then
		git -C "$SRC" status --short --untracked-files=no >&2
		die "build/linux has edits to upstream files that are not in patches/; run 'make save-patches' first"
	fi
}

unpack() {
	local tmp=$BUILD/linux.new top

	say "unpacking $(basename "$TARBALL")"
	rm -rf "$tmp" && mkdir -p "$tmp"
	tar -xf "$TARBALL" -C "$tmp"
	top=$(ls "$tmp")
	[ -f "$tmp/$top/Makefile" ] || die "$TARBALL does not hold a kernel tree"
	git -C "$tmp/$top" init -q
	git -C "$tmp/$top" add -f -A .
	git "${GIT_ID[@]}" -C "$tmp/$top" commit -q \
		-m "Linux $(tree_version "$tmp/$top") (Debian linux-source-6.12)"
	git -C "$tmp/$top" tag base
	git -C "$tmp/$top" config user.name khoreg
	git -C "$tmp/$top" config user.email khoreg@localhost
	rm -rf "$SRC"
	mv "$tmp/$top" "$SRC"
	rmdir "$tmp"
	stamp_of_source > "$SRC/.git/khoreg-source"
}

apply_series() {
	local p n=0 out

	rm -f "$SRC/.git/khoreg-patches"
	git -C "$SRC" reset -q --hard base
	for p in $(series_patches); do
		[ -f "$TOP/patches/$p" ] || die "patches/series names $p, which does not exist"
		if ! out=$(git -C "$SRC" am -q --keep-cr "$TOP/patches/$p" 2>&1); then
			printf '%s\n' "$out" |
				grep -v '^\(When you have\|If you prefer\|To restore\|hint:\)' >&2
			git -C "$SRC" am --abort || true
			die "patches/$p does not apply to Linux $(tree_version "$SRC") (the failing file is named above)"
		fi
		n=$((n + 1))
	done
	stamp_of_patches > "$SRC/.git/khoreg-patches"
	say "applied $n patch(es) from patches/series"
}

place_overlay() {
	local list=$SRC/.git/khoreg-overlay f

	overlay_files > "$list.new"
	while read -r f; do
		if [ -L "$SRC/$f" ]; then
			[ "$(readlink "$SRC/$f")" = "$TOP/$f" ] && continue
		elif [ -e "$SRC/$f" ]; then
			if git -C "$SRC" ls-files --error-unmatch -- "$f" >/dev/null 2>&1; then
				die "$f exists upstream; change upstream files with a patch in patches/, not by replacing them"
			fi
			die "build/linux/$f is a regular file, not a link to the repo; run 'make save-patches' to keep its edits"
		fi
		mkdir -p "$(dirname "$SRC/$f")"
		ln -sfn "$TOP/$f" "$SRC/$f"
	done < "$list.new"
	# Links to files the repo no longer has.
	if [ -f "$list" ]; then
		comm -23 <(sort -u "$list") <(sort -u "$list.new") | while read -r f; do
			if [ -L "$SRC/$f" ]; then
				rm -f "$SRC/$f"
			fi
		done
	fi
	mv "$list.new" "$list"
	say "placed $(wc -l < "$list") project file(s) into the tree"
}

# Mainline's lib/test_kho.c, unchanged, as kernel/kho/tests/test_kho.c
# (with CONFIG_KEXEC_HANDOVER_SELFTEST): copied, never committed, from the
# mainline tree when there is one; a copy kept up to date keeps its mtime.
place_mainline_test() {
	local from=$BUILD/mainline/linux/lib/test_kho.c
	local to=$SRC/kernel/kho/tests/test_kho.c

	if [ ! -f "$from" ]; then
		rm -f "$to"
		say "no ${from#$TOP/} (make mainline): mainline's test_kho is not built"
		return
	fi
	cmp -s "$from" "$to" || cp "$from" "$to"
}

[ -f "$TARBALL" ] || "$TOP/mk/deps.sh" linux-source-6.12
[ -f "$TARBALL" ] || die "$TARBALL is missing after installing linux-source-6.12"
mkdir -p "$BUILD"

if [ ! -f "$SRC/.git/khoreg-source" ] ||
   [ "$(stamp_of_source)" != "$(cat "$SRC/.git/khoreg-source")" ]; then
	refuse_if_unsaved
	unpack
	rm -f "$SRC/.git/khoreg-patches"
fi
if [ ! -f "$SRC/.git/khoreg-patches" ] ||
   [ "$(stamp_of_patches)" != "$(cat "$SRC/.git/khoreg-patches")" ]; then
	refuse_if_unsaved
	apply_series
fi
place_overlay
place_mainline_test
say "kernel tree: build/linux, base Linux $(tree_version "$SRC")"
