// SPDX-License-Identifier: GPL-2.0-only
/*
 * khoctl: inspect, validate, compare, author and drive Kexec HandOver
 * (kho-v4) handovers. See khoctl(8) and Documentation/kho/khoctl.rst.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "khoctl.h"

#define KHOCTL_VERSION	"0.1.0"

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
	fprintf(stderr, "khoctl: %s\n", khoreg_last_error());
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

int open_source(const char *src, struct khoreg_handover **h)
{
	struct stat st;

	if (!strcmp(src, "pending"))
		return khoreg_open_sysfs(KHOREG_SYSFS_PENDING, h);
	if (!strcmp(src, "incoming"))
		return khoreg_open_sysfs(KHOREG_SYSFS_INCOMING, h);
	if (!stat(src, &st) && S_ISDIR(st.st_mode))
		return khoreg_open_sysfs(src, h);
	return khoreg_open_file(src, h);
}

struct vstate {
	bool json;
	bool quiet;
	const char *target;
	struct jw w;
};

static void on_problem(const char *path, const char *reason, void *ctx)
{
	struct vstate *v = ctx;

	if (v->json) {
		jw_begin(&v->w, '{');
		jw_key(&v->w, "path");
		jw_str(&v->w, path);
		jw_key(&v->w, "reason");
		jw_str(&v->w, reason);
		jw_end(&v->w, '}');
	} else if (!v->quiet) {
		printf("%s: %s\n", path, reason);
	}
}

/*
 * Options shared by validate and diff: --json, --quiet, --help. Returns
 * -1 to go on, or the exit status.
 */
static int parse_report_opts(int argc, char **argv, struct vstate *v,
			     void (*usage_fn)(FILE *f), bool target)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "target", required_argument, NULL, 't' },
		{ 0 }
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, target ? "+jqht:" : "+jqh", opts,
				NULL)) != -1) {
		switch (c) {
		case 't':
			if (!target) {
				usage_fn(stderr);
				return EXIT_USAGE;
			}
			v->target = optarg;
			break;
		case 'j':
			v->json = true;
			break;
		case 'q':
			v->quiet = true;
			break;
		case 'h':
			usage_fn(stdout);
			return EXIT_OK;
		default:
			usage_fn(stderr);
			return EXIT_USAGE;
		}
	}
	return -1;
}

static void validate_usage(FILE *f)
{
	fprintf(f,
		"Usage: khoctl validate [--json] [--quiet] [--target IMAGE] [SOURCE]\n"
		"\n"
		"Check a handover against the kho-v4 and khoreg-registry-v1 ABIs:\n"
		"structure, compatible strings, required properties, field types and\n"
		"lengths, memory ranges (aligned, not overlapping each other or\n"
		"scratch) and limits. Each problem is printed as PATH: REASON.\n"
		"\n"
		"  -t, --target IMAGE  also check that the kernel IMAGE (vmlinux or\n"
		"                      bzImage) accepts this handover (pre-flight)\n"
		"  -j, --json          print {\"valid\": ..., \"problems\": [...]}\n"
		"  -q, --quiet         print nothing, only set the exit status\n"
		"  -h, --help          show this help\n"
		"\n"
		"Exit status: 0 valid, 1 invalid, 2 usage, 3 I/O or system error.\n");
}

static int cmd_validate(int argc, char **argv)
{
	struct vstate v = { .w = { .f = stdout } };
	struct khoreg_handover *h;
	const char *src = "pending";
	int n;

	n = parse_report_opts(argc, argv, &v, validate_usage, true);
	if (n >= 0)
		return n;
	if (argc - optind > 1) {
		validate_usage(stderr);
		return EXIT_USAGE;
	}
	if (optind < argc)
		src = argv[optind];
	n = open_source(src, &h);
	if (n) {
		if (v.json && exit_code(n) == EXIT_INVALID) {
			jw_begin(&v.w, '{');
			jw_key(&v.w, "valid");
			jw_raw(&v.w, "false");
			jw_key(&v.w, "problems");
			jw_begin(&v.w, '[');
			on_problem("/", khoreg_last_error(), &v);
			jw_end(&v.w, ']');
			jw_end(&v.w, '}');
		} else if (!v.quiet || exit_code(n) != EXIT_INVALID) {
			report_error(src, n);
		}
		return exit_code(n);
	}
	if (v.json) {
		jw_begin(&v.w, '{');
		jw_key(&v.w, "problems");
		jw_begin(&v.w, '[');
	}
	n = khoreg_validate(h, on_problem, &v);
	if (n >= 0 && v.target) {
		int t = khoreg_preflight(h, v.target, on_problem, &v);

		n = t < 0 ? t : n + t;
	}
	if (v.json) {
		jw_end(&v.w, ']');
		jw_key(&v.w, "valid");
		jw_raw(&v.w, "%s", n ? "false" : "true");
		jw_end(&v.w, '}');
	}
	khoreg_close(h);
	if (n < 0) {
		fprintf(stderr, "khoctl: %s\n", khoreg_last_error());
		return exit_code(n);
	}
	if (!v.json && !v.quiet)
		printf("%s: %s (%d problem%s)\n", src, n ? "INVALID" : "valid",
		       n, n == 1 ? "" : "s");
	return n ? EXIT_INVALID : EXIT_OK;
}

