/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * khoreg typed state registry: definitions shared by kernel/kho/registry*.c
 * and the BPF side of KHO.
 */
#ifndef _KERNEL_KHO_REGISTRY_INTERNAL_H
#define _KERNEL_KHO_REGISTRY_INTERNAL_H

#include <linux/kho/registry.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>

struct kho_vmalloc;
struct kobject;

/* Longest compatible string of an entry, NUL excluded. */
#define KHOREG_COMPAT_MAX	127
/* Bytes of an entry path "a/b/...", NUL included. */
#define KHOREG_PATH_MAX		(KHOREG_MAX_DEPTH * (KHOREG_NAME_MAX + 1))
/* Most bytes of a wire-encoded scalar, array element or memory field. */
#define KHOREG_FIXED_MAX	16

/* ---- types, values and their text (registry_value.c) ---- */

struct khoreg_entry;
struct khoreg_in_entry;
struct seq_buf;

const char *khoreg_type_name(enum khoreg_type type);
unsigned int khoreg_type_size(enum khoreg_type type);
bool khoreg_type_scalar(enum khoreg_type type);
bool khoreg_field_root_only(const struct khoreg_field *decl);
bool khoreg_name_valid(const char *name, size_t len);
bool khoreg_compatible_valid(const char *compat, size_t len);
int khoreg_parse_decl(const char *decl, size_t len, size_t *name_len,
		      enum khoreg_type *type, u32 *count);
int khoreg_value_check(enum khoreg_type type, u32 count, const void *val,
		       size_t len);
int khoreg_decl_snprintf(char *buf, size_t size, const char *name,
			 enum khoreg_type type, u32 count);
bool khoreg_text_valid(const char *s, size_t len);
u64 khoreg_read_elem(enum khoreg_type type, const u8 *p);
void khoreg_write_elem(enum khoreg_type type, u8 *p, u64 v);
u64 khoreg_native_elem(enum khoreg_type type, const void *vals, unsigned int i);
void khoreg_native_store(enum khoreg_type type, void *vals, unsigned int i,
			 u64 v);
void khoreg_value_print(struct seq_buf *s, enum khoreg_type type, u32 count,
			const void *val, size_t len);
void khoreg_field_print(struct seq_buf *s, struct khoreg_entry *out,
			const struct khoreg_in_entry *in, unsigned int index);
void khoreg_annotations_print(struct seq_buf *s, struct khoreg_entry *out,
			      const struct khoreg_in_entry *in, const char *sep);

/* Bytes of a bytes value khoreg_value_print() shows in hex; "..." follows. */
#define KHOREG_BYTES_SHOW_MAX	64

/* ---- the outgoing registry (registry.c) ---- */

/**
 * struct khoreg_mem - memory held by a range, folio or vmalloc field
 * @page: range: the first page
 * @nr_pages: range: number of pages
 * @folio: folio: the folio
 * @vm: vmalloc: the preserved descriptor, in memory of its own
 */
struct khoreg_mem {
	union {
		struct {
			struct page *page;
			unsigned long nr_pages;
		};
		struct folio *folio;
		struct kho_vmalloc *vm;
	};
};

/**
 * struct khoreg_out_field - one field of an outgoing entry
 * @decl: its declaration in the schema
 * @val: the value in wire encoding; @fixed or, for strings and bytes, a
 *	kmalloc()ed buffer
 * @size: bytes of @val
 * @set: false while a memory field (range, folio, vmalloc) holds no
 *	memory; always true for the other types
 * @mem: the preserved memory of a memory field
 * @fixed: storage of scalar, array and memory values
 */
struct khoreg_out_field {
	const struct khoreg_field *decl;
	u8 *val;
	u32 size;
	bool set;
	struct khoreg_mem mem;
	u8 fixed[] __aligned(8);
};

/**
 * struct khoreg_annotation - a "key=value" annotation of an entry
 * @list: link in the entry's annotations
 * @text: the annotation, NUL terminated
 */
struct khoreg_annotation {
	struct list_head list;
	char text[];
};

/**
 * struct khoreg_entry - an outgoing entry
 * @reg: the registry it belongs to
 * @parent: parent entry, NULL at the top level
 * @sibling: link in the parent's (or the registry's) list of entries
 * @children: child entries, in registration order
 * @schema: its schema
 * @owner: the module that registered it
 * @priv: argument of the schema callbacks
 * @lock: protects the values of @fields and @annotations
 * @depth: 1 at the top level
 * @imported: it came from /sys/kernel/kho/registry_import
 * @nr_annotations: number of @annotations
 * @annotations: &struct khoreg_annotation list, BPF and tools attach them
 * @kobj: its sysfs directory, if any
 * @name: its name
 * @fields: one per schema field, in declaration order
 */
