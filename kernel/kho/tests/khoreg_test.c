// SPDX-License-Identifier: GPL-2.0-only
/*
 * khoreg registry test module.
 *
 *   modprobe khoreg_test action=declare
 *	declares entry "khoreg-test" with a field of every type (numbers,
 *	bool, string, bytes, arrays, a page range, a folio and a vmalloc area
 *	filled with a seeded pattern), a nested entry "khoreg-test/child",
 *	and entry "khoreg-spare" holding a 1 MiB range nobody will claim;
 *	the module stays loaded and owns the memory;
 *   modprobe khoreg_test action=restore
 *	(in the next kernel) claims "khoreg-test" and its child, checks every
 *	value and every byte of the restored memory, and leaves
 *	"khoreg-spare" unclaimed;
 *   modprobe khoreg_test action=damage
 *	declares as above, finalizes, then breaks the registry blob: field
 *	"enabled" of khoreg-test holds 7, which is no bool, and entry
 *	khoreg-test/child loses its compatible;
 *   modprobe khoreg_test action=restore-damaged
 *	(in the next kernel) restores as action=restore, except that reading
 *	"enabled" must fail with -EPROTO and khoreg-test/child must be gone;
 *   modprobe khoreg_test action=bench entries=N
 *	declares N entries of four fields each, to time finalize;
 *   modprobe khoreg_test action=orphan
 *	declares entry "khoreg-orphan" and never unregisters it, to show that
 *	unloading the module removes it.
 *
 * Loading fails when a check fails; the kernel log says why.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/kho.h>
#include <linux/kho/registry.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/vmalloc.h>

#include "../registry_internal.h"

#define KT_SEED		0x6b686f7265670001ULL
#define KT_RANGE_PAGES	5
#define KT_FOLIO_ORDER	3
#define KT_VMALLOC_PAGES 7
#define KT_SPARE_PAGES	256

static char *action = "none";
module_param(action, charp, 0444);
MODULE_PARM_DESC(action,
		 "declare, restore, damage, restore-damaged, bench or orphan");

static unsigned int entries = 10;
module_param(entries, uint, 0444);
MODULE_PARM_DESC(entries, "number of entries action=bench declares");

static const struct khoreg_field kt_fields[] = {
	KHOREG_FIELD("small", U8),
	KHOREG_FIELD("port", U16),
	KHOREG_FIELD("count", U32),
	KHOREG_FIELD("big", U64),
	KHOREG_FIELD("delta", S64),
	KHOREG_FIELD("enabled", BOOL),
	KHOREG_STRING("label", 32),
	KHOREG_BYTES("mac", 6),
	KHOREG_ARRAY("queues", U32, 4),
	KHOREG_ARRAY("flags", BOOL, 2),
	KHOREG_FIELD("ring", RANGE),
	KHOREG_FIELD("buf", FOLIO),
	KHOREG_FIELD("table", VMALLOC),
	{ .name = "secret", .type = KHOREG_TYPE_U64,
	  .flags = KHOREG_FIELD_SECRET },
};

static const struct khoreg_schema kt_schema = {
	.compatible = "khoreg,test-v1",
	.version = 1,
	.fields = kt_fields,
	.nr_fields = ARRAY_SIZE(kt_fields),
};

static const struct khoreg_field kt_child_fields[] = {
	KHOREG_FIELD("head", U32),
};

static const struct khoreg_schema kt_child_schema = {
	.compatible = "khoreg,test-child-v1",
	.version = 1,
	.fields = kt_child_fields,
	.nr_fields = ARRAY_SIZE(kt_child_fields),
};

static const struct khoreg_field kt_spare_fields[] = {
	KHOREG_FIELD("mem", RANGE),
};

static const struct khoreg_schema kt_spare_schema = {
	.compatible = "khoreg,test-spare-v1",
	.version = 1,
	.fields = kt_spare_fields,
	.nr_fields = ARRAY_SIZE(kt_spare_fields),
};

static const struct khoreg_field kt_bench_fields[] = {
	KHOREG_FIELD("count", U64),
	KHOREG_FIELD("flags", U32),
	KHOREG_STRING("label", 16),
	KHOREG_ARRAY("queues", U32, 4),
};

static const struct khoreg_schema kt_bench_schema = {
	.compatible = "khoreg,test-bench-v1",
	.version = 1,
	.fields = kt_bench_fields,
	.nr_fields = ARRAY_SIZE(kt_bench_fields),
};

static const u32 kt_queues[4] = { 1, 20, 300, 4000 };
static const bool kt_flags[2] = { false, true };
static const u8 kt_mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 };

/* What action=declare allocated; kept until the module unloads. */
static struct khoreg_entry *kt_entry, *kt_child, *kt_spare;
static void *kt_range, *kt_spare_mem, *kt_table;
static struct folio *kt_folio;
static struct khoreg_entry **kt_bench;

