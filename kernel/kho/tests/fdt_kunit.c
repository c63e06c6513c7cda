// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the KHO root FDT builder and of the validator of an
 * incoming root FDT, fed well-formed, malformed and truncated blobs.
 */

#include <kunit/test.h>
#include <linux/libfdt.h>
#include <linux/list.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "../internal.h"

#define KHO_TEST_FDT_SIZE	4096
#define KHO_TEST_MEM_MAP	0x12345000ULL

static void kho_test_add_blob(struct kunit *test, struct list_head *blobs,
			      const char *name, u64 phys, u64 size)
{
	struct kho_blob *b;

	b = kunit_kzalloc(test, struct_size(b, name, strlen(name) + 1),
			  GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	strscpy(b->name, name, strlen(name) + 1);
	b->phys = phys;
	b->size = size;
	list_add_tail(&b->list, blobs);
}

/* A valid root FDT with two sub-blobs, in a KHO_TEST_FDT_SIZE buffer. */
static void *kho_test_good_fdt(struct kunit *test)
{
	void *fdt = kunit_kzalloc(test, KHO_TEST_FDT_SIZE, GFP_KERNEL);
	LIST_HEAD(blobs);

	KUNIT_ASSERT_NOT_NULL(test, fdt);
	kho_test_add_blob(test, &blobs, "khoreg-registry", 0x200000, 123);
	kho_test_add_blob(test, &blobs, "memblock", 0x7000, 4096);
	KUNIT_ASSERT_EQ(test, kho_fdt_build(fdt, KHO_TEST_FDT_SIZE,
					    KHO_TEST_MEM_MAP, &blobs), 0);
	return fdt;
}

static int kho_test_check(const void *fdt, size_t size)
{
	struct kho_fdt_info info;
	const char *why = NULL;
	int err = kho_fdt_check(fdt, size, &info, NULL, &why);

	return err && !why ? -EFAULT : err;
}

static void kho_test_build_and_check(struct kunit *test)
{
	void *fdt = kho_test_good_fdt(test);
	struct kho_fdt_info info;
	const char *why = NULL;
	u64 phys, size;

	KUNIT_ASSERT_EQ(test, kho_fdt_check(fdt, KHO_TEST_FDT_SIZE, &info, NULL, &why), 0);
	KUNIT_EXPECT_EQ(test, info.mem_map, KHO_TEST_MEM_MAP);
	KUNIT_EXPECT_EQ(test, info.nr_blobs, 2U);
	KUNIT_EXPECT_EQ(test, fdt_node_check_compatible(fdt, 0, "kho-v4"), 0);
	KUNIT_EXPECT_EQ(test, kho_fdt_find_blob(fdt, "khoreg-registry", &phys, &size), 0);
	KUNIT_EXPECT_EQ(test, phys, 0x200000ULL);
	KUNIT_EXPECT_EQ(test, size, 123ULL);
	KUNIT_EXPECT_EQ(test, kho_fdt_find_blob(fdt, "memblock", &phys, &size), 0);
	KUNIT_EXPECT_EQ(test, phys, 0x7000ULL);
	KUNIT_EXPECT_EQ(test, kho_fdt_find_blob(fdt, "nothing", &phys, &size), -ENOENT);
}

static bool kho_test_blob_low(phys_addr_t phys, u64 size, const char **why)
{
	*why = "has a blob that is too high";
	return phys + size <= SZ_1M;
}

static void kho_test_blob_ranges(struct kunit *test)
{
	void *fdt = kho_test_good_fdt(test);
	struct kho_fdt_info info;
	const char *why = NULL;

	/* "khoreg-registry" is at 2 MiB: refused by the range check. */
	KUNIT_EXPECT_EQ(test, kho_fdt_check(fdt, KHO_TEST_FDT_SIZE, &info,
					    kho_test_blob_low, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "has a blob that is too high");
}

static void kho_test_build_sizes(struct kunit *test)
{
	void *fdt = kunit_kzalloc(test, KHO_TEST_FDT_SIZE, GFP_KERNEL);
	LIST_HEAD(blobs);
	char name[32];
	int i;

	KUNIT_ASSERT_NOT_NULL(test, fdt);
	KUNIT_EXPECT_EQ(test, kho_fdt_size(&blobs), PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, kho_fdt_build(fdt, 64, 0x1000, &blobs), -ENOSPC);
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "blob-%d", i);
		kho_test_add_blob(test, &blobs, name, 0x1000 * i, i);
	}
	/* The size estimate always suffices. */
	fdt = kunit_kzalloc(test, kho_fdt_size(&blobs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fdt);
	KUNIT_EXPECT_EQ(test, kho_fdt_build(fdt, kho_fdt_size(&blobs), 0x1000,
					    &blobs), 0);
	KUNIT_EXPECT_EQ(test, kho_test_check(fdt, kho_fdt_size(&blobs)), 0);
}

static void kho_test_names(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, kho_blob_name_valid("memblock"));
	KUNIT_EXPECT_TRUE(test, kho_blob_name_valid("acme,counter-v2@1"));
	KUNIT_EXPECT_FALSE(test, kho_blob_name_valid(""));
	KUNIT_EXPECT_FALSE(test, kho_blob_name_valid("a/b"));
	KUNIT_EXPECT_FALSE(test, kho_blob_name_valid("with space"));
	static const char too_long[] =
		"0123456789012345678901234567890123456789012345678901234567890123";

	KUNIT_EXPECT_FALSE(test, kho_blob_name_valid(too_long));
}

