// SPDX-License-Identifier: GPL-2.0-only
/*
 * BPF iterators over the khoreg registries, and the kfunc that lets
 * iterator programs annotate the entries of the pending one.
 *
 * The "kho_registry" target visits every entry of the pending registry,
 * parents first, then each of its fields: one element with @field NULL for
 * the entry itself, one per field. "kho_registry_in" does the same for the
 * registry the previous kernel handed over. Programs read the entry and
 * field through their BTF types (CO-RE); @path and @text hand them the
 * entry's path and what its sysfs file shows. See Documentation/kho/bpf.rst.
 *
 * Two targets rather than one with a parameter: a target's context has one
 * BTF type per argument, and the outgoing and incoming entries are
 * different types; 6.12 passes iterator parameters only through the fixed
 * union bpf_iter_link_info, which has no member for a registry, and
 * "bpftool iter pin" can give none. Both targets share one walk and one
 * set of seq_file operations; only where the walk starts differs. Values
 * and annotations are rendered by registry_value.c, as in sysfs.
 *
 * A pinned iterator may be read by anyone its file mode lets in. Unless
 * the file was opened with CAP_SYS_ADMIN and the kernel is not locked
 * down, programs are not run for the fields sysfs shows to root only
 * (secret and memory fields, every incoming field): no field pointer and
 * no text of theirs reaches the reader.
 */

#define pr_fmt(fmt) "kho: bpf: " fmt

#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/capability.h>
#include <linux/init.h>
#include <linux/security.h>
#include <linux/seq_buf.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "bpf_internal.h"
#include "registry_internal.h"

/**
 * struct kho_iter_priv - state of one kho_registry or kho_registry_in
 *	iterator
 * @incoming: walks the incoming registry, not the pending one
 * @trusted: the reader may see root-only fields; set by every read()
 * @cur: the current element: in @cur.sub 0 for the entry itself or 1 + the
 *	index of its field, for both registries; in @cur.entry the pending
 *	entry. The registry moves the cursor on when it removes the entry, so
 *	a read() resumes where the last one stopped without walking from the
 *	start.
 * @in: the incoming entry of the current element; the incoming tree does
 *	not change, so it needs no cursor
 * @text: a page holding the current element's text
 * @path: the path of the current entry
 */
struct kho_iter_priv {
	bool incoming;
	bool trusted;
	struct khoreg_cursor cur;
	struct khoreg_in_entry *in;
	char *text;
	char path[KHOREG_PATH_MAX];
};

/**
 * struct bpf_iter__kho_registry - context of a kho_registry iterator program
 * @meta: the iterator's meta data
 * @entry: the entry; NULL once after the last element
 * @field: the field, NULL for the element of the entry itself
 * @path: the entry's path, "parent/child"
 * @text: for a field what its sysfs file shows, "type value\n" (bytes,
 *	a binary file in sysfs, as "bytes <length> <hex>\n"); for the entry
 *	its annotations, "key=value" separated by "; "
 */
struct bpf_iter__kho_registry {
	__bpf_md_ptr(struct bpf_iter_meta *, meta);
	__bpf_md_ptr(struct khoreg_entry *, entry);
	__bpf_md_ptr(struct khoreg_out_field *, field);
	__bpf_md_ptr(const char *, path);
	__bpf_md_ptr(const char *, text);
};

/**
 * struct bpf_iter__kho_registry_in - context of a kho_registry_in iterator
 *	program
 * @meta: the iterator's meta data
 * @entry: the incoming entry; NULL once after the last element
 * @field: the field, NULL for the element of the entry itself
 * @path: the entry's path, "parent/child"
 * @text: as for &struct bpf_iter__kho_registry, from
 *	/sys/firmware/kho/registry
 */
struct bpf_iter__kho_registry_in {
	__bpf_md_ptr(struct bpf_iter_meta *, meta);
	__bpf_md_ptr(struct khoreg_in_entry *, entry);
	__bpf_md_ptr(struct khoreg_in_field *, field);
	__bpf_md_ptr(const char *, path);
	__bpf_md_ptr(const char *, text);
};

DEFINE_BPF_ITER_FUNC(kho_registry, struct bpf_iter_meta *meta,
		     struct khoreg_entry *entry, struct khoreg_out_field *field,
		     const char *path, const char *text)

