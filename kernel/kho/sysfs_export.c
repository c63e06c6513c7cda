// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver: the parts of a handover that live in physical memory,
 * exported to userspace (root only), which cannot read physical memory.
 *
 * /sys/kernel/kho (the pending handover) and /sys/firmware/kho (the
 * received one) each get:
 *
 *  memory_map     the pages of the preserved-memory map, each as a record
 *                 of its physical address (u64) and the page itself, in
 *                 depth-first order from the root, generated on read;
 *  scratch_array  the scratch array, packed struct kho_scratch_entry.
 *
 * and /sys/kernel/kho/blobs/<name> is every sub-blob of the finalized
 * handover, read live from its preserved memory (the received ones are in
 * /sys/firmware/kho/blobs, see in_blobs.c).
 *
 * The pending memory_map and blobs exist from finalize to abort; they are
 * empty or absent while the handover is idle, like the pending fdt. The
 * received memory_map is empty once the handover is finished, when the
 * map's pages went back to the page allocator.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/io.h>
#include <linux/kobject.h>
#include <linux/libfdt.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "internal.h"

#define KHO_MAP_SLOTS		BIT(KHO_TABLE_SIZE_LOG2)
#define KHO_MAP_TOP_LEVEL	(KHO_TREE_MAX_DEPTH - 1)

/* Does the node (@prefix, @level) come after @cur in depth-first order? */
static bool kho_map_after(const struct kho_map_cursor *cur, u64 prefix,
			  unsigned int level)
{
	return cur->index < 0 || prefix > cur->prefix ||
	       (prefix == cur->prefix && level < cur->level);
}

/*
 * Move @cur to the first node of the subtree at @phys that comes after it.
 * A node comes before its children, and children go by slot, so nodes
 * are ordered by key prefix, then by level from the top down: the search only
 * has to look at the slot that holds @cur and the ones after it.
 */
static bool kho_map_next_in(struct kho_map_cursor *cur, phys_addr_t phys,
			    unsigned int level, u64 prefix)
{
	const struct kho_radix_node *table;
	unsigned int shift, slot = 0;

	if (kho_map_after(cur, prefix, level)) {
		cur->prefix = prefix;
		cur->level = level;
		cur->phys = phys;
		return true;
	}
	if (!level)
		return false;
	table = phys_to_virt(phys);
	shift = KHO_BITMAP_SIZE_LOG2 + (level - 1) * KHO_TABLE_SIZE_LOG2;
	if (cur->prefix > prefix)
		slot = (cur->prefix - prefix) >> shift;
	for (; slot < KHO_MAP_SLOTS; slot++) {
		u64 child = READ_ONCE(table->table[slot]);

		/* Only kho_selftest_damage() makes a child outside memory. */
		if (!child || !pfn_valid(PHYS_PFN(child)))
			continue;
		if (kho_map_next_in(cur, child, level - 1,
				    prefix | ((u64)slot << shift)))
			return true;
	}
	return false;
}

/**
 * kho_map_export_read() - read a tree as the records of a memory_map file
 * @cur: cursor of the previous read, reused when it is in the same tree
 * @root: physical address of the tree's root, 0 for no tree
 * @gen: the tree's generation
 * @buf: destination
 * @off: offset in the file
 * @count: bytes wanted
 *
 * The caller keeps the tree from changing and serialises calls sharing
 * @cur. Sequential reads cost one step of the walk per record; a read at
 * an earlier offset walks again from the root.
 *
 * Return: bytes read, 0 at the end.
 */
ssize_t kho_map_export_read(struct kho_map_cursor *cur, phys_addr_t root,
			    unsigned long gen, char *buf, loff_t off,
			    size_t count)
{
	loff_t index = div_u64(off, KHO_MAP_RECORD_SIZE);
	size_t done = 0;

	if (!root || off < 0)
		return 0;
	if (cur->root != root || cur->gen != gen || cur->index > index) {
		cur->root = root;
		cur->gen = gen;
		cur->index = -1;
	}
	while (done < count) {
		size_t at = off - index * KHO_MAP_RECORD_SIZE, n;
		u64 phys;

		while (cur->index < index) {
			if (!kho_map_next_in(cur, root, KHO_MAP_TOP_LEVEL, 0)) {
				/* Past the end: start again next time. */
				cur->index = -1;
				return done;
			}
			cur->index++;
		}
		phys = cur->phys;
		if (at < sizeof(phys)) {
			n = min(sizeof(phys) - at, count - done);
			memcpy(buf + done, (char *)&phys + at, n);
		} else {
			n = min(KHO_MAP_RECORD_SIZE - at, count - done);
			memcpy(buf + done,
			       (char *)phys_to_virt(phys) + at - sizeof(phys), n);
		}
		done += n;
		off += n;
		index = div_u64(off, KHO_MAP_RECORD_SIZE);
	}
	return done;
}

