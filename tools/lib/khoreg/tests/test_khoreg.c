// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libkhoreg unit tests. Prints KTAP and a "N passed, N failed" line;
 * exits non-zero when a test fails. Built with ASan and UBSan by
 * "make check". Malformed inputs are built with libfdt directly.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfdt.h>

#include <linux/kho/abi/trace.h>

#include "internal.h"

static int failures;
static const char *indent = "    ";

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("%s# %s:%d: CHECK(%s) failed\n", indent,	\
			       __FILE__, __LINE__, #cond);		\
			failures++;					\
		}							\
	} while (0)

#define CHECK_EQ(a, b)							\
	do {								\
		long long __a = (long long)(a), __b = (long long)(b);	\
		if (__a != __b) {					\
			printf("%s# %s:%d: %s == %lld, expected %lld\n",\
			       indent, __FILE__, __LINE__, #a, __a, __b);\
			failures++;					\
		}							\
	} while (0)

/* ------------------------------------------------------------------ */
/* helpers */

static const char basic_json[] =
"{ \"scratch\": [ { \"addr\": \"0x100000000\", \"size\": \"0x10000000\" } ],\n"
"  \"preserved\": [ { \"addr\": \"0x80000000\", \"size\": \"0x5000\" } ],\n"
"  \"blobs\": [ { \"name\": \"other\", \"text\": \"hello\" } ],\n"
"  \"registry\": { \"entries\": [\n"
"    { \"name\": \"dev0\", \"compatible\": \"acme,dev-v3\", \"version\": 3,\n"
"      \"owner\": \"acme\", \"annotations\": { \"who\": \"bpf\" },\n"
"      \"fields\": [\n"
"        { \"name\": \"a8\", \"type\": \"u8\", \"value\": 200 },\n"
"        { \"name\": \"a16\", \"type\": \"u16\", \"value\": 65535 },\n"
"        { \"name\": \"a32\", \"type\": \"u32\", \"value\": \"0xdeadbeef\" },\n"
"        { \"name\": \"a64\", \"type\": \"u64\", \"value\": \"0x123456789abcdef0\" },\n"
"        { \"name\": \"s\", \"type\": \"s64\", \"value\": -9223372036854775808 },\n"
"        { \"name\": \"on\", \"type\": \"bool\", \"value\": true },\n"
"        { \"name\": \"str\", \"type\": \"string\", \"value\": \"x\\u00e9y\" },\n"
"        { \"name\": \"raw\", \"type\": \"bytes\", \"value\": \"00ff\" },\n"
"        { \"name\": \"rg\", \"type\": \"range\", \"value\": { \"addr\": \"0x80000000\", \"size\": \"0x5000\" } },\n"
"        { \"name\": \"fo\", \"type\": \"folio\", \"value\": { \"addr\": \"0x90000000\", \"order\": 2 } },\n"
"        { \"name\": \"vm\", \"type\": \"vmalloc\", \"value\": { \"addr\": \"0x80000008\", \"pages\": 3, \"order\": 0 } },\n"
"        { \"name\": \"arr\", \"type\": \"u16\", \"value\": [1, 2, 65535] }\n"
"      ],\n"
"      \"children\": [ { \"name\": \"q0\", \"compatible\": \"acme,q-v1\", \"version\": 1,\n"
"                        \"fields\": [ { \"name\": \"n\", \"type\": \"u32\", \"value\": 5 } ] } ] }\n"
"  ] } }\n";

static struct khoreg_handover *author_open(const char *json,
					   enum khoreg_author_output what)
{
	struct khoreg_handover *h = NULL;
	size_t len;
	void *buf;
	int err;

	err = libkhoreg_author(json, strlen(json), what, &buf, &len);
	if (err) {
		printf("%s# author: %s\n", indent, libkhoreg_last_error());
		return NULL;
	}
	err = khoreg_handover__open_buffer(buf, len, &h);
	if (err)
		printf("%s# open: %s\n", indent, libkhoreg_last_error());
	free(buf);
	return h;
}

struct probs {
	int n;
	char text[8192];
};

static void collect(const char *path, const char *reason, void *ctx)
{
	struct probs *p = ctx;
	size_t l = strlen(p->text);

	p->n++;
	snprintf(p->text + l, sizeof(p->text) - l, "%s: %s\n", path, reason);
}

/* Validate and check that some problem mentions both @path and @word. */
static bool has_problem(struct khoreg_handover *h, const char *path,
			const char *word)
{
	struct probs p = { 0 };
	char *line;
	int n;

	n = khoreg_handover__validate(h, collect, &p);
	if (n <= 0) {
		printf("%s# expected a problem at %s, got %d\n", indent, path, n);
		return false;
	}
	for (line = strtok(p.text, "\n"); line; line = strtok(NULL, "\n"))
		if (strstr(line, path) && strstr(line, word))
			return true;
	printf("%s# no problem \"%s\" ... \"%s\" among:\n", indent, path, word);
	for (line = p.text; *line; line++)
		if (*line == '\n' || line == p.text)
			printf("%s#   %s", indent, line == p.text ? "" : "");
	printf("%s#   %s\n", indent, p.text);
	return false;
}

/* Build a registry FDT around one entry whose body is written by @fn. */
typedef void (*body_fn)(void *fdt);

static uint8_t fdtbuf[1 << 16];

static int registry_with(body_fn fn, uint32_t nr_entries, const char *compat)
{
	uint8_t be[4];

	kr_put_be(be, nr_entries, 4);
	fdt_create(fdtbuf, sizeof(fdtbuf));
	fdt_finish_reservemap(fdtbuf);
	fdt_begin_node(fdtbuf, "");
	fdt_property_string(fdtbuf, "compatible", compat);
	fdt_property(fdtbuf, KHOREG_PROP_NR_ENTRIES, be, 4);
	fn(fdtbuf);
	fdt_end_node(fdtbuf);
	return fdt_finish(fdtbuf);
}

static void entry_head(void *fdt, const char *name)
{
	uint8_t be[4];

	kr_put_be(be, 1, 4);
	fdt_begin_node(fdt, name);
	fdt_property_string(fdt, "compatible", "acme,x-v1");
	fdt_property(fdt, KHOREG_PROP_VERSION, be, 4);
}

static void prop_cell(void *fdt, const char *name, uint32_t v)
{
	uint8_t be[4];

	kr_put_be(be, v, 4);
	fdt_property(fdt, name, be, 4);
}

static struct khoreg_handover *open_registry(body_fn fn, uint32_t nr)
{
	struct khoreg_handover *h = NULL;

	if (registry_with(fn, nr, KHOREG_COMPATIBLE))
		return NULL;
	if (khoreg_handover__open_buffer(fdtbuf, fdt_totalsize(fdtbuf), &h))
		return NULL;
	return h;
}

/* One field with declaration @decl and raw value @val/@len. */
static const char *one_decl;
static const void *one_val;
static int one_len;

static void one_field(void *fdt)
{
	const char *colon = strchr(one_decl, ':');
	char name[64];

	snprintf(name, sizeof(name), "%.*s", (int)(colon - one_decl), one_decl);
	entry_head(fdt, "e");
	fdt_property(fdt, KHOREG_PROP_FIELDS, one_decl, strlen(one_decl) + 1);
	if (one_val)
		fdt_property(fdt, name, one_val, one_len);
	fdt_end_node(fdt);
}

static bool field_problem(const char *decl, const void *val, int len,
			  const char *word)
{
	struct khoreg_handover *h;
	const struct khoreg_doc *r;
	bool ok;

	one_decl = decl;
	one_val = val;
	one_len = len;
	h = open_registry(one_field, 1);
	if (!h)
		return false;
	ok = has_problem(h, "/khoreg/e", word);
	/* the bad field is left out; the entry itself still decodes */
	if (!khoreg_handover__doc(h, &r) && khoreg_doc__nr_entries(r) == 1)
		ok = ok && khoreg_doc_entry__nr_fields(khoreg_doc__entry(r, 0)) == 0;
	else
		ok = false;
	khoreg_handover__close(h);
	return ok;
}

/* A bundle from a root FDT plus raw memory regions. */
static struct khoreg_handover *bundle_of(const void *root,
					 const struct kho_scratch_entry *s,
					 size_t ns,
					 const struct khoreg_region *r,
					 size_t nr)
{
	struct khoreg_handover *h = NULL;
	size_t len;
	uint8_t *buf;

	if (kr_bundle_build(root, fdt_totalsize(root), s, ns, ns > 0, r, nr,
			    &buf, &len))
		return NULL;
	if (khoreg_handover__open_buffer(buf, len, &h))
		printf("%s# open: %s\n", indent, libkhoreg_last_error());
	free(buf);
	return h;
}

static uint8_t rootbuf[4096];

/* Root FDT with memory map at @mm (if non-zero) and no sub-blobs. */
static void *make_root(const char *compat, uint64_t mm)
{
	uint8_t le[8];

	fdt_create(rootbuf, sizeof(rootbuf));
	fdt_finish_reservemap(rootbuf);
	fdt_begin_node(rootbuf, "");
	fdt_property_string(rootbuf, "compatible", compat);
	if (mm) {
		kr_put_le64(le, mm);
		fdt_property(rootbuf, KHO_FDT_MEMORY_MAP_PROP_NAME, le, 8);
	}
	fdt_end_node(rootbuf);
	fdt_finish(rootbuf);
	return rootbuf;
}

/* Six tree pages at 0x10000..: a single chain ending in one leaf. */
static uint8_t tree[6][4096];

static void chain_tree(uint64_t key)
{
	unsigned int level;

	memset(tree, 0, sizeof(tree));
	for (level = 5; level > 0; level--) {
		unsigned int shift = KHO_BITMAP_SIZE_LOG2 +
				     (level - 1) * KHO_TABLE_SIZE_LOG2;
		unsigned int slot = (key >> shift) & 511;

		kr_put_le64(tree[5 - level] + slot * 8,
			    0x10000 + (6 - level) * 4096);
	}
	key &= (1 << KHO_BITMAP_SIZE_LOG2) - 1;
	tree[5][key / 8] |= 1 << (key % 8);
}

static struct khoreg_handover *tree_handover(void)
{
	struct khoreg_region r = { 0x10000, sizeof(tree), &tree[0][0] };
	struct kho_scratch_entry s = { 0x1000000, 0x100000 };

	return bundle_of(make_root(KHO_FDT_COMPATIBLE, 0x10000), &s, 1, &r, 1);
}

/* ------------------------------------------------------------------ */
/* tests: API */

static void test_radix_key(void)
{
	uint64_t phys;
	unsigned int order, o;

	for (order = 0; order <= 30; order++) {
		phys = 0x123456ULL << (12 + order);
		phys &= (1ULL << 52) - 1;
		phys &= ~((4096ULL << order) - 1);
		CHECK_EQ(kho_radix_decode_key(kho_radix_encode_key(phys, order),
					      &o), phys);
		CHECK_EQ(o, order);
	}
	CHECK_EQ(kho_radix_encode_key(0, 0), 1ULL << 52);
	CHECK_EQ(KHO_TREE_MAX_DEPTH, 6);
}

static void test_open_bundle(void)
{
	struct khoreg_handover *h = author_open(basic_json, KHOREG_AUTHOR_BUNDLE);
	const struct khoreg_blob *b;
	uint64_t a, s;
	size_t len;

	CHECK(h);
	if (!h)
		return;
	CHECK_EQ(khoreg_handover__kind(h), KHOREG_KIND_BUNDLE);
	CHECK(!strcmp(khoreg_handover__compatible(h), "kho-v4"));
	CHECK_EQ(khoreg_handover__memmap_addr(h, &a), 0);
	CHECK_EQ(khoreg_handover__nr_scratch(h), 1);
	CHECK_EQ(khoreg_handover__scratch(h, 0, &a, &s), 0);
	CHECK_EQ(a, 0x100000000ULL);
	CHECK_EQ(s, 0x10000000ULL);
	CHECK_EQ(khoreg_handover__scratch(h, 1, &a, &s), -ERANGE);
	CHECK_EQ(khoreg_handover__nr_blobs(h), 2);
	b = khoreg_handover__find_blob(h, "other");
	CHECK(b && khoreg_blob__size(b) == 5);
	CHECK(b && khoreg_blob__data(b, &len) && len == 5);
	CHECK(b && !memcmp(khoreg_blob__data(b, NULL), "hello", 5));
	CHECK(!khoreg_handover__find_blob(h, "nope"));
	CHECK(!khoreg_handover__blob(h, 2));
	CHECK(khoreg_handover__root_fdt(h, &len) && len > 0);
	CHECK_EQ(khoreg_handover__validate(h, NULL, NULL), 0);
	khoreg_handover__close(h);
}

static void test_registry_walk(void)
{
	struct khoreg_handover *h = author_open(basic_json, KHOREG_AUTHOR_BUNDLE);
	const struct khoreg_doc *r;
	const struct khoreg_doc_entry *e, *c;
	const struct khoreg_doc_field *f;
	uint64_t u, phys, size;
	unsigned int order;
	const char *s;
	int64_t i;

	CHECK(h);
	if (!h)
		return;
	CHECK_EQ(khoreg_handover__doc(h, &r), 0);
	CHECK_EQ(khoreg_doc__nr_entries(r), 1);
	e = khoreg_doc__entry(r, 0);
	CHECK(!strcmp(khoreg_doc_entry__name(e), "dev0"));
	CHECK(!strcmp(khoreg_doc_entry__path(e), "dev0"));
	CHECK(!strcmp(khoreg_doc_entry__compatible(e), "acme,dev-v3"));
	CHECK_EQ(khoreg_doc_entry__version(e), 3);
	CHECK(!strcmp(khoreg_doc_entry__owner(e), "acme"));
	CHECK_EQ(khoreg_doc_entry__nr_annotations(e), 1);
	CHECK(!strcmp(khoreg_doc_entry__annotation(e, 0), "who=bpf"));
	CHECK(!khoreg_doc_entry__annotation(e, 1));
	CHECK_EQ(khoreg_doc_entry__nr_fields(e), 12);
	f = khoreg_doc_entry__find_field(e, "a8");
	CHECK(f && !khoreg_doc_field__uint(f, 0, &u) && u == 200);
	f = khoreg_doc_entry__find_field(e, "a16");
	CHECK(f && !khoreg_doc_field__uint(f, 0, &u) && u == 65535);
	f = khoreg_doc_entry__find_field(e, "a32");
	CHECK(f && !khoreg_doc_field__uint(f, 0, &u) && u == 0xdeadbeef);
	f = khoreg_doc_entry__find_field(e, "a64");
	CHECK(f && !khoreg_doc_field__uint(f, 0, &u) && u == 0x123456789abcdef0ULL);
	CHECK(f && khoreg_doc_field__sint(f, 0, &i) == -EPROTO);
	CHECK(f && khoreg_doc_field__uint(f, 1, &u) == -ERANGE);
	f = khoreg_doc_entry__find_field(e, "s");
	CHECK(f && !khoreg_doc_field__sint(f, 0, &i) && i == INT64_MIN);
	CHECK(f && khoreg_doc_field__uint(f, 0, &u) == -EPROTO);
	f = khoreg_doc_entry__find_field(e, "on");
	CHECK(f && !khoreg_doc_field__uint(f, 0, &u) && u == 1);
	f = khoreg_doc_entry__find_field(e, "str");
	CHECK(f && !khoreg_doc_field__string(f, &s) && !strcmp(s, "x\xc3\xa9y"));
	CHECK(f && khoreg_doc_field__mem(f, &phys, &size, NULL) == -EPROTO);
	f = khoreg_doc_entry__find_field(e, "raw");
	CHECK(f && khoreg_doc_field__type(f) == KHOREG_TYPE_BYTES);
	CHECK(f && khoreg_doc_field__string(f, &s) == -EPROTO);
	f = khoreg_doc_entry__find_field(e, "rg");
	CHECK(f && !khoreg_doc_field__mem(f, &phys, &size, &order) &&
	      phys == 0x80000000 && size == 0x5000 && order == 0);
	f = khoreg_doc_entry__find_field(e, "fo");
	CHECK(f && !khoreg_doc_field__mem(f, &phys, &size, &order) &&
	      phys == 0x90000000 && size == 0x4000 && order == 2);
	f = khoreg_doc_entry__find_field(e, "vm");
	CHECK(f && !khoreg_doc_field__mem(f, &phys, &size, &order) &&
	      phys == 0x80000008 && size == 3 * 4096);
	f = khoreg_doc_entry__find_field(e, "arr");
	CHECK(f && khoreg_doc_field__count(f) == 3);
	CHECK(f && !strcmp(khoreg_doc_field__type_str(f), "u16[3]"));
	CHECK(f && !khoreg_doc_field__uint(f, 2, &u) && u == 65535);
	CHECK(f && khoreg_doc_field__uint(f, 3, &u) == -ERANGE);
	CHECK(!khoreg_doc_entry__find_field(e, "missing"));
	CHECK(!khoreg_doc_entry__field(e, 12));
	CHECK_EQ(khoreg_doc_entry__nr_children(e), 1);
	c = khoreg_doc_entry__child(e, 0);
	CHECK(c && !strcmp(khoreg_doc_entry__path(c), "dev0/q0"));
	CHECK(khoreg_doc__find(r, "dev0/q0") == c);
	CHECK(!khoreg_doc__find(r, "dev0/q1"));
	CHECK(!khoreg_doc_entry__child(e, 1));
	CHECK(!strcmp(khoreg_type__name(KHOREG_TYPE_VMALLOC), "vmalloc"));
	CHECK(!khoreg_type__name(99));
	khoreg_handover__close(h);
}

static void test_field_format(void)
{
	struct khoreg_handover *h = author_open(basic_json, KHOREG_AUTHOR_BUNDLE);
	const struct khoreg_doc *r;
	const struct khoreg_doc_entry *e;
	char buf[64];

	CHECK(h && !khoreg_handover__doc(h, &r));
	if (!h)
		return;
	e = khoreg_doc__entry(r, 0);
	khoreg_doc_field__format(khoreg_doc_entry__find_field(e, "arr"), buf, sizeof(buf));
	CHECK(!strcmp(buf, "[1, 2, 65535]"));
	khoreg_doc_field__format(khoreg_doc_entry__find_field(e, "s"), buf, sizeof(buf));
	CHECK(!strcmp(buf, "-9223372036854775808"));
	khoreg_doc_field__format(khoreg_doc_entry__find_field(e, "raw"), buf, sizeof(buf));
	CHECK(!strcmp(buf, "00ff"));
	khoreg_doc_field__format(khoreg_doc_entry__find_field(e, "on"), buf, sizeof(buf));
	CHECK(!strcmp(buf, "true"));
	khoreg_doc_field__format(khoreg_doc_entry__find_field(e, "rg"), buf, sizeof(buf));
	CHECK(!strcmp(buf, "phys=0x80000000 size=0x5000"));
	/* truncation reports the full length, like snprintf */
	CHECK_EQ(khoreg_doc_field__format(khoreg_doc_entry__find_field(e, "arr"), buf, 4), 13);
	CHECK(!strcmp(buf, "[1,"));
	khoreg_handover__close(h);
}

static void test_open_root_only(void)
{
	struct khoreg_handover *h = author_open(basic_json, KHOREG_AUTHOR_ROOT);
	const struct khoreg_doc *r;
	struct khoreg_memmap_summary sum;

	CHECK(h);
	if (!h)
		return;
	CHECK_EQ(khoreg_handover__kind(h), KHOREG_KIND_ROOT);
	CHECK_EQ(khoreg_handover__doc(h, &r), -ENODATA);
	CHECK_EQ(khoreg_handover__memmap_summary(h, &sum), -ENODATA);
	CHECK(!khoreg_blob__data(khoreg_handover__find_blob(h, "khoreg"), NULL));
	CHECK_EQ(khoreg_handover__nr_scratch(h), 0);
	CHECK_EQ(khoreg_handover__validate(h, NULL, NULL), 0);
	khoreg_handover__close(h);
}

static void test_open_registry_only(void)
{
	struct khoreg_handover *h = author_open(basic_json,
						KHOREG_AUTHOR_REGISTRY);
	const struct khoreg_doc *r;
	uint64_t a;

	CHECK(h);
	if (!h)
		return;
	CHECK_EQ(khoreg_handover__kind(h), KHOREG_KIND_REGISTRY);
	CHECK(!khoreg_handover__compatible(h));
	CHECK_EQ(khoreg_handover__memmap_addr(h, &a), -ENOENT);
	CHECK_EQ(khoreg_handover__doc(h, &r), 0);
	CHECK_EQ(khoreg_doc__nr_entries(r), 1);
	CHECK_EQ(khoreg_handover__validate(h, NULL, NULL), 0);
	khoreg_handover__close(h);
}

static int write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return -1;
	fwrite(buf, 1, len, f);
	return fclose(f);
}

