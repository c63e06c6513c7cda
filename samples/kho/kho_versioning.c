// SPDX-License-Identifier: GPL-2.0-only
/*
 * kho_versioning: a driver whose handed-over state changes format.
 *
 * What it teaches: how the registry's version rules let the state of a
 * driver change format between the kernel that writes it and the kernel
 * that reads it (Documentation/kho/registry.rst, "Restoring it"). The
 * driver keeps one entry, "versioning", in one of three formats:
 *
 *   v1  "khoreg,versioning-v1"  kexecs u32, name string (16 bytes),
 *                               timeout_ms u32
 *   v2  "khoreg,versioning-v2"  kexecs u64 (widened), label string (64
 *                               bytes; "name" renamed and widened),
 *                               timeout_us u64 (finer unit), first_version
 *                               u32 (new: the format the state was first
 *                               written in; 1 when upgraded from v1)
 *   v3  "khoreg,versioning-v3"  a future format (timeout_ns instead of
 *                               timeout_us) that neither reader knows
 *
 * The "format" parameter picks the format this kernel writes, so one test
 * kernel can play the old driver (1), the current one (2) or a future one
 * (3). The reader of the old driver accepts exactly version 1 (a schema
 * with .version = 1 and no .min_version); the current reader, also used by
 * format 3, accepts versions 1 to 2 (.version = 2, .min_version = 1),
 * looks at khoreg_in_version() and reads v1 state with the v1 getters,
 * upgrading it to v2. A version outside the accepted range is refused by
 * khoreg_claim() with -EPROTO: the driver logs why, leaves the entry
 * unclaimed (/sys/firmware/kho/registry/versioning/claimed stays 0, and its
 * memory, had it any, goes back when the handover finishes) and starts
 * afresh. Unloading the module unregisters the entry.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kho/registry.h>
#include <linux/limits.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#define KV_NAME		"versioning"
#define KV_V1_NAME_MAX	16	/* bytes, NUL included */
#define KV_LABEL_MAX	64	/* bytes, NUL included */

static const struct khoreg_field kv_v1_fields[] = {
	KHOREG_FIELD("kexecs", U32),
	KHOREG_STRING("name", KV_V1_NAME_MAX),
	KHOREG_FIELD("timeout_ms", U32),
};

static const struct khoreg_field kv_v2_fields[] = {
	KHOREG_FIELD("kexecs", U64),
	KHOREG_STRING("label", KV_LABEL_MAX),
	KHOREG_FIELD("timeout_us", U64),
	KHOREG_FIELD("first_version", U32),
};

static const struct khoreg_field kv_v3_fields[] = {
	KHOREG_FIELD("kexecs", U64),
	KHOREG_STRING("label", KV_LABEL_MAX),
	KHOREG_FIELD("timeout_ns", U64),
	KHOREG_FIELD("first_version", U32),
};

/* Index: the format. Each also reads, as said in the header comment. */
static const struct khoreg_schema kv_schemas[] = {
	[1] = {
		.compatible = "khoreg,versioning-v1",
		.version = 1,		/* exact: reads version 1 only */
		.fields = kv_v1_fields,
		.nr_fields = ARRAY_SIZE(kv_v1_fields),
	},
	[2] = {
		.compatible = "khoreg,versioning-v2",
		.version = 2,
		.min_version = 1,	/* reads versions 1 to 2 */
		.fields = kv_v2_fields,
		.nr_fields = ARRAY_SIZE(kv_v2_fields),
	},
	[3] = {
		.compatible = "khoreg,versioning-v3",
		.version = 3,
		.min_version = 3,
		.fields = kv_v3_fields,
		.nr_fields = ARRAY_SIZE(kv_v3_fields),
	},
};

/* The state, kept in memory in the current (v2) shape. */
struct kv_state {
	u64 kexecs;			/* kexecs the state survived */
	char label[KV_LABEL_MAX];
	u64 timeout_us;
	u32 first_version;
};

static struct khoreg_entry *kv_entry;

static unsigned int format = 2;
module_param(format, uint, 0444);
MODULE_PARM_DESC(format,
		 "state format this kernel writes: 1 (old driver, reads v1 only), 2 (current, reads v1 and v2; default), 3 (a future driver; reads as 2)");

static char *label = "khoreg";
module_param(label, charp, 0444);
MODULE_PARM_DESC(label, "label of new state (default \"khoreg\"); restored state keeps its own");

static unsigned int timeout_ms = 1000;
module_param(timeout_ms, uint, 0444);
MODULE_PARM_DESC(timeout_ms, "timeout of new state, in milliseconds (default 1000)");

static int kv_read_v1(struct khoreg_in_entry *in, struct kv_state *st)
{
	char name[KV_V1_NAME_MAX];
	u32 kexecs, ms;
	int err;

	err = khoreg_get_u32(in, "kexecs", &kexecs);
	err = err ?: khoreg_get_string(in, "name", name, sizeof(name));
	err = err ?: khoreg_get_u32(in, "timeout_ms", &ms);
	if (err)
		return err;
	/* The upgrade: widen, rename, convert the unit, derive the new field. */
	st->kexecs = kexecs;
	strscpy(st->label, name);
	st->timeout_us = (u64)ms * USEC_PER_MSEC;
	st->first_version = 1;
	if (format != 1)
		pr_info("upgraded v1 state: name=%s became label, timeout_ms=%u became timeout_us=%llu, first_version=1\n",
			name, ms, st->timeout_us);
	return 0;
}

