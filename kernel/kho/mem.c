// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver: preserved memory, the policy over radix.c's tree.
 *
 * The outgoing kernel keeps the set of preserved blocks directly in the
 * kho-v4 radix tree (see <linux/kho/abi/kexec_handover.h>), so finalize
 * only has to write the root's address into the FDT. A contiguous range is
 * split into the fewest naturally aligned blocks, one key each: the cost of
 * preserving grows with the number of extents, not of pages.
 *
 * The incoming kernel has in_ranges.c check the tree it was given while
 * memblock is still in charge: every node and block on its own and the
 * map as a whole, against itself and against memory this kernel keeps.
 * Then it walks the tree to reserve all of it and tag the head page of each
 * block (page->private) so that the kho_restore_*() functions can hand it
 * out once. Blocks nobody restored are returned to the page allocator by
 * kho_mem_in_release() when the handover finishes; restores fail from then
 * on.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/bitmap.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>

#include "../../mm/internal.h"
#include "internal.h"
#include "in_ranges.h"

/* ---- outgoing: the preserve API ---- */

static struct kho_radix kho_out_tree;
static DEFINE_MUTEX(kho_out_tree_lock);

/*
 * Pages kho_unpreserve_free() kept allocated because they could not be
 * unpreserved: freeing them would hand the next kernel memory this one
 * reuses. Shown as leaked_pages in /sys/kernel/kho/summary.
 */
static atomic_long_t kho_leaked_pages = ATOMIC_LONG_INIT(0);

/**
 * kho_mem_out_leaked() - pages leaked rather than freed while preserved
 *
 * Return: their number since boot.
 */
unsigned long kho_mem_out_leaked(void)
{
	return atomic_long_read(&kho_leaked_pages);
}

/**
 * kho_mem_out_root() - physical address of the outgoing tree's root
 *
 * Return: the address, or 0 if no root could be allocated.
 */
phys_addr_t kho_mem_out_root(void)
{
	guard(mutex)(&kho_out_tree_lock);
	if (kho_radix_alloc_root(&kho_out_tree))
		return 0;
	return virt_to_phys(kho_out_tree.root);
}

/**
 * __kho_mem_out_covered() - kho_mem_out_covered() for a caller of
 *			     kho_mem_out_read(), which holds the tree's lock
 * @phys: start
 * @size: length in bytes
 *
 * Return: true if every page of the range lies in a preserved block.
 */
bool __kho_mem_out_covered(phys_addr_t phys, u64 size)
{
	unsigned long pfn = PHYS_PFN(phys), end = PHYS_PFN(phys + size - 1) + 1;
	unsigned int order;

	lockdep_assert_held(&kho_out_tree_lock);
	for (; pfn < end; pfn++) {
		for (order = 0; order <= 30; order++) {
			u64 key = kho_radix_encode_key(PFN_PHYS(pfn), order);

			if (kho_radix_test(&kho_out_tree, key))
				break;
		}
		if (order > 30)
			return false;
	}
	return true;
}

/**
 * kho_mem_out_covered() - is a range entirely in preserved memory?
 * @phys: start
 * @size: length in bytes
 *
 * Return: true if every page of the range lies in a preserved block.
 */
bool kho_mem_out_covered(phys_addr_t phys, u64 size)
{
	guard(mutex)(&kho_out_tree_lock);
	return __kho_mem_out_covered(phys, size);
}

/**
 * kho_mem_out_read() - read the outgoing tree while nothing changes it
 * @fn: called with the tree locked, its root and its generation
 * @arg: passed to @fn
 *
 * Return: what @fn returned.
 */
ssize_t kho_mem_out_read(kho_map_read_fn fn, void *arg)
{
	phys_addr_t root;

	guard(mutex)(&kho_out_tree_lock);
	root = kho_out_tree.root ? virt_to_phys(kho_out_tree.root) : 0;
	return fn(root, kho_out_tree.gen, arg);
}

/**
 * kho_mem_out_stats() - size of the outgoing tree
 * @nr_keys: returns the number of preserved blocks
 * @nr_nodes: returns the number of node pages
 */
void kho_mem_out_stats(unsigned long *nr_keys, unsigned long *nr_nodes)
{
	guard(mutex)(&kho_out_tree_lock);
	*nr_keys = kho_out_tree.nr_keys;
	*nr_nodes = kho_out_tree.nr_nodes;
}

/**
 * kho_block_order() - how a range of pages is split into preserved blocks
 * @pfn: first page frame of what is left of the range
 * @end: page frame just past the range
 *
 * Return: the order of the largest naturally aligned block that starts at
 * @pfn and ends at or before @end.
 */
unsigned int kho_block_order(unsigned long pfn, unsigned long end)
{
	unsigned int order = ilog2(end - pfn);

	return pfn ? min_t(unsigned int, __ffs(pfn), order) : order;
}

/*
 * The caller must own what it preserves. Every page of the first @nr_check
 * pages must be online memory that is allocated: not reserved, not
 * poisoned, and holding a reference itself or being a tail of a compound
 * page that holds one (free pages, in the buddy or on a per-CPU list, hold
 * none). The whole range must stay outside scratch. It costs one look at
 * the struct page of each page, or of each folio for folios whose head is
 * in the range.
 */
static const char *kho_page_not_owned(struct page *page)
{
	if (PageReserved(page))
		return "is reserved";
	if (PageHWPoison(page))
		return "is poisoned";
	if (!page_ref_count(page) &&
	    !(PageTail(page) && page_ref_count(compound_head(page))))
		return "is free, or part of a non-compound allocation";
	return NULL;
}

