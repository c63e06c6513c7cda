// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: open + validate + walk + diff of arbitrary bytes,
 * and author for inputs that look like JSON.
 */
#include <stdint.h>
#include <stdlib.h>

#include "khoreg.h"

static int on_block(uint64_t phys, unsigned int order, void *ctx)
{
	return 0;
}

static void walk_entry(const struct khoreg_entry *e)
{
	char buf[64];
	size_t i;

	for (i = 0; i < khoreg_entry_nr_fields(e); i++)
		khoreg_field_format(khoreg_entry_field(e, i), buf, sizeof(buf));
	for (i = 0; i < khoreg_entry_nr_annotations(e); i++)
		khoreg_entry_annotation(e, i);
	for (i = 0; i < khoreg_entry_nr_children(e); i++)
		walk_entry(khoreg_entry_child(e, i));
}

static void exercise(const void *data, size_t size)
{
	const struct khoreg_registry *r;
	struct khoreg_memmap_summary sum;
	struct khoreg_handover *h;
	size_t i, len;

	if (khoreg_open_buffer(data, size, &h))
		return;
	khoreg_validate(h, NULL, NULL);
	khoreg_memmap_walk(h, on_block, NULL);
	khoreg_memmap_summary(h, &sum);
	for (i = 0; i < khoreg_nr_blobs(h); i++)
		khoreg_blob_data(khoreg_blob(h, i), &len);
	if (!khoreg_registry(h, &r))
		for (i = 0; i < khoreg_registry_nr_entries(r); i++)
			walk_entry(khoreg_registry_entry(r, i));
	khoreg_diff(h, h, NULL, NULL);
	khoreg_close(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *out;
	size_t len;

	if (size && data[0] == '{') {
		if (!khoreg_author((const char *)data, size,
				   KHOREG_AUTHOR_BUNDLE, &out, &len)) {
			exercise(out, len);
			free(out);
		}
		return 0;
	}
	exercise(data, size);
	return 0;
}
