// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver: the handover this kernel received.
 *
 * The boot protocol (x86 setup_data, /chosen of the device tree) passes
 * the root FDT and the scratch array to kho_populate() before memblock
 * allocates anything. kho_memblock_setup() then restricts early
 * allocations to the incoming scratch, and kho_memory_init() checks the
 * FDT, keeps a copy and has mem.c reserve the preserved memory. Anything
 * wrong makes the kernel ignore the handover with one log line and boot as
 * if none had been passed: a handover is untrusted input.
 *
 * After boot, drivers find their sub-blobs with kho_retrieve_subtree().
 * Every sub-blob is copied for /sys/firmware/kho/blobs, so that none that
 * no driver of this kernel reads is dropped silently. Finishing the
 * handover (after kho_finish_timeout= or when /sys/firmware/kho/finish is
 * written) tells the registry through its finish callback, logs the
 * sub-blobs nobody retrieved and returns unrestored memory to the page
 * allocator.
 *
 * Everything this kernel knows of the incoming handover is in one object,
 * kho_in.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/crash_dump.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/libfdt.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <asm/early_ioremap.h>

#include "internal.h"

/* Largest incoming FDT early_memremap() can map. */
#define KHO_FDT_IN_MAX		(NR_FIX_BTMAPS << PAGE_SHIFT)

/*
 * Larger sub-blobs, and those beyond the total, are listed but not copied;
 * their files fail to read.
 */
#define KHO_IN_BLOB_COPY_MAX	SZ_1M
#define KHO_IN_BLOBS_COPY_TOTAL	SZ_16M

/* Longest kho_finish_timeout= accepted: one day, in seconds. */
#define KHO_FINISH_TIMEOUT_MAX	86400

/**
 * struct kho_in_handover - the incoming handover
 * @passed_phys: where the boot protocol said the root FDT is
 * @passed_len: the size of the buffer it said holds it
 * @always_scratch: end of the memory below the always-scratch boundary,
 *		    which no preserved memory may touch
 * @fdt: this kernel's checked copy of the root FDT; NULL when there is none
 * @fdt_size: its size
 * @fdt_phys: @passed_phys, once the FDT was accepted
 * @mem_map: physical address of the preserved-memory tree it names
 * @blobs_lock: protects @blobs, @nr_blobs, @blobs_recorded, @blobs_early
 *		and @blobs_released
 * @blobs: the sub-blobs, recorded and copied before a driver retrieves
 *	   one (or at fs_initcall if none does before)
 * @nr_blobs: their number
 * @blobs_recorded: @blobs was made (or tried)
 * @blobs_early: a sub-blob was retrieved before the slab allocator ran,
 *		 so none is copied: its driver may have freed it already
 * @blobs_released: the unretrieved ones were logged at finish
 * @finish_lock: serialises finishing
 * @finish_deadline: jiffies when the timeout finishes it, once armed
 * @finish_fn: called first when it finishes; see kho_in_on_finish()
 */
struct kho_in_handover {
	phys_addr_t passed_phys;
	u64 passed_len;
	phys_addr_t always_scratch;
	void *fdt;
	size_t fdt_size;
	phys_addr_t fdt_phys;
	u64 mem_map;
	struct mutex blobs_lock;	/* see above */
	struct kho_in_blob **blobs;
	unsigned int nr_blobs;
	bool blobs_recorded;
	bool blobs_early;
	bool blobs_released;
	struct mutex finish_lock;	/* see above */
	unsigned long finish_deadline;
	void (*finish_fn)(void);
};

static struct kho_in_handover kho_in = {
	.blobs_lock = __MUTEX_INITIALIZER(kho_in.blobs_lock),
	.finish_lock = __MUTEX_INITIALIZER(kho_in.finish_lock),
};

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

/* ---- early boot ---- */

/**
 * kho_in_scratch_count() - entries of a scratch array of @len bytes
 * @len: its size, as the boot protocol passed it
 *
 * Return: the number of entries, or 0 if @len is not a whole number of
 * entries between 1 and %KHO_SCRATCH_MAX.
 */
unsigned int kho_in_scratch_count(u64 len)
{
	const u64 entry = sizeof(struct kho_scratch_entry);

	if (!len || len > KHO_SCRATCH_MAX * entry || len % entry)
		return 0;
	return len / entry;
}

