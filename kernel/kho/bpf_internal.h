/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The BPF side of khoreg (bpf_iter.c, bpf_ops.c): the types BPF validators
 * see, the kfuncs, and what the kho_bpf KUnit suite calls.
 */
#ifndef _KERNEL_KHO_BPF_INTERNAL_H
#define _KERNEL_KHO_BPF_INTERNAL_H

#include <linux/types.h>

struct bpf_prog;
struct btf_member;
struct btf_type;
struct khoreg_entry;
struct khoreg_registry;

#define KHO_VALIDATOR_NAME_MAX	32
#define KHO_BPF_REASON_MAX	256

/**
 * struct kho_bpf_verdict - where a validator program says why it refuses
 * @reason: the reason, set with bpf_kho_refuse()
 */
struct kho_bpf_verdict {
	char reason[KHO_BPF_REASON_MAX];
};

/**
 * struct kho_bpf_handover - the whole pending handover, for validators
 * @nr_entries: entries of the registry, at every level
 * @registry_bytes: size of the registry sub-blob that will be generated
 * @preserved_bytes: memory preserved through the entries' range, folio
 *	and vmalloc fields
 */
struct kho_bpf_handover {
	u32 nr_entries;
	u64 registry_bytes;
	u64 preserved_bytes;
};

/**
 * struct kho_validator_ops - a BPF validator of the pending handover
 * @validate_entry: offered each entry; non-zero refuses the handover
 * @validate_handover: offered the whole handover after every entry passed;
 *	non-zero refuses it
 * @name: the validator's name, shown in the reason of a refusal
 */
struct kho_validator_ops {
	int (*validate_entry)(const struct khoreg_entry *entry,
			      struct kho_bpf_verdict *verdict);
	int (*validate_handover)(const struct kho_bpf_handover *handover,
				 struct kho_bpf_verdict *verdict);
	char name[KHO_VALIDATOR_NAME_MAX];
};

int bpf_kho_annotate(struct khoreg_entry *entry, const char *key, u32 key__sz,
		     const char *value, u32 value__sz);
int bpf_kho_refuse(struct kho_bpf_verdict *verdict, const char *reason,
		   u32 reason__sz);

#if IS_ENABLED(CONFIG_KUNIT)
int kho_ops_check_member(const struct btf_type *t,
			 const struct btf_member *member,
			 const struct bpf_prog *prog);
int kho_ops_init_member(const struct btf_type *t,
			const struct btf_member *member, void *kdata,
			const void *udata);
int kho_bpf_attach(struct khoreg_registry *reg, struct kho_validator_ops *ops);
void kho_bpf_detach(struct kho_validator_ops *ops);
#endif

#endif /* _KERNEL_KHO_BPF_INTERNAL_H */
