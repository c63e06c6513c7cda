// SPDX-License-Identifier: GPL-2.0-only
/*
 * kho_iter_in: print the registry the previous kernel handed over.
 *
 *   bpftool iter pin tools/bpf/kho/kho_iter_in.bpf.o /sys/fs/bpf/kho_in
 *   cat /sys/fs/bpf/kho_in
 *
 * One block per entry, parents first, as kho_iter prints the pending
 * registry, with whether a driver claimed the entry and its owner module
 * ("-" if none):
 *
 *   entry <path> <compatible> v<version> <claimed|unclaimed> <owner>
 *     <field> = <type> <value>
 *     @ <key>=<value>; <key>=<value>
 *
 * The values are those of the files of /sys/firmware/kho/registry, bytes
 * in hex as kho_iter shows them.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

SEC("iter/kho_registry_in")
int kho_iter_in(struct bpf_iter__kho_registry_in *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct khoreg_in_entry *entry = ctx->entry;
	struct khoreg_in_field *field = ctx->field;
	const char *owner;
	char first = 0;

	if (!entry)
		return 0;
	if (field) {
		BPF_SEQ_PRINTF(seq, "  %s = %s", field->name, ctx->text);
		return 0;
	}
	owner = entry->owner;
	BPF_SEQ_PRINTF(seq, "entry %s %s v%u %s %s\n", ctx->path,
		       entry->compatible, entry->version,
		       entry->claimed ? "claimed" : "unclaimed",
		       owner ? owner : "-");
	bpf_probe_read_kernel(&first, 1, ctx->text);
	if (first)
		BPF_SEQ_PRINTF(seq, "  @ %s\n", ctx->text);
	return 0;
}
