// SPDX-License-Identifier: GPL-2.0-only
/*
 * Live Update Orchestrator (LUO): the /dev/liveupdate device, the
 * liveupdate= boot parameter and LUO's part in the KHO handover.
 *
 * With "liveupdate=on" (and KHO active), /dev/liveupdate appears; only
 * root may open it, and only one process at a time. The LUO sub-blob is
 * added to the handover at boot. When the handover is finalized the
 * sessions are written into it; at kexec, in the reboot path, they are
 * frozen for good. At boot the previous kernel's sub-blob, if any, is read
 * and every file in it restored, before the KHO handover finishes.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/capability.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kexec.h>
#include <linux/kernel.h>
#include <linux/io.h>
#include <linux/kho.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/reboot.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "luo_internal.h"

static bool luo_enabled;

static int __init luo_parse_param(char *p)
{
	return kstrtobool(p, &luo_enabled);
}
early_param("liveupdate", luo_parse_param);

/**
 * liveupdate_enabled() - is live update on?
 *
 * Return: true if "liveupdate=on" was given and KHO is active.
 */
bool liveupdate_enabled(void)
{
	return luo_enabled;
}
EXPORT_SYMBOL_GPL(liveupdate_enabled);

/* The outgoing sub-blob. */
static struct luo_ser *luo_ser_out;
static u64 luo_liveupdate_num;

/**
 * luo_ucmd_respond() - copy an ioctl's structure back to userspace
 * @ucmd: the call
 * @size: the kernel's size of the structure; at most @ucmd->user_size
 *	  bytes are copied
 *
 * Return: 0 or -EFAULT.
 */
int luo_ucmd_respond(struct luo_ucmd *ucmd, size_t size)
{
	if (copy_to_user(ucmd->ubuf, ucmd->cmd, min_t(size_t, size,
						      ucmd->user_size)))
		return -EFAULT;
	return 0;
}

/* The largest ioctl structure, rounded up. */
#define LUO_UCMD_MAX	96

/**
 * luo_ioctl_dispatch() - run one ioctl of a table
 * @ops: the table, indexed by ioctl number minus @base
 * @nr_ops: its length
 * @base: the first ioctl number of the table
 * @cmd: the ioctl command
 * @arg: its userspace pointer
 * @priv: passed to the operation
 *
 * Return: the operation's result; -EINVAL for a number outside the table
 * or a size smaller than the operation needs; -ENOTTY for a command that
 * does not match; -E2BIG for non-zero bytes beyond what the kernel knows.
 */
long luo_ioctl_dispatch(const struct luo_ioctl_op *ops, unsigned int nr_ops,
			unsigned int base, unsigned int cmd, unsigned long arg,
			void *priv)
{
	u64 buf[LUO_UCMD_MAX / sizeof(u64)];
	struct luo_ucmd ucmd = {
		.ubuf = (void __user *)arg,
		.cmd = buf,
	};
	const struct luo_ioctl_op *op;
	unsigned int idx = _IOC_NR(cmd) - base;
	int err;

	if (idx >= nr_ops)
		return -EINVAL;
	op = &ops[idx];
	if (op->cmd != cmd)
		return -ENOTTY;
	if (get_user(ucmd.user_size, (u32 __user *)ucmd.ubuf))
		return -EFAULT;
	if (ucmd.user_size < op->min_size)
		return -EINVAL;
	if (WARN_ON_ONCE(op->size > sizeof(buf)))
		return -EINVAL;
	err = copy_struct_from_user(buf, op->size, ucmd.ubuf, ucmd.user_size);
	if (err)
		return err;
	return op->run(priv, &ucmd);
}

/*
 * Create or retrieve (@open) the session @name and hand userspace a
 * descriptor for it in *@fdp, which is part of the ioctl's structure.
 */
static int luo_ioctl_open_session(struct luo_ucmd *ucmd, const __u8 *name,
				  __s32 *fdp, size_t size,
				  int (*open)(const char *name,
					      struct file **filep))
{
	struct file *file;
	int fd, err;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	err = open((const char *)name, &file);
	if (err)
		goto put_fd;
	*fdp = fd;
	err = luo_ucmd_respond(ucmd, size);
	if (err)
		goto put_file;
	fd_install(fd, file);
	return 0;
put_file:
	fput(file);
put_fd:
	put_unused_fd(fd);
	return err;
}