static int kho_check_owned(unsigned long pfn, unsigned long nr_pages,
			   unsigned long nr_check)
{
	unsigned long cur, step, end = pfn + nr_check, section = ULONG_MAX;
	phys_addr_t phys = PFN_PHYS(pfn), bad;
	const char *why = NULL;
	struct page *page;

	if (pfn + nr_pages < pfn) {
		pr_warn_ratelimited("refusing to preserve %pa: %lu pages wrap around\n",
				    &phys, nr_pages);
		return -EINVAL;
	}
	if (kho_scratch_overlap(phys, (u64)nr_pages << PAGE_SHIFT)) {
		pr_warn_ratelimited("refusing to preserve %pa+%#lx: it overlaps scratch\n",
				    &phys, nr_pages << PAGE_SHIFT);
		return -EINVAL;
	}
	for (cur = pfn; cur < end; cur += step) {
		/* Memory is onlined and offlined by whole sections. */
		if (pfn_to_section_nr(cur) != section) {
			section = pfn_to_section_nr(cur);
			if (!pfn_to_online_page(cur)) {
				why = "is not online memory";
				break;
			}
		}
		page = pfn_to_page(cur);
		why = kho_page_not_owned(page);
		if (why)
			break;
		/* The tails of an allocated folio are allocated with it. */
		step = PageHead(page) ? min(compound_nr(page), end - cur) : 1;
	}
	if (!why)
		return 0;
	bad = PFN_PHYS(cur);
	pr_warn_ratelimited("refusing to preserve %pa+%#lx: page %pa %s\n",
			    &phys, nr_pages << PAGE_SHIFT, &bad, why);
	return -EINVAL;
}

/**
 * kho_pages_owned() - may the caller preserve this range of pages?
 * @pfn: first page frame
 * @nr_pages: number of pages
 *
 * Return: 0, or -EINVAL (logged) if a page is free, reserved, poisoned or
 * not online memory, or the range overlaps scratch.
 */
int kho_pages_owned(unsigned long pfn, unsigned long nr_pages)
{
	return kho_check_owned(pfn, nr_pages, nr_pages);
}

/**
 * kho_folio_owned() - may the caller preserve this folio?
 * @folio: the folio
 *
 * The head page is checked as by kho_pages_owned(); the tails of an
 * allocated folio are allocated with it.
 *
 * Return: 0, or -EINVAL (logged) if @folio is a tail page, is not
 * allocated, or overlaps scratch.
 */
int kho_folio_owned(struct folio *folio)
{
	if (PageTail(&folio->page)) {
		pr_warn_ratelimited("refusing to preserve a tail page as a folio\n");
		return -EINVAL;
	}
	return kho_check_owned(folio_pfn(folio), folio_nr_pages(folio), 1);
}

static void kho_del_range(unsigned long pfn, unsigned long end)
{
	unsigned int order;

	for (; pfn < end; pfn += 1UL << order) {
		order = kho_block_order(pfn, end);
		kho_radix_del(&kho_out_tree,
			      kho_radix_encode_key(PFN_PHYS(pfn), order));
	}
}

static int kho_add_range(unsigned long pfn, unsigned long end)
{
	unsigned long cur;
	unsigned int order;
	int err = 0;

	guard(mutex)(&kho_out_tree_lock);
	for (cur = pfn; cur < end; cur += 1UL << order) {
		order = kho_block_order(cur, end);
		err = kho_radix_add(&kho_out_tree,
				    kho_radix_encode_key(PFN_PHYS(cur), order));
		if (err) {
			kho_del_range(pfn, cur);
			break;
		}
	}
	return err;
}

/* Preserve @nr_pages pages from @pfn; the gate is held. */
static int kho_preserve_range(unsigned long pfn, unsigned long nr_pages)
{
	int err = kho_pages_owned(pfn, nr_pages);

	return err ?: kho_add_range(pfn, pfn + nr_pages);
}

/* Unpreserve @nr_pages pages from @pfn; the gate is held. */
static int kho_unpreserve_range(unsigned long pfn, unsigned long nr_pages)
{
	unsigned long end = pfn + nr_pages;
	unsigned int order;
	int err, ret = 0;

	guard(mutex)(&kho_out_tree_lock);
	for (; pfn < end; pfn += 1UL << order) {
		order = kho_block_order(pfn, end);
		err = kho_radix_del(&kho_out_tree,
				    kho_radix_encode_key(PFN_PHYS(pfn), order));
		if (err)
			ret = err;
	}
	return ret;
}

static int kho_folio_update(struct folio *folio, bool add)
{
	u64 key = kho_radix_encode_key(PFN_PHYS(folio_pfn(folio)),
				       folio_order(folio));
	int err;

	err = kho_out_begin();
	if (err)
		return err;
	if (add)
		err = kho_folio_owned(folio);
	if (!err) {
		mutex_lock(&kho_out_tree_lock);
		err = add ? kho_radix_add(&kho_out_tree, key) :
			    kho_radix_del(&kho_out_tree, key);
		mutex_unlock(&kho_out_tree_lock);
	}
	kho_out_end();
	return err;
}

/**
 * kho_preserve_folio() - preserve a folio across kexec
 * @folio: an allocated folio, outside the scratch areas
 *
 * The folio's pages and its order reach the next kernel, which gets it
 * back with kho_restore_folio().
 *
 * Return: 0; -EBUSY if the handover is finalized, or another task is
 * finalizing it; -EEXIST if the folio is already preserved; -EINVAL
 * (logged) if it is free, reserved, poisoned, not online memory, a tail
 * page or in scratch; -EOPNOTSUPP if KHO is disabled; -ENOMEM.
 */
int kho_preserve_folio(struct folio *folio)
{
	return kho_folio_update(folio, true);
}
EXPORT_SYMBOL_GPL(kho_preserve_folio);

/*
 * The unpreserve functions return nothing, as in mainline. While the
 * handover is finalized they change nothing (it keeps its memory until it
 * is aborted) and say so; memory that was not preserved is ignored.
 */
static void kho_unpreserve_failed(int err, unsigned long pfn)
{
	if (err == -EBUSY)
		pr_warn_ratelimited("cannot unpreserve pfn %#lx: the handover is finalized\n",
				    pfn);
}

