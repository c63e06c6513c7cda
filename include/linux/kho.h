/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kexec HandOver (KHO): keep memory and named blobs of state alive across
 * kexec_file_load() + kexec -e into the next kernel.
 *
 * The driver API, with mainline Linux 7.3's names and signatures, is in
 * <linux/kexec_handover.h>; this header adds khoreg's own: the state of
 * the outgoing handover, finalize and its hooks, and the glue of kexec and
 * the architectures. The wire format is mainline Linux's "kho-v4",
 * described in <linux/kho/abi/kexec_handover.h>.
 */
#ifndef _LINUX_KHO_H
#define _LINUX_KHO_H

#include <linux/errno.h>
#include <linux/list.h>
#include <linux/types.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>

struct module;
struct kimage;
struct kexec_buf;
struct resource;

/**
 * enum kho_state - lifecycle of the outgoing handover
 * @KHO_IDLE: preserved memory and sub-blobs may change
 * @KHO_FINALIZED: the FDT is generated and the preserved set is frozen;
 *	every change is refused with -EBUSY until the handover is aborted
 * @KHO_LOADED: a kexec image carrying the handover is loaded; unloading the
 *	image returns to @KHO_FINALIZED
 */
enum kho_state {
	KHO_IDLE,
	KHO_FINALIZED,
	KHO_LOADED,
};

#define KHO_REASON_LEN	256

/**
 * struct kho_hook - a participant in finalizing the handover
 * @list: link in the list of hooks, owned by KHO
 * @name: short name, shown in the reason of a refusal
 * @owner: the module the callbacks are in (THIS_MODULE), NULL for built-in
 *	code; pinned from the start of finalize until it is aborted, so that
 *	the module cannot go while the handover holds what @prepare made
 * @prepare: optional; called at the start of finalize, before the FDT is
 *	generated. It may preserve memory and add sub-blobs. A non-zero
 *	return aborts finalize; @reason may explain it.
 * @validate: optional; called once the FDT is generated with the FDT and
 *	its size. A non-zero return refuses the handover; @reason, if set,
 *	is shown in /sys/kernel/kho/last_error and the kernel log.
 * @abort: optional; called when finalize fails after @prepare succeeded
 *	and when a finalized handover is aborted, to undo @prepare.
 *
 * Hooks run in registration order, with the KHO lock held, in the task
 * that finalizes: they must not call kho_finalize() or kho_abort(), and must
 * preserve memory and add sub-blobs in that task, since every other task's
 * change is refused with -EBUSY until finalize ends.
 */
struct kho_hook {
	struct list_head list;
	const char *name;
	struct module *owner;
	int (*prepare)(struct kho_hook *hook, char *reason, size_t len);
	int (*validate)(struct kho_hook *hook, const void *fdt, size_t fdt_size,
			char *reason, size_t len);
	void (*abort)(struct kho_hook *hook);
};

/**
 * struct kho_image_handover - where a kexec image finds the handover
 * @fdt_addr: physical address of the root FDT
 * @fdt_size: its size in bytes
 * @scratch_addr: physical address of the scratch array
 * @scratch_size: its size in bytes
 *
 * Filled by kho_kimage_handover(); each architecture's boot protocol
 * passes it on in its own format (x86 setup_data, /chosen of the device
 * tree).
 */
struct kho_image_handover {
	phys_addr_t fdt_addr;
	u64 fdt_size;
	phys_addr_t scratch_addr;
	u64 scratch_size;
};

#ifdef CONFIG_KEXEC_HANDOVER

bool kho_in_finished(void);
enum kho_state kho_get_state(void);

int kho_register_hook(struct kho_hook *hook);
int kho_unregister_hook(struct kho_hook *hook);
int kho_finalize(void);
int kho_abort(void);

/* Hooks for kexec_file and the architecture. */
int kho_fill_kimage(struct kimage *image);
void kho_kimage_free(struct kimage *image);
int kho_locate_mem_hole(struct kexec_buf *kbuf,
			int (*func)(struct resource *res, void *arg));
bool kho_kimage_handover(const struct kimage *image,
			 struct kho_image_handover *out);
bool kho_kimage_in_place(const struct kimage *image);
void kho_memblock_setup(phys_addr_t always_scratch);

#else

static inline bool kho_in_finished(void) { return false; }
static inline int kho_fill_kimage(struct kimage *image) { return 0; }
static inline void kho_kimage_free(struct kimage *image) { }
static inline int kho_locate_mem_hole(struct kexec_buf *kbuf,
				      int (*func)(struct resource *, void *))
{
	return 1;
}

static inline bool kho_kimage_in_place(const struct kimage *image)
{
	return false;
}

static inline bool kho_kimage_handover(const struct kimage *image,
				       struct kho_image_handover *out)
{
	return false;
}

static inline void kho_memblock_setup(phys_addr_t always_scratch) { }

#endif /* CONFIG_KEXEC_HANDOVER */

#endif /* _LINUX_KHO_H */
