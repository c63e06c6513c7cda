// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libkhoreg: opening handovers (buffer, file, sysfs, bundle), the root
 * FDT, sub-blobs, the registry document (parsed by registry.c) and the
 * physical memory carried by a bundle.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "internal.h"

#define BUNDLE_PROP_HANDOVER	"handover"
#define BUNDLE_PROP_SCRATCH	"scratch"
#define BUNDLE_NODE_MEMORY	"memory"
#define BUNDLE_PROP_PHYS	"phys"
#define BUNDLE_PROP_DATA	"data"

static const char *prop_str(const void *fdt, int node, const char *name)
{
	const char *s;
	int len;

	s = fdt_getprop(fdt, node, name, &len);
	if (!s || len < 1 || s[len - 1] != '\0' || strlen(s) != (size_t)len - 1)
		return NULL;
	return s;
}

static bool prop_le64(const void *fdt, int node, const char *name,
		      uint64_t *v)
{
	const void *p;
	int len;

	p = fdt_getprop(fdt, node, name, &len);
	if (!p || len != 8)
		return false;
	*v = kr_le64(p);
	return true;
}

int kr_region_cmp(const void *a, const void *b)
{
	const struct khoreg_region *x = a, *y = b;

	return x->phys < y->phys ? -1 : x->phys > y->phys;
}

const uint8_t *kr_mem(const struct khoreg_handover *h, uint64_t phys,
		      uint64_t len)
{
	size_t lo = 0, hi = h->nr_regions;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct khoreg_region *r = &h->regions[mid];

		if (phys < r->phys) {
			hi = mid;
		} else if (phys - r->phys >= r->len) {
			lo = mid + 1;
		} else {
			if (len > r->len - (phys - r->phys))
				return NULL;
			return r->data + (phys - r->phys);
		}
	}
	return NULL;
}

static int load_regions(struct khoreg_handover *h, const void *fdt)
{
	size_t cap = 0, i;
	int mem, node;

	mem = fdt_subnode_offset(fdt, 0, BUNDLE_NODE_MEMORY);
	if (mem < 0)
		return 0;
	fdt_for_each_subnode(node, fdt, mem) {
		struct khoreg_region *r;
		const void *p;
		int len;

		h->regions = kr_grow(h->regions, &cap, h->nr_regions + 1,
				     sizeof(*r));
		if (!h->regions)
			return kr_err(-ENOMEM, "out of memory");
		r = &h->regions[h->nr_regions];
		p = fdt_getprop(fdt, node, BUNDLE_PROP_PHYS, &len);
		if (!p || len != 8)
			return kr_err(-EBADMSG,
				      "bundle: /memory/%s: phys must be 8 bytes",
				      fdt_get_name(fdt, node, NULL));
		r->phys = kr_be(p, 8);
		r->data = fdt_getprop(fdt, node, BUNDLE_PROP_DATA, &len);
		if (!r->data || len < 1)
			return kr_err(-EBADMSG,
				      "bundle: /memory/%s: data missing or empty",
				      fdt_get_name(fdt, node, NULL));
		r->len = len;
		if (r->phys + r->len < r->phys)
			return kr_err(-EBADMSG,
				      "bundle: region at 0x%llx wraps around",
				      (unsigned long long)r->phys);
		h->nr_regions++;
	}
	if (h->nr_regions > 1)
		qsort(h->regions, h->nr_regions, sizeof(*h->regions),
		      kr_region_cmp);
	for (i = 1; i < h->nr_regions; i++) {
		const struct khoreg_region *a = &h->regions[i - 1];

		if (a->phys + a->len > h->regions[i].phys)
			return kr_err(-EBADMSG,
				      "bundle: regions at 0x%llx and 0x%llx overlap",
				      (unsigned long long)a->phys,
				      (unsigned long long)h->regions[i].phys);
	}
	return 0;
}