/**
 * kho_in_fdt_mappable() - can early_memremap() map an incoming FDT?
 * @phys: where it is
 * @len: the size of the buffer holding it
 *
 * Return: true if @len is not 0 and the pages it spans fit the fixmap
 * slots early_memremap() has.
 */
bool kho_in_fdt_mappable(phys_addr_t phys, u64 len)
{
	return len && len <= KHO_FDT_IN_MAX &&
	       offset_in_page(phys) + len <= KHO_FDT_IN_MAX;
}

static void __init kho_in_drop(const char *what, const char *why)
{
	pr_err("%s %s; ignoring the handover\n", what, why);
	kho_scratch_in_drop();
	kho_in.passed_phys = 0;
}

/**
 * kho_populate() - note the handover the boot loader (kexec) passed
 * @fdt_phys: physical address of the root FDT
 * @fdt_len: size of the buffer holding it
 * @scratch_phys: physical address of the scratch array
 * @scratch_len: its size in bytes
 *
 * Called while the boot data is parsed (x86 setup_data, or /chosen of the
 * device tree), before memblock allocates anything. Copies the scratch
 * list; kho_memblock_setup() checks it once memblock knows the memory.
 */
void __init kho_populate(phys_addr_t fdt_phys, u64 fdt_len,
			 phys_addr_t scratch_phys, u64 scratch_len)
{
	unsigned int cnt = kho_in_scratch_count(scratch_len);
	struct kho_scratch_entry *areas;
	bool taken;

	if (!cnt) {
		pr_err("scratch array of %llu bytes is invalid; ignoring the handover\n",
		       scratch_len);
		return;
	}
	areas = early_memremap(scratch_phys, scratch_len);
	if (!areas) {
		pr_err("cannot map the scratch array; ignoring the handover\n");
		return;
	}
	taken = kho_scratch_in_take(areas, cnt);
	early_memunmap(areas, scratch_len);
	if (!taken)
		return;
	kho_in.passed_phys = fdt_phys;
	kho_in.passed_len = fdt_len;
}

/**
 * kho_memblock_setup() - start a KHO boot once memblock knows the memory
 * @always_scratch: memory below this address may always serve early
 *		    allocations (on x86 the first MiB, which the kernel
 *		    reserves for itself and never preserves)
 *
 * If a handover was passed, checks its scratch areas, marks them
 * %MEMBLOCK_KHO_SCRATCH and restricts memblock to them. Allocates nothing,
 * so it may run before the architecture maps memory; kho_memory_init()
 * checks the FDT. On any error the handover is ignored with one log line
 * and the kernel boots as if none had been passed.
 *
 * A kdump kernel (elfcorehdr= was passed, and parsed by now) ignores a
 * handover: it is there to dump the crashed kernel's memory, preserved
 * memory included, not to take it over, and may use only the memory the
 * crash kernel was given. kexec_file_load() passes no handover to a crash
 * kernel; this guards against any other loader that would.
 */
void __init kho_memblock_setup(phys_addr_t always_scratch)
{
	unsigned int cnt;

	kho_scratch_in(&cnt);
	if (cnt && is_kdump_kernel()) {
		kho_in_drop("a kdump kernel", "takes no handover");
		cnt = 0;
	}
	if (cnt && !kho_scratch_in_restrict(always_scratch))
		kho_in_drop("scratch area", "points outside RAM");
	kho_in.always_scratch = always_scratch;
}

/* Check the incoming FDT and keep a copy of it. */
static bool __init kho_in_take_fdt(void)
{
	phys_addr_t phys = kho_in.passed_phys;
	u64 len = kho_in.passed_len;
	struct kho_fdt_info info;
	const char *why = NULL;
	void *fdt, *copy;
	size_t size;

	if (!kho_in_fdt_mappable(phys, len)) {
		kho_in_drop("handover FDT", "has an invalid size");
		return false;
	}
	if (!kho_range_valid(phys, len, &why)) {
		kho_in_drop("handover FDT", why);
		return false;
	}
	fdt = early_memremap(phys, len);
	if (!fdt) {
		kho_in_drop("handover FDT", "cannot be mapped");
		return false;
	}
	if (kho_fdt_check(fdt, len, &info, kho_range_valid, &why)) {
		early_memunmap(fdt, len);
		kho_in_drop("handover FDT", why);
		return false;
	}
	size = fdt_totalsize(fdt);
	copy = memblock_alloc(size, SMP_CACHE_BYTES);
	if (copy)
		memcpy(copy, fdt, size);
	early_memunmap(fdt, len);
	if (!copy) {
		kho_in_drop("handover FDT", "cannot be copied");
		return false;
	}
	kho_in.fdt = copy;
	kho_in.fdt_size = size;
	kho_in.fdt_phys = phys;
	kho_in.mem_map = info.mem_map;
	return true;
}

