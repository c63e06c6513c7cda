/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kexec HandOver: definitions shared by the files of kernel/kho/, one
 * section per file. A file calls only files below it in this list:
 *
 *   sysfs.c    the files in /sys/kernel/kho and /sys/firmware/kho
 *   out.c      the outgoing handover: sub-blobs, hooks, finalize, kexec
 *   in.c       the incoming handover (the registry only through the
 *              callback set with kho_in_on_finish())
 *   mem.c      preserved memory: preserve, restore, release
 *   in_ranges.c  the incoming map checked as a whole (in_ranges.h)
 *   scratch.c  scratch areas
 *   radix.c    the kho-v4 tree; fdt.c, the root FDT (neither calls out)
 *   state.c    enabled, the idle/finalizing/finalized gate, finished,
 *              last error
 */
#ifndef _KERNEL_KHO_INTERNAL_H
#define _KERNEL_KHO_INTERNAL_H

#include <linux/kho.h>
#include <linux/types.h>

struct kho_vmalloc;
struct kobject;
struct page;

/* Most scratch areas a handover may carry; more are refused. */
#define KHO_SCRATCH_MAX		64

/* Most bytes of the outgoing root FDT. */
#define KHO_FDT_MAX_SIZE	(64 * 1024)

/* ---- state.c: enabled, the outgoing gate, finished, last error ---- */

/**
 * enum kho_finish_how - whether and how the incoming handover finished
 * @KHO_FINISH_PENDING: not yet
 * @KHO_FINISH_TIMEOUT: kho_finish_timeout= passed
 * @KHO_FINISH_WRITE: /sys/firmware/kho/finish was written
 */
enum kho_finish_how {
	KHO_FINISH_PENDING,
	KHO_FINISH_TIMEOUT,
	KHO_FINISH_WRITE,
};

void kho_disable(void);
int kho_out_begin(void);
void kho_out_end(void);
bool kho_out_may_change(void);
enum kho_state kho_out_state(void);
void kho_out_finalizing(void);
void kho_out_set_state(enum kho_state state);
enum kho_finish_how kho_in_finish_how(void);
void kho_in_set_finished(enum kho_finish_how how);
void kho_set_error(const char *fmt, ...) __printf(1, 2);
void kho_clear_error(void);
bool kho_get_error(char *buf, size_t len);

/* ---- radix.c: the kho-v4 tree of preserved blocks ---- */

/**
 * struct kho_radix - a kho-v4 radix tree held by this kernel
 * @root: top table node, NULL while the tree is empty
 * @nr_nodes: number of node pages (tables and leaves), root included
 * @nr_keys: number of keys present
 * @gen: incremented by every successful add and delete
 */
struct kho_radix {
	struct kho_radix_node *root;
	unsigned long nr_nodes;
	unsigned long nr_keys;
	unsigned long gen;
};

/**
 * struct kho_radix_walk - callbacks of kho_radix_walk()
 * @node: optional; called with the physical address and level of every
 *	node before it is read. A non-zero return stops the walk.
 * @key: called for every key present, in increasing order. A non-zero
 *	return stops the walk.
 * @arg: private to the caller
 */
struct kho_radix_walk {
	int (*node)(struct kho_radix_walk *walk, phys_addr_t phys,
		    unsigned int level);
	int (*key)(struct kho_radix_walk *walk, u64 key);
	void *arg;
};

int kho_radix_add(struct kho_radix *tree, u64 key);
int kho_radix_del(struct kho_radix *tree, u64 key);
bool kho_radix_test(const struct kho_radix *tree, u64 key);
int kho_radix_alloc_root(struct kho_radix *tree);
void kho_radix_destroy(struct kho_radix *tree);
int kho_radix_walk(phys_addr_t root, struct kho_radix_walk *walk);

/* ---- mem.c: preserved memory ---- */

/* page->private of the head page of an incoming block not yet restored */
#define KHO_PAGE_MAGIC		0x4b484f52UL	/* "KHOR" */
#define KHO_PRIVATE(order)	((KHO_PAGE_MAGIC << 32) | (order))

/**
 * struct kho_mem_span - a range of physical memory
 * @start: its first byte
 * @end: the byte after its last
 */
struct kho_mem_span {
	u64 start;
	u64 end;
};

unsigned int kho_block_order(unsigned long pfn, unsigned long end);
phys_addr_t kho_mem_out_root(void);
void kho_mem_out_stats(unsigned long *nr_keys, unsigned long *nr_nodes);
unsigned long kho_mem_out_leaked(void);
bool kho_mem_out_covered(phys_addr_t phys, u64 size);
bool __kho_mem_out_covered(phys_addr_t phys, u64 size);

/*
 * kho_mem_out_read() and kho_mem_in_read() call @fn with the tree locked
 * against changes: its root (0 if it has none, or after the incoming one
 * was released) and its generation (the incoming one never changes).
 */
typedef ssize_t (*kho_map_read_fn)(phys_addr_t root, unsigned long gen,
				   void *arg);
ssize_t kho_mem_out_read(kho_map_read_fn fn, void *arg);
ssize_t kho_mem_in_read(kho_map_read_fn fn, void *arg);
#ifdef CONFIG_KEXEC_HANDOVER_TEST_HOOKS
void kho_selftest_forget(phys_addr_t phys, u64 size);
#endif
int kho_mem_in_reserve(phys_addr_t root, phys_addr_t low_end,
		       struct kho_mem_span *spans, unsigned int nr_spans);
bool kho_mem_in_spans_preserved(struct kho_mem_span *spans, unsigned int nr,
				phys_addr_t *bad);
