// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libkhoreg: the preserved memory map (radix tree of page-sized nodes).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define NODE_SLOTS	(1U << KHO_TABLE_SIZE_LOG2)
#define LEAF_WORDS	((1U << KHO_BITMAP_SIZE_LOG2) / 64)
#define TOP_LEVEL	(KHO_TREE_MAX_DEPTH - 1)

struct walk {
	const struct khoreg_handover *h;
	struct kr_problems *p;
	khoreg_block_fn fn;
	void *ctx;
	size_t nodes;
	bool bad;
	bool missing;
	/* open-addressing set of visited node addresses (+1, 0 = empty) */
	uint64_t *seen;
	size_t seen_cap;
};

static int seen_grow(struct walk *w)
{
	size_t cap = w->seen_cap ? w->seen_cap * 2 : 1024, i;
	uint64_t *n = calloc(cap, sizeof(*n));

	if (!n)
		return -ENOMEM;
	for (i = 0; i < w->seen_cap; i++) {
		uint64_t v = w->seen[i];
		size_t j;

		if (!v)
			continue;
		for (j = (v >> KHO_PAGE_SHIFT) & (cap - 1); n[j];
		     j = (j + 1) & (cap - 1))
			;
		n[j] = v;
	}
	free(w->seen);
	w->seen = n;
	w->seen_cap = cap;
	return 0;
}

/* Returns 1 if @phys was visited before, 0 if not (and records it). */
static int seen_test_and_set(struct walk *w, uint64_t phys)
{
	uint64_t v = phys + 1;
	size_t j;

	if (w->nodes * 2 >= w->seen_cap && seen_grow(w))
		return -ENOMEM;
	for (j = (v >> KHO_PAGE_SHIFT) & (w->seen_cap - 1); w->seen[j];
	     j = (j + 1) & (w->seen_cap - 1))
		if (w->seen[j] == v)
			return 1;
	w->seen[j] = v;
	return 0;
}

static void bad(struct walk *w, uint64_t phys, const char *fmt, ...)
	__printf(3, 4);

static void bad(struct walk *w, uint64_t phys, const char *fmt, ...)
{
	char path[64], reason[160];
	va_list ap;

	w->bad = true;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "/memory-map/0x%llx",
		 (unsigned long long)phys);
	kr_problem(w->p, path, "%s", reason);
}

