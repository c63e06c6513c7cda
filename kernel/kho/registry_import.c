// SPDX-License-Identifier: GPL-2.0-only
/*
 * khoreg: import an authored registry sub-blob into the pending handover.
 *
 * A bootloader hands configuration to a kernel as registry entries. So that
 * a tool can stand in for the bootloader at a kexec, root writes a
 * "khoreg-registry-v1" blob (khoctl author --registry makes one, khoctl
 * import authors and writes it in one step) to
 * /sys/kernel/kho/registry_import. The blob is checked by the parser the
 * next kernel runs on what it receives, and must pass without a single
 * problem; then each of its entries becomes a pending entry of the
 * outgoing registry, shown in /sys/kernel/kho/registry and handed over at
 * the next kexec like the entries drivers declare.
 *
 * The entries of one blob are imported all or none, and never replace an
 * entry: a top-level name already registered refuses the blob with
 * -EEXIST. Imported entries have no owner module and no callbacks, cannot
 * hold memory (an authored range, folio or vmalloc address refers to
 * nothing this kernel preserves, so such fields are refused) and stay
 * until the kernel hands over, or until root writes the name of one of
 * their top-level entries to /sys/kernel/kho/registry_unimport, which
 * removes every entry of that import (khoctl unimport). At most
 * %KHOREG_IMPORTS_MAX imports are pending at once. A driver that later
 * registers a name an import took gets -EEXIST and a log line naming the
 * import. A refusal says why in /sys/kernel/kho/last_error.
 */

#define pr_fmt(fmt) "KHO registry: " fmt

#include <linux/cleanup.h>
#include <linux/kobject.h>
#include <linux/init.h>
#include <linux/libfdt.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "internal.h"
#include "registry_internal.h"

/* Largest blob /sys/kernel/kho/registry_import takes. */
#define KHOREG_IMPORT_MAX	SZ_1M
/* Most imports pending at once. */
#define KHOREG_IMPORTS_MAX	16

/**
 * struct khoreg_import_schema - the schema of one imported entry
 * @list: link in &struct khoreg_import.schemas
 * @schema: the schema; names point into the import's blob
 * @fields: its fields
 */
struct khoreg_import_schema {
	struct list_head list;
	struct khoreg_schema schema;
	struct khoreg_field fields[];
};

/**
 * struct khoreg_import - what the entries of one imported blob need
 * @list: link in the list of the imports of the outgoing registry
 * @tree: the parsed blob
 * @schemas: &struct khoreg_import_schema list, one per entry
 * @nr_tops: number of @tops
 * @tops: its top-level entries, once imported
 */
struct khoreg_import {
	struct list_head list;
	struct khoreg_in_tree tree;
	struct list_head schemas;
	unsigned int nr_tops;
	struct khoreg_entry **tops;
};

/**
 * khoreg_import_free() - free an import whose entries are gone
 * @imp: the import; NULL or an ERR_PTR() are ignored
 */
void khoreg_import_free(struct khoreg_import *imp)
{
	struct khoreg_import_schema *s, *tmp;

	if (IS_ERR_OR_NULL(imp))
		return;
	list_for_each_entry_safe(s, tmp, &imp->schemas, list)
		kfree(s);
	kfree(imp->tops);
	khoreg_in_free(&imp->tree);
	kfree(imp);
}

static int khoreg_import_value(struct khoreg_entry *entry, unsigned int i,
			       const struct khoreg_in_field *fi)
{
	struct khoreg_out_field *f = entry->fields[i];

	switch (fi->type) {
	case KHOREG_TYPE_STRING:
		return khoreg_set_string(entry, fi->name, fi->val);
	case KHOREG_TYPE_BYTES:
		return khoreg_set_bytes(entry, fi->name, fi->val, fi->len);
	default:
		/*
		 * Scalars and arrays are stored in their wire encoding; the
		 * entry is not in a shared registry yet.
		 */
		if (fi->len != f->size)
			return -EOVERFLOW;
		memcpy(f->val, fi->val, fi->len);
		return 0;
	}
}