static int kv_read_v2(struct khoreg_in_entry *in, struct kv_state *st)
{
	int err;

	err = khoreg_get_u64(in, "kexecs", &st->kexecs);
	err = err ?: khoreg_get_string(in, "label", st->label, sizeof(st->label));
	err = err ?: khoreg_get_u64(in, "timeout_us", &st->timeout_us);
	err = err ?: khoreg_get_u32(in, "first_version", &st->first_version);
	return err;
}

/* Restore the state the previous kernel handed over, in whichever format. */
static int kv_restore(struct kv_state *st, u32 *version)
{
	const struct khoreg_schema *reader = &kv_schemas[format == 1 ? 1 : 2];
	struct khoreg_in_entry *in;
	int err;

	in = khoreg_find(KV_NAME);
	if (IS_ERR(in))
		return PTR_ERR(in);
	*version = khoreg_in_version(in);
	in = khoreg_claim(KV_NAME, reader);
	if (IS_ERR(in)) {
		err = PTR_ERR(in);
		if (err == -EPROTO)
			pr_warn("refusing version %u state: this driver reads versions %u to %u; left unclaimed\n",
				*version, reader->min_version ?: reader->version,
				reader->version);
		return err;
	}
	err = *version == 1 ? kv_read_v1(in, st) : kv_read_v2(in, st);
	if (!err)
		st->kexecs++;
	return err;
}

static int kv_declare(const struct kv_state *st)
{
	char name[KV_V1_NAME_MAX];
	struct khoreg_entry *e;
	int err;

	e = khoreg_register(KV_NAME, &kv_schemas[format], NULL);
	if (IS_ERR(e))
		return PTR_ERR(e);
	switch (format) {
	case 1:
		/* The old format is narrower: values that do not fit are cut. */
		if (strscpy(name, st->label) < 0)
			pr_warn("v1 cuts the label to %s\n", name);
		err = khoreg_set_u32(e, "kexecs", min_t(u64, st->kexecs, U32_MAX));
		err = err ?: khoreg_set_string(e, "name", name);
		err = err ?: khoreg_set_u32(e, "timeout_ms",
					    min_t(u64, st->timeout_us / USEC_PER_MSEC,
						  U32_MAX));
		break;
	default:
		err = khoreg_set_u64(e, "kexecs", st->kexecs);
		err = err ?: khoreg_set_string(e, "label", st->label);
		err = err ?: khoreg_set_u32(e, "first_version", st->first_version);
		if (format == 2)
			err = err ?: khoreg_set_u64(e, "timeout_us", st->timeout_us);
		else
			err = err ?: khoreg_set_u64(e, "timeout_ns",
						    st->timeout_us * NSEC_PER_USEC);
		break;
	}
	if (err) {
		khoreg_unregister(e);
		return err;
	}
	kv_entry = e;
	return 0;
}

static int __init kv_init(void)
{
	struct kv_state st = {};
	u32 version = 0;
	int err;

	if (format < 1 || format > 3) {
		pr_err("format must be 1, 2 or 3\n");
		return -EINVAL;
	}
	if (strlen(label) >= KV_LABEL_MAX) {
		pr_err("label is longer than %d characters\n", KV_LABEL_MAX - 1);
		return -EINVAL;
	}

	err = kv_restore(&st, &version);
	if (!err) {
		pr_info("restored v%u state: kexecs=%llu label=%s timeout_us=%llu first_version=%u\n",
			version, st.kexecs, st.label, st.timeout_us,
			st.first_version);
	} else if (err == -ENOENT || err == -EPROTO || err == -EBUSY) {
		/* Nothing, nothing we can read, or claimed by an earlier load. */
		memset(&st, 0, sizeof(st));
		strscpy(st.label, label);
		st.timeout_us = (u64)timeout_ms * USEC_PER_MSEC;
		st.first_version = format;
		pr_info("new state: label=%s timeout_us=%llu\n", st.label,
			st.timeout_us);
	} else {
		pr_err("cannot restore the state (%d)\n", err);
		return err;
	}

	err = kv_declare(&st);
	if (err) {
		pr_err("cannot register the state (%d)\n", err);
		return err;
	}
	pr_info("writes v%u: kexecs=%llu\n", format, st.kexecs);
	return 0;
}
module_init(kv_init);

static void __exit kv_exit(void)
{
	/* The registry keeps the module loaded while the handover is finalized. */
	WARN_ON(khoreg_unregister(kv_entry));
}
module_exit(kv_exit);

MODULE_DESCRIPTION("Kexec HandOver sample: state whose format moves from v1 to v2");
MODULE_LICENSE("GPL");
