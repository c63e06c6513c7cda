// SPDX-License-Identifier: GPL-2.0-only
/*
 * Live Update Orchestrator: the registry of file handlers and the files
 * of a session.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "luo_internal.h"

static LIST_HEAD(luo_handlers);

/* Every file preserved in an outgoing session, by identity. */
static DEFINE_XARRAY(luo_preserved_ids);

/**
 * liveupdate_register_file_handler() - make a kind of file preservable
 * @fh: the handler; @fh->compatible must be set and unique
 *
 * Return: 0; -EOPNOTSUPP if live update is disabled; -EINVAL for a
 * handler without the mandatory operations or a name; -EEXIST if a handler
 * of that name is registered; -EBUSY while the handover is frozen.
 */
int liveupdate_register_file_handler(struct liveupdate_file_handler *fh)
{
	const struct liveupdate_file_ops *ops = fh->ops;
	struct liveupdate_file_handler *it;

	if (!liveupdate_enabled())
		return -EOPNOTSUPP;
	if (!ops || !ops->can_preserve || !ops->preserve ||
	    !ops->unpreserve || !ops->retrieve || !fh->compatible[0] ||
	    !memchr(fh->compatible, 0, sizeof(fh->compatible)))
		return -EINVAL;

	guard(mutex)(&luo_lock);
	if (luo_session_frozen())
		return -EBUSY;
	list_for_each_entry(it, &luo_handlers, list)
		if (!strcmp(it->compatible, fh->compatible))
			return -EEXIST;
	INIT_LIST_HEAD(&ACCESS_PRIVATE(fh, flb_list));
	list_add_tail(&ACCESS_PRIVATE(fh, list), &luo_handlers);
	return 0;
}
EXPORT_SYMBOL_GPL(liveupdate_register_file_handler);

/**
 * liveupdate_unregister_file_handler() - undo liveupdate_register_file_handler()
 * @fh: the handler; no outgoing file may still use it
 */
void liveupdate_unregister_file_handler(struct liveupdate_file_handler *fh)
{
	guard(mutex)(&luo_lock);
	list_del_init(&ACCESS_PRIVATE(fh, list));
}
EXPORT_SYMBOL_GPL(liveupdate_unregister_file_handler);

/*
 * File-lifecycle-bound objects: khoreg has mainline's functions so that a
 * handler using them builds, but hands no FLB over, so none registers and
 * there is never one to get.
 */

/**
 * liveupdate_register_flb() - make a file handler depend on an FLB
 * @fh: the handler
 * @flb: the FLB
 *
 * Return: -EOPNOTSUPP: khoreg does not hand FLBs over.
 */
int liveupdate_register_flb(struct liveupdate_file_handler *fh,
			    struct liveupdate_flb *flb)
{
	pr_warn_once("%s: file-lifecycle-bound objects are not supported\n",
		     flb->compatible);
	return -EOPNOTSUPP;
}
EXPORT_SYMBOL_GPL(liveupdate_register_flb);

/**
 * liveupdate_unregister_flb() - undo liveupdate_register_flb()
 * @fh: the handler
 * @flb: the FLB
 */
void liveupdate_unregister_flb(struct liveupdate_file_handler *fh,
			       struct liveupdate_flb *flb)
{
}
EXPORT_SYMBOL_GPL(liveupdate_unregister_flb);

/**
 * liveupdate_flb_get_incoming() - the FLB object the previous kernel handed over
 * @flb: the FLB
 * @objp: the object, when there is one
 *
 * Return: -EOPNOTSUPP: khoreg does not hand FLBs over.
 */
int liveupdate_flb_get_incoming(struct liveupdate_flb *flb, void **objp)
{
	return -EOPNOTSUPP;
}
EXPORT_SYMBOL_GPL(liveupdate_flb_get_incoming);

/**
 * liveupdate_flb_put_incoming() - undo a successful liveupdate_flb_get_incoming()
 * @flb: the FLB
 */