static void kho_test_truncated(struct kunit *test)
{
	void *fdt = kho_test_good_fdt(test);
	size_t total = fdt_totalsize(fdt), len;
	void *copy;

	/* Every shorter length is refused, reading nothing past it. */
	for (len = 0; len < total; len++) {
		copy = kmemdup(fdt, len ?: 1, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, copy);
		KUNIT_EXPECT_EQ(test, kho_test_check(copy, len), -EINVAL);
		kfree(copy);
	}
	KUNIT_EXPECT_EQ(test, kho_test_check(fdt, total), 0);
}

static void kho_test_bad_header(struct kunit *test)
{
	void *fdt = kho_test_good_fdt(test);
	u32 total = fdt_totalsize(fdt);

	fdt_set_magic(fdt, 0xdeadbeef);
	KUNIT_EXPECT_EQ(test, kho_test_check(fdt, KHO_TEST_FDT_SIZE), -EINVAL);
	fdt_set_magic(fdt, FDT_MAGIC);

	fdt_set_totalsize(fdt, KHO_TEST_FDT_SIZE * 2);
	KUNIT_EXPECT_EQ(test, kho_test_check(fdt, KHO_TEST_FDT_SIZE), -EINVAL);
	fdt_set_totalsize(fdt, total);

	fdt_set_version(fdt, 1);
	KUNIT_EXPECT_EQ(test, kho_test_check(fdt, KHO_TEST_FDT_SIZE), -EINVAL);
	fdt_set_version(fdt, 17);

	fdt_set_off_dt_struct(fdt, total - 4);
	KUNIT_EXPECT_EQ(test, kho_test_check(fdt, KHO_TEST_FDT_SIZE), -EINVAL);
}

/* Build a root FDT by hand: @bad selects what is wrong with it. */
enum kho_test_defect {
	KHO_BAD_NONE,
	KHO_BAD_COMPATIBLE,
	KHO_BAD_NO_COMPATIBLE,
	KHO_BAD_NO_MEM_MAP,
	KHO_BAD_MEM_MAP_SIZE,
	KHO_BAD_MEM_MAP_ZERO,
	KHO_BAD_MEM_MAP_UNALIGNED,
	KHO_BAD_BLOB_NO_SIZE,
	KHO_BAD_BLOB_DATA_SIZE,
	KHO_BAD_DEEP,
	KHO_BAD_COUNT
};

static void *kho_test_custom_fdt(struct kunit *test, enum kho_test_defect bad)
{
	void *fdt = kunit_kzalloc(test, KHO_TEST_FDT_SIZE, GFP_KERNEL);
	u64 map = bad == KHO_BAD_MEM_MAP_ZERO ? 0 :
		  bad == KHO_BAD_MEM_MAP_UNALIGNED ? 0x1234 : KHO_TEST_MEM_MAP;
	u64 val = 0x1000;
	int err, i;

	KUNIT_ASSERT_NOT_NULL(test, fdt);
	err = fdt_create(fdt, KHO_TEST_FDT_SIZE);
	err |= fdt_finish_reservemap(fdt);
	err |= fdt_begin_node(fdt, "");
	if (bad == KHO_BAD_COMPATIBLE)
		err |= fdt_property_string(fdt, "compatible", "kho-v3");
	else if (bad != KHO_BAD_NO_COMPATIBLE)
		err |= fdt_property_string(fdt, "compatible", "kho-v4");
	if (bad == KHO_BAD_MEM_MAP_SIZE)
		err |= fdt_property(fdt, "preserved-memory-map", &map, 4);
	else if (bad != KHO_BAD_NO_MEM_MAP)
		err |= fdt_property(fdt, "preserved-memory-map", &map, 8);
	err |= fdt_begin_node(fdt, "blob");
	err |= fdt_property(fdt, "preserved-data", &val,
			    bad == KHO_BAD_BLOB_DATA_SIZE ? 4 : 8);
	if (bad != KHO_BAD_BLOB_NO_SIZE)
		err |= fdt_property(fdt, "blob-size", &val, 8);
	for (i = 0; bad == KHO_BAD_DEEP && i < 10; i++)
		err |= fdt_begin_node(fdt, "deeper");
	for (i = 0; bad == KHO_BAD_DEEP && i < 10; i++)
		err |= fdt_end_node(fdt);
	err |= fdt_end_node(fdt);
	err |= fdt_end_node(fdt);
	err |= fdt_finish(fdt);
	KUNIT_ASSERT_EQ(test, err, 0);
	return fdt;
}

