// SPDX-License-Identifier: GPL-2.0-only
/*
 * kho_buffer: a large buffer handed to the next kernel without a copy.
 *
 * What it teaches: zero-copy preservation with the registry's memory
 * fields (Documentation/kho/registry.rst). A memory field does not carry
 * the bytes: it preserves the pages where they are and records where they
 * are, and the next kernel takes the very same physical pages back. The
 * buffer is made of the three kinds of preserved memory the registry
 * knows:
 *
 *   folios   of orders cycling from 0 to MAX_PAGE_ORDER: a "folio" field
 *            each, in the child entries buffer/folio0, buffer/folio1, ...
 *   range    physically contiguous order-0 pages (alloc_pages_exact()):
 *            a "range" field
 *   vmalloc  a vmalloc() area: a "vmalloc" field
 *
 * With the default size of 64 MiB, the vmalloc area is a quarter (16 MiB),
 * the range an eighth but at most a MAX_PAGE_ORDER block (4 MiB), the
 * folios the rest. Each piece is filled with a pattern and checksummed
 * (xxh64) when the buffer is created, and the checksums are handed over
 * with it, as is a hash of the physical addresses of the vmalloc pages.
 *
 * Loading the module in a kernel that received a "buffer" entry restores
 * every piece in place, checks that the vmalloc area is made of the same
 * physical pages, checks every checksum and logs
 * "kho_buffer: restored N bytes in place after H kexecs: ..."; then it hands
 * the same pages over again. A restored folio or range is the previous
 * kernel's physical memory (its address in /sys/kernel/kho/registry/buffer
 * is the one the previous kernel handed over); nothing is copied. A buffer
 * that does not verify fails the load. Loading it in a kernel that received
 * nothing creates a new buffer of "size" bytes. Unloading the module
 * unregisters the entries, which unpreserves the memory, and frees it.
 *
 * /sys/kernel/debug/kho_buffer/pages (root only) lists the buffer's pages,
 * one run of physically contiguous pages a line: "PFN COUNT", PFN in hex.
 * A test reads it before unloading the module to check in /proc/kpageflags
 * that exactly those pages went back to the page allocator.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kho/registry.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/xxhash.h>

#define KB_NAME		"buffer"
#define KB_MIN_SIZE	SZ_1M

static unsigned long kb_size = SZ_64M;
module_param_named(size, kb_size, ulong, 0444);
MODULE_PARM_DESC(size,
		 "bytes of a new buffer, a multiple of the page size, at least 1 MiB (default 64 MiB); a restored buffer keeps its size");

static const struct khoreg_field kb_fields[] = {
	KHOREG_FIELD("size", U64),
	KHOREG_FIELD("hops", U32),
	KHOREG_FIELD("nr_folios", U32),
	KHOREG_FIELD("vmalloc", VMALLOC),
	KHOREG_FIELD("vmalloc_csum", U64),
	KHOREG_FIELD("vmalloc_pages", U64),
	KHOREG_FIELD("range", RANGE),
	KHOREG_FIELD("range_csum", U64),
};

static const struct khoreg_schema kb_schema = {
	.compatible = "khoreg,buffer-v1",
	.version = 1,
	.fields = kb_fields,
	.nr_fields = ARRAY_SIZE(kb_fields),
};

static const struct khoreg_field kb_folio_fields[] = {
	KHOREG_FIELD("folio", FOLIO),
	KHOREG_FIELD("csum", U64),
};

static const struct khoreg_schema kb_folio_schema = {
	.compatible = "khoreg,buffer-folio-v1",
	.version = 1,
	.fields = kb_folio_fields,
	.nr_fields = ARRAY_SIZE(kb_folio_fields),
};

struct kb_folio {
	struct folio *folio;
	u64 csum;
};

/* The buffer; written only by init and exit. */
static struct {
	u64 size;			/* bytes in all */
	u32 hops;			/* kexecs it survived */
	void *vm;
	unsigned long vm_pages;
	u64 vm_csum;
	u64 vm_phys_hash;		/* of the vmalloc pages' addresses */
	struct page *range;
	unsigned long range_pages;
	u64 range_csum;
	struct kb_folio *folios;
	unsigned int nr_folios;
	struct khoreg_entry *entry;
	struct dentry *debugfs;
} kb;