static u64 kt_word(unsigned int area, unsigned long i)
{
	return (KT_SEED ^ ((u64)area << 40) ^ i) * 0x9e3779b97f4a7c15ULL;
}

static void kt_fill(void *mem, size_t size, unsigned int area)
{
	u64 *w = mem;
	size_t i;

	for (i = 0; i < size / sizeof(u64); i++)
		w[i] = kt_word(area, i);
}

static int kt_compare(const void *mem, size_t size, unsigned int area,
		      const char *what)
{
	const u64 *w = mem;
	size_t i;

	for (i = 0; i < size / sizeof(u64); i++) {
		if (w[i] != kt_word(area, i)) {
			pr_err("%s differs at byte %zu\n", what, i * 8);
			return -EILSEQ;
		}
	}
	pr_info("%s: %zu bytes match\n", what, size);
	return 0;
}

static int kt_declare(void)
{
	int err;

	kt_range = alloc_pages_exact(KT_RANGE_PAGES << PAGE_SHIFT, GFP_KERNEL);
	kt_spare_mem = alloc_pages_exact(KT_SPARE_PAGES << PAGE_SHIFT,
					 GFP_KERNEL);
	kt_folio = folio_alloc(GFP_KERNEL, KT_FOLIO_ORDER);
	kt_table = vmalloc(KT_VMALLOC_PAGES << PAGE_SHIFT);
	if (!kt_range || !kt_spare_mem || !kt_folio || !kt_table)
		return -ENOMEM;
	kt_fill(kt_range, KT_RANGE_PAGES << PAGE_SHIFT, 1);
	kt_fill(folio_address(kt_folio), folio_size(kt_folio), 2);
	kt_fill(kt_table, KT_VMALLOC_PAGES << PAGE_SHIFT, 3);

	kt_entry = khoreg_register("khoreg-test", &kt_schema, NULL);
	if (IS_ERR(kt_entry))
		return PTR_ERR(kt_entry);
	kt_child = khoreg_register_child(kt_entry, "child", &kt_child_schema,
					 NULL);
	if (IS_ERR(kt_child))
		return PTR_ERR(kt_child);
	kt_spare = khoreg_register("khoreg-spare", &kt_spare_schema, NULL);
	if (IS_ERR(kt_spare))
		return PTR_ERR(kt_spare);

	err = khoreg_set_u8(kt_entry, "small", 0xa5);
	err = err ?: khoreg_set_u16(kt_entry, "port", 8080);
	err = err ?: khoreg_set_u32(kt_entry, "count", 123456789);
	err = err ?: khoreg_set_u64(kt_entry, "big", 0xfedcba9876543210ULL);
	err = err ?: khoreg_set_s64(kt_entry, "delta", -1234567890123LL);
	err = err ?: khoreg_set_bool(kt_entry, "enabled", true);
	err = err ?: khoreg_set_string(kt_entry, "label", "eth0 up");
	err = err ?: khoreg_set_bytes(kt_entry, "mac", kt_mac, sizeof(kt_mac));
	err = err ?: khoreg_set_array(kt_entry, "queues", kt_queues, 4);
	err = err ?: khoreg_set_array(kt_entry, "flags", kt_flags, 2);
	err = err ?: khoreg_set_pages(kt_entry, "ring", virt_to_page(kt_range),
				      KT_RANGE_PAGES);
	err = err ?: khoreg_set_folio(kt_entry, "buf", kt_folio);
	err = err ?: khoreg_set_vmalloc(kt_entry, "table", kt_table);
	err = err ?: khoreg_set_u64(kt_entry, "secret", 0x5ec7e7);
	err = err ?: khoreg_set_u32(kt_child, "head", 77);
	err = err ?: khoreg_set_pages(kt_spare, "mem",
				      virt_to_page(kt_spare_mem),
				      KT_SPARE_PAGES);
	if (!err)
		pr_info("declared khoreg-test, khoreg-test/child and khoreg-spare\n");
	return err;
}