DEFINE_BPF_ITER_FUNC(kho_registry_in, struct bpf_iter_meta *meta,
		     struct khoreg_in_entry *entry,
		     struct khoreg_in_field *field, const char *path,
		     const char *text)

/*
 * What the programs of both targets receive: the members of their context
 * types, whose BTF types differ, at the same offsets.
 */
struct kho_iter_ctx {
	__bpf_md_ptr(struct bpf_iter_meta *, meta);
	__bpf_md_ptr(void *, entry);
	__bpf_md_ptr(void *, field);
	__bpf_md_ptr(const char *, path);
	__bpf_md_ptr(const char *, text);
};

#define KHO_ITER_CTX_SAME(t)						\
	static_assert(sizeof(struct kho_iter_ctx) == sizeof(t) &&	\
		      offsetof(struct kho_iter_ctx, entry) ==		\
		      offsetof(t, entry) &&				\
		      offsetof(struct kho_iter_ctx, field) ==		\
		      offsetof(t, field) &&				\
		      offsetof(struct kho_iter_ctx, path) ==		\
		      offsetof(t, path) &&				\
		      offsetof(struct kho_iter_ctx, text) == offsetof(t, text))
KHO_ITER_CTX_SAME(struct bpf_iter__kho_registry);
KHO_ITER_CTX_SAME(struct bpf_iter__kho_registry_in);

/* Move @p to the first entry, or on from its entry; false past the last. */
static bool kho_iter_next_entry(struct kho_iter_priv *p, bool first)
{
	p->cur.sub = 0;
	if (p->incoming) {
		p->in = khoreg_in_entry_next(&khoreg_in, first ? NULL : p->in);
		return p->in;
	}
	p->cur.entry = khoreg_entry_next(&khoreg_registry,
					 first ? NULL : p->cur.entry);
	return p->cur.entry;
}

static bool kho_iter_has_entry(struct kho_iter_priv *p)
{
	return p->incoming ? !!p->in : !!p->cur.entry;
}

static void *kho_iter_seq_start(struct seq_file *seq, loff_t *pos)
{
	struct kho_iter_priv *p = seq->private;

	p->trusted = file_ns_capable(seq->file, &init_user_ns, CAP_SYS_ADMIN) &&
		     !security_locked_down(LOCKDOWN_BPF_READ_KERNEL);
	if (!p->incoming)
		mutex_lock(&khoreg_registry.lock);
	/*
	 * Later read()s go on from the position: the incoming tree does not
	 * change, and the pending registry moves the cursor if it must.
	 */
	if (!*pos)
		kho_iter_next_entry(p, true);
	return kho_iter_has_entry(p) ? p : NULL;
}

static void *kho_iter_seq_next(struct seq_file *seq, void *v, loff_t *pos)
{
	struct kho_iter_priv *p = seq->private;
	unsigned int nr_fields = p->incoming ? p->in->nr_fields :
				 p->cur.entry->schema->nr_fields;

	++*pos;
	if (p->cur.sub < nr_fields) {
		p->cur.sub++;
		return p;
	}
	return kho_iter_next_entry(p, false) ? p : NULL;
}

/* The current element of @p into @ctx; its text into @p's page. */
static void kho_iter_element(struct kho_iter_priv *p, struct kho_iter_ctx *ctx)
{
	struct khoreg_entry *out = p->incoming ? NULL : p->cur.entry;
	struct khoreg_in_entry *in = p->incoming ? p->in : NULL;
	unsigned int sub = p->cur.sub;
	struct seq_buf s;

	if (in) {
		ctx->entry = in;
		ctx->field = sub ? &in->fields[sub - 1] : NULL;
		khoreg_in_entry_path(in, p->path, sizeof(p->path));
	} else {
		ctx->entry = out;
		ctx->field = sub ? out->fields[sub - 1] : NULL;
		khoreg_entry_path(out, p->path, sizeof(p->path));
	}
	seq_buf_init(&s, p->text, PAGE_SIZE);
	if (sub)
		khoreg_field_print(&s, out, in, sub - 1);
	else
		khoreg_annotations_print(&s, out, in, "; ");
	ctx->path = p->path;
	ctx->text = seq_buf_str(&s);
}

