// SPDX-License-Identifier: GPL-2.0-only
/*
 * khoreg: the registry the previous kernel handed over.
 *
 * Everything about incoming entries is here, from the untrusted bytes to
 * the end of the handover: the "khoreg" sub-blob is copied out of
 * preserved memory, checked as a whole (header and every structure block
 * bound) and refused if that fails; then each entry is judged on its own:
 * a malformed entry is dropped with its children and logged, a malformed
 * field is kept with the error a getter returns for it, and everything
 * else becomes a tree of &struct khoreg_in_entry.
 *
 * Drivers look entries up, claim them with a schema and read them through
 * typed getters that never return a value of the wrong type or size, and
 * take the memory they reference with the restore functions. When the
 * handover finishes (khoreg_in_finish(), called back by the core) claims
 * fail and the entries nobody claimed are logged.
 *
 * The outgoing registry (registry.c) is never touched from here; the only
 * other files called are registry_value.c for the rules of values and the
 * KHO core for the sub-blob and its memory.
 */

#define pr_fmt(fmt) "KHO registry: " fmt

#include <linux/ctype.h>
#include <linux/io.h>
#include <linux/kho.h>
#include <linux/libfdt.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <linux/vmalloc.h>

#include "internal.h"
#include "registry_internal.h"

/* A hostile blob can hold thousands of problems: log only a few. */
static DEFINE_RATELIMIT_STATE(khoreg_problem_rs, 5 * HZ, 32);

/**
 * struct khoreg_parse - state of one khoreg_in_parse()
 * @tree: the tree being built
 * @fdt: the blob
 * @nr_nodes: entry nodes seen
 * @reason: NULL, or where the first problem is written
 * @len: bytes at @reason
 */
struct khoreg_parse {
	struct khoreg_in_tree *tree;
	const void *fdt;
	unsigned int nr_nodes;
	char *reason;
	size_t len;
};

