// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver: scratch memory.
 *
 * A kernel with KHO enabled reserves "scratch" areas at boot and never uses
 * them itself. It loads the next kernel's kexec segments there and passes
 * their list on; the next kernel makes its early (memblock) allocations
 * only from them until it has reserved the preserved memory, so nothing
 * preserved is overwritten. After boot that kernel's free scratch goes to
 * the page allocator, and it reserves fresh scratch areas for its own
 * successor away from everything it was handed.
 *
 * This file holds both lists of areas (outgoing and incoming), their sizes
 * (kho_scratch=), their reservation and the early-boot restriction, and
 * answers whether a range may hold preserved data. It knows nothing of the
 * incoming FDT or of preserved memory: in.c passes in what it needs.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/init.h>
#include <linux/io.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/sizes.h>
#include <asm/sections.h>

#include "internal.h"

/* Scratch is released in whole max-order blocks. */
#define KHO_SCRATCH_ALIGN	(PAGE_SIZE << MAX_PAGE_ORDER)
/* Below this total, default-sized scratch is grown to it. */
#define KHO_SCRATCH_MIN		SZ_64M

/*
 * kho_scratch=N% sizes scratch at N percent of the memory memblock has
 * reserved when scratch is allocated (default 200%).
 * kho_scratch=LOW,GLOBAL,PERNODE gives explicit sizes (K/M/G suffixes) of
 * the area below 4 GiB, of one area anywhere and of one area per node.
 */
static unsigned int kho_scratch_scale __initdata = 200;
static phys_addr_t kho_scratch_size[3] __initdata;

static int __init kho_parse_scratch(char *p)
{
	phys_addr_t sizes[3];
	char *end;
	int i;

	if (!p || !*p)
		return -EINVAL;
	if (p[strlen(p) - 1] == '%') {
		char num[8] = {};
		unsigned int scale;

		if (strlen(p) > sizeof(num))
			return -EINVAL;
		memcpy(num, p, strlen(p) - 1);
		if (kstrtouint(num, 10, &scale) || !scale || scale > 10000)
			return -EINVAL;
		kho_scratch_scale = scale;
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		if (i && *p++ != ',')
			return -EINVAL;
		sizes[i] = memparse(p, &end);
		if (end == p)
			return -EINVAL;
		p = end;
	}
	if (*p || !(sizes[0] | sizes[1] | sizes[2]))
		return -EINVAL;
	memcpy(kho_scratch_size, sizes, sizeof(sizes));
	kho_scratch_scale = 0;
	return 0;
}
early_param("kho_scratch", kho_parse_scratch);

/* Outgoing scratch: reserved in this kernel, handed to the next one. */
static struct kho_scratch_entry kho_scratch_out_areas[KHO_SCRATCH_MAX];
static unsigned int kho_scratch_out_cnt;

/*
 * Incoming scratch, as passed to kho_populate(). The list outlives boot for
 * /sys/firmware/kho/scratch_array.
 */
static struct kho_scratch_entry kho_scratch_in_areas[KHO_SCRATCH_MAX];
static unsigned int kho_scratch_in_cnt;

/**
 * kho_scratch_out() - the scratch areas handed to the next kernel
 * @count: returns their number
 *
 * Return: the array; empty unless KHO is enabled.
 */
const struct kho_scratch_entry *kho_scratch_out(unsigned int *count)
{
	*count = kho_scratch_out_cnt;
	return kho_scratch_out_areas;
}

/**
 * kho_scratch_in() - the non-empty scratch areas of the incoming handover
 * @count: returns their number, 0 unless this is a KHO boot
 *
 * Return: the array, in the order the previous kernel listed them.
 */
const struct kho_scratch_entry *kho_scratch_in(unsigned int *count)
{
	*count = kho_scratch_in_cnt;
	return kho_scratch_in_areas;
}

/* Bytes of [start, end) inside one of @areas. */
static phys_addr_t
kho_overlap_bytes(const struct kho_scratch_entry *areas, unsigned int cnt,
		  phys_addr_t start, phys_addr_t end)
{
	phys_addr_t sum = 0;
	unsigned int i;

	for (i = 0; i < cnt; i++) {
		phys_addr_t lo = max_t(phys_addr_t, areas[i].addr, start);
		phys_addr_t hi = min_t(phys_addr_t, areas[i].addr + areas[i].size,
				       end);

		if (lo < hi)
			sum += hi - lo;
	}
	return sum;
}

static bool kho_overlaps(const struct kho_scratch_entry *areas,
			 unsigned int cnt, phys_addr_t phys, u64 size)
{
	return kho_overlap_bytes(areas, cnt, phys, phys + size);
}