void liveupdate_flb_put_incoming(struct liveupdate_flb *flb)
{
}
EXPORT_SYMBOL_GPL(liveupdate_flb_put_incoming);

/**
 * liveupdate_flb_get_outgoing() - the FLB object preserved for the next kernel
 * @flb: the FLB
 * @objp: the object, when there is one
 *
 * Return: -EOPNOTSUPP: khoreg does not hand FLBs over.
 */
int liveupdate_flb_get_outgoing(struct liveupdate_flb *flb, void **objp)
{
	return -EOPNOTSUPP;
}
EXPORT_SYMBOL_GPL(liveupdate_flb_get_outgoing);

/**
 * liveupdate_flb_put_outgoing() - undo a successful liveupdate_flb_get_outgoing()
 * @flb: the FLB
 */
void liveupdate_flb_put_outgoing(struct liveupdate_flb *flb)
{
}
EXPORT_SYMBOL_GPL(liveupdate_flb_put_outgoing);

static struct liveupdate_file_handler *luo_handler_find(const char *compatible)
{
	struct liveupdate_file_handler *fh;

	list_for_each_entry(fh, &luo_handlers, list)
		if (!strcmp(fh->compatible, compatible))
			return fh;
	return NULL;
}

static unsigned long luo_file_id(struct liveupdate_file_handler *fh,
				 struct file *file)
{
	return fh->ops->get_id ? fh->ops->get_id(file) : (unsigned long)file;
}

static struct luo_file *luo_file_find(struct luo_session *s, u64 token)
{
	struct luo_file *f;

	list_for_each_entry(f, &s->files, list)
		if (f->token == token)
			return f;
	return NULL;
}

/**
 * luo_file_preserve() - preserve the file behind @fd in session @s
 * @s: an outgoing session
 * @token: userspace's name for the file, unique in @s
 * @fd: the file descriptor
 *
 * Called with luo_lock held.
 *
 * Return: 0; -EEXIST for a token in use; -EBUSY for a file preserved
 * already; -EBADF; -ENOENT if no handler takes the file; or the handler's error.
 */
int luo_file_preserve(struct luo_session *s, u64 token, int fd)
{
	struct liveupdate_file_op_args args = {};
	struct liveupdate_file_handler *fh;
	struct luo_file *f;
	struct file *file;
	unsigned long id;
	int err;

	lockdep_assert_held(&luo_lock);
	if (luo_file_find(s, token))
		return -EEXIST;
	file = fget(fd);
	if (!file)
		return -EBADF;

	err = -ENOENT;
	list_for_each_entry(fh, &luo_handlers, list) {
		if (fh->ops->can_preserve(fh, file)) {
			err = try_module_get(fh->ops->owner) ? 0 : -ENOENT;
			break;
		}
	}
	if (err)
		goto put_file;

	id = luo_file_id(fh, file);
	err = xa_insert(&luo_preserved_ids, id, file, GFP_KERNEL);
	if (err)	/* -EBUSY: the file is preserved already */
		goto put_module;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f) {
		err = -ENOMEM;
		goto erase;
	}
	args.handler = fh;
	args.file = file;
	err = fh->ops->preserve(&args);
	if (err) {
		kfree(f);
		goto erase;
	}
	f->fh = fh;
	f->file = file;
	f->token = token;
	f->serialized_data = args.serialized_data;
	f->private_data = args.private_data;
	err = luo_view_file_add(s, f);
	if (err) {
		fh->ops->unpreserve(&args);
		kfree(f);
		goto erase;
	}
	list_add_tail(&f->list, &s->files);
	s->nr_files++;
	return 0;

erase:
	xa_erase(&luo_preserved_ids, id);
put_module:
	module_put(fh->ops->owner);
put_file:
	fput(file);
	return err;
}

