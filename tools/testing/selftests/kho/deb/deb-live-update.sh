# SPDX-License-Identifier: GPL-2.0-only
#
# deb-live-update: check-deb's scenario, on a Debian system with the
# packages of make deb installed (deb/check-deb.sh), run by
# khoreg-check.service with vm/lib.sh. Kernel 1, the packaged kernel
# booted with its initramfs-tools initrd, loads the samples: kho_counter
# counts two ticks under a label, kho_buffer makes its 64 MiB buffer and
# records what its registry entries say (sample-buffer's listing).
# Debian's `kexec -s` loads the same packaged kernel and initrd, which
# finalizes the handover, `khoctl show` reads it, and `systemctl kexec`
# shuts the system down and kexecs. Kernel 2 receives the handover,
# `khoctl show` reads it, the counter comes back with its values and the
# buffer in place, its registry entries byte for byte what kernel 1
# recorded. Kernel 2 boots with kho_finish_timeout=-1: a Debian system
# under QEMU's TCG can take longer than the default 300 s to reach the
# service, so the scenario finishes the handover itself once restored.

# The buffer's listing and restored_stage (the file's stages are replaced
# below).
. /khoreg/scenarios/sample-buffer.sh

cf=/sys/kernel/kho/registry/counter/fields

# packaged: the running kernel is the one of an installed -khoreg package.
packaged() {
	case $(uname -r) in
	*-khoreg) ;;
	*) echo "running $(uname -r)"; return 1 ;;
	esac
	dpkg-query -W -f='${Status}\n' "linux-image-$(uname -r)" | grep -qx 'install ok installed'
}

# initramfs_tools_initrd: this kernel booted from the initrd that
# initramfs-tools made for it (its /conf/initramfs.conf is there), and
# mounted the root file system from the disk.
initramfs_tools_initrd() {
	lsinitramfs "/boot/initrd.img-$(uname -r)" | grep -qx 'conf/initramfs.conf' &&
		grep -q '^/dev/vda / ext4 ' /proc/mounts
}

# shows FILE WORD...: khoctl's output FILE names every WORD.
shows() {
	local file=$1 w

	shift
	[ -s "$file" ] || { echo "$file is empty"; return 1; }
	for w in "$@"; do
		grep -qw -- "$w" "$file" || { echo "no $w in $file"; return 1; }
	done
}

stage1() {
	check "the packaged kernel runs" packaged
	check "booted with its initramfs-tools initrd" initramfs_tools_initrd
	check "khoreg-tools, libkhoreg1 and libkhoreg-dev are installed" \
		dpkg-query -W khoreg-tools libkhoreg1 libkhoreg-dev
	check "KHO is active and idle" [ "$(cat /sys/kernel/kho/state)" = idle ]
	check "kho_counter loads" modprobe kho_counter label=debian
	check "boots=1" [ "$(cat $cf/boots)" = "u64 1" ]
	check "bump counts a tick" sh -c 'echo 1 > /sys/module/kho_counter/parameters/bump'
	check "bump counts another tick" sh -c 'echo 1 > /sys/module/kho_counter/parameters/bump'
	check "ticks=2" [ "$(cat $cf/ticks)" = "u64 2" ]
	check "kho_buffer loads" modprobe kho_buffer
	check "it created a 64 MiB buffer" logged 'kho_buffer: created 67108864 bytes'
	listing $out > /kb.1
	check "its registry entries are recorded" [ "$(wc -l < /kb.1)" -gt 10 ]
	check "kexec -s loads the packaged kernel and its initrd" \
		kexec -s -l "/boot/vmlinuz-$(uname -r)" --initrd="/boot/initrd.img-$(uname -r)" \
		--reuse-cmdline --append="khoreg.stage=2 kho_finish_timeout=-1"
	check "a kernel is loaded" [ "$(cat /sys/kernel/kexec_loaded)" = 1 ]
	check "kexec_file_load finalized the handover" \
		[ "$(cat /sys/kernel/kho/state)" = loaded ]
	check "khoctl show reads the pending handover" \
		sh -c 'khoctl show /sys/kernel/kho > /tmp/show.1'
	check "it shows the counter and the buffer" shows /tmp/show.1 counter buffer
	diag "$(grep -cw -e counter -e buffer /tmp/show.1) line(s) of khoctl show name them"
	say "counter ticks=2, 64 MiB buffer; systemctl kexec"
	sync
	emit "kexec stage2"
	if ! systemctl kexec; then
		fail "systemctl kexec"
		finish
	fi
	# systemd stops this service on its way to the kexec.
	sleep 600
}

stage2() {
	check "the packaged kernel runs again" packaged
	check "booted with its initramfs-tools initrd" initramfs_tools_initrd
	check "it received a handover" [ -d /sys/firmware/kho ]
	check "khoctl show reads the received handover" \
		sh -c 'khoctl show /sys/firmware/kho > /tmp/show.2'
	check "it shows the counter and the buffer" shows /tmp/show.2 counter buffer
	check "kho_counter loads" modprobe kho_counter
	dmesg | grep 'kho_counter: ' | while IFS= read -r line; do diag "$line"; done
	check "it restored boots=1 ticks=2 and the label" \
		logged 'kho_counter: restored boots=1 ticks=2 label=debian'
	check "boots=2" [ "$(cat $cf/boots)" = "u64 2" ]
	check "the ticks survived" [ "$(cat $cf/ticks)" = "u64 2" ]
	check "the label survived" [ "$(cat $cf/label)" = "string debian" ]
	restored_stage 1
	check "the handover waits for its finish" \
		[ "$(cat /sys/firmware/kho/finish)" = "pending never" ]
	check "writing finish finishes it" sh -c 'echo 1 > /sys/firmware/kho/finish'
	check "it finished" [ "$(cat /sys/firmware/kho/finish)" = "finished write" ]
	say "counter boots=2 ticks=2 label=debian, the 64 MiB buffer in place"
}
