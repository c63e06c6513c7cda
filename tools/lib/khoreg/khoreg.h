/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libkhoreg: read, validate, compare and author Kexec HandOver (kho-v4)
 * handovers and their khoreg typed registry from userspace.
 *
 * All functions returning int return 0 (or a count) on success and a
 * negative errno value on failure. After a failure, khoreg_last_error()
 * describes what went wrong in words.
 *
 * Objects obtained from a handover (blobs, registry, entries, fields and
 * the strings they return) live until khoreg_close(). A handover may be
 * used by one thread at a time; different handovers are independent.
 */
#ifndef __KHOREG_H
#define __KHOREG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct khoreg_handover;
struct khoreg_blob;
struct khoreg_registry;
struct khoreg_entry;
struct khoreg_field;

/* Default sysfs locations of the pending and the incoming handover. */
#define KHOREG_SYSFS_PENDING	"/sys/kernel/kho"
#define KHOREG_SYSFS_INCOMING	"/sys/firmware/kho"

/* Compatible string of a handover bundle file. */
#define KHOREG_BUNDLE_COMPATIBLE	"khoreg-bundle-v1"

/* Largest file or buffer accepted by the open functions. */
#define KHOREG_INPUT_MAX	(256U << 20)

/**
 * enum khoreg_kind - what an opened input turned out to be
 * @KHOREG_KIND_ROOT: a bare kho-v4 root FDT (sub-blob contents unknown)
 * @KHOREG_KIND_BUNDLE: a handover bundle file (root, blobs, memory)
 * @KHOREG_KIND_SYSFS: a sysfs directory (root FDT plus blobs/)
 * @KHOREG_KIND_REGISTRY: a bare registry sub-blob
 */
enum khoreg_kind {
	KHOREG_KIND_ROOT,
	KHOREG_KIND_BUNDLE,
	KHOREG_KIND_SYSFS,
	KHOREG_KIND_REGISTRY,
};

/**
 * khoreg_last_error() - describe the last failure of this thread
 *
 * Return: a message owned by the library, valid until the next call into
 * the library from the same thread; "" if there is none.
 */
const char *khoreg_last_error(void);

/**
 * khoreg_open_buffer() - open a handover held in memory
 * @buf: a root FDT, a bundle, or a registry blob
 * @len: size of @buf in bytes
 * @out: returns the handover; close it with khoreg_close()
 *
 * The buffer is copied. A buffer that is not a structurally sound FDT is
 * refused with -EBADMSG; one larger than KHOREG_INPUT_MAX with -EFBIG.
 *
 * Return: 0 or a negative errno.
 */
int khoreg_open_buffer(const void *buf, size_t len,
		       struct khoreg_handover **out);

/**
 * khoreg_open_file() - open a handover from a file
 * @path: file holding a root FDT, a bundle, or a registry blob
 * @out: returns the handover
 *
 * Return: 0 or a negative errno.
 */
int khoreg_open_file(const char *path, struct khoreg_handover **out);

/**
 * khoreg_open_sysfs() - open a handover exported through sysfs
 * @dir: KHOREG_SYSFS_PENDING, KHOREG_SYSFS_INCOMING or a copy of one
 * @out: returns the handover
 *
 * Reads @dir/fdt and, for every sub-blob it lists, @dir/blobs/<name> when
 * present; @dir/scratch_array (the scratch array) and @dir/memory_map (the
 * pages of the preserved memory map) when present, so that the memory map
 * can be walked, summarised and validated as in a bundle.
 *
 * Return: 0 or a negative errno (-ENOENT when @dir/fdt does not exist,
 * -ENODATA when it is empty: the pending handover is not finalized,
 * -EBADMSG when scratch_array or memory_map is malformed).
 */
int khoreg_open_sysfs(const char *dir, struct khoreg_handover **out);

/**
 * khoreg_close() - release a handover and everything obtained from it
 * @h: handover, may be NULL
 */
void khoreg_close(struct khoreg_handover *h);

/**
 * khoreg_save_bundle() - write a handover as a bundle file
 * @h: handover
 * @path: output file
 *
 * The bundle holds the root FDT, the scratch array if known, and every
 * memory region known to @h (sub-blob contents, memory map nodes).
 *
 * Return: 0 or a negative errno.
 */
int khoreg_save_bundle(const struct khoreg_handover *h, const char *path);

/** khoreg_kind() - what kind of input @h was opened from */
enum khoreg_kind khoreg_kind(const struct khoreg_handover *h);

/** khoreg_compatible() - root compatible string, NULL if missing */
const char *khoreg_compatible(const struct khoreg_handover *h);

/**
 * khoreg_root_fdt() - the root FDT
 * @h: handover
 * @len: returns its size, may be NULL
 *
 * Return: the FDT, or NULL for a bare registry blob.
 */
