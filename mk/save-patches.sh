#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Turn edits made inside build/linux back into the repo, so nothing is lost:
#  - an edit to an upstream file is folded into the patch of patches/series
#    that last touched that file, or into a new patch (SUBJECT="area: what")
#    for files no patch touches yet;
#  - a project file whose link was replaced by a regular file (sed -i, some
#    editors) is copied back into the repo and linked again.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -d "$SRC/.git" ] || die "no assembled tree; run 'make assemble' first"
cd "$SRC"

while read -r f; do
	if [ -f "$f" ] && [ ! -L "$f" ]; then
		cp "$f" "$TOP/$f"
		ln -sfn "$TOP/$f" "$f"
		say "copied build/linux/$f back to the repo"
	fi
done < .git/khoreg-overlay

mapfile -t changed < <(git diff --name-only HEAD)
if [ ${#changed[@]} -eq 0 ]; then
	say "no edits to upstream files"
	exit 0
fi

mapfile -t commits < <(git rev-list --reverse base..HEAD)
mapfile -t names < <(series_patches)
[ ${#commits[@]} -eq ${#names[@]} ] ||
	die "build/linux does not match patches/series; run 'make assemble' after saving your edits elsewhere"

declare -A touched=()		# patch index -> 1
fresh=()
for f in "${changed[@]}"; do
	c=$(git log -1 --format=%H base..HEAD -- "$f")
	if [ -z "$c" ]; then
		fresh+=("$f")
		continue
	fi
	for i in "${!commits[@]}"; do
		[ "${commits[$i]}" = "$c" ] && touched[$i]=1
	done
	git commit -q --no-verify --fixup="$c" -- "$f"
done

if [ ${#fresh[@]} -gt 0 ]; then
	[ -n "${SUBJECT:-}" ] ||
		die "no patch touches ${fresh[*]} yet; name the new patch: make save-patches SUBJECT='area: what it does'"
	git commit -q -s -m "$SUBJECT" \
		-m "$(printf '%s\n' "${BODY:-Describe why this hook into upstream code is needed.}" |
			fold -s -w 72 | sed 's/ *$//')" -- "${fresh[@]}"
	slug=$(printf '%s' "$SUBJECT" | tr 'A-Z' 'a-z' | tr -cs 'a-z0-9' '-' | cut -c1-52 | sed 's/^-//; s/-$//')
	name=$(printf '%04d-%s.patch' $((${#names[@]} + 1)) "$slug")
	names+=("$name")
	touched[$((${#names[@]} - 1))]=1
	printf '%s\n' "$name" >> "$TOP/patches/series"
fi

# (not `git log | grep -q`: with pipefail, grep leaving early can fail the
# pipeline through SIGPIPE and leave the fixups unsquashed)
if [ -n "$(git log --format=%s --grep='^fixup! ' base..HEAD)" ]; then
	GIT_SEQUENCE_EDITOR=: git rebase -q -i --autosquash base
fi

mapfile -t commits < <(git rev-list --reverse base..HEAD)
for i in "${!touched[@]}"; do
	git format-patch -q -1 --stdout --zero-commit --no-signature "${commits[$i]}" \
		> "$TOP/patches/${names[$i]}"
	say "wrote patches/${names[$i]}"
done
(cd "$TOP/patches" && cat series $(series_patches)) | sha256sum > .git/khoreg-patches
