// SPDX-License-Identifier: GPL-2.0-only
/*
 * khoreg: the registry in sysfs.
 *
 * /sys/kernel/kho/registry/ mirrors the outgoing registry and
 * /sys/firmware/kho/registry/ the incoming one, with one directory per
 * entry:
 *
 *   <entry>/compatible, version, owner, annotations  (claimed: incoming)
 *   <entry>/fields/<field>    "<type> <value>", bytes as raw binary
 *   <entry>/entries/<child>/  nested entries
 *
 * The generated registry sub-blob itself is /sys/kernel/kho/blobs/khoreg
 * while the handover is finalized, like every sub-blob (sysfs.c);
 * the received one is in /sys/firmware/kho/blobs/ (in.c, sysfs.c).
 *
 * Documentation/ABI/testing/sysfs-kernel-kho-registry describes the files.
 *
 * This is a presentation of the registry and nothing more: the outgoing
 * registry tells it of every entry added or removed through a
 * &struct khoreg_observer, the text of values and annotations comes from
 * registry_value.c (the BPF iterators show the same), and nothing here
 * changes an entry.
 */

#define pr_fmt(fmt) "KHO registry: " fmt

#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/seq_buf.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/unaligned.h>

#include "internal.h"
#include "registry_internal.h"

struct khoreg_dir;

/**
 * struct khoreg_fattr - the sysfs file of one field
 * @ka: text attribute, for every type but bytes
 * @ba: binary attribute, for bytes
 * @dir: the entry's directory
 * @index: the field's index in its entry
 */
struct khoreg_fattr {
	struct kobj_attribute ka;
	struct bin_attribute ba;
	struct khoreg_dir *dir;
	unsigned int index;
};

/**
 * struct khoreg_dir - the sysfs directory of an entry
 * @kobj: the directory
 * @fields: its fields/ subdirectory
 * @entries: its entries/ subdirectory
 * @out: the outgoing entry, or NULL
 * @in: the incoming entry, or NULL
 * @nr_attrs: number of @attrs
 * @attrs: one per field
 */
struct khoreg_dir {
	struct kobject kobj;
	struct kobject *fields;
	struct kobject *entries;
	struct khoreg_entry *out;
	struct khoreg_in_entry *in;
	unsigned int nr_attrs;
	struct khoreg_fattr attrs[];
};

#define to_dir(k) container_of(k, struct khoreg_dir, kobj)

static struct kobject *khoreg_sysfs_root;

static ssize_t compatible_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	struct khoreg_dir *d = to_dir(kobj);

	return sysfs_emit(buf, "%s\n", d->out ? d->out->schema->compatible :
						d->in->compatible);
}

static struct kobj_attribute khoreg_attr_compatible = __ATTR_RO(compatible);

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct khoreg_dir *d = to_dir(kobj);

	return sysfs_emit(buf, "%u\n", d->out ? d->out->schema->version :
						d->in->version);
}

static struct kobj_attribute khoreg_attr_version = __ATTR_RO(version);

static ssize_t owner_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct khoreg_dir *d = to_dir(kobj);
	const char *owner;

	if (d->out)
		owner = d->out->owner ? module_name(d->out->owner) : NULL;
	else
		owner = d->in->owner;
	return owner ? sysfs_emit(buf, "%s\n", owner) : 0;
}

static struct kobj_attribute khoreg_attr_owner = __ATTR_RO(owner);

/* What a show() returns for @s: sysfs takes at most a page less a byte. */
static ssize_t khoreg_sysfs_len(struct seq_buf *s)
{
	return min_t(size_t, seq_buf_used(s), PAGE_SIZE - 1);
}

/* One annotation a line. */
static ssize_t annotations_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	struct khoreg_dir *d = to_dir(kobj);
	struct seq_buf s;

	seq_buf_init(&s, buf, PAGE_SIZE);
	khoreg_annotations_print(&s, d->out, d->in, "\n");
	if (seq_buf_used(&s))
		seq_buf_putc(&s, '\n');
	return khoreg_sysfs_len(&s);
}

