// SPDX-License-Identifier: GPL-2.0-only
/*
 * kho_test_compat: hand data to, and take data from, mainline Linux's KHO
 * test (lib/test_kho.c, CONFIG_TEST_KEXEC_HANDOVER).
 *
 * What it teaches: a driver's sub-blob is an ABI of its own, beside the
 * kho-v4 root format. To hand state to a kernel that runs someone else's
 * driver, write exactly the layout that driver reads. This module writes
 * and reads the layout of mainline's KHO test:
 *
 *   sub-blob "kho_test": a flattened device tree
 *     /      compatible = "kho-test-v1"
 *            magic      = <0x4b484f21>        ("KHO!", u32, CPU order)
 *     /data  nr_folios   = u32, CPU order
 *            folios_info = struct kho_vmalloc: a preserved vmalloc() area
 *                          holding one phys_addr_t per folio, the folio's
 *                          physical address ORed with its order
 *            csum        = __wsum: csum_partial() over every folio's bytes
 *                          in list order
 *
 * Loading the module in a kernel that received no "kho_test" sub-blob
 * fills @max_mem bytes of folios of random orders with random bytes,
 * preserves them and the list, and adds the sub-blob: a mainline kernel
 * started next by kexec prints "test_kho: KHO restore succeeded". Loading
 * it in a kernel that received the sub-blob (from mainline or from this
 * module) restores every folio, checks the checksum and prints
 * "kho_test_compat: KHO restore succeeded"; loading fails if anything does
 * not match. Both directions also log how long the KHO calls took and how
 * long the whole test did, for the benchmark against mainline
 * (tools/testing/selftests/kho/bench/bench-mainline.sh).
 *
 * The module stays loadable and unloadable at will, except while the
 * handover is finalized: the finalized FDT points at its memory, so a KHO
 * hook holds a reference on the module until the handover is aborted.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/kho.h>
#include <linux/libfdt.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <net/checksum.h>

/* The sub-blob format of mainline's lib/test_kho.c. */
#define KTC_BLOB_NAME		"kho_test"
#define KTC_COMPATIBLE		"kho-test-v1"
#define KTC_MAGIC		0x4b484f21U
#define KTC_FDT_SIZE		PAGE_SIZE

/* Mainline's default: two folios of the largest order. */
static long max_mem = (PAGE_SIZE << MAX_PAGE_ORDER) * 2;
module_param(max_mem, long, 0444);
MODULE_PARM_DESC(max_mem,
		 "bytes of random-order folios to preserve (default two of the largest order, as mainline's test_kho)");

/* What this kernel preserves for the next one. */
static struct {
	struct folio **folios;
	unsigned int nr_folios;
	unsigned int nr_preserved;
	phys_addr_t *info;
	struct kho_vmalloc info_kho;
	void *fdt;
	__wsum csum;
	bool producing;
} ktc;

static void ktc_free_folios(void)
{
	unsigned int i;

	for (i = 0; i < ktc.nr_folios; i++)
		folio_put(ktc.folios[i]);
	kvfree(ktc.folios);
	ktc.folios = NULL;
	ktc.nr_folios = 0;
}

/* Fill folios of random orders, @max_mem bytes in all, and checksum them. */
static int ktc_generate(void)
{
	unsigned long left = PAGE_ALIGN(max_mem);
	unsigned long max_nr = left >> PAGE_SHIFT;
	__wsum csum = 0;

	ktc.folios = kvmalloc_array(max_nr, sizeof(*ktc.folios), GFP_KERNEL);
	if (!ktc.folios)
		return -ENOMEM;

	while (left) {
		unsigned int order = get_random_u32_below(NR_PAGE_ORDERS);
		struct folio *folio;
		size_t size;

		order = min_t(unsigned int, order, ilog2(left >> PAGE_SHIFT));
		/* Memory is fragmented: try the smaller orders too. */
		do {
			folio = folio_alloc(GFP_KERNEL | __GFP_NORETRY, order);
		} while (!folio && order--);
		if (!folio) {
			ktc_free_folios();
			return -ENOMEM;
		}
		size = folio_size(folio);
		get_random_bytes(folio_address(folio), size);
		csum = csum_partial(folio_address(folio), size, csum);
		ktc.folios[ktc.nr_folios++] = folio;
		left -= size;
	}
	ktc.csum = csum;
	return 0;
}

static void ktc_unpreserve(void)
{
	unsigned int i;

	for (i = 0; i < ktc.nr_preserved; i++)
		kho_unpreserve_folio(ktc.folios[i]);
	ktc.nr_preserved = 0;
	if (ktc.info) {
		kho_unpreserve_vmalloc(&ktc.info_kho);
		vfree(ktc.info);
		ktc.info = NULL;
	}
	kho_unpreserve_free(ktc.fdt);
	ktc.fdt = NULL;
}

