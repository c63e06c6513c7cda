// SPDX-License-Identifier: GPL-2.0-only
/*
 * luo_memfd - guest program of the liveupdate-memfd scenario: drives
 * /dev/liveupdate and checks its answers.
 *
 *   luo_memfd errors              the error cases of the uAPI
 *   luo_memfd hold NAME READY     preserve two memfds in session NAME,
 *                                 create READY, and wait; on SIGUSR1 write
 *                                 a late marker, move the file position
 *                                 and create READY.late
 *   luo_memfd verify NAME         in the next kernel: retrieve and compare
 *   luo_memfd relay NAME READY    verify, then preserve the same two memfds
 *                                 again in a new session NAME, create READY
 *                                 and wait (a chain of kernels)
 *   luo_memfd absent NAME         session NAME was not handed over
 *
 * errors and verify print one "ok DESC" or "not-ok DESC" line per check
 * and exit 1 if any failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "luo.h"

#define DEV		LUO_DEV
#define PAGE		4096UL
#define BIG_SIZE	(4 * 1024 * 1024UL + 123)	/* not a page multiple */
#define HOLE_FIRST	100				/* pages never written */
#define HOLE_LAST	199
#define BIG_POS		12345
#define LATE_OFF	(5 * PAGE)
#define LATE_POS	777
#define LATE_TEXT	"written after the handover was finalized"
#define SMALL_SIZE	8192UL
#define SMALL_SEALS	(F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)
#define TOKEN_BIG	42
#define TOKEN_SMALL	43

static int failures;

