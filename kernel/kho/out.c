// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver: the outgoing handover and its lifecycle.
 *
 * The outgoing handover is an object with four states:
 *
 *  idle        preserved memory and sub-blobs may change;
 *  finalizing  finalize runs the hooks, generates the root FDT and runs the
 *              validators; only the task running it may change the
 *              handover, every other task's change is refused with -EBUSY;
 *  finalized   the FDT is generated and validated, and every change is
 *              refused with -EBUSY;
 *  loaded      a kexec image carrying the handover is loaded.
 *
 * kexec_file_load() finalizes an idle handover itself; a refusal by a
 * validator makes it fail and is readable in /sys/kernel/kho/last_error.
 * Aborting returns a finalized handover to idle; it is refused from the
 * moment kexec_file_load() attached the handover to an image until that
 * image is unloaded or freed. Because only finalize itself changes the
 * handover from its start to kexec -e, the next kernel sees exactly the
 * state that was validated (the contents of preserved memory are,
 * naturally, as they are at kexec -e).
 *
 * This file holds the sub-blobs, the hooks, finalize and abort, and the
 * glue kexec_file_load() and the architectures call. The idle/finalized
 * gate itself is in state.c, so that mem.c can consult it without calling
 * up here.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/cc_platform.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kexec.h>
#include <linux/libfdt.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

/* kho_lock: finalize, abort, loading and the hook list. */
static DEFINE_MUTEX(kho_lock);
static LIST_HEAD(kho_hooks);

static DEFINE_MUTEX(kho_blobs_lock);
static LIST_HEAD(kho_blobs);
static unsigned int kho_nr_blobs;

static void *kho_out_fdt;
static size_t kho_out_fdt_size;

static struct kimage *kho_loaded_image;
static phys_addr_t kho_loaded_scratch;

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
	if (kho_out_state() == KHO_FINALIZED && loaded &&
	    loaded == READ_ONCE(kexec_image))
		return KHO_LOADED;
	return kho_out_state();
}
EXPORT_SYMBOL_GPL(kho_get_state);

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
 * @blob: the blob given to kho_add_subtree()
 *
 * While the handover is finalized nothing is changed and a line is logged.
 * A blob that was not added is ignored.
 */
void kho_remove_subtree(void *blob)
{
	phys_addr_t phys = virt_to_phys(blob);
	struct kho_blob *b;
	int err;

	err = kho_out_begin();
	if (err) {
		if (err == -EBUSY)
			pr_warn("cannot remove the sub-blob at %pa: the handover is finalized\n",
				&phys);
		return;
	}
	mutex_lock(&kho_blobs_lock);
	list_for_each_entry(b, &kho_blobs, list) {
		if (b->phys == phys) {
			list_del(&b->list);
			kho_nr_blobs--;
			kfree(b);
			break;
		}
	}
	mutex_unlock(&kho_blobs_lock);
	kho_out_end();
}
EXPORT_SYMBOL_GPL(kho_remove_subtree);

/**
 * kho_register_hook() - take part in finalizing the handover
 * @hook: the hook; see &struct kho_hook
 *
 * While the handover is finalized, @hook->owner stays pinned.
 *
 * Return: 0, or -EBUSY while the handover is finalized.
 */
int kho_register_hook(struct kho_hook *hook)
{
	guard(mutex)(&kho_lock);
	if (kho_out_state() != KHO_IDLE)
		return -EBUSY;
	list_add_tail(&hook->list, &kho_hooks);
	return 0;
}
EXPORT_SYMBOL_GPL(kho_register_hook);

/**
 * kho_unregister_hook() - stop taking part in finalize
 * @hook: a registered hook
 *
 * A finalized handover holds what @hook->prepare made: abort it first.
 * Its owner module stays pinned until then, so a module's exit never sees
 * the refusal.
 *
 * Return: 0, or -EBUSY while the handover is finalized.
 */
int kho_unregister_hook(struct kho_hook *hook)
{
	guard(mutex)(&kho_lock);
	if (kho_out_state() != KHO_IDLE)
		return -EBUSY;
	list_del(&hook->list);
	return 0;
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
		module_put(hook->owner);
	}
}

/*
 * Run every hook's prepare, its owner module pinned until abort; on
 * failure undo the ones that succeeded.
 */
static int kho_hooks_prepare(char *reason)
{
	struct kho_hook *hook;
	int err;

	list_for_each_entry(hook, &kho_hooks, list) {
		err = try_module_get(hook->owner) ? 0 : -EBUSY;
		if (err) {
			kho_set_error("finalize: the module of %s is unloading",
				      hook->name);
			kho_hooks_abort(hook);
			return err;
		}
		if (!hook->prepare)
			continue;
		err = hook->prepare(hook, reason, KHO_REASON_LEN);
		if (err) {
			kho_set_error("finalize: %s failed to prepare (%d): %s",
				      hook->name, err, reason);
			module_put(hook->owner);
			kho_hooks_abort(hook);
			return err;
		}
	}
	return 0;
}

