// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libkhoreg: decoding the khoreg-registry-v1 sub-blob into entries and
 * typed fields. Anything that breaks the ABI is reported and left out.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "internal.h"

static const char * const type_names[] = KHOREG_TYPE_NAMES;

_Static_assert(ARRAY_SIZE(type_names) == KHOREG_TYPE_NR,
	       "every type of the ABI has a name");

#define NR_TYPES KHOREG_TYPE_NR

KHOREG_API const char *khoreg_type__name(enum khoreg_type type)
{
	return (unsigned int)type < NR_TYPES ? type_names[type] : NULL;
}

/* Encoded size of one element, 0 for variable-length types. */
unsigned int kr_type_size(enum khoreg_type t)
{
	switch (t) {
	case KHOREG_TYPE_U8:
		return 1;
	case KHOREG_TYPE_U16:
		return 2;
	case KHOREG_TYPE_U32:
	case KHOREG_TYPE_BOOL:
		return 4;
	case KHOREG_TYPE_U64:
	case KHOREG_TYPE_S64:
		return 8;
	case KHOREG_TYPE_RANGE:
		return KHOREG_RANGE_SIZE;
	case KHOREG_TYPE_FOLIO:
		return KHOREG_FOLIO_SIZE;
	case KHOREG_TYPE_VMALLOC:
		return KHOREG_VMALLOC_SIZE;
	default:
		return 0;
	}
}

static bool is_scalar(enum khoreg_type t)
{
	return t <= KHOREG_TYPE_BOOL;
}

struct parse {
	const void *fdt;
	struct kr_problems *p;
	const char *base;
	size_t total;
};

/* "name:type" or "name:type[N]" */
static int parse_decl(const char *decl, struct khoreg_doc_field *f)
{
	const char *colon = strchr(decl, ':');
	const char *type, *br;
	size_t tlen, i;

	if (!colon)
		return -EINVAL;
	if (!kr_is_name(decl, colon - decl))
		return -EINVAL;
	type = colon + 1;
	br = strchr(type, '[');
	tlen = br ? (size_t)(br - type) : strlen(type);
	f->count = 0;
	for (i = 0; i < NR_TYPES; i++)
		if (strlen(type_names[i]) == tlen &&
		    !strncmp(type, type_names[i], tlen))
			break;
	if (i == NR_TYPES)
		return -EPROTO;
	f->type = i;
	if (br) {
		const char *d = br + 1;
		uint64_t n = 0;

		if (!is_scalar(f->type) || *d < '1' || *d > '9')
			return -EPROTO;
		for (; *d >= '0' && *d <= '9'; d++) {
			n = n * 10 + (*d - '0');
			if (n > KHOREG_ARRAY_MAX)
				return -EPROTO;
		}
		if (d[0] != ']' || d[1])
			return -EPROTO;
		f->count = n;
	}
	f->name = kr_strndup(decl, colon - decl);
	f->type_str = kr_strndup(type, strlen(type));
	if (!f->name || !f->type_str)
		return -ENOMEM;
	return 0;
}

static bool valid_string(const uint8_t *s, size_t len)
{
	size_t i;

	if (len < 1 || len > KHOREG_STRING_MAX || s[len - 1])
		return false;
	for (i = 0; i + 1 < len; i++)
		if (s[i] < 0x20 && s[i] != '\t' && s[i] != '\n')
			return false;
	return true;
}

