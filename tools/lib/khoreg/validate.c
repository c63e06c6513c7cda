// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libkhoreg: checking a handover against the kho-v4 and registry ABIs.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <linux/kho/abi/trace.h>

#include "internal.h"

#define PAGE_MASK_ (KHO_PAGE_SIZE - 1)

/* A physical interval with the path of whatever it belongs to. */
struct iv {
	uint64_t start;
	uint64_t end;
	char path[128];
};

struct ivs {
	struct iv *v;
	size_t nr;
	size_t cap;
	bool oom;
};

struct vctx {
	struct khoreg_handover *h;
	struct kr_problems *p;
	struct ivs blobs;
	struct ivs fields;
	struct kr_block *blocks;
	size_t nr_blocks;
	struct kr_block *extents;
	size_t nr_extents;
	bool have_map;
};

static void iv_add(struct ivs *s, uint64_t start, uint64_t size,
		   const char *path)
{
	struct iv *v;

	if (s->oom)
		return;
	v = kr_grow(s->v, &s->cap, s->nr + 1, sizeof(*v));
	if (!v) {
		s->oom = true;
		return;
	}
	s->v = v;
	v = &s->v[s->nr++];
	v->start = start;
	v->end = start + size;
	snprintf(v->path, sizeof(v->path), "%s", path);
}

static int iv_cmp(const void *a, const void *b)
{
	const struct iv *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static void check_overlaps(struct vctx *c, struct ivs *s, const char *what)
{
	uint64_t end = 0;
	size_t i, last = 0;

	if (s->nr > 1)
		qsort(s->v, s->nr, sizeof(*s->v), iv_cmp);
	for (i = 0; i < s->nr; i++) {
		if (i && s->v[i].start < end)
			kr_problem(c->p, s->v[i].path, "%s overlaps %s", what,
				   s->v[last].path);
		if (!i || s->v[i].end > end) {
			end = s->v[i].end;
			last = i;
		}
	}
}

static void check_scratch_overlap(struct vctx *c, const struct iv *v,
				  const char *what)
{
	size_t i;

	for (i = 0; i < c->h->nr_scratch; i++) {
		const struct kho_scratch_entry *s = &c->h->scratch[i];

		if (v->start < s->addr + s->size && s->addr < v->end)
			kr_problem(c->p, v->path,
				   "%s overlaps scratch range 0x%" PRIx64 "-0x%" PRIx64,
				   what, (uint64_t)s->addr,
				   (uint64_t)(s->addr + s->size));
	}
}

/* Is [start, end) inside preserved memory? */
static bool preserved(const struct vctx *c, uint64_t start, uint64_t end)
{
	size_t lo = 0, hi = c->nr_extents;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct kr_block *x = &c->extents[mid];

		if (start < x->phys)
			hi = mid;
		else if (start >= x->phys + x->size)
			lo = mid + 1;
		else
			return end <= x->phys + x->size;
	}
	return false;
}

static void check_root_props(struct vctx *c)
{
	const void *fdt = c->h->root;
	int off;

	fdt_for_each_property_offset(off, fdt, 0) {
		const char *name;

		if (!fdt_getprop_by_offset(fdt, off, &name, NULL))
			continue;
		if (strcmp(name, "compatible") &&
		    strcmp(name, KHO_FDT_MEMORY_MAP_PROP_NAME))
			kr_problem(c->p, "/", "unknown root property \"%.80s\"",
				   name);
	}
}

static void check_root(struct vctx *c)
{
	struct khoreg_handover *h = c->h;
	const char *compat = h->compatible;
	int len;

	if (!compat)
		kr_problem(c->p, "/", "missing or malformed compatible");
	else if (strcmp(compat, KHO_FDT_COMPATIBLE))
		kr_problem(c->p, "/", "compatible is \"%.80s\", expected \"%s\"",
			   compat, KHO_FDT_COMPATIBLE);
	if (h->root_len > KHO_PAGE_SIZE)
		kr_problem(c->p, "/",
			   "root FDT is %zu bytes, the kernel keeps it in one %llu-byte page",
			   h->root_len, (unsigned long long)KHO_PAGE_SIZE);
	if (!h->has_memmap) {
		fdt_getprop(h->root, 0, KHO_FDT_MEMORY_MAP_PROP_NAME, &len);
		kr_problem(c->p, "/" KHO_FDT_MEMORY_MAP_PROP_NAME,
			   len == -FDT_ERR_NOTFOUND ? "missing" :
			   "must be one 8-byte u64");
	} else if (!h->memmap || h->memmap & PAGE_MASK_) {
		kr_problem(c->p, "/" KHO_FDT_MEMORY_MAP_PROP_NAME,
			   "0x%" PRIx64 " is not a page-aligned non-zero address",
			   h->memmap);
	}
	check_root_props(c);
}

