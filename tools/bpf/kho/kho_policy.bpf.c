// SPDX-License-Identifier: GPL-2.0-only
/*
 * kho_policy: a validator of the pending handover, configured through the
 * kho_policy_config map (pinned at /sys/fs/bpf/kho_policy_config):
 *
 * - max_bytes: most bytes the handover may hold, registry sub-blob plus
 *   the memory of its entries (0: no limit);
 * - prefixes: if any, every entry's compatible must start with one.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "kho_policy.h"

#define EPERM	1
#define E2BIG	7

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct kho_policy_config);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} kho_policy_config SEC(".maps");

extern int bpf_kho_refuse(struct kho_bpf_verdict *verdict, const char *reason,
			  __u32 reason__sz) __ksym;

static bool has_prefix(const char *s, const char *prefix)
{
	int i;

	for (i = 0; i < KHO_POLICY_PREFIX_MAX; i++) {
		if (!prefix[i])
			return true;
		if (prefix[i] != s[i])
			return false;
	}
	return true;
}

SEC("struct_ops/validate_entry")
int BPF_PROG(validate_entry, const struct khoreg_entry *entry,
	     struct kho_bpf_verdict *verdict)
{
	struct kho_policy_config *cfg;
	char compat[128], reason[sizeof(verdict->reason)];
	__u32 zero = 0;
	int i;

	cfg = bpf_map_lookup_elem(&kho_policy_config, &zero);
	if (!cfg || !cfg->nr_prefixes)
		return 0;
	bpf_probe_read_kernel_str(compat, sizeof(compat),
				  BPF_CORE_READ(entry, schema, compatible));
	for (i = 0; i < KHO_POLICY_PREFIXES; i++)
		if (i < cfg->nr_prefixes && has_prefix(compat, cfg->prefixes[i]))
			return 0;
	BPF_SNPRINTF(reason, sizeof(reason),
		     "compatible %s has none of the %u allowed prefixes",
		     compat, cfg->nr_prefixes);
	bpf_kho_refuse(verdict, reason, sizeof(reason));
	return -EPERM;
}

SEC("struct_ops/validate_handover")
int BPF_PROG(validate_handover, const struct kho_bpf_handover *handover,
	     struct kho_bpf_verdict *verdict)
{
	struct kho_policy_config *cfg;
	__u64 total;
	char reason[sizeof(verdict->reason)];
	__u32 zero = 0;

	cfg = bpf_map_lookup_elem(&kho_policy_config, &zero);
	if (!cfg || !cfg->max_bytes)
		return 0;
	total = handover->registry_bytes + handover->preserved_bytes;
	if (total <= cfg->max_bytes)
		return 0;
	BPF_SNPRINTF(reason, sizeof(reason),
		     "handover of %llu bytes (%u entries) exceeds the limit of %llu bytes",
		     total, handover->nr_entries, cfg->max_bytes);
	bpf_kho_refuse(verdict, reason, sizeof(reason));
	return -E2BIG;
}

SEC(".struct_ops")
struct kho_validator_ops kho_policy = {
	.validate_entry		= (void *)validate_entry,
	.validate_handover	= (void *)validate_handover,
	.name			= "kho_policy",
};
