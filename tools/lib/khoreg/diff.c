// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libkhoreg: comparing two handovers.
 *
 * Each handover is flattened into (path, value) items, sorted so that an
 * entry comes right before its fields (":name") and its children
 * ("/name"), then the two lists are merged.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct item {
	char *path;
	char *val;
	bool subtree;
};

struct items {
	struct item *v;
	size_t nr;
	size_t cap;
	int err;
};

static void add(struct items *l, bool subtree, const char *val,
		const char *fmt, ...) __printf(4, 5);

static void add(struct items *l, bool subtree, const char *val,
		const char *fmt, ...)
{
	struct kr_buf b = { 0 };
	struct item *it;
	va_list ap;

	if (l->err)
		return;
	va_start(ap, fmt);
	kr_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	l->v = kr_grow(l->v, &l->cap, l->nr + 1, sizeof(*l->v));
	if (!l->v || b.oom) {
		kr_buf_free(&b);
		l->err = -ENOMEM;
		return;
	}
	it = &l->v[l->nr];
	it->path = b.s;
	it->val = kr_strndup(val, strlen(val));
	it->subtree = subtree;
	if (!it->path || !it->val) {
		free(it->path);
		free(it->val);
		l->err = -ENOMEM;
		return;
	}
	l->nr++;
}

static int rank(unsigned char c)
{
	if (c == ':')
		return 1;
	if (c == '/')
		return 2;
	return c ? c + 3 : 0;
}

static int path_cmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return rank(*a) - rank(*b);
}

static int item_cmp(const void *a, const void *b)
{
	return path_cmp(((const struct item *)a)->path,
			((const struct item *)b)->path);
}

static uint64_t fnv1a(const uint8_t *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void flatten_entry(struct items *l, const struct khoreg_doc_entry *e)
{
	char val[256], *fv;
	size_t i, tlen;
	int n;

	snprintf(val, sizeof(val), "%s version %u", e->compatible, e->version);
	add(l, true, val, "/%s/%s", KHOREG_BLOB_NAME, e->path);
	if (e->owner)
		add(l, false, e->owner, "/%s/%s:@owner", KHOREG_BLOB_NAME,
		    e->path);
	for (i = 0; i < e->nr_annotations; i++) {
		const char *a = e->annotations[i];
		const char *eq = strchr(a, '=');

		add(l, false, eq + 1, "/%s/%s:@annotation.%.*s",
		    KHOREG_BLOB_NAME, e->path, (int)(eq - a), a);
	}
	for (i = 0; i < e->nr_fields; i++) {
		const struct khoreg_doc_field *f = &e->fields[i];

		n = khoreg_doc_field__format(f, NULL, 0);
		if (n < 0) {
			l->err = n;
			return;
		}
		tlen = strlen(f->type_str);
		fv = malloc(tlen + n + 2);
		if (!fv) {
			l->err = -ENOMEM;
			return;
		}
		memcpy(fv, f->type_str, tlen);
		fv[tlen] = ' ';
		khoreg_doc_field__format(f, fv + tlen + 1, n + 1);
		add(l, false, fv, "/%s/%s:%s", KHOREG_BLOB_NAME, e->path,
		    f->name);
		free(fv);
	}
	for (i = 0; i < e->nr_children; i++)
		flatten_entry(l, e->children[i]);
}

static int flatten(struct khoreg_handover *h, struct items *l)
{
	const struct khoreg_doc *r;
	struct khoreg_memmap_summary sum;
	char val[128];
	size_t i;
	int ret;

	if (h->root) {
		add(l, false, h->compatible ? h->compatible : "(none)",
		    "/compatible");
		if (h->has_memmap) {
			snprintf(val, sizeof(val), "0x%" PRIx64, h->memmap);
			add(l, false, val, "/preserved-memory-map");
		}
		if (!khoreg_handover__memmap_summary(h, &sum)) {
			snprintf(val, sizeof(val),
				 "%" PRIu64 " blocks, %" PRIu64 " pages, %" PRIu64 " extents",
				 sum.blocks, sum.pages, sum.extents);
			add(l, false, val, "/memory-map");
		}
	}
	for (i = 0; i < h->nr_scratch; i++) {
		snprintf(val, sizeof(val), "0x%" PRIx64 "+0x%" PRIx64,
			 (uint64_t)h->scratch[i].addr,
			 (uint64_t)h->scratch[i].size);
		add(l, false, val, "/scratch/%zu", i);
	}
	for (i = 0; i < h->nr_blobs; i++) {
		const struct khoreg_blob *b = &h->blobs[i];

		if (h->root) {
			snprintf(val, sizeof(val),
				 "addr=0x%" PRIx64 " size=%" PRIu64,
				 khoreg_blob__addr(b), khoreg_blob__size(b));
			add(l, true, val, "/blobs/%s", b->name);
		}
		if (b->data && strcmp(b->name, KHOREG_BLOB_NAME)) {
			snprintf(val, sizeof(val), "%zu bytes, fnv1a 0x%016" PRIx64,
				 b->data_len, fnv1a(b->data, b->data_len));
			add(l, false, val, "/blobs/%s:contents", b->name);
		}
	}
	ret = khoreg_handover__doc(h, &r);
	if (!ret) {
		add(l, true, KHOREG_COMPATIBLE, "/%s", KHOREG_BLOB_NAME);
		for (i = 0; i < r->nr_entries; i++)
			flatten_entry(l, r->entries[i]);
	} else if (ret == -ENOMEM) {
		return ret;
	}
	if (l->err)
		return l->err;
	if (l->nr > 1)
		qsort(l->v, l->nr, sizeof(*l->v), item_cmp);
	return 0;
}

static void free_items(struct items *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++) {
		free(l->v[i].path);
		free(l->v[i].val);
	}
	free(l->v);
}

