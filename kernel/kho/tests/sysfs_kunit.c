// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the memory_map files: a radix tree read back as records
 * must list every node once, depth first, with its contents, whatever the
 * size and order of the reads.
 */

#include <kunit/test.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/sizes.h>

#include "../internal.h"

struct kho_export_nodes {
	phys_addr_t *phys;
	unsigned long nr, max;
};

static int kho_export_collect(struct kho_radix_walk *walk, phys_addr_t phys,
			      unsigned int level)
{
	struct kho_export_nodes *n = walk->arg;

	if (n->nr == n->max)
		return -E2BIG;
	n->phys[n->nr++] = phys;
	return 0;
}

static phys_addr_t kho_export_root(const struct kho_radix *tree)
{
	return tree->root ? virt_to_phys(tree->root) : 0;
}

/* The file as it must read: one record per node, in kho_radix_walk() order. */
static char *kho_export_expected(struct kunit *test, struct kho_radix *tree,
				 size_t *size)
{
	struct kho_export_nodes n = { .max = tree->nr_nodes };
	struct kho_radix_walk walk = { .node = kho_export_collect, .arg = &n };
	unsigned long i;
	char *buf;

	n.phys = kunit_kcalloc(test, n.max, sizeof(*n.phys), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, n.phys);
	KUNIT_ASSERT_EQ(test, kho_radix_walk(kho_export_root(tree), &walk), 0);
	KUNIT_ASSERT_EQ(test, n.nr, tree->nr_nodes);
	*size = n.nr * KHO_MAP_RECORD_SIZE;
	buf = kunit_kzalloc(test, *size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < n.nr; i++) {
		u64 phys = n.phys[i];

		memcpy(buf + i * KHO_MAP_RECORD_SIZE, &phys, sizeof(phys));
		memcpy(buf + i * KHO_MAP_RECORD_SIZE + sizeof(phys),
		       phys_to_virt(phys), PAGE_SIZE);
	}
	return buf;
}

/* Read the file from @off to its end in @chunk byte reads into @buf + @off. */
static size_t kho_export_read_from(struct kunit *test, struct kho_radix *tree,
				   struct kho_map_cursor *cur, char *buf,
				   size_t off, size_t max, size_t chunk)
{
	ssize_t n;

	for (;;) {
		n = kho_map_export_read(cur, kho_export_root(tree), tree->gen,
					buf + off, off, min(chunk, max - off));
		KUNIT_ASSERT_GE(test, n, 0);
		if (!n)
			return off;
		off += n;
		KUNIT_ASSERT_LE(test, off, max);
		if (off == max)
			break;
	}
	/* At the end, a read returns nothing. */
	KUNIT_EXPECT_EQ(test, kho_map_export_read(cur, kho_export_root(tree),
						  tree->gen, buf, off, 16), 0);
	return off;
}

static size_t kho_export_read_all(struct kunit *test, struct kho_radix *tree,
				  struct kho_map_cursor *cur, char *buf,
				  size_t max, size_t chunk)
{
	return kho_export_read_from(test, tree, cur, buf, 0, max, chunk);
}

static void kho_export_check(struct kunit *test, struct kho_radix *tree)
{
	static const size_t chunks[] = { PAGE_SIZE, 1000, 8, 3 * PAGE_SIZE + 7 };
	struct kho_map_cursor cur = { .index = -1 };
	size_t size, i;
	char *want, *got;

	want = kho_export_expected(test, tree, &size);
	got = kunit_kzalloc(test, size + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, got);
	for (i = 0; i < ARRAY_SIZE(chunks); i++) {
		memset(got, 0xa5, size);
		KUNIT_EXPECT_EQ(test, kho_export_read_all(test, tree, &cur, got,
							  size + 1, chunks[i]),
				size);
		KUNIT_EXPECT_EQ(test, memcmp(got, want, size), 0);
	}
	/* Backwards, record by record, from the middle of each record. */
	for (i = tree->nr_nodes; i-- > 0;) {
		loff_t off = i * KHO_MAP_RECORD_SIZE + 5;

		KUNIT_ASSERT_EQ(test, kho_map_export_read(&cur, kho_export_root(tree),
							  tree->gen, got, off, 16),
				16);
		KUNIT_EXPECT_EQ(test, memcmp(got, want + off, 16), 0);
	}
}

static void kho_export_empty(struct kunit *test)
{
	struct kho_map_cursor cur = { .index = -1 };
	char buf[16];

	KUNIT_EXPECT_EQ(test, kho_map_export_read(&cur, 0, 0, buf, 0,
						  sizeof(buf)), 0);
	KUNIT_EXPECT_EQ(test, kho_map_export_read(&cur, PAGE_SIZE, 0, buf, -1,
						  sizeof(buf)), 0);
}

static void kho_export_shapes(struct kunit *test)
{
	struct kho_radix tree = {};
	unsigned int order;
	u64 i, key;

	/* The root alone. */
	KUNIT_ASSERT_EQ(test, kho_radix_alloc_root(&tree), 0);
	kho_export_check(test, &tree);

	/* Sparse: every order, far apart; then dense runs of order 0. */
	for (order = 0; order <= 20; order++) {
		key = kho_radix_encode_key((u64)(order + 1) << 34, order);
		KUNIT_ASSERT_EQ(test, kho_radix_add(&tree, key), 0);
	}
	kho_export_check(test, &tree);
	for (i = 0; i < 3 * SZ_64K; i += 2) {
		key = kho_radix_encode_key(SZ_1G + i * PAGE_SIZE, 0);
		KUNIT_ASSERT_EQ(test, kho_radix_add(&tree, key), 0);
	}
	kho_export_check(test, &tree);
	kho_radix_destroy(&tree);
}

/* A cursor left in an older tree is not trusted. */
static void kho_export_changed(struct kunit *test)
{
	struct kho_map_cursor cur = { .index = -1 };
	struct kho_radix tree = {};
	size_t size, cap = 64 * KHO_MAP_RECORD_SIZE;
	loff_t off;
	char *want, *got;

	got = kunit_kzalloc(test, cap, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_ASSERT_EQ(test, kho_radix_add(&tree, kho_radix_encode_key(SZ_4G, 3)), 0);
	/* Leave the cursor on the fourth node... */
	for (off = 0; off < 4 * KHO_MAP_RECORD_SIZE; off += KHO_MAP_RECORD_SIZE)
		KUNIT_ASSERT_EQ(test, kho_map_export_read(&cur, kho_export_root(&tree),
							  tree.gen, got, off, 8), 8);
	/* ...then add nodes before it. */
	KUNIT_ASSERT_EQ(test, kho_radix_add(&tree, kho_radix_encode_key(SZ_1G, 0)), 0);
	want = kho_export_expected(test, &tree, &size);
	KUNIT_ASSERT_LT(test, size, cap);
	KUNIT_EXPECT_EQ(test, kho_export_read_from(test, &tree, &cur, got, off, cap,
						   PAGE_SIZE), size);
	KUNIT_EXPECT_EQ(test, memcmp(got + off, want + off, size - off), 0);
	kho_radix_destroy(&tree);
}

static struct kunit_case kho_export_test_cases[] = {
	KUNIT_CASE(kho_export_empty),
	KUNIT_CASE(kho_export_shapes),
	KUNIT_CASE(kho_export_changed),
	{}
};

static struct kunit_suite kho_export_test_suite = {
	.name = "kho_export",
	.test_cases = kho_export_test_cases,
};

kunit_test_suite(kho_export_test_suite);

MODULE_DESCRIPTION("KUnit tests of the KHO memory_map export");
MODULE_LICENSE("GPL");
