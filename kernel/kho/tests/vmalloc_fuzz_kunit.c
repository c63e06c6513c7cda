// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit cases and fuzz suite of the incoming vmalloc chunk list,
 * kho_vmalloc_in_pages(). Two preserved vmalloc areas are laid out in a
 * buffer of pages as kho_preserve_vmalloc() lays them out: one of order-0
 * pages over two chunks, one of order-2 blocks in one chunk, then a few
 * spare preserved pages and pages nobody preserved. The parser takes
 * memory through a stand-in for kho_restore_pages() that hands out each
 * preserved block of the buffer once, as order-0 pages with one more
 * reference. The fuzz suite damages an area's descriptor and chunk words
 * (garbage, edge values, pointers to other pages of the buffer, which make
 * cycles, shared blocks and chunks read from data pages). An input is
 * refused with nothing held, or accepted with exactly the pages its chunk
 * list names, in order, each taken once from a preserved block.
 */

#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kho/fuzz.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "../internal.h"

#define KHO_FUZZ_VM_SEED	0x6b686f2d766d6131ULL
/* The buffer: the areas, the spare pages and as many nobody preserved. */
#define KHO_FUZZ_VM_ORDER	order_base_2(KHO_VMALLOC_SIZE + 256)
#define KHO_FUZZ_VM_PAGES	BIT(KHO_FUZZ_VM_ORDER)
#define KHO_FUZZ_VM_SPARE	8
#define KHO_FUZZ_VM_WORDS	(PAGE_SIZE / sizeof(u64))

/* The areas: the order of their blocks, how many, their flags. */
static const struct {
	unsigned int order;
	unsigned int nr_blocks;
	u16 flags;
} kho_fuzz_vm_areas[] = {
	{ 0, KHO_VMALLOC_SIZE + 4, KHO_VMALLOC_ALLOC },
	{ 2, 32, KHO_VMALLOC_ALLOC | KHO_VMALLOC_HUGE_VMAP },
};

#define KHO_FUZZ_VM_AREAS	ARRAY_SIZE(kho_fuzz_vm_areas)

/**
 * struct kho_fuzz_vm - preserved vmalloc areas laid out in a buffer
 * @test: the case
 * @pages: the buffer's first page; every page has a reference of its own
 * @base: its address
 * @pfn: its first page frame
 * @tag: per page, the order + 1 of the untaken preserved block it heads
 * @seed_tag: @tag as laid out
 * @preserved: the pages in a preserved block, as laid out
 * @seen: the pages an accepted area holds
 * @desc: the areas' descriptors
 * @first_chunk: each area's first chunk page (index in the buffer)
 * @nr_chunks: each area's number of chunk pages
 * @chunk_pages: chunk pages of all areas, from the buffer's start
 * @seed: the chunk pages as laid out
 * @spare: the first of KHO_FUZZ_VM_SPARE preserved pages no area holds
 * @max_pages: pages in preserved blocks
 */
struct kho_fuzz_vm {
	struct kunit *test;
	struct page *pages;
	void *base;
	unsigned long pfn;
	u8 *tag;
	u8 *seed_tag;
	unsigned long *preserved;
	unsigned long *seen;
	struct kho_vmalloc desc[KHO_FUZZ_VM_AREAS];
	unsigned int first_chunk[KHO_FUZZ_VM_AREAS];
	unsigned int nr_chunks[KHO_FUZZ_VM_AREAS];
	unsigned int chunk_pages;
	void *seed;
	unsigned long spare;
	unsigned long max_pages;
};

/* kho_take_fn has no argument: the buffer being taken from. */
static struct kho_fuzz_vm *kho_fuzz_vm_cur;

static phys_addr_t kho_fuzz_vm_phys(struct kho_fuzz_vm *v, unsigned long idx)
{
	return PFN_PHYS(v->pfn + idx);
}

static u64 *kho_fuzz_vm_words(struct kho_fuzz_vm *v, unsigned long idx)
{
	return v->base + idx * PAGE_SIZE;
}