static void test_open_sysfs(void)
{
	char dir[] = "/tmp/khoreg-test-XXXXXX", path[256];
	struct khoreg_handover *h = NULL, *b = NULL, *x;
	const struct khoreg_doc *r;
	void *root, *reg;
	size_t rlen, glen;

	CHECK(mkdtemp(dir));
	CHECK(!libkhoreg_author(basic_json, strlen(basic_json), KHOREG_AUTHOR_ROOT,
				&root, &rlen));
	CHECK(!libkhoreg_author(basic_json, strlen(basic_json),
				KHOREG_AUTHOR_REGISTRY, &reg, &glen));
	snprintf(path, sizeof(path), "%s/fdt", dir);
	CHECK(!write_file(path, root, rlen));
	snprintf(path, sizeof(path), "%s/blobs", dir);
	CHECK(!mkdir(path, 0755));
	snprintf(path, sizeof(path), "%s/blobs/khoreg", dir);
	CHECK(!write_file(path, reg, glen));
	CHECK_EQ(khoreg_handover__open_sysfs(dir, &h), 0);
	if (h) {
		CHECK_EQ(khoreg_handover__kind(h), KHOREG_KIND_SYSFS);
		CHECK_EQ(khoreg_handover__doc(h, &r), 0);
		CHECK_EQ(khoreg_handover__validate(h, NULL, NULL), 0);
		/* save as a bundle and read it back: nothing changes */
		snprintf(path, sizeof(path), "%s/saved.bundle", dir);
		CHECK_EQ(khoreg_handover__save_bundle(h, path), 0);
		CHECK_EQ(khoreg_handover__open_file(path, &b), 0);
		if (b)
			CHECK_EQ(khoreg_handover__diff(h, b, NULL, NULL), 0);
		unlink(path);
	}
	CHECK_EQ(khoreg_handover__open_file("/nonexistent/khoreg", &x), -ENOENT);
	CHECK(!x);
	CHECK(strstr(libkhoreg_last_error(), "/nonexistent/khoreg"));
	CHECK_EQ(khoreg_handover__open_sysfs("/nonexistent", &x), -ENOENT);
	khoreg_handover__close(h);
	khoreg_handover__close(b);
	snprintf(path, sizeof(path), "%s/blobs/khoreg", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/blobs", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/fdt", dir);
	unlink(path);
	rmdir(dir);
	free(root);
	free(reg);
}

