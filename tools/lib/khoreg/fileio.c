// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libkhoreg file I/O: read a whole file or sysfs binary attribute, write a
 * new file (mode 0600: a handover may hold secrets) or an existing
 * attribute. Exported so that tools reuse it instead of copying it; the
 * library's own open and save functions use it too.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

static bool is_stdio(const char *path)
{
	return !strcmp(path, "-");
}

KHOREG_API int libkhoreg_read_file(const char *path, size_t max, void **out,
				   size_t *len)
{
	size_t cap = 0, n = 0;
	uint8_t *buf = NULL, *nb;
	ssize_t r;
	int fd, err;

	fd = is_stdio(path) ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return kr_err(-errno, "%s: %s", path, strerror(errno));
	for (;;) {
		if (n == cap) {
			if (cap > max) {
				err = kr_err(-EFBIG, "%s: larger than %zu bytes",
					     path, max);
				goto fail;
			}
			nb = kr_grow(buf, &cap, n + 65536, 1);
			if (!nb) {
				err = kr_err(-ENOMEM, "%s: out of memory", path);
				goto fail;
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = kr_err(-errno, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (!r)
			break;
		n += r;
	}
	if (n > max) {
		err = kr_err(-EFBIG, "%s: larger than %zu bytes", path, max);
		goto fail;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	*out = buf;
	*len = n;
	return 0;
fail:
	free(buf);
	if (fd != STDIN_FILENO)
		close(fd);
	return err;
}

/* Write all of @buf to @fd and close it (unless it is stdout). */
static int write_fd(int fd, const char *path, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	ssize_t r;

	while (len) {
		r = write(fd, p, len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			if (fd != STDOUT_FILENO)
				close(fd);
			return kr_err(r, "%s: %s", path, strerror(-r));
		}
		p += r;
		len -= r;
	}
	if (fd != STDOUT_FILENO && close(fd))
		return kr_err(-errno, "%s: %s", path, strerror(errno));
	return 0;
}

KHOREG_API int libkhoreg_write_file(const char *path, const void *buf,
				    size_t len)
{
	int fd;

	fd = is_stdio(path) ? STDOUT_FILENO :
	     open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return kr_err(-errno, "%s: %s", path, strerror(errno));
	return write_fd(fd, path, buf, len);
}

KHOREG_API int libkhoreg_write_attr(const char *path, const void *buf,
				    size_t len)
{
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return kr_err(-errno, "%s: %s", path, strerror(errno));
	return write_fd(fd, path, buf, len);
}