/* Mark a preserved block of 2^@order pages at @idx. */
static void kho_fuzz_vm_preserve(struct kho_fuzz_vm *v, unsigned long idx,
				 unsigned int order)
{
	v->seed_tag[idx] = order + 1;
	bitmap_set(v->preserved, idx, 1U << order);
	v->max_pages += 1UL << order;
}

/*
 * The stand-in for kho_restore_pages(): the range must be page-aligned,
 * in the buffer and split into untaken preserved blocks exactly as
 * kho_block_order() splits it; all of it is taken, or nothing.
 */
static struct page *kho_fuzz_vm_take(phys_addr_t phys, unsigned long nr)
{
	struct kho_fuzz_vm *v = kho_fuzz_vm_cur;
	unsigned long pfn = PHYS_PFN(phys), end, cur;
	unsigned int order;

	if (!nr || !PAGE_ALIGNED(phys) || pfn < v->pfn ||
	    pfn - v->pfn >= KHO_FUZZ_VM_PAGES ||
	    nr > KHO_FUZZ_VM_PAGES - (pfn - v->pfn))
		return NULL;
	end = pfn + nr;
	for (cur = pfn; cur < end; cur += 1UL << order) {
		order = kho_block_order(cur, end);
		if (v->tag[cur - v->pfn] != order + 1)
			return NULL;
	}
	for (cur = pfn; cur < end; cur += 1UL << order) {
		order = kho_block_order(cur, end);
		v->tag[cur - v->pfn] = 0;
	}
	for (cur = pfn; cur < end; cur++)
		page_ref_inc(pfn_to_page(cur));
	return pfn_to_page(pfn);
}

/* Lay the areas out in a new buffer. */
static void kho_fuzz_vm_build(struct kho_fuzz_vm *v, struct kunit *test)
{
	unsigned int a, b, order, idx, chunk_idx[KHO_FUZZ_VM_AREAS];
	unsigned long data;
	u64 *chunk;

	memset(v, 0, sizeof(*v));
	v->test = test;
	if (KHO_FUZZ_VM_ORDER > MAX_PAGE_ORDER)
		kunit_skip(test, "%lu-byte pages: the buffer would be too large",
			   PAGE_SIZE);
	v->tag = kunit_kzalloc(test, KHO_FUZZ_VM_PAGES, GFP_KERNEL);
	v->seed_tag = kunit_kzalloc(test, KHO_FUZZ_VM_PAGES, GFP_KERNEL);
	v->preserved = kunit_kcalloc(test, BITS_TO_LONGS(KHO_FUZZ_VM_PAGES),
				     sizeof(long), GFP_KERNEL);
	v->seen = kunit_kcalloc(test, BITS_TO_LONGS(KHO_FUZZ_VM_PAGES),
				sizeof(long), GFP_KERNEL);
	v->pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, KHO_FUZZ_VM_ORDER);
	KUNIT_ASSERT_NOT_NULL(test, v->tag);
	KUNIT_ASSERT_NOT_NULL(test, v->seed_tag);
	KUNIT_ASSERT_NOT_NULL(test, v->preserved);
	KUNIT_ASSERT_NOT_NULL(test, v->seen);
	KUNIT_ASSERT_NOT_NULL(test, v->pages);
	split_page(v->pages, KHO_FUZZ_VM_ORDER);
	v->base = page_address(v->pages);
	v->pfn = page_to_pfn(v->pages);

	/* The chunk pages first, so that one copy restores them all. */
	for (a = 0; a < KHO_FUZZ_VM_AREAS; a++) {
		v->first_chunk[a] = v->chunk_pages;
		v->nr_chunks[a] = DIV_ROUND_UP(kho_fuzz_vm_areas[a].nr_blocks,
					       KHO_VMALLOC_SIZE);
		for (b = 0; b < v->nr_chunks[a]; b++) {
			idx = v->chunk_pages++;
			kho_fuzz_vm_preserve(v, idx, 0);
			if (b)
				kho_fuzz_vm_words(v, idx - 1)[0] = kho_fuzz_vm_phys(v, idx);
		}
	}
	data = v->chunk_pages;
	for (a = 0; a < KHO_FUZZ_VM_AREAS; a++) {
		order = kho_fuzz_vm_areas[a].order;
		data = ALIGN(data, 1UL << order);
		chunk_idx[a] = v->first_chunk[a];
		for (b = 0; b < kho_fuzz_vm_areas[a].nr_blocks; b++) {
			if (b && !(b % KHO_VMALLOC_SIZE))
				chunk_idx[a]++;
			chunk = kho_fuzz_vm_words(v, chunk_idx[a]);
			chunk[1 + b % KHO_VMALLOC_SIZE] = kho_fuzz_vm_phys(v, data);
			kho_fuzz_vm_preserve(v, data, order);
			data += 1UL << order;
		}
		v->desc[a] = (struct kho_vmalloc){
			.first.phys = kho_fuzz_vm_phys(v, v->first_chunk[a]),
			.total_pages = kho_fuzz_vm_areas[a].nr_blocks << order,
			.flags = kho_fuzz_vm_areas[a].flags,
			.order = order,
		};
	}
	v->spare = data;
	for (b = 0; b < KHO_FUZZ_VM_SPARE; b++)
		kho_fuzz_vm_preserve(v, data++, 0);
	KUNIT_ASSERT_LE(test, data + 64, KHO_FUZZ_VM_PAGES);

	v->seed = kunit_kmalloc(test, v->chunk_pages * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, v->seed);
	memcpy(v->seed, v->base, v->chunk_pages * PAGE_SIZE);
	memcpy(v->tag, v->seed_tag, KHO_FUZZ_VM_PAGES);
	kho_fuzz_vm_cur = v;
}

