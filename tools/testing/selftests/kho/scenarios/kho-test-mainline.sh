# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: append=kho=on
#
# kho-test-mainline: mainline Linux 7.3's own KHO test, lib/test_kho.c,
# built unchanged against khoreg's <linux/kexec_handover.h> as test_kho.ko
# (CONFIG_KEXEC_HANDOVER_SELFTEST; mk/assemble.sh copies the source
# from build/mainline). Kernel 1 loads it: it preserves random folios and
# a vmalloc array of their addresses in the sub-blob "kho_test". Kernel 2
# loads it again: it restores every folio and compares their checksum.
# It consumes the sub-blob without handing it on, so kernel 3 gets none
# and its test_kho preserves afresh instead of restoring.

stage1() {
	check "mainline's test_kho was built against khoreg" \
		modinfo test_kho
	check "test_kho preserves its data" modprobe test_kho
	check "test_kho logged no error" log_lacks 'test_kho: .*(fail|error)'
	kexec_next
}

stage2() {
	check "khoreg received the sub-blob kho_test" \
		grep -q '^kho_test ' /sys/firmware/kho/blob_status
	check "nothing was restored before test_kho loads" \
		log_lacks 'test_kho: KHO restore'
	check "test_kho loads in the next kernel" modprobe test_kho
	check "test_kho restored every folio and their checksum matches" \
		sh -c "dmesg | grep -q 'test_kho: KHO restore succeeded'"
	check "no restore failed" log_lacks 'test_kho: KHO restore failed'
	kexec_next
}

stage3() {
	check "test_kho loads after a kexec that carried no kho_test" \
		modprobe test_kho
	check "test_kho found nothing to restore: kernel 2 did not hand it on" \
		log_lacks 'test_kho: KHO restore'
}
