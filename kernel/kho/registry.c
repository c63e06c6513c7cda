// SPDX-License-Identifier: GPL-2.0-only
/*
 * khoreg: the typed state registry of Kexec HandOver, outgoing.
 *
 * Drivers declare entries (a name, a schema with typed fields and an owner
 * module) and set their fields while running; BPF programs and tools
 * annotate them and validators check them. At finalize the registry runs
 * the entries' serialize() callbacks, freezes every value, runs the
 * validators and has registry_fdt.c write the "khoreg-registry-v1"
 * sub-blob of the handover.
 *
 * This file is the model only. The rules of values are in
 * registry_value.c, what the previous kernel handed over is in
 * registry_in.c, and the presentations (sysfs, BPF iterators) learn of
 * entries through a &struct khoreg_observer instead of being called.
 *
 * Locking is described at &struct khoreg_registry: registration and finalize
 * are serialized by a mutex, values by a spinlock per entry. From the
 * start of finalize only the finalizing task (running the serialize()
 * callbacks) may change the registry, and once it is frozen every change
 * is refused with -EBUSY until the handover is aborted.
 */

#define pr_fmt(fmt) "KHO registry: " fmt

#include <linux/io.h>
#include <linux/kho.h>
#include <linux/ktime.h>
#include <linux/libfdt.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <linux/vmalloc.h>

#include "internal.h"
#include "registry_internal.h"

struct khoreg_registry khoreg_registry = {
	.lock = __MUTEX_INITIALIZER(khoreg_registry.lock),
	.freeze_sem = __RWSEM_INITIALIZER(khoreg_registry.freeze_sem),
	.outgoing = true,
	.entries = LIST_HEAD_INIT(khoreg_registry.entries),
	.validators = LIST_HEAD_INIT(khoreg_registry.validators),
	.cursors = LIST_HEAD_INIT(khoreg_registry.cursors),
};

/*
 * Are changes to @reg refused: is it frozen, or is the handover it goes
 * with being finalized by another task?
 */
static bool khoreg_closed(const struct khoreg_registry *reg)
{
	return READ_ONCE(reg->frozen) || (reg->outgoing && !kho_out_may_change());
}

/* ---- declaring entries ---- */

static int khoreg_schema_check(const struct khoreg_schema *schema)
{
	unsigned int i, j;

	if (!schema->compatible ||
	    !khoreg_compatible_valid(schema->compatible,
				     strnlen(schema->compatible,
					     KHOREG_COMPAT_MAX + 1)) ||
	    schema->min_version > schema->version ||
	    schema->nr_fields > KHOREG_MAX_FIELDS ||
	    (schema->nr_fields && !schema->fields))
		return -EINVAL;
	for (i = 0; i < schema->nr_fields; i++) {
		const struct khoreg_field *f = &schema->fields[i];
		size_t len = f->name ? strnlen(f->name, KHOREG_NAME_MAX + 1) : 0;

		if (!khoreg_name_valid(f->name, len) ||
		    !strcmp(f->name, "compatible") ||
		    (unsigned int)f->type >= KHOREG_TYPE_NR ||
		    f->count > KHOREG_ARRAY_MAX ||
		    (f->count && !khoreg_type_scalar(f->type)))
			return -EINVAL;
		if (f->type == KHOREG_TYPE_STRING &&
		    (f->max_size == 1 || f->max_size > KHOREG_STRING_MAX))
			return -EINVAL;
		if (f->type == KHOREG_TYPE_BYTES && f->max_size > KHOREG_BYTES_MAX)
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (!strcmp(schema->fields[j].name, f->name))
				return -EINVAL;
	}
	return 0;
}

static void khoreg_mem_release(enum khoreg_type type, struct khoreg_mem *mem)
{
	switch (type) {
	case KHOREG_TYPE_RANGE:
		kho_unpreserve_pages(mem->page, mem->nr_pages);
		break;
	case KHOREG_TYPE_FOLIO:
		kho_unpreserve_folio(mem->folio);
		break;
	case KHOREG_TYPE_VMALLOC:
		kho_unpreserve_vmalloc(mem->vm);
		kho_unpreserve_free(mem->vm);
		break;
	default:
		break;
	}
}

static void khoreg_entry_free(struct khoreg_entry *entry)
{
	struct khoreg_annotation *a, *tmp;
	unsigned int i;

	for (i = 0; i < entry->schema->nr_fields; i++) {
		struct khoreg_out_field *f = entry->fields[i];

		if (!f)
			continue;
		if (f->set)
			khoreg_mem_release(f->decl->type, &f->mem);
		if (f->val != f->fixed)
			kfree(f->val);
		kfree(f);
	}
	list_for_each_entry_safe(a, tmp, &entry->annotations, list)
		kfree(a);
	kfree(entry);
}

static struct khoreg_out_field *khoreg_field_alloc(const struct khoreg_field *decl)
{
	unsigned int size = khoreg_type_size(decl->type);
	struct khoreg_out_field *f;
	size_t fixed;

	fixed = max_t(size_t, KHOREG_FIXED_MAX,
		      (size_t)size * (decl->count ? decl->count : 1));
	f = kzalloc(struct_size(f, fixed, fixed), GFP_KERNEL);
	if (!f)
		return NULL;
	f->decl = decl;
	f->val = f->fixed;
	switch (decl->type) {
	case KHOREG_TYPE_STRING:
		/* The empty string until set. */
		f->size = 1;
		break;
	case KHOREG_TYPE_BYTES:
		break;
	case KHOREG_TYPE_RANGE:
	case KHOREG_TYPE_FOLIO:
	case KHOREG_TYPE_VMALLOC:
		f->size = size;
		return f;
	default:
		f->size = size * (decl->count ? decl->count : 1);
		break;
	}
	f->set = true;
	return f;
}