/* Checks a field's value; returns a reason or NULL when it is fine. */
static const char *check_value(const struct khoreg_doc_field *f, char *tmp,
			       size_t tlen)
{
	unsigned int esz = kr_type_size(f->type);
	uint64_t want, phys, size;
	unsigned int order;
	uint32_t i;

	if (f->type == KHOREG_TYPE_STRING)
		return valid_string(f->val, f->len) ? NULL :
		       "string must be 1..4096 bytes, NUL terminated, without control characters";
	if (f->type == KHOREG_TYPE_BYTES)
		return f->len <= KHOREG_BYTES_MAX ? NULL :
		       "bytes value longer than 65536";
	want = (uint64_t)esz * (f->count ? f->count : 1);
	if (f->len != want) {
		snprintf(tmp, tlen, "%s value is %u bytes, must be %llu",
			 f->type_str, f->len, (unsigned long long)want);
		return tmp;
	}
	if (f->type == KHOREG_TYPE_BOOL) {
		for (i = 0; i < (f->count ? f->count : 1); i++)
			if (kr_be(f->val + 4 * i, 4) > 1)
				return "bool must be 0 or 1";
		return NULL;
	}
	if (is_scalar(f->type))
		return NULL;
	phys = kr_be(f->val, 8);
	switch (f->type) {
	case KHOREG_TYPE_RANGE:
		size = kr_be(f->val + 8, 8);
		if (!size || (phys | size) & (KHOREG_PAGE_SIZE - 1))
			return "range must be non-empty and page aligned";
		if (phys + size < phys)
			return "range wraps around the address space";
		return NULL;
	case KHOREG_TYPE_FOLIO:
		order = kr_be(f->val + 8, 4);
		if (kr_be(f->val + 8, 4) > KHOREG_FOLIO_ORDER_MAX)
			return "folio order above 30";
		if (phys & (((uint64_t)KHOREG_PAGE_SIZE << order) - 1))
			return "folio address not aligned to its size";
		return NULL;
	case KHOREG_TYPE_VMALLOC:
		if (!phys || phys & 7)
			return "vmalloc descriptor address must be non-zero and 8-byte aligned";
		if (!kr_be(f->val + 8, 4))
			return "vmalloc area has no pages";
		if (kr_be(f->val + 12, 4) > KHOREG_FOLIO_ORDER_MAX)
			return "vmalloc order above 30";
		return NULL;
	default:
		return "unknown type";
	}
}

static void entry_free(struct khoreg_doc_entry *e)
{
	size_t i;

	if (!e)
		return;
	for (i = 0; i < e->nr_fields; i++) {
		free(e->fields[i].name);
		free(e->fields[i].type_str);
	}
	for (i = 0; i < e->nr_children; i++)
		entry_free(e->children[i]);
	free(e->children);
	free(e->fields);
	free(e->annotations);
	free(e->path);
	free(e);
}

static const char *prop_string(const void *fdt, int node, const char *name)
{
	const char *s;
	int len;

	s = fdt_getprop(fdt, node, name, &len);
	if (!s || !valid_string((const uint8_t *)s, len) ||
	    strlen(s) + 1 != (size_t)len)
		return NULL;
	return s;
}

static bool valid_compatible(const char *s)
{
	size_t n = strlen(s), i;

	if (!n || n > 127 || !strchr(s, ','))
		return false;
	for (i = 0; i < n; i++)
		if (s[i] <= 0x20 || s[i] >= 0x7f)
			return false;
	return true;
}

