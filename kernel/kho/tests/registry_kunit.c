// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the khoreg registry: declaring entries, generating the
 * sub-blob, decoding it with the typed getters, version checks, and
 * malformed incoming blobs, which must be refused entry by entry and never
 * crash.
 */

#include <kunit/test.h>
#include <linux/kthread.h>
#include <linux/kobject.h>
#include <linux/libfdt.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/seq_buf.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../registry_internal.h"

static struct khoreg_registry *kt_registry(struct kunit *test)
{
	struct khoreg_registry *reg = kunit_kzalloc(test, sizeof(*reg),
						    GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, reg);
	khoreg_registry_init(reg);
	return reg;
}

static void kt_remove_all(struct khoreg_registry *reg)
{
	struct khoreg_entry *e, *tmp;

	list_for_each_entry_safe(e, tmp, &reg->entries, sibling)
		khoreg_entry_remove(e);
}

static void kt_tree_init(struct khoreg_in_tree *tree)
{
	memset(tree, 0, sizeof(*tree));
	mutex_init(&tree->lock);
	INIT_LIST_HEAD(&tree->entries);
}

/* Parse a copy of @blob (@size bytes readable); the tree owns the copy. */
static int kt_parse(struct khoreg_in_tree *tree, const void *blob, size_t size)
{
	void *copy = kvmalloc(size ?: 1, GFP_KERNEL);
	int err;

	if (!copy)
		return -ENOMEM;
	memcpy(copy, blob, size);
	kt_tree_init(tree);
	err = khoreg_in_parse(tree, copy, size, NULL, 0);
	if (err)
		kvfree(copy);
	return err;
}

/* Start rendering into @buf, a page, as sysfs and the BPF iterators do. */
static struct seq_buf *kt_text(struct seq_buf *s, char *buf)
{
	seq_buf_init(s, buf, PAGE_SIZE);
	return s;
}

/* ---- names and declarations ---- */

static void khoreg_test_names(struct kunit *test)
{
	char name[KHOREG_NAME_MAX + 1];

	KUNIT_EXPECT_TRUE(test, khoreg_name_valid("a", 1));
	KUNIT_EXPECT_TRUE(test, khoreg_name_valid("0nic_q-1.x", 10));
	KUNIT_EXPECT_FALSE(test, khoreg_name_valid("", 0));
	KUNIT_EXPECT_FALSE(test, khoreg_name_valid("_a", 2));
	KUNIT_EXPECT_FALSE(test, khoreg_name_valid("A", 1));
	KUNIT_EXPECT_FALSE(test, khoreg_name_valid("a,b", 3));
	KUNIT_EXPECT_FALSE(test, khoreg_name_valid("a b", 3));
	KUNIT_EXPECT_FALSE(test, khoreg_name_valid("a/b", 3));
	memset(name, 'a', sizeof(name));
	KUNIT_EXPECT_TRUE(test, khoreg_name_valid(name, KHOREG_NAME_MAX));
	KUNIT_EXPECT_FALSE(test, khoreg_name_valid(name, KHOREG_NAME_MAX + 1));
	KUNIT_EXPECT_TRUE(test, khoreg_compatible_valid("acme,counter-v2", 15));
	KUNIT_EXPECT_FALSE(test, khoreg_compatible_valid("acme counter", 12));
	KUNIT_EXPECT_FALSE(test, khoreg_compatible_valid("", 0));
}

static void khoreg_test_decls(struct kunit *test)
{
	static const struct {
		const char *decl;
		int err;
		enum khoreg_type type;
		u32 count;
		size_t name_len;
	} cases[] = {
		{ "count:u64", 0, KHOREG_TYPE_U64, 0, 5 },
		{ "q:u32[4]", 0, KHOREG_TYPE_U32, 4, 1 },
		{ "b:bool[4096]", 0, KHOREG_TYPE_BOOL, 4096, 1 },
		{ "v:vmalloc", 0, KHOREG_TYPE_VMALLOC, 0, 1 },
		{ "s:string", 0, KHOREG_TYPE_STRING, 0, 1 },
		{ "x:u128", -EINVAL }, { "x:u32[0]", -EINVAL },
		{ "x:u32[4097]", -EINVAL }, { "x:u32[04]", -EINVAL },
		{ "x:u32[4", -EINVAL }, { "x:u32[]", -EINVAL },
		{ "x:u32[a]", -EINVAL }, { "x:string[2]", -EINVAL },
		{ "x:range[1]", -EINVAL }, { "x", -EINVAL }, { ":u8", -EINVAL },
		{ "X:u8", -EINVAL }, { "compatible:u8", -EINVAL },
		{ "x:", -EINVAL }, { "x:u8:u8", -EINVAL },
		{ "x:u32[99999999999]", -EINVAL },
	};
	enum khoreg_type type;
	size_t name_len;
	unsigned int i;
	u32 count;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int err = khoreg_parse_decl(cases[i].decl,
					    strlen(cases[i].decl), &name_len,
					    &type, &count);

		KUNIT_EXPECT_EQ_MSG(test, err, cases[i].err, "%s", cases[i].decl);
		if (err || cases[i].err)
			continue;
		KUNIT_EXPECT_EQ(test, type, cases[i].type);
		KUNIT_EXPECT_EQ(test, count, cases[i].count);
		KUNIT_EXPECT_EQ(test, name_len, cases[i].name_len);
	}
}

/* ---- declaring ---- */

static const struct khoreg_field kt_fields[] = {
	KHOREG_FIELD("a", U8),
	KHOREG_FIELD("b", U16),
	KHOREG_FIELD("c", U32),
	KHOREG_FIELD("d", U64),
	KHOREG_FIELD("e", S64),
	KHOREG_FIELD("f", BOOL),
	KHOREG_STRING("g", 16),
	KHOREG_BYTES("h", 8),
	KHOREG_ARRAY("i", U32, 4),
	KHOREG_ARRAY("j", BOOL, 3),
	KHOREG_ARRAY("k", U8, 2),
	KHOREG_ARRAY("l", U16, 2),
	KHOREG_ARRAY("m", S64, 2),
	KHOREG_FIELD("r", RANGE),
};

static const struct khoreg_schema kt_schema = {
	.compatible = "kunit,all-v2",
	.version = 2,
	.fields = kt_fields,
	.nr_fields = ARRAY_SIZE(kt_fields),
};

static const struct khoreg_field kt_child_fields[] = {
	KHOREG_FIELD("head", U16),
};

static const struct khoreg_schema kt_child_schema = {
	.compatible = "kunit,queue-v1",
	.version = 1,
	.fields = kt_child_fields,
	.nr_fields = ARRAY_SIZE(kt_child_fields),
};

static struct khoreg_entry *kt_add(struct khoreg_registry *reg,
				   struct khoreg_entry *parent,
				   const char *name,
				   const struct khoreg_schema *schema)
{
	return khoreg_entry_add(reg, parent, name, schema, NULL, NULL);
}

