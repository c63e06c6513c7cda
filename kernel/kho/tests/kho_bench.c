// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver benchmark, written against the KHO API that khoreg and
 * mainline Linux share, so the same source builds for both: in khoreg's
 * tree, and as an external module against mainline (bench-handover.sh).
 *
 *   modprobe kho_bench action=preserve layout=scattered|contiguous bytes=N
 *	allocates N bytes as 4 KiB pages of which no two are adjacent
 *	(scattered: every other page) or as max-order blocks (contiguous),
 *	stamps every page, preserves them and the list of their addresses,
 *	finalizes (khoreg; mainline has nothing to finalize), and logs the
 *	time each step took and the resolution of the clocks it timed them
 *	with;
 *   modprobe kho_bench action=restore
 *	(in the next kernel) restores the list and every page, checks every
 *	stamp, logs the time taken and the time since boot, then frees all.
 *
 * Results are single "kho_bench: ..." lines of key=value pairs.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <linux/kho/abi/kexec_handover.h>

/* khoreg's header; mainline's, which has no finalize step. */
#if __has_include("linux/kho.h")
#include <linux/kho.h>
#define kho_bench_finalize()	kho_finalize()
#else
#include <linux/kexec_handover.h>
#define kho_bench_finalize()	0
#endif

#define KHO_BENCH_NAME		"kho-bench"
#define KHO_BENCH_MAGIC		0x6b686f62656e6368ULL	/* "khobench" */

struct kho_bench_desc {
	u64 magic;
	u64 contiguous;
	u64 bytes;
	u64 extents;
	u64 extent_order;
	struct kho_vmalloc list;
};

static char *action = "none";
module_param(action, charp, 0444);
MODULE_PARM_DESC(action, "preserve or restore");

static char *layout = "scattered";
module_param(layout, charp, 0444);
MODULE_PARM_DESC(layout, "scattered (every other 4 KiB page) or contiguous (max-order blocks)");

static unsigned long bytes = SZ_64K;
module_param(bytes, ulong, 0444);
MODULE_PARM_DESC(bytes, "bytes to preserve, a multiple of the extent size");

static u64 kho_bench_stamp(phys_addr_t phys)
{
	return phys ^ KHO_BENCH_MAGIC;
}

/* The smallest step that @clock takes, over a few tries. */
static u64 kho_bench_step_ns(u64 (*clock)(void))
{
	u64 best = U64_MAX, a, b;
	int i;

	for (i = 0; i < 16; i++) {
		a = clock();
		do {
			b = clock();
		} while (b == a);
		best = min(best, b - a);
	}
	return best;
}

static u64 kho_bench_printk_clock(void)
{
	return local_clock();
}

/*
 * The resolution of the clocks the benchmark reads: ktime_get_ns() for the
 * steps it times, local_clock() for the kernel log's times.
 */
static u64 kho_bench_resolution_ns(void)
{
	return max(kho_bench_step_ns(ktime_get_ns),
		   kho_bench_step_ns(kho_bench_printk_clock));
}

/* Allocate one extent; scattered: the first page of an order-1 block. */
static struct page *kho_bench_alloc(unsigned int order, bool contiguous)
{
	struct page *page;

	if (contiguous) {
		page = alloc_pages(GFP_KERNEL, order);
		/* Each preserved page must hold its own reference. */
		if (page)
			split_page(page, order);
		return page;
	}
	page = alloc_pages(GFP_KERNEL, 1);
	if (!page)
		return NULL;
	split_page(page, 1);
	/* Its buddy stays free: no two preserved pages are adjacent. */
	__free_page(page + 1);
	return page;
}