static int load_bundle(struct khoreg_handover *h)
{
	const void *fdt = h->buf;
	const void *p;
	int len, err;

	h->kind = KHOREG_KIND_BUNDLE;
	p = fdt_getprop(fdt, 0, BUNDLE_PROP_HANDOVER, &len);
	if (!p || len < 1)
		return kr_err(-EBADMSG, "bundle: no handover property");
	/* libfdt wants 8-byte aligned trees: give the root its own buffer */
	h->root_buf = malloc(len);
	if (!h->root_buf)
		return kr_err(-ENOMEM, "out of memory");
	memcpy(h->root_buf, p, len);
	err = kr_check_fdt(h->root_buf, len);
	if (err)
		return kr_err(-EBADMSG, "bundle: handover: not a valid FDT: %s",
			      kr_fdt_strerror(err));
	h->root = h->root_buf;
	h->root_len = fdt_totalsize(h->root_buf);
	p = fdt_getprop(fdt, 0, BUNDLE_PROP_SCRATCH, &len);
	if (p) {
		if (len % sizeof(struct kho_scratch_entry))
			return kr_err(-EBADMSG,
				      "bundle: scratch length %d is not a multiple of %zu",
				      len, sizeof(struct kho_scratch_entry));
		h->nr_scratch = len / sizeof(struct kho_scratch_entry);
		h->scratch = kr_calloc(h->nr_scratch, sizeof(*h->scratch));
		if (!h->scratch)
			return kr_err(-ENOMEM, "out of memory");
		for (size_t i = 0; i < h->nr_scratch; i++) {
			const uint8_t *e = (const uint8_t *)p + i * 16;

			h->scratch[i].addr = kr_le64(e);
			h->scratch[i].size = kr_le64(e + 8);
		}
		h->scratch_known = true;
	}
	return load_regions(h, fdt);
}

static int copy_blob(struct khoreg_blob *b, const void *data, size_t len)
{
	b->owned = malloc(len ? len : 1);
	if (!b->owned)
		return kr_err(-ENOMEM, "out of memory");
	memcpy(b->owned, data, len);
	b->data = b->owned;
	b->data_len = len;
	return 0;
}

