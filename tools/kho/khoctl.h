/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * khoctl: what main.c and the verb files share. Each verb is a
 * cmd_<verb>(argc, argv) returning an exit status; argv[0] is the verb.
 */
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

/* show.c */
int cmd_show(int argc, char **argv);
/* show_trace.c: the "trace" part of show */
struct jw;
void show_trace_text(const struct khoreg_handover *h);
void show_trace_json(struct jw *w, const struct khoreg_handover *h);
/* show_liveupdate.c: the Live Update sessions a registry describes, for show */
void show_liveupdate_text(const struct khoreg_doc *doc);
void show_liveupdate_json(struct jw *w, const struct khoreg_doc *doc);
/* report.c */
int cmd_validate(int argc, char **argv);
int cmd_diff(int argc, char **argv);
/* author.c */
int cmd_author(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_unimport(int argc, char **argv);
/* dump.c */
int cmd_dump(int argc, char **argv);
/* control.c */
int cmd_finalize(int argc, char **argv);
int cmd_abort(int argc, char **argv);

/* common.c */
/*
 * Print @usage_fn's text: for --help (@help) on stdout, exit status 0;
 * for a wrong command line on stderr, EXIT_USAGE. Returns the status.
 */
int usage(void (*usage_fn)(FILE *f), bool help);
/*
 * Parse the options -s/--sysfs DIR (in @dir, default the pending
 * handover's directory) and -h/--help of a verb that acts on the pending
 * handover. Returns -1 to go on with argv[optind], or the exit status.
 */
int sysfs_options(int argc, char **argv, void (*usage_fn)(FILE *f),
		  const char **dir);
int open_source(const char *src, struct khoreg_handover **h);
int exit_code(int err);
void report_error(const char *src, int err);
void print_kernel_error(const char *dir);

#endif /* __KHOCTL_H */
