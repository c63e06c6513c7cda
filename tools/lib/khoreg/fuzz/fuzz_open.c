// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: open + validate + walk + diff of arbitrary bytes,
 * the same bytes read as an ftrace sub-blob, and author for inputs that
 * look like JSON.
 */
#include <stdint.h>
#include <stdlib.h>

#include "khoreg.h"

static int on_block(uint64_t phys, unsigned int order, void *ctx)
{
	return 0;
}

static void walk_entry(const struct khoreg_doc_entry *e)
{
	char buf[64];
	size_t i;

	for (i = 0; i < khoreg_doc_entry__nr_fields(e); i++)
		khoreg_doc_field__format(khoreg_doc_entry__field(e, i), buf, sizeof(buf));
	for (i = 0; i < khoreg_doc_entry__nr_annotations(e); i++)
		khoreg_doc_entry__annotation(e, i);
	for (i = 0; i < khoreg_doc_entry__nr_children(e); i++)
		walk_entry(khoreg_doc_entry__child(e, i));
}

/* Read @data as an ftrace sub-blob and visit all it holds. */
static void walk_trace(const void *data, size_t size)
{
	const struct khoreg_trace_instance *in;
	const struct khoreg_trace_event *ev;
	struct khoreg_trace *t;
	size_t i;

	if (khoreg_trace__parse(data, size, &t))
		return;
	for (i = 0; (in = khoreg_trace__instance(t, i)); i++)
		khoreg_trace_instance__options(in);
	for (i = 0; (ev = khoreg_trace__event(t, i)); i++)
		khoreg_trace_event__enabled_in(ev, i);
	khoreg_trace__free(t);
}

static void exercise(const void *data, size_t size)
{
	const struct khoreg_doc *r;
	struct khoreg_memmap_summary sum;
	struct khoreg_handover *h;
	size_t i, len;

	if (khoreg_handover__open_buffer(data, size, &h))
		return;
	khoreg_handover__validate(h, NULL, NULL);
	khoreg_handover__memmap_walk(h, on_block, NULL);
	khoreg_handover__memmap_summary(h, &sum);
	for (i = 0; i < khoreg_handover__nr_blobs(h); i++) {
		const void *blob = khoreg_blob__data(khoreg_handover__blob(h, i), &len);

		if (blob)
			walk_trace(blob, len);
	}
	if (!khoreg_handover__doc(h, &r))
		for (i = 0; i < khoreg_doc__nr_entries(r); i++)
			walk_entry(khoreg_doc__entry(r, i));
	khoreg_handover__diff(h, h, NULL, NULL);
	khoreg_handover__close(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *out;
	size_t len;

	if (size && data[0] == '{') {
		if (!libkhoreg_author((const char *)data, size,
				      KHOREG_AUTHOR_BUNDLE, &out, &len)) {
			exercise(out, len);
			free(out);
		}
		return 0;
	}
	walk_trace(data, size);
	exercise(data, size);
	return 0;
}