/* Is the current element a field the reader may not see? */
static bool kho_iter_redacted(const struct kho_iter_priv *p)
{
	if (p->trusted || !p->cur.sub)
		return false;
	return p->incoming ||
	       khoreg_field_root_only(p->cur.entry->fields[p->cur.sub - 1]->decl);
}

static int kho_iter_show(struct seq_file *seq, bool in_stop)
{
	struct kho_iter_priv *p = seq->private;
	/* The typed members keep both context types in the kernel's BTF. */
	union {
		struct kho_iter_ctx any;
		struct bpf_iter__kho_registry out;
		struct bpf_iter__kho_registry_in in;
	} ctx = {};
	struct bpf_iter_meta meta;
	struct bpf_prog *prog;

	if (!in_stop && kho_iter_redacted(p))
		return 0;
	meta.seq = seq;
	prog = bpf_iter_get_info(&meta, in_stop);
	if (!prog)
		return 0;
	ctx.any.meta = &meta;
	if (!in_stop)
		kho_iter_element(p, &ctx.any);
	return bpf_iter_run_prog(prog, &ctx);
}

static int kho_iter_seq_show(struct seq_file *seq, void *v)
{
	return kho_iter_show(seq, false);
}

static void kho_iter_seq_stop(struct seq_file *seq, void *v)
{
	struct kho_iter_priv *p = seq->private;

	if (!v)
		kho_iter_show(seq, true);
	if (!p->incoming)
		mutex_unlock(&khoreg_registry.lock);
}

static const struct seq_operations kho_iter_seq_ops = {
	.start	= kho_iter_seq_start,
	.next	= kho_iter_seq_next,
	.stop	= kho_iter_seq_stop,
	.show	= kho_iter_seq_show,
};

static int kho_iter_init(struct kho_iter_priv *p, bool incoming)
{
	p->incoming = incoming;
	p->text = (char *)get_zeroed_page(GFP_KERNEL);
	if (!p->text)
		return -ENOMEM;
	if (!incoming) {
		guard(mutex)(&khoreg_registry.lock);
		khoreg_cursor_add(&khoreg_registry, &p->cur);
	}
	return 0;
}

static int kho_iter_init_out(void *priv, struct bpf_iter_aux_info *aux)
{
	return kho_iter_init(priv, false);
}

static int kho_iter_init_in(void *priv, struct bpf_iter_aux_info *aux)
{
	return kho_iter_init(priv, true);
}

static void kho_iter_fini(void *priv)
{
	struct kho_iter_priv *p = priv;

	if (!p->incoming) {
		mutex_lock(&khoreg_registry.lock);
		khoreg_cursor_del(&khoreg_registry, &p->cur);
		mutex_unlock(&khoreg_registry.lock);
	}
	free_page((unsigned long)p->text);
}

static const struct bpf_iter_seq_info kho_iter_seq_info = {
	.seq_ops		= &kho_iter_seq_ops,
	.init_seq_private	= kho_iter_init_out,
	.fini_seq_private	= kho_iter_fini,
	.seq_priv_size		= sizeof(struct kho_iter_priv),
};

static const struct bpf_iter_seq_info kho_iter_in_seq_info = {
	.seq_ops		= &kho_iter_seq_ops,
	.init_seq_private	= kho_iter_init_in,
	.fini_seq_private	= kho_iter_fini,
	.seq_priv_size		= sizeof(struct kho_iter_priv),
};

BTF_ID_LIST(kho_iter_btf_ids)
BTF_ID(struct, khoreg_entry)
BTF_ID(struct, khoreg_out_field)
BTF_ID(struct, khoreg_in_entry)
BTF_ID(struct, khoreg_in_field)

/* Sleepable programs (annotators) need targets that may resched. */
static struct bpf_iter_reg kho_iter_reg = {
	.target			= "kho_registry",
	.feature		= BPF_ITER_RESCHED,
	.ctx_arg_info_size	= 2,
	.ctx_arg_info		= {
		{ offsetof(struct kho_iter_ctx, entry),
		  PTR_TO_BTF_ID_OR_NULL | PTR_TRUSTED },
		{ offsetof(struct kho_iter_ctx, field),
		  PTR_TO_BTF_ID_OR_NULL | PTR_TRUSTED },
	},
	.seq_info		= &kho_iter_seq_info,
};

