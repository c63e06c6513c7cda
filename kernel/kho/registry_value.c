// SPDX-License-Identifier: GPL-2.0-only
/*
 * khoreg: the values of the registry and their text.
 *
 * The rules of the wire encoding in one place: the names and sizes of the
 * types, valid entry and field names, the "<name>:<type>[N]" declarations
 * of khoreg,fields, the check of a value against its type, and the
 * conversion between wire and native C elements. Outgoing entries, the
 * reader of an incoming blob and the importer all obey the same rules
 * because they call the same functions.
 *
 * The text of a value, a field and an entry's annotations is rendered
 * here too, into a struct seq_buf, so that sysfs, the BPF iterators and
 * log lines show the same thing. Nothing here takes a registry lock or
 * calls into another file of the registry; only an outgoing entry's
 * spinlock is held while its values are read.
 */

#define pr_fmt(fmt) "KHO registry: " fmt

#include <linux/ctype.h>
#include <linux/seq_buf.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "registry_internal.h"

static const char * const khoreg_type_names[KHOREG_TYPE_NR] =
	KHOREG_TYPE_NAMES;

/* Wire size of each type; 0 for the variable-length ones. */
static const u8 khoreg_type_sizes[KHOREG_TYPE_NR] = {
	[KHOREG_TYPE_U8] = 1,
	[KHOREG_TYPE_U16] = 2,
	[KHOREG_TYPE_U32] = 4,
	[KHOREG_TYPE_U64] = 8,
	[KHOREG_TYPE_S64] = 8,
	[KHOREG_TYPE_BOOL] = 4,
	[KHOREG_TYPE_RANGE] = KHOREG_RANGE_SIZE,
	[KHOREG_TYPE_FOLIO] = KHOREG_FOLIO_SIZE,
	[KHOREG_TYPE_VMALLOC] = KHOREG_VMALLOC_SIZE,
};

/**
 * khoreg_type_name() - the wire name of a type
 * @type: the type
 *
 * Return: "u8" ... "vmalloc", or "?" for an invalid type.
 */
const char *khoreg_type_name(enum khoreg_type type)
{
	return (unsigned int)type < KHOREG_TYPE_NR ? khoreg_type_names[type] : "?";
}

/**
 * khoreg_type_size() - wire size of a single value of a type
 * @type: a valid type
 *
 * Return: bytes, or 0 for string and bytes.
 */
unsigned int khoreg_type_size(enum khoreg_type type)
{
	return khoreg_type_sizes[type];
}

/**
 * khoreg_type_scalar() - may a type be the element of an array?
 * @type: a valid type
 *
 * Return: true for u8, u16, u32, u64, s64 and bool.
 */
bool khoreg_type_scalar(enum khoreg_type type)
{
	return type <= KHOREG_TYPE_BOOL;
}

/**
 * khoreg_field_root_only() - may only privileged readers see a value?
 * @decl: an outgoing field's declaration
 *
 * Incoming fields have no declaration and are all root-only.
 *
 * Return: true for a field declared %KHOREG_FIELD_SECRET and for a memory
 * field (range, folio, vmalloc), whose value is a physical address.
 */
bool khoreg_field_root_only(const struct khoreg_field *decl)
{
	return (decl->flags & KHOREG_FIELD_SECRET) ||
	       decl->type >= KHOREG_TYPE_RANGE;
}

/**
 * khoreg_name_valid() - may this be an entry or field name?
 * @name: the name, not necessarily NUL terminated
 * @len: its length
 *
 * Return: true for 1..KHOREG_NAME_MAX characters of [a-z0-9_.-] starting
 * with a letter or digit.
 */
bool khoreg_name_valid(const char *name, size_t len)
{
	size_t i;

	if (!len || len > KHOREG_NAME_MAX || !isalnum(name[0]))
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!(islower(c) || isdigit(c) || c == '_' || c == '.' ||
		      c == '-'))
			return false;
	}
	return true;
}

/**
 * khoreg_compatible_valid() - may this be an entry's compatible string?
 * @compat: the string, not necessarily NUL terminated
 * @len: its length
 *
 * Return: true for 1..KHOREG_COMPAT_MAX printable ASCII characters other
 * than space.
 */