static bool safe_file_name(const char *s)
{
	return *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

static int load_blobs(struct khoreg_handover *h, const char *sysdir)
{
	const void *fdt = h->root;
	size_t cap = 0;
	int node, err;

	fdt_for_each_subnode(node, fdt, 0) {
		struct khoreg_blob *b;

		if (h->nr_blobs >= KHOREG_MAX_BLOBS)
			return kr_err(-E2BIG, "root: more than %d sub-blobs",
				      KHOREG_MAX_BLOBS);
		h->blobs = kr_grow(h->blobs, &cap, h->nr_blobs + 1, sizeof(*b));
		if (!h->blobs)
			return kr_err(-ENOMEM, "out of memory");
		b = &h->blobs[h->nr_blobs++];
		memset(b, 0, sizeof(*b));
		b->name = fdt_get_name(fdt, node, NULL);
		if (!b->name)
			return kr_err(-EBADMSG, "root: unnamed node");
		b->has_addr = prop_le64(fdt, node, KHO_SUB_TREE_PROP_NAME,
					&b->phys);
		b->has_size = prop_le64(fdt, node, KHO_SUB_TREE_SIZE_PROP_NAME,
					&b->size);
		if (sysdir && safe_file_name(b->name)) {
			char path[4096];
			void *data;
			size_t len;

			snprintf(path, sizeof(path), "%s/blobs/%s", sysdir,
				 b->name);
			err = libkhoreg_read_file(path, KHOREG_BLOB_MAX, &data,
						  &len);
			if (!err) {
				b->owned = data;
				b->data = data;
				b->data_len = len;
			} else if (err != -ENOENT) {
				return err;
			}
		} else if (b->has_addr && b->has_size &&
			   b->size <= KHOREG_INPUT_MAX) {
			const uint8_t *data = kr_mem(h, b->phys, b->size);

			if (data) {
				err = copy_blob(b, data, b->size);
				if (err)
					return err;
			}
		}
	}
	return 0;
}

static int parse_root(struct khoreg_handover *h, const char *sysdir)
{
	h->compatible = prop_str(h->root, 0, "compatible");
	h->has_memmap = prop_le64(h->root, 0, KHO_FDT_MEMORY_MAP_PROP_NAME,
				  &h->memmap);
	return load_blobs(h, sysdir);
}

/* A bare registry blob: present it as the only sub-blob. */
static int open_registry_blob(struct khoreg_handover *h)
{
	struct khoreg_blob *b = kr_calloc(1, sizeof(*b));

	if (!b)
		return kr_err(-ENOMEM, "out of memory");
	h->kind = KHOREG_KIND_REGISTRY;
	h->blobs = b;
	h->nr_blobs = 1;
	b->name = KHOREG_BLOB_NAME;
	b->data = h->buf;
	b->data_len = h->buf_len;
	return 0;
}

static int open_common(struct khoreg_handover *h, const char *sysdir)
{
	const char *compat;
	int err;

	err = kr_check_fdt(h->buf, h->buf_len);
	if (err)
		return kr_err(-EBADMSG, "not a valid FDT: %s",
			      kr_fdt_strerror(err));
	h->buf_len = fdt_totalsize(h->buf);
	compat = sysdir ? NULL : prop_str(h->buf, 0, "compatible");
	if (compat && !strcmp(compat, KHOREG_COMPATIBLE))
		return open_registry_blob(h);
	if (compat && !strcmp(compat, KHOREG_BUNDLE_COMPATIBLE)) {
		err = load_bundle(h);
		if (err)
			return err;
	} else {
		h->kind = sysdir ? KHOREG_KIND_SYSFS : KHOREG_KIND_ROOT;
		h->root = h->buf;
		h->root_len = h->buf_len;
	}
	return parse_root(h, sysdir);
}

static int open_owned(uint8_t *buf, size_t len, const char *sysdir,
		      struct khoreg_handover **out)
{
	struct khoreg_handover *h;
	int err;

	kr_clear_err();
	*out = NULL;
	h = kr_calloc(1, sizeof(*h));
	if (!h) {
		free(buf);
		return kr_err(-ENOMEM, "out of memory");
	}
	h->buf = buf;
	h->buf_len = len;
	err = open_common(h, sysdir);
	if (err) {
		khoreg_handover__close(h);
		return err;
	}
	*out = h;
	return 0;
}

KHOREG_API int khoreg_handover__open_buffer(const void *buf, size_t len,
					    struct khoreg_handover **out)
{
	uint8_t *copy;

	if (!out || (!buf && len))
		return kr_err(-EINVAL, "invalid argument");
	*out = NULL;
	if (len > KHOREG_INPUT_MAX)
		return kr_err(-EFBIG, "input larger than %u bytes",
			      KHOREG_INPUT_MAX);
	copy = malloc(len ? len : 1);
	if (!copy)
		return kr_err(-ENOMEM, "out of memory");
	if (len)
		memcpy(copy, buf, len);
	return open_owned(copy, len, NULL, out);
}

KHOREG_API int khoreg_handover__open_file(const char *path,
					  struct khoreg_handover **out)
{
	void *buf;
	size_t len;
	int err;

	if (!path || !out)
		return kr_err(-EINVAL, "invalid argument");
	*out = NULL;
	err = libkhoreg_read_file(path, KHOREG_INPUT_MAX, &buf, &len);
	if (err)
		return err;
	err = open_owned(buf, len, NULL, out);
	if (err)
		kr_prefix_err(path);
	return err;
}

/* @dir/scratch_array: packed struct kho_scratch_entry. */
static int load_sysfs_scratch(struct khoreg_handover *h, const char *dir)
{
	char path[4096];
	void *buf;
	size_t len, i;
	int err;

	snprintf(path, sizeof(path), "%s/scratch_array", dir);
	err = libkhoreg_read_file(path, KHOREG_MAX_SCRATCH * 16, &buf, &len);
	if (err == -ENOENT) {
		kr_clear_err();
		return 0;
	}
	if (err)
		return err;
	if (len % sizeof(struct kho_scratch_entry)) {
		free(buf);
		return kr_err(-EBADMSG, "%s: %zu bytes is not a whole number of %zu-byte entries",
			      path, len, sizeof(struct kho_scratch_entry));
	}
	h->nr_scratch = len / sizeof(struct kho_scratch_entry);
	h->scratch = kr_calloc(h->nr_scratch ? h->nr_scratch : 1,
			       sizeof(*h->scratch));
	if (!h->scratch) {
		free(buf);
		return kr_err(-ENOMEM, "out of memory");
	}
	for (i = 0; i < h->nr_scratch; i++) {
		h->scratch[i].addr = kr_le64(buf + i * 16);
		h->scratch[i].size = kr_le64(buf + i * 16 + 8);
	}
	h->scratch_known = true;
	free(buf);
	return 0;
}

/*
 * @dir/memory_map: the pages of the preserved memory map, each a record of
 * its address and its contents. They become memory regions of @h, as if
 * they came from a bundle. Empty while idle or once the handover is
 * finished; absent on kernels that do not export it.
 */
static int load_sysfs_map(struct khoreg_handover *h, const char *dir)
{
	char path[4096];
	size_t len, nr, i, j;
	void *buf;
	int err;

	snprintf(path, sizeof(path), "%s/memory_map", dir);
	err = libkhoreg_read_file(path, KHOREG_INPUT_MAX, &buf, &len);
	if (err == -ENOENT) {
		kr_clear_err();
		return 0;
	}
	if (err)
		return err;
	h->map_buf = buf;
	if (len % KHOREG_MAP_RECORD)
		return kr_err(-EBADMSG, "%s: %zu bytes is not a whole number of %llu-byte records",
			      path, len, (unsigned long long)KHOREG_MAP_RECORD);
	nr = len / KHOREG_MAP_RECORD;
	if (nr > KHOREG_MAX_NODES)
		return kr_err(-E2BIG, "%s: more than %u pages", path,
			      KHOREG_MAX_NODES);
	if (!nr)
		return 0;
	h->regions = kr_calloc(nr, sizeof(*h->regions));
	if (!h->regions)
		return kr_err(-ENOMEM, "out of memory");
	for (i = 0; i < nr; i++) {
		struct khoreg_region *r = &h->regions[i];
		const uint8_t *rec = buf + i * KHOREG_MAP_RECORD;

		r->phys = kr_le64(rec);
		r->len = KHO_PAGE_SIZE;
		r->data = rec + 8;
		if (r->phys & (KHO_PAGE_SIZE - 1) || r->phys + r->len < r->phys)
			return kr_err(-EBADMSG, "%s: record %zu: page address 0x%llx is invalid",
				      path, i, (unsigned long long)r->phys);
	}
	qsort(h->regions, nr, sizeof(*h->regions), kr_region_cmp);
	/* A node the tree points at twice is listed twice: keep one. */
	for (i = 1, j = 1; i < nr; i++) {
		const struct khoreg_region *r = &h->regions[i];

		if (r->phys == h->regions[j - 1].phys) {
			if (memcmp(r->data, h->regions[j - 1].data, r->len))
				return kr_err(-EBADMSG, "%s: page 0x%llx listed twice, differing",
					      path, (unsigned long long)r->phys);
			continue;
		}
		h->regions[j++] = *r;
	}
	h->nr_regions = j;
	return 0;
}

KHOREG_API int khoreg_handover__open_sysfs(const char *dir,
					   struct khoreg_handover **out)
{
	char path[4096];
	void *buf;
	size_t len;
	int err;

	if (!dir || !out)
		return kr_err(-EINVAL, "invalid argument");
	*out = NULL;
	snprintf(path, sizeof(path), "%s/fdt", dir);
	err = libkhoreg_read_file(path, KHOREG_INPUT_MAX, &buf, &len);
	if (err)
		return err;
	if (!len) {
		free(buf);
		return kr_err(-ENODATA, "%s is empty: no finalized handover", path);
	}
	err = open_owned(buf, len, dir, out);
	if (err) {
		kr_prefix_err(path);
		return err;
	}
	err = load_sysfs_scratch(*out, dir);
	if (!err)
		err = load_sysfs_map(*out, dir);
	if (err) {
		khoreg_handover__close(*out);
		*out = NULL;
	}
	return err;
}

KHOREG_API void khoreg_handover__close(struct khoreg_handover *h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < h->nr_blobs; i++)
		free(h->blobs[i].owned);
	free(h->blobs);
	free(h->regions);
	free(h->map_buf);
	free(h->scratch);
	kr_registry_free(h->reg);
	free(h->root_buf);
	free(h->buf);
	free(h);
}