/* The entry named @name among @siblings, or NULL. */
static struct khoreg_entry *khoreg_name_taken(struct list_head *siblings,
					      const char *name)
{
	struct khoreg_entry *e;

	list_for_each_entry(e, siblings, sibling)
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}

/**
 * khoreg_registry_init() - set up an empty registry
 * @reg: the registry, zeroed
 */
void khoreg_registry_init(struct khoreg_registry *reg)
{
	mutex_init(&reg->lock);
	init_rwsem(&reg->freeze_sem);
	INIT_LIST_HEAD(&reg->entries);
	INIT_LIST_HEAD(&reg->validators);
	INIT_LIST_HEAD(&reg->cursors);
}

/**
 * khoreg_entry_add() - declare an entry in a registry
 * @reg: the registry
 * @parent: parent entry or NULL
 * @name: entry name
 * @schema: its schema
 * @owner: owner module, NULL for built-in code
 * @priv: argument of the schema callbacks
 *
 * Return: the entry or an ERR_PTR(), see khoreg_register().
 */
struct khoreg_entry *khoreg_entry_add(struct khoreg_registry *reg,
				      struct khoreg_entry *parent,
				      const char *name,
				      const struct khoreg_schema *schema,
				      struct module *owner, void *priv)
{
	struct khoreg_entry *entry, *taken = NULL;
	struct list_head *siblings;
	unsigned int i;
	int err = 0;

	if (!name || !schema ||
	    !khoreg_name_valid(name, strnlen(name, KHOREG_NAME_MAX + 1)) ||
	    khoreg_schema_check(schema))
		return ERR_PTR(-EINVAL);
	if (IS_ERR(parent) ||
	    (parent && (parent->reg != reg || parent->depth >= KHOREG_MAX_DEPTH)))
		return ERR_PTR(-EINVAL);

	entry = kzalloc(struct_size(entry, fields, schema->nr_fields),
			GFP_KERNEL);
	if (!entry)
		return ERR_PTR(-ENOMEM);
	entry->reg = reg;
	entry->parent = parent;
	entry->schema = schema;
	entry->owner = owner;
	entry->priv = priv;
	entry->depth = parent ? parent->depth + 1 : 1;
	spin_lock_init(&entry->lock);
	INIT_LIST_HEAD(&entry->children);
	INIT_LIST_HEAD(&entry->annotations);
	strscpy(entry->name, name);
	for (i = 0; i < schema->nr_fields; i++) {
		entry->fields[i] = khoreg_field_alloc(&schema->fields[i]);
		if (!entry->fields[i]) {
			err = -ENOMEM;
			goto free;
		}
	}

	mutex_lock(&reg->lock);
	siblings = parent ? &parent->children : &reg->entries;
	if (khoreg_closed(reg))
		err = -EBUSY;
	else if (reg->nr_entries >= KHOREG_MAX_ENTRIES)
		err = -ENOSPC;
	else
		taken = khoreg_name_taken(siblings, name);
	if (taken)
		err = -EEXIST;
	if (!err) {
		list_add_tail(&entry->sibling, siblings);
		reg->nr_entries++;
		if (reg->observer)
			reg->observer->add(entry);
	}
	if (taken && reg == &khoreg_registry)
		pr_warn("cannot register entry %s: the name is taken%s\n", name,
			taken->imported ?
			" by an import (see /sys/kernel/kho/registry_unimport)" :
			"");
	mutex_unlock(&reg->lock);
	if (!err)
		return entry;
free:
	khoreg_entry_free(entry);
	return ERR_PTR(err);
}

/* The entry after @entry and its descendants in khoreg_entry_next()'s walk. */
static struct khoreg_entry *khoreg_entry_skip(struct khoreg_registry *reg,
					      struct khoreg_entry *entry)
{
	for (; entry; entry = entry->parent) {
		struct list_head *siblings = entry->parent ?
			&entry->parent->children : &reg->entries;

		if (!list_is_last(&entry->sibling, siblings))
			return list_next_entry(entry, sibling);
	}
	return NULL;
}

/* Move the cursors at @entry or below it past it, before it goes. */
static void khoreg_cursors_move(struct khoreg_entry *entry)
{
	struct khoreg_cursor *c;
	struct khoreg_entry *e;

	list_for_each_entry(c, &entry->reg->cursors, list) {
		for (e = c->entry; e; e = e->parent)
			if (e == entry)
				break;
		if (e) {
			c->entry = khoreg_entry_skip(entry->reg, entry);
			c->sub = 0;
		}
	}
}

static void khoreg_entry_remove_locked(struct khoreg_entry *entry)
{
	struct khoreg_entry *child, *tmp;

	khoreg_cursors_move(entry);
	list_for_each_entry_safe_reverse(child, tmp, &entry->children, sibling)
		khoreg_entry_remove_locked(child);
	if (entry->reg->observer)
		entry->reg->observer->remove(entry);
	list_del(&entry->sibling);
	entry->reg->nr_entries--;
	khoreg_entry_free(entry);
}

/**
 * khoreg_entry_remove() - remove an entry and its children from a registry
 * @entry: the entry
 *
 * Return: 0, or -EBUSY while the registry is frozen or another task
 * finalizes the handover.
 */
int khoreg_entry_remove(struct khoreg_entry *entry)
{
	struct khoreg_registry *reg = entry->reg;

	guard(mutex)(&reg->lock);
	if (khoreg_closed(reg))
		return -EBUSY;
	khoreg_entry_remove_locked(entry);
	return 0;
}