static int walk_leaf(struct walk *w, const uint8_t *page, uint64_t node,
		     uint64_t prefix)
{
	unsigned int i, b;
	int ret;

	for (i = 0; i < LEAF_WORDS; i++) {
		uint64_t word = kr_le64(page + i * 8);

		for (b = 0; word; b++, word >>= 1) {
			uint64_t key = prefix | ((uint64_t)i * 64 + b);
			unsigned int order;
			uint64_t phys;

			if (!(word & 1))
				continue;
			if (key < 2) {
				bad(w, node, "leaf bit %llu encodes no order",
				    (unsigned long long)key);
				continue;
			}
			phys = kho_radix_decode_key(key, &order);
			if (order > KHOREG_FOLIO_ORDER_MAX) {
				bad(w, node, "key 0x%llx encodes an order above the limit",
				    (unsigned long long)key);
				continue;
			}
			ret = w->fn(phys, order, w->ctx);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int walk_node(struct walk *w, unsigned int level, uint64_t phys,
		     uint64_t prefix)
{
	const uint8_t *page;
	unsigned int slot, shift;
	int ret;

	if (w->nodes >= KHOREG_MAX_NODES) {
		bad(w, phys, "more than %u tree nodes", KHOREG_MAX_NODES);
		return -E2BIG;
	}
	if (phys & (KHO_PAGE_SIZE - 1)) {
		bad(w, phys, "tree node is not page aligned");
		return 0;
	}
	ret = seen_test_and_set(w, phys);
	if (ret < 0)
		return kr_err(ret, "out of memory");
	if (ret) {
		bad(w, phys, "tree node is referenced more than once");
		return 0;
	}
	w->nodes++;
	page = kr_mem(w->h, phys, KHO_PAGE_SIZE);
	if (!page) {
		w->missing = true;
		return 0;
	}
	if (!level)
		return walk_leaf(w, page, phys, prefix);
	shift = KHO_BITMAP_SIZE_LOG2 + (level - 1) * KHO_TABLE_SIZE_LOG2;
	for (slot = 0; slot < NODE_SLOTS; slot++) {
		uint64_t child = kr_le64(page + slot * 8);
		uint64_t part = (uint64_t)slot << shift;

		if (!child)
			continue;
		if (shift + KHO_TABLE_SIZE_LOG2 > KHO_RADIX_KEY_WIDTH &&
		    part >> KHO_RADIX_KEY_WIDTH) {
			bad(w, phys, "slot %u lies beyond the key width", slot);
			continue;
		}
		ret = walk_node(w, level - 1, child, prefix | part);
		if (ret)
			return ret;
	}
	return 0;
}

static int walk(const struct khoreg_handover *h, struct kr_problems *p,
		khoreg_block_fn fn, void *ctx)
{
	struct walk w = { .h = h, .p = p, .fn = fn, .ctx = ctx };
	int ret;

	if (!h->root || !h->has_memmap)
		return kr_err(-ENOENT, "handover has no preserved memory map");
	if (!kr_mem(h, h->memmap, KHO_PAGE_SIZE) &&
	    !(h->memmap & (KHO_PAGE_SIZE - 1)))
		return kr_err(-ENODATA, "%s",
			      h->kind == KHOREG_KIND_SYSFS ?
			      "memory_map holds no pages (finished, or not exported)" :
			      "memory map pages are not part of this input");
	ret = walk_node(&w, TOP_LEVEL, h->memmap, 0);
	free(w.seen);
	if (ret)
		return ret;
	if (w.missing)
		return kr_err(-ENODATA, "some memory map pages are missing");
	if (w.bad)
		return kr_err(-EBADMSG, "memory map is malformed");
	return 0;
}

KHOREG_API int khoreg_handover__memmap_walk(const struct khoreg_handover *h,
					    khoreg_block_fn fn, void *ctx)
{
	return walk(h, NULL, fn, ctx);
}

struct collect {
	struct kr_block *b;
	size_t nr;
	size_t cap;
};

static int collect_one(uint64_t phys, unsigned int order, void *ctx)
{
	struct collect *c = ctx;

	if (c->nr >= KHOREG_MAX_BLOCKS)
		return kr_err(-E2BIG, "more than %u preserved blocks",
			      KHOREG_MAX_BLOCKS);
	c->b = kr_grow(c->b, &c->cap, c->nr + 1, sizeof(*c->b));
	if (!c->b)
		return kr_err(-ENOMEM, "out of memory");
	c->b[c->nr].phys = phys;
	c->b[c->nr].order = order;
	c->b[c->nr].size = KHO_PAGE_SIZE << order;
	c->nr++;
	return 0;
}

int kr_block_cmp(const void *a, const void *b)
{
	const struct kr_block *x = a, *y = b;

	if (x->phys != y->phys)
		return x->phys < y->phys ? -1 : 1;
	return x->size < y->size ? -1 : x->size > y->size;
}

/*
 * Merge address-sorted @b in place into maximal touching or overlapping
 * extents; returns their number. Orders lose their meaning.
 */
size_t kr_merge_blocks(struct kr_block *b, size_t nr)
{
	size_t i, n = 0;

	for (i = 0; i < nr; i++) {
		struct kr_block *m = n ? &b[n - 1] : NULL;

		if (m && b[i].phys <= m->phys + m->size) {
			if (b[i].phys + b[i].size > m->phys + m->size)
				m->size = b[i].phys + b[i].size - m->phys;
		} else {
			b[n++] = b[i];
		}
	}
	return n;
}

/* All preserved blocks sorted by address; problems go to @p. */
int kr_memmap_collect(const struct khoreg_handover *h, struct kr_problems *p,
		      struct kr_block **out, size_t *nr)
{
	struct collect c = { 0 };
	int ret;

	*out = NULL;
	*nr = 0;
	ret = walk(h, p, collect_one, &c);
	if (ret && ret != -EBADMSG) {
		free(c.b);
		return ret;
	}
	if (c.nr)
		qsort(c.b, c.nr, sizeof(*c.b), kr_block_cmp);
	*out = c.b;
	*nr = c.nr;
	return ret;
}

static int count_node(uint64_t phys, unsigned int order, void *ctx)
{
	(void)phys;
	(void)order;
	(void)ctx;
	return 0;
}

KHOREG_API int
khoreg_handover__memmap_summary(const struct khoreg_handover *h,
				struct khoreg_memmap_summary *sum)
{
	struct walk w = { .h = h, .fn = count_node };
	struct kr_block *b;
	size_t nr, i;
	int ret;

	memset(sum, 0, sizeof(*sum));
	ret = kr_memmap_collect(h, NULL, &b, &nr);
	if (ret) {
		free(b);
		return ret;
	}
	for (i = 0; i < nr; i++) {
		sum->blocks++;
		sum->blocks_per_order[b[i].order]++;
		sum->pages += (uint64_t)1 << b[i].order;
		sum->bytes += b[i].size;
	}
	sum->extents = kr_merge_blocks(b, nr);
	free(b);
	walk_node(&w, TOP_LEVEL, h->memmap, 0);
	free(w.seen);
	sum->nodes = w.nodes;
	return 0;
}
