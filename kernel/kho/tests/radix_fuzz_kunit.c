// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit fuzz suite of the walk of an incoming kho-v4 radix tree: a valid
 * tree is laid out in a scratch buffer of pages, then its table slots,
 * bitmap words and root are damaged (garbage, edge values, pointers to
 * other pages of the buffer, which make shared children and cycles).
 * kho_radix_walk() runs with node and key callbacks that check what the
 * boot path checks without memblock: every node is a page of the buffer
 * and no more nodes are read than the buffer has pages. A walk either
 * stops with an error or ends having read only those pages and reported
 * every key once, in increasing order.
 */

#include <kunit/test.h>
#include <linux/bitops.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kho/fuzz.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "../internal.h"

#define KHO_FUZZ_RADIX_SEED	0x6b686f2d72647831ULL
#define KHO_FUZZ_RADIX_ORDER	5
#define KHO_FUZZ_RADIX_PAGES	BIT(KHO_FUZZ_RADIX_ORDER)
#define KHO_FUZZ_RADIX_TOP	(KHO_TREE_MAX_DEPTH - 1)
#define KHO_FUZZ_RADIX_SLOTS	BIT(KHO_TABLE_SIZE_LOG2)
#define KHO_FUZZ_RADIX_WORDS	(PAGE_SIZE / sizeof(u64))
/* More keys than this stop a walk: a leaf of set bits is not a handover. */
#define KHO_FUZZ_RADIX_KEYS	4096

/**
 * struct kho_fuzz_radix - a tree laid out in a buffer, and a walk of it
 * @walk: the callbacks
 * @base: the buffer, KHO_FUZZ_RADIX_PAGES pages
 * @phys: its physical address
 * @used: pages the valid tree takes, the root first
 * @budget: node reads left in this walk
 * @nodes: nodes read
 * @keys: keys reported
 * @last: the last key reported
 * @unordered: a key was not above the one before
 */
struct kho_fuzz_radix {
	struct kho_radix_walk walk;
	void *base;
	phys_addr_t phys;
	unsigned int used;
	unsigned int budget;
	unsigned int nodes;
	unsigned int keys;
	u64 last;
	bool unordered;
};

static const struct {
	u64 phys;
	unsigned int order;
} kho_fuzz_radix_blocks[] = {
	{ 0x100000, 0 }, { 0x101000, 0 }, { 0x40000000, 0 }, { 0x12345000, 0 },
	{ 0x200000, 9 },
};

static int kho_fuzz_radix_node(struct kho_radix_walk *walk, phys_addr_t phys,
			       unsigned int level)
{
	struct kho_fuzz_radix *r = container_of(walk, struct kho_fuzz_radix, walk);

	if (!r->budget--)
		return -E2BIG;
	if (!PAGE_ALIGNED(phys) || phys < r->phys ||
	    phys >= r->phys + KHO_FUZZ_RADIX_PAGES * PAGE_SIZE)
		return -EINVAL;
	r->nodes++;
	return 0;
}

static int kho_fuzz_radix_key(struct kho_radix_walk *walk, u64 key)
{
	struct kho_fuzz_radix *r = container_of(walk, struct kho_fuzz_radix, walk);

	if (r->keys == KHO_FUZZ_RADIX_KEYS)
		return -E2BIG;
	if (r->keys && key <= r->last)
		r->unordered = true;
	r->last = key;
	r->keys++;
	return 0;
}

/* Add @key to the tree in the buffer, taking pages for missing nodes. */
static int kho_fuzz_radix_add(struct kho_fuzz_radix *r, u64 key)
{
	unsigned int level, idx = 0, slot;
	u64 *table;

	for (level = KHO_FUZZ_RADIX_TOP; level; level--) {
		table = r->base + idx * PAGE_SIZE;
		slot = (key >> (KHO_BITMAP_SIZE_LOG2 +
				(level - 1) * KHO_TABLE_SIZE_LOG2)) &
		       (KHO_FUZZ_RADIX_SLOTS - 1);
		if (!table[slot]) {
			if (r->used == KHO_FUZZ_RADIX_PAGES)
				return -ENOSPC;
			table[slot] = r->phys + r->used++ * PAGE_SIZE;
		}
		idx = (table[slot] - r->phys) / PAGE_SIZE;
	}
	__set_bit(key & (BIT(KHO_BITMAP_SIZE_LOG2) - 1),
		  (unsigned long *)(r->base + idx * PAGE_SIZE));
	return 0;
}

