/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The mutator of the KHO fuzz suites (kernel/kho/tests/kho_fuzz.c): a
 * deterministic pseudo-random generator that damages a valid input the
 * way a buggy or hostile previous kernel could, and the count of inputs
 * every suite runs.
 */
#ifndef _LINUX_KHO_FUZZ_H
#define _LINUX_KHO_FUZZ_H

#include <linux/prandom.h>
#include <linux/types.h>

struct kunit;

/**
 * struct kho_fuzz - one fuzz run of a KUnit case
 * @test: the case
 * @seed: the generator's seed
 * @rnd: the generator
 * @nr: inputs run so far
 * @accepted: how many of them the parser accepted
 * @debug_locks: lockdep was on when the run began
 * @work: where kho_fuzz_input() mutates
 * @work_size: its size
 */
struct kho_fuzz {
	struct kunit *test;
	u64 seed;
	struct rnd_state rnd;
	unsigned long nr;
	unsigned long accepted;
	bool debug_locks;
	void *work;
	size_t work_size;
};

void kho_fuzz_begin(struct kho_fuzz *f, struct kunit *test, u64 seed);
bool kho_fuzz_next(struct kho_fuzz *f);
u32 kho_fuzz_below(struct kho_fuzz *f, u32 n);
size_t kho_fuzz_mutate(struct kho_fuzz *f, void *buf, size_t len,
		       size_t max);
void *kho_fuzz_input(struct kho_fuzz *f, const void *seed, size_t *len,
		     size_t max);
void kho_fuzz_end(struct kho_fuzz *f);
int kho_fuzz_fdt_read_all(const void *fdt);

#endif /* _LINUX_KHO_FUZZ_H */
