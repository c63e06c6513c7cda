// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver self-test.
 *
 *   modprobe kho_selftest action=preserve
 *	preserves folios of several orders, a page range, every other page
 *	of a 64-page area, a vmalloc area and one spare folio, all filled
 *	with a seeded pattern, and hands their description over in the
 *	sub-blob "kho-selftest";
 *   modprobe kho_selftest action=restore
 *	(in the next kernel) restores all but the spare folio, compares every
 *	byte, frees them, and checks that nothing can be restored twice;
 *   modprobe kho_selftest action=refuse
 *	registers a finalize hook whose validator refuses every handover,
 *	until the module is removed;
 *   modprobe kho_selftest action=corrupt-fdt | corrupt-map | corrupt-blob
 *	preserves as above, finalizes, then damages the FDT or the memory
 *	map, or takes the sub-blob's page out of the map, so that the next
 *	kernel must refuse the handover and boot normally.
 *
 * nodes=0,1 (with preserve or restore) places the pieces on those NUMA
 * nodes in turn: the folios, then the page range, the scattered pages and
 * the vmalloc area, each allocated on its node only; restore then also
 * checks that every restored page is on the node its piece was given and
 * logs how many bytes each node held.
 *
 * Loading fails with an error when a check fails; the kernel log says why.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/kho.h>
#include <linux/mm.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/random.h>
#include <linux/vmalloc.h>

#include "../internal.h"

#define KHO_ST_NAME		"kho-selftest"
#define KHO_ST_MAGIC		0x6b686f7374657374ULL	/* "khostest" */
#define KHO_ST_RANGE_PAGES	13
#define KHO_ST_VMALLOC_PAGES	((unsigned long)KHO_VMALLOC_SIZE + 89)
#define KHO_ST_SPARE_ORDER	10
/* Every other page of this many is preserved on its own. */
#define KHO_ST_SCATTER_PAGES	64

static const unsigned int kho_st_orders[] = { 0, 1, 3, 9 };
#define KHO_ST_FOLIOS		ARRAY_SIZE(kho_st_orders)

/* The sub-blob: everything the next kernel needs to find the data. */
struct kho_st_desc {
	u64 magic;
	u64 seed;
	u64 folio_phys[KHO_ST_FOLIOS];
	u64 folio_order[KHO_ST_FOLIOS];
	u64 range_phys;
	u64 range_pages;
	u64 spare_phys;
	u64 scatter_phys;
	struct kho_vmalloc vmalloc;
};

static char *action = "none";
module_param(action, charp, 0444);
MODULE_PARM_DESC(action,
		 "preserve, restore, refuse, corrupt-fdt, corrupt-map or corrupt-blob");

static char *nodes = "";
module_param(nodes, charp, 0444);
MODULE_PARM_DESC(nodes,
		 "NUMA nodes, comma-separated, that the pieces are allocated on in turn (default: any)");

/* The pieces, in the order nodes= assigns them to nodes. */
enum kho_st_piece {
	KHO_ST_PIECE_RANGE = KHO_ST_FOLIOS + 1,	/* after the folios and the spare */
	KHO_ST_PIECE_SCATTER,
	KHO_ST_PIECE_VMALLOC,
};

/* nodes=, parsed: kho_st_node_ids[0] is the count. */
static int kho_st_node_ids[1 + 8];
/* Bytes restored on each node, for the log. */
static u64 kho_st_node_bytes[MAX_NUMNODES];

static int kho_st_parse_nodes(void)
{
	char *rest;
	int i;

	if (!*nodes)
		return 0;
	rest = get_options(nodes, ARRAY_SIZE(kho_st_node_ids), kho_st_node_ids);
	if (*rest || !kho_st_node_ids[0])
		goto bad;
	for (i = 1; i <= kho_st_node_ids[0]; i++)
		if (kho_st_node_ids[i] < 0 || kho_st_node_ids[i] >= MAX_NUMNODES ||
		    !node_state(kho_st_node_ids[i], N_MEMORY))
			goto bad;
	return 0;
bad:
	pr_err("nodes=%s: not a list of at most %zu nodes with memory\n", nodes,
	       ARRAY_SIZE(kho_st_node_ids) - 1);
	kho_st_node_ids[0] = 0;
	return -EINVAL;
}