/* A fake sysfs directory: fdt, memory_map records of tree[], scratch_array. */
struct fake_sysfs {
	char dir[32];
};

static void fake_file(struct fake_sysfs *d, const char *name, const void *buf,
		      size_t len)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", d->dir, name);
	if (buf)
		CHECK(!write_file(path, buf, len));
	else
		unlink(path);
}

/* memory_map records of tree pages @order[0..n), record i holding page order[i] */
static size_t map_records(uint8_t *out, const int *order, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t *rec = out + i * KHOREG_MAP_RECORD;

		kr_put_le64(rec, 0x10000 + order[i] * 4096);
		memcpy(rec + 8, tree[order[i]], 4096);
	}
	return n * KHOREG_MAP_RECORD;
}

static int open_fake(struct fake_sysfs *d, struct khoreg_handover **h)
{
	*h = NULL;
	return khoreg_handover__open_sysfs(d->dir, h);
}

static void test_sysfs_memory(void)
{
	static const int depth_first[] = { 0, 1, 2, 3, 4, 5 };
	static const int shuffled[] = { 5, 3, 0, 4, 1, 2, 3 };
	static uint8_t map[8 * KHOREG_MAP_RECORD];
	struct fake_sysfs d = { "/tmp/khoreg-sysfs-XXXXXX" };
	uint8_t scratch[16], *root;
	struct khoreg_memmap_summary sum;
	struct khoreg_handover *h;
	uint64_t a, s;
	size_t len;

	CHECK(mkdtemp(d.dir));
	root = make_root(KHO_FDT_COMPATIBLE, 0x10000);
	fake_file(&d, "fdt", root, fdt_totalsize(root));
	kr_put_le64(scratch, 0x1000000);
	kr_put_le64(scratch + 8, 0x100000);
	fake_file(&d, "scratch_array", scratch, 16);

	/* the map in depth-first order, as the kernel writes it */
	chain_tree(kho_radix_encode_key(0x200000, 3));
	len = map_records(map, depth_first, 6);
	fake_file(&d, "memory_map", map, len);
	CHECK_EQ(open_fake(&d, &h), 0);
	CHECK(h && khoreg_handover__nr_scratch(h) == 1 && !khoreg_handover__scratch(h, 0, &a, &s) &&
	      a == 0x1000000 && s == 0x100000);
	CHECK(h && !khoreg_handover__memmap_summary(h, &sum) && sum.blocks == 1 &&
	      sum.blocks_per_order[3] == 1 && sum.pages == 8 &&
	      sum.bytes == 0x8000 && sum.extents == 1 && sum.nodes == 6);
	CHECK(h && khoreg_handover__validate(h, NULL, NULL) == 0);
	khoreg_handover__close(h);

	/* any order, a node listed twice with the same contents */
	len = map_records(map, shuffled, 7);
	fake_file(&d, "memory_map", map, len);
	CHECK_EQ(open_fake(&d, &h), 0);
	CHECK(h && !khoreg_handover__memmap_summary(h, &sum) && sum.nodes == 6);
	khoreg_handover__close(h);

	/* the memory checks run: a block inside scratch */
	chain_tree(kho_radix_encode_key(0x1000000, 0));
	len = map_records(map, depth_first, 6);
	fake_file(&d, "memory_map", map, len);
	CHECK_EQ(open_fake(&d, &h), 0);
	CHECK(h && has_problem(h, "/memory-map/0x1000000", "scratch"));
	khoreg_handover__close(h);

	/* a node page missing: the map is unknown, not wrong */
	fake_file(&d, "memory_map", map, 5 * KHOREG_MAP_RECORD);
	CHECK_EQ(open_fake(&d, &h), 0);
	CHECK(h && khoreg_handover__memmap_summary(h, &sum) == -ENODATA);
	CHECK(h && khoreg_handover__validate(h, NULL, NULL) == 0);
	khoreg_handover__close(h);

	/* empty (finished) and absent (older kernel): no map, no error */
	fake_file(&d, "memory_map", map, 0);
	CHECK_EQ(open_fake(&d, &h), 0);
	CHECK(h && khoreg_handover__memmap_summary(h, &sum) == -ENODATA);
	CHECK(strstr(libkhoreg_last_error(), "memory_map holds no pages"));
	khoreg_handover__close(h);
	fake_file(&d, "memory_map", NULL, 0);
	fake_file(&d, "scratch_array", NULL, 0);
	CHECK_EQ(open_fake(&d, &h), 0);
	CHECK(h && khoreg_handover__nr_scratch(h) == 0);
	khoreg_handover__close(h);

	/* malformed: a torn record, a misaligned or wrapping address, */
	len = map_records(map, depth_first, 6);
	fake_file(&d, "memory_map", map, len - 1);
	CHECK_EQ(open_fake(&d, &h), -EBADMSG);
	CHECK(!h && strstr(libkhoreg_last_error(), "memory_map"));
	kr_put_le64(map + 2 * KHOREG_MAP_RECORD, 0x12010);
	fake_file(&d, "memory_map", map, len);
	CHECK_EQ(open_fake(&d, &h), -EBADMSG);
	CHECK(!h && strstr(libkhoreg_last_error(), "record 2"));
	kr_put_le64(map + 2 * KHOREG_MAP_RECORD, ~0ULL << 12);
	fake_file(&d, "memory_map", map, len);
	CHECK_EQ(open_fake(&d, &h), -EBADMSG);
	/* the same page twice with different contents */
	len = map_records(map, depth_first, 6);
	kr_put_le64(map + 5 * KHOREG_MAP_RECORD, 0x10000);
	fake_file(&d, "memory_map", map, len);
	CHECK_EQ(open_fake(&d, &h), -EBADMSG);
	CHECK(!h && strstr(libkhoreg_last_error(), "listed twice"));
	/* a torn scratch entry */
	fake_file(&d, "memory_map", NULL, 0);
	fake_file(&d, "scratch_array", scratch, 15);
	CHECK_EQ(open_fake(&d, &h), -EBADMSG);
	CHECK(!h && strstr(libkhoreg_last_error(), "scratch_array"));

	fake_file(&d, "scratch_array", NULL, 0);
	fake_file(&d, "fdt", NULL, 0);
	rmdir(d.dir);
}

struct blocks {
	int n;
	uint64_t phys[16];
	unsigned int order[16];
};

static int on_block(uint64_t phys, unsigned int order, void *ctx)
{
	struct blocks *b = ctx;

	if (b->n < 16) {
		b->phys[b->n] = phys;
		b->order[b->n] = order;
	}
	b->n++;
	return 0;
}

static int stop_block(uint64_t phys, unsigned int order, void *ctx)
{
	return 42;
}

