// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver: every file of the core in /sys/kernel/kho (the pending
 * handover) and /sys/firmware/kho (the received one, on a KHO boot).
 *
 * /sys/kernel/kho: enabled, state, finalize, last_error, summary, fdt,
 * scratch/N, scratch_array, memory_map and blobs/<name>.
 * /sys/firmware/kho: summary, finish, fdt, scratch_array, memory_map,
 * blob_status and blobs/<name>.
 *
 * The parts of a handover that live in physical memory are exported to
 * userspace (root only), which cannot read physical memory:
 *
 *  memory_map     the pages of the preserved-memory map, each as a record
 *                 of its physical address (u64) and the page itself, in
 *                 depth-first order from the root, generated on read;
 *  scratch_array  the scratch array, packed struct kho_scratch_entry;
 *  blobs/<name>   every sub-blob: of the finalized handover read live from
 *                 its preserved memory, of the received one as copied
 *                 before any driver got one.
 *
 * The pending memory_map and blobs exist from finalize to abort; they are
 * empty or absent while the handover is idle, like the pending fdt. The
 * received memory_map is empty once the handover is finished, when the
 * map's pages went back to the page allocator.
 *
 * Only presentation is here: the files read what state.c, out.c, in.c,
 * mem.c and scratch.c hold. The registry adds its own files under the
 * two directories (registry_sysfs.c).
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/fs.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/kernfs.h>
#include <linux/kobject.h>
#include <linux/libfdt.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "internal.h"

/* /sys/kernel/kho and, on a KHO boot, /sys/firmware/kho; NULL if absent. */
struct kobject *kho_sysfs_out, *kho_sysfs_in;

/* ---- /sys/kernel/kho ---- */

static const char * const kho_state_names[] = {
	[KHO_IDLE] = "idle",
	[KHO_FINALIZED] = "finalized",
	[KHO_LOADED] = "loaded",
};

static ssize_t enabled_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", kho_is_enabled());
}

static struct kobj_attribute kho_attr_enabled = __ATTR_RO(enabled);

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n", kho_state_names[kho_get_state()]);
}

static struct kobj_attribute kho_attr_state = __ATTR_RO(state);

static ssize_t finalize_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%d\n", kho_get_state() != KHO_IDLE);
}

static ssize_t finalize_store(struct kobject *kobj, struct kobj_attribute *attr,
			      const char *buf, size_t count)
{
	bool on;
	int err;

	if (kstrtobool(buf, &on))
		return -EINVAL;
	err = on ? kho_finalize() : kho_abort();
	return err ?: count;
}

static struct kobj_attribute kho_attr_finalize = __ATTR_RW_MODE(finalize, 0600);

static ssize_t last_error_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	char reason[KHO_REASON_LEN];

	if (!kho_get_error(reason, sizeof(reason)))
		return 0;
	return sysfs_emit(buf, "%s\n", reason);
}

static struct kobj_attribute kho_attr_last_error = __ATTR_RO(last_error);

static ssize_t fdt_read(struct file *file, struct kobject *kobj,
			struct bin_attribute *attr, char *buf, loff_t off,
			size_t count)
{
	return kho_out_fdt_read(buf, off, count);
}

static struct bin_attribute kho_attr_fdt = __BIN_ATTR_ADMIN_RO(fdt, 0);

static ssize_t summary_out_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	unsigned long nr_keys, nr_nodes;
	unsigned int nr_blobs;
	size_t fdt_size;

	kho_mem_out_stats(&nr_keys, &nr_nodes);
	nr_blobs = kho_out_summary(&fdt_size);
	return sysfs_emit(buf,
			  "blocks %lu\nmap_pages %lu\nsub_blobs %u\nfdt_size %zu\nleaked_pages %lu\n",
			  nr_keys, nr_nodes, nr_blobs, fdt_size,
			  kho_mem_out_leaked());
}

static struct kobj_attribute kho_attr_summary_out =
	__ATTR(summary, 0444, summary_out_show, NULL);

static struct attribute *kho_attrs[] = {
	&kho_attr_enabled.attr,
	&kho_attr_summary_out.attr,
	&kho_attr_state.attr,
	&kho_attr_finalize.attr,
	&kho_attr_last_error.attr,
	NULL,
};

