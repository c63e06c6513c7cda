// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit fuzz suite of the parser of an incoming LUO session list,
 * luo_ser_parse_sessions(): a valid list of two sessions and three files
 * over three blocks is damaged (headers, names, counts, tokens, and list
 * pointers aimed at other blocks, which make loops and shared lists), and
 * every block is a buffer of exactly KHO_BLOCK_SIZE bytes. Whatever the
 * parser returns, every session it hands on has a valid name seen once,
 * and every file a valid handler name and a token seen once in its
 * session; it returns the number of sessions it handed on, or -EINVAL.
 */

#include <kunit/test.h>
#include <linux/kho/abi/memfd.h>
#include <linux/kho/fuzz.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "luo_internal.h"

#define LUO_FUZZ_SEED		0x6b686f2d6c756f31ULL
#define LUO_FUZZ_BLOCKS		4
#define LUO_FUZZ_PA(i)		(0x100000ULL * ((i) + 1))
#define LUO_FUZZ_WINDOW		256
/* More sessions or files than this are a failure of the parser's caps. */
#define LUO_FUZZ_SESSIONS	4096
#define LUO_FUZZ_FILES		1024

/**
 * struct luo_fuzz - the blocks of one input and what the parser handed on
 * @test: the KUnit case
 * @block: the blocks, each KHO_BLOCK_SIZE bytes
 * @taken: the parser took the block
 * @names: the sessions handed on
 * @nr_sessions: their number
 * @tokens: the tokens of the files of the last session handed on
 * @nr_tokens: their number
 * @wrong: the first thing handed on that should not have been
 */
struct luo_fuzz {
	struct kunit *test;
	void *block[LUO_FUZZ_BLOCKS];
	bool taken[LUO_FUZZ_BLOCKS];
	char (*names)[LIVEUPDATE_SESSION_NAME_LENGTH];
	unsigned int nr_sessions;
	u64 *tokens;
	unsigned int nr_tokens;
	const char *wrong;
};

static const void *luo_fuzz_take(void *ctx, u64 pa)
{
	struct luo_fuzz *lf = ctx;
	unsigned int i;

	for (i = 0; i < LUO_FUZZ_BLOCKS; i++) {
		if (LUO_FUZZ_PA(i) != pa || lf->taken[i])
			continue;
		lf->taken[i] = true;
		return lf->block[i];
	}
	return NULL;
}

static void *luo_fuzz_session(void *ctx, const char *name)
{
	struct luo_fuzz *lf = ctx;
	unsigned int i;

	if (!name[0] || strnlen(name, LIVEUPDATE_SESSION_NAME_LENGTH) ==
			LIVEUPDATE_SESSION_NAME_LENGTH) {
		lf->wrong = "a session with an invalid name was handed on";
		return NULL;
	}
	if (lf->nr_sessions == LUO_FUZZ_SESSIONS) {
		lf->wrong = "more sessions than the cap were handed on";
		return NULL;
	}
	for (i = 0; i < lf->nr_sessions; i++)
		if (!strcmp(lf->names[i], name))
			lf->wrong = "a session name was handed on twice";
	strscpy(lf->names[lf->nr_sessions++], name);
	lf->nr_tokens = 0;
	return (void *)(uintptr_t)lf->nr_sessions;
}

static void luo_fuzz_file(void *ctx, void *cookie, const char *compatible,
			  u64 data, u64 token)
{
	struct luo_fuzz *lf = ctx;
	unsigned int i;

	if ((uintptr_t)cookie != lf->nr_sessions)
		lf->wrong = "a file was handed on to another session";
	if (!compatible[0] || strnlen(compatible, LIVEUPDATE_HNDL_COMPAT_LENGTH) ==
			      LIVEUPDATE_HNDL_COMPAT_LENGTH)
		lf->wrong = "a file with an invalid handler name was handed on";
	if (lf->nr_tokens == LUO_FUZZ_FILES) {
		lf->wrong = "more files than the blocks hold were handed on";
		return;
	}
	for (i = 0; i < lf->nr_tokens; i++)
		if (lf->tokens[i] == token)
			lf->wrong = "a token was handed on twice in a session";
	lf->tokens[lf->nr_tokens++] = token;
}

static void *luo_fuzz_entry(void *block, size_t size, unsigned int slot)
{
	return block + sizeof(struct kho_block_header_ser) + slot * size;
}

