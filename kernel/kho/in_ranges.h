/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kexec HandOver: the ranges of an incoming preserved-memory map, checked
 * against each other and against memory this kernel uses (in_ranges.c).
 */
#ifndef _KERNEL_KHO_IN_RANGES_H
#define _KERNEL_KHO_IN_RANGES_H

#include <linux/types.h>

/* Largest block order a key may name. */
#define KHO_IN_MAX_ORDER	30
/* Ascending runs of ranges: blocks of one order each, and the nodes. */
#define KHO_IN_MAX_RUNS		(KHO_IN_MAX_ORDER + 2)

/**
 * enum kho_in_kind - what an incoming range holds
 * @KHO_IN_NODE: a table or leaf page of the radix tree
 * @KHO_IN_BLOCK: a preserved block
 * @KHO_IN_NR_KINDS: number of kinds
 */
enum kho_in_kind {
	KHO_IN_NODE,
	KHO_IN_BLOCK,
	KHO_IN_NR_KINDS,
};

/**
 * enum kho_in_zone - memory no incoming range may touch
 * @KHO_IN_RESERVED: memory this kernel reserved before taking the handover
 *	(its image, initrd, boot DTB, setup_data, EFI memory map, crashkernel)
 * @KHO_IN_NOMAP: memory that is not to be mapped (NOMAP)
 * @KHO_IN_LOW: memory below the always-scratch boundary
 */
enum kho_in_zone {
	KHO_IN_RESERVED,
	KHO_IN_NOMAP,
	KHO_IN_LOW,
};

/**
 * struct kho_in_range - one range of the incoming map
 * @start: first byte
 * @end: byte just past the range
 * @kind: an &enum kho_in_kind
 */
struct kho_in_range {
	phys_addr_t start;
	phys_addr_t end;
	unsigned int kind;
};

/**
 * struct kho_in_ranges - the ranges of an incoming map
 * @r: room for @max ranges: blocks from the front, nodes from the back
 * @max: room in @r
 * @nr: ranges of each kind so far (adjacent ranges of one kind count once)
 * @pages: pages named so far
 * @max_pages: most pages the map may name (the memory of this machine)
 * @tail: index in @r of the last range of each kind
 * @tail_end: end of the last range of each kind, 0 before the first
 * @run: after kho_in_ranges_sort(), run i of ascending, disjoint ranges is
 *	 @r[@run[i].first] up to @r[@run[i].last]
 * @nr_runs: number of runs
 * @bad: address of the first problem found
 * @why: what the problem is, for "preserved memory map <why> (at <bad>)"
 */
struct kho_in_ranges {
	struct kho_in_range *r;
	unsigned long max;
	unsigned long nr[KHO_IN_NR_KINDS];
	unsigned long pages;
	unsigned long max_pages;
	unsigned long tail[KHO_IN_NR_KINDS];
	phys_addr_t tail_end[KHO_IN_NR_KINDS];
	struct {
		unsigned long first, last;
	} run[KHO_IN_MAX_RUNS];
	unsigned int nr_runs;
	phys_addr_t bad;
	const char *why;
};

void kho_in_ranges_start(struct kho_in_ranges *rs, struct kho_in_range *r,
			 unsigned long max, unsigned long max_pages);
int kho_in_ranges_add(struct kho_in_ranges *rs, phys_addr_t start,
		      phys_addr_t size, enum kho_in_kind kind);
int kho_in_ranges_sort(struct kho_in_ranges *rs);
const struct kho_in_range *kho_in_ranges_find(const struct kho_in_ranges *rs,
					      phys_addr_t start,
					      phys_addr_t end);
int kho_in_ranges_avoid(struct kho_in_ranges *rs, phys_addr_t start,
			phys_addr_t end, enum kho_in_zone zone);
bool kho_in_key_block(u64 key, phys_addr_t *phys, unsigned int *order);
int kho_in_ranges_count(phys_addr_t root, struct kho_in_ranges *rs,
			bool (*valid)(phys_addr_t phys, u64 size,
				      const char **why));
int kho_in_ranges_walk(phys_addr_t root, struct kho_in_ranges *rs,
		       bool (*valid)(phys_addr_t phys, u64 size,
				     const char **why));
int kho_in_ranges_check(phys_addr_t root, phys_addr_t low_end,
			const char **why, phys_addr_t *bad);

#endif /* _KERNEL_KHO_IN_RANGES_H */
