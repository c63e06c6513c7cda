// SPDX-License-Identifier: GPL-2.0-only
/*
 * The mutator of the KHO fuzz suites: each suite builds a valid handover
 * (or part of one), and for every input copies it, lets kho_fuzz_mutate()
 * damage the copy, and feeds it to the parser under test, which must
 * refuse it or accept something well-formed. The generator is
 * prandom_u32_state() with a fixed seed per suite, so that a failing
 * input comes back at every run.
 *
 * kho_fuzz.iterations= sets the number of inputs of every suite
 * (CONFIG_KEXEC_HANDOVER_FUZZ_ITERATIONS by default). kho_fuzz.plant=
 * makes one report at boot on purpose (kasan, ubsan, lockdep or leak), so
 * that the sanitizer suite of `make check` can show that its scan of the
 * console log fails on one.
 */

#define pr_fmt(fmt) "kho_fuzz: " fmt

#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/debug_locks.h>
#include <linux/kho/fuzz.h>
#include <linux/kthread.h>
#include <linux/libfdt.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

static ulong iterations = CONFIG_KEXEC_HANDOVER_FUZZ_ITERATIONS;
module_param(iterations, ulong, 0444);
MODULE_PARM_DESC(iterations, "mutated inputs per fuzz suite");

static char *plant;
module_param(plant, charp, 0400);
MODULE_PARM_DESC(plant, "make reports at boot: any of kasan,ubsan,lockdep,leak");

/* Values that sit on the edges parsers check: sizes, counts, offsets. */
static const u64 kho_fuzz_values[] = {
	0, 1, 2, 3, 4, 7, 8, 16, 31, 32, 63, 64, 0x7f, 0x80, 0xff, 0x100,
	0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff,
	0x100000000ULL, PAGE_SIZE - 1, PAGE_SIZE, PAGE_SIZE + 1, SZ_2M, SZ_1G,
	S64_MAX, (u64)S64_MIN, U64_MAX, U64_MAX - PAGE_SIZE + 1,
};

/**
 * kho_fuzz_begin() - start a fuzz run
 * @f: the run
 * @test: the KUnit case it belongs to
 * @seed: the generator's seed; a fixed number per case
 */
void kho_fuzz_begin(struct kho_fuzz *f, struct kunit *test, u64 seed)
{
	memset(f, 0, sizeof(*f));
	f->test = test;
	f->seed = seed;
	f->debug_locks = debug_locks;
	prandom_seed_state(&f->rnd, seed);
}
EXPORT_SYMBOL_IF_KUNIT(kho_fuzz_begin);

/**
 * kho_fuzz_next() - count one more input
 * @f: the run
 *
 * Return: false once kho_fuzz.iterations inputs ran, or after an input
 * that failed the case.
 */