/**
 * kho_scratch_overlap() - does a range overlap the outgoing scratch?
 * @phys: start
 * @size: length in bytes
 *
 * Return: true if preserving the range would hand scratch memory over.
 */
bool kho_scratch_overlap(phys_addr_t phys, u64 size)
{
	return kho_overlaps(kho_scratch_out_areas, kho_scratch_out_cnt, phys,
			    size);
}

/**
 * kho_range_valid() - may incoming preserved data live at this range?
 * @phys: start
 * @size: length in bytes
 * @why: set to the reason when the answer is no
 *
 * Only meaningful during boot, while memblock and the incoming scratch list
 * exist.
 *
 * Return: true if the range is RAM, outside the kernel image and outside
 * the incoming scratch areas.
 */
bool __init kho_range_valid(phys_addr_t phys, u64 size, const char **why)
{
	phys_addr_t text = __pa_symbol(_text), end = __pa_symbol(_end);

	if (!size || phys + size < phys) {
		*why = "has an empty or wrapping range";
		return false;
	}
	if (!memblock_is_region_memory(phys, size)) {
		*why = "points outside RAM";
		return false;
	}
	if (phys < end && text < phys + size) {
		*why = "overlaps the kernel image";
		return false;
	}
	if (kho_overlaps(kho_scratch_in_areas, kho_scratch_in_cnt, phys, size)) {
		*why = "overlaps scratch memory";
		return false;
	}
	return true;
}

/**
 * kho_in_gap_free() - may free memory between preserved blocks be reserved
 *		       with them and freed after boot?
 * @phys: start of the gap
 * @size: its length
 *
 * Return: true if the gap is RAM that nobody reserved, outside scratch.
 */
bool __init kho_in_gap_free(phys_addr_t phys, u64 size)
{
	return memblock_is_region_memory(phys, size) &&
	       !memblock_is_region_reserved(phys, size) &&
	       !kho_overlaps(kho_scratch_in_areas, kho_scratch_in_cnt, phys, size);
}

/*
 * Memory this kernel has reserved for itself in [start, end): what memblock
 * has reserved, less what it reserved for the handover it was given and
 * less the scratch it has reserved for its successor so far. The
 * handover's runs (mem.c) are the reserved regions marked
 * MEMBLOCK_RSRV_NOINIT, which memblock never merges with others, so they
 * are left out where they lie: subtracting their total from every range
 * would shrink the areas of the ranges that hold none of it, down to
 * nothing. Memblock records no node for most reserved regions (none for
 * what was reserved after NUMA setup, the memmap included), so a node's
 * share is counted by address.
 */
static phys_addr_t __init kho_used_in(phys_addr_t start, phys_addr_t end)
{
	struct memblock_region *r;
	phys_addr_t sum = 0;

	for_each_reserved_mem_region(r) {
		phys_addr_t lo = max(r->base, start);
		phys_addr_t hi = min(r->base + r->size, end);

		if (hi <= lo || memblock_is_reserved_noinit(r))
			continue;
		sum += hi - lo - kho_overlap_bytes(kho_scratch_out_areas,
						   kho_scratch_out_cnt, lo, hi);
	}
	return sum;
}

/*
 * Scratch for node @nid at @scale percent of what this kernel reserved in
 * its memory.
 */
static phys_addr_t __init kho_scaled_on(int nid, unsigned int scale)
{
	unsigned long start_pfn, end_pfn;
	phys_addr_t sum = 0;
	int i;

	for_each_mem_pfn_range(i, nid, &start_pfn, &end_pfn, NULL)
		sum += kho_used_in(PFN_PHYS(start_pfn), PFN_PHYS(end_pfn));
	return sum * scale / 100;
}

static bool __init kho_scratch_add(phys_addr_t size, phys_addr_t limit, int nid)
{
	phys_addr_t addr;

	size = round_up(size, KHO_SCRATCH_ALIGN);
	if (!size)
		return true;
	if (kho_scratch_out_cnt == KHO_SCRATCH_MAX)
		return false;
	addr = memblock_alloc_range_nid(size, KHO_SCRATCH_ALIGN, 0, limit, nid,
					numa_valid_node(nid));
	if (!addr)
		return false;
	kho_scratch_out_areas[kho_scratch_out_cnt].addr = addr;
	kho_scratch_out_areas[kho_scratch_out_cnt].size = size;
	kho_scratch_out_cnt++;
	return true;
}

