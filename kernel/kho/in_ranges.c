// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver: the ranges of an incoming preserved-memory map.
 *
 * Each node and block of the incoming radix tree is valid on its own only
 * if it is RAM outside the kernel image and scratch. Together they must
 * also be disjoint: no node named twice (a shared child or a cycle), no
 * two blocks overlapping, no node inside a block, and none of them over
 * memory this kernel reserved for itself before it looked at the handover.
 * The ranges are collected into one array, adjacent ranges of one kind
 * merged. The walk meets keys in increasing order, so the blocks come as
 * at most one ascending run per order; only the nodes need sorting. One
 * sweep over the runs merged by address finds any overlap, and each zone
 * this kernel keeps for itself is then looked up in every run.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/bitmap.h>
#include <linux/bsearch.h>
#include <linux/io.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/sort.h>

#include "internal.h"
#include "in_ranges.h"

/* The order bit of an order-0 key; higher bits are never set. */
#define KHO_KEY_TOP_BIT		(64 - PAGE_SHIFT)

/**
 * kho_in_key_block() - decode a key of an incoming map
 * @key: the key
 * @phys: returns the block's address
 * @order: returns its order
 *
 * Return: false if @key is not a key any kernel would make; then @phys and
 * @order are left alone.
 */
bool kho_in_key_block(u64 key, phys_addr_t *phys, unsigned int *order)
{
	unsigned int top = fls64(key) - 1;

	if (!key || top > KHO_KEY_TOP_BIT ||
	    KHO_KEY_TOP_BIT - top > KHO_IN_MAX_ORDER)
		return false;
	*phys = kho_radix_decode_key(key, order);
	return true;
}

/**
 * kho_in_ranges_start() - start collecting the ranges of a map
 * @rs: the collection
 * @r: room for the ranges, NULL to count them with kho_in_ranges_count()
 * @max: number of ranges @r has room for
 * @max_pages: most pages the map may name: more than the machine has means
 *	       the map cannot be valid
 */
void kho_in_ranges_start(struct kho_in_ranges *rs, struct kho_in_range *r,
			 unsigned long max, unsigned long max_pages)
{
	memset(rs, 0, sizeof(*rs));
	rs->r = r;
	rs->max = r ? max : 0;
	rs->max_pages = max_pages;
}

static int kho_in_ranges_fail(struct kho_in_ranges *rs, phys_addr_t bad,
			      const char *why, int err)
{
	rs->bad = bad;
	rs->why = why;
	return err;
}

/**
 * kho_in_ranges_add() - add one node or block of the map
 * @rs: the collection
 * @start: its first byte, page aligned
 * @size: its size, a non-zero number of pages
 * @kind: what it is
 *
 * A range that starts where the last range of the same kind ended extends
 * that range, so a run of blocks in one leaf takes one slot.
 *
 * Return: 0; -E2BIG if the map names more pages than the machine has, or
 * more ranges than there is room for.
 */
int kho_in_ranges_add(struct kho_in_ranges *rs, phys_addr_t start,
		      phys_addr_t size, enum kho_in_kind kind)
{
	phys_addr_t end = start + size;
	unsigned long i;

	rs->pages += size >> PAGE_SHIFT;
	if (rs->pages > rs->max_pages)
		return kho_in_ranges_fail(rs, start,
					  "names more memory than this machine has",
					  -E2BIG);
	if (rs->tail_end[kind] && rs->tail_end[kind] == start) {
		rs->r[rs->tail[kind]].end = end;
		rs->tail_end[kind] = end;
		return 0;
	}
	if (rs->nr[KHO_IN_NODE] + rs->nr[KHO_IN_BLOCK] == rs->max)
		return kho_in_ranges_fail(rs, start,
					  "changed while it was checked", -E2BIG);
	if (kind == KHO_IN_BLOCK)
		i = rs->nr[KHO_IN_BLOCK];
	else
		i = rs->max - 1 - rs->nr[KHO_IN_NODE];
	rs->r[i].start = start;
	rs->r[i].end = end;
	rs->r[i].kind = kind;
	rs->nr[kind]++;
	rs->tail[kind] = i;
	rs->tail_end[kind] = end;
	return 0;
}

