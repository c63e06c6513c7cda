/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Live Update Orchestrator: what its files share.
 */
#ifndef _KERNEL_LIVEUPDATE_LUO_INTERNAL_H
#define _KERNEL_LIVEUPDATE_LUO_INTERNAL_H

#include <linux/liveupdate.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/stddef.h>
#include <linux/types.h>

struct khoreg_entry;

/**
 * struct luo_file - a file in a session
 * @list: link in &luo_session.files
 * @fh: its handler
 * @file: the file; LUO holds a reference
 * @token: userspace's name for it
 * @serialized_data: the handler's physical address for it
 * @private_data: the handler's pointer (outgoing files)
 * @retrieve_status: as in &struct liveupdate_file_op_args
 */
struct luo_file {
	struct list_head list;
	struct liveupdate_file_handler *fh;
	struct file *file;
	u64 token;
	u64 serialized_data;
	void *private_data;
	int retrieve_status;
};

/**
 * struct luo_session - a named set of preserved files
 * @list: link in the outgoing, dropped or incoming list
 * @name: its name, NUL-terminated
 * @files: its &struct luo_file
 * @nr_files: how many
 * @incoming: handed over by the previous kernel
 * @retrieved: incoming, and a descriptor for it was handed out
 * @files_pa: outgoing, once serialized: the first block of its files
 * @view: outgoing: its entry in the registry view (luo_view.c), or NULL
 * @view_bytes: outgoing: the sizes of its files, as the view shows them
 */
struct luo_session {
	struct list_head list;
	char name[LIVEUPDATE_SESSION_NAME_LENGTH];
	struct list_head files;
	u64 nr_files;
	bool incoming;
	bool retrieved;
	u64 files_pa;
	struct khoreg_entry *view;
	u64 view_bytes;
};

/*
 * luo_lock serializes every change to sessions and files and the
 * serialization at finalize and at kexec.
 */
extern struct mutex luo_lock;

/* luo_file.c: the file handlers and the files of a session */
int luo_file_preserve(struct luo_session *s, u64 token, int fd);
int luo_file_retrieve(struct luo_session *s, u64 token, struct file **filep);
void luo_file_release_all(struct luo_session *s, bool unpreserve);
void luo_file_freeze_all(struct luo_session *s);
void luo_file_add_incoming(struct luo_session *s, const char *compatible,
			   u64 data, u64 token);

/* luo_view.c: the sessions as registry entries */
void luo_view_init(void);
int luo_view_session_add(struct luo_session *s);
int luo_view_file_add(struct luo_session *s, struct luo_file *f);
void luo_view_session_remove(struct luo_session *s);

/* luo_core.c: the ioctl calling convention */

/**
 * struct luo_ucmd - one ioctl call
 * @ubuf: userspace's structure
 * @user_size: its size, as userspace says
 * @cmd: the kernel's copy, zero-extended to the kernel's size
 */
struct luo_ucmd {
	void __user *ubuf;
	u32 user_size;
	void *cmd;
};

/**
 * struct luo_ioctl_op - one ioctl
 * @cmd: its number
 * @size: the kernel's size of its structure
 * @min_size: the least size userspace may pass
 * @run: what it does; @priv is the file's private data
 */
struct luo_ioctl_op {
	unsigned int cmd;
	unsigned int size;
	unsigned int min_size;
	int (*run)(void *priv, struct luo_ucmd *ucmd);
};

/*
 * A table of operations lists them in the order of their ioctl numbers,
 * from its base on, with no gap: the dispatcher indexes it by number and
 * refuses a command whose entry names another one.
 */
#define LUO_IOCTL_OP(_cmd, _struct, _last, _run)			\
	{								\
		.cmd = (_cmd),						\
		.size = sizeof(_struct),				\
		.min_size = offsetofend(_struct, _last),		\
		.run = (_run),						\
	}

long luo_ioctl_dispatch(const struct luo_ioctl_op *ops, unsigned int nr_ops,
			unsigned int base, unsigned int cmd, unsigned long arg,
			void *priv);
int luo_ucmd_respond(struct luo_ucmd *ucmd, size_t size);

/* luo_session.c: sessions and their file descriptors */
int luo_session_create(const char *name, struct file **filep);
int luo_session_retrieve(const char *name, struct file **filep);
struct luo_session *luo_session_add_incoming(const char *name);
bool luo_session_frozen(void);
int luo_session_serialize(u64 *sessions_pa);
void luo_session_unserialize(void);
void luo_session_freeze(u64 *sessions_pa);

/* luo_ser.c: the LUO sub-blob */

/**
 * struct luo_block_source - where the parser takes blocks from
 * @take: return the @KHO_BLOCK_SIZE bytes of preserved memory at @pa,
 *	claimed so that a second take of it fails; NULL if @pa is not a
 *	preserved block or was taken already
 * @ctx: passed to @take
 */
struct luo_block_source {
	const void *(*take)(void *ctx, u64 pa);
	void *ctx;
};

/**
 * struct luo_parse_ops - what the parser hands each valid entry to
 * @session: a session; returns a cookie for its files, NULL to skip them
 * @file: a file of the session @cookie names
 * @ctx: passed to both
 */
struct luo_parse_ops {
	void *(*session)(void *ctx, const char *name);
	void (*file)(void *ctx, void *cookie, const char *compatible,
		     u64 data, u64 token);
	void *ctx;
};

int luo_ser_parse_sessions(u64 sessions_pa, const struct luo_block_source *src,
			   const struct luo_parse_ops *ops);
int luo_ser_write(struct list_head *sessions, u64 *sessions_pa);
void luo_ser_rewrite(struct list_head *sessions, u64 *sessions_pa);
void luo_ser_free(void);

/* memfd_luo.c: checks of an incoming memfd, for the KUnit suite too */
struct memfd_luo_ser;
struct memfd_luo_folio_ser;
int memfd_luo_check_header(const struct memfd_luo_ser *ser, u64 vmalloc_bytes);
int memfd_luo_check_folio(const struct memfd_luo_folio_ser *fs,
			  unsigned long nr_pages, u64 size);

#endif /* _KERNEL_LIVEUPDATE_LUO_INTERNAL_H */
