// SPDX-License-Identifier: GPL-2.0-only
/*
 * khobpf: load the khoreg BPF programs.
 *
 *   khobpf show                      print the pending registry (kho_iter)
 *   khobpf show --in                 print the incoming one (kho_iter_in)
 *   khobpf annotate                  stamp every entry (kho_annotate)
 *   khobpf policy attach [--max-bytes N] [--max-session-bytes N]
 *                        [--prefix P]...
 *   khobpf policy detach
 *
 * "policy attach" leaves the kho_policy validator attached after khobpf
 * exits: its struct_ops map is pinned at /sys/fs/bpf/kho_policy, its
 * configuration map at /sys/fs/bpf/kho_policy_config. "policy detach"
 * detaches it, which restores the default policy. See
 * Documentation/kho/bpf.rst.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kho_policy.h"
#include "kho_iter.skel.h"
#include "kho_iter_in.skel.h"
#include "kho_annotate.skel.h"
#include "kho_policy.skel.h"

#define PIN_DIR		"/sys/fs/bpf"
#define POLICY_PIN	PIN_DIR "/kho_policy"

static int print_usage(void)
{
	fprintf(stderr,
		"usage: khobpf show [--in]\n"
		"       khobpf annotate\n"
		"       khobpf policy attach [--max-bytes N] [--max-session-bytes N]\n"
		"                            [--prefix P]...\n"
		"       khobpf policy detach\n");
	return 2;
}

static int fail(const char *what, int err)
{
	fprintf(stderr, "khobpf: %s: %s\n", what, strerror(err < 0 ? -err : err));
	return 1;
}

/* Attach @prog as an iterator, copy what it prints to stdout. */
static int run_iter(struct bpf_program *prog)
{
	struct bpf_link *link;
	char buf[4096];
	ssize_t n;
	int fd, err = 0;

	link = bpf_program__attach_iter(prog, NULL);
	if (!link)
		return fail("attaching the iterator", errno);
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0) {
		err = fail("creating the iterator", errno);
		goto out;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	if (n < 0)
		err = fail("reading the iterator", errno);
	close(fd);
out:
	bpf_link__destroy(link);
	return err;
}

static int show_pending(void)
{
	struct kho_iter_bpf *skel = kho_iter_bpf__open_and_load();
	int err;

	if (!skel)
		return fail("loading kho_iter", errno);
	err = run_iter(skel->progs.kho_iter);
	kho_iter_bpf__destroy(skel);
	return err;
}

static int show_incoming(void)
{
	struct kho_iter_in_bpf *skel = kho_iter_in_bpf__open_and_load();
	int err;

	if (!skel)
		return fail("loading kho_iter_in", errno);
	err = run_iter(skel->progs.kho_iter_in);
	kho_iter_in_bpf__destroy(skel);
	return err;
}

static int annotate(void)
{
	struct kho_annotate_bpf *skel;
	struct utsname uts;
	int err;

	skel = kho_annotate_bpf__open();
	if (!skel)
		return fail("opening kho_annotate", errno);
	uname(&uts);
	snprintf(skel->bss->release, sizeof(skel->bss->release), "%s",
		 uts.release);
	skel->bss->stamp_time = time(NULL);
	err = kho_annotate_bpf__load(skel);
	if (err)
		err = fail("loading kho_annotate", err);
	else
		err = run_iter(skel->progs.kho_annotate);
	kho_annotate_bpf__destroy(skel);
	return err;
}

static int policy_attach(int argc, char **argv)
{
	struct kho_policy_config cfg = {};
	struct kho_policy_bpf *skel;
	struct bpf_link *link;
	__u32 zero = 0;
	int i, err;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--max-bytes") && i + 1 < argc) {
			cfg.max_bytes = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--max-session-bytes") && i + 1 < argc) {
			cfg.max_session_bytes = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--prefix") && i + 1 < argc &&
			   cfg.nr_prefixes < KHO_POLICY_PREFIXES &&
			   strlen(argv[i + 1]) < KHO_POLICY_PREFIX_MAX) {
			snprintf(cfg.prefixes[cfg.nr_prefixes++],
				 KHO_POLICY_PREFIX_MAX, "%s", argv[++i]);
		} else {
			return print_usage();
		}
	}
	if (access(POLICY_PIN, F_OK) == 0) {
		fprintf(stderr, "khobpf: kho_policy is attached already (%s)\n",
			POLICY_PIN);
		return 1;
	}
	skel = kho_policy_bpf__open_and_load();
	if (!skel)
		return fail("loading kho_policy", errno);
	err = bpf_map_update_elem(bpf_map__fd(skel->maps.kho_policy_config),
				  &zero, &cfg, BPF_ANY);
	if (err) {
		err = fail("configuring kho_policy", errno);
		goto out;
	}
	link = bpf_map__attach_struct_ops(skel->maps.kho_policy);
	if (!link) {
		err = fail("attaching kho_policy", errno);
		goto out;
	}
	/* Stay attached after we exit; the pin keeps the map for detach. */
	bpf_link__disconnect(link);
	bpf_link__destroy(link);
	err = bpf_map__pin(skel->maps.kho_policy, POLICY_PIN);
	if (err) {
		bpf_map_delete_elem(bpf_map__fd(skel->maps.kho_policy), &zero);
		err = fail("pinning kho_policy", err);
		goto out;
	}
	printf("kho_policy attached: max-bytes %llu, max-session-bytes %llu, %u prefix(es)\n",
	       (unsigned long long)cfg.max_bytes,
	       (unsigned long long)cfg.max_session_bytes, cfg.nr_prefixes);
out:
	kho_policy_bpf__destroy(skel);
	return err;
}

static int policy_detach(void)
{
	__u32 zero = 0;
	int fd, err = 0;

	fd = bpf_obj_get(POLICY_PIN);
	if (fd < 0)
		return fail(POLICY_PIN, errno);
	if (bpf_map_delete_elem(fd, &zero))
		err = fail("detaching kho_policy", errno);
	close(fd);
	if (!err) {
		unlink(POLICY_PIN);
		unlink(PIN_DIR "/kho_policy_config");
		printf("kho_policy detached\n");
	}
	return err;
}

/* A command and the function that runs it, as in bpftool's main.c. */
struct cmd {
	const char *name;
	int (*func)(int argc, char **argv);
};

/* Run the command argv[0] of @cmds with the arguments that follow it. */
static int cmd_select(const struct cmd *cmds, int argc, char **argv)
{
	const struct cmd *c;

	if (argc < 1)
		return print_usage();
	for (c = cmds; c->name; c++)
		if (!strcmp(argv[0], c->name))
			return c->func(argc - 1, argv + 1);
	return print_usage();
}

static int do_show(int argc, char **argv)
{
	if (!argc)
		return show_pending();
	if (argc == 1 && !strcmp(argv[0], "--in"))
		return show_incoming();
	return print_usage();
}

static int do_annotate(int argc, char **argv __attribute__((unused)))
{
	return argc ? print_usage() : annotate();
}

static int do_detach(int argc, char **argv __attribute__((unused)))
{
	return argc ? print_usage() : policy_detach();
}

static const struct cmd policy_cmds[] = {
	{ "attach",	policy_attach },
	{ "detach",	do_detach },
	{ 0 }
};

static int do_policy(int argc, char **argv)
{
	return cmd_select(policy_cmds, argc, argv);
}

static const struct cmd cmds[] = {
	{ "show",	do_show },
	{ "annotate",	do_annotate },
	{ "policy",	do_policy },
	{ 0 }
};

int main(int argc, char **argv)
{
	return cmd_select(cmds, argc - 1, argv + 1);
}