static __printf(3, 4) void khoreg_problem(struct khoreg_parse *p,
					  const char *path, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (!p->tree->nr_problems++ && p->reason) {
		va_start(args, fmt);
		vaf.fmt = fmt;
		vaf.va = &args;
		snprintf(p->reason, p->len, "%s: %pV", path, &vaf);
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
 * @reason: NULL, or where the first problem found is written, for a caller
 *	that reports it; every problem is logged (rate limited) as well
 * @len: bytes at @reason
 *
 * Return: 0, even if entries were rejected; -EINVAL if the blob as a whole
 * is unusable (logged); -ENOMEM.
 */
int khoreg_in_parse(struct khoreg_in_tree *tree, const void *blob, size_t size,
		    char *reason, size_t len)
{
	struct khoreg_parse p = {
		.tree = tree, .fdt = blob, .reason = reason, .len = len,
	};
	const char *why = NULL;
	const __be32 *nr;
	char *path;
	int plen;

	if (kho_fdt_check_blob(blob, size, KHOREG_MAX_DEPTH + 1, &why)) {
		pr_err_ratelimited("incoming registry ignored: the blob %s\n",
				   why);
		if (reason)
			snprintf(reason, len, "the blob %s", why);
		return -EINVAL;
	}
	if (fdt_node_check_compatible(blob, 0, KHOREG_COMPATIBLE)) {
		pr_err_ratelimited("incoming registry ignored: not %s\n",
				   KHOREG_COMPATIBLE);
		if (reason)
			snprintf(reason, len, "not %s", KHOREG_COMPATIBLE);
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

	nr = fdt_getprop(blob, 0, KHOREG_PROP_NR_ENTRIES, &plen);
	if (!nr || plen != sizeof(*nr) || be32_to_cpup(nr) != p.nr_nodes)
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

struct khoreg_in_tree khoreg_in = {
	.lock = __MUTEX_INITIALIZER(khoreg_in.lock),
	.entries = LIST_HEAD_INIT(khoreg_in.entries),
};

/* Length of @compat without a trailing "-v<digits>". */
static size_t khoreg_compat_family(const char *compat)
{
	size_t len = strlen(compat), i = len;

	while (i && isdigit(compat[i - 1]))
		i--;
	if (i < len && i >= 2 && compat[i - 1] == 'v' && compat[i - 2] == '-')
		return i - 2;
	return len;
}

/**
 * khoreg_in_claim() - find, check and claim an incoming entry
 * @tree: the incoming registry
 * @path: the entry's path ("name" or "parent/child")
 * @schema: the schema the caller restores
 *
 * Return: the entry, or an ERR_PTR(): see khoreg_claim().
 */
struct khoreg_in_entry *khoreg_in_claim(struct khoreg_in_tree *tree,
					const char *path,
					const struct khoreg_schema *schema)
{
	struct khoreg_in_entry *e = khoreg_in_lookup(tree, path);
	size_t fam;
	u32 min;

	if (IS_ERR(e))
		return e;
	if (!schema || !schema->compatible)
		return ERR_PTR(-EINVAL);
	min = schema->min_version ?: schema->version;
	fam = khoreg_compat_family(schema->compatible);
	if (khoreg_compat_family(e->compatible) != fam ||
	    strncmp(e->compatible, schema->compatible, fam)) {
		pr_warn("%s: compatible %s is not %s\n", path, e->compatible,
			schema->compatible);
		return ERR_PTR(-EPROTO);
	}
	if (e->version < min || e->version > schema->version) {
		pr_warn("%s: version %u is outside %u..%u\n", path, e->version,
			min, schema->version);
		return ERR_PTR(-EPROTO);
	}
	guard(mutex)(&tree->lock);
	if (tree->finished) {
		pr_warn("%s: claimed after the handover finished; its memory went back to the page allocator\n",
			path);
		return ERR_PTR(-ESTALE);
	}
	if (e->claimed)
		return ERR_PTR(-EBUSY);
	e->claimed = true;
	return e;
}

/**
 * khoreg_in_unclaim() - give a claim back
 * @tree: the incoming registry
 * @entry: an entry of @tree
 *
 * Return: 0, or an error: see khoreg_unclaim().
 */
int khoreg_in_unclaim(struct khoreg_in_tree *tree,
		      struct khoreg_in_entry *entry)
{
	guard(mutex)(&tree->lock);
	if (tree->finished)
		return -ESTALE;
	if (!entry->claimed)
		return -EINVAL;
	if (entry->mem_taken)
		return -EBUSY;
	entry->claimed = false;
	return 0;
}

/**
 * khoreg_in_entry_next() - walk the valid entries of an incoming registry,
 *	parents first
 * @tree: the incoming registry
 * @entry: the previous entry, NULL to start
 *
 * The tree does not change once parsed and its entries stay until this
 * kernel hands over again, so no lock is needed; read the claimed flags
 * with READ_ONCE() or under @tree's lock.
 *
 * Return: the next entry, or NULL after the last one.
 */
struct khoreg_in_entry *khoreg_in_entry_next(struct khoreg_in_tree *tree,
					     struct khoreg_in_entry *entry)
{
	if (!entry)
		return list_first_entry_or_null(&tree->entries,
						struct khoreg_in_entry, sibling);
	if (!list_empty(&entry->children))
		return list_first_entry(&entry->children,
					struct khoreg_in_entry, sibling);
	for (; entry; entry = entry->parent) {
		struct list_head *siblings = entry->parent ?
			&entry->parent->children : &tree->entries;

		if (!list_is_last(&entry->sibling, siblings))
			return list_next_entry(entry, sibling);
	}
	return NULL;
}

/**
 * khoreg_in_entry_path() - the path of an incoming entry, "parent/child"
 * @entry: the entry
 * @buf: where to write the path
 * @size: bytes at @buf
 *
 * Return: the length of the path, as snprintf().
 */
int khoreg_in_entry_path(const struct khoreg_in_entry *entry, char *buf,
			 size_t size)
{
	int n = 0;

	if (entry->parent)
		n = khoreg_in_entry_path(entry->parent, buf, size);
	return n + snprintf(buf + min_t(size_t, n, size),
			    size - min_t(size_t, n, size), "%s%s",
			    entry->parent ? "/" : "", entry->name);
}

/**
 * khoreg_claim() - take an entry the previous kernel handed over
 * @path: the entry's path: its name, or "parent/child" for nested entries
 * @schema: the schema the caller restores. The entry's compatible must
 *	equal @schema's once a trailing "-v<N>" is removed from both, and its
 *	version must be in @schema's min_version..version.
 *
 * Claim entries from an initcall (device_initcall or later) or a module
 * loaded before the handover finishes (kho_finish_timeout=, see
 * Documentation/kho/admin-guide.rst). Memory referenced by the entry is
 * taken with khoreg_restore_pages(), khoreg_restore_folio() and
 * khoreg_restore_vmalloc(); what nobody takes goes back to the page
 * allocator when the handover finishes.
 *
 * Return: the entry, valid until this kernel hands over again; or
 * -ENOENT if there is no such valid entry; -EPROTO if its compatible or
 * version is not accepted; -EBUSY if it is claimed already (see
 * khoreg_unclaim()); -ESTALE (logged) once the handover is finished.
 */
struct khoreg_in_entry *khoreg_claim(const char *path,
				     const struct khoreg_schema *schema)
{
	return khoreg_in_claim(&khoreg_in, path, schema);
}
EXPORT_SYMBOL_GPL(khoreg_claim);

/**
 * khoreg_unclaim() - give back an entry whose restore failed
 * @entry: an entry the caller claimed
 *
 * A driver whose restore fails after khoreg_claim() (an allocation, a
 * registration) gives the entry back on its error path, so that a later
 * attempt, such as the module loaded again, claims it and restores the
 * state instead of starting afresh. Only before any of the entry's memory
 * was taken: pages, folios and vmalloc areas restored from it belong to
 * the caller and cannot be handed out twice, so such an entry stays
 * claimed.
 *
 * Return: 0; -EBUSY if memory of the entry was restored (it stays
 * claimed); -EINVAL if it is not claimed; -ESTALE once the handover is
 * finished.
 */
int khoreg_unclaim(struct khoreg_in_entry *entry)
{
	return khoreg_in_unclaim(&khoreg_in, entry);
}
EXPORT_SYMBOL_GPL(khoreg_unclaim);

/**
 * khoreg_find() - look at an incoming entry without claiming it
 * @path: the entry's path
 *
 * Lets a driver see an entry's compatible and version before it decides
 * which schema to claim it with.
 *
 * Return: the entry, or ERR_PTR(-ENOENT).
 */
struct khoreg_in_entry *khoreg_find(const char *path)
{
	return khoreg_in_lookup(&khoreg_in, path);
}
EXPORT_SYMBOL_GPL(khoreg_find);

/**
 * khoreg_in_compatible() - compatible string of an incoming entry
 * @entry: the entry
 *
 * Return: the string.
 */
const char *khoreg_in_compatible(const struct khoreg_in_entry *entry)
{
	return entry->compatible;
}
EXPORT_SYMBOL_GPL(khoreg_in_compatible);

/**
 * khoreg_in_version() - schema version of an incoming entry
 * @entry: the entry
 *
 * Return: the version.
 */
u32 khoreg_in_version(const struct khoreg_in_entry *entry)
{
	return entry->version;
}
EXPORT_SYMBOL_GPL(khoreg_in_version);

static const struct khoreg_in_field *
khoreg_in_field(const struct khoreg_in_entry *entry, const char *name,
		enum khoreg_type type, bool array)
{
	unsigned int i;

	if (IS_ERR_OR_NULL(entry) || !name)
		return ERR_PTR(-EINVAL);
	for (i = 0; i < entry->nr_fields; i++) {
		const struct khoreg_in_field *f = &entry->fields[i];

		if (strcmp(f->name, name))
			continue;
		if (f->type != type || !f->count != !array)
			return ERR_PTR(-EPROTO);
		return f->err ? ERR_PTR(f->err) : f;
	}
	return ERR_PTR(-ENOENT);
}

/* Read a scalar field into *@val, a C variable of the field's type. */
/* A memory field of a claimed entry: its memory belongs to the claimer. */
static const struct khoreg_in_field *
khoreg_in_mem_field(const struct khoreg_in_entry *entry, const char *name,
		    enum khoreg_type type)
{
	const struct khoreg_in_field *f = khoreg_in_field(entry, name, type,
							  false);

	if (IS_ERR(f))
		return f;
	if (!READ_ONCE(entry->claimed))
		return ERR_PTR(-EPERM);
	if (kho_in_finished()) {
		pr_warn_ratelimited("%s: field %s restored after the handover finished; its memory went back to the page allocator\n",
				    entry->name, name);
		return ERR_PTR(-ESTALE);
	}
	return f;
}

static int khoreg_get_scalar(struct khoreg_in_entry *entry, const char *name,
			     enum khoreg_type type, void *val)
{
	const struct khoreg_in_field *f = khoreg_in_field(entry, name, type,
							  false);

	if (IS_ERR(f))
		return PTR_ERR(f);
	khoreg_native_store(type, val, 0, khoreg_read_elem(type, f->val));
	return 0;
}

/**
 * khoreg_get_u8() - read a u8 field of a claimed entry
 * @entry: the entry
 * @field: field name
 * @val: returns the value; untouched on error
 *
 * Return: 0; -ENOENT if the entry has no such field (or the previous kernel
 * left a memory field empty); -EPROTO if the field has another type or a
 * value its type does not allow; -EOVERFLOW if its value has a bad length.
 */
int khoreg_get_u8(struct khoreg_in_entry *entry, const char *field, u8 *val)
{
	return khoreg_get_scalar(entry, field, KHOREG_TYPE_U8, val);
}
EXPORT_SYMBOL_GPL(khoreg_get_u8);

/**
 * khoreg_get_u16() - read a u16 field of a claimed entry
 * @entry: the entry
 * @field: field name
 * @val: returns the value; untouched on error
 *
 * Return: as khoreg_get_u8().
 */
int khoreg_get_u16(struct khoreg_in_entry *entry, const char *field,
		   u16 *val)
{
	return khoreg_get_scalar(entry, field, KHOREG_TYPE_U16, val);
}
EXPORT_SYMBOL_GPL(khoreg_get_u16);

/**
 * khoreg_get_u32() - read a u32 field of a claimed entry
 * @entry: the entry
 * @field: field name
 * @val: returns the value; untouched on error
 *
 * Return: as khoreg_get_u8().
 */
int khoreg_get_u32(struct khoreg_in_entry *entry, const char *field,
		   u32 *val)
{
	return khoreg_get_scalar(entry, field, KHOREG_TYPE_U32, val);
}
EXPORT_SYMBOL_GPL(khoreg_get_u32);

/**
 * khoreg_get_u64() - read a u64 field of a claimed entry
 * @entry: the entry
 * @field: field name
 * @val: returns the value; untouched on error
 *
 * Return: as khoreg_get_u8().
 */
int khoreg_get_u64(struct khoreg_in_entry *entry, const char *field,
		   u64 *val)
{
	return khoreg_get_scalar(entry, field, KHOREG_TYPE_U64, val);
}
EXPORT_SYMBOL_GPL(khoreg_get_u64);

/**
 * khoreg_get_s64() - read an s64 field of a claimed entry
 * @entry: the entry
 * @field: field name
 * @val: returns the value; untouched on error
 *
 * Return: as khoreg_get_u8().
 */
int khoreg_get_s64(struct khoreg_in_entry *entry, const char *field,
		   s64 *val)
{
	return khoreg_get_scalar(entry, field, KHOREG_TYPE_S64, val);
}
EXPORT_SYMBOL_GPL(khoreg_get_s64);

/**
 * khoreg_get_bool() - read a bool field of a claimed entry
 * @entry: the entry
 * @field: field name
 * @val: returns the value; untouched on error
 *
 * Return: as khoreg_get_u8().
 */
int khoreg_get_bool(struct khoreg_in_entry *entry, const char *field,
		    bool *val)
{
	return khoreg_get_scalar(entry, field, KHOREG_TYPE_BOOL, val);
}
EXPORT_SYMBOL_GPL(khoreg_get_bool);

/**
 * khoreg_get_array() - read an array field of a claimed entry
 * @entry: the entry
 * @field: field name
 * @type: element type (u8, u16, u32, u64, s64 or bool)
 * @vals: returns the elements, a C array of @type
 * @count: number of elements of @vals; must be the field's
 *
 * Return: as khoreg_get_u8(); -EOVERFLOW also if @count is not the number
 * of elements of the field.
 */
int khoreg_get_array(struct khoreg_in_entry *entry, const char *field,
		     enum khoreg_type type, void *vals, unsigned int count)
{
	const struct khoreg_in_field *f;
	unsigned int i, size;

	if ((unsigned int)type >= KHOREG_TYPE_NR || !khoreg_type_scalar(type))
		return -EINVAL;
	f = khoreg_in_field(entry, field, type, true);
	if (IS_ERR(f))
		return PTR_ERR(f);
	if (f->count != count)
		return -EOVERFLOW;
	size = khoreg_type_size(type);
	for (i = 0; i < count; i++)
		khoreg_native_store(type, vals, i,
				    khoreg_read_elem(type, f->val + i * size));
	return 0;
}
EXPORT_SYMBOL_GPL(khoreg_get_array);

/**
 * khoreg_get_string() - read a string field of a claimed entry
 * @entry: the entry
 * @field: field name
 * @buf: returns the string, NUL terminated
 * @size: bytes at @buf
 *
 * Return: as khoreg_get_u8(); -EOVERFLOW also if the string (and its NUL)
 * does not fit in @size bytes, and then @buf is untouched.
 */
int khoreg_get_string(struct khoreg_in_entry *entry, const char *field,
		      char *buf, size_t size)
{
	const struct khoreg_in_field *f = khoreg_in_field(entry, field,
							  KHOREG_TYPE_STRING,
							  false);

	if (IS_ERR(f))
		return PTR_ERR(f);
	if (f->len > size)
		return -EOVERFLOW;
	memcpy(buf, f->val, f->len);
	return 0;
}
EXPORT_SYMBOL_GPL(khoreg_get_string);

/**
 * khoreg_get_bytes() - read a bytes field of a claimed entry
 * @entry: the entry
 * @field: field name
 * @buf: returns the bytes
 * @size: bytes at @buf
 * @len: returns how many bytes the field holds
 *
 * Return: as khoreg_get_string().
 */
int khoreg_get_bytes(struct khoreg_in_entry *entry, const char *field,
		     void *buf, size_t size, size_t *len)
{
	const struct khoreg_in_field *f = khoreg_in_field(entry, field,
							  KHOREG_TYPE_BYTES,
							  false);

	if (IS_ERR(f))
		return PTR_ERR(f);
	if (f->len > size)
		return -EOVERFLOW;
	memcpy(buf, f->val, f->len);
	*len = f->len;
	return 0;
}
EXPORT_SYMBOL_GPL(khoreg_get_bytes);

/**
 * khoreg_restore_pages() - take the page range of a range field
 * @entry: a claimed entry
 * @field: field name
 * @nr_pages: returns the number of pages
 *
 * Return: the first page; every page is an order-0 page owned by the
 * caller. An ERR_PTR() as khoreg_get_u8(); -EPERM if @entry was found
 * with khoreg_find() but not claimed; -ESTALE once the handover is
 * finished; -ENXIO if the range is not preserved memory or was taken
 * already.
 */
struct page *khoreg_restore_pages(struct khoreg_in_entry *entry,
				  const char *field, unsigned long *nr_pages)
{
	const struct khoreg_in_field *f = khoreg_in_mem_field(entry, field,
							      KHOREG_TYPE_RANGE);
	struct page *page;
	u64 size;

	if (IS_ERR(f))
		return ERR_CAST(f);
	size = get_unaligned_be64(f->val + 8);
	if (size >> PAGE_SHIFT > ULONG_MAX)
		return ERR_PTR(-ENXIO);
	page = kho_restore_pages(get_unaligned_be64(f->val), size >> PAGE_SHIFT);
	if (!page)
		return ERR_PTR(-ENXIO);
	WRITE_ONCE(entry->mem_taken, true);
	*nr_pages = size >> PAGE_SHIFT;
	return page;
}
EXPORT_SYMBOL_GPL(khoreg_restore_pages);

/**
 * khoreg_restore_folio() - take the folio of a folio field
 * @entry: a claimed entry
 * @field: field name
 *
 * Return: the folio, with a reference owned by the caller; or an ERR_PTR()
 * as khoreg_restore_pages(), -ENXIO also if the preserved folio has
 * another order than the field says.
 */
struct folio *khoreg_restore_folio(struct khoreg_in_entry *entry,
				   const char *field)
{
	const struct khoreg_in_field *f = khoreg_in_mem_field(entry, field,
							      KHOREG_TYPE_FOLIO);
	struct folio *folio;

	if (IS_ERR(f))
		return ERR_CAST(f);
	folio = kho_restore_folio(get_unaligned_be64(f->val));
	if (!folio)
		return ERR_PTR(-ENXIO);
	WRITE_ONCE(entry->mem_taken, true);
	if (folio_order(folio) != get_unaligned_be32(f->val + 8)) {
		folio_put(folio);
		return ERR_PTR(-ENXIO);
	}
	return folio;
}
EXPORT_SYMBOL_GPL(khoreg_restore_folio);

/**
 * khoreg_restore_vmalloc() - map the vmalloc area of a vmalloc field again
 * @entry: a claimed entry
 * @field: field name
 * @nr_pages: returns the size of the area in pages
 *
 * Return: the area, to be freed with vfree(); or an ERR_PTR() as
 * khoreg_restore_pages(), -ENXIO also if the area's descriptor does not
 * match the field.
 */
void *khoreg_restore_vmalloc(struct khoreg_in_entry *entry, const char *field,
			     unsigned long *nr_pages)
{
	const struct khoreg_in_field *f = khoreg_in_mem_field(entry, field,
							      KHOREG_TYPE_VMALLOC);
	struct kho_vmalloc desc;
	struct page *page;
	phys_addr_t phys;
	void *ptr;

	if (IS_ERR(f))
		return ERR_CAST(f);
	phys = get_unaligned_be64(f->val);
	if (offset_in_page(phys) > PAGE_SIZE - sizeof(desc))
		return ERR_PTR(-ENXIO);
	page = kho_restore_pages(phys & PAGE_MASK, 1);
	if (!page)
		return ERR_PTR(-ENXIO);
	WRITE_ONCE(entry->mem_taken, true);
	memcpy(&desc, page_address(page) + offset_in_page(phys), sizeof(desc));
	__free_page(page);
	if (desc.total_pages != get_unaligned_be32(f->val + 8) ||
	    desc.order != get_unaligned_be32(f->val + 12))
		return ERR_PTR(-ENXIO);
	ptr = kho_restore_vmalloc(&desc);
	if (!ptr)
		return ERR_PTR(-ENXIO);
	*nr_pages = desc.total_pages;
	return ptr;
}
EXPORT_SYMBOL_GPL(khoreg_restore_vmalloc);

static void khoreg_in_report(struct list_head *entries, char *path, size_t at,
			     unsigned int *n)
{
	struct khoreg_in_entry *e;

	list_for_each_entry(e, entries, sibling) {
		snprintf(path + at, KHOREG_PATH_MAX - at, "%s%s", at ? "/" : "",
			 e->name);
		if (!e->claimed && (*n)++ < 16)
			pr_info("entry %s (%s) not claimed by the end of the handover\n",
				path, e->compatible);
		khoreg_in_report(&e->children, path, strlen(path), n);
	}
}

/**
 * khoreg_in_tree_finish() - refuse further claims and name what is unclaimed
 * @tree: the incoming registry
 *
 * Return: the number of entries nobody claimed; the first 16 are logged.
 */
unsigned int khoreg_in_tree_finish(struct khoreg_in_tree *tree)
{
	char *path = kmalloc(KHOREG_PATH_MAX, GFP_KERNEL);
	unsigned int n = 0;

	guard(mutex)(&tree->lock);
	tree->finished = true;
	if (path)
		khoreg_in_report(&tree->entries, path, 0, &n);
	kfree(path);
	return n;
}

/*
 * The handover finishes: log the unclaimed entries. Called once by KHO
 * (kho_in_on_finish()) before unrestored memory goes back to the page
 * allocator; khoreg_claim() fails with -ESTALE from then on.
 */
static void khoreg_in_finish(void)
{
	unsigned int n = khoreg_in_tree_finish(&khoreg_in);

	if (n)
		pr_info("%u entr%s not claimed; %s memory goes back to the page allocator\n",
			n, n == 1 ? "y" : "ies", n == 1 ? "its" : "their");
}

/* Copy the incoming sub-blob out of preserved memory and parse it. */
static int __init khoreg_in_init(void)
{
	phys_addr_t phys;
	unsigned long pfn;
	size_t size;
	void *copy;
	int err;

	err = kho_in_on_finish(khoreg_in_finish);
	if (err)
		pr_err("cannot be told when the handover finishes (%d)\n", err);
	if (kho_retrieve_subtree(KHOREG_BLOB_NAME, &phys, &size))
		return 0;
	if (!size || size > KHOREG_BLOB_MAX || phys + size < phys) {
		pr_err("incoming registry ignored: bad size %zu\n", size);
		return 0;
	}
	for (pfn = PHYS_PFN(phys); pfn <= PHYS_PFN(phys + size - 1); pfn++) {
		if (!pfn_to_online_page(pfn)) {
			pr_err("incoming registry ignored: %#llx+%#zx is not RAM\n",
			       (u64)phys, size);
			return 0;
		}
	}
	copy = kvmalloc(size, GFP_KERNEL);
	if (!copy)
		return 0;
	memcpy(copy, phys_to_virt(phys), size);
	err = khoreg_in_parse(&khoreg_in, copy, size, NULL, 0);
	if (err) {
		kvfree(copy);
		return 0;
	}
	pr_info("restored registry: %u entries, %u rejected, %u problem(s)\n",
		khoreg_in.nr_entries, khoreg_in.nr_rejected,
		khoreg_in.nr_problems);
	return 0;
}

/* Before registry_sysfs.c's initcall of the same level: link order. */
fs_initcall_sync(khoreg_in_init);
