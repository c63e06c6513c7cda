/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libkhoreg: read, validate, compare and author Kexec HandOver (kho-v4)
 * handovers and their khoreg typed registry from userspace.
 *
 * Names follow libbpf's object__method scheme:
 *
 *   struct khoreg_handover   an opened input   khoreg_handover__open_file() ...
 *   struct khoreg_blob       one sub-blob      khoreg_blob__name() ...
 *   struct khoreg_doc        the registry sub-blob read as a document
 *   struct khoreg_doc_entry  one entry in it   khoreg_doc_entry__path() ...
 *   struct khoreg_doc_field  one typed field   khoreg_doc_field__format() ...
 *   struct khoreg_trace      the "ftrace" sub-blob read as a trace setup
 *                            khoreg_trace__parse(), khoreg_trace_instance__*(),
 *                            khoreg_trace_event__*()
 *   enum khoreg_type         the wire type enum of <linux/kho/abi/registry.h>,
 *                            khoreg_type__name()
 *   libkhoreg_*()            library-wide: errors, file I/O, authoring
 *
 * The kernel (include/linux/kho/registry.h, kernel/kho) has its own live
 * objects struct khoreg_registry, khoreg_entry and khoreg_field, and
 * functions such as khoreg_entry_path and khoreg_type_name. The library
 * only ever reads a serialized copy, so its objects are "doc" objects and
 * its methods have a double underscore: no library name is also a kernel
 * name, and a grep for one never finds the other. Only the ABI header
 * <linux/kho/abi/registry.h> is shared, on purpose.
 *
 * Errors: one channel. Every function that can fail returns a negative
 * errno value (-EINVAL, -ENOENT, -EBADMSG, ...) and, for that failure,
 * sets a message for the calling thread that libkhoreg_last_error()
 * returns; nothing else (errno, out-parameters, the objects) carries an
 * error. Problems found in a handover by khoreg_handover__validate() and
 * differences found by khoreg_handover__diff() are results, not errors:
 * they go to the caller's callback and are counted in the return value.
 *
 * Objects obtained from a handover (blobs, document, entries, fields and
 * the strings they return) live until khoreg_handover__close(). A handover
 * may be used by one thread at a time; different handovers are
 * independent.
 */
#ifndef __KHOREG_H
#define __KHOREG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/kho/abi/registry.h>

