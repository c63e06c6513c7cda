// SPDX-License-Identifier: GPL-2.0-only
/*
 * khoctl author, import and unimport: build a handover (or its registry sub-blob)
 * from a JSON description, into a file or into the pending handover.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "khoctl.h"

/* Read the description (or blob) @in, "-" for standard input. */
static int read_input(const char *in, void **buf, size_t *len)
{
	if (!libkhoreg_read_file(in, KHOREG_INPUT_MAX, buf, len))
		return EXIT_OK;
	fprintf(stderr, "khoctl: %s\n", libkhoreg_last_error());
	return EXIT_SYSTEM;
}

/* Build @what from the description @desc read from @in, which is freed. */
static int author_desc(const char *in, void *desc, size_t len,
		       enum khoreg_author_output what, void **out,
		       size_t *out_len)
{
	int err;

	err = libkhoreg_author(desc, len, what, out, out_len);
	free(desc);
	if (!err)
		return EXIT_OK;
	fprintf(stderr, "khoctl: %s: %s\n", in, libkhoreg_last_error());
	return err == -EINVAL ? EXIT_INVALID : EXIT_SYSTEM;
}

static void author_usage(FILE *f)
{
	fprintf(f,
		"Usage: khoctl author [--root | --registry] -o OUT [DESCRIPTION]\n"
		"\n"
		"Build a handover from a JSON description (format in khoctl(8)).\n"
		"DESCRIPTION defaults to standard input; OUT may be '-' for stdout.\n"
		"\n"
		"  -o, --output FILE   where to write (required)\n"
		"      --root          write only the root FDT\n"
		"      --registry      write only the registry sub-blob\n"
		"  -h, --help          show this help\n"
		"\n"
		"By default a bundle (root, scratch, sub-blobs, memory map) is written.\n"
		"The description's \"trace_store\" (instance, device, offset, size)\n"
		"becomes the registry entry trace-store: where the kernel keeps a\n"
		"trace instance on flash (see khoctl(8)).\n");
}

int cmd_author(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "root", no_argument, NULL, 'r' },
		{ "registry", no_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	enum khoreg_author_output what = KHOREG_AUTHOR_BUNDLE;
	const char *in = "-", *out = NULL;
	size_t len = 0, olen;
	void *desc, *blob;
	int c, err;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'r':
			what = KHOREG_AUTHOR_ROOT;
			break;
		case 'g':
			what = KHOREG_AUTHOR_REGISTRY;
			break;
		case 'h':
			return usage(author_usage, true);
		default:
			return usage(author_usage, false);
		}
	}
	if (!out || argc - optind > 1)
		return usage(author_usage, false);
	if (optind < argc)
		in = argv[optind];
	err = read_input(in, &desc, &len);
	if (err)
		return err;
	err = author_desc(in, desc, len, what, &blob, &olen);
	if (err)
		return err;
	err = libkhoreg_write_file(out, blob, olen);
	free(blob);
	if (err) {
		fprintf(stderr, "khoctl: %s\n", libkhoreg_last_error());
		return EXIT_SYSTEM;
	}
	return EXIT_OK;
}

static void import_usage(FILE *f)
{
	fprintf(f,
		"Usage: khoctl import [--sysfs DIR] [FILE]\n"
		"\n"
		"Add registry entries to the pending handover, as a bootloader hands\n"
		"configuration to the next kernel. FILE (default: standard input) is a\n"
		"JSON description, whose registry is authored as 'khoctl author\n"
		"--registry' does, or a registry sub-blob. The kernel checks the blob as\n"
		"the next kernel will and imports all of its entries or none: any\n"
		"problem, a memory field or an entry name in use refuses it, and the\n"
		"reason is printed. Writes DIR/registry_import (default DIR\n"
		KHOREG_SYSFS_PENDING "). Needs root.\n"
		"\n"
		"  -s, --sysfs DIR   use DIR instead of " KHOREG_SYSFS_PENDING "\n"
		"  -h, --help        show this help\n"
		"\n"
		"Exit status: 0 imported, 1 the description or the kernel refused it,\n"
		"2 usage, 3 KHO unavailable, handover finalized, permission or I/O error.\n");
}

/* Does @buf hold a JSON description rather than an FDT? */
static bool is_json(const char *buf, size_t len)
{
	while (len && strchr(" \t\r\n", *buf) && *buf) {
		buf++;
		len--;
	}
	return len && *buf == '{';
}

