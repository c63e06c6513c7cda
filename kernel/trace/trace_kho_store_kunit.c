// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the trace store's parser (trace_kho_store.c): a sound
 * store is accepted; a header or contents that do not check out (erased,
 * foreign, another version, lengths beyond the store, a checksum or an
 * ftrace blob that does not match) are refused, each with its reason.
 */
#include <kunit/test.h>
#include <linux/crc32.h>
#include <linux/slab.h>

#include "trace.h"
#include "trace_kho.h"

#define TEST_RANGE	(2 * PAGE_SIZE)
#define TEST_STORE	(1024 * 1024)

/* A sound store: header, a one-instance ftrace blob, its range */
struct test_store {
	struct kho_trace_store_header hdr;
	struct {
		struct kho_trace_header hdr;
		struct kho_trace_instance inst[2];
	} blob;
	u8 *range;
};

/* The blob lists one instance; inst[1] is room for a second one. */
#define TEST_BLOB_SIZE	(sizeof(struct kho_trace_header) + \
			 sizeof(struct kho_trace_instance))

static void seal(struct test_store *s)
{
	u64 range_size = s->hdr.length - s->hdr.blob_size;

	s->hdr.checksum = crc32_le(crc32_le(~0U, (const u8 *)&s->blob,
					    s->hdr.blob_size),
				   s->range, range_size) ^ ~0U;
}

static struct test_store *make_store(struct kunit *test)
{
	struct test_store *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->range = kunit_kzalloc(test, 2 * TEST_RANGE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s->range);
	memset(s->range, 0x5a, TEST_RANGE);
	s->blob.hdr = (struct kho_trace_header) {
		.magic = KHO_TRACE_MAGIC,
		.version = KHO_TRACE_VERSION,
		.size = TEST_BLOB_SIZE,
		.nr_instances = 1,
		.nr_cpu_ids = nr_cpu_ids,
		.page_size = PAGE_SIZE,
	};
	strscpy(s->blob.inst[0].name, "early");
	s->blob.inst[0].range_size = TEST_RANGE;
	s->blob.inst[1] = s->blob.inst[0];
	strscpy(s->blob.inst[1].name, "other");
	s->hdr = (struct kho_trace_store_header) {
		.magic = KHO_TRACE_STORE_MAGIC,
		.version = KHO_TRACE_STORE_VERSION,
		.length = TEST_BLOB_SIZE + TEST_RANGE,
		.blob_size = TEST_BLOB_SIZE,
		.reason = KHO_TRACE_STORE_REBOOT,
	};
	seal(s);
	return s;
}

/* Check the header, then the contents; NULL when both pass. */
static const char *check_store(struct kunit *test, struct test_store *s,
			       u64 store_size)
{
	struct kho_trace_header *copy;
	const char *why;

	why = trace_kho_store_check(&s->hdr, store_size);
	if (why)
		return why;
	copy = trace_kho_store_parse(&s->hdr, &s->blob, s->range, &why);
	if (!copy)
		return why;
	KUNIT_EXPECT_EQ(test, copy->nr_instances, 1);
	KUNIT_EXPECT_STREQ(test, ((struct kho_trace_instance *)(copy + 1))->name,
			   "early");
	kvfree(copy);
	return NULL;
}

static void sound_test(struct kunit *test)
{
	struct test_store *s = make_store(test);

	KUNIT_EXPECT_NULL(test, check_store(test, s, TEST_STORE));
	/* Exactly as large as the store */
	KUNIT_EXPECT_NULL(test, check_store(test, s, sizeof(s->hdr) +
					    s->hdr.length));
	s->hdr.reason = KHO_TRACE_STORE_POWER_OFF;
	KUNIT_EXPECT_NULL(test, check_store(test, s, TEST_STORE));
}

/* A malformed store: how it is damaged, and why it must be refused */
struct bad_store {
	const char *desc;
	void (*damage)(struct test_store *s, u64 *store_size);
	const char *why;
};

static void damage_erased(struct test_store *s, u64 *store_size)
{
	memset(&s->hdr, 0xff, sizeof(s->hdr));
}

static void damage_zeroed(struct test_store *s, u64 *store_size)
{
	memset(&s->hdr, 0, sizeof(s->hdr));
}

static void damage_magic(struct test_store *s, u64 *store_size)
{
	s->hdr.magic = KHO_TRACE_MAGIC;
}

static void damage_version(struct test_store *s, u64 *store_size)
{
	s->hdr.version++;
}

static void damage_reserved(struct test_store *s, u64 *store_size)
{
	s->hdr.reserved = 1;
}

static void damage_reason_0(struct test_store *s, u64 *store_size)
{
	s->hdr.reason = 0;
}

static void damage_reason(struct test_store *s, u64 *store_size)
{
	s->hdr.reason = KHO_TRACE_STORE_POWER_OFF + 1;
}

static void damage_reason_max(struct test_store *s, u64 *store_size)
{
	s->hdr.reason = U32_MAX;
}

static void damage_beyond(struct test_store *s, u64 *store_size)
{
	*store_size = sizeof(s->hdr) + s->hdr.length - 1;
}

static void damage_tiny_store(struct test_store *s, u64 *store_size)
{
	*store_size = sizeof(s->hdr) - 1;
}

static void damage_huge(struct test_store *s, u64 *store_size)
{
	s->hdr.length = U64_MAX;
}

static void damage_more_than_ram(struct test_store *s, u64 *store_size)
{
	*store_size = U64_MAX;
	s->hdr.length = (u64)totalram_pages() << PAGE_SHIFT;
}