static void test_memmap(void)
{
	static const char json[] =
		"{ \"alloc_base\": \"0x200000000\", \"preserved\": [\n"
		"{ \"addr\": \"0x1000\", \"size\": \"0x3000\" },\n"
		"{ \"addr\": \"0x40000000\", \"order\": 18 },\n"
		"{ \"addr\": \"0x7000\", \"order\": 0 } ] }";
	struct khoreg_handover *h = author_open(json, KHOREG_AUTHOR_BUNDLE);
	struct khoreg_memmap_summary sum;
	struct blocks b = { 0 };

	CHECK(h);
	if (!h)
		return;
	CHECK_EQ(khoreg_handover__memmap_walk(h, on_block, &b), 0);
	CHECK_EQ(b.n, 4);
	CHECK_EQ(khoreg_handover__memmap_walk(h, stop_block, NULL), 42);
	CHECK_EQ(khoreg_handover__memmap_summary(h, &sum), 0);
	CHECK_EQ(sum.blocks, 4);
	/* 0x1000 (order 0), 0x2000 (order 1), 0x7000 (order 0), 1 GiB block */
	CHECK_EQ(sum.blocks_per_order[0], 2);
	CHECK_EQ(sum.blocks_per_order[1], 1);
	CHECK_EQ(sum.blocks_per_order[18], 1);
	CHECK_EQ(sum.pages, 4 + (1 << 18));
	CHECK_EQ(sum.bytes, 0x4000 + 0x40000000ULL);
	CHECK_EQ(sum.extents, 3);
	CHECK(sum.nodes >= 6);
	CHECK_EQ(khoreg_handover__validate(h, NULL, NULL), 0);
	khoreg_handover__close(h);
}

static int diff_count[3];
static char diff_last[256];

static void on_diff(enum khoreg_diff_kind kind, const char *path,
		    const char *o, const char *n, void *ctx)
{
	diff_count[kind]++;
	snprintf(diff_last, sizeof(diff_last), "%s", path);
}

static void test_diff(void)
{
	static const char a_json[] =
		"{ \"registry\": { \"entries\": [\n"
		"{ \"name\": \"a\", \"compatible\": \"x,a-v1\", \"version\": 1,\n"
		"  \"fields\": [ { \"name\": \"v\", \"type\": \"u32\", \"value\": 1 } ] },\n"
		"{ \"name\": \"gone\", \"compatible\": \"x,g-v1\", \"version\": 1,\n"
		"  \"fields\": [ { \"name\": \"v\", \"type\": \"u32\", \"value\": 1 } ] } ] } }";
	static const char b_json[] =
		"{ \"registry\": { \"entries\": [\n"
		"{ \"name\": \"a\", \"compatible\": \"x,a-v1\", \"version\": 1,\n"
		"  \"fields\": [ { \"name\": \"v\", \"type\": \"u32\", \"value\": 2 } ] },\n"
		"{ \"name\": \"new\", \"compatible\": \"x,n-v1\", \"version\": 1,\n"
		"  \"fields\": [ { \"name\": \"w\", \"type\": \"u8\", \"value\": 1 } ] } ] } }";
	struct khoreg_handover *a = author_open(a_json, KHOREG_AUTHOR_REGISTRY);
	struct khoreg_handover *b = author_open(b_json, KHOREG_AUTHOR_REGISTRY);

	CHECK(a && b);
	if (!a || !b)
		goto out;
	CHECK_EQ(khoreg_handover__diff(a, a, NULL, NULL), 0);
	memset(diff_count, 0, sizeof(diff_count));
	CHECK_EQ(khoreg_handover__diff(a, b, on_diff, NULL), 3);
	CHECK_EQ(diff_count[KHOREG_DIFF_ADDED], 1);
	CHECK_EQ(diff_count[KHOREG_DIFF_REMOVED], 1);
	CHECK_EQ(diff_count[KHOREG_DIFF_CHANGED], 1);
out:
	khoreg_handover__close(a);
	khoreg_handover__close(b);
}

static void test_diff_bundle(void)
{
	struct khoreg_handover *a = author_open(basic_json, KHOREG_AUTHOR_BUNDLE);
	char *json = strdup(basic_json), *p;
	struct khoreg_handover *b;

	p = strstr(json, "\"value\": 200");
	memcpy(p, "\"value\": 201", 12);
	b = author_open(json, KHOREG_AUTHOR_BUNDLE);
	CHECK(a && b);
	if (a && b) {
		memset(diff_count, 0, sizeof(diff_count));
		CHECK_EQ(khoreg_handover__diff(a, b, on_diff, NULL), 1);
		CHECK(!strcmp(diff_last, "/khoreg/dev0:a8"));
	}
	khoreg_handover__close(a);
	khoreg_handover__close(b);
	free(json);
}

static bool author_fails(const char *json, const char *msg)
{
	size_t len;
	void *out;
	int err;

	err = libkhoreg_author(json, strlen(json), KHOREG_AUTHOR_BUNDLE, &out,
			       &len);
	if (!err) {
		free(out);
		printf("%s# author accepted: %s\n", indent, json);
		return false;
	}
	if (!strstr(libkhoreg_last_error(), msg)) {
		printf("%s# author said \"%s\", expected \"%s\"\n", indent,
		       libkhoreg_last_error(), msg);
		return false;
	}
	return err == -EINVAL;
}

static void test_author_errors(void)
{
	CHECK(author_fails("", "1:1: unexpected end"));
	CHECK(author_fails("{\n  \"scratch\": [ }", "2:16"));
	CHECK(author_fails("{ \"bogus\": 1 }", "unknown member \"bogus\""));
	CHECK(author_fails("[]", "expected an object"));
	CHECK(author_fails("{} x", "trailing"));
	CHECK(author_fails("{ \"registry\": { \"entries\": [ { \"name\": \"A\",\n"
			   " \"compatible\": \"x,y\", \"version\": 1 } ] } }",
			   "entry name"));
	CHECK(author_fails("{ \"registry\": { \"entries\": [ { \"name\": \"a\",\n"
			   " \"compatible\": \"x,y\", \"version\": 1, \"fields\":\n"
			   " [ { \"name\": \"f\", \"type\": \"u8\", \"value\": 256 } ] } ] } }",
			   "out of range"));
	CHECK(author_fails("{ \"registry\": { \"entries\": [ { \"name\": \"a\",\n"
			   " \"compatible\": \"x,y\", \"version\": 1, \"fields\":\n"
			   " [ { \"name\": \"f\", \"type\": \"u9\", \"value\": 1 } ] } ] } }",
			   "unknown field type"));
	CHECK(author_fails("{ \"registry\": { \"entries\": [ { \"name\": \"a\",\n"
			   " \"compatible\": \"x,y\", \"version\": 1, \"fields\":\n"
			   " [ { \"name\": \"f\", \"type\": \"string\", \"value\": [1] } ] } ] } }",
			   "arrays hold"));
	CHECK(author_fails("{ \"registry\": { \"entries\": [ { \"name\": \"a\",\n"
			   " \"version\": 1 } ] } }", "\"compatible\""));
	CHECK(author_fails("{ \"preserved\": [ { \"addr\": \"0x1001\", \"size\": 1 } ] }",
			   "page aligned"));
	CHECK(author_fails("{ \"blobs\": [ { \"name\": \"a\", \"text\": \"x\", \"addr\": 4096 },\n"
			   " { \"name\": \"b\", \"text\": \"y\", \"addr\": 4096 } ] }",
			   "overlap"));
	CHECK(author_fails("{ \"alloc_base\": \"-1\" }", "non-negative"));
	CHECK(author_fails("{ \"x\": \"\\ud800\" }", "surrogate"));
	CHECK(author_fails("{ \"x\": 01 }", "leading zero"));
	CHECK(author_fails("{ \"x\": \"a\\u0000\" }", "\\u0000"));
	CHECK(author_fails("{ \"x\": \"tab\there\" }", "control character"));
}

/* "trace_store" becomes the registry entry trace-store, after the others. */
static void test_author_trace_store(void)
{
	static const char json[] =
		"{ \"registry\": { \"entries\": [ { \"name\": \"a\", \"compatible\": \"x,a-v1\",\n"
		"    \"version\": 1, \"fields\": [] } ] },\n"
		"  \"trace_store\": { \"instance\": \"early\", \"device\": \"/flash@0\",\n"
		"    \"offset\": \"0x4100000\", \"size\": \"0x100000\" } }";
	struct khoreg_handover *h = author_open(json, KHOREG_AUTHOR_REGISTRY);
	const struct khoreg_doc_field *f;
	const struct khoreg_doc_entry *e;
	const struct khoreg_doc *r;
	const char *s;
	uint64_t u;

	CHECK(h);
	if (!h)
		return;
	CHECK_EQ(khoreg_handover__doc(h, &r), 0);
	CHECK_EQ(khoreg_doc__nr_entries(r), 2);
	e = khoreg_doc__find(r, "trace-store");
	CHECK(e && khoreg_doc__entry(r, 1) == e);
	CHECK(e && !strcmp(khoreg_doc_entry__compatible(e), "khoreg,trace-store-v1"));
	CHECK(e && khoreg_doc_entry__version(e) == 1);
	CHECK(e && !strcmp(khoreg_doc_entry__owner(e), "khoctl"));
	f = e ? khoreg_doc_entry__find_field(e, "instance") : NULL;
	CHECK(f && !khoreg_doc_field__string(f, &s) && !strcmp(s, "early"));
	f = e ? khoreg_doc_entry__find_field(e, "device") : NULL;
	CHECK(f && !khoreg_doc_field__string(f, &s) && !strcmp(s, "/flash@0"));
	f = e ? khoreg_doc_entry__find_field(e, "offset") : NULL;
	CHECK(f && !strcmp(khoreg_doc_field__type_str(f), "u64") &&
	      !khoreg_doc_field__uint(f, 0, &u) && u == 0x4100000);
	f = e ? khoreg_doc_entry__find_field(e, "size") : NULL;
	CHECK(f && !khoreg_doc_field__uint(f, 0, &u) && u == 0x100000);
	khoreg_handover__close(h);

	/* Without "registry", it makes one */
	h = author_open("{ \"trace_store\": { \"instance\": \"i\", \"device\": \"0.flash\",\n"
			"  \"offset\": 0, \"size\": 4096, \"owner\": \"u-boot\" } }",
			KHOREG_AUTHOR_BUNDLE);
	CHECK(h && !khoreg_handover__doc(h, &r) && khoreg_doc__nr_entries(r) == 1 &&
	      !strcmp(khoreg_doc_entry__owner(khoreg_doc__entry(r, 0)), "u-boot"));
	khoreg_handover__close(h);

	CHECK(author_fails("{ \"trace_store\": 1 }", "must be an object"));
	CHECK(author_fails("{ \"trace_store\": { \"instance\": \"i\", \"device\": \"d\",\n"
			   "  \"offset\": 0, \"size\": 4096, \"x\": 1 } }",
			   "unknown member \"x\""));
	CHECK(author_fails("{ \"trace_store\": { \"instance\": \"i\", \"device\": \"d\",\n"
			   "  \"size\": 4096 } }", "missing member"));
	CHECK(author_fails("{ \"trace_store\": { \"instance\": \"\", \"device\": \"d\",\n"
			   "  \"offset\": 0, \"size\": 4096 } }", "printable"));
	CHECK(author_fails("{ \"trace_store\": { \"instance\": \"i\", \"device\": \"a\\\"b\",\n"
			   "  \"offset\": 0, \"size\": 4096 } }", "printable"));
	CHECK(author_fails("{ \"trace_store\": { \"instance\": \"i\", \"device\": \"d\",\n"
			   "  \"offset\": 0, \"size\": 40 } }", "larger than the store's header"));
	CHECK(author_fails("{ \"trace_store\": { \"instance\": \"i\", \"device\": \"d\",\n"
			   "  \"offset\": \"0xffffffffffffff00\", \"size\": 4096 } }", "wraps"));
}