static int luo_ioctl_create_session(void *priv, struct luo_ucmd *ucmd)
{
	struct liveupdate_ioctl_create_session *arg = ucmd->cmd;

	return luo_ioctl_open_session(ucmd, arg->name, &arg->fd, sizeof(*arg),
				      luo_session_create);
}

static int luo_ioctl_retrieve_session(void *priv, struct luo_ucmd *ucmd)
{
	struct liveupdate_ioctl_retrieve_session *arg = ucmd->cmd;

	return luo_ioctl_open_session(ucmd, arg->name, &arg->fd, sizeof(*arg),
				      luo_session_retrieve);
}

static const struct luo_ioctl_op luo_dev_ops[] = {
	LUO_IOCTL_OP(LIVEUPDATE_IOCTL_CREATE_SESSION,
		     struct liveupdate_ioctl_create_session, name,
		     luo_ioctl_create_session),
	LUO_IOCTL_OP(LIVEUPDATE_IOCTL_RETRIEVE_SESSION,
		     struct liveupdate_ioctl_retrieve_session, name,
		     luo_ioctl_retrieve_session),
};

static long luo_dev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	return luo_ioctl_dispatch(luo_dev_ops, ARRAY_SIZE(luo_dev_ops),
				  LIVEUPDATE_CMD_BASE, cmd, arg, NULL);
}

static atomic_t luo_dev_open = ATOMIC_INIT(0);

static int luo_dev_open_fn(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (atomic_cmpxchg(&luo_dev_open, 0, 1))
		return -EBUSY;
	return 0;
}

static int luo_dev_release(struct inode *inode, struct file *file)
{
	atomic_set(&luo_dev_open, 0);
	return 0;
}

static const struct file_operations luo_dev_fops = {
	.owner		= THIS_MODULE,
	.open		= luo_dev_open_fn,
	.release	= luo_dev_release,
	.unlocked_ioctl	= luo_dev_ioctl,
};

static struct miscdevice luo_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "liveupdate",
	.fops	= &luo_dev_fops,
	.mode	= 0600,
};

/* KHO finalize: write the sessions into the sub-blob. */
static int luo_kho_prepare(struct kho_hook *hook, char *reason, size_t len)
{
	int err = luo_session_serialize(&luo_ser_out->sessions_pa);

	if (err)
		snprintf(reason, len, "cannot write the live update sessions (%d)",
			 err);
	return err;
}

static void luo_kho_abort(struct kho_hook *hook)
{
	luo_session_unserialize();
	luo_ser_out->sessions_pa = 0;
}

static struct kho_hook luo_kho_hook = {
	.name		= "liveupdate",
	.prepare	= luo_kho_prepare,
	.abort		= luo_kho_abort,
};

/* kexec -e: the sessions as they are now are what the next kernel gets. */
static int luo_reboot(struct notifier_block *nb, unsigned long action,
		      void *data)
{
	if (!kexec_in_progress)
		return NOTIFY_DONE;
	luo_session_freeze(&luo_ser_out->sessions_pa);
	return NOTIFY_DONE;
}

static struct notifier_block luo_reboot_nb = {
	.notifier_call = luo_reboot,
};

static int __init luo_setup_outgoing(void)
{
	int err;

	luo_ser_out = kho_alloc_preserve(sizeof(*luo_ser_out));
	if (IS_ERR(luo_ser_out))
		return PTR_ERR(luo_ser_out);
	strscpy(luo_ser_out->compatible, LUO_ABI_COMPATIBLE,
		sizeof(luo_ser_out->compatible));
	luo_ser_out->liveupdate_num = luo_liveupdate_num + 1;
	err = kho_register_hook(&luo_kho_hook);
	if (err)
		goto free;
	err = kho_add_subtree(LUO_KHO_ENTRY_NAME, luo_ser_out,
			      sizeof(*luo_ser_out));
	if (err)
		goto unregister;
	register_reboot_notifier(&luo_reboot_nb);
	return 0;
unregister:
	kho_unregister_hook(&luo_kho_hook);
free:
	kho_unpreserve_free(luo_ser_out);
	return err;
}