static int ktc_write_fdt(void *fdt)
{
	u32 magic = KTC_MAGIC;
	int err;

	err = fdt_create(fdt, KTC_FDT_SIZE);
	err = err ?: fdt_finish_reservemap(fdt);
	err = err ?: fdt_begin_node(fdt, "");
	err = err ?: fdt_property_string(fdt, "compatible", KTC_COMPATIBLE);
	err = err ?: fdt_property(fdt, "magic", &magic, sizeof(magic));
	err = err ?: fdt_begin_node(fdt, "data");
	err = err ?: fdt_property(fdt, "nr_folios", &ktc.nr_folios,
				  sizeof(ktc.nr_folios));
	err = err ?: fdt_property(fdt, "folios_info", &ktc.info_kho,
				  sizeof(ktc.info_kho));
	err = err ?: fdt_property(fdt, "csum", &ktc.csum, sizeof(ktc.csum));
	err = err ?: fdt_end_node(fdt);
	err = err ?: fdt_end_node(fdt);
	err = err ?: fdt_finish(fdt);
	return err ? -EINVAL : 0;
}

/* Preserve the folios, their list and the sub-blob describing them. */
static int ktc_preserve(void)
{
	unsigned int i;
	int err;

	ktc.info = vmalloc_array(ktc.nr_folios, sizeof(*ktc.info));
	if (!ktc.info)
		return -ENOMEM;
	for (i = 0; i < ktc.nr_folios; i++)
		ktc.info[i] = PFN_PHYS(folio_pfn(ktc.folios[i])) |
			      folio_order(ktc.folios[i]);
	err = kho_preserve_vmalloc(ktc.info, &ktc.info_kho);
	if (err) {
		vfree(ktc.info);
		ktc.info = NULL;
		return err;
	}

	for (i = 0; i < ktc.nr_folios; i++) {
		err = kho_preserve_folio(ktc.folios[i]);
		if (err)
			goto fail;
		ktc.nr_preserved++;
	}

	ktc.fdt = kho_alloc_preserve(KTC_FDT_SIZE);
	if (IS_ERR(ktc.fdt)) {
		err = PTR_ERR(ktc.fdt);
		ktc.fdt = NULL;
		goto fail;
	}
	err = ktc_write_fdt(ktc.fdt);
	if (!err)
		err = kho_add_subtree(KTC_BLOB_NAME, ktc.fdt,
				      fdt_totalsize(ktc.fdt));
	if (!err)
		return 0;
fail:
	ktc_unpreserve();
	return err;
}

/* Keep the module loaded while the finalized handover points at its memory. */
static struct kho_hook ktc_hook = {
	.name = KBUILD_MODNAME,
	.owner = THIS_MODULE,
};

static int ktc_produce(void)
{
	u64 t0, t1;
	int err;

	if (!kho_is_enabled()) {
		pr_err("KHO is disabled (boot with kho=on)\n");
		return -EOPNOTSUPP;
	}
	if (max_mem < PAGE_SIZE) {
		pr_err("max_mem=%ld is less than a page\n", max_mem);
		return -EINVAL;
	}
	t0 = ktime_get_ns();
	err = ktc_generate();
	if (err)
		return err;
	t1 = ktime_get_ns();
	err = ktc_preserve();
	if (err)
		goto free;
	err = kho_register_hook(&ktc_hook);
	if (err)
		goto remove;
	ktc.producing = true;
	pr_info("preserved %u folio(s), %lu bytes, checksum %#x, in sub-blob \"%s\"\n",
		ktc.nr_folios, PAGE_ALIGN(max_mem), (__force u32)ktc.csum,
		KTC_BLOB_NAME);
	pr_info("filled and checksummed them in %llu us, preserved them in %llu us\n",
		div_u64(t1 - t0, NSEC_PER_USEC),
		div_u64(ktime_get_ns() - t1, NSEC_PER_USEC));
	return 0;

remove:
	kho_remove_subtree(ktc.fdt);
	ktc_unpreserve();
free:
	ktc_free_folios();
	pr_err("cannot preserve the test data (%d)\n", err);
	return err;
}

/* A property of exactly @len bytes, or NULL. */
static const void *ktc_prop(const void *fdt, int node, const char *name,
			    int len)
{
	int got;
	const void *p = fdt_getprop(fdt, node, name, &got);

	if (!p || got != len) {
		pr_err("sub-blob property \"%s\" is missing or not %d bytes\n",
		       name, len);
		return NULL;
	}
	return p;
}

/*
 * Restore and checksum the folios listed in @info; frees them after. Adds
 * the time kho_restore_folio() took to @kho_ns.
 */