static void kho_fuzz_vm_destroy(struct kho_fuzz_vm *v)
{
	unsigned long i;

	for (i = 0; i < KHO_FUZZ_VM_PAGES; i++)
		__free_page(v->pages + i);
	kho_fuzz_vm_cur = NULL;
}

/* Every chunk page and block as laid out, untaken. */
static void kho_fuzz_vm_reset(struct kho_fuzz_vm *v)
{
	memcpy(v->base, v->seed, v->chunk_pages * PAGE_SIZE);
	memcpy(v->tag, v->seed_tag, KHO_FUZZ_VM_PAGES);
}

/* A page of the buffer holding a reference it should not; NULL if none. */
static struct page *kho_fuzz_vm_held(struct kho_fuzz_vm *v)
{
	unsigned long i;

	for (i = 0; i < KHO_FUZZ_VM_PAGES; i++)
		if (page_ref_count(v->pages + i) != 1)
			return v->pages + i;
	return NULL;
}

/*
 * What is wrong with @pages, which the parser accepted for @desc: NULL if
 * they are exactly the blocks the chunk list names, in order, each page
 * in a preserved block, taken once.
 */
static const char *kho_fuzz_vm_wrong(struct kho_fuzz_vm *v,
				     const struct kho_vmalloc *desc,
				     struct page **pages)
{
	unsigned long total = desc->total_pages, nr = 1UL << desc->order;
	unsigned long i, j, k = 0, idx, hops = 0;
	phys_addr_t chunk_phys = desc->first.phys;
	const u64 *chunk;

	if (desc->flags & ~(KHO_VMALLOC_ALLOC | KHO_VMALLOC_HUGE_VMAP))
		return "a descriptor with unknown flags was accepted";
	bitmap_zero(v->seen, KHO_FUZZ_VM_PAGES);
	for (i = 0; i < total; i++) {
		idx = page_to_pfn(pages[i]) - v->pfn;
		if (idx >= KHO_FUZZ_VM_PAGES || !test_bit(idx, v->preserved))
			return "a page outside the preserved blocks";
		if (__test_and_set_bit(idx, v->seen))
			return "a page twice";
		if (page_ref_count(pages[i]) != 2)
			return "a page that was not taken";
	}
	while (chunk_phys) {
		idx = PHYS_PFN(chunk_phys) - v->pfn;
		if (!PAGE_ALIGNED(chunk_phys) || idx >= KHO_FUZZ_VM_PAGES ||
		    ++hops > KHO_FUZZ_VM_PAGES)
			return "a chunk outside the buffer";
		chunk = kho_fuzz_vm_words(v, idx);
		for (i = 1; i <= KHO_VMALLOC_SIZE && chunk[i]; i++) {
			if (k == total)
				return "the chunk list names more pages than the area has";
			for (j = 0; j < nr; j++, k++)
				if (page_to_phys(pages[k]) != chunk[i] + j * PAGE_SIZE)
					return "the pages are not those the chunk list names";
		}
		chunk_phys = chunk[0];
	}
	return k == total ? NULL : "the chunk list names fewer pages than the area has";
}

