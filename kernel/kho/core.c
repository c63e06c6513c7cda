// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver: the pending handover and its lifecycle.
 *
 * The outgoing handover is an object with three states:
 *
 *  idle       preserved memory and sub-blobs may change;
 *  finalized  hooks prepared their state, the root FDT is generated and
 *             validated, and every change is refused with -EBUSY;
 *  loaded     a kexec image carrying the handover is loaded.
 *
 * kexec_file_load() finalizes an idle handover itself; a refusal by a
 * validator makes it fail and is readable in /sys/kernel/kho/last_error.
 * Aborting returns a finalized handover to idle; a loaded one must be
 * unloaded first. Because nothing can change between finalize and
 * kexec -e, the next kernel sees exactly the state that was validated
 * (the contents of preserved memory are, naturally, as they are at
 * kexec -e).
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/init.h>
#include <linux/kexec.h>
#include <linux/kobject.h>
#include <linux/libfdt.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>

#include "internal.h"

static bool kho_enable __ro_after_init =
	IS_ENABLED(CONFIG_KEXEC_HANDOVER_ENABLE_DEFAULT);

static int __init kho_parse_enable(char *p)
{
	return kstrtobool(p, &kho_enable);
}
early_param("kho", kho_parse_enable);

/* Longest kho_finish_timeout= accepted: one day, in seconds. */
#define KHO_FINISH_TIMEOUT_MAX	86400

static int kho_finish_timeout __ro_after_init =
	CONFIG_KEXEC_HANDOVER_FINISH_TIMEOUT;

static int __init kho_parse_finish_timeout(char *p)
{
	int val;

	if (kstrtoint(p, 10, &val) || val > KHO_FINISH_TIMEOUT_MAX)
		return -EINVAL;
	kho_finish_timeout = val < 0 ? -1 : val;
	return 0;
}
early_param("kho_finish_timeout", kho_parse_finish_timeout);

/* kho_lock: finalize, abort, loading and the hook list. */
static DEFINE_MUTEX(kho_lock);
/* kho_state_sem: read by every change to the outgoing set, written by
 * state transitions.
 */
static DECLARE_RWSEM(kho_state_sem);
static enum kho_state kho_state = KHO_IDLE;
static LIST_HEAD(kho_hooks);

static DEFINE_MUTEX(kho_blobs_lock);
static LIST_HEAD(kho_blobs);
static unsigned int kho_nr_blobs;

static void *kho_out_fdt;
static size_t kho_out_fdt_size;

static struct kimage *kho_loaded_image;
static phys_addr_t kho_loaded_scratch;

static DEFINE_SPINLOCK(kho_error_lock);
static char kho_last_error[KHO_REASON_LEN];

/**
 * kho_is_enabled() - is handing over to the next kernel possible?
 *
 * Return: true if KHO is on and its scratch memory is reserved.
 */
bool kho_is_enabled(void)
{
	return kho_enable;
}
EXPORT_SYMBOL_GPL(kho_is_enabled);

/**
 * is_kho_boot() - was this kernel booted through a valid handover?
 *
 * Return: true if a handover was received and accepted.
 */
bool is_kho_boot(void)
{
	size_t size;

	return kho_in_get(NULL, &size);
}
EXPORT_SYMBOL_GPL(is_kho_boot);

/**
 * kho_get_state() - state of the outgoing handover
 *
 * Return: %KHO_IDLE, %KHO_FINALIZED or %KHO_LOADED.
 */
enum kho_state kho_get_state(void)
{
	struct kimage *loaded;

	guard(mutex)(&kho_lock);
	loaded = kho_loaded_image;
	if (kho_state == KHO_FINALIZED && loaded &&
	    loaded == READ_ONCE(kexec_image))
		return KHO_LOADED;
	return kho_state;
}
EXPORT_SYMBOL_GPL(kho_get_state);