static int parse_fields(struct parse *ps, int node, struct khoreg_doc_entry *e,
			const char *epath)
{
	const char *list, *s;
	char path[1100], tmp[128];
	size_t cap = 0;
	int len, err;

	list = fdt_getprop(ps->fdt, node, KHOREG_PROP_FIELDS, &len);
	if (!list) {
		kr_problem(ps->p, epath, "missing %s", KHOREG_PROP_FIELDS);
		return -EPROTO;
	}
	if (len && list[len - 1]) {
		kr_problem(ps->p, epath, "%s is not a string list",
			   KHOREG_PROP_FIELDS);
		return -EPROTO;
	}
	for (s = list; s < list + len; s += strlen(s) + 1) {
		struct khoreg_doc_field *f;
		const char *reason;
		size_t i;
		int plen;

		if (e->nr_fields >= KHOREG_MAX_FIELDS) {
			kr_problem(ps->p, epath, "more than %d fields",
				   KHOREG_MAX_FIELDS);
			break;
		}
		e->fields = kr_grow(e->fields, &cap, e->nr_fields + 1,
				    sizeof(*f));
		if (!e->fields)
			return -ENOMEM;
		f = &e->fields[e->nr_fields];
		memset(f, 0, sizeof(*f));
		err = parse_decl(s, f);
		if (err == -ENOMEM)
			return err;
		if (err) {
			kr_problem(ps->p, epath,
				   "bad field declaration \"%.80s\"", s);
			free(f->name);
			free(f->type_str);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", epath, f->name);
		for (i = 0; i < e->nr_fields; i++)
			if (!strcmp(e->fields[i].name, f->name))
				break;
		reason = NULL;
		if (i < e->nr_fields) {
			reason = "field declared twice";
		} else {
			f->val = fdt_getprop(ps->fdt, node, f->name, &plen);
			if (!f->val) {
				reason = "declared field has no property";
			} else {
				f->len = plen;
				reason = check_value(f, tmp, sizeof(tmp));
			}
		}
		if (reason) {
			kr_problem(ps->p, path, "%s", reason);
			free(f->name);
			free(f->type_str);
			continue;
		}
		f->entry = e;
		e->nr_fields++;
	}
	return 0;
}

static bool declared(const char *list, int len, const char *name)
{
	size_t n = strlen(name);
	const char *s;

	for (s = list; s < list + len; s += strlen(s) + 1)
		if (!strncmp(s, name, n) && s[n] == ':')
			return true;
	return false;
}

static void check_props(struct parse *ps, int node, const char *epath)
{
	const char *list;
	int off, len;

	list = fdt_getprop(ps->fdt, node, KHOREG_PROP_FIELDS, &len);
	if (!list || (len && list[len - 1]))
		len = 0;
	fdt_for_each_property_offset(off, ps->fdt, node) {
		const char *name;

		if (!fdt_getprop_by_offset(ps->fdt, off, &name, NULL))
			continue;
		if (!strcmp(name, "compatible") ||
		    !strcmp(name, KHOREG_PROP_VERSION) ||
		    !strcmp(name, KHOREG_PROP_OWNER) ||
		    !strcmp(name, KHOREG_PROP_FIELDS) ||
		    !strcmp(name, KHOREG_PROP_ANNOTATIONS))
			continue;
		if (!strchr(name, ',') && declared(list, len, name))
			continue;
		kr_problem(ps->p, epath,
			   "property \"%.80s\" is not declared in %s", name,
			   KHOREG_PROP_FIELDS);
	}
}

static int parse_annotations(struct parse *ps, int node,
			     struct khoreg_doc_entry *e, const char *epath)
{
	const char *list, *s;
	int len;

	list = fdt_getprop(ps->fdt, node, KHOREG_PROP_ANNOTATIONS, &len);
	if (!list)
		return 0;
	if (len && list[len - 1]) {
		kr_problem(ps->p, epath, "%s is not a string list",
			   KHOREG_PROP_ANNOTATIONS);
		return 0;
	}
	e->annotations = kr_calloc(KHOREG_MAX_ANNOTATIONS,
				   sizeof(*e->annotations));
	if (!e->annotations)
		return -ENOMEM;
	for (s = list; s < list + len; s += strlen(s) + 1) {
		const char *eq = strchr(s, '=');

		if (e->nr_annotations >= KHOREG_MAX_ANNOTATIONS) {
			kr_problem(ps->p, epath, "more than %d annotations",
				   KHOREG_MAX_ANNOTATIONS);
			break;
		}
		if (!eq || !kr_is_name(s, eq - s) ||
		    !valid_string((const uint8_t *)s, strlen(s) + 1)) {
			kr_problem(ps->p, epath, "bad annotation \"%.80s\"", s);
			continue;
		}
		e->annotations[e->nr_annotations++] = s;
	}
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	const struct khoreg_doc_entry *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

static int parse_entry(struct parse *ps, int node, const char *parent,
		       unsigned int depth, struct khoreg_doc_entry **out);

static int parse_children(struct parse *ps, int node, const char *epath,
			  unsigned int depth, struct khoreg_doc_entry ***out,
			  size_t *nr)
{
	struct khoreg_doc_entry **list = NULL, **sorted;
	size_t cap = 0, n = 0, i;
	int child, err;

	fdt_for_each_subnode(child, ps->fdt, node) {
		struct khoreg_doc_entry *e = NULL;

		err = parse_entry(ps, child, epath, depth + 1, &e);
		if (err == -ENOMEM)
			goto fail;
		if (!e)
			continue;
		list = kr_grow(list, &cap, n + 1, sizeof(*list));
		if (!list) {
			entry_free(e);
			err = -ENOMEM;
			goto fail;
		}
		list[n++] = e;
	}
	if (n > 1) {
		sorted = kr_calloc(n, sizeof(*sorted));
		if (!sorted) {
			err = -ENOMEM;
			goto fail;
		}
		memcpy(sorted, list, n * sizeof(*list));
		qsort(sorted, n, sizeof(*sorted), name_cmp);
		for (i = 1; i < n; i++) {
			char path[1100];

			if (strcmp(sorted[i - 1]->name, sorted[i]->name))
				continue;
			snprintf(path, sizeof(path), "%s/%s", epath,
				 sorted[i]->name);
			kr_problem(ps->p, path, "entry name used twice");
		}
		free(sorted);
	}
	*out = list;
	*nr = n;
	return 0;
fail:
	for (i = 0; i < n; i++)
		entry_free(list[i]);
	free(list);
	return err;
}

static int parse_entry(struct parse *ps, int node, const char *parent,
		       unsigned int depth, struct khoreg_doc_entry **out)
{
	struct khoreg_doc_entry *e;
	char epath[1024];
	const void *ver;
	int len, err;

	e = kr_calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->name = fdt_get_name(ps->fdt, node, &len);
	snprintf(epath, sizeof(epath), "%s/%s", parent,
		 e->name ? e->name : "?");
	if (!e->name || !kr_is_name(e->name, len)) {
		kr_problem(ps->p, epath,
			   "entry name must be 1..63 characters of [a-z0-9_.-]");
		goto drop;
	}
	if (depth > KHOREG_MAX_DEPTH) {
		kr_problem(ps->p, epath, "entries nested deeper than %d",
			   KHOREG_MAX_DEPTH);
		goto drop;
	}
	e->path = kr_strndup(epath + strlen(ps->base) + 1,
			     strlen(epath) - strlen(ps->base) - 1);
	if (!e->path)
		goto oom;
	e->compatible = prop_string(ps->fdt, node, "compatible");
	if (!e->compatible || !valid_compatible(e->compatible)) {
		kr_problem(ps->p, epath,
			   "compatible must be one string like \"vendor,name-v1\"");
		goto drop;
	}
	ver = fdt_getprop(ps->fdt, node, KHOREG_PROP_VERSION, &len);
	if (!ver || len != 4) {
		kr_problem(ps->p, epath, "%s must be one u32 cell",
			   KHOREG_PROP_VERSION);
		goto drop;
	}
	e->version = kr_be(ver, 4);
	if (fdt_getprop(ps->fdt, node, KHOREG_PROP_OWNER, NULL)) {
		e->owner = prop_string(ps->fdt, node, KHOREG_PROP_OWNER);
		if (!e->owner || !kr_is_name(e->owner, strlen(e->owner)))
			kr_problem(ps->p, epath, "bad %s", KHOREG_PROP_OWNER);
	}
	err = parse_fields(ps, node, e, epath);
	if (err == -ENOMEM)
		goto oom;
	if (err)
		goto drop;
	check_props(ps, node, epath);
	if (parse_annotations(ps, node, e, epath))
		goto oom;
	if (parse_children(ps, node, epath, depth, &e->children,
			   &e->nr_children))
		goto oom;
	*out = e;
	return 0;
drop:
	entry_free(e);
	return 0;
oom:
	entry_free(e);
	return -ENOMEM;
}

int kr_registry_parse(const uint8_t *fdt, size_t len, const char *base,
		      struct kr_problems *p, struct khoreg_doc **out)
{
	struct parse ps = { .fdt = fdt, .p = p, .base = base };
	struct khoreg_doc *r;
	const char *compat;
	const void *nr;
	int node, depth = 0, plen, err;

	*out = NULL;
	err = kr_check_fdt(fdt, len);
	if (err) {
		kr_problem(p, base, "not a valid FDT: %s", kr_fdt_strerror(err));
		return kr_err(-EBADMSG, "%s: not a valid FDT: %s", base,
			      kr_fdt_strerror(err));
	}
	compat = prop_string(fdt, 0, "compatible");
	if (!compat || strcmp(compat, KHOREG_COMPATIBLE)) {
		kr_problem(p, base, "compatible is not \"%s\"",
			   KHOREG_COMPATIBLE);
		return kr_err(-EBADMSG, "%s: not a %s blob", base,
			      KHOREG_COMPATIBLE);
	}
	for (node = 0; node >= 0; node = fdt_next_node(fdt, node, &depth))
		if (depth > 0)
			ps.total++;
	nr = fdt_getprop(fdt, 0, KHOREG_PROP_NR_ENTRIES, &plen);
	if (!nr || plen != 4)
		kr_problem(p, base, "%s must be one u32 cell",
			   KHOREG_PROP_NR_ENTRIES);
	else if (kr_be(nr, 4) != ps.total)
		kr_problem(p, base, "%s says %llu but the blob has %zu entries",
			   KHOREG_PROP_NR_ENTRIES,
			   (unsigned long long)kr_be(nr, 4), ps.total);
	if (ps.total > KHOREG_MAX_ENTRIES)
		kr_problem(p, base, "more than %d entries", KHOREG_MAX_ENTRIES);
	fdt_for_each_property_offset(node, fdt, 0) {
		const char *name;

		if (!fdt_getprop_by_offset(fdt, node, &name, NULL))
			continue;
		if (strcmp(name, "compatible") &&
		    strcmp(name, KHOREG_PROP_NR_ENTRIES))
			kr_problem(p, base, "unknown property \"%.80s\"", name);
	}
	r = kr_calloc(1, sizeof(*r));
	if (!r)
		return kr_err(-ENOMEM, "out of memory");
	r->fdt = fdt;
	r->len = len;
	r->total = ps.total;
	err = parse_children(&ps, 0, base, 0, &r->entries, &r->nr_entries);
	if (err) {
		free(r);
		return kr_err(err, "out of memory");
	}
	*out = r;
	return 0;
}

void kr_registry_free(struct khoreg_doc *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nr_entries; i++)
		entry_free(r->entries[i]);
	free(r->entries);
	free(r);
}

KHOREG_API size_t khoreg_doc__nr_entries(const struct khoreg_doc *r)
{
	return r->nr_entries;
}

KHOREG_API const struct khoreg_doc_entry *
khoreg_doc__entry(const struct khoreg_doc *r, size_t idx)
{
	return idx < r->nr_entries ? r->entries[idx] : NULL;
}

KHOREG_API const struct khoreg_doc_entry *
khoreg_doc__find(const struct khoreg_doc *r, const char *path)
{
	struct khoreg_doc_entry *const *list = r->entries;
	size_t n = r->nr_entries, i, len;
	const struct khoreg_doc_entry *e = NULL;

	while (*path) {
		len = strcspn(path, "/");
		for (i = 0; i < n; i++)
			if (strlen(list[i]->name) == len &&
			    !strncmp(list[i]->name, path, len))
				break;
		if (i == n)
			return NULL;
		e = list[i];
		list = e->children;
		n = e->nr_children;
		path += len;
		if (*path == '/')
			path++;
	}
	return e;
}

KHOREG_API const char *khoreg_doc_entry__name(const struct khoreg_doc_entry *e)
{
	return e->name;
}

KHOREG_API const char *khoreg_doc_entry__path(const struct khoreg_doc_entry *e)
{
	return e->path;
}

KHOREG_API const char *
khoreg_doc_entry__compatible(const struct khoreg_doc_entry *e)
{
	return e->compatible;
}

KHOREG_API uint32_t khoreg_doc_entry__version(const struct khoreg_doc_entry *e)
{
	return e->version;
}

KHOREG_API const char *khoreg_doc_entry__owner(const struct khoreg_doc_entry *e)
{
	return e->owner;
}

KHOREG_API size_t
khoreg_doc_entry__nr_annotations(const struct khoreg_doc_entry *e)
{
	return e->nr_annotations;
}

KHOREG_API const char *
khoreg_doc_entry__annotation(const struct khoreg_doc_entry *e, size_t idx)
{
	return idx < e->nr_annotations ? e->annotations[idx] : NULL;
}

KHOREG_API size_t
khoreg_doc_entry__nr_children(const struct khoreg_doc_entry *e)
{
	return e->nr_children;
}

KHOREG_API const struct khoreg_doc_entry *
khoreg_doc_entry__child(const struct khoreg_doc_entry *e, size_t idx)
{
	return idx < e->nr_children ? e->children[idx] : NULL;
}

KHOREG_API size_t khoreg_doc_entry__nr_fields(const struct khoreg_doc_entry *e)
{
	return e->nr_fields;
}

KHOREG_API const struct khoreg_doc_field *
khoreg_doc_entry__field(const struct khoreg_doc_entry *e, size_t idx)
{
	return idx < e->nr_fields ? &e->fields[idx] : NULL;
}

KHOREG_API const struct khoreg_doc_field *
khoreg_doc_entry__find_field(const struct khoreg_doc_entry *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->nr_fields; i++)
		if (!strcmp(e->fields[i].name, name))
			return &e->fields[i];
	return NULL;
}

