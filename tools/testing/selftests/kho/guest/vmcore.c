// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmcore - read a crashed kernel's memory in a kdump kernel's /proc/vmcore
 * (an ELF64 core: each PT_LOAD segment names the physical memory it holds),
 * for the kdump scenario of the khoreg test guest.
 *
 *   vmcore ranges FILE
 *	print the physical range of each PT_LOAD segment, "START END" in hex
 *	(END exclusive)
 *   vmcore pattern FILE SEED AREA PHYS LEN [FIRST]
 *	check that the LEN bytes at physical address PHYS hold kho_selftest's
 *	pattern (kernel/kho/tests/kho_selftest.c): 64-bit word i is
 *	(SEED ^ AREA << 48 ^ (FIRST + i)) * 0x9e3779b97f4a7c15; print "ok",
 *	or where the first word differs
 *
 * Numbers are decimal or 0x-prefixed hex. Exit status: 0 ok, 1 a word
 * differs, 2 the range is not in the dump or the file is not an ELF64 core.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_PHDRS	4096

static Elf64_Phdr phdrs[MAX_PHDRS];
static unsigned int nr_phdrs;

static int load_phdrs(int fd, const char *file)
{
	Elf64_Ehdr eh;

	if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_type != ET_CORE ||
	    eh.e_phentsize != sizeof(Elf64_Phdr)) {
		fprintf(stderr, "vmcore: %s is not an ELF64 core\n", file);
		return -1;
	}
	if (eh.e_phnum > MAX_PHDRS) {
		fprintf(stderr, "vmcore: %s has %u program headers, more than %d\n",
			file, eh.e_phnum, MAX_PHDRS);
		return -1;
	}
	nr_phdrs = eh.e_phnum;
	if (pread(fd, phdrs, nr_phdrs * sizeof(Elf64_Phdr), eh.e_phoff) !=
	    (ssize_t)(nr_phdrs * sizeof(Elf64_Phdr))) {
		fprintf(stderr, "vmcore: cannot read the program headers of %s\n", file);
		return -1;
	}
	return 0;
}

/* The PT_LOAD segment holding physical address @phys, or NULL. */
static const Elf64_Phdr *segment_of(uint64_t phys)
{
	unsigned int i;

	for (i = 0; i < nr_phdrs; i++)
		if (phdrs[i].p_type == PT_LOAD && phys >= phdrs[i].p_paddr &&
		    phys - phdrs[i].p_paddr < phdrs[i].p_filesz)
			return &phdrs[i];
	return NULL;
}

static int parse_number(const char *s, uint64_t *val)
{
	char *end;

	errno = 0;
	*val = strtoull(s, &end, 0);
	if (errno || end == s || *end) {
		fprintf(stderr, "vmcore: '%s' is not a number\n", s);
		return -1;
	}
	return 0;
}

static int ranges(void)
{
	unsigned int i;

	for (i = 0; i < nr_phdrs; i++)
		if (phdrs[i].p_type == PT_LOAD)
			printf("%#" PRIx64 " %#" PRIx64 "\n", (uint64_t)phdrs[i].p_paddr,
			       (uint64_t)(phdrs[i].p_paddr + phdrs[i].p_filesz));
	return 0;
}

static int pattern(int fd, char **argv, int argc)
{
	uint64_t seed, area, phys, len, first = 0, done = 0;
	static uint64_t buf[4096 / 8];

	if (parse_number(argv[0], &seed) || parse_number(argv[1], &area) ||
	    parse_number(argv[2], &phys) || parse_number(argv[3], &len) ||
	    (argc > 4 && parse_number(argv[4], &first)))
		return 2;
	if (len % 8 || phys % 8) {
		fprintf(stderr, "vmcore: PHYS and LEN must be multiples of 8\n");
		return 2;
	}
	while (done < len) {
		const Elf64_Phdr *seg = segment_of(phys + done);
		uint64_t n = len - done, i;

		if (!seg) {
			printf("%#" PRIx64 " is not in the dump\n", phys + done);
			return 2;
		}
		if (n > sizeof(buf))
			n = sizeof(buf);
		if (n > seg->p_paddr + seg->p_filesz - (phys + done))
			n = seg->p_paddr + seg->p_filesz - (phys + done);
		if (pread(fd, buf, n, seg->p_offset + (phys + done - seg->p_paddr)) !=
		    (ssize_t)n) {
			printf("cannot read %" PRIu64 " bytes at %#" PRIx64 "\n", n,
			       phys + done);
			return 2;
		}
		for (i = 0; i < n / 8; i++) {
			uint64_t want = (seed ^ (area << 48) ^ (first + done / 8 + i)) *
					0x9e3779b97f4a7c15ULL;

			if (buf[i] != want) {
				printf("differs at %#" PRIx64 " (byte %" PRIu64 "): %#" PRIx64
				       ", not %#" PRIx64 "\n", phys + done + i * 8,
				       done + i * 8, buf[i], want);
				return 1;
			}
		}
		done += n;
	}
	printf("ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	int fd, ret;

	if (argc < 3 || (!strcmp(argv[1], "pattern") && argc != 7 && argc != 8) ||
	    (strcmp(argv[1], "pattern") && strcmp(argv[1], "ranges"))) {
		fprintf(stderr, "usage: vmcore ranges FILE\n"
			"       vmcore pattern FILE SEED AREA PHYS LEN [FIRST]\n");
		return 2;
	}
	fd = open(argv[2], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(argv[2]);
		return 2;
	}
	if (load_phdrs(fd, argv[2])) {
		close(fd);
		return 2;
	}
	if (!strcmp(argv[1], "ranges"))
		ret = ranges();
	else
		ret = pattern(fd, argv + 3, argc - 3);
	close(fd);
	return ret;
}
