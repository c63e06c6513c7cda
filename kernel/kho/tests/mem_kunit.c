// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the kho-v4 radix tree that tracks preserved memory, and of
 * the ownership check of the preserve functions.
 */

#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/sizes.h>

#include "../internal.h"

struct kho_test_keys {
	u64 *keys;
	unsigned long nr, max;
	unsigned long nodes;
};

static int kho_test_collect_key(struct kho_radix_walk *walk, u64 key)
{
	struct kho_test_keys *k = walk->arg;

	if (k->nr == k->max)
		return -E2BIG;
	k->keys[k->nr++] = key;
	return 0;
}

static int kho_test_count_node(struct kho_radix_walk *walk, phys_addr_t phys,
			       unsigned int level)
{
	struct kho_test_keys *k = walk->arg;

	k->nodes++;
	return 0;
}

static void kho_test_walk(struct kunit *test, struct kho_radix *tree,
			  struct kho_test_keys *k, unsigned long max)
{
	struct kho_radix_walk walk = {
		.node = kho_test_count_node,
		.key = kho_test_collect_key,
		.arg = k,
	};

	k->keys = kunit_kcalloc(test, max ?: 1, sizeof(u64), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, k->keys);
	k->max = max;
	k->nr = 0;
	k->nodes = 0;
	KUNIT_ASSERT_EQ(test, kho_radix_walk(tree->root ?
					     virt_to_phys(tree->root) : 0,
					     &walk), 0);
}

static int kho_test_add(struct kho_radix *tree, u64 phys, unsigned int order)
{
	return kho_radix_add(tree, kho_radix_encode_key(phys, order));
}

static int kho_test_del(struct kho_radix *tree, u64 phys, unsigned int order)
{
	return kho_radix_del(tree, kho_radix_encode_key(phys, order));
}

static void kho_test_key_encoding(struct kunit *test)
{
	unsigned int order, got;
	u64 phys, key;

	/* The order-0 order bit sits at 64 - PAGE_SHIFT (bit 52 for 4K). */
	KUNIT_EXPECT_EQ(test, kho_radix_encode_key(0, 0), 1ULL << (64 - PAGE_SHIFT));
	KUNIT_EXPECT_EQ(test, kho_radix_encode_key(PAGE_SIZE, 0),
			(1ULL << (64 - PAGE_SHIFT)) | 1);
	KUNIT_EXPECT_EQ(test, kho_radix_encode_key(0, 1), 1ULL << (63 - PAGE_SHIFT));
	for (order = 0; order <= 30; order++) {
		phys = (u64)0x123 << (PAGE_SHIFT + order);
		key = kho_radix_encode_key(phys, order);
		KUNIT_EXPECT_LT(test, key, 1ULL << KHO_RADIX_KEY_WIDTH);
		KUNIT_EXPECT_EQ(test, kho_radix_decode_key(key, &got), phys);
		KUNIT_EXPECT_EQ(test, got, order);
	}
}

static void kho_test_add_del(struct kunit *test)
{
	struct kho_radix tree = {};
	u64 key = kho_radix_encode_key(SZ_1G + SZ_64K, 0);

	KUNIT_EXPECT_FALSE(test, kho_radix_test(&tree, key));
	KUNIT_EXPECT_EQ(test, kho_radix_del(&tree, key), -ENOENT);
	KUNIT_ASSERT_EQ(test, kho_radix_add(&tree, key), 0);
	KUNIT_EXPECT_TRUE(test, kho_radix_test(&tree, key));
	KUNIT_EXPECT_EQ(test, kho_radix_add(&tree, key), -EEXIST);
	KUNIT_EXPECT_EQ(test, tree.nr_keys, 1UL);
	/* A root, four more tables and a leaf. */
	KUNIT_EXPECT_EQ(test, tree.nr_nodes, (unsigned long)KHO_TREE_MAX_DEPTH);
	KUNIT_EXPECT_FALSE(test, kho_radix_test(&tree, key + 1));
	KUNIT_EXPECT_EQ(test, kho_radix_del(&tree, key), 0);
	KUNIT_EXPECT_FALSE(test, kho_radix_test(&tree, key));
	KUNIT_EXPECT_EQ(test, kho_radix_del(&tree, key), -ENOENT);
	/* Emptied nodes are freed; the root stays. */
	KUNIT_EXPECT_EQ(test, tree.nr_nodes, 1UL);
	KUNIT_EXPECT_EQ(test, tree.nr_keys, 0UL);
	kho_radix_destroy(&tree);
	KUNIT_EXPECT_EQ(test, tree.nr_nodes, 0UL);
}

/* Aligned for every order tested. */
#define KHO_TEST_BIG	BIT_ULL(46)