static void check_blob(struct vctx *c, const struct khoreg_blob *b, int node)
{
	const void *fdt = c->h->root;
	char path[128];
	int off;

	snprintf(path, sizeof(path), "/%s", b->name);
	if (!*b->name || strlen(b->name) > KHOREG_NAME_MAX)
		kr_problem(c->p, path, "sub-blob name must be 1..63 characters");
	if (!b->has_addr)
		kr_problem(c->p, path, "%s missing or not one 8-byte u64",
			   KHO_SUB_TREE_PROP_NAME);
	if (!b->has_size)
		kr_problem(c->p, path, "%s missing or not one 8-byte u64",
			   KHO_SUB_TREE_SIZE_PROP_NAME);
	if (fdt_first_subnode(fdt, node) >= 0)
		kr_problem(c->p, path, "sub-blob node has child nodes");
	fdt_for_each_property_offset(off, fdt, node) {
		const char *name;

		if (!fdt_getprop_by_offset(fdt, off, &name, NULL))
			continue;
		if (strcmp(name, KHO_SUB_TREE_PROP_NAME) &&
		    strcmp(name, KHO_SUB_TREE_SIZE_PROP_NAME))
			kr_problem(c->p, path, "unknown property \"%.80s\"",
				   name);
	}
	if (!b->has_addr || !b->has_size)
		return;
	if (!b->phys)
		kr_problem(c->p, path, "address is 0");
	if (!b->size)
		kr_problem(c->p, path, "size is 0");
	else if (b->size > KHOREG_INPUT_MAX)
		kr_problem(c->p, path, "size 0x%" PRIx64 " is implausibly large",
			   b->size);
	if (b->phys + b->size < b->phys) {
		kr_problem(c->p, path, "wraps around the address space");
		return;
	}
	if (b->data && b->data_len != b->size)
		kr_problem(c->p, path,
			   "contents are %zu bytes but blob-size says %" PRIu64,
			   b->data_len, b->size);
	if (b->size)
		iv_add(&c->blobs, b->phys, b->size, path);
}

static void check_blobs(struct vctx *c)
{
	const void *fdt = c->h->root;
	size_t i = 0;
	int node;

	fdt_for_each_subnode(node, fdt, 0) {
		if (i >= c->h->nr_blobs)
			break;
		check_blob(c, &c->h->blobs[i++], node);
	}
	check_overlaps(c, &c->blobs, "sub-blob");
	for (i = 0; i < c->blobs.nr; i++)
		check_scratch_overlap(c, &c->blobs.v[i], "sub-blob");
}

static void check_scratch(struct vctx *c)
{
	struct ivs s = { 0 };
	size_t i;

	for (i = 0; i < c->h->nr_scratch; i++) {
		const struct kho_scratch_entry *e = &c->h->scratch[i];
		char path[64];

		snprintf(path, sizeof(path), "/scratch/%zu", i);
		if (!e->size || (e->addr | e->size) & PAGE_MASK_) {
			kr_problem(c->p, path,
				   "range 0x%" PRIx64 "+0x%" PRIx64 " is empty or not page aligned",
				   (uint64_t)e->addr, (uint64_t)e->size);
			continue;
		}
		if (e->addr + e->size < e->addr) {
			kr_problem(c->p, path, "wraps around the address space");
			continue;
		}
		iv_add(&s, e->addr, e->size, path);
	}
	check_overlaps(c, &s, "scratch range");
	free(s.v);
}