static int kho_fuzz_radix_run(struct kho_fuzz_radix *r, phys_addr_t root)
{
	r->budget = KHO_FUZZ_RADIX_PAGES;
	r->nodes = 0;
	r->keys = 0;
	r->unordered = false;
	return kho_radix_walk(root, &r->walk);
}

/* A page of the buffer, sometimes not at its start. */
static u64 kho_fuzz_radix_page(struct kho_fuzz_radix *r, struct kho_fuzz *f)
{
	u64 phys = r->phys + kho_fuzz_below(f, KHO_FUZZ_RADIX_PAGES) * PAGE_SIZE;

	return kho_fuzz_below(f, 4) ? phys : phys + 8 * kho_fuzz_below(f, 8);
}

/* Damage 1 to 4 words of the tree: its pointers, bitmaps, or any. */
static void kho_fuzz_radix_damage(struct kho_fuzz_radix *r, struct kho_fuzz *f,
				  const unsigned int *live, unsigned int nr_live)
{
	unsigned int n = 1 + kho_fuzz_below(f, 4), word;
	u64 *words = r->base;

	while (n--) {
		if (kho_fuzz_below(f, 4))
			word = live[kho_fuzz_below(f, nr_live)];
		else
			word = kho_fuzz_below(f, r->used * KHO_FUZZ_RADIX_WORDS);
		if (kho_fuzz_below(f, 3))
			kho_fuzz_mutate(f, &words[word], sizeof(u64), sizeof(u64));
		else
			words[word] = kho_fuzz_radix_page(r, f);
	}
}

static void kho_fuzz_radix(struct kunit *test)
{
	struct kho_fuzz_radix r = {
		.walk = { .node = kho_fuzz_radix_node, .key = kho_fuzz_radix_key },
	};
	unsigned int *live, nr_live = 0, i;
	phys_addr_t root;
	struct page *pages;
	struct kho_fuzz f;
	u64 *words, key;
	void *seed;
	int err;

	pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, KHO_FUZZ_RADIX_ORDER);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	r.base = page_address(pages);
	r.phys = page_to_phys(pages);
	r.used = 1;
	for (i = 0; i < ARRAY_SIZE(kho_fuzz_radix_blocks); i++) {
		key = kho_radix_encode_key(kho_fuzz_radix_blocks[i].phys,
					   kho_fuzz_radix_blocks[i].order);
		KUNIT_ASSERT_EQ(test, kho_fuzz_radix_add(&r, key), 0);
	}
	/* The valid tree walks to its keys. */
	KUNIT_ASSERT_EQ(test, kho_fuzz_radix_run(&r, r.phys), 0);
	KUNIT_ASSERT_EQ(test, r.keys, ARRAY_SIZE(kho_fuzz_radix_blocks));
	KUNIT_ASSERT_EQ(test, r.nodes, r.used);
	KUNIT_ASSERT_FALSE(test, r.unordered);

	seed = kunit_kmalloc(test, r.used * PAGE_SIZE, GFP_KERNEL);
	live = kunit_kcalloc(test, r.used * KHO_FUZZ_RADIX_WORDS, sizeof(*live),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, seed);
	KUNIT_ASSERT_NOT_NULL(test, live);
	memcpy(seed, r.base, r.used * PAGE_SIZE);
	words = seed;
	for (i = 0; i < r.used * KHO_FUZZ_RADIX_WORDS; i++)
		if (words[i])
			live[nr_live++] = i;

	kho_fuzz_begin(&f, test, KHO_FUZZ_RADIX_SEED);
	while (kho_fuzz_next(&f)) {
		memcpy(r.base, seed, r.used * PAGE_SIZE);
		kho_fuzz_radix_damage(&r, &f, live, nr_live);
		root = kho_fuzz_below(&f, 16) ? r.phys : kho_fuzz_radix_page(&r, &f);
		err = kho_fuzz_radix_run(&r, root);
		if (err)
			continue;
		f.accepted++;
		KUNIT_EXPECT_LE_MSG(test, r.nodes, KHO_FUZZ_RADIX_PAGES,
				    "input %lu: too many nodes read", f.nr);
		KUNIT_EXPECT_FALSE_MSG(test, r.unordered,
				       "input %lu: keys out of order", f.nr);
	}
	kho_fuzz_end(&f);
	__free_pages(pages, KHO_FUZZ_RADIX_ORDER);
}

static struct kunit_case kho_fuzz_radix_cases[] = {
	KUNIT_CASE_SLOW(kho_fuzz_radix),
	{}
};

static struct kunit_suite kho_fuzz_radix_suite = {
	.name = "kho_fuzz_radix",
	.test_cases = kho_fuzz_radix_cases,
};

kunit_test_suite(kho_fuzz_radix_suite);
