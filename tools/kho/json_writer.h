/* SPDX-License-Identifier: GPL-2.0-only */
/* khoctl's JSON writer (json_writer.c). */
#ifndef __KHOCTL_JSON_WRITER_H
#define __KHOCTL_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Deepest nesting of objects and arrays. */
#define JW_MAX_DEPTH	32

/* Writer state: where to write, how deep, whether a key was just written. */
struct jw {
	FILE *f;
	int depth;
	bool first[JW_MAX_DEPTH];
	bool key;
};

void jw_begin(struct jw *w, char open);
void jw_end(struct jw *w, char close);
void jw_key(struct jw *w, const char *key);
void jw_str(struct jw *w, const char *s);
void jw_raw(struct jw *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void jw_hex(struct jw *w, uint64_t v);

#endif /* __KHOCTL_JSON_WRITER_H */
