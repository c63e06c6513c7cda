// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libkhoreg helpers: error messages, text buffers, byte order, names,
 * FDT checks. File I/O is in fileio.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "internal.h"

static __thread char kr_errmsg[512];

KHOREG_API const char *libkhoreg_last_error(void)
{
	return kr_errmsg;
}

int kr_err(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(kr_errmsg, sizeof(kr_errmsg), fmt, ap);
	va_end(ap);
	return err;
}

/* Prepend "@prefix: " to the current message. */
void kr_prefix_err(const char *prefix)
{
	char old[sizeof(kr_errmsg)];
	size_t n;

	memcpy(old, kr_errmsg, sizeof(old));
	n = snprintf(kr_errmsg, sizeof(kr_errmsg), "%.200s: ", prefix);
	snprintf(kr_errmsg + n, sizeof(kr_errmsg) - n, "%.300s", old);
}

void kr_clear_err(void)
{
	kr_errmsg[0] = '\0';
}

void kr_problem(struct kr_problems *p, const char *path, const char *fmt, ...)
{
	char reason[512];
	va_list ap;

	if (!p)
		return;
	p->count++;
	if (!p->fn)
		return;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	p->fn(path, reason, p->ctx);
}

void *kr_calloc(size_t n, size_t size)
{
	if (!n || !size)
		return calloc(1, 1);
	return calloc(n, size);
}

/* Make room for @need elements of @size bytes; returns NULL on failure. */
void *kr_grow(void *ptr, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : 8;
	void *p;

	if (need <= *cap)
		return ptr;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / size)
			return NULL;
		ncap *= 2;
	}
	p = realloc(ptr, ncap * size);
	if (!p)
		return NULL;
	*cap = ncap;
	return p;
}

void kr_buf_vprintf(struct kr_buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	char *s;
	int n;

	if (b->oom)
		return;
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	s = kr_grow(b->s, &b->cap, b->len + n + 1, 1);
	if (!s) {
		b->oom = true;
		return;
	}
	b->s = s;
	vsnprintf(b->s + b->len, n + 1, fmt, ap);
	b->len += n;
}

void kr_buf_printf(struct kr_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kr_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void kr_buf_put(struct kr_buf *b, const void *p, size_t len)
{
	char *s;

	if (b->oom)
		return;
	s = kr_grow(b->s, &b->cap, b->len + len + 1, 1);
	if (!s) {
		b->oom = true;
		return;
	}
	b->s = s;
	memcpy(b->s + b->len, p, len);
	b->len += len;
	b->s[b->len] = '\0';
}

void kr_buf_free(struct kr_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

char *kr_strndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

uint64_t kr_be(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

void kr_put_be(uint8_t *p, uint64_t v, unsigned int n)
{
	while (n--) {
		p[n] = v & 0xff;
		v >>= 8;
	}
}

/* kho-v4 root properties and kernel memory are little-endian u64s. */
uint64_t kr_le64(const void *p)
{
	const uint8_t *b = p;
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | b[i];
	return v;
}

/* Entry, field and annotation key names: [a-z0-9_.-], 1..KHOREG_NAME_MAX. */
bool kr_is_name(const char *s, size_t len)
{
	size_t i;

	if (!len || len > KHOREG_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			continue;
		if (i && (c == '_' || c == '.' || c == '-'))
			continue;
		return false;
	}
	return true;
}

const char *kr_fdt_strerror(int err)
{
	if (err == -FDT_ERR_ALIGNMENT)
		return "FDT_ERR_ALIGNMENT";
	return fdt_strerror(err);
}

/*
 * Every node and property name must be a NUL-terminated string inside its
 * block.  libfdt 1.6.1's fdt_check_full() dereferences NULL when the root
 * node's name is not, so names are checked first.
 */
static int check_names(const void *fdt)
{
	const char *prop;
	int offset = 0, next, tag, len;

	do {
		tag = fdt_next_tag(fdt, offset, &next);
		if (next < 0)
			return next;
		/* a property length of -8 or less: libfdt would not advance */
		if (next <= offset)
			return -FDT_ERR_BADSTRUCTURE;
		if (tag == FDT_BEGIN_NODE && !fdt_get_name(fdt, offset, &len))
			return len;
		if (tag == FDT_PROP) {
			prop = fdt_offset_ptr(fdt, offset,
					      sizeof(struct fdt_property));
			if (!prop)
				return -FDT_ERR_TRUNCATED;
			/* read as bytes: no struct access at any alignment */
			prop += offsetof(struct fdt_property, nameoff);
			if (!fdt_get_string(fdt, fdt32_ld((const fdt32_t *)prop), &len))
				return -FDT_ERR_BADSTRUCTURE;
		}
		offset = next;
	} while (tag != FDT_END);
	return 0;
}

/* Full structural check of an FDT held in @len bytes. */
int kr_check_fdt(const void *fdt, size_t len)
{
	int err;

	if (len < sizeof(struct fdt_header))
		return -FDT_ERR_TRUNCATED;
	if (len > INT32_MAX)
		return -FDT_ERR_BADSTRUCTURE;
	err = fdt_check_header(fdt);
	if (err)
		return err;
	if (fdt_totalsize(fdt) > len)
		return -FDT_ERR_TRUNCATED;
	/* The blocks must be aligned as the devicetree spec requires. */
	if (fdt_off_mem_rsvmap(fdt) % 8 || fdt_off_dt_struct(fdt) % 4)
		return -FDT_ERR_ALIGNMENT;
	err = check_names(fdt);
	if (err)
		return err;
	return fdt_check_full(fdt, fdt_totalsize(fdt));
}

void kr_put_le64(void *p, uint64_t v)
{
	uint8_t *b = p;
	int i;

	for (i = 0; i < 8; i++, v >>= 8)
		b[i] = v & 0xff;
}