static void damage_blob_small(struct test_store *s, u64 *store_size)
{
	s->hdr.blob_size = sizeof(struct kho_trace_header) - 1;
}

static void damage_blob_all(struct test_store *s, u64 *store_size)
{
	s->hdr.blob_size = s->hdr.length;
}

static void damage_blob_over(struct test_store *s, u64 *store_size)
{
	s->hdr.blob_size = U32_MAX;
}

static void damage_unaligned(struct test_store *s, u64 *store_size)
{
	s->hdr.length--;
}

static void damage_checksum(struct test_store *s, u64 *store_size)
{
	s->hdr.checksum ^= 1;
}

static void damage_range_byte(struct test_store *s, u64 *store_size)
{
	s->range[TEST_RANGE - 1] ^= 0x80;
}

static void damage_blob_byte(struct test_store *s, u64 *store_size)
{
	s->blob.inst[0].name[0] = 'E';
}

static void damage_blob_magic(struct test_store *s, u64 *store_size)
{
	s->blob.hdr.magic ^= 1;
	seal(s);
}

static void damage_two(struct test_store *s, u64 *store_size)
{
	s->blob.hdr.nr_instances = 2;
	s->blob.hdr.size += sizeof(struct kho_trace_instance);
	s->hdr.blob_size += sizeof(struct kho_trace_instance);
	s->hdr.length += sizeof(struct kho_trace_instance);
	seal(s);
}

static void damage_none(struct test_store *s, u64 *store_size)
{
	s->blob.hdr.nr_instances = 0;
	s->blob.hdr.size = sizeof(s->blob.hdr);
	s->hdr.blob_size = sizeof(s->blob.hdr);
	s->hdr.length = sizeof(s->blob.hdr) + TEST_RANGE;
	seal(s);
}

static void damage_memory(struct test_store *s, u64 *store_size)
{
	s->blob.inst[0].mem.total_pages = TEST_RANGE / PAGE_SIZE;
	s->blob.inst[0].mem.first.phys = PAGE_SIZE;
	seal(s);
}

static void damage_range_size(struct test_store *s, u64 *store_size)
{
	s->blob.inst[0].range_size = TEST_RANGE + PAGE_SIZE;
	seal(s);
}

static void damage_range_longer(struct test_store *s, u64 *store_size)
{
	s->hdr.length += PAGE_SIZE;
	seal(s);
}

static void damage_cpus(struct test_store *s, u64 *store_size)
{
	s->blob.hdr.nr_cpu_ids++;
	seal(s);
}

static const struct bad_store bad_stores[] = {
	{ "erased flash", damage_erased, "empty (erased)" },
	{ "zeroed", damage_zeroed, "foreign contents (bad magic)" },
	{ "another magic", damage_magic, "foreign contents (bad magic)" },
	{ "another version", damage_version, "unknown version" },
	{ "reserved set", damage_reserved, "reserved field not zero" },
	{ "reason 0", damage_reason_0, "unknown reason" },
	{ "reason past the last", damage_reason, "unknown reason" },
	{ "reason U32_MAX", damage_reason_max, "unknown reason" },
	{ "one byte beyond the store", damage_beyond, "length beyond the store" },
	{ "store smaller than a header", damage_tiny_store,
	  "length beyond the store" },
	{ "length U64_MAX", damage_huge, "length beyond the store" },
	{ "length all of RAM", damage_more_than_ram,
	  "length larger than a quarter of RAM" },
	{ "blob smaller than its header", damage_blob_small,
	  "blob size out of range" },
	{ "blob the whole length", damage_blob_all, "blob size out of range" },
	{ "blob U32_MAX", damage_blob_over, "blob size out of range" },
	{ "range not whole pages", damage_unaligned,
	  "trace range not page aligned" },
	{ "checksum", damage_checksum, "checksum mismatch" },
	{ "a byte of the range", damage_range_byte, "checksum mismatch" },
	{ "a byte of the blob", damage_blob_byte, "checksum mismatch" },
	{ "blob magic", damage_blob_magic, "bad magic" },
	{ "two instances", damage_two, "not exactly one instance" },
	{ "no instance", damage_none, "not exactly one instance" },
	{ "instance with memory", damage_memory, "instance with memory" },
	{ "instance range larger", damage_range_size,
	  "instance range is not the stored range" },
	{ "stored range larger", damage_range_longer,
	  "instance range is not the stored range" },
	{ "another number of CPUs", damage_cpus, "another number of CPUs" },
};

static void bad_store_desc(const struct bad_store *bad, char *desc)
{
	strscpy(desc, bad->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bad_store, bad_stores, bad_store_desc);

static void bad_store_test(struct kunit *test)
{
	const struct bad_store *bad = test->param_value;
	struct test_store *s = make_store(test);
	u64 store_size = TEST_STORE;
	const char *why;

	/* Not refused before the damage: the case tests what it says */
	KUNIT_ASSERT_NULL(test, check_store(test, s, store_size));
	bad->damage(s, &store_size);
	why = check_store(test, s, store_size);
	KUNIT_ASSERT_NOT_NULL(test, why);
	KUNIT_EXPECT_STREQ(test, why, bad->why);
}

static struct kunit_case trace_kho_store_cases[] = {
	KUNIT_CASE(sound_test),
	KUNIT_CASE_PARAM(bad_store_test, bad_store_gen_params),
	{}
};

static struct kunit_suite trace_kho_store_suite = {
	.name = "trace_kho_store",
	.test_cases = trace_kho_store_cases,
};

kunit_test_suite(trace_kho_store_suite);

MODULE_DESCRIPTION("KUnit tests of the trace store's parser");
MODULE_LICENSE("GPL");
