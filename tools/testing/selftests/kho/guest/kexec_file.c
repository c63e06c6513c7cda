// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec_file - a small static caller of kexec_file_load(2) for the khoreg
 * VM harness, so the guest needs neither kexec-tools nor its libraries.
 *
 *   kexec_file load [-t] KERNEL [-i INITRD] [-c CMDLINE]
 *   kexec_file unload
 *
 * -t prints how long the kexec_file_load() call took ("kexec_file_load_ns N"),
 * for the benchmarks: with KHO on it includes finalizing the handover.
 *   kexec_file exec [-c PREFIX]
 *
 * -c prints PREFIX and the CPU's counter (counter.h) on one line, just
 * before the kexec, for the benchmarks: the next kernel reads the counter
 * again to time the handover.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kexec.h>
#include <linux/reboot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <time.h>
#include <termios.h>
#include <unistd.h>

#include "counter.h"

static int print_usage(void)
{
	fprintf(stderr,
		"usage: kexec_file load [-t] KERNEL [-i INITRD] [-c CMDLINE]\n"
		"       kexec_file unload\n"
		"       kexec_file exec [-c PREFIX]\n");
	return 2;
}

static int open_or_die(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "kexec_file: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int load(int argc, char **argv)
{
	const char *initrd = NULL, *cmdline = "";
	unsigned long flags = 0;
	int kfd, ifd = -1, opt, timed = 0;
	long long t0;

	optind = 2;
	while ((opt = getopt(argc, argv, "ti:c:")) != -1) {
		switch (opt) {
		case 't':
			timed = 1;
			break;
		case 'i':
			initrd = optarg;
			break;
		case 'c':
			cmdline = optarg;
			break;
		default:
			return print_usage();
		}
	}
	if (optind != argc - 1)
		return print_usage();

	kfd = open_or_die(argv[optind]);
	if (initrd)
		ifd = open_or_die(initrd);
	else
		flags |= KEXEC_FILE_NO_INITRAMFS;

	t0 = now_ns();
	if (syscall(SYS_kexec_file_load, kfd, ifd, strlen(cmdline) + 1,
		    cmdline, flags)) {
		fprintf(stderr, "kexec_file: kexec_file_load: %s\n",
			strerror(errno));
		return 1;
	}
	if (timed)
		printf("kexec_file_load_ns %lld\n", now_ns() - t0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return print_usage();
	if (!strcmp(argv[1], "load"))
		return load(argc, argv);
	if (!strcmp(argv[1], "unload") && argc == 2) {
		if (syscall(SYS_kexec_file_load, -1, -1, 0, NULL,
			    KEXEC_FILE_UNLOAD)) {
			perror("kexec_file: unload");
			return 1;
		}
		return 0;
	}
	if (!strcmp(argv[1], "exec") &&
	    (argc == 2 || (argc == 4 && !strcmp(argv[2], "-c")))) {
		sync();
		if (argc == 4) {
			printf("%s%llu\n", argv[3], guest_counter());
			fflush(stdout);
			/* A serial line keeps it only once it is sent. */
			tcdrain(STDOUT_FILENO);
		}
		reboot(LINUX_REBOOT_CMD_KEXEC);
		perror("kexec_file: reboot(LINUX_REBOOT_CMD_KEXEC)");
		return 1;
	}
	return print_usage();
}