/**
 * kho_unpreserve_folio() - undo kho_preserve_folio()
 * @folio: a preserved folio
 *
 * While the handover is finalized nothing is changed and a line is logged.
 */
void kho_unpreserve_folio(struct folio *folio)
{
	kho_unpreserve_failed(kho_folio_update(folio, false), folio_pfn(folio));
}
EXPORT_SYMBOL_GPL(kho_unpreserve_folio);

/**
 * kho_preserve_pages() - preserve a physically contiguous range of pages
 * @page: first page
 * @nr_pages: number of pages
 *
 * Every page of the range must be allocated: holding a reference of its
 * own (alloc_pages_exact(), split_page(), vmalloc() pages) or a tail of an
 * allocated folio; not free, reserved, poisoned or in scratch. The tail
 * pages of a high-order allocation without __GFP_COMP hold no reference:
 * split_page() it or preserve it as a folio. The range is recorded as the
 * fewest naturally aligned blocks. The next kernel gets it back as order-0
 * pages with kho_restore_pages().
 *
 * Return: 0, or an error as for kho_preserve_folio(). On error nothing of
 * the range is preserved.
 */
int kho_preserve_pages(struct page *page, unsigned long nr_pages)
{
	int err;

	if (!nr_pages)
		return -EINVAL;
	err = kho_out_begin();
	if (err)
		return err;
	err = kho_preserve_range(page_to_pfn(page), nr_pages);
	kho_out_end();
	return err;
}
EXPORT_SYMBOL_GPL(kho_preserve_pages);

/**
 * kho_unpreserve_pages() - undo kho_preserve_pages()
 * @page: first page of the range given to kho_preserve_pages()
 * @nr_pages: its number of pages
 *
 * While the handover is finalized nothing is changed and a line is logged.
 * The parts of the range that were preserved are unpreserved.
 */
void kho_unpreserve_pages(struct page *page, unsigned long nr_pages)
{
	unsigned long pfn = page_to_pfn(page);
	int err;

	err = kho_out_begin();
	if (err) {
		kho_unpreserve_failed(err, pfn);
		return;
	}
	kho_unpreserve_range(pfn, nr_pages);
	kho_out_end();
}
EXPORT_SYMBOL_GPL(kho_unpreserve_pages);

#ifdef CONFIG_KEXEC_HANDOVER_TEST_HOOKS
/**
 * kho_selftest_forget() - take a range out of the outgoing map behind its
 *			   owner's back, for kho_selftest
 * @phys: start, page aligned
 * @size: length in bytes
 *
 * Works while the handover is finalized too: the next kernel then receives
 * a map without the range, and must refuse a sub-blob in it. Only test
 * kernels have it (CONFIG_KEXEC_HANDOVER_TEST_HOOKS).
 */
void kho_selftest_forget(phys_addr_t phys, u64 size)
{
	guard(mutex)(&kho_out_tree_lock);
	kho_del_range(PHYS_PFN(phys), PFN_UP(phys + size));
}
EXPORT_SYMBOL_GPL(kho_selftest_forget);
#endif

/**
 * kho_alloc_preserve() - allocate zeroed memory and preserve it
 * @size: bytes wanted
 *
 * Return: the memory (physically contiguous, page aligned), or an ERR_PTR.
 * The next kernel finds it at the same physical address and frees it with
 * kho_restore_free() or keeps it with kho_restore_folio().
 */
void *kho_alloc_preserve(size_t size)
{
	struct folio *folio;
	int err;

	if (!size)
		return ERR_PTR(-EINVAL);
	folio = folio_alloc(GFP_KERNEL | __GFP_ZERO, get_order(size));
	if (!folio)
		return ERR_PTR(-ENOMEM);
	err = kho_preserve_folio(folio);
	if (err) {
		folio_put(folio);
		return ERR_PTR(err);
	}
	return folio_address(folio);
}
EXPORT_SYMBOL_GPL(kho_alloc_preserve);

/**
 * kho_unpreserve_free() - unpreserve and free kho_alloc_preserve() memory
 * @mem: what kho_alloc_preserve() returned, or NULL
 *
 * While the handover is finalized, or another task finalizes it, the
 * memory cannot be unpreserved: it is leaked with a warning (and counted
 * as leaked_pages in /sys/kernel/kho/summary) rather than freed under the
 * next kernel.
 */
void kho_unpreserve_free(void *mem)
{
	struct folio *folio;
	int err;

	if (!mem)
		return;
	folio = virt_to_folio(mem);
	err = kho_folio_update(folio, false);
	if (err == -EBUSY) {
		WARN_ONCE(1, "KHO: memory freed while the handover holds it; leaking it\n");
		atomic_long_add(folio_nr_pages(folio), &kho_leaked_pages);
		return;
	}
	WARN_ON_ONCE(err);
	folio_put(folio);
}
EXPORT_SYMBOL_GPL(kho_unpreserve_free);

static unsigned int kho_vmalloc_order(const struct vm_struct *vm)
{
#ifdef CONFIG_HAVE_ARCH_HUGE_VMALLOC
	return vm->page_order;
#else
	return 0;
#endif
}

/* A zeroed, preserved page for the chunk list; the gate is held. */
static struct kho_vmalloc_chunk *kho_vmalloc_new_chunk(void)
{
	struct kho_vmalloc_chunk *chunk;

	chunk = (void *)get_zeroed_page(GFP_KERNEL);
	if (chunk && kho_preserve_range(PHYS_PFN(__pa(chunk)), 1)) {
		free_page((unsigned long)chunk);
		chunk = NULL;
	}
	return chunk;
}

/*
 * Unpreserve the pages listed in @preservation and free its chunk list.
 * The gate is held from before the check that the handover is idle to the
 * end, so nothing is freed that a finalize could still hand over.
 */
