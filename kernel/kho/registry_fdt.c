// SPDX-License-Identifier: GPL-2.0-only
/*
 * khoreg: the registry sub-blob, "khoreg-registry-v1".
 *
 * Outgoing, a frozen registry is written as one FDT: a node per entry
 * holding its compatible, version, owner, field declarations, annotations
 * and one property per field (Documentation/kho/registry-abi.rst).
 *
 * Incoming, the blob is untrusted. It is first checked as a whole (header
 * and every structure block bound) and refused if that fails; then each
 * entry is judged on its own: a malformed entry is dropped with its
 * children and logged, a malformed field is kept with the error a getter
 * returns for it, and everything else restores.
 */

#define pr_fmt(fmt) "KHO registry: " fmt

#include <linux/libfdt.h>
#include <linux/module.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "internal.h"
#include "registry_internal.h"

/* A hostile blob can hold thousands of problems: log only a few. */
static DEFINE_RATELIMIT_STATE(khoreg_problem_rs, 5 * HZ, 32);

/* ---- outgoing ---- */

static size_t khoreg_prop_size(size_t len)
{
	return sizeof(struct fdt_property) + ALIGN(len, FDT_TAGSIZE);
}

static const char *khoreg_owner_name(const struct khoreg_entry *entry)
{
	const char *name = entry->owner ? module_name(entry->owner) : NULL;

	if (!name || !khoreg_name_valid(name, strlen(name)))
		return NULL;
	return name;
}

/* Bytes of the khoreg,fields string list of @entry; 0 if it is empty. */
static size_t khoreg_decls_len(const struct khoreg_entry *entry)
{
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < entry->schema->nr_fields; i++) {
		const struct khoreg_out_field *f = entry->fields[i];

		if (f->set)
			len += khoreg_decl_snprintf(NULL, 0, f->decl->name,
						    f->decl->type,
						    f->decl->count) + 1;
	}
	return len;
}

static size_t khoreg_annotations_len(const struct khoreg_entry *entry)
{
	const struct khoreg_annotation *a;
	size_t len = 0;

	list_for_each_entry(a, &entry->annotations, list)
		len += strlen(a->text) + 1;
	return len;
}

/**
 * khoreg_fdt_size() - room needed for the sub-blob of a frozen registry
 * @reg: the registry, its lock held
 *
 * Return: an upper bound of the blob's size in bytes.
 */
size_t khoreg_fdt_size(struct khoreg_registry *reg)
{
	struct khoreg_entry *e = NULL;
	const char *owner;
	unsigned int i;
	size_t size;

	/* Header, its alignment, the reservation map, root node, FDT_END. */
	size = sizeof(struct fdt_header) + 8 + sizeof(struct fdt_reserve_entry) +
	       4 * FDT_TAGSIZE +
	       khoreg_prop_size(sizeof(KHOREG_COMPATIBLE)) +
	       khoreg_prop_size(sizeof(u32)) +
	       sizeof("compatible") + sizeof(KHOREG_PROP_NR_ENTRIES) +
	       sizeof(KHOREG_PROP_VERSION) + sizeof(KHOREG_PROP_OWNER) +
	       sizeof(KHOREG_PROP_FIELDS) + sizeof(KHOREG_PROP_ANNOTATIONS);
	while ((e = khoreg_entry_next(reg, e))) {
		size += 2 * FDT_TAGSIZE + ALIGN(strlen(e->name) + 1, FDT_TAGSIZE);
		size += khoreg_prop_size(strlen(e->schema->compatible) + 1);
		size += khoreg_prop_size(sizeof(u32));
		owner = khoreg_owner_name(e);
		if (owner)
			size += khoreg_prop_size(strlen(owner) + 1);
		size += khoreg_prop_size(khoreg_decls_len(e));
		if (e->nr_annotations)
			size += khoreg_prop_size(khoreg_annotations_len(e));
		for (i = 0; i < e->schema->nr_fields; i++) {
			const struct khoreg_out_field *f = e->fields[i];

			if (f->set)
				size += khoreg_prop_size(f->size) +
					strlen(f->decl->name) + 1;
		}
	}
	return size;
}

/* Write khoreg,fields: the declaration of every field that has a value. */
static int khoreg_fdt_decls(void *fdt, const struct khoreg_entry *entry)
{
	size_t len = khoreg_decls_len(entry), at = 0;
	unsigned int i;
	char *p;
	int err;

	err = fdt_property_placeholder(fdt, KHOREG_PROP_FIELDS, len,
				       (void **)&p);
	if (err)
		return err;
	for (i = 0; i < entry->schema->nr_fields; i++) {
		const struct khoreg_out_field *f = entry->fields[i];

		if (f->set)
			at += khoreg_decl_snprintf(p + at, len - at,
						   f->decl->name, f->decl->type,
						   f->decl->count) + 1;
	}
	return 0;
}