static void on_diff(enum khoreg_diff_kind kind, const char *path,
		    const char *old_val, const char *new_val, void *ctx)
{
	static const char * const names[] = { "added", "removed", "changed" };
	struct vstate *v = ctx;

	if (v->json) {
		jw_begin(&v->w, '{');
		jw_key(&v->w, "kind");
		jw_str(&v->w, names[kind]);
		jw_key(&v->w, "path");
		jw_str(&v->w, path);
		jw_key(&v->w, "old");
		jw_str(&v->w, old_val);
		jw_key(&v->w, "new");
		jw_str(&v->w, new_val);
		jw_end(&v->w, '}');
		return;
	}
	if (v->quiet)
		return;
	switch (kind) {
	case KHOREG_DIFF_ADDED:
		printf("+ %s: %s\n", path, new_val);
		break;
	case KHOREG_DIFF_REMOVED:
		printf("- %s: %s\n", path, old_val);
		break;
	case KHOREG_DIFF_CHANGED:
		printf("~ %s: %s -> %s\n", path, old_val, new_val);
		break;
	}
}

static void diff_usage(FILE *f)
{
	fprintf(f,
		"Usage: khoctl diff [--json] [--quiet] A B\n"
		"\n"
		"Compare two handovers (any SOURCE form): root, scratch, sub-blobs,\n"
		"registry entries and fields. Lines start with '+' (only in B),\n"
		"'-' (only in A) or '~' (changed, old -> new).\n"
		"\n"
		"  -j, --json    print {\"differences\": [...]}\n"
		"  -q, --quiet   print nothing, only set the exit status\n"
		"  -h, --help    show this help\n"
		"\n"
		"Exit status: 0 identical, 4 different, 1 invalid input, 2 usage,\n"
		"3 I/O or system error.\n");
}

static int cmd_diff(int argc, char **argv)
{
	struct vstate v = { .w = { .f = stdout } };
	struct khoreg_handover *a, *b;
	int n;

	n = parse_report_opts(argc, argv, &v, diff_usage, false);
	if (n >= 0)
		return n;
	if (argc - optind != 2) {
		diff_usage(stderr);
		return EXIT_USAGE;
	}
	n = open_source(argv[optind], &a);
	if (n) {
		report_error(argv[optind], n);
		return exit_code(n);
	}
	n = open_source(argv[optind + 1], &b);
	if (n) {
		report_error(argv[optind + 1], n);
		khoreg_close(a);
		return exit_code(n);
	}
	if (v.json) {
		jw_begin(&v.w, '{');
		jw_key(&v.w, "differences");
		jw_begin(&v.w, '[');
	}
	n = khoreg_diff(a, b, on_diff, &v);
	if (v.json) {
		jw_end(&v.w, ']');
		jw_end(&v.w, '}');
	}
	khoreg_close(a);
	khoreg_close(b);
	if (n < 0) {
		fprintf(stderr, "khoctl: %s\n", khoreg_last_error());
		return exit_code(n);
	}
	return n ? EXIT_DIFFERENT : EXIT_OK;
}

static int read_all(const char *path, char **out, size_t *len)
{
	size_t cap = 0, n = 0;
	char *buf = NULL, *nb;
	ssize_t r;
	int fd;

	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0)
		return -errno;
	for (;;) {
		if (n == cap) {
			if (cap >= KHOREG_INPUT_MAX) {
				r = -EFBIG;
				goto fail;
			}
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				r = -ENOMEM;
				goto fail;
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			r = -errno;
			goto fail;
		}
		if (!r)
			break;
		n += r;
	}
	if (fd)
		close(fd);
	*out = buf;
	*len = n;
	return 0;