/* Run every hook's validate on the generated FDT; the first refusal wins. */
static int kho_hooks_validate(const void *fdt, size_t size, char *reason)
{
	struct kho_hook *hook;
	int err;

	list_for_each_entry(hook, &kho_hooks, list) {
		if (!hook->validate)
			continue;
		reason[0] = '\0';
		err = hook->validate(hook, fdt, size, reason, KHO_REASON_LEN);
		if (err) {
			kho_set_error("finalize: %s refused the handover (%d): %s",
				      hook->name, err, reason);
			return err;
		}
	}
	return 0;
}

/*
 * Allocate preserved memory for a root FDT naming the current sub-blobs.
 * The allocation itself preserves memory, which takes the state gate, so
 * it must not happen under kho_blobs_lock (kho_add_subtree() takes them the
 * other way round): kho_fdt_fill() checks that the list did not outgrow it.
 */
static void *kho_fdt_alloc(size_t *size)
{
	mutex_lock(&kho_blobs_lock);
	*size = kho_fdt_size(&kho_blobs);
	mutex_unlock(&kho_blobs_lock);
	if (*size > KHO_FDT_MAX_SIZE)
		return ERR_PTR(-E2BIG);
	return kho_alloc_preserve(*size);
}

/*
 * Build the root FDT in @fdt, @size bytes, with the sub-blob list locked.
 * Return: 0; -EAGAIN if the list grew since @fdt was allocated; or the
 * error that refused the handover.
 */
static int kho_fdt_fill(void *fdt, size_t size, phys_addr_t mem_map)
{
	struct kho_blob *b;
	int err;

	guard(mutex)(&kho_blobs_lock);
	if (kho_fdt_size(&kho_blobs) > size)
		return -EAGAIN;
	if (!mem_map)
		return -ENOMEM;
	list_for_each_entry(b, &kho_blobs, list) {
		if (!kho_mem_out_covered(b->phys, b->size)) {
			kho_set_error("finalize: sub-blob %s is not in preserved memory",
				      b->name);
			return -EINVAL;
		}
	}
	err = kho_fdt_build(fdt, size, mem_map, &kho_blobs);
	if (err)
		kho_set_error("finalize: cannot generate the FDT (%d)", err);
	return err;
}

/* Generate the root FDT in preserved memory; an ERR_PTR on failure. */
static void *kho_fdt_generate(size_t *size)
{
	phys_addr_t mem_map = kho_mem_out_root();
	void *fdt;
	int err;

	do {
		fdt = kho_fdt_alloc(size);
		if (IS_ERR(fdt)) {
			kho_set_error("finalize: no memory for the FDT (%ld)",
				      PTR_ERR(fdt));
			return fdt;
		}
		err = kho_fdt_fill(fdt, *size, mem_map);
		if (err)
			kho_unpreserve_free(fdt);
	} while (err == -EAGAIN);
	return err ? ERR_PTR(err) : fdt;
}

/* Freeze the handover with @fdt as its root FDT. */
static void kho_finalized(void *fdt, size_t size)
{
	unsigned long nr_keys, nr_nodes;

	kho_out_set_state(KHO_FINALIZED);
	kho_out_fdt = fdt;
	kho_out_fdt_size = size;
	kho_clear_error();
	kho_mem_out_stats(&nr_keys, &nr_nodes);
	pr_info("finalized: %lu preserved block(s) in %lu map page(s), %u sub-blob(s)\n",
		nr_keys, nr_nodes, kho_nr_blobs);
}

static int kho_finalize_locked(void)
{
	char *reason __free(kfree) = kzalloc(KHO_REASON_LEN, GFP_KERNEL);
	size_t size;
	void *fdt;
	int err;

	lockdep_assert_held(&kho_lock);
	if (!kho_is_enabled())
		return -EOPNOTSUPP;
	if (kho_out_state() != KHO_IDLE)
		return -EBUSY;
	if (!reason)
		return -ENOMEM;

	kho_out_finalizing();
	err = kho_hooks_prepare(reason);
	if (err)
		goto idle;
	fdt = kho_fdt_generate(&size);
	err = PTR_ERR_OR_ZERO(fdt);
	if (!err) {
		err = kho_hooks_validate(fdt, size, reason);
		if (err)
			kho_unpreserve_free(fdt);
	}
	if (err) {
		kho_hooks_abort(NULL);
		goto idle;
	}
	kho_finalized(fdt, size);
	return 0;
idle:
	kho_out_set_state(KHO_IDLE);
	return err;
}