static int khoreg_fdt_annotations(void *fdt, const struct khoreg_entry *entry)
{
	const struct khoreg_annotation *a;
	size_t at = 0, n;
	char *p;
	int err;

	if (!entry->nr_annotations)
		return 0;
	err = fdt_property_placeholder(fdt, KHOREG_PROP_ANNOTATIONS,
				       khoreg_annotations_len(entry),
				       (void **)&p);
	if (err)
		return err;
	list_for_each_entry(a, &entry->annotations, list) {
		n = strlen(a->text) + 1;
		memcpy(p + at, a->text, n);
		at += n;
	}
	return 0;
}

static int khoreg_fdt_entry(void *fdt, struct khoreg_entry *entry)
{
	const char *owner = khoreg_owner_name(entry);
	struct khoreg_entry *child;
	unsigned long flags;
	unsigned int i;
	int err;

	err = fdt_begin_node(fdt, entry->name);
	err = err ?: fdt_property_string(fdt, "compatible",
					 entry->schema->compatible);
	err = err ?: fdt_property_u32(fdt, KHOREG_PROP_VERSION,
				      entry->schema->version);
	if (owner)
		err = err ?: fdt_property_string(fdt, KHOREG_PROP_OWNER, owner);
	err = err ?: khoreg_fdt_decls(fdt, entry);
	if (err)
		return err;
	/* Frozen, but a setter that saw the registry unfrozen may still run. */
	spin_lock_irqsave(&entry->lock, flags);
	err = khoreg_fdt_annotations(fdt, entry);
	for (i = 0; i < entry->schema->nr_fields && !err; i++) {
		const struct khoreg_out_field *f = entry->fields[i];

		if (f->set)
			err = fdt_property(fdt, f->decl->name, f->val, f->size);
	}
	spin_unlock_irqrestore(&entry->lock, flags);
	list_for_each_entry(child, &entry->children, sibling)
		err = err ?: khoreg_fdt_entry(fdt, child);
	return err ?: fdt_end_node(fdt);
}

/**
 * khoreg_fdt_build() - write the sub-blob of a frozen registry
 * @reg: the registry, its lock held
 * @buf: where to write it
 * @size: bytes at @buf, khoreg_fdt_size() or more
 *
 * Return: 0, -ENOSPC if @buf is too small, or -EINVAL.
 */
int khoreg_fdt_build(struct khoreg_registry *reg, void *buf, size_t size)
{
	struct khoreg_entry *entry;
	int err;

	lockdep_assert_held(&reg->lock);
	err = fdt_create(buf, size);
	err = err ?: fdt_finish_reservemap(buf);
	err = err ?: fdt_begin_node(buf, "");
	err = err ?: fdt_property_string(buf, "compatible", KHOREG_COMPATIBLE);
	err = err ?: fdt_property_u32(buf, KHOREG_PROP_NR_ENTRIES,
				      reg->nr_entries);
	list_for_each_entry(entry, &reg->entries, sibling)
		err = err ?: khoreg_fdt_entry(buf, entry);
	err = err ?: fdt_end_node(buf);
	err = err ?: fdt_finish(buf);
	if (err == -FDT_ERR_NOSPACE)
		return -ENOSPC;
	return err ? -EINVAL : 0;
}

/* ---- incoming ---- */

struct khoreg_parse {
	struct khoreg_in_tree *tree;
	const void *fdt;
	unsigned int nr_nodes;
};

static __printf(3, 4) void khoreg_problem(struct khoreg_parse *p,
					  const char *path, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (!p->tree->nr_problems++ && p->tree->problem) {
		va_start(args, fmt);
		vaf.fmt = fmt;
		vaf.va = &args;
		snprintf(p->tree->problem, p->tree->problem_len, "%s: %pV",
			 path, &vaf);
		va_end(args);
	}
	if (!__ratelimit(&khoreg_problem_rs))
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_warn("incoming registry: %s: %pV\n", path, &vaf);
	va_end(args);
}

/* A string property of one string; NULL if missing or malformed. */
static const char *khoreg_prop_string(const void *fdt, int node,
				      const char *name, int *len)
{
	const char *s = fdt_getprop(fdt, node, name, len);

	if (!s || *len < 1 || s[*len - 1] || strlen(s) != *len - 1)
		return NULL;
	(*len)--;
	return s;
}

