// SPDX-License-Identifier: GPL-2.0-only
/*
 * khoctl validate and diff: the verbs that report findings (problems,
 * differences) one a line or as JSON, and set the exit status from them.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "json_writer.h"
#include "khoctl.h"

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
			if (!target)
				return usage(usage_fn, false);
			v->target = optarg;
			break;
		case 'j':
			v->json = true;
			break;
		case 'q':
			v->quiet = true;
			break;
		case 'h':
			return usage(usage_fn, true);
		default:
			return usage(usage_fn, false);
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

int cmd_validate(int argc, char **argv)
{
	struct vstate v = { .w = { .f = stdout } };
	struct khoreg_handover *h;
	const char *src = "pending";
	int n;

	n = parse_report_opts(argc, argv, &v, validate_usage, true);
	if (n >= 0)
		return n;
	if (argc - optind > 1)
		return usage(validate_usage, false);
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
			on_problem("/", libkhoreg_last_error(), &v);
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
	n = khoreg_handover__validate(h, on_problem, &v);
	if (n >= 0 && v.target) {
		int t = khoreg_handover__preflight(h, v.target, on_problem, &v);

		n = t < 0 ? t : n + t;
	}
	if (v.json) {
		jw_end(&v.w, ']');
		jw_key(&v.w, "valid");
		jw_raw(&v.w, "%s", n ? "false" : "true");
		jw_end(&v.w, '}');
	}
	khoreg_handover__close(h);
	if (n < 0) {
		fprintf(stderr, "khoctl: %s\n", libkhoreg_last_error());
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

int cmd_diff(int argc, char **argv)
{
	struct vstate v = { .w = { .f = stdout } };
	struct khoreg_handover *a, *b;
	int n;

	n = parse_report_opts(argc, argv, &v, diff_usage, false);
	if (n >= 0)
		return n;
	if (argc - optind != 2)
		return usage(diff_usage, false);
	n = open_source(argv[optind], &a);
	if (n) {
		report_error(argv[optind], n);
		return exit_code(n);
	}
	n = open_source(argv[optind + 1], &b);
	if (n) {
		report_error(argv[optind + 1], n);
		khoreg_handover__close(a);
		return exit_code(n);
	}
	if (v.json) {
		jw_begin(&v.w, '{');
		jw_key(&v.w, "differences");
		jw_begin(&v.w, '[');
	}
	n = khoreg_handover__diff(a, b, on_diff, &v);
	if (v.json) {
		jw_end(&v.w, ']');
		jw_end(&v.w, '}');
	}
	khoreg_handover__close(a);
	khoreg_handover__close(b);
	if (n < 0) {
		fprintf(stderr, "khoctl: %s\n", libkhoreg_last_error());
		return exit_code(n);
	}
	return n ? EXIT_DIFFERENT : EXIT_OK;
}
