// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libkhoreg: building a handover (root FDT, registry sub-blob, other
 * sub-blobs, scratch and preserved memory map) from a JSON description.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>
#include <linux/kho/abi/trace.h>

#include "internal.h"

#define DEFAULT_ALLOC_BASE	0x40000000ULL
#define PAGE_MASK_		(KHO_PAGE_SIZE - 1)
#define MAX_AUTO_ORDER		18
/* Bounds on what one description may make the author build. */
#define AUTHOR_MAX_BLOCKS	(1U << 20)
#define AUTHOR_MAX_TREE_PAGES	(1U << 16)

struct author {
	const struct kr_json *root;
	struct kr_block *blocks;	/* explicit (addr, order) blocks */
	size_t nr_blocks, cap_blocks;
	struct kr_block *ranges;	/* ranges merged before splitting */
	size_t nr_ranges, cap_ranges;
	struct khoreg_region *regions;
	size_t nr_regions, cap_regions;
	uint8_t **owned;
	size_t nr_owned, cap_owned;
	uint64_t cursor;
	size_t entries;
	/* radix tree pages, allocated consecutively from tree_base */
	uint8_t *tree;
	size_t tree_pages, tree_cap;
	uint64_t tree_base;
	struct kr_json *store;		/* the entry "trace_store" stands for */
};

static int at(const struct kr_json *j, const char *what)
{
	if (!j)
		return kr_err(-EINVAL, "%s", what);
	return kr_err(-EINVAL, "%u:%u: %s", j->line, j->col, what);
}

/* Like at(), naming the member @key. */
static int at_key(const struct kr_json *j, const char *what, const char *key)
{
	if (!j)
		return kr_err(-EINVAL, "%s \"%.60s\"", what, key);
	return kr_err(-EINVAL, "%u:%u: %s \"%.60s\"", j->line, j->col, what,
		      key);
}

static int check_keys(const struct kr_json *obj, const char *const *keys)
{
	const struct kr_json *c;
	const char *const *k;

	if (!obj || obj->kind != KR_JSON_OBJECT)
		return at(obj, "expected an object");
	for (c = obj->child; c; c = c->next) {
		for (k = keys; *k; k++)
			if (!strcmp(*k, c->key))
				break;
		if (!*k)
			return at_key(c, "unknown member", c->key);
	}
	return 0;
}

/* A JSON integer, or a string holding a decimal or 0x-prefixed number. */
static int get_u64(const struct kr_json *j, uint64_t *v)
{
	const char *s;
	char *end;

	if (!j)
		return at(j, "missing number");
	if (j->kind == KR_JSON_NUMBER) {
		if (!j->is_int || j->neg)
			return at(j, "expected a non-negative integer");
		*v = j->u;
		return 0;
	}
	if (j->kind != KR_JSON_STRING || !j->slen)
		return at(j, "expected an integer");
	s = j->s;
	if (*s == '-' || *s == '+' || *s == ' ')
		return at(j, "expected a non-negative integer");
	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || *end)
		return at(j, "bad integer");
	return 0;
}

static int get_s64(const struct kr_json *j, int64_t *v)
{
	uint64_t u;

	if (j && j->kind == KR_JSON_NUMBER && j->is_int && j->neg) {
		*v = (int64_t)(0 - j->u);
		return 0;
	}
	if (get_u64(j, &u))
		return -EINVAL;
	if (u > INT64_MAX)
		return at(j, "value out of range for s64");
	*v = u;
	return 0;
}

static int member_u64(const struct kr_json *obj, const char *key,
		      uint64_t *v)
{
	const struct kr_json *j = kr_json_get(obj, key);

	if (!j)
		return at_key(obj, "missing member", key);
	return get_u64(j, v);
}