/* ---- memory_map ---- */

/**
 * struct kho_map_file - one memory_map file
 * @lock: serialises reads
 * @cur: where the last read ended
 * @read: kho_mem_out_read() or kho_mem_in_read()
 * @buf: destination of the read in progress
 * @off: its offset
 * @count: its size
 */
struct kho_map_file {
	struct mutex lock;	/* reads share @cur */
	struct kho_map_cursor cur;
	ssize_t (*read)(kho_map_read_fn fn, void *arg);
	char *buf;
	loff_t off;
	size_t count;
};

static bool kho_out_finalized;
static DEFINE_MUTEX(kho_out_blobs_lock);

static ssize_t kho_map_file_fn(phys_addr_t root, unsigned long gen, void *arg)
{
	struct kho_map_file *f = arg;

	return kho_map_export_read(&f->cur, root, gen, f->buf, f->off,
				   f->count);
}

static ssize_t kho_map_file_read(struct kho_map_file *f, char *buf, loff_t off,
				 size_t count)
{
	guard(mutex)(&f->lock);
	f->buf = buf;
	f->off = off;
	f->count = count;
	return f->read(kho_map_file_fn, f);
}

static struct kho_map_file kho_out_map = {
	.lock = __MUTEX_INITIALIZER(kho_out_map.lock),
	.read = kho_mem_out_read,
};

static struct kho_map_file kho_in_map = {
	.lock = __MUTEX_INITIALIZER(kho_in_map.lock),
	.read = kho_mem_in_read,
};

static ssize_t out_map_read(struct file *file, struct kobject *kobj,
			    struct bin_attribute *attr, char *buf, loff_t off,
			    size_t count)
{
	scoped_guard(mutex, &kho_out_blobs_lock)
		if (!kho_out_finalized)
			return 0;
	return kho_map_file_read(&kho_out_map, buf, off, count);
}

static ssize_t in_map_read(struct file *file, struct kobject *kobj,
			   struct bin_attribute *attr, char *buf, loff_t off,
			   size_t count)
{
	return kho_map_file_read(&kho_in_map, buf, off, count);
}

static struct bin_attribute kho_attr_out_map = {
	.attr = { .name = "memory_map", .mode = 0400 },
	.read = out_map_read,
};

static struct bin_attribute kho_attr_in_map = {
	.attr = { .name = "memory_map", .mode = 0400 },
	.read = in_map_read,
};

/* ---- scratch_array ---- */

static ssize_t out_scratch_read(struct file *file, struct kobject *kobj,
				struct bin_attribute *attr, char *buf,
				loff_t off, size_t count)
{
	unsigned int cnt;
	const struct kho_scratch_entry *areas = kho_scratch_out(&cnt);

	return memory_read_from_buffer(buf, count, &off, areas,
				       cnt * sizeof(*areas));
}

static ssize_t in_scratch_read(struct file *file, struct kobject *kobj,
			       struct bin_attribute *attr, char *buf,
			       loff_t off, size_t count)
{
	unsigned int cnt;
	const struct kho_scratch_entry *areas = kho_scratch_in(&cnt);

	return memory_read_from_buffer(buf, count, &off, areas,
				       cnt * sizeof(*areas));
}

static struct bin_attribute kho_attr_out_scratch = {
	.attr = { .name = "scratch_array", .mode = 0400 },
	.read = out_scratch_read,
};

static struct bin_attribute kho_attr_in_scratch = {
	.attr = { .name = "scratch_array", .mode = 0400 },
	.read = in_scratch_read,
};

/* ---- /sys/kernel/kho/blobs ---- */

/**
 * struct kho_out_blob - a file in /sys/kernel/kho/blobs
 * @list: link in kho_out_blobs
 * @attr: the file
 * @phys: where the sub-blob is
 * @size: its size
 * @name: its node name in the root FDT
 */
struct kho_out_blob {
	struct list_head list;
	struct bin_attribute attr;
	phys_addr_t phys;
	u64 size;
	char name[];
};

static struct kobject *kho_out_blobs_dir;
static LIST_HEAD(kho_out_blobs);

struct kho_blob_read {
	const struct kho_out_blob *blob;
	char *buf;
	loff_t off;
	size_t count;
};

/*
 * An owner must unpreserve a sub-blob's memory before it frees it, which
 * takes the lock held here: a range still preserved is still the blob.
 */
static ssize_t kho_blob_read_fn(phys_addr_t root, unsigned long gen, void *arg)
{
	struct kho_blob_read *r = arg;
	const struct kho_out_blob *b = r->blob;
	size_t n;

	if (r->off >= b->size)
		return 0;
	n = min_t(u64, r->count, b->size - r->off);
	if (!__kho_mem_out_covered(b->phys + r->off, n))
		return -ENOENT;
	memcpy(r->buf, (char *)phys_to_virt(b->phys) + r->off, n);
	return n;
}