/* Fill @len bytes with a pattern of @seed, different for every word. */
static void kb_fill(void *addr, size_t len, u64 seed)
{
	u64 *w = addr;
	size_t i;

	for (i = 0; i < len / sizeof(*w); i++)
		w[i] = (seed + i) * 0x9e3779b97f4a7c15ULL;
}

/* A hash of the physical addresses of the vmalloc area's pages, in order. */
static u64 kb_vm_phys_hash(void)
{
	unsigned long i;
	u64 hash = 0;

	for (i = 0; i < kb.vm_pages; i++) {
		u64 phys = page_to_phys(vmalloc_to_page(kb.vm + i * PAGE_SIZE));

		hash = xxh64(&phys, sizeof(phys), hash);
	}
	return hash;
}

static u64 kb_folio_csum(struct folio *folio)
{
	return xxh64(folio_address(folio), folio_size(folio), 0);
}

static u64 kb_range_csum(void)
{
	return xxh64(page_address(kb.range), kb.range_pages << PAGE_SHIFT, 0);
}

static void kb_free(void)
{
	unsigned int i;

	for (i = 0; i < kb.nr_folios; i++)
		folio_put(kb.folios[i].folio);
	kvfree(kb.folios);
	if (kb.range)
		free_pages_exact(page_address(kb.range),
				 kb.range_pages << PAGE_SHIFT);
	vfree(kb.vm);
	memset(&kb, 0, sizeof(kb));
}

/* Allocate a new buffer of @bytes, fill and checksum it. */
static int kb_create(unsigned long bytes)
{
	unsigned long left = bytes - PAGE_ALIGN(bytes / 4);
	size_t range_bytes = min(PAGE_ALIGN(bytes / 8), PAGE_SIZE << MAX_PAGE_ORDER);
	void *range;

	kb.size = bytes;
	kb.vm_pages = PAGE_ALIGN(bytes / 4) >> PAGE_SHIFT;
	kb.vm = vmalloc(kb.vm_pages << PAGE_SHIFT);
	range = alloc_pages_exact(range_bytes, GFP_KERNEL);
	left -= range_bytes;
	kb.folios = kvcalloc(left >> PAGE_SHIFT, sizeof(*kb.folios), GFP_KERNEL);
	if (!kb.vm || !range || !kb.folios) {
		if (range)
			free_pages_exact(range, range_bytes);
		goto nomem;
	}
	kb.range = virt_to_page(range);
	kb.range_pages = range_bytes >> PAGE_SHIFT;

	kb_fill(kb.vm, kb.vm_pages << PAGE_SHIFT, get_random_u64());
	kb.vm_csum = xxh64(kb.vm, kb.vm_pages << PAGE_SHIFT, 0);
	kb.vm_phys_hash = kb_vm_phys_hash();
	kb_fill(range, range_bytes, get_random_u64());
	kb.range_csum = kb_range_csum();

	/* Orders 0, 1, ... MAX_PAGE_ORDER, 0, 1, ... while memory is left. */
	while (left) {
		unsigned int order = kb.nr_folios % NR_PAGE_ORDERS;
		struct kb_folio *f = &kb.folios[kb.nr_folios];

		order = min_t(unsigned int, order, ilog2(left >> PAGE_SHIFT));
		/* Memory may be fragmented: try the smaller orders too. */
		do {
			f->folio = folio_alloc(GFP_KERNEL | __GFP_NORETRY, order);
		} while (!f->folio && order--);
		if (!f->folio)
			goto nomem;
		kb.nr_folios++;
		kb_fill(folio_address(f->folio), folio_size(f->folio),
			get_random_u64());
		f->csum = kb_folio_csum(f->folio);
		left -= folio_size(f->folio);
	}
	return 0;

nomem:
	kb_free();
	return -ENOMEM;
}

/* Take back one folio of the previous kernel; its checksum is checked later. */
static int kb_restore_folio(unsigned int i)
{
	struct kb_folio *f = &kb.folios[i];
	struct khoreg_in_entry *in;
	char path[32];
	int err;

	snprintf(path, sizeof(path), KB_NAME "/folio%u", i);
	in = khoreg_claim(path, &kb_folio_schema);
	if (IS_ERR(in))
		return PTR_ERR(in);
	err = khoreg_get_u64(in, "csum", &f->csum);
	if (err)
		return err;
	f->folio = khoreg_restore_folio(in, "folio");
	if (IS_ERR(f->folio)) {
		err = PTR_ERR(f->folio);
		f->folio = NULL;
		return err;
	}
	return 0;
}