static int kho_bench_preserve(void)
{
	bool contiguous = !strcmp(layout, "contiguous");
	unsigned int order = contiguous ?
		min_t(unsigned int, MAX_PAGE_ORDER, ilog2(bytes >> PAGE_SHIFT)) : 0;
	unsigned long extents = bytes >> (PAGE_SHIFT + order), i, j;
	struct kho_bench_desc *desc;
	u64 *list, t0, t1, t2;
	int err;

	if (!extents || bytes != extents << (PAGE_SHIFT + order))
		return -EINVAL;
	list = vmalloc(array_size(extents, sizeof(*list)));
	if (!list)
		return -ENOMEM;
	for (i = 0; i < extents; i++) {
		struct page *page = kho_bench_alloc(order, contiguous);

		if (!page)
			return -ENOMEM;
		list[i] = page_to_phys(page);
		for (j = 0; j < 1UL << order; j++)
			*(u64 *)page_address(page + j) =
				kho_bench_stamp(list[i] + j * PAGE_SIZE);
		cond_resched();
	}
	desc = kho_alloc_preserve(sizeof(*desc));
	if (IS_ERR(desc))
		return PTR_ERR(desc);
	desc->magic = KHO_BENCH_MAGIC;
	desc->contiguous = contiguous;
	desc->bytes = bytes;
	desc->extents = extents;
	desc->extent_order = order;

	t0 = ktime_get_ns();
	for (i = 0; i < extents; i++) {
		err = kho_preserve_pages(pfn_to_page(PHYS_PFN(list[i])), 1UL << order);
		if (err)
			return err;
	}
	err = kho_preserve_vmalloc(list, &desc->list);
	err = err ?: kho_add_subtree(KHO_BENCH_NAME, desc, sizeof(*desc));
	if (err)
		return err;
	t1 = ktime_get_ns();
	err = kho_bench_finalize();
	t2 = ktime_get_ns();
	if (err)
		return err;
	pr_info("kernel1 layout=%s bytes=%lu extents=%lu preserve_ns=%llu finalize_ns=%llu resolution_ns=%llu\n",
		layout, bytes, extents, t1 - t0, t2 - t1, kho_bench_resolution_ns());
	return 0;
}

static int kho_bench_restore(void)
{
	struct kho_bench_desc *desc;
	unsigned long i, j, nr;
	struct page *page;
	phys_addr_t phys;
	u64 t0, t1, *list;
	size_t size;
	int err = 0;

	t0 = ktime_get_ns();
	if (kho_retrieve_subtree(KHO_BENCH_NAME, &phys, &size) ||
	    size != sizeof(*desc))
		return -ENOENT;
	desc = phys_to_virt(phys);
	if (desc->magic != KHO_BENCH_MAGIC || desc->extent_order > MAX_PAGE_ORDER)
		return -EINVAL;
	nr = 1UL << desc->extent_order;
	list = kho_restore_vmalloc(&desc->list);
	if (!list)
		return -ENOENT;
	for (i = 0; i < desc->extents && !err; i++) {
		page = kho_restore_pages(list[i], nr);
		if (!page) {
			err = -ENOENT;
			break;
		}
		for (j = 0; j < nr; j++)
			if (*(u64 *)page_address(page + j) !=
			    kho_bench_stamp(list[i] + j * PAGE_SIZE))
				err = -EILSEQ;
	}
	t1 = ktime_get_ns();
	if (!err)
		pr_info("kernel2 layout=%s bytes=%llu extents=%llu restore_ns=%llu boot_to_verified_ns=%llu\n",
			desc->contiguous ? "contiguous" : "scattered", desc->bytes,
			desc->extents, t1 - t0, ktime_get_boottime_ns());

	/* Give everything back; i extents were restored. */
	while (i--) {
		page = pfn_to_page(PHYS_PFN(list[i]));
		for (j = 0; j < nr; j++)
			__free_page(page + j);
	}
	vfree(list);
	kho_restore_free(desc);
	return err;
}

static int __init kho_bench_init(void)
{
	int err = -EINVAL;

	if (!strcmp(action, "preserve"))
		err = kho_bench_preserve();
	else if (!strcmp(action, "restore"))
		err = kho_bench_restore();
	if (err)
		pr_err("action=%s failed: %d\n", action, err);
	return err;
}
module_init(kho_bench_init);

static void __exit kho_bench_exit(void)
{
}
module_exit(kho_bench_exit);

MODULE_DESCRIPTION("Kexec HandOver benchmark: time preserve, finalize and restore");
MODULE_LICENSE("GPL");