/* The node piece @piece goes on, or NUMA_NO_NODE without nodes=. */
static int kho_st_node(unsigned int piece)
{
	if (!kho_st_node_ids[0])
		return NUMA_NO_NODE;
	return kho_st_node_ids[1 + piece % kho_st_node_ids[0]];
}

/*
 * alloc_pages_exact(), on node @nid only unless it is NUMA_NO_NODE (the
 * kernel's alloc_pages_exact_nid() is not for modules and falls back to
 * other nodes); free_pages_exact() frees it.
 */
static void *kho_st_alloc_exact(size_t size, int nid)
{
	unsigned int order = get_order(size);
	struct page *page;
	unsigned long i;

	if (nid == NUMA_NO_NODE)
		return alloc_pages_exact(size, GFP_KERNEL);
	page = alloc_pages_node(nid, GFP_KERNEL | __GFP_THISNODE, order);
	if (!page)
		return NULL;
	split_page(page, order);
	for (i = PAGE_ALIGN(size) >> PAGE_SHIFT; i < 1UL << order; i++)
		__free_page(page + i);
	return page_address(page);
}

/* With nodes=, is restored @page of piece @piece on its node? */
static int kho_st_on_node(struct page *page, unsigned int piece,
			  const char *what)
{
	int nid = kho_st_node(piece);

	if (nid == NUMA_NO_NODE)
		return 0;
	if (page_to_nid(page) != nid) {
		pr_err("%s is on node %d, not on node %d\n", what,
		       page_to_nid(page), nid);
		return -EXDEV;
	}
	kho_st_node_bytes[nid] += PAGE_SIZE;
	return 0;
}

/* kho_st_on_node() for @nr pages from @page */
static int kho_st_pages_on_node(struct page *page, unsigned long nr,
				unsigned int piece, const char *what)
{
	unsigned long i;
	int err = 0;

	for (i = 0; i < nr && !err; i++)
		err = kho_st_on_node(page + i, piece, what);
	return err;
}

/* What this kernel allocated for action=preserve. */
static struct kho_st_desc *kho_st_out;
static struct folio *kho_st_folios[KHO_ST_FOLIOS + 1];
static void *kho_st_range;
static void *kho_st_scatter;
static void *kho_st_vmalloc;

static u64 kho_st_word(u64 seed, unsigned int area, unsigned long i)
{
	return (seed ^ ((u64)area << 48) ^ i) * 0x9e3779b97f4a7c15ULL;
}

static void kho_st_fill(void *mem, size_t size, u64 seed, unsigned int area)
{
	u64 *w = mem;
	unsigned long i;

	for (i = 0; i < size / sizeof(u64); i++)
		w[i] = kho_st_word(seed, area, i);
}

static int kho_st_compare_at(const void *mem, size_t size, u64 seed,
			     unsigned int area, unsigned long first,
			     const char *what)
{
	const u64 *w = mem;
	unsigned long i;

	for (i = 0; i < size / sizeof(u64); i++) {
		if (w[i] != kho_st_word(seed, area, first + i)) {
			pr_err("%s differs at byte %lu\n", what, i * 8);
			return -EILSEQ;
		}
	}
	return 0;
}

static int kho_st_compare(const void *mem, size_t size, u64 seed,
			  unsigned int area, const char *what)
{
	return kho_st_compare_at(mem, size, seed, area, 0, what);
}

/* A sub-blob outside preserved memory makes finalize fail. */
static int kho_st_unpreserved_blob(void)
{
	void *blob = kzalloc(64, GFP_KERNEL);
	int err;

	if (!blob)
		return -ENOMEM;
	err = kho_add_subtree("kho-selftest-unpreserved", blob, 64);
	if (!err) {
		err = kho_finalize();
		if (err == -EINVAL) {
			err = 0;
		} else {
			pr_err("finalize with an unpreserved sub-blob: %d\n", err);
			if (!err)
				kho_abort();
			err = -EINVAL;
		}
		kho_remove_subtree(blob);
	}
	kfree(blob);
	return err;
}