/**
 * kho_set_error() - record why the handover was refused
 * @fmt: printf format of the reason
 *
 * The reason is logged and shown in /sys/kernel/kho/last_error.
 */
void kho_set_error(const char *fmt, ...)
{
	va_list args;

	spin_lock(&kho_error_lock);
	va_start(args, fmt);
	vsnprintf(kho_last_error, sizeof(kho_last_error), fmt, args);
	va_end(args);
	spin_unlock(&kho_error_lock);
	pr_err("%s\n", kho_last_error);
}

/**
 * kho_out_begin() - start a change to the outgoing handover
 *
 * Return: 0 with the state held idle until kho_out_end(); -EOPNOTSUPP if
 * KHO is disabled; -EBUSY if the handover is finalized.
 */
int kho_out_begin(void)
{
	if (!kho_enable)
		return -EOPNOTSUPP;
	down_read(&kho_state_sem);
	if (kho_state != KHO_IDLE) {
		up_read(&kho_state_sem);
		return -EBUSY;
	}
	return 0;
}

/**
 * kho_out_end() - end a change begun by a successful kho_out_begin()
 */
void kho_out_end(void)
{
	up_read(&kho_state_sem);
}

/**
 * kho_add_subtree() - hand a named blob to the next kernel
 * @name: node name in the root FDT: 1..63 of [A-Za-z0-9,._+@-], unique
 * @blob: the blob, in the kernel's direct map; preserve its memory too
 *	  (e.g. allocate it with kho_alloc_preserve())
 * @size: its size in bytes
 *
 * The next kernel finds it with kho_retrieve_subtree(@name).
 *
 * Return: 0; -EINVAL for a bad name or size; -EEXIST if @name is taken;
 * -EBUSY if the handover is finalized; -EOPNOTSUPP; -ENOMEM.
 */