static int kho_abort_locked(void)
{
	lockdep_assert_held(&kho_lock);
	if (kho_out_state() == KHO_IDLE)
		return -EINVAL;
	if (kho_loaded_image) {
		pr_warn("abort refused: a kexec image carries the handover; unload it first\n");
		return -EBUSY;
	}
	kho_out_set_state(KHO_IDLE);
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
 * Return: 0; -EINVAL if it is idle; -EBUSY from the moment
 * kexec_file_load() attaches the handover to an image until that image is
 * unloaded (or its load failed).
 */
int kho_abort(void)
{
	guard(mutex)(&kho_lock);
	return kho_abort_locked();
}
EXPORT_SYMBOL_GPL(kho_abort);

#ifdef CONFIG_KEXEC_HANDOVER_TEST_HOOKS
/**
 * kho_selftest_damage() - break the finalized handover, for kho_selftest
 * @map: damage the preserved-memory map instead of the FDT
 *
 * The FDT's compatible becomes "kho-v9", or the map's root gets a child
 * outside RAM in a slot no order-0 key uses. The next kernel must refuse
 * the handover and boot normally. Only test kernels have it
 * (CONFIG_KEXEC_HANDOVER_TEST_HOOKS).
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

	if (!kho_is_enabled() || image->type == KEXEC_TYPE_CRASH)
		return 0;
	guard(mutex)(&kho_lock);
	if (kho_out_state() == KHO_IDLE) {
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

#ifdef CONFIG_KEXEC_HANDOVER_TEST_HOOKS
/*
 * kho_staged_load=1: test kernels stage every image and have purgatory
 * check it, as when another image is loaded, so that the VM scenarios
 * test that path and the benchmark times both ways of loading in one run.
 */
static bool kho_staged_load __read_mostly;

static int __init kho_parse_staged_load(char *p)
{
	return kstrtobool(p, &kho_staged_load);
}
early_param("kho_staged_load", kho_parse_staged_load);
#else
#define kho_staged_load false
#endif

/**
 * kho_kimage_in_place() - is the image loaded where it runs, in scratch?
 * @image: an image being loaded, its segments placed
 *
 * This kernel reserves scratch at boot and never uses it, as it never uses
 * the crash kernel's region, so a segment that lies in scratch can be
 * written to its destination by kexec_file_load() instead of being staged
 * in ordinary pages and copied there at kexec -e. That is done for the
 * image carrying the handover when every one of its segments lies in one
 * scratch area, no other image is loaded (a load in place would overwrite
 * that image's segments before the new one replaced it) and memory is not
 * encrypted. Such an image has nothing to relocate, so no copy for
 * purgatory's digest to check. Called with kexec_lock held.
 *
 * Return: true if @image's segments are loaded in place.
 */
bool kho_kimage_in_place(const struct kimage *image)
{
	const struct kho_scratch_entry *areas;
	unsigned int cnt, i, j;

	if (kho_staged_load || kexec_image ||
	    cc_platform_has(CC_ATTR_HOST_MEM_ENCRYPT))
		return false;
	guard(mutex)(&kho_lock);
	if (!kho_loaded_image || kho_loaded_image != image)
		return false;
	areas = kho_scratch_out(&cnt);
	for (i = 0; i < image->nr_segments; i++) {
		const struct kexec_segment *seg = &image->segment[i];

		for (j = 0; j < cnt; j++)
			if (seg->mem >= areas[j].addr &&
			    seg->mem - areas[j].addr <= areas[j].size &&
			    seg->memsz <= areas[j].size - (seg->mem - areas[j].addr))
				break;
		if (j == cnt)
			return false;
	}
	return true;
}

/**
 * kho_kimage_handover() - what the boot protocol passes to the next kernel
 * @image: the image being loaded
 * @out: filled with the FDT and scratch array locations, which the
 *	 architecture's boot protocol converts to its own format
 *
 * Return: true if @image carries the handover.
 */
bool kho_kimage_handover(const struct kimage *image,
			 struct kho_image_handover *out)
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

	if (!kho_is_enabled() || kbuf->image->type == KEXEC_TYPE_CRASH)
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

/* ---- for sysfs.c ---- */

/**
 * kho_out_fdt_read() - read the finalized root FDT
 * @buf: destination
 * @off: offset in the FDT
 * @count: bytes wanted
 *
 * Return: bytes read; 0 while the handover is idle.
 */
ssize_t kho_out_fdt_read(char *buf, loff_t off, size_t count)
{
	guard(mutex)(&kho_lock);
	if (!kho_out_fdt)
		return 0;
	return memory_read_from_buffer(buf, count, &off, kho_out_fdt,
				       fdt_totalsize(kho_out_fdt));
}

/**
 * kho_out_summary() - size of the outgoing root FDT and sub-blob count
 * @fdt_size: returns the FDT's size, 0 while the handover is idle
 *
 * Return: the number of sub-blobs.
 */
unsigned int kho_out_summary(size_t *fdt_size)
{
	mutex_lock(&kho_lock);
	*fdt_size = kho_out_fdt ? fdt_totalsize(kho_out_fdt) : 0;
	mutex_unlock(&kho_lock);
	return READ_ONCE(kho_nr_blobs);
}