bool khoreg_compatible_valid(const char *compat, size_t len)
{
	size_t i;

	if (!len || len > KHOREG_COMPAT_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (compat[i] <= ' ' || compat[i] > '~')
			return false;
	return true;
}

/**
 * khoreg_parse_decl() - parse one element of khoreg,fields
 * @decl: "<name>:<type>" or "<name>:<type>[N]", not necessarily terminated
 * @len: its length
 * @name_len: returns the length of the name
 * @type: returns the type
 * @count: returns N, or 0 for a single value
 *
 * Return: 0, or -EINVAL if @decl breaks the ABI's rules.
 */
int khoreg_parse_decl(const char *decl, size_t len, size_t *name_len,
		      enum khoreg_type *type, u32 *count)
{
	const char *colon = memchr(decl, ':', len), *t, *bracket;
	size_t tlen, n;
	unsigned int i;

	if (!colon)
		return -EINVAL;
	*name_len = colon - decl;
	if (!khoreg_name_valid(decl, *name_len) ||
	    (*name_len == 10 && !memcmp(decl, "compatible", 10)))
		return -EINVAL;
	t = colon + 1;
	tlen = decl + len - t;
	*count = 0;
	bracket = memchr(t, '[', tlen);
	if (bracket) {
		const char *digits = bracket + 1;

		n = decl + len - digits;
		if (n < 2 || digits[n - 1] != ']' || digits[0] == '0')
			return -EINVAL;
		for (i = 0; i < n - 1; i++) {
			if (!isdigit(digits[i]) ||
			    *count > KHOREG_ARRAY_MAX)
				return -EINVAL;
			*count = *count * 10 + digits[i] - '0';
		}
		if (*count > KHOREG_ARRAY_MAX)
			return -EINVAL;
		tlen = bracket - t;
	}
	for (i = 0; i < KHOREG_TYPE_NR; i++) {
		if (strlen(khoreg_type_names[i]) == tlen &&
		    !memcmp(t, khoreg_type_names[i], tlen))
			break;
	}
	if (i == KHOREG_TYPE_NR || (*count && !khoreg_type_scalar(i)))
		return -EINVAL;
	*type = i;
	return 0;
}

/**
 * khoreg_decl_snprintf() - write a field declaration as in khoreg,fields
 * @buf: where to write, may be NULL if @size is 0
 * @size: bytes at @buf
 * @name: field name
 * @type: its type
 * @count: array elements or 0
 *
 * Return: the length of the declaration, as snprintf().
 */
int khoreg_decl_snprintf(char *buf, size_t size, const char *name,
			 enum khoreg_type type, u32 count)
{
	if (count)
		return snprintf(buf, size, "%s:%s[%u]", name,
				khoreg_type_name(type), count);
	return snprintf(buf, size, "%s:%s", name, khoreg_type_name(type));
}

/**
 * khoreg_text_valid() - is this text without control characters?
 * @s: the text, not necessarily NUL terminated
 * @len: its length
 *
 * Return: true if @s holds no control character but tab and newline.
 */
bool khoreg_text_valid(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c < ' ' && c != '\t' && c != '\n')
			return false;
	}
	return true;
}

/**
 * khoreg_value_check() - does a wire value follow the rules of its type?
 * @type: a valid type
 * @count: array elements, 0 for a single value
 * @val: the value
 * @len: its length
 *
 * Return: 0; -EOVERFLOW for a wrong length; -EPROTO for a value the type
 * does not allow.
 */
int khoreg_value_check(enum khoreg_type type, u32 count, const void *val,
		       size_t len)
{
	unsigned int size = khoreg_type_size(type), i;
	const u8 *p = val;
	u64 phys, n;
	u32 order;

	switch (type) {
	case KHOREG_TYPE_STRING:
		if (!len || len > KHOREG_STRING_MAX)
			return -EOVERFLOW;
		if (p[len - 1] || memchr(p, 0, len - 1) ||
		    !khoreg_text_valid(val, len - 1))
			return -EPROTO;
		return 0;
	case KHOREG_TYPE_BYTES:
		return len > KHOREG_BYTES_MAX ? -EOVERFLOW : 0;
	default:
		break;
	}
	if (len != (count ? count : 1) * size)
		return -EOVERFLOW;
	switch (type) {
	case KHOREG_TYPE_BOOL:
		for (i = 0; i < len; i += 4)
			if (get_unaligned_be32(p + i) > 1)
				return -EPROTO;
		return 0;
	case KHOREG_TYPE_RANGE:
		phys = get_unaligned_be64(p);
		n = get_unaligned_be64(p + 8);
		if (!n || !IS_ALIGNED(phys | n, KHOREG_PAGE_SIZE) ||
		    phys + n < phys)
			return -EPROTO;
		return 0;
	case KHOREG_TYPE_FOLIO:
		phys = get_unaligned_be64(p);
		order = get_unaligned_be32(p + 8);
		if (order > KHOREG_FOLIO_ORDER_MAX ||
		    !IS_ALIGNED(phys, (u64)KHOREG_PAGE_SIZE << order))
			return -EPROTO;
		return 0;
	case KHOREG_TYPE_VMALLOC:
		phys = get_unaligned_be64(p);
		if (!phys || !IS_ALIGNED(phys, 8) || !get_unaligned_be32(p + 8) ||
		    get_unaligned_be32(p + 12) > KHOREG_FOLIO_ORDER_MAX)
			return -EPROTO;
		return 0;
	default:
		return 0;
	}
}