static void test_json(void)
{
	struct kr_json *j;
	char deep[200];

	static const char text[] =
		"{\"a\": [1, -2, 3.5, 18446744073709551615,\n"
		"18446744073709551616, \"\\ud83d\\ude00\", null, false]}";

	CHECK_EQ(kr_json_parse(text, strlen(text), &j), 0);
	if (j) {
		const struct kr_json *a = kr_json_get(j, "a"), *e = a->child;

		CHECK_EQ(a->n, 8);
		CHECK(e->is_int && e->u == 1);
		e = e->next;
		CHECK(e->is_int && e->neg && e->u == 2);
		e = e->next;
		CHECK(!e->is_int);
		e = e->next;
		CHECK(e->is_int && e->u == UINT64_MAX);
		e = e->next;
		CHECK(!e->is_int);
		e = e->next;
		CHECK(e->kind == KR_JSON_STRING && !strcmp(e->s, "\xf0\x9f\x98\x80"));
		CHECK(e->next->kind == KR_JSON_NULL);
		CHECK(e->next->next->kind == KR_JSON_BOOL);
		CHECK(!kr_json_get(j, "b"));
		kr_json_free(j);
	}
	memset(deep, '[', sizeof(deep));
	CHECK_EQ(kr_json_parse(deep, sizeof(deep), &j), -EINVAL);
	CHECK(strstr(libkhoreg_last_error(), "nested too deeply"));
	CHECK(!j);
}

/* ------------------------------------------------------------------ */
/* tests: malformed inputs */

static void test_bad_buffers(void)
{
	struct khoreg_handover *h = NULL;
	uint8_t junk[64] = { 0xd0, 0x0d, 0xfe, 0xed };
	void *buf;
	size_t len, cut;
	int bad = 0;

	CHECK_EQ(khoreg_handover__open_buffer(NULL, 0, &h), -EBADMSG);
	CHECK_EQ(khoreg_handover__open_buffer(junk, sizeof(junk), &h), -EBADMSG);
	CHECK(strstr(libkhoreg_last_error(), "not a valid FDT"));
	CHECK_EQ(khoreg_handover__open_buffer(junk, (size_t)KHOREG_INPUT_MAX + 1, &h),
		 -EFBIG);
	CHECK_EQ(khoreg_handover__open_buffer(NULL, 1, &h), -EINVAL);
	/* every truncation of a real bundle is refused, never over-read */
	CHECK(!libkhoreg_author(basic_json, strlen(basic_json),
				KHOREG_AUTHOR_BUNDLE, &buf, &len));
	for (cut = 0; cut < len; cut += 1 + cut / 16) {
		if (khoreg_handover__open_buffer(buf, cut, &h) == -EBADMSG)
			bad++;
		khoreg_handover__close(h);
		h = NULL;
	}
	CHECK(bad > 0);
	CHECK_EQ(khoreg_handover__open_buffer(buf, len, &h), 0);
	khoreg_handover__close(h);
	/* a header claiming more than the buffer holds */
	((uint8_t *)buf)[4] = 0x7f;
	CHECK_EQ(khoreg_handover__open_buffer(buf, len, &h), -EBADMSG);
	free(buf);
}

static void test_bad_bundle(void)
{
	static uint8_t page[4096];
	struct khoreg_region r[2] = {
		{ 0x1000, 4096, page }, { 0x1800, 4096, page },
	};
	struct khoreg_handover *h = NULL;
	uint8_t *buf;
	size_t len;
	int node;

	/* overlapping regions (built by hand: the builder would drop them) */
	make_root("kho-v4", 0);
	CHECK(!kr_bundle_build(rootbuf, fdt_totalsize(rootbuf), NULL, 0, false, r, 1,
			       &buf, &len));
	fdt_open_into(buf, fdtbuf, sizeof(fdtbuf));
	free(buf);
	node = fdt_add_subnode(fdtbuf, fdt_path_offset(fdtbuf, "/memory"),
			       "region@1800");
	fdt_setprop_u64(fdtbuf, node, "phys", 0x1800);
	fdt_setprop(fdtbuf, node, "data", page, 16);
	CHECK_EQ(khoreg_handover__open_buffer(fdtbuf, fdt_totalsize(fdtbuf), &h), -EBADMSG);
	CHECK(strstr(libkhoreg_last_error(), "overlap"));
	/* a region without a usable phys */
	fdt_setprop_u32(fdtbuf, node, "phys", 0x1800);
	CHECK_EQ(khoreg_handover__open_buffer(fdtbuf, fdt_totalsize(fdtbuf), &h), -EBADMSG);
	CHECK(strstr(libkhoreg_last_error(), "phys"));
	/* scratch of a wrong length */
	fdt_delprop(fdtbuf, node, "phys");
	fdt_setprop_u64(fdtbuf, node, "phys", 0x9000);
	fdt_setprop(fdtbuf, 0, "scratch", page, 24);
	CHECK_EQ(khoreg_handover__open_buffer(fdtbuf, fdt_totalsize(fdtbuf), &h), -EBADMSG);
	CHECK(strstr(libkhoreg_last_error(), "scratch"));
	/* handover that is not an FDT */
	fdt_setprop(fdtbuf, 0, "scratch", page, 16);
	fdt_setprop(fdtbuf, 0, "handover", page, 64);
	CHECK_EQ(khoreg_handover__open_buffer(fdtbuf, fdt_totalsize(fdtbuf), &h), -EBADMSG);
	fdt_delprop(fdtbuf, 0, "handover");
	CHECK_EQ(khoreg_handover__open_buffer(fdtbuf, fdt_totalsize(fdtbuf), &h), -EBADMSG);
	CHECK(!h);
}

static void test_bad_root(void)
{
	struct khoreg_handover *h;
	uint8_t le[8];
	int node;

	CHECK(!khoreg_handover__open_buffer(make_root("kho-v3", 0), 4096, &h));
	CHECK(h && has_problem(h, "/", "expected \"kho-v4\""));
	CHECK(h && has_problem(h, "/preserved-memory-map", "missing"));
	khoreg_handover__close(h);

	fdt_open_into(make_root("kho-v4", 0x1234), fdtbuf, sizeof(fdtbuf));
	fdt_setprop_u32(fdtbuf, 0, "surprise", 1);
	node = fdt_add_subnode(fdtbuf, 0, "a");
	kr_put_le64(le, 0x5000);
	fdt_setprop(fdtbuf, node, KHO_SUB_TREE_PROP_NAME, le, 8);
	fdt_setprop_u32(fdtbuf, node, KHO_SUB_TREE_SIZE_PROP_NAME, 4);
	node = fdt_add_subnode(fdtbuf, 0, "b");
	fdt_setprop(fdtbuf, node, KHO_SUB_TREE_PROP_NAME, le, 8);
	kr_put_le64(le, 0x2000);
	fdt_setprop(fdtbuf, node, KHO_SUB_TREE_SIZE_PROP_NAME, le, 8);
	fdt_add_subnode(fdtbuf, node, "child");
	node = fdt_add_subnode(fdtbuf, 0, "c");
	kr_put_le64(le, 0x6000);
	fdt_setprop(fdtbuf, node, KHO_SUB_TREE_PROP_NAME, le, 8);
	kr_put_le64(le, 0x1000);
	fdt_setprop(fdtbuf, node, KHO_SUB_TREE_SIZE_PROP_NAME, le, 8);
	fdt_pack(fdtbuf);
	CHECK(!khoreg_handover__open_buffer(fdtbuf, fdt_totalsize(fdtbuf), &h));
	CHECK(h && has_problem(h, "/preserved-memory-map", "page-aligned"));
	CHECK(h && has_problem(h, "/", "unknown root property"));
	CHECK(h && has_problem(h, "/a", "blob-size"));
	CHECK(h && has_problem(h, "/b", "child nodes"));
	CHECK(h && has_problem(h, "/c", "overlaps /b"));
	khoreg_handover__close(h);
}

static void test_bad_scratch(void)
{
	struct kho_scratch_entry s[3] = {
		{ 0x1000, 0x2000 }, { 0x2000, 0x1000 }, { 0x3001, 0x1000 },
	};
	struct khoreg_handover *h = bundle_of(make_root("kho-v4", 0), s, 3,
					      NULL, 0);

	CHECK(h && has_problem(h, "/scratch/1", "overlaps /scratch/0"));
	CHECK(h && has_problem(h, "/scratch/2", "page aligned"));
	khoreg_handover__close(h);
}