KHOREG_API enum khoreg_handover_kind
khoreg_handover__kind(const struct khoreg_handover *h)
{
	return h->kind;
}

KHOREG_API const char *
khoreg_handover__compatible(const struct khoreg_handover *h)
{
	return h->root ? h->compatible : NULL;
}

KHOREG_API const void *
khoreg_handover__root_fdt(const struct khoreg_handover *h, size_t *len)
{
	if (len)
		*len = h->root ? h->root_len : 0;
	return h->root;
}

KHOREG_API int khoreg_handover__memmap_addr(const struct khoreg_handover *h,
					    uint64_t *phys)
{
	if (!h->root || !h->has_memmap)
		return -ENOENT;
	*phys = h->memmap;
	return 0;
}

KHOREG_API size_t khoreg_handover__nr_scratch(const struct khoreg_handover *h)
{
	return h->nr_scratch;
}

KHOREG_API int khoreg_handover__scratch(const struct khoreg_handover *h,
					size_t idx, uint64_t *addr,
					uint64_t *size)
{
	if (idx >= h->nr_scratch)
		return -ERANGE;
	*addr = h->scratch[idx].addr;
	*size = h->scratch[idx].size;
	return 0;
}

KHOREG_API size_t khoreg_handover__nr_blobs(const struct khoreg_handover *h)
{
	return h->nr_blobs;
}

