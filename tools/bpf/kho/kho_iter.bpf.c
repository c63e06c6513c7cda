// SPDX-License-Identifier: GPL-2.0-only
/*
 * kho_iter: print the pending khoreg registry.
 *
 *   bpftool iter pin tools/bpf/kho/kho_iter.bpf.o /sys/fs/bpf/kho
 *   cat /sys/fs/bpf/kho
 *
 * One block per entry, parents first:
 *
 *   entry <path> <compatible> v<version>
 *     <field> = <type> <value>
 *     @ <key>=<value>; <key>=<value>
 *
 * The field values are those of the files of /sys/kernel/kho/registry;
 * bytes, a binary file there, as "bytes <length> <hex>" (64 bytes at most,
 * then "...").
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

SEC("iter/kho_registry")
int kho_iter(struct bpf_iter__kho_registry *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct khoreg_entry *entry = ctx->entry;
	struct khoreg_out_field *field = ctx->field;
	char first = 0;

	if (!entry)
		return 0;
	if (field) {
		BPF_SEQ_PRINTF(seq, "  %s = %s", field->decl->name, ctx->text);
		return 0;
	}
	BPF_SEQ_PRINTF(seq, "entry %s %s v%u\n", ctx->path,
		       entry->schema->compatible, entry->schema->version);
	bpf_probe_read_kernel(&first, 1, ctx->text);
	if (first)
		BPF_SEQ_PRINTF(seq, "  @ %s\n", ctx->text);
	return 0;
}
