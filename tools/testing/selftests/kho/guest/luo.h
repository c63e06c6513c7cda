/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * luo.h - the /dev/liveupdate calls of the guest programs (luo_memfd,
 * luo_bench), on the uAPI that khoreg and mainline 7.3 share: one wrapper
 * per ioctl, returning what ioctl() returns or the new descriptor.
 */
#ifndef KHO_GUEST_LUO_H
#define KHO_GUEST_LUO_H

#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>

/* The uAPI header of this tree: the build host's headers predate it. */
#include "../../../../../include/uapi/linux/liveupdate.h"

#define LUO_DEV		"/dev/liveupdate"

static inline int luo_create_session(int dev, const char *name)
{
	struct liveupdate_ioctl_create_session arg = { .size = sizeof(arg) };

	snprintf((char *)arg.name, sizeof(arg.name), "%s", name);
	if (ioctl(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, &arg))
		return -1;
	return arg.fd;
}

static inline int luo_retrieve_session(int dev, const char *name)
{
	struct liveupdate_ioctl_retrieve_session arg = { .size = sizeof(arg) };

	snprintf((char *)arg.name, sizeof(arg.name), "%s", name);
	if (ioctl(dev, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, &arg))
		return -1;
	return arg.fd;
}

static inline int luo_preserve(int session, int fd, uint64_t token)
{
	struct liveupdate_session_preserve_fd arg = {
		.size = sizeof(arg), .fd = fd, .token = token,
	};

	return ioctl(session, LIVEUPDATE_SESSION_PRESERVE_FD, &arg);
}

static inline int luo_retrieve(int session, uint64_t token)
{
	struct liveupdate_session_retrieve_fd arg = {
		.size = sizeof(arg), .token = token,
	};

	if (ioctl(session, LIVEUPDATE_SESSION_RETRIEVE_FD, &arg))
		return -1;
	return arg.fd;
}

static inline int luo_finish(int session)
{
	struct liveupdate_session_finish arg = { .size = sizeof(arg) };

	return ioctl(session, LIVEUPDATE_SESSION_FINISH, &arg);
}

#endif
