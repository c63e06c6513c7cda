// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver on x86: pass the handover in a SETUP_KEXEC_KHO setup_data
 * element (payload &struct kho_x86_setup_data) and read it at boot.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/init.h>
#include <linux/kexec.h>
#include <linux/kho.h>
#include <asm/bootparam.h>
#include <asm/early_ioremap.h>
#include <asm/kho.h>
#include <asm/setup.h>

static_assert(SETUP_KEXEC_KHO == KHO_X86_SETUP_DATA_TYPE);

/**
 * kho_x86_parse_setup_data() - read a SETUP_KEXEC_KHO element at boot
 * @pa_data: physical address of the &struct setup_data
 * @data_len: its length, header included
 */
void __init kho_x86_parse_setup_data(u64 pa_data, u32 data_len)
{
	struct kho_x86_setup_data *kho;
	u64 addr = pa_data + sizeof(struct setup_data);

	if (data_len != sizeof(struct setup_data) + sizeof(*kho)) {
		pr_err("setup_data of %u bytes is invalid; ignoring the handover\n",
		       data_len);
		return;
	}
	kho = early_memremap(addr, sizeof(*kho));
	if (!kho) {
		pr_err("cannot map setup_data; ignoring the handover\n");
		return;
	}
	kho_populate(kho->fdt_addr, kho->fdt_size, kho->scratch_addr,
		     kho->scratch_size);
	early_memunmap(kho, sizeof(*kho));
}

/**
 * kho_x86_add_setup_data() - add the SETUP_KEXEC_KHO element to boot params
 * @image: the kexec image being loaded
 * @params: its boot parameters
 * @params_load_addr: where @params will be in memory
 * @offset: offset of free room in @params for the element
 *
 * Return: the bytes used at @offset, 0 if @image carries no handover.
 */
unsigned int kho_x86_add_setup_data(struct kimage *image,
				    struct boot_params *params,
				    unsigned long params_load_addr,
				    unsigned int offset)
{
	struct setup_data *sd = (void *)params + offset;
	struct kho_x86_setup_data *kho = (void *)sd->data;
	struct kho_image_handover h;

	if (!kho_kimage_handover(image, &h))
		return 0;
	kho->fdt_addr = h.fdt_addr;
	kho->fdt_size = h.fdt_size;
	kho->scratch_addr = h.scratch_addr;
	kho->scratch_size = h.scratch_size;
	sd->type = SETUP_KEXEC_KHO;
	sd->len = sizeof(*kho);
	sd->next = params->hdr.setup_data;
	params->hdr.setup_data = params_load_addr + offset;
	return sizeof(*sd) + sizeof(*kho);
}
