# SPDX-License-Identifier: GPL-2.0-only
#
# bpf-iter: "bpftool iter pin" of tools/bpf/kho/kho_iter.bpf.o prints the
# pending registry: every entry and every field, with the values of
# /sys/kernel/kho/registry (bytes in hex); khobpf show prints the same; a
# read resumes where the last one stopped even when an entry before it
# went away; a process without the BPF capabilities is refused; a reader
# without CAP_SYS_ADMIN of a pinned file sees no secret or memory field. After
# kexec, kho_iter_in.bpf.o prints the incoming registry exactly as
# /sys/firmware/kho/registry shows it, annotations and claimed flags
# included.

# bytes_hex FILE: a bytes field as the iterator shows it, "bytes <len> <hex>"
# with at most 64 bytes in hex and "..." after them if there are more.
bytes_hex() {
	local len hex

	len=$(wc -c < "$1")
	hex=$(head -c 64 "$1" | od -An -tx1 -v | tr -d ' \n')
	[ "$len" -gt 64 ] && hex="$hex..."
	echo "bytes $len${hex:+ $hex}"
}

# sysfs_tree DIR: a registry sysfs tree as "path key value" lines, sorted:
# compatible, version, claimed and owner (when there are such files),
# annotations joined by "; ", and "path/field value" for every field.
sysfs_tree() {
	local d path f v

	(cd "$1" && find . -name compatible -type f) | while read -r f; do
		d=$1/${f%/compatible}
		path=$(echo "${f#./}" | sed -e 's,/entries/,/,g' -e 's,/compatible$,,')
		echo "$path compatible $(cat "$d/compatible")"
		echo "$path version $(cat "$d/version")"
		[ -f "$d/claimed" ] && echo "$path claimed $(cat "$d/claimed")"
		v=$(cat "$d/owner")
		[ -n "$v" ] && echo "$path owner $v"
		v=$(sed ':a;N;s/\n/; /;ta' "$d/annotations")
		[ -n "$v" ] && echo "$path annotations $v"
		for f in "$d"/fields/*; do
			[ -f "$f" ] || continue
			if [ "$(stat -c %s "$f")" = 4096 ]; then
				echo "$path/${f##*/} $(cat "$f")"
			else
				echo "$path/${f##*/} $(bytes_hex "$f")"
			fi
		done
	done | LC_ALL=C sort
}

# nobody_reads PIN OUT: nobody reads the pinned iterator PIN into OUT.
nobody_reads() {
	chmod 0444 "$1" && as_nobody cat "$1" > "$2"
}

# iter_tree FILE: what kho_iter or kho_iter_in printed, as sysfs_tree.
iter_tree() {
	awk '/^entry / { path = $2
		print path " compatible " $3; print path " version " substr($4, 2)
		if (NF >= 6) {
			print path " claimed " ($5 == "claimed")
			if ($6 != "-") print path " owner " $6
		}
		next }
	     /^  @ / { print path " annotations " substr($0, 5); next }
	     /^  [^ ]+ = / { print path "/" $1 " " substr($0, index($0, " = ") + 3) }' "$1" |
		LC_ALL=C sort
}