static int kho_st_preserve(void)
{
	struct kho_st_desc *d;
	unsigned int i;
	int err;

	d = kho_alloc_preserve(sizeof(*d));
	if (IS_ERR(d))
		return PTR_ERR(d);
	kho_st_out = d;
	d->magic = KHO_ST_MAGIC;
	d->seed = get_random_u64();

	for (i = 0; i <= KHO_ST_FOLIOS; i++) {
		unsigned int order = i < KHO_ST_FOLIOS ? kho_st_orders[i] :
				     KHO_ST_SPARE_ORDER;
		int nid = kho_st_node(i);
		struct folio *folio;

		if (nid == NUMA_NO_NODE)
			folio = folio_alloc(GFP_KERNEL, order);
		else
			folio = __folio_alloc_node(GFP_KERNEL | __GFP_THISNODE,
						   order, nid);

		if (!folio)
			return -ENOMEM;
		kho_st_folios[i] = folio;
		kho_st_fill(folio_address(folio), folio_size(folio), d->seed, i);
		err = kho_preserve_folio(folio);
		if (err) {
			pr_err("kho_preserve_folio(order %u): %d\n", order, err);
			return err;
		}
		if (i < KHO_ST_FOLIOS) {
			d->folio_phys[i] = PFN_PHYS(folio_pfn(folio));
			d->folio_order[i] = order;
		} else {
			d->spare_phys = PFN_PHYS(folio_pfn(folio));
		}
	}
	/* Preserving it twice is refused. */
	if (kho_preserve_folio(kho_st_folios[0]) != -EEXIST) {
		pr_err("a folio could be preserved twice\n");
		return -EINVAL;
	}

	kho_st_range = kho_st_alloc_exact(KHO_ST_RANGE_PAGES << PAGE_SHIFT,
					  kho_st_node(KHO_ST_PIECE_RANGE));
	if (!kho_st_range)
		return -ENOMEM;
	kho_st_fill(kho_st_range, KHO_ST_RANGE_PAGES << PAGE_SHIFT, d->seed, 10);
	err = kho_preserve_pages(virt_to_page(kho_st_range), KHO_ST_RANGE_PAGES);
	if (err) {
		pr_err("kho_preserve_pages: %d\n", err);
		return err;
	}
	d->range_phys = virt_to_phys(kho_st_range);
	d->range_pages = KHO_ST_RANGE_PAGES;

	kho_st_scatter = kho_st_alloc_exact(KHO_ST_SCATTER_PAGES << PAGE_SHIFT,
					    kho_st_node(KHO_ST_PIECE_SCATTER));
	if (!kho_st_scatter)
		return -ENOMEM;
	kho_st_fill(kho_st_scatter, KHO_ST_SCATTER_PAGES << PAGE_SHIFT, d->seed, 12);
	for (i = 0; i < KHO_ST_SCATTER_PAGES; i += 2) {
		err = kho_preserve_pages(virt_to_page(kho_st_scatter + i * PAGE_SIZE), 1);
		if (err) {
			pr_err("kho_preserve_pages(scattered page %u): %d\n", i, err);
			return err;
		}
	}
	d->scatter_phys = virt_to_phys(kho_st_scatter);

	kho_st_vmalloc = vmalloc_node(KHO_ST_VMALLOC_PAGES << PAGE_SHIFT,
				      kho_st_node(KHO_ST_PIECE_VMALLOC));
	if (!kho_st_vmalloc)
		return -ENOMEM;
	kho_st_fill(kho_st_vmalloc, KHO_ST_VMALLOC_PAGES << PAGE_SHIFT, d->seed, 11);
	err = kho_preserve_vmalloc(kho_st_vmalloc, &d->vmalloc);
	if (err) {
		pr_err("kho_preserve_vmalloc: %d\n", err);
		return err;
	}

	err = kho_st_unpreserved_blob();
	if (err)
		return err;
	err = kho_add_subtree(KHO_ST_NAME, d, sizeof(*d));
	if (err) {
		pr_err("kho_add_subtree: %d\n", err);
		return err;
	}
	pr_info("preserved %zu folios, %d pages, a %lu-page vmalloc area and a spare order-%d folio\n",
		KHO_ST_FOLIOS, KHO_ST_RANGE_PAGES, KHO_ST_VMALLOC_PAGES,
		KHO_ST_SPARE_ORDER);
	return 0;
}

