// SPDX-License-Identifier: GPL-2.0-only
/*
 * BPF validators of the pending handover: the "kho_validator_ops"
 * struct_ops.
 *
 * Each attached kho_validator_ops becomes a khoreg validator named after
 * it. At finalize, with the registry frozen, validate_entry() is offered
 * every entry, parents first, then validate_handover() a summary of the
 * whole handover. A non-zero return refuses the handover: finalize fails,
 * kexec_file_load() fails, and /sys/kernel/kho/last_error shows the
 * entry, the validator and the reason the program gave with
 * bpf_kho_refuse(). Detaching the struct_ops restores the default policy.
 *
 * A validator that refuses every handover blocks every kexec with KHO. The
 * kernel log names it at each refusal, and root can detach every BPF
 * validator at once by writing "detach" to /sys/kernel/kho/validators,
 * which lists them. See Documentation/kho/bpf.rst.
 */

#define pr_fmt(fmt) "kho: bpf: " fmt

#include <linux/bpf.h>
#include <linux/bpf_verifier.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/unaligned.h>

#include <kunit/visibility.h>

#include "bpf_internal.h"
#include "internal.h"
#include "registry_internal.h"

/**
 * struct kho_bpf_validator - an attached kho_validator_ops
 * @v: its khoreg validator
 * @reg: the registry it validates
 * @ops: the struct_ops
 * @list: link in kho_bpf_validators
 */
struct kho_bpf_validator {
	struct khoreg_validator v;
	struct khoreg_registry *reg;
	struct kho_validator_ops *ops;
	struct list_head list;
};

static DEFINE_MUTEX(kho_bpf_lock);	/* kho_bpf_validators */
static LIST_HEAD(kho_bpf_validators);

/* Memory held by @entry's range, folio and vmalloc fields, in bytes. */
static u64 kho_bpf_entry_mem(const struct khoreg_entry *entry)
{
	unsigned int i;
	u64 bytes = 0;

	for (i = 0; i < entry->schema->nr_fields; i++) {
		const struct khoreg_out_field *f = entry->fields[i];

		if (!f->set)
			continue;
		switch (f->decl->type) {
		case KHOREG_TYPE_RANGE:
			bytes += get_unaligned_be64(f->val + 8);
			break;
		case KHOREG_TYPE_FOLIO:
			bytes += PAGE_SIZE << get_unaligned_be32(f->val + 8);
			break;
		case KHOREG_TYPE_VMALLOC:
			bytes += (u64)get_unaligned_be32(f->val + 8) << PAGE_SHIFT;
			break;
		default:
			break;
		}
	}
	return bytes;
}

static int kho_bpf_validate(struct khoreg_validator *v,
			    const struct khoreg_entry *entry, char *reason,
			    size_t len)
{
	struct kho_bpf_validator *bv = container_of(v, typeof(*bv), v);
	struct kho_validator_ops *ops = bv->ops;
	struct khoreg_registry *reg = bv->reg;
	struct kho_bpf_handover handover = {};
	struct kho_bpf_verdict *verdict;
	const struct khoreg_entry *e = NULL;
	int err;

	if (entry ? !ops->validate_entry : !ops->validate_handover)
		return 0;
	verdict = kzalloc(sizeof(*verdict), GFP_KERNEL);
	if (!verdict)
		return -ENOMEM;
	if (entry) {
		err = ops->validate_entry(entry, verdict);
	} else {
		handover.nr_entries = reg->nr_entries;
		handover.registry_bytes = khoreg_fdt_size(reg);
		while ((e = khoreg_entry_next(reg, (struct khoreg_entry *)e)))
			handover.preserved_bytes += kho_bpf_entry_mem(e);
		err = ops->validate_handover(&handover, verdict);
	}
	if (err) {
		/* A refusal must fail: turn odd returns into -EPERM. */
		if (err > 0 || err < -MAX_ERRNO)
			err = -EPERM;
		strscpy(reason, verdict->reason, len);
		pr_info("validator %s refused the handover: %s\n", v->name,
			verdict->reason);
	}
	kfree(verdict);
	return err;
}

