#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Tests of the build scripts themselves, as KTAP: mk/save-patches.sh run on
# a small throw-away repo and kernel tree (a copy of mk/ beside a fake
# build/linux with two patches), so every way of saving an edit is covered
# without touching the real tree; mk/graph-check.py run on throw-away
# directories of two C files, with and without a cycle.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tools/testing/selftests/kho/vm/ktap.sh"
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
top=$tmp/top
src=$top/build/linux
n=0

result() {		# result OK|FAIL DESCRIPTION [LOG]
	n=$((n + 1))
	if [ "$1" = OK ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		[ -n "${3:-}" ] && sed 's/^/# /' "$3"
	fi
}

git_() { git -c user.name=test -c user.email=test@localhost "$@"; }

# The fake project: patches 0001 (touches a.c) and 0002 (touches b.c) on a
# base commit, and one overlay file linked from the repo into the tree.
setup() {
	mkdir -p "$top/mk" "$top/patches" "$top/kernel" "$src"
	cp "$here/lib.sh" "$here/save-patches.sh" "$top/mk/"
	git_ -C "$top" init -q
	printf 'int x;\n' > "$top/kernel/x.c"
	cd "$src" || exit 1
	git_ init -q
	git config user.name khoreg
	git config user.email khoreg@localhost
	printf 'a1\na2\na3\n' > a.c
	printf 'b1\nb2\nb3\n' > b.c
	git add a.c b.c
	git_ commit -q -m base
	git tag base
	printf 'a1\nA\na2\na3\n' > a.c
	git_ commit -q -am "a: first patch"
	printf 'b1\nb2\nB\nb3\n' > b.c
	git_ commit -q -am "b: second patch"
	git format-patch -q -o "$top/patches" base
	(cd "$top/patches" && ls *.patch) > "$top/patches/series"
	mkdir -p kernel
	ln -s "$top/kernel/x.c" kernel/x.c
	echo kernel/x.c > .git/khoreg-overlay
	cd - > /dev/null || exit 1
}

save() { (cd "$top" && "$@" mk/save-patches.sh) > "$tmp/log" 2>&1; }

# applies: the saved series, applied with git am to base, gives the tree.
applies() {
	rm -rf "$tmp/check"
	git clone -q "$src" "$tmp/check" 2>/dev/null &&
	(cd "$tmp/check" && git checkout -q base &&
	 git_ am -q $(sed "s|^|$top/patches/|" "$top/patches/series")) \
		>> "$tmp/log" 2>&1 &&
	diff -r -x .git -x kernel "$tmp/check" "$src" >> "$tmp/log" 2>&1
}

echo "KTAP version 1"
echo "1..9"
setup

save
if [ $? -eq 0 ] && grep -q 'no edits to upstream files' "$tmp/log"; then
	result OK "save-patches: nothing to save is said and succeeds"
else
	result FAIL "save-patches: nothing to save is said and succeeds" "$tmp/log"
fi

printf 'a1\nA\na2\na3\nmore a\n' > "$src/a.c"
printf 'b0\nb1\nb2\nB\nb3\n' > "$src/b.c"
save && save	# the second run must find nothing to do
if [ $? -eq 0 ] && [ "$(git -C "$src" rev-list --count base..HEAD)" = 2 ] &&
   [ -z "$(git -C "$src" log --format=%s --grep='^fixup! ' base..HEAD)" ] &&
   grep -q '^+more a$' "$top/patches/0001-a-first-patch.patch" &&
   grep -q '^+b0$' "$top/patches/0002-b-second-patch.patch" &&
   ! grep -q '^+b0$' "$top/patches/0001-a-first-patch.patch" && applies; then
	result OK "save-patches: edits fold into the patches that touch the files, no fixup! left"
else
	git -C "$src" log --oneline base..HEAD >> "$tmp/log"
	result FAIL "save-patches: edits fold into the patches that touch the files, no fixup! left" \
		"$tmp/log"
fi

printf 'a1\nA\na2\na3\nmore a\nagain\n' > "$src/a.c"
save
if [ $? -eq 0 ] && [ "$(git -C "$src" rev-list --count base..HEAD)" = 2 ] &&
   [ -z "$(git -C "$src" log --format=%s --grep='^fixup! ' base..HEAD)" ] &&
   grep -q '^+again$' "$top/patches/0001-a-first-patch.patch" && applies; then
	result OK "save-patches: a second edit of the same file folds again"
else
	result FAIL "save-patches: a second edit of the same file folds again" "$tmp/log"
fi

printf 'c\n' > "$src/c.c"
git -C "$src" add c.c
save
rc=$?
if [ $rc -ne 0 ] && grep -q "no patch touches c.c yet" "$tmp/log"; then
	result OK "save-patches: a new upstream file without SUBJECT is refused with the reason"
else
	result FAIL "save-patches: a new upstream file without SUBJECT is refused with the reason" \
		"$tmp/log"
fi

save env SUBJECT="c: add c" BODY="Why c is needed."
if [ $? -eq 0 ] && [ "$(tail -n 1 "$top/patches/series")" = 0003-c-add-c.patch ] &&
   grep -q '^Why c is needed\.$' "$top/patches/0003-c-add-c.patch" && applies; then
	result OK "save-patches: SUBJECT names a new patch, appended to the series"
else
	result FAIL "save-patches: SUBJECT names a new patch, appended to the series" "$tmp/log"
fi

rm "$src/kernel/x.c"
printf 'int y;\n' > "$src/kernel/x.c"
save
if [ $? -eq 0 ] && [ -L "$src/kernel/x.c" ] &&
   [ "$(cat "$top/kernel/x.c")" = "int y;" ]; then
	result OK "save-patches: a project file replaced in the tree is copied back and relinked"
else
	result FAIL "save-patches: a project file replaced in the tree is copied back and relinked" \
		"$tmp/log"
fi

# mk/graph-check.py: a.c and b.c calling each other are a cycle, named with
# the functions that make it; an #include of b.h is a use of b.c; the same
# name in a prototype, a comment, a string or as a struct tag is not.
graph=$tmp/graph
mkdir -p "$graph"
printf 'int b(int n);\nint a(int n)\n{\n\treturn n ? b(n - 1) : 0;\n}\n' > "$graph/a.c"
printf 'int a(int n);\nint b(int n)\n{\n\treturn n ? a(n - 1) : 1;\n}\n' > "$graph/b.c"
"$here/graph-check.py" "$graph" > "$tmp/log" 2>&1
if [ $? -eq 1 ] && grep -q '^  cycle among a\.c b\.c:$' "$tmp/log" &&
   grep -q '^    a\.c -> b\.c: b()$' "$tmp/log" &&
   grep -q '^    b\.c -> a\.c: a()$' "$tmp/log"; then
	result OK "graph-check: a.c and b.c calling each other are reported as a cycle"
else
	result FAIL "graph-check: a.c and b.c calling each other are reported as a cycle" "$tmp/log"
fi

desc="graph-check: a.c calling b.c is no cycle when b.c only declares a() or names it"
desc="$desc in a comment, a string or as a struct tag"
printf 'struct a;\nint a(int n);\n/* not a(): */\nint b(struct a *p)\n{\n\treturn !p + sizeof("a(n)");\n}\n' \
	> "$graph/b.c"
"$here/graph-check.py" "$graph" > "$tmp/log" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q ': 0 cycle(s), 1 edge(s)$' "$tmp/log"; then
	result OK "$desc"
else
	result FAIL "$desc" "$tmp/log"
fi

printf 'int b(int n);\n' > "$graph/b.h"
printf '#include "b.h"\nint a(int n)\n{\n\treturn n;\n}\n' > "$graph/a.c"
printf 'int a(int n);\nint b(int n)\n{\n\treturn a(n);\n}\n' > "$graph/b.c"
"$here/graph-check.py" --ktap "$graph" > "$tmp/log" 2>&1
if [ $? -eq 1 ] && grep -q "^not ok 1 no include/call cycle in $graph\$" "$tmp/log" &&
   grep -q '^#   a\.c -> b\.c: #include "b\.h"$' "$tmp/log"; then
	result OK "graph-check: an #include of b.h is a use of b.c (KTAP)"
else
	result FAIL "graph-check: an #include of b.h is a use of b.c (KTAP)" "$tmp/log"
fi