/* Check what kb_restore() took back; log what differs. */
static int kb_verify(u64 vm_phys_hash)
{
	u64 total = (u64)(kb.vm_pages + kb.range_pages) << PAGE_SHIFT;
	unsigned int i;
	int err = 0;

	if (kb_vm_phys_hash() != vm_phys_hash) {
		pr_err("the vmalloc area is not made of the pages handed over\n");
		err = -EIO;
	}
	if (xxh64(kb.vm, kb.vm_pages << PAGE_SHIFT, 0) != kb.vm_csum) {
		pr_err("the vmalloc area does not match its checksum\n");
		err = -EIO;
	}
	if (kb_range_csum() != kb.range_csum) {
		pr_err("the page range does not match its checksum\n");
		err = -EIO;
	}
	for (i = 0; i < kb.nr_folios; i++) {
		total += folio_size(kb.folios[i].folio);
		if (kb_folio_csum(kb.folios[i].folio) != kb.folios[i].csum) {
			pr_err("folio%u does not match its checksum\n", i);
			err = -EIO;
		}
	}
	if (total != kb.size) {
		pr_err("the pieces hold %llu bytes, not %llu\n", total, kb.size);
		err = -EIO;
	}
	return err;
}

/*
 * Take back the buffer the previous kernel handed over, in place, and
 * verify it; nothing is copied. -ENOENT if it handed over none.
 */
static int kb_restore(void)
{
	struct khoreg_in_entry *in;
	u64 vm_phys_hash;
	u32 nr_folios;
	unsigned int i;
	int err;

	in = khoreg_claim(KB_NAME, &kb_schema);
	if (IS_ERR(in))
		return PTR_ERR(in);
	err = khoreg_get_u64(in, "size", &kb.size);
	err = err ?: khoreg_get_u32(in, "hops", &kb.hops);
	err = err ?: khoreg_get_u32(in, "nr_folios", &nr_folios);
	err = err ?: khoreg_get_u64(in, "vmalloc_csum", &kb.vm_csum);
	err = err ?: khoreg_get_u64(in, "vmalloc_pages", &vm_phys_hash);
	err = err ?: khoreg_get_u64(in, "range_csum", &kb.range_csum);
	if (err)
		goto fail;
	kb.folios = kvcalloc(nr_folios, sizeof(*kb.folios), GFP_KERNEL);
	if (!kb.folios) {
		err = -ENOMEM;
		goto fail;
	}

	kb.vm = khoreg_restore_vmalloc(in, "vmalloc", &kb.vm_pages);
	if (IS_ERR(kb.vm)) {
		err = PTR_ERR(kb.vm);
		kb.vm = NULL;
		goto fail;
	}
	kb.range = khoreg_restore_pages(in, "range", &kb.range_pages);
	if (IS_ERR(kb.range)) {
		err = PTR_ERR(kb.range);
		kb.range = NULL;
		goto fail;
	}
	for (i = 0; i < nr_folios; i++) {
		err = kb_restore_folio(i);
		if (err) {
			pr_err("cannot restore folio%u (%d)\n", i, err);
			goto fail;
		}
		kb.nr_folios++;
	}
	err = kb_verify(vm_phys_hash);
	if (err)
		goto fail;
	kb.hops++;
	return 0;

fail:
	kb_free();
	/* A later load restores it, unless its memory was taken already. */
	khoreg_unclaim(in);
	return err;
}