static const char *member_str(const struct kr_json *obj, const char *key)
{
	const struct kr_json *j = kr_json_get(obj, key);

	if (!j || j->kind != KR_JSON_STRING || strlen(j->s) != j->slen) {
		at_key(j ? j : obj, "expected a string member", key);
		return NULL;
	}
	return j->s;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int get_hex(const struct kr_json *j, struct kr_buf *b)
{
	size_t i;

	if (!j || j->kind != KR_JSON_STRING || j->slen % 2)
		return at(j, "expected a string of hex digit pairs");
	kr_buf_put(b, "", 0);
	for (i = 0; i < j->slen; i += 2) {
		int hi = hexval(j->s[i]), lo = hexval(j->s[i + 1]);
		uint8_t byte;

		if (hi < 0 || lo < 0)
			return at(j, "bad hex digit");
		byte = hi << 4 | lo;
		kr_buf_put(b, &byte, 1);
	}
	return 0;
}

static int add_range(struct author *a, uint64_t phys, uint64_t size)
{
	struct kr_block *r;

	if (!size)
		return 0;
	if (phys + size + PAGE_MASK_ < phys)
		return kr_err(-EINVAL, "range at 0x%" PRIx64 " wraps around",
			      phys);
	r = kr_grow(a->ranges, &a->cap_ranges, a->nr_ranges + 1, sizeof(*r));
	if (!r)
		return kr_err(-ENOMEM, "out of memory");
	a->ranges = r;
	r[a->nr_ranges].phys = phys & ~PAGE_MASK_;
	r[a->nr_ranges].size = ((phys + size + PAGE_MASK_) & ~PAGE_MASK_) -
			       (phys & ~PAGE_MASK_);
	a->nr_ranges++;
	return 0;
}

static int add_block(struct author *a, uint64_t phys, unsigned int order)
{
	struct kr_block *b;

	b = kr_grow(a->blocks, &a->cap_blocks, a->nr_blocks + 1, sizeof(*b));
	if (!b)
		return kr_err(-ENOMEM, "out of memory");
	a->blocks = b;
	b[a->nr_blocks].phys = phys;
	b[a->nr_blocks].order = order;
	b[a->nr_blocks].size = KHO_PAGE_SIZE << order;
	a->nr_blocks++;
	return 0;
}

static int add_region(struct author *a, uint64_t phys, const void *data,
		      size_t len, uint8_t *owned)
{
	struct khoreg_region *r;
	uint8_t **o;

	if (owned) {
		o = kr_grow(a->owned, &a->cap_owned, a->nr_owned + 1,
			    sizeof(*o));
		if (!o) {
			free(owned);
			return kr_err(-ENOMEM, "out of memory");
		}
		a->owned = o;
		o[a->nr_owned++] = owned;
	}
	r = kr_grow(a->regions, &a->cap_regions, a->nr_regions + 1,
		    sizeof(*r));
	if (!r)
		return kr_err(-ENOMEM, "out of memory");
	a->regions = r;
	r[a->nr_regions].phys = phys;
	r[a->nr_regions].data = data;
	r[a->nr_regions].len = len;
	a->nr_regions++;
	return 0;
}

static int type_from_name(const char *s, size_t n)
{
	int t;

	for (t = KHOREG_TYPE_U8; t <= KHOREG_TYPE_VMALLOC; t++)
		if (strlen(khoreg_type__name(t)) == n &&
		    !strncmp(khoreg_type__name(t), s, n))
			return t;
	return -1;
}

static int encode_scalar(const struct kr_json *v, int type, struct kr_buf *b)
{
	uint8_t be[8];
	uint64_t u;
	int64_t s = 0;

	if (type == KHOREG_TYPE_BOOL) {
		if (!v || v->kind != KR_JSON_BOOL)
			return at(v, "expected true or false");
		kr_put_be(be, v->b, 4);
		kr_buf_put(b, be, 4);
		return 0;
	}
	if (type == KHOREG_TYPE_S64) {
		if (get_s64(v, &s))
			return -EINVAL;
		kr_put_be(be, (uint64_t)s, 8);
		kr_buf_put(b, be, 8);
		return 0;
	}
	if (get_u64(v, &u))
		return -EINVAL;
	if (kr_type_size(type) < 8 && u >> (8 * kr_type_size(type)))
		return at(v, "value out of range for its type");
	kr_put_be(be, u, kr_type_size(type));
	kr_buf_put(b, be, kr_type_size(type));
	return 0;
}

static int encode_mem(struct author *a, const struct kr_json *v, int type,
		      struct kr_buf *b)
{
	static const char *const range_keys[] = { "addr", "size", NULL };
	static const char *const folio_keys[] = { "addr", "order", NULL };
	static const char *const vm_keys[] = { "addr", "pages", "order", NULL };
	uint64_t phys, x, y = 0;
	uint8_t be[16];

	if (check_keys(v, type == KHOREG_TYPE_RANGE ? range_keys :
		       type == KHOREG_TYPE_FOLIO ? folio_keys : vm_keys))
		return -EINVAL;
	if (member_u64(v, "addr", &phys))
		return -EINVAL;
	if (type == KHOREG_TYPE_RANGE) {
		if (member_u64(v, "size", &x))
			return -EINVAL;
		if (phys + x < phys)
			return at(v, "range wraps around");
		kr_put_be(be, phys, 8);
		kr_put_be(be + 8, x, 8);
		kr_buf_put(b, be, 16);
		return add_range(a, phys, x);
	}
	if (member_u64(v, "order", &x))
		return -EINVAL;
	if (x > KHOREG_FOLIO_ORDER_MAX)
		return at(v, "order above 30");
	if (type == KHOREG_TYPE_FOLIO) {
		kr_put_be(be, phys, 8);
		kr_put_be(be + 8, x, 4);
		kr_buf_put(b, be, 12);
		if (phys & ((KHO_PAGE_SIZE << x) - 1))
			return at(v, "folio address not aligned to its size");
		return add_block(a, phys, x);
	}
	if (member_u64(v, "pages", &y) || y > UINT32_MAX)
		return at(v, "pages must be a 32-bit integer");
	kr_put_be(be, phys, 8);
	kr_put_be(be + 8, y, 4);
	kr_put_be(be + 12, x, 4);
	kr_buf_put(b, be, 16);
	return 0;
}

static int encode_field(struct author *a, const struct kr_json *f, void *fdt,
			struct kr_buf *decls)
{
	static const char *const keys[] = { "name", "type", "value", "raw",
					    NULL };
	const char *name, *type, *br;
	const struct kr_json *v, *e;
	struct kr_buf b = { 0 };
	int t, err = 0;
	size_t n;

	if (check_keys(f, keys))
		return -EINVAL;
	name = member_str(f, "name");
	type = name ? member_str(f, "type") : NULL;
	if (!type)
		return -EINVAL;
	v = kr_json_get(f, "value");
	if (kr_json_get(f, "raw")) {
		/* verbatim bytes, for building deliberately broken blobs */
		err = get_hex(kr_json_get(f, "raw"), &b);
		if (err)
			goto out;
		kr_buf_printf(decls, "%s:%s", name, type);
		kr_buf_put(decls, "", 1);
		goto emit;
	}
	if (!kr_is_name(name, strlen(name)) || !v) {
		err = at(f, "field needs a valid name and a value");
		goto out;
	}
	br = strchr(type, '[');
	n = br ? (size_t)(br - type) : strlen(type);
	t = type_from_name(type, n);
	if (t < 0) {
		err = at(f, "unknown field type");
		goto out;
	}
	if (v->kind == KR_JSON_ARRAY) {
		if (t > KHOREG_TYPE_BOOL || !v->n || v->n > KHOREG_ARRAY_MAX) {
			err = at(v, "arrays hold 1..4096 u8/u16/u32/u64/s64/bool");
			goto out;
		}
		for (e = v->child; e; e = e->next) {
			err = encode_scalar(e, t, &b);
			if (err)
				goto out;
		}
		kr_buf_printf(decls, "%s:%.*s[%zu]", name, (int)n, type, v->n);
	} else {
		if (br) {
			err = at(v, "an array type needs an array value");
			goto out;
		}
		if (t == KHOREG_TYPE_STRING) {
			if (v->kind != KR_JSON_STRING ||
			    strlen(v->s) != v->slen) {
				err = at(v, "expected a string");
				goto out;
			}
			kr_buf_put(&b, v->s, v->slen + 1);
		} else if (t == KHOREG_TYPE_BYTES) {
			err = get_hex(v, &b);
		} else if (t >= KHOREG_TYPE_RANGE) {
			err = encode_mem(a, v, t, &b);
		} else {
			err = encode_scalar(v, t, &b);
		}
		if (err)
			goto out;
		kr_buf_printf(decls, "%s:%s", name, khoreg_type__name(t));
	}
	kr_buf_put(decls, "", 1);
emit:
	err = fdt_property(fdt, name, b.len ? b.s : "", b.len);
	if (err)
		err = err == -FDT_ERR_NOSPACE ? -ENOSPC :
		      kr_err(-EINVAL, "field %s: %s", name,
			     kr_fdt_strerror(err));
	if (b.oom || decls->oom)
		err = kr_err(-ENOMEM, "out of memory");
out:
	kr_buf_free(&b);
	return err;
}

static int encode_entry(struct author *a, const struct kr_json *e, void *fdt,
			unsigned int depth)
{
	static const char *const keys[] = { "name", "compatible", "version",
		"owner", "annotations", "fields", "children", NULL };
	const struct kr_json *list, *c;
	struct kr_buf decls = { 0 };
	const char *name, *compat, *owner;
	uint64_t version;
	uint8_t be[4];
	int err;

	if (check_keys(e, keys))
		return -EINVAL;
	if (depth > KHOREG_MAX_DEPTH)
		return at(e, "entries nested too deeply");
	if (++a->entries > KHOREG_MAX_ENTRIES)
		return at(e, "too many entries");
	name = member_str(e, "name");
	compat = name ? member_str(e, "compatible") : NULL;
	if (!compat || member_u64(e, "version", &version))
		return -EINVAL;
	if (!kr_is_name(name, strlen(name)))
		return at(e, "entry name must be 1..63 characters of [a-z0-9_.-]");
	if (version > UINT32_MAX)
		return at(e, "version must fit in 32 bits");
	err = fdt_begin_node(fdt, name);
	err |= fdt_property_string(fdt, "compatible", compat);
	kr_put_be(be, version, 4);
	err |= fdt_property(fdt, KHOREG_PROP_VERSION, be, 4);
	if (kr_json_get(e, "owner")) {
		owner = member_str(e, "owner");
		if (!owner)
			return -EINVAL;
		err |= fdt_property_string(fdt, KHOREG_PROP_OWNER, owner);
	}
	if (err)
		return -ENOSPC;
	list = kr_json_get(e, "annotations");
	if (list) {
		struct kr_buf ann = { 0 };

		if (list->kind != KR_JSON_OBJECT)
			return at(list, "annotations must be an object");
		for (c = list->child; c; c = c->next) {
			if (c->kind != KR_JSON_STRING) {
				kr_buf_free(&ann);
				return at(c, "annotation values are strings");
			}
			kr_buf_printf(&ann, "%s=%s", c->key, c->s);
			kr_buf_put(&ann, "", 1);
		}
		err = ann.oom ? -ENOMEM :
		      fdt_property(fdt, KHOREG_PROP_ANNOTATIONS,
				   ann.len ? ann.s : "", ann.len);
		kr_buf_free(&ann);
		if (err)
			return err == -ENOMEM ? err : -ENOSPC;
	}
	list = kr_json_get(e, "fields");
	if (list && list->kind != KR_JSON_ARRAY)
		return at(list, "fields must be an array");
	for (c = list ? list->child : NULL; c; c = c->next) {
		err = encode_field(a, c, fdt, &decls);
		if (err)
			goto out;
	}
	err = fdt_property(fdt, KHOREG_PROP_FIELDS, decls.len ? decls.s : "",
			   decls.len);
	if (err) {
		err = -ENOSPC;
		goto out;
	}
	list = kr_json_get(e, "children");
	if (list && list->kind != KR_JSON_ARRAY) {
		err = at(list, "children must be an array");
		goto out;
	}
	for (c = list ? list->child : NULL; c; c = c->next) {
		err = encode_entry(a, c, fdt, depth + 1);
		if (err)
			goto out;
	}
	err = fdt_end_node(fdt) ? -ENOSPC : 0;
out:
	kr_buf_free(&decls);
	return err;
}

static int try_registry(struct author *a, const struct kr_json *reg,
			void *fdt, size_t size)
{
	const struct kr_json *list = kr_json_get(reg, "entries"), *c;
	uint8_t *nr;
	int err;

	a->entries = 0;
	a->nr_ranges = 0;
	a->nr_blocks = 0;
	err = fdt_create(fdt, size);
	err |= fdt_finish_reservemap(fdt);
	err |= fdt_begin_node(fdt, "");
	err |= fdt_property_string(fdt, "compatible", KHOREG_COMPATIBLE);
	err |= fdt_property_placeholder(fdt, KHOREG_PROP_NR_ENTRIES, 4,
					(void **)&nr);
	if (err)
		return -ENOSPC;
	if (list && list->kind != KR_JSON_ARRAY)
		return at(list, "entries must be an array");
	for (c = list ? list->child : NULL; c; c = c->next) {
		err = encode_entry(a, c, fdt, 1);
		if (err)
			return err;
	}
	if (a->store) {
		err = encode_entry(a, a->store, fdt, 1);
		if (err)
			return err;
	}
	/* the placeholder may have moved with the strings block; find it */
	err = fdt_end_node(fdt);
	err |= fdt_finish(fdt);
	if (err)
		return -ENOSPC;
	nr = fdt_getprop_w(fdt, 0, KHOREG_PROP_NR_ENTRIES, NULL);
	if (!nr)
		return kr_err(-EIO, "internal error building registry");
	kr_put_be(nr, a->entries, 4);
	return 0;
}

static int build_registry(struct author *a, const struct kr_json *reg,
			  uint8_t **out, size_t *len)
{
	size_t size = 1 << 16;
	uint8_t *fdt = NULL;
	int err;

	if (reg && check_keys(reg, (const char *const[]){ "addr", "entries", NULL }))
		return -EINVAL;
	for (;;) {
		free(fdt);
		fdt = malloc(size);
		if (!fdt)
			return kr_err(-ENOMEM, "out of memory");
		err = try_registry(a, reg, fdt, size);
		if (err != -ENOSPC)
			break;
		if (size >= KHOREG_BLOB_MAX) {
			err = kr_err(-EFBIG, "registry larger than %u bytes",
				     KHOREG_BLOB_MAX);
			break;
		}
		size *= 2;
	}
	if (err) {
		free(fdt);
		return err;
	}
	*out = fdt;
	*len = fdt_totalsize(fdt);
	return 0;
}

static uint64_t place(struct author *a, const struct kr_json *obj,
		      size_t len, int *err)
{
	const struct kr_json *j = kr_json_get(obj, "addr");
	uint64_t phys = a->cursor;

	*err = 0;
	if (j)
		*err = get_u64(j, &phys);
	else
		a->cursor += (len + PAGE_MASK_) & ~PAGE_MASK_;
	return phys;
}

static int tree_page(struct author *a, uint64_t *phys)
{
	uint8_t *t;

	if (a->tree_pages >= AUTHOR_MAX_TREE_PAGES)
		return kr_err(-EINVAL, "preserved memory too scattered: more than %u tree pages",
			      AUTHOR_MAX_TREE_PAGES);
	t = kr_grow(a->tree, &a->tree_cap, (a->tree_pages + 1) * KHO_PAGE_SIZE,
		    1);
	if (!t)
		return kr_err(-ENOMEM, "out of memory");
	a->tree = t;
	memset(t + a->tree_pages * KHO_PAGE_SIZE, 0, KHO_PAGE_SIZE);
	*phys = a->tree_base + a->tree_pages * KHO_PAGE_SIZE;
	a->tree_pages++;
	return 0;
}

static int tree_insert(struct author *a, uint64_t phys, unsigned int order)
{
	uint64_t key = kho_radix_encode_key(phys, order), node = a->tree_base;
	unsigned int level, shift, slot;
	uint8_t *p;
	int err;

	for (level = KHO_TREE_MAX_DEPTH - 1; level > 0; level--) {
		uint64_t child;

		shift = KHO_BITMAP_SIZE_LOG2 + (level - 1) * KHO_TABLE_SIZE_LOG2;
		slot = (key >> shift) & ((1U << KHO_TABLE_SIZE_LOG2) - 1);
		p = a->tree + (node - a->tree_base) + slot * 8;
		child = kr_le64(p);
		if (!child) {
			err = tree_page(a, &child);
			if (err)
				return err;
			p = a->tree + (node - a->tree_base) + slot * 8;
			kr_put_le64(p, child);
		}
		node = child;
	}
	slot = key & ((1U << KHO_BITMAP_SIZE_LOG2) - 1);
	a->tree[(node - a->tree_base) + slot / 8] |= 1 << (slot % 8);
	return 0;
}

/* Split merged ranges into naturally aligned blocks and build the tree. */
static int build_memmap(struct author *a)
{
	uint64_t root;
	size_t i, n, blocks = 0;
	int err;

	a->tree_base = a->cursor;
	err = tree_page(a, &root);
	if (err)
		return err;
	if (a->nr_ranges > 1)
		qsort(a->ranges, a->nr_ranges, sizeof(*a->ranges),
		      kr_block_cmp);
	n = kr_merge_blocks(a->ranges, a->nr_ranges);
	for (i = 0; i < n; i++) {
		uint64_t phys = a->ranges[i].phys;
		uint64_t end = phys + a->ranges[i].size;

		while (phys < end) {
			unsigned int order = 0;

			while (order < MAX_AUTO_ORDER &&
			       !(phys & ((KHO_PAGE_SIZE << (order + 1)) - 1)) &&
			       end - phys >= (KHO_PAGE_SIZE << (order + 1)))
				order++;
			if (++blocks > AUTHOR_MAX_BLOCKS)
				return kr_err(-EINVAL, "preserved memory needs more than %u blocks",
					      AUTHOR_MAX_BLOCKS);
			err = tree_insert(a, phys, order);
			if (err)
				return err;
			phys += KHO_PAGE_SIZE << order;
		}
	}
	for (i = 0; i < a->nr_blocks; i++) {
		err = tree_insert(a, a->blocks[i].phys, a->blocks[i].order);
		if (err)
			return err;
	}
	a->cursor += a->tree_pages * KHO_PAGE_SIZE;
	return 0;
}

/* Record a sub-blob in the root FDT (read-write libfdt API). */
static int add_subblob(void *root, const char *name, uint64_t phys,
		       uint64_t size)
{
	uint8_t le[8];
	int node, err;

	node = fdt_add_subnode(root, 0, name);
	if (node < 0)
		return kr_err(-EINVAL, "sub-blob \"%.60s\": %s", name,
			      kr_fdt_strerror(node));
	kr_put_le64(le, phys);
	err = fdt_setprop(root, node, KHO_SUB_TREE_PROP_NAME, le, 8);
	kr_put_le64(le, size);
	if (!err)
		err = fdt_setprop(root, node, KHO_SUB_TREE_SIZE_PROP_NAME, le, 8);
	if (err)
		return kr_err(-EINVAL, "sub-blob \"%.60s\": %s", name,
			      kr_fdt_strerror(err));
	return 0;
}

/*
 * Place @data (its buffer handed over to the region) at @obj's "addr" or
 * the cursor and list it in the root as sub-blob @name.
 */
static int place_blob(struct author *a, const struct kr_json *obj,
		      const char *name, struct kr_buf *data, void *root)
{
	uint64_t phys;
	int err;

	if (data->oom || !data->len) {
		kr_buf_free(data);
		return data->oom ? kr_err(-ENOMEM, "out of memory") :
				   at(obj, "blob needs non-empty text or hex");
	}
	phys = place(a, obj, data->len, &err);
	if (!err)
		err = add_range(a, phys, data->len);
	if (err) {
		kr_buf_free(data);
		return err;
	}
	err = add_region(a, phys, data->s, data->len, (uint8_t *)data->s);
	if (err)
		return err;
	return add_subblob(root, name, phys, data->len);
}

static int add_blobs(struct author *a, const struct kr_json *list, void *root)
{
	static const char *const keys[] = { "name", "addr", "text", "hex",
					    NULL };
	const struct kr_json *b;
	int err;

	if (list && list->kind != KR_JSON_ARRAY)
		return at(list, "blobs must be an array");
	for (b = list ? list->child : NULL; b; b = b->next) {
		struct kr_buf data = { 0 };
		const char *name;

		if (check_keys(b, keys))
			return -EINVAL;
		name = member_str(b, "name");
		if (!name)
			return -EINVAL;
		if (kr_json_get(b, "text")) {
			const char *t = member_str(b, "text");

			if (!t)
				return -EINVAL;
			kr_buf_put(&data, t, strlen(t));
		} else if (get_hex(kr_json_get(b, "hex"), &data)) {
			kr_buf_free(&data);
			return -EINVAL;
		}
		err = place_blob(a, b, name, &data, root);
		if (err)
			return err;
	}
	return 0;
}

/* Prefix the message of failure @err with where in the JSON @j is. */
static int err_at(const struct kr_json *j, int err)
{
	char where[32];

	snprintf(where, sizeof(where), "%u:%u", j->line, j->col);
	kr_prefix_err(where);
	return err;
}

/* One instance of "trace": name, size, tracing_on, events, options. */
static int trace_instance(struct khoreg_trace *t, const struct kr_json *in)
{
	static const char *const keys[] = { "name", "size", "tracing_on",
					    "events", "options", NULL };
	const struct kr_json *on = kr_json_get(in, "tracing_on");
	const struct kr_json *ev = kr_json_get(in, "events");
	const struct kr_json *opt = kr_json_get(in, "options");
	struct kr_buf words = { 0 };
	const struct kr_json *j;
	const char *name;
	uint64_t size;
	int err;

	if (check_keys(in, keys) || member_u64(in, "size", &size))
		return -EINVAL;
	name = member_str(in, "name");
	if (!name)
		return -EINVAL;
	if (on && on->kind != KR_JSON_BOOL)
		return at(on, "tracing_on must be true or false");
	if ((ev && ev->kind != KR_JSON_ARRAY) ||
	    (opt && opt->kind != KR_JSON_ARRAY))
		return at(ev && ev->kind != KR_JSON_ARRAY ? ev : opt,
			  "events and options must be arrays of strings");
	for (j = opt ? opt->child : NULL; j; j = j->next) {
		if (j->kind != KR_JSON_STRING || !j->slen ||
		    strlen(j->s) != j->slen || strchr(j->s, ' ')) {
			kr_buf_free(&words);
			return at(j, "an option is one word, as in trace_options");
		}
		kr_buf_printf(&words, "%s%s", words.len ? " " : "", j->s);
	}
	kr_buf_put(&words, "", 1);
	err = words.oom ? kr_err(-ENOMEM, "out of memory") :
	      kr_trace_add_instance(t, name, size, !on || on->b, words.s);
	kr_buf_free(&words);
	if (err)
		return err_at(in, err);
	for (j = ev ? ev->child : NULL; j; j = j->next) {
		char sys[KHO_TRACE_SYSTEM_LEN];
		const char *colon;

		colon = j->kind == KR_JSON_STRING ? strchr(j->s, ':') : NULL;
		if (!colon || (size_t)(colon - j->s) >= sizeof(sys) ||
		    strlen(j->s) != j->slen)
			return at(j, "an event is \"system:name\"");
		memcpy(sys, j->s, colon - j->s);
		sys[colon - j->s] = '\0';
		err = kr_trace_enable_event(t, sys, colon + 1);
		if (err)
			return err_at(j, err);
	}
	return 0;
}

/* "trace": a trace setup, written as the ftrace sub-blob. */
static int add_trace(struct author *a, const struct kr_json *tr, void *root)
{
	static const char *const keys[] = { "addr", "nr_cpu_ids", "page_size",
					    "instances", NULL };
	const struct kr_json *list = kr_json_get(tr, "instances");
	uint64_t cpus, page_size = KHO_PAGE_SIZE;
	struct kr_buf data = { 0 };
	struct khoreg_trace *t;
	const struct kr_json *in;
	int err = 0;

	if (!tr)
		return 0;
	if (check_keys(tr, keys) || member_u64(tr, "nr_cpu_ids", &cpus) ||
	    (kr_json_get(tr, "page_size") &&
	     member_u64(tr, "page_size", &page_size)))
		return -EINVAL;
	if (!cpus || cpus > UINT32_MAX)
		return at(tr, "nr_cpu_ids must be the kernel's, 1 or more");
	if (page_size < KHO_PAGE_SIZE || page_size > (1U << 16) ||
	    (page_size & (page_size - 1)))
		return at(tr, "page_size must be a power of two from 4096 to 65536");
	if (!list || list->kind != KR_JSON_ARRAY || !list->n)
		return at(list ? list : tr, "instances must be a non-empty array");
	t = kr_trace_new(cpus, page_size);
	if (!t)
		return -ENOMEM;
	for (in = list->child; in && !err; in = in->next)
		err = trace_instance(t, in);
	if (!err)
		err = kr_trace_encode(t, &data);
	khoreg_trace__free(t);
	if (err) {
		kr_buf_free(&data);
		return err;
	}
	return place_blob(a, tr, KHO_TRACE_BLOB_NAME, &data, root);
}

static int get_scratch(const struct kr_json *list,
		       struct kho_scratch_entry **out, size_t *nr)
{
	const struct kr_json *s;
	size_t i = 0;

	*nr = 0;
	*out = NULL;
	if (!list)
		return 0;
	if (list->kind != KR_JSON_ARRAY || list->n > 1024)
		return at(list, "scratch must be an array of at most 1024 ranges");
	*out = kr_calloc(list->n, sizeof(**out));
	if (!*out)
		return kr_err(-ENOMEM, "out of memory");
	for (s = list->child; s; s = s->next, i++) {
		uint64_t addr, size;

		if (check_keys(s, (const char *const[]){ "addr", "size", NULL }) ||
		    member_u64(s, "addr", &addr) || member_u64(s, "size", &size))
			return -EINVAL;
		(*out)[i].addr = addr;
		(*out)[i].size = size;
	}
	*nr = list->n;
	return 0;
}

static int get_preserved(struct author *a, const struct kr_json *list)
{
	const struct kr_json *p;
	uint64_t phys, x;
	int err;

	if (!list)
		return 0;
	if (list->kind != KR_JSON_ARRAY)
		return at(list, "preserved must be an array");
	for (p = list->child; p; p = p->next) {
		if (check_keys(p, (const char *const[]){ "addr", "size",
			       "order", NULL }) || member_u64(p, "addr", &phys))
			return -EINVAL;
		if (phys & PAGE_MASK_)
			return at(p, "address must be page aligned");
		if (kr_json_get(p, "order")) {
			if (member_u64(p, "order", &x))
				return -EINVAL;
			if (x > KHOREG_FOLIO_ORDER_MAX)
				return at(p, "order above 30");
			err = add_block(a, phys, x);
		} else {
			if (member_u64(p, "size", &x))
				return -EINVAL;
			if (phys + x < phys)
				return at(p, "range wraps around");
			err = add_range(a, phys, x);
		}
		if (err)
			return err;
	}
	return 0;
}

/* Is @s 1..@max printable characters, none of them " or \\? */
static bool plain(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (!n || n > max)
		return false;
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e || *s == '"' || *s == '\\')
			return false;
	return true;
}