static void kho_test_all_orders(struct kunit *test)
{
	struct kho_radix tree = {};
	struct kho_test_keys k;
	unsigned int order, got;
	unsigned long i;

	/* Same address, every order: distinct keys. */
	for (order = 0; order <= 30; order++)
		KUNIT_ASSERT_EQ(test, kho_test_add(&tree, KHO_TEST_BIG, order), 0);
	KUNIT_EXPECT_EQ(test, tree.nr_keys, 31UL);
	kho_test_walk(test, &tree, &k, 64);
	KUNIT_ASSERT_EQ(test, k.nr, 31UL);
	KUNIT_EXPECT_EQ(test, k.nodes, tree.nr_nodes);
	for (i = 0; i < k.nr; i++) {
		KUNIT_EXPECT_EQ(test, kho_radix_decode_key(k.keys[i], &got),
				KHO_TEST_BIG);
		/* Keys come in increasing order: highest order first. */
		KUNIT_EXPECT_EQ(test, got, 30 - (unsigned int)i);
		if (i)
			KUNIT_EXPECT_GT(test, k.keys[i], k.keys[i - 1]);
	}
	for (order = 0; order <= 30; order++)
		KUNIT_EXPECT_EQ(test, kho_test_del(&tree, KHO_TEST_BIG, order), 0);
	KUNIT_EXPECT_EQ(test, tree.nr_nodes, 1UL);
	kho_radix_destroy(&tree);
}

static void kho_test_sparse(struct kunit *test)
{
	struct kho_radix tree = {};
	struct kho_test_keys k;
	unsigned int got;
	unsigned long i;

	/* One page every 4 GiB up to 256 TiB, and the top of 52-bit space. */
	for (i = 0; i < 64; i++)
		KUNIT_ASSERT_EQ(test, kho_test_add(&tree, i << 42, 0), 0);
	KUNIT_ASSERT_EQ(test, kho_test_add(&tree, (1ULL << 52) - PAGE_SIZE, 0), 0);
	kho_test_walk(test, &tree, &k, 128);
	KUNIT_ASSERT_EQ(test, k.nr, 65UL);
	KUNIT_EXPECT_EQ(test, k.nodes, tree.nr_nodes);
	for (i = 0; i < 64; i++) {
		KUNIT_EXPECT_EQ(test, kho_radix_decode_key(k.keys[i], &got),
				(u64)i << 42);
		KUNIT_EXPECT_EQ(test, got, 0U);
	}
	KUNIT_EXPECT_EQ(test, kho_radix_decode_key(k.keys[64], &got),
			(1ULL << 52) - PAGE_SIZE);
	kho_radix_destroy(&tree);
}

static void kho_test_dense(struct kunit *test)
{
	const unsigned long nr = 3 * (1UL << KHO_BITMAP_SIZE_LOG2) + 17;
	struct kho_radix tree = {};
	struct kho_test_keys k;
	unsigned long i;
	unsigned int got;

	for (i = 0; i < nr; i++)
		KUNIT_ASSERT_EQ(test, kho_test_add(&tree, SZ_1G + i * PAGE_SIZE, 0), 0);
	/* Root, 4 tables on the path, and 4 leaves (the range is unaligned). */
	KUNIT_EXPECT_LE(test, tree.nr_nodes, (unsigned long)KHO_TREE_MAX_DEPTH + 4);
	kho_test_walk(test, &tree, &k, nr);
	KUNIT_ASSERT_EQ(test, k.nr, nr);
	for (i = 0; i < nr; i++)
		KUNIT_EXPECT_EQ(test, kho_radix_decode_key(k.keys[i], &got),
				(u64)SZ_1G + i * PAGE_SIZE);
	for (i = 0; i < nr; i += 2)
		KUNIT_EXPECT_EQ(test, kho_test_del(&tree, SZ_1G + i * PAGE_SIZE, 0), 0);
	kho_test_walk(test, &tree, &k, nr);
	KUNIT_EXPECT_EQ(test, k.nr, nr / 2);
	for (i = 1; i < nr; i += 2)
		KUNIT_EXPECT_EQ(test, kho_test_del(&tree, SZ_1G + i * PAGE_SIZE, 0), 0);
	KUNIT_EXPECT_EQ(test, tree.nr_keys, 0UL);
	KUNIT_EXPECT_EQ(test, tree.nr_nodes, 1UL);
	kho_radix_destroy(&tree);
}

static int kho_test_refuse_node(struct kho_radix_walk *walk, phys_addr_t phys,
				unsigned int level)
{
	return level == 0 ? -EINVAL : 0;
}