fail:
	if (fd)
		close(fd);
	free(buf);
	return r;
}

/* Write @len bytes to @fd, which is then closed unless it is stdout. */
static int write_fd(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t r;

	while (len) {
		r = write(fd, p, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			r = -errno;
			if (fd != 1)
				close(fd);
			return r;
		}
		p += r;
		len -= r;
	}
	if (fd != 1 && close(fd))
		return -errno;
	return 0;
}

static int write_all(const char *path, const void *buf, size_t len)
{
	int fd;

	fd = strcmp(path, "-") ?
	     open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : 1;
	if (fd < 0)
		return -errno;
	return write_fd(fd, buf, len);
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
		"By default a bundle (root, scratch, sub-blobs, memory map) is written.\n");
}

static int cmd_author(int argc, char **argv)
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
	void *blob;
	char *desc = NULL;
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
			author_usage(stdout);
			return EXIT_OK;
		default:
			author_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (!out || argc - optind > 1) {
		author_usage(stderr);
		return EXIT_USAGE;
	}
	if (optind < argc)
		in = argv[optind];
	err = read_all(in, &desc, &len);
	if (err) {
		fprintf(stderr, "khoctl: %s: %s\n", in, strerror(-err));
		return EXIT_SYSTEM;
	}
	err = khoreg_author(desc, len, what, &blob, &olen);
	free(desc);
	if (err) {
		fprintf(stderr, "khoctl: %s: %s\n", in, khoreg_last_error());
		return err == -EINVAL ? EXIT_INVALID : EXIT_SYSTEM;
	}
	err = write_all(out, blob, olen);
	free(blob);
	if (err) {
		fprintf(stderr, "khoctl: %s: %s\n", out, strerror(-err));
		return EXIT_SYSTEM;
	}
	return EXIT_OK;
}

static void dump_usage(FILE *f)
{
	fprintf(f,
		"Usage: khoctl dump -o OUT [SOURCE]\n"
		"\n"
		"Save a handover (by default the pending one) as a bundle file, with\n"
		"the sub-blob contents that SOURCE provides, for offline use.\n"
		"\n"
		"  -o, --output FILE   where to write (required)\n"
		"  -h, --help          show this help\n");
}

static int cmd_dump(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct khoreg_handover *h = NULL;
	const char *src = "pending", *out = NULL;
	int c, err;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'h':
			dump_usage(stdout);
			return EXIT_OK;
		default:
			dump_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (!out || argc - optind > 1) {
		dump_usage(stderr);
		return EXIT_USAGE;
	}
	if (optind < argc)
		src = argv[optind];
	err = open_source(src, &h);
	if (!err)
		err = khoreg_save_bundle(h, out);
	khoreg_close(h);
	if (err) {
		report_error(src, err);
		return exit_code(err);
	}
	return EXIT_OK;
}

static void control_usage(FILE *f, const char *cmd)
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
		cmd, strcmp(cmd, "abort") ? "Finalize" : "Abort (un-finalize)",
		strcmp(cmd, "abort") ? "1" : "0");
}