int kho_add_subtree(const char *name, void *blob, size_t size)
{
	struct kho_blob *b, *new;
	int err;

	if (!kho_blob_name_valid(name) || !size || !virt_addr_valid(blob))
		return -EINVAL;
	new = kzalloc(struct_size(new, name, strlen(name) + 1), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	strscpy(new->name, name, strlen(name) + 1);
	new->phys = virt_to_phys(blob);
	new->size = size;

	err = kho_out_begin();
	if (err)
		goto free;
	mutex_lock(&kho_blobs_lock);
	list_for_each_entry(b, &kho_blobs, list) {
		if (!strcmp(b->name, name)) {
			err = -EEXIST;
			break;
		}
	}
	if (!err) {
		list_add_tail(&new->list, &kho_blobs);
		kho_nr_blobs++;
	}
	mutex_unlock(&kho_blobs_lock);
	kho_out_end();
	if (!err)
		return 0;
free:
	kfree(new);
	return err;
}
EXPORT_SYMBOL_GPL(kho_add_subtree);

/**
 * kho_remove_subtree() - take a blob out of the handover
 * @name: the name given to kho_add_subtree()
 *
 * Return: 0; -ENOENT if there is no such blob; -EBUSY if the handover is
 * finalized; -EOPNOTSUPP.
 */
int kho_remove_subtree(const char *name)
{
	struct kho_blob *b;
	int err;

	err = kho_out_begin();
	if (err)
		return err;
	err = -ENOENT;
	mutex_lock(&kho_blobs_lock);
	list_for_each_entry(b, &kho_blobs, list) {
		if (!strcmp(b->name, name)) {
			list_del(&b->list);
			kho_nr_blobs--;
			kfree(b);
			err = 0;
			break;
		}
	}
	mutex_unlock(&kho_blobs_lock);
	kho_out_end();
	return err;
}
EXPORT_SYMBOL_GPL(kho_remove_subtree);

/**
 * kho_retrieve_subtree() - find a blob the previous kernel handed over
 * @name: its name
 * @phys: returns its physical address
 * @size: returns its size, if not NULL
 *
 * The blob's memory is preserved memory: take it with kho_restore_folio()
 * or kho_restore_pages(), or it is returned to the allocator when the
 * handover is finished (see kho_finish_timeout= in
 * Documentation/kho/admin-guide.rst).
 *
 * Return: 0; -ENOENT if this is not a KHO boot or there is no such blob;
 * -ESTALE once the handover is finished: the blob's memory may be in use
 * by the page allocator.
 */
int kho_retrieve_subtree(const char *name, phys_addr_t *phys, size_t *size)
{
	const void *fdt;
	size_t fdt_size;
	u64 p, s;
	int err;

	fdt = kho_in_get(NULL, &fdt_size);
	if (!fdt)
		return -ENOENT;
	err = kho_fdt_find_blob(fdt, name, &p, &s);
	if (err)
		return err;
	if (kho_in_finished()) {
		pr_warn("sub-blob %s retrieved after the handover finished: its memory went back to the page allocator\n",
			name);
		return -ESTALE;
	}
	*phys = p;
	if (size)
		*size = s;
	kho_in_blob_retrieved(name);
	return 0;
}
EXPORT_SYMBOL_GPL(kho_retrieve_subtree);

/**
 * kho_register_hook() - take part in finalizing the handover
 * @hook: the hook; see &struct kho_hook
 *
 * Return: 0, or -EBUSY while the handover is finalized.
 */
int kho_register_hook(struct kho_hook *hook)
{
	guard(mutex)(&kho_lock);
	if (kho_state != KHO_IDLE)
		return -EBUSY;
	list_add_tail(&hook->list, &kho_hooks);
	return 0;
}
EXPORT_SYMBOL_GPL(kho_register_hook);

/**
 * kho_unregister_hook() - stop taking part in finalize
 * @hook: a registered hook
 *
 * If the handover is finalized, @hook->abort is called first.
 */
void kho_unregister_hook(struct kho_hook *hook)
{
	guard(mutex)(&kho_lock);
	if (kho_state != KHO_IDLE && hook->abort)
		hook->abort(hook);
	list_del(&hook->list);
}
EXPORT_SYMBOL_GPL(kho_unregister_hook);

/* Undo prepare for the hooks before @stop (all hooks when NULL). */
static void kho_hooks_abort(struct kho_hook *stop)
{
	struct kho_hook *hook;

	list_for_each_entry(hook, &kho_hooks, list) {
		if (hook == stop)
			break;
		if (hook->abort)
			hook->abort(hook);
	}
}

/*
 * Allocate preserved memory for the root FDT, big enough for the current
 * sub-blobs, and return with kho_blobs_lock held so that the list cannot
 * grow before the FDT is built. The allocation itself preserves memory,
 * which takes kho_state_sem, so it must not happen under kho_blobs_lock
 * (kho_add_subtree() takes them the other way round).
 */
static void *kho_fdt_alloc(size_t *size)
{
	void *fdt;

	for (;;) {
		mutex_lock(&kho_blobs_lock);
		*size = kho_fdt_size(&kho_blobs);
		mutex_unlock(&kho_blobs_lock);
		if (*size > KHO_FDT_MAX_SIZE)
			return ERR_PTR(-E2BIG);
		fdt = kho_alloc_preserve(*size);
		if (IS_ERR(fdt))
			return fdt;
		mutex_lock(&kho_blobs_lock);
		if (kho_fdt_size(&kho_blobs) <= *size)
			return fdt;
		mutex_unlock(&kho_blobs_lock);
		kho_unpreserve_free(fdt);
	}
}

static int kho_finalize_locked(void)
{
	char *reason __free(kfree) = kzalloc(KHO_REASON_LEN, GFP_KERNEL);
	unsigned long nr_keys, nr_nodes;
	struct kho_hook *hook;
	struct kho_blob *b;
	phys_addr_t mem_map;
	size_t size;
	void *fdt;
	int err;

	lockdep_assert_held(&kho_lock);
	if (!kho_enable)
		return -EOPNOTSUPP;
	if (kho_state != KHO_IDLE)
		return -EBUSY;
	if (!reason)
		return -ENOMEM;

	list_for_each_entry(hook, &kho_hooks, list) {
		if (!hook->prepare)
			continue;
		err = hook->prepare(hook, reason, KHO_REASON_LEN);
		if (err) {
			kho_set_error("finalize: %s failed to prepare (%d): %s",
				      hook->name, err, reason);
			kho_hooks_abort(hook);
			return err;
		}
	}

	mem_map = kho_mem_out_root();
	fdt = kho_fdt_alloc(&size);
	if (IS_ERR(fdt)) {
		err = PTR_ERR(fdt);
		kho_set_error("finalize: no memory for the FDT (%d)", err);
		goto fail;
	}
	/* kho_fdt_alloc() returned with kho_blobs_lock held. */
	err = mem_map ? 0 : -ENOMEM;
	list_for_each_entry(b, &kho_blobs, list) {
		if (!err && !kho_mem_out_covered(b->phys, b->size)) {
			kho_set_error("finalize: sub-blob %s is not in preserved memory",
				      b->name);
			err = -EINVAL;
		}
	}
	if (!err) {
		err = kho_fdt_build(fdt, size, mem_map, &kho_blobs);
		if (err)
			kho_set_error("finalize: cannot generate the FDT (%d)", err);
	}
	mutex_unlock(&kho_blobs_lock);
	if (err)
		goto fail;

	list_for_each_entry(hook, &kho_hooks, list) {
		if (!hook->validate)
			continue;
		reason[0] = '\0';
		err = hook->validate(hook, fdt, size, reason, KHO_REASON_LEN);
		if (err) {
			kho_set_error("finalize: %s refused the handover (%d): %s",
				      hook->name, err, reason);
			goto fail;
		}
	}

	down_write(&kho_state_sem);
	kho_state = KHO_FINALIZED;
	up_write(&kho_state_sem);
	kho_out_fdt = fdt;
	kho_out_fdt_size = size;
	spin_lock(&kho_error_lock);
	kho_last_error[0] = '\0';
	spin_unlock(&kho_error_lock);
	kho_mem_out_stats(&nr_keys, &nr_nodes);
	pr_info("finalized: %lu preserved block(s) in %lu map page(s), %u sub-blob(s)\n",
		nr_keys, nr_nodes, kho_nr_blobs);
	return 0;

fail:
	if (!IS_ERR_OR_NULL(fdt))
		kho_unpreserve_free(fdt);
	kho_hooks_abort(NULL);
	return err;
}

static int kho_abort_locked(void)
{
	lockdep_assert_held(&kho_lock);
	if (kho_state == KHO_IDLE)
		return -EINVAL;
	if (kho_loaded_image && kho_loaded_image == READ_ONCE(kexec_image))
		return -EBUSY;
	down_write(&kho_state_sem);
	kho_state = KHO_IDLE;
	up_write(&kho_state_sem);
	kho_loaded_image = NULL;
	kho_unpreserve_free(kho_out_fdt);
	kho_out_fdt = NULL;
	kho_out_fdt_size = 0;
	kho_hooks_abort(NULL);
	pr_info("aborted: the handover is idle again\n");
	return 0;
}

/**
 * kho_finalize() - freeze the handover and generate its FDT
 *
 * Runs every hook's prepare, builds the root FDT, then runs every hook's
 * validate. Any failure leaves the handover idle and its reason in
 * /sys/kernel/kho/last_error.
 *
 * Return: 0; -EBUSY if already finalized; -EOPNOTSUPP if KHO is disabled;
 * or the error of the hook that failed.
 */
int kho_finalize(void)
{
	guard(mutex)(&kho_lock);
	return kho_finalize_locked();
}
EXPORT_SYMBOL_GPL(kho_finalize);

/**
 * kho_abort() - return a finalized handover to idle
 *
 * Return: 0; -EINVAL if it is idle; -EBUSY while a kexec image carrying it
 * is loaded.
 */
int kho_abort(void)
{
	guard(mutex)(&kho_lock);
	return kho_abort_locked();
}
EXPORT_SYMBOL_GPL(kho_abort);

#if IS_ENABLED(CONFIG_KEXEC_HANDOVER_SELFTEST)
/**
 * kho_selftest_damage() - break the finalized handover, for kho_selftest
 * @map: damage the preserved-memory map instead of the FDT
 *
 * The FDT's compatible becomes "kho-v9", or the map's root gets a child
 * outside RAM in a slot no order-0 key uses. The next kernel must refuse
 * the handover and boot normally.
 *
 * Return: 0, or -EINVAL if the handover is not finalized.
 */
int kho_selftest_damage(bool map)
{
	struct kho_radix_node *root;

	guard(mutex)(&kho_lock);
	if (!kho_out_fdt)
		return -EINVAL;
	if (!map)
		return fdt_setprop_inplace(kho_out_fdt, 0, "compatible",
					   "kho-v9", 7) ? -EINVAL : 0;
	root = phys_to_virt(kho_mem_out_root());
	root->table[(1U << KHO_TABLE_SIZE_LOG2) - 1] = 1ULL << 51;
	return 0;
}
EXPORT_SYMBOL_GPL(kho_selftest_damage);
#endif

/* ---- kexec_file_load() ---- */

/**
 * kho_fill_kimage() - attach the handover to a kexec image being loaded
 * @image: the image
 *
 * Finalizes the handover if it is idle and adds the scratch array as a
 * segment. Called by kexec_file_load() before the image's loader runs.
 *
 * Return: 0, or the error that refused the handover.
 */
int kho_fill_kimage(struct kimage *image)
{
	unsigned int cnt;
	const struct kho_scratch_entry *areas = kho_scratch_out(&cnt);
	struct kexec_buf kbuf = {
		.image = image,
		.buffer = (void *)areas,
		.bufsz = cnt * sizeof(*areas),
		.memsz = cnt * sizeof(*areas),
		.mem = KEXEC_BUF_MEM_UNKNOWN,
		.buf_align = PAGE_SIZE,
		.buf_max = ULONG_MAX,
		.top_down = true,
	};
	int err;

	if (!kho_enable || image->type == KEXEC_TYPE_CRASH)
		return 0;
	guard(mutex)(&kho_lock);
	if (kho_state == KHO_IDLE) {
		err = kho_finalize_locked();
		if (err) {
			pr_err("kexec_file_load refused: the handover did not finalize\n");
			return err;
		}
	}
	err = kexec_add_buffer(&kbuf);
	if (err) {
		kho_set_error("load: no room for the scratch array in scratch (%d)",
			      err);
		return err;
	}
	kho_loaded_image = image;
	kho_loaded_scratch = kbuf.mem;
	return 0;
}

/**
 * kho_kimage_free() - a kexec image is being freed
 * @image: the image
 */
void kho_kimage_free(struct kimage *image)
{
	guard(mutex)(&kho_lock);
	if (kho_loaded_image == image)
		kho_loaded_image = NULL;
}

/**
 * kho_kimage_handover() - what the boot protocol passes to the next kernel
 * @image: the image being loaded
 * @out: filled with the FDT and scratch array locations
 *
 * Return: true if @image carries the handover.
 */
bool kho_kimage_handover(const struct kimage *image,
			 struct kho_x86_setup_data *out)
{
	unsigned int cnt;

	guard(mutex)(&kho_lock);
	if (!kho_loaded_image || kho_loaded_image != image || !kho_out_fdt)
		return false;
	kho_scratch_out(&cnt);
	out->fdt_addr = virt_to_phys(kho_out_fdt);
	out->fdt_size = kho_out_fdt_size;
	out->scratch_addr = kho_loaded_scratch;
	out->scratch_size = cnt * sizeof(struct kho_scratch_entry);
	return true;
}

/**
 * kho_locate_mem_hole() - place a kexec segment in scratch memory
 * @kbuf: the segment
 * @func: kexec's callback that tries one range
 *
 * Return: 1 if KHO does not place this segment, 0 if it was placed, or
 * -EADDRNOTAVAIL if scratch has no room for it.
 */
int kho_locate_mem_hole(struct kexec_buf *kbuf,
			int (*func)(struct resource *res, void *arg))
{
	const struct kho_scratch_entry *areas;
	unsigned int cnt, i;
	int ret = 0;

	if (!kho_enable || kbuf->image->type == KEXEC_TYPE_CRASH)
		return 1;
	areas = kho_scratch_out(&cnt);
	for (i = 0; i < cnt && !ret; i++) {
		struct resource res = {
			.start = areas[i].addr,
			.end = areas[i].addr + areas[i].size - 1,
			.flags = IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY,
		};

		ret = func(&res, kbuf);
	}
	return ret == 1 ? 0 : -EADDRNOTAVAIL;
}

/* ---- sysfs ---- */

static const char * const kho_state_names[] = {
	[KHO_IDLE] = "idle",
	[KHO_FINALIZED] = "finalized",
	[KHO_LOADED] = "loaded",
};

static ssize_t enabled_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", kho_enable);
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
	ssize_t n;

	spin_lock(&kho_error_lock);
	n = kho_last_error[0] ? sysfs_emit(buf, "%s\n", kho_last_error) : 0;
	spin_unlock(&kho_error_lock);
	return n;
}

