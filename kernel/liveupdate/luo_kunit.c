// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the parsers of an incoming live update: the LUO session
 * list and the memfd description, fed well-formed and malformed input.
 */

#include <kunit/test.h>
#include <linux/fs.h>
#include <linux/kho/abi/memfd.h>
#include <linux/string.h>

#include "luo_internal.h"

#define FAKE_BLOCKS	8
#define FAKE_PA(i)	(0x100000ULL * ((i) + 1))

struct fake {
	struct kunit *test;
	void *block[FAKE_BLOCKS];
	bool taken[FAKE_BLOCKS];
	char sessions[8][LIVEUPDATE_SESSION_NAME_LENGTH];
	int nr_sessions;
	u64 tokens[16];
	int file_session[16];
	int nr_files;
};

static const void *fake_take(void *ctx, u64 pa)
{
	struct fake *f = ctx;
	int i;

	for (i = 0; i < FAKE_BLOCKS; i++) {
		if (FAKE_PA(i) != pa || !f->block[i] || f->taken[i])
			continue;
		f->taken[i] = true;
		return f->block[i];
	}
	return NULL;
}

static void *fake_session(void *ctx, const char *name)
{
	struct fake *f = ctx;

	strscpy(f->sessions[f->nr_sessions], name, LIVEUPDATE_SESSION_NAME_LENGTH);
	f->nr_sessions++;
	/* The cookie: the session's number, counting from 1. */
	return (void *)(uintptr_t)f->nr_sessions;
}

static void fake_file(void *ctx, void *cookie, const char *compatible,
		      u64 data, u64 token)
{
	struct fake *f = ctx;

	f->file_session[f->nr_files] = (uintptr_t)cookie - 1;
	f->tokens[f->nr_files++] = token;
}

static struct fake *fake_new(struct kunit *test)
{
	struct fake *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->test = test;
	return f;
}