/* ---- the struct_ops ---- */

static bool kho_ops_is_valid_access(int off, int size,
				    enum bpf_access_type type,
				    const struct bpf_prog *prog,
				    struct bpf_insn_access_aux *info)
{
	return bpf_tracing_btf_ctx_access(off, size, type, prog, info);
}

static const struct bpf_verifier_ops kho_ops_verifier_ops = {
	.get_func_proto		= bpf_base_func_proto,
	.is_valid_access	= kho_ops_is_valid_access,
};

static int kho_ops_init(struct btf *btf)
{
	return 0;
}

VISIBLE_IF_KUNIT int kho_ops_check_member(const struct btf_type *t,
					  const struct btf_member *member,
					  const struct bpf_prog *prog)
{
	/* Validators run with the registry lock held and must not sleep. */
	return prog->sleepable ? -EINVAL : 0;
}

VISIBLE_IF_KUNIT int kho_ops_init_member(const struct btf_type *t,
					 const struct btf_member *member,
					 void *kdata, const void *udata)
{
	const struct kho_validator_ops *uops = udata;
	struct kho_validator_ops *kops = kdata;

	if (__btf_member_bit_offset(t, member) / 8 !=
	    offsetof(struct kho_validator_ops, name))
		return 0;
	if (bpf_obj_name_cpy(kops->name, uops->name, sizeof(kops->name)) <= 0)
		return -EINVAL;
	return 1;
}

/**
 * kho_bpf_attach() - make a kho_validator_ops a validator of a registry
 * @reg: the registry
 * @ops: the struct_ops, its name set
 *
 * Return: 0, -EBUSY while @reg is frozen, -ENOMEM.
 */
VISIBLE_IF_KUNIT int kho_bpf_attach(struct khoreg_registry *reg,
				    struct kho_validator_ops *ops)
{
	struct kho_bpf_validator *bv;
	int err;

	bv = kzalloc(sizeof(*bv), GFP_KERNEL);
	if (!bv)
		return -ENOMEM;
	bv->reg = reg;
	bv->ops = ops;
	bv->v.name = ops->name;
	bv->v.validate = kho_bpf_validate;
	guard(mutex)(&kho_bpf_lock);
	err = khoreg_validator_register(reg, &bv->v);
	if (err) {
		kfree(bv);
		return err;
	}
	list_add(&bv->list, &kho_bpf_validators);
	pr_info("validator %s attached\n", ops->name);
	return 0;
}

/* Stop validating with @bv; @how is logged after "detached". */
static void kho_bpf_drop(struct kho_bpf_validator *bv, const char *how)
{
	lockdep_assert_held(&kho_bpf_lock);
	khoreg_validator_unregister(bv->reg, &bv->v);
	list_del(&bv->list);
	pr_info("validator %s detached%s\n", bv->ops->name, how);
	kfree(bv);
}

/**
 * kho_bpf_detach() - stop validating with an attached kho_validator_ops
 * @ops: the struct_ops
 */
VISIBLE_IF_KUNIT void kho_bpf_detach(struct kho_validator_ops *ops)
{
	struct kho_bpf_validator *bv;

	guard(mutex)(&kho_bpf_lock);
	list_for_each_entry(bv, &kho_bpf_validators, list) {
		if (bv->ops != ops)
			continue;
		kho_bpf_drop(bv, "");
		return;
	}
}

/* ---- /sys/kernel/kho/validators: list them, or detach them all ---- */

static ssize_t validators_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	struct kho_bpf_validator *bv;
	int n = 0;

	guard(mutex)(&kho_bpf_lock);
	list_for_each_entry(bv, &kho_bpf_validators, list)
		n += sysfs_emit_at(buf, n, "%s\n", bv->ops->name);
	return n;
}