static struct bin_attribute *kho_bin_attrs[] = {
	&kho_attr_fdt,
	NULL,
};

static const struct attribute_group kho_group = {
	.attrs = kho_attrs,
	.bin_attrs = kho_bin_attrs,
};

/* /sys/kernel/kho/scratch/N: "phys len" of outgoing scratch area N */
struct kho_scratch_attr {
	struct kobj_attribute attr;
	char name[8];
	unsigned int index;
};

static ssize_t scratch_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct kho_scratch_attr *sa = container_of(attr, typeof(*sa), attr);
	unsigned int cnt;
	const struct kho_scratch_entry *areas = kho_scratch_out(&cnt);

	return sysfs_emit(buf, "%#llx %#llx\n", areas[sa->index].addr,
			  areas[sa->index].size);
}

static int __init kho_sysfs_scratch(struct kobject *parent)
{
	struct kho_scratch_attr *sa;
	struct kobject *dir;
	unsigned int cnt, i;
	int err = 0;

	kho_scratch_out(&cnt);
	dir = kobject_create_and_add("scratch", parent);
	if (!dir)
		return -ENOMEM;
	sa = kcalloc(cnt, sizeof(*sa), GFP_KERNEL);
	if (cnt && !sa)
		return -ENOMEM;
	for (i = 0; i < cnt && !err; i++) {
		snprintf(sa[i].name, sizeof(sa[i].name), "%u", i);
		sa[i].index = i;
		sysfs_attr_init(&sa[i].attr.attr);
		sa[i].attr.attr.name = sa[i].name;
		sa[i].attr.attr.mode = 0400;
		sa[i].attr.show = scratch_show;
		err = sysfs_create_file(dir, &sa[i].attr.attr);
	}
	return err;
}

/* ---- /sys/firmware/kho ---- */

static ssize_t in_fdt_read(struct file *file, struct kobject *kobj,
			   struct bin_attribute *attr, char *buf, loff_t off,
			   size_t count)
{
	size_t size;
	const void *fdt = kho_in_get(NULL, &size);

	return memory_read_from_buffer(buf, count, &off, fdt, size);
}

static struct bin_attribute kho_attr_in_fdt = {
	.attr = { .name = "fdt", .mode = 0400 },
	.read = in_fdt_read,
};

static ssize_t summary_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct kho_mem_in_stats s;
	phys_addr_t fdt_phys;
	size_t size;

	kho_in_get(&fdt_phys, &size);
	kho_mem_in_get_stats(&s);
	return sysfs_emit(buf,
			  "fdt_phys %#llx\nfdt_size %zu\nblocks %lu\npages %lu\n"
			  "map_nodes %lu\nrestored_pages %lu\nreleased_pages %lu\n"
			  "finished %d\n",
			  (u64)fdt_phys, size, s.blocks, s.pages, s.nodes,
			  s.restored_pages, s.released_pages, s.released);
}

static struct kobj_attribute kho_attr_summary = __ATTR_RO_MODE(summary, 0400);

static ssize_t finish_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	long left;

	switch (kho_in_finish_how()) {
	case KHO_FINISH_TIMEOUT:
		return sysfs_emit(buf, "finished timeout\n");
	case KHO_FINISH_WRITE:
		return sysfs_emit(buf, "finished write\n");
	default:
		break;
	}
	left = kho_in_finish_left();
	if (left < 0)
		return sysfs_emit(buf, "pending never\n");
	return sysfs_emit(buf, "pending %lu\n", left);
}

static ssize_t finish_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	bool on;

	if (kstrtobool(buf, &on) || !on)
		return -EINVAL;
	kho_in_finish_now();
	return count;
}

static struct kobj_attribute kho_attr_finish = __ATTR_RW(finish);

static struct attribute *kho_in_attrs[] = {
	&kho_attr_summary.attr,
	&kho_attr_finish.attr,
	NULL,
};

static struct bin_attribute *kho_in_bin_attrs[] = {
	&kho_attr_in_fdt,
	NULL,
};

static const struct attribute_group kho_in_group = {
	.attrs = kho_in_attrs,
	.bin_attrs = kho_in_bin_attrs,
};

/* ---- /sys/firmware/kho/blobs and blob_status ---- */

