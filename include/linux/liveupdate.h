/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Live Update Orchestrator (LUO): file handlers that keep open files across
 * a kexec live update. The names and signatures are those of mainline
 * Linux 7.3 so a handler builds on both kernels.
 */
#ifndef _LINUX_LIVEUPDATE_H
#define _LINUX_LIVEUPDATE_H

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/types.h>
#include <linux/kho/abi/luo.h>
#include <uapi/linux/liveupdate.h>

struct file;
struct module;
struct liveupdate_file_handler;
struct liveupdate_flb;

/**
 * struct liveupdate_file_op_args - what LUO passes to a file handler
 * @handler: the handler called
 * @retrieve_status: 0 before retrieve, 1 after a successful one, or the
 *	negative error retrieve returned
 * @file: the file (in for preserve, freeze, unpreserve; out for retrieve)
 * @serialized_data: out of preserve, in for the others: the physical
 *	address the next kernel passes to retrieve
 * @private_data: out of preserve; the handler's own pointer, kept by LUO
 *	and passed to freeze and unpreserve
 */
struct liveupdate_file_op_args {
	struct liveupdate_file_handler *handler;
	int retrieve_status;
	struct file *file;
	u64 serialized_data;
	void *private_data;
};

/**
 * struct liveupdate_file_ops - what a file handler does
 * @can_preserve: whether the handler takes @file
 * @preserve: preserve the file's state; called from the PRESERVE_FD ioctl
 * @unpreserve: undo @preserve; called when the session is closed before
 *	the handover is frozen
 * @freeze: optional; update the serialized state at kexec, in the reboot
 *	path. It must not fail for a reason userspace could have avoided.
 * @unfreeze: optional; undo @freeze (not called by khoreg: a kexec that
 *	reached the reboot path does not come back)
 * @retrieve: build a new file from @serialized_data in the next kernel
 * @can_finish: optional; whether the session may finish now
 * @finish: optional; release what a retrieve that was never made holds
 * @get_id: optional; an identity of the underlying object, so the same
 *	object is not preserved twice (default: the file pointer)
 * @owner: the module of the handler
 *
 * khoreg runs @retrieve of every handed-over file once, when the session
 * list is read at boot, so preserved memory is taken before the KHO
 * handover finishes; the RETRIEVE_FD ioctl then hands out that file.
 */
struct liveupdate_file_ops {
	bool (*can_preserve)(struct liveupdate_file_handler *handler,
			     struct file *file);
	int (*preserve)(struct liveupdate_file_op_args *args);
	void (*unpreserve)(struct liveupdate_file_op_args *args);
	int (*freeze)(struct liveupdate_file_op_args *args);
	void (*unfreeze)(struct liveupdate_file_op_args *args);
	int (*retrieve)(struct liveupdate_file_op_args *args);
	bool (*can_finish)(struct liveupdate_file_op_args *args);
	void (*finish)(struct liveupdate_file_op_args *args);
	unsigned long (*get_id)(struct file *file);
	struct module *owner;
};

/**
 * struct liveupdate_file_handler - a kind of file LUO can preserve
 * @ops: its operations
 * @compatible: the name of its wire format, written next to every file it
 *	preserved so the next kernel finds the same handler
 */
struct liveupdate_file_handler {
	const struct liveupdate_file_ops *ops;
	const char compatible[LIVEUPDATE_HNDL_COMPAT_LENGTH];

	/* private: */
	/* Link in LUO's list of handlers. */
	struct list_head __private list;
	/* The FLBs the handler's files depend on (none on khoreg). */
	struct list_head __private flb_list;
};

/**
 * struct liveupdate_flb_op_args - what LUO passes to an FLB's operations
 * @flb: the FLB
 * @data: out of preserve; in for unpreserve and retrieve: the handle the
 *	next kernel gets
 * @obj: out of preserve and retrieve: the live object; in for unpreserve
 *	and finish
 */
struct liveupdate_flb_op_args {
	struct liveupdate_flb *flb;
	u64 data;
	void *obj;
};

/**
 * struct liveupdate_flb_ops - what a file-lifecycle-bound object does
 * @preserve: save the object when the first file that needs it is preserved
 * @unpreserve: undo @preserve when the last such file is unpreserved
 * @retrieve: rebuild the object in the next kernel, on first use
 * @finish: release it when the last file that needs it is finished
 * @owner: the module of the operations
 */