KHOREG_API const char *khoreg_doc_field__name(const struct khoreg_doc_field *f)
{
	return f->name;
}

KHOREG_API enum khoreg_type
khoreg_doc_field__type(const struct khoreg_doc_field *f)
{
	return f->type;
}

KHOREG_API uint32_t khoreg_doc_field__count(const struct khoreg_doc_field *f)
{
	return f->count;
}

KHOREG_API const char *
khoreg_doc_field__type_str(const struct khoreg_doc_field *f)
{
	return f->type_str;
}

KHOREG_API const void *khoreg_doc_field__raw(const struct khoreg_doc_field *f,
					     size_t *len)
{
	if (len)
		*len = f->len;
	return f->val;
}

KHOREG_API int khoreg_doc_field__uint(const struct khoreg_doc_field *f,
				      uint32_t idx, uint64_t *val)
{
	unsigned int esz = kr_type_size(f->type);

	if (!is_scalar(f->type) || f->type == KHOREG_TYPE_S64)
		return -EPROTO;
	if (idx >= (f->count ? f->count : 1))
		return -ERANGE;
	*val = kr_be(f->val + (size_t)idx * esz, esz);
	return 0;
}

KHOREG_API int khoreg_doc_field__sint(const struct khoreg_doc_field *f,
				      uint32_t idx, int64_t *val)
{
	if (f->type != KHOREG_TYPE_S64)
		return -EPROTO;
	if (idx >= (f->count ? f->count : 1))
		return -ERANGE;
	*val = (int64_t)kr_be(f->val + (size_t)idx * 8, 8);
	return 0;
}

