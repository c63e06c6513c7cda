// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver: the sub-blobs of the incoming handover, in sysfs.
 *
 * A handover from another kernel (a newer one, mainline, a bootloader)
 * may carry sub-blobs that no driver of this kernel reads. None of them
 * is dropped silently: at boot every sub-blob is copied to
 * /sys/firmware/kho/blobs/<name>, /sys/firmware/kho/blob_status lists
 * each one as retrieved (a driver called kho_retrieve_subtree() for it),
 * unclaimed or released, and finishing the handover logs every unclaimed
 * one before its memory goes back to the page allocator with the rest of
 * the unrestored memory.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/io.h>
#include <linux/libfdt.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "internal.h"

/* Larger sub-blobs are listed but their file reads fail with EFBIG. */
#define KHO_IN_BLOB_COPY_MAX	SZ_1M

/**
 * struct kho_in_blob - a sub-blob of the incoming handover
 * @attr: its file in /sys/firmware/kho/blobs
 * @phys: where the previous kernel put it
 * @size: its size in bytes
 * @copy: its contents as they were at boot; NULL if too large
 * @retrieved: a driver called kho_retrieve_subtree() for it
 * @name: its node name in the root FDT
 */
struct kho_in_blob {
	struct bin_attribute attr;
	u64 phys;
	u64 size;
	void *copy;
	bool retrieved;
	char name[];
};

static DEFINE_MUTEX(kho_in_blobs_lock);
static struct kho_in_blob **kho_in_blobs;
static unsigned int kho_in_nr_blobs;
static bool kho_in_blobs_released;

/**
 * kho_in_blob_retrieved() - note that a driver retrieved a sub-blob
 * @name: its name
 *
 * Retrievals before kho_in_blobs_init() (fs_initcall) are not noted.
 */
void kho_in_blob_retrieved(const char *name)
{
	unsigned int i;

	guard(mutex)(&kho_in_blobs_lock);
	for (i = 0; i < kho_in_nr_blobs; i++)
		if (!strcmp(kho_in_blobs[i]->name, name))
			kho_in_blobs[i]->retrieved = true;
}

/**
 * kho_in_blobs_release() - log the sub-blobs nobody retrieved
 *
 * Called when the handover is finished, before unrestored memory goes
 * back to the page allocator. Only the first call logs.
 */
void kho_in_blobs_release(void)
{
	unsigned int i;

	guard(mutex)(&kho_in_blobs_lock);
	if (kho_in_blobs_released)
		return;
	kho_in_blobs_released = true;
	for (i = 0; i < kho_in_nr_blobs; i++) {
		const struct kho_in_blob *b = kho_in_blobs[i];

		if (!b->retrieved)
			pr_info("sub-blob %s (%llu bytes) was retrieved by no driver; releasing its memory\n",
				b->name, b->size);
	}
}

static ssize_t kho_in_blob_read(struct file *file, struct kobject *kobj,
				struct bin_attribute *attr, char *buf,
				loff_t off, size_t count)
{
	const struct kho_in_blob *b = attr->private;

	if (!b->copy)
		return -EFBIG;
	return memory_read_from_buffer(buf, count, &off, b->copy, b->size);
}

static ssize_t blob_status_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	unsigned int i;
	int n = 0;

	guard(mutex)(&kho_in_blobs_lock);
	for (i = 0; i < kho_in_nr_blobs; i++) {
		const struct kho_in_blob *b = kho_in_blobs[i];

		n += sysfs_emit_at(buf, n, "%s %llu %s\n", b->name, b->size,
				   b->retrieved ? "retrieved" :
				   kho_in_blobs_released ? "released" :
				   "unclaimed");
	}
	return n;
}

static struct kobj_attribute kho_attr_blob_status = __ATTR_RO(blob_status);

/* Record the sub-blob at @node and copy it; NULL on allocation failure. */
static struct kho_in_blob *kho_in_blob_new(const void *fdt, int node)
{
	const char *name = fdt_get_name(fdt, node, NULL);
	struct kho_in_blob *b;
	u64 phys, size;

	if (kho_fdt_find_blob(fdt, name, &phys, &size))
		return NULL;
	b = kzalloc(struct_size(b, name, strlen(name) + 1), GFP_KERNEL);
	if (!b)
		return NULL;
	strscpy(b->name, name, strlen(name) + 1);
	b->phys = phys;
	b->size = size;
	if (size <= KHO_IN_BLOB_COPY_MAX) {
		b->copy = kvmalloc(size, GFP_KERNEL);
		if (!b->copy) {
			kfree(b);
			return NULL;
		}
		memcpy(b->copy, phys_to_virt(phys), size);
	}
	sysfs_bin_attr_init(&b->attr);
	b->attr.attr.name = b->name;
	b->attr.attr.mode = 0400;
	b->attr.size = size;
	b->attr.read = kho_in_blob_read;
	b->attr.private = b;
	return b;
}

/**
 * kho_in_blobs_init() - copy the incoming sub-blobs and show them in sysfs
 * @parent: the /sys/firmware/kho kobject
 *
 * Return: 0, or a negative error if sysfs could not be completed.
 */
int __init kho_in_blobs_init(struct kobject *parent)
{
	struct kobject *dir;
	size_t fdt_size;
	const void *fdt = kho_in_get(NULL, &fdt_size);
	unsigned int nr = 0, i;
	int node, err;

	fdt_for_each_subnode(node, fdt, 0)
		nr++;
	kho_in_blobs = kcalloc(nr, sizeof(*kho_in_blobs), GFP_KERNEL);
	if (nr && !kho_in_blobs)
		return -ENOMEM;
	dir = kobject_create_and_add("blobs", parent);
	if (!dir)
		return -ENOMEM;
	err = sysfs_create_file(parent, &kho_attr_blob_status.attr);

	fdt_for_each_subnode(node, fdt, 0) {
		struct kho_in_blob *b = kho_in_blob_new(fdt, node);

		if (!b) {
			err = -ENOMEM;
			continue;
		}
		mutex_lock(&kho_in_blobs_lock);
		kho_in_blobs[kho_in_nr_blobs++] = b;
		mutex_unlock(&kho_in_blobs_lock);
		for (i = 0; i < kho_in_nr_blobs - 1; i++)
			if (!strcmp(kho_in_blobs[i]->name, b->name))
				break;
		if (i < kho_in_nr_blobs - 1 || !kho_blob_name_valid(b->name) ||
		    !strcmp(b->name, ".") || !strcmp(b->name, "..")) {
			pr_warn("sub-blob %s: name cannot be a file in /sys/firmware/kho/blobs\n",
				b->name);
			continue;
		}
		err = sysfs_create_bin_file(dir, &b->attr) ?: err;
	}
	return err;
}