#ifdef __cplusplus
extern "C" {
#endif

struct khoreg_handover;
struct khoreg_blob;
struct khoreg_trace;
struct khoreg_trace_instance;
struct khoreg_trace_event;
struct khoreg_doc;
struct khoreg_doc_entry;
struct khoreg_doc_field;

/* Default sysfs locations of the pending and the incoming handover. */
#define KHOREG_SYSFS_PENDING	"/sys/kernel/kho"
#define KHOREG_SYSFS_INCOMING	"/sys/firmware/kho"

/* Compatible string of a handover bundle file. */
#define KHOREG_BUNDLE_COMPATIBLE	"khoreg-bundle-v1"

/* Largest file or buffer accepted by the open functions. */
#define KHOREG_INPUT_MAX	(256U << 20)

/**
 * enum khoreg_handover_kind - what an opened input turned out to be
 * @KHOREG_KIND_ROOT: a bare kho-v4 root FDT (sub-blob contents unknown)
 * @KHOREG_KIND_BUNDLE: a handover bundle file (root, blobs, memory)
 * @KHOREG_KIND_SYSFS: a sysfs directory (root FDT plus blobs/)
 * @KHOREG_KIND_REGISTRY: a bare registry sub-blob
 */
enum khoreg_handover_kind {
	KHOREG_KIND_ROOT,
	KHOREG_KIND_BUNDLE,
	KHOREG_KIND_SYSFS,
	KHOREG_KIND_REGISTRY,
};

/**
 * libkhoreg_last_error() - describe the last failure of this thread
 *
 * Return: a message owned by the library, valid until the next call into
 * the library from the same thread; "" if there is none.
 */
const char *libkhoreg_last_error(void);

/**
 * libkhoreg_read_file() - read a whole file or sysfs binary attribute
 * @path: the file, or "-" for standard input
 * @max: largest size accepted (-EFBIG beyond)
 * @out: returns a malloc()ed buffer, free() it
 * @len: returns the number of bytes read
 *
 * Reads until end of file, so that sysfs attributes larger than a page
 * are read whole.
 *
 * Return: 0 or a negative errno.
 */
int libkhoreg_read_file(const char *path, size_t max, void **out, size_t *len);

/**
 * libkhoreg_write_file() - create or replace a file, mode 0600
 * @path: the file, or "-" for standard output
 * @buf: what to write
 * @len: its length
 *
 * Return: 0 or a negative errno.
 */
int libkhoreg_write_file(const char *path, const void *buf, size_t len);

/**
 * libkhoreg_write_attr() - write to an existing file such as a sysfs
 * attribute, which is neither created nor truncated
 * @path: the file
 * @buf: what to write
 * @len: its length
 *
 * Return: 0 or a negative errno: the errno of the open (-ENOENT: no such
 * attribute) or of the write (what the kernel refused it with).
 */
int libkhoreg_write_attr(const char *path, const void *buf, size_t len);

/**
 * khoreg_handover__open_buffer() - open a handover held in memory
 * @buf: a root FDT, a bundle, or a registry blob
 * @len: size of @buf in bytes
 * @out: returns the handover; close it with khoreg_handover__close()
 *
 * The buffer is copied. A buffer that is not a structurally sound FDT is
 * refused with -EBADMSG; one larger than KHOREG_INPUT_MAX with -EFBIG.
 *
 * Return: 0 or a negative errno.
 */
int khoreg_handover__open_buffer(const void *buf, size_t len,
				 struct khoreg_handover **out);

/**
 * khoreg_handover__open_file() - open a handover from a file
 * @path: file holding a root FDT, a bundle, or a registry blob
 * @out: returns the handover
 *
 * Return: 0 or a negative errno.
 */
int khoreg_handover__open_file(const char *path, struct khoreg_handover **out);

/**
 * khoreg_handover__open_sysfs() - open a handover exported through sysfs
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
int khoreg_handover__open_sysfs(const char *dir, struct khoreg_handover **out);

/**
 * khoreg_handover__close() - release a handover and everything obtained from it
 * @h: handover, may be NULL
 */
void khoreg_handover__close(struct khoreg_handover *h);

/**
 * khoreg_handover__save_bundle() - write a handover as a bundle file
 * @h: handover
 * @path: output file, written as libkhoreg_write_file() does (mode 0600,
 *        "-" for standard output)
 *
 * The bundle holds the root FDT, the scratch array if known, and every
 * memory region known to @h (sub-blob contents, memory map nodes).
 *
 * Return: 0 or a negative errno.
 */
int khoreg_handover__save_bundle(const struct khoreg_handover *h,
				 const char *path);

/** khoreg_handover__kind() - what kind of input @h was opened from */
enum khoreg_handover_kind
khoreg_handover__kind(const struct khoreg_handover *h);

/** khoreg_handover__compatible() - root compatible string, NULL if missing */
const char *khoreg_handover__compatible(const struct khoreg_handover *h);

/**
 * khoreg_handover__root_fdt() - the root FDT
 * @h: handover
 * @len: returns its size, may be NULL
 *
 * Return: the FDT, or NULL for a bare registry blob.
 */
const void *khoreg_handover__root_fdt(const struct khoreg_handover *h,
				      size_t *len);

/**
 * khoreg_handover__memmap_addr() - physical address of the preserved memory map
 * @h: handover
 * @phys: returns the address
 *
 * Return: 0, or -ENOENT when the root has no (well-formed) memory map.
 */
int khoreg_handover__memmap_addr(const struct khoreg_handover *h,
				 uint64_t *phys);

/** khoreg_handover__nr_scratch() - number of scratch ranges (0: unknown) */
size_t khoreg_handover__nr_scratch(const struct khoreg_handover *h);

/**
 * khoreg_handover__scratch() - one scratch range
 * @h: handover
 * @idx: index below khoreg_handover__nr_scratch()
 * @addr: returns the start address
 * @size: returns the length
 *
 * Return: 0 or -ERANGE.
 */
int khoreg_handover__scratch(const struct khoreg_handover *h, size_t idx,
			     uint64_t *addr, uint64_t *size);

/** khoreg_handover__nr_blobs() - number of sub-blobs listed in the root */
size_t khoreg_handover__nr_blobs(const struct khoreg_handover *h);

/** khoreg_handover__blob() - sub-blob @idx, NULL when out of range */
const struct khoreg_blob *khoreg_handover__blob(const struct khoreg_handover *h,
						size_t idx);

/** khoreg_handover__find_blob() - sub-blob by name, NULL when absent */
const struct khoreg_blob *
khoreg_handover__find_blob(const struct khoreg_handover *h, const char *name);

/** khoreg_blob__name() - node name of a sub-blob */
const char *khoreg_blob__name(const struct khoreg_blob *b);

/** khoreg_blob__addr() - physical address of a sub-blob (0 if unknown) */
uint64_t khoreg_blob__addr(const struct khoreg_blob *b);

/** khoreg_blob__size() - size recorded in the root (0 if unknown) */
uint64_t khoreg_blob__size(const struct khoreg_blob *b);

/**
 * khoreg_blob__data() - contents of a sub-blob
 * @b: sub-blob
 * @len: returns the length of the contents
 *
 * Return: the contents, or NULL when the input does not carry them.
 */
const void *khoreg_blob__data(const struct khoreg_blob *b, size_t *len);

/**
 * khoreg_trace__parse() - read an "ftrace" sub-blob
 * @data: the sub-blob (see khoreg_blob__data())
 * @len: its length
 * @out: returns the trace setup; free it with khoreg_trace__free()
 *
 * Reads the instances (name, buffer size, whether pages are handed over,
 * flags, options) and the event table of <linux/kho/abi/trace.h>. Counts,
 * offsets and strings are checked against the blob's size; the pages of
 * the buffers are not read. The result does not depend on @data after the
 * call.
 *
 * Return: 0, -EBADMSG for a malformed blob, or -ENOMEM.
 */
int khoreg_trace__parse(const void *data, size_t len, struct khoreg_trace **out);

/** khoreg_trace__free() - release a trace setup, may be NULL */
void khoreg_trace__free(struct khoreg_trace *t);

/** khoreg_trace__nr_cpu_ids() - nr_cpu_ids of the kernel the blob is for */
uint32_t khoreg_trace__nr_cpu_ids(const struct khoreg_trace *t);

/** khoreg_trace__page_size() - page size of the kernel the blob is for */
uint32_t khoreg_trace__page_size(const struct khoreg_trace *t);

/** khoreg_trace__nr_instances() - number of trace instances */
size_t khoreg_trace__nr_instances(const struct khoreg_trace *t);

/** khoreg_trace__instance() - instance @idx, NULL when out of range */
const struct khoreg_trace_instance *
khoreg_trace__instance(const struct khoreg_trace *t, size_t idx);

/** khoreg_trace__nr_events() - number of entries of the event table */
size_t khoreg_trace__nr_events(const struct khoreg_trace *t);

/** khoreg_trace__event() - event @idx, NULL when out of range */
const struct khoreg_trace_event *
khoreg_trace__event(const struct khoreg_trace *t, size_t idx);

/** khoreg_trace_instance__name() - instance name ("global": top level) */
const char *khoreg_trace_instance__name(const struct khoreg_trace_instance *i);

/** khoreg_trace_instance__size() - bytes of its ring buffer range */
uint64_t khoreg_trace_instance__size(const struct khoreg_trace_instance *i);

/**
 * khoreg_trace_instance__has_pages() - whether a buffer is handed over
 * @i: instance
 *
 * Return: false for a setup only (a boot loader's, or a kernel's for an
 * instance it starts anew), true when the blob names preserved pages.
 */
bool khoreg_trace_instance__has_pages(const struct khoreg_trace_instance *i);

/** khoreg_trace_instance__tracing_on() - whether tracing is on in it */
bool khoreg_trace_instance__tracing_on(const struct khoreg_trace_instance *i);

/** khoreg_trace_instance__global() - whether it is the top-level buffer */
bool khoreg_trace_instance__global(const struct khoreg_trace_instance *i);

/**
 * khoreg_trace_instance__options() - its trace options
 * @i: instance
 *
 * Return: option names separated by one space, "no" before one that is
 * off, as in tracefs' trace_options; "" when it sets none.
 */
const char *khoreg_trace_instance__options(const struct khoreg_trace_instance *i);

/** khoreg_trace_event__system() - the event's system, e.g. "sched" */
const char *khoreg_trace_event__system(const struct khoreg_trace_event *e);

/** khoreg_trace_event__name() - the event's name, e.g. "sched_switch" */
const char *khoreg_trace_event__name(const struct khoreg_trace_event *e);

/**
 * khoreg_trace_event__enabled_in() - whether the event is enabled in an
 * instance
 * @e: event
 * @instance: index of the instance, as for khoreg_trace__instance()
 */
bool khoreg_trace_event__enabled_in(const struct khoreg_trace_event *e,
				    size_t instance);

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
 * khoreg_handover__memmap_walk() - visit every preserved block in key order
 * @h: handover
 * @fn: callback
 * @ctx: passed to @fn
 *
 * Return: 0, the callback's non-zero value, -ENODATA when the tree's pages
 * are not part of the input, or -EBADMSG when the tree is malformed.
 */
int khoreg_handover__memmap_walk(const struct khoreg_handover *h,
				 khoreg_block_fn fn, void *ctx);

/**
 * khoreg_handover__memmap_summary() - count the preserved memory map
 * @h: handover
 * @sum: returns the totals
 *
 * Return: 0 or as khoreg_handover__memmap_walk().
 */
int khoreg_handover__memmap_summary(const struct khoreg_handover *h,
				    struct khoreg_memmap_summary *sum);

/** khoreg_type__name() - wire name of a field type, NULL if unknown */
const char *khoreg_type__name(enum khoreg_type type);

/**
 * khoreg_handover__doc() - the typed registry of a handover
 * @h: handover
 * @out: returns the registry, owned by @h
 *
 * Entries or fields that break the registry ABI are left out; they are
 * reported by khoreg_handover__validate().
 *
 * Return: 0, -ENOENT (no registry sub-blob), -ENODATA (its contents are not
 * part of the input) or -EBADMSG (not a registry at all).
 */
int khoreg_handover__doc(struct khoreg_handover *h,
			 const struct khoreg_doc **out);

/** khoreg_doc__nr_entries() - number of top-level entries */
size_t khoreg_doc__nr_entries(const struct khoreg_doc *r);

/** khoreg_doc__entry() - top-level entry @idx, NULL if out of range */
const struct khoreg_doc_entry *
khoreg_doc__entry(const struct khoreg_doc *r, size_t idx);

/**
 * khoreg_doc__find() - entry by path
 * @r: registry
 * @path: entry names joined by '/', e.g. "nic0/queue1"
 *
 * Return: the entry or NULL.
 */
const struct khoreg_doc_entry *khoreg_doc__find(const struct khoreg_doc *r,
						const char *path);

/** khoreg_doc_entry__name() - node name of an entry */
const char *khoreg_doc_entry__name(const struct khoreg_doc_entry *e);
/** khoreg_doc_entry__path() - '/'-joined names from the top-level entry */
const char *khoreg_doc_entry__path(const struct khoreg_doc_entry *e);
/** khoreg_doc_entry__compatible() - the entry's compatible string */
const char *khoreg_doc_entry__compatible(const struct khoreg_doc_entry *e);
/** khoreg_doc_entry__version() - the entry's schema version */
uint32_t khoreg_doc_entry__version(const struct khoreg_doc_entry *e);
/** khoreg_doc_entry__owner() - owning module, NULL when not recorded */
const char *khoreg_doc_entry__owner(const struct khoreg_doc_entry *e);
/** khoreg_doc_entry__nr_annotations() - number of "key=value" annotations */
size_t khoreg_doc_entry__nr_annotations(const struct khoreg_doc_entry *e);
/** khoreg_doc_entry__annotation() - annotation @idx as "key=value", or NULL */
const char *khoreg_doc_entry__annotation(const struct khoreg_doc_entry *e,
					 size_t idx);
/** khoreg_doc_entry__nr_children() - number of child entries */
size_t khoreg_doc_entry__nr_children(const struct khoreg_doc_entry *e);
/** khoreg_doc_entry__child() - child entry @idx, or NULL */
const struct khoreg_doc_entry *
khoreg_doc_entry__child(const struct khoreg_doc_entry *e, size_t idx);
/** khoreg_doc_entry__nr_fields() - number of (valid) fields */
size_t khoreg_doc_entry__nr_fields(const struct khoreg_doc_entry *e);
/** khoreg_doc_entry__field() - field @idx in declaration order, or NULL */
const struct khoreg_doc_field *
khoreg_doc_entry__field(const struct khoreg_doc_entry *e, size_t idx);
/** khoreg_doc_entry__find_field() - field by name, or NULL */
const struct khoreg_doc_field *
khoreg_doc_entry__find_field(const struct khoreg_doc_entry *e,
			     const char *name);

/** khoreg_doc_field__name() - name of a field */
const char *khoreg_doc_field__name(const struct khoreg_doc_field *f);
/** khoreg_doc_field__type() - element type of a field */
enum khoreg_type khoreg_doc_field__type(const struct khoreg_doc_field *f);
/** khoreg_doc_field__count() - array length, 0 for a scalar field */
uint32_t khoreg_doc_field__count(const struct khoreg_doc_field *f);
/**
 * khoreg_doc_field__type_str() - type as written in the blob, e.g. "u32[4]"
 * @f: field
 */
const char *khoreg_doc_field__type_str(const struct khoreg_doc_field *f);
/**
 * khoreg_doc_field__raw() - encoded value
 * @f: field
 * @len: returns the length in bytes
 *
 * Return: the big-endian property value.
 */
const void *khoreg_doc_field__raw(const struct khoreg_doc_field *f,
				  size_t *len);

/**
 * khoreg_doc_field__uint() - an unsigned integer or bool value
 * @f: field of type u8, u16, u32, u64 or bool (or an array of one)
 * @idx: element index, 0 for a scalar
 * @val: returns the value
 *
 * Return: 0, -EPROTO (wrong type) or -ERANGE (bad index).
 */
int khoreg_doc_field__uint(const struct khoreg_doc_field *f, uint32_t idx,
			   uint64_t *val);

/** khoreg_doc_field__sint() - an s64 value, like khoreg_doc_field__uint() */
int khoreg_doc_field__sint(const struct khoreg_doc_field *f, uint32_t idx,
			   int64_t *val);

/**
 * khoreg_doc_field__string() - a string value
 * @f: field of type string
 * @val: returns the string, owned by the handover
 *
 * Return: 0 or -EPROTO.
 */
int khoreg_doc_field__string(const struct khoreg_doc_field *f,
			     const char **val);

/**
 * khoreg_doc_field__mem() - a preserved memory value
 * @f: field of type range, folio or vmalloc
 * @phys: returns the physical address
 * @size: returns the size in bytes (pages times 4 KiB for vmalloc)
 * @order: returns the order (0 for range), may be NULL
 *
 * Return: 0 or -EPROTO.
 */
int khoreg_doc_field__mem(const struct khoreg_doc_field *f, uint64_t *phys,
			  uint64_t *size, unsigned int *order);

/**
 * khoreg_doc_field__format() - the value as text
 * @f: field
 * @buf: output buffer
 * @len: size of @buf
 *
 * Integers in decimal, addresses in hex, strings quoted C-style, bytes as
 * hex, arrays as "[a, b]". The output is truncated to fit @buf.
 *
 * Return: the length the full text would have (like snprintf).
 */
int khoreg_doc_field__format(const struct khoreg_doc_field *f, char *buf,
			     size_t len);

/**
 * typedef khoreg_problem_fn - receives one validation problem
 * @path: where, e.g. "/khoreg/nic0/mac" or "/memory-map/0x1000"
 * @reason: what is wrong, in words
 * @ctx: caller's context
 */
typedef void (*khoreg_problem_fn)(const char *path, const char *reason,
				  void *ctx);

/**
 * khoreg_handover__validate() - check a handover against the ABI
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
int khoreg_handover__validate(struct khoreg_handover *h, khoreg_problem_fn fn,
			      void *ctx);

/**
 * khoreg_handover__preflight() - will a kernel image accept this handover?
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
int khoreg_handover__preflight(struct khoreg_handover *h, const char *image,
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
 * khoreg_handover__diff() - compare two handovers
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
int khoreg_handover__diff(struct khoreg_handover *a, struct khoreg_handover *b,
			  khoreg_diff_fn fn, void *ctx);

/**
 * enum khoreg_author_output - what libkhoreg_author() produces
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
 * libkhoreg_author() - build a handover from a JSON description
 * @json: the description (see Documentation/kho/khoctl.rst)
 * @len: its length in bytes
 * @what: which artefact to produce
 * @out: returns a malloc()ed buffer, free() it
 * @out_len: returns its length
 *
 * Return: 0, -EINVAL with a "line:col: reason" message from
 * libkhoreg_last_error() for a bad description, or another negative errno.
 */
int libkhoreg_author(const char *json, size_t len,
		     enum khoreg_author_output what, void **out,
		     size_t *out_len);

#ifdef __cplusplus
}
#endif

#endif /* __KHOREG_H */