KHOREG_API int khoreg_doc_field__string(const struct khoreg_doc_field *f,
					const char **val)
{
	if (f->type != KHOREG_TYPE_STRING)
		return -EPROTO;
	*val = (const char *)f->val;
	return 0;
}

KHOREG_API int khoreg_doc_field__mem(const struct khoreg_doc_field *f,
				     uint64_t *phys, uint64_t *size,
				     unsigned int *order)
{
	unsigned int o;

	switch (f->type) {
	case KHOREG_TYPE_RANGE:
		*phys = kr_be(f->val, 8);
		*size = kr_be(f->val + 8, 8);
		o = 0;
		break;
	case KHOREG_TYPE_FOLIO:
		*phys = kr_be(f->val, 8);
		o = kr_be(f->val + 8, 4);
		*size = (uint64_t)KHOREG_PAGE_SIZE << o;
		break;
	case KHOREG_TYPE_VMALLOC:
		*phys = kr_be(f->val, 8);
		*size = kr_be(f->val + 8, 4) * (uint64_t)KHOREG_PAGE_SIZE;
		o = kr_be(f->val + 12, 4);
		break;
	default:
		return -EPROTO;
	}
	if (order)
		*order = o;
	return 0;
}

static void format_elem(const struct khoreg_doc_field *f, uint32_t i,
			struct kr_buf *b)
{
	uint64_t u = 0;
	int64_t s = 0;