/**
 * khoreg_entries_remove() - remove entries of a registry, all or none
 * @reg: the registry
 * @entries: the entries, each with its children
 * @nr: their number
 *
 * Return: 0, or -EBUSY while the registry is frozen.
 */
int khoreg_entries_remove(struct khoreg_registry *reg,
			  struct khoreg_entry **entries, unsigned int nr)
{
	unsigned int i;

	guard(mutex)(&reg->lock);
	if (reg->frozen)
		return -EBUSY;
	for (i = 0; i < nr; i++)
		khoreg_entry_remove_locked(entries[i]);
	return 0;
}

/**
 * __khoreg_register() - declare an entry; use khoreg_register()
 * @parent: parent entry or NULL
 * @name: entry name
 * @schema: its schema
 * @owner: owner module
 * @priv: argument of the schema callbacks
 *
 * Return: see khoreg_register().
 */
struct khoreg_entry *__khoreg_register(struct khoreg_entry *parent,
				       const char *name,
				       const struct khoreg_schema *schema,
				       struct module *owner, void *priv)
{
	return khoreg_entry_add(&khoreg_registry, parent, name, schema, owner,
				priv);
}
EXPORT_SYMBOL_GPL(__khoreg_register);

/**
 * khoreg_unregister() - take an entry, and its children, out of the registry
 * @entry: the entry; NULL or an ERR_PTR() are ignored
 *
 * Memory preserved through the entry's range, folio and vmalloc fields is
 * unpreserved; the caller still owns and frees it.
 *
 * Return: 0, or -EBUSY while the handover is finalized.
 */
int khoreg_unregister(struct khoreg_entry *entry)
{
	if (IS_ERR_OR_NULL(entry))
		return 0;
	return khoreg_entry_remove(entry);
}
EXPORT_SYMBOL_GPL(khoreg_unregister);

/**
 * khoreg_entry_next() - walk a registry's entries, parents first
 * @reg: the registry, its lock held
 * @entry: the previous entry, NULL to start
 *
 * Return: the next entry, or NULL after the last one.
 */
struct khoreg_entry *khoreg_entry_next(struct khoreg_registry *reg,
				       struct khoreg_entry *entry)
{
	lockdep_assert_held(&reg->lock);
	if (!entry)
		return list_first_entry_or_null(&reg->entries,
						struct khoreg_entry, sibling);
	if (!list_empty(&entry->children))
		return list_first_entry(&entry->children, struct khoreg_entry,
					sibling);
	return khoreg_entry_skip(reg, entry);
}

/**
 * khoreg_cursor_add() - keep a position in a registry's walk
 * @reg: the registry, its lock held
 * @c: the cursor, its entry NULL or one of @reg's
 */
void khoreg_cursor_add(struct khoreg_registry *reg, struct khoreg_cursor *c)
{
	lockdep_assert_held(&reg->lock);
	list_add(&c->list, &reg->cursors);
}

/**
 * khoreg_cursor_del() - forget a cursor
 * @reg: the registry, its lock held
 * @c: a cursor added with khoreg_cursor_add()
 */
void khoreg_cursor_del(struct khoreg_registry *reg, struct khoreg_cursor *c)
{
	lockdep_assert_held(&reg->lock);
	list_del(&c->list);
}

/**
 * khoreg_observe() - tell an observer about every entry, now and later
 * @reg: the registry
 * @obs: the observer; called with @reg's lock held for every entry there
 *	is now, parents first, and then for every entry added or removed
 *
 * The registry keeps no presentation of its own: its sysfs tree
 * (registry_sysfs.c) is such an observer.
 */
void khoreg_observe(struct khoreg_registry *reg,
		    const struct khoreg_observer *obs)
{
	struct khoreg_entry *e = NULL;

	guard(mutex)(&reg->lock);
	while ((e = khoreg_entry_next(reg, e)))
		obs->add(e);
	reg->observer = obs;
}

/**
 * khoreg_adopt() - move every entry of a staging registry into a registry
 * @reg: the registry
 * @stage: a registry nobody else uses, its entries having no owner module
 * @reason: set to why on failure
 * @len: bytes at @reason
 *
 * The entries move all or none: a top-level name @reg has already refuses
 * them.
 *
 * Return: 0; -EBUSY if @reg is frozen; -ENOSPC past KHOREG_MAX_ENTRIES;
 * -EEXIST if a top-level name is taken.
 */
int khoreg_adopt(struct khoreg_registry *reg, struct khoreg_registry *stage,
		 char *reason, size_t len)
{
	struct khoreg_entry *e, *first;

	guard(mutex)(&reg->lock);
	if (khoreg_closed(reg)) {
		snprintf(reason, len, "the handover is finalized");
		return -EBUSY;
	}
	if (reg->nr_entries + stage->nr_entries > KHOREG_MAX_ENTRIES) {
		snprintf(reason, len, "more than %u entries", KHOREG_MAX_ENTRIES);
		return -ENOSPC;
	}
	list_for_each_entry(e, &stage->entries, sibling) {
		if (khoreg_name_taken(&reg->entries, e->name)) {
			snprintf(reason, len, "entry %s exists", e->name);
			return -EEXIST;
		}
	}
	guard(mutex)(&stage->lock);
	first = list_first_entry(&stage->entries, struct khoreg_entry, sibling);
	for (e = NULL; (e = khoreg_entry_next(stage, e));)
		e->reg = reg;
	list_splice_tail_init(&stage->entries, &reg->entries);
	reg->nr_entries += stage->nr_entries;
	stage->nr_entries = 0;
	for (e = first; reg->observer && e; e = khoreg_entry_next(reg, e))
		reg->observer->add(e);
	return 0;
}

/* ---- setting values ---- */

