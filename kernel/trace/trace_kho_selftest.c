// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace_kho_selftest: damage one CPU's ring buffer of an instance that is
 * handed over at kexec (trace_instance=NAME@kho:SIZE), so that a test can
 * check that the next kernel discards that CPU's buffer, logs it and still
 * shows the other CPUs.
 *
 *   modprobe trace_kho_selftest instance=NAME cpu=N action=corrupt-meta
 *	makes the CPU's head sub-buffer point past its sub-buffers;
 *   modprobe trace_kho_selftest instance=NAME cpu=N action=corrupt-page
 *	gives the first event of each written sub-buffer an impossible length.
 *
 * The instance is stopped first, so nothing repairs the damage before
 * kexec. The module does its work at load; loading fails if it could not.
 */
#define pr_fmt(fmt) "trace_kho_selftest: " fmt

#include <linux/module.h>

#include "trace.h"

static char *instance = "keep";
module_param(instance, charp, 0);
MODULE_PARM_DESC(instance, "instance to damage");

static int cpu = 1;
module_param(cpu, int, 0);
MODULE_PARM_DESC(cpu, "CPU whose buffer to damage");

static char *action = "corrupt-meta";
module_param(action, charp, 0);
MODULE_PARM_DESC(action, "corrupt-meta or corrupt-page");

/*
 * The head of each CPU's part of a persistent ring buffer range, as
 * ring_buffer.c lays it out (struct ring_buffer_meta there).
 */
struct test_rb_meta {
	int magic;
	int struct_size;
	unsigned long text_addr;
	unsigned long data_addr;
	unsigned long first_buffer;
	unsigned long head_buffer;
	unsigned long commit_buffer;
	u32 subbuf_size;
	u32 nr_subbufs;
	int buffers[];
};

#define TEST_RB_META_MAGIC	0xBADFEED

/* The start of a sub-buffer (struct buffer_data_page in ring_buffer.c). */
struct test_rb_page {
	u64 time_stamp;
	unsigned long commit;
	u32 data[];
};

static unsigned long test_meta_end(struct test_rb_meta *meta)
{
	unsigned long p = (unsigned long)meta;

	p += sizeof(*meta) + sizeof(int) * meta->nr_subbufs;
	return ALIGN(p, meta->subbuf_size);
}

static struct test_rb_meta *test_cpu_meta(struct trace_array *tr, int n)
{
	unsigned long p = tr->range_addr_start;
	unsigned long end = p + tr->range_addr_size;
	struct test_rb_meta *meta;

	for (;;) {
		meta = (void *)p;
		if (p + sizeof(*meta) > end || meta->magic != TEST_RB_META_MAGIC)
			return NULL;
		if (!n--)
			return meta;
		p = test_meta_end(meta) + meta->subbuf_size * meta->nr_subbufs;
	}
}

static int test_corrupt_pages(struct test_rb_meta *meta)
{
	unsigned long p = test_meta_end(meta);
	unsigned int i, n = 0;

	for (i = 0; i < meta->nr_subbufs; i++, p += meta->subbuf_size) {
		struct test_rb_page *page = (void *)p;

		if (!(page->commit & 0xfffff))
			continue;
		/* type_len 0: the length is in the next word, far too long */
		page->data[0] = 0;
		page->data[1] = 0x00ffff00;
		n++;
	}
	pr_info("damaged %u sub-buffer(s) of CPU %d\n", n, cpu);
	return n ? 0 : -ENODATA;
}

static int __init trace_kho_selftest_init(void)
{
	struct test_rb_meta *meta;
	struct trace_array *tr;
	int err = 0;

	tr = trace_array_get_by_name(instance, NULL);
	if (!tr)
		return -ENOMEM;
	if (!tr->range_addr_start || !(tr->flags & TRACE_ARRAY_FL_BOOT)) {
		pr_err("%s is not a boot instance on a memory range\n", instance);
		err = -EINVAL;
		goto put;
	}
	ring_buffer_record_off(tr->array_buffer.buffer);
	meta = test_cpu_meta(tr, cpu);
	if (!meta) {
		pr_err("%s has no buffer for CPU %d\n", instance, cpu);
		err = -ENOENT;
	} else if (!strcmp(action, "corrupt-meta")) {
		meta->head_buffer = meta->first_buffer +
				    meta->subbuf_size * meta->nr_subbufs;
		pr_info("damaged the meta data of CPU %d\n", cpu);
	} else if (!strcmp(action, "corrupt-page")) {
		err = test_corrupt_pages(meta);
	} else {
		err = -EINVAL;
	}
put:
	trace_array_put(tr);
	return err;
}
module_init(trace_kho_selftest_init);

MODULE_DESCRIPTION("Damage a handed over trace buffer for tests");
MODULE_LICENSE("GPL");
