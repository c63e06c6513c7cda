// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver: scratch memory and the early boot side of a handover.
 *
 * A kernel with KHO enabled reserves "scratch" areas at boot and never uses
 * them itself. It loads the next kernel's kexec segments there and passes
 * their list on; the next kernel makes its early (memblock) allocations
 * only from them until it has reserved the preserved memory, so nothing
 * preserved is overwritten. After boot that kernel's free scratch goes to
 * the page allocator, and it reserves fresh scratch areas for its own
 * successor away from everything it was handed.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/init.h>
#include <linux/io.h>
#include <linux/libfdt.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/sizes.h>
#include <asm/early_ioremap.h>
#include <asm/sections.h>

#include "internal.h"

/* Scratch is released in whole max-order blocks. */
#define KHO_SCRATCH_ALIGN	(PAGE_SIZE << MAX_PAGE_ORDER)
/* Below this total, default-sized scratch is grown to it. */
#define KHO_SCRATCH_MIN		SZ_64M
/* Largest incoming FDT early_memremap() can map. */
#define KHO_FDT_IN_MAX		(NR_FIX_BTMAPS << PAGE_SHIFT)

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
 * Incoming handover, as found by kho_populate(). The scratch list outlives
 * boot for /sys/firmware/kho/scratch_array.
 */
static struct kho_scratch_entry kho_scratch_in_areas[KHO_SCRATCH_MAX];
static unsigned int kho_scratch_in_cnt;
static phys_addr_t kho_in_fdt_phys __initdata;
static u64 kho_in_fdt_len __initdata;

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