KHOREG_API const struct khoreg_blob *
khoreg_handover__blob(const struct khoreg_handover *h, size_t idx)
{
	return idx < h->nr_blobs ? &h->blobs[idx] : NULL;
}

KHOREG_API const struct khoreg_blob *
khoreg_handover__find_blob(const struct khoreg_handover *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->nr_blobs; i++)
		if (!strcmp(h->blobs[i].name, name))
			return &h->blobs[i];
	return NULL;
}

KHOREG_API int khoreg_handover__doc(struct khoreg_handover *h,
				    const struct khoreg_doc **out)
{
	const struct khoreg_blob *b;
	int err;

	/* only a parsed registry is kept: a failure is reported every time */
	*out = h->reg;
	if (h->reg)
		return 0;
	b = khoreg_handover__find_blob(h, KHOREG_BLOB_NAME);
	if (!b)
		return kr_err(-ENOENT, "no %s sub-blob", KHOREG_BLOB_NAME);
	if (!b->data)
		return kr_err(-ENODATA, "contents of the %s sub-blob are not part of this input",
			      KHOREG_BLOB_NAME);
	err = kr_registry_parse(b->data, b->data_len, "/" KHOREG_BLOB_NAME,
				NULL, &h->reg);
	*out = h->reg;
	return err;
}

KHOREG_API const char *khoreg_blob__name(const struct khoreg_blob *b)
{
	return b->name;
}

KHOREG_API uint64_t khoreg_blob__addr(const struct khoreg_blob *b)
{
	return b->has_addr ? b->phys : 0;
}

KHOREG_API uint64_t khoreg_blob__size(const struct khoreg_blob *b)
{
	return b->has_size ? b->size : 0;
}

KHOREG_API const void *khoreg_blob__data(const struct khoreg_blob *b,
					 size_t *len)
{
	if (len)
		*len = b->data ? b->data_len : 0;
	return b->data;
}

/* Memory regions to store in a bundle: the bundle's own plus sysfs blobs. */
static int bundle_regions(const struct khoreg_handover *h,
			  struct khoreg_region **out, size_t *nr)
{
	struct khoreg_region *r = NULL;
	size_t n = 0, i, j;

