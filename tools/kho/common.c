// SPDX-License-Identifier: GPL-2.0-only
/*
 * What every khoctl verb shares: the end of a wrong command line or
 * --help, opening a SOURCE, the exit status for an errno, the error line
 * (with a hint for a missing sysfs handover) and the kernel's own word on
 * a refused write.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "khoctl.h"

int exit_code(int err)
{
	switch (err) {
	case 0:
		return EXIT_OK;
	case -EBADMSG:
	case -EFBIG:
	case -E2BIG:
	case -EPROTO:
		return EXIT_INVALID;
	case -EINVAL:
		return EXIT_USAGE;
	default:
		return EXIT_SYSTEM;
	}
}

void report_error(const char *src, int err)
{
	fprintf(stderr, "khoctl: %s\n", libkhoreg_last_error());
	if (err != -ENOENT)
		return;
	if (!strcmp(src, "pending"))
		fprintf(stderr,
			"khoctl: no pending handover: this kernel has no KHO support, KHO is off,\n"
			"khoctl: or the handover is not finalized yet (khoctl finalize)\n");
	else if (!strcmp(src, "incoming"))
		fprintf(stderr,
			"khoctl: no incoming handover: this kernel was not booted by a KHO kexec\n");
}

int usage(void (*usage_fn)(FILE *f), bool help)
{
	usage_fn(help ? stdout : stderr);
	return help ? EXIT_OK : EXIT_USAGE;
}

int sysfs_options(int argc, char **argv, void (*usage_fn)(FILE *f),
		  const char **dir)
{
	static const struct option opts[] = {
		{ "sysfs", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	*dir = KHOREG_SYSFS_PENDING;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+s:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			*dir = optarg;
			break;
		case 'h':
			return usage(usage_fn, true);
		default:
			return usage(usage_fn, false);
		}
	}
	return -1;
}

int open_source(const char *src, struct khoreg_handover **h)
{
	struct stat st;

	if (!strcmp(src, "pending"))
		return khoreg_handover__open_sysfs(KHOREG_SYSFS_PENDING, h);
	if (!strcmp(src, "incoming"))
		return khoreg_handover__open_sysfs(KHOREG_SYSFS_INCOMING, h);
	if (!stat(src, &st) && S_ISDIR(st.st_mode))
		return khoreg_handover__open_sysfs(src, h);
	return khoreg_handover__open_file(src, h);
}

/* Print the first line of @dir/last_error, the kernel's reason, if any. */
void print_kernel_error(const char *dir)
{
	char path[4096];
	size_t len;
	char *msg;

	snprintf(path, sizeof(path), "%s/last_error", dir);
	if (libkhoreg_read_file(path, 4096, (void **)&msg, &len))
		return;
	msg[strcspn(msg, "\n")] = '\0';
	if (*msg)
		fprintf(stderr, "khoctl: kernel says: %s\n", msg);
	free(msg);
}