static int kt_declare_bench(void)
{
	char name[24];
	unsigned int i;
	int err = 0;

	kt_bench = kvcalloc(entries, sizeof(*kt_bench), GFP_KERNEL);
	if (!kt_bench)
		return -ENOMEM;
	for (i = 0; i < entries && !err; i++) {
		snprintf(name, sizeof(name), "bench-%05u", i);
		kt_bench[i] = khoreg_register(name, &kt_bench_schema, NULL);
		err = PTR_ERR_OR_ZERO(kt_bench[i]);
		err = err ?: khoreg_set_u64(kt_bench[i], "count", i);
		err = err ?: khoreg_set_u32(kt_bench[i], "flags", 0x5);
		err = err ?: khoreg_set_string(kt_bench[i], "label", name);
		err = err ?: khoreg_set_array(kt_bench[i], "queues", kt_queues,
					      4);
	}
	if (!err)
		pr_info("declared %u bench entries\n", entries);
	return err;
}

static int kt_declare_damage(void)
{
	static const u32 not_bool = 7;
	int err = kt_declare();

	err = err ?: kho_finalize();
	if (err)
		return err;
	err = khoreg_test_damage("khoreg-test", "enabled", &not_bool);
	err = err ?: khoreg_test_damage("khoreg-test/child", "compatible", NULL);
	if (err) {
		kho_abort();
		return err;
	}
	pr_info("finalized, then damaged the registry blob\n");
	return 0;
}

/* The first failed check of action=restore. */
static int kt_err;

static void kt_expect(bool ok, const char *what)
{
	if (ok)
		return;
	pr_err("restore: %s is wrong\n", what);
	kt_err = kt_err ?: -EILSEQ;
}

static int kt_restore_memory(struct khoreg_in_entry *e)
{
	unsigned long nr = 0;
	struct folio *folio;
	struct page *page;
	void *table;
	int err;

	page = khoreg_restore_pages(e, "ring", &nr);
	if (IS_ERR(page))
		return PTR_ERR(page);
	kt_expect(nr == KT_RANGE_PAGES, "ring size");
	err = kt_compare(page_address(page), nr << PAGE_SHIFT, 1, "ring");
	free_pages_exact(page_address(page), nr << PAGE_SHIFT);
	if (err)
		return err;
	kt_expect(PTR_ERR(khoreg_restore_pages(e, "ring", &nr)) == -ENXIO,
		  "restoring ring twice");

	folio = khoreg_restore_folio(e, "buf");
	if (IS_ERR(folio))
		return PTR_ERR(folio);
	kt_expect(folio_order(folio) == KT_FOLIO_ORDER, "buf order");
	err = kt_compare(folio_address(folio), folio_size(folio), 2, "buf");
	folio_put(folio);
	if (err)
		return err;

	table = khoreg_restore_vmalloc(e, "table", &nr);
	if (IS_ERR(table))
		return PTR_ERR(table);
	kt_expect(nr == KT_VMALLOC_PAGES, "table size");
	err = kt_compare(table, nr << PAGE_SHIFT, 3, "table");
	vfree(table);
	return err;
}