static struct kobj_attribute khoreg_attr_annotations = __ATTR_RO(annotations);

static ssize_t claimed_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_dir(kobj)->in->claimed));
}

static struct kobj_attribute khoreg_attr_claimed = __ATTR_RO(claimed);

static struct attribute *khoreg_dir_attrs[] = {
	&khoreg_attr_compatible.attr,
	&khoreg_attr_version.attr,
	&khoreg_attr_owner.attr,
	&khoreg_attr_annotations.attr,
	NULL,
};
ATTRIBUTE_GROUPS(khoreg_dir);

static void khoreg_dir_release(struct kobject *kobj)
{
	kfree(to_dir(kobj));
}

static const struct kobj_type khoreg_dir_ktype = {
	.release = khoreg_dir_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = khoreg_dir_groups,
};

/* "type value": khoreg_field_print(); bytes are a binary file instead. */
static ssize_t khoreg_field_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	struct khoreg_fattr *fa = container_of(attr, struct khoreg_fattr, ka);
	struct seq_buf s;

	seq_buf_init(&s, buf, PAGE_SIZE);
	khoreg_field_print(&s, fa->dir->out, fa->dir->in, fa->index);
	return khoreg_sysfs_len(&s);
}

static ssize_t khoreg_bytes_read(struct file *file, struct kobject *kobj,
				 struct bin_attribute *attr, char *buf,
				 loff_t off, size_t count)
{
	struct khoreg_fattr *fa = container_of(attr, struct khoreg_fattr, ba);
	const struct khoreg_out_field *f;
	const struct khoreg_in_field *fi;
	unsigned long flags;
	ssize_t n;

	if (fa->dir->in) {
		fi = &fa->dir->in->fields[fa->index];
		return fi->err ? fi->err :
		       memory_read_from_buffer(buf, count, &off, fi->val,
					       fi->len);
	}
	f = fa->dir->out->fields[fa->index];
	spin_lock_irqsave(&fa->dir->out->lock, flags);
	n = memory_read_from_buffer(buf, count, &off, f->val, f->size);
	spin_unlock_irqrestore(&fa->dir->out->lock, flags);
	return n;
}

/*
 * Take the directory out of sysfs now, whoever still holds a reference:
 * once this returns no file of it is being read.
 */
static void khoreg_dir_free(struct khoreg_dir *d)
{
	kobject_del(d->fields);
	kobject_del(d->entries);
	kobject_del(&d->kobj);
	kobject_put(d->fields);
	kobject_put(d->entries);
	kobject_put(&d->kobj);
}

/* Create the directory of an entry (@out or @in) under @parent. */
static struct khoreg_dir *khoreg_dir_add(struct kobject *parent,
					 const char *name,
					 struct khoreg_entry *out,
					 struct khoreg_in_entry *in)
{
	unsigned int nr = out ? out->schema->nr_fields : in->nr_fields, i;
	struct khoreg_dir *d;
	int err;

	d = kzalloc(struct_size(d, attrs, nr), GFP_KERNEL);
	if (!d)
		return ERR_PTR(-ENOMEM);
	d->out = out;
	d->in = in;
	d->nr_attrs = nr;
	err = kobject_init_and_add(&d->kobj, &khoreg_dir_ktype, parent, "%s",
				   name);
	if (err) {
		kobject_put(&d->kobj);
		return ERR_PTR(err);
	}
	if (in)
		err = sysfs_create_file(&d->kobj, &khoreg_attr_claimed.attr);
	d->fields = kobject_create_and_add("fields", &d->kobj);
	d->entries = kobject_create_and_add("entries", &d->kobj);
	if (!d->fields || !d->entries)
		err = -ENOMEM;