static void kho_vmalloc_free_chunks(struct kho_vmalloc *preservation)
{
	struct kho_vmalloc_chunk *chunk = KHOSER_LOAD_PTR(preservation->first);
	unsigned long nr = 1UL << preservation->order;
	unsigned int i;

	while (chunk) {
		struct kho_vmalloc_chunk *next = KHOSER_LOAD_PTR(chunk->hdr.next);

		for (i = 0; i < KHO_VMALLOC_SIZE && chunk->phys[i]; i++)
			kho_unpreserve_range(PHYS_PFN(chunk->phys[i]), nr);
		kho_unpreserve_range(PHYS_PFN(__pa(chunk)), 1);
		free_page((unsigned long)chunk);
		chunk = next;
	}
	preservation->first.phys = 0;
}

/**
 * kho_preserve_vmalloc() - preserve the pages of a vmalloc() area
 * @ptr: start of the area, as returned by vmalloc() or kho_restore_vmalloc()
 * @preservation: filled with the descriptor the next kernel needs; store it
 *		  in preserved memory (e.g. a sub-blob)
 *
 * The whole area is preserved, or none of it: the handover cannot be
 * finalized meanwhile.
 *
 * Return: 0; -EINVAL if @ptr is not a vmalloc() area; -EOPNOTSUPP for
 * areas made neither by vmalloc() nor by kho_restore_vmalloc(); or an error
 * as for kho_preserve_pages().
 */
int kho_preserve_vmalloc(void *ptr, struct kho_vmalloc *preservation)
{
	struct vm_struct *vm = find_vm_area(ptr);
	struct kho_vmalloc_chunk *chunk;
	unsigned int order, idx = 0, i;
	int err;

	if (!vm || vm->addr != ptr)
		return -EINVAL;
	/*
	 * vmalloc() areas, and the areas kho_restore_vmalloc() maps, which
	 * own their pages the same way, so a restored area can be handed on.
	 */
	if (vm->flags & VM_ALLOC) {
		if (vm->flags & ~(VM_ALLOC | VM_ALLOW_HUGE_VMAP | VM_NO_GUARD))
			return -EOPNOTSUPP;
	} else if (vm->flags != (VM_MAP | VM_MAP_PUT_PAGES)) {
		return -EOPNOTSUPP;
	}
	order = kho_vmalloc_order(vm);

	memset(preservation, 0, sizeof(*preservation));
	err = kho_out_begin();
	if (err)
		return err;
	chunk = kho_vmalloc_new_chunk();
	if (!chunk) {
		err = -ENOMEM;
		goto out;
	}
	KHOSER_STORE_PTR(preservation->first, chunk);
	preservation->order = order;

	for (i = 0; i < vm->nr_pages; i += 1U << order) {
		err = kho_preserve_range(page_to_pfn(vm->pages[i]), 1UL << order);
		if (err)
			goto fail;
		chunk->phys[idx++] = page_to_phys(vm->pages[i]);
		if (idx == KHO_VMALLOC_SIZE && i + (1U << order) < vm->nr_pages) {
			struct kho_vmalloc_chunk *next = kho_vmalloc_new_chunk();

			if (!next) {
				err = -ENOMEM;
				goto fail;
			}
			KHOSER_STORE_PTR(chunk->hdr.next, next);
			chunk = next;
			idx = 0;
		}
	}
	preservation->total_pages = vm->nr_pages;
	preservation->flags = KHO_VMALLOC_ALLOC;
	if (vm->flags & VM_ALLOW_HUGE_VMAP)
		preservation->flags |= KHO_VMALLOC_HUGE_VMAP;
	kho_out_end();
	return 0;

fail:
	kho_vmalloc_free_chunks(preservation);
out:
	kho_out_end();
	return err;
}
EXPORT_SYMBOL_GPL(kho_preserve_vmalloc);

/**
 * kho_unpreserve_vmalloc() - undo kho_preserve_vmalloc()
 * @preservation: the descriptor kho_preserve_vmalloc() filled
 *
 * Everything is unpreserved, or nothing: the handover cannot be finalized
 * meanwhile. While it is finalized, or another task finalizes it, nothing
 * is changed and a line is logged.
 */
void kho_unpreserve_vmalloc(struct kho_vmalloc *preservation)
{
	struct kho_vmalloc_chunk *first = KHOSER_LOAD_PTR(preservation->first);
	int err = kho_out_begin();

	if (err) {
		kho_unpreserve_failed(err, first ? PHYS_PFN(virt_to_phys(first)) : 0);
		return;
	}
	kho_vmalloc_free_chunks(preservation);
	kho_out_end();
}
EXPORT_SYMBOL_GPL(kho_unpreserve_vmalloc);

/* ---- incoming: reserve at boot, restore, release ---- */

static phys_addr_t kho_in_root;
static DEFINE_MUTEX(kho_in_lock);
static struct kho_mem_in_stats kho_in_stats;

/**
 * struct kho_in_walk - a walk of the incoming tree, block by block
 * @radix: the walk of radix.c
 * @block: called for every node page (@node true, @order 0) before it is
 *	read, and for every preserved block; a non-zero return stops the walk
 *
 * Every walk of the incoming tree sees nodes and keys alike as blocks of
 * memory, so the two callbacks of &struct kho_radix_walk are written once,
 * here, and each walk only says what it does with a block. The tree was
 * checked as a whole (kho_in_ranges_check()) before any of these walks.
 */
struct kho_in_walk {
	struct kho_radix_walk radix;
	int (*block)(struct kho_in_walk *w, phys_addr_t phys,
		     unsigned int order, bool node);
};

static int kho_in_walk_node(struct kho_radix_walk *radix, phys_addr_t phys,
			    unsigned int level)
{
	struct kho_in_walk *w = container_of(radix, struct kho_in_walk, radix);

	return w->block(w, phys, 0, true);
}