/*
 * Reserve the preserved memory of the accepted FDT. Every sub-blob must
 * lie wholly in it: a range outside could be memory this kernel hands out,
 * and is copied to /sys/firmware/kho/blobs and read by drivers.
 */
static int __init kho_in_reserve_mem(void)
{
	const void *fdt = kho_in.fdt;
	struct kho_mem_span *spans;
	unsigned int cnt = 0, nr = 0;
	int node, err;

	fdt_for_each_subnode(node, fdt, 0)
		cnt++;
	spans = cnt ? memblock_alloc(cnt * sizeof(*spans), SMP_CACHE_BYTES) : NULL;
	if (cnt && !spans) {
		pr_err("no memory to check the sub-blobs; ignoring the handover\n");
		return -ENOMEM;
	}
	fdt_for_each_subnode(node, fdt, 0) {
		u64 phys, size;

		if (kho_fdt_find_blob(fdt, fdt_get_name(fdt, node, NULL),
				      &phys, &size))
			continue;
		spans[nr].start = phys;
		spans[nr].end = phys + size;
		nr++;
	}
	err = kho_mem_in_reserve(kho_in.mem_map, kho_in.always_scratch,
				 spans, nr);
	if (spans)
		memblock_free(spans, cnt * sizeof(*spans));
	return err;
}

/**
 * kho_memory_init() - reserve handed-over memory and scratch
 *
 * Called by mm init after the memmap is set up and before memblock hands
 * memory to the page allocator. Checks and copies the incoming FDT (still
 * allocating from scratch only), reserves the memory it preserves, and
 * reserves scratch for this kernel's successor; a kdump kernel, which
 * never hands over, reserves none and disables KHO.
 */
void __init kho_memory_init(void)
{
	unsigned int cnt;

	kho_scratch_in(&cnt);
	/* Where elfcorehdr= was parsed after kho_memblock_setup() (arm64) */
	if (cnt && is_kdump_kernel()) {
		kho_in_drop("a kdump kernel", "takes no handover");
		cnt = 0;
	}
	if (cnt && kho_in_take_fdt())
		pr_info("found a handover: FDT at %pa, %u scratch area(s)\n",
			&kho_in.fdt_phys, cnt);
	if (kho_in.fdt && kho_in_reserve_mem()) {
		kho_in.fdt = NULL;
		kho_in.fdt_size = 0;
	}
	memblock_set_kho_scratch_only(false);
	if (kho_is_enabled() && is_kdump_kernel()) {
		pr_info("disabled in a kdump kernel: no scratch reserved\n");
		kho_disable();
	} else if (kho_is_enabled()) {
		kho_reserve_scratch();
	}
}

/**
 * kho_in_get() - the incoming handover's root FDT
 * @fdt_phys: returns where the previous kernel put it, if not NULL
 * @size: returns its size
 *
 * Return: this kernel's copy of the FDT, or NULL if it was not booted
 * through a valid handover.
 */
const void *kho_in_get(phys_addr_t *fdt_phys, size_t *size)
{
	if (fdt_phys)
		*fdt_phys = kho_in.fdt_phys;
	*size = kho_in.fdt_size;
	return kho_in.fdt;
}

/**
 * is_kho_boot() - was this kernel booted through a valid handover?
 *
 * Return: true if a handover was received and accepted.
 */
bool is_kho_boot(void)
{
	return kho_in.fdt;
}
EXPORT_SYMBOL_GPL(is_kho_boot);

/* ---- sub-blobs ---- */

static void kho_in_blobs_record(const char *retrieving);

