// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the BPF side of khoreg: the argument checks of the
 * bpf_kho_annotate() and bpf_kho_refuse() kfuncs and of the
 * kho_validator_ops struct_ops (its name, sleepable programs, attaching
 * while finalized), and how a validator's verdict reaches the reason of a
 * refused handover. The kfuncs and callbacks are called directly, as the
 * verifier lets a program call them, on a registry of the test's own.
 */

#include <kunit/test.h>
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/seq_buf.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../bpf_internal.h"
#include "../registry_internal.h"

static const struct khoreg_field kb_fields[] = {
	KHOREG_FIELD("n", U32),
};

static const struct khoreg_schema kb_schema = {
	.compatible = "kunit,bpf-v1",
	.version = 1,
	.fields = kb_fields,
	.nr_fields = ARRAY_SIZE(kb_fields),
};

static struct khoreg_registry *kb_registry(struct kunit *test)
{
	struct khoreg_registry *reg = kunit_kzalloc(test, sizeof(*reg),
						    GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, reg);
	khoreg_registry_init(reg);
	return reg;
}

static struct khoreg_entry *kb_add(struct kunit *test,
				   struct khoreg_registry *reg,
				   struct khoreg_entry *parent,
				   const char *name)
{
	struct khoreg_entry *e = khoreg_entry_add(reg, parent, name,
						  &kb_schema, NULL, NULL);

	KUNIT_ASSERT_FALSE(test, IS_ERR(e));
	return e;
}

/* Freeze @reg as finalize does; the reason of a refusal in @reason. */
static int kb_freeze(struct khoreg_registry *reg, char *reason, size_t len)
{
	int err;

	mutex_lock(&reg->lock);
	err = khoreg_freeze(reg, reason, len);
	mutex_unlock(&reg->lock);
	return err;
}

static void kb_thaw(struct khoreg_registry *reg)
{
	mutex_lock(&reg->lock);
	khoreg_thaw(reg);
	mutex_unlock(&reg->lock);
}

/* bpf_kho_annotate() as a kho_registry iterator calls it: lock held. */
static int kb_annotate(struct khoreg_entry *e, const char *key, u32 key_sz,
		       const char *value, u32 value_sz)
{
	int err;

	if (!e)
		return bpf_kho_annotate(NULL, key, key_sz, value, value_sz);
	mutex_lock(&e->reg->lock);
	err = bpf_kho_annotate(e, key, key_sz, value, value_sz);
	mutex_unlock(&e->reg->lock);
	return err;
}