/* Does @s (@len bytes) hold NUL-terminated, non-empty strings only? */
static bool khoreg_stringlist_valid(const char *s, int len)
{
	int i;

	if (len && s[len - 1])
		return false;
	for (i = 0; i < len; i++)
		if (!s[i] && (!i || !s[i - 1]))
			return false;
	return true;
}

static int khoreg_in_fields(struct khoreg_parse *p, int node,
			    struct khoreg_in_entry *e, const char *path)
{
	const char *decls = e->decls;
	unsigned int i, j;
	int len;

	for (i = 0; i < e->nr_fields; i++) {
		struct khoreg_in_field *f = &e->fields[i];
		size_t dlen = strlen(decls), nlen;
		const void *val;

		if (khoreg_parse_decl(decls, dlen, &nlen, &f->type, &f->count)) {
			khoreg_problem(p, path, "bad field declaration \"%s\"",
				       decls);
			return -EINVAL;
		}
		e->decls[decls - e->decls + nlen] = '\0';
		f->name = decls;
		decls += dlen + 1;
		for (j = 0; j < i; j++) {
			if (!strcmp(e->fields[j].name, f->name)) {
				khoreg_problem(p, path, "field %s declared twice",
					       f->name);
				return -EINVAL;
			}
		}
		val = fdt_getprop(p->fdt, node, f->name, &len);
		if (!val) {
			f->err = -ENOENT;
			khoreg_problem(p, path, "field %s has no value", f->name);
			continue;
		}
		f->err = khoreg_value_check(f->type, f->count, val, len);
		if (f->err) {
			khoreg_problem(p, path, "field %s: bad %s", f->name,
				       f->err == -EOVERFLOW ? "length" : "value");
			continue;
		}
		f->val = val;
		f->len = len;
	}
	return 0;
}

static bool khoreg_known_prop(const struct khoreg_in_entry *e,
			      const char *name)
{
	unsigned int i;

	if (!strcmp(name, "compatible") || !strcmp(name, KHOREG_PROP_VERSION) ||
	    !strcmp(name, KHOREG_PROP_OWNER) ||
	    !strcmp(name, KHOREG_PROP_FIELDS) ||
	    !strcmp(name, KHOREG_PROP_ANNOTATIONS))
		return true;
	for (i = 0; i < e->nr_fields; i++)
		if (!strcmp(e->fields[i].name, name))
			return true;
	return false;
}

static bool khoreg_annotations_valid(const char *s, int len)
{
	unsigned int n = 0;
	const char *eq;
	int at;

	if (!khoreg_stringlist_valid(s, len))
		return false;
	for (at = 0; at < len; at += strlen(s + at) + 1) {
		eq = strchr(s + at, '=');
		if (++n > KHOREG_MAX_ANNOTATIONS || !eq ||
		    !khoreg_name_valid(s + at, eq - (s + at)) ||
		    strlen(s + at) + 1 > KHOREG_STRING_MAX)
			return false;
		for (eq++; *eq; eq++)
			if ((unsigned char)*eq < ' ' && *eq != '\t' && *eq != '\n')
				return false;
	}
	return true;
}