bool kho_fuzz_next(struct kho_fuzz *f)
{
	cond_resched();
	/* One failing input is enough to look at. */
	if (f->nr >= iterations || f->test->status == KUNIT_FAILURE)
		return false;
	f->nr++;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(kho_fuzz_next);

/**
 * kho_fuzz_below() - a pseudo-random number
 * @f: the run
 * @n: the bound, at least 1
 *
 * Return: a number in 0..@n - 1.
 */
u32 kho_fuzz_below(struct kho_fuzz *f, u32 n)
{
	return prandom_u32_state(&f->rnd) % n;
}
EXPORT_SYMBOL_IF_KUNIT(kho_fuzz_below);

/* Write the low @width bytes of @val at @p, big- or little-endian. */
static void kho_fuzz_put(u8 *p, u64 val, unsigned int width, bool big)
{
	unsigned int i;

	for (i = 0; i < width; i++)
		p[i] = val >> (8 * (big ? width - 1 - i : i));
}

/* Overwrite a field of 1, 2, 4 or 8 bytes with an edge value. */
static void kho_fuzz_value(struct kho_fuzz *f, u8 *buf, size_t len)
{
	unsigned int width = 1U << kho_fuzz_below(f, 4);
	u64 val = kho_fuzz_values[kho_fuzz_below(f, ARRAY_SIZE(kho_fuzz_values))];
	size_t off;

	if (len < width)
		return;
	off = kho_fuzz_below(f, len - width + 1);
	if (kho_fuzz_below(f, 2))
		off &= ~(size_t)(width - 1);
	switch (kho_fuzz_below(f, 4)) {
	case 0:
		val = -val;
		break;
	case 1:
		val += (s64)kho_fuzz_below(f, 3) - 1;
		break;
	}
	kho_fuzz_put(buf + off, val, width, kho_fuzz_below(f, 2));
}

/**
 * kho_fuzz_mutate() - damage an input in place
 * @f: the run
 * @buf: the input, in a buffer of @max bytes
 * @len: its length
 * @max: the most it may grow to
 *
 * Applies 1, 2 or 4 of: flip a bit, set a byte, write an edge value
 * (either endianness, aligned or not), copy a run of bytes elsewhere,
 * clear or fill a run, cut the input short, or extend it with random
 * bytes.
 *
 * Return: the new length.
 */
size_t kho_fuzz_mutate(struct kho_fuzz *f, void *buf, size_t len, size_t max)
{
	unsigned int n = 1U << kho_fuzz_below(f, 3);
	u8 *p = buf;
	size_t off, size, src;

	while (n--) {
		switch (len ? kho_fuzz_below(f, 8) : 7) {
		case 0:
			p[kho_fuzz_below(f, len)] ^= 1U << kho_fuzz_below(f, 8);
			break;
		case 1:
			p[kho_fuzz_below(f, len)] = kho_fuzz_below(f, 256);
			break;
		case 2:
		case 3:
			kho_fuzz_value(f, p, len);
			break;
		case 4:
			size = 1 + kho_fuzz_below(f, min_t(size_t, len, 64));
			src = kho_fuzz_below(f, len - size + 1);
			off = kho_fuzz_below(f, len - size + 1);
			memmove(p + off, p + src, size);
			break;
		case 5:
			size = 1 + kho_fuzz_below(f, min_t(size_t, len, 16));
			off = kho_fuzz_below(f, len - size + 1);
			memset(p + off, kho_fuzz_below(f, 2) ? 0xff : 0, size);
			break;
		case 6:
			if (kho_fuzz_below(f, 2))
				len -= 1 + kho_fuzz_below(f, min_t(size_t, len, 16));
			else
				len = kho_fuzz_below(f, len + 1);
			break;
		default:
			if (len == max)
				break;
			size = 1 + kho_fuzz_below(f, min_t(size_t, max - len, 64));
			prandom_bytes_state(&f->rnd, p + len, size);
			len += size;
			break;
		}
	}
	return len;
}
EXPORT_SYMBOL_IF_KUNIT(kho_fuzz_mutate);

/**
 * kho_fuzz_input() - the next input: a mutated copy of a valid one
 * @f: the run
 * @seed: the valid input
 * @len: its length; returns the new input's
 * @max: the most the input may grow to
 *
 * The input is in a buffer of exactly its length (one byte if it is
 * empty), so that KASAN reports any read past its end.
 *
 * Return: the input, to be freed with kfree() or kvfree().
 */
void *kho_fuzz_input(struct kho_fuzz *f, const void *seed, size_t *len,
		     size_t max)
{
	void *in;

	if (f->work_size < max) {
		kfree(f->work);
		f->work = kmalloc(max, GFP_KERNEL);
		f->work_size = f->work ? max : 0;
	}
	KUNIT_ASSERT_NOT_NULL(f->test, f->work);
	memcpy(f->work, seed, *len);
	*len = kho_fuzz_mutate(f, f->work, *len, max);
	in = kmemdup(f->work, *len ?: 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(f->test, in);
	return in;
}
EXPORT_SYMBOL_IF_KUNIT(kho_fuzz_input);

/**
 * kho_fuzz_end() - close a fuzz run and check it
 * @f: the run
 *
 * Logs the counts, and after a failure the input that failed. Else
 * every input ran; with 100 or more, some were accepted
 * and some refused (else the seed or the mutator is broken); and lockdep,
 * if it was on, found nothing. KASAN and UBSAN fail the case themselves.
 */
void kho_fuzz_end(struct kho_fuzz *f)
{
	struct kunit *test = f->test;

	kfree(f->work);
	f->work = NULL;
	f->work_size = 0;
	kunit_info(test, "%lu inputs: %lu accepted, %lu refused\n", f->nr,
		   f->accepted, f->nr - f->accepted);
	if (test->status == KUNIT_FAILURE) {
		kunit_info(test, "stopped at input %lu of seed %#llx\n", f->nr,
			   f->seed);
		return;
	}
	KUNIT_EXPECT_EQ(test, f->nr, iterations);
	if (f->nr >= 100) {
		KUNIT_EXPECT_GT(test, f->accepted, 0);
		KUNIT_EXPECT_LT(test, f->accepted, f->nr);
	}
	if (f->debug_locks)
		KUNIT_EXPECT_TRUE_MSG(test, debug_locks,
				      "lockdep reported a problem");
}
EXPORT_SYMBOL_IF_KUNIT(kho_fuzz_end);

/**
 * kho_fuzz_fdt_read_all() - read every node and property of an FDT
 * @fdt: an FDT a parser accepted as safe to read with libfdt
 *
 * Return: 0, or the first libfdt error met.
 */
int kho_fuzz_fdt_read_all(const void *fdt)
{
	int node = 0, depth = 0, prop, len;
	const char *name;

	/* fdt_next_node() leaves @depth at -1 past the root's end. */
	while (node >= 0 && depth >= 0) {
		if (!fdt_get_name(fdt, node, &len))
			return len;
		fdt_for_each_property_offset(prop, fdt, node) {
			if (!fdt_getprop_by_offset(fdt, prop, &name, &len))
				return len;
		}
		if (prop != -FDT_ERR_NOTFOUND)
			return prop;
		node = fdt_next_node(fdt, node, &depth);
	}
	return depth < 0 || node == -FDT_ERR_NOTFOUND ? 0 : node;
}
EXPORT_SYMBOL_IF_KUNIT(kho_fuzz_fdt_read_all);

/* ---- kho_fuzz.plant=: reports on purpose ---- */

struct kho_fuzz_bounds {
	int a[4];
	int b;
};

static DEFINE_MUTEX(kho_fuzz_lock_a);
static DEFINE_MUTEX(kho_fuzz_lock_b);

/* Leak from a thread of its own, whose stack holds no pointer after. */
static int kho_fuzz_leak(void *unused)
{
	unsigned int i;

	for (i = 0; i < 4; i++) {
		void *p = kmalloc(64, GFP_KERNEL);

		if (p)
			memset(p, 0x6b, 64);
	}
	return 0;
}

/* Is @kind a word of the comma-separated kho_fuzz.plant=? */
static bool __init kho_fuzz_wants(const char *kind)
{
	size_t len = strlen(kind);
	const char *p = plant;

	while (p) {
		if (!strncmp(p, kind, len) && (p[len] == ',' || !p[len]))
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

static int __init kho_fuzz_plant(void)
{
	static struct kho_fuzz_bounds bounds;
	unsigned int idx = ARRAY_SIZE(bounds.a);
	char *p;

	if (!plant)
		return 0;
	pr_warn("making reports on purpose: %s\n", plant);
	/*
	 * lockdep first: a KASAN report taints the kernel with
	 * LOCKDEP_NOW_UNRELIABLE, which turns lock debugging off.
	 */
	if (kho_fuzz_wants("lockdep")) {
		mutex_lock(&kho_fuzz_lock_a);
		mutex_lock(&kho_fuzz_lock_b);
		mutex_unlock(&kho_fuzz_lock_b);
		mutex_unlock(&kho_fuzz_lock_a);
		mutex_lock(&kho_fuzz_lock_b);
		mutex_lock(&kho_fuzz_lock_a);
		mutex_unlock(&kho_fuzz_lock_a);
		mutex_unlock(&kho_fuzz_lock_b);
	}
	if (kho_fuzz_wants("kasan")) {
		p = kmalloc(13, GFP_KERNEL);
		OPTIMIZER_HIDE_VAR(p);
		if (p)
			pr_info("read past the end: %d\n", READ_ONCE(p[13]));
		kfree(p);
	}
	if (kho_fuzz_wants("ubsan")) {
		OPTIMIZER_HIDE_VAR(idx);
		pr_info("index past the end: %d\n", bounds.a[idx]);
	}
	if (kho_fuzz_wants("leak"))
		kthread_run(kho_fuzz_leak, NULL, "kho_fuzz_leak");
	return 0;
}
late_initcall(kho_fuzz_plant);