static struct kobj_attribute kho_attr_last_error = __ATTR_RO(last_error);

static ssize_t fdt_read(struct file *file, struct kobject *kobj,
			struct bin_attribute *attr, char *buf, loff_t off,
			size_t count)
{
	guard(mutex)(&kho_lock);
	if (!kho_out_fdt)
		return 0;
	return memory_read_from_buffer(buf, count, &off, kho_out_fdt,
				       fdt_totalsize(kho_out_fdt));
}

static struct bin_attribute kho_attr_fdt = __BIN_ATTR_ADMIN_RO(fdt, 0);

static ssize_t summary_out_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	unsigned long nr_keys, nr_nodes;
	size_t fdt_size;

	kho_mem_out_stats(&nr_keys, &nr_nodes);
	mutex_lock(&kho_lock);
	fdt_size = kho_out_fdt ? fdt_totalsize(kho_out_fdt) : 0;
	mutex_unlock(&kho_lock);
	return sysfs_emit(buf, "blocks %lu\nmap_pages %lu\nsub_blobs %u\nfdt_size %zu\n",
			  nr_keys, nr_nodes, READ_ONCE(kho_nr_blobs), fdt_size);
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
		sa[i].attr.attr.mode = 0444;
		sa[i].attr.show = scratch_show;
		err = sysfs_create_file(dir, &sa[i].attr.attr);
	}
	return err;
}

