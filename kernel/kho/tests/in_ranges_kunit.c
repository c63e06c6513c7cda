// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the checks an incoming preserved-memory map must pass as a
 * whole: no node named twice, no overlapping blocks, no node inside a
 * block, nothing over memory this kernel keeps for itself, and no more
 * memory named than the machine has.
 */

#include <kunit/test.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/sizes.h>

#include "../internal.h"
#include "../in_ranges.h"

/* Far above any test machine's memory; blocks there are never read. */
#define KHO_TEST_P	BIT_ULL(46)
#define KHO_TEST_MAX	64

struct kho_test_ranges {
	struct kho_in_ranges rs;
	struct kho_in_range r[KHO_TEST_MAX];
};

static struct kho_test_ranges *kho_test_ranges(struct kunit *test,
					       unsigned long max_pages)
{
	struct kho_test_ranges *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	kho_in_ranges_start(&t->rs, t->r, KHO_TEST_MAX, max_pages);
	return t;
}

static int kho_test_block(struct kho_in_ranges *rs, u64 phys,
			  unsigned int order)
{
	return kho_in_ranges_add(rs, phys, PAGE_SIZE << order, KHO_IN_BLOCK);
}

static int kho_test_node(struct kho_in_ranges *rs, u64 phys)
{
	return kho_in_ranges_add(rs, phys, PAGE_SIZE, KHO_IN_NODE);
}

/* Where a refused whole tree goes wrong first depends on its node pages. */
#define KHO_TEST_ANYWHERE	U64_MAX

static void kho_test_refused(struct kunit *test, struct kho_in_ranges *rs,
			     int err, int want, const char *why, u64 bad)
{
	KUNIT_EXPECT_EQ(test, err, want);
	KUNIT_ASSERT_NOT_NULL(test, rs->why);
	KUNIT_EXPECT_STREQ(test, rs->why, why);
	if (bad != KHO_TEST_ANYWHERE)
		KUNIT_EXPECT_EQ(test, (u64)rs->bad, bad);
}