const void *khoreg_root_fdt(const struct khoreg_handover *h, size_t *len);

/**
 * khoreg_memmap_addr() - physical address of the preserved memory map
 * @h: handover
 * @phys: returns the address
 *
 * Return: 0, or -ENOENT when the root has no (well-formed) memory map.
 */
int khoreg_memmap_addr(const struct khoreg_handover *h, uint64_t *phys);

/** khoreg_nr_scratch() - number of known scratch ranges (0 if unknown) */
size_t khoreg_nr_scratch(const struct khoreg_handover *h);

/**
 * khoreg_scratch() - one scratch range
 * @h: handover
 * @idx: index below khoreg_nr_scratch()
 * @addr: returns the start address
 * @size: returns the length
 *
 * Return: 0 or -ERANGE.
 */
int khoreg_scratch(const struct khoreg_handover *h, size_t idx,
		   uint64_t *addr, uint64_t *size);

/** khoreg_nr_blobs() - number of sub-blobs listed in the root */
size_t khoreg_nr_blobs(const struct khoreg_handover *h);

/** khoreg_blob() - sub-blob @idx, NULL when out of range */
const struct khoreg_blob *khoreg_blob(const struct khoreg_handover *h,
				      size_t idx);

/** khoreg_find_blob() - sub-blob by name, NULL when absent */
const struct khoreg_blob *khoreg_find_blob(const struct khoreg_handover *h,
					   const char *name);

/** khoreg_blob_name() - node name of a sub-blob */
const char *khoreg_blob_name(const struct khoreg_blob *b);

/** khoreg_blob_addr() - physical address of a sub-blob (0 if unknown) */
uint64_t khoreg_blob_addr(const struct khoreg_blob *b);

/** khoreg_blob_size() - size recorded in the root (0 if unknown) */
uint64_t khoreg_blob_size(const struct khoreg_blob *b);

/**
 * khoreg_blob_data() - contents of a sub-blob
 * @b: sub-blob
 * @len: returns the length of the contents
 *
 * Return: the contents, or NULL when the input does not carry them.
 */
const void *khoreg_blob_data(const struct khoreg_blob *b, size_t *len);

/**
 * struct khoreg_memmap_summary - totals of the preserved memory map
 * @blocks: number of preserved blocks (tree keys)
 * @pages: number of preserved pages
 * @bytes: number of preserved bytes
 * @extents: number of maximal physically contiguous runs
 * @nodes: number of radix tree pages
 * @blocks_per_order: blocks of each order
 */
struct khoreg_memmap_summary {
	uint64_t blocks;
	uint64_t pages;
	uint64_t bytes;
	uint64_t extents;
	uint64_t nodes;
	uint64_t blocks_per_order[64];
};

/**
 * typedef khoreg_block_fn - called for each preserved block
 * @phys: physical address
 * @order: block order
 * @ctx: caller's context
 *
 * Return: 0 to continue, anything else stops the walk and is returned.
 */
typedef int (*khoreg_block_fn)(uint64_t phys, unsigned int order, void *ctx);

/**
 * khoreg_memmap_walk() - visit every preserved block in key order
 * @h: handover
 * @fn: callback
 * @ctx: passed to @fn
 *
 * Return: 0, the callback's non-zero value, -ENODATA when the tree's pages
 * are not part of the input, or -EBADMSG when the tree is malformed.
 */
int khoreg_memmap_walk(const struct khoreg_handover *h, khoreg_block_fn fn,
		       void *ctx);

/**
 * khoreg_memmap_summary() - count the preserved memory map
 * @h: handover
 * @sum: returns the totals
 *
 * Return: 0 or as khoreg_memmap_walk().
 */
int khoreg_memmap_summary(const struct khoreg_handover *h,
			  struct khoreg_memmap_summary *sum);

/**
 * enum khoreg_field_type - registry field types
 *
 * Same numbering as enum khoreg_type of <linux/kho/abi/registry.h>.
 */
enum khoreg_field_type {
	KHOREG_U8,
	KHOREG_U16,
	KHOREG_U32,
	KHOREG_U64,
	KHOREG_S64,
	KHOREG_BOOL,
	KHOREG_STRING,
	KHOREG_BYTES,
	KHOREG_RANGE,
	KHOREG_FOLIO,
	KHOREG_VMALLOC,
};

/** khoreg_type_name() - wire name of a field type, NULL if unknown */
const char *khoreg_type_name(enum khoreg_field_type type);

/**
 * khoreg_registry() - the typed registry of a handover
 * @h: handover
 * @out: returns the registry, owned by @h
 *
 * Entries or fields that break the registry ABI are left out; they are
 * reported by khoreg_validate().
 *
 * Return: 0, -ENOENT (no registry sub-blob), -ENODATA (its contents are not
 * part of the input) or -EBADMSG (not a registry at all).
 */