/* Skip the items below @it (fields and children of an entry). */
static size_t skip_subtree(const struct items *l, size_t i)
{
	const char *p = l->v[i].path;
	size_t n = strlen(p);

	for (i++; i < l->nr; i++) {
		const char *q = l->v[i].path;

		if (strncmp(q, p, n) || (q[n] != ':' && q[n] != '/'))
			break;
	}
	return i;
}

KHOREG_API int khoreg_handover__diff(struct khoreg_handover *a,
				     struct khoreg_handover *b,
				     khoreg_diff_fn fn, void *ctx)
{
	struct items la = { 0 }, lb = { 0 };
	size_t i = 0, j = 0;
	int count = 0, ret;

	kr_clear_err();
	ret = flatten(a, &la);
	if (!ret)
		ret = flatten(b, &lb);
	if (ret) {
		kr_err(ret, "out of memory");
		goto out;
	}
	while (i < la.nr || j < lb.nr) {
		int c;

		if (i == la.nr)
			c = 1;
		else if (j == lb.nr)
			c = -1;
		else
			c = path_cmp(la.v[i].path, lb.v[j].path);
		if (c < 0) {
			if (fn)
				fn(KHOREG_DIFF_REMOVED, la.v[i].path,
				   la.v[i].val, NULL, ctx);
			i = la.v[i].subtree ? skip_subtree(&la, i) : i + 1;
			count++;
		} else if (c > 0) {
			if (fn)
				fn(KHOREG_DIFF_ADDED, lb.v[j].path, NULL,
				   lb.v[j].val, ctx);
			j = lb.v[j].subtree ? skip_subtree(&lb, j) : j + 1;
			count++;
		} else {
			if (strcmp(la.v[i].val, lb.v[j].val)) {
				if (fn)
					fn(KHOREG_DIFF_CHANGED, la.v[i].path,
					   la.v[i].val, lb.v[j].val, ctx);
				count++;
			}
			i++;
			j++;
		}
	}
	ret = count;
out:
	free_items(&la);
	free_items(&lb);
	return ret;
}
