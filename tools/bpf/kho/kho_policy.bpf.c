// SPDX-License-Identifier: GPL-2.0-only
/*
 * kho_policy: a validator of the pending handover, configured through the
 * kho_policy_config map (pinned at /sys/fs/bpf/kho_policy_config):
 *
 * - max_bytes: most bytes the handover may hold, registry sub-blob plus
 *   the memory of its entries (0: no limit);
 * - prefixes: if any, every entry's compatible must start with one;
 * - max_session_bytes: most bytes one Live Update session may hold, the
 *   sum of its files' sizes, read from the session's entry in khoreg's
 *   registry view of the sessions (0: no limit).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "kho_policy.h"
#include "../../../include/linux/kho/abi/luo_view.h"

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

/* An entry has at most this many fields that a lookup by name looks at. */
#define FIELDS_MAX	8
/* A field name a lookup by name can find is shorter than this. */
#define FIELD_NAME_MAX	16
/* LIVEUPDATE_SESSION_NAME_LENGTH of <uapi/linux/liveupdate.h>: with its NUL */
#define SESSION_NAME_MAX	64

/*
 * Whether @compat is the compatible of a Live Update session's entry.
 * The literal must not become a static const array: clang 14 puts such an
 * array in .rodata.str1.1 but describes it in the BTF of .rodata, where
 * libbpf then gives it the offset of another variable, and the kernel
 * refuses the program's BTF ("Invalid offset", -EINVAL).
 */
static bool is_session(const char *compat)
{
	int i;

	for (i = 0; i < sizeof(LUO_VIEW_SESSION_COMPATIBLE); i++)
		if (compat[i] != LUO_VIEW_SESSION_COMPATIBLE[i])
			return false;
	return true;
}

/*
 * The field of @entry named @name (@len bytes with its NUL, at most
 * FIELD_NAME_MAX), NULL when it has none. The fields are read as the
 * kernel holds them (struct khoreg_out_field), values in wire encoding.
 */
static __always_inline struct khoreg_out_field *
find_field(const struct khoreg_entry *entry, const char *name, int len)
{
	unsigned int nr = BPF_CORE_READ(entry, schema, nr_fields);
	struct khoreg_out_field *f;
	char buf[FIELD_NAME_MAX];
	int i, j;

	for (i = 0; i < FIELDS_MAX && i < nr; i++) {
		f = NULL;
		bpf_probe_read_kernel(&f, sizeof(f), (void *)entry +
				      bpf_core_field_offset(struct khoreg_entry, fields) +
				      i * sizeof(f));
		if (!f || bpf_probe_read_kernel_str(buf, sizeof(buf),
						    BPF_CORE_READ(f, decl, name)) != len)
			continue;
		for (j = 0; j < len && j < FIELD_NAME_MAX; j++)
			if (buf[j] != name[j])
				break;
		if (j == len)
			return f;
	}
	return NULL;
}

/*
 * Refuse the handover when the session of @entry holds more than @limit
 * bytes: its "bytes" field (a u64, big-endian as on the wire). The
 * caller's buffers take the reason and the session's name (@name, at
 * least SESSION_NAME_MAX bytes): 512 bytes of stack hold no more.
 */
static int check_session(const struct khoreg_entry *entry, __u64 limit,
			 struct kho_bpf_verdict *verdict, char *reason,
			 char *name)
{
	struct khoreg_out_field *f;
	__u64 bytes = 0;

	f = find_field(entry, "bytes", sizeof("bytes"));
	if (!f)
		return 0;
	bpf_probe_read_kernel(&bytes, sizeof(bytes), BPF_CORE_READ(f, val));
	bytes = bpf_be64_to_cpu(bytes);
	if (bytes <= limit)
		return 0;
	f = find_field(entry, "name", sizeof("name"));
	name[0] = '\0';
	if (f)
		bpf_probe_read_kernel_str(name, SESSION_NAME_MAX, BPF_CORE_READ(f, val));
	BPF_SNPRINTF(reason, sizeof(verdict->reason),
		     "live update session %s holds %llu bytes, above the limit of %llu",
		     name, bytes, limit);
	bpf_kho_refuse(verdict, reason, sizeof(verdict->reason));
	return -E2BIG;
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
	if (!cfg || (!cfg->nr_prefixes && !cfg->max_session_bytes))
		return 0;
	bpf_probe_read_kernel_str(compat, sizeof(compat),
				  BPF_CORE_READ(entry, schema, compatible));
	if (cfg->max_session_bytes && is_session(compat) &&
	    check_session(entry, cfg->max_session_bytes, verdict, reason, compat))
		return -E2BIG;
	if (!cfg->nr_prefixes)
		return 0;
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
