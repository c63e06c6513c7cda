// SPDX-License-Identifier: GPL-2.0-only
/*
 * kho_counter: the smallest useful user of the khoreg typed registry.
 *
 * What it teaches: the three steps of keeping state across kexec with the
 * registry (Documentation/kho/registry.rst):
 *
 *   declare  a schema: a compatible, a version and typed fields;
 *   update   the fields with the typed setters while the kernel runs;
 *   restore  them in the next kernel: claim the entry with the same
 *            schema and read the fields with the typed getters.
 *
 * It registers one entry, "counter" ("khoreg,counter-v1", version 1):
 *
 *   boots     u64     kernels that loaded this module along a kexec chain;
 *                     1 in a kernel that restored nothing
 *   ticks     u64     writes to the "bump" module parameter, summed over
 *                     the chain
 *   label     string  the "label" module parameter, or the restored label
 *   restored  bool    the values came from the previous kernel
 *
 * Loading it in a kernel that received a "counter" entry logs
 * "kho_counter: restored boots=N ticks=M label=..." and counts on from
 * there. The entry shows in /sys/kernel/kho/registry/counter and is handed
 * over with the rest of the registry at the next kexec. Unloading the
 * module unregisters it (not while the handover is finalized).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kho/registry.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/string.h>

#define KC_NAME		"counter"
#define KC_LABEL_MAX	64	/* bytes, NUL included */

static const struct khoreg_field kc_fields[] = {
	KHOREG_FIELD("boots", U64),
	KHOREG_FIELD("ticks", U64),
	KHOREG_STRING("label", KC_LABEL_MAX),
	KHOREG_FIELD("restored", BOOL),
};

static const struct khoreg_schema kc_schema = {
	.compatible = "khoreg,counter-v1",
	.version = 1,
	.fields = kc_fields,
	.nr_fields = ARRAY_SIZE(kc_fields),
};

static DEFINE_MUTEX(kc_lock);
static struct khoreg_entry *kc_entry;	/* NULL until registered */
static u64 kc_ticks;			/* under kc_lock */

static char *label;
module_param(label, charp, 0444);
MODULE_PARM_DESC(label,
		 "label handed over with the counter (default: the restored label, else \"khoreg\")");

/* Each write to the "bump" parameter counts one tick. */
static int kc_bump(const char *val, const struct kernel_param *kp)
{
	int err = 0;

	mutex_lock(&kc_lock);
	kc_ticks++;
	if (kc_entry)
		err = khoreg_set_u64(kc_entry, "ticks", kc_ticks);
	if (err)
		kc_ticks--;
	mutex_unlock(&kc_lock);
	return err;
}

static const struct kernel_param_ops kc_bump_ops = {
	.set = kc_bump,
};
module_param_cb(bump, &kc_bump_ops, NULL, 0200);
MODULE_PARM_DESC(bump,
		 "write anything to count a tick (fails with -EBUSY while the handover is finalized)");

/*
 * Read the counter the previous kernel handed over; *@in returns the entry
 * claimed, NULL if none was.
 */
static int kc_restore(struct khoreg_in_entry **in, u64 *boots, u64 *ticks,
		      char *buf)
{
	int err;

	*in = khoreg_claim(KC_NAME, &kc_schema);
	if (IS_ERR(*in)) {
		err = PTR_ERR(*in);
		*in = NULL;
		return err;
	}
	err = khoreg_get_u64(*in, "boots", boots);
	err = err ?: khoreg_get_u64(*in, "ticks", ticks);
	err = err ?: khoreg_get_string(*in, "label", buf, KC_LABEL_MAX);
	return err;
}

static int kc_declare(u64 boots, const char *lbl, bool restored)
{
	struct khoreg_entry *entry;
	int err;

	entry = khoreg_register(KC_NAME, &kc_schema, NULL);
	if (IS_ERR(entry))
		return PTR_ERR(entry);
	err = khoreg_set_u64(entry, "boots", boots);
	err = err ?: khoreg_set_u64(entry, "ticks", kc_ticks);
	err = err ?: khoreg_set_string(entry, "label", lbl);
	err = err ?: khoreg_set_bool(entry, "restored", restored);
	if (err) {
		khoreg_unregister(entry);
		return err;
	}
	kc_entry = entry;
	return 0;
}

static int __init kc_init(void)
{
	char old_label[KC_LABEL_MAX] = "khoreg";
	struct khoreg_in_entry *in;
	u64 boots = 0, ticks = 0;
	bool restored;
	int err;

	if (label && strlen(label) >= KC_LABEL_MAX) {
		pr_err("label is longer than %d characters\n", KC_LABEL_MAX - 1);
		return -EINVAL;
	}

	err = kc_restore(&in, &boots, &ticks, old_label);
	restored = !err;
	if (restored) {
		pr_info("restored boots=%llu ticks=%llu label=%s\n", boots,
			ticks, old_label);
	} else if (err == -ENOENT) {
		pr_info("nothing handed over: a fresh counter\n");
	} else {
		/* e.g. -EBUSY: claimed already by an earlier load of ours */
		pr_warn("cannot restore the counter (%d): a fresh counter\n",
			err);
		boots = 0;
		ticks = 0;
		strscpy(old_label, "khoreg");
	}

	mutex_lock(&kc_lock);
	kc_ticks += ticks;	/* "bump" writes given to modprobe count too */
	err = kc_declare(boots + 1, label ?: old_label, restored);
	mutex_unlock(&kc_lock);
	if (err) {
		pr_err("cannot register the counter (%d)\n", err);
		/* A later load restores it; it holds no memory. */
		if (in)
			khoreg_unclaim(in);
		return err;
	}
	pr_info("boots=%llu ticks=%llu label=%s restored=%d\n", boots + 1,
		kc_ticks, label ?: old_label, restored);
	return 0;
}
module_init(kc_init);

static void __exit kc_exit(void)
{
	mutex_lock(&kc_lock);
	/* The registry keeps the module loaded while the handover is finalized. */
	WARN_ON(khoreg_unregister(kc_entry));
	kc_entry = NULL;
	mutex_unlock(&kc_lock);
}
module_exit(kc_exit);

MODULE_DESCRIPTION("Kexec HandOver sample: a counter kept in the typed registry");
MODULE_LICENSE("GPL");