static int ktc_restore_folios(const phys_addr_t *info, unsigned int nr,
			      __wsum *csum, unsigned long *bytes, u64 *kho_ns)
{
	unsigned int i, order;
	struct folio *folio;
	phys_addr_t phys;
	u64 t0;

	*csum = 0;
	*bytes = 0;
	for (i = 0; i < nr; i++) {
		order = info[i] & ~PAGE_MASK;
		phys = info[i] & PAGE_MASK;
		t0 = ktime_get_ns();
		folio = kho_restore_folio(phys);
		*kho_ns += ktime_get_ns() - t0;
		if (!folio) {
			pr_err("folio %u at %pa was not preserved\n", i, &phys);
			return -ENOENT;
		}
		if (folio_order(folio) != order) {
			pr_err("folio %u at %pa has order %u, the list says %u\n",
			       i, &phys, folio_order(folio), order);
			folio_put(folio);
			return -EINVAL;
		}
		*csum = csum_partial(folio_address(folio), folio_size(folio),
				     *csum);
		*bytes += folio_size(folio);
		folio_put(folio);
	}
	return 0;
}

static int ktc_restore(phys_addr_t fdt_phys, size_t fdt_size)
{
	const struct kho_vmalloc *info_kho;
	const u32 *magic, *nr_folios;
	const __wsum *old_csum;
	const void *fdt = phys_to_virt(fdt_phys);
	unsigned long bytes;
	phys_addr_t *info;
	u64 t0, kho_ns;
	__wsum csum;
	int node, err;

	if (fdt_size < sizeof(struct fdt_header) || fdt_check_header(fdt) ||
	    fdt_totalsize(fdt) > fdt_size) {
		pr_err("sub-blob \"%s\" is not a valid FDT\n", KTC_BLOB_NAME);
		return -EINVAL;
	}
	if (fdt_node_check_compatible(fdt, 0, KTC_COMPATIBLE)) {
		pr_err("sub-blob \"%s\" is not compatible with %s\n",
		       KTC_BLOB_NAME, KTC_COMPATIBLE);
		return -EINVAL;
	}
	magic = ktc_prop(fdt, 0, "magic", sizeof(*magic));
	if (!magic)
		return -EINVAL;
	if (*magic != KTC_MAGIC) {
		pr_err("bad magic %#x\n", *magic);
		return -EINVAL;
	}
	node = fdt_subnode_offset(fdt, 0, "data");
	if (node < 0) {
		pr_err("sub-blob has no /data node\n");
		return -EINVAL;
	}
	nr_folios = ktc_prop(fdt, node, "nr_folios", sizeof(*nr_folios));
	old_csum = ktc_prop(fdt, node, "csum", sizeof(*old_csum));
	info_kho = ktc_prop(fdt, node, "folios_info", sizeof(*info_kho));
	if (!nr_folios || !old_csum || !info_kho)
		return -EINVAL;
	if ((u64)*nr_folios * sizeof(*info) >
	    (u64)info_kho->total_pages << PAGE_SHIFT) {
		pr_err("%u folios do not fit a list of %u page(s)\n",
		       *nr_folios, info_kho->total_pages);
		return -EINVAL;
	}

	t0 = ktime_get_ns();
	info = kho_restore_vmalloc(info_kho);
	kho_ns = ktime_get_ns() - t0;
	if (!info) {
		pr_err("cannot restore the folio list\n");
		return -ENOENT;
	}
	err = ktc_restore_folios(info, *nr_folios, &csum, &bytes, &kho_ns);
	vfree(info);
	if (err)
		return err;
	if (csum != *old_csum) {
		pr_err("checksum %#x, expected %#x\n", (__force u32)csum,
		       (__force u32)*old_csum);
		return -EILSEQ;
	}
	pr_info("restored %u folio(s), %lu bytes, checksum %#x\n", *nr_folios,
		bytes, (__force u32)csum);
	pr_info("restoring the list and the folios took %llu us, all of it %llu us\n",
		div_u64(kho_ns, NSEC_PER_USEC),
		div_u64(ktime_get_ns() - t0, NSEC_PER_USEC));
	return 0;
}

static int __init ktc_init(void)
{
	phys_addr_t phys;
	size_t size;
	int err;

	err = kho_retrieve_subtree(KTC_BLOB_NAME, &phys, &size);
	if (err == -ENOENT)
		return ktc_produce();
	if (!err)
		err = ktc_restore(phys, size);
	if (err) {
		pr_err("KHO restore failed (%d)\n", err);
		return err;
	}
	/* The sub-blob's own memory is not needed any more. */
	kho_restore_free(phys_to_virt(phys));
	pr_info("KHO restore succeeded\n");
	return 0;
}
module_init(ktc_init);

static void __exit ktc_exit(void)
{
	if (!ktc.producing)
		return;
	kho_unregister_hook(&ktc_hook);
	kho_remove_subtree(ktc.fdt);
	ktc_unpreserve();
	ktc_free_folios();
}
module_exit(ktc_exit);

MODULE_DESCRIPTION("Kexec HandOver sample: mainline's kho_test sub-blob format");
MODULE_LICENSE("GPL");