static int kho_st_restore(void)
{
	struct kho_st_desc *d;
	struct folio *folio;
	struct page *page;
	phys_addr_t phys;
	unsigned int i;
	size_t size;
	void *vm;
	int err;

	err = kho_retrieve_subtree(KHO_ST_NAME, &phys, &size);
	if (err || size != sizeof(*d)) {
		pr_err("no valid %s sub-blob (%d, %zu bytes)\n", KHO_ST_NAME, err, size);
		return err ?: -EINVAL;
	}
	d = phys_to_virt(phys);
	if (d->magic != KHO_ST_MAGIC) {
		pr_err("the sub-blob has a bad magic\n");
		return -EINVAL;
	}

	/*
	 * Sizes are this module's constants: one that came from the handover
	 * could shrink what is compared down to nothing.
	 */
	for (i = 0; i < KHO_ST_FOLIOS; i++) {
		folio = kho_restore_folio(d->folio_phys[i]);
		if (!folio || folio_order(folio) != kho_st_orders[i]) {
			pr_err("cannot restore the order-%u folio\n", kho_st_orders[i]);
			if (folio)
				folio_put(folio);
			return -ENOENT;
		}
		err = kho_st_compare(folio_address(folio), folio_size(folio),
				     d->seed, i, "a folio");
		err = err ?: kho_st_pages_on_node(&folio->page,
						  folio_nr_pages(folio), i, "a folio");
		if (!err && kho_restore_folio(d->folio_phys[i])) {
			pr_err("a folio was restored twice\n");
			err = -EINVAL;
		}
		folio_put(folio);
		if (err)
			return err;
	}

	if (d->range_pages != KHO_ST_RANGE_PAGES) {
		pr_err("the page range has %llu pages, not %d\n", d->range_pages,
		       KHO_ST_RANGE_PAGES);
		return -EINVAL;
	}
	page = kho_restore_pages(d->range_phys, KHO_ST_RANGE_PAGES);
	if (!page) {
		pr_err("cannot restore the page range\n");
		return -ENOENT;
	}
	err = kho_st_compare(page_address(page), KHO_ST_RANGE_PAGES << PAGE_SHIFT,
			     d->seed, 10, "the page range");
	err = err ?: kho_st_pages_on_node(page, KHO_ST_RANGE_PAGES,
					  KHO_ST_PIECE_RANGE, "the page range");
	for (i = 0; i < KHO_ST_RANGE_PAGES; i++)
		__free_page(page + i);
	if (err)
		return err;

	for (i = 0; i < KHO_ST_SCATTER_PAGES; i += 2) {
		phys_addr_t p = d->scatter_phys + i * PAGE_SIZE;

		page = kho_restore_pages(p, 1);
		if (!page) {
			pr_err("cannot restore scattered page %u\n", i);
			return -ENOENT;
		}
		/* The pattern runs on across the pages of the area. */
		err = kho_st_compare_at(page_address(page), PAGE_SIZE, d->seed,
					12, i * PAGE_SIZE / 8, "a scattered page");
		err = err ?: kho_st_on_node(page, KHO_ST_PIECE_SCATTER,
					    "a scattered page");
		__free_page(page);
		if (err)
			return err;
	}

	if (d->vmalloc.total_pages != KHO_ST_VMALLOC_PAGES) {
		pr_err("the vmalloc area has %u pages, not %lu\n",
		       d->vmalloc.total_pages, KHO_ST_VMALLOC_PAGES);
		return -EINVAL;
	}
	vm = kho_restore_vmalloc(&d->vmalloc);
	if (!vm) {
		pr_err("cannot restore the vmalloc area\n");
		return -ENOENT;
	}
	err = kho_st_compare(vm, KHO_ST_VMALLOC_PAGES << PAGE_SHIFT,
			     d->seed, 11, "the vmalloc area");
	for (i = 0; i < KHO_ST_VMALLOC_PAGES && !err; i++)
		err = kho_st_on_node(vmalloc_to_page(vm + i * PAGE_SIZE),
				     KHO_ST_PIECE_VMALLOC, "a vmalloc page");
	vfree(vm);
	if (err)
		return err;

	/* Nothing that is not the start of a preserved block is restored. */
	if (kho_restore_folio(d->folio_phys[KHO_ST_FOLIOS - 1] + PAGE_SIZE) ||
	    kho_restore_pages(d->folio_phys[0], 1)) {
		pr_err("memory that is not preserved was restored\n");
		return -EINVAL;
	}
	kho_restore_free(d);
	pr_info("restored and verified %zu folios, %d pages, %d scattered pages and a %lu-page vmalloc area; the spare folio is left unclaimed\n",
		KHO_ST_FOLIOS, KHO_ST_RANGE_PAGES, KHO_ST_SCATTER_PAGES / 2,
		KHO_ST_VMALLOC_PAGES);
	for (i = 1; i <= kho_st_node_ids[0]; i++) {
		int nid = kho_st_node_ids[i];

		pr_info("node %d: restored %llu bytes on it\n", nid,
			kho_st_node_bytes[nid]);
	}
	return 0;
}