/* /sys/firmware/kho: the handover this kernel received */

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

static struct kobj_attribute kho_attr_summary = __ATTR_RO(summary);

/*
 * Finishing the incoming handover: what nobody restored goes back to the
 * page allocator, once, kho_finish_timeout seconds after the late initcalls
 * (at once for 0, never for -1) or when /sys/firmware/kho/finish is
 * written, whichever comes first.
 */
enum kho_finish_how {
	KHO_FINISH_PENDING,
	KHO_FINISH_TIMEOUT,
	KHO_FINISH_WRITE,
};

static DEFINE_MUTEX(kho_finish_lock);
static enum kho_finish_how kho_finished;
static unsigned long kho_finish_deadline;	/* jiffies, once armed */

/**
 * kho_in_finished() - has the incoming handover been finished?
 *
 * Return: true once unrestored incoming memory is being, or has been,
 * returned to the page allocator; restores must fail from then on.
 */
bool kho_in_finished(void)
{
	return READ_ONCE(kho_finished) != KHO_FINISH_PENDING;
}

static void kho_finish(enum kho_finish_how how)
{
	guard(mutex)(&kho_finish_lock);
	if (kho_finished != KHO_FINISH_PENDING)
		return;
	WRITE_ONCE(kho_finished, how);
	if (how == KHO_FINISH_TIMEOUT)
		pr_info("finishing the handover: kho_finish_timeout=%d passed\n",
			kho_finish_timeout);
	else
		pr_info("finishing the handover: /sys/firmware/kho/finish was written\n");
	khoreg_in_finish();
	kho_in_blobs_release();
	kho_mem_in_release();
}

