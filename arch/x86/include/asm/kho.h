/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kexec HandOver on x86: the SETUP_KEXEC_KHO setup_data element.
 */
#ifndef _ASM_X86_KHO_H
#define _ASM_X86_KHO_H

#include <linux/types.h>

struct boot_params;
struct kimage;

#ifdef CONFIG_KEXEC_HANDOVER
void kho_x86_parse_setup_data(u64 pa_data, u32 data_len);
unsigned int kho_x86_add_setup_data(struct kimage *image,
				    struct boot_params *params,
				    unsigned long params_load_addr,
				    unsigned int offset);
#else
static inline void kho_x86_parse_setup_data(u64 pa_data, u32 data_len) { }
static inline unsigned int kho_x86_add_setup_data(struct kimage *image,
						  struct boot_params *params,
						  unsigned long params_load_addr,
						  unsigned int offset)
{
	return 0;
}
#endif

#endif /* _ASM_X86_KHO_H */
