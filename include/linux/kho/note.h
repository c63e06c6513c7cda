/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the khoreg ABI note of this kernel's images says: the handover
 * formats it accepts.  Shared by the note in vmlinux (kernel/kho/abi_note.c)
 * and the copy that architectures with compressed images put in their
 * uncompressed part (arch/x86/boot/khoreg_note.c).
 */
#ifndef _LINUX_KHO_NOTE_H
#define _LINUX_KHO_NOTE_H

#include <linux/kho/abi/kexec_handover.h>
#include <linux/kho/abi/registry.h>

#ifdef CONFIG_KEXEC_HANDOVER_REGISTRY
#define KHOREG_ACCEPTS	KHO_FDT_COMPATIBLE "\0" KHOREG_COMPATIBLE
#else
#define KHOREG_ACCEPTS	KHO_FDT_COMPATIBLE
#endif

#endif /* _LINUX_KHO_NOTE_H */