static void report(int good, const char *fmt, ...)
{
	va_list ap;

	printf("%s ", good ? "ok" : "not-ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	failures += !good;
}

/* expect_err(RET, ERRNO, DESC): RET is -1 with errno ERRNO. */
static void expect_err(int ret, int want, const char *desc)
{
	if (ret == -1 && errno == want)
		report(1, "%s (%s)", desc, strerror(want));
	else
		report(0, "%s: got %d (%s), wanted %s", desc, ret,
		       ret == -1 ? strerror(errno) : "success", strerror(want));
}

static void expect_ok(int ret, const char *desc)
{
	report(ret >= 0, "%s%s%s", desc, ret < 0 ? ": " : "",
	       ret < 0 ? strerror(errno) : "");
}

static unsigned char pattern(unsigned long i)
{
	unsigned long page = i / PAGE;

	if (page >= HOLE_FIRST && page <= HOLE_LAST)
		return 0;
	return (unsigned char)(i * 131 + page + 1);
}

static int open_dev(void)
{
	int dev = open(DEV, O_RDWR);

	if (dev < 0) {
		fprintf(stderr, "luo_memfd: %s: %s\n", DEV, strerror(errno));
		exit(2);
	}
	return dev;
}

/* A memfd of BIG_SIZE bytes with the pattern, leaving the hole unwritten. */
static int big_memfd(void)
{
	unsigned char *buf = malloc(BIG_SIZE);
	unsigned long i, hole = HOLE_FIRST * PAGE, end = (HOLE_LAST + 1) * PAGE;
	int fd = memfd_create("luo-big", MFD_CLOEXEC);

	if (fd < 0 || !buf || ftruncate(fd, BIG_SIZE))
		goto fail;
	for (i = 0; i < BIG_SIZE; i++)
		buf[i] = pattern(i);
	if (pwrite(fd, buf, hole, 0) != (ssize_t)hole ||
	    pwrite(fd, buf + end, BIG_SIZE - end, end) != (ssize_t)(BIG_SIZE - end))
		goto fail;
	free(buf);
	if (lseek(fd, BIG_POS, SEEK_SET) != BIG_POS)
		goto fail;
	return fd;
fail:
	fprintf(stderr, "luo_memfd: building the memfd: %s\n", strerror(errno));
	exit(2);
}

static int small_memfd(void)
{
	int fd = memfd_create("luo-small", MFD_ALLOW_SEALING);
	char text[] = "sealed";

	if (fd < 0 || ftruncate(fd, SMALL_SIZE) ||
	    pwrite(fd, text, sizeof(text), 100) != sizeof(text) ||
	    fcntl(fd, F_ADD_SEALS, SMALL_SEALS)) {
		fprintf(stderr, "luo_memfd: small memfd: %s\n", strerror(errno));
		exit(2);
	}
	return fd;
}

static void check_abi_tail(int dev)
{
	struct {
		struct liveupdate_ioctl_create_session s;
		uint64_t tail;
	} big = { .s.size = sizeof(big), .s.name = "tail" };
	struct liveupdate_ioctl_create_session small = {
		.size = offsetof(struct liveupdate_ioctl_create_session, name),
	};
	int fd;

	big.tail = 1;
	expect_err(ioctl(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, &big), E2BIG,
		   "a larger struct with a non-zero tail is refused");
	big.tail = 0;
	expect_ok(ioctl(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, &big),
		  "a larger struct with a zero tail is accepted");
	if (big.s.fd >= 0)
		close(big.s.fd);
	expect_err(ioctl(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, &small), EINVAL,
		   "a struct shorter than its last field is refused");
	expect_err(ioctl(dev, _IO(LIVEUPDATE_IOCTL_TYPE, 0x07), &small), EINVAL,
		   "an ioctl number beyond the table is refused");
	expect_err(ioctl(dev, _IO(0x42, LIVEUPDATE_CMD_CREATE_SESSION), &small),
		   ENOTTY, "an ioctl of another type is refused");
	fd = luo_create_session(dev, "");
	expect_err(fd, EINVAL, "an empty session name is refused");
}

static void check_non_root(void)
{
	pid_t pid = fork();
	int status;

	if (!pid) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		_exit(open(DEV, O_RDWR) < 0 && (errno == EACCES || errno == EPERM) ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	report(WIFEXITED(status) && !WEXITSTATUS(status),
	       "a non-root user cannot open " DEV);
}

static int cmd_errors(void)
{
	int dev = open_dev(), s, s2, big, small, pipefd[2], len;
	struct liveupdate_session_get_name name = { .size = sizeof(name) };
	struct liveupdate_session_finish fin = { .size = sizeof(fin), .reserved = 1 };
	char c = 'x';

	expect_err(open(DEV, O_RDWR), EBUSY, "a second opener is refused");
	check_non_root();
	check_abi_tail(dev);

	s = luo_create_session(dev, "errors");
	expect_ok(s, "create session 'errors'");
	expect_err(luo_create_session(dev, "errors"), EEXIST,
		   "a second session of the same name is refused");
	expect_ok(ioctl(s, LIVEUPDATE_SESSION_GET_NAME, &name),
		  "get the session's name");
	report(!strcmp((char *)name.name, "errors"), "the name is 'errors' (got '%s')",
	       (char *)name.name);

	if (pipe(pipefd))
		return 2;
	expect_err(luo_preserve(s, pipefd[0], 1), ENOENT, "a pipe cannot be preserved");
	expect_err(luo_preserve(s, 12345, 1), EBADF, "a closed fd cannot be preserved");
	big = memfd_create("hugetlb", MFD_HUGETLB);
	if (big >= 0) {
		expect_err(luo_preserve(s, big, 1), ENOENT,
			   "a hugetlb memfd cannot be preserved");
		close(big);
	}

	big = big_memfd();
	expect_ok(luo_preserve(s, big, 1), "preserve a memfd with token 1");
	small = small_memfd();
	expect_err(luo_preserve(s, small, 1), EEXIST, "token 1 cannot be used twice");
	expect_err(luo_preserve(s, big, 2), EBUSY,
		   "the same memfd cannot be preserved twice");
	expect_err(ftruncate(big, BIG_SIZE + PAGE), EPERM,
		   "a preserved memfd cannot grow by ftruncate");
	expect_err(ftruncate(big, PAGE), EPERM,
		   "a preserved memfd cannot shrink by ftruncate");
	expect_err(pwrite(big, &c, 1, BIG_SIZE) == 1 ? 0 : -1, EPERM,
		   "a preserved memfd cannot grow by writing past its end");
	expect_err(fallocate(big, 0, 0, BIG_SIZE + PAGE), EPERM,
		   "a preserved memfd cannot grow by fallocate");
	expect_err(fallocate(big, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, PAGE),
		   EPERM, "a preserved memfd cannot have holes punched");
	expect_ok(pwrite(big, &c, 1, 10) == 1 ? 0 : -1,
		  "a preserved memfd can still be written inside its size");

	expect_err(luo_retrieve(s, 1), ENOENT,
		   "an outgoing session has nothing to retrieve");
	expect_err(ioctl(s, LIVEUPDATE_SESSION_FINISH, &fin), EINVAL,
		   "finish with a non-zero reserved field is refused");
	expect_err(luo_retrieve_session(dev, "never-handed-over"), ENOENT,
		   "retrieving an unknown session fails");

	/* Closing the session releases the memfd: it can change size again. */
	close(s);
	expect_ok(ftruncate(big, BIG_SIZE + PAGE),
		  "closing the session releases the memfd");
	s2 = luo_create_session(dev, "errors");
	expect_ok(s2, "the name is free again after close");
	len = luo_preserve(s2, big, 1);
	expect_ok(len, "the released memfd can be preserved again");
	close(s2);
	close(big);
	close(small);
	close(dev);
	return failures ? 1 : 0;
}

static int cmd_hold(const char *session_name, const char *ready)
{
	int dev = open_dev(), s, big, small, fd, sig;
	char path[256];
	sigset_t usr1;

	/* SIGUSR1 asks for the late write; it is taken with sigwait(). */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	s = luo_create_session(dev, session_name);
	big = big_memfd();
	small = small_memfd();
	if (s < 0 || luo_preserve(s, big, TOKEN_BIG) || luo_preserve(s, small, TOKEN_SMALL)) {
		fprintf(stderr, "luo_memfd: hold %s: %s\n", session_name,
			strerror(errno));
		return 1;
	}
	/* Let others open the device; the session fd keeps the session. */
	close(dev);
	fd = open(ready, O_CREAT | O_WRONLY, 0600);
	close(fd);
	for (;;) {
		if (sigwait(&usr1, &sig))
			return 1;
		if (pwrite(big, LATE_TEXT, sizeof(LATE_TEXT), LATE_OFF) !=
		    sizeof(LATE_TEXT) || lseek(big, LATE_POS, SEEK_SET) != LATE_POS)
			return 1;
		snprintf(path, sizeof(path), "%s.late", ready);
		fd = open(path, O_CREAT | O_WRONLY, 0600);
		close(fd);
	}
}

static void verify_big(int fd, int try_grow)
{
	unsigned char *buf = malloc(BIG_SIZE);
	unsigned long i, bad = 0, first = 0;
	struct stat st;
	char c = 0;

	report(!fstat(fd, &st) && st.st_size == (off_t)BIG_SIZE,
	       "the big memfd kept its size %lu", BIG_SIZE);
	report(lseek(fd, 0, SEEK_CUR) == LATE_POS,
	       "its file position is the one at kexec (%d)", LATE_POS);
	if (!buf || pread(fd, buf, BIG_SIZE, 0) != (ssize_t)BIG_SIZE) {
		report(0, "read the big memfd");
		return;
	}
	for (i = 0; i < BIG_SIZE; i++) {
		unsigned char want = pattern(i);

		if (i >= LATE_OFF && i < LATE_OFF + sizeof(LATE_TEXT))
			want = LATE_TEXT[i - LATE_OFF];
		if (buf[i] != want && !bad++)
			first = i;
	}
	report(!bad, "all %lu bytes match, the hole reads as zeros%s", BIG_SIZE,
	       bad ? " (first mismatch below)" : "");
	if (bad)
		printf("# %lu bytes differ, first at offset %lu\n", bad, first);
	report(!memcmp(buf + LATE_OFF, LATE_TEXT, sizeof(LATE_TEXT)),
	       "the write made after finalize, before kexec -e, is there");
	free(buf);
	if (try_grow)
		report(pwrite(fd, &c, 1, BIG_SIZE) == 1,
		       "the retrieved memfd is an ordinary memfd again (it can grow)");
}

static void verify_small(int fd)
{
	char text[8] = "";
	struct stat st;
	int seals = fcntl(fd, F_GET_SEALS);

	report(!fstat(fd, &st) && st.st_size == (off_t)SMALL_SIZE,
	       "the sealed memfd kept its size");
	report(seals == SMALL_SEALS, "its seals are kept (%#x, wanted %#x)",
	       seals, SMALL_SEALS);
	report(pread(fd, text, 7, 100) == 7 && !strcmp(text, "sealed"),
	       "its contents are kept");
	report(pwrite(fd, "x", 1, 0) == -1 && errno == EPERM,
	       "F_SEAL_WRITE still refuses writes");
	report(ftruncate(fd, 0) == -1 && errno == EPERM,
	       "F_SEAL_SHRINK still refuses shrinking");
}

/* Retrieve and check session NAME; *big and *small return the memfds. */
static int verify(int dev, const char *session_name, int *big, int *small,
		  int relay)
{
	int s, again;

	s = luo_retrieve_session(dev, session_name);
	expect_ok(s, "retrieve the session");
	if (s < 0)
		return -1;
	expect_err(luo_retrieve_session(dev, session_name), EINVAL,
		   "a session is retrieved only once");
	*big = luo_retrieve(s, TOKEN_BIG);
	expect_ok(*big, "retrieve the big memfd by its token");
	if (*big >= 0)
		verify_big(*big, !relay);
	again = luo_retrieve(s, TOKEN_BIG);
	expect_ok(again, "retrieving the token again gives the same file");
	if (again >= 0 && *big >= 0) {
		struct stat a, b;

		report(!fstat(*big, &a) && !fstat(again, &b) && a.st_ino == b.st_ino,
		       "both descriptors are the same memfd");
		close(again);
	}
	*small = luo_retrieve(s, TOKEN_SMALL);
	expect_ok(*small, "retrieve the sealed memfd");
	if (*small >= 0)
		verify_small(*small);
	expect_err(luo_retrieve(s, 9999), ENOENT, "an unknown token fails");
	expect_ok(luo_finish(s), "finish the session");
	close(s);
	expect_err(luo_retrieve_session(dev, session_name), ENOENT,
		   "a finished session is gone");
	return *big >= 0 && *small >= 0 ? 0 : -1;
}

static int cmd_verify(const char *session_name)
{
	int dev = open_dev(), big, small;

	verify(dev, session_name, &big, &small, 0);
	close(dev);
	return failures ? 1 : 0;
}

static int cmd_relay(const char *session_name, const char *ready)
{
	int dev = open_dev(), big, small, s, fd;

	if (verify(dev, session_name, &big, &small, 1))
		return 1;
	s = luo_create_session(dev, session_name);
	expect_ok(s, "create the session again for the next kernel");
	expect_ok(luo_preserve(s, big, TOKEN_BIG), "preserve the big memfd again");
	expect_ok(luo_preserve(s, small, TOKEN_SMALL), "preserve the sealed memfd again");
	close(dev);
	if (failures)
		return 1;
	fd = open(ready, O_CREAT | O_WRONLY, 0600);
	close(fd);
	/* The checks are printed; stay in the background holding s. */
	fflush(stdout);
	for (;;)
		pause();
}

static int cmd_absent(const char *session_name)
{
	int dev = open_dev();

	expect_err(luo_retrieve_session(dev, session_name), ENOENT,
		   "no session of that name was handed over");
	close(dev);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "errors"))
		return cmd_errors();
	if (argc == 4 && !strcmp(argv[1], "hold"))
		return cmd_hold(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "verify"))
		return cmd_verify(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "relay"))
		return cmd_relay(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "absent"))
		return cmd_absent(argv[2]);
	fprintf(stderr,
		"usage: luo_memfd errors\n"
		"       luo_memfd hold NAME READYFILE\n"
		"       luo_memfd verify NAME\n"
		"       luo_memfd relay NAME READYFILE\n"
		"       luo_memfd absent NAME\n");
	return 2;
}