struct khoreg_entry {
	struct khoreg_registry *reg;
	struct khoreg_entry *parent;
	struct list_head sibling;
	struct list_head children;
	const struct khoreg_schema *schema;
	struct module *owner;
	void *priv;
	spinlock_t lock;	/* values of @fields, @annotations */
	unsigned int depth;
	bool imported;
	unsigned int nr_annotations;
	struct list_head annotations;
	struct kobject *kobj;
	char name[KHOREG_NAME_MAX + 1];
	struct khoreg_out_field *fields[];
};

/**
 * struct khoreg_validator - a check of the registry at finalize
 * @list: link in the registry's validators
 * @name: shown in the reason of a refusal
 * @validate: called for every entry, parents first, then once with @entry
 *	NULL for the registry as a whole; the registry is frozen. A non-zero
 *	return refuses the handover; @reason (@len bytes) may say why.
 */
struct khoreg_validator {
	struct list_head list;
	const char *name;
	int (*validate)(struct khoreg_validator *v,
			const struct khoreg_entry *entry, char *reason,
			size_t len);
};

/**
 * struct khoreg_observer - a presentation of a registry, told of its changes
 * @add: an entry was added, after its parent; the registry lock is held
 * @remove: an entry is going, after its children; the registry lock is
 *	held, and the entry is freed once this returns
 */
struct khoreg_observer {
	void (*add)(struct khoreg_entry *entry);
	void (*remove)(struct khoreg_entry *entry);
};

/**
 * struct khoreg_registry - a set of outgoing entries
 * @lock: serializes registration, unregistration, annotations, finalize
 *	and abort; protects @entries, @nr_entries, @validators, @cursors and
 *	@blob
 * @freeze_sem: held for reading by the setters that may sleep, for writing
 *	to change @frozen
 * @frozen: set while the handover is finalized: every change is refused
 *	with -EBUSY
 * @outgoing: this is the registry KHO hands over: while a task other than
 *	the one finalizing the handover tries, every change is refused with
 *	-EBUSY even before @frozen is set
 * @entries: top-level entries, in registration order
 * @nr_entries: entries at every level
 * @validators: &struct khoreg_validator list
 * @cursors: &struct khoreg_cursor list
 * @blob: the generated sub-blob while finalized
 * @blob_size: its size
 * @observer: told about every entry added and removed, or NULL
 *
 * Lock order: @lock, then @freeze_sem, then an entry's lock. Setters of
 * scalars and arrays take only the entry's lock and may run in atomic
 * context; they read @frozen under it, and finalize takes every entry's
 * lock after setting @frozen, so a value is either in the blob or refused.
 */
struct khoreg_registry {
	struct mutex lock;	/* see above */
	struct rw_semaphore freeze_sem;
	bool frozen;
	bool outgoing;
	struct list_head entries;
	unsigned int nr_entries;
	struct list_head validators;
	struct list_head cursors;
	void *blob;
	size_t blob_size;
	const struct khoreg_observer *observer;
};

extern struct khoreg_registry khoreg_registry;

/**
 * struct khoreg_cursor - a position in the walk of a registry that stays
 *	valid while the lock is dropped
 * @list: link in the registry's cursors
 * @entry: the entry at the position, NULL past the last one
 * @sub: a position within @entry for the cursor's user, 0 when the cursor
 *	is moved
 *
 * Removing the entry at a cursor, or one of its ancestors, moves the
 * cursor on to the entry that follows the removed ones in the walk of
 * khoreg_entry_next().
 */
struct khoreg_cursor {
	struct list_head list;
	struct khoreg_entry *entry;
	unsigned int sub;
};

void khoreg_registry_init(struct khoreg_registry *reg);
struct khoreg_entry *khoreg_entry_add(struct khoreg_registry *reg,
				      struct khoreg_entry *parent,
				      const char *name,
				      const struct khoreg_schema *schema,
				      struct module *owner, void *priv);
int khoreg_entry_remove(struct khoreg_entry *entry);
int khoreg_entries_remove(struct khoreg_registry *reg,
			  struct khoreg_entry **entries, unsigned int nr);
int khoreg_freeze(struct khoreg_registry *reg, char *reason, size_t len);
void khoreg_thaw(struct khoreg_registry *reg);
int khoreg_annotate(struct khoreg_entry *entry, const char *key,
		    const char *value);
int khoreg_annotate_locked(struct khoreg_entry *entry, const char *key,
			   const char *value);
int khoreg_entry_path(const struct khoreg_entry *entry, char *buf, size_t size);
int khoreg_validator_register(struct khoreg_registry *reg,
			      struct khoreg_validator *v);
void khoreg_validator_unregister(struct khoreg_registry *reg,
				 struct khoreg_validator *v);
struct khoreg_entry *khoreg_entry_next(struct khoreg_registry *reg,
				       struct khoreg_entry *entry);