/**
 * kho_reserve_scratch() - reserve the scratch areas for the next kernel
 *
 * Memory reserved for the incoming handover does not count towards a
 * percentage of kho_scratch=. With a percentage, a kernel with one node of
 * memory reserves no area per node: the area below 4 GiB and the one
 * anywhere are on it.
 *
 * Called from kho_memory_init() while memblock still manages memory, after
 * any incoming preserved memory is reserved. On failure KHO is left with no
 * scratch, which disables handing over.
 */
void __init kho_reserve_scratch(void)
{
	phys_addr_t low = kho_scratch_size[0], global = kho_scratch_size[1];
	phys_addr_t pernode = kho_scratch_size[2];
	unsigned int scale = kho_scratch_scale;
	int nid;

	if (scale) {
		phys_addr_t total = kho_used_in(0, PHYS_ADDR_MAX);

		low = kho_used_in(0, SZ_4G) * scale / 100;
		global = total * scale / 100 - low;
		if (low + global < KHO_SCRATCH_MIN)
			low = KHO_SCRATCH_MIN - global;
	}
	if (!kho_scratch_add(low, SZ_4G, NUMA_NO_NODE) ||
	    !kho_scratch_add(global, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE))
		goto fail;
	/* With one node, the two areas above are on it already. */
	if (IS_ENABLED(CONFIG_NUMA) && (!scale || num_node_state(N_MEMORY) > 1)) {
		for_each_node_state(nid, N_MEMORY) {
			phys_addr_t size = scale ? kho_scaled_on(nid, scale) : pernode;

			if (!kho_scratch_add(size, MEMBLOCK_ALLOC_ACCESSIBLE, nid))
				goto fail;
		}
	}
	return;

fail:
	pr_err("cannot reserve %u scratch area(s); handing over is disabled\n",
	       kho_scratch_out_cnt + 1);
	while (kho_scratch_out_cnt--)
		memblock_phys_free(kho_scratch_out_areas[kho_scratch_out_cnt].addr,
				   kho_scratch_out_areas[kho_scratch_out_cnt].size);
	kho_scratch_out_cnt = 0;
	pr_warn("no scratch memory: handing over is disabled\n");
	kho_disable();
}

/**
 * kho_scratch_in_take() - keep the incoming scratch list
 * @areas: the scratch array the boot protocol passed, mapped
 * @cnt: its number of entries
 *
 * Empty entries are left out. Called by kho_populate() before memblock
 * allocates anything.
 *
 * Return: true if the list is kept; false, after logging why, if it is
 * invalid and the handover must be ignored.
 */
bool __init kho_scratch_in_take(const struct kho_scratch_entry *areas,
				unsigned int cnt)
{
	unsigned int i, n = 0;

	for (i = 0; i < cnt; i++) {
		/* Mainline lists a scratch kind it reserved none of as empty. */
		if (!areas[i].size)
			continue;
		if (!PAGE_ALIGNED(areas[i].addr) || !PAGE_ALIGNED(areas[i].size) ||
		    areas[i].addr + areas[i].size < areas[i].addr) {
			pr_err("scratch area %u (%#llx+%#llx) is invalid; ignoring the handover\n",
			       i, areas[i].addr, areas[i].size);
			return false;
		}
		kho_scratch_in_areas[n++] = areas[i];
	}
	if (!n) {
		pr_err("scratch array has no non-empty area; ignoring the handover\n");
		return false;
	}
	kho_scratch_in_cnt = n;
	return true;
}

/**
 * kho_scratch_in_drop() - forget the incoming scratch: the handover is
 *			   ignored
 */
void __init kho_scratch_in_drop(void)
{
	kho_scratch_in_cnt = 0;
}

/**
 * kho_scratch_in_restrict() - allocate only from incoming scratch
 * @always_scratch: memory below this address may always serve early
 *		    allocations
 *
 * Marks the incoming areas %MEMBLOCK_KHO_SCRATCH and restricts memblock to
 * them until kho_memory_init() lifts it.
 *
 * Return: true, or false with nothing changed if an area is not RAM.
 */
bool __init kho_scratch_in_restrict(phys_addr_t always_scratch)
{
	unsigned int i;

	for (i = 0; i < kho_scratch_in_cnt; i++) {
		const struct kho_scratch_entry *a = &kho_scratch_in_areas[i];

		if (!memblock_is_region_memory(a->addr, a->size))
			return false;
	}
	for (i = 0; i < kho_scratch_in_cnt; i++)
		memblock_mark_kho_scratch(kho_scratch_in_areas[i].addr,
					  kho_scratch_in_areas[i].size);
	if (always_scratch)
		memblock_mark_kho_scratch(0, always_scratch);
	memblock_set_kho_scratch_only(true);
	return true;
}