static ssize_t kho_in_blob_read(struct file *file, struct kobject *kobj,
				struct bin_attribute *attr, char *buf,
				loff_t off, size_t count)
{
	const struct kho_in_blob *b = attr->private;

	if (!b->copy)
		return -EFBIG;
	return memory_read_from_buffer(buf, count, &off, b->copy, b->size);
}

struct kho_blob_status {
	char *buf;
	int n;
};

static void kho_blob_status_line(const struct kho_in_blob *b, bool released,
				 void *arg)
{
	struct kho_blob_status *s = arg;

	s->n += sysfs_emit_at(s->buf, s->n, "%s %llu %s\n", b->name, b->size,
			      b->retrieved ? "retrieved" :
			      released ? "released" : "unclaimed");
}

static ssize_t blob_status_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	struct kho_blob_status s = { .buf = buf };

	kho_in_blobs_for_each(kho_blob_status_line, &s);
	return s.n;
}

static struct kobj_attribute kho_attr_blob_status = __ATTR_RO(blob_status);

struct kho_in_blob_files {
	struct kobject *dir;
	int err;
};

/* Add the file of one incoming sub-blob, unless its name cannot be one. */
static void kho_in_blob_file(const struct kho_in_blob *b, bool released,
			     void *arg)
{
	struct kho_in_blob_files *files = arg;
	struct bin_attribute *attr;
	struct kernfs_node *kn;

	kn = kernfs_find_and_get(files->dir->sd, b->name);
	kernfs_put(kn);
	if (kn || !kho_blob_name_valid(b->name) || !strcmp(b->name, ".") ||
	    !strcmp(b->name, "..")) {
		pr_warn("sub-blob %s: name cannot be a file in /sys/firmware/kho/blobs\n",
			b->name);
		return;
	}
	attr = kzalloc(sizeof(*attr), GFP_KERNEL);
	if (!attr) {
		files->err = -ENOMEM;
		return;
	}
	sysfs_bin_attr_init(attr);
	attr->attr.name = b->name;
	attr->attr.mode = 0400;
	attr->size = b->size;
	attr->read = kho_in_blob_read;
	attr->private = (void *)b;
	files->err = sysfs_create_bin_file(files->dir, attr) ?: files->err;
}

static int __init kho_sysfs_in_blobs(struct kobject *parent)
{
	struct kho_in_blob_files files = { .err = 0 };

	files.dir = kobject_create_and_add("blobs", parent);
	if (!files.dir)
		return -ENOMEM;
	files.err = sysfs_create_file(parent, &kho_attr_blob_status.attr);
	kho_in_blobs_for_each(kho_in_blob_file, &files);
	return files.err;
}

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
 * @shown: optional; the file reads empty unless it returns true
 * @buf: destination of the read in progress
 * @off: its offset
 * @count: its size
 */
struct kho_map_file {
	struct mutex lock;	/* reads share @cur */
	struct kho_map_cursor cur;
	ssize_t (*read)(kho_map_read_fn fn, void *arg);
	bool (*shown)(void);
	char *buf;
	loff_t off;
	size_t count;
};

/* Set from finalize (kho_export_validate()) to abort. */
static bool kho_out_finalized;
static DEFINE_MUTEX(kho_out_blobs_lock);

static bool kho_out_map_shown(void)
{
	guard(mutex)(&kho_out_blobs_lock);
	return kho_out_finalized;
}

static ssize_t kho_map_file_fn(phys_addr_t root, unsigned long gen, void *arg)
{
	struct kho_map_file *f = arg;

	return kho_map_export_read(&f->cur, root, gen, f->buf, f->off,
				   f->count);
}

static ssize_t kho_map_file_read(struct file *file, struct kobject *kobj,
				 struct bin_attribute *attr, char *buf,
				 loff_t off, size_t count)
{
	struct kho_map_file *f = attr->private;

	if (f->shown && !f->shown())
		return 0;
	guard(mutex)(&f->lock);
	f->buf = buf;
	f->off = off;
	f->count = count;
	return f->read(kho_map_file_fn, f);
}

static struct kho_map_file kho_out_map = {
	.lock = __MUTEX_INITIALIZER(kho_out_map.lock),
	.read = kho_mem_out_read,
	.shown = kho_out_map_shown,
};