/*
 * "trace_store" stands for the registry entry KHO_TRACE_STORE_ENTRY of
 * schema KHO_TRACE_STORE_COMPATIBLE, version 1, with the fields instance,
 * device (strings), offset and size (u64): where the kernel keeps a trace
 * instance across boots. Parse it into @a->store, as "entries" would hold
 * it.
 */
static int trace_store_entry(struct author *a)
{
	static const char *const keys[] = { "instance", "device", "offset",
		"size", "owner", NULL };
	const struct kr_json *ts = kr_json_get(a->root, "trace_store");
	const char *instance, *device, *owner = "khoctl";
	uint64_t offset, size;
	struct kr_buf b = { 0 };
	int err;

	if (!ts)
		return 0;
	if (ts->kind != KR_JSON_OBJECT)
		return at(ts, "trace_store must be an object");
	if (check_keys(ts, keys))
		return -EINVAL;
	instance = member_str(ts, "instance");
	device = instance ? member_str(ts, "device") : NULL;
	if (!device || member_u64(ts, "offset", &offset) ||
	    member_u64(ts, "size", &size))
		return -EINVAL;
	if (kr_json_get(ts, "owner")) {
		owner = member_str(ts, "owner");
		if (!owner)
			return -EINVAL;
	}
	if (!plain(instance, KHO_TRACE_NAME_LEN - 1) || !plain(device, 127) ||
	    !plain(owner, 127))
		return at(ts, "instance (1-63), device and owner (1-127): printable, no \" or \\");
	if (size <= sizeof(struct kho_trace_store_header))
		return at_key(ts, "must be larger than the store's header", "size");
	if (offset + size < offset)
		return at(ts, "offset + size wraps around");
	kr_buf_printf(&b, "{ \"name\": \"%s\", \"compatible\": \"%s\", ",
		      KHO_TRACE_STORE_ENTRY, KHO_TRACE_STORE_COMPATIBLE);
	kr_buf_printf(&b, "\"version\": 1, \"owner\": \"%s\", \"fields\": [ ", owner);
	kr_buf_printf(&b, "{ \"name\": \"instance\", \"type\": \"string\", \"value\": \"%s\" }, ",
		      instance);
	kr_buf_printf(&b, "{ \"name\": \"device\", \"type\": \"string\", \"value\": \"%s\" }, ",
		      device);
	kr_buf_printf(&b, "{ \"name\": \"offset\", \"type\": \"u64\", \"value\": %" PRIu64 " }, ",
		      offset);
	kr_buf_printf(&b, "{ \"name\": \"size\", \"type\": \"u64\", \"value\": %" PRIu64 " } ] }",
		      size);
	err = b.oom ? kr_err(-ENOMEM, "out of memory") :
	      kr_json_parse(b.s, b.len, &a->store);
	kr_buf_free(&b);
	return err;
}

