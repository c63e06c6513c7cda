// SPDX-License-Identifier: GPL-2.0-only
/*
 * luo_bench - the Live Update workload of the handover benchmark
 * (scenario kho-handover-bench, bench/bench-handover.sh), written against
 * the /dev/liveupdate uAPI that khoreg and mainline 7.3 share, so the same
 * program runs on both kernels.
 *
 *   luo_bench hold LAYOUT BYTES READY   kernel 1: build the memfds, preserve
 *                                       them, print the timings, create
 *                                       READY and hold the sessions
 *   luo_bench retrieve LAYOUT BYTES     kernel 2: retrieve every session and
 *                                       memfd, finish the sessions, print
 *                                       the timings, then check every page
 *
 * LAYOUT memfd: one memfd of BYTES in one session; memfds: 500 memfds in 50
 * sessions of 10, BYTES in all (each BYTES / 500, in whole pages). Every
 * page of a memfd is written, and stamped with its file's token and its
 * index. Timed (CLOCK_MONOTONIC): preserve_ns, the create-session and
 * preserve ioctls; restore_ns, the retrieve-session, retrieve and finish
 * ioctls (the memfds usable by their owner). resolution_ns is the clock's
 * smallest step; retrieved_counter the CPU's counter (counter.h) once all
 * is retrieved, for the blackout. retrieve then prints "ok DESC" or
 * "not-ok DESC" for its checks and exits 1 if one failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "counter.h"
#include "luo.h"

#define PAGE		4096UL
#define MAX_FILES	500
#define PER_SESSION	10
#define MAGIC		0x6c756f62656e6368ULL	/* "luobench" */

struct workload {
	unsigned long files, file_bytes;
	int fd[MAX_FILES];
};

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The smallest step CLOCK_MONOTONIC takes, over a few tries. */
static long long resolution_ns(void)
{
	long long best = -1, a, b;
	int i;

	for (i = 0; i < 16; i++) {
		a = now_ns();
		do {
			b = now_ns();
		} while (b == a);
		if (best < 0 || b - a < best)
			best = b - a;
	}
	return best;
}

static void die(const char *what)
{
	fprintf(stderr, "luo_bench: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void workload_init(struct workload *w, const char *layout, const char *bytes)
{
	unsigned long total = strtoul(bytes, NULL, 0);

	if (!strcmp(layout, "memfd"))
		w->files = 1;
	else if (!strcmp(layout, "memfds"))
		w->files = MAX_FILES;
	else
		w->files = 0;
	w->file_bytes = w->files ? total / w->files / PAGE * PAGE : 0;
	if (!w->file_bytes) {
		fprintf(stderr, "luo_bench: layout %s of %s bytes: not a workload\n",
			layout, bytes);
		exit(2);
	}
}

static uint64_t stamp(unsigned long file, unsigned long page)
{
	return MAGIC ^ (file << 40) ^ page;
}

static unsigned long sessions(const struct workload *w)
{
	return (w->files + PER_SESSION - 1) / PER_SESSION;
}

static void session_name(char *buf, size_t len, unsigned long i)
{
	snprintf(buf, len, "luo-bench-%lu", i);
}

/* Never returns: it holds the sessions until kexec -e. */
static int cmd_hold(struct workload *w, const char *ready)
{
	unsigned long f, p, pages = w->file_bytes / PAGE;
	int dev = open(LUO_DEV, O_RDWR), s = -1, fd;
	long long t0, t1;
	uint64_t *map;
	char name[64];

	if (dev < 0)
		die(LUO_DEV);
	for (f = 0; f < w->files; f++) {
		w->fd[f] = memfd_create("luo-bench", MFD_CLOEXEC);
		if (w->fd[f] < 0 || ftruncate(w->fd[f], w->file_bytes))
			die("memfd_create");
		map = mmap(NULL, w->file_bytes, PROT_WRITE, MAP_SHARED, w->fd[f], 0);
		if (map == MAP_FAILED)
			die("mmap");
		for (p = 0; p < pages; p++)
			map[p * PAGE / sizeof(*map)] = stamp(f, p);
		munmap(map, w->file_bytes);
	}
	t0 = now_ns();
	for (f = 0; f < w->files; f++) {
		if (f % PER_SESSION == 0) {
			session_name(name, sizeof(name), f / PER_SESSION);
			s = luo_create_session(dev, name);
			if (s < 0)
				die(name);
		}
		if (luo_preserve(s, w->fd[f], f + 1))
			die("preserve");
	}
	t1 = now_ns();
	close(dev);
	printf("layout=memfd%s bytes=%lu files=%lu sessions=%lu ",
	       w->files > 1 ? "s" : "", w->files * w->file_bytes, w->files, sessions(w));
	printf("preserve_ns=%lld resolution_ns=%lld\n", t1 - t0, resolution_ns());
	fflush(stdout);
	fd = open(ready, O_CREAT | O_WRONLY, 0600);
	close(fd);
	/* The session descriptors stay open until kexec -e. */
	for (;;)
		pause();
	return 1;
}

static int cmd_retrieve(struct workload *w)
{
	unsigned long f, p, i, pages = w->file_bytes / PAGE, bad = 0, size = 0;
	int dev = open(LUO_DEV, O_RDWR), s[MAX_FILES / PER_SESSION];
	unsigned long long counter;
	long long t0, t1;
	uint64_t *map;
	struct stat st;
	char name[64];

	if (dev < 0)
		die(LUO_DEV);
	t0 = now_ns();
	for (i = 0; i < sessions(w); i++) {
		session_name(name, sizeof(name), i);
		s[i] = luo_retrieve_session(dev, name);
		if (s[i] < 0)
			die(name);
	}
	for (f = 0; f < w->files; f++) {
		w->fd[f] = luo_retrieve(s[f / PER_SESSION], f + 1);
		if (w->fd[f] < 0)
			die("retrieve");
	}
	for (i = 0; i < sessions(w); i++)
		if (luo_finish(s[i]))
			die("finish");
	t1 = now_ns();
	counter = guest_counter();
	printf("restore_ns=%lld retrieved_counter=%llu\n", t1 - t0, counter);

	for (f = 0; f < w->files; f++) {
		if (!fstat(w->fd[f], &st) && st.st_size == (off_t)w->file_bytes)
			size++;
		map = mmap(NULL, w->file_bytes, PROT_READ, MAP_SHARED, w->fd[f], 0);
		if (map == MAP_FAILED) {
			bad += pages;
			continue;
		}
		for (p = 0; p < pages; p++)
			bad += map[p * PAGE / sizeof(*map)] != stamp(f, p);
		munmap(map, w->file_bytes);
	}
	printf("%s all %lu memfds kept their size %lu\n",
	       size == w->files ? "ok" : "not-ok", w->files, w->file_bytes);
	printf("%s every page of every memfd kept its stamp (%lu bad of %lu)\n",
	       bad ? "not-ok" : "ok", bad, w->files * pages);
	return size != w->files || bad;
}

int main(int argc, char **argv)
{
	static struct workload w;

	if (argc == 5 && !strcmp(argv[1], "hold")) {
		workload_init(&w, argv[2], argv[3]);
		return cmd_hold(&w, argv[4]);
	}
	if (argc == 4 && !strcmp(argv[1], "retrieve")) {
		workload_init(&w, argv[2], argv[3]);
		return cmd_retrieve(&w);
	}
	fprintf(stderr, "usage: luo_bench hold memfd|memfds BYTES READYFILE\n"
		"       luo_bench retrieve memfd|memfds BYTES\n");
	return 2;
}