/* Declare the buffer in the registry: this preserves its memory. */
static int kb_declare(void)
{
	struct khoreg_entry *entry, *child;
	char name[16];
	unsigned int i;
	int err;

	entry = khoreg_register(KB_NAME, &kb_schema, NULL);
	if (IS_ERR(entry))
		return PTR_ERR(entry);
	err = khoreg_set_u64(entry, "size", kb.size);
	err = err ?: khoreg_set_u32(entry, "hops", kb.hops);
	err = err ?: khoreg_set_u32(entry, "nr_folios", kb.nr_folios);
	err = err ?: khoreg_set_vmalloc(entry, "vmalloc", kb.vm);
	err = err ?: khoreg_set_u64(entry, "vmalloc_csum", kb.vm_csum);
	err = err ?: khoreg_set_u64(entry, "vmalloc_pages", kb_vm_phys_hash());
	err = err ?: khoreg_set_pages(entry, "range", kb.range, kb.range_pages);
	err = err ?: khoreg_set_u64(entry, "range_csum", kb.range_csum);
	for (i = 0; i < kb.nr_folios && !err; i++) {
		snprintf(name, sizeof(name), "folio%u", i);
		child = khoreg_register_child(entry, name, &kb_folio_schema, NULL);
		err = PTR_ERR_OR_ZERO(child);
		err = err ?: khoreg_set_folio(child, "folio", kb.folios[i].folio);
		err = err ?: khoreg_set_u64(child, "csum", kb.folios[i].csum);
	}
	if (err) {
		/* Unpreserves what was preserved, the children's too. */
		khoreg_unregister(entry);
		return err;
	}
	kb.entry = entry;
	return 0;
}

/* The run of pages that starts at *@start grows by @pfn, or is printed. */
static void kb_show_run(struct seq_file *m, unsigned long *start,
			unsigned long *count, unsigned long pfn,
			unsigned long nr)
{
	if (*count && *start + *count == pfn) {
		*count += nr;
		return;
	}
	if (*count)
		seq_printf(m, "0x%lx %lu\n", *start, *count);
	*start = pfn;
	*count = nr;
}

/* debugfs "pages": the buffer's pages, "PFN COUNT" per contiguous run. */
static int kb_pages_show(struct seq_file *m, void *unused)
{
	unsigned long i, start = 0, count = 0;

	for (i = 0; i < kb.nr_folios; i++)
		kb_show_run(m, &start, &count, folio_pfn(kb.folios[i].folio),
			    folio_nr_pages(kb.folios[i].folio));
	kb_show_run(m, &start, &count, page_to_pfn(kb.range), kb.range_pages);
	for (i = 0; i < kb.vm_pages; i++)
		kb_show_run(m, &start, &count,
			    vmalloc_to_pfn(kb.vm + i * PAGE_SIZE), 1);
	kb_show_run(m, &start, &count, 0, 0);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kb_pages);

static int __init kb_init(void)
{
	int err;

	err = kb_restore();
	if (!err) {
		pr_info("restored %llu bytes in place after %u kexec%s: %u folios, a %lu-page range, a %lu-page vmalloc area of the same physical pages; checksums match\n",
			kb.size, kb.hops, kb.hops == 1 ? "" : "s", kb.nr_folios,
			kb.range_pages, kb.vm_pages);
	} else if (err == -ENOENT || err == -EBUSY) {
		/* -EBUSY: claimed already, by an earlier load of ours. */
		if (kb_size < KB_MIN_SIZE || !PAGE_ALIGNED(kb_size)) {
			pr_err("size must be a multiple of %lu and at least %u\n",
			       PAGE_SIZE, KB_MIN_SIZE);
			return -EINVAL;
		}
		err = kb_create(kb_size);
		if (err) {
			pr_err("cannot allocate %lu bytes (%d)\n", kb_size, err);
			return err;
		}
		pr_info("created %llu bytes: %u folios, a %lu-page range, a %lu-page vmalloc area\n",
			kb.size, kb.nr_folios, kb.range_pages, kb.vm_pages);
	} else {
		pr_err("cannot restore the buffer (%d)\n", err);
		return err;
	}

	err = kb_declare();
	if (err) {
		pr_err("cannot hand the buffer over (%d)\n", err);
		kb_free();
		return err;
	}
	kb.debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("pages", 0400, kb.debugfs, NULL, &kb_pages_fops);
	return 0;
}
module_init(kb_init);

static void __exit kb_exit(void)
{
	debugfs_remove_recursive(kb.debugfs);
	/* The registry keeps the module loaded while the handover is finalized. */
	WARN_ON(khoreg_unregister(kb.entry));
	kb_free();
}
module_exit(kb_exit);

MODULE_DESCRIPTION("Kexec HandOver sample: a large buffer handed over without a copy");
MODULE_LICENSE("GPL");
