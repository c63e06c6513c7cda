// SPDX-License-Identifier: GPL-2.0-only
/*
 * Live Update Orchestrator: sessions.
 *
 * An outgoing session is a named set of files userspace preserves; it lives
 * as long as its file descriptor. When the KHO handover is finalized (at
 * the latest by kexec_file_load()), the sessions are written into the LUO
 * sub-blob and frozen: creating sessions and preserving files fail with
 * -EBUSY until the handover is aborted. A session closed while frozen is
 * left out of the handover when the kernel reboots into the next one, so a
 * process that dies before "kexec -e" leaves nothing half-preserved behind;
 * the memory its files kept stays preserved but unreferenced until the
 * handover is aborted or the next kernel finishes its handover. At the
 * reboot the file handlers record their last state (e.g. a memfd's file
 * position).
 *
 * An incoming session is one the previous kernel handed over. Userspace
 * retrieves it once by name, retrieves its files by token and finishes it
 * (or closes it, which finishes it too); files never retrieved are freed.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/anon_inodes.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "luo_internal.h"

/* Serializes sessions, files and the sub-blob writer; see luo_internal.h. */
DEFINE_MUTEX(luo_lock);

static LIST_HEAD(luo_outgoing);
static LIST_HEAD(luo_dropped);	/* closed while frozen */
static LIST_HEAD(luo_incoming);
static bool luo_frozen;

/**
 * luo_session_frozen() - is the outgoing session set frozen?
 *
 * Return: true from a successful finalize until an abort. luo_lock held.
 */
bool luo_session_frozen(void)
{
	lockdep_assert_held(&luo_lock);
	return luo_frozen;
}

static struct luo_session *luo_session_find(struct list_head *head,
					    const char *name)
{
	struct luo_session *s;

	list_for_each_entry(s, head, list)
		if (!strncmp(s->name, name, sizeof(s->name)))
			return s;
	return NULL;
}

static struct luo_session *luo_session_alloc(const char *name, bool incoming)
{
	struct luo_session *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	strscpy(s->name, name, sizeof(s->name));
	INIT_LIST_HEAD(&s->files);
	s->incoming = incoming;
	return s;
}

static void luo_session_free(struct luo_session *s, bool unpreserve)
{
	luo_view_session_remove(s);
	luo_file_release_all(s, unpreserve);
	list_del(&s->list);
	kfree(s);
}

static int luo_session_release(struct inode *inode, struct file *file)
{
	struct luo_session *s = file->private_data;

	guard(mutex)(&luo_lock);
	if (!s->incoming && luo_frozen) {
		pr_info("session %s closed while the handover is frozen: it is left out of it\n",
			s->name);
		list_move_tail(&s->list, &luo_dropped);
		return 0;
	}
	luo_session_free(s, true);
	return 0;
}

static int luo_session_preserve_fd(void *priv, struct luo_ucmd *ucmd)
{
	struct liveupdate_session_preserve_fd *arg = ucmd->cmd;
	struct luo_session *s = priv;
	int err;

	guard(mutex)(&luo_lock);
	if (s->incoming)
		return -EINVAL;
	if (luo_frozen)
		return -EBUSY;
	err = luo_file_preserve(s, arg->token, arg->fd);
	if (err)
		return err;
	/* Nothing is written back; report an unwritable argument anyway. */
	return luo_ucmd_respond(ucmd, sizeof(*arg));
}

static int luo_session_retrieve_fd(void *priv, struct luo_ucmd *ucmd)
{
	struct liveupdate_session_retrieve_fd *arg = ucmd->cmd;
	struct luo_session *s = priv;
	struct file *file;
	int fd, err;

	if (!s->incoming)
		return -ENOENT;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	scoped_guard(mutex, &luo_lock)
		err = luo_file_retrieve(s, arg->token, &file);
	if (err)
		goto put_fd;
	arg->fd = fd;
	err = luo_ucmd_respond(ucmd, sizeof(*arg));
	if (err) {
		fput(file);
		goto put_fd;
	}
	fd_install(fd, file);
	return 0;
put_fd:
	put_unused_fd(fd);
	return err;
}

static int luo_session_finish(void *priv, struct luo_ucmd *ucmd)
{
	struct liveupdate_session_finish *arg = ucmd->cmd;
	struct luo_session *s = priv;

	if (arg->reserved)
		return -EINVAL;
	if (!s->incoming)
		return -EINVAL;
	scoped_guard(mutex, &luo_lock)
		luo_file_release_all(s, false);
	return luo_ucmd_respond(ucmd, sizeof(*arg));
}

static int luo_session_get_name(void *priv, struct luo_ucmd *ucmd)
{
	struct liveupdate_session_get_name *arg = ucmd->cmd;
	struct luo_session *s = priv;

	if (arg->reserved)
		return -EINVAL;
	strscpy((char *)arg->name, s->name, sizeof(arg->name));
	return luo_ucmd_respond(ucmd, sizeof(*arg));
}