static bool kho_overlaps(const struct kho_scratch_entry *areas,
			 unsigned int cnt, phys_addr_t phys, u64 size)
{
	unsigned int i;

	for (i = 0; i < cnt; i++)
		if (phys < areas[i].addr + areas[i].size &&
		    areas[i].addr < phys + size)
			return true;
	return false;
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

/* Bytes of memblock.reserved in [start, end) and, if nid is valid, on nid. */
static phys_addr_t __init kho_reserved_in(phys_addr_t start, phys_addr_t end,
					  int nid)
{
	struct memblock_region *r;
	phys_addr_t sum = 0;

	for_each_reserved_mem_region(r) {
		phys_addr_t lo = max(r->base, start);
		phys_addr_t hi = min(r->base + r->size, end);

		if (hi <= lo)
			continue;
		if (numa_valid_node(nid) && memblock_get_region_node(r) != nid &&
		    memblock_get_region_node(r) != NUMA_NO_NODE)
			continue;
		sum += hi - lo;
	}
	return sum;
}

/*
 * Memory this kernel has reserved for itself in a range: what memblock has
 * reserved, less what it reserved for the handover it was given.
 */
static phys_addr_t __init kho_used_in(phys_addr_t start, phys_addr_t end,
				      int nid)
{
	phys_addr_t reserved = kho_reserved_in(start, end, nid);

	return reserved - min(reserved, kho_in_reserved_bytes);
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
		phys_addr_t total = kho_used_in(0, PHYS_ADDR_MAX, NUMA_NO_NODE);

		low = kho_used_in(0, SZ_4G, NUMA_NO_NODE) * scale / 100;
		global = total * scale / 100 - low;
		if (low + global < KHO_SCRATCH_MIN)
			low = KHO_SCRATCH_MIN - global;
	}
	if (!kho_scratch_add(low, SZ_4G, NUMA_NO_NODE) ||
	    !kho_scratch_add(global, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE))
		goto fail;
	if (IS_ENABLED(CONFIG_NUMA)) {
		for_each_node_state(nid, N_MEMORY) {
			phys_addr_t size = pernode;

			if (scale)
				size = kho_used_in(0, PHYS_ADDR_MAX, nid) *
				       scale / 100;
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
}

/**
 * kho_populate() - note the handover the boot loader (kexec) passed
 * @fdt_phys: physical address of the root FDT
 * @fdt_len: size of the buffer holding it
 * @scratch_phys: physical address of the scratch array
 * @scratch_len: its size in bytes
 *
 * Called while the boot data is parsed (x86 setup_data, or /chosen of the
 * device tree), before memblock allocates anything. Copies the scratch
 * list; kho_memblock_setup() checks it once memblock knows the memory.
 */
void __init kho_populate(phys_addr_t fdt_phys, u64 fdt_len,
			 phys_addr_t scratch_phys, u64 scratch_len)
{
	struct kho_scratch_entry *areas;
	unsigned int cnt = scratch_len / sizeof(*areas), i, n = 0;

	if (!cnt || cnt > KHO_SCRATCH_MAX || scratch_len % sizeof(*areas)) {
		pr_err("scratch array of %llu bytes is invalid; ignoring the handover\n",
		       scratch_len);
		return;
	}
	areas = early_memremap(scratch_phys, scratch_len);
	if (!areas) {
		pr_err("cannot map the scratch array; ignoring the handover\n");
		return;
	}
	for (i = 0; i < cnt; i++) {
		/* Mainline lists a scratch kind it reserved none of as empty. */
		if (!areas[i].size)
			continue;
		if (!PAGE_ALIGNED(areas[i].addr) || !PAGE_ALIGNED(areas[i].size) ||
		    areas[i].addr + areas[i].size < areas[i].addr) {
			pr_err("scratch area %u (%#llx+%#llx) is invalid; ignoring the handover\n",
			       i, areas[i].addr, areas[i].size);
			early_memunmap(areas, scratch_len);
			return;
		}
		kho_scratch_in_areas[n++] = areas[i];
	}
	early_memunmap(areas, scratch_len);
	if (!n) {
		pr_err("scratch array has no non-empty area; ignoring the handover\n");
		return;
	}
	kho_scratch_in_cnt = n;
	kho_in_fdt_phys = fdt_phys;
	kho_in_fdt_len = fdt_len;
}

/* The incoming handover, checked; NULL when there is none. */
static void *kho_in_fdt __ro_after_init;
static size_t kho_in_fdt_size __ro_after_init;
static phys_addr_t kho_in_fdt_addr __ro_after_init;
static u64 kho_in_mem_map __initdata;

static void __init kho_in_drop(const char *what, const char *why)
{
	pr_err("%s %s; ignoring the handover\n", what, why);
	kho_scratch_in_cnt = 0;
	kho_in_fdt_phys = 0;
}

/* Check the incoming FDT and keep a copy of it. */
static bool __init kho_in_take_fdt(void)
{
	struct kho_fdt_info info;
	const char *why = NULL;
	void *fdt, *copy;
	size_t size;

	if (!kho_in_fdt_len || kho_in_fdt_len > KHO_FDT_IN_MAX) {
		kho_in_drop("handover FDT", "has an invalid size");
		return false;
	}
	if (!kho_range_valid(kho_in_fdt_phys, kho_in_fdt_len, &why)) {
		kho_in_drop("handover FDT", why);
		return false;
	}
	fdt = early_memremap(kho_in_fdt_phys, kho_in_fdt_len);
	if (!fdt) {
		kho_in_drop("handover FDT", "cannot be mapped");
		return false;
	}
	if (kho_fdt_check(fdt, kho_in_fdt_len, &info, kho_range_valid, &why)) {
		early_memunmap(fdt, kho_in_fdt_len);
		kho_in_drop("handover FDT", why);
		return false;
	}
	size = fdt_totalsize(fdt);
	copy = memblock_alloc(size, SMP_CACHE_BYTES);
	if (copy)
		memcpy(copy, fdt, size);
	early_memunmap(fdt, kho_in_fdt_len);
	if (!copy) {
		kho_in_drop("handover FDT", "cannot be copied");
		return false;
	}
	kho_in_fdt = copy;
	kho_in_fdt_size = size;
	kho_in_fdt_addr = kho_in_fdt_phys;
	kho_in_mem_map = info.mem_map;
	return true;
}

/**
 * kho_memblock_setup() - start a KHO boot once memblock knows the memory
 * @always_scratch: memory below this address may always serve early
 *		    allocations (on x86 the first MiB, which the kernel
 *		    reserves for itself and never preserves)
 *
 * If a handover was passed, checks its scratch areas, marks them
 * %MEMBLOCK_KHO_SCRATCH and restricts memblock to them. Allocates nothing,
 * so it may run before the architecture maps memory; kho_memory_init()
 * checks the FDT. On any error the handover is ignored with one log line
 * and the kernel boots as if none had been passed.
 */
void __init kho_memblock_setup(phys_addr_t always_scratch)
{
	unsigned int i;

	if (!kho_scratch_in_cnt)
		return;
	for (i = 0; i < kho_scratch_in_cnt; i++) {
		const struct kho_scratch_entry *a = &kho_scratch_in_areas[i];

		if (!memblock_is_region_memory(a->addr, a->size)) {
			kho_in_drop("scratch area", "points outside RAM");
			return;
		}
	}
	for (i = 0; i < kho_scratch_in_cnt; i++)
		memblock_mark_kho_scratch(kho_scratch_in_areas[i].addr,
					  kho_scratch_in_areas[i].size);
	if (always_scratch)
		memblock_mark_kho_scratch(0, always_scratch);
	memblock_set_kho_scratch_only(true);
}

/**
 * kho_memory_init() - reserve handed-over memory and scratch
 *
 * Called by mm init after the memmap is set up and before memblock hands
 * memory to the page allocator. Checks and copies the incoming FDT (still
 * allocating from scratch only), reserves the memory it preserves, and
 * reserves scratch for this kernel's successor.
 */
void __init kho_memory_init(void)
{
	if (kho_scratch_in_cnt && kho_in_take_fdt())
		pr_info("found a handover: FDT at %pa, %u scratch area(s)\n",
			&kho_in_fdt_addr, kho_scratch_in_cnt);
	if (kho_in_fdt && kho_mem_in_reserve(kho_in_mem_map)) {
		kho_in_fdt = NULL;
		kho_in_fdt_size = 0;
	}
	memblock_set_kho_scratch_only(false);
	if (kho_is_enabled())
		kho_reserve_scratch();
}

/**
 * kho_in_get() - the incoming handover's root FDT
 * @fdt_phys: returns where the previous kernel put it, if not NULL
 * @size: returns its size
 *
 * Return: this kernel's copy of the FDT, or NULL if it was not booted
 * through a valid handover.
 */
const void *kho_in_get(phys_addr_t *fdt_phys, size_t *size)
{
	if (fdt_phys)
		*fdt_phys = kho_in_fdt_addr;
	*size = kho_in_fdt_size;
	return kho_in_fdt;
}
