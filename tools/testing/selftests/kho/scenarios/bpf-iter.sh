# SPDX-License-Identifier: GPL-2.0-only
# khoreg-arch: x86_64: the guest's bpftool and khobpf are the host's x86 builds
#
# bpf-iter: "bpftool iter pin" of tools/bpf/kho/kho_iter.bpf.o prints the
# pending registry: every entry and every field, with the values of
# /sys/kernel/kho/registry; khobpf show prints the same; a process without
# the BPF capabilities is refused.

reg=/sys/kernel/kho/registry

# The fields of the sysfs tree as "path/field value", one per line.
sysfs_fields() {
	(cd $reg && find . -path '*/fields/*' -type f) | while read -r f; do
		path=$(echo "${f#./}" | sed -e 's,/entries/,/,g' -e 's,/fields/,/,')
		if [ "$(stat -c %s "$reg/$f")" = 4096 ]; then
			echo "$path $(cat "$reg/$f")"
		else
			echo "$path bytes $(wc -c < "$reg/$f")"
		fi
	done | sort
}

# The fields printed by kho_iter as "path/field value", one per line.
iter_fields() {
	awk '/^entry / { path = $2 }
	     /^  [^ @]+ = / { print path "/" $1 " " substr($0, index($0, " = ") + 3) }' "$1" |
		sort
}

stage1() {
	check "bpffs" mount -t bpf none /sys/fs/bpf
	check "khoreg_test declares its entries" modprobe khoreg_test action=declare
	check "bpftool iter pin" \
		sh -c 'cd / && bpftool iter pin tools/bpf/kho/kho_iter.bpf.o /sys/fs/bpf/kho'
	check "cat the pinned iterator" sh -c 'cat /sys/fs/bpf/kho > /tmp/iter'
	while IFS= read -r line; do diag "$line"; done < /tmp/iter
	check "the iterator shows the entry" \
		grep -q '^entry khoreg-test khoreg,test-v1 v1$' /tmp/iter
	check "the iterator shows the nested entry" grep -q '^entry khoreg-test/child ' /tmp/iter
	check "the iterator shows a u64" grep -qx '  big = u64 18364758544493064720' /tmp/iter
	sysfs_fields > /tmp/sysfs.fields
	iter_fields /tmp/iter > /tmp/iter.fields
	check "as many fields as sysfs" \
		[ "$(wc -l < /tmp/iter.fields)" = "$(wc -l < /tmp/sysfs.fields)" ]
	check "every field as in sysfs" diff /tmp/sysfs.fields /tmp/iter.fields
	check "a second read gives the same" sh -c 'cat /sys/fs/bpf/kho | cmp - /tmp/iter'
	check "khobpf show prints the same" sh -c 'khobpf show | cmp - /tmp/iter'
	check "unpin" rm /sys/fs/bpf/kho
	check "an unprivileged process cannot load the iterator" \
		sh -c '! setpriv --reuid=65534 --regid=65534 --clear-groups khobpf show'
	say "bpftool iter pin + cat prints the pending registry as sysfs shows it"
}