static int kt_restore(bool damaged)
{
	struct khoreg_in_entry *e, *c;
	char label[32];
	bool flags[2], b;
	u32 queues[4], v32;
	u8 mac[8], v8;
	size_t len;
	s64 s64v;
	u64 v64;
	u16 v16;
	int err;

	e = khoreg_claim("khoreg-test", &kt_schema);
	if (IS_ERR(e)) {
		pr_err("cannot claim khoreg-test (%ld)\n", PTR_ERR(e));
		return PTR_ERR(e);
	}
	kt_expect(PTR_ERR(khoreg_claim("khoreg-test", &kt_schema)) == -EBUSY,
		  "claiming twice");
	err = khoreg_get_u8(e, "small", &v8);
	kt_expect(!err && v8 == 0xa5, "small");
	err = khoreg_get_u16(e, "port", &v16);
	kt_expect(!err && v16 == 8080, "port");
	err = khoreg_get_u32(e, "count", &v32);
	kt_expect(!err && v32 == 123456789, "count");
	err = khoreg_get_u64(e, "big", &v64);
	kt_expect(!err && v64 == 0xfedcba9876543210ULL, "big");
	err = khoreg_get_s64(e, "delta", &s64v);
	kt_expect(!err && s64v == -1234567890123LL, "delta");
	err = khoreg_get_bool(e, "enabled", &b);
	if (damaged)
		kt_expect(err == -EPROTO, "reading a damaged bool");
	else
		kt_expect(!err && b, "enabled");
	err = khoreg_get_string(e, "label", label, sizeof(label));
	kt_expect(!err && !strcmp(label, "eth0 up"), "label");
	err = khoreg_get_bytes(e, "mac", mac, sizeof(mac), &len);
	kt_expect(!err && len == 6 && !memcmp(mac, kt_mac, 6), "mac");
	err = khoreg_get_array(e, "queues", KHOREG_TYPE_U32, queues, 4);
	kt_expect(!err && !memcmp(queues, kt_queues, sizeof(queues)), "queues");
	err = khoreg_get_array(e, "flags", KHOREG_TYPE_BOOL, flags, 2);
	kt_expect(!err && !memcmp(flags, kt_flags, sizeof(flags)), "flags");
	err = khoreg_get_u64(e, "secret", &v64);
	kt_expect(!err && v64 == 0x5ec7e7, "secret");
	kt_expect(khoreg_get_u32(e, "small", &v32) == -EPROTO, "type check");
	kt_expect(khoreg_get_u32(e, "missing", &v32) == -ENOENT,
		  "missing field");
	kt_expect(khoreg_get_string(e, "label", label, 4) == -EOVERFLOW,
		  "short buffer");

	err = kt_restore_memory(e);
	if (err)
		return err;

	c = khoreg_claim("khoreg-test/child", &kt_child_schema);
	if (damaged) {
		kt_expect(PTR_ERR(c) == -ENOENT, "claiming a dropped entry");
	} else {
		err = khoreg_get_u32(c, "head", &v32);
		kt_expect(!err && v32 == 77, "child head");
	}
	if (!kt_err)
		pr_info("restored khoreg-test%s: every value matches\n",
			damaged ? ", refused what was damaged" :
			" and khoreg-test/child");
	return kt_err;
}

static void kt_free(void)
{
	unsigned int i;

	for (i = 0; kt_bench && i < entries; i++)
		khoreg_unregister(kt_bench[i]);
	kvfree(kt_bench);
	if (kt_range)
		free_pages_exact(kt_range, KT_RANGE_PAGES << PAGE_SHIFT);
	if (kt_spare_mem)
		free_pages_exact(kt_spare_mem, KT_SPARE_PAGES << PAGE_SHIFT);
	if (kt_folio)
		folio_put(kt_folio);
	vfree(kt_table);
}

static int __init khoreg_test_init(void)
{
	int err = -EINVAL;

	if (!strcmp(action, "declare"))
		err = kt_declare();
	else if (!strcmp(action, "restore"))
		err = kt_restore(false);
	else if (!strcmp(action, "damage"))
		err = kt_declare_damage();
	else if (!strcmp(action, "restore-damaged"))
		err = kt_restore(true);
	else if (!strcmp(action, "bench"))
		err = kt_declare_bench();
	else if (!strcmp(action, "orphan"))
		err = PTR_ERR_OR_ZERO(khoreg_register("khoreg-orphan",
						      &kt_child_schema, NULL));
	if (err) {
		pr_err("action=%s failed (%d)\n", action, err);
		khoreg_unregister(kt_entry);
		khoreg_unregister(kt_spare);
		kt_free();
	}
	return err;
}

static void __exit khoreg_test_exit(void)
{
	/* Entry khoreg-orphan is left for the registry to remove. */
	khoreg_unregister(kt_entry);
	khoreg_unregister(kt_spare);
	kt_free();
}

module_init(khoreg_test_init);
module_exit(khoreg_test_exit);
MODULE_DESCRIPTION("khoreg registry test: declare, hand over, restore");
MODULE_LICENSE("GPL");