int kho_pages_owned(unsigned long pfn, unsigned long nr_pages);
int kho_folio_owned(struct folio *folio);
void kho_mem_in_release(void);
void kho_mem_in_free_gaps(void);

/*
 * kho_vmalloc_in_pages() takes preserved memory with @take: @nr_pages
 * pages from @phys on as order-0 pages (kho_restore_pages() in a KHO boot).
 */
typedef struct page *(*kho_take_fn)(phys_addr_t phys, unsigned long nr_pages);
struct page **kho_vmalloc_in_pages(const struct kho_vmalloc *desc,
				   unsigned long max_pages, kho_take_fn take);

/**
 * struct kho_mem_in_stats - what became of the incoming preserved memory
 * @blocks: preserved blocks found in the incoming tree
 * @pages: pages in those blocks
 * @nodes: node pages of the incoming tree
 * @restored_pages: pages handed out by the kho_restore_*() functions
 * @released_pages: unclaimed pages returned to the page allocator
 * @released: true once unclaimed memory has been returned
 */
struct kho_mem_in_stats {
	unsigned long blocks;
	unsigned long pages;
	unsigned long nodes;
	unsigned long restored_pages;
	unsigned long released_pages;
	bool released;
};

void kho_mem_in_get_stats(struct kho_mem_in_stats *stats);

/* ---- scratch.c: scratch areas ---- */

bool kho_range_valid(phys_addr_t phys, u64 size, const char **why);
bool kho_in_gap_free(phys_addr_t phys, u64 size);
bool kho_scratch_overlap(phys_addr_t phys, u64 size);
const struct kho_scratch_entry *kho_scratch_out(unsigned int *count);
const struct kho_scratch_entry *kho_scratch_in(unsigned int *count);
bool kho_scratch_in_take(const struct kho_scratch_entry *areas,
			 unsigned int cnt);
void kho_scratch_in_drop(void);
bool kho_scratch_in_restrict(phys_addr_t always_scratch);
void kho_reserve_scratch(void);

/* ---- fdt.c: the root FDT ---- */

/**
 * struct kho_blob - a named sub-blob of the outgoing handover
 * @list: link in the list of sub-blobs
 * @phys: physical address of the blob
 * @size: size of the blob in bytes
 * @name: node name in the root FDT
 */
struct kho_blob {
	struct list_head list;
	phys_addr_t phys;
	u64 size;
	char name[];
};

size_t kho_fdt_size(const struct list_head *blobs);
int kho_fdt_build(void *buf, size_t size, u64 mem_map,
		  const struct list_head *blobs);
bool kho_blob_name_valid(const char *name);

/**
 * struct kho_fdt_info - what kho_fdt_check() found in an incoming FDT
 * @mem_map: physical address of the radix tree root
 * @nr_blobs: number of sub-blobs
 */
struct kho_fdt_info {
	u64 mem_map;
	unsigned int nr_blobs;
};

int kho_fdt_check_blob(const void *fdt, size_t size, int max_depth,
		       const char **why);
int kho_fdt_check(const void *fdt, size_t size, struct kho_fdt_info *info,
		  bool (*blob_ok)(phys_addr_t phys, u64 size, const char **why),
		  const char **why);
int kho_fdt_find_blob(const void *fdt, const char *name, u64 *phys, u64 *size);

/* ---- in.c: the incoming handover ---- */

/**
 * struct kho_in_blob - a sub-blob of the incoming handover
 * @phys: where the previous kernel put it
 * @size: its size in bytes
 * @copy: its contents as they were at boot; NULL if too large
 * @retrieved: a driver called kho_retrieve_subtree() for it
 * @name: its node name in the root FDT
 */
struct kho_in_blob {
	u64 phys;
	u64 size;
	void *copy;
	bool retrieved;
	char name[];
};

unsigned int kho_in_scratch_count(u64 len);
bool kho_in_fdt_mappable(phys_addr_t phys, u64 len);
bool kho_in_blob_copy_budget(u64 size, u64 *left);
const void *kho_in_get(phys_addr_t *fdt_phys, size_t *size);
void kho_in_blobs_for_each(void (*fn)(const struct kho_in_blob *b,
				      bool released, void *arg),
			   void *arg);
int kho_in_on_finish(void (*fn)(void));
void kho_in_finish_now(void);
long kho_in_finish_left(void);

/* ---- out.c: the outgoing handover ---- */

ssize_t kho_out_fdt_read(char *buf, loff_t off, size_t count);
unsigned int kho_out_summary(size_t *fdt_size);
#ifdef CONFIG_KEXEC_HANDOVER_TEST_HOOKS
int kho_selftest_damage(bool map);
#endif

/* ---- sysfs.c: /sys/kernel/kho and /sys/firmware/kho ---- */

extern struct kobject *kho_sysfs_out, *kho_sysfs_in;

/**
 * struct kho_map_cursor - where the last read of a memory_map file ended
 * @root: root of the tree it was in
 * @gen: generation of that tree
 * @index: record number of @phys, -1 before the first record
 * @prefix: key prefix of the node at @phys
 * @level: its level in the tree
 * @phys: its physical address
 */
struct kho_map_cursor {
	phys_addr_t root;
	unsigned long gen;
	loff_t index;
	u64 prefix;
	unsigned int level;
	phys_addr_t phys;
};

/* A memory_map record: the node's physical address, then the node. */
#define KHO_MAP_RECORD_SIZE	(sizeof(u64) + PAGE_SIZE)

ssize_t kho_map_export_read(struct kho_map_cursor *cur, phys_addr_t root,
			    unsigned long gen, char *buf, loff_t off,
			    size_t count);

#endif /* _KERNEL_KHO_INTERNAL_H */