/*
 * Parse @desc: true if accepted. An accepted area must be right and is
 * given back; after either, no page of the buffer may be held.
 */
static bool kho_fuzz_vm_run(struct kho_fuzz_vm *v, const struct kho_vmalloc *desc,
			    unsigned long nr_input)
{
	struct kunit *test = v->test;
	struct page **pages, *held;
	const char *wrong;
	unsigned long i;
	bool accepted;

	pages = kho_vmalloc_in_pages(desc, v->max_pages, kho_fuzz_vm_take);
	accepted = pages;
	if (accepted) {
		wrong = kho_fuzz_vm_wrong(v, desc, pages);
		KUNIT_EXPECT_NULL_MSG(test, wrong, "input %lu accepted, but %s",
				      nr_input, wrong);
		/* Pages not taken once would go to the page allocator. */
		if (wrong)
			return true;
		for (i = 0; i < desc->total_pages; i++)
			__free_page(pages[i]);
		kvfree(pages);
	}
	held = kho_fuzz_vm_held(v);
	KUNIT_EXPECT_NULL_MSG(test, held, "input %lu %s, but page %lu is held",
			      nr_input, accepted ? "accepted" : "refused",
			      held ? page_to_pfn(held) - v->pfn : 0);
	return accepted;
}

/* Both areas are accepted as laid out, and only once. */
static void kho_vmalloc_in_valid(struct kunit *test)
{
	struct kho_fuzz_vm v;
	unsigned int a;

	kho_fuzz_vm_build(&v, test);
	for (a = 0; a < KHO_FUZZ_VM_AREAS; a++) {
		KUNIT_EXPECT_TRUE(test, kho_fuzz_vm_run(&v, &v.desc[a], a));
		KUNIT_EXPECT_FALSE(test, kho_fuzz_vm_run(&v, &v.desc[a], a));
		kho_fuzz_vm_reset(&v);
	}
	kho_fuzz_vm_destroy(&v);
}

/*
 * A chunk list naming more pages than the descriptor says is refused:
 * an entry past the last, or a descriptor one block short.
 */
static void kho_vmalloc_in_longer_list(struct kunit *test)
{
	struct kho_vmalloc desc;
	struct kho_fuzz_vm v;
	u64 *last;

	kho_fuzz_vm_build(&v, test);
	last = kho_fuzz_vm_words(&v, v.nr_chunks[0] - 1);
	last[1 + kho_fuzz_vm_areas[0].nr_blocks % KHO_VMALLOC_SIZE] =
		kho_fuzz_vm_phys(&v, v.spare);
	KUNIT_EXPECT_FALSE(test, kho_fuzz_vm_run(&v, &v.desc[0], 0));
	kho_fuzz_vm_reset(&v);

	desc = v.desc[1];
	desc.total_pages -= 1U << desc.order;
	KUNIT_EXPECT_FALSE(test, kho_fuzz_vm_run(&v, &desc, 1));
	kho_fuzz_vm_destroy(&v);
}

/* A descriptor with a flag this kernel does not know is refused. */
static void kho_vmalloc_in_unknown_flags(struct kunit *test)
{
	struct kho_vmalloc desc;
	struct kho_fuzz_vm v;

	kho_fuzz_vm_build(&v, test);
	desc = v.desc[0];
	desc.flags |= 0x8000;
	KUNIT_EXPECT_FALSE(test, kho_fuzz_vm_run(&v, &desc, 0));
	kho_fuzz_vm_destroy(&v);
}