/* The top-level settings: which keys, alloc_base, compatible, memory_map. */
static int read_settings(struct author *a, const char **compat)
{
	static const char *const keys[] = { "compatible", "alloc_base",
		"scratch", "preserved", "blobs", "trace", "registry",
		"memory_map", "trace_store", NULL };
	const struct kr_json *mm = kr_json_get(a->root, "memory_map");

	if (check_keys(a->root, keys))
		return -EINVAL;
	a->cursor = DEFAULT_ALLOC_BASE;
	if (kr_json_get(a->root, "alloc_base") &&
	    member_u64(a->root, "alloc_base", &a->cursor))
		return -EINVAL;
	if (a->cursor & PAGE_MASK_)
		return at(a->root, "alloc_base must be page aligned");
	*compat = KHO_FDT_COMPATIBLE;
	if (kr_json_get(a->root, "compatible")) {
		*compat = member_str(a->root, "compatible");
		if (!*compat)
			return -EINVAL;
	}
	if (mm && mm->kind != KR_JSON_BOOL)
		return at(mm, "memory_map must be true or false");
	return trace_store_entry(a);
}

/*
 * The root FDT: compatible, the registry sub-blob @regfdt (placed in
 * memory; the region takes it over), the other blobs and, unless the
 * description says no, the memory map of everything preserved.
 */
