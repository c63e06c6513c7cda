// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit fuzz suite of the incoming scratch array: mutated copies of a
 * valid array go through the length check of kho_populate() and then
 * kho_scratch_in_take(), which must refuse them or keep only page-aligned,
 * non-empty, non-wrapping areas, as many as were passed at most. The
 * parser is __init, so the suite runs from the init section, at boot.
 */

#include <kunit/test.h>
#include <linux/kho/fuzz.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "../internal.h"

#define KHO_FUZZ_SCRATCH_SEED	0x6b686f2d73637231ULL

static const struct kho_scratch_entry kho_fuzz_scratch_seed[] = {
	{ .addr = 0x1000000, .size = 0x4000000 },
	{ .addr = 0, .size = 0 },	/* a kind mainline reserved none of */
	{ .addr = 0x40000000, .size = 0x200000 },
	{ .addr = 0x80000000, .size = PAGE_SIZE },
};

/* What kho_scratch_in() holds after @in of @cnt areas was taken. */
static const char *__init
kho_fuzz_scratch_wrong(const struct kho_scratch_entry *in, unsigned int cnt)
{
	const struct kho_scratch_entry *kept;
	unsigned int nr, i, j = 0;

	kept = kho_scratch_in(&nr);
	if (!nr || nr > cnt)
		return "the number of areas kept is wrong";
	for (i = 0; i < nr; i++) {
		if (!kept[i].size || !PAGE_ALIGNED(kept[i].addr) ||
		    !PAGE_ALIGNED(kept[i].size) ||
		    kept[i].addr + kept[i].size < kept[i].addr)
			return "an invalid area was kept";
		while (j < cnt && !in[j].size)
			j++;
		if (j == cnt || memcmp(&kept[i], &in[j++], sizeof(*kept)))
			return "the areas kept are not those passed";
	}
	return NULL;
}

static void __init kho_fuzz_scratch(struct kunit *test)
{
	const size_t seed_len = sizeof(kho_fuzz_scratch_seed);
	const size_t max = (KHO_SCRATCH_MAX + 1) * sizeof(struct kho_scratch_entry);
	struct kho_scratch_entry *in;
	unsigned int cnt;
	struct kho_fuzz f;
	const char *wrong;
	size_t len;

	kho_scratch_in(&cnt);
	if (cnt)
		kunit_skip(test, "this boot has an incoming handover");

	kho_fuzz_begin(&f, test, KHO_FUZZ_SCRATCH_SEED);
	while (kho_fuzz_next(&f)) {
		len = seed_len;
		in = kho_fuzz_input(&f, kho_fuzz_scratch_seed, &len, max);
		/* kho_populate() takes whole arrays of 1..KHO_SCRATCH_MAX areas. */
		cnt = len / sizeof(*in);
		if (!cnt || cnt > KHO_SCRATCH_MAX || len % sizeof(*in)) {
			kfree(in);
			continue;
		}
		if (kho_scratch_in_take(in, cnt)) {
			f.accepted++;
			wrong = kho_fuzz_scratch_wrong(in, cnt);
			KUNIT_EXPECT_NULL_MSG(test, wrong, "input %lu accepted but %s",
					      f.nr, wrong);
			kho_scratch_in_drop();
		} else {
			kho_scratch_in(&cnt);
			KUNIT_EXPECT_EQ(test, cnt, 0);
		}
		kfree(in);
	}
	kho_fuzz_end(&f);
}

static struct kunit_case __refdata kho_fuzz_scratch_cases[] = {
	KUNIT_CASE_SLOW(kho_fuzz_scratch),
	{}
};

static struct kunit_suite kho_fuzz_scratch_suite = {
	.name = "kho_fuzz_scratch",
	.test_cases = kho_fuzz_scratch_cases,
};

kunit_test_init_section_suites(&kho_fuzz_scratch_suite);
