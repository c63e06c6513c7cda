/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * khoreg: the typed state registry of Kexec HandOver.
 *
 * Drivers declare the state they hand to the next kernel as typed entries;
 * KHO writes them into the "khoreg-registry-v1" sub-blob at finalize (see
 * Documentation/kho/registry-abi.rst) and the next kernel gives them back
 * through typed getters. Documentation/kho/registry.rst is the guide.
 */
#ifndef _LINUX_KHO_REGISTRY_H
#define _LINUX_KHO_REGISTRY_H

#include <linux/err.h>
#include <linux/errno.h>
#include <linux/types.h>
#include <linux/kho/abi/registry.h>

struct folio;
struct module;
struct page;
struct khoreg_entry;
struct khoreg_in_entry;

/* Field flags */
#define KHOREG_FIELD_SECRET	0x1	/* value for root only: sysfs, BPF iterators */

/**
 * struct khoreg_field - declaration of one field of an entry
 * @name: field name: 1..63 characters of [a-z0-9_.-], starting with a
 *	letter or digit, not "compatible", unique in the entry
 * @type: the type of the field
 * @count: number of elements of a fixed-size array (1..KHOREG_ARRAY_MAX)
 *	of a scalar type (u8, u16, u32, u64, s64, bool); 0 for a single value
 * @max_size: most bytes a string (NUL included) or bytes field may hold;
 *	0 for the ABI limit (KHOREG_STRING_MAX, KHOREG_BYTES_MAX)
 * @flags: KHOREG_FIELD_* flags
 *
 * Use the KHOREG_FIELD(), KHOREG_ARRAY(), KHOREG_STRING() and
 * KHOREG_BYTES() initializers.
 */
struct khoreg_field {
	const char *name;
	enum khoreg_type type;
	u32 count;
	u32 max_size;
	u32 flags;
};

