/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* libkhoreg internals shared between the library's modules. */
#ifndef __KHOREG_INTERNAL_H
#define __KHOREG_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/kho/abi/kexec_handover.h>
#include <linux/kho/abi/registry.h>

#include "khoreg.h"

#define KHOREG_API __attribute__((visibility("default")))
#define __printf(a, b) __attribute__((format(printf, a, b)))

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#endif

/* Upper bound on radix tree pages visited in one walk. */
#define KHOREG_MAX_NODES	(1U << 20)
/* Upper bound on preserved blocks collected for checks and summaries. */
#define KHOREG_MAX_BLOCKS	(1U << 22)
/* A record of a sysfs memory_map file: node address, then the node. */
#define KHOREG_MAP_RECORD	(8 + KHO_PAGE_SIZE)
/* Upper bound on entries of a sysfs scratch_array file. */
#define KHOREG_MAX_SCRATCH	4096
/* Upper bound on sub-blobs in a root FDT. */
#define KHOREG_MAX_BLOBS	4096

/* util.c: error messages */
int kr_err(int err, const char *fmt, ...) __printf(2, 3);
void kr_clear_err(void);
void kr_prefix_err(const char *prefix);

/* util.c: growable text buffer and helpers */
struct kr_buf {
	char *s;
	size_t len;
	size_t cap;
	bool oom;
};

void kr_buf_printf(struct kr_buf *b, const char *fmt, ...) __printf(2, 3);
void kr_buf_vprintf(struct kr_buf *b, const char *fmt, va_list ap);
void kr_buf_put(struct kr_buf *b, const void *p, size_t len);
void kr_buf_free(struct kr_buf *b);
void *kr_calloc(size_t n, size_t size);
void *kr_grow(void *ptr, size_t *cap, size_t need, size_t size);
char *kr_strndup(const char *s, size_t n);
uint64_t kr_be(const uint8_t *p, unsigned int n);
void kr_put_be(uint8_t *p, uint64_t v, unsigned int n);
uint64_t kr_le64(const void *p);
void kr_put_le64(void *p, uint64_t v);
bool kr_is_name(const char *s, size_t len);
const char *kr_fdt_strerror(int err);
int kr_check_fdt(const void *fdt, size_t len);

/* problems reported while parsing or validating */
struct kr_problems {
	khoreg_problem_fn fn;
	void *ctx;
	int count;
};

void kr_problem(struct kr_problems *p, const char *path, const char *fmt, ...)
	__printf(3, 4);

/* handover.c */
struct khoreg_region {
	uint64_t phys;
	uint64_t len;
	const uint8_t *data;
};

struct khoreg_blob {
	const char *name;
	char *path;
	bool has_addr;
	bool has_size;
	uint64_t phys;
	uint64_t size;
	const uint8_t *data;
	size_t data_len;
	uint8_t *owned;
};

struct khoreg_handover {
	enum khoreg_handover_kind kind;
	uint8_t *buf;
	size_t buf_len;
	uint8_t *root_buf;
	const uint8_t *root;
	size_t root_len;
	const char *compatible;
	bool has_memmap;
	uint64_t memmap;
	struct kho_scratch_entry *scratch;
	size_t nr_scratch;
	bool scratch_known;
	struct khoreg_blob *blobs;
	size_t nr_blobs;
	struct khoreg_region *regions;
	size_t nr_regions;
	uint8_t *map_buf;
	struct khoreg_doc *reg;
};

int kr_bundle_build(const void *root, size_t root_len,
		    const struct kho_scratch_entry *scratch, size_t nr_scratch,
		    bool scratch_known, const struct khoreg_region *r,
		    size_t nr, uint8_t **out, size_t *out_len);
int kr_region_cmp(const void *a, const void *b);
const uint8_t *kr_mem(const struct khoreg_handover *h, uint64_t phys,
		      uint64_t len);

/* memmap.c */
struct kr_block {
	uint64_t phys;
	uint64_t size;
	unsigned int order;
};

int kr_memmap_collect(const struct khoreg_handover *h, struct kr_problems *p,
		      struct kr_block **out, size_t *nr);
int kr_block_cmp(const void *a, const void *b);
size_t kr_merge_blocks(struct kr_block *b, size_t nr);

/* registry.c */
struct khoreg_doc_field {
	char *name;
	char *type_str;
	enum khoreg_type type;
	uint32_t count;
	const uint8_t *val;
	uint32_t len;
	const struct khoreg_doc_entry *entry;
};

struct khoreg_doc_entry {
	const char *name;
	char *path;
	const char *compatible;
	uint32_t version;
	const char *owner;
	const char **annotations;
	size_t nr_annotations;
	struct khoreg_doc_field *fields;
	size_t nr_fields;
	struct khoreg_doc_entry **children;
	size_t nr_children;
};

struct khoreg_doc {
	const uint8_t *fdt;
	size_t len;
	struct khoreg_doc_entry **entries;
	size_t nr_entries;
	size_t total;
};

int kr_registry_parse(const uint8_t *fdt, size_t len, const char *base,
		      struct kr_problems *p, struct khoreg_doc **out);
void kr_registry_free(struct khoreg_doc *r);
unsigned int kr_type_size(enum khoreg_type t);

/* trace.c: writing an ftrace sub-blob that carries a trace setup */
struct khoreg_trace *kr_trace_new(uint32_t nr_cpu_ids, uint32_t page_size);
int kr_trace_add_instance(struct khoreg_trace *t, const char *name,
			  uint64_t size, bool tracing_on, const char *options);
/* Enable system:name in the instance added last. */
int kr_trace_enable_event(struct khoreg_trace *t, const char *system,
			  const char *name);
int kr_trace_encode(const struct khoreg_trace *t, struct kr_buf *out);

/* json.c: a bounded JSON reader */
enum kr_json_kind {
	KR_JSON_NULL,
	KR_JSON_BOOL,
	KR_JSON_NUMBER,
	KR_JSON_STRING,
	KR_JSON_ARRAY,
	KR_JSON_OBJECT,
};

struct kr_json {
	enum kr_json_kind kind;
	unsigned int line;
	unsigned int col;
	bool b;
	bool neg;
	bool is_int;
	uint64_t u;
	char *s;
	size_t slen;
	char *key;
	struct kr_json *child;
	struct kr_json *next;
	size_t n;
};

#define KR_JSON_MAX_DEPTH	64
#define KR_JSON_MAX_NODES	(1U << 22)

int kr_json_parse(const char *text, size_t len, struct kr_json **out);
void kr_json_free(struct kr_json *j);
const struct kr_json *kr_json_get(const struct kr_json *obj, const char *key);

#endif /* __KHOREG_INTERNAL_H */