void khoreg_cursor_add(struct khoreg_registry *reg, struct khoreg_cursor *c);
void khoreg_cursor_del(struct khoreg_registry *reg, struct khoreg_cursor *c);
void khoreg_observe(struct khoreg_registry *reg,
		    const struct khoreg_observer *obs);
int khoreg_adopt(struct khoreg_registry *reg, struct khoreg_registry *stage,
		 char *reason, size_t len);

#if IS_ENABLED(CONFIG_KEXEC_HANDOVER_TEST_HOOKS)
int khoreg_test_damage(const char *path, const char *prop, const u32 *val);
#endif

/* ---- the sub-blob writer (registry_fdt.c) ---- */

size_t khoreg_fdt_size(struct khoreg_registry *reg);
int khoreg_fdt_build(struct khoreg_registry *reg, void *buf, size_t size);

/* ---- the incoming registry (registry_in.c) ---- */

/**
 * struct khoreg_in_field - one field of an incoming entry
 * @name: its name (NUL terminated)
 * @type: its type
 * @count: array elements, 0 for a single value
 * @err: 0 if @val is usable, else what a getter returns: -ENOENT (no
 *	property), -EOVERFLOW (bad length), -EPROTO (bad value)
 * @val: the value in the registry's copy of the blob
 * @len: bytes of @val
 */
struct khoreg_in_field {
	const char *name;
	enum khoreg_type type;
	u32 count;
	int err;
	const void *val;
	u32 len;
};

/**
 * struct khoreg_in_entry - an entry handed over by the previous kernel
 * @tree: the incoming registry it belongs to
 * @parent: parent entry, NULL at the top level
 * @sibling: link in the parent's (or tree's) list of entries
 * @children: valid child entries
 * @name: its name
 * @compatible: its compatible string
 * @owner: the owner module's name, or NULL
 * @annotations: "key=value" string list, or NULL
 * @annotations_len: bytes of @annotations
 * @version: its schema version
 * @claimed: a driver claimed it
 * @mem_taken: its claimer restored memory of one of its fields
 * @kobj: its sysfs directory, if any
 * @decls: copy of khoreg,fields holding the field names
 * @nr_fields: number of @fields
 * @fields: the fields, in declaration order
 */
struct khoreg_in_entry {
	struct khoreg_in_tree *tree;
	struct khoreg_in_entry *parent;
	struct list_head sibling;
	struct list_head children;
	const char *name;
	const char *compatible;
	const char *owner;
	const char *annotations;
	int annotations_len;
	u32 version;
	bool claimed;
	bool mem_taken;
	struct kobject *kobj;
	char *decls;
	unsigned int nr_fields;
	struct khoreg_in_field fields[];
};

/**
 * struct khoreg_in_tree - the incoming registry
 * @lock: protects the claimed flags
 * @blob: this kernel's copy of the sub-blob; entries point into it
 * @size: its size
 * @entries: valid top-level entries
 * @nr_entries: valid entries at every level
 * @nr_rejected: entries dropped as malformed, their children included
 * @nr_problems: problems found, rejected entries and bad fields included
 */
struct khoreg_in_tree {
	struct mutex lock;	/* claimed flags, finished */
	bool finished;		/* claims fail: the memory went back */
	void *blob;
	size_t size;
	struct list_head entries;
	unsigned int nr_entries;
	unsigned int nr_rejected;
	unsigned int nr_problems;
};

int khoreg_in_parse(struct khoreg_in_tree *tree, const void *blob,
		    size_t size, char *reason, size_t len);
void khoreg_in_free(struct khoreg_in_tree *tree);
struct khoreg_in_entry *khoreg_in_lookup(struct khoreg_in_tree *tree,
					 const char *path);
struct khoreg_in_entry *khoreg_in_claim(struct khoreg_in_tree *tree,
					const char *path,
					const struct khoreg_schema *schema);
int khoreg_in_unclaim(struct khoreg_in_tree *tree,
		      struct khoreg_in_entry *entry);
struct khoreg_in_entry *khoreg_in_entry_next(struct khoreg_in_tree *tree,
					     struct khoreg_in_entry *entry);
int khoreg_in_entry_path(const struct khoreg_in_entry *entry, char *buf,
			 size_t size);
unsigned int khoreg_in_tree_finish(struct khoreg_in_tree *tree);

extern struct khoreg_in_tree khoreg_in;

/* ---- importing an authored blob (registry_import.c) ---- */

struct khoreg_import;

struct khoreg_import *khoreg_import(struct khoreg_registry *reg,
				    const void *blob, size_t size,
				    char *reason, size_t len);
void khoreg_import_free(struct khoreg_import *imp);

#endif /* _KERNEL_KHO_REGISTRY_INTERNAL_H */
