# SPDX-License-Identifier: GPL-2.0-only
# khoreg-arch: x86_64: the guest's bpftool and khobpf are the host's x86 builds
# khoreg-vm: named-only
#
# bpf-bench: time reading the whole pending registry through the
# kho_registry BPF iterator against walking /sys/kernel/kho/registry, for
# 10000 entries of four fields each. Reports numbers, asserts nothing
# about them.

# Centiseconds since boot.
now() { sed 's/^\([0-9]*\)\.\([0-9]*\) .*/\1\2/' /proc/uptime; }

stage1() {
	local n=10000 t0 t1 t2 iter_lines sysfs_files

	check "bpffs" mount -t bpf none /sys/fs/bpf
	check "declare $n entries" modprobe khoreg_test action=bench entries=$n
	check "bpftool iter pin" \
		sh -c 'cd / && bpftool iter pin tools/bpf/kho/kho_iter.bpf.o /sys/fs/bpf/kho'
	t0=$(now)
	iter_lines=$(cat /sys/fs/bpf/kho | wc -l)
	t1=$(now)
	sysfs_files=$(find /sys/kernel/kho/registry -path '*/fields/*' -type f \
		-exec cat {} + | wc -l)
	t2=$(now)
	check "the iterator printed every field" [ "$iter_lines" -ge "$sysfs_files" ]
	diag "entries  reader    lines  ms"
	diag "$(printf '%7s  %-8s %6s  %d' $n iterator "$iter_lines" $(((t1 - t0) * 10)))"
	diag "$(printf '%7s  %-8s %6s  %d' $n sysfs "$sysfs_files" $(((t2 - t1) * 10)))"
	say "$n entries: iterator $(((t1 - t0) * 10)) ms, sysfs walk $(((t2 - t1) * 10)) ms"
	check "unpin" rm /sys/fs/bpf/kho
}