/* An address in the buffer: a page's, sometimes not its start. */
static u64 kho_fuzz_vm_page(struct kho_fuzz_vm *v, struct kho_fuzz *f)
{
	u64 phys = kho_fuzz_vm_phys(v, kho_fuzz_below(f, KHO_FUZZ_VM_PAGES));

	return kho_fuzz_below(f, 4) ? phys : phys + 8 * kho_fuzz_below(f, 8);
}

/*
 * A word of area @a's chunk list to damage: mostly one it uses (a next
 * pointer, an entry, or the end mark after the last), else any of any
 * chunk page.
 */
static u64 *kho_fuzz_vm_word(struct kho_fuzz_vm *v, struct kho_fuzz *f,
			     unsigned int a)
{
	unsigned int chunk, used;

	if (!kho_fuzz_below(f, 4))
		return kho_fuzz_vm_words(v, 0) +
		       kho_fuzz_below(f, v->chunk_pages * KHO_FUZZ_VM_WORDS);
	chunk = kho_fuzz_below(f, v->nr_chunks[a]);
	used = kho_fuzz_vm_areas[a].nr_blocks - chunk * KHO_VMALLOC_SIZE;
	used = min_t(unsigned int, used + 2, KHO_FUZZ_VM_WORDS);
	return kho_fuzz_vm_words(v, v->first_chunk[a] + chunk) +
	       kho_fuzz_below(f, used);
}

static void kho_fuzz_vmalloc(struct kunit *test)
{
	struct kho_vmalloc desc;
	struct kho_fuzz_vm v;
	struct kho_fuzz f;
	unsigned int a, n, i;
	unsigned long idx;
	u64 *word;

	kho_fuzz_vm_build(&v, test);
	kho_fuzz_begin(&f, test, KHO_FUZZ_VM_SEED);
	/* Data pages read as chunks hold garbage and pointers into the buffer. */
	for (idx = v.chunk_pages; idx < KHO_FUZZ_VM_PAGES; idx++) {
		word = kho_fuzz_vm_words(&v, idx);
		for (i = 0; i < KHO_FUZZ_VM_WORDS; i++)
			word[i] = kho_fuzz_below(&f, 2) ? kho_fuzz_vm_page(&v, &f) :
				  (u64)kho_fuzz_below(&f, U32_MAX) << 12;
	}
	while (kho_fuzz_next(&f)) {
		kho_fuzz_vm_reset(&v);
		a = kho_fuzz_below(&f, KHO_FUZZ_VM_AREAS);
		desc = v.desc[a];
		n = 1 + kho_fuzz_below(&f, 4);
		while (n--) {
			if (!kho_fuzz_below(&f, 4)) {
				kho_fuzz_mutate(&f, &desc, sizeof(desc), sizeof(desc));
				continue;
			}
			word = kho_fuzz_vm_word(&v, &f, a);
			if (kho_fuzz_below(&f, 3))
				kho_fuzz_mutate(&f, word, sizeof(*word), sizeof(*word));
			else
				*word = kho_fuzz_vm_page(&v, &f);
		}
		if (kho_fuzz_vm_run(&v, &desc, f.nr))
			f.accepted++;
	}
	kho_fuzz_end(&f);
	kho_fuzz_vm_destroy(&v);
}

static struct kunit_case kho_fuzz_vmalloc_cases[] = {
	KUNIT_CASE(kho_vmalloc_in_valid),
	KUNIT_CASE(kho_vmalloc_in_longer_list),
	KUNIT_CASE(kho_vmalloc_in_unknown_flags),
	KUNIT_CASE_SLOW(kho_fuzz_vmalloc),
	{}
};

static struct kunit_suite kho_fuzz_vmalloc_suite = {
	.name = "kho_fuzz_vmalloc",
	.test_cases = kho_fuzz_vmalloc_cases,
};

kunit_test_suite(kho_fuzz_vmalloc_suite);
