// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libkhoreg: pre-flight, i.e. will a kernel image accept a handover? The
 * image records the formats it accepts in the khoreg ABI note (see
 * registry.h), found by scanning the file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define NOTE_HDR	12
#define NOTE_NAME_PAD	8	/* "khoreg\0" padded to 4 bytes */

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Find the note; returns its desc and length, or NULL. */
static const uint8_t *find_note(const uint8_t *img, size_t len,
				size_t *desc_len)
{
	static const char name[NOTE_NAME_PAD] = KHOREG_NOTE_NAME;
	size_t off;

	for (off = 0; len >= NOTE_HDR + NOTE_NAME_PAD &&
	     off <= len - NOTE_HDR - NOTE_NAME_PAD; off += 4) {
		const uint8_t *p = img + off;
		uint32_t dsz;

		if (le32(p) != sizeof(KHOREG_NOTE_NAME) ||
		    le32(p + 8) != KHOREG_NOTE_TYPE_ABI ||
		    memcmp(p + NOTE_HDR, name, NOTE_NAME_PAD))
			continue;
		dsz = le32(p + 4);
		if (!dsz || dsz > KHOREG_NOTE_DESC_MAX ||
		    dsz > len - off - NOTE_HDR - NOTE_NAME_PAD)
			continue;
		*desc_len = dsz;
		return p + NOTE_HDR + NOTE_NAME_PAD;
	}
	return NULL;
}

static bool listed(const uint8_t *desc, size_t len, const char *want)
{
	size_t off = 0, n;

	while (off < len) {
		n = strnlen((const char *)desc + off, len - off);
		if (n == strlen(want) && !memcmp(desc + off, want, n))
			return true;
		off += n + 1;
	}
	return false;
}

static void accepted(const uint8_t *desc, size_t len, char *buf, size_t size)
{
	size_t off = 0, n, used = 0;

	buf[0] = '\0';
	while (off < len && used + 1 < size) {
		n = strnlen((const char *)desc + off, len - off);
		if (n)
			used += snprintf(buf + used, size - used, "%s%.*s",
					 used ? ", " : "", (int)n,
					 (const char *)desc + off);
		off += n + 1;
	}
}

KHOREG_API int khoreg_handover__preflight(struct khoreg_handover *h,
					  const char *image,
					  khoreg_problem_fn fn, void *ctx)
{
	struct kr_problems p = { .fn = fn, .ctx = ctx };
	const struct khoreg_doc *r;
	const uint8_t *desc;
	char list[256];
	size_t len, dlen;
	void *img;
	int err;

	kr_clear_err();
	err = libkhoreg_read_file(image, KHOREG_INPUT_MAX, &img, &len);
	if (err)
		return err;
	desc = find_note(img, len, &dlen);
	if (!desc) {
		kr_problem(&p, "/",
			   "%s records no khoreg ABI note: it predates khoreg or was built without it",
			   image);
		goto out;
	}
	accepted(desc, dlen, list, sizeof(list));
	if (h->root && (!h->compatible ||
			!listed(desc, dlen, h->compatible)))
		kr_problem(&p, "/", "%s accepts %s, not \"%s\"", image, list,
			   h->compatible ? h->compatible : "(none)");
	if (khoreg_handover__doc(h, &r) != -ENOENT &&
	    !listed(desc, dlen, KHOREG_COMPATIBLE))
		kr_problem(&p, "/" KHOREG_BLOB_NAME, "%s accepts %s, not \"%s\"",
			   image, list, KHOREG_COMPATIBLE);
out:
	free(img);
	return p.count;
}