struct liveupdate_flb_ops {
	int (*preserve)(struct liveupdate_flb_op_args *argp);
	void (*unpreserve)(struct liveupdate_flb_op_args *argp);
	int (*retrieve)(struct liveupdate_flb_op_args *argp);
	void (*finish)(struct liveupdate_flb_op_args *argp);
	struct module *owner;
};

/*
 * struct luo_flb_private_state - one side (outgoing or incoming) of an FLB
 * @count: how many preserved files depend on it
 * @data: the handle of preserve or the one handed over
 * @obj: the live object
 * @lock: serializes the operations
 * @finished: finish has run
 * @retrieve_status: 0 before retrieve, 1 after a successful one, or the
 *	error it returned
 */
struct luo_flb_private_state {
	refcount_t count;
	u64 data;
	void *obj;
	struct mutex lock;	/* serializes the FLB's operations */
	bool finished;
	int retrieve_status;
};

/*
 * struct luo_flb_private - LUO's state of an FLB
 * @list: link in the list of registered FLBs
 * @outgoing: the state before the kexec
 * @incoming: the state after it
 * @users: the number of handlers it is registered with
 * @initialized: the fields above are set up
 */
struct luo_flb_private {
	struct list_head list;
	struct luo_flb_private_state outgoing;
	struct luo_flb_private_state incoming;
	int users;
	bool initialized;
};

/**
 * struct liveupdate_flb - a file-lifecycle-bound (FLB) object: state that
 *	several preserved files share, preserved with the first of them and
 *	finished with the last
 * @ops: its operations
 * @compatible: the name of its wire format
 *
 * khoreg has the type and the functions of mainline Linux so that drivers
 * build, but does not hand FLBs over: registering one fails with
 * -EOPNOTSUPP (see Documentation/kho/liveupdate.rst).
 */
struct liveupdate_flb {
	const struct liveupdate_flb_ops *ops;
	const char compatible[LIVEUPDATE_FLB_COMPAT_LENGTH];

	/* private: */
	struct luo_flb_private __private private;
};

#ifdef CONFIG_LIVEUPDATE

bool liveupdate_enabled(void);
int liveupdate_register_file_handler(struct liveupdate_file_handler *fh);
void liveupdate_unregister_file_handler(struct liveupdate_file_handler *fh);

int liveupdate_register_flb(struct liveupdate_file_handler *fh,
			    struct liveupdate_flb *flb);
void liveupdate_unregister_flb(struct liveupdate_file_handler *fh,
			       struct liveupdate_flb *flb);
int liveupdate_flb_get_incoming(struct liveupdate_flb *flb, void **objp);
void liveupdate_flb_put_incoming(struct liveupdate_flb *flb);
int liveupdate_flb_get_outgoing(struct liveupdate_flb *flb, void **objp);
void liveupdate_flb_put_outgoing(struct liveupdate_flb *flb);

#else

static inline bool liveupdate_enabled(void)
{
	return false;
}

static inline int
liveupdate_register_file_handler(struct liveupdate_file_handler *fh)
{
	return -EOPNOTSUPP;
}

static inline void
liveupdate_unregister_file_handler(struct liveupdate_file_handler *fh)
{
}

static inline int liveupdate_register_flb(struct liveupdate_file_handler *fh,
					  struct liveupdate_flb *flb)
{
	return -EOPNOTSUPP;
}

static inline void liveupdate_unregister_flb(struct liveupdate_file_handler *fh,
					     struct liveupdate_flb *flb)
{
}

static inline int liveupdate_flb_get_incoming(struct liveupdate_flb *flb,
					      void **objp)
{
	return -EOPNOTSUPP;
}

static inline void liveupdate_flb_put_incoming(struct liveupdate_flb *flb)
{
}

static inline int liveupdate_flb_get_outgoing(struct liveupdate_flb *flb,
					      void **objp)
{
	return -EOPNOTSUPP;
}

static inline void liveupdate_flb_put_outgoing(struct liveupdate_flb *flb)
{
}

#endif /* CONFIG_LIVEUPDATE */

#endif /* _LINUX_LIVEUPDATE_H */