/* Incoming blocks: preserved order-0 folios, each taken once. */
struct luo_in_ctx {
	struct folio **folios;
	unsigned int nr, cap;
};

static const void *luo_in_take(void *ctx, u64 pa)
{
	struct luo_in_ctx *in = ctx;
	struct folio *folio;

	if (!PAGE_ALIGNED(pa))
		return NULL;
	if (in->nr == in->cap) {
		unsigned int cap = max(16U, in->cap * 2);
		struct folio **n = krealloc_array(in->folios, cap, sizeof(*n),
						  GFP_KERNEL);

		if (!n)
			return NULL;
		in->folios = n;
		in->cap = cap;
	}
	folio = kho_restore_folio(pa);
	if (!folio)
		return NULL;
	in->folios[in->nr++] = folio;
	if (folio_size(folio) < KHO_BLOCK_SIZE)
		return NULL;
	return folio_address(folio);
}

static void *luo_in_session(void *ctx, const char *name)
{
	return luo_session_add_incoming(name);
}

static void luo_in_file(void *ctx, void *cookie, const char *compatible,
			u64 data, u64 token)
{
	luo_file_add_incoming(cookie, compatible, data, token);
}

/*
 * Objects shared by several files (FLB) are not supported: say so if the
 * previous kernel handed any over. Their memory goes back when the KHO
 * handover finishes; the header's page is freed now.
 */
static void __init luo_check_flbs(u64 flbs_pa)
{
	const struct luo_flb_header_ser *hdr;
	struct folio *folio;

	if (!flbs_pa || !PAGE_ALIGNED(flbs_pa))
		return;
	folio = kho_restore_folio(flbs_pa);
	if (!folio)
		return;
	hdr = folio_address(folio);
	if (hdr->count)
		pr_warn("%llu shared file object(s) (FLB) handed over; not supported, ignored\n",
			hdr->count);
	folio_put(folio);
}

static void __init luo_setup_incoming(void)
{
	const struct luo_parse_ops ops = {
		.session = luo_in_session,
		.file = luo_in_file,
	};
	struct luo_in_ctx in = {};
	struct luo_block_source src = { .take = luo_in_take, .ctx = &in };
	const struct luo_ser *ser;
	struct folio *root;
	phys_addr_t phys;
	size_t size;
	int nr;

	if (kho_retrieve_subtree(LUO_KHO_ENTRY_NAME, &phys, &size))
		return;
	root = PAGE_ALIGNED(phys) ? kho_restore_folio(phys) : NULL;
	if (!root || size < sizeof(*ser) || size > folio_size(root)) {
		pr_warn("the LUO sub-blob at %pa (%zu bytes) is not preserved memory of its size; ignored\n",
			&phys, size);
		goto out;
	}
	ser = folio_address(root);
	if (strncmp(ser->compatible, LUO_ABI_COMPATIBLE, sizeof(ser->compatible))) {
		pr_warn("the LUO sub-blob is not %s; ignored\n", LUO_ABI_COMPATIBLE);
		goto out;
	}
	luo_liveupdate_num = ser->liveupdate_num;
	luo_check_flbs(ser->flbs_pa);
	nr = luo_ser_parse_sessions(ser->sessions_pa, &src, &ops);
	if (nr < 0)
		pr_warn("the session list is broken (%d); sessions before the break are kept\n",
			nr);
	pr_info("live update %llu: %d session(s) handed over\n",
		luo_liveupdate_num, max(nr, 0));
out:
	while (in.nr)
		folio_put(in.folios[--in.nr]);
	kfree(in.folios);
	if (root)
		folio_put(root);
}

/* A late initcall: after the file handlers, before KHO finishes. */
static int __init luo_init(void)
{
	int err;

	if (!luo_enabled)
		return 0;
	if (!kho_is_enabled()) {
		pr_warn("KHO is off (kho=on): live update disabled\n");
		luo_enabled = false;
		return 0;
	}
	luo_setup_incoming();
	err = luo_setup_outgoing();
	if (err) {
		pr_err("cannot add the LUO sub-blob to the handover (%d)\n", err);
		luo_enabled = false;
		return err;
	}
	luo_view_init();
	err = misc_register(&luo_miscdev);
	if (err)
		pr_err("cannot register /dev/liveupdate (%d)\n", err);
	return err;
}
late_initcall(luo_init);