/* Note that a driver retrieved the sub-blob @name. */
static void kho_in_blob_retrieved(const char *name)
{
	unsigned int i;

	guard(mutex)(&kho_in.blobs_lock);
	for (i = 0; i < kho_in.nr_blobs; i++)
		if (!strcmp(kho_in.blobs[i]->name, name))
			kho_in.blobs[i]->retrieved = true;
}

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
	u64 p, s;
	int err;

	if (!kho_in.fdt)
		return -ENOENT;
	err = kho_fdt_find_blob(kho_in.fdt, name, &p, &s);
	if (err)
		return err;
	if (kho_in_finished()) {
		pr_warn("sub-blob %s retrieved after the handover finished: its memory went back to the page allocator\n",
			name);
		return -ESTALE;
	}
	kho_in_blobs_record(name);
	*phys = p;
	if (size)
		*size = s;
	kho_in_blob_retrieved(name);
	return 0;
}
EXPORT_SYMBOL_GPL(kho_retrieve_subtree);

/* Log the sub-blobs nobody retrieved; only the first call logs. */
static void kho_in_blobs_release(void)
{
	unsigned int i;

	guard(mutex)(&kho_in.blobs_lock);
	if (kho_in.blobs_released)
		return;
	kho_in.blobs_released = true;
	for (i = 0; i < kho_in.nr_blobs; i++) {
		const struct kho_in_blob *b = kho_in.blobs[i];

		if (!b->retrieved)
			pr_info("sub-blob %s (%llu bytes) was retrieved by no driver; releasing its memory\n",
				b->name, b->size);
	}
}

/**
 * kho_in_blobs_for_each() - visit the incoming sub-blobs
 * @fn: called for each, in FDT order, with the sub-blob, whether the
 *	unretrieved ones were released, and @arg
 * @arg: passed to @fn
 *
 * @fn runs with the list locked, so retrievals wait.
 */
void kho_in_blobs_for_each(void (*fn)(const struct kho_in_blob *b,
				      bool released, void *arg),
			   void *arg)
{
	unsigned int i;

	guard(mutex)(&kho_in.blobs_lock);
	for (i = 0; i < kho_in.nr_blobs; i++)
		fn(kho_in.blobs[i], kho_in.blobs_released, arg);
}

/**
 * kho_in_blob_copy_budget() - may a sub-blob be copied?
 * @size: its size
 * @left: bytes the copies may still take; reduced by @size if so
 *
 * Return: true if @size is at most %KHO_IN_BLOB_COPY_MAX and @left.
 */
bool kho_in_blob_copy_budget(u64 size, u64 *left)
{
	if (size > KHO_IN_BLOB_COPY_MAX || size > *left)
		return false;
	*left -= size;
	return true;
}

/*
 * Record the sub-blob at @node and copy it if @left allows; NULL on
 * allocation failure.
 */
static struct kho_in_blob * __init kho_in_blob_new(const void *fdt, int node,
						   u64 *left)
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
	if (kho_in_blob_copy_budget(size, left)) {
		b->copy = kvmalloc(size, GFP_KERNEL);
		if (!b->copy) {
			kfree(b);
			return NULL;
		}
		memcpy(b->copy, phys_to_virt(phys), size);
	}
	return b;
}

/* Copy every sub-blob while its memory is still surely preserved. */
/*
 * kho_in_blobs_record() - record and copy the sub-blobs, once
 * @retrieving: the sub-blob a driver is about to get, or NULL at fs_initcall
 *
 * Runs before the first driver gets a sub-blob: a driver may free its
 * sub-blob's memory, and a copy made after that would show memory the
 * allocator handed out again. Before the slab allocator runs nothing can
 * be recorded; such a retrieval leaves every sub-blob uncopied.
 * __ref: kho_in_blob_new() is __init, and after fs_initcall @blobs_recorded
 * is set, so it is never called again.
 */
