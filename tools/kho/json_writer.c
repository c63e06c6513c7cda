// SPDX-License-Identifier: GPL-2.0-only
/*
 * khoctl's JSON writer: objects, arrays, keys and values with proper
 * string escaping, pretty-printed two spaces a level. It knows nothing of
 * handovers; every verb with --json output writes through it.
 */
#include <inttypes.h>
#include <stdarg.h>

#include "json_writer.h"

static void jw_sep(struct jw *w)
{
	if (w->key) {
		w->key = false;
		return;
	}
	if (w->depth) {
		if (!w->first[w->depth])
			fputc(',', w->f);
		w->first[w->depth] = false;
		fprintf(w->f, "\n%*s", 2 * w->depth, "");
	}
}

void jw_begin(struct jw *w, char open)
{
	jw_sep(w);
	fputc(open, w->f);
	w->depth++;
	w->first[w->depth] = true;
}

void jw_end(struct jw *w, char close)
{
	bool empty = w->first[w->depth];

	w->depth--;
	if (!empty)
		fprintf(w->f, "\n%*s", 2 * w->depth, "");
	fputc(close, w->f);
	if (!w->depth)
		fputc('\n', w->f);
}

void jw_str(struct jw *w, const char *s)
{
	jw_sep(w);
	if (!s) {
		fputs("null", w->f);
		return;
	}
	fputc('"', w->f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(w->f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", w->f);
		else if (c == '\t')
			fputs("\\t", w->f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(w->f, "\\u%04x", c);
		else
			fputc(c, w->f);
	}
	fputc('"', w->f);
}

void jw_key(struct jw *w, const char *key)
{
	jw_str(w, key);
	fputs(": ", w->f);
	w->key = true;
}

void jw_raw(struct jw *w, const char *fmt, ...)
{
	va_list ap;

	jw_sep(w);
	va_start(ap, fmt);
	vfprintf(w->f, fmt, ap);
	va_end(ap);
}

void jw_hex(struct jw *w, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	jw_str(w, buf);
}