static void kho_finish_work_fn(struct work_struct *work)
{
	kho_finish(KHO_FINISH_TIMEOUT);
}

static DECLARE_DELAYED_WORK(kho_finish_work, kho_finish_work_fn);

static int __init kho_finish_arm(void)
{
	if (!is_kho_boot())
		return 0;
	if (kho_finish_timeout < 0) {
		pr_info("unrestored memory stays reserved until /sys/firmware/kho/finish is written\n");
		return 0;
	}
	if (!kho_finish_timeout) {
		kho_finish(KHO_FINISH_TIMEOUT);
		return 0;
	}
	kho_finish_deadline = jiffies + (unsigned long)kho_finish_timeout * HZ;
	schedule_delayed_work(&kho_finish_work,
			      (unsigned long)kho_finish_timeout * HZ);
	pr_info("the handover finishes in %d s: restore state before (kho_finish_timeout=)\n",
		kho_finish_timeout);
	return 0;
}
late_initcall_sync(kho_finish_arm);

static ssize_t finish_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	long left;

	switch (READ_ONCE(kho_finished)) {
	case KHO_FINISH_TIMEOUT:
		return sysfs_emit(buf, "finished timeout\n");
	case KHO_FINISH_WRITE:
		return sysfs_emit(buf, "finished write\n");
	default:
		break;
	}
	if (kho_finish_timeout < 0)
		return sysfs_emit(buf, "pending never\n");
	left = max(0L, (long)(kho_finish_deadline - jiffies));
	return sysfs_emit(buf, "pending %lu\n",
			  DIV_ROUND_UP(jiffies_to_msecs(left), MSEC_PER_SEC));
}

