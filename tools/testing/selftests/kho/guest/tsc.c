// SPDX-License-Identifier: GPL-2.0-only
/*
 * tsc - read the CPU's counter (counter.h: the x86 TSC) in the khoreg test
 * guest, for the benchmarks: it times what no single kernel's clock can,
 * from kexec -e in one kernel to a point in the next.
 *
 *   tsc now          print the counter
 *   tsc khz          print the counter's rate in kHz, against
 *                    CLOCK_MONOTONIC_RAW over a second (on the host, for
 *                    tsc_early_khz=)
 *   tsc mark TEXT    write TEXT and a newline to /dev/kmsg and print the
 *                    counter just before and just after ("BEFORE AFTER"):
 *                    with TEXT's printk time this ties the kernel's clock to
 *                    the counter (without the newline the record stays open
 *                    for a continuation, unread by dmesg, until the kernel
 *                    logs something else)
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "counter.h"

static int mark(const char *text)
{
	unsigned long long before, after;
	char line[1024];
	ssize_t n;
	int fd, len;

	len = snprintf(line, sizeof(line), "%s\n", text);
	if (len >= (int)sizeof(line)) {
		fprintf(stderr, "tsc: the text is too long\n");
		return 1;
	}
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		perror("tsc: /dev/kmsg");
		return 1;
	}
	before = guest_counter();
	n = write(fd, line, len);
	after = guest_counter();
	close(fd);
	if (n != len) {
		perror("tsc: write /dev/kmsg");
		return 1;
	}
	printf("%llu %llu\n", before, after);
	return 0;
}

static long long raw_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int khz(void)
{
	unsigned long long c0, c1;
	long long t0, t1;

	t0 = raw_ns();
	c0 = guest_counter();
	sleep(1);
	t1 = raw_ns();
	c1 = guest_counter();
	printf("%llu\n", (c1 - c0) * 1000000ULL / (unsigned long long)(t1 - t0));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "now")) {
		printf("%llu\n", guest_counter());
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "khz"))
		return khz();
	if (argc == 3 && !strcmp(argv[1], "mark"))
		return mark(argv[2]);
	fprintf(stderr, "usage: tsc now\n       tsc khz\n       tsc mark TEXT\n");
	return 2;
}