static int kho_st_validate(struct kho_hook *hook, const void *fdt,
			   size_t fdt_size, char *reason, size_t len)
{
	snprintf(reason, len, "kho_selftest refuses every handover (FDT of %zu bytes)",
		 fdt_size);
	return -EPERM;
}

static struct kho_hook kho_st_hook = {
	.name = "kho_selftest",
	.owner = THIS_MODULE,
	.validate = kho_st_validate,
};

static bool kho_st_hooked;

#ifdef CONFIG_KEXEC_HANDOVER_TEST_HOOKS
/* Preserve as usual, finalize, then damage @what of the handover. */
static int kho_st_corrupt(const char *what)
{
	int err = kho_st_preserve();

	err = err ?: kho_finalize();
	if (err)
		return err;
	if (!strcmp(what, "blob"))
		kho_selftest_forget(virt_to_phys(kho_st_out),
				    folio_size(virt_to_folio(kho_st_out)));
	else if (!strcmp(what, "map") || !strcmp(what, "fdt"))
		err = kho_selftest_damage(!strcmp(what, "map"));
	else
		err = -EINVAL;
	if (!err)
		pr_info("damaged the finalized handover's %s\n", what);
	return err;
}
#else
static int kho_st_corrupt(const char *what)
{
	pr_err("corrupt-* needs CONFIG_KEXEC_HANDOVER_TEST_HOOKS\n");
	return -EOPNOTSUPP;
}
#endif

/* Unpreserve and free what action=preserve set up, if still possible. */
static void kho_st_cleanup(void)
{
	unsigned int i;

	/* A finalized handover keeps its memory until kexec. */
	if (!kho_st_out || kho_get_state() != KHO_IDLE)
		return;
	kho_remove_subtree(kho_st_out);
	if (kho_st_vmalloc) {
		kho_unpreserve_vmalloc(&kho_st_out->vmalloc);
		vfree(kho_st_vmalloc);
	}
	if (kho_st_scatter) {
		for (i = 0; i < KHO_ST_SCATTER_PAGES; i += 2)
			kho_unpreserve_pages(virt_to_page(kho_st_scatter + i * PAGE_SIZE), 1);
		free_pages_exact(kho_st_scatter, KHO_ST_SCATTER_PAGES << PAGE_SHIFT);
	}
	if (kho_st_range) {
		kho_unpreserve_pages(virt_to_page(kho_st_range), KHO_ST_RANGE_PAGES);
		free_pages_exact(kho_st_range, KHO_ST_RANGE_PAGES << PAGE_SHIFT);
	}
	for (i = 0; i <= KHO_ST_FOLIOS; i++) {
		if (kho_st_folios[i]) {
			kho_unpreserve_folio(kho_st_folios[i]);
			folio_put(kho_st_folios[i]);
		}
	}
	kho_unpreserve_free(kho_st_out);
}

static int __init kho_st_init(void)
{
	int err = kho_st_parse_nodes();

	if (err)
		return err;
	if (!strcmp(action, "preserve"))
		err = kho_st_preserve();
	else if (!strcmp(action, "restore"))
		err = kho_st_restore();
	else if (!strcmp(action, "refuse"))
		err = kho_register_hook(&kho_st_hook);
	else if (!strncmp(action, "corrupt-", 8))
		err = kho_st_corrupt(action + 8);
	else
		err = -EINVAL;
	if (err) {
		pr_err("action=%s failed: %d\n", action, err);
		kho_st_cleanup();
	}
	kho_st_hooked = !err && !strcmp(action, "refuse");
	return err;
}
module_init(kho_st_init);

static void __exit kho_st_exit(void)
{
	if (kho_st_hooked)
		kho_unregister_hook(&kho_st_hook);
	kho_st_cleanup();
}
module_exit(kho_st_exit);

MODULE_DESCRIPTION("Kexec HandOver self-test: preserve, restore and compare");
MODULE_LICENSE("GPL");