static void __ref kho_in_blobs_record(const char *retrieving)
{
	const void *fdt = kho_in.fdt;
	u64 left = KHO_IN_BLOBS_COPY_TOTAL;
	unsigned int nr = 0, uncopied = 0;
	int node;

	guard(mutex)(&kho_in.blobs_lock);
	if (kho_in.blobs_recorded)
		return;
	if (!slab_is_available()) {
		if (!kho_in.blobs_early)
			pr_warn("sub-blob %s retrieved before the slab allocator runs: no sub-blob is copied to /sys/firmware/kho/blobs\n",
				retrieving);
		kho_in.blobs_early = true;
		return;
	}
	kho_in.blobs_recorded = true;
	if (kho_in.blobs_early)
		left = 0;
	fdt_for_each_subnode(node, fdt, 0)
		nr++;
	kho_in.blobs = kcalloc(nr, sizeof(*kho_in.blobs), GFP_KERNEL);
	if (nr && !kho_in.blobs) {
		pr_warn("cannot record the incoming sub-blobs\n");
		return;
	}
	fdt_for_each_subnode(node, fdt, 0) {
		struct kho_in_blob *b = kho_in_blob_new(fdt, node, &left);

		if (!b) {
			pr_warn("cannot record every incoming sub-blob\n");
			continue;
		}
		kho_in.blobs[kho_in.nr_blobs++] = b;
		if (!b->copy)
			uncopied++;
	}
	if (uncopied && !kho_in.blobs_early)
		pr_warn("%u sub-blob(s) not copied to /sys/firmware/kho/blobs: copies are limited to %u bytes each, %u in all\n",
			uncopied, KHO_IN_BLOB_COPY_MAX, KHO_IN_BLOBS_COPY_TOTAL);
}

/*
 * Once the page allocator runs: free what was reserved between preserved
 * blocks and copy the sub-blobs. sysfs.c shows them at fs_initcall_sync.
 */
static int __init kho_in_init(void)
{
	if (!is_kho_boot())
		return 0;
	kho_mem_in_free_gaps();
	kho_in_blobs_record(NULL);
	return 0;
}
fs_initcall(kho_in_init);

/* ---- finishing ---- */

/**
 * kho_in_on_finish() - be told first when the incoming handover finishes
 * @fn: called once, before unrestored memory goes back to the page
 *	allocator; the registry refuses further claims there
 *
 * Set it before late initcalls: a timeout of 0 finishes there.
 *
 * Return: 0, or -EBUSY if a callback is already set.
 */
int kho_in_on_finish(void (*fn)(void))
{
	guard(mutex)(&kho_in.finish_lock);
	if (kho_in.finish_fn)
		return -EBUSY;
	kho_in.finish_fn = fn;
	return 0;
}

/*
 * What nobody restored goes back to the page allocator, once,
 * kho_finish_timeout seconds after the late initcalls (at once for 0,
 * never for -1) or when /sys/firmware/kho/finish is written, whichever
 * comes first.
 */
static void kho_finish(enum kho_finish_how how)
{
	guard(mutex)(&kho_in.finish_lock);
	if (kho_in_finished())
		return;
	kho_in_set_finished(how);
	if (how == KHO_FINISH_TIMEOUT)
		pr_info("finishing the handover: kho_finish_timeout=%d passed\n",
			kho_finish_timeout);
	else
		pr_info("finishing the handover: /sys/firmware/kho/finish was written\n");
	if (kho_in.finish_fn)
		kho_in.finish_fn();
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
	kho_in.finish_deadline = jiffies +
				 (unsigned long)kho_finish_timeout * HZ;
	schedule_delayed_work(&kho_finish_work,
			      (unsigned long)kho_finish_timeout * HZ);
	pr_info("the handover finishes in %d s: restore state before (kho_finish_timeout=)\n",
		kho_finish_timeout);
	return 0;
}
late_initcall_sync(kho_finish_arm);

/**
 * kho_in_finish_now() - finish the incoming handover, for a write to
 *			 /sys/firmware/kho/finish
 */
void kho_in_finish_now(void)
{
	cancel_delayed_work_sync(&kho_finish_work);
	kho_finish(KHO_FINISH_WRITE);
}

/**
 * kho_in_finish_left() - seconds until the timeout finishes the handover
 *
 * Return: the seconds, rounded up, or -1 if only a write finishes it.
 */
long kho_in_finish_left(void)
{
	long left;

	if (kho_finish_timeout < 0)
		return -1;
	left = max(0L, (long)(kho_in.finish_deadline - jiffies));
	return DIV_ROUND_UP(jiffies_to_msecs(left), MSEC_PER_SEC);
}