/*
 * Report the failures of a write to DIR/registry_import or
 * DIR/registry_unimport that mean the same for both. Returns the exit
 * status, or -1 for an error the caller explains.
 */
static int import_attr_failed(const char *path, int err)
{
	switch (err) {
	case ENOENT:
		fprintf(stderr,
			"khoctl: %s does not exist: this kernel has no KHO registry import\n",
			path);
		return EXIT_SYSTEM;
	case EACCES:
	case EPERM:
		fprintf(stderr, "khoctl: %s: permission denied (run as root)\n",
			path);
		return EXIT_SYSTEM;
	case EBUSY:
		fprintf(stderr,
			"khoctl: %s: the handover is finalized (khoctl abort first)\n",
			path);
		return EXIT_SYSTEM;
	}
	return -1;
}

int cmd_import(int argc, char **argv)
{
	const char *dir, *in = "-";
	size_t len = 0, blen;
	void *desc, *blob;
	char path[4096];
	int err, ret;

	err = sysfs_options(argc, argv, import_usage, &dir);
	if (err >= 0)
		return err;
	if (argc - optind > 1)
		return usage(import_usage, false);
	if (optind < argc)
		in = argv[optind];
	err = read_input(in, &desc, &len);
	if (err)
		return err;
	if (is_json(desc, len)) {
		err = author_desc(in, desc, len, KHOREG_AUTHOR_REGISTRY, &blob,
				  &blen);
		if (err)
			return err;
	} else {
		blob = desc;
		blen = len;
	}

	snprintf(path, sizeof(path), "%s/registry_import", dir);
	err = -libkhoreg_write_attr(path, blob, blen);
	free(blob);
	if (!err)
		return EXIT_OK;
	ret = import_attr_failed(path, err);
	if (ret >= 0)
		return ret;
	switch (err) {
	case EOPNOTSUPP:
		fprintf(stderr, "khoctl: %s: KHO is disabled (kho=on)\n", path);
		return EXIT_SYSTEM;
	case EINVAL:
	case EEXIST:
	case EFBIG:
	case ENOSPC:
		fprintf(stderr, "khoctl: %s: kernel refused the import: %s\n",
			path, strerror(err));
		print_kernel_error(dir);
		return EXIT_INVALID;
	default:
		fprintf(stderr, "khoctl: %s: %s\n", path, strerror(err));
		print_kernel_error(dir);
		return EXIT_SYSTEM;
	}
}

static void unimport_usage(FILE *f)
{
	fprintf(f,
		"Usage: khoctl unimport [--sysfs DIR] NAME\n"
		"\n"
		"Remove from the pending handover the entries 'khoctl import' added\n"
		"with the blob that has the top-level entry NAME: every entry of that\n"
		"blob goes, its other top-level entries too. Writes NAME to\n"
		"DIR/registry_unimport (default DIR " KHOREG_SYSFS_PENDING ").\n"
		"Needs root.\n"
		"\n"
		"  -s, --sysfs DIR   use DIR instead of " KHOREG_SYSFS_PENDING "\n"
		"  -h, --help        show this help\n"
		"\n"
		"Exit status: 0 removed, 1 no import has an entry NAME, 2 usage,\n"
		"3 KHO unavailable, handover finalized, permission or I/O error.\n");
}

int cmd_unimport(int argc, char **argv)
{
	const char *dir, *name;
	char path[4096];
	int err, ret;

	err = sysfs_options(argc, argv, unimport_usage, &dir);
	if (err >= 0)
		return err;
	if (argc - optind != 1 || !*argv[optind])
		return usage(unimport_usage, false);
	name = argv[optind];
	snprintf(path, sizeof(path), "%s/registry_unimport", dir);
	err = -libkhoreg_write_attr(path, name, strlen(name));
	if (!err)
		return EXIT_OK;
	if (err == ENOENT && !access(path, F_OK)) {
		fprintf(stderr, "khoctl: no import has a top-level entry '%s'\n",
			name);
		return EXIT_INVALID;
	}
	if (err == EINVAL) {
		fprintf(stderr, "khoctl: '%s' cannot be an entry name\n", name);
		return EXIT_INVALID;
	}
	ret = import_attr_failed(path, err);
	if (ret >= 0)
		return ret;
	fprintf(stderr, "khoctl: %s: %s\n", path, strerror(err));
	return EXIT_SYSTEM;
}