stage1() {
	local block

	check "bpffs" mount -t bpf none /sys/fs/bpf
	check "kho_counter declares its entry" modprobe kho_counter
	check "khoreg_test declares its entries" modprobe khoreg_test action=declare
	check "bpftool iter pin" \
		sh -c 'cd / && bpftool iter pin tools/bpf/kho/kho_iter.bpf.o /sys/fs/bpf/kho'
	check "cat the pinned iterator" sh -c 'cat /sys/fs/bpf/kho > /tmp/iter'
	while IFS= read -r line; do diag "$line"; done < /tmp/iter
	check "the iterator shows the entry" \
		grep -q '^entry khoreg-test khoreg,test-v1 v1$' /tmp/iter
	check "the iterator shows the nested entry" grep -q '^entry khoreg-test/child ' /tmp/iter
	check "the iterator shows a u64" grep -qx '  big = u64 18364758544493064720' /tmp/iter
	check "the iterator shows bytes in hex" grep -qx '  mac = bytes 6 02005e102030' /tmp/iter
	check "root sees the secret field" grep -qx '  secret = u64 6211559' /tmp/iter
	check "root sees a range's address" grep -q '^  ring = range ' /tmp/iter
	check "nobody reads the pinned iterator" nobody_reads /sys/fs/bpf/kho /tmp/iter.nobody
	check "nobody sees the other fields" \
		grep -qx '  big = u64 18364758544493064720' /tmp/iter.nobody
	check "nobody does not see the secret field" \
		lacks /tmp/iter.nobody '^  secret = ' '^  big = '
	check "nor the memory fields" lacks /tmp/iter.nobody '^  (ring|buf|table) = ' '^  big = '
	check "root still sees them after nobody" sh -c 'cat /sys/fs/bpf/kho | cmp - /tmp/iter'
	# kho_iter does not print the owner of an outgoing entry.
	sysfs_tree /sys/kernel/kho/registry | grep -v '^[^ ]* owner ' > /tmp/sysfs.tree
	iter_tree /tmp/iter > /tmp/iter.tree
	check "as many entries and fields as sysfs" \
		[ "$(wc -l < /tmp/iter.tree)" = "$(wc -l < /tmp/sysfs.tree)" ]
	check "every entry and field as in sysfs" diff /tmp/sysfs.tree /tmp/iter.tree
	check "a second read gives the same" sh -c 'cat /sys/fs/bpf/kho | cmp - /tmp/iter'
	check "khobpf show prints the same" sh -c 'khobpf show | cmp - /tmp/iter'
	check "512-byte reads give the same" \
		sh -c 'dd if=/sys/fs/bpf/kho bs=512 2>/dev/null | cmp - /tmp/iter'

	# Read exactly the counter's block, remove the counter, read on: the
	# reader goes on with khoreg-test, not at an offset that moved.
	block=$(awk '/^entry / && NR > 1 { exit } { print }' /tmp/iter | wc -c)
	exec 3< /sys/fs/bpf/kho
	dd bs="$block" count=1 <&3 > /tmp/part1 2>/dev/null
	check "the first read is the counter's block" grep -q '^entry counter ' /tmp/part1
	check "remove the counter while the iterator is open" rmmod kho_counter
	cat <&3 > /tmp/part2
	exec 3<&-
	check "the next reads go on after it: nothing lost, nothing twice" \
		sh -c 'cat /tmp/part1 /tmp/part2 | cmp - /tmp/iter'
	check "a new read no longer shows the counter" \
		lacks /sys/fs/bpf/kho '^entry counter ' '^entry '
	check "unpin" rm /sys/fs/bpf/kho
	check "an unprivileged process cannot load the iterator" \
		fails_with 'Operation not permitted' as_nobody khobpf show
	check "khobpf annotate stamps every entry" sh -c 'khobpf annotate > /tmp/annotate'
	say "bpftool iter pin + cat prints the pending registry as sysfs shows it"
	kexec_next
}

stage2() {
	local in=/sys/firmware/kho/registry

	check "bpffs" mount -t bpf none /sys/fs/bpf
	check "khoreg_test claims khoreg-test and its child" modprobe khoreg_test action=restore
	check "bpftool iter pin kho_iter_in" \
		sh -c 'cd / && bpftool iter pin tools/bpf/kho/kho_iter_in.bpf.o /sys/fs/bpf/kho_in'
	check "cat the pinned iterator" sh -c 'cat /sys/fs/bpf/kho_in > /tmp/in'
	while IFS= read -r line; do diag "$line"; done < /tmp/in
	check "it shows the claimed entry" \
		grep -q '^entry khoreg-test khoreg,test-v1 v1 claimed khoreg_test$' /tmp/in
	check "and the unclaimed one" \
		grep -q '^entry khoreg-spare khoreg,test-spare-v1 v1 unclaimed ' /tmp/in
	check "with the annotations" \
		grep -q '^  @ stamp.release=[^;]*; stamp.time=[0-9]*$' /tmp/in
	sysfs_tree $in > /tmp/sysfs.tree
	iter_tree /tmp/in > /tmp/in.tree
	check "as many lines as /sys/firmware/kho/registry" \
		[ "$(wc -l < /tmp/in.tree)" = "$(wc -l < /tmp/sysfs.tree)" ]
	check "the same as /sys/firmware/kho/registry" diff /tmp/sysfs.tree /tmp/in.tree
	check "khobpf show --in prints the same" sh -c 'khobpf show --in | cmp - /tmp/in'
	check "16-byte reads give the same" \
		sh -c 'dd if=/sys/fs/bpf/kho_in bs=16 2>/dev/null | cmp - /tmp/in'
	check "root sees incoming fields" grep -q '^  secret = u64 6211559$' /tmp/in
	check "nobody reads the pinned iterator" nobody_reads /sys/fs/bpf/kho_in /tmp/in.nobody
	check "nobody sees the entries" grep -q '^entry khoreg-test ' /tmp/in.nobody
	check "but no incoming field" lacks /tmp/in.nobody '^  [^ @]+ = ' '^entry '
	check "unpin" rm /sys/fs/bpf/kho_in
	say "bpftool iter pin + cat prints what the previous kernel handed over"
}
