// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of how the incoming handover bounds what the wire says: the
 * scratch array's length, the FDT's mapping and the sub-blob copies.
 */

#include <kunit/test.h>
#include <linux/kho.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <asm/early_ioremap.h>

#include "../internal.h"

#define KHO_TEST_ENTRY	sizeof(struct kho_scratch_entry)

static void kho_test_scratch_count(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, kho_in_scratch_count(KHO_TEST_ENTRY), 1);
	KUNIT_EXPECT_EQ(test, kho_in_scratch_count(KHO_SCRATCH_MAX *
						   KHO_TEST_ENTRY),
			KHO_SCRATCH_MAX);
	KUNIT_EXPECT_EQ(test, kho_in_scratch_count(0), 0);
	KUNIT_EXPECT_EQ(test, kho_in_scratch_count(KHO_TEST_ENTRY + 1), 0);
	KUNIT_EXPECT_EQ(test, kho_in_scratch_count((KHO_SCRATCH_MAX + 1) *
						   KHO_TEST_ENTRY), 0);
	/* A count that truncates to 1 in 32 bits is still far too long. */
	KUNIT_EXPECT_EQ(test, kho_in_scratch_count(((1ULL << 32) + 1) *
						   KHO_TEST_ENTRY), 0);
	KUNIT_EXPECT_EQ(test, kho_in_scratch_count(U64_MAX -
						   U64_MAX % KHO_TEST_ENTRY), 0);
}

static void kho_test_fdt_mappable(struct kunit *test)
{
	u64 max = (u64)NR_FIX_BTMAPS << PAGE_SHIFT;

	KUNIT_EXPECT_TRUE(test, kho_in_fdt_mappable(SZ_1G, PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test, kho_in_fdt_mappable(SZ_1G, max));
	KUNIT_EXPECT_TRUE(test, kho_in_fdt_mappable(SZ_1G + 8, max - 8));
	KUNIT_EXPECT_FALSE(test, kho_in_fdt_mappable(SZ_1G, 0));
	KUNIT_EXPECT_FALSE(test, kho_in_fdt_mappable(SZ_1G, max + 1));
	/* Unaligned, it spans one page more than there are slots. */
	KUNIT_EXPECT_FALSE(test, kho_in_fdt_mappable(SZ_1G + 8, max));
	KUNIT_EXPECT_FALSE(test, kho_in_fdt_mappable(SZ_1G + PAGE_SIZE - 1,
						     max - PAGE_SIZE + 2));
	KUNIT_EXPECT_FALSE(test, kho_in_fdt_mappable(SZ_1G, U64_MAX));
}

static void kho_test_blob_copy_budget(struct kunit *test)
{
	u64 left = SZ_16M;
	unsigned int i, copied = 0;

	KUNIT_EXPECT_TRUE(test, kho_in_blob_copy_budget(SZ_1M, &left));
	KUNIT_EXPECT_EQ(test, left, SZ_16M - SZ_1M);
	KUNIT_EXPECT_FALSE(test, kho_in_blob_copy_budget(SZ_1M + 1, &left));
	KUNIT_EXPECT_EQ(test, left, SZ_16M - SZ_1M);

	/* 5,000 sub-blobs naming one 1 MiB range: 15 more copies, no more. */
	for (i = 0; i < 5000; i++)
		copied += kho_in_blob_copy_budget(SZ_1M, &left);
	KUNIT_EXPECT_EQ(test, copied, 15);
	KUNIT_EXPECT_EQ(test, left, 0);
	KUNIT_EXPECT_TRUE(test, kho_in_blob_copy_budget(0, &left));
}

static struct kunit_case kho_in_test_cases[] = {
	KUNIT_CASE(kho_test_scratch_count),
	KUNIT_CASE(kho_test_fdt_mappable),
	KUNIT_CASE(kho_test_blob_copy_budget),
	{}
};

static struct kunit_suite kho_in_test_suite = {
	.name = "kho_in",
	.test_cases = kho_in_test_cases,
};

kunit_test_suite(kho_in_test_suite);

MODULE_DESCRIPTION("KUnit tests of the bounds of the incoming KHO handover");
MODULE_LICENSE("GPL");