static int check_memmap(struct vctx *c)
{
	uint64_t end = 0;
	size_t i, last = 0;
	int ret;

	if (!c->h->has_memmap || !c->h->memmap)
		return 0;
	ret = kr_memmap_collect(c->h, c->p, &c->blocks, &c->nr_blocks);
	if (ret == -ENODATA || ret == -ENOENT)
		return 0;
	if (ret == -E2BIG) {
		kr_problem(c->p, "/memory-map", "%s", libkhoreg_last_error());
		return 0;
	}
	if (ret && ret != -EBADMSG)
		return ret;
	c->have_map = true;
	c->extents = kr_calloc(c->nr_blocks, sizeof(*c->extents));
	if (!c->extents)
		return kr_err(-ENOMEM, "out of memory");
	for (i = 0; i < c->nr_blocks; i++) {
		const struct kr_block *b = &c->blocks[i];
		struct iv v = { b->phys, b->phys + b->size, "" };

		snprintf(v.path, sizeof(v.path), "/memory-map/0x%" PRIx64, b->phys);
		if (i && b->phys < end)
			kr_problem(c->p, v.path,
				   "order-%u block overlaps block at 0x%" PRIx64,
				   b->order, c->blocks[last].phys);
		check_scratch_overlap(c, &v, "preserved block");
		if (!i || b->phys + b->size > end) {
			end = b->phys + b->size;
			last = i;
		}
	}
	if (c->nr_blocks)
		memcpy(c->extents, c->blocks, c->nr_blocks * sizeof(*c->blocks));
	c->nr_extents = kr_merge_blocks(c->extents, c->nr_blocks);
	for (i = 0; i < c->blobs.nr; i++) {
		const struct iv *v = &c->blobs.v[i];
		uint64_t e = (v->end + PAGE_MASK_) & ~PAGE_MASK_;

		if (!preserved(c, v->start & ~PAGE_MASK_, e))
			kr_problem(c->p, v->path,
				   "sub-blob is not inside preserved memory");
	}
	return 0;
}

static void collect_fields(struct vctx *c, const struct khoreg_doc_entry *e)
{
	char path[1100];
	uint64_t phys, size;
	size_t i;

	for (i = 0; i < e->nr_fields; i++) {
		const struct khoreg_doc_field *f = &e->fields[i];

		if (f->type != KHOREG_TYPE_RANGE &&
		    f->type != KHOREG_TYPE_FOLIO)
			continue;
		khoreg_doc_field__mem(f, &phys, &size, NULL);
		snprintf(path, sizeof(path), "/%s/%s/%s", KHOREG_BLOB_NAME,
			 e->path, f->name);
		iv_add(&c->fields, phys, size, path);
	}
	for (i = 0; i < e->nr_children; i++)
		collect_fields(c, e->children[i]);
}

/* The ftrace sub-blob, when its contents are known, must read as one. */
static int check_trace(struct vctx *c)
{
	const struct khoreg_blob *b;
	struct khoreg_trace *t;
	int ret;

	b = khoreg_handover__find_blob(c->h, KHO_TRACE_BLOB_NAME);
	if (!b || !b->data)
		return 0;
	ret = khoreg_trace__parse(b->data, b->data_len, &t);
	if (ret == -EBADMSG) {
		kr_problem(c->p, "/" KHO_TRACE_BLOB_NAME, "%s",
			   libkhoreg_last_error());
		kr_clear_err();
		return 0;
	}
	khoreg_trace__free(t);
	return ret;
}

static int check_registry(struct vctx *c)
{
	const struct khoreg_blob *b;
	struct khoreg_doc *r;
	size_t i;
	int ret;

	b = khoreg_handover__find_blob(c->h, KHOREG_BLOB_NAME);
	if (!b || !b->data)
		return 0;
	ret = kr_registry_parse(b->data, b->data_len, "/" KHOREG_BLOB_NAME,
				c->p, &r);
	if (ret == -EBADMSG)
		return 0;
	if (ret)
		return ret;
	for (i = 0; i < r->nr_entries; i++)
		collect_fields(c, r->entries[i]);
	kr_registry_free(r);
	check_overlaps(c, &c->fields, "preserved memory field");
	for (i = 0; i < c->fields.nr; i++) {
		const struct iv *v = &c->fields.v[i];

		check_scratch_overlap(c, v, "preserved memory field");
		if (c->have_map && !preserved(c, v->start, v->end))
			kr_problem(c->p, v->path,
				   "memory 0x%" PRIx64 "-0x%" PRIx64 " is not preserved",
				   v->start, v->end);
	}
	return 0;
}

KHOREG_API int khoreg_handover__validate(struct khoreg_handover *h,
					 khoreg_problem_fn fn, void *ctx)
{
	struct kr_problems p = { .fn = fn, .ctx = ctx };
	struct vctx c = { .h = h, .p = &p };
	int ret = 0;

	kr_clear_err();
	if (h->root) {
		check_root(&c);
		check_scratch(&c);
		check_blobs(&c);
		ret = check_memmap(&c);
		if (!ret)
			ret = check_trace(&c);
	}
	if (!ret)
		ret = check_registry(&c);
	if (!ret && (c.blobs.oom || c.fields.oom))
		ret = kr_err(-ENOMEM, "out of memory");
	free(c.blobs.v);
	free(c.fields.v);
	free(c.blocks);
	free(c.extents);
	return ret ? ret : p.count;
}