static void kho_test_defects(struct kunit *test)
{
	int bad;

	KUNIT_EXPECT_EQ(test, kho_test_check(kho_test_custom_fdt(test, KHO_BAD_NONE),
					     KHO_TEST_FDT_SIZE), 0);
	for (bad = KHO_BAD_NONE + 1; bad < KHO_BAD_COUNT; bad++)
		KUNIT_EXPECT_EQ_MSG(test, kho_test_check(kho_test_custom_fdt(test, bad),
							 KHO_TEST_FDT_SIZE),
				    -EINVAL, "defect %d", bad);
}

static void kho_test_bad_structure(struct kunit *test)
{
	void *fdt = kho_test_good_fdt(test);
	u32 *tags = fdt + fdt_off_dt_struct(fdt);
	u32 nwords = fdt_size_dt_struct(fdt) / 4, i;
	void *copy;

	/* An unknown tag where the root node begins. */
	copy = kmemdup(fdt, KHO_TEST_FDT_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	*(u32 *)(copy + fdt_off_dt_struct(fdt)) = cpu_to_fdt32(0x77);
	KUNIT_EXPECT_EQ(test, kho_test_check(copy, KHO_TEST_FDT_SIZE), -EINVAL);
	kfree(copy);

	/* A property whose name offset points past the strings block. */
	copy = kmemdup(fdt, KHO_TEST_FDT_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	for (i = 0; i < nwords; i++) {
		if (fdt32_to_cpu(tags[i]) == FDT_PROP) {
			((u32 *)(copy + fdt_off_dt_struct(fdt)))[i + 2] =
				cpu_to_fdt32(0x100000);
			break;
		}
	}
	KUNIT_EXPECT_EQ(test, kho_test_check(copy, KHO_TEST_FDT_SIZE), -EINVAL);
	kfree(copy);

	/* A property length running past the structure block. */
	copy = kmemdup(fdt, KHO_TEST_FDT_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	((u32 *)(copy + fdt_off_dt_struct(fdt)))[i + 1] = cpu_to_fdt32(0x7fff0000);
	KUNIT_EXPECT_EQ(test, kho_test_check(copy, KHO_TEST_FDT_SIZE), -EINVAL);
	kfree(copy);

	/* Property lengths that make libfdt stand still or step back. */
	copy = kmemdup(fdt, KHO_TEST_FDT_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	((u32 *)(copy + fdt_off_dt_struct(fdt)))[i + 1] = cpu_to_fdt32(-8);
	KUNIT_EXPECT_EQ(test, kho_test_check(copy, KHO_TEST_FDT_SIZE), -EINVAL);
	((u32 *)(copy + fdt_off_dt_struct(fdt)))[i + 1] = cpu_to_fdt32(-16);
	KUNIT_EXPECT_EQ(test, kho_test_check(copy, KHO_TEST_FDT_SIZE), -EINVAL);
	kfree(copy);

	/* Every single-word corruption is either accepted or refused cleanly. */
	for (i = 0; i < nwords; i++) {
		copy = kmemdup(fdt, KHO_TEST_FDT_SIZE, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, copy);
		((u32 *)(copy + fdt_off_dt_struct(fdt)))[i] ^= cpu_to_fdt32(0x5a5a5a5a);
		KUNIT_EXPECT_NE(test, kho_test_check(copy, KHO_TEST_FDT_SIZE), -EFAULT);
		kfree(copy);
	}
}

static struct kunit_case kho_fdt_test_cases[] = {
	KUNIT_CASE(kho_test_build_and_check),
	KUNIT_CASE(kho_test_blob_ranges),
	KUNIT_CASE(kho_test_build_sizes),
	KUNIT_CASE(kho_test_names),
	KUNIT_CASE(kho_test_truncated),
	KUNIT_CASE(kho_test_bad_header),
	KUNIT_CASE(kho_test_defects),
	KUNIT_CASE(kho_test_bad_structure),
	{}
};

static struct kunit_suite kho_fdt_test_suite = {
	.name = "kho_fdt",
	.test_cases = kho_fdt_test_cases,
};

kunit_test_suite(kho_fdt_test_suite);

MODULE_DESCRIPTION("KUnit tests of the KHO root FDT builder and validator");
MODULE_LICENSE("GPL");