/* The field @name of @entry, or ERR_PTR(-EINVAL / -ENOENT). */
static struct khoreg_out_field *khoreg_field_find(struct khoreg_entry *entry,
						  const char *name)
{
	unsigned int i;

	if (IS_ERR_OR_NULL(entry) || !name)
		return ERR_PTR(-EINVAL);
	for (i = 0; i < entry->schema->nr_fields; i++)
		if (!strcmp(entry->fields[i]->decl->name, name))
			return entry->fields[i];
	return ERR_PTR(-ENOENT);
}

/* As khoreg_field_find(), and -EINVAL if the field is not of @type. */
static struct khoreg_out_field *khoreg_field(struct khoreg_entry *entry,
					     const char *name,
					     enum khoreg_type type)
{
	struct khoreg_out_field *f = khoreg_field_find(entry, name);

	if (!IS_ERR(f) && f->decl->type != type)
		return ERR_PTR(-EINVAL);
	return f;
}

static int khoreg_set_scalar(struct khoreg_entry *entry, const char *name,
			     enum khoreg_type type, u64 v)
{
	struct khoreg_out_field *f = khoreg_field(entry, name, type);
	unsigned long flags;
	int err = 0;

	if (IS_ERR(f))
		return PTR_ERR(f);
	if (f->decl->count)
		return -EINVAL;
	spin_lock_irqsave(&entry->lock, flags);
	if (khoreg_closed(entry->reg))
		err = -EBUSY;
	else
		khoreg_write_elem(type, f->val, v);
	spin_unlock_irqrestore(&entry->lock, flags);
	return err;
}

/**
 * khoreg_set_u8() - set a u8 field
 * @entry: the entry
 * @field: field name
 * @val: the value
 *
 * The scalar and array setters do not sleep and may be called in any
 * context.
 *
 * Return: 0; -ENOENT if there is no such field; -EINVAL if it has another
 * type; -EBUSY while the handover is finalized.
 */
int khoreg_set_u8(struct khoreg_entry *entry, const char *field, u8 val)
{
	return khoreg_set_scalar(entry, field, KHOREG_TYPE_U8, val);
}
EXPORT_SYMBOL_GPL(khoreg_set_u8);

/**
 * khoreg_set_u16() - set a u16 field
 * @entry: the entry
 * @field: field name
 * @val: the value
 *
 * Return: as khoreg_set_u8().
 */
int khoreg_set_u16(struct khoreg_entry *entry, const char *field, u16 val)
{
	return khoreg_set_scalar(entry, field, KHOREG_TYPE_U16, val);
}
EXPORT_SYMBOL_GPL(khoreg_set_u16);

/**
 * khoreg_set_u32() - set a u32 field
 * @entry: the entry
 * @field: field name
 * @val: the value
 *
 * Return: as khoreg_set_u8().
 */
int khoreg_set_u32(struct khoreg_entry *entry, const char *field, u32 val)
{
	return khoreg_set_scalar(entry, field, KHOREG_TYPE_U32, val);
}
EXPORT_SYMBOL_GPL(khoreg_set_u32);

/**
 * khoreg_set_u64() - set a u64 field
 * @entry: the entry
 * @field: field name
 * @val: the value
 *
 * Return: as khoreg_set_u8().
 */
int khoreg_set_u64(struct khoreg_entry *entry, const char *field, u64 val)
{
	return khoreg_set_scalar(entry, field, KHOREG_TYPE_U64, val);
}
EXPORT_SYMBOL_GPL(khoreg_set_u64);

/**
 * khoreg_set_s64() - set an s64 field
 * @entry: the entry
 * @field: field name
 * @val: the value
 *
 * Return: as khoreg_set_u8().
 */
int khoreg_set_s64(struct khoreg_entry *entry, const char *field, s64 val)
{
	return khoreg_set_scalar(entry, field, KHOREG_TYPE_S64, val);
}
EXPORT_SYMBOL_GPL(khoreg_set_s64);

/**
 * khoreg_set_bool() - set a bool field
 * @entry: the entry
 * @field: field name
 * @val: the value
 *
 * Return: as khoreg_set_u8().
 */
int khoreg_set_bool(struct khoreg_entry *entry, const char *field, bool val)
{
	return khoreg_set_scalar(entry, field, KHOREG_TYPE_BOOL, val);
}
EXPORT_SYMBOL_GPL(khoreg_set_bool);

/**
 * khoreg_set_array() - set every element of an array field
 * @entry: the entry
 * @field: field name
 * @vals: a C array of the element type (u8, u16, u32, u64, s64 or bool)
 * @count: its number of elements, exactly as declared
 *
 * Return: as khoreg_set_u8(); -EOVERFLOW if @count is not the declared
 * number of elements; -EINVAL if the field is not an array.
 */
int khoreg_set_array(struct khoreg_entry *entry, const char *field,
		     const void *vals, unsigned int count)
{
	struct khoreg_out_field *f = khoreg_field_find(entry, field);
	enum khoreg_type type;
	unsigned long flags;
	unsigned int i, size;
	int err = 0;

	if (IS_ERR(f))
		return PTR_ERR(f);
	type = f->decl->type;
	if (!f->decl->count)
		return -EINVAL;
	if (count != f->decl->count)
		return -EOVERFLOW;
	size = khoreg_type_size(type);
	spin_lock_irqsave(&entry->lock, flags);
	if (khoreg_closed(entry->reg))
		err = -EBUSY;
	else
		for (i = 0; i < count; i++)
			khoreg_write_elem(type, f->val + i * size,
					  khoreg_native_elem(type, vals, i));
	spin_unlock_irqrestore(&entry->lock, flags);
	return err;
}
EXPORT_SYMBOL_GPL(khoreg_set_array);