static void khoreg_test_register(struct kunit *test)
{
	static const struct khoreg_field dup[] = {
		KHOREG_FIELD("x", U8), KHOREG_FIELD("x", U16),
	};
	static const struct khoreg_field bad_name[] = { KHOREG_FIELD("X", U8) };
	static const struct khoreg_field reserved[] = {
		KHOREG_FIELD("compatible", U8),
	};
	static const struct khoreg_field bad_array[] = {
		KHOREG_ARRAY("x", STRING, 2),
	};
	static const struct khoreg_field bad_string[] = {
		KHOREG_STRING("x", 5000),
	};
	struct khoreg_schema s = kt_child_schema;
	struct khoreg_registry *reg = kt_registry(test);
	struct khoreg_entry *e, *c, *p;
	unsigned int i;
	char name[8];

	e = kt_add(reg, NULL, "one", &kt_schema);
	KUNIT_ASSERT_FALSE(test, IS_ERR(e));
	KUNIT_EXPECT_EQ(test, PTR_ERR(kt_add(reg, NULL, "one", &kt_schema)),
			-EEXIST);
	c = kt_add(reg, e, "one", &kt_child_schema);
	KUNIT_EXPECT_FALSE(test, IS_ERR(c));
	KUNIT_EXPECT_EQ(test, PTR_ERR(kt_add(reg, e, "one", &kt_schema)), -EEXIST);
	KUNIT_EXPECT_EQ(test, PTR_ERR(kt_add(reg, NULL, "One", &kt_schema)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(kt_add(reg, NULL, "", &kt_schema)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(kt_add(reg, NULL, NULL, &kt_schema)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(kt_add(reg, ERR_PTR(-ENOMEM), "x",
					     &kt_schema)), -EINVAL);

	s.fields = dup;
	s.nr_fields = ARRAY_SIZE(dup);
	KUNIT_EXPECT_EQ(test, PTR_ERR(kt_add(reg, NULL, "x", &s)), -EINVAL);
	s.fields = bad_name;
	s.nr_fields = 1;
	KUNIT_EXPECT_EQ(test, PTR_ERR(kt_add(reg, NULL, "x", &s)), -EINVAL);
	s.fields = reserved;
	KUNIT_EXPECT_EQ(test, PTR_ERR(kt_add(reg, NULL, "x", &s)), -EINVAL);
	s.fields = bad_array;
	KUNIT_EXPECT_EQ(test, PTR_ERR(kt_add(reg, NULL, "x", &s)), -EINVAL);
	s.fields = bad_string;
	KUNIT_EXPECT_EQ(test, PTR_ERR(kt_add(reg, NULL, "x", &s)), -EINVAL);
	s = kt_child_schema;
	s.compatible = "has space";
	KUNIT_EXPECT_EQ(test, PTR_ERR(kt_add(reg, NULL, "x", &s)), -EINVAL);
	s = kt_child_schema;
	s.min_version = 3;
	KUNIT_EXPECT_EQ(test, PTR_ERR(kt_add(reg, NULL, "x", &s)), -EINVAL);

	/* KHOREG_MAX_DEPTH levels, not one more. */
	p = e;
	for (i = 2; i <= KHOREG_MAX_DEPTH; i++) {
		snprintf(name, sizeof(name), "l%u", i);
		p = kt_add(reg, p, name, &kt_child_schema);
		KUNIT_ASSERT_FALSE(test, IS_ERR(p));
	}
	KUNIT_EXPECT_EQ(test, PTR_ERR(kt_add(reg, p, "deep", &kt_child_schema)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, reg->nr_entries, KHOREG_MAX_DEPTH + 1);

	/* Removing a parent removes its children. */
	KUNIT_EXPECT_EQ(test, khoreg_entry_remove(e), 0);
	KUNIT_EXPECT_EQ(test, reg->nr_entries, 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&reg->entries));
}

static void khoreg_test_setters(struct kunit *test)
{
	struct khoreg_registry *reg = kt_registry(test);
	struct khoreg_entry *e = kt_add(reg, NULL, "s", &kt_schema);
	u32 four[4] = { 1, 2, 3, 4 };

	KUNIT_ASSERT_FALSE(test, IS_ERR(e));
	KUNIT_EXPECT_EQ(test, khoreg_set_u8(e, "a", 1), 0);
	KUNIT_EXPECT_EQ(test, khoreg_set_u16(e, "a", 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, khoreg_set_u8(e, "nope", 1), -ENOENT);
	KUNIT_EXPECT_EQ(test, khoreg_set_u32(e, "i", 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, khoreg_set_array(e, "i", four, 4), 0);
	KUNIT_EXPECT_EQ(test, khoreg_set_array(e, "i", four, 3), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, khoreg_set_array(e, "c", four, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, khoreg_set_array(e, "zz", four, 1), -ENOENT);
	KUNIT_EXPECT_EQ(test, khoreg_set_string(e, "g", "fifteen chars.."), 0);
	KUNIT_EXPECT_EQ(test, khoreg_set_string(e, "g", "sixteen chars..."),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test, khoreg_set_string(e, "g", "bell\a"), -EINVAL);
	KUNIT_EXPECT_EQ(test, khoreg_set_string(e, "a", "x"), -EINVAL);
	KUNIT_EXPECT_EQ(test, khoreg_set_bytes(e, "h", "12345678", 8), 0);
	KUNIT_EXPECT_EQ(test, khoreg_set_bytes(e, "h", "123456789", 9),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test, khoreg_set_u8(NULL, "a", 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, khoreg_set_u8(ERR_PTR(-ENOMEM), "a", 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, khoreg_clear(e, "g"), 0);
	KUNIT_EXPECT_EQ(test, e->fields[6]->size, 1);
	KUNIT_EXPECT_EQ(test, khoreg_clear(e, "i"), 0);
	KUNIT_EXPECT_EQ(test, e->fields[8]->val[15], 0);
	KUNIT_EXPECT_EQ(test, khoreg_clear(e, "zz"), -ENOENT);
	/* An unset memory field is left out of the blob. */
	KUNIT_EXPECT_FALSE(test, e->fields[13]->set);
	kt_remove_all(reg);
}

/* ---- round trip ---- */

static int kt_serialize_calls;

static int kt_serialize(struct khoreg_entry *entry, void *priv)
{
	kt_serialize_calls++;
	return khoreg_set_u32(entry, "c", 0xc0ffee);
}

static int kt_validate(struct khoreg_entry *entry, void *priv, char *reason,
		       size_t len)
{
	bool *refuse = priv;

	if (!*refuse)
		return 0;
	snprintf(reason, len, "not today");
	return -EPERM;
}

/* Freeze @reg, write its blob into a kvmalloc()ed buffer and thaw it. */
static void *kt_generate(struct kunit *test, struct khoreg_registry *reg,
			 size_t *size)
{
	char reason[128];
	void *blob;
	int err;

	mutex_lock(&reg->lock);
	err = khoreg_freeze(reg, reason, sizeof(reason));
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "%s", reason);
	*size = khoreg_fdt_size(reg);
	blob = kvzalloc(*size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, blob);
	err = khoreg_fdt_build(reg, blob, *size);
	khoreg_thaw(reg);
	mutex_unlock(&reg->lock);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, fdt_check_header(blob), 0);
	KUNIT_EXPECT_LE(test, (size_t)fdt_totalsize(blob), *size);
	return blob;
}

/* The arrays of the round trip. */
static const bool kt_rt_bools[3] = { true, false, true };
static const u32 kt_rt_u32s[4] = { 1, 2, 3, 0xffffffff };
static const s64 kt_rt_s64s[2] = { -1, S64_MIN };
static const u16 kt_rt_u16s[2] = { 7, 0xffff };
static const u8 kt_rt_u8s[2] = { 0, 255 };

/* Declare the entries of the round trip and set a value of every type. */
static void kt_round_trip_declare(struct kunit *test,
				  struct khoreg_registry *reg)
{
	static const struct khoreg_schema ser = {
		.compatible = "kunit,all-v2",
		.version = 2,
		.fields = kt_fields,
		.nr_fields = ARRAY_SIZE(kt_fields),
		.serialize = kt_serialize,
	};
	struct khoreg_entry *e, *q, *q2;

	e = kt_add(reg, NULL, "all", &ser);
	KUNIT_ASSERT_FALSE(test, IS_ERR(e));
	q = kt_add(reg, e, "q0", &kt_child_schema);
	q2 = kt_add(reg, q, "q1", &kt_child_schema);
	KUNIT_ASSERT_FALSE(test, IS_ERR(q));
	KUNIT_ASSERT_FALSE(test, IS_ERR(q2));
	KUNIT_ASSERT_FALSE(test, IS_ERR(kt_add(reg, NULL, "empty",
					       &kt_child_schema)));
	khoreg_set_u8(e, "a", 0xa5);
	khoreg_set_u16(e, "b", 0xbeef);
	khoreg_set_u64(e, "d", 0x0123456789abcdefULL);
	khoreg_set_s64(e, "e", -42);
	khoreg_set_bool(e, "f", true);
	khoreg_set_string(e, "g", "eth0\tup\n");
	khoreg_set_bytes(e, "h", "\0\1\2\3", 4);
	khoreg_set_array(e, "i", kt_rt_u32s, 4);
	khoreg_set_array(e, "j", kt_rt_bools, 3);
	khoreg_set_array(e, "k", kt_rt_u8s, 2);
	khoreg_set_array(e, "l", kt_rt_u16s, 2);
	khoreg_set_array(e, "m", kt_rt_s64s, 2);
	khoreg_set_u16(q, "head", 7);
	khoreg_set_u16(q2, "head", 8);
	KUNIT_EXPECT_EQ(test, khoreg_annotate(e, "stamp", "6.12 today"), 0);
	KUNIT_EXPECT_EQ(test, khoreg_annotate(e, "stamp", "replaced"), 0);
	KUNIT_EXPECT_EQ(test, khoreg_annotate(e, "Bad", "x"), -EINVAL);
	KUNIT_EXPECT_EQ(test, e->nr_annotations, 1);
}

/* Every value kt_round_trip_declare() set, read back with its getter. */
static void kt_round_trip_values(struct kunit *test, struct khoreg_in_entry *in)
{
	bool jb[3];
	u32 fb[4];
	s64 mb[2];
	u16 lb[2];
	u8 kb[2];
	char str[16], bytes[8];
	size_t len;
	u64 v64;
	s64 s64v;
	u32 v32;
	u16 v16;
	bool b;
	u8 v8;

	KUNIT_EXPECT_EQ(test, khoreg_get_u8(in, "a", &v8), 0);
	KUNIT_EXPECT_EQ(test, v8, 0xa5);
	KUNIT_EXPECT_EQ(test, khoreg_get_u16(in, "b", &v16), 0);
	KUNIT_EXPECT_EQ(test, v16, 0xbeef);
	KUNIT_EXPECT_EQ(test, khoreg_get_u32(in, "c", &v32), 0);
	KUNIT_EXPECT_EQ(test, v32, 0xc0ffee);
	KUNIT_EXPECT_EQ(test, khoreg_get_u64(in, "d", &v64), 0);
	KUNIT_EXPECT_EQ(test, v64, 0x0123456789abcdefULL);
	KUNIT_EXPECT_EQ(test, khoreg_get_s64(in, "e", &s64v), 0);
	KUNIT_EXPECT_EQ(test, s64v, -42);
	KUNIT_EXPECT_EQ(test, khoreg_get_bool(in, "f", &b), 0);
	KUNIT_EXPECT_TRUE(test, b);
	KUNIT_EXPECT_EQ(test, khoreg_get_string(in, "g", str, sizeof(str)), 0);
	KUNIT_EXPECT_STREQ(test, str, "eth0\tup\n");
	KUNIT_EXPECT_EQ(test, khoreg_get_string(in, "g", str, 8), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, khoreg_get_bytes(in, "h", bytes, sizeof(bytes),
					       &len), 0);
	KUNIT_EXPECT_EQ(test, len, 4);
	KUNIT_EXPECT_EQ(test, memcmp(bytes, "\0\1\2\3", 4), 0);
	KUNIT_EXPECT_EQ(test, khoreg_get_bytes(in, "h", bytes, 3, &len),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test, khoreg_get_array(in, "i", KHOREG_TYPE_U32, fb, 4),
			0);
	KUNIT_EXPECT_EQ(test, memcmp(fb, kt_rt_u32s, sizeof(kt_rt_u32s)), 0);
	KUNIT_EXPECT_EQ(test, khoreg_get_array(in, "j", KHOREG_TYPE_BOOL, jb, 3),
			0);
	KUNIT_EXPECT_EQ(test, memcmp(jb, kt_rt_bools, sizeof(kt_rt_bools)), 0);
	KUNIT_EXPECT_EQ(test, khoreg_get_array(in, "k", KHOREG_TYPE_U8, kb, 2), 0);
	KUNIT_EXPECT_EQ(test, memcmp(kb, kt_rt_u8s, sizeof(kt_rt_u8s)), 0);
	KUNIT_EXPECT_EQ(test, khoreg_get_array(in, "l", KHOREG_TYPE_U16, lb, 2),
			0);
	KUNIT_EXPECT_EQ(test, memcmp(lb, kt_rt_u16s, sizeof(kt_rt_u16s)), 0);
	KUNIT_EXPECT_EQ(test, khoreg_get_array(in, "m", KHOREG_TYPE_S64, mb, 2),
			0);
	KUNIT_EXPECT_EQ(test, memcmp(mb, kt_rt_s64s, sizeof(kt_rt_s64s)), 0);
}

/* Wrong type, wrong shape, missing: an error, never a value. */
static void kt_round_trip_refusals(struct kunit *test,
				   struct khoreg_in_entry *in)
{
	u32 v32, fb[4];

	v32 = 0x5a5a;
	KUNIT_EXPECT_EQ(test, khoreg_get_u32(in, "a", &v32), -EPROTO);
	KUNIT_EXPECT_EQ(test, khoreg_get_u32(in, "i", &v32), -EPROTO);
	KUNIT_EXPECT_EQ(test, khoreg_get_u32(in, "zz", &v32), -ENOENT);
	KUNIT_EXPECT_EQ(test, v32, 0x5a5a);
	KUNIT_EXPECT_EQ(test, khoreg_get_array(in, "i", KHOREG_TYPE_U32, fb, 3),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test, khoreg_get_array(in, "i", KHOREG_TYPE_U16, fb, 4),
			-EPROTO);
	KUNIT_EXPECT_EQ(test, khoreg_get_array(in, "c", KHOREG_TYPE_U32, fb, 1),
			-EPROTO);
	KUNIT_EXPECT_EQ(test, khoreg_get_array(in, "g", KHOREG_TYPE_STRING, fb,
					       1), -EINVAL);
	/* The range was never set: it is not in the blob. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(khoreg_restore_pages(in, "r", NULL)),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, PTR_ERR(khoreg_restore_folio(in, "a")), -EPROTO);
}

static void khoreg_test_round_trip(struct kunit *test)
{
	struct khoreg_registry *reg = kt_registry(test);
	struct khoreg_in_tree tree;
	struct khoreg_in_entry *in;
	size_t size;
	void *blob;
	u16 v16;

	kt_round_trip_declare(test, reg);
	kt_serialize_calls = 0;
	blob = kt_generate(test, reg, &size);
	KUNIT_EXPECT_EQ(test, kt_serialize_calls, 1);
	KUNIT_ASSERT_EQ(test, kt_parse(&tree, blob, fdt_totalsize(blob)), 0);
	kvfree(blob);
	KUNIT_EXPECT_EQ(test, tree.nr_entries, 4);
	KUNIT_EXPECT_EQ(test, tree.nr_rejected, 0);
	KUNIT_EXPECT_EQ(test, tree.nr_problems, 0);

	in = khoreg_in_claim(&tree, "all", &kt_schema);
	KUNIT_ASSERT_FALSE(test, IS_ERR(in));
	KUNIT_EXPECT_STREQ(test, in->compatible, "kunit,all-v2");
	KUNIT_EXPECT_EQ(test, in->version, 2);
	KUNIT_EXPECT_NULL(test, in->owner);
	KUNIT_EXPECT_EQ(test, in->nr_fields, ARRAY_SIZE(kt_fields) - 1);
	KUNIT_EXPECT_STREQ(test, in->annotations, "stamp=replaced");
	kt_round_trip_values(test, in);
	kt_round_trip_refusals(test, in);

	/* Nested entries, and claiming twice. */
	in = khoreg_in_claim(&tree, "all/q0/q1", &kt_child_schema);
	KUNIT_ASSERT_FALSE(test, IS_ERR(in));
	KUNIT_EXPECT_EQ(test, khoreg_get_u16(in, "head", &v16), 0);
	KUNIT_EXPECT_EQ(test, v16, 8);
	KUNIT_EXPECT_EQ(test, PTR_ERR(khoreg_in_claim(&tree, "all/q0/q1",
						      &kt_child_schema)),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, PTR_ERR(khoreg_in_lookup(&tree, "all/q1")),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, PTR_ERR(khoreg_in_lookup(&tree, "all/")),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, PTR_ERR(khoreg_in_lookup(&tree, "")), -ENOENT);
	KUNIT_EXPECT_FALSE(test, IS_ERR(khoreg_in_lookup(&tree, "empty")));
	khoreg_in_free(&tree);
	kt_remove_all(reg);
}

static void khoreg_test_versions(struct kunit *test)
{
	struct khoreg_registry *reg = kt_registry(test);
	struct khoreg_schema s = kt_child_schema;
	struct khoreg_in_tree tree;
	size_t size;
	void *blob;

	s.compatible = "kunit,queue-v3";
	s.version = 3;
	KUNIT_ASSERT_FALSE(test, IS_ERR(kt_add(reg, NULL, "v3", &s)));
	blob = kt_generate(test, reg, &size);
	KUNIT_ASSERT_EQ(test, kt_parse(&tree, blob, size), 0);
	kvfree(blob);

	/* Exact match by default. */
	s.compatible = "kunit,queue-v4";
	s.version = 4;
	KUNIT_EXPECT_EQ(test, PTR_ERR(khoreg_in_claim(&tree, "v3", &s)), -EPROTO);
	/* A range that includes 3; the -vN suffix is not compared. */
	s.min_version = 2;
	KUNIT_EXPECT_FALSE(test, IS_ERR(khoreg_in_claim(&tree, "v3", &s)));
	list_first_entry(&tree.entries, struct khoreg_in_entry,
			 sibling)->claimed = false;
	/* An older kernel does not know version 3. */
	s.compatible = "kunit,queue-v2";
	s.version = 2;
	s.min_version = 1;
	KUNIT_EXPECT_EQ(test, PTR_ERR(khoreg_in_claim(&tree, "v3", &s)), -EPROTO);
	/* Another schema family. */
	s.compatible = "kunit,queues-v3";
	s.version = 3;
	s.min_version = 0;
	KUNIT_EXPECT_EQ(test, PTR_ERR(khoreg_in_claim(&tree, "v3", &s)), -EPROTO);
	s.compatible = "kunit,queue";
	KUNIT_EXPECT_FALSE(test, IS_ERR(khoreg_in_claim(&tree, "v3", &s)));
	khoreg_in_free(&tree);
	kt_remove_all(reg);
}

/* Finishing logs what is unclaimed; later claims fail with -ESTALE. */
static void khoreg_test_finish(struct kunit *test)
{
	struct khoreg_registry *reg = kt_registry(test);
	struct khoreg_entry *parent;
	struct khoreg_in_tree tree;
	struct khoreg_in_entry *in;
	size_t size;
	void *blob;

	parent = kt_add(reg, NULL, "early", &kt_child_schema);
	KUNIT_ASSERT_FALSE(test, IS_ERR(parent));
	KUNIT_ASSERT_FALSE(test, IS_ERR(kt_add(reg, parent, "sub",
					       &kt_child_schema)));
	KUNIT_ASSERT_FALSE(test, IS_ERR(kt_add(reg, NULL, "late",
					       &kt_child_schema)));
	blob = kt_generate(test, reg, &size);
	KUNIT_ASSERT_EQ(test, kt_parse(&tree, blob, size), 0);
	kvfree(blob);

	in = khoreg_in_claim(&tree, "early", &kt_child_schema);
	KUNIT_EXPECT_FALSE(test, IS_ERR(in));
	/* "early/sub" and "late" are unclaimed. */
	KUNIT_EXPECT_EQ(test, khoreg_in_tree_finish(&tree), 2);
	KUNIT_EXPECT_EQ(test, PTR_ERR(khoreg_in_claim(&tree, "late",
						      &kt_child_schema)),
			-ESTALE);
	KUNIT_EXPECT_EQ(test, PTR_ERR(khoreg_in_claim(&tree, "early/sub",
						      &kt_child_schema)),
			-ESTALE);
	/* A claimed entry reports -ESTALE too, not -EBUSY. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(khoreg_in_claim(&tree, "early",
						      &kt_child_schema)),
			-ESTALE);
	/* A missing entry is still missing. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(khoreg_in_claim(&tree, "none",
						      &kt_child_schema)),
			-ENOENT);
	/* Finishing twice counts the same and changes nothing. */
	KUNIT_EXPECT_EQ(test, khoreg_in_tree_finish(&tree), 2);
	khoreg_in_free(&tree);
	kt_remove_all(reg);
}

/*
 * A claim given back after a failed restore can be taken again, unless
 * memory of the entry was restored; none is given back after finishing.
 */
static void khoreg_test_unclaim(struct kunit *test)
{
	struct khoreg_registry *reg = kt_registry(test);
	struct khoreg_in_tree tree;
	struct khoreg_in_entry *in;
	size_t size;
	void *blob;

	KUNIT_ASSERT_FALSE(test, IS_ERR(kt_add(reg, NULL, "q",
					       &kt_child_schema)));
	blob = kt_generate(test, reg, &size);
	KUNIT_ASSERT_EQ(test, kt_parse(&tree, blob, size), 0);
	kvfree(blob);

	in = khoreg_in_claim(&tree, "q", &kt_child_schema);
	KUNIT_ASSERT_FALSE(test, IS_ERR(in));
	KUNIT_EXPECT_EQ(test, PTR_ERR(khoreg_in_claim(&tree, "q",
						      &kt_child_schema)),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, khoreg_in_unclaim(&tree, in), 0);
	KUNIT_EXPECT_EQ(test, khoreg_in_unclaim(&tree, in), -EINVAL);
	KUNIT_EXPECT_PTR_EQ(test, khoreg_in_claim(&tree, "q", &kt_child_schema),
			    in);
	/* Memory handed out from the entry cannot be handed out again. */
	in->mem_taken = true;
	KUNIT_EXPECT_EQ(test, khoreg_in_unclaim(&tree, in), -EBUSY);
	KUNIT_EXPECT_EQ(test, PTR_ERR(khoreg_in_claim(&tree, "q",
						      &kt_child_schema)),
			-EBUSY);
	in->mem_taken = false;
	KUNIT_EXPECT_EQ(test, khoreg_in_tree_finish(&tree), 0);
	KUNIT_EXPECT_EQ(test, khoreg_in_unclaim(&tree, in), -ESTALE);
	khoreg_in_free(&tree);
	kt_remove_all(reg);
}

static int kt_validator(struct khoreg_validator *v,
			const struct khoreg_entry *entry, char *reason,
			size_t len)
{
	if (entry)
		return 0;
	snprintf(reason, len, "too big");
	return -E2BIG;
}

static void khoreg_test_freeze(struct kunit *test)
{
	static const struct khoreg_schema val = {
		.compatible = "kunit,val-v1",
		.version = 1,
		.fields = kt_fields,
		.nr_fields = ARRAY_SIZE(kt_fields),
		.validate = kt_validate,
	};
	struct khoreg_validator v = { .name = "policy", .validate = kt_validator };
	struct khoreg_registry *reg = kt_registry(test);
	struct khoreg_entry *e, *c;
	bool refuse = true;
	char reason[128];
	int err;

	e = khoreg_entry_add(reg, NULL, "val", &val, NULL, &refuse);
	KUNIT_ASSERT_FALSE(test, IS_ERR(e));
	c = kt_add(reg, e, "c", &kt_child_schema);
	KUNIT_ASSERT_FALSE(test, IS_ERR(c));

	mutex_lock(&reg->lock);
	err = khoreg_freeze(reg, reason, sizeof(reason));
	mutex_unlock(&reg->lock);
	KUNIT_EXPECT_EQ(test, err, -EPERM);
	KUNIT_EXPECT_STREQ(test, reason,
			   "entry val: refused by its driver (-1): not today");
	KUNIT_EXPECT_FALSE(test, reg->frozen);

	refuse = false;
	list_add_tail(&v.list, &reg->validators);
	mutex_lock(&reg->lock);
	err = khoreg_freeze(reg, reason, sizeof(reason));
	mutex_unlock(&reg->lock);
	KUNIT_EXPECT_EQ(test, err, -E2BIG);
	KUNIT_EXPECT_STREQ(test, reason, "policy (-7): too big");
	list_del(&v.list);

	mutex_lock(&reg->lock);
	err = khoreg_freeze(reg, reason, sizeof(reason));
	mutex_unlock(&reg->lock);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_EXPECT_TRUE(test, reg->frozen);
	KUNIT_EXPECT_EQ(test, khoreg_set_u8(e, "a", 1), -EBUSY);
	KUNIT_EXPECT_EQ(test, khoreg_set_string(e, "g", "x"), -EBUSY);
	KUNIT_EXPECT_EQ(test, khoreg_set_bytes(e, "h", "x", 1), -EBUSY);
	KUNIT_EXPECT_EQ(test, khoreg_clear(e, "a"), -EBUSY);
	KUNIT_EXPECT_EQ(test, khoreg_clear(e, "r"), -EBUSY);
	KUNIT_EXPECT_EQ(test, khoreg_annotate(e, "k", "v"), -EBUSY);
	KUNIT_EXPECT_EQ(test, PTR_ERR(kt_add(reg, NULL, "new", &kt_schema)),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, khoreg_entry_remove(c), -EBUSY);
	mutex_lock(&reg->lock);
	khoreg_thaw(reg);
	mutex_unlock(&reg->lock);
	KUNIT_EXPECT_EQ(test, khoreg_set_u8(e, "a", 1), 0);
	kt_remove_all(reg);
}

static int kt_count_serialize(struct khoreg_entry *entry, void *priv)
{
	(*(unsigned int *)priv)++;
	return 0;
}

/* An owner module that is unloading never has its serialize() run. */
static void khoreg_test_freeze_pins_first(struct kunit *test)
{
	static const struct khoreg_schema counted = {
		.compatible = "kunit,counted-v1",
		.version = 1,
		.serialize = kt_count_serialize,
	};
	static struct module kt_mod = { .name = "khoreg_kunit_fake" };
	struct khoreg_registry *reg = kt_registry(test);
	unsigned int calls = 0;
	struct khoreg_entry *e;
	char reason[128];
	int err;

	kt_mod.state = MODULE_STATE_GOING;
	atomic_set(&kt_mod.refcnt, 1);
	e = khoreg_entry_add(reg, NULL, "pinned", &counted, &kt_mod, &calls);
	KUNIT_ASSERT_FALSE(test, IS_ERR(e));
	mutex_lock(&reg->lock);
	err = khoreg_freeze(reg, reason, sizeof(reason));
	mutex_unlock(&reg->lock);
	KUNIT_EXPECT_EQ(test, err, -EBUSY);
	KUNIT_EXPECT_EQ(test, calls, 0);
	KUNIT_EXPECT_FALSE(test, reg->frozen);

	/* A live one is pinned while frozen, after serialize() ran once. */
	kt_mod.state = MODULE_STATE_LIVE;
	mutex_lock(&reg->lock);
	err = khoreg_freeze(reg, reason, sizeof(reason));
	mutex_unlock(&reg->lock);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, calls, 1);
	KUNIT_EXPECT_EQ(test, module_refcount(&kt_mod), 1);
	mutex_lock(&reg->lock);
	khoreg_thaw(reg);
	mutex_unlock(&reg->lock);
	KUNIT_EXPECT_EQ(test, module_refcount(&kt_mod), 0);
	kt_remove_all(reg);
}

/* An entry's sysfs directory goes with it, whoever still holds a reference. */
static void khoreg_test_sysfs_gone(struct kunit *test)
{
	struct khoreg_entry *e;
	struct kobject *kobj;

	if (!khoreg_registry.observer)
		kunit_skip(test, "the registry has no sysfs directories");
	e = khoreg_entry_add(&khoreg_registry, NULL, "kunit-sysfs", &kt_schema,
			     NULL, NULL);
	if (IS_ERR(e) && PTR_ERR(e) == -EBUSY)
		kunit_skip(test, "the handover is finalized");
	KUNIT_ASSERT_FALSE(test, IS_ERR(e));
	kobj = kobject_get(e->kobj);
	KUNIT_ASSERT_NOT_NULL(test, kobj);
	KUNIT_EXPECT_TRUE(test, kobj->state_in_sysfs);
	KUNIT_ASSERT_EQ(test, khoreg_entry_remove(e), 0);
	KUNIT_EXPECT_FALSE(test, kobj->state_in_sysfs);
	kobject_put(kobj);
}

/* Setters racing with finalize: every blob is well formed, none hangs. */
static int kt_hammer(void *arg)
{
	struct khoreg_entry *e = arg;
	s64 m[2];
	u64 n = 0;

	while (!kthread_should_stop()) {
		n++;
		m[0] = n;
		m[1] = -m[0];
		khoreg_set_u64(e, "d", n);
		khoreg_set_string(e, "g", n & 1 ? "odd" : "even");
		khoreg_set_array(e, "m", m, 2);
		cond_resched();
	}
	return 0;
}

static void khoreg_test_concurrent(struct kunit *test)
{
	struct khoreg_registry *reg = kt_registry(test);
	struct task_struct *t;
	struct khoreg_in_tree tree;
	struct khoreg_in_entry *in;
	struct khoreg_entry *e;
	u64 d, last = 0;
	unsigned int i;
	char g[16];
	s64 m[2];
	size_t size;
	void *blob;

	e = kt_add(reg, NULL, "hot", &kt_schema);
	KUNIT_ASSERT_FALSE(test, IS_ERR(e));
	t = kthread_run(kt_hammer, e, "khoreg-kunit");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	for (i = 0; i < 50; i++) {
		blob = kt_generate(test, reg, &size);
		KUNIT_ASSERT_EQ(test, kt_parse(&tree, blob, size), 0);
		kvfree(blob);
		in = khoreg_in_claim(&tree, "hot", &kt_schema);
		KUNIT_ASSERT_FALSE(test, IS_ERR(in));
		KUNIT_EXPECT_EQ(test, khoreg_get_u64(in, "d", &d), 0);
		KUNIT_EXPECT_GE(test, d, last);
		last = d;
		KUNIT_EXPECT_EQ(test, khoreg_get_string(in, "g", g, sizeof(g)), 0);
		KUNIT_EXPECT_EQ(test, khoreg_get_array(in, "m", KHOREG_TYPE_S64,
						       m, 2), 0);
		/* An array is written whole under the entry lock. */
		KUNIT_EXPECT_EQ(test, m[0], -m[1]);
		khoreg_in_free(&tree);
		cond_resched();
	}
	kthread_stop(t);
	kt_remove_all(reg);
}

/*
 * A registry sub-blob written by libkhoreg, not by this kernel:
 * khoctl author --registry -o - tools/lib/khoreg/tests/data/basic.json
 */
static const u8 kt_libkhoreg_blob[] = {
	0xd0, 0x0d, 0xfe, 0xed, 0x00, 0x00, 0x04, 0x5b, 0x00, 0x00, 0x00, 0x40,
	0x00, 0x00, 0x03, 0xa8, 0x00, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00, 0x11,
	0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xb3,
	0x00, 0x00, 0x03, 0x68, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x13, 0x00, 0x00, 0x00, 0xa8,
	0x6b, 0x68, 0x6f, 0x72, 0x65, 0x67, 0x2d, 0x72, 0x65, 0x67, 0x69, 0x73,
	0x74, 0x72, 0x79, 0x2d, 0x76, 0x31, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
	0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x96, 0x00, 0x00, 0x00, 0x03,
	0x00, 0x00, 0x00, 0x01, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x65, 0x72, 0x30,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x10,
	0x00, 0x00, 0x00, 0xa8, 0x61, 0x63, 0x6d, 0x65, 0x2c, 0x63, 0x6f, 0x75,
	0x6e, 0x74, 0x65, 0x72, 0x2d, 0x76, 0x32, 0x00, 0x00, 0x00, 0x00, 0x03,
	0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x87, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x00, 0x00, 0x7a,
	0x61, 0x63, 0x6d, 0x65, 0x5f, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x65, 0x72,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x18,
	0x00, 0x00, 0x00, 0x67, 0x73, 0x74, 0x61, 0x6d, 0x70, 0x3d, 0x36, 0x2e,
	0x31, 0x32, 0x2e, 0x30, 0x20, 0x32, 0x30, 0x32, 0x36, 0x2d, 0x31, 0x31,
	0x2d, 0x32, 0x37, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x08,
	0x00, 0x00, 0x00, 0x61, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x5b,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xd6, 0x00, 0x00, 0x00, 0x03,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x55, 0xff, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x50,
	0x1f, 0x90, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
	0x00, 0x00, 0x00, 0x4c, 0x00, 0x00, 0x05, 0xdc, 0x00, 0x00, 0x00, 0x03,
	0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x44, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x00, 0x00, 0x3e,
	0x65, 0x74, 0x68, 0x30, 0x20, 0x22, 0x6d, 0x61, 0x69, 0x6e, 0x22, 0x0a,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x06,
	0x00, 0x00, 0x00, 0x3a, 0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x35,
	0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x50, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x0c,
	0x00, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00, 0x00, 0x90, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x10,
	0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x10,
	0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
	0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x25, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
	0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x20,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
	0x00, 0x00, 0x00, 0x8f, 0x00, 0x00, 0x00, 0x12, 0x63, 0x6f, 0x75, 0x6e,
	0x74, 0x3a, 0x75, 0x36, 0x34, 0x00, 0x64, 0x65, 0x6c, 0x74, 0x61, 0x3a,
	0x73, 0x36, 0x34, 0x00, 0x66, 0x6c, 0x61, 0x67, 0x73, 0x3a, 0x75, 0x38,
	0x00, 0x70, 0x6f, 0x72, 0x74, 0x3a, 0x75, 0x31, 0x36, 0x00, 0x6d, 0x74,
	0x75, 0x3a, 0x75, 0x33, 0x32, 0x00, 0x65, 0x6e, 0x61, 0x62, 0x6c, 0x65,
	0x64, 0x3a, 0x62, 0x6f, 0x6f, 0x6c, 0x00, 0x6c, 0x61, 0x62, 0x65, 0x6c,
	0x3a, 0x73, 0x74, 0x72, 0x69, 0x6e, 0x67, 0x00, 0x6d, 0x61, 0x63, 0x3a,
	0x62, 0x79, 0x74, 0x65, 0x73, 0x00, 0x72, 0x69, 0x6e, 0x67, 0x3a, 0x72,
	0x61, 0x6e, 0x67, 0x65, 0x00, 0x70, 0x61, 0x67, 0x65, 0x3a, 0x66, 0x6f,
	0x6c, 0x69, 0x6f, 0x00, 0x6c, 0x6f, 0x67, 0x3a, 0x76, 0x6d, 0x61, 0x6c,
	0x6c, 0x6f, 0x63, 0x00, 0x71, 0x75, 0x65, 0x75, 0x65, 0x73, 0x3a, 0x75,
	0x33, 0x32, 0x5b, 0x34, 0x5d, 0x00, 0x62, 0x69, 0x74, 0x73, 0x3a, 0x62,
	0x6f, 0x6f, 0x6c, 0x5b, 0x32, 0x5d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x71, 0x75, 0x65, 0x75, 0x65, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
	0x00, 0x00, 0x00, 0x0e, 0x00, 0x00, 0x00, 0xa8, 0x61, 0x63, 0x6d, 0x65,
	0x2c, 0x71, 0x75, 0x65, 0x75, 0x65, 0x2d, 0x76, 0x31, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x87,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
	0x00, 0x00, 0x00, 0x0d, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x03,
	0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x12, 0x68, 0x65, 0x61, 0x64,
	0x3a, 0x75, 0x33, 0x32, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x6e, 0x65, 0x74, 0x62,
	0x6f, 0x6f, 0x74, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x18,
	0x00, 0x00, 0x00, 0xa8, 0x6c, 0x69, 0x6e, 0x75, 0x78, 0x2c, 0x6e, 0x65,
	0x74, 0x62, 0x6f, 0x6f, 0x74, 0x2d, 0x63, 0x6f, 0x6e, 0x66, 0x69, 0x67,
	0x2d, 0x76, 0x31, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
	0x00, 0x00, 0x00, 0x87, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03,
	0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x06, 0x31, 0x30, 0x2e, 0x30,
	0x2e, 0x30, 0x2e, 0x31, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
	0x00, 0x00, 0x00, 0x1a, 0x00, 0x00, 0x00, 0x12, 0x73, 0x65, 0x72, 0x76,
	0x65, 0x72, 0x3a, 0x73, 0x74, 0x72, 0x69, 0x6e, 0x67, 0x00, 0x65, 0x6d,
	0x70, 0x74, 0x79, 0x3a, 0x62, 0x79, 0x74, 0x65, 0x73, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x09,
	0x65, 0x6d, 0x70, 0x74, 0x79, 0x00, 0x73, 0x65, 0x72, 0x76, 0x65, 0x72,
	0x00, 0x68, 0x65, 0x61, 0x64, 0x00, 0x6b, 0x68, 0x6f, 0x72, 0x65, 0x67,
	0x2c, 0x66, 0x69, 0x65, 0x6c, 0x64, 0x73, 0x00, 0x62, 0x69, 0x74, 0x73,
	0x00, 0x71, 0x75, 0x65, 0x75, 0x65, 0x73, 0x00, 0x6c, 0x6f, 0x67, 0x00,
	0x70, 0x61, 0x67, 0x65, 0x00, 0x72, 0x69, 0x6e, 0x67, 0x00, 0x6d, 0x61,
	0x63, 0x00, 0x6c, 0x61, 0x62, 0x65, 0x6c, 0x00, 0x65, 0x6e, 0x61, 0x62,
	0x6c, 0x65, 0x64, 0x00, 0x6d, 0x74, 0x75, 0x00, 0x70, 0x6f, 0x72, 0x74,
	0x00, 0x66, 0x6c, 0x61, 0x67, 0x73, 0x00, 0x64, 0x65, 0x6c, 0x74, 0x61,
	0x00, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x00, 0x6b, 0x68, 0x6f, 0x72, 0x65,
	0x67, 0x2c, 0x61, 0x6e, 0x6e, 0x6f, 0x74, 0x61, 0x74, 0x69, 0x6f, 0x6e,
	0x73, 0x00, 0x6b, 0x68, 0x6f, 0x72, 0x65, 0x67, 0x2c, 0x6f, 0x77, 0x6e,
	0x65, 0x72, 0x00, 0x6b, 0x68, 0x6f, 0x72, 0x65, 0x67, 0x2c, 0x76, 0x65,
	0x72, 0x73, 0x69, 0x6f, 0x6e, 0x00, 0x6b, 0x68, 0x6f, 0x72, 0x65, 0x67,
	0x2c, 0x6e, 0x72, 0x2d, 0x65, 0x6e, 0x74, 0x72, 0x69, 0x65, 0x73, 0x00,
	0x63, 0x6f, 0x6d, 0x70, 0x61, 0x74, 0x69, 0x62, 0x6c, 0x65, 0x00,
};

/* The kernel reads what userspace authors (khoctl author, a bootloader). */
/* The scalars, text and arrays of libkhoreg's "counter0". */
static void kt_libkhoreg_counter(struct kunit *test, struct khoreg_in_entry *e)
{
	bool bits[2];
	u32 queues[4], v32;
	char label[32];
	u8 mac[6], v8;
	size_t len;
	s64 s64v;
	u64 v64;
	u16 v16;
	bool b;

	KUNIT_EXPECT_EQ(test, khoreg_get_u64(e, "count", &v64), 0);
	KUNIT_EXPECT_EQ(test, v64, U64_MAX);
	KUNIT_EXPECT_EQ(test, khoreg_get_s64(e, "delta", &s64v), 0);
	KUNIT_EXPECT_EQ(test, s64v, -42);
	KUNIT_EXPECT_EQ(test, khoreg_get_u8(e, "flags", &v8), 0);
	KUNIT_EXPECT_EQ(test, v8, 255);
	KUNIT_EXPECT_EQ(test, khoreg_get_u16(e, "port", &v16), 0);
	KUNIT_EXPECT_EQ(test, v16, 8080);
	KUNIT_EXPECT_EQ(test, khoreg_get_u32(e, "mtu", &v32), 0);
	KUNIT_EXPECT_EQ(test, v32, 1500);
	KUNIT_EXPECT_EQ(test, khoreg_get_bool(e, "enabled", &b), 0);
	KUNIT_EXPECT_TRUE(test, b);
	KUNIT_EXPECT_EQ(test, khoreg_get_string(e, "label", label,
						sizeof(label)), 0);
	KUNIT_EXPECT_STREQ(test, label, "eth0 \"main\"\n");
	KUNIT_EXPECT_EQ(test, khoreg_get_bytes(e, "mac", mac, sizeof(mac), &len),
			0);
	KUNIT_EXPECT_EQ(test, len, 6);
	KUNIT_EXPECT_EQ(test, memcmp(mac, "\x0a\x1b\x2c\x3d\x4e\x5f", 6), 0);
	KUNIT_EXPECT_EQ(test, khoreg_get_array(e, "queues", KHOREG_TYPE_U32,
					       queues, 4), 0);
	KUNIT_EXPECT_EQ(test, queues[3], 4);
	KUNIT_EXPECT_EQ(test, khoreg_get_array(e, "bits", KHOREG_TYPE_BOOL, bits,
					       2), 0);
	KUNIT_EXPECT_TRUE(test, bits[0] && !bits[1]);
}

/* Memory fields, as sysfs shows them (the memory is not ours). */
static void kt_libkhoreg_memory(struct kunit *test, struct khoreg_in_entry *e)
{
	static const struct {
		unsigned int index;
		const char *shown;
	} mem[] = {
		{ 8, "range 0x80000000 0x5000\n" },
		{ 9, "folio 0x90000000 9\n" },
		{ 10, "vmalloc 0x80000010 16 0\n" },
	};
	struct seq_buf s;
	unsigned int i;
	char *buf;

	buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < ARRAY_SIZE(mem); i++) {
		const struct khoreg_in_field *f = &e->fields[mem[i].index];

		KUNIT_ASSERT_EQ(test, f->err, 0);
		khoreg_value_print(kt_text(&s, buf), f->type, f->count, f->val,
				   f->len);
		KUNIT_EXPECT_STREQ(test, seq_buf_str(&s), mem[i].shown);
	}
}

static void khoreg_test_libkhoreg(struct kunit *test)
{
	static const struct khoreg_schema counter = {
		.compatible = "acme,counter-v2", .version = 2,
	};
	static const struct khoreg_schema queue = {
		.compatible = "acme,queue-v1", .version = 1,
	};
	static const struct khoreg_schema netboot = {
		.compatible = "linux,netboot-config-v1", .version = 1,
	};
	struct khoreg_in_entry *e;
	struct khoreg_in_tree tree;
	char label[32];
	u8 mac[6];
	size_t len;
	u32 v32;

	KUNIT_ASSERT_EQ(test, kt_parse(&tree, kt_libkhoreg_blob,
				       sizeof(kt_libkhoreg_blob)), 0);
	KUNIT_EXPECT_EQ(test, tree.nr_entries, 3);
	KUNIT_EXPECT_EQ(test, tree.nr_problems, 0);

	/* Memory belongs to whoever claims the entry. */
	e = khoreg_in_lookup(&tree, "counter0");
	KUNIT_ASSERT_FALSE(test, IS_ERR(e));
	KUNIT_EXPECT_EQ(test, PTR_ERR(khoreg_restore_pages(e, "ring", &len)),
			-EPERM);
	KUNIT_EXPECT_EQ(test, PTR_ERR(khoreg_restore_folio(e, "page")), -EPERM);
	KUNIT_EXPECT_EQ(test, PTR_ERR(khoreg_restore_vmalloc(e, "log", &len)),
			-EPERM);

	e = khoreg_in_claim(&tree, "counter0", &counter);
	KUNIT_ASSERT_FALSE(test, IS_ERR(e));
	KUNIT_EXPECT_STREQ(test, e->owner, "acme_counter");
	KUNIT_EXPECT_STREQ(test, e->annotations, "stamp=6.12.0 2026-11-27");
	kt_libkhoreg_counter(test, e);
	kt_libkhoreg_memory(test, e);

	e = khoreg_in_claim(&tree, "counter0/queue0", &queue);
	KUNIT_ASSERT_FALSE(test, IS_ERR(e));
	KUNIT_EXPECT_EQ(test, khoreg_get_u32(e, "head", &v32), 0);
	KUNIT_EXPECT_EQ(test, v32, 7);

	e = khoreg_in_claim(&tree, "netboot", &netboot);
	KUNIT_ASSERT_FALSE(test, IS_ERR(e));
	KUNIT_EXPECT_EQ(test, khoreg_get_string(e, "server", label,
						sizeof(label)), 0);
	KUNIT_EXPECT_STREQ(test, label, "10.0.0.1");
	len = 1;
	KUNIT_EXPECT_EQ(test, khoreg_get_bytes(e, "empty", mac, sizeof(mac),
					       &len), 0);
	KUNIT_EXPECT_EQ(test, len, 0);
	khoreg_in_free(&tree);
}

/* ---- malformed incoming blobs ---- */

struct kt_prop {
	const char *name;
	const void *val;
	int len;
};

#define S(n, v)	{ .name = n, .val = v, .len = sizeof(v) }	/* with NUL */
#define B(n, v)	{ .name = n, .val = v, .len = sizeof(v) - 1 }	/* raw */
#define COMPAT	S("compatible", "t,x-v1")
#define VER	B(KHOREG_PROP_VERSION, "\0\0\0\1")
#define FIELDS(v) S(KHOREG_PROP_FIELDS, v)

/* Entry dropped: khoreg_claim() finds nothing. */
#define DROPPED	1

struct kt_case {
	const char *desc;
	const char *node;
	struct kt_prop props[6];
	enum khoreg_type type;
	u32 count;
	int want;
};

static const struct kt_case kt_cases[] = {
	{ "u8 empty", "e", { COMPAT, VER, FIELDS("f:u8"), B("f", "") },
	  KHOREG_TYPE_U8, 0, -EOVERFLOW },
	{ "u8 two bytes", "e", { COMPAT, VER, FIELDS("f:u8"), B("f", "\1\2") },
	  KHOREG_TYPE_U8, 0, -EOVERFLOW },
	{ "u16 one byte", "e", { COMPAT, VER, FIELDS("f:u16"), B("f", "\1") },
	  KHOREG_TYPE_U16, 0, -EOVERFLOW },
	{ "u16 four bytes", "e", { COMPAT, VER, FIELDS("f:u16"),
	  B("f", "\0\0\0\1") }, KHOREG_TYPE_U16, 0, -EOVERFLOW },
	{ "u32 three bytes", "e", { COMPAT, VER, FIELDS("f:u32"),
	  B("f", "\0\0\1") }, KHOREG_TYPE_U32, 0, -EOVERFLOW },
	{ "u32 eight bytes", "e", { COMPAT, VER, FIELDS("f:u32"),
	  B("f", "\0\0\0\0\0\0\0\1") }, KHOREG_TYPE_U32, 0, -EOVERFLOW },
	{ "u64 four bytes", "e", { COMPAT, VER, FIELDS("f:u64"),
	  B("f", "\0\0\0\1") }, KHOREG_TYPE_U64, 0, -EOVERFLOW },
	{ "u64 twelve bytes", "e", { COMPAT, VER, FIELDS("f:u64"),
	  B("f", "\0\0\0\0\0\0\0\0\0\0\0\1") }, KHOREG_TYPE_U64, 0, -EOVERFLOW },
	{ "s64 seven bytes", "e", { COMPAT, VER, FIELDS("f:s64"),
	  B("f", "\0\0\0\0\0\0\1") }, KHOREG_TYPE_S64, 0, -EOVERFLOW },
	{ "bool one byte", "e", { COMPAT, VER, FIELDS("f:bool"), B("f", "\1") },
	  KHOREG_TYPE_BOOL, 0, -EOVERFLOW },
	{ "bool 2", "e", { COMPAT, VER, FIELDS("f:bool"), B("f", "\0\0\0\2") },
	  KHOREG_TYPE_BOOL, 0, -EPROTO },
	{ "bool all ones", "e", { COMPAT, VER, FIELDS("f:bool"),
	  B("f", "\xff\xff\xff\xff") }, KHOREG_TYPE_BOOL, 0, -EPROTO },
	{ "string empty", "e", { COMPAT, VER, FIELDS("f:string"), B("f", "") },
	  KHOREG_TYPE_STRING, 0, -EOVERFLOW },
	{ "string without NUL", "e", { COMPAT, VER, FIELDS("f:string"),
	  B("f", "abc") }, KHOREG_TYPE_STRING, 0, -EPROTO },
	{ "string with inner NUL", "e", { COMPAT, VER, FIELDS("f:string"),
	  S("f", "a\0b") }, KHOREG_TYPE_STRING, 0, -EPROTO },
	{ "string with SOH", "e", { COMPAT, VER, FIELDS("f:string"),
	  S("f", "a\1b") }, KHOREG_TYPE_STRING, 0, -EPROTO },
	{ "string with ESC", "e", { COMPAT, VER, FIELDS("f:string"),
	  S("f", "\033[2J") }, KHOREG_TYPE_STRING, 0, -EPROTO },
	{ "range fifteen bytes", "e", { COMPAT, VER, FIELDS("f:range"),
	  B("f", "\0\0\0\0\0\0\x10\0\0\0\0\0\0\0\x10") }, KHOREG_TYPE_RANGE, 0,
	  -EOVERFLOW },
	{ "range size 0", "e", { COMPAT, VER, FIELDS("f:range"),
	  B("f", "\0\0\0\0\0\0\x10\0\0\0\0\0\0\0\0\0") }, KHOREG_TYPE_RANGE, 0,
	  -EPROTO },
	{ "range phys unaligned", "e", { COMPAT, VER, FIELDS("f:range"),
	  B("f", "\0\0\0\0\0\0\x10\1\0\0\0\0\0\0\x10\0") }, KHOREG_TYPE_RANGE, 0,
	  -EPROTO },
	{ "range size unaligned", "e", { COMPAT, VER, FIELDS("f:range"),
	  B("f", "\0\0\0\0\0\0\x10\0\0\0\0\0\0\0\x10\1") }, KHOREG_TYPE_RANGE, 0,
	  -EPROTO },
	{ "range wraps", "e", { COMPAT, VER, FIELDS("f:range"),
	  B("f", "\xff\xff\xff\xff\xff\xff\xf0\0\0\0\0\0\0\0\x20\0") },
	  KHOREG_TYPE_RANGE, 0, -EPROTO },
	{ "folio sixteen bytes", "e", { COMPAT, VER, FIELDS("f:folio"),
	  B("f", "\0\0\0\0\0\0\x10\0\0\0\0\0\0\0\0\0") }, KHOREG_TYPE_FOLIO, 0,
	  -EOVERFLOW },
	{ "folio order 31", "e", { COMPAT, VER, FIELDS("f:folio"),
	  B("f", "\0\0\0\0\0\0\0\0\0\0\0\x1f") }, KHOREG_TYPE_FOLIO, 0, -EPROTO },
	{ "folio unaligned for its order", "e", { COMPAT, VER, FIELDS("f:folio"),
	  B("f", "\0\0\0\0\0\0\x10\0\0\0\0\2") }, KHOREG_TYPE_FOLIO, 0, -EPROTO },
	{ "vmalloc twelve bytes", "e", { COMPAT, VER, FIELDS("f:vmalloc"),
	  B("f", "\0\0\0\0\0\0\x10\0\0\0\0\1") }, KHOREG_TYPE_VMALLOC, 0,
	  -EOVERFLOW },
	{ "vmalloc descriptor 0", "e", { COMPAT, VER, FIELDS("f:vmalloc"),
	  B("f", "\0\0\0\0\0\0\0\0\0\0\0\1\0\0\0\0") }, KHOREG_TYPE_VMALLOC, 0,
	  -EPROTO },
	{ "vmalloc no pages", "e", { COMPAT, VER, FIELDS("f:vmalloc"),
	  B("f", "\0\0\0\0\0\0\x10\0\0\0\0\0\0\0\0\0") }, KHOREG_TYPE_VMALLOC, 0,
	  -EPROTO },
	{ "vmalloc order 31", "e", { COMPAT, VER, FIELDS("f:vmalloc"),
	  B("f", "\0\0\0\0\0\0\x10\0\0\0\0\1\0\0\0\x1f") }, KHOREG_TYPE_VMALLOC,
	  0, -EPROTO },
	{ "vmalloc descriptor unaligned", "e", { COMPAT, VER,
	  FIELDS("f:vmalloc"), B("f", "\0\0\0\0\0\0\x10\4\0\0\0\1\0\0\0\0") },
	  KHOREG_TYPE_VMALLOC, 0, -EPROTO },
	{ "u32[4] twelve bytes", "e", { COMPAT, VER, FIELDS("f:u32[4]"),
	  B("f", "\0\0\0\1\0\0\0\2\0\0\0\3") }, KHOREG_TYPE_U32, 4, -EOVERFLOW },
	{ "bool[2] holding 3", "e", { COMPAT, VER, FIELDS("f:bool[2]"),
	  B("f", "\0\0\0\1\0\0\0\3") }, KHOREG_TYPE_BOOL, 2, -EPROTO },
	{ "u8[3] four bytes", "e", { COMPAT, VER, FIELDS("f:u8[3]"),
	  B("f", "\1\2\3\4") }, KHOREG_TYPE_U8, 3, -EOVERFLOW },
	{ "field without property", "e", { COMPAT, VER, FIELDS("f:u32") },
	  KHOREG_TYPE_U32, 0, -ENOENT },
	{ "u32 read as u64", "e", { COMPAT, VER, FIELDS("f:u32"),
	  B("f", "\0\0\0\1") }, KHOREG_TYPE_U64, 0, -EPROTO },
	{ "scalar read as array", "e", { COMPAT, VER, FIELDS("f:u32"),
	  B("f", "\0\0\0\1") }, KHOREG_TYPE_U32, 1, -EPROTO },
	{ "array read as scalar", "e", { COMPAT, VER, FIELDS("f:u32[1]"),
	  B("f", "\0\0\0\1") }, KHOREG_TYPE_U32, 0, -EPROTO },
	{ "unknown property", "e", { COMPAT, VER, FIELDS("f:u32"),
	  B("f", "\0\0\0\1"), B("g", "\1") }, KHOREG_TYPE_U32, 0, 0 },
	{ "bad annotations ignored", "e", { COMPAT, VER, FIELDS("f:u32"),
	  B("f", "\0\0\0\1"), S(KHOREG_PROP_ANNOTATIONS, "no-equals") },
	  KHOREG_TYPE_U32, 0, 0 },
	{ "annotation with control", "e", { COMPAT, VER, FIELDS("f:u32"),
	  B("f", "\0\0\0\1"), S(KHOREG_PROP_ANNOTATIONS, "k=\1") },
	  KHOREG_TYPE_U32, 0, 0 },
	{ "unknown type", "e", { COMPAT, VER, FIELDS("f:u128"),
	  B("f", "\0\0\0\1") }, KHOREG_TYPE_U32, 0, DROPPED },
	{ "array of strings", "e", { COMPAT, VER, FIELDS("f:string[2]"),
	  S("f", "a") }, KHOREG_TYPE_STRING, 0, DROPPED },
	{ "array of 0", "e", { COMPAT, VER, FIELDS("f:u32[0]"), B("f", "") },
	  KHOREG_TYPE_U32, 0, DROPPED },
	{ "array too long", "e", { COMPAT, VER, FIELDS("f:u8[4097]"),
	  B("f", "") }, KHOREG_TYPE_U8, 4097, DROPPED },
	{ "array count with leading 0", "e", { COMPAT, VER,
	  FIELDS("f:u8[01]"), B("f", "\1") }, KHOREG_TYPE_U8, 1, DROPPED },
	{ "array without ]", "e", { COMPAT, VER, FIELDS("f:u8[1"),
	  B("f", "\1") }, KHOREG_TYPE_U8, 1, DROPPED },
	{ "upper-case field", "e", { COMPAT, VER, FIELDS("F:u8"), B("F", "\1") },
	  KHOREG_TYPE_U8, 0, DROPPED },
	{ "field named compatible", "e", { COMPAT, VER,
	  FIELDS("compatible:u8") }, KHOREG_TYPE_U8, 0, DROPPED },
	{ "declaration without type", "e", { COMPAT, VER, FIELDS("f"),
	  B("f", "\1") }, KHOREG_TYPE_U8, 0, DROPPED },
	{ "field declared twice", "e", { COMPAT, VER, FIELDS("f:u8\0f:u8"),
	  B("f", "\1") }, KHOREG_TYPE_U8, 0, DROPPED },
	{ "fields not terminated", "e", { COMPAT, VER,
	  B(KHOREG_PROP_FIELDS, "f:u8"), B("f", "\1") }, KHOREG_TYPE_U8, 0,
	  DROPPED },
	{ "empty declaration", "e", { COMPAT, VER, FIELDS("\0f:u8"),
	  B("f", "\1") }, KHOREG_TYPE_U8, 0, DROPPED },
	{ "no khoreg,fields", "e", { COMPAT, VER, B("f", "\1") },
	  KHOREG_TYPE_U8, 0, DROPPED },
	{ "no compatible", "e", { VER, FIELDS("f:u8"), B("f", "\1") },
	  KHOREG_TYPE_U8, 0, DROPPED },
	{ "compatible with space", "e", { S("compatible", "t x"), VER,
	  FIELDS("f:u8"), B("f", "\1") }, KHOREG_TYPE_U8, 0, DROPPED },
	{ "empty compatible", "e", { S("compatible", ""), VER, FIELDS("f:u8"),
	  B("f", "\1") }, KHOREG_TYPE_U8, 0, DROPPED },
	{ "two compatibles", "e", { S("compatible", "t,x-v1\0t,y"), VER,
	  FIELDS("f:u8"), B("f", "\1") }, KHOREG_TYPE_U8, 0, DROPPED },
	{ "compatible not terminated", "e", { B("compatible", "t,x-v1"), VER,
	  FIELDS("f:u8"), B("f", "\1") }, KHOREG_TYPE_U8, 0, DROPPED },
	{ "version of 8 bytes", "e", { COMPAT,
	  B(KHOREG_PROP_VERSION, "\0\0\0\0\0\0\0\1"), FIELDS("f:u8"),
	  B("f", "\1") }, KHOREG_TYPE_U8, 0, DROPPED },
	{ "no version", "e", { COMPAT, FIELDS("f:u8"), B("f", "\1") },
	  KHOREG_TYPE_U8, 0, DROPPED },
	{ "bad owner", "e", { COMPAT, VER, S(KHOREG_PROP_OWNER, "Bad Owner"),
	  FIELDS("f:u8"), B("f", "\1") }, KHOREG_TYPE_U8, 0, DROPPED },
	{ "upper-case entry name", "E", { COMPAT, VER, FIELDS("f:u8"),
	  B("f", "\1") }, KHOREG_TYPE_U8, 0, DROPPED },
	{ "entry name with @", "e@1", { COMPAT, VER, FIELDS("f:u8"),
	  B("f", "\1") }, KHOREG_TYPE_U8, 0, DROPPED },
};

/* A registry blob with one entry @node of properties @props. */
static void *kt_blob(struct kunit *test, const char *node,
		     const struct kt_prop *props, size_t *size)
{
	void *fdt = kunit_kzalloc(test, SZ_64K, GFP_KERNEL);
	unsigned int i;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, fdt);
	err = fdt_create(fdt, SZ_64K);
	err = err ?: fdt_finish_reservemap(fdt);
	err = err ?: fdt_begin_node(fdt, "");
	err = err ?: fdt_property_string(fdt, "compatible", KHOREG_COMPATIBLE);
	err = err ?: fdt_property_u32(fdt, KHOREG_PROP_NR_ENTRIES, 1);
	err = err ?: fdt_begin_node(fdt, node);
	for (i = 0; i < 6 && props[i].name; i++)
		err = err ?: fdt_property(fdt, props[i].name, props[i].val,
					  props[i].len);
	err = err ?: fdt_end_node(fdt);
	err = err ?: fdt_end_node(fdt);
	err = err ?: fdt_finish(fdt);
	KUNIT_ASSERT_EQ(test, err, 0);
	*size = fdt_totalsize(fdt);
	return fdt;
}

static int kt_get(struct khoreg_in_entry *e, enum khoreg_type type, u32 count)
{
	u8 buf[64];
	size_t len;

	if (count)
		return count > 8 ? -EOVERFLOW :
		       khoreg_get_array(e, "f", type, buf, count);
	switch (type) {
	case KHOREG_TYPE_U8:
		return khoreg_get_u8(e, "f", buf);
	case KHOREG_TYPE_U16:
		return khoreg_get_u16(e, "f", (u16 *)buf);
	case KHOREG_TYPE_U32:
		return khoreg_get_u32(e, "f", (u32 *)buf);
	case KHOREG_TYPE_U64:
		return khoreg_get_u64(e, "f", (u64 *)buf);
	case KHOREG_TYPE_S64:
		return khoreg_get_s64(e, "f", (s64 *)buf);
	case KHOREG_TYPE_BOOL:
		return khoreg_get_bool(e, "f", (bool *)buf);
	case KHOREG_TYPE_STRING:
		return khoreg_get_string(e, "f", buf, sizeof(buf));
	case KHOREG_TYPE_BYTES:
		return khoreg_get_bytes(e, "f", buf, sizeof(buf), &len);
	case KHOREG_TYPE_RANGE:
		/* Only malformed values get here: nothing is restored. */
		return PTR_ERR(khoreg_restore_pages(e, "f", &len));
	case KHOREG_TYPE_FOLIO:
		return PTR_ERR(khoreg_restore_folio(e, "f"));
	default:
		return PTR_ERR(khoreg_restore_vmalloc(e, "f", &len));
	}
}

static void kt_case_desc(const struct kt_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kt_malformed, kt_cases, kt_case_desc);

static void khoreg_test_malformed_entry(struct kunit *test)
{
	const struct kt_case *c = test->param_value;
	static const struct khoreg_schema any = {
		.compatible = "t,x-v1", .version = 1,
	};
	struct khoreg_in_tree tree;
	struct khoreg_in_entry *e;
	size_t size;
	void *blob;

	blob = kt_blob(test, c->node, c->props, &size);
	KUNIT_ASSERT_EQ(test, kt_parse(&tree, blob, size), 0);
	e = khoreg_in_claim(&tree, c->node, &any);
	if (c->want == DROPPED) {
		KUNIT_EXPECT_EQ(test, PTR_ERR(e), -ENOENT);
		KUNIT_EXPECT_EQ(test, tree.nr_entries, 0);
		KUNIT_EXPECT_EQ(test, tree.nr_rejected, 1);
	} else {
		KUNIT_ASSERT_FALSE(test, IS_ERR(e));
		KUNIT_EXPECT_EQ(test, kt_get(e, c->type, c->count), c->want);
		KUNIT_EXPECT_NULL(test, e->annotations);
		if (!c->want)
			KUNIT_EXPECT_EQ(test, tree.nr_problems, 1);
	}
	khoreg_in_free(&tree);
}

static void *kt_good_blob(struct kunit *test, size_t *size)
{
	static const struct kt_prop props[] = {
		COMPAT, VER, FIELDS("f:u32\0s:string"), B("f", "\0\0\0\1"),
		S("s", "hello"), {}
	};

	return kt_blob(test, "e", props, size);
}

/* Whole-blob damage: the registry is refused, nothing is used. */
static void khoreg_test_malformed_blob(struct kunit *test)
{
	struct khoreg_in_tree tree;
	struct fdt_header *h;
	size_t size, good;
	u8 *blob, *copy;
	int i, depth;

	blob = kt_good_blob(test, &good);
	copy = kunit_kmalloc(test, SZ_64K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	h = (struct fdt_header *)copy;

	KUNIT_EXPECT_EQ(test, kt_parse(&tree, blob, good), 0);
	KUNIT_EXPECT_EQ(test, tree.nr_entries, 1);
	khoreg_in_free(&tree);

	/* Truncated anywhere. */
	for (size = 0; size < good; size += 4)
		KUNIT_EXPECT_EQ(test, kt_parse(&tree, blob, size), -EINVAL);

	memcpy(copy, blob, good);
	h->magic = 0;
	KUNIT_EXPECT_EQ(test, kt_parse(&tree, copy, good), -EINVAL);

	memcpy(copy, blob, good);
	h->totalsize = cpu_to_fdt32(good + 1);
	KUNIT_EXPECT_EQ(test, kt_parse(&tree, copy, good), -EINVAL);

	memcpy(copy, blob, good);
	h->off_dt_struct = cpu_to_fdt32(good);
	KUNIT_EXPECT_EQ(test, kt_parse(&tree, copy, good), -EINVAL);

	memcpy(copy, blob, good);
	h->size_dt_strings = cpu_to_fdt32(0x7fffffff);
	KUNIT_EXPECT_EQ(test, kt_parse(&tree, copy, good), -EINVAL);

	memcpy(copy, blob, good);
	h->size_dt_struct = cpu_to_fdt32(8);
	KUNIT_EXPECT_EQ(test, kt_parse(&tree, copy, good), -EINVAL);

	memset(copy, 0xff, good);
	KUNIT_EXPECT_EQ(test, kt_parse(&tree, copy, good), -EINVAL);

	/* The root compatible is changed by one letter, then missing. */
	memcpy(copy, blob, good);
	KUNIT_ASSERT_EQ(test, fdt_setprop_inplace(copy, 0, "compatible",
						  "khoreg-registry-v2",
						  sizeof(KHOREG_COMPATIBLE)), 0);
	KUNIT_EXPECT_EQ(test, kt_parse(&tree, copy, good), -EINVAL);
	memcpy(copy, blob, good);
	KUNIT_ASSERT_EQ(test, fdt_nop_property(copy, 0, "compatible"), 0);
	KUNIT_EXPECT_EQ(test, kt_parse(&tree, copy, good), -EINVAL);

	/* Nodes nested deeper than the ABI allows. */
	KUNIT_ASSERT_EQ(test, fdt_create(copy, SZ_64K), 0);
	fdt_finish_reservemap(copy);
	fdt_begin_node(copy, "");
	fdt_property_string(copy, "compatible", KHOREG_COMPATIBLE);
	for (depth = 0; depth < KHOREG_MAX_DEPTH + 2; depth++)
		fdt_begin_node(copy, "n");
	for (depth = 0; depth < KHOREG_MAX_DEPTH + 3; depth++)
		fdt_end_node(copy);
	KUNIT_ASSERT_EQ(test, fdt_finish(copy), 0);
	KUNIT_EXPECT_EQ(test, kt_parse(&tree, copy, fdt_totalsize(copy)),
			-EINVAL);

	/* The structure block ends inside a node. */
	memcpy(copy, blob, good);
	for (i = fdt_off_dt_struct(copy) + fdt_size_dt_struct(copy) - 8;
	     i < fdt_off_dt_struct(copy) + fdt_size_dt_struct(copy); i += 4)
		*(fdt32_t *)(copy + i) = cpu_to_fdt32(FDT_NOP);
	KUNIT_EXPECT_EQ(test, kt_parse(&tree, copy, good), -EINVAL);
}

/* Sibling problems: duplicates, a wrong count, a bad child. */
static void khoreg_test_malformed_tree(struct kunit *test)
{
	static const struct khoreg_schema any = {
		.compatible = "t,x-v1", .version = 1,
	};
	struct khoreg_in_tree tree;
	struct khoreg_in_entry *e;
	u8 *fdt = kunit_kzalloc(test, SZ_64K, GFP_KERNEL);
	int err;

	KUNIT_ASSERT_NOT_NULL(test, fdt);
	err = fdt_create(fdt, SZ_64K);
	err = err ?: fdt_finish_reservemap(fdt);
	err = err ?: fdt_begin_node(fdt, "");
	err = err ?: fdt_property_string(fdt, "compatible", KHOREG_COMPATIBLE);
	err = err ?: fdt_property_u32(fdt, KHOREG_PROP_NR_ENTRIES, 9);
	/* "a" twice: the first one wins. */
	err = err ?: fdt_begin_node(fdt, "a");
	err = err ?: fdt_property_string(fdt, "compatible", "t,x-v1");
	err = err ?: fdt_property_u32(fdt, KHOREG_PROP_VERSION, 1);
	err = err ?: fdt_property(fdt, KHOREG_PROP_FIELDS, "", 0);
	/* a bad child is dropped, with its own children; a good one stays */
	err = err ?: fdt_begin_node(fdt, "bad");
	err = err ?: fdt_begin_node(fdt, "under-bad");
	err = err ?: fdt_end_node(fdt);
	err = err ?: fdt_end_node(fdt);
	err = err ?: fdt_begin_node(fdt, "good");
	err = err ?: fdt_property_string(fdt, "compatible", "t,x-v1");
	err = err ?: fdt_property_u32(fdt, KHOREG_PROP_VERSION, 1);
	err = err ?: fdt_property(fdt, KHOREG_PROP_FIELDS, "", 0);
	err = err ?: fdt_end_node(fdt);
	err = err ?: fdt_end_node(fdt);
	err = err ?: fdt_begin_node(fdt, "a");
	err = err ?: fdt_property_string(fdt, "compatible", "t,x-v1");
	err = err ?: fdt_property_u32(fdt, KHOREG_PROP_VERSION, 2);
	err = err ?: fdt_property(fdt, KHOREG_PROP_FIELDS, "", 0);
	err = err ?: fdt_end_node(fdt);
	err = err ?: fdt_end_node(fdt);
	err = err ?: fdt_finish(fdt);
	KUNIT_ASSERT_EQ(test, err, 0);

	KUNIT_ASSERT_EQ(test, kt_parse(&tree, fdt, fdt_totalsize(fdt)), 0);
	KUNIT_EXPECT_EQ(test, tree.nr_entries, 2);
	KUNIT_EXPECT_EQ(test, tree.nr_rejected, 3);
	e = khoreg_in_claim(&tree, "a", &any);
	KUNIT_ASSERT_FALSE(test, IS_ERR(e));
	KUNIT_EXPECT_EQ(test, e->version, 1);
	KUNIT_EXPECT_FALSE(test, IS_ERR(khoreg_in_claim(&tree, "a/good", &any)));
	KUNIT_EXPECT_EQ(test, PTR_ERR(khoreg_in_lookup(&tree, "a/bad")),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, PTR_ERR(khoreg_in_lookup(&tree,
						       "a/bad/under-bad")),
			-ENOENT);
	/* 2 dropped entries, 1 duplicate, 1 wrong nr-entries. */
	KUNIT_EXPECT_EQ(test, tree.nr_problems, 3);
	khoreg_in_free(&tree);
}

/* Random damage to a good blob: any outcome but a crash or a bad value. */
static void khoreg_test_fuzz(struct kunit *test)
{
	static const struct khoreg_schema any = {
		.compatible = "t,x-v1", .version = 1,
	};
	struct rnd_state rnd;
	struct khoreg_in_tree tree;
	struct khoreg_in_entry *e;
	size_t good, i, n;
	u8 *blob, *copy;
	char s[16];
	u32 v;

	prandom_seed_state(&rnd, 0x6b686f72);
	blob = kt_good_blob(test, &good);
	copy = kunit_kmalloc(test, good, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	for (i = 0; i < 2000; i++) {
		memcpy(copy, blob, good);
		for (n = 1 + prandom_u32_state(&rnd) % 4; n; n--)
			copy[prandom_u32_state(&rnd) % good] =
				prandom_u32_state(&rnd);
		if (kt_parse(&tree, copy, good))
			continue;
		e = khoreg_in_claim(&tree, "e", &any);
		if (!IS_ERR(e)) {
			if (!khoreg_get_u32(e, "f", &v))
				KUNIT_EXPECT_LE(test, e->fields[0].len, 4);
			if (!khoreg_get_string(e, "s", s, sizeof(s)))
				KUNIT_EXPECT_LT(test, strlen(s), sizeof(s));
		}
		khoreg_in_free(&tree);
	}
}

/* ---- walks: cursors, the incoming walk, what the iterators show ---- */

/* Bytes as hex, bounded; annotations with a separator. */
static void kt_walks_text(struct kunit *test, struct khoreg_entry *a,
			  unsigned int h, const u8 *bytes, size_t nr_bytes,
			  char *buf)
{
	struct seq_buf s;

	khoreg_field_print(kt_text(&s, buf), a, NULL, h);
	KUNIT_EXPECT_STREQ(test, seq_buf_str(&s), "bytes 4 00010203\n");
	khoreg_value_print(kt_text(&s, buf), KHOREG_TYPE_BYTES, 0, bytes, 0);
	KUNIT_EXPECT_STREQ(test, seq_buf_str(&s), "bytes 0\n");
	khoreg_value_print(kt_text(&s, buf), KHOREG_TYPE_BYTES, 0, bytes,
			   KHOREG_BYTES_SHOW_MAX);
	KUNIT_EXPECT_EQ(test, strlen(seq_buf_str(&s)),
			6 + 3 + 2 * KHOREG_BYTES_SHOW_MAX + 1);
	KUNIT_EXPECT_NULL(test, strstr(buf, "..."));
	khoreg_value_print(kt_text(&s, buf), KHOREG_TYPE_BYTES, 0, bytes,
			   nr_bytes);
	KUNIT_EXPECT_EQ(test, strncmp(seq_buf_str(&s), "bytes 70 000102", 15),
			0);
	KUNIT_EXPECT_STREQ(test, buf + 9 + 2 * KHOREG_BYTES_SHOW_MAX - 2,
			   "3f...\n");
	khoreg_annotations_print(kt_text(&s, buf), a, NULL, "; ");
	KUNIT_EXPECT_STREQ(test, seq_buf_str(&s), "k=v; z=w w");
}

/* The incoming walk: parents first, in registration order. */
static void kt_walks_incoming(struct kunit *test, const void *blob, char *buf)
{
	static const char * const paths[] = { "a", "a/x", "a/x/y", "b", "c" };
	struct khoreg_in_tree tree;
	struct khoreg_in_entry *in;
	char path[KHOREG_PATH_MAX];
	struct seq_buf s;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, kt_parse(&tree, blob, fdt_totalsize(blob)), 0);
	in = NULL;
	for (i = 0; (in = khoreg_in_entry_next(&tree, in)); i++) {
		if (i >= ARRAY_SIZE(paths))
			break;
		khoreg_in_entry_path(in, path, sizeof(path));
		KUNIT_EXPECT_STREQ(test, path, paths[i]);
	}
	KUNIT_EXPECT_EQ(test, i, ARRAY_SIZE(paths));
	KUNIT_EXPECT_NULL(test, in);
	in = khoreg_in_lookup(&tree, "a");
	KUNIT_ASSERT_FALSE(test, IS_ERR(in));
	for (i = 0; i < in->nr_fields; i++)
		if (!strcmp(in->fields[i].name, "h"))
			break;
	KUNIT_ASSERT_LT(test, i, in->nr_fields);
	khoreg_field_print(kt_text(&s, buf), NULL, in, i);
	KUNIT_EXPECT_STREQ(test, seq_buf_str(&s), "bytes 4 00010203\n");
	khoreg_annotations_print(kt_text(&s, buf), NULL, in, "; ");
	KUNIT_EXPECT_STREQ(test, seq_buf_str(&s), "k=v; z=w w");
	khoreg_in_free(&tree);
}

static void khoreg_test_walks(struct kunit *test)
{
	struct khoreg_registry *reg = kt_registry(test);
	struct khoreg_entry *a, *x, *y, *b, *c;
	struct khoreg_cursor cur = {};
	unsigned int i, h = 0;
	u8 bytes[70];
	size_t size;
	void *blob;
	char *buf;

	buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	a = kt_add(reg, NULL, "a", &kt_schema);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	x = kt_add(reg, a, "x", &kt_child_schema);
	KUNIT_ASSERT_FALSE(test, IS_ERR(x));
	y = kt_add(reg, x, "y", &kt_child_schema);
	KUNIT_ASSERT_FALSE(test, IS_ERR(y));
	b = kt_add(reg, NULL, "b", &kt_child_schema);
	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	for (i = 0; i < sizeof(bytes); i++)
		bytes[i] = i;
	KUNIT_EXPECT_EQ(test, khoreg_set_bytes(a, "h", bytes, 4), 0);
	KUNIT_EXPECT_EQ(test, khoreg_annotate(a, "k", "v"), 0);
	KUNIT_EXPECT_EQ(test, khoreg_annotate(a, "z", "w w"), 0);
	for (i = 0; i < ARRAY_SIZE(kt_fields); i++)
		if (!strcmp(kt_fields[i].name, "h"))
			h = i;

	kt_walks_text(test, a, h, bytes, sizeof(bytes), buf);

	/* A cursor moves past what is removed under it, and only then. */
	mutex_lock(&reg->lock);
	khoreg_cursor_add(reg, &cur);
	cur.entry = y;
	cur.sub = 1;
	mutex_unlock(&reg->lock);
	c = kt_add(reg, NULL, "c", &kt_child_schema);
	KUNIT_ASSERT_FALSE(test, IS_ERR(c));
	KUNIT_EXPECT_PTR_EQ(test, cur.entry, y);
	KUNIT_EXPECT_EQ(test, cur.sub, 1);
	blob = kt_generate(test, reg, &size);
	KUNIT_EXPECT_EQ(test, khoreg_entry_remove(b), 0);
	KUNIT_EXPECT_PTR_EQ(test, cur.entry, y);
	KUNIT_EXPECT_EQ(test, khoreg_entry_remove(x), 0);
	KUNIT_EXPECT_PTR_EQ(test, cur.entry, c);
	KUNIT_EXPECT_EQ(test, cur.sub, 0);
	mutex_lock(&reg->lock);
	cur.entry = a;
	mutex_unlock(&reg->lock);
	KUNIT_EXPECT_EQ(test, khoreg_entry_remove(c), 0);
	KUNIT_EXPECT_PTR_EQ(test, cur.entry, a);
	KUNIT_EXPECT_EQ(test, khoreg_entry_remove(a), 0);
	KUNIT_EXPECT_NULL(test, cur.entry);
	mutex_lock(&reg->lock);
	khoreg_cursor_del(reg, &cur);
	mutex_unlock(&reg->lock);

	kt_walks_incoming(test, blob, buf);
	kvfree(blob);
	kt_remove_all(reg);
}

/* ---- importing an authored blob ---- */

/*
 * A blob generated from one registry imports into another as the same
 * entries: generating the second gives the same bytes. A second import of
 * it collides.
 */
static void khoreg_test_import(struct kunit *test)
{
	struct khoreg_registry *src = kt_registry(test), *dst = kt_registry(test);
	u32 four[4] = { 1, 2, 3, 0xffffffff };
	struct khoreg_import *imp, *again;
	struct khoreg_entry *e, *q;
	size_t size, size2;
	void *blob, *blob2;
	char reason[128];

	e = kt_add(src, NULL, "all", &kt_schema);
	KUNIT_ASSERT_FALSE(test, IS_ERR(e));
	q = kt_add(src, e, "q0", &kt_child_schema);
	KUNIT_ASSERT_FALSE(test, IS_ERR(q));
	KUNIT_ASSERT_FALSE(test, IS_ERR(kt_add(src, NULL, "empty",
					       &kt_child_schema)));
	khoreg_set_u8(e, "a", 0xa5);
	khoreg_set_u64(e, "d", U64_MAX - 1);
	khoreg_set_s64(e, "e", -42);
	khoreg_set_bool(e, "f", true);
	khoreg_set_string(e, "g", "hello");
	khoreg_set_bytes(e, "h", "\x00\x01\x02", 3);
	khoreg_set_array(e, "i", four, 4);
	khoreg_set_u16(q, "head", 7);
	KUNIT_ASSERT_EQ(test, khoreg_annotate(e, "stamp", "kunit"), 0);
	blob = kt_generate(test, src, &size);

	imp = khoreg_import(dst, blob, size, reason, sizeof(reason));
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(imp), "%s", reason);
	KUNIT_EXPECT_EQ(test, dst->nr_entries, 3);
	blob2 = kt_generate(test, dst, &size2);
	KUNIT_EXPECT_EQ(test, fdt_totalsize(blob2), fdt_totalsize(blob));
	KUNIT_EXPECT_MEMEQ(test, blob2, blob, fdt_totalsize(blob));

	again = khoreg_import(dst, blob, size, reason, sizeof(reason));
	KUNIT_EXPECT_EQ(test, PTR_ERR(again), -EEXIST);
	KUNIT_EXPECT_STREQ(test, reason, "entry all exists");
	KUNIT_EXPECT_EQ(test, dst->nr_entries, 3);

	/* A frozen registry takes nothing. */
	kt_remove_all(dst);
	khoreg_import_free(imp);
	mutex_lock(&dst->lock);
	KUNIT_ASSERT_EQ(test, khoreg_freeze(dst, reason, sizeof(reason)), 0);
	mutex_unlock(&dst->lock);
	again = khoreg_import(dst, blob, size, reason, sizeof(reason));
	KUNIT_EXPECT_EQ(test, PTR_ERR(again), -EBUSY);
	mutex_lock(&dst->lock);
	khoreg_thaw(dst);
	mutex_unlock(&dst->lock);
	KUNIT_EXPECT_EQ(test, dst->nr_entries, 0);

	kvfree(blob);
	kvfree(blob2);
	kt_remove_all(src);
}

/* Blobs with problems or memory are refused whole, with a reason. */
static void khoreg_test_import_refused(struct kunit *test)
{
	static const struct kt_prop bad_bool[] = {
		COMPAT, VER, FIELDS("f:u32\0b:bool"), B("f", "\0\0\0\1"),
		B("b", "\0\0\0\2"), {}
	};
	static const struct kt_prop bad_fields[] = {
		COMPAT, VER, FIELDS("f:u128"), B("f", "\0"), {}
	};
	struct khoreg_registry *reg = kt_registry(test);
	struct khoreg_import *imp;
	char reason[128];
	size_t size;
	u8 *blob;

	/* libkhoreg's example holds range, folio and vmalloc fields. */
	imp = khoreg_import(reg, kt_libkhoreg_blob, sizeof(kt_libkhoreg_blob),
			    reason, sizeof(reason));
	KUNIT_EXPECT_EQ(test, PTR_ERR(imp), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(reason, "refers to memory"));

	blob = kt_blob(test, "e", bad_bool, &size);
	imp = khoreg_import(reg, blob, size, reason, sizeof(reason));
	KUNIT_EXPECT_EQ(test, PTR_ERR(imp), -EINVAL);
	KUNIT_EXPECT_STREQ(test, reason,
			   "1 problem(s), the first: e: field b: bad value");

	blob = kt_blob(test, "e", bad_fields, &size);
	imp = khoreg_import(reg, blob, size, reason, sizeof(reason));
	KUNIT_EXPECT_EQ(test, PTR_ERR(imp), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(reason, "problem(s), the first: e:"));

	blob = kt_good_blob(test, &size);
	imp = khoreg_import(reg, blob, size - 8, reason, sizeof(reason));
	KUNIT_EXPECT_EQ(test, PTR_ERR(imp), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(reason, "the blob"));
	KUNIT_ASSERT_EQ(test, fdt_setprop_inplace(blob, 0, "compatible",
						  "khoreg-registry-v2",
						  sizeof(KHOREG_COMPATIBLE)), 0);
	imp = khoreg_import(reg, blob, size, reason, sizeof(reason));
	KUNIT_EXPECT_EQ(test, PTR_ERR(imp), -EINVAL);
	KUNIT_EXPECT_STREQ(test, reason, "not " KHOREG_COMPATIBLE);

	/* A registry without entries imports nothing. */
	KUNIT_ASSERT_EQ(test, fdt_create(blob, SZ_64K), 0);
	fdt_finish_reservemap(blob);
	fdt_begin_node(blob, "");
	fdt_property_string(blob, "compatible", KHOREG_COMPATIBLE);
	fdt_property_u32(blob, KHOREG_PROP_NR_ENTRIES, 0);
	fdt_end_node(blob);
	KUNIT_ASSERT_EQ(test, fdt_finish(blob), 0);
	imp = khoreg_import(reg, blob, fdt_totalsize(blob), reason,
			    sizeof(reason));
	KUNIT_EXPECT_EQ(test, PTR_ERR(imp), -EINVAL);
	KUNIT_EXPECT_STREQ(test, reason, "the blob holds no entry");

	KUNIT_EXPECT_EQ(test, reg->nr_entries, 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&reg->entries));
}

static struct kunit_case khoreg_test_cases[] = {
	KUNIT_CASE(khoreg_test_names),
	KUNIT_CASE(khoreg_test_decls),
	KUNIT_CASE(khoreg_test_register),
	KUNIT_CASE(khoreg_test_setters),
	KUNIT_CASE(khoreg_test_round_trip),
	KUNIT_CASE(khoreg_test_versions),
	KUNIT_CASE(khoreg_test_finish),
	KUNIT_CASE(khoreg_test_unclaim),
	KUNIT_CASE(khoreg_test_freeze),
	KUNIT_CASE(khoreg_test_freeze_pins_first),
	KUNIT_CASE(khoreg_test_sysfs_gone),
	KUNIT_CASE(khoreg_test_concurrent),
	KUNIT_CASE(khoreg_test_libkhoreg),
	KUNIT_CASE_PARAM(khoreg_test_malformed_entry, kt_malformed_gen_params),
	KUNIT_CASE(khoreg_test_malformed_blob),
	KUNIT_CASE(khoreg_test_malformed_tree),
	KUNIT_CASE(khoreg_test_fuzz),
	KUNIT_CASE(khoreg_test_walks),
	KUNIT_CASE(khoreg_test_import),
	KUNIT_CASE(khoreg_test_import_refused),
	{}
};

static struct kunit_suite khoreg_test_suite = {
	.name = "kho_registry",
	.test_cases = khoreg_test_cases,
};

kunit_test_suite(khoreg_test_suite);

MODULE_DESCRIPTION("KUnit tests of the khoreg registry");
MODULE_LICENSE("GPL");