int khoreg_registry(struct khoreg_handover *h,
		    const struct khoreg_registry **out);

/** khoreg_registry_nr_entries() - number of top-level entries */
size_t khoreg_registry_nr_entries(const struct khoreg_registry *r);

/** khoreg_registry_entry() - top-level entry @idx, NULL if out of range */
const struct khoreg_entry *
khoreg_registry_entry(const struct khoreg_registry *r, size_t idx);

/**
 * khoreg_registry_find() - entry by path
 * @r: registry
 * @path: entry names joined by '/', e.g. "nic0/queue1"
 *
 * Return: the entry or NULL.
 */
const struct khoreg_entry *khoreg_registry_find(const struct khoreg_registry *r,
						const char *path);

/** khoreg_entry_name() - node name of an entry */
const char *khoreg_entry_name(const struct khoreg_entry *e);
/** khoreg_entry_path() - '/'-joined names from the top-level entry */
const char *khoreg_entry_path(const struct khoreg_entry *e);
/** khoreg_entry_compatible() - the entry's compatible string */
const char *khoreg_entry_compatible(const struct khoreg_entry *e);
/** khoreg_entry_version() - the entry's schema version */
uint32_t khoreg_entry_version(const struct khoreg_entry *e);
/** khoreg_entry_owner() - owning module, NULL when not recorded */
const char *khoreg_entry_owner(const struct khoreg_entry *e);
/** khoreg_entry_nr_annotations() - number of "key=value" annotations */
size_t khoreg_entry_nr_annotations(const struct khoreg_entry *e);
/** khoreg_entry_annotation() - annotation @idx as "key=value", or NULL */
const char *khoreg_entry_annotation(const struct khoreg_entry *e, size_t idx);
/** khoreg_entry_nr_children() - number of child entries */
size_t khoreg_entry_nr_children(const struct khoreg_entry *e);
/** khoreg_entry_child() - child entry @idx, or NULL */
const struct khoreg_entry *khoreg_entry_child(const struct khoreg_entry *e,
					      size_t idx);
/** khoreg_entry_nr_fields() - number of (valid) fields */
size_t khoreg_entry_nr_fields(const struct khoreg_entry *e);
/** khoreg_entry_field() - field @idx in declaration order, or NULL */
const struct khoreg_field *khoreg_entry_field(const struct khoreg_entry *e,
					      size_t idx);
/** khoreg_entry_find_field() - field by name, or NULL */
const struct khoreg_field *
khoreg_entry_find_field(const struct khoreg_entry *e, const char *name);

/** khoreg_field_name() - name of a field */
const char *khoreg_field_name(const struct khoreg_field *f);
/** khoreg_field_type() - element type of a field */
enum khoreg_field_type khoreg_field_type(const struct khoreg_field *f);
/** khoreg_field_count() - array length, 0 for a scalar field */
uint32_t khoreg_field_count(const struct khoreg_field *f);
/**
 * khoreg_field_type_str() - type as written in the blob, e.g. "u32[4]"
 * @f: field
 */
const char *khoreg_field_type_str(const struct khoreg_field *f);
/**
 * khoreg_field_raw() - encoded value
 * @f: field
 * @len: returns the length in bytes
 *
 * Return: the big-endian property value.
 */
const void *khoreg_field_raw(const struct khoreg_field *f, size_t *len);

/**
 * khoreg_field_uint() - an unsigned integer or bool value
 * @f: field of type u8, u16, u32, u64 or bool (or an array of one)
 * @idx: element index, 0 for a scalar
 * @val: returns the value
 *
 * Return: 0, -EPROTO (wrong type) or -ERANGE (bad index).
 */
int khoreg_field_uint(const struct khoreg_field *f, uint32_t idx,
		      uint64_t *val);

/** khoreg_field_sint() - an s64 value, like khoreg_field_uint() */
int khoreg_field_sint(const struct khoreg_field *f, uint32_t idx,
		      int64_t *val);

/**
 * khoreg_field_string() - a string value
 * @f: field of type string
 * @val: returns the string, owned by the handover
 *
 * Return: 0 or -EPROTO.
 */
int khoreg_field_string(const struct khoreg_field *f, const char **val);

/**
 * khoreg_field_mem() - a preserved memory value
 * @f: field of type range, folio or vmalloc
 * @phys: returns the physical address
 * @size: returns the size in bytes (pages times 4 KiB for vmalloc)
 * @order: returns the order (0 for range), may be NULL
 *
 * Return: 0 or -EPROTO.
 */
int khoreg_field_mem(const struct khoreg_field *f, uint64_t *phys,
		     uint64_t *size, unsigned int *order);

