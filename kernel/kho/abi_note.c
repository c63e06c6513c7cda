// SPDX-License-Identifier: GPL-2.0-only
/*
 * The khoreg ABI note: the handover formats this kernel accepts, readable
 * from the kernel image so that userspace can check, before kexec, whether
 * this kernel will take a handover (khoctl validate --target IMAGE).
 * Documentation/kho/registry-abi.rst and include/linux/kho/abi/registry.h
 * describe the note.
 */
#include <linux/compiler.h>
#include <linux/kho/note.h>

static __used __section(".note.khoreg") __aligned(4)
KHOREG_ABI_NOTE(khoreg_abi_note, KHOREG_ACCEPTS);
