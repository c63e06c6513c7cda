/* SPDX-License-Identifier: GPL-2.0-only */
/* khoctl: shared declarations. */
#ifndef __KHOCTL_H
#define __KHOCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "khoreg.h"

/* Exit codes, documented in khoctl(8). */
#define EXIT_OK		0
#define EXIT_INVALID	1
#define EXIT_USAGE	2
#define EXIT_SYSTEM	3
#define EXIT_DIFFERENT	4

/* Version of the --json output layout. */
#define KHOCTL_JSON_VERSION	1

/* A tiny JSON writer with proper string escaping. */
struct jw {
	FILE *f;
	int depth;
	bool first[32];
	bool key;
};

void jw_begin(struct jw *w, char open);
void jw_end(struct jw *w, char close);
void jw_key(struct jw *w, const char *key);
void jw_str(struct jw *w, const char *s);
void jw_raw(struct jw *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void jw_hex(struct jw *w, uint64_t v);

int cmd_show(int argc, char **argv);
int open_source(const char *src, struct khoreg_handover **h);
int exit_code(int err);
void report_error(const char *src, int err);

#endif /* __KHOCTL_H */
