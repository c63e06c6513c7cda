// SPDX-License-Identifier: GPL-2.0-only
/*
 * khoctl show: print a handover as text or as JSON.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json_writer.h"
#include "khoctl.h"

static const char * const kind_names[] = {
	[KHOREG_KIND_ROOT] = "root",
	[KHOREG_KIND_BUNDLE] = "bundle",
	[KHOREG_KIND_SYSFS] = "sysfs",
	[KHOREG_KIND_REGISTRY] = "registry",
};

static void json_elem(struct jw *w, const struct khoreg_doc_field *f,
		      uint32_t i)
{
	char buf[32];
	uint64_t u;
	int64_t s;

	switch (khoreg_doc_field__type(f)) {
	case KHOREG_TYPE_S64:
		khoreg_doc_field__sint(f, i, &s);
		snprintf(buf, sizeof(buf), "%" PRId64, s);
		jw_str(w, buf);
		break;
	case KHOREG_TYPE_U64:
		khoreg_doc_field__uint(f, i, &u);
		snprintf(buf, sizeof(buf), "%" PRIu64, u);
		jw_str(w, buf);
		break;
	case KHOREG_TYPE_BOOL:
		khoreg_doc_field__uint(f, i, &u);
		jw_raw(w, "%s", u ? "true" : "false");
		break;
	default:
		khoreg_doc_field__uint(f, i, &u);
		jw_raw(w, "%" PRIu64, u);
		break;
	}
}

static void json_value(struct jw *w, const struct khoreg_doc_field *f)
{
	enum khoreg_type t = khoreg_doc_field__type(f);
	uint64_t phys, size;
	unsigned int order;
	const uint8_t *raw;
	const char *s;
	size_t len, i;
	uint32_t n;
	char *hex;

	switch (t) {
	case KHOREG_TYPE_STRING:
		khoreg_doc_field__string(f, &s);
		jw_str(w, s);
		return;
	case KHOREG_TYPE_BYTES:
		raw = khoreg_doc_field__raw(f, &len);
		hex = malloc(2 * len + 1);
		if (!hex) {
			jw_raw(w, "null");
			return;
		}
		for (i = 0; i < len; i++)
			sprintf(hex + 2 * i, "%02x", raw[i]);
		hex[2 * len] = '\0';
		jw_str(w, hex);
		free(hex);
		return;
	case KHOREG_TYPE_RANGE:
	case KHOREG_TYPE_FOLIO:
	case KHOREG_TYPE_VMALLOC:
		khoreg_doc_field__mem(f, &phys, &size, &order);
		jw_begin(w, '{');
		jw_key(w, "addr");
		jw_hex(w, phys);
		if (t == KHOREG_TYPE_RANGE) {
			jw_key(w, "size");
			jw_hex(w, size);
		} else {
			if (t == KHOREG_TYPE_VMALLOC) {
				jw_key(w, "pages");
				jw_raw(w, "%" PRIu64, size / 4096);
			}
			jw_key(w, "order");
			jw_raw(w, "%u", order);
		}
		jw_end(w, '}');
		return;
	default:
		break;
	}
	n = khoreg_doc_field__count(f);
	if (!n) {
		json_elem(w, f, 0);
		return;
	}
	jw_begin(w, '[');
	for (i = 0; i < n; i++)
		json_elem(w, f, i);
	jw_end(w, ']');
}

static void json_entry(struct jw *w, const struct khoreg_doc_entry *e)
{
	size_t i;

	jw_begin(w, '{');
	jw_key(w, "name");
	jw_str(w, khoreg_doc_entry__name(e));
	jw_key(w, "path");
	jw_str(w, khoreg_doc_entry__path(e));
	jw_key(w, "compatible");
	jw_str(w, khoreg_doc_entry__compatible(e));
	jw_key(w, "version");
	jw_raw(w, "%u", khoreg_doc_entry__version(e));
	jw_key(w, "owner");
	jw_str(w, khoreg_doc_entry__owner(e));
	jw_key(w, "annotations");
	jw_begin(w, '{');
	for (i = 0; i < khoreg_doc_entry__nr_annotations(e); i++) {
		const char *a = khoreg_doc_entry__annotation(e, i);
		const char *eq = strchr(a, '=');
		char *k = strndup(a, eq - a);

		jw_key(w, k ? k : "");
		jw_str(w, eq + 1);
		free(k);
	}
	jw_end(w, '}');
	jw_key(w, "fields");
	jw_begin(w, '[');
	for (i = 0; i < khoreg_doc_entry__nr_fields(e); i++) {
		const struct khoreg_doc_field *f;

		f = khoreg_doc_entry__field(e, i);
		jw_begin(w, '{');
		jw_key(w, "name");
		jw_str(w, khoreg_doc_field__name(f));
		jw_key(w, "type");
		jw_str(w, khoreg_doc_field__type_str(f));
		jw_key(w, "value");
		json_value(w, f);
		jw_end(w, '}');
	}
	jw_end(w, ']');
	jw_key(w, "children");
	jw_begin(w, '[');
	for (i = 0; i < khoreg_doc_entry__nr_children(e); i++)
		json_entry(w, khoreg_doc_entry__child(e, i));
	jw_end(w, ']');
	jw_end(w, '}');
}

static void show_json(struct khoreg_handover *h, const char *src)
{
	struct jw w = { .f = stdout };
	const struct khoreg_doc *r;
	struct khoreg_memmap_summary sum;
	uint64_t phys, a, s;
	size_t i, len;
	int ret;

	jw_begin(&w, '{');
	jw_key(&w, "version");
	jw_raw(&w, "%d", KHOCTL_JSON_VERSION);
	jw_key(&w, "source");
	jw_str(&w, src);
	jw_key(&w, "kind");
	jw_str(&w, kind_names[khoreg_handover__kind(h)]);
	jw_key(&w, "compatible");
	jw_str(&w, khoreg_handover__compatible(h));
	jw_key(&w, "memory_map");
	if (khoreg_handover__memmap_addr(h, &phys)) {
		jw_raw(&w, "null");
	} else {
		ret = khoreg_handover__memmap_summary(h, &sum);
		jw_begin(&w, '{');
		jw_key(&w, "addr");
		jw_hex(&w, phys);
		jw_key(&w, "available");
		jw_raw(&w, "%s", ret ? "false" : "true");
		if (!ret) {
			jw_key(&w, "blocks");
			jw_raw(&w, "%" PRIu64, sum.blocks);
			jw_key(&w, "pages");
			jw_raw(&w, "%" PRIu64, sum.pages);
			jw_key(&w, "bytes");
			jw_raw(&w, "%" PRIu64, sum.bytes);
			jw_key(&w, "extents");
			jw_raw(&w, "%" PRIu64, sum.extents);
			jw_key(&w, "nodes");
			jw_raw(&w, "%" PRIu64, sum.nodes);
			jw_key(&w, "orders");
			jw_begin(&w, '{');
			for (i = 0; i < 64; i++) {
				char k[8];

				if (!sum.blocks_per_order[i])
					continue;
				snprintf(k, sizeof(k), "%zu", i);
				jw_key(&w, k);
				jw_raw(&w, "%" PRIu64, sum.blocks_per_order[i]);
			}
			jw_end(&w, '}');
		}
		jw_end(&w, '}');
	}
	jw_key(&w, "scratch");
	jw_begin(&w, '[');
	for (i = 0; !khoreg_handover__scratch(h, i, &a, &s); i++) {
		jw_begin(&w, '{');
		jw_key(&w, "addr");
		jw_hex(&w, a);
		jw_key(&w, "size");
		jw_hex(&w, s);
		jw_end(&w, '}');
	}
	jw_end(&w, ']');
	jw_key(&w, "blobs");
	jw_begin(&w, '[');
	for (i = 0; i < khoreg_handover__nr_blobs(h); i++) {
		const struct khoreg_blob *b = khoreg_handover__blob(h, i);

		jw_begin(&w, '{');
		jw_key(&w, "name");
		jw_str(&w, khoreg_blob__name(b));
		jw_key(&w, "addr");
		jw_hex(&w, khoreg_blob__addr(b));
		jw_key(&w, "size");
		jw_raw(&w, "%" PRIu64, khoreg_blob__size(b));
		jw_key(&w, "available");
		jw_raw(&w, "%s", khoreg_blob__data(b, &len) ? "true" : "false");
		jw_end(&w, '}');
	}
	jw_end(&w, ']');
	show_trace_json(&w, h);
	jw_key(&w, "registry");
	if (khoreg_handover__doc(h, &r)) {
		r = NULL;
		jw_raw(&w, "null");
	} else {
		jw_begin(&w, '{');
		jw_key(&w, "compatible");
		jw_str(&w, "khoreg-registry-v1");
		jw_key(&w, "entries");
		jw_begin(&w, '[');
		for (i = 0; i < khoreg_doc__nr_entries(r); i++)
			json_entry(&w, khoreg_doc__entry(r, i));
		jw_end(&w, ']');
		jw_end(&w, '}');
	}
	show_liveupdate_json(&w, r);
	jw_end(&w, '}');
}

static void text_entry(const struct khoreg_doc_entry *e, int depth)
{
	int ind = 2 + 4 * depth;
	char *buf;
	size_t i;
	int n;

	printf("%*s%s: %s version %u", ind, "", khoreg_doc_entry__name(e),
	       khoreg_doc_entry__compatible(e), khoreg_doc_entry__version(e));
	if (khoreg_doc_entry__owner(e))
		printf(" owner %s", khoreg_doc_entry__owner(e));
	printf("\n");
	for (i = 0; i < khoreg_doc_entry__nr_annotations(e); i++)
		printf("%*s@%s\n", ind + 4, "", khoreg_doc_entry__annotation(e, i));
	for (i = 0; i < khoreg_doc_entry__nr_fields(e); i++) {
		const struct khoreg_doc_field *f;

		f = khoreg_doc_entry__field(e, i);
		n = khoreg_doc_field__format(f, NULL, 0);
		buf = n >= 0 ? malloc(n + 1) : NULL;
		if (buf)
			khoreg_doc_field__format(f, buf, n + 1);
		printf("%*s%s %s = %s\n", ind + 4, "", khoreg_doc_field__type_str(f),
		       khoreg_doc_field__name(f), buf ? buf : "?");
		free(buf);
	}
	for (i = 0; i < khoreg_doc_entry__nr_children(e); i++)
		text_entry(khoreg_doc_entry__child(e, i), depth + 1);
}

static void show_text(struct khoreg_handover *h, const char *src)
{
	const struct khoreg_doc *r;
	struct khoreg_memmap_summary sum;
	uint64_t phys, a, s;
	size_t i, len;
	int ret;

	printf("source: %s (%s)\n", src, kind_names[khoreg_handover__kind(h)]);
	if (khoreg_handover__kind(h) != KHOREG_KIND_REGISTRY) {
		printf("compatible: %s\n", khoreg_handover__compatible(h) ?
		       khoreg_handover__compatible(h) : "(missing)");
		if (khoreg_handover__memmap_addr(h, &phys)) {
			printf("memory map: (missing)\n");
		} else {
			ret = khoreg_handover__memmap_summary(h, &sum);
			printf("memory map: 0x%" PRIx64, phys);
			if (ret) {
				printf(" (%s)\n", libkhoreg_last_error());
			} else {
				printf("\n  %" PRIu64 " blocks, %" PRIu64 " pages, %" PRIu64
				       " bytes, %" PRIu64 " extents, %" PRIu64 " tree nodes\n",
				       sum.blocks, sum.pages, sum.bytes,
				       sum.extents, sum.nodes);
				for (i = 0; i < 64; i++)
					if (sum.blocks_per_order[i])
						printf("  order %zu: %" PRIu64 " blocks\n",
						       i, sum.blocks_per_order[i]);
			}
		}
		printf("scratch:%s\n", khoreg_handover__nr_scratch(h) ? "" : " (none known)");
		for (i = 0; !khoreg_handover__scratch(h, i, &a, &s); i++)
			printf("  0x%" PRIx64 "-0x%" PRIx64 " (%" PRIu64 " bytes)\n",
			       a, a + s, s);
		printf("blobs:%s\n", khoreg_handover__nr_blobs(h) ? "" : " (none)");
		for (i = 0; i < khoreg_handover__nr_blobs(h); i++) {
			const struct khoreg_blob *b = khoreg_handover__blob(h, i);

			printf("  %s: addr 0x%" PRIx64 " size %" PRIu64 "%s\n",
			       khoreg_blob__name(b), khoreg_blob__addr(b),
			       khoreg_blob__size(b),
			       khoreg_blob__data(b, &len) ? "" :
			       " (contents not available)");
		}
		show_trace_text(h);
	}
	ret = khoreg_handover__doc(h, &r);
	if (ret) {
		printf("registry: (%s)\n", ret == -ENOENT ? "none" :
		       ret == -ENODATA ? "contents not available" :
		       ret == -EBADMSG ? "not a valid registry blob" :
		       strerror(-ret));
		return;
	}
	printf("registry: khoreg-registry-v1, %zu top-level entries\n",
	       khoreg_doc__nr_entries(r));
	for (i = 0; i < khoreg_doc__nr_entries(r); i++)
		text_entry(khoreg_doc__entry(r, i), 0);
	show_liveupdate_text(r);
}

static void show_usage(FILE *f)
{
	fprintf(f,
		"Usage: khoctl show [--json] [SOURCE]\n"
		"\n"
		"Print a handover: root compatible, preserved memory map summary,\n"
		"scratch ranges, sub-blobs, the trace setup, the typed registry and the\n"
		"Live Update sessions it describes.\n"
		"\n"
		"SOURCE is a file (root FDT, bundle or registry blob), a sysfs-style\n"
		"directory, \"pending\" (" KHOREG_SYSFS_PENDING ") or \"incoming\"\n"
		"(" KHOREG_SYSFS_INCOMING "); the default is \"pending\".\n"
		"\n"
		"  -j, --json   print JSON (layout in khoctl(8))\n"
		"  -h, --help   show this help\n");
}

int cmd_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct khoreg_handover *h;
	const char *src = "pending";
	bool json = false;
	int c, err;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			return usage(show_usage, true);
		default:
			return usage(show_usage, false);
		}
	}
	if (argc - optind > 1)
		return usage(show_usage, false);
	if (optind < argc)
		src = argv[optind];
	err = open_source(src, &h);
	if (err) {
		report_error(src, err);
		return exit_code(err);
	}
	if (json)
		show_json(h, src);
	else
		show_text(h, src);
	khoreg_handover__close(h);
	return fflush(stdout) ? EXIT_SYSTEM : EXIT_OK;
}