static const struct luo_ioctl_op luo_session_ops[] = {
	LUO_IOCTL_OP(LIVEUPDATE_SESSION_PRESERVE_FD,
		     struct liveupdate_session_preserve_fd, token,
		     luo_session_preserve_fd),
	LUO_IOCTL_OP(LIVEUPDATE_SESSION_RETRIEVE_FD,
		     struct liveupdate_session_retrieve_fd, token,
		     luo_session_retrieve_fd),
	LUO_IOCTL_OP(LIVEUPDATE_SESSION_FINISH,
		     struct liveupdate_session_finish, reserved,
		     luo_session_finish),
	LUO_IOCTL_OP(LIVEUPDATE_SESSION_GET_NAME,
		     struct liveupdate_session_get_name, name,
		     luo_session_get_name),
};

static long luo_session_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	return luo_ioctl_dispatch(luo_session_ops, ARRAY_SIZE(luo_session_ops),
				  LIVEUPDATE_CMD_SESSION_BASE, cmd, arg,
				  file->private_data);
}

static const struct file_operations luo_session_fops = {
	.owner		= THIS_MODULE,
	.release	= luo_session_release,
	.unlocked_ioctl	= luo_session_ioctl,
};

static int luo_session_getfile(struct luo_session *s, struct file **filep)
{
	char label[LIVEUPDATE_SESSION_NAME_LENGTH + 16];
	struct file *file;

	snprintf(label, sizeof(label), "[luo_session] %s", s->name);
	file = anon_inode_getfile(label, &luo_session_fops, s, O_RDWR);
	if (IS_ERR(file))
		return PTR_ERR(file);
	*filep = file;
	return 0;
}

/**
 * luo_session_create() - start an outgoing session
 * @name: its name, NUL-terminated within LIVEUPDATE_SESSION_NAME_LENGTH
 * @filep: returns its file
 *
 * Return: 0; -EINVAL for an empty or unterminated name; -EEXIST for a
 * name in use; -EBUSY while frozen; -ENOMEM.
 */
int luo_session_create(const char *name, struct file **filep)
{
	size_t len = strnlen(name, LIVEUPDATE_SESSION_NAME_LENGTH);
	struct luo_session *s;
	int err;

	if (!len || len == LIVEUPDATE_SESSION_NAME_LENGTH)
		return -EINVAL;
	guard(mutex)(&luo_lock);
	if (luo_frozen)
		return -EBUSY;
	if (luo_session_find(&luo_outgoing, name))
		return -EEXIST;
	s = luo_session_alloc(name, false);
	if (!s)
		return -ENOMEM;
	err = luo_view_session_add(s);
	if (err)
		goto free;
	err = luo_session_getfile(s, filep);
	if (err) {
		luo_view_session_remove(s);
		goto free;
	}
	list_add_tail(&s->list, &luo_outgoing);
	return 0;
free:
	kfree(s);
	return err;
}

/**
 * luo_session_retrieve() - open an incoming session
 * @name: its name
 * @filep: returns its file
 *
 * Return: 0; -ENOENT if there is no such session; -EINVAL if it was
 * retrieved already.
 */
int luo_session_retrieve(const char *name, struct file **filep)
{
	struct luo_session *s;
	int err;

	guard(mutex)(&luo_lock);
	s = luo_session_find(&luo_incoming, name);
	if (!s)
		return -ENOENT;
	if (s->retrieved)
		return -EINVAL;
	err = luo_session_getfile(s, filep);
	if (!err)
		s->retrieved = true;
	return err;
}

/**
 * luo_session_add_incoming() - record a session the previous kernel handed over
 * @name: its name, checked by the parser
 *
 * Return: the session, or NULL if out of memory.
 */
struct luo_session *luo_session_add_incoming(const char *name)
{
	struct luo_session *s = luo_session_alloc(name, true);

	if (!s) {
		pr_warn("session %s dropped: out of memory\n", name);
		return NULL;
	}
	guard(mutex)(&luo_lock);
	list_add_tail(&s->list, &luo_incoming);
	return s;
}

/**
 * luo_session_serialize() - write the outgoing sessions and freeze them
 * @sessions_pa: returns the first block of the session list
 *
 * Called when the handover is finalized.
 *
 * Return: 0 or a negative error; then nothing is frozen.
 */
int luo_session_serialize(u64 *sessions_pa)
{
	int err;

	guard(mutex)(&luo_lock);
	err = luo_ser_write(&luo_outgoing, sessions_pa);
	if (!err)
		luo_frozen = true;
	return err;
}

/**
 * luo_session_unserialize() - thaw the sessions when the handover is aborted
 *
 * Sessions closed while frozen are released now.
 */
void luo_session_unserialize(void)
{
	struct luo_session *s, *tmp;

	guard(mutex)(&luo_lock);
	luo_ser_free();
	luo_frozen = false;
	list_for_each_entry_safe(s, tmp, &luo_dropped, list)
		luo_session_free(s, true);
}

/**
 * luo_session_freeze() - final state of the sessions, at kexec
 * @sessions_pa: where the first block of the session list is recorded
 *
 * Runs in the reboot path. luo_lock stays held: nothing changes any more.
 */
void luo_session_freeze(u64 *sessions_pa)
{
	struct luo_session *s;

	mutex_lock(&luo_lock);
	if (!luo_frozen)
		return;
	list_for_each_entry(s, &luo_outgoing, list)
		luo_file_freeze_all(s);
	luo_ser_rewrite(&luo_outgoing, sessions_pa);
}