static int khoreg_import_annotations(struct khoreg_entry *entry,
				     const struct khoreg_in_entry *in)
{
	const char *a, *eq;
	char *key;
	int at, err;

	for (at = 0; at < in->annotations_len; at += strlen(a) + 1) {
		a = in->annotations + at;
		eq = strchr(a, '=');
		if (!eq)
			return -EINVAL;
		key = kstrndup(a, eq - a, GFP_KERNEL);
		if (!key)
			return -ENOMEM;
		err = khoreg_annotate(entry, key, eq + 1);
		kfree(key);
		if (err)
			return err;
	}
	return 0;
}

/* Write "<path of @entry>/<field>: <why>" to @reason. */
static __printf(5, 6) void khoreg_import_why(const struct khoreg_entry *entry,
					      const char *field, char *reason,
					      size_t len, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;
	size_t n;

	n = min_t(size_t, khoreg_entry_path(entry, reason, len), len - 1);
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	snprintf(reason + n, len - n, "%s%s: %pV", field ? "/" : "",
		 field ?: "", &vaf);
	va_end(args);
}

/* Declare @in, and its children, in the staging registry @stage. */
static int khoreg_import_entry(struct khoreg_import *imp,
			       struct khoreg_registry *stage,
			       struct khoreg_entry *parent,
			       const struct khoreg_in_entry *in, char *reason,
			       size_t len)
{
	const struct khoreg_in_entry *child;
	struct khoreg_import_schema *s;
	struct khoreg_entry *entry;
	unsigned int i;
	int err;

	s = kzalloc(struct_size(s, fields, in->nr_fields), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	list_add_tail(&s->list, &imp->schemas);
	s->schema.compatible = in->compatible;
	s->schema.version = in->version;
	s->schema.fields = s->fields;
	s->schema.nr_fields = in->nr_fields;
	for (i = 0; i < in->nr_fields; i++) {
		s->fields[i].name = in->fields[i].name;
		s->fields[i].type = in->fields[i].type;
		s->fields[i].count = in->fields[i].count;
	}
	entry = khoreg_entry_add(stage, parent, in->name, &s->schema, NULL,
				 NULL);
	if (IS_ERR(entry)) {
		snprintf(reason, len, "entry %s: cannot declare it (%ld)",
			 in->name, PTR_ERR(entry));
		return PTR_ERR(entry);
	}
	entry->imported = true;
	if (!parent)
		imp->tops[imp->nr_tops++] = entry;
	for (i = 0; i < in->nr_fields; i++) {
		const struct khoreg_in_field *fi = &in->fields[i];

		if (fi->type >= KHOREG_TYPE_RANGE) {
			khoreg_import_why(entry, fi->name, reason, len,
					  "a %s field refers to memory and cannot be imported",
					  khoreg_type_name(fi->type));
			return -EINVAL;
		}
		err = khoreg_import_value(entry, i, fi);
		if (err) {
			khoreg_import_why(entry, fi->name, reason, len,
					  "cannot set it (%d)", err);
			return err;
		}
	}
	err = khoreg_import_annotations(entry, in);
	if (err) {
		khoreg_import_why(entry, NULL, reason, len,
				  "cannot annotate it (%d)", err);
		return err;
	}
	list_for_each_entry(child, &in->children, sibling) {
		err = khoreg_import_entry(imp, stage, entry, child, reason, len);
		if (err)
			return err;
	}
	return 0;
}

/**
 * khoreg_import() - add the entries of an authored registry blob to a registry
 * @reg: the registry
 * @blob: a khoreg-registry-v1 blob
 * @size: its size
 * @reason: set to why on failure
 * @len: bytes at @reason
 *
 * Return: the import, to be freed with khoreg_import_free() once its
 * entries are removed; or an ERR_PTR(): -EINVAL if the blob has any
 * problem, no entry, or a memory field; -EEXIST if a top-level entry of
 * the blob is registered already; -EBUSY if @reg is frozen; -ENOSPC past
 * KHOREG_MAX_ENTRIES; -ENOMEM.
 */
struct khoreg_import *khoreg_import(struct khoreg_registry *reg,
				    const void *blob, size_t size,
				    char *reason, size_t len)
{
	struct khoreg_registry stage = {};
	const struct khoreg_in_entry *in;
	struct khoreg_entry *e, *tmp;
	struct khoreg_import *imp;
	char problem[128] = "";
	void *copy;
	int err;

	khoreg_registry_init(&stage);
	imp = kzalloc(sizeof(*imp), GFP_KERNEL);
	copy = kvmemdup(blob, size, GFP_KERNEL);
	if (!imp || !copy) {
		kfree(imp);
		kvfree(copy);
		snprintf(reason, len, "no memory for %zu bytes", size);
		return ERR_PTR(-ENOMEM);
	}
	INIT_LIST_HEAD(&imp->schemas);
	mutex_init(&imp->tree.lock);
	INIT_LIST_HEAD(&imp->tree.entries);
	err = khoreg_in_parse(&imp->tree, copy, size, problem,
			      sizeof(problem));
	if (err) {
		snprintf(reason, len, "%s", problem[0] ? problem : "cannot parse it");
		kvfree(copy);
		kfree(imp);
		return ERR_PTR(err);
	}
	err = -EINVAL;
	if (imp->tree.nr_problems) {
		snprintf(reason, len, "%u problem(s), the first: %s",
			 imp->tree.nr_problems, problem);
		goto free;
	}
	if (!imp->tree.nr_entries) {
		snprintf(reason, len, "the blob holds no entry");
		goto free;
	}

	imp->tops = kcalloc(list_count_nodes(&imp->tree.entries),
			    sizeof(*imp->tops), GFP_KERNEL);
	if (!imp->tops) {
		snprintf(reason, len, "no memory");
		err = -ENOMEM;
		goto free;
	}
	mutex_init(&stage.lock);
	init_rwsem(&stage.freeze_sem);
	list_for_each_entry(in, &imp->tree.entries, sibling) {
		err = khoreg_import_entry(imp, &stage, NULL, in, reason, len);
		if (err)
			break;
	}
	if (!err)
		err = khoreg_adopt(reg, &stage, reason, len);
	list_for_each_entry_safe(e, tmp, &stage.entries, sibling)
		khoreg_entry_remove(e);
	if (!err) {
		pr_info("imported %u entries from a %zu-byte blob\n",
			imp->tree.nr_entries, size);
		return imp;
	}
free:
	khoreg_import_free(imp);
	return ERR_PTR(err);
}

/* ---- /sys/kernel/kho/registry_import and registry_unimport ---- */

static DEFINE_MUTEX(khoreg_import_lock);	/* the state below */
static LIST_HEAD(khoreg_imports);	/* imports into khoreg_registry */
static unsigned int khoreg_nr_imports;	/* their number */
static u8 *khoreg_import_buf;		/* the blob being written */
static size_t khoreg_import_size;	/* its size, from its header */
static size_t khoreg_import_len;	/* bytes written so far */

static void khoreg_import_reset(void)
{
	kvfree(khoreg_import_buf);
	khoreg_import_buf = NULL;
	khoreg_import_size = 0;
	khoreg_import_len = 0;
}

/* Start a blob whose first @count bytes are @buf; a message on failure. */
static int khoreg_import_start(const char *buf, size_t count, char *reason,
			       size_t len)
{
	size_t size;

	if (count < sizeof(struct fdt_header) || fdt_magic(buf) != FDT_MAGIC) {
		snprintf(reason, len, "not an FDT");
		return -EINVAL;
	}
	size = fdt_totalsize(buf);
	if (size > KHOREG_IMPORT_MAX) {
		snprintf(reason, len, "the blob has %zu bytes, more than %u",
			 size, (unsigned int)KHOREG_IMPORT_MAX);
		return -EFBIG;
	}
	if (size < count) {
		snprintf(reason, len, "%zu bytes written, the FDT has %zu",
			 count, size);
		return -EINVAL;
	}
	khoreg_import_buf = kvmalloc(size, GFP_KERNEL);
	if (!khoreg_import_buf) {
		snprintf(reason, len, "no memory for %zu bytes", size);
		return -ENOMEM;
	}
	khoreg_import_size = size;
	return 0;
}

static ssize_t registry_import_write(struct file *file, struct kobject *kobj,
				     struct bin_attribute *attr, char *buf,
				     loff_t off, size_t count)
{
	char *reason __free(kfree) = kzalloc(KHO_REASON_LEN, GFP_KERNEL);
	struct khoreg_import *imp;
	int err = 0;

	if (!reason)
		return -ENOMEM;
	guard(mutex)(&khoreg_import_lock);
	if (!off) {
		khoreg_import_reset();
		if (!kho_is_enabled()) {
			snprintf(reason, KHO_REASON_LEN, "KHO is disabled");
			err = -EOPNOTSUPP;
		} else if (khoreg_nr_imports >= KHOREG_IMPORTS_MAX) {
			snprintf(reason, KHO_REASON_LEN,
				 "%u imports are pending, the most there may be",
				 khoreg_nr_imports);
			err = -ENOSPC;
		} else {
			err = khoreg_import_start(buf, count, reason,
						  KHO_REASON_LEN);
		}
	} else if (!khoreg_import_buf || off != khoreg_import_len) {
		snprintf(reason, KHO_REASON_LEN,
			 "write the blob in order from its first byte");
		err = -EINVAL;
	} else if (count > khoreg_import_size - khoreg_import_len) {
		snprintf(reason, KHO_REASON_LEN,
			 "more bytes written than the FDT's %zu",
			 khoreg_import_size);
		err = -EINVAL;
	}
	if (err)
		goto fail;
	memcpy(khoreg_import_buf + khoreg_import_len, buf, count);
	khoreg_import_len += count;
	if (khoreg_import_len < khoreg_import_size)
		return count;

	imp = khoreg_import(&khoreg_registry, khoreg_import_buf,
			    khoreg_import_size, reason, KHO_REASON_LEN);
	if (IS_ERR(imp)) {
		err = PTR_ERR(imp);
		goto fail;
	}
	list_add_tail(&imp->list, &khoreg_imports);
	khoreg_nr_imports++;
	khoreg_import_reset();
	return count;
fail:
	khoreg_import_reset();
	kho_set_error("registry import refused (%d): %s", err, reason);
	return err;
}

static struct bin_attribute khoreg_import_attr = {
	.attr = { .name = "registry_import", .mode = 0200 },
	.write = registry_import_write,
};

/* The pending import with a top-level entry @name, or NULL. */
static struct khoreg_import *khoreg_import_find(const char *name)
{
	struct khoreg_import *imp;
	unsigned int i;

	lockdep_assert_held(&khoreg_import_lock);
	list_for_each_entry(imp, &khoreg_imports, list)
		for (i = 0; i < imp->nr_tops; i++)
			if (!strcmp(imp->tops[i]->name, name))
				return imp;
	return NULL;
}

static ssize_t registry_unimport_store(struct kobject *kobj,
				       struct kobj_attribute *attr,
				       const char *buf, size_t count)
{
	char buf_name[KHOREG_NAME_MAX + 2];	/* a newline may follow */
	struct khoreg_import *imp;
	unsigned int nr_entries;
	char *name;
	int err;

	if (strscpy(buf_name, buf) < 0)
		return -EINVAL;
	name = strim(buf_name);
	guard(mutex)(&khoreg_import_lock);
	imp = khoreg_import_find(name);
	if (!imp)
		return -ENOENT;
	nr_entries = imp->tree.nr_entries;
	err = khoreg_entries_remove(&khoreg_registry, imp->tops, imp->nr_tops);
	if (err)
		return err;
	list_del(&imp->list);
	khoreg_nr_imports--;
	khoreg_import_free(imp);
	pr_info("removed the import of %s: %u entries\n", name, nr_entries);
	return count;
}

static struct kobj_attribute khoreg_unimport_attr =
	__ATTR_WO(registry_unimport);

static int __init khoreg_import_init(void)
{
	if (!kho_sysfs_out)
		return 0;
	return sysfs_create_bin_file(kho_sysfs_out, &khoreg_import_attr) ?:
	       sysfs_create_file(kho_sysfs_out, &khoreg_unimport_attr.attr);
}
late_initcall(khoreg_import_init);