/* Two sessions, "vm-a" with three files over blocks 1 and 2, and "vm-b". */
static void luo_fuzz_seed(void **seed)
{
	struct kho_block_header_ser *hdr;
	struct luo_session_ser *ss;
	struct luo_file_ser *fs;
	unsigned int i;

	hdr = seed[0];
	hdr->count = 2;
	ss = luo_fuzz_entry(seed[0], sizeof(*ss), 0);
	strscpy(ss->name, "vm-a");
	ss->file_set_ser.files = LUO_FUZZ_PA(1);
	ss->file_set_ser.count = 3;
	ss = luo_fuzz_entry(seed[0], sizeof(*ss), 1);
	strscpy(ss->name, "vm-b");
	hdr = seed[1];
	hdr->count = 2;
	hdr->next = LUO_FUZZ_PA(2);
	hdr = seed[2];
	hdr->count = 1;
	for (i = 0; i < 3; i++) {
		fs = luo_fuzz_entry(seed[1 + i / 2], sizeof(*fs), i % 2);
		strscpy(fs->compatible, MEMFD_LUO_FH_COMPATIBLE);
		fs->data = 0x1000 * (i + 1);
		fs->token = 7 + i;
	}
}

/* Damage 1 to 4 places: a window of a block, or a list pointer. */
static void luo_fuzz_damage(struct luo_fuzz *lf, struct kho_fuzz *f)
{
	unsigned int n = 1 + kho_fuzz_below(f, 4);
	void *block;
	size_t off;

	while (n--) {
		block = lf->block[kho_fuzz_below(f, LUO_FUZZ_BLOCKS)];
		off = kho_fuzz_below(f, 2) ? 0 :
		      kho_fuzz_below(f, KHO_BLOCK_SIZE - LUO_FUZZ_WINDOW + 1);
		if (kho_fuzz_below(f, 4)) {
			kho_fuzz_mutate(f, block + off, LUO_FUZZ_WINDOW,
					LUO_FUZZ_WINDOW);
			continue;
		}
		/* A u64 of the first entries now names a block. */
		off = 8 * kho_fuzz_below(f, LUO_FUZZ_WINDOW / 8);
		*(u64 *)(block + off) = LUO_FUZZ_PA(kho_fuzz_below(f, LUO_FUZZ_BLOCKS));
	}
}

static void luo_fuzz_sessions(struct kunit *test)
{
	struct luo_fuzz lf = { .test = test };
	const struct luo_block_source src = { .take = luo_fuzz_take, .ctx = &lf };
	const struct luo_parse_ops ops = {
		.session = luo_fuzz_session,
		.file = luo_fuzz_file,
		.ctx = &lf,
	};
	void *seed[LUO_FUZZ_BLOCKS];
	struct kho_fuzz f;
	unsigned int i;
	u64 first;
	int ret;

	for (i = 0; i < LUO_FUZZ_BLOCKS; i++) {
		seed[i] = kunit_kzalloc(test, KHO_BLOCK_SIZE, GFP_KERNEL);
		lf.block[i] = kunit_kzalloc(test, KHO_BLOCK_SIZE, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, seed[i]);
		KUNIT_ASSERT_NOT_NULL(test, lf.block[i]);
	}
	lf.names = kunit_kcalloc(test, LUO_FUZZ_SESSIONS, sizeof(*lf.names),
				 GFP_KERNEL);
	lf.tokens = kunit_kcalloc(test, LUO_FUZZ_FILES, sizeof(*lf.tokens),
				  GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, lf.names);
	KUNIT_ASSERT_NOT_NULL(test, lf.tokens);
	luo_fuzz_seed(seed);

	kho_fuzz_begin(&f, test, LUO_FUZZ_SEED);
	while (kho_fuzz_next(&f)) {
		for (i = 0; i < LUO_FUZZ_BLOCKS; i++) {
			memcpy(lf.block[i], seed[i], KHO_BLOCK_SIZE);
			lf.taken[i] = false;
		}
		lf.nr_sessions = 0;
		lf.wrong = NULL;
		luo_fuzz_damage(&lf, &f);
		first = kho_fuzz_below(&f, 16) ? LUO_FUZZ_PA(0) :
			LUO_FUZZ_PA(kho_fuzz_below(&f, LUO_FUZZ_BLOCKS + 1));
		ret = luo_ser_parse_sessions(first, &src, &ops);
		KUNIT_EXPECT_NULL_MSG(test, lf.wrong, "input %lu: %s", f.nr,
				      lf.wrong);
		if (ret < 0) {
			KUNIT_EXPECT_EQ(test, ret, -EINVAL);
			continue;
		}
		f.accepted++;
		KUNIT_EXPECT_EQ_MSG(test, ret, lf.nr_sessions,
				    "input %lu: sessions counted", f.nr);
	}
	kho_fuzz_end(&f);
}

static struct kunit_case luo_fuzz_cases[] = {
	KUNIT_CASE_SLOW(luo_fuzz_sessions),
	{}
};

static struct kunit_suite luo_fuzz_suite = {
	.name = "liveupdate_fuzz",
	.test_cases = luo_fuzz_cases,
};

kunit_test_suite(luo_fuzz_suite);