/* Build the entry of @node, NULL if it is malformed (logged). */
static struct khoreg_in_entry *khoreg_in_entry(struct khoreg_parse *p,
					       int node, const char *path)
{
	const void *fdt = p->fdt;
	struct khoreg_in_entry *e;
	const char *compat, *owner, *decls, *name;
	int clen, olen, dlen, len, off;
	unsigned int nr = 0, i;
	const __be32 *ver;

	compat = khoreg_prop_string(fdt, node, "compatible", &clen);
	if (!compat || !khoreg_compatible_valid(compat, clen)) {
		khoreg_problem(p, path, "missing or bad compatible");
		return NULL;
	}
	ver = fdt_getprop(fdt, node, KHOREG_PROP_VERSION, &len);
	if (!ver || len != sizeof(*ver)) {
		khoreg_problem(p, path, "missing or bad " KHOREG_PROP_VERSION);
		return NULL;
	}
	owner = fdt_getprop(fdt, node, KHOREG_PROP_OWNER, &olen);
	if (owner && (!khoreg_prop_string(fdt, node, KHOREG_PROP_OWNER, &olen) ||
		      !khoreg_name_valid(owner, olen))) {
		khoreg_problem(p, path, "bad " KHOREG_PROP_OWNER);
		return NULL;
	}
	decls = fdt_getprop(fdt, node, KHOREG_PROP_FIELDS, &dlen);
	if (!decls || !khoreg_stringlist_valid(decls, dlen)) {
		khoreg_problem(p, path, "missing or bad " KHOREG_PROP_FIELDS);
		return NULL;
	}
	for (i = 0; i < dlen; i++)
		nr += !decls[i];
	if (nr > KHOREG_MAX_FIELDS) {
		khoreg_problem(p, path, "more than %u fields", KHOREG_MAX_FIELDS);
		return NULL;
	}

	e = kzalloc(struct_size(e, fields, nr), GFP_KERNEL);
	if (!e)
		return NULL;
	e->decls = kmemdup(decls, dlen ?: 1, GFP_KERNEL);
	if (!e->decls) {
		kfree(e);
		return NULL;
	}
	e->tree = p->tree;
	e->name = fdt_get_name(fdt, node, NULL);
	e->compatible = compat;
	e->owner = owner;
	e->version = be32_to_cpup(ver);
	e->nr_fields = nr;
	INIT_LIST_HEAD(&e->children);
	if (khoreg_in_fields(p, node, e, path)) {
		kfree(e->decls);
		kfree(e);
		return NULL;
	}

	e->annotations = fdt_getprop(fdt, node, KHOREG_PROP_ANNOTATIONS, &len);
	if (e->annotations && !khoreg_annotations_valid(e->annotations, len)) {
		khoreg_problem(p, path, "bad annotations, ignored");
		e->annotations = NULL;
	}
	e->annotations_len = e->annotations ? len : 0;

	fdt_for_each_property_offset(off, fdt, node) {
		if (fdt_getprop_by_offset(fdt, off, &name, &len) &&
		    !khoreg_known_prop(e, name))
			khoreg_problem(p, path, "unknown property %s ignored",
				       name);
	}
	return e;
}

static void khoreg_in_entry_free(struct khoreg_in_entry *e)
{
	struct khoreg_in_entry *child, *tmp;

	list_for_each_entry_safe(child, tmp, &e->children, sibling)
		khoreg_in_entry_free(child);
	kfree(e->decls);
	kfree(e);
}

static unsigned int khoreg_in_count(const struct khoreg_in_entry *e)
{
	const struct khoreg_in_entry *child;
	unsigned int n = 1;

	list_for_each_entry(child, &e->children, sibling)
		n += khoreg_in_count(child);
	return n;
}

/* An entry and its position among its siblings, for sorting by name. */
struct khoreg_sibling {
	struct khoreg_in_entry *e;
	unsigned int pos;
};

static int khoreg_cmp_name(const void *a, const void *b)
{
	const struct khoreg_sibling *x = a, *y = b;
	int d = strcmp(x->e->name, y->e->name);

	return d ?: (x->pos < y->pos ? -1 : 1);
}

/* Drop all but the first (in blob order) of siblings sharing a name. */
static void khoreg_in_dedup(struct khoreg_parse *p, struct list_head *list,
			    unsigned int n, const char *path)
{
	struct khoreg_sibling *v;
	struct khoreg_in_entry *e;
	unsigned int i = 0, keep = 0;

	if (n < 2)
		return;
	v = kvmalloc_array(n, sizeof(*v), GFP_KERNEL);
	if (!v)
		return;
	list_for_each_entry(e, list, sibling) {
		v[i].e = e;
		v[i].pos = i;
		i++;
	}
	sort(v, n, sizeof(*v), khoreg_cmp_name, NULL);
	for (i = 1; i < n; i++) {
		if (strcmp(v[i].e->name, v[keep].e->name)) {
			keep = i;
			continue;
		}
		e = v[i].e;
		khoreg_problem(p, path[0] ? path : "/",
			       "duplicate entry %s dropped", e->name);
		list_del(&e->sibling);
		p->tree->nr_rejected += khoreg_in_count(e);
		p->tree->nr_entries -= khoreg_in_count(e);
		khoreg_in_entry_free(e);
	}
	kvfree(v);
}

/* Nodes below @node; the depth of a checked blob is bounded. */
static unsigned int khoreg_fdt_count(const void *fdt, int node)
{
	unsigned int n = 0;
	int sub;

	fdt_for_each_subnode(sub, fdt, node)
		n += 1 + khoreg_fdt_count(fdt, sub);
	return n;
}