static void test_bad_memmap(void)
{
	struct khoreg_handover *h;
	struct blocks b = { 0 };

	/* a good chain first */
	chain_tree(kho_radix_encode_key(0x200000, 0));
	h = tree_handover();
	CHECK(h && !khoreg_handover__memmap_walk(h, on_block, &b) && b.n == 1 &&
	      b.phys[0] == 0x200000 && b.order[0] == 0);
	CHECK(h && !khoreg_handover__validate(h, NULL, NULL));
	khoreg_handover__close(h);

	/* key 0: a bit with no order bit */
	chain_tree(0);
	h = tree_handover();
	CHECK(h && has_problem(h, "/memory-map/0x15000", "encodes no order"));
	CHECK(h && khoreg_handover__memmap_walk(h, on_block, &b) == -EBADMSG);
	khoreg_handover__close(h);

	/* a block inside scratch (scratch is 0x1000000 + 1 MiB) */
	chain_tree(kho_radix_encode_key(0x1000000, 0));
	h = tree_handover();
	CHECK(h && has_problem(h, "/memory-map/0x1000000", "scratch"));
	khoreg_handover__close(h);

	/* a shared node: the level-4 table points twice at the same node */
	chain_tree(kho_radix_encode_key(0x200000, 0));
	kr_put_le64(tree[1] + 8 * 7, 0x12000);
	h = tree_handover();
	CHECK(h && has_problem(h, "/memory-map/0x12000", "more than once"));
	khoreg_handover__close(h);

	/* a misaligned child pointer */
	chain_tree(kho_radix_encode_key(0x200000, 0));
	kr_put_le64(tree[1] + 8 * 9, 0x12008);
	h = tree_handover();
	CHECK(h && has_problem(h, "/memory-map/0x12008", "not page aligned"));
	khoreg_handover__close(h);

	/* a top-level slot beyond the 53-bit key width */
	chain_tree(kho_radix_encode_key(0x200000, 0));
	kr_put_le64(tree[0] + 8 * 100, 0x11000);
	h = tree_handover();
	CHECK(h && has_problem(h, "/memory-map/0x10000", "beyond the key width"));
	khoreg_handover__close(h);

	/* tree pages missing from the bundle: not a problem, just unknown */
	h = bundle_of(make_root("kho-v4", 0x10000), NULL, 0, NULL, 0);
	CHECK(h && khoreg_handover__memmap_walk(h, on_block, &b) == -ENODATA);
	CHECK(h && khoreg_handover__validate(h, NULL, NULL) == 0);
	khoreg_handover__close(h);
}

static void test_overlapping_blocks(void)
{
	static const char json[] =
		"{ \"preserved\": [ { \"addr\": \"0x200000\", \"order\": 1 },\n"
		" { \"addr\": \"0x201000\", \"order\": 0 } ] }";
	struct khoreg_handover *h = author_open(json, KHOREG_AUTHOR_BUNDLE);

	CHECK(h && has_problem(h, "/memory-map/0x201000", "overlaps block"));
	khoreg_handover__close(h);
}

static void test_memory_fields(void)
{
	static const char json[] =
		"{ \"scratch\": [ { \"addr\": \"0x100000\", \"size\": \"0x100000\" } ],\n"
		"  \"registry\": { \"entries\": [ { \"name\": \"e\", \"compatible\": \"x,y-v1\",\n"
		"  \"version\": 1, \"fields\": [\n"
		"  { \"name\": \"a\", \"type\": \"range\",\n"
		"    \"value\": { \"addr\": \"0x100000\", \"size\": \"0x1000\" } },\n"
		"  { \"name\": \"b\", \"type\": \"range\",\n"
		"    \"value\": { \"addr\": \"0x400000\", \"size\": \"0x2000\" } },\n"
		"  { \"name\": \"c\", \"type\": \"range\",\n"
		"    \"value\": { \"addr\": \"0x401000\", \"size\": \"0x1000\" } } ] } ] } }";
	struct khoreg_handover *h = author_open(json, KHOREG_AUTHOR_BUNDLE);

	CHECK(h && has_problem(h, "/khoreg/e/a", "scratch"));
	CHECK(h && has_problem(h, "/khoreg/e/c", "overlaps /khoreg/e/b"));
	khoreg_handover__close(h);
	/* the same ranges without a memory map: not preserved */
	h = author_open("{ \"memory_map\": false, \"registry\": { \"entries\": [\n"
			"{ \"name\": \"e\", \"compatible\": \"x,y-v1\", \"version\": 1,\n"
			" \"fields\": [ { \"name\": \"a\", \"type\": \"u8\", \"value\": 1 } ] } ] } }",
			KHOREG_AUTHOR_BUNDLE);
	CHECK(h && has_problem(h, "/preserved-memory-map", "missing"));
	khoreg_handover__close(h);
}

static void test_blob_not_preserved(void)
{
	struct khoreg_handover *h;
	uint8_t le[8];
	int node;

	chain_tree(kho_radix_encode_key(0x200000, 0));
	fdt_open_into(make_root("kho-v4", 0x10000), fdtbuf, sizeof(fdtbuf));
	node = fdt_add_subnode(fdtbuf, 0, "blob");
	kr_put_le64(le, 0x300000);
	fdt_setprop(fdtbuf, node, KHO_SUB_TREE_PROP_NAME, le, 8);
	kr_put_le64(le, 100);
	fdt_setprop(fdtbuf, node, KHO_SUB_TREE_SIZE_PROP_NAME, le, 8);
	fdt_pack(fdtbuf);
	{
		struct khoreg_region r = { 0x10000, sizeof(tree), &tree[0][0] };

		h = bundle_of(fdtbuf, NULL, 0, &r, 1);
	}
	CHECK(h && has_problem(h, "/blob", "not inside preserved memory"));
	khoreg_handover__close(h);
}

/* malformed registries */

static void body_two_same(void *fdt)
{
	entry_head(fdt, "dup");
	fdt_property(fdt, KHOREG_PROP_FIELDS, "", 0);
	fdt_end_node(fdt);
	entry_head(fdt, "dup");
	fdt_property(fdt, KHOREG_PROP_FIELDS, "", 0);
	fdt_end_node(fdt);
}

static void body_bad_name(void *fdt)
{
	entry_head(fdt, "Bad");
	fdt_property(fdt, KHOREG_PROP_FIELDS, "", 0);
	fdt_end_node(fdt);
}

static void body_no_compat(void *fdt)
{
	fdt_begin_node(fdt, "nc");
	prop_cell(fdt, KHOREG_PROP_VERSION, 1);
	fdt_property(fdt, KHOREG_PROP_FIELDS, "", 0);
	fdt_end_node(fdt);
}

static void body_bad_compat(void *fdt)
{
	fdt_begin_node(fdt, "bc");
	fdt_property(fdt, "compatible", "a,b\0c,d", 8);
	prop_cell(fdt, KHOREG_PROP_VERSION, 1);
	fdt_property(fdt, KHOREG_PROP_FIELDS, "", 0);
	fdt_end_node(fdt);
}

static void body_no_version(void *fdt)
{
	fdt_begin_node(fdt, "nv");
	fdt_property_string(fdt, "compatible", "a,b-v1");
	fdt_property(fdt, KHOREG_PROP_VERSION, "ab", 2);
	fdt_property(fdt, KHOREG_PROP_FIELDS, "", 0);
	fdt_end_node(fdt);
}

static void body_no_fields(void *fdt)
{
	entry_head(fdt, "nf");
	fdt_end_node(fdt);
}

static void body_fields_not_list(void *fdt)
{
	entry_head(fdt, "fl");
	fdt_property(fdt, KHOREG_PROP_FIELDS, "a:u8", 4);
	fdt_end_node(fdt);
}

static void body_undeclared(void *fdt)
{
	entry_head(fdt, "ud");
	fdt_property(fdt, KHOREG_PROP_FIELDS, "", 0);
	prop_cell(fdt, "stray", 1);
	fdt_end_node(fdt);
}

static void body_dup_field(void *fdt)
{
	static const char decl[] = "a:u32\0a:u32";

	entry_head(fdt, "df");
	fdt_property(fdt, KHOREG_PROP_FIELDS, decl, sizeof(decl));
	prop_cell(fdt, "a", 1);
	fdt_end_node(fdt);
}

static void body_deep(void *fdt)
{
	int i;

	for (i = 0; i < KHOREG_MAX_DEPTH + 1; i++) {
		entry_head(fdt, "d");
		fdt_property(fdt, KHOREG_PROP_FIELDS, "", 0);
	}
	for (i = 0; i < KHOREG_MAX_DEPTH + 1; i++)
		fdt_end_node(fdt);
}

static void body_bad_ann(void *fdt)
{
	static const char ann[] = "ok=1\0noequals\0BAD=2";

	entry_head(fdt, "an");
	fdt_property(fdt, KHOREG_PROP_FIELDS, "", 0);
	fdt_property(fdt, KHOREG_PROP_ANNOTATIONS, ann, sizeof(ann));
	fdt_end_node(fdt);
}

static void body_bad_owner(void *fdt)
{
	entry_head(fdt, "ow");
	fdt_property(fdt, KHOREG_PROP_FIELDS, "", 0);
	fdt_property(fdt, KHOREG_PROP_OWNER, "x y", 4);
	fdt_end_node(fdt);
}

static void body_good_and_bad(void *fdt)
{
	entry_head(fdt, "good");
	fdt_property(fdt, KHOREG_PROP_FIELDS, "v:u32", 6);
	prop_cell(fdt, "v", 7);
	fdt_end_node(fdt);
	body_no_fields(fdt);
}

static bool registry_problem(body_fn fn, uint32_t nr, const char *path,
			     const char *word)
{
	struct khoreg_handover *h = open_registry(fn, nr);
	bool ok;

	if (!h)
		return false;
	ok = has_problem(h, path, word);
	khoreg_handover__close(h);
	return ok;
}

static void test_bad_registry_entries(void)
{
	struct khoreg_handover *h;
	const struct khoreg_doc *r;

	CHECK(registry_problem(body_two_same, 2, "/khoreg/dup", "used twice"));
	CHECK(registry_problem(body_bad_name, 1, "/khoreg/Bad", "entry name"));
	CHECK(registry_problem(body_no_compat, 1, "/khoreg/nc", "compatible"));
	CHECK(registry_problem(body_bad_compat, 1, "/khoreg/bc", "compatible"));
	CHECK(registry_problem(body_no_version, 1, "/khoreg/nv", "khoreg,version"));
	CHECK(registry_problem(body_no_fields, 1, "/khoreg/nf", "missing khoreg,fields"));
	CHECK(registry_problem(body_fields_not_list, 1, "/khoreg/fl", "not a string list"));
	CHECK(registry_problem(body_undeclared, 1, "/khoreg/ud", "\"stray\" is not declared"));
	CHECK(registry_problem(body_dup_field, 1, "/khoreg/df/a", "declared twice"));
	CHECK(registry_problem(body_deep, KHOREG_MAX_DEPTH + 1, "/khoreg/d/d/d",
			       "deeper than"));
	CHECK(registry_problem(body_bad_ann, 1, "/khoreg/an", "bad annotation \"noequals\""));
	CHECK(registry_problem(body_bad_ann, 1, "/khoreg/an", "bad annotation \"BAD=2\""));
	CHECK(registry_problem(body_bad_owner, 1, "/khoreg/ow", "khoreg,owner"));
	CHECK(registry_problem(body_bad_owner, 5, "/khoreg", "says 5 but the blob has 1"));
	/* good entries survive next to bad ones */
	h = open_registry(body_good_and_bad, 2);
	CHECK(h && !khoreg_handover__doc(h, &r) && khoreg_doc__nr_entries(r) == 1);
	CHECK(h && khoreg_doc__find(r, "good"));
	khoreg_handover__close(h);
	/* wrong registry compatible: the whole blob is refused */
	CHECK(!registry_with(body_bad_name, 1, "khoreg-registry-v9"));
	CHECK(!khoreg_handover__open_buffer(fdtbuf, fdt_totalsize(fdtbuf), &h));
	CHECK(h && khoreg_handover__doc(h, &r) == -ENOENT);
	CHECK(h && has_problem(h, "/", "expected \"kho-v4\""));
	khoreg_handover__close(h);
}

