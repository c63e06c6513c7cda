// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit fuzz suite of the parser of an incoming registry sub-blob,
 * khoreg_in_parse(): mutated copies of a valid blob (two entries, one
 * with a child, fields of every scalar type, a string, bytes and arrays),
 * each in a buffer of exactly its length, are refused, or accepted with
 * every entry and field inside the blob and every value readable by its
 * getter.
 */

#include <kunit/test.h>
#include <linux/kho/fuzz.h>
#include <linux/libfdt.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../registry_internal.h"

#define KHO_FUZZ_REG_SEED	0x6b686f2d72656731ULL
#define KHO_FUZZ_REG_GROW	256
#define KHO_FUZZ_REG_BUF	(KHOREG_ARRAY_MAX * sizeof(u64))

/* A property of the seed: @len bytes of @val. */
struct kho_fuzz_reg_prop {
	const char *name;
	const void *val;
	int len;
};

#define KFR_STR(n, v)	{ .name = n, .val = v, .len = sizeof(v) }
#define KFR_RAW(n, v)	{ .name = n, .val = v, .len = sizeof(v) - 1 }

static const struct kho_fuzz_reg_prop kho_fuzz_reg_net[] = {
	KFR_STR("compatible", "kunit,net-v2"),
	KFR_RAW(KHOREG_PROP_VERSION, "\0\0\0\2"),
	KFR_STR(KHOREG_PROP_OWNER, "kho_netcfg"),
	KFR_STR(KHOREG_PROP_FIELDS, "a:u8\0b:u16\0c:u32\0d:u64\0e:s64\0f:bool\0"
		"g:string\0h:bytes\0i:u32[4]\0j:u8[6]"),
	KFR_RAW("a", "\x5a"),
	KFR_RAW("b", "\xbe\xef"),
	KFR_RAW("c", "\x0a\x00\x02\x0f"),
	KFR_RAW("d", "\x01\x23\x45\x67\x89\xab\xcd\xef"),
	KFR_RAW("e", "\xff\xff\xff\xff\xff\xff\xff\xd6"),
	KFR_RAW("f", "\x01"),
	KFR_STR("g", "eth0"),
	KFR_RAW("h", "\0\1\2\3"),
	KFR_RAW("i", "\0\0\0\1\0\0\0\2\0\0\0\3\xff\xff\xff\xff"),
	KFR_RAW("j", "\x52\x54\x00\x12\x34\x56"),
	KFR_STR(KHOREG_PROP_ANNOTATIONS, "stamp=6.12"),
	{}
};

static const struct kho_fuzz_reg_prop kho_fuzz_reg_queue[] = {
	KFR_STR("compatible", "kunit,queue-v1"),
	KFR_RAW(KHOREG_PROP_VERSION, "\0\0\0\1"),
	KFR_STR(KHOREG_PROP_FIELDS, "head:u16\0tail:u16"),
	KFR_RAW("head", "\0\7"),
	KFR_RAW("tail", "\0\10"),
	{}
};

static int kho_fuzz_reg_props(void *fdt, const struct kho_fuzz_reg_prop *p)
{
	int err = 0;

	for (; p->name && !err; p++)
		err = fdt_property(fdt, p->name, p->val, p->len);
	return err;
}

static void *kho_fuzz_reg_seed(struct kunit *test, size_t *len)
{
	void *fdt = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	int err;

	KUNIT_ASSERT_NOT_NULL(test, fdt);
	err = fdt_create(fdt, PAGE_SIZE);
	err = err ?: fdt_finish_reservemap(fdt);
	err = err ?: fdt_begin_node(fdt, "");
	err = err ?: fdt_property_string(fdt, "compatible", KHOREG_COMPATIBLE);
	err = err ?: fdt_property_u32(fdt, KHOREG_PROP_NR_ENTRIES, 3);
	err = err ?: fdt_begin_node(fdt, "net");
	err = err ?: kho_fuzz_reg_props(fdt, kho_fuzz_reg_net);
	err = err ?: fdt_begin_node(fdt, "q0");
	err = err ?: kho_fuzz_reg_props(fdt, kho_fuzz_reg_queue);
	err = err ?: fdt_end_node(fdt);
	err = err ?: fdt_end_node(fdt);
	err = err ?: fdt_begin_node(fdt, "q1");
	err = err ?: kho_fuzz_reg_props(fdt, kho_fuzz_reg_queue);
	err = err ?: fdt_end_node(fdt);
	err = err ?: fdt_end_node(fdt);
	err = err ?: fdt_finish(fdt);
	KUNIT_ASSERT_EQ(test, err, 0);
	*len = fdt_totalsize(fdt);
	return fdt;
}

static bool kho_fuzz_reg_inside(const struct khoreg_in_tree *tree,
				const void *p, size_t len)
{
	return p >= tree->blob && len <= tree->size &&
	       p - tree->blob <= tree->size - len;
}