static int build_root(struct author *a, const char *compat,
		      uint8_t **regfdt, size_t reglen, uint8_t **out)
{
	const struct kr_json *reg = kr_json_get(a->root, "registry");
	const struct kr_json *mm = kr_json_get(a->root, "memory_map");
	const size_t root_size = 1 << 16;
	uint8_t *root, le[8];
	uint64_t phys;
	int err;

	root = malloc(root_size);
	if (!root)
		return kr_err(-ENOMEM, "out of memory");
	err = fdt_create_empty_tree(root, root_size);
	if (!err)
		err = fdt_setprop_string(root, 0, "compatible", compat);
	if (err) {
		err = kr_err(-EIO, "building root FDT failed");
		goto out;
	}
	if (*regfdt) {
		phys = place(a, reg, reglen, &err);
		if (!err)
			err = add_range(a, phys, reglen);
		if (err)
			goto out;
		err = add_region(a, phys, *regfdt, reglen, *regfdt);
		*regfdt = NULL;
		if (err)
			goto out;
		err = add_subblob(root, KHOREG_BLOB_NAME, phys, reglen);
		if (err)
			goto out;
	}
	err = add_blobs(a, kr_json_get(a->root, "blobs"), root);
	if (!err)
		err = add_trace(a, kr_json_get(a->root, "trace"), root);
	if (err)
		goto out;
	if (!mm || mm->b) {
		err = build_memmap(a);
		if (err)
			goto out;
		err = add_region(a, a->tree_base, a->tree,
				 a->tree_pages * KHO_PAGE_SIZE, NULL);
		if (err)
			goto out;
		kr_put_le64(le, a->tree_base);
		err = fdt_setprop(root, 0, KHO_FDT_MEMORY_MAP_PROP_NAME, le, 8);
	}
	if (!err)
		err = fdt_pack(root);
	if (err) {
		err = kr_err(-EIO, "building root FDT failed: %s",
			     kr_fdt_strerror(err));
		goto out;
	}
	*out = root;
	return 0;
out:
	free(root);
	return err;
}