/**
 * khoreg_field_format() - the value as text
 * @f: field
 * @buf: output buffer
 * @len: size of @buf
 *
 * Integers in decimal, addresses in hex, strings quoted C-style, bytes as
 * hex, arrays as "[a, b]". The output is truncated to fit @buf.
 *
 * Return: the length the full text would have (like snprintf).
 */
int khoreg_field_format(const struct khoreg_field *f, char *buf, size_t len);

/**
 * typedef khoreg_problem_fn - receives one validation problem
 * @path: where, e.g. "/khoreg/nic0/mac" or "/memory-map/0x1000"
 * @reason: what is wrong, in words
 * @ctx: caller's context
 */
typedef void (*khoreg_problem_fn)(const char *path, const char *reason,
				  void *ctx);

/**
 * khoreg_validate() - check a handover against the ABI
 * @h: handover
 * @fn: called once per problem, may be NULL
 * @ctx: passed to @fn
 *
 * Checks the root (compatible, properties, sub-blob records, overlaps),
 * the scratch ranges, the memory map when its pages are available (keys,
 * alignment, overlaps, scratch) and the registry (every rule of
 * registry-abi.rst, memory fields against the map and scratch).
 *
 * Return: the number of problems (0 means valid) or a negative errno.
 */
int khoreg_validate(struct khoreg_handover *h, khoreg_problem_fn fn,
		    void *ctx);

/**
 * khoreg_preflight() - will a kernel image accept this handover?
 * @h: handover
 * @image: vmlinux, bzImage or raw kernel image file
 * @fn: called once per problem, may be NULL
 * @ctx: passed to @fn
 *
 * Reads the khoreg ABI note (see include/linux/kho/abi/registry.h) from
 * @image and checks that it lists the handover's root compatible and, if
 * the handover has a registry, the registry version. An image without the
 * note is one problem.
 *
 * Return: the number of problems (0: accepted) or a negative errno.
 */
int khoreg_preflight(struct khoreg_handover *h, const char *image,
		     khoreg_problem_fn fn, void *ctx);

/**
 * enum khoreg_diff_kind - kind of a difference
 * @KHOREG_DIFF_ADDED: present only in the second handover
 * @KHOREG_DIFF_REMOVED: present only in the first handover
 * @KHOREG_DIFF_CHANGED: present in both with different values
 */
enum khoreg_diff_kind {
	KHOREG_DIFF_ADDED,
	KHOREG_DIFF_REMOVED,
	KHOREG_DIFF_CHANGED,
};

/**
 * typedef khoreg_diff_fn - receives one difference
 * @kind: what happened
 * @path: what, e.g. "/blobs/khoreg" or "/khoreg/nic0/mac"
 * @old_val: the value in the first handover, NULL when added
 * @new_val: the value in the second handover, NULL when removed
 * @ctx: caller's context
 */
typedef void (*khoreg_diff_fn)(enum khoreg_diff_kind kind, const char *path,
			       const char *old_val, const char *new_val,
			       void *ctx);

/**
 * khoreg_diff() - compare two handovers
 * @a: first handover
 * @b: second handover
 * @fn: called once per difference, may be NULL
 * @ctx: passed to @fn
 *
 * Compares root compatible, memory map address, scratch, sub-blobs
 * (presence, address, size, contents), registry entries (presence,
 * compatible, version, owner, annotations) and fields (presence, type,
 * value), in a stable order.
 *
 * Return: the number of differences or a negative errno.
 */
int khoreg_diff(struct khoreg_handover *a, struct khoreg_handover *b,
		khoreg_diff_fn fn, void *ctx);

/**
 * enum khoreg_author_output - what khoreg_author() produces
 * @KHOREG_AUTHOR_BUNDLE: a bundle file (root, scratch, blobs, memory map)
 * @KHOREG_AUTHOR_ROOT: the root FDT only
 * @KHOREG_AUTHOR_REGISTRY: the registry sub-blob only
 */
enum khoreg_author_output {
	KHOREG_AUTHOR_BUNDLE,
	KHOREG_AUTHOR_ROOT,
	KHOREG_AUTHOR_REGISTRY,
};

/**
 * khoreg_author() - build a handover from a JSON description
 * @json: the description (see Documentation/kho/khoctl.rst)
 * @len: its length in bytes
 * @what: which artefact to produce
 * @out: returns a malloc()ed buffer, free() it
 * @out_len: returns its length
 *
 * Return: 0, -EINVAL with a "line:col: reason" message from
 * khoreg_last_error() for a bad description, or another negative errno.
 */
int khoreg_author(const char *json, size_t len, enum khoreg_author_output what,
		  void **out, size_t *out_len);

#ifdef __cplusplus
}
#endif

#endif /* __KHOREG_H */