static void kho_test_walk_refusal(struct kunit *test)
{
	struct kho_radix tree = {};
	struct kho_test_keys k = {};
	struct kho_radix_walk walk = {
		.node = kho_test_refuse_node,
		.key = kho_test_collect_key,
		.arg = &k,
	};

	k.keys = kunit_kcalloc(test, 4, sizeof(u64), GFP_KERNEL);
	k.max = 4;
	KUNIT_ASSERT_EQ(test, kho_radix_add(&tree, kho_radix_encode_key(0, 3)), 0);
	/* A refused node is never read: no key is reported. */
	KUNIT_EXPECT_EQ(test, kho_radix_walk(virt_to_phys(tree.root), &walk),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, k.nr, 0UL);
	KUNIT_EXPECT_EQ(test, kho_radix_walk(0, &walk), 0);
	kho_radix_destroy(&tree);
}

static void kho_test_block_split(struct kunit *test)
{
	/* Aligned ranges are one block each. */
	KUNIT_EXPECT_EQ(test, kho_block_order(0x40000, 0x40000 + 0x40000), 18U);
	KUNIT_EXPECT_EQ(test, kho_block_order(0x1000, 0x1001), 0U);
	/* Alignment limits the order... */
	KUNIT_EXPECT_EQ(test, kho_block_order(0x1003, 0x2000), 0U);
	KUNIT_EXPECT_EQ(test, kho_block_order(0x1004, 0x2000), 2U);
	/* ...and so does the end. */
	KUNIT_EXPECT_EQ(test, kho_block_order(0x1000, 0x1007), 2U);
}

/* Allocated pages may be preserved; the check looks at every page. */
static void kho_test_owned_allocated(struct kunit *test)
{
	struct folio *folio = folio_alloc(GFP_KERNEL, 2);
	void *exact = alloc_pages_exact(4 * PAGE_SIZE, GFP_KERNEL);
	struct page *page = alloc_pages(GFP_KERNEL, 2);
	unsigned long pfn;

	KUNIT_ASSERT_NOT_NULL(test, folio);
	KUNIT_ASSERT_NOT_NULL(test, exact);
	KUNIT_ASSERT_NOT_NULL(test, page);

	/* Split pages each hold a reference. */
	KUNIT_EXPECT_EQ(test, kho_pages_owned(PHYS_PFN(virt_to_phys(exact)), 4), 0);
	/* A folio, and a range inside it: tails of an allocated compound page. */
	pfn = folio_pfn(folio);
	KUNIT_EXPECT_EQ(test, kho_folio_owned(folio), 0);
	KUNIT_EXPECT_EQ(test, kho_pages_owned(pfn, 4), 0);
	KUNIT_EXPECT_EQ(test, kho_pages_owned(pfn + 1, 3), 0);
	/* A tail page is not a folio. */
	KUNIT_EXPECT_EQ(test, kho_folio_owned((struct folio *)folio_page(folio, 1)),
			-EINVAL);

	/* The tails of a non-compound allocation hold no reference... */
	pfn = page_to_pfn(page);
	KUNIT_EXPECT_EQ(test, kho_pages_owned(pfn, 1), 0);
	KUNIT_EXPECT_EQ(test, kho_pages_owned(pfn, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_pages_owned(pfn + 3, 1), -EINVAL);
	/* ...until it is split. */
	split_page(page, 2);
	KUNIT_EXPECT_EQ(test, kho_pages_owned(pfn, 4), 0);

	free_pages_exact(exact, 4 * PAGE_SIZE);
	folio_put(folio);
	for (; pfn < page_to_pfn(page) + 4; pfn++)
		__free_page(pfn_to_page(pfn));
}

/* Free, reserved, offline, scratch and wrapping ranges are refused. */
static void kho_test_owned_refused(struct kunit *test)
{
	const struct kho_scratch_entry *areas;
	unsigned long pfn;
	struct page *page;
	unsigned int cnt;

	/* Too large for the per-CPU lists: goes straight back to the buddy. */
	page = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER);
	KUNIT_ASSERT_NOT_NULL(test, page);
	pfn = page_to_pfn(page);
	__free_pages(page, MAX_PAGE_ORDER);
	KUNIT_EXPECT_EQ(test, kho_pages_owned(pfn, 1UL << MAX_PAGE_ORDER), -EINVAL);

	/* The kernel image is reserved, first page or last. */
	pfn = page_to_pfn(ZERO_PAGE(0));
	KUNIT_EXPECT_EQ(test, kho_pages_owned(pfn, 1), -EINVAL);
	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, kho_pages_owned(page_to_pfn(page), 1), 0);
	__free_page(page);

	/* Past the end of memory, and a range that wraps around. */
	KUNIT_EXPECT_EQ(test, kho_pages_owned(ALIGN(max_pfn, PAGES_PER_SECTION) +
					      PAGES_PER_SECTION, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_pages_owned(ULONG_MAX - 1, 4), -EINVAL);

	/* Scratch, when KHO reserved some. */
	areas = kho_scratch_out(&cnt);
	if (cnt)
		KUNIT_EXPECT_EQ(test, kho_pages_owned(PHYS_PFN(areas[0].addr), 1),
				-EINVAL);
}