	if (f->type == KHOREG_TYPE_S64) {
		khoreg_doc_field__sint(f, i, &s);
		kr_buf_printf(b, "%" PRId64, s);
	} else if (f->type == KHOREG_TYPE_BOOL) {
		khoreg_doc_field__uint(f, i, &u);
		kr_buf_printf(b, "%s", u ? "true" : "false");
	} else {
		khoreg_doc_field__uint(f, i, &u);
		kr_buf_printf(b, "%" PRIu64, u);
	}
}

static void format_string(const char *s, struct kr_buf *b)
{
	kr_buf_put(b, "\"", 1);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			kr_buf_printf(b, "\\%c", c);
		else if (c == '\n')
			kr_buf_printf(b, "\\n");
		else if (c == '\t')
			kr_buf_printf(b, "\\t");
		else if (c < 0x20 || c == 0x7f)
			kr_buf_printf(b, "\\x%02x", c);
		else
			kr_buf_put(b, s, 1);
	}
	kr_buf_put(b, "\"", 1);
}

KHOREG_API int khoreg_doc_field__format(const struct khoreg_doc_field *f,
					char *buf, size_t len)
{
	struct kr_buf b = { 0 };
	uint64_t phys, size;
	unsigned int order;
	uint32_t i;
	int n;

	switch (f->type) {
	case KHOREG_TYPE_STRING:
		format_string((const char *)f->val, &b);
		break;
	case KHOREG_TYPE_BYTES:
		for (i = 0; i < f->len; i++)
			kr_buf_printf(&b, "%02x", f->val[i]);
		if (!f->len)
			kr_buf_printf(&b, "(empty)");
		break;
	case KHOREG_TYPE_RANGE:
	case KHOREG_TYPE_FOLIO:
	case KHOREG_TYPE_VMALLOC:
		khoreg_doc_field__mem(f, &phys, &size, &order);
		if (f->type == KHOREG_TYPE_RANGE)
			kr_buf_printf(&b, "phys=0x%" PRIx64 " size=0x%" PRIx64,
				      phys, size);
		else if (f->type == KHOREG_TYPE_FOLIO)
			kr_buf_printf(&b, "phys=0x%" PRIx64 " order=%u", phys,
				      order);
		else
			kr_buf_printf(&b, "desc=0x%" PRIx64 " pages=%" PRIu64
				      " order=%u", phys,
				      size / KHOREG_PAGE_SIZE, order);
		break;
	default:
		if (!f->count) {
			format_elem(f, 0, &b);
			break;
		}
		kr_buf_put(&b, "[", 1);
		for (i = 0; i < f->count; i++) {
			if (i)
				kr_buf_put(&b, ", ", 2);
			format_elem(f, i, &b);
		}
		kr_buf_put(&b, "]", 1);
		break;
	}
	if (b.oom) {
		kr_buf_free(&b);
		return -ENOMEM;
	}
	n = b.len;
	if (len) {
		size_t c = b.len < len - 1 ? b.len : len - 1;

		if (c)
			memcpy(buf, b.s, c);
		buf[c] = '\0';
	}
	kr_buf_free(&b);
	return n;
}
