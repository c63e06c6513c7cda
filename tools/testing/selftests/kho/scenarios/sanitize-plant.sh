# SPDX-License-Identifier: GPL-2.0-only
# khoreg-vm: named-only
# khoreg-arch: x86_64: the sanitizer kernel (config.sanitize) is built for x86-64 only
#
# sanitize-plant: one boot of the sanitizer kernel with
# kho_fuzz.plant=kasan,ubsan,lockdep,leak, which makes one report of each
# kind at late_initcall; the sanitizer suite (mk/check.sh) then checks that
# its scan of this console log finds each, or the scan could not fail.  The
# leak is found by the kmemleak scan at the end of the stage
# (khoreg.kmemleak=1).  The scenario's own result does not count: the
# reports make the harness call it failed.

stage1() {
	check "kho_fuzz made reports on purpose" \
		sh -c "dmesg | grep -q 'kho_fuzz: making reports on purpose'"
}
