// SPDX-License-Identifier: GPL-2.0-only
/*
 * khoctl dump: save a handover as a bundle file for offline use.
 */
#include <getopt.h>
#include <stdlib.h>

#include "khoctl.h"

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

int cmd_dump(int argc, char **argv)
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
			return usage(dump_usage, true);
		default:
			return usage(dump_usage, false);
		}
	}
	if (!out || argc - optind > 1)
		return usage(dump_usage, false);
	if (optind < argc)
		src = argv[optind];
	err = open_source(src, &h);
	if (!err)
		err = khoreg_handover__save_bundle(h, out);
	khoreg_handover__close(h);
	if (err) {
		report_error(src, err);
		return exit_code(err);
	}
	return EXIT_OK;
}