	r = kr_calloc(h->nr_regions + h->nr_blobs, sizeof(*r));
	if (!r)
		return kr_err(-ENOMEM, "out of memory");
	for (i = 0; i < h->nr_regions; i++)
		r[n++] = h->regions[i];
	if (h->kind == KHOREG_KIND_SYSFS) {
		for (i = 0; i < h->nr_blobs; i++) {
			const struct khoreg_blob *b = &h->blobs[i];

			if (!b->has_addr || !b->data || !b->data_len ||
			    b->phys + b->data_len < b->phys)
				continue;
			r[n].phys = b->phys;
			r[n].len = b->data_len;
			r[n].data = b->data;
			n++;
		}
	}
	qsort(r, n, sizeof(*r), kr_region_cmp);
	/* drop regions overlapping an earlier one */
	for (i = 0, j = 0; i < n; i++) {
		if (j && r[j - 1].phys + r[j - 1].len > r[i].phys)
			continue;
		r[j++] = r[i];
	}
	*out = r;
	*nr = j;
	return 0;
}

/* Serialise a bundle; @regions must be sorted and must not overlap. */
int kr_bundle_build(const void *root, size_t root_len,
		    const struct kho_scratch_entry *scratch, size_t nr_scratch,
		    bool scratch_known, const struct khoreg_region *r,
		    size_t nr, uint8_t **out, size_t *out_len)
{
	size_t i, size;
	uint8_t *buf;
	int err;

	size = 1024 + root_len + nr_scratch * 16;
	for (i = 0; i < nr && size <= INT32_MAX; i++)
		size += r[i].len + 128;
	if (size > INT32_MAX)
		return kr_err(-EFBIG, "bundle would be too large");
	buf = malloc(size);
	if (!buf)
		return kr_err(-ENOMEM, "out of memory");
	err = fdt_create(buf, size);
	err |= fdt_finish_reservemap(buf);
	err |= fdt_begin_node(buf, "");
	err |= fdt_property_string(buf, "compatible", KHOREG_BUNDLE_COMPATIBLE);
	err |= fdt_property(buf, BUNDLE_PROP_HANDOVER, root, root_len);
	if (scratch_known) {
		uint8_t *s;

		err |= fdt_property_placeholder(buf, BUNDLE_PROP_SCRATCH,
						nr_scratch * 16, (void **)&s);
		for (i = 0; !err && i < nr_scratch; i++) {
			kr_put_le64(s + i * 16, scratch[i].addr);
			kr_put_le64(s + i * 16 + 8, scratch[i].size);
		}
	}
	err |= fdt_begin_node(buf, BUNDLE_NODE_MEMORY);
	for (i = 0; !err && i < nr; i++) {
		char name[32];
		uint8_t be[8];

		snprintf(name, sizeof(name), "region@%llx",
			 (unsigned long long)r[i].phys);
		kr_put_be(be, r[i].phys, 8);
		err |= fdt_begin_node(buf, name);
		err |= fdt_property(buf, BUNDLE_PROP_PHYS, be, 8);
		err |= fdt_property(buf, BUNDLE_PROP_DATA, r[i].data, r[i].len);
		err |= fdt_end_node(buf);
	}
	err |= fdt_end_node(buf);
	err |= fdt_end_node(buf);
	err |= fdt_finish(buf);
	if (err) {
		free(buf);
		return kr_err(-EIO, "building bundle failed");
	}
	*out = buf;
	*out_len = fdt_totalsize(buf);
	return 0;
}

KHOREG_API int khoreg_handover__save_bundle(const struct khoreg_handover *h,
					    const char *path)
{
	struct khoreg_region *r = NULL;
	uint8_t *buf;
	size_t nr = 0, len;
	int err;

	kr_clear_err();
	if (!h->root)
		return kr_err(-EINVAL, "a bare registry blob has no root FDT");
	err = bundle_regions(h, &r, &nr);
	if (err)
		return err;
	err = kr_bundle_build(h->root, h->root_len, h->scratch, h->nr_scratch,
			      h->scratch_known, r, nr, &buf, &len);
	free(r);
	if (err)
		return err;
	err = libkhoreg_write_file(path, buf, len);
	free(buf);
	return err;
}
