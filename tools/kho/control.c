// SPDX-License-Identifier: GPL-2.0-only
/*
 * khoctl finalize and abort: drive the pending handover's finalize file.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "khoctl.h"

static void control_usage(FILE *f, bool finalize)
{
	fprintf(f,
		"Usage: khoctl %s [--sysfs DIR]\n"
		"\n"
		"%s the pending handover by writing %s to DIR/finalize\n"
		"(default DIR " KHOREG_SYSFS_PENDING "). Needs root.\n"
		"\n"
		"  -s, --sysfs DIR   use DIR instead of " KHOREG_SYSFS_PENDING "\n"
		"  -h, --help        show this help\n"
		"\n"
		"Exit status: 0 done, 1 the kernel refused the handover, 2 usage,\n"
		"3 KHO unavailable, permission or I/O error.\n",
		finalize ? "finalize" : "abort",
		finalize ? "Finalize" : "Abort (un-finalize)",
		finalize ? "1" : "0");
}

static void finalize_usage(FILE *f)
{
	control_usage(f, true);
}

static void abort_usage(FILE *f)
{
	control_usage(f, false);
}

static int cmd_control(int argc, char **argv, bool finalize)
{
	void (*usage_fn)(FILE *f) = finalize ? finalize_usage : abort_usage;
	const char *val = finalize ? "1" : "0";
	const char *dir;
	char path[4096];
	int e;

	e = sysfs_options(argc, argv, usage_fn, &dir);
	if (e >= 0)
		return e;
	if (optind != argc)
		return usage(usage_fn, false);
	snprintf(path, sizeof(path), "%s/finalize", dir);
	/* first what keeps us from writing at all, then what the kernel says */
	if (access(path, W_OK)) {
		e = errno;
		if (e == ENOENT)
			fprintf(stderr,
				"khoctl: %s does not exist: this kernel has no KHO support or KHO is disabled (kho=on)\n",
				path);
		else if (e == EACCES || e == EPERM)
			fprintf(stderr, "khoctl: %s: permission denied (run as root)\n",
				path);
		else
			fprintf(stderr, "khoctl: %s: %s\n", path, strerror(e));
		return EXIT_SYSTEM;
	}
	e = -libkhoreg_write_attr(path, val, 1);
	if (!e)
		return EXIT_OK;
	switch (e) {
	case EBUSY:
		fprintf(stderr, "khoctl: %s: handover is busy (%s)\n", path,
			finalize ? "already finalized, or a kexec is in progress" :
			"a kexec is in progress");
		break;
	case EEXIST:
	case EALREADY:
		fprintf(stderr, "khoctl: %s: handover is already %s\n", path,
			finalize ? "finalized" : "not finalized");
		break;
	default:
		fprintf(stderr, "khoctl: %s: kernel refused to %s: %s\n", path,
			finalize ? "finalize" : "abort", strerror(e));
		print_kernel_error(dir);
		return e == EPERM || e == EACCES || e == EIO || e == ENOMEM ?
		       EXIT_SYSTEM : EXIT_INVALID;
	}
	return EXIT_SYSTEM;
}

int cmd_finalize(int argc, char **argv)
{
	return cmd_control(argc, argv, true);
}

int cmd_abort(int argc, char **argv)
{
	return cmd_control(argc, argv, false);
}