/* Replace a variable-length value by @buf (@len bytes, kmalloc()ed). */
static int khoreg_set_buf(struct khoreg_entry *entry,
			  struct khoreg_out_field *f, u8 *buf, u32 len)
{
	unsigned long flags;
	int err = 0;

	spin_lock_irqsave(&entry->lock, flags);
	if (khoreg_closed(entry->reg)) {
		err = -EBUSY;
	} else {
		swap(f->val, buf);
		f->size = len;
	}
	spin_unlock_irqrestore(&entry->lock, flags);
	if (buf != f->fixed)
		kfree(buf);
	return err;
}

/**
 * khoreg_set_string() - set a string field
 * @entry: the entry
 * @field: field name
 * @str: the string; no control characters but tab and newline
 *
 * The setters of strings, bytes and memory may sleep.
 *
 * Return: as khoreg_set_u8(); -EOVERFLOW if @str does not fit the declared
 * size; -EINVAL for a character strings may not hold; -ENOMEM.
 */
int khoreg_set_string(struct khoreg_entry *entry, const char *field,
		      const char *str)
{
	struct khoreg_out_field *f = khoreg_field(entry, field,
						  KHOREG_TYPE_STRING);
	size_t len, max;
	u8 *buf;

	might_sleep();
	if (IS_ERR(f))
		return PTR_ERR(f);
	max = f->decl->max_size ?: KHOREG_STRING_MAX;
	len = strnlen(str, max);
	if (len == max)
		return -EOVERFLOW;
	if (!khoreg_text_valid(str, len))
		return -EINVAL;
	buf = kmemdup(str, len + 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	return khoreg_set_buf(entry, f, buf, len + 1);
}
EXPORT_SYMBOL_GPL(khoreg_set_string);

/**
 * khoreg_set_bytes() - set a bytes field
 * @entry: the entry
 * @field: field name
 * @data: the bytes
 * @len: how many, at most the declared size
 *
 * Return: as khoreg_set_string().
 */
int khoreg_set_bytes(struct khoreg_entry *entry, const char *field,
		     const void *data, size_t len)
{
	struct khoreg_out_field *f = khoreg_field(entry, field,
						  KHOREG_TYPE_BYTES);
	u8 *buf = NULL;

	might_sleep();
	if (IS_ERR(f))
		return PTR_ERR(f);
	if (len > (f->decl->max_size ?: KHOREG_BYTES_MAX))
		return -EOVERFLOW;
	if (len) {
		buf = kmemdup(data, len, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
	}
	return khoreg_set_buf(entry, f, buf, len);
}
EXPORT_SYMBOL_GPL(khoreg_set_bytes);

/*
 * Memory fields. Preserving memory races with finalize, so a change holds
 * freeze_sem for reading from before the new memory is preserved until the
 * old one is unpreserved.
 */
static struct khoreg_out_field *khoreg_mem_begin(struct khoreg_entry *entry,
						 const char *name,
						 enum khoreg_type type)
{
	struct khoreg_out_field *f = khoreg_field(entry, name, type);

	might_sleep();
	if (IS_ERR(f))
		return f;
	down_read(&entry->reg->freeze_sem);
	if (khoreg_closed(entry->reg)) {
		up_read(&entry->reg->freeze_sem);
		return ERR_PTR(-EBUSY);
	}
	return f;
}

/* Install @mem (NULL to clear) with wire encoding @wire, end the change. */
static void khoreg_mem_end(struct khoreg_entry *entry,
			   struct khoreg_out_field *f,
			   const struct khoreg_mem *mem, const u8 *wire)
{
	struct khoreg_mem old;
	unsigned long flags;
	bool was_set;

	/* Setters of one field may race: each releases what it replaced. */
	spin_lock_irqsave(&entry->lock, flags);
	old = f->mem;
	was_set = f->set;
	f->set = mem;
	if (mem) {
		f->mem = *mem;
		memcpy(f->fixed, wire, f->size);
	}
	spin_unlock_irqrestore(&entry->lock, flags);
	if (was_set)
		khoreg_mem_release(f->decl->type, &old);
	up_read(&entry->reg->freeze_sem);
}

/**
 * khoreg_set_pages() - preserve a page range and record it in a range field
 * @entry: the entry
 * @field: field name
 * @page: first page of the range
 * @nr_pages: number of pages
 *
 * The pages are preserved with kho_preserve_pages() for as long as the
 * field holds them: setting the field again, khoreg_clear() or unregistering
 * the entry unpreserves them. The caller keeps owning the memory.
 *
 * Return: as khoreg_set_string(), or the error of kho_preserve_pages().
 */
int khoreg_set_pages(struct khoreg_entry *entry, const char *field,
		     struct page *page, unsigned long nr_pages)
{
	struct khoreg_mem mem = { .page = page, .nr_pages = nr_pages };
	struct khoreg_out_field *f;
	u8 wire[KHOREG_RANGE_SIZE];
	int err;

	f = khoreg_mem_begin(entry, field, KHOREG_TYPE_RANGE);
	if (IS_ERR(f))
		return PTR_ERR(f);
	err = nr_pages ? kho_preserve_pages(page, nr_pages) : -EINVAL;
	if (err) {
		up_read(&entry->reg->freeze_sem);
		return err;
	}
	put_unaligned_be64(page_to_phys(page), wire);
	put_unaligned_be64((u64)nr_pages << PAGE_SHIFT, wire + 8);
	khoreg_mem_end(entry, f, &mem, wire);
	return 0;
}
EXPORT_SYMBOL_GPL(khoreg_set_pages);

/**
 * khoreg_set_folio() - preserve a folio and record it in a folio field
 * @entry: the entry
 * @field: field name
 * @folio: the folio
 *
 * As khoreg_set_pages(), with kho_preserve_folio().
 *
 * Return: as khoreg_set_pages().
 */
int khoreg_set_folio(struct khoreg_entry *entry, const char *field,
		     struct folio *folio)
{
	struct khoreg_mem mem = { .folio = folio };
	struct khoreg_out_field *f;
	u8 wire[KHOREG_FOLIO_SIZE];
	int err;

	f = khoreg_mem_begin(entry, field, KHOREG_TYPE_FOLIO);
	if (IS_ERR(f))
		return PTR_ERR(f);
	err = kho_preserve_folio(folio);
	if (err) {
		up_read(&entry->reg->freeze_sem);
		return err;
	}
	put_unaligned_be64(PFN_PHYS(folio_pfn(folio)), wire);
	put_unaligned_be32(folio_order(folio), wire + 8);
	khoreg_mem_end(entry, f, &mem, wire);
	return 0;
}
EXPORT_SYMBOL_GPL(khoreg_set_folio);

/**
 * khoreg_set_vmalloc() - preserve a vmalloc() area and record it
 * @entry: the entry
 * @field: field name of type vmalloc
 * @ptr: start of the area, as returned by vmalloc()
 *
 * As khoreg_set_pages(), with kho_preserve_vmalloc(); the registry keeps
 * the area's descriptor in a preserved page of its own.
 *
 * Return: as khoreg_set_pages().
 */
int khoreg_set_vmalloc(struct khoreg_entry *entry, const char *field,
		       void *ptr)
{
	struct khoreg_out_field *f;
	u8 wire[KHOREG_VMALLOC_SIZE];
	struct khoreg_mem mem;
	int err;

	f = khoreg_mem_begin(entry, field, KHOREG_TYPE_VMALLOC);
	if (IS_ERR(f))
		return PTR_ERR(f);
	mem.vm = kho_alloc_preserve(sizeof(*mem.vm));
	err = PTR_ERR_OR_ZERO(mem.vm);
	if (!err) {
		err = kho_preserve_vmalloc(ptr, mem.vm);
		if (err)
			kho_unpreserve_free(mem.vm);
	}
	if (err) {
		up_read(&entry->reg->freeze_sem);
		return err;
	}
	put_unaligned_be64(virt_to_phys(mem.vm), wire);
	put_unaligned_be32(mem.vm->total_pages, wire + 8);
	put_unaligned_be32(mem.vm->order, wire + 12);
	khoreg_mem_end(entry, f, &mem, wire);
	return 0;
}
EXPORT_SYMBOL_GPL(khoreg_set_vmalloc);

/**
 * khoreg_clear() - reset a field to its initial value
 * @entry: the entry
 * @field: field name
 *
 * Numbers and bools become 0, a string empty, bytes zero-length; a memory
 * field releases its memory (unpreserves it) and is left out of the
 * handover until it is set again. May sleep.
 *
 * Return: 0; -ENOENT if there is no such field; -EBUSY while the handover
 * is finalized.
 */
int khoreg_clear(struct khoreg_entry *entry, const char *field)
{
	struct khoreg_out_field *f = khoreg_field_find(entry, field);
	unsigned long flags;
	u8 *old = NULL;
	int err = 0;

	might_sleep();
	if (IS_ERR(f))
		return PTR_ERR(f);
	switch (f->decl->type) {
	case KHOREG_TYPE_RANGE:
	case KHOREG_TYPE_FOLIO:
	case KHOREG_TYPE_VMALLOC:
		f = khoreg_mem_begin(entry, field, f->decl->type);
		if (IS_ERR(f))
			return PTR_ERR(f);
		khoreg_mem_end(entry, f, NULL, NULL);
		return 0;
	default:
		break;
	}
	spin_lock_irqsave(&entry->lock, flags);
	if (khoreg_closed(entry->reg)) {
		err = -EBUSY;
	} else if (f->val != f->fixed) {
		old = f->val;
		f->val = f->fixed;
		memset(f->fixed, 0, KHOREG_FIXED_MAX);
		f->size = f->decl->type == KHOREG_TYPE_STRING;
	} else {
		memset(f->val, 0, f->size);
	}
	spin_unlock_irqrestore(&entry->lock, flags);
	kfree(old);
	return err;
}
EXPORT_SYMBOL_GPL(khoreg_clear);

/* ---- annotations and validators, for BPF and tools ---- */

/**
 * khoreg_annotate() - attach a "key=value" annotation to an entry
 * @entry: the entry
 * @key: the key, a valid field name; an annotation with the same key is
 *	replaced
 * @value: the value, text without control characters but tab and newline
 *
 * Annotations go into the handover with the entry (khoreg,annotations).
 *
 * Return: 0; -EINVAL for a bad key or value; -EOVERFLOW if the annotation
 * is longer than KHOREG_STRING_MAX; -ENOSPC past KHOREG_MAX_ANNOTATIONS;
 * -EBUSY while the handover is finalized; -ENOMEM.
 */
int khoreg_annotate(struct khoreg_entry *entry, const char *key,
		    const char *value)
{
	guard(mutex)(&entry->reg->lock);
	return khoreg_annotate_locked(entry, key, value);
}

/**
 * khoreg_annotate_locked() - khoreg_annotate() with the registry lock held
 * @entry: the entry
 * @key: the key
 * @value: the value
 *
 * Return: as khoreg_annotate().
 */
int khoreg_annotate_locked(struct khoreg_entry *entry, const char *key,
			   const char *value)
{
	struct khoreg_registry *reg = entry->reg;
	size_t klen = strnlen(key, KHOREG_NAME_MAX + 1);
	struct khoreg_annotation *a, *old = NULL;
	unsigned long flags;
	size_t len;

	if (!khoreg_name_valid(key, klen))
		return -EINVAL;
	len = klen + 1 + strnlen(value, KHOREG_STRING_MAX) + 1;
	if (len > KHOREG_STRING_MAX)
		return -EOVERFLOW;
	if (!khoreg_text_valid(value, len - klen - 2))
		return -EINVAL;
	a = kmalloc(struct_size(a, text, len), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	snprintf(a->text, len, "%s=%s", key, value);

	lockdep_assert_held(&reg->lock);
	if (khoreg_closed(reg)) {
		kfree(a);
		return -EBUSY;
	}
	list_for_each_entry(old, &entry->annotations, list)
		if (!strncmp(old->text, a->text, klen + 1))
			break;
	if (list_entry_is_head(old, &entry->annotations, list)) {
		if (entry->nr_annotations >= KHOREG_MAX_ANNOTATIONS) {
			kfree(a);
			return -ENOSPC;
		}
		old = NULL;
	}
	spin_lock_irqsave(&entry->lock, flags);
	if (old) {
		list_replace(&old->list, &a->list);
	} else {
		list_add_tail(&a->list, &entry->annotations);
		entry->nr_annotations++;
	}
	spin_unlock_irqrestore(&entry->lock, flags);
	kfree(old);
	return 0;
}

/**
 * khoreg_validator_register() - check the whole registry at every finalize
 * @reg: the registry
 * @v: the validator
 *
 * Return: 0, or -EBUSY while the registry is frozen or another task
 * finalizes the handover.
 */
int khoreg_validator_register(struct khoreg_registry *reg,
			      struct khoreg_validator *v)
{
	guard(mutex)(&reg->lock);
	if (khoreg_closed(reg))
		return -EBUSY;
	list_add_tail(&v->list, &reg->validators);
	return 0;
}

/**
 * khoreg_validator_unregister() - stop checking the registry
 * @reg: the registry
 * @v: a validator registered with it
 */
void khoreg_validator_unregister(struct khoreg_registry *reg,
				 struct khoreg_validator *v)
{
	guard(mutex)(&reg->lock);
	list_del(&v->list);
}

/* ---- finalize ---- */

/**
 * khoreg_entry_path() - the path of an entry, "parent/child"
 * @entry: the entry, the registry lock held
 * @buf: where to write the path
 * @size: bytes at @buf
 *
 * Return: the length of the path, as snprintf().
 */
int khoreg_entry_path(const struct khoreg_entry *entry, char *buf, size_t size)
{
	int n = 0;

	if (entry->parent)
		n = khoreg_entry_path(entry->parent, buf, size);
	return n + snprintf(buf + min_t(size_t, n, size),
			    size - min_t(size_t, n, size), "%s%s",
			    entry->parent ? "/" : "", entry->name);
}

/* Prefix @reason with "entry <path>: " for a refusal about @entry. */
static void khoreg_reason(const struct khoreg_entry *entry, const char *who,
			  int err, char *reason, size_t len)
{
	char path[128], *why = kstrdup(reason, GFP_KERNEL);

	if (entry)
		khoreg_entry_path(entry, path, sizeof(path));
	snprintf(reason, len, "%s%s%s%s (%d)%s%s", entry ? "entry " : "",
		 entry ? path : "", entry ? ": " : "", who, err,
		 why && why[0] ? ": " : "", why ?: "");
	kfree(why);
}

static void khoreg_put_owners(struct khoreg_registry *reg,
			      struct khoreg_entry *stop)
{
	struct khoreg_entry *e = NULL;

	while ((e = khoreg_entry_next(reg, e)) && e != stop)
		module_put(e->owner);
}

static int khoreg_run_validators(struct khoreg_registry *reg, char *reason,
				 size_t len)
{
	struct khoreg_entry *e = NULL;
	struct khoreg_validator *v;
	int err;

	while ((e = khoreg_entry_next(reg, e))) {
		if (e->schema->validate) {
			reason[0] = '\0';
			err = e->schema->validate(e, e->priv, reason, len);
			if (err) {
				khoreg_reason(e, "refused by its driver", err,
					      reason, len);
				return err;
			}
		}
		list_for_each_entry(v, &reg->validators, list) {
			reason[0] = '\0';
			err = v->validate(v, e, reason, len);
			if (err) {
				khoreg_reason(e, v->name, err, reason, len);
				return err;
			}
		}
	}
	list_for_each_entry(v, &reg->validators, list) {
		reason[0] = '\0';
		err = v->validate(v, NULL, reason, len);
		if (err) {
			khoreg_reason(NULL, v->name, err, reason, len);
			return err;
		}
	}
	return 0;
}

/**
 * khoreg_freeze() - bring every entry up to date, freeze and validate
 * @reg: the registry, its lock held
 * @reason: set to why on failure
 * @len: bytes at @reason
 *
 * Pins the owner modules, runs the serialize() callbacks, refuses every
 * change from now on and runs the validate() callbacks and validators.
 * On failure the registry is as before.
 *
 * Return: 0, or the error that refused the handover.
 */
int khoreg_freeze(struct khoreg_registry *reg, char *reason, size_t len)
{
	struct khoreg_entry *e = NULL;
	int err;

	lockdep_assert_held(&reg->lock);
	/* An owner that is unloading must not have its callbacks run. */
	while ((e = khoreg_entry_next(reg, e))) {
		if (!try_module_get(e->owner)) {
			reason[0] = '\0';
			khoreg_reason(e, "owner module is unloading", -EBUSY,
				      reason, len);
			khoreg_put_owners(reg, e);
			return -EBUSY;
		}
	}
	while ((e = khoreg_entry_next(reg, e))) {
		if (!e->schema->serialize)
			continue;
		err = e->schema->serialize(e, e->priv);
		if (err) {
			reason[0] = '\0';
			khoreg_reason(e, "serialize failed", err, reason, len);
			khoreg_put_owners(reg, NULL);
			return err;
		}
	}
	down_write(&reg->freeze_sem);
	reg->frozen = true;
	up_write(&reg->freeze_sem);
	err = khoreg_run_validators(reg, reason, len);
	if (err)
		khoreg_thaw(reg);
	return err;
}

/**
 * khoreg_thaw() - allow changes again after khoreg_freeze()
 * @reg: the frozen registry, its lock held
 */
void khoreg_thaw(struct khoreg_registry *reg)
{
	lockdep_assert_held(&reg->lock);
	down_write(&reg->freeze_sem);
	reg->frozen = false;
	up_write(&reg->freeze_sem);
	khoreg_put_owners(reg, NULL);
}

static int khoreg_prepare(struct kho_hook *hook, char *reason, size_t len)
{
	struct khoreg_registry *reg = &khoreg_registry;
	ktime_t start = ktime_get();
	size_t size;
	void *blob;
	int err;

	guard(mutex)(&reg->lock);
	err = khoreg_freeze(reg, reason, len);
	if (err)
		return err;
	/* The blob is one physically contiguous folio. */
	size = khoreg_fdt_size(reg);
	if (size > KHOREG_BLOB_MAX || get_order(size) > MAX_PAGE_ORDER) {
		snprintf(reason, len,
			 "registry of %u entries needs %zu bytes, more than %lu",
			 reg->nr_entries, size,
			 min_t(unsigned long, KHOREG_BLOB_MAX,
			       PAGE_SIZE << MAX_PAGE_ORDER));
		err = -E2BIG;
		goto thaw;
	}
	blob = kho_alloc_preserve(size);
	if (IS_ERR(blob)) {
		err = PTR_ERR(blob);
		snprintf(reason, len, "no memory for a %zu-byte registry", size);
		goto thaw;
	}
	err = khoreg_fdt_build(reg, blob, size);
	if (!err)
		err = kho_add_subtree(KHOREG_BLOB_NAME, blob,
				      fdt_totalsize(blob));
	if (err) {
		snprintf(reason, len, "cannot write the registry (%d)", err);
		kho_unpreserve_free(blob);
		goto thaw;
	}
	reg->blob = blob;
	reg->blob_size = fdt_totalsize(blob);
	pr_info("handing over %u entries in %zu bytes (%lld us)\n",
		reg->nr_entries, reg->blob_size,
		ktime_us_delta(ktime_get(), start));
	return 0;
thaw:
	khoreg_thaw(reg);
	return err;
}

static void khoreg_abort(struct kho_hook *hook)
{
	struct khoreg_registry *reg = &khoreg_registry;

	guard(mutex)(&reg->lock);
	if (!reg->frozen)
		return;
	kho_remove_subtree(reg->blob);
	kho_unpreserve_free(reg->blob);
	reg->blob = NULL;
	reg->blob_size = 0;
	khoreg_thaw(reg);
}

#if IS_ENABLED(CONFIG_KEXEC_HANDOVER_TEST_HOOKS)
/**
 * khoreg_test_damage() - break the finalized registry blob, for khoreg_test
 * @path: path of an entry, "name" or "parent/child"
 * @prop: one of its properties
 * @val: new value of @prop, which must be 4 bytes long; NULL to remove it
 *
 * The next kernel must refuse what is broken and restore the rest.
 *
 * Return: 0; -EINVAL if the handover is not finalized; -ENOENT if there is
 * no such entry or property.
 */
int khoreg_test_damage(const char *path, const char *prop, const u32 *val)
{
	struct khoreg_registry *reg = &khoreg_registry;
	char fpath[KHOREG_PATH_MAX + 1];
	int node;

	guard(mutex)(&reg->lock);
	if (!reg->blob)
		return -EINVAL;
	snprintf(fpath, sizeof(fpath), "/%s", path);
	node = fdt_path_offset(reg->blob, fpath);
	if (node < 0)
		return -ENOENT;
	if (val)
		return fdt_setprop_inplace_u32(reg->blob, node, prop, *val) ?
		       -ENOENT : 0;
	return fdt_nop_property(reg->blob, node, prop) ? -ENOENT : 0;
}
EXPORT_SYMBOL_GPL(khoreg_test_damage);
#endif

static struct kho_hook khoreg_hook = {
	.name = "registry",
	.prepare = khoreg_prepare,
	.abort = khoreg_abort,
};

/* A module that unloads with entries registered loses them. */
static int khoreg_module_notify(struct notifier_block *nb, unsigned long action,
				void *data)
{
	struct khoreg_registry *reg = &khoreg_registry;
	struct module *mod = data;
	struct khoreg_entry *e;

	if (action != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	guard(mutex)(&reg->lock);
	do {
		for (e = NULL; (e = khoreg_entry_next(reg, e));)
			if (e->owner == mod)
				break;
		if (e) {
			pr_warn("%s unloaded with entry %s registered; removing it\n",
				mod->name, e->name);
			khoreg_entry_remove_locked(e);
		}
	} while (e);
	return NOTIFY_OK;
}

static struct notifier_block khoreg_module_nb = {
	.notifier_call = khoreg_module_notify,
};

static int __init khoreg_init(void)
{
	int err;

	err = register_module_notifier(&khoreg_module_nb);
	if (!err)
		err = kho_register_hook(&khoreg_hook);
	if (err) {
		pr_err("cannot hook into KHO (%d)\n", err);
		return err;
	}
	return 0;
}
fs_initcall_sync(khoreg_init);