/**
 * luo_file_retrieve() - a new reference to a file handed over in @s
 * @s: an incoming session
 * @token: the file's token
 * @filep: returns the file, with a reference for the caller
 *
 * Return: 0; -ENOENT for an unknown token; the error the file's restore
 * failed with, every time.
 */
int luo_file_retrieve(struct luo_session *s, u64 token, struct file **filep)
{
	struct luo_file *f;

	lockdep_assert_held(&luo_lock);
	f = luo_file_find(s, token);
	if (!f)
		return -ENOENT;
	if (f->retrieve_status < 0)
		return f->retrieve_status;
	*filep = get_file(f->file);
	return 0;
}

/**
 * luo_file_freeze_all() - let the handlers of @s update their state at kexec
 * @s: an outgoing session
 */
void luo_file_freeze_all(struct luo_session *s)
{
	struct luo_file *f;

	list_for_each_entry(f, &s->files, list) {
		struct liveupdate_file_op_args args = {
			.handler = f->fh,
			.file = f->file,
			.serialized_data = f->serialized_data,
			.private_data = f->private_data,
		};
		int err;

		if (!f->fh->ops->freeze)
			continue;
		err = f->fh->ops->freeze(&args);
		if (err)
			pr_warn("session %s: token %llu did not freeze (%d); the next kernel sees its state of the finalize\n",
				s->name, f->token, err);
	}
}

/**
 * luo_file_release_all() - drop every file of @s
 * @s: the session
 * @unpreserve: an outgoing session whose files' preservation is undone
 *	(false while the handover is frozen: the preserved memory stays
 *	preserved until the handover is aborted)
 *
 * Incoming files that were never retrieved are passed to the handler's
 * finish operation.
 */
void luo_file_release_all(struct luo_session *s, bool unpreserve)
{
	struct luo_file *f, *tmp;

	list_for_each_entry_safe(f, tmp, &s->files, list) {
		struct liveupdate_file_op_args args = {
			.handler = f->fh,
			.file = f->file,
			.serialized_data = f->serialized_data,
			.private_data = f->private_data,
			.retrieve_status = f->retrieve_status,
		};

		if (s->incoming) {
			if (f->fh && f->fh->ops->finish)
				f->fh->ops->finish(&args);
		} else {
			if (unpreserve)
				f->fh->ops->unpreserve(&args);
			xa_erase(&luo_preserved_ids, luo_file_id(f->fh, f->file));
		}
		if (f->file)
			fput(f->file);
		if (f->fh && !s->incoming)
			module_put(f->fh->ops->owner);
		list_del(&f->list);
		kfree(f);
	}
	s->nr_files = 0;
}

/**
 * luo_file_add_incoming() - restore a file the previous kernel handed over
 * @s: its incoming session
 * @compatible: the handler name it was written with
 * @data: the handler's physical address for it
 * @token: its token
 *
 * The handler's retrieve runs now, at boot, so the file's preserved memory
 * is taken before the handover finishes; its result is kept for the
 * RETRIEVE_FD ioctl. A file without a handler fails with -ENOENT there.
 */
void luo_file_add_incoming(struct luo_session *s, const char *compatible,
			   u64 data, u64 token)
{
	struct liveupdate_file_op_args args = {};
	struct luo_file *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return;
	f->token = token;
	f->serialized_data = data;
	f->fh = luo_handler_find(compatible);
	if (!f->fh) {
		pr_warn("session %s: token %llu needs handler %s, which this kernel lacks\n",
			s->name, token, compatible);
		f->retrieve_status = -ENOENT;
	} else {
		args.handler = f->fh;
		args.serialized_data = data;
		f->retrieve_status = f->fh->ops->retrieve(&args);
		if (f->retrieve_status) {
			pr_warn("session %s: token %llu not restored (%d)\n",
				s->name, token, f->retrieve_status);
		} else {
			f->file = args.file;
			f->retrieve_status = 1;
		}
	}
	list_add_tail(&f->list, &s->files);
	s->nr_files++;
}