static ssize_t validators_store(struct kobject *kobj,
				struct kobj_attribute *attr, const char *buf,
				size_t count)
{
	struct kho_bpf_validator *bv, *tmp;

	if (!sysfs_streq(buf, "detach"))
		return -EINVAL;
	guard(mutex)(&kho_bpf_lock);
	list_for_each_entry_safe(bv, tmp, &kho_bpf_validators, list)
		kho_bpf_drop(bv, " through /sys/kernel/kho/validators");
	return count;
}

static struct kobj_attribute kho_attr_validators =
	__ATTR_RW_MODE(validators, 0600);

static int kho_ops_reg(void *kdata, struct bpf_link *link)
{
	return kho_bpf_attach(&khoreg_registry, kdata);
}

static void kho_ops_unreg(void *kdata, struct bpf_link *link)
{
	kho_bpf_detach(kdata);
}

static int kho_ops_validate_entry_stub(const struct khoreg_entry *entry,
				       struct kho_bpf_verdict *verdict)
{
	return 0;
}

static int kho_ops_validate_handover_stub(const struct kho_bpf_handover *h,
					  struct kho_bpf_verdict *verdict)
{
	return 0;
}

static struct kho_validator_ops kho_ops_stubs = {
	.validate_entry		= kho_ops_validate_entry_stub,
	.validate_handover	= kho_ops_validate_handover_stub,
};

static struct bpf_struct_ops kho_bpf_validator_ops = {
	.verifier_ops	= &kho_ops_verifier_ops,
	.init		= kho_ops_init,
	.check_member	= kho_ops_check_member,
	.init_member	= kho_ops_init_member,
	.reg		= kho_ops_reg,
	.unreg		= kho_ops_unreg,
	.name		= "kho_validator_ops",
	.cfi_stubs	= &kho_ops_stubs,
	.owner		= THIS_MODULE,
};

/* ---- kfuncs for validator programs ---- */

__bpf_kfunc_start_defs();

/**
 * bpf_kho_refuse() - say why a validator refuses the handover
 * @verdict: the verdict argument of the validator
 * @reason: the reason, text
 * @reason__sz: bytes at @reason; the reason is cut at the first NUL or
 *	at 255 characters
 *
 * The program then returns a negative error to refuse.
 *
 * Return: 0, or -EINVAL for a NULL argument or an empty @reason.
 */
__bpf_kfunc int bpf_kho_refuse(struct kho_bpf_verdict *verdict,
			       const char *reason, u32 reason__sz)
{
	size_t len;

	if (!verdict || !reason || !reason__sz)
		return -EINVAL;
	len = strnlen(reason, min_t(u32, reason__sz,
				    sizeof(verdict->reason) - 1));
	if (!len)
		return -EINVAL;
	memcpy(verdict->reason, reason, len);
	verdict->reason[len] = '\0';
	return 0;
}

__bpf_kfunc_end_defs();

BTF_KFUNCS_START(kho_ops_kfunc_ids)
BTF_ID_FLAGS(func, bpf_kho_refuse, KF_TRUSTED_ARGS)
BTF_KFUNCS_END(kho_ops_kfunc_ids)

static const struct btf_kfunc_id_set kho_ops_kfunc_set = {
	.owner	= THIS_MODULE,
	.set	= &kho_ops_kfunc_ids,
};

static int __init kho_bpf_ops_init(void)
{
	int err;

	err = register_btf_kfunc_id_set(BPF_PROG_TYPE_STRUCT_OPS,
					&kho_ops_kfunc_set);
	if (!err)
		err = register_bpf_struct_ops(&kho_bpf_validator_ops,
					      kho_validator_ops);
	if (err) {
		pr_err("cannot register kho_validator_ops: %d\n", err);
		return err;
	}
	if (kho_sysfs_out)
		err = sysfs_create_file(kho_sysfs_out, &kho_attr_validators.attr);
	if (err)
		pr_err("cannot add /sys/kernel/kho/validators: %d\n", err);
	return err;
}
late_initcall(kho_bpf_ops_init);