static ssize_t kho_out_blob_read(struct file *file, struct kobject *kobj,
				 struct bin_attribute *attr, char *buf,
				 loff_t off, size_t count)
{
	struct kho_blob_read r = {
		.blob = attr->private, .buf = buf, .off = off, .count = count,
	};

	return kho_mem_out_read(kho_blob_read_fn, &r);
}

static void kho_out_blobs_remove(struct list_head *list)
{
	struct kho_out_blob *b, *tmp;

	list_for_each_entry_safe(b, tmp, list, list) {
		sysfs_remove_bin_file(kho_out_blobs_dir, &b->attr);
		list_del(&b->list);
		kfree(b);
	}
}

/* Add the file of the sub-blob at @node of the pending root FDT. */
static int kho_out_blob_add(const void *fdt, int node, struct list_head *list)
{
	const char *name = fdt_get_name(fdt, node, NULL);
	struct kho_out_blob *b;
	u64 phys, size;
	int err;

	if (!name || kho_fdt_find_blob(fdt, name, &phys, &size))
		return -EINVAL;
	if (!strcmp(name, ".") || !strcmp(name, "..")) {
		pr_warn("sub-blob %s cannot be a file in /sys/kernel/kho/blobs\n",
			name);
		return 0;
	}
	b = kzalloc(struct_size(b, name, strlen(name) + 1), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	strscpy(b->name, name, strlen(name) + 1);
	b->phys = phys;
	b->size = size;
	sysfs_bin_attr_init(&b->attr);
	b->attr.attr.name = b->name;
	b->attr.attr.mode = 0400;
	b->attr.size = size;
	b->attr.read = kho_out_blob_read;
	b->attr.private = b;
	err = sysfs_create_bin_file(kho_out_blobs_dir, &b->attr);
	if (err) {
		kfree(b);
		return err;
	}
	list_add_tail(&b->list, list);
	return 0;
}

/*
 * A finalize hook that refuses nothing: once the root FDT is generated,
 * show every sub-blob it names and the memory map; abort hides them again.
 */
static int kho_export_validate(struct kho_hook *hook, const void *fdt,
			       size_t size, char *reason, size_t len)
{
	LIST_HEAD(added);
	int node, err = 0;

	if (kho_out_blobs_dir) {
		fdt_for_each_subnode(node, fdt, 0)
			err = kho_out_blob_add(fdt, node, &added) ?: err;
	}
	if (err)
		pr_warn("/sys/kernel/kho/blobs is incomplete (%d)\n", err);
	guard(mutex)(&kho_out_blobs_lock);
	list_splice_tail(&added, &kho_out_blobs);
	kho_out_finalized = true;
	return 0;
}

static void kho_export_abort(struct kho_hook *hook)
{
	LIST_HEAD(gone);

	scoped_guard(mutex, &kho_out_blobs_lock) {
		kho_out_finalized = false;
		list_splice_init(&kho_out_blobs, &gone);
	}
	/* Not under the lock: removing a file waits for its readers. */
	kho_out_blobs_remove(&gone);
}

static struct kho_hook kho_export_hook = {
	.name = "sysfs-export",
	.validate = kho_export_validate,
	.abort = kho_export_abort,
};

/* After kho_init(), which creates the directories (fs_initcall). */
static int __init kho_export_init(void)
{
	unsigned int cnt;
	int err = 0;

	kho_scratch_out(&cnt);
	kho_attr_out_scratch.size = cnt * sizeof(struct kho_scratch_entry);
	kho_scratch_in(&cnt);
	kho_attr_in_scratch.size = cnt * sizeof(struct kho_scratch_entry);
	if (kho_sysfs_out) {
		err = sysfs_create_bin_file(kho_sysfs_out, &kho_attr_out_map);
		err = sysfs_create_bin_file(kho_sysfs_out,
					    &kho_attr_out_scratch) ?: err;
		kho_out_blobs_dir = kobject_create_and_add("blobs",
							   kho_sysfs_out);
		if (!kho_out_blobs_dir)
			err = -ENOMEM;
		if (kho_is_enabled())
			err = kho_register_hook(&kho_export_hook) ?: err;
	}
	if (kho_sysfs_in) {
		err = sysfs_create_bin_file(kho_sysfs_in, &kho_attr_in_map) ?: err;
		err = sysfs_create_bin_file(kho_sysfs_in,
					    &kho_attr_in_scratch) ?: err;
	}
	if (err)
		pr_warn("cannot export the memory map and sub-blobs (%d)\n", err);
	return 0;
}

fs_initcall_sync(kho_export_init);