static void print_last_error(const char *dir)
{
	char path[4096], msg[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/last_error", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, msg, sizeof(msg) - 1);
	close(fd);
	if (n <= 0)
		return;
	msg[n] = '\0';
	msg[strcspn(msg, "\n")] = '\0';
	if (*msg)
		fprintf(stderr, "khoctl: kernel says: %s\n", msg);
}

static int cmd_control(int argc, char **argv, bool finalize)
{
	static const struct option opts[] = {
		{ "sysfs", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *dir = KHOREG_SYSFS_PENDING;
	const char *val = finalize ? "1" : "0";
	char path[4096];
	int c, fd, e;
	ssize_t r;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+s:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			dir = optarg;
			break;
		case 'h':
			control_usage(stdout, argv[0]);
			return EXIT_OK;
		default:
			control_usage(stderr, argv[0]);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		control_usage(stderr, argv[0]);
		return EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "%s/finalize", dir);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
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
	do {
		r = write(fd, val, 1);
	} while (r < 0 && errno == EINTR);
	e = r < 0 ? errno : 0;
	close(fd);
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
		print_last_error(dir);
		return e == EPERM || e == EACCES || e == EIO || e == ENOMEM ?
		       EXIT_SYSTEM : EXIT_INVALID;
	}
	return EXIT_SYSTEM;
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

static int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sysfs", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *dir = KHOREG_SYSFS_PENDING, *in = "-";
	char path[4096], *desc = NULL;
	size_t len = 0, blen;
	void *blob = NULL;
	int c, fd, err;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+s:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			dir = optarg;
			break;
		case 'h':
			import_usage(stdout);
			return EXIT_OK;
		default:
			import_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		import_usage(stderr);
		return EXIT_USAGE;
	}
	if (optind < argc)
		in = argv[optind];
	err = read_all(in, &desc, &len);
	if (err) {
		fprintf(stderr, "khoctl: %s: %s\n", in, strerror(-err));
		return EXIT_SYSTEM;
	}
	if (is_json(desc, len)) {
		err = khoreg_author(desc, len, KHOREG_AUTHOR_REGISTRY, &blob,
				    &blen);
		free(desc);
		if (err) {
			fprintf(stderr, "khoctl: %s: %s\n", in,
				khoreg_last_error());
			return err == -EINVAL ? EXIT_INVALID : EXIT_SYSTEM;
		}
	} else {
		blob = desc;
		blen = len;
	}

	snprintf(path, sizeof(path), "%s/registry_import", dir);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	err = fd < 0 ? -errno : write_fd(fd, blob, blen);
	free(blob);
	switch (-err) {
	case 0:
		return EXIT_OK;
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
	case EOPNOTSUPP:
		fprintf(stderr, "khoctl: %s: KHO is disabled (kho=on)\n", path);
		return EXIT_SYSTEM;
	case EINVAL:
	case EEXIST:
	case EFBIG:
	case ENOSPC:
		fprintf(stderr, "khoctl: %s: kernel refused the import: %s\n",
			path, strerror(-err));
		print_last_error(dir);
		return EXIT_INVALID;
	default:
		fprintf(stderr, "khoctl: %s: %s\n", path, strerror(-err));
		print_last_error(dir);
		return EXIT_SYSTEM;
	}
}

static void print_usage(FILE *f)
{
	fprintf(f,
		"Usage: khoctl [--version] [--help] COMMAND [ARGS]\n"
		"\n"
		"Commands:\n"
		"  show [--json] [SOURCE]       print a handover\n"
		"  validate [--json] [SOURCE]   check a handover against the ABI\n"
		"  diff [--json] A B            compare two handovers\n"
		"  author -o OUT [DESC.json]    build a handover from JSON\n"
		"  dump -o OUT [SOURCE]         save a handover as a bundle file\n"
		"  import [FILE]                add registry entries to the pending one\n"
		"  finalize                     finalize the pending handover\n"
		"  abort                        abort (un-finalize) it\n"
		"\n"
		"SOURCE: a file, a sysfs-style directory, \"pending\" or \"incoming\".\n"
		"Run 'khoctl COMMAND --help' for details. Exit status: 0 ok,\n"
		"1 invalid handover, 2 usage, 3 I/O or system error, 4 differences.\n");
}

int main(int argc, char **argv)
{
	const char *cmd;

	if (argc < 2) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") ||
	    !strcmp(cmd, "help")) {
		print_usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(cmd, "--version")) {
		printf("khoctl %s (kho-v4, khoreg-registry-v1)\n", KHOCTL_VERSION);
		return EXIT_OK;
	}
	argc--;
	argv++;
	if (!strcmp(cmd, "show"))
		return cmd_show(argc, argv);
	if (!strcmp(cmd, "validate"))
		return cmd_validate(argc, argv);
	if (!strcmp(cmd, "diff"))
		return cmd_diff(argc, argv);
	if (!strcmp(cmd, "author"))
		return cmd_author(argc, argv);
	if (!strcmp(cmd, "dump"))
		return cmd_dump(argc, argv);
	if (!strcmp(cmd, "import"))
		return cmd_import(argc, argv);
	if (!strcmp(cmd, "finalize"))
		return cmd_control(argc, argv, true);
	if (!strcmp(cmd, "abort"))
		return cmd_control(argc, argv, false);
	fprintf(stderr, "khoctl: unknown command '%s'\n", cmd);
	print_usage(stderr);
	return EXIT_USAGE;
}