static ssize_t finish_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	bool on;

	if (kstrtobool(buf, &on) || !on)
		return -EINVAL;
	cancel_delayed_work_sync(&kho_finish_work);
	kho_finish(KHO_FINISH_WRITE);
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

/* /sys/kernel/kho and, on a KHO boot, /sys/firmware/kho; NULL if absent. */
struct kobject *kho_sysfs_out, *kho_sysfs_in;

static int __init kho_init(void)
{
	struct kobject *kobj;
	unsigned int cnt;
	int err;

	kho_scratch_out(&cnt);
	if (kho_enable && !cnt) {
		pr_warn("no scratch memory: handing over is disabled\n");
		kho_enable = false;
	}

	kobj = kobject_create_and_add("kho", kernel_kobj);
	if (!kobj)
		return -ENOMEM;
	kho_sysfs_out = kobj;
	err = sysfs_create_group(kobj, &kho_group);
	if (!err && kho_enable)
		err = kho_sysfs_scratch(kobj);
	if (err)
		pr_warn("cannot create /sys/kernel/kho (%d)\n", err);

	if (is_kho_boot()) {
		kho_mem_in_free_gaps();
		kobj = kobject_create_and_add("kho", firmware_kobj);
		kho_sysfs_in = kobj;
		err = kobj ? sysfs_create_group(kobj, &kho_in_group) : -ENOMEM;
		err = err ?: kho_in_blobs_init(kobj);
		if (err)
			pr_warn("cannot create /sys/firmware/kho (%d)\n", err);
	}
	return 0;
}
fs_initcall(kho_init);