static void test_bad_registry_fields(void)
{
	static const uint8_t z16[16], range_odd[16] = { [7] = 1, [15] = 0x10 };
	static const uint8_t range_wrap[16] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xf0, 0x00,
		0, 0, 0, 0, 0, 0, 0x10, 0x00,
	};
	static const uint8_t folio_mis[12] = { [6] = 0x10, [11] = 1 };
	static const uint8_t folio_big[12] = { [11] = 31 };
	static const uint8_t vm_zero[16] = { [7] = 8 };
	static const uint8_t vm_odd[16] = { [7] = 9, [11] = 1 };
	static const uint8_t two[4] = { 0, 0, 0, 2 };

	CHECK(field_problem("a:u32", "abc", 3, "must be 4"));
	CHECK(field_problem("a:u8", "ab", 2, "must be 1"));
	CHECK(field_problem("a:u16", "a", 1, "must be 2"));
	CHECK(field_problem("a:u64", "abcd", 4, "must be 8"));
	CHECK(field_problem("a:s64", "abcdefghi", 9, "must be 8"));
	CHECK(field_problem("a:bool", two, 4, "0 or 1"));
	CHECK(field_problem("a:bool", "a", 1, "must be 4"));
	CHECK(field_problem("a:string", "abc", 3, "NUL terminated"));
	CHECK(field_problem("a:string", "a\0b", 4, "NUL terminated"));
	CHECK(field_problem("a:string", "", 0, "NUL terminated"));
	CHECK(field_problem("a:string", "a\x01", 3, "control"));
	CHECK(field_problem("a:range", z16, 16, "non-empty"));
	CHECK(field_problem("a:range", range_odd, 16, "page aligned"));
	CHECK(field_problem("a:range", range_wrap, 16, "wraps"));
	CHECK(field_problem("a:range", z16, 12, "must be 16"));
	CHECK(field_problem("a:folio", folio_mis, 12, "not aligned"));
	CHECK(field_problem("a:folio", folio_big, 12, "order above"));
	CHECK(field_problem("a:vmalloc", vm_zero, 16, "no pages"));
	CHECK(field_problem("a:vmalloc", vm_odd, 16, "8-byte aligned"));
	CHECK(field_problem("a:u32[2]", "abcd", 4, "must be 8"));
	CHECK(field_problem("a:u128", "abcd", 4, "bad field declaration"));
	CHECK(field_problem("a:string[2]", "a\0b", 4, "bad field declaration"));
	CHECK(field_problem("a:u32[0]", "", 0, "bad field declaration"));
	CHECK(field_problem("a:u32[01]", "abcd", 4, "bad field declaration"));
	CHECK(field_problem("a:u32[4097]", "abcd", 4, "bad field declaration"));
	CHECK(field_problem("a:u32[2", "abcdefgh", 8, "bad field declaration"));
	CHECK(field_problem("A:u32", "abcd", 4, "bad field declaration"));
	CHECK(field_problem("a:u32", NULL, 0, "has no property"));
	CHECK(field_problem("a", NULL, 0, "bad field declaration"));
}

static void test_bad_registry_blob(void)
{
	struct khoreg_handover *h;
	struct probs p = { 0 };
	void *root;
	size_t len;

	/* the registry sub-blob in a bundle is garbage */
	static const char json[] =
		"{ \"blobs\": [ { \"name\": \"khoreg\", \"text\": \"junk\" } ] }";

	CHECK(!libkhoreg_author(json, strlen(json), KHOREG_AUTHOR_BUNDLE, &root,
				&len));
	CHECK(!khoreg_handover__open_buffer(root, len, &h));
	free(root);
	CHECK(h && khoreg_handover__validate(h, collect, &p) >= 1);
	CHECK(strstr(p.text, "/khoreg: not a valid FDT"));
	khoreg_handover__close(h);
}

/* A raw "kernel image": junk, then the khoreg note at offset 4096 + @shift */
static int write_image_claim(const char *path, const char *desc, size_t dlen,
			     uint32_t claim, size_t shift)
{
	uint8_t img[8192] = { 0 };
	uint8_t *n = img + 4096 + shift;
	uint32_t hdr[3] = { 7, claim, KHOREG_NOTE_TYPE_ABI };

	memset(img, 0xa5, 4096);
	memcpy(n, hdr, sizeof(hdr));
	memcpy(n + 12, "khoreg\0", 8);
	memcpy(n + 20, desc, dlen);
	return write_file(path, img, sizeof(img));
}

static int write_image(const char *path, const char *desc, size_t dlen,
		       size_t shift)
{
	return write_image_claim(path, desc, dlen, dlen, shift);
}

static void test_preflight(void)
{
	static const char both[] = "kho-v4\0khoreg-registry-v1\0\0";
	static const char v5[] = "kho-v5\0khoreg-registry-v1\0\0";
	static const char old[] = "kho-v4\0\0";
	struct khoreg_handover *h = author_open(basic_json, KHOREG_AUTHOR_BUNDLE);
	struct khoreg_handover *plain = author_open("{}", KHOREG_AUTHOR_BUNDLE);
	char path[] = "/tmp/khoreg-image-XXXXXX";
	struct probs p = { 0 };
	int fd = mkstemp(path);

	CHECK(fd >= 0 && h && plain);
	if (fd < 0 || !h || !plain)
		goto out;
	close(fd);
	CHECK(!write_image(path, both, sizeof(both) - 1, 0));
	CHECK_EQ(khoreg_handover__preflight(h, path, NULL, NULL), 0);
	CHECK(!write_image(path, v5, sizeof(v5) - 1, 0));
	CHECK_EQ(khoreg_handover__preflight(h, path, collect, &p), 1);
	CHECK(strstr(p.text, "accepts kho-v5, khoreg-registry-v1, not \"kho-v4\""));
	CHECK(!write_image(path, old, sizeof(old) - 1, 0));
	CHECK_EQ(khoreg_handover__preflight(h, path, NULL, NULL), 1);
	CHECK_EQ(khoreg_handover__preflight(plain, path, NULL, NULL), 0);
	/* a note that is not 4-byte aligned in the file is not a note */
	CHECK(!write_image(path, both, sizeof(both) - 1, 2));
	CHECK_EQ(khoreg_handover__preflight(h, path, NULL, NULL), 1);
	/* a desc that claims more bytes than the file has */
	CHECK(!write_image_claim(path, both, sizeof(both) - 1, 4096, 0));
	CHECK_EQ(khoreg_handover__preflight(h, path, NULL, NULL), 1);
	unlink(path);
	CHECK_EQ(khoreg_handover__preflight(h, path, NULL, NULL), -ENOENT);
out:
	khoreg_handover__close(h);
	khoreg_handover__close(plain);
}

/* ------------------------------------------------------------------ */
/* the ftrace sub-blob: a typed trace setup */

static const char trace_json[] =
"{ \"trace\": { \"nr_cpu_ids\": 2, \"instances\": [\n"
"    { \"name\": \"early\", \"size\": \"0x100000\",\n"
"      \"events\": [ \"sched:sched_process_fork\" ],\n"
"      \"options\": [ \"noirq-info\", \"sym-offset\" ] } ] } }\n";

/* The same setup, laid out by hand from <linux/kho/abi/trace.h>. */
static size_t trace_expected(uint8_t *out)
{
	static const char opts[] = "noirq-info sym-offset";
	struct kho_trace_header hdr = {
		.magic = KHO_TRACE_MAGIC, .version = KHO_TRACE_VERSION,
		.nr_instances = 1, .nr_events = 1, .nr_cpu_ids = 2,
		.page_size = 4096,
	};
	struct kho_trace_instance in = {
		.name = "early", .range_size = 0x100000,
		.flags = KHO_TRACE_TRACING_ON,
		.options = sizeof(hdr) + sizeof(in) +
			   sizeof(struct kho_trace_event),
	};
	struct kho_trace_event ev = {
		.system = "sched", .name = "sched_process_fork", .enabled = 1,
	};
	size_t n = 0;

	hdr.size = in.options + sizeof(opts);
	memcpy(out + n, &hdr, sizeof(hdr));
	n += sizeof(hdr);
	memcpy(out + n, &in, sizeof(in));
	n += sizeof(in);
	memcpy(out + n, &ev, sizeof(ev));
	n += sizeof(ev);
	memcpy(out + n, opts, sizeof(opts));
	return n + sizeof(opts);
}

static const void *trace_blob(struct khoreg_handover *h, size_t *len)
{
	const struct khoreg_blob *b;

	b = h ? khoreg_handover__find_blob(h, KHO_TRACE_BLOB_NAME) : NULL;
	return b ? khoreg_blob__data(b, len) : NULL;
}