/**
 * khoreg_read_elem() - read a scalar element in wire encoding
 * @type: a scalar type
 * @p: the element
 *
 * Return: its value.
 */
u64 khoreg_read_elem(enum khoreg_type type, const u8 *p)
{
	switch (khoreg_type_size(type)) {
	case 1:
		return *p;
	case 2:
		return get_unaligned_be16(p);
	case 4:
		return get_unaligned_be32(p);
	default:
		return get_unaligned_be64(p);
	}
}

/**
 * khoreg_write_elem() - write a scalar element in wire encoding
 * @type: a scalar type
 * @p: where to write it
 * @v: its value
 */
void khoreg_write_elem(enum khoreg_type type, u8 *p, u64 v)
{
	switch (khoreg_type_size(type)) {
	case 1:
		*p = v;
		break;
	case 2:
		put_unaligned_be16(v, p);
		break;
	case 4:
		put_unaligned_be32(v, p);
		break;
	default:
		put_unaligned_be64(v, p);
		break;
	}
}

/**
 * khoreg_value_print() - render a checked wire value as text
 * @s: where to write
 * @type: its type
 * @count: array elements, 0 for a single value
 * @val: the value, checked by khoreg_value_check()
 * @len: its length
 *
 * Writes "<type> <value>\n": numbers in decimal, array elements separated
 * by spaces, bool as true/false, a string as is, a range as "phys size",
 * a folio as "phys order", a vmalloc area as "descriptor pages order",
 * addresses in hex. Bytes show as "<length> <hex>": the first
 * KHOREG_BYTES_SHOW_MAX bytes as pairs of lowercase hex digits, followed
 * by "..." if there are more.
 */
void khoreg_value_print(struct seq_buf *s, enum khoreg_type type, u32 count,
			const void *val, size_t len)
{
	unsigned int size = khoreg_type_size(type), i, n = count ? count : 1;
	const u8 *p = val;

	if (count)
		seq_buf_printf(s, "%s[%u]", khoreg_type_name(type), count);
	else
		seq_buf_puts(s, khoreg_type_name(type));

	switch (type) {
	case KHOREG_TYPE_STRING:
		seq_buf_printf(s, " %s\n", (const char *)val);
		return;
	case KHOREG_TYPE_BYTES:
		seq_buf_printf(s, " %zu", len);
		if (len)
			seq_buf_printf(s, " %*phN%s",
				       (int)min_t(size_t, len,
						  KHOREG_BYTES_SHOW_MAX),
				       val,
				       len > KHOREG_BYTES_SHOW_MAX ? "..." : "");
		seq_buf_putc(s, '\n');
		return;
	case KHOREG_TYPE_RANGE:
		seq_buf_printf(s, " %#llx %#llx\n", get_unaligned_be64(p),
			       get_unaligned_be64(p + 8));
		return;
	case KHOREG_TYPE_FOLIO:
		seq_buf_printf(s, " %#llx %u\n", get_unaligned_be64(p),
			       get_unaligned_be32(p + 8));
		return;
	case KHOREG_TYPE_VMALLOC:
		seq_buf_printf(s, " %#llx %u %u\n", get_unaligned_be64(p),
			       get_unaligned_be32(p + 8),
			       get_unaligned_be32(p + 12));
		return;
	default:
		break;
	}
	for (i = 0; i < n; i++, p += size) {
		u64 v = khoreg_read_elem(type, p);

		if (type == KHOREG_TYPE_BOOL)
			seq_buf_printf(s, " %s", v ? "true" : "false");
		else if (type == KHOREG_TYPE_S64)
			seq_buf_printf(s, " %lld", (s64)v);
		else
			seq_buf_printf(s, " %llu", v);
	}
	seq_buf_putc(s, '\n');
}