/* Sort the memory regions a bundle carries; none may overlap another. */
static int sort_regions(struct author *a)
{
	size_t i;

	if (a->nr_regions > 1)
		qsort(a->regions, a->nr_regions, sizeof(*a->regions),
		      kr_region_cmp);
	for (i = 1; i < a->nr_regions; i++) {
		const struct khoreg_region *r = &a->regions[i - 1];

		if (r->phys + r->len > a->regions[i].phys)
			return kr_err(-EINVAL,
				      "data at 0x%" PRIx64 " and 0x%" PRIx64
				      " overlap; fix addr or alloc_base",
				      r->phys, a->regions[i].phys);
	}
	return 0;
}

/* Build @what: the registry sub-blob, the root FDT or the whole bundle. */
static int build(struct author *a, enum khoreg_author_output what,
		 uint8_t **out, size_t *out_len)
{
	const struct kr_json *reg = kr_json_get(a->root, "registry");
	struct kho_scratch_entry *scratch = NULL;
	uint8_t *regfdt = NULL, *root = NULL;
	size_t reglen = 0, nr_scratch = 0;
	const char *compat;
	int err;

	err = read_settings(a, &compat);
	if (err)
		return err;
	if (reg || a->store) {
		err = build_registry(a, reg, &regfdt, &reglen);
		if (err)
			return err;
		if (what == KHOREG_AUTHOR_REGISTRY) {
			*out = regfdt;
			*out_len = reglen;
			return 0;
		}
	} else if (what == KHOREG_AUTHOR_REGISTRY) {
		return kr_err(-EINVAL, "the description has no registry");
	}
	err = get_scratch(kr_json_get(a->root, "scratch"), &scratch,
			  &nr_scratch);
	if (!err)
		err = get_preserved(a, kr_json_get(a->root, "preserved"));
	if (!err)
		err = build_root(a, compat, &regfdt, reglen, &root);
	if (err)
		goto out;
	if (what == KHOREG_AUTHOR_ROOT) {
		*out = root;
		*out_len = fdt_totalsize(root);
		root = NULL;
		goto out;
	}
	err = sort_regions(a);
	if (!err)
		err = kr_bundle_build(root, fdt_totalsize(root), scratch,
				      nr_scratch, true, a->regions,
				      a->nr_regions, out, out_len);
out:
	free(regfdt);
	free(root);
	free(scratch);
	return err;
}

KHOREG_API int libkhoreg_author(const char *json, size_t len,
				enum khoreg_author_output what, void **out,
			     size_t *out_len)
{
	struct author a = { 0 };
	struct kr_json *root;
	uint8_t *buf = NULL;
	size_t i;
	int err;

	kr_clear_err();
	if (!json || !out || !out_len)
		return kr_err(-EINVAL, "invalid argument");
	if (len > KHOREG_INPUT_MAX)
		return kr_err(-EFBIG, "description larger than %u bytes",
			      KHOREG_INPUT_MAX);
	err = kr_json_parse(json, len, &root);
	if (err)
		return err;
	a.root = root;
	err = build(&a, what, &buf, out_len);
	if (!err)
		*out = buf;
	for (i = 0; i < a.nr_owned; i++)
		free(a.owned[i]);
	free(a.owned);
	free(a.regions);
	free(a.blocks);
	free(a.ranges);
	free(a.tree);
	kr_json_free(a.store);
	kr_json_free(root);
	return err;
}