static bool kho_fuzz_reg_string(const struct khoreg_in_tree *tree,
				const char *s)
{
	size_t room;

	if (!kho_fuzz_reg_inside(tree, s, 1))
		return false;
	room = tree->size - (s - (const char *)tree->blob);
	return strnlen(s, room) < room;
}

/* Read field @fld of @e with its getter; values need not make sense. */
static void kho_fuzz_reg_get(struct khoreg_in_entry *e,
			     const struct khoreg_in_field *fld, void *buf)
{
	size_t len;

	if (fld->count) {
		khoreg_get_array(e, fld->name, fld->type, buf, fld->count);
		return;
	}
	switch (fld->type) {
	case KHOREG_TYPE_U8:
		khoreg_get_u8(e, fld->name, buf);
		break;
	case KHOREG_TYPE_U16:
		khoreg_get_u16(e, fld->name, buf);
		break;
	case KHOREG_TYPE_U32:
		khoreg_get_u32(e, fld->name, buf);
		break;
	case KHOREG_TYPE_U64:
		khoreg_get_u64(e, fld->name, buf);
		break;
	case KHOREG_TYPE_S64:
		khoreg_get_s64(e, fld->name, buf);
		break;
	case KHOREG_TYPE_BOOL:
		khoreg_get_bool(e, fld->name, buf);
		break;
	case KHOREG_TYPE_STRING:
		khoreg_get_string(e, fld->name, buf, KHO_FUZZ_REG_BUF);
		break;
	case KHOREG_TYPE_BYTES:
		khoreg_get_bytes(e, fld->name, buf, KHO_FUZZ_REG_BUF, &len);
		break;
	default:
		/* Memory fields restore memory: not with made-up addresses. */
		break;
	}
}

/* What an accepted tree must be; the first thing it is not, or NULL. */
static const char *kho_fuzz_reg_wrong(struct khoreg_in_tree *tree, void *buf)
{
	struct khoreg_in_entry *e = NULL;
	unsigned int nr = 0, i;

	if (kho_fuzz_fdt_read_all(tree->blob))
		return "libfdt cannot read all of it";
	while ((e = khoreg_in_entry_next(tree, e))) {
		if (++nr > tree->nr_entries)
			return "it walks to more entries than it counts";
		if (!kho_fuzz_reg_string(tree, e->name) ||
		    !kho_fuzz_reg_string(tree, e->compatible))
			return "an entry's name or compatible is outside the blob";
		if (e->nr_fields > KHOREG_MAX_FIELDS)
			return "an entry has too many fields";
		for (i = 0; i < e->nr_fields; i++) {
			const struct khoreg_in_field *fld = &e->fields[i];

			if (fld->count > KHOREG_ARRAY_MAX)
				return "a field is too long an array";
			if (fld->val && !kho_fuzz_reg_inside(tree, fld->val, fld->len))
				return "a field's value is outside the blob";
			kho_fuzz_reg_get(e, fld, buf);
		}
	}
	if (nr != tree->nr_entries)
		return "it walks to fewer entries than it counts";
	return NULL;
}

static void kho_fuzz_reg(struct kunit *test)
{
	struct khoreg_in_tree tree;
	size_t seed_len, len;
	void *seed, *in, *buf;
	const char *wrong;
	struct kho_fuzz f;
	int err;

	seed = kho_fuzz_reg_seed(test, &seed_len);
	buf = kunit_kzalloc(test, KHO_FUZZ_REG_BUF, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	kho_fuzz_begin(&f, test, KHO_FUZZ_REG_SEED);
	while (kho_fuzz_next(&f)) {
		len = seed_len;
		/* The tree owns the input once accepted, and kvfree()s it. */
		in = kho_fuzz_input(&f, seed, &len, seed_len + KHO_FUZZ_REG_GROW);
		memset(&tree, 0, sizeof(tree));
		mutex_init(&tree.lock);
		INIT_LIST_HEAD(&tree.entries);
		err = khoreg_in_parse(&tree, in, len, NULL, 0);
		if (err) {
			KUNIT_EXPECT_EQ(test, err, -EINVAL);
			kvfree(in);
			continue;
		}
		/* Accepted means usable: at least the blob as a whole. */
		if (tree.nr_entries)
			f.accepted++;
		wrong = kho_fuzz_reg_wrong(&tree, buf);
		KUNIT_EXPECT_NULL_MSG(test, wrong, "input %lu accepted but %s",
				      f.nr, wrong);
		khoreg_in_free(&tree);
	}
	kho_fuzz_end(&f);
}

static struct kunit_case kho_fuzz_reg_cases[] = {
	KUNIT_CASE_SLOW(kho_fuzz_reg),
	{}
};

static struct kunit_suite kho_fuzz_reg_suite = {
	.name = "kho_fuzz_registry",
	.test_cases = kho_fuzz_reg_cases,
};

kunit_test_suite(kho_fuzz_reg_suite);
