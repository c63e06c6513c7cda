// SPDX-License-Identifier: GPL-2.0-only
/*
 * kho_annotate: stamp every entry of the pending registry with the
 * annotations stamp.release (the running kernel's release) and
 * stamp.time (seconds since the epoch), which the loader sets. A
 * sleepable kho_registry iterator: reading it annotates, and prints one
 * line per entry: "<path>: <error> (<n> annotations)".
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

/* Set by khobpf before loading. */
char release[65];
__u64 stamp_time;

extern int bpf_kho_annotate(struct khoreg_entry *entry, const char *key,
			    __u32 key__sz, const char *value,
			    __u32 value__sz) __ksym;

/*
 * Kfuncs may write to their memory arguments, so the verifier refuses
 * read-only data there: key and value go through the stack.
 */
SEC("iter.s/kho_registry")
int kho_annotate(struct bpf_iter__kho_registry *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct khoreg_entry *entry = ctx->entry;
	char key[16] = {}, value[72] = {};
	int err;

	if (!entry || ctx->field)
		return 0;
	__builtin_memcpy(key, "stamp.release", sizeof("stamp.release"));
	BPF_SNPRINTF(value, sizeof(value), "%s", release);
	err = bpf_kho_annotate(entry, key, sizeof(key), value, sizeof(value));
	if (!err) {
		__builtin_memcpy(key, "stamp.time", sizeof("stamp.time"));
		BPF_SNPRINTF(value, sizeof(value), "%llu", stamp_time);
		err = bpf_kho_annotate(entry, key, sizeof(key), value,
				       sizeof(value));
	}
	BPF_SEQ_PRINTF(seq, "%s: %d (%u annotations)\n", ctx->path, err,
		       entry->nr_annotations);
	return 0;
}
