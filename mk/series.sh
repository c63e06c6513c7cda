#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Export the whole project as a git format-patch series against the pristine
# 6.12 base into build/series/: first the project's own files, split as
# mk/series-groups says (new files nothing builds yet), then the patches of
# patches/series that hook them into upstream files, so every step builds.
# The series is checked with checkpatch and applied with `git am` to a
# pristine tree, which must end up identical to the assembled one.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$TOP/mk/assemble.sh" >/dev/null
out=$BUILD/series
index=$BUILD/series.index
cd "$SRC"

overlay_files > "$BUILD/series.files"
ignores=()	# checkpatch types each patch may ignore, in series order

# Build the commits with a private index: no checkout of the big tree.
export GIT_INDEX_FILE=$index
git read-tree base
tip=$(git rev-parse base)
while IFS='|' read -r prefixes subject body ignore; do
	case $prefixes in ''|'#'*) continue ;; esac
	pattern=$(printf '^%s\\|' $prefixes)
	pattern=${pattern%\\|}
	files=$(grep "$pattern" "$BUILD/series.files" || true)
	[ -n "$files" ] || continue
	for f in $files; do
		mode=100644
		[ -x "$TOP/$f" ] && mode=100755
		git update-index --add --cacheinfo "$mode,$(git hash-object -w "$TOP/$f"),$f"
	done
	grep -v "$pattern" "$BUILD/series.files" > "$BUILD/series.rest" || true
	mv "$BUILD/series.rest" "$BUILD/series.files"
	ignores+=("FILE_PATH_CHANGES${ignore:+,$ignore}")
	tip=$(printf '%s\n\n%s\n\nSigned-off-by: khoreg <khoreg@localhost>\n' "$subject" \
		"$(printf '%s\n' "$body" | fold -s -w 72 | sed 's/ *$//')" |
		git "${GIT_ID[@]}" commit-tree "$(git write-tree)" -p "$tip")
done < "$TOP/mk/series-groups"
if [ -s "$BUILD/series.files" ]; then
	cat "$BUILD/series.files" >&2
	die "the files above match no line of mk/series-groups"
fi
for c in $(git rev-list --reverse base..HEAD); do
	git diff-tree -p --binary "$c^" "$c" | git apply --cached
	tip=$(git log -1 --format=%B "$c" |
		GIT_AUTHOR_NAME=$(git log -1 --format=%an "$c") \
		GIT_AUTHOR_EMAIL=$(git log -1 --format=%ae "$c") \
		GIT_AUTHOR_DATE=$(git log -1 --format=%ad "$c") \
		git "${GIT_ID[@]}" commit-tree "$(git write-tree)" -p "$tip")
	ignores+=(NONE)
done
unset GIT_INDEX_FILE
rm -f "$index"

rm -rf "$out"
git format-patch -q --zero-commit --no-signature -o "$out" base.."$tip"
say "wrote $(ls "$out" | wc -l) patches to ${out#$TOP/}"

bad=0
i=0
for p in "$out"/*.patch; do
	# Debian's python3, which has python3-ply and -git for the SPDX check.
	if ! res=$(PATH=/usr/bin:$PATH scripts/checkpatch.pl --strict --ignore "${ignores[$i]}" \
			--no-summary -q "$p"); then
		printf 'checkpatch: %s\n%s\n' "$(basename "$p")" "$res" >&2
		bad=1
	fi
	i=$((i + 1))
done
[ $bad -eq 0 ] && say "checkpatch --strict: clean"

# The promise of the series: it applies to pristine 6.12 with git am.
wt=$BUILD/series-check
git worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
git worktree prune
git worktree add -q --detach "$wt" base
if ! git -C "$wt" am -q "$out"/*.patch; then
	git -C "$wt" am --abort || true
	die "the series does not apply with git am to Linux $(tree_version "$SRC")"
fi
if ! git -C "$wt" diff --quiet "$tip" HEAD; then
	git -C "$wt" diff --stat "$tip" HEAD >&2
	die "the series applied with git am differs from the assembled tree"
fi
git worktree remove --force "$wt"
say "the series applies with git am to pristine Linux $(tree_version "$SRC")"
exit $bad
