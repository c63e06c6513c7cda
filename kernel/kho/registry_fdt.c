// SPDX-License-Identifier: GPL-2.0-only
/*
 * khoreg: the writer of the registry sub-blob, "khoreg-registry-v1".
 *
 * A frozen registry is written as one FDT: a node per entry holding its
 * compatible, version, owner, field declarations, annotations and one
 * property per field (Documentation/kho/registry-abi.rst).
 *
 * Only the writer lives here: it reads a registry this kernel built and
 * trusts. The reader of an incoming blob, which trusts nothing, is in
 * registry_in.c, so the two never share a helper by accident.
 */

#define pr_fmt(fmt) "KHO registry: " fmt

#include <linux/libfdt.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"
#include "registry_internal.h"

static size_t khoreg_prop_size(size_t len)
{
	return sizeof(struct fdt_property) + ALIGN(len, FDT_TAGSIZE);
}

static const char *khoreg_owner_name(const struct khoreg_entry *entry)
{
	const char *name = entry->owner ? module_name(entry->owner) : NULL;

	if (!name || !khoreg_name_valid(name, strlen(name)))
		return NULL;
	return name;
}

/* Bytes of the khoreg,fields string list of @entry; 0 if it is empty. */
static size_t khoreg_decls_len(const struct khoreg_entry *entry)
{
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < entry->schema->nr_fields; i++) {
		const struct khoreg_out_field *f = entry->fields[i];

		if (f->set)
			len += khoreg_decl_snprintf(NULL, 0, f->decl->name,
						    f->decl->type,
						    f->decl->count) + 1;
	}
	return len;
}

static size_t khoreg_annotations_len(const struct khoreg_entry *entry)
{
	const struct khoreg_annotation *a;
	size_t len = 0;

	list_for_each_entry(a, &entry->annotations, list)
		len += strlen(a->text) + 1;
	return len;
}

/* Bytes of the nodes of @entries and their descendants. */
static size_t khoreg_fdt_nodes_size(const struct list_head *entries)
{
	const struct khoreg_entry *e;
	const char *owner;
	unsigned int i;
	size_t size = 0;

	list_for_each_entry(e, entries, sibling) {
		size += 2 * FDT_TAGSIZE + ALIGN(strlen(e->name) + 1, FDT_TAGSIZE);
		size += khoreg_prop_size(strlen(e->schema->compatible) + 1);
		size += khoreg_prop_size(sizeof(u32));
		owner = khoreg_owner_name(e);
		if (owner)
			size += khoreg_prop_size(strlen(owner) + 1);
		size += khoreg_prop_size(khoreg_decls_len(e));
		if (e->nr_annotations)
			size += khoreg_prop_size(khoreg_annotations_len(e));
		for (i = 0; i < e->schema->nr_fields; i++) {
			const struct khoreg_out_field *f = e->fields[i];

			if (f->set)
				size += khoreg_prop_size(f->size) +
					strlen(f->decl->name) + 1;
		}
		/* At most KHOREG_MAX_DEPTH levels deep. */
		size += khoreg_fdt_nodes_size(&e->children);
	}
	return size;
}

/**
 * khoreg_fdt_size() - room needed for the sub-blob of a frozen registry
 * @reg: the registry, its lock held
 *
 * Return: an upper bound of the blob's size in bytes.
 */
size_t khoreg_fdt_size(struct khoreg_registry *reg)
{
	lockdep_assert_held(&reg->lock);
	/* Header, its alignment, the reservation map, root node, FDT_END. */
	return sizeof(struct fdt_header) + 8 +
	       sizeof(struct fdt_reserve_entry) + 4 * FDT_TAGSIZE +
	       khoreg_prop_size(sizeof(KHOREG_COMPATIBLE)) +
	       khoreg_prop_size(sizeof(u32)) +
	       sizeof("compatible") + sizeof(KHOREG_PROP_NR_ENTRIES) +
	       sizeof(KHOREG_PROP_VERSION) + sizeof(KHOREG_PROP_OWNER) +
	       sizeof(KHOREG_PROP_FIELDS) + sizeof(KHOREG_PROP_ANNOTATIONS) +
	       khoreg_fdt_nodes_size(&reg->entries);
}