/* A valid map: nodes and blocks side by side are accepted and sorted. */
static void kho_test_disjoint(struct kunit *test)
{
	struct kho_test_ranges *t = kho_test_ranges(test, ULONG_MAX);
	struct kho_in_ranges *rs = &t->rs;
	unsigned long i;

	KUNIT_ASSERT_EQ(test, kho_test_node(rs, KHO_TEST_P + SZ_1M), 0);
	KUNIT_ASSERT_EQ(test, kho_test_block(rs, KHO_TEST_P + SZ_2M, 9), 0);
	/* Right after the node, and right before the block. */
	KUNIT_ASSERT_EQ(test, kho_test_block(rs, KHO_TEST_P + SZ_1M + PAGE_SIZE, 0), 0);
	KUNIT_ASSERT_EQ(test, kho_test_node(rs, KHO_TEST_P + SZ_2M - PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, kho_test_block(rs, KHO_TEST_P, 8), 0);
	KUNIT_ASSERT_EQ(test, kho_in_ranges_sort(rs), 0);
	KUNIT_EXPECT_NULL(test, rs->why);
	KUNIT_EXPECT_EQ(test, rs->nr[KHO_IN_NODE], 2UL);
	KUNIT_EXPECT_EQ(test, rs->nr[KHO_IN_BLOCK], 3UL);
	KUNIT_EXPECT_EQ(test, rs->pages, 256UL + 1 + 1 + 1 + 512);
	/* Each page is found in the range that holds it, and nothing else. */
	for (i = 0; i < SZ_4M / PAGE_SIZE; i++) {
		const struct kho_in_range *r;
		u64 p = KHO_TEST_P + i * PAGE_SIZE;

		r = kho_in_ranges_find(rs, p, p + 1);
		if (i >= SZ_1M / PAGE_SIZE + 2 && i < SZ_2M / PAGE_SIZE - 1) {
			KUNIT_EXPECT_NULL(test, r);
			continue;
		}
		KUNIT_ASSERT_NOT_NULL(test, r);
		KUNIT_EXPECT_LE(test, (u64)r->start, p);
		KUNIT_EXPECT_GT(test, (u64)r->end, p);
	}
	KUNIT_EXPECT_NULL(test, kho_in_ranges_find(rs, KHO_TEST_P + SZ_4M, U64_MAX));
}

/* Adjacent ranges of one kind take one slot, even with others between. */
static void kho_test_merge(struct kunit *test)
{
	struct kho_test_ranges *t = kho_test_ranges(test, ULONG_MAX);
	struct kho_in_ranges *rs = &t->rs;
	unsigned int i;

	for (i = 0; i < 8; i++) {
		KUNIT_ASSERT_EQ(test, kho_test_block(rs, KHO_TEST_P + i * PAGE_SIZE, 0), 0);
		KUNIT_ASSERT_EQ(test, kho_test_node(rs, KHO_TEST_P + SZ_1M + i * PAGE_SIZE), 0);
	}
	KUNIT_EXPECT_EQ(test, rs->nr[KHO_IN_BLOCK], 1UL);
	KUNIT_EXPECT_EQ(test, rs->nr[KHO_IN_NODE], 1UL);
	/* Blocks fill the room from the front, nodes from the back. */
	KUNIT_EXPECT_EQ(test, t->r[0].end - t->r[0].start, 8 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, t->r[KHO_TEST_MAX - 1].end - t->r[KHO_TEST_MAX - 1].start,
			8 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, kho_in_ranges_sort(rs), 0);
	KUNIT_EXPECT_EQ(test, rs->nr_runs, 2U);
}

/* Blocks that do not come as runs by order are sorted, and still checked. */
static void kho_test_many_runs(struct kunit *test)
{
	struct kho_test_ranges *t = kho_test_ranges(test, ULONG_MAX);
	struct kho_in_ranges *rs = &t->rs;
	unsigned int i;

	for (i = 0; i < 40; i++)
		KUNIT_ASSERT_EQ(test, kho_test_block(rs, KHO_TEST_P + (40 - i) * SZ_1M, 0), 0);
	KUNIT_EXPECT_EQ(test, kho_in_ranges_sort(rs), 0);
	KUNIT_EXPECT_EQ(test, rs->nr_runs, 1U);
	KUNIT_EXPECT_NOT_NULL(test, kho_in_ranges_find(rs, KHO_TEST_P + SZ_1M, KHO_TEST_P + SZ_2M));

	t = kho_test_ranges(test, ULONG_MAX);
	rs = &t->rs;
	for (i = 0; i < 40; i++)
		KUNIT_ASSERT_EQ(test, kho_test_block(rs, KHO_TEST_P + (40 - i) * SZ_1M, 0), 0);
	KUNIT_ASSERT_EQ(test, kho_test_block(rs, KHO_TEST_P + 7 * SZ_1M, 0), 0);
	kho_test_refused(test, rs, kho_in_ranges_sort(rs), -EINVAL,
			 "has overlapping blocks", KHO_TEST_P + 7 * SZ_1M);
}

/* (P, order 1) and (P + 4 KiB, order 0): the second page twice. */
static void kho_test_overlapping_blocks(struct kunit *test)
{
	struct kho_test_ranges *t = kho_test_ranges(test, ULONG_MAX);
	struct kho_in_ranges *rs = &t->rs;

	KUNIT_ASSERT_EQ(test, kho_test_block(rs, KHO_TEST_P, 1), 0);
	KUNIT_ASSERT_EQ(test, kho_test_block(rs, KHO_TEST_P + PAGE_SIZE, 0), 0);
	kho_test_refused(test, rs, kho_in_ranges_sort(rs), -EINVAL,
			 "has overlapping blocks", KHO_TEST_P + PAGE_SIZE);
}

/* A small block wholly inside a big one, listed first. */
static void kho_test_nested_blocks(struct kunit *test)
{
	struct kho_test_ranges *t = kho_test_ranges(test, ULONG_MAX);
	struct kho_in_ranges *rs = &t->rs;

	KUNIT_ASSERT_EQ(test, kho_test_block(rs, KHO_TEST_P + SZ_1M, 0), 0);
	KUNIT_ASSERT_EQ(test, kho_test_block(rs, KHO_TEST_P, 10), 0);
	kho_test_refused(test, rs, kho_in_ranges_sort(rs), -EINVAL,
			 "has overlapping blocks", KHO_TEST_P + SZ_1M);
}

/* The same block at the same address in two orders. */
static void kho_test_same_start(struct kunit *test)
{
	struct kho_test_ranges *t = kho_test_ranges(test, ULONG_MAX);
	struct kho_in_ranges *rs = &t->rs;

	KUNIT_ASSERT_EQ(test, kho_test_block(rs, KHO_TEST_P, 3), 0);
	KUNIT_ASSERT_EQ(test, kho_test_block(rs, KHO_TEST_P, 0), 0);
	kho_test_refused(test, rs, kho_in_ranges_sort(rs), -EINVAL,
			 "has overlapping blocks", KHO_TEST_P);
}

/* Two table slots naming one child. */
static void kho_test_shared_node(struct kunit *test)
{
	struct kho_test_ranges *t = kho_test_ranges(test, ULONG_MAX);
	struct kho_in_ranges *rs = &t->rs;

	KUNIT_ASSERT_EQ(test, kho_test_node(rs, KHO_TEST_P), 0);
	KUNIT_ASSERT_EQ(test, kho_test_node(rs, KHO_TEST_P + SZ_1M), 0);
	KUNIT_ASSERT_EQ(test, kho_test_node(rs, KHO_TEST_P), 0);
	kho_test_refused(test, rs, kho_in_ranges_sort(rs), -EINVAL,
			 "names one node twice (a shared child or a cycle)",
			 KHO_TEST_P);
}

/* A leaf inside a preserved block, in either order. */
static void kho_test_node_in_block(struct kunit *test)
{
	struct kho_test_ranges *t = kho_test_ranges(test, ULONG_MAX);
	struct kho_in_ranges *rs = &t->rs;

	KUNIT_ASSERT_EQ(test, kho_test_node(rs, KHO_TEST_P + 3 * PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, kho_test_block(rs, KHO_TEST_P, 2), 0);
	kho_test_refused(test, rs, kho_in_ranges_sort(rs), -EINVAL,
			 "has a node inside a preserved block",
			 KHO_TEST_P + 3 * PAGE_SIZE);

	t = kho_test_ranges(test, ULONG_MAX);
	rs = &t->rs;
	KUNIT_ASSERT_EQ(test, kho_test_block(rs, KHO_TEST_P + SZ_1M, 0), 0);
	KUNIT_ASSERT_EQ(test, kho_test_node(rs, KHO_TEST_P + SZ_1M), 0);
	kho_test_refused(test, rs, kho_in_ranges_sort(rs), -EINVAL,
			 "has a node inside a preserved block", KHO_TEST_P + SZ_1M);
}

/* More pages named than the machine has. */
static void kho_test_too_big(struct kunit *test)
{
	struct kho_test_ranges *t = kho_test_ranges(test, 512);
	struct kho_in_ranges *rs = &t->rs;

	KUNIT_EXPECT_EQ(test, kho_test_block(rs, KHO_TEST_P, 9), 0);
	kho_test_refused(test, rs, kho_test_node(rs, KHO_TEST_P + SZ_4M), -E2BIG,
			 "names more memory than this machine has",
			 KHO_TEST_P + SZ_4M);

	/* One block bigger than the machine. */
	t = kho_test_ranges(test, 1UL << 18);
	kho_test_refused(test, &t->rs, kho_test_block(&t->rs, 0, 19), -E2BIG,
			 "names more memory than this machine has", 0);
}

/* Collecting finds more ranges than counting did. */
static void kho_test_changed(struct kunit *test)
{
	struct kho_test_ranges *t = kho_test_ranges(test, ULONG_MAX);
	struct kho_in_ranges *rs = &t->rs;
	unsigned int i;

	for (i = 0; i < KHO_TEST_MAX; i++)
		KUNIT_ASSERT_EQ(test, kho_test_block(rs, KHO_TEST_P + 2 * i * PAGE_SIZE, 0), 0);
	kho_test_refused(test, rs, kho_test_block(rs, 0, 0), -E2BIG,
			 "changed while it was checked", 0);
}

/* Zones this kernel keeps: a hit anywhere in a range refuses it. */
static void kho_test_zones(struct kunit *test)
{
	struct kho_test_ranges *t = kho_test_ranges(test, ULONG_MAX);
	struct kho_in_ranges *rs = &t->rs;

	KUNIT_ASSERT_EQ(test, kho_test_node(rs, KHO_TEST_P + SZ_1M), 0);
	KUNIT_ASSERT_EQ(test, kho_test_block(rs, KHO_TEST_P + SZ_8M, 11), 0);
	KUNIT_ASSERT_EQ(test, kho_in_ranges_sort(rs), 0);

	/* Touching is not overlapping. */
	KUNIT_EXPECT_EQ(test, kho_in_ranges_avoid(rs, KHO_TEST_P + SZ_16M, KHO_TEST_P + SZ_32M,
						  KHO_IN_RESERVED), 0);
	KUNIT_EXPECT_EQ(test, kho_in_ranges_avoid(rs, 0, KHO_TEST_P + SZ_1M,
						  KHO_IN_LOW), 0);
	KUNIT_EXPECT_EQ(test, kho_in_ranges_avoid(rs, KHO_TEST_P + SZ_1M + PAGE_SIZE,
						  KHO_TEST_P + SZ_8M, KHO_IN_NOMAP), 0);
	KUNIT_EXPECT_EQ(test, kho_in_ranges_avoid(rs, 5, 5, KHO_IN_RESERVED), 0);
	KUNIT_EXPECT_NULL(test, rs->why);

	/* An initrd whose first page a block covers. */
	kho_test_refused(test, rs,
			 kho_in_ranges_avoid(rs, KHO_TEST_P + SZ_16M - PAGE_SIZE,
					     KHO_TEST_P + SZ_32M, KHO_IN_RESERVED), -EINVAL,
			 "has a block over memory this kernel reserved",
			 KHO_TEST_P + SZ_16M - PAGE_SIZE);
	rs->why = NULL;
	/* One reserved byte in the middle of a block. */
	kho_test_refused(test, rs,
			 kho_in_ranges_avoid(rs, KHO_TEST_P + SZ_8M + SZ_1M + 7,
					     KHO_TEST_P + SZ_8M + SZ_1M + 8, KHO_IN_RESERVED),
			 -EINVAL, "has a block over memory this kernel reserved",
			 KHO_TEST_P + SZ_8M + SZ_1M + 7);
	rs->why = NULL;
	kho_test_refused(test, rs,
			 kho_in_ranges_avoid(rs, KHO_TEST_P + SZ_1M, KHO_TEST_P + SZ_2M,
					     KHO_IN_NOMAP), -EINVAL,
			 "has a node in memory that must not be mapped", KHO_TEST_P + SZ_1M);
	rs->why = NULL;
	kho_test_refused(test, rs, kho_in_ranges_avoid(rs, 0, KHO_TEST_P + SZ_1M + 1, KHO_IN_LOW),
			 -EINVAL, "has a node below the always-scratch boundary",
			 KHO_TEST_P + SZ_1M);
	KUNIT_EXPECT_PTR_EQ(test, kho_in_ranges_find(rs, KHO_TEST_P + SZ_16M - 1,
						     KHO_TEST_P + SZ_16M),
			    (const struct kho_in_range *)&t->r[0]);
	KUNIT_EXPECT_NULL(test, kho_in_ranges_find(rs, 0, KHO_TEST_P + SZ_1M));
}

static void kho_test_key_block(struct kunit *test)
{
	unsigned int order = 99;
	phys_addr_t phys = 1;

	KUNIT_EXPECT_TRUE(test, kho_in_key_block(kho_radix_encode_key(SZ_1G, 18), &phys, &order));
	KUNIT_EXPECT_EQ(test, (u64)phys, (u64)SZ_1G);
	KUNIT_EXPECT_EQ(test, order, 18U);
	KUNIT_EXPECT_TRUE(test, kho_in_key_block(kho_radix_encode_key(0, 30), &phys, &order));
	KUNIT_EXPECT_EQ(test, order, 30U);
	phys = 1;
	KUNIT_EXPECT_FALSE(test, kho_in_key_block(0, &phys, &order));
	KUNIT_EXPECT_FALSE(test, kho_in_key_block(BIT_ULL(64 - PAGE_SHIFT + 1), &phys, &order));
	KUNIT_EXPECT_FALSE(test, kho_in_key_block(kho_radix_encode_key(0, 30) >> 1, &phys,
						  &order));
	KUNIT_EXPECT_EQ(test, (u64)phys, 1ULL);
}

/* ---- whole trees, as kho_in_ranges_walk() finds them ---- */

static bool kho_test_valid(phys_addr_t phys, u64 size, const char **why)
{
	return true;
}

static bool kho_test_invalid_block(phys_addr_t phys, u64 size, const char **why)
{
	*why = "is not RAM";
	return phys != KHO_TEST_P + SZ_2M;
}

static int kho_test_add(struct kho_radix *tree, u64 phys, unsigned int order)
{
	return kho_radix_add(tree, kho_radix_encode_key(phys, order));
}

/* A tree of order-0 and order-1 blocks, using root slots 2 and 1. */
static struct kho_radix_node *kho_test_tree(struct kunit *test,
					    struct kho_radix *tree)
{
	KUNIT_ASSERT_EQ(test, kho_test_add(tree, KHO_TEST_P, 1), 0);
	KUNIT_ASSERT_EQ(test, kho_test_add(tree, KHO_TEST_P + SZ_2M, 0), 0);
	KUNIT_ASSERT_NE(test, tree->root->table[1], 0ULL);
	KUNIT_ASSERT_NE(test, tree->root->table[2], 0ULL);
	KUNIT_ASSERT_EQ(test, tree->root->table[3], 0ULL);
	return tree->root;
}

static int kho_test_walk(struct kunit *test, struct kho_radix *tree,
			 struct kho_in_ranges *rs)
{
	struct kho_in_range *r;
	int err;

	/* Count, then collect, as at boot. */
	kho_in_ranges_start(rs, NULL, 0, ULONG_MAX);
	err = kho_in_ranges_count(virt_to_phys(tree->root), rs, kho_test_valid);
	if (err)
		return err;
	r = kunit_kcalloc(test, rs->max, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	kho_in_ranges_start(rs, r, rs->max, ULONG_MAX);
	err = kho_in_ranges_walk(virt_to_phys(tree->root), rs, kho_test_valid);
	return err ?: kho_in_ranges_sort(rs);
}

static void kho_test_walk_valid(struct kunit *test)
{
	struct kho_radix tree = {};
	struct kho_in_ranges rs;
	struct kho_in_range *r;
	unsigned long max;
	int err;

	kho_test_tree(test, &tree);
	KUNIT_EXPECT_EQ(test, kho_test_walk(test, &tree, &rs), 0);
	KUNIT_EXPECT_EQ(test, rs.pages, tree.nr_nodes + 2 + 1);
	/* Counting makes room for every node and key. */
	KUNIT_EXPECT_EQ(test, rs.max, tree.nr_nodes + 2);
	r = rs.r;
	max = rs.max;

	/* Counting refuses a tree naming more than the machine has. */
	kho_in_ranges_start(&rs, NULL, 0, tree.nr_nodes);
	err = kho_in_ranges_count(virt_to_phys(tree.root), &rs, kho_test_valid);
	kho_test_refused(test, &rs, err, -E2BIG, "names more memory than this machine has",
			 KHO_TEST_ANYWHERE);

	/* A node or block refused on its own stops the walk. */
	kho_in_ranges_start(&rs, r, max, ULONG_MAX);
	err = kho_in_ranges_walk(virt_to_phys(tree.root), &rs,
				 kho_test_invalid_block);
	kho_test_refused(test, &rs, err, -EINVAL, "is not RAM", KHO_TEST_P + SZ_2M);
	kho_radix_destroy(&tree);
}

/* A root slot naming the same subtree as another slot. */
static void kho_test_walk_shared(struct kunit *test)
{
	struct kho_radix tree = {};
	struct kho_radix_node *root = kho_test_tree(test, &tree);
	struct kho_in_ranges rs;

	root->table[3] = root->table[2];
	kho_test_refused(test, &rs, kho_test_walk(test, &tree, &rs), -EINVAL,
			 "names one node twice (a shared child or a cycle)",
			 KHO_TEST_ANYWHERE);
	root->table[3] = 0;
	kho_radix_destroy(&tree);
}

/* A slot naming the root: the walk ends, and finds the root twice. */
static void kho_test_walk_cycle(struct kunit *test)
{
	struct kho_radix tree = {};
	struct kho_radix_node *root = kho_test_tree(test, &tree);
	struct kho_in_ranges rs;

	root->table[3] = virt_to_phys(root);
	kho_test_refused(test, &rs, kho_test_walk(test, &tree, &rs), -EINVAL,
			 "names one node twice (a shared child or a cycle)",
			 KHO_TEST_ANYWHERE);
	root->table[3] = 0;
	kho_radix_destroy(&tree);
}

/* A block over one of the tree's own leaves. */
static void kho_test_walk_leaf_in_block(struct kunit *test)
{
	struct kho_radix tree = {};
	struct kho_radix_node *root = kho_test_tree(test, &tree);
	struct kho_radix_node *node = phys_to_virt(root->table[2]);
	struct kho_in_ranges rs;
	unsigned int level;
	size_t i;

	/* Down slot 2 to the leaf of KHO_TEST_P + 2 MiB. */
	for (level = KHO_TREE_MAX_DEPTH - 2; level >= 1; level--) {
		for (i = 0; i < ARRAY_SIZE(node->table) && !node->table[i]; i++)
			;
		KUNIT_ASSERT_LT(test, i, ARRAY_SIZE(node->table));
		node = phys_to_virt(node->table[i]);
	}
	KUNIT_ASSERT_EQ(test, kho_test_add(&tree, virt_to_phys(node), 0), 0);
	kho_test_refused(test, &rs, kho_test_walk(test, &tree, &rs), -EINVAL,
			 "has a node inside a preserved block", virt_to_phys(node));
	kho_radix_destroy(&tree);
}

static void kho_test_walk_overlap(struct kunit *test)
{
	struct kho_radix tree = {};
	struct kho_in_ranges rs;

	kho_test_tree(test, &tree);
	KUNIT_ASSERT_EQ(test, kho_test_add(&tree, KHO_TEST_P + PAGE_SIZE, 0), 0);
	kho_test_refused(test, &rs, kho_test_walk(test, &tree, &rs), -EINVAL,
			 "has overlapping blocks", KHO_TEST_P + PAGE_SIZE);
	kho_radix_destroy(&tree);
}

static struct kunit_case kho_in_ranges_test_cases[] = {
	KUNIT_CASE(kho_test_disjoint),
	KUNIT_CASE(kho_test_merge),
	KUNIT_CASE(kho_test_many_runs),
	KUNIT_CASE(kho_test_overlapping_blocks),
	KUNIT_CASE(kho_test_nested_blocks),
	KUNIT_CASE(kho_test_same_start),
	KUNIT_CASE(kho_test_shared_node),
	KUNIT_CASE(kho_test_node_in_block),
	KUNIT_CASE(kho_test_too_big),
	KUNIT_CASE(kho_test_changed),
	KUNIT_CASE(kho_test_zones),
	KUNIT_CASE(kho_test_key_block),
	KUNIT_CASE(kho_test_walk_valid),
	KUNIT_CASE(kho_test_walk_shared),
	KUNIT_CASE(kho_test_walk_cycle),
	KUNIT_CASE(kho_test_walk_leaf_in_block),
	KUNIT_CASE(kho_test_walk_overlap),
	{}
};

static struct kunit_suite kho_in_ranges_test_suite = {
	.name = "kho_in_ranges",
	.test_cases = kho_in_ranges_test_cases,
};

kunit_test_suite(kho_in_ranges_test_suite);

MODULE_DESCRIPTION("KUnit tests of the whole-map checks of an incoming KHO handover");
MODULE_LICENSE("GPL");