/**
 * khoreg_field_print() - render a field of an entry as text
 * @s: where to write
 * @out: the outgoing entry, or NULL
 * @in: the incoming entry if @out is NULL
 * @index: the field's index in its entry
 *
 * What the field's sysfs file shows: khoreg_value_print()'s text; for an
 * outgoing memory field that holds no memory "<type> (unset)"; for an
 * incoming value the getters refuse "<type> (unusable: <error>)".
 */
void khoreg_field_print(struct seq_buf *s, struct khoreg_entry *out,
			const struct khoreg_in_entry *in, unsigned int index)
{
	const struct khoreg_out_field *f;
	const struct khoreg_in_field *fi;
	unsigned long flags;

	if (in) {
		fi = &in->fields[index];
		if (fi->err)
			seq_buf_printf(s, "%s%s (unusable: %d)\n",
				       khoreg_type_name(fi->type),
				       fi->count ? "[]" : "", fi->err);
		else
			khoreg_value_print(s, fi->type, fi->count, fi->val,
					   fi->len);
		return;
	}
	f = out->fields[index];
	spin_lock_irqsave(&out->lock, flags);
	if (f->set)
		khoreg_value_print(s, f->decl->type, f->decl->count, f->val,
				   f->size);
	else
		seq_buf_printf(s, "%s (unset)\n",
			       khoreg_type_name(f->decl->type));
	spin_unlock_irqrestore(&out->lock, flags);
}

/* The annotation after @prev of @out or @in; the first if @prev is NULL. */
static const char *khoreg_annotation_next(struct khoreg_entry *out,
					  const struct khoreg_in_entry *in,
					  const char *prev)
{
	const struct khoreg_annotation *a;
	const char *end;

	if (in) {
		end = in->annotations + in->annotations_len;
		prev = prev ? prev + strlen(prev) + 1 : in->annotations;
		return prev && prev < end ? prev : NULL;
	}
	if (!prev)
		a = list_first_entry(&out->annotations,
				     struct khoreg_annotation, list);
	else
		a = list_next_entry(container_of(prev, struct khoreg_annotation,
						 text[0]), list);
	return list_entry_is_head(a, &out->annotations, list) ? NULL : a->text;
}

/**
 * khoreg_annotations_print() - render the annotations of an entry as text
 * @s: where to write
 * @out: the outgoing entry, or NULL
 * @in: the incoming entry if @out is NULL
 * @sep: what follows each annotation but the last
 */
void khoreg_annotations_print(struct seq_buf *s, struct khoreg_entry *out,
			      const struct khoreg_in_entry *in, const char *sep)
{
	unsigned long flags = 0;
	const char *text = NULL;
	bool first = true;

	if (out)
		spin_lock_irqsave(&out->lock, flags);
	while ((text = khoreg_annotation_next(out, in, text))) {
		if (!first)
			seq_buf_puts(s, sep);
		seq_buf_puts(s, text);
		first = false;
	}
	if (out)
		spin_unlock_irqrestore(&out->lock, flags);
}

/**
 * khoreg_native_elem() - an element of a C array of a scalar type
 * @type: a scalar type: u8, u16, u32, bool, or u64 and s64
 * @vals: the array, native endian
 * @i: the index
 *
 * Return: element @i.
 */
u64 khoreg_native_elem(enum khoreg_type type, const void *vals, unsigned int i)
{
	switch (type) {
	case KHOREG_TYPE_U8:
		return ((const u8 *)vals)[i];
	case KHOREG_TYPE_U16:
		return ((const u16 *)vals)[i];
	case KHOREG_TYPE_U32:
		return ((const u32 *)vals)[i];
	case KHOREG_TYPE_BOOL:
		return ((const bool *)vals)[i];
	default:
		return ((const u64 *)vals)[i];
	}
}

/**
 * khoreg_native_store() - set an element of a C array of a scalar type
 * @type: a scalar type, as for khoreg_native_elem()
 * @vals: the array, native endian
 * @i: the index
 * @v: the value
 */
void khoreg_native_store(enum khoreg_type type, void *vals, unsigned int i,
			 u64 v)
{
	switch (type) {
	case KHOREG_TYPE_U8:
		((u8 *)vals)[i] = v;
		break;
	case KHOREG_TYPE_U16:
		((u16 *)vals)[i] = v;
		break;
	case KHOREG_TYPE_U32:
		((u32 *)vals)[i] = v;
		break;
	case KHOREG_TYPE_BOOL:
		((bool *)vals)[i] = v;
		break;
	default:
		((u64 *)vals)[i] = v;
		break;
	}
}
