/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * /dev/liveupdate: keep file descriptors across a kexec live update.
 *
 * The ioctl numbers, structure layouts and error numbers are those of
 * mainline Linux's Live Update Orchestrator, so one userspace program runs
 * on both kernels.
 */
#ifndef _UAPI_LINUX_LIVEUPDATE_H
#define _UAPI_LINUX_LIVEUPDATE_H

#include <linux/ioctl.h>
#include <linux/types.h>

/**
 * DOC: Calling convention
 *
 * Every ioctl takes a pointer to a structure whose first __u32 holds the
 * size userspace compiled it with. A smaller size than the fields the
 * kernel needs fails with EINVAL; bytes beyond what the kernel knows must
 * be zero, or the call fails with E2BIG. So a newer program still runs on
 * an older kernel as long as it leaves the new fields zero.
 *
 * Error numbers: ENOTTY for an unknown ioctl, E2BIG for a non-zero unknown
 * tail, EOPNOTSUPP for a known field with a value this kernel does not
 * support, EINVAL for a malformed field, ENOENT for an unknown token or
 * session name, ENOMEM, EOVERFLOW; some ioctls add their own.
 */

#define LIVEUPDATE_IOCTL_TYPE		0xBA

/* Longest session name, counting its terminating NUL. */
#define LIVEUPDATE_SESSION_NAME_LENGTH	64

/* ioctl numbers on /dev/liveupdate itself */
enum {
	LIVEUPDATE_CMD_BASE = 0x00,
	LIVEUPDATE_CMD_CREATE_SESSION = LIVEUPDATE_CMD_BASE,
	LIVEUPDATE_CMD_RETRIEVE_SESSION = 0x01,
};

/* ioctl numbers on a session file descriptor */
enum {
	LIVEUPDATE_CMD_SESSION_BASE = 0x40,
	LIVEUPDATE_CMD_SESSION_PRESERVE_FD = LIVEUPDATE_CMD_SESSION_BASE,
	LIVEUPDATE_CMD_SESSION_RETRIEVE_FD = 0x41,
	LIVEUPDATE_CMD_SESSION_FINISH = 0x42,
	LIVEUPDATE_CMD_SESSION_GET_NAME = 0x43,
};

/**
 * struct liveupdate_ioctl_create_session - start a new outgoing session
 * @size: in; sizeof(struct liveupdate_ioctl_create_session)
 * @fd: out; the session's file descriptor (close-on-exec)
 * @name: in; NUL-terminated, unique among this kernel's outgoing sessions
 *
 * The session lives as long as its file descriptor: closing it before the
 * kexec releases every file preserved in it.
 * Errors: EEXIST for a name in use, EINVAL for an empty or unterminated
 * name, EBUSY once the handover is frozen for kexec.
 */
struct liveupdate_ioctl_create_session {
	__u32	size;
	__s32	fd;
	__u8	name[LIVEUPDATE_SESSION_NAME_LENGTH];
};

#define LIVEUPDATE_IOCTL_CREATE_SESSION \
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_CREATE_SESSION)

/**
 * struct liveupdate_ioctl_retrieve_session - open a session handed over
 * @size: in; sizeof(struct liveupdate_ioctl_retrieve_session)
 * @fd: out; the session's file descriptor (close-on-exec)
 * @name: in; the name the session had in the previous kernel
 *
 * Errors: ENOENT if the previous kernel handed over no such session,
 * EINVAL if it was already retrieved.
 */
struct liveupdate_ioctl_retrieve_session {
	__u32	size;
	__s32	fd;
	__u8	name[LIVEUPDATE_SESSION_NAME_LENGTH];
};

#define LIVEUPDATE_IOCTL_RETRIEVE_SESSION \
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_RETRIEVE_SESSION)

/**
 * struct liveupdate_session_preserve_fd - add a file to an outgoing session
 * @size: in; sizeof(struct liveupdate_session_preserve_fd)
 * @fd: in; the file descriptor to preserve
 * @token: in; a value of the caller's choosing, unique in the session,
 *	   that names the file in the next kernel
 *
 * Errors: ENOENT if no file handler supports this kind of file, EEXIST for
 * a token already used in the session, EBUSY for a file already preserved
 * or once the handover is frozen for kexec, or what the handler returns.
 */
struct liveupdate_session_preserve_fd {
	__u32		size;
	__s32		fd;
	__aligned_u64	token;
};

#define LIVEUPDATE_SESSION_PRESERVE_FD \
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_SESSION_PRESERVE_FD)

/**
 * struct liveupdate_session_retrieve_fd - get a file back after kexec
 * @size: in; sizeof(struct liveupdate_session_retrieve_fd)
 * @fd: out; a new file descriptor (close-on-exec) for the restored file
 * @token: in; the token the file was preserved with
 *
 * Retrieving a token again returns another descriptor for the same file; a
 * token whose restore failed keeps failing with the same error.
 * Errors: ENOENT for an unknown token.
 */
struct liveupdate_session_retrieve_fd {
	__u32		size;
	__s32		fd;
	__aligned_u64	token;
};

#define LIVEUPDATE_SESSION_RETRIEVE_FD \
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_SESSION_RETRIEVE_FD)

/**
 * struct liveupdate_session_finish - end a retrieved session
 * @size: in; sizeof(struct liveupdate_session_finish)
 * @reserved: in; must be 0
 *
 * The kernel drops what it still holds of the session; files not retrieved
 * are freed. Closing a retrieved session's descriptor finishes it too.
 */
struct liveupdate_session_finish {
	__u32	size;
	__u32	reserved;
};

#define LIVEUPDATE_SESSION_FINISH \
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_SESSION_FINISH)

/**
 * struct liveupdate_session_get_name - read a session's name
 * @size: in; sizeof(struct liveupdate_session_get_name)
 * @reserved: in; must be 0
 * @name: out; the NUL-terminated name
 */
struct liveupdate_session_get_name {
	__u32	size;
	__u32	reserved;
	__u8	name[LIVEUPDATE_SESSION_NAME_LENGTH];
};

#define LIVEUPDATE_SESSION_GET_NAME \
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_SESSION_GET_NAME)

#endif /* _UAPI_LINUX_LIVEUPDATE_H */