	for (i = 0; i < nr && !err; i++) {
		struct khoreg_fattr *fa = &d->attrs[i];
		enum khoreg_type type;
		const char *fname;
		umode_t mode;

		if (out) {
			type = out->fields[i]->decl->type;
			fname = out->fields[i]->decl->name;
			mode = khoreg_field_root_only(out->fields[i]->decl) ?
			       0400 : 0444;
		} else {
			/* Nothing says which incoming values are secret. */
			type = in->fields[i].type;
			fname = in->fields[i].name;
			mode = 0400;
		}
		fa->dir = d;
		fa->index = i;
		if (type == KHOREG_TYPE_BYTES) {
			sysfs_bin_attr_init(&fa->ba);
			fa->ba.attr.name = fname;
			fa->ba.attr.mode = mode;
			fa->ba.read = khoreg_bytes_read;
			err = sysfs_create_bin_file(d->fields, &fa->ba);
		} else {
			sysfs_attr_init(&fa->ka.attr);
			fa->ka.attr.name = fname;
			fa->ka.attr.mode = mode;
			fa->ka.show = khoreg_field_show;
			err = sysfs_create_file(d->fields, &fa->ka.attr);
		}
	}
	if (err) {
		khoreg_dir_free(d);
		return ERR_PTR(err);
	}
	return d;
}

/* Give an outgoing entry its directory; khoreg_registry's lock is held. */
static int khoreg_sysfs_add_dir(struct khoreg_entry *entry)
{
	struct kobject *parent = khoreg_sysfs_root;
	struct khoreg_dir *d;

	if (entry->parent) {
		if (!entry->parent->kobj)
			return -ENOENT;
		parent = to_dir(entry->parent->kobj)->entries;
	}
	d = khoreg_dir_add(parent, entry->name, entry, NULL);
	if (IS_ERR(d))
		return PTR_ERR(d);
	entry->kobj = &d->kobj;
	return 0;
}

static void khoreg_sysfs_add(struct khoreg_entry *entry)
{
	if (khoreg_sysfs_add_dir(entry))
		pr_warn_ratelimited("no sysfs directory for entry %s\n",
				    entry->name);
}

/* When this returns no sysfs file of @entry is being read. */
static void khoreg_sysfs_remove(struct khoreg_entry *entry)
{
	if (!entry->kobj)
		return;
	khoreg_dir_free(to_dir(entry->kobj));
	entry->kobj = NULL;
}

static const struct khoreg_observer khoreg_sysfs_observer = {
	.add = khoreg_sysfs_add,
	.remove = khoreg_sysfs_remove,
};

static int __init khoreg_sysfs_in(struct kobject *parent,
				  struct list_head *entries)
{
	struct khoreg_in_entry *e;
	struct khoreg_dir *d;
	int err;

	list_for_each_entry(e, entries, sibling) {
		d = khoreg_dir_add(parent, e->name, NULL, e);
		if (IS_ERR(d))
			return PTR_ERR(d);
		e->kobj = &d->kobj;
		err = khoreg_sysfs_in(d->entries, &e->children);
		if (err)
			return err;
	}
	return 0;
}

/*
 * /sys/firmware/kho/registry, once registry_in.c parsed what came in (an
 * initcall of the same level, linked before), and /sys/kernel/kho/registry,
 * kept up to date by the registry from now on.
 */
static int __init khoreg_sysfs_init(void)
{
	struct kobject *in;
	int err;

	if (khoreg_in.blob && kho_sysfs_in) {
		in = kobject_create_and_add("registry", kho_sysfs_in);
		/* The blob itself is in /sys/firmware/kho/blobs, like all. */
		err = in ? khoreg_sysfs_in(in, &khoreg_in.entries) : -ENOMEM;
		if (err)
			pr_warn("incomplete /sys/firmware/kho/registry (%d)\n",
				err);
	}
	if (kho_sysfs_out)
		khoreg_sysfs_root = kobject_create_and_add("registry",
							   kho_sysfs_out);
	if (!khoreg_sysfs_root) {
		pr_warn("no sysfs tree\n");
		return 0;
	}
	khoreg_observe(&khoreg_registry, &khoreg_sysfs_observer);
	return 0;
}
fs_initcall_sync(khoreg_sysfs_init);