#define KHOREG_FIELD(_name, _type) \
	{ .name = (_name), .type = KHOREG_TYPE_##_type }
#define KHOREG_ARRAY(_name, _type, _count) \
	{ .name = (_name), .type = KHOREG_TYPE_##_type, .count = (_count) }
#define KHOREG_STRING(_name, _max) \
	{ .name = (_name), .type = KHOREG_TYPE_STRING, .max_size = (_max) }
#define KHOREG_BYTES(_name, _max) \
	{ .name = (_name), .type = KHOREG_TYPE_BYTES, .max_size = (_max) }

/**
 * struct khoreg_schema - the typed layout of an entry
 * @compatible: "vendor,name-vN" style schema name, printable ASCII without
 *	spaces, at most 127 characters
 * @version: the schema version this kernel writes
 * @min_version: oldest version khoreg_claim() accepts from the previous
 *	kernel (0 means @version: exact match only)
 * @fields: the field declarations
 * @nr_fields: number of @fields (at most KHOREG_MAX_FIELDS)
 * @serialize: optional; called at finalize before the entry is frozen, to
 *	bring the fields up to date with the khoreg_set_*() functions. A
 *	non-zero return refuses the handover.
 * @validate: optional; called at finalize once every entry is frozen. A
 *	non-zero return refuses the handover; @reason (@len bytes) may say
 *	why.
 *
 * The schema must stay valid while an entry uses it (e.g. a static const
 * in the module that registers the entry).
 */
struct khoreg_schema {
	const char *compatible;
	u32 version;
	u32 min_version;
	const struct khoreg_field *fields;
	unsigned int nr_fields;
	int (*serialize)(struct khoreg_entry *entry, void *priv);
	int (*validate)(struct khoreg_entry *entry, void *priv, char *reason,
			size_t len);
};

#ifdef CONFIG_KEXEC_HANDOVER_REGISTRY

/* ---- declaring and updating state (outgoing) ---- */

struct khoreg_entry *__khoreg_register(struct khoreg_entry *parent,
				       const char *name,
				       const struct khoreg_schema *schema,
				       struct module *owner, void *priv);

/**
 * khoreg_register() - declare a top-level entry of the registry
 * @name: unique entry name, the rules of &struct khoreg_field names
 * @schema: its schema
 * @priv: passed to the schema callbacks
 *
 * The calling module owns the entry: it is unregistered, with a warning,
 * if the module unloads without doing it, and the module cannot unload
 * while the handover is finalized.
 *
 * Return: the entry, or an ERR_PTR(): -EINVAL for a bad name or schema,
 * -EEXIST if the name is taken, -EBUSY while the handover is finalized,
 * -ENOSPC past KHOREG_MAX_ENTRIES, -ENOMEM.
 */
#define khoreg_register(name, schema, priv) \
	__khoreg_register(NULL, name, schema, THIS_MODULE, priv)

/**
 * khoreg_register_child() - declare an entry nested in another one
 * @parent: the parent entry
 * @name: entry name, unique among @parent's children
 * @schema: its schema
 * @priv: passed to the schema callbacks
 *
 * Return: as khoreg_register(); -EINVAL also past KHOREG_MAX_DEPTH levels.
 */
#define khoreg_register_child(parent, name, schema, priv) \
	__khoreg_register(parent, name, schema, THIS_MODULE, priv)

int khoreg_unregister(struct khoreg_entry *entry);

int khoreg_set_u8(struct khoreg_entry *entry, const char *field, u8 val);
int khoreg_set_u16(struct khoreg_entry *entry, const char *field, u16 val);
int khoreg_set_u32(struct khoreg_entry *entry, const char *field, u32 val);
int khoreg_set_u64(struct khoreg_entry *entry, const char *field, u64 val);
int khoreg_set_s64(struct khoreg_entry *entry, const char *field, s64 val);
int khoreg_set_bool(struct khoreg_entry *entry, const char *field, bool val);
int khoreg_set_array(struct khoreg_entry *entry, const char *field,
		     const void *vals, unsigned int count);
int khoreg_set_string(struct khoreg_entry *entry, const char *field,
		      const char *str);
int khoreg_set_bytes(struct khoreg_entry *entry, const char *field,
		     const void *data, size_t len);
int khoreg_set_pages(struct khoreg_entry *entry, const char *field,
		     struct page *page, unsigned long nr_pages);
int khoreg_set_folio(struct khoreg_entry *entry, const char *field,
		     struct folio *folio);
int khoreg_set_vmalloc(struct khoreg_entry *entry, const char *field,
		       void *ptr);
int khoreg_clear(struct khoreg_entry *entry, const char *field);

/* ---- restoring state (incoming) ---- */

struct khoreg_in_entry *khoreg_claim(const char *path,
				     const struct khoreg_schema *schema);
int khoreg_unclaim(struct khoreg_in_entry *entry);
struct khoreg_in_entry *khoreg_find(const char *path);
const char *khoreg_in_compatible(const struct khoreg_in_entry *entry);
u32 khoreg_in_version(const struct khoreg_in_entry *entry);

int khoreg_get_u8(struct khoreg_in_entry *entry, const char *field, u8 *val);
int khoreg_get_u16(struct khoreg_in_entry *entry, const char *field,
		   u16 *val);
int khoreg_get_u32(struct khoreg_in_entry *entry, const char *field,
		   u32 *val);
int khoreg_get_u64(struct khoreg_in_entry *entry, const char *field,
		   u64 *val);
int khoreg_get_s64(struct khoreg_in_entry *entry, const char *field,
		   s64 *val);
int khoreg_get_bool(struct khoreg_in_entry *entry, const char *field,
		    bool *val);
int khoreg_get_array(struct khoreg_in_entry *entry, const char *field,
		     enum khoreg_type type, void *vals, unsigned int count);
int khoreg_get_string(struct khoreg_in_entry *entry, const char *field,
		      char *buf, size_t size);
int khoreg_get_bytes(struct khoreg_in_entry *entry, const char *field,
		     void *buf, size_t size, size_t *len);
struct page *khoreg_restore_pages(struct khoreg_in_entry *entry,
				  const char *field, unsigned long *nr_pages);
struct folio *khoreg_restore_folio(struct khoreg_in_entry *entry,
				   const char *field);
void *khoreg_restore_vmalloc(struct khoreg_in_entry *entry, const char *field,
			     unsigned long *nr_pages);

#else /* CONFIG_KEXEC_HANDOVER_REGISTRY */

/*
 * Without the registry nothing can be declared (-EOPNOTSUPP) and nothing
 * was handed over (-ENOENT): a driver starts afresh.
 */

static inline struct khoreg_entry *
__khoreg_register(struct khoreg_entry *parent, const char *name,
		  const struct khoreg_schema *schema, struct module *owner,
		  void *priv)
{
	return ERR_PTR(-EOPNOTSUPP);
}

#define khoreg_register(name, schema, priv) \
	__khoreg_register(NULL, name, schema, NULL, priv)
#define khoreg_register_child(parent, name, schema, priv) \
	__khoreg_register(parent, name, schema, NULL, priv)

static inline int khoreg_unregister(struct khoreg_entry *entry)
{
	return 0;
}

static inline int khoreg_set_u8(struct khoreg_entry *entry, const char *field,
				u8 val)
{
	return -EOPNOTSUPP;
}

static inline int khoreg_set_u16(struct khoreg_entry *entry,
				 const char *field, u16 val)
{
	return -EOPNOTSUPP;
}

static inline int khoreg_set_u32(struct khoreg_entry *entry,
				 const char *field, u32 val)
{
	return -EOPNOTSUPP;
}

static inline int khoreg_set_u64(struct khoreg_entry *entry,
				 const char *field, u64 val)
{
	return -EOPNOTSUPP;
}

static inline int khoreg_set_s64(struct khoreg_entry *entry,
				 const char *field, s64 val)
{
	return -EOPNOTSUPP;
}

static inline int khoreg_set_bool(struct khoreg_entry *entry,
				  const char *field, bool val)
{
	return -EOPNOTSUPP;
}

static inline int khoreg_set_array(struct khoreg_entry *entry,
				   const char *field, const void *vals,
				   unsigned int count)
{
	return -EOPNOTSUPP;
}

static inline int khoreg_set_string(struct khoreg_entry *entry,
				    const char *field, const char *str)
{
	return -EOPNOTSUPP;
}

static inline int khoreg_set_bytes(struct khoreg_entry *entry,
				   const char *field, const void *data,
				   size_t len)
{
	return -EOPNOTSUPP;
}

static inline int khoreg_set_pages(struct khoreg_entry *entry,
				   const char *field, struct page *page,
				   unsigned long nr_pages)
{
	return -EOPNOTSUPP;
}

static inline int khoreg_set_folio(struct khoreg_entry *entry,
				   const char *field, struct folio *folio)
{
	return -EOPNOTSUPP;
}

static inline int khoreg_set_vmalloc(struct khoreg_entry *entry,
				     const char *field, void *ptr)
{
	return -EOPNOTSUPP;
}

static inline int khoreg_clear(struct khoreg_entry *entry, const char *field)
{
	return -EOPNOTSUPP;
}

static inline struct khoreg_in_entry *
khoreg_claim(const char *path, const struct khoreg_schema *schema)
{
	return ERR_PTR(-ENOENT);
}

static inline int khoreg_unclaim(struct khoreg_in_entry *entry)
{
	return -EINVAL;
}

static inline struct khoreg_in_entry *khoreg_find(const char *path)
{
	return ERR_PTR(-ENOENT);
}

static inline const char *
khoreg_in_compatible(const struct khoreg_in_entry *entry)
{
	return "";
}

static inline u32 khoreg_in_version(const struct khoreg_in_entry *entry)
{
	return 0;
}

static inline int khoreg_get_u8(struct khoreg_in_entry *entry,
				const char *field, u8 *val)
{
	return -ENOENT;
}

static inline int khoreg_get_u16(struct khoreg_in_entry *entry,
				 const char *field, u16 *val)
{
	return -ENOENT;
}

static inline int khoreg_get_u32(struct khoreg_in_entry *entry,
				 const char *field, u32 *val)
{
	return -ENOENT;
}

static inline int khoreg_get_u64(struct khoreg_in_entry *entry,
				 const char *field, u64 *val)
{
	return -ENOENT;
}

static inline int khoreg_get_s64(struct khoreg_in_entry *entry,
				 const char *field, s64 *val)
{
	return -ENOENT;
}

static inline int khoreg_get_bool(struct khoreg_in_entry *entry,
				  const char *field, bool *val)
{
	return -ENOENT;
}

static inline int khoreg_get_array(struct khoreg_in_entry *entry,
				   const char *field, enum khoreg_type type,
				   void *vals, unsigned int count)
{
	return -ENOENT;
}

static inline int khoreg_get_string(struct khoreg_in_entry *entry,
				    const char *field, char *buf, size_t size)
{
	return -ENOENT;
}

static inline int khoreg_get_bytes(struct khoreg_in_entry *entry,
				   const char *field, void *buf, size_t size,
				   size_t *len)
{
	return -ENOENT;
}

static inline struct page *
khoreg_restore_pages(struct khoreg_in_entry *entry, const char *field,
		     unsigned long *nr_pages)
{
	return ERR_PTR(-ENOENT);
}

static inline struct folio *
khoreg_restore_folio(struct khoreg_in_entry *entry, const char *field)
{
	return ERR_PTR(-ENOENT);
}

static inline void *khoreg_restore_vmalloc(struct khoreg_in_entry *entry,
					   const char *field,
					   unsigned long *nr_pages)
{
	return ERR_PTR(-ENOENT);
}

#endif /* CONFIG_KEXEC_HANDOVER_REGISTRY */

#endif /* _LINUX_KHO_REGISTRY_H */