/* Write khoreg,fields: the declaration of every field that has a value. */
static int khoreg_fdt_decls(void *fdt, const struct khoreg_entry *entry)
{
	size_t len = khoreg_decls_len(entry), at = 0;
	unsigned int i;
	char *p;
	int err;

	err = fdt_property_placeholder(fdt, KHOREG_PROP_FIELDS, len,
				       (void **)&p);
	if (err)
		return err;
	for (i = 0; i < entry->schema->nr_fields; i++) {
		const struct khoreg_out_field *f = entry->fields[i];

		if (f->set)
			at += khoreg_decl_snprintf(p + at, len - at,
						   f->decl->name, f->decl->type,
						   f->decl->count) + 1;
	}
	return 0;
}

static int khoreg_fdt_annotations(void *fdt, const struct khoreg_entry *entry)
{
	const struct khoreg_annotation *a;
	size_t at = 0, n;
	char *p;
	int err;

	if (!entry->nr_annotations)
		return 0;
	err = fdt_property_placeholder(fdt, KHOREG_PROP_ANNOTATIONS,
				       khoreg_annotations_len(entry),
				       (void **)&p);
	if (err)
		return err;
	list_for_each_entry(a, &entry->annotations, list) {
		n = strlen(a->text) + 1;
		memcpy(p + at, a->text, n);
		at += n;
	}
	return 0;
}

static int khoreg_fdt_entry(void *fdt, struct khoreg_entry *entry)
{
	const char *owner = khoreg_owner_name(entry);
	struct khoreg_entry *child;
	unsigned long flags;
	unsigned int i;
	int err;

	err = fdt_begin_node(fdt, entry->name);
	err = err ?: fdt_property_string(fdt, "compatible",
					 entry->schema->compatible);
	err = err ?: fdt_property_u32(fdt, KHOREG_PROP_VERSION,
				      entry->schema->version);
	if (owner)
		err = err ?: fdt_property_string(fdt, KHOREG_PROP_OWNER, owner);
	err = err ?: khoreg_fdt_decls(fdt, entry);
	if (err)
		return err;
	/* Frozen, but a setter that saw the registry unfrozen may still run. */
	spin_lock_irqsave(&entry->lock, flags);
	err = khoreg_fdt_annotations(fdt, entry);
	for (i = 0; i < entry->schema->nr_fields && !err; i++) {
		const struct khoreg_out_field *f = entry->fields[i];

		if (f->set)
			err = fdt_property(fdt, f->decl->name, f->val, f->size);
	}
	spin_unlock_irqrestore(&entry->lock, flags);
	list_for_each_entry(child, &entry->children, sibling)
		err = err ?: khoreg_fdt_entry(fdt, child);
	return err ?: fdt_end_node(fdt);
}

/**
 * khoreg_fdt_build() - write the sub-blob of a frozen registry
 * @reg: the registry, its lock held
 * @buf: where to write it
 * @size: bytes at @buf, khoreg_fdt_size() or more
 *
 * Return: 0, -ENOSPC if @buf is too small, or -EINVAL.
 */
int khoreg_fdt_build(struct khoreg_registry *reg, void *buf, size_t size)
{
	struct khoreg_entry *entry;
	int err;

	lockdep_assert_held(&reg->lock);
	err = fdt_create(buf, size);
	err = err ?: fdt_finish_reservemap(buf);
	err = err ?: fdt_begin_node(buf, "");
	err = err ?: fdt_property_string(buf, "compatible", KHOREG_COMPATIBLE);
	err = err ?: fdt_property_u32(buf, KHOREG_PROP_NR_ENTRIES,
				      reg->nr_entries);
	list_for_each_entry(entry, &reg->entries, sibling)
		err = err ?: khoreg_fdt_entry(buf, entry);
	err = err ?: fdt_end_node(buf);
	err = err ?: fdt_finish(buf);
	if (err == -FDT_ERR_NOSPACE)
		return -ENOSPC;
	return err ? -EINVAL : 0;
}