static int kho_in_walk_key(struct kho_radix_walk *radix, u64 key)
{
	struct kho_in_walk *w = container_of(radix, struct kho_in_walk, radix);
	unsigned int order;
	phys_addr_t phys;

	/* kho_in_ranges_check() refused any key that decodes to nothing. */
	if (!kho_in_key_block(key, &phys, &order))
		return -EINVAL;
	return w->block(w, phys, order, false);
}

/* Walk the tree at @root, its nodes and, with @keys, its blocks. */
static int kho_in_walk(phys_addr_t root, struct kho_in_walk *w, bool keys)
{
	w->radix.node = kho_in_walk_node;
	w->radix.key = keys ? kho_in_walk_key : NULL;
	return kho_radix_walk(root, &w->radix);
}

/* Reserving the incoming tree at boot: the run of memory to reserve next. */
struct kho_in_run {
	struct kho_in_walk walk;
	phys_addr_t run_start, run_end;
	bool run_gaps;
};

/*
 * Scattered preserved pages would make one memblock region each, and
 * memblock inserts in linear time. So free memory of less than
 * KHO_IN_GAP_MAX between two preserved blocks is reserved with them, and
 * kho_mem_in_free_gaps() gives it to the page allocator after boot. The
 * runs that contain such gaps are remembered here.
 */
#define KHO_IN_GAP_MAX		SZ_2M
#define KHO_IN_GAP_RUNS		1024

static struct {
	phys_addr_t start, end;
} kho_in_gap_runs[KHO_IN_GAP_RUNS] __initdata;

static unsigned int kho_in_nr_gap_runs __initdata;

/* Reserve [start, end) and keep the memmap as it is (no PageReserved). */
static void __init kho_in_flush(struct kho_in_run *c)
{
	phys_addr_t size = c->run_end - c->run_start;

	if (!size)
		return;
	memblock_reserve(c->run_start, size);
	memblock_reserved_mark_noinit(c->run_start, size);
	if (c->run_gaps) {
		kho_in_gap_runs[kho_in_nr_gap_runs].start = c->run_start;
		kho_in_gap_runs[kho_in_nr_gap_runs].end = c->run_end;
		kho_in_nr_gap_runs++;
	}
	c->run_start = 0;
	c->run_end = 0;
	c->run_gaps = false;
}

static void __init kho_in_reserve_range(struct kho_in_run *c,
					phys_addr_t phys, phys_addr_t size)
{
	phys_addr_t gap = phys - c->run_end;

	if (phys == c->run_end && c->run_end) {
		/* contiguous: extend the run */
	} else if (phys > c->run_end && c->run_end && gap < KHO_IN_GAP_MAX &&
		   (c->run_gaps || kho_in_nr_gap_runs < KHO_IN_GAP_RUNS) &&
		   kho_in_gap_free(c->run_end, gap)) {
		c->run_gaps = true;
	} else {
		kho_in_flush(c);
		c->run_start = phys;
	}
	c->run_end = phys + size;
}

static int __init kho_in_reserve_block(struct kho_in_walk *w,
				       phys_addr_t phys, unsigned int order,
				       bool node)
{
	struct kho_in_run *c = container_of(w, struct kho_in_run, walk);

	kho_in_reserve_range(c, phys, PAGE_SIZE << order);
	if (node) {
		kho_in_stats.nodes++;
	} else {
		kho_in_stats.blocks++;
		kho_in_stats.pages += 1UL << order;
	}
	return 0;
}

/* Tag the head page of every block, so that restores can find them. */
static int __init kho_in_tag_block(struct kho_in_walk *w, phys_addr_t phys,
				   unsigned int order, bool node)
{
	if (!node)
		pfn_to_page(PHYS_PFN(phys))->private = KHO_PRIVATE(order);
	return 0;
}

static int __init kho_in_untag_block(struct kho_in_walk *w, phys_addr_t phys,
				     unsigned int order, bool node)
{
	if (!node)
		pfn_to_page(PHYS_PFN(phys))->private = 0;
	return 0;
}

/* The end PFN of the tagged block that holds @pfn; 0 if none does. */
static unsigned long kho_in_block_end(unsigned long pfn)
{
	unsigned int o;

	for (o = 0; o <= KHO_IN_MAX_ORDER; o++) {
		unsigned long head = ALIGN_DOWN(pfn, 1UL << o);
		unsigned long priv;

		if (!pfn_valid(head))
			continue;
		priv = pfn_to_page(head)->private;
		if ((priv >> 32) == KHO_PAGE_MAGIC &&
		    pfn - head < 1UL << (priv & 0xffffffffUL))
			return head + (1UL << (priv & 0xffffffffUL));
	}
	return 0;
}