static struct kho_map_file kho_in_map = {
	.lock = __MUTEX_INITIALIZER(kho_in_map.lock),
	.read = kho_mem_in_read,
};

static struct bin_attribute kho_attr_out_map = {
	.attr = { .name = "memory_map", .mode = 0400 },
	.read = kho_map_file_read,
	.private = &kho_out_map,
};

static struct bin_attribute kho_attr_in_map = {
	.attr = { .name = "memory_map", .mode = 0400 },
	.read = kho_map_file_read,
	.private = &kho_in_map,
};

/* ---- scratch_array ---- */

/**
 * struct kho_scratch_file - one scratch_array file
 * @areas: kho_scratch_out() or kho_scratch_in()
 */
struct kho_scratch_file {
	const struct kho_scratch_entry *(*areas)(unsigned int *count);
};

static struct kho_scratch_file kho_out_scratch = { .areas = kho_scratch_out };
static struct kho_scratch_file kho_in_scratch = { .areas = kho_scratch_in };

static ssize_t kho_scratch_file_read(struct file *file, struct kobject *kobj,
				     struct bin_attribute *attr, char *buf,
				     loff_t off, size_t count)
{
	const struct kho_scratch_file *f = attr->private;
	unsigned int cnt;
	const struct kho_scratch_entry *areas = f->areas(&cnt);

	return memory_read_from_buffer(buf, count, &off, areas,
				       cnt * sizeof(*areas));
}

static struct bin_attribute kho_attr_out_scratch = {
	.attr = { .name = "scratch_array", .mode = 0400 },
	.read = kho_scratch_file_read,
	.private = &kho_out_scratch,
};

static struct bin_attribute kho_attr_in_scratch = {
	.attr = { .name = "scratch_array", .mode = 0400 },
	.read = kho_scratch_file_read,
	.private = &kho_in_scratch,
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

/* ---- creating the directories ---- */

static int __init kho_sysfs_out_init(void)
{
	struct kobject *kobj;
	unsigned int cnt;
	int err;

	kobj = kobject_create_and_add("kho", kernel_kobj);
	if (!kobj)
		return -ENOMEM;
	kho_sysfs_out = kobj;
	err = sysfs_create_group(kobj, &kho_group);
	if (!err && kho_is_enabled())
		err = kho_sysfs_scratch(kobj);
	if (err)
		pr_warn("cannot create /sys/kernel/kho (%d)\n", err);

	kho_scratch_out(&cnt);
	kho_attr_out_scratch.size = cnt * sizeof(struct kho_scratch_entry);
	err = sysfs_create_bin_file(kobj, &kho_attr_out_map);
	err = sysfs_create_bin_file(kobj, &kho_attr_out_scratch) ?: err;
	kho_out_blobs_dir = kobject_create_and_add("blobs", kobj);
	if (!kho_out_blobs_dir)
		err = -ENOMEM;
	if (kho_is_enabled())
		err = kho_register_hook(&kho_export_hook) ?: err;
	return err;
}

static int __init kho_sysfs_in_init(void)
{
	struct kobject *kobj;
	unsigned int cnt;
	int err;

	kobj = kobject_create_and_add("kho", firmware_kobj);
	kho_sysfs_in = kobj;
	err = kobj ? sysfs_create_group(kobj, &kho_in_group) : -ENOMEM;
	err = err ?: kho_sysfs_in_blobs(kobj);
	if (err)
		pr_warn("cannot create /sys/firmware/kho (%d)\n", err);
	if (!kobj)
		return err;

	kho_scratch_in(&cnt);
	kho_attr_in_scratch.size = cnt * sizeof(struct kho_scratch_entry);
	err = sysfs_create_bin_file(kobj, &kho_attr_in_map);
	return sysfs_create_bin_file(kobj, &kho_attr_in_scratch) ?: err;
}

/*
 * After in.c copied the incoming sub-blobs (fs_initcall), and before the
 * registry adds its files (fs_initcall_sync too, later in link order).
 */
static int __init kho_sysfs_init(void)
{
	int err;

	err = kho_sysfs_out_init();
	if (is_kho_boot())
		err = kho_sysfs_in_init() ?: err;
	if (err)
		pr_warn("cannot export the memory map and sub-blobs (%d)\n", err);
	return 0;
}
fs_initcall_sync(kho_sysfs_init);