static void test_trace_author(void)
{
	struct khoreg_handover *h = author_open(trace_json, KHOREG_AUTHOR_BUNDLE);
	const struct khoreg_trace_instance *in;
	const struct khoreg_trace_event *ev;
	struct khoreg_trace *t = NULL;
	uint8_t want[512];
	const void *got;
	size_t len = 0, n;

	n = trace_expected(want);
	CHECK_EQ(n, 262);
	got = trace_blob(h, &len);
	CHECK(got);
	CHECK_EQ(len, n);
	CHECK(got && len == n && !memcmp(got, want, n));
	CHECK(got && !khoreg_trace__parse(got, len, &t));
	if (t) {
		CHECK_EQ(khoreg_trace__nr_cpu_ids(t), 2);
		CHECK_EQ(khoreg_trace__page_size(t), 4096);
		CHECK_EQ(khoreg_trace__nr_instances(t), 1);
		CHECK(!khoreg_trace__instance(t, 1));
		in = khoreg_trace__instance(t, 0);
		CHECK(in && !strcmp(khoreg_trace_instance__name(in), "early"));
		CHECK(in && khoreg_trace_instance__size(in) == 0x100000);
		CHECK(in && !khoreg_trace_instance__has_pages(in));
		CHECK(in && khoreg_trace_instance__tracing_on(in));
		CHECK(in && !khoreg_trace_instance__global(in));
		CHECK(in && !strcmp(khoreg_trace_instance__options(in),
				    "noirq-info sym-offset"));
		CHECK_EQ(khoreg_trace__nr_events(t), 1);
		ev = khoreg_trace__event(t, 0);
		CHECK(ev && !strcmp(khoreg_trace_event__system(ev), "sched"));
		CHECK(ev && !strcmp(khoreg_trace_event__name(ev),
				    "sched_process_fork"));
		CHECK(ev && khoreg_trace_event__enabled_in(ev, 0));
		CHECK(ev && !khoreg_trace_event__enabled_in(ev, 1));
	}
	khoreg_trace__free(t);
	khoreg_handover__close(h);

	/* Two instances, one event in both, "global" is the top level. */
	h = author_open("{ \"trace\": { \"nr_cpu_ids\": 4, \"instances\": [\n"
			"  { \"name\": \"global\", \"size\": 8192, \"tracing_on\": false,\n"
			"    \"events\": [ \"irq:irq_handler_entry\" ] },\n"
			"  { \"name\": \"b\", \"size\": 4096,\n"
			"    \"events\": [ \"sched:sched_switch\", \"irq:irq_handler_entry\" ] } ] } }",
			KHOREG_AUTHOR_BUNDLE);
	got = trace_blob(h, &len);
	t = NULL;
	CHECK(got && !khoreg_trace__parse(got, len, &t));
	if (t) {
		in = khoreg_trace__instance(t, 0);
		CHECK(in && khoreg_trace_instance__global(in));
		CHECK(in && !khoreg_trace_instance__tracing_on(in));
		CHECK(in && !strcmp(khoreg_trace_instance__options(in), ""));
		CHECK_EQ(khoreg_trace__nr_events(t), 2);
		ev = khoreg_trace__event(t, 0);
		CHECK(ev && khoreg_trace_event__enabled_in(ev, 0) &&
		      khoreg_trace_event__enabled_in(ev, 1));
		ev = khoreg_trace__event(t, 1);
		CHECK(ev && !khoreg_trace_event__enabled_in(ev, 0) &&
		      khoreg_trace_event__enabled_in(ev, 1));
	}
	khoreg_trace__free(t);
	khoreg_handover__close(h);
}

static void test_trace_author_errors(void)
{
	CHECK(author_fails("{ \"trace\": { \"instances\": [] } }",
			   "missing member \"nr_cpu_ids\""));
	CHECK(author_fails("{ \"trace\": { \"nr_cpu_ids\": 1, \"instances\": [] } }",
			   "non-empty array"));
	CHECK(author_fails("{ \"trace\": { \"nr_cpu_ids\": 1, \"page_size\": 4097,\n"
			   "  \"instances\": [ { \"name\": \"a\", \"size\": 4096 } ] } }",
			   "power of two"));
	CHECK(author_fails("{ \"trace\": { \"nr_cpu_ids\": 1, \"instances\": [\n"
			   "  { \"name\": \"a\", \"size\": 100 } ] } }",
			   "2:3: trace instance \"a\": size 100"));
	CHECK(author_fails("{ \"trace\": { \"nr_cpu_ids\": 1, \"instances\": [\n"
			   "  { \"name\": \"a/b\", \"size\": 4096 } ] } }", "no '/'"));
	CHECK(author_fails("{ \"trace\": { \"nr_cpu_ids\": 1, \"instances\": [\n"
			   "  { \"name\": \"a\", \"size\": 4096 },\n"
			   "  { \"name\": \"a\", \"size\": 4096 } ] } }", "given twice"));
	CHECK(author_fails("{ \"trace\": { \"nr_cpu_ids\": 1, \"instances\": [\n"
			   "  { \"name\": \"a\", \"size\": 4096, \"events\": [ \"sched\" ] } ] } }",
			   "\"system:name\""));
	CHECK(author_fails("{ \"trace\": { \"nr_cpu_ids\": 1, \"instances\": [\n"
			   "  { \"name\": \"a\", \"size\": 4096, \"options\": [ \"a b\" ] } ] } }",
			   "one word"));
	CHECK(author_fails("{ \"trace\": { \"nr_cpu_ids\": 1, \"instances\": [\n"
			   "  { \"name\": \"a\", \"size\": 4096, \"colour\": 1 } ] } }",
			   "unknown member \"colour\""));
	CHECK(author_fails("{ \"blobs\": [ { \"name\": \"ftrace\", \"text\": \"x\" } ],\n"
			   "  \"trace\": { \"nr_cpu_ids\": 1, \"instances\": [\n"
			   "  { \"name\": \"a\", \"size\": 4096 } ] } }",
			   "sub-blob \"ftrace\""));
}

/* Each malformed copy of the setup's bytes is refused, never read past. */
static void test_trace_bad_blobs(void)
{
	uint8_t good[512], bad[512];
	struct kho_trace_header *hdr = (struct kho_trace_header *)bad;
	struct kho_trace_instance *in = (struct kho_trace_instance *)(hdr + 1);
	struct kho_trace_event *ev = (struct kho_trace_event *)(in + 1);
	struct khoreg_handover *h;
	struct khoreg_trace *t = NULL;
	size_t n = trace_expected(good), i;

	CHECK(!khoreg_trace__parse(good, n, &t));
	khoreg_trace__free(t);
	for (i = 0; i < 12; i++) {
		memcpy(bad, good, n);
		switch (i) {
		case 0:
			hdr->magic ^= 1;
			break;
		case 1:
			hdr->version = 1;
			break;
		case 2:
			hdr->size = n + 1;
			break;
		case 3:
			hdr->size = 8;
			break;
		case 4:
			hdr->nr_instances = KHO_TRACE_MAX_INSTANCES + 1;
			break;
		case 5:
			hdr->nr_events = 0x40000000;
			break;
		case 6:
			hdr->nr_instances = 3;
			break;
		case 7:
			memset(in->name, 'x', sizeof(in->name));
			break;
		case 8:
			in->name[0] = '\0';
			break;
		case 9:
			in->options = 8;
			break;
		case 10:
			bad[n - 1] = 'x';
			break;
		case 11:
			memset(ev->system, 'x', sizeof(ev->system));
			break;
		}
		t = NULL;
		if (khoreg_trace__parse(bad, n, &t) != -EBADMSG) {
			printf("%s# malformed ftrace blob %zu accepted\n", indent, i);
			failures++;
		}
		CHECK(!t);
		khoreg_trace__free(t);
	}
	CHECK(khoreg_trace__parse(good, 31, &t) == -EBADMSG);

	/* validate reports a malformed one, and only that. */
	h = author_open("{ \"blobs\": [ { \"name\": \"ftrace\", \"hex\": \"6b72746b03\" } ] }",
			KHOREG_AUTHOR_BUNDLE);
	CHECK(h && has_problem(h, "/ftrace", "shorter than its header"));
	khoreg_handover__close(h);
	h = author_open(trace_json, KHOREG_AUTHOR_BUNDLE);
	CHECK(h && khoreg_handover__validate(h, NULL, NULL) == 0);
	khoreg_handover__close(h);
}

/* ------------------------------------------------------------------ */

struct test {
	const char *name;
	void (*fn)(void);
};

static const struct test tests[] = {
	{ "radix_key", test_radix_key },
	{ "open_bundle", test_open_bundle },
	{ "registry_walk", test_registry_walk },
	{ "field_format", test_field_format },
	{ "open_root_only", test_open_root_only },
	{ "open_registry_only", test_open_registry_only },
	{ "open_sysfs", test_open_sysfs },
	{ "sysfs_memory", test_sysfs_memory },
	{ "memmap", test_memmap },
	{ "diff", test_diff },
	{ "diff_bundle", test_diff_bundle },
	{ "author_errors", test_author_errors },
	{ "author_trace_store", test_author_trace_store },
	{ "json", test_json },
	{ "bad_buffers", test_bad_buffers },
	{ "bad_bundle", test_bad_bundle },
	{ "bad_root", test_bad_root },
	{ "bad_scratch", test_bad_scratch },
	{ "bad_memmap", test_bad_memmap },
	{ "overlapping_blocks", test_overlapping_blocks },
	{ "memory_fields", test_memory_fields },
	{ "blob_not_preserved", test_blob_not_preserved },
	{ "bad_registry_entries", test_bad_registry_entries },
	{ "bad_registry_fields", test_bad_registry_fields },
	{ "bad_registry_blob", test_bad_registry_blob },
	{ "preflight", test_preflight },
	{ "trace_author", test_trace_author },
	{ "trace_author_errors", test_trace_author_errors },
	{ "trace_bad_blobs", test_trace_bad_blobs },
};

int main(int argc, char **argv)
{
	size_t n = ARRAY_SIZE(tests), i;
	int passed = 0, failed = 0;

	if (argc > 1 && !strcmp(argv[1], "--top"))
		indent = "";
	printf("%sKTAP version 1\n%s1..%zu\n", indent, indent, n);
	for (i = 0; i < n; i++) {
		int before = failures;

		tests[i].fn();
		if (failures == before) {
			passed++;
			printf("%sok %zu %s\n", indent, i + 1, tests[i].name);
		} else {
			failed++;
			printf("%snot ok %zu %s\n", indent, i + 1, tests[i].name);
		}
	}
	printf("%s# %d passed, %d failed\n", indent, passed, failed);
	return failed ? 1 : 0;
}