/*
 * Sub-blob ranges must lie wholly in incoming blocks: here an order-2 block
 * whose head page is tagged as kho_mem_in_reserve() tags it.
 */
static void kho_test_spans_preserved(struct kunit *test)
{
	struct kho_mem_span *many = kunit_kcalloc(test, 5000, sizeof(*many),
						  GFP_KERNEL);
	struct page *page = alloc_pages(GFP_KERNEL, 3);
	struct kho_mem_span spans[3];
	phys_addr_t base, bad = 0;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, many);
	KUNIT_ASSERT_NOT_NULL(test, page);
	base = page_to_phys(page);
	spans[0] = (struct kho_mem_span){ base, base + PAGE_SIZE };
	KUNIT_EXPECT_FALSE(test, kho_mem_in_spans_preserved(spans, 1, &bad));
	KUNIT_EXPECT_EQ(test, bad, base);

	page->private = KHO_PRIVATE(2);
	spans[0] = (struct kho_mem_span){ base + 100, base + 4 * PAGE_SIZE };
	spans[1] = (struct kho_mem_span){ base, base + PAGE_SIZE };
	KUNIT_EXPECT_TRUE(test, kho_mem_in_spans_preserved(spans, 2, &bad));

	/* One byte past the block, in a range overlapping a good one. */
	spans[0] = (struct kho_mem_span){ base + PAGE_SIZE, base + 2 * PAGE_SIZE };
	spans[1] = (struct kho_mem_span){ base, base + 4 * PAGE_SIZE + 1 };
	spans[2] = (struct kho_mem_span){ base + 8, base + 16 };
	KUNIT_EXPECT_FALSE(test, kho_mem_in_spans_preserved(spans, 3, &bad));
	KUNIT_EXPECT_EQ(test, bad, base + 4 * PAGE_SIZE);

	/* A tagged order-0 page right after it continues the block. */
	page[4].private = KHO_PRIVATE(0);
	spans[1] = (struct kho_mem_span){ base, base + 4 * PAGE_SIZE + 1 };
	KUNIT_EXPECT_TRUE(test, kho_mem_in_spans_preserved(spans, 3, &bad));

	/* 5,000 ranges naming the same pages are looked at once. */
	for (i = 0; i < 5000; i++)
		many[i] = (struct kho_mem_span){ base, base + 5 * PAGE_SIZE };
	KUNIT_EXPECT_TRUE(test, kho_mem_in_spans_preserved(many, 5000, &bad));
	many[4999].end++;
	KUNIT_EXPECT_FALSE(test, kho_mem_in_spans_preserved(many, 5000, &bad));
	KUNIT_EXPECT_EQ(test, bad, base + 5 * PAGE_SIZE);
	page->private = 0;
	page[4].private = 0;
	__free_pages(page, 3);
}

/*
 * A vmalloc descriptor asking for more pages than the handover preserved
 * is refused before it sizes an allocation (no kvmalloc WARN).
 */
static void kho_test_vmalloc_bounded(struct kunit *test)
{
	struct kho_vmalloc desc = {
		.total_pages = U32_MAX,
		.flags = KHO_VMALLOC_ALLOC,
	};

	if (test_taint(TAINT_WARN))
		kunit_skip(test, "the kernel already warned");
	KUNIT_EXPECT_NULL(test, kho_restore_vmalloc(&desc));
	KUNIT_EXPECT_FALSE(test, test_taint(TAINT_WARN));
}

static struct kunit_case kho_mem_test_cases[] = {
	KUNIT_CASE(kho_test_key_encoding),
	KUNIT_CASE(kho_test_add_del),
	KUNIT_CASE(kho_test_all_orders),
	KUNIT_CASE(kho_test_sparse),
	KUNIT_CASE(kho_test_dense),
	KUNIT_CASE(kho_test_walk_refusal),
	KUNIT_CASE(kho_test_block_split),
	KUNIT_CASE(kho_test_owned_allocated),
	KUNIT_CASE(kho_test_owned_refused),
	KUNIT_CASE(kho_test_spans_preserved),
	KUNIT_CASE(kho_test_vmalloc_bounded),
	{}
};

static struct kunit_suite kho_mem_test_suite = {
	.name = "kho_mem",
	.test_cases = kho_mem_test_cases,
};

kunit_test_suite(kho_mem_test_suite);

MODULE_DESCRIPTION("KUnit tests of the KHO preserved-memory radix tree");
MODULE_LICENSE("GPL");