static int kho_in_range_cmp(const void *a, const void *b)
{
	const struct kho_in_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

static void kho_in_ranges_run(struct kho_in_ranges *rs, unsigned long first,
			      unsigned long last)
{
	rs->run[rs->nr_runs].first = first;
	rs->run[rs->nr_runs].last = last;
	rs->nr_runs++;
}

/* Split the blocks into ascending runs; sort them if there are too many. */
static void kho_in_ranges_block_runs(struct kho_in_ranges *rs)
{
	unsigned long i, first = 0, nr = rs->nr[KHO_IN_BLOCK];
	const struct kho_in_range *r = rs->r;

	for (i = 1; i <= nr; i++) {
		if (i < nr && r[i].start >= r[i - 1].end)
			continue;
		if (rs->nr_runs == KHO_IN_MAX_RUNS - 1) {
			/* Not the order of a walk: the ranges came some other way. */
			sort(rs->r, nr, sizeof(*r), kho_in_range_cmp, NULL);
			rs->nr_runs = 0;
			kho_in_ranges_run(rs, 0, nr - 1);
			return;
		}
		kho_in_ranges_run(rs, first, i - 1);
		first = i;
	}
}

/* Why two ranges of these kinds must not overlap. */
static const char *const kho_in_overlap_why[KHO_IN_NR_KINDS][KHO_IN_NR_KINDS] = {
	[KHO_IN_NODE][KHO_IN_NODE] = "names one node twice (a shared child or a cycle)",
	[KHO_IN_NODE][KHO_IN_BLOCK] = "has a node inside a preserved block",
	[KHO_IN_BLOCK][KHO_IN_NODE] = "has a node inside a preserved block",
	[KHO_IN_BLOCK][KHO_IN_BLOCK] = "has overlapping blocks",
};

/**
 * kho_in_ranges_sort() - order the collected ranges and check they are disjoint
 * @rs: the collection
 *
 * Splits the blocks into ascending runs, sorts the nodes into one more, and
 * visits every range in address order, merging the runs.
 *
 * Return: 0 if no two ranges overlap; then each run in @rs->run is sorted
 * and disjoint from the others. -EINVAL if two do, with @rs->why saying
 * which kinds and @rs->bad where.
 */
int kho_in_ranges_sort(struct kho_in_ranges *rs)
{
	unsigned long nr_nodes = rs->nr[KHO_IN_NODE], next[KHO_IN_MAX_RUNS];
	const struct kho_in_range *prev = NULL, *cur;
	struct kho_in_range *r = rs->r;
	unsigned int i, best;

	rs->nr_runs = 0;
	kho_in_ranges_block_runs(rs);
	if (nr_nodes) {
		sort(r + rs->max - nr_nodes, nr_nodes, sizeof(*r),
		     kho_in_range_cmp, NULL);
		kho_in_ranges_run(rs, rs->max - nr_nodes, rs->max - 1);
	}
	for (i = 0; i < rs->nr_runs; i++)
		next[i] = rs->run[i].first;
	for (;;) {
		best = rs->nr_runs;
		for (i = 0; i < rs->nr_runs; i++)
			if (next[i] <= rs->run[i].last &&
			    (best == rs->nr_runs ||
			     r[next[i]].start < r[next[best]].start))
				best = i;
		if (best == rs->nr_runs)
			return 0;
		cur = &r[next[best]++];
		/* @prev is the range that reaches furthest so far. */
		if (prev && cur->start < prev->end)
			return kho_in_ranges_fail(rs, cur->start,
						  kho_in_overlap_why[prev->kind][cur->kind],
						  -EINVAL);
		if (!prev || cur->end > prev->end)
			prev = cur;
	}
}

struct kho_in_key {
	phys_addr_t start, end;
};

static int kho_in_range_find_cmp(const void *key, const void *elt)
{
	const struct kho_in_key *k = key;
	const struct kho_in_range *r = elt;

	if (k->end <= r->start)
		return -1;
	if (k->start >= r->end)
		return 1;
	return 0;
}

/**
 * kho_in_ranges_find() - look a range up in the ranges of a map
 * @rs: the ranges, after kho_in_ranges_sort() accepted them
 * @start: first byte
 * @end: byte just past the range
 *
 * Return: one of the ranges that overlap [@start, @end), or NULL.
 */
const struct kho_in_range *kho_in_ranges_find(const struct kho_in_ranges *rs,
					      phys_addr_t start,
					      phys_addr_t end)
{
	struct kho_in_key key = { .start = start, .end = end };
	const struct kho_in_range *hit;
	unsigned int i;

	if (start >= end)
		return NULL;
	for (i = 0; i < rs->nr_runs; i++) {
		hit = bsearch(&key, rs->r + rs->run[i].first,
			      rs->run[i].last - rs->run[i].first + 1,
			      sizeof(*rs->r), kho_in_range_find_cmp);
		if (hit)
			return hit;
	}
	return NULL;
}

/* Why no range of a kind may lie in a zone. */
static const char *const kho_in_zone_why[][KHO_IN_NR_KINDS] = {
	[KHO_IN_RESERVED] = {
		[KHO_IN_NODE] = "has a node in memory this kernel reserved",
		[KHO_IN_BLOCK] = "has a block over memory this kernel reserved",
	},
	[KHO_IN_NOMAP] = {
		[KHO_IN_NODE] = "has a node in memory that must not be mapped",
		[KHO_IN_BLOCK] = "has a block over memory that must not be mapped",
	},
	[KHO_IN_LOW] = {
		[KHO_IN_NODE] = "has a node below the always-scratch boundary",
		[KHO_IN_BLOCK] = "has a block below the always-scratch boundary",
	},
};

/**
 * kho_in_ranges_avoid() - check that no range touches a zone
 * @rs: the ranges, after kho_in_ranges_sort() accepted them
 * @start: first byte of the zone
 * @end: byte just past it
 * @zone: what the zone is
 *
 * Return: 0, or -EINVAL with @rs->why and @rs->bad set if a range overlaps
 * [@start, @end).
 */
int kho_in_ranges_avoid(struct kho_in_ranges *rs, phys_addr_t start,
			phys_addr_t end, enum kho_in_zone zone)
{
	const struct kho_in_range *r = kho_in_ranges_find(rs, start, end);

	if (!r)
		return 0;
	return kho_in_ranges_fail(rs, max(r->start, start),
				  kho_in_zone_why[zone][r->kind], -EINVAL);
}

struct kho_in_ranges_walker {
	struct kho_in_ranges *rs;
	bool (*valid)(phys_addr_t phys, u64 size, const char **why);
};

/* A node may be read once this accepted it. */
static int kho_in_node_valid(struct kho_in_ranges_walker *w, phys_addr_t phys)
{
	const char *why;

	if (!PAGE_ALIGNED(phys))
		return kho_in_ranges_fail(w->rs, phys,
					  "has a node address that is not page aligned",
					  -EINVAL);
	if (!w->valid(phys, PAGE_SIZE, &why))
		return kho_in_ranges_fail(w->rs, phys, why, -EINVAL);
	return 0;
}

static int kho_in_count_node(struct kho_radix_walk *walk, phys_addr_t phys,
			     unsigned int level)
{
	struct kho_in_ranges_walker *w = walk->arg;
	struct kho_in_ranges *rs = w->rs;
	int err = kho_in_node_valid(w, phys);

	if (err)
		return err;
	/* The node, and a page at least for each key of a leaf. */
	rs->max++;
	if (!level)
		rs->max += bitmap_weight(phys_to_virt(phys),
					 BIT(KHO_BITMAP_SIZE_LOG2));
	if (rs->max > rs->max_pages)
		return kho_in_ranges_fail(rs, phys,
					  "names more memory than this machine has",
					  -E2BIG);
	return 0;
}

/**
 * kho_in_ranges_count() - count the ranges of a map, to make room for them
 * @root: physical address of the map's root node
 * @rs: as kho_in_ranges_start() left it without room
 * @valid: as for kho_in_ranges_walk()
 *
 * Visits the nodes only: the keys of a leaf are counted, not decoded.
 *
 * Return: 0 with @rs->max set to the room kho_in_ranges_walk() needs, or a
 * negative error with @rs->why and @rs->bad set.
 */
int kho_in_ranges_count(phys_addr_t root, struct kho_in_ranges *rs,
			bool (*valid)(phys_addr_t phys, u64 size,
				      const char **why))
{
	struct kho_in_ranges_walker w = { .rs = rs, .valid = valid };
	struct kho_radix_walk walk = {
		.node = kho_in_count_node,
		.arg = &w,
	};

	return kho_radix_walk(root, &walk);
}

static int kho_in_ranges_visit_node(struct kho_radix_walk *walk,
				    phys_addr_t phys, unsigned int level)
{
	struct kho_in_ranges_walker *w = walk->arg;

	return kho_in_node_valid(w, phys) ?:
	       kho_in_ranges_add(w->rs, phys, PAGE_SIZE, KHO_IN_NODE);
}

static int kho_in_ranges_visit_key(struct kho_radix_walk *walk, u64 key)
{
	struct kho_in_ranges_walker *w = walk->arg;
	unsigned int order;
	phys_addr_t phys;
	const char *why;

	if (!kho_in_key_block(key, &phys, &order))
		return kho_in_ranges_fail(w->rs, key,
					  "has a key with no valid order", -EINVAL);
	if (!w->valid(phys, PAGE_SIZE << order, &why))
		return kho_in_ranges_fail(w->rs, phys, why, -EINVAL);
	return kho_in_ranges_add(w->rs, phys, PAGE_SIZE << order, KHO_IN_BLOCK);
}

/**
 * kho_in_ranges_walk() - collect the nodes and blocks of a map
 * @root: physical address of the map's root node
 * @rs: the collection, as kho_in_ranges_start() left it
 * @valid: says whether one node or block may be preserved at all; the
 *	   walk reads a node only after @valid accepted it
 *
 * The walk cannot loop: every table slot leads one level down. A slot that
 * names the root or an ancestor makes the walk visit that page again, and
 * kho_in_ranges_sort() then finds it named twice.
 *
 * Return: 0, or a negative error with @rs->why and @rs->bad set.
 */
int kho_in_ranges_walk(phys_addr_t root, struct kho_in_ranges *rs,
		       bool (*valid)(phys_addr_t phys, u64 size,
				     const char **why))
{
	struct kho_in_ranges_walker w = { .rs = rs, .valid = valid };
	struct kho_radix_walk walk = {
		.node = kho_in_ranges_visit_node,
		.key = kho_in_ranges_visit_key,
		.arg = &w,
	};

	return kho_radix_walk(root, &walk);
}

/*
 * One node or block on its own, at boot. A node is read right after this
 * accepted it, so it must be in the linear map: on arm64 memory marked
 * NOMAP is RAM to memblock_is_region_memory() but is not mapped.
 */
static bool __init kho_in_range_valid(phys_addr_t phys, u64 size,
				      const char **why)
{
	if (!kho_range_valid(phys, size, why))
		return false;
	if (!memblock_is_map_memory(phys)) {
		*why = "names memory that must not be mapped";
		return false;
	}
	return true;
}

/**
 * kho_in_ranges_check() - check an incoming map as a whole
 * @root: physical address of the map's root node
 * @low_end: end of the memory below the always-scratch boundary (0: none)
 * @why: set to what is wrong when the map is refused
 * @bad: set to where
 *
 * Called while memblock allocates from scratch only and before anything of
 * the map is reserved: memblock.reserved then holds exactly what this
 * kernel keeps for itself (its image, initrd, boot DTB, setup_data, EFI
 * memory map, crashkernel, ...). Every node and block must be valid on its
 * own (kho_range_valid()), no two may overlap, and none may touch reserved
 * memory, NOMAP memory (what memblock_is_map_memory() refuses) or memory
 * below @low_end. The first walk counts the ranges and bounds them by the
 * machine's memory before the array for them is allocated from scratch.
 *
 * Return: 0, or a negative error with @why and @bad set.
 */
int __init kho_in_ranges_check(phys_addr_t root, phys_addr_t low_end,
			       const char **why, phys_addr_t *bad)
{
	unsigned long max_pages = memblock_phys_mem_size() >> PAGE_SHIFT;
	struct memblock_region *m;
	struct kho_in_ranges rs;
	struct kho_in_range *r;
	unsigned long nr;
	int err;

	kho_in_ranges_start(&rs, NULL, 0, max_pages);
	err = kho_in_ranges_count(root, &rs, kho_in_range_valid);
	if (err)
		goto out;
	nr = rs.max;
	r = memblock_alloc_raw(array_size(nr, sizeof(*r)), SMP_CACHE_BYTES);
	if (!r) {
		err = kho_in_ranges_fail(&rs, root, "is too large to check",
					 -ENOMEM);
		goto out;
	}
	kho_in_ranges_start(&rs, r, nr, max_pages);
	err = kho_in_ranges_walk(root, &rs, kho_in_range_valid) ?:
	      kho_in_ranges_sort(&rs) ?:
	      kho_in_ranges_avoid(&rs, 0, low_end, KHO_IN_LOW);
	for_each_reserved_mem_region(m) {
		if (err)
			break;
		err = kho_in_ranges_avoid(&rs, m->base, m->base + m->size,
					  KHO_IN_RESERVED);
	}
	for_each_mem_region(m) {
		if (err)
			break;
		if (memblock_is_nomap(m))
			err = kho_in_ranges_avoid(&rs, m->base, m->base + m->size,
						  KHO_IN_NOMAP);
	}
	memblock_free(r, array_size(nr, sizeof(*r)));
out:
	*why = rs.why;
	*bad = rs.bad;
	return err;
}
