// SPDX-License-Identifier: GPL-2.0-only
/*
 * khoctl: inspect, validate, compare, author and drive Kexec HandOver
 * (kho-v4) handovers. See khoctl(8) and Documentation/kho/khoctl.rst.
 *
 * main() looks the verb up in a command table, as bpftool does; each verb
 * group lives in its own file (show.c, report.c, author.c, dump.c,
 * control.c), what they share in common.c, the JSON writer in
 * json_writer.c.
 */
#include <stdio.h>
#include <string.h>

#include "khoctl.h"

#define KHOCTL_VERSION	"0.1.0"

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
		"  unimport NAME                remove the entries an import added\n"
		"  finalize                     finalize the pending handover\n"
		"  abort                        abort (un-finalize) it\n"
		"\n"
		"SOURCE: a file, a sysfs-style directory, \"pending\" or \"incoming\".\n"
		"Run 'khoctl COMMAND --help' for details. Exit status: 0 ok,\n"
		"1 invalid handover, 2 usage, 3 I/O or system error, 4 differences.\n");
}

/* A verb and the function that runs it, as in bpftool's main.c. */
struct cmd {
	const char *name;
	int (*func)(int argc, char **argv);
};

static const struct cmd cmds[] = {
	{ "show",	cmd_show },
	{ "validate",	cmd_validate },
	{ "diff",	cmd_diff },
	{ "author",	cmd_author },
	{ "dump",	cmd_dump },
	{ "import",	cmd_import },
	{ "unimport",	cmd_unimport },
	{ "finalize",	cmd_finalize },
	{ "abort",	cmd_abort },
	{ 0 }
};

/* Run the verb argv[0] with its arguments; argv[0] stays the verb. */
static int cmd_select(int argc, char **argv)
{
	const struct cmd *c;

	for (c = cmds; c->name; c++)
		if (!strcmp(argv[0], c->name))
			return c->func(argc, argv);
	fprintf(stderr, "khoctl: unknown command '%s'\n", argv[0]);
	print_usage(stderr);
	return EXIT_USAGE;
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
	return cmd_select(argc - 1, argv + 1);
}
