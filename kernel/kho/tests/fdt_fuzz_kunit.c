// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit fuzz suite of the validator of an incoming root FDT,
 * kho_fdt_check(): mutated copies of a root FDT built by kho_fdt_build(),
 * each in a buffer of exactly its length, are refused with a reason or
 * accepted as well-formed.
 */

#include <kunit/test.h>
#include <linux/kho/fuzz.h>
#include <linux/libfdt.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "../internal.h"

#define KHO_FUZZ_FDT_SEED	0x6b686f2d66647431ULL
#define KHO_FUZZ_FDT_GROW	256

static const struct {
	const char *name;
	u64 phys, size;
} kho_fuzz_fdt_blobs[] = {
	{ "khoreg-registry", 0x200000, 123 },
	{ "memblock", 0x7000, PAGE_SIZE },
	{ "ftrace", 0x10000000, 3 * PAGE_SIZE },
};

/* The range check of the boot path, without memblock: no empty or wrapping range. */
static bool kho_fuzz_fdt_blob_ok(phys_addr_t phys, u64 size, const char **why)
{
	if (!size || phys + size < phys) {
		*why = "has an empty or wrapping sub-blob";
		return false;
	}
	return true;
}

static void *kho_fuzz_fdt_seed(struct kunit *test, size_t *len)
{
	void *fdt = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	struct kho_blob *b;
	LIST_HEAD(blobs);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, fdt);
	for (i = 0; i < ARRAY_SIZE(kho_fuzz_fdt_blobs); i++) {
		const char *name = kho_fuzz_fdt_blobs[i].name;

		b = kunit_kzalloc(test, struct_size(b, name, strlen(name) + 1),
				  GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, b);
		strscpy(b->name, name, strlen(name) + 1);
		b->phys = kho_fuzz_fdt_blobs[i].phys;
		b->size = kho_fuzz_fdt_blobs[i].size;
		list_add_tail(&b->list, &blobs);
	}
	KUNIT_ASSERT_EQ(test, kho_fdt_build(fdt, PAGE_SIZE, 0x12345000, &blobs), 0);
	*len = fdt_totalsize(fdt);
	return fdt;
}

/* What an accepted FDT must be; the first thing it is not, or NULL. */
static const char *kho_fuzz_fdt_wrong(const void *fdt, size_t len,
				      const struct kho_fdt_info *info)
{
	unsigned int nr = 0;
	u64 phys, size;
	int node;

	if (fdt_totalsize(fdt) > len)
		return "its total size is past the buffer";
	if (!info->mem_map || !PAGE_ALIGNED(info->mem_map))
		return "its memory map address is not a page";
	if (kho_fuzz_fdt_read_all(fdt))
		return "libfdt cannot read all of it";
	fdt_for_each_subnode(node, fdt, 0) {
		const char *name = fdt_get_name(fdt, node, NULL);

		if (!name || kho_fdt_find_blob(fdt, name, &phys, &size))
			return "a sub-blob cannot be looked up";
		if (!size || phys + size < phys)
			return "a sub-blob escaped the range check";
		nr++;
	}
	if (nr != info->nr_blobs)
		return "its sub-blob count is wrong";
	return NULL;
}

static void kho_fuzz_fdt(struct kunit *test)
{
	struct kho_fdt_info info;
	const char *why, *wrong;
	size_t seed_len, len;
	struct kho_fuzz f;
	void *seed, *in;
	int err;

	seed = kho_fuzz_fdt_seed(test, &seed_len);
	kho_fuzz_begin(&f, test, KHO_FUZZ_FDT_SEED);
	while (kho_fuzz_next(&f)) {
		len = seed_len;
		in = kho_fuzz_input(&f, seed, &len, seed_len + KHO_FUZZ_FDT_GROW);
		why = NULL;
		err = kho_fdt_check(in, len, &info, kho_fuzz_fdt_blob_ok, &why);
		if (err) {
			KUNIT_EXPECT_EQ(test, err, -EINVAL);
			KUNIT_EXPECT_NOT_NULL(test, why);
		} else {
			f.accepted++;
			wrong = kho_fuzz_fdt_wrong(in, len, &info);
			KUNIT_EXPECT_NULL_MSG(test, wrong, "input %lu accepted but %s",
					      f.nr, wrong);
		}
		kfree(in);
	}
	kho_fuzz_end(&f);
}

static struct kunit_case kho_fuzz_fdt_cases[] = {
	KUNIT_CASE_SLOW(kho_fuzz_fdt),
	{}
};

static struct kunit_suite kho_fuzz_fdt_suite = {
	.name = "kho_fuzz_fdt",
	.test_cases = kho_fuzz_fdt_cases,
};

kunit_test_suite(kho_fuzz_fdt_suite);
