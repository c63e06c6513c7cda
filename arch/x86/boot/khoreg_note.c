// SPDX-License-Identifier: GPL-2.0-only
/*
 * A copy of the khoreg ABI note (kernel/kho/abi_note.c) in the setup part
 * of the bzImage, which is not compressed: tools that check whether an
 * image accepts a handover find it there by scanning the file.
 */
#include <linux/compiler.h>
#include <linux/kho/note.h>

static __used __aligned(4) KHOREG_ABI_NOTE(khoreg_abi_note, KHOREG_ACCEPTS);