/* Block @i: a header and room for entries. */
static struct kho_block_header_ser *fake_block(struct fake *f, int i,
					       u64 count, u64 next)
{
	struct kho_block_header_ser *hdr;

	hdr = kunit_kzalloc(f->test, KHO_BLOCK_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(f->test, hdr);
	hdr->count = count;
	hdr->next = next;
	f->block[i] = hdr;
	return hdr;
}

static struct luo_session_ser *fake_session_at(struct fake *f, int blk, int slot,
					       const char *name, u64 files,
					       u64 count)
{
	struct luo_session_ser *ss;

	ss = (struct luo_session_ser *)((struct kho_block_header_ser *)f->block[blk] + 1) + slot;
	strscpy(ss->name, name, sizeof(ss->name));
	ss->file_set_ser.files = files;
	ss->file_set_ser.count = count;
	return ss;
}

static void fake_file_at(struct fake *f, int blk, int slot, u64 token)
{
	struct luo_file_ser *fs;

	fs = (struct luo_file_ser *)((struct kho_block_header_ser *)f->block[blk] + 1) + slot;
	strscpy(fs->compatible, MEMFD_LUO_FH_COMPATIBLE, sizeof(fs->compatible));
	fs->data = 0x1000 * (token + 1);
	fs->token = token;
}

static int fake_parse(struct fake *f, u64 pa)
{
	const struct luo_block_source src = { .take = fake_take, .ctx = f };
	const struct luo_parse_ops ops = {
		.session = fake_session,
		.file = fake_file,
		.ctx = f,
	};

	return luo_ser_parse_sessions(pa, &src, &ops);
}

static void luo_parse_valid(struct kunit *test)
{
	struct fake *f = fake_new(test);

	fake_block(f, 0, 2, 0);
	fake_session_at(f, 0, 0, "vm-a", FAKE_PA(1), 3);
	fake_session_at(f, 0, 1, "vm-b", 0, 0);
	/* Three files over two blocks. */
	fake_block(f, 1, 2, FAKE_PA(2));
	fake_file_at(f, 1, 0, 7);
	fake_file_at(f, 1, 1, 8);
	fake_block(f, 2, 1, 0);
	fake_file_at(f, 2, 0, 9);

	KUNIT_EXPECT_EQ(test, fake_parse(f, FAKE_PA(0)), 2);
	KUNIT_EXPECT_STREQ(test, f->sessions[0], "vm-a");
	KUNIT_EXPECT_STREQ(test, f->sessions[1], "vm-b");
	KUNIT_ASSERT_EQ(test, f->nr_files, 3);
	KUNIT_EXPECT_EQ(test, f->tokens[0], 7);
	KUNIT_EXPECT_EQ(test, f->tokens[2], 9);
	KUNIT_EXPECT_EQ(test, f->file_session[2], 0);
}

static void luo_parse_empty(struct kunit *test)
{
	struct fake *f = fake_new(test);

	KUNIT_EXPECT_EQ(test, fake_parse(f, 0), 0);
	KUNIT_EXPECT_EQ(test, f->nr_sessions, 0);
}

static void luo_parse_bad_block_counts(struct kunit *test)
{
	const u64 per = (KHO_BLOCK_SIZE - sizeof(struct kho_block_header_ser)) /
			sizeof(struct luo_session_ser);
	struct fake *f = fake_new(test);

	fake_block(f, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, fake_parse(f, FAKE_PA(0)), -EINVAL);
	fake_block(f, 1, per + 1, 0);
	fake_session_at(f, 1, 0, "x", 0, 0);
	KUNIT_EXPECT_EQ(test, fake_parse(f, FAKE_PA(1)), -EINVAL);
	KUNIT_EXPECT_EQ(test, f->nr_sessions, 0);
}

static void luo_parse_not_preserved(struct kunit *test)
{
	struct fake *f = fake_new(test);

	/* An address no block sits at. */
	KUNIT_EXPECT_EQ(test, fake_parse(f, FAKE_PA(5)), -EINVAL);
	KUNIT_EXPECT_EQ(test, f->nr_sessions, 0);
}

static void luo_parse_loop(struct kunit *test)
{
	struct fake *f = fake_new(test);

	/* The block points at itself: its session is kept once, then stop. */
	fake_block(f, 0, 1, FAKE_PA(0));
	fake_session_at(f, 0, 0, "loop", 0, 0);
	KUNIT_EXPECT_EQ(test, fake_parse(f, FAKE_PA(0)), -EINVAL);
	KUNIT_EXPECT_EQ(test, f->nr_sessions, 1);
}

static void luo_parse_bad_names(struct kunit *test)
{
	struct fake *f = fake_new(test);
	struct luo_session_ser *ss;

	fake_block(f, 0, 4, 0);
	ss = fake_session_at(f, 0, 0, "", 0, 0);
	ss = fake_session_at(f, 0, 1, "", 0, 0);
	memset(ss->name, 'a', sizeof(ss->name));	/* unterminated */
	fake_session_at(f, 0, 2, "good", 0, 0);
	fake_session_at(f, 0, 3, "good", 0, 0);		/* duplicate */
	KUNIT_EXPECT_EQ(test, fake_parse(f, FAKE_PA(0)), 1);
	KUNIT_EXPECT_EQ(test, f->nr_sessions, 1);
	KUNIT_EXPECT_STREQ(test, f->sessions[0], "good");
}

static void luo_parse_file_count_mismatch(struct kunit *test)
{
	struct fake *f = fake_new(test);

	fake_block(f, 0, 3, 0);
	fake_session_at(f, 0, 0, "more", FAKE_PA(1), 3);	/* 2 listed */
	fake_session_at(f, 0, 1, "fewer", FAKE_PA(2), 1);	/* 2 listed */
	fake_session_at(f, 0, 2, "nolist", 0, 2);
	fake_block(f, 1, 2, 0);
	fake_file_at(f, 1, 0, 1);
	fake_file_at(f, 1, 1, 2);
	fake_block(f, 2, 2, 0);
	fake_file_at(f, 2, 0, 1);
	fake_file_at(f, 2, 1, 2);
	KUNIT_EXPECT_EQ(test, fake_parse(f, FAKE_PA(0)), 3);
	KUNIT_EXPECT_EQ(test, f->nr_files, 0);
}

static void luo_parse_bad_files(struct kunit *test)
{
	struct fake *f = fake_new(test);
	struct luo_file_ser *fs;

	fake_block(f, 0, 1, 0);
	fake_session_at(f, 0, 0, "s", FAKE_PA(1), 4);
	fake_block(f, 1, 4, 0);
	fake_file_at(f, 1, 0, 5);
	fake_file_at(f, 1, 1, 5);				/* duplicate token */
	fake_file_at(f, 1, 2, 6);
	fs = (struct luo_file_ser *)((struct kho_block_header_ser *)f->block[1] + 1) + 2;
	memset(fs->compatible, 'm', sizeof(fs->compatible));	/* unterminated */
	fake_file_at(f, 1, 3, 7);
	KUNIT_EXPECT_EQ(test, fake_parse(f, FAKE_PA(0)), 1);
	KUNIT_ASSERT_EQ(test, f->nr_files, 2);
	KUNIT_EXPECT_EQ(test, f->tokens[0], 5);
	KUNIT_EXPECT_EQ(test, f->tokens[1], 7);
}

static void luo_memfd_header(struct kunit *test)
{
	struct memfd_luo_ser ser = {
		.size = 3 * PAGE_SIZE + 1,
		.nr_folios = 4,
	};

	KUNIT_EXPECT_EQ(test, memfd_luo_check_header(&ser, PAGE_SIZE), 0);
	/* More folios than pages, or than the array holds. */
	ser.nr_folios = 5;
	KUNIT_EXPECT_EQ(test, memfd_luo_check_header(&ser, PAGE_SIZE), -EINVAL);
	ser.nr_folios = 4;
	KUNIT_EXPECT_EQ(test, memfd_luo_check_header(&ser, 63), -EINVAL);
	ser.seals = 0x40;
	KUNIT_EXPECT_EQ(test, memfd_luo_check_header(&ser, PAGE_SIZE), -EINVAL);
	ser.seals = MEMFD_LUO_ALL_SEALS;
	ser.flags = 1;
	KUNIT_EXPECT_EQ(test, memfd_luo_check_header(&ser, PAGE_SIZE), -EINVAL);
	ser.flags = 0;
	ser.size = (u64)MAX_LFS_FILESIZE + 1;
	KUNIT_EXPECT_EQ(test, memfd_luo_check_header(&ser, PAGE_SIZE), -EINVAL);
	ser.size = PAGE_SIZE;
	ser.pos = U64_MAX;
	ser.nr_folios = 1;
	KUNIT_EXPECT_EQ(test, memfd_luo_check_header(&ser, PAGE_SIZE), -EINVAL);
}

static void luo_memfd_folio(struct kunit *test)
{
	struct memfd_luo_folio_ser fs = {
		.pfn = 0x1234,
		.flags = MEMFD_LUO_FOLIO_DIRTY | MEMFD_LUO_FOLIO_UPTODATE,
		.index = 2,
	};
	const u64 size = 4 * PAGE_SIZE;

	KUNIT_EXPECT_EQ(test, memfd_luo_check_folio(&fs, 0, size), 0);
	KUNIT_EXPECT_EQ(test, memfd_luo_check_folio(&fs, 2, size), 0);
	/* Misaligned for its order, or running past the end of the file. */
	KUNIT_EXPECT_EQ(test, memfd_luo_check_folio(&fs, 4, size), -EINVAL);
	fs.index = 3;
	KUNIT_EXPECT_EQ(test, memfd_luo_check_folio(&fs, 1, size), 0);
	KUNIT_EXPECT_EQ(test, memfd_luo_check_folio(&fs, 2, size), -EINVAL);
	fs.index = 4;
	KUNIT_EXPECT_EQ(test, memfd_luo_check_folio(&fs, 0, size), -EINVAL);
	fs.index = 0;
	fs.flags = 0x80;
	KUNIT_EXPECT_EQ(test, memfd_luo_check_folio(&fs, 1, size), -EINVAL);
}

static struct kunit_case luo_parse_cases[] = {
	KUNIT_CASE(luo_parse_valid),
	KUNIT_CASE(luo_parse_empty),
	KUNIT_CASE(luo_parse_bad_block_counts),
	KUNIT_CASE(luo_parse_not_preserved),
	KUNIT_CASE(luo_parse_loop),
	KUNIT_CASE(luo_parse_bad_names),
	KUNIT_CASE(luo_parse_file_count_mismatch),
	KUNIT_CASE(luo_parse_bad_files),
	KUNIT_CASE(luo_memfd_header),
	KUNIT_CASE(luo_memfd_folio),
	{}
};

static struct kunit_suite luo_parse_suite = {
	.name = "liveupdate_parse",
	.test_cases = luo_parse_cases,
};

kunit_test_suite(luo_parse_suite);