static int kho_mem_span_cmp(const void *a, const void *b)
{
	const struct kho_mem_span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Is [start, end) wholly in tagged blocks? @bad is set if not. */
static bool kho_in_span_tagged(u64 start, u64 end, phys_addr_t *bad)
{
	unsigned long pfn = PHYS_PFN(start), last = PFN_UP(end);

	while (pfn < last) {
		unsigned long next = kho_in_block_end(pfn);

		if (!next) {
			*bad = max_t(u64, PFN_PHYS(pfn), start);
			return false;
		}
		pfn = next;
	}
	return true;
}

/**
 * kho_mem_in_spans_preserved() - are ranges wholly in incoming blocks?
 * @spans: the ranges; sorted in place
 * @nr: their number
 * @bad: returns the first address found outside, if there is one
 *
 * Looks at the head pages kho_mem_in_reserve() tags, so only memory not
 * yet restored counts. Overlapping ranges are merged first: their union
 * is looked at once, however many ranges name it.
 *
 * Return: true if every byte of every range is in a preserved block.
 */
bool kho_mem_in_spans_preserved(struct kho_mem_span *spans, unsigned int nr,
				phys_addr_t *bad)
{
	u64 start, end;
	unsigned int i;

	if (!nr)
		return true;
	sort(spans, nr, sizeof(*spans), kho_mem_span_cmp, NULL);
	start = spans[0].start;
	end = spans[0].end;
	for (i = 1; i <= nr; i++) {
		if (i < nr && spans[i].start <= end) {
			end = max(end, spans[i].end);
			continue;
		}
		if (start < end && !kho_in_span_tagged(start, end, bad))
			return false;
		if (i < nr) {
			start = spans[i].start;
			end = spans[i].end;
		}
	}
	return true;
}

/**
 * kho_mem_in_reserve() - validate and reserve the incoming preserved memory
 * @root: physical address of the incoming radix tree's root
 * @low_end: end of the memory below the always-scratch boundary (0: none)
 * @spans: ranges that must lie wholly in preserved blocks (the sub-blobs);
 *	   sorted in place
 * @nr_spans: their number
 *
 * Called while memblock allocates only from scratch, after the memmap is
 * initialised. Nothing is reserved unless the whole tree is valid, on its
 * own and as a whole (see kho_in_ranges_check()), and holds every span.
 *
 * Return: 0, or a negative error after logging why the tree was refused.
 */
int __init kho_mem_in_reserve(phys_addr_t root, phys_addr_t low_end,
			      struct kho_mem_span *spans, unsigned int nr_spans)
{
	struct kho_in_run c = { .walk.block = kho_in_reserve_block };
	u64 start = local_clock();
	const char *why;
	phys_addr_t bad;
	int err;

	err = kho_in_ranges_check(root, low_end, &why, &bad);
	if (err) {
		pr_err("preserved memory map %s (at %pa); ignoring the handover\n",
		       why, &bad);
		return err;
	}

	c.walk.block = kho_in_tag_block;
	kho_in_walk(root, &c.walk, true);
	if (!kho_mem_in_spans_preserved(spans, nr_spans, &bad)) {
		pr_err("a sub-blob is not wholly in preserved memory (at %pa); ignoring the handover\n",
		       &bad);
		c.walk.block = kho_in_untag_block;
		kho_in_walk(root, &c.walk, true);
		return -EINVAL;
	}

	c.walk.block = kho_in_reserve_block;
	kho_in_walk(root, &c.walk, true);
	kho_in_flush(&c);
	kho_in_root = root;
	pr_info("reserved %lu preserved block(s), %lu page(s), %lu map node(s) in %llu us\n",
		kho_in_stats.blocks, kho_in_stats.pages, kho_in_stats.nodes,
		(local_clock() - start) / NSEC_PER_USEC);
	return 0;
}

/* Take the head page of an unrestored incoming block; NULL if there is none. */
static struct page *kho_in_claim(phys_addr_t phys, unsigned int *order)
{
	struct page *page = pfn_to_online_page(PHYS_PFN(phys));

	lockdep_assert_held(&kho_in_lock);
	if (!page || (page->private >> 32) != KHO_PAGE_MAGIC)
		return NULL;
	*order = page->private & 0xffffffffUL;
	return page;
}

/*
 * Nothing can be restored without an incoming map, nor once the handover
 * is finished: unrestored memory may be in use again.
 */
static bool kho_in_refused(phys_addr_t phys)
{
	lockdep_assert_held(&kho_in_lock);
	if (!kho_in_finished())
		return !kho_in_root;
	pr_warn_ratelimited("restore of %pa refused: the handover finished and what nobody restored went back to the page allocator\n",
			    &phys);
	return true;
}

static void kho_in_take(struct page *page, unsigned int order, bool folio)
{
	unsigned long i, nr = 1UL << order;

	page->private = 0;
	for (i = 0; i < nr; i++)
		set_page_count(page + i, folio && i ? 0 : 1);
	if (folio && order)
		prep_compound_page(page, order);
	adjust_managed_page_count(page, nr);
	kho_in_stats.restored_pages += nr;
}

/**
 * kho_restore_folio() - take back a folio preserved by the previous kernel
 * @phys: physical address the previous kernel passed to kho_preserve_folio()
 *
 * Return: the folio, with one reference owned by the caller, or NULL if no
 * preserved folio starts at @phys, it was already restored, or the
 * handover is finished (logged).
 */
struct folio *kho_restore_folio(phys_addr_t phys)
{
	struct page *page;
	unsigned int order;

	guard(mutex)(&kho_in_lock);
	if (kho_in_refused(phys))
		return NULL;
	page = kho_in_claim(phys, &order);
	if (!page)
		return NULL;
	kho_in_take(page, order, true);
	return page_folio(page);
}
EXPORT_SYMBOL_GPL(kho_restore_folio);

/**
 * kho_restore_pages() - take back a range preserved by kho_preserve_pages()
 * @phys: physical address of the first page
 * @nr_pages: number of pages, as preserved
 *
 * Return: the first page; every page is an order-0 page with one reference
 * owned by the caller. NULL if the range was not preserved that way, was
 * already restored, or the handover is finished (logged); then nothing is
 * taken.
 */
struct page *kho_restore_pages(phys_addr_t phys, unsigned long nr_pages)
{
	unsigned long pfn = PHYS_PFN(phys), end = pfn + nr_pages, cur;
	unsigned int order, got;

	if (!nr_pages || !PAGE_ALIGNED(phys))
		return NULL;
	guard(mutex)(&kho_in_lock);
	if (kho_in_refused(phys))
		return NULL;
	for (cur = pfn; cur < end; cur += 1UL << order) {
		order = kho_block_order(cur, end);
		if (!kho_in_claim(PFN_PHYS(cur), &got) || got != order)
			return NULL;
	}
	for (cur = pfn; cur < end; cur += 1UL << order) {
		order = kho_block_order(cur, end);
		kho_in_take(pfn_to_page(cur), order, false);
	}
	return pfn_to_page(pfn);
}
EXPORT_SYMBOL_GPL(kho_restore_pages);

/**
 * kho_restore_free() - free memory the previous kernel kho_alloc_preserve()d
 * @mem: its address in this kernel (phys_to_virt() of what was passed)
 */
void kho_restore_free(void *mem)
{
	struct folio *folio = kho_restore_folio(virt_to_phys(mem));

	if (folio)
		folio_put(folio);
}
EXPORT_SYMBOL_GPL(kho_restore_free);

/* The KHO_VMALLOC_* flags this kernel knows how to map. */
#define KHO_VMALLOC_FLAGS	(KHO_VMALLOC_ALLOC | KHO_VMALLOC_HUGE_VMAP)

/*
 * Take the blocks of 2^@order pages @chunk names into @pages from *@done
 * on; false if one cannot be taken or @total would be passed.
 */
static bool kho_vmalloc_in_chunk(const struct kho_vmalloc_chunk *chunk,
				 unsigned int order, struct page **pages,
				 unsigned long *done, unsigned long total,
				 kho_take_fn take)
{
	unsigned long nr = 1UL << order, j;
	struct page *page;
	unsigned int i;

	for (i = 0; i < KHO_VMALLOC_SIZE && chunk->phys[i]; i++) {
		if (*done == total)
			return false;
		page = take(chunk->phys[i], nr);
		if (!page)
			return false;
		for (j = 0; j < nr; j++)
			pages[(*done)++] = page + j;
	}
	return true;
}

/**
 * kho_vmalloc_in_pages() - take the pages of a preserved vmalloc() area
 * @desc: the area's descriptor, as the previous kernel filled it
 * @max_pages: the most pages the area may have (the handover's)
 * @take: takes @nr pages preserved from @phys on as order-0 pages with
 *	  one reference each and returns the first; NULL if they are not
 *	  preserved that way or were taken before
 *
 * Reads the chunk list, taking each chunk's page before reading it and
 * freeing it after, and takes the blocks it names. The descriptor must
 * have only known flags, and the list must name exactly its number of
 * pages, in blocks of its order.
 *
 * Return: a kvmalloc()ed array of the area's pages in order, each with a
 * reference the caller owns; NULL if anything does not match, after
 * freeing every page taken.
 */
struct page **kho_vmalloc_in_pages(const struct kho_vmalloc *desc,
				   unsigned long max_pages, kho_take_fn take)
{
	unsigned long total = desc->total_pages, done = 0, i;
	phys_addr_t chunk_phys = desc->first.phys;
	struct page **pages;
	bool ok = true;

	if (!total || desc->order > MAX_PAGE_ORDER ||
	    desc->flags & ~KHO_VMALLOC_FLAGS || !(desc->flags & KHO_VMALLOC_ALLOC))
		return NULL;
	if (total % (1UL << desc->order))
		return NULL;
	/* The area's pages were preserved, so the map counted them. */
	if (total > max_pages) {
		pr_warn_ratelimited("vmalloc area of %lu pages refused: the handover preserved %lu\n",
				    total, max_pages);
		return NULL;
	}
	pages = kvmalloc_array(total, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;

	while (ok && chunk_phys) {
		struct page *cpage = take(chunk_phys, 1);
		const struct kho_vmalloc_chunk *chunk;

		if (!cpage)
			break;
		chunk = page_address(cpage);
		ok = kho_vmalloc_in_chunk(chunk, desc->order, pages, &done, total,
					  take);
		chunk_phys = chunk->hdr.next.phys;
		__free_page(cpage);
	}
	if (ok && !chunk_phys && done == total)
		return pages;
	for (i = 0; i < done; i++)
		__free_page(pages[i]);
	kvfree(pages);
	return NULL;
}

/**
 * kho_restore_vmalloc() - map a preserved vmalloc() area again
 * @preservation: the descriptor kho_preserve_vmalloc() filled in the
 *		  previous kernel
 *
 * Return: the new address of the area, to be freed with vfree(), or NULL
 * if the descriptor does not match preserved memory.
 */
void *kho_restore_vmalloc(const struct kho_vmalloc *preservation)
{
	unsigned long total = preservation->total_pages, i;
	struct page **pages;
	void *addr;

	pages = kho_vmalloc_in_pages(preservation, READ_ONCE(kho_in_stats.pages),
				     kho_restore_pages);
	if (!pages)
		return NULL;
	addr = vmap(pages, total, VM_MAP | VM_MAP_PUT_PAGES, PAGE_KERNEL);
	if (addr)
		return addr;
	for (i = 0; i < total; i++)
		__free_page(pages[i]);
	kvfree(pages);
	return NULL;
}
EXPORT_SYMBOL_GPL(kho_restore_vmalloc);

/* Free a block that came in preserved; it was never PageReserved. */
static void kho_in_free_block(struct page *page, unsigned int order)
{
	unsigned long nr = 1UL << order, i, step;

	for (i = 0; i < nr; i += step) {
		unsigned int o = min_t(unsigned int, order, MAX_PAGE_ORDER);
		unsigned long j;

		step = 1UL << o;
		for (j = 0; j < step; j++)
			set_page_count(page + i + j, j ? 0 : 1);
		adjust_managed_page_count(page + i, step);
		__free_pages(page + i, o);
	}
}

/*
 * Releasing: the nodes are listed first, in @nodes, so that no block
 * holding one is freed while a walk still reads it; blocks nobody restored
 * are freed next, and the nodes last.
 */
struct kho_in_release {
	struct kho_in_walk walk;
	struct kho_in_ranges nodes;
};

static int kho_in_release_node(struct kho_in_walk *w, phys_addr_t phys,
			       unsigned int order, bool node)
{
	struct kho_in_release *r = container_of(w, struct kho_in_release, walk);

	return kho_in_ranges_add(&r->nodes, phys, PAGE_SIZE, KHO_IN_NODE);
}

static int kho_in_release_block(struct kho_in_walk *w, phys_addr_t phys,
				unsigned int order, bool node)
{
	struct kho_in_release *r = container_of(w, struct kho_in_release, walk);
	phys_addr_t size = PAGE_SIZE << order;
	struct page *page;
	unsigned int got;

	if (node)
		return 0;
	/* kho_in_ranges_check() refused this; never free a node under the walk. */
	if (kho_in_ranges_find(&r->nodes, phys, phys + size)) {
		pr_warn_once("preserved block %pa holds a map node; it stays reserved\n",
			     &phys);
		return 0;
	}
	page = kho_in_claim(phys, &got);
	if (page && got == order) {
		page->private = 0;
		kho_in_free_block(page, order);
		kho_in_stats.released_pages += 1UL << order;
	}
	cond_resched();
	return 0;
}

/**
 * kho_mem_in_release() - return unrestored incoming memory to the allocator
 *
 * Frees every incoming block nobody restored and the pages of the incoming
 * tree itself. Called once the handover is finished (kho_in_finished() is
 * true, so later restores fail); further calls do nothing.
 */
void kho_mem_in_release(void)
{
	struct kho_in_release r = { .walk.block = kho_in_release_node };
	struct kho_in_range *nodes;
	unsigned long nr, i, pfn;

	guard(mutex)(&kho_in_lock);
	if (kho_in_stats.released || !kho_in_root)
		return;
	nr = kho_in_stats.nodes;
	nodes = kvmalloc_array(nr, sizeof(*nodes), GFP_KERNEL);
	if (!nodes) {
		/* A loss, not a fault: all of it stays reserved. */
		pr_warn("no memory to list the map's %lu node(s); nothing is released\n",
			nr);
		return;
	}
	kho_in_ranges_start(&r.nodes, nodes, nr, ULONG_MAX);
	if (WARN_ON_ONCE(kho_in_walk(kho_in_root, &r.walk, false) ||
			 kho_in_ranges_sort(&r.nodes))) {
		kvfree(nodes);
		return;
	}
	r.walk.block = kho_in_release_block;
	kho_in_walk(kho_in_root, &r.walk, true);

	/* kho_in_ranges_add() fills @nodes with nodes from its end. */
	for (i = nr - r.nodes.nr[KHO_IN_NODE]; i < nr; i++)
		for (pfn = PHYS_PFN(nodes[i].start); pfn < PHYS_PFN(nodes[i].end); pfn++)
			kho_in_free_block(pfn_to_page(pfn), 0);
	kho_in_stats.released_pages += r.nodes.pages;
	kvfree(nodes);
	kho_in_stats.released = true;
	kho_in_root = 0;
}

/* Freeing the gaps: a bitmap of the pages of [base, end) that are in use. */
struct kho_in_gaps {
	struct kho_in_walk walk;
	unsigned long *bitmap;
	phys_addr_t base, end;
};

static int __init kho_in_gaps_block(struct kho_in_walk *w, phys_addr_t phys,
				    unsigned int order, bool node)
{
	struct kho_in_gaps *g = container_of(w, struct kho_in_gaps, walk);
	phys_addr_t size = PAGE_SIZE << order;
	phys_addr_t lo = max(phys, g->base), hi = min(phys + size, g->end);

	if (lo < hi)
		bitmap_set(g->bitmap, (lo - g->base) >> PAGE_SHIFT,
			   (hi - lo) >> PAGE_SHIFT);
	return 0;
}

/**
 * kho_mem_in_free_gaps() - free what was reserved between preserved blocks
 *
 * Called once the page allocator runs, before init memory is freed.
 */
void __init kho_mem_in_free_gaps(void)
{
	struct kho_in_gaps g = {
		.walk.block = kho_in_gaps_block,
		.base = PHYS_ADDR_MAX,
	};
	unsigned long i, start, end, pfn, freed = 0;
	unsigned int r, order;

	if (!kho_in_nr_gap_runs)
		return;
	for (r = 0; r < kho_in_nr_gap_runs; r++) {
		g.base = min(g.base, kho_in_gap_runs[r].start);
		g.end = max(g.end, kho_in_gap_runs[r].end);
	}
	g.bitmap = vzalloc(BITS_TO_LONGS((g.end - g.base) >> PAGE_SHIFT) *
			   sizeof(long));
	/* Without it the gaps stay reserved: a loss, not a fault. */
	if (!g.bitmap)
		return;
	kho_in_walk(kho_in_root, &g.walk, true);

	for (r = 0; r < kho_in_nr_gap_runs; r++) {
		start = (kho_in_gap_runs[r].start - g.base) >> PAGE_SHIFT;
		end = (kho_in_gap_runs[r].end - g.base) >> PAGE_SHIFT;
		for (i = find_next_zero_bit(g.bitmap, end, start); i < end;
		     i = find_next_zero_bit(g.bitmap, end, pfn)) {
			unsigned long stop = find_next_bit(g.bitmap, end, i);

			for (pfn = i; pfn < stop; pfn += 1UL << order) {
				unsigned long abs = PHYS_PFN(g.base) + pfn;

				order = min_t(unsigned int, MAX_PAGE_ORDER,
					      kho_block_order(abs, abs + stop - pfn));
				kho_in_free_block(pfn_to_page(abs), order);
			}
			freed += stop - i;
		}
	}
	vfree(g.bitmap);
	kho_in_nr_gap_runs = 0;
	if (freed)
		pr_info("returned %lu page(s) between preserved blocks to the allocator\n",
			freed);
}

/**
 * kho_mem_in_read() - read the incoming tree until it is released
 * @fn: called with the tree locked against release, its root (0 once it
 *	is released or when there is none) and generation 0
 * @arg: passed to @fn
 *
 * Return: what @fn returned.
 */
ssize_t kho_mem_in_read(kho_map_read_fn fn, void *arg)
{
	guard(mutex)(&kho_in_lock);
	return fn(kho_in_root, 0, arg);
}

/**
 * kho_mem_in_get_stats() - what became of the incoming preserved memory
 * @stats: filled with a snapshot
 */
void kho_mem_in_get_stats(struct kho_mem_in_stats *stats)
{
	guard(mutex)(&kho_in_lock);
	*stats = kho_in_stats;
}