static void kho_bpf_test_annotate(struct kunit *test)
{
	struct khoreg_registry *reg = kb_registry(test);
	struct khoreg_entry *e = kb_add(test, reg, NULL, "e");
	char key[KHOREG_NAME_MAX + 2], value[258], reason[128];
	struct seq_buf s;
	char *buf;
	int i;

	buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	/* NULL, empty and unterminated arguments. */
	KUNIT_EXPECT_EQ(test, kb_annotate(NULL, "k", 2, "v", 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, kb_annotate(e, NULL, 2, "v", 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, kb_annotate(e, "k", 2, NULL, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, kb_annotate(e, "k", 0, "v", 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, kb_annotate(e, "k", 2, "v", 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, kb_annotate(e, "key", 3, "v", 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, kb_annotate(e, "k", 2, "value", 5), -EINVAL);

	/* Oversized buffers, and the longest key and value that fit. */
	memset(key, 'k', sizeof(key));
	memset(value, 'v', sizeof(value));
	key[KHOREG_NAME_MAX + 1] = '\0';
	KUNIT_EXPECT_EQ(test, kb_annotate(e, key, KHOREG_NAME_MAX + 2, "v", 2),
			-E2BIG);
	value[256] = '\0';
	KUNIT_EXPECT_EQ(test, kb_annotate(e, "k", 2, value, 257), -E2BIG);
	KUNIT_EXPECT_EQ(test, kb_annotate(e, key, KHOREG_NAME_MAX + 1, "v", 2),
			-EINVAL);
	key[KHOREG_NAME_MAX] = '\0';
	value[255] = '\0';
	KUNIT_EXPECT_EQ(test, kb_annotate(e, key, KHOREG_NAME_MAX + 1, value,
					  256), 0);
	KUNIT_EXPECT_EQ(test, e->nr_annotations, 1);

	/* Bad characters in the key or the value. */
	KUNIT_EXPECT_EQ(test, kb_annotate(e, "", 1, "v", 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, kb_annotate(e, "Key", 4, "v", 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, kb_annotate(e, "a b", 4, "v", 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, kb_annotate(e, "a=b", 4, "v", 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, kb_annotate(e, "a/b", 4, "v", 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, kb_annotate(e, "k", 2, "a\x01z", 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, e->nr_annotations, 1);

	/* A key replaces its annotation; at most KHOREG_MAX_ANNOTATIONS. */
	for (i = 1; i < KHOREG_MAX_ANNOTATIONS; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		KUNIT_EXPECT_EQ(test, kb_annotate(e, key, strlen(key) + 1, "1",
						  2), 0);
	}
	KUNIT_EXPECT_EQ(test, e->nr_annotations, KHOREG_MAX_ANNOTATIONS);
	KUNIT_EXPECT_EQ(test, kb_annotate(e, "more", 5, "v", 2), -ENOSPC);
	KUNIT_EXPECT_EQ(test, kb_annotate(e, "k1", 3, "again", 6), 0);
	KUNIT_EXPECT_EQ(test, e->nr_annotations, KHOREG_MAX_ANNOTATIONS);
	seq_buf_init(&s, buf, PAGE_SIZE);
	khoreg_annotations_print(&s, e, NULL, "\n");
	KUNIT_EXPECT_NOT_NULL(test, strstr(seq_buf_str(&s), "\nk1=again\n"));
	KUNIT_EXPECT_NULL(test, strstr(buf, "more"));

	/* Refused once finalized, allowed again after an abort. */
	KUNIT_ASSERT_EQ(test, kb_freeze(reg, reason, sizeof(reason)), 0);
	KUNIT_EXPECT_EQ(test, kb_annotate(e, "k1", 3, "late", 5), -EBUSY);
	kb_thaw(reg);
	KUNIT_EXPECT_EQ(test, kb_annotate(e, "k1", 3, "late", 5), 0);
	khoreg_entry_remove(e);
}

static void kho_bpf_test_refuse(struct kunit *test)
{
	struct kho_bpf_verdict *v = kunit_kzalloc(test, sizeof(*v), GFP_KERNEL);
	char *long_reason = kunit_kzalloc(test, 300, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, v);
	KUNIT_ASSERT_NOT_NULL(test, long_reason);
	KUNIT_EXPECT_EQ(test, bpf_kho_refuse(NULL, "why", 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, bpf_kho_refuse(v, NULL, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, bpf_kho_refuse(v, "why", 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, bpf_kho_refuse(v, "", 1), -EINVAL);
	KUNIT_EXPECT_STREQ(test, v->reason, "");

	KUNIT_EXPECT_EQ(test, bpf_kho_refuse(v, "too big", 8), 0);
	KUNIT_EXPECT_STREQ(test, v->reason, "too big");
	/* Cut at the size given, the first NUL, or 255 characters. */
	KUNIT_EXPECT_EQ(test, bpf_kho_refuse(v, "abcdef", 3), 0);
	KUNIT_EXPECT_STREQ(test, v->reason, "abc");
	KUNIT_EXPECT_EQ(test, bpf_kho_refuse(v, "ab\0cd", 6), 0);
	KUNIT_EXPECT_STREQ(test, v->reason, "ab");
	memset(long_reason, 'r', 299);
	KUNIT_EXPECT_EQ(test, bpf_kho_refuse(v, long_reason, 300), 0);
	KUNIT_EXPECT_EQ(test, strlen(v->reason), KHO_BPF_REASON_MAX - 1);
}

static void kho_bpf_test_members(struct kunit *test)
{
	struct kho_validator_ops *kops, *uops;
	struct btf_member name = {
		.offset = offsetof(struct kho_validator_ops, name) * 8,
	};
	struct btf_member entry = {
		.offset = offsetof(struct kho_validator_ops, validate_entry) * 8,
	};
	static const struct {
		const char *name;
		int ret;
	} names[] = {
		{ "kho_policy", 1 }, { "v.2", 1 },
		{ "0123456789012345678901234567890", 1 },
		{ "", -EINVAL }, { "bad name", -EINVAL }, { "a/b", -EINVAL },
		{ "a-b", -EINVAL }, { "tab\there", -EINVAL },
		{ "01234567890123456789012345678901", -EINVAL },
	};
	struct btf_type t = {};
	struct bpf_prog *prog;
	unsigned int i;

	kops = kunit_kzalloc(test, sizeof(*kops), GFP_KERNEL);
	uops = kunit_kzalloc(test, sizeof(*uops), GFP_KERNEL);
	prog = kunit_kzalloc(test, sizeof(*prog), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, kops);
	KUNIT_ASSERT_NOT_NULL(test, uops);
	KUNIT_ASSERT_NOT_NULL(test, prog);

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		memset(uops->name, 0, sizeof(uops->name));
		memcpy(uops->name, names[i].name,
		       min(strlen(names[i].name), sizeof(uops->name)));
		memset(kops->name, 0, sizeof(kops->name));
		KUNIT_EXPECT_EQ_MSG(test, kho_ops_init_member(&t, &name, kops,
							      uops),
				    names[i].ret, "name \"%s\"", names[i].name);
		if (names[i].ret > 0)
			KUNIT_EXPECT_STREQ(test, kops->name, names[i].name);
	}
	/* Function members are the struct_ops core's business. */
	KUNIT_EXPECT_EQ(test, kho_ops_init_member(&t, &entry, kops, uops), 0);

	/* Validators run with the registry lock held: no sleeping. */
	KUNIT_EXPECT_EQ(test, kho_ops_check_member(&t, &entry, prog), 0);
	prog->sleepable = 1;
	KUNIT_EXPECT_EQ(test, kho_ops_check_member(&t, &entry, prog), -EINVAL);
}

/* What the validator under test does: see kho_bpf_test_validate(). */
static struct {
	int entry_ret;
	const char *entry_path;
	int handover_ret;
	struct kho_bpf_handover seen;
	unsigned int nr_calls;
} kb_val;

static int kb_validate_entry(const struct khoreg_entry *entry,
			     struct kho_bpf_verdict *verdict)
{
	char path[KHOREG_PATH_MAX];

	kb_val.nr_calls++;
	khoreg_entry_path(entry, path, sizeof(path));
	if (!kb_val.entry_ret || strcmp(path, kb_val.entry_path))
		return 0;
	bpf_kho_refuse(verdict, "not this one", 13);
	return kb_val.entry_ret;
}

static int kb_validate_handover(const struct kho_bpf_handover *handover,
				struct kho_bpf_verdict *verdict)
{
	kb_val.seen = *handover;
	if (kb_val.handover_ret)
		bpf_kho_refuse(verdict, "whole", 6);
	return kb_val.handover_ret;
}

static void kho_bpf_test_validate(struct kunit *test)
{
	static const struct {
		int entry_ret, handover_ret, err;
		const char *reason;
	} cases[] = {
		{ -ENOSPC, 0, -ENOSPC, "entry e/c: kb (-28): not this one" },
		/* Positive and out-of-range errors refuse with -EPERM. */
		{ 5, 0, -EPERM, "entry e/c: kb (-1): not this one" },
		{ -5000, 0, -EPERM, "entry e/c: kb (-1): not this one" },
		{ 0, -E2BIG, -E2BIG, "kb (-7): whole" },
		{ 0, 0, 0, NULL },
	};
	struct khoreg_registry *reg = kb_registry(test);
	struct kho_validator_ops *ops, *late;
	struct khoreg_entry *e, *c, *f;
	char reason[128];
	size_t size;
	unsigned int i;
	int err;

	ops = kunit_kzalloc(test, sizeof(*ops), GFP_KERNEL);
	late = kunit_kzalloc(test, sizeof(*late), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ops);
	KUNIT_ASSERT_NOT_NULL(test, late);
	ops->validate_entry = kb_validate_entry;
	ops->validate_handover = kb_validate_handover;
	strscpy(ops->name, "kb");
	strscpy(late->name, "late");
	e = kb_add(test, reg, NULL, "e");
	c = kb_add(test, reg, e, "c");
	f = kb_add(test, reg, NULL, "f");
	KUNIT_ASSERT_EQ(test, kho_bpf_attach(reg, ops), 0);

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(&kb_val, 0, sizeof(kb_val));
		kb_val.entry_ret = cases[i].entry_ret;
		kb_val.entry_path = "e/c";
		kb_val.handover_ret = cases[i].handover_ret;
		reason[0] = '\0';
		err = kb_freeze(reg, reason, sizeof(reason));
		KUNIT_EXPECT_EQ_MSG(test, err, cases[i].err, "case %u", i);
		if (cases[i].reason)
			KUNIT_EXPECT_STREQ(test, reason, cases[i].reason);
		KUNIT_EXPECT_EQ(test, reg->frozen, !err);
	}
	/* The last case passed: every entry, then the whole handover. */
	KUNIT_EXPECT_EQ(test, kb_val.nr_calls, 3);
	KUNIT_EXPECT_EQ(test, kb_val.seen.nr_entries, 3);
	mutex_lock(&reg->lock);
	size = khoreg_fdt_size(reg);
	mutex_unlock(&reg->lock);
	KUNIT_EXPECT_EQ(test, kb_val.seen.registry_bytes, size);
	KUNIT_EXPECT_EQ(test, kb_val.seen.preserved_bytes, 0);

	/* Attaching while finalized is refused. */
	KUNIT_EXPECT_EQ(test, kho_bpf_attach(reg, late), -EBUSY);
	kb_thaw(reg);

	/* Detaching restores the default policy. */
	kho_bpf_detach(ops);
	kb_val.entry_ret = -EPERM;
	KUNIT_EXPECT_EQ(test, kb_freeze(reg, reason, sizeof(reason)), 0);
	kb_thaw(reg);
	KUNIT_EXPECT_EQ(test, khoreg_entry_remove(c), 0);
	KUNIT_EXPECT_EQ(test, khoreg_entry_remove(e), 0);
	KUNIT_EXPECT_EQ(test, khoreg_entry_remove(f), 0);
}

static struct kunit_case kho_bpf_test_cases[] = {
	KUNIT_CASE(kho_bpf_test_annotate),
	KUNIT_CASE(kho_bpf_test_refuse),
	KUNIT_CASE(kho_bpf_test_members),
	KUNIT_CASE(kho_bpf_test_validate),
	{}
};

static struct kunit_suite kho_bpf_test_suite = {
	.name = "kho_bpf",
	.test_cases = kho_bpf_test_cases,
};

kunit_test_suite(kho_bpf_test_suite);

MODULE_DESCRIPTION("KUnit tests of the BPF kfuncs and struct_ops of khoreg");
MODULE_LICENSE("GPL");