static struct bpf_iter_reg kho_iter_in_reg = {
	.target			= "kho_registry_in",
	.feature		= BPF_ITER_RESCHED,
	.ctx_arg_info_size	= 2,
	.ctx_arg_info		= {
		{ offsetof(struct kho_iter_ctx, entry),
		  PTR_TO_BTF_ID_OR_NULL | PTR_TRUSTED },
		{ offsetof(struct kho_iter_ctx, field),
		  PTR_TO_BTF_ID_OR_NULL | PTR_TRUSTED },
	},
	.seq_info		= &kho_iter_in_seq_info,
};

/* ---- kfuncs for kho_registry iterator programs ---- */

/* Longest annotation key or value a program passes, NUL included. */
#define KHO_BPF_VALUE_MAX	256

__bpf_kfunc_start_defs();

/**
 * bpf_kho_annotate() - attach a "key=value" annotation to an entry
 * @entry: the entry of the current element of a kho_registry iterator
 * @key: the key, a NUL-terminated field-style name
 * @key__sz: bytes at @key
 * @value: the value, NUL-terminated text
 * @value__sz: bytes at @value, at most 256
 *
 * Only sleepable kho_registry iterator programs ("iter.s/kho_registry")
 * may call it; the iterator holds the registry lock. An annotation with
 * the same key is replaced.
 *
 * Return: 0, -EINVAL for a NULL argument, a string that is not
 * NUL-terminated, a bad key or value, -E2BIG for a @key__sz above 64 or a
 * @value__sz above 256, or an error of
 * khoreg_annotate(): -ENOSPC past KHOREG_MAX_ANNOTATIONS, -EBUSY once the
 * handover is finalized.
 */
__bpf_kfunc int bpf_kho_annotate(struct khoreg_entry *entry, const char *key,
				 u32 key__sz, const char *value, u32 value__sz)
{
	if (!entry || !key || !value)
		return -EINVAL;
	if (key__sz > KHOREG_NAME_MAX + 1 || value__sz > KHO_BPF_VALUE_MAX)
		return -E2BIG;
	if (!key__sz || strnlen(key, key__sz) == key__sz ||
	    !value__sz || strnlen(value, value__sz) == value__sz)
		return -EINVAL;
	return khoreg_annotate_locked(entry, key, value);
}

__bpf_kfunc_end_defs();

BTF_KFUNCS_START(kho_iter_kfunc_ids)
BTF_ID_FLAGS(func, bpf_kho_annotate, KF_TRUSTED_ARGS | KF_SLEEPABLE)
BTF_KFUNCS_END(kho_iter_kfunc_ids)

/* Only kho_registry iterators hold the registry lock for their programs. */
static int kho_iter_kfunc_filter(const struct bpf_prog *prog, u32 kfunc_id)
{
	if (!btf_id_set8_contains(&kho_iter_kfunc_ids, kfunc_id))
		return 0;
	if (prog->expected_attach_type == BPF_TRACE_ITER &&
	    prog->aux->attach_func_name &&
	    !strcmp(prog->aux->attach_func_name, "bpf_iter_kho_registry"))
		return 0;
	return -EACCES;
}

static const struct btf_kfunc_id_set kho_iter_kfunc_set = {
	.owner	= THIS_MODULE,
	.set	= &kho_iter_kfunc_ids,
	.filter	= kho_iter_kfunc_filter,
};

static int __init kho_bpf_iter_init(void)
{
	int err;

	kho_iter_reg.ctx_arg_info[0].btf_id = kho_iter_btf_ids[0];
	kho_iter_reg.ctx_arg_info[1].btf_id = kho_iter_btf_ids[1];
	kho_iter_in_reg.ctx_arg_info[0].btf_id = kho_iter_btf_ids[2];
	kho_iter_in_reg.ctx_arg_info[1].btf_id = kho_iter_btf_ids[3];
	err = bpf_iter_reg_target(&kho_iter_reg);
	if (err)
		return err;
	err = bpf_iter_reg_target(&kho_iter_in_reg);
	if (err)
		goto out;
	err = register_btf_kfunc_id_set(BPF_PROG_TYPE_TRACING,
					&kho_iter_kfunc_set);
	if (!err)
		return 0;
	bpf_iter_unreg_target(&kho_iter_in_reg);
out:
	pr_err("cannot register the iterators: %d\n", err);
	bpf_iter_unreg_target(&kho_iter_reg);
	return err;
}
late_initcall(kho_bpf_iter_init);
