// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver on x86: pass the handover in a SETUP_KEXEC_KHO setup_data
 * element (payload &struct kho_x86_setup_data) and read it at boot.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/init.h>
#include <linux/kexec.h>
#include <linux/kho.h>
#include <linux/moduleparam.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/sysfs.h>
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

#if IS_ENABLED(CONFIG_KEXEC_HANDOVER_SELFTEST)
/*
 * Test only: damage the scratch array named in the element, to test that
 * the next kernel boots anyway, with KASLR, and refuses the handover.
 * kho_x86.damage_scratch is one of kho_x86_damages[]: "count" names a
 * terabyte of array, "misaligned" moves it by 4 bytes, "outside" names an
 * array whose one area lies far beyond any RAM of the test VMs: the
 * element's own payload, its FDT address and size overwritten with that
 * area (setup_data is memory the next kernel keeps, KASLR included).
 */
enum kho_x86_damage {
	KHO_X86_DAMAGE_NONE,
	KHO_X86_DAMAGE_COUNT,
	KHO_X86_DAMAGE_MISALIGNED,
	KHO_X86_DAMAGE_OUTSIDE,
};

static const char * const kho_x86_damages[] = {
	[KHO_X86_DAMAGE_NONE] = "none",
	[KHO_X86_DAMAGE_COUNT] = "count",
	[KHO_X86_DAMAGE_MISALIGNED] = "misaligned",
	[KHO_X86_DAMAGE_OUTSIDE] = "outside",
};

static int kho_x86_damage;

/* "outside": the payload's first two words are read as a scratch area */
static_assert(offsetof(struct kho_x86_setup_data, fdt_addr) ==
	      offsetof(struct kho_scratch_entry, addr) &&
	      offsetof(struct kho_x86_setup_data, fdt_size) ==
	      offsetof(struct kho_scratch_entry, size));

static int kho_x86_damage_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(kho_x86_damages, val);

	if (i < 0)
		return -EINVAL;
	WRITE_ONCE(kho_x86_damage, i);
	return 0;
}

static int kho_x86_damage_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", kho_x86_damages[READ_ONCE(kho_x86_damage)]);
}

static const struct kernel_param_ops kho_x86_damage_ops = {
	.set = kho_x86_damage_set,
	.get = kho_x86_damage_get,
};

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "kho_x86."
module_param_cb(damage_scratch, &kho_x86_damage_ops, NULL, 0600);

/* Damage the payload @kho, which the next kernel finds at @kho_phys. */
static void kho_x86_damage_scratch(struct kho_x86_setup_data *kho,
				   phys_addr_t kho_phys)
{
	int damage = READ_ONCE(kho_x86_damage);

	switch (damage) {
	case KHO_X86_DAMAGE_NONE:
		return;
	case KHO_X86_DAMAGE_COUNT:
		kho->scratch_size = SZ_1T;
		break;
	case KHO_X86_DAMAGE_MISALIGNED:
		kho->scratch_addr += 4;
		break;
	case KHO_X86_DAMAGE_OUTSIDE:
		kho->fdt_addr = 1ULL << 45;
		kho->fdt_size = SZ_1G;
		kho->scratch_addr = kho_phys;
		kho->scratch_size = sizeof(struct kho_scratch_entry);
		break;
	}
	pr_warn("test: the next kernel gets a damaged scratch array (%s)\n",
		kho_x86_damages[damage]);
}
#else
static inline void kho_x86_damage_scratch(struct kho_x86_setup_data *kho,
					  phys_addr_t kho_phys)
{
}
#endif

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
	kho_x86_damage_scratch(kho, params_load_addr + offset + sizeof(*sd));
	sd->type = SETUP_KEXEC_KHO;
	sd->len = sizeof(*kho);
	sd->next = params->hdr.setup_data;
	params->hdr.setup_data = params_load_addr + offset;
	return sizeof(*sd) + sizeof(*kho);
}