static void khoreg_in_nodes(struct khoreg_parse *p, int parent,
			    struct khoreg_in_entry *pe, struct list_head *list,
			    char *path, size_t at)
{
	unsigned int n = 0, n_sub;
	int node;

	fdt_for_each_subnode(node, p->fdt, parent) {
		struct khoreg_in_entry *e;
		const char *name;
		int len;

		p->nr_nodes++;
		name = fdt_get_name(p->fdt, node, &len);
		snprintf(path + at, KHOREG_PATH_MAX - at,
			 "%s%.*s", at ? "/" : "", min(len, KHOREG_NAME_MAX), name);
		if (!khoreg_name_valid(name, len)) {
			khoreg_problem(p, path, "bad entry name");
			e = NULL;
		} else {
			e = khoreg_in_entry(p, node, path);
		}
		if (!e) {
			n_sub = khoreg_fdt_count(p->fdt, node);
			p->nr_nodes += n_sub;
			p->tree->nr_rejected += 1 + n_sub;
			path[at] = '\0';
			continue;
		}
		e->parent = pe;
		list_add_tail(&e->sibling, list);
		p->tree->nr_entries++;
		n++;
		khoreg_in_nodes(p, node, e, &e->children, path, strlen(path));
		path[at] = '\0';
	}
	khoreg_in_dedup(p, list, n, path);
}

/**
 * khoreg_in_parse() - check an incoming registry blob and build its tree
 * @tree: an empty tree
 * @blob: the blob, kvmalloc()ed; on success @tree owns it
 * @size: its size
 *
 * Return: 0, even if entries were rejected; -EINVAL if the blob as a whole
 * is unusable (logged); -ENOMEM.
 */
int khoreg_in_parse(struct khoreg_in_tree *tree, const void *blob, size_t size)
{
	struct khoreg_parse p = { .tree = tree, .fdt = blob };
	const char *why = NULL;
	const __be32 *nr;
	char *path;
	int len;

	if (kho_fdt_check_blob(blob, size, KHOREG_MAX_DEPTH + 1, &why)) {
		pr_err_ratelimited("incoming registry ignored: the blob %s\n",
				   why);
		if (tree->problem)
			snprintf(tree->problem, tree->problem_len, "the blob %s",
				 why);
		return -EINVAL;
	}
	if (fdt_node_check_compatible(blob, 0, KHOREG_COMPATIBLE)) {
		pr_err_ratelimited("incoming registry ignored: not %s\n",
				   KHOREG_COMPATIBLE);
		if (tree->problem)
			snprintf(tree->problem, tree->problem_len, "not %s",
				 KHOREG_COMPATIBLE);
		return -EINVAL;
	}
	path = kmalloc(KHOREG_PATH_MAX, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	path[0] = '\0';
	tree->blob = (void *)blob;
	tree->size = size;
	khoreg_in_nodes(&p, 0, NULL, &tree->entries, path, 0);
	kfree(path);

	nr = fdt_getprop(blob, 0, KHOREG_PROP_NR_ENTRIES, &len);
	if (!nr || len != sizeof(*nr) || be32_to_cpup(nr) != p.nr_nodes)
		khoreg_problem(&p, "/", "%s does not match the %u entries found",
			       KHOREG_PROP_NR_ENTRIES, p.nr_nodes);
	return 0;
}

/**
 * khoreg_in_free() - free an incoming tree and its blob
 * @tree: the tree
 */
void khoreg_in_free(struct khoreg_in_tree *tree)
{
	struct khoreg_in_entry *e, *tmp;

	list_for_each_entry_safe(e, tmp, &tree->entries, sibling)
		khoreg_in_entry_free(e);
	INIT_LIST_HEAD(&tree->entries);
	kvfree(tree->blob);
	tree->blob = NULL;
	tree->nr_entries = 0;
	tree->nr_rejected = 0;
	tree->nr_problems = 0;
}

/**
 * khoreg_in_lookup() - find a valid incoming entry by path
 * @tree: the incoming registry
 * @path: "name" or "parent/child/..."
 *
 * Return: the entry, or ERR_PTR(-ENOENT).
 */
struct khoreg_in_entry *khoreg_in_lookup(struct khoreg_in_tree *tree,
					 const char *path)
{
	struct list_head *list = &tree->entries;
	struct khoreg_in_entry *e = NULL;
	const char *end;
	size_t len;

	if (!path)
		return ERR_PTR(-ENOENT);
	for (;;) {
		end = strchrnul(path, '/');
		len = end - path;
		list_for_each_entry(e, list, sibling)
			if (strlen(e->name) == len && !memcmp(e->name, path, len))
				break;
		if (list_entry_is_head(e, list, sibling))
			return ERR_PTR(-ENOENT);
		if (!*end)
			return e;
		list = &e->children;
		path = end + 1;
	}
}
