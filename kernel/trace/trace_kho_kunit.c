// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the event mapping of trace instances restored after a
 * kexec handover: old IDs map by system and name when the format matches,
 * anything else is printed raw with its old name. Also: the trace options
 * handed over, strings of a malformed sub-blob, and, with
 * CONFIG_KEXEC_HANDOVER_FUZZ_TEST, the parser of the sub-blob fed mutated
 * copies of a sound one.
 */
#include <kunit/test.h>
#include <linux/kho/fuzz.h>
#include <linux/slab.h>

#include "trace.h"
#include "trace_kho.h"

#define OLD_PRINT	4000	/* ftrace:print, renumbered */
#define OLD_UNKNOWN	4001	/* an event this kernel does not have */
#define OLD_CHANGED	4002	/* ftrace:function, another format */
#define OLD_MISSING	4003	/* not in the old table at all */
/* The payload of make_line()'s event, as the raw line shows it */
#define RAW_PAYLOAD	"efcdab89674523016d61726b65720a00"

static struct trace_event_call *find_call(const char *system, const char *name)
{
	struct trace_event_call *call;

	guard(mutex)(&event_mutex);
	list_for_each_entry(call, &ftrace_events, list) {
		if (call->class->system && !strcmp(call->class->system, system) &&
		    !strcmp(trace_event_name(call), name))
			return call;
	}
	return NULL;
}

static void set_old(struct kho_trace_event *ev, u32 id, const char *system,
		    const char *name, u32 hash)
{
	ev->id = id;
	ev->format_hash = hash;
	strscpy(ev->system, system);
	strscpy(ev->name, name);
}

static struct trace_kho_map *build_test_map(struct kunit *test, u32 common)
{
	struct trace_event_call *print = find_call("ftrace", "print");
	struct trace_event_call *func = find_call("ftrace", "function");
	struct kho_trace_event old[3];
	struct trace_kho_map *map;

	KUNIT_ASSERT_NOT_NULL(test, print);
	KUNIT_ASSERT_NOT_NULL(test, func);
	/* Out of order on purpose: the map is sorted by old ID. */
	set_old(&old[0], OLD_CHANGED, "ftrace", "function",
		trace_kho_format_hash(func) + 1);
	set_old(&old[1], OLD_PRINT, "ftrace", "print",
		trace_kho_format_hash(print));
	set_old(&old[2], OLD_UNKNOWN, "nosuch", "event", 0);
	map = trace_kho_map_build(old, ARRAY_SIZE(old), common);
	KUNIT_ASSERT_NOT_NULL(test, map);
	return map;
}

static void map_identity_test(struct kunit *test)
{
	struct trace_event_call *call;
	struct kho_trace_event *old;
	struct trace_kho_map *map;
	unsigned int nr = 0, i = 0;

	mutex_lock(&event_mutex);
	list_for_each_entry(call, &ftrace_events, list)
		nr++;
	old = kunit_kcalloc(test, nr, sizeof(*old), GFP_KERNEL);
	if (!old)
		mutex_unlock(&event_mutex);
	KUNIT_ASSERT_NOT_NULL(test, old);
	list_for_each_entry(call, &ftrace_events, list)
		set_old(&old[i++], call->event.type, call->class->system ?: "",
			trace_event_name(call), trace_kho_format_hash(call));
	mutex_unlock(&event_mutex);

	map = trace_kho_map_build(old, nr, trace_kho_common_hash());
	KUNIT_ASSERT_NOT_NULL(test, map);
	KUNIT_EXPECT_GT(test, map->nr, 0);
	for (i = 0; i < map->nr; i++) {
		const struct trace_kho_event *ev = &map->events[i];

		KUNIT_EXPECT_EQ_MSG(test, ev->new_id, ev->old_id, "%s:%s",
				    ev->system, ev->name);
		KUNIT_EXPECT_FALSE(test, ev->format_changed);
		if (i)
			KUNIT_EXPECT_LE(test, map->events[i - 1].old_id, ev->old_id);
	}
	kvfree(map);
}

static void map_by_name_test(struct kunit *test)
{
	struct trace_kho_map *map = build_test_map(test, trace_kho_common_hash());
	const struct trace_kho_event *ev;

	ev = trace_kho_map_find(map, OLD_PRINT);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	KUNIT_EXPECT_EQ(test, ev->new_id, TRACE_PRINT);
	KUNIT_EXPECT_FALSE(test, ev->format_changed);

	ev = trace_kho_map_find(map, OLD_CHANGED);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	KUNIT_EXPECT_EQ(test, ev->new_id, 0);
	KUNIT_EXPECT_TRUE(test, ev->format_changed);
	KUNIT_EXPECT_STREQ(test, ev->name, "function");

	ev = trace_kho_map_find(map, OLD_UNKNOWN);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	KUNIT_EXPECT_EQ(test, ev->new_id, 0);
	KUNIT_EXPECT_FALSE(test, ev->format_changed);
	KUNIT_EXPECT_STREQ(test, ev->system, "nosuch");

	KUNIT_EXPECT_NULL(test, trace_kho_map_find(map, OLD_MISSING));
	kvfree(map);
}

static void map_common_changed_test(struct kunit *test)
{
	struct trace_kho_map *map = build_test_map(test, trace_kho_common_hash() ^ 1);
	const struct trace_kho_event *ev = trace_kho_map_find(map, OLD_PRINT);

	KUNIT_ASSERT_NOT_NULL(test, ev);
	KUNIT_EXPECT_EQ(test, ev->new_id, 0);
	KUNIT_EXPECT_TRUE(test, ev->format_changed);
	kvfree(map);
}

struct test_line {
	struct trace_array tr;
	struct trace_kho_prev prev;
	struct trace_iterator iter;
	struct print_entry *entry;
};

/* An iterator on a print event whose type is @old_id, without context. */
static struct test_line *make_line(struct kunit *test, u16 old_id)
{
	struct test_line *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);
	size_t size = sizeof(*l->entry) + 8;

	KUNIT_ASSERT_NOT_NULL(test, l);
	l->entry = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, l->entry);
	l->entry->ent.type = old_id;
	l->entry->ip = 0x0123456789abcdefUL;
	memcpy(l->entry->buf, "marker\n", 8);

	l->prev.map = build_test_map(test, trace_kho_common_hash());
	l->tr.kho_prev = &l->prev;
	l->iter.tr = &l->tr;
	l->iter.ent = &l->entry->ent;
	l->iter.ent_size = size;
	trace_seq_init(&l->iter.seq);
	return l;
}

static void free_line(struct test_line *l)
{
	kvfree(l->prev.map);
	kfree(l->iter.temp);
}

static void translate_test(struct kunit *test)
{
	struct test_line *l = make_line(test, OLD_PRINT);

	KUNIT_EXPECT_EQ(test, trace_kho_print_line(&l->iter), TRACE_TYPE_UNHANDLED);
	KUNIT_EXPECT_PTR_EQ(test, (void *)l->iter.ent, l->iter.temp);
	KUNIT_EXPECT_EQ(test, l->iter.ent->type, TRACE_PRINT);
	KUNIT_EXPECT_EQ(test, l->entry->ent.type, OLD_PRINT);
	KUNIT_EXPECT_MEMEQ(test, (void *)(l->iter.ent + 1), (void *)(&l->entry->ent + 1),
			   l->iter.ent_size - sizeof(struct trace_entry));
	KUNIT_EXPECT_EQ(test, trace_seq_used(&l->iter.seq), 0);
	/* Printing it again (after a partial line) leaves it alone. */
	KUNIT_EXPECT_EQ(test, trace_kho_print_line(&l->iter), TRACE_TYPE_UNHANDLED);
	KUNIT_EXPECT_EQ(test, l->iter.ent->type, TRACE_PRINT);
	free_line(l);
}

static void check_raw(struct kunit *test, u16 old_id, const char *want)
{
	struct test_line *l = make_line(test, old_id);
	struct trace_seq *s = &l->iter.seq;

	KUNIT_EXPECT_EQ(test, trace_kho_print_line(&l->iter), TRACE_TYPE_HANDLED);
	KUNIT_EXPECT_PTR_EQ(test, (void *)l->iter.ent, (void *)&l->entry->ent);
	KUNIT_EXPECT_EQ(test, l->entry->ent.type, old_id);
	trace_seq_putc(s, '\0');
	KUNIT_EXPECT_STREQ(test, s->buffer, want);
	free_line(l);
}

static void raw_unknown_test(struct kunit *test)
{
	check_raw(test, OLD_UNKNOWN,
		  "nosuch:event: [id 4001, unknown here] raw: " RAW_PAYLOAD "\n");
}

static void raw_changed_test(struct kunit *test)
{
	check_raw(test, OLD_CHANGED,
		  "ftrace:function: [id 4002, format changed] raw: " RAW_PAYLOAD "\n");
}

static void raw_missing_test(struct kunit *test)
{
	check_raw(test, OLD_MISSING,
		  "[unknown id 4003] raw: " RAW_PAYLOAD "\n");
}

/* Is @word one of the space separated words of @str? */
static bool has_word(const char *str, const char *word)
{
	size_t len = strlen(word);
	const char *p;

	for (p = strstr(str, word); p; p = strstr(p + 1, word))
		if ((p == str || p[-1] == ' ') && (!p[len] || p[len] == ' '))
			return true;
	return false;
}

static void options_test(struct kunit *test)
{
	struct trace_array tr = {
		.trace_flags = TRACE_ITER_PRINT_PARENT | TRACE_ITER_PRINTK,
	};
	char small[8];
	size_t len;
	char *buf;

	len = trace_kho_options(&tr, NULL, 0);
	buf = kunit_kzalloc(test, len + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, trace_kho_options(&tr, buf, len + 1), len);
	KUNIT_EXPECT_EQ(test, strlen(buf), len);
	KUNIT_EXPECT_TRUE(test, has_word(buf, "print-parent"));
	KUNIT_EXPECT_TRUE(test, has_word(buf, "nosym-offset"));
	/* An instance cannot set the options only the top-level array has */
	KUNIT_EXPECT_FALSE(test, has_word(buf, "trace_printk"));
	KUNIT_EXPECT_FALSE(test, has_word(buf, "norecord-cmd"));

	tr.flags = TRACE_ARRAY_FL_GLOBAL;
	len = trace_kho_options(&tr, NULL, 0);
	buf = kunit_kzalloc(test, len + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	trace_kho_options(&tr, buf, len + 1);
	KUNIT_EXPECT_TRUE(test, has_word(buf, "trace_printk"));
	KUNIT_EXPECT_TRUE(test, has_word(buf, "norecord-cmd"));

	/* Too short: cut, NUL terminated, the whole length told */
	KUNIT_EXPECT_EQ(test, trace_kho_options(&tr, small, sizeof(small)), len);
	KUNIT_EXPECT_EQ(test, strlen(small), sizeof(small) - 1);
}

static void blob_str_test(struct kunit *test)
{
	size_t fixed = sizeof(struct kho_trace_header) +
		       sizeof(struct kho_trace_instance);
	struct kho_trace_header *hdr;

	hdr = kunit_kzalloc(test, fixed + 8, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, hdr);
	hdr->nr_instances = 1;
	hdr->size = fixed + 8;
	/* "abc", then "defg" that the blob's end cuts */
	memcpy((char *)hdr + fixed, "abc\0defg", 8);

	KUNIT_EXPECT_STREQ(test, trace_kho_blob_str(hdr, 0), "");
	KUNIT_EXPECT_STREQ(test, trace_kho_blob_str(hdr, fixed), "abc");
	KUNIT_EXPECT_STREQ(test, trace_kho_blob_str(hdr, fixed + 3), "");
	KUNIT_EXPECT_NULL(test, trace_kho_blob_str(hdr, fixed + 4));
	KUNIT_EXPECT_NULL(test, trace_kho_blob_str(hdr, sizeof(*hdr)));
	KUNIT_EXPECT_NULL(test, trace_kho_blob_str(hdr, fixed - 1));
	KUNIT_EXPECT_NULL(test, trace_kho_blob_str(hdr, fixed + 8));
	KUNIT_EXPECT_NULL(test, trace_kho_blob_str(hdr, U32_MAX));
}

/* A format hash changes with each field's type, name, offset, size, sign. */
static void format_hash_test(struct kunit *test)
{
	struct trace_event_class class = {
		.fields = LIST_HEAD_INIT(class.fields),
	};
	struct trace_event_call call = { .class = &class };
	struct ftrace_event_field pid = {
		.type = "int", .name = "pid", .offset = 8, .size = 4,
		.is_signed = 1,
	};
	struct ftrace_event_field ts = {
		.type = "u64", .name = "ts", .offset = 16, .size = 8,
	};
	u32 base;

	list_add_tail(&pid.link, &class.fields);
	list_add_tail(&ts.link, &class.fields);
	base = trace_kho_format_hash(&call);
	KUNIT_EXPECT_EQ(test, trace_kho_format_hash(&call), base);

	ts.type = "s64";
	KUNIT_EXPECT_NE_MSG(test, trace_kho_format_hash(&call), base, "type");
	ts.type = "u64";
	ts.name = "tS";
	KUNIT_EXPECT_NE_MSG(test, trace_kho_format_hash(&call), base, "name");
	ts.name = "ts";
	ts.offset = 24;
	KUNIT_EXPECT_NE_MSG(test, trace_kho_format_hash(&call), base, "offset");
	ts.offset = 16;
	ts.size = 4;
	KUNIT_EXPECT_NE_MSG(test, trace_kho_format_hash(&call), base, "size");
	ts.size = 8;
	ts.is_signed = 1;
	KUNIT_EXPECT_NE_MSG(test, trace_kho_format_hash(&call), base, "sign");
	ts.is_signed = 0;
	KUNIT_EXPECT_EQ(test, trace_kho_format_hash(&call), base);
	list_del(&ts.link);
	KUNIT_EXPECT_NE_MSG(test, trace_kho_format_hash(&call), base, "field gone");
}

#define TEST_OPTIONS	"print-parent nosym-offset"

/* A sound ftrace sub-blob: "keep" and the top-level buffer, two events */
struct test_blob {
	struct kho_trace_header hdr;
	struct kho_trace_instance inst[2];
	struct kho_trace_event ev[2];
	char options[sizeof(TEST_OPTIONS)];
};

#define TEST_OPTIONS_AT	offsetof(struct test_blob, options)
#define TEST_BLOB_SIZE	(TEST_OPTIONS_AT + sizeof(TEST_OPTIONS))

static struct test_blob *make_blob(struct kunit *test)
{
	struct test_blob *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, b);
	b->hdr = (struct kho_trace_header) {
		.magic = KHO_TRACE_MAGIC,
		.version = KHO_TRACE_VERSION,
		.size = TEST_BLOB_SIZE,
		.nr_instances = ARRAY_SIZE(b->inst),
		.nr_events = ARRAY_SIZE(b->ev),
		.nr_cpu_ids = nr_cpu_ids,
		.page_size = PAGE_SIZE,
		.common_hash = trace_kho_common_hash(),
	};
	strscpy(b->inst[0].name, "keep");
	b->inst[0].range_size = 2 * PAGE_SIZE;
	b->inst[0].mem.total_pages = 2;
	b->inst[0].flags = KHO_TRACE_TRACING_ON;
	b->inst[0].options = TEST_OPTIONS_AT;
	strscpy(b->inst[1].name, KHO_TRACE_GLOBAL_NAME);
	b->inst[1].range_size = PAGE_SIZE;
	b->inst[1].mem.total_pages = 1;
	b->inst[1].flags = KHO_TRACE_GLOBAL;
	set_old(&b->ev[0], 5, "ftrace", "print", 0);
	b->ev[0].enabled = BIT_ULL(0) | BIT_ULL(1);
	set_old(&b->ev[1], U16_MAX, "sched", "sched_switch", 0);
	b->ev[1].enabled = BIT_ULL(0);
	strscpy(b->options, TEST_OPTIONS);
	return b;
}

/* A sound blob is copied whole; the copy does not change with the blob. */
static void parse_sound_test(struct kunit *test)
{
	struct test_blob *b = make_blob(test);
	struct kho_trace_header *copy;
	const char *why = "unset";

	copy = trace_kho_blob_parse(b, TEST_BLOB_SIZE, &why);
	KUNIT_ASSERT_NOT_NULL_MSG(test, copy, "refused: %s", why);
	KUNIT_EXPECT_NULL(test, why);
	KUNIT_EXPECT_PTR_NE(test, (void *)copy, (void *)b);
	KUNIT_EXPECT_MEMEQ(test, (void *)copy, (void *)b, TEST_BLOB_SIZE);

	/* What the handover holds now does not reach the copy */
	b->hdr.nr_events = U32_MAX;
	b->inst[0].range_size = U64_MAX;
	b->inst[0].options = 1;
	KUNIT_EXPECT_EQ(test, copy->nr_events, 2);
	KUNIT_EXPECT_STREQ(test, TEST_OPTIONS,
			   trace_kho_blob_str(copy, TEST_OPTIONS_AT));
	KUNIT_EXPECT_EQ(test, ((struct test_blob *)copy)->inst[0].range_size,
			2 * PAGE_SIZE);
	kvfree(copy);

	/* Its sub-blob may be larger than the blob */
	b = make_blob(test);
	copy = trace_kho_blob_parse(b, sizeof(*b), &why);
	KUNIT_EXPECT_NOT_NULL_MSG(test, copy, "refused: %s", why);
	kvfree(copy);
}

/*
 * A boot loader's setup: instances without pages, whose buffers the kernel
 * allocates, up to a quarter of RAM.
 */
static void parse_setup_only_test(struct kunit *test)
{
	struct test_blob *b = make_blob(test);
	struct kho_trace_header *copy;
	const char *why = "unset";

	memset(&b->inst[0].mem, 0, sizeof(b->inst[0].mem));
	/* A quarter of RAM, in whole pages as every range is */
	b->inst[0].range_size = ALIGN_DOWN((u64)totalram_pages() << (PAGE_SHIFT - 2),
					   PAGE_SIZE);
	memset(&b->inst[1].mem, 0, sizeof(b->inst[1].mem));
	copy = trace_kho_blob_parse(b, TEST_BLOB_SIZE, &why);
	KUNIT_EXPECT_NOT_NULL_MSG(test, copy, "refused: %s", why);
	KUNIT_EXPECT_NULL(test, why);
	kvfree(copy);
}

/* A malformed blob: how it is damaged, and why it must be refused */
struct bad_blob {
	const char *desc;
	void (*damage)(struct test_blob *b, size_t *size);
	const char *why;
};

static void damage_short(struct test_blob *b, size_t *size)
{
	*size = sizeof(b->hdr) - 1;
}

static void damage_magic(struct test_blob *b, size_t *size)
{
	b->hdr.magic ^= 1;
}

static void damage_version(struct test_blob *b, size_t *size)
{
	b->hdr.version++;
}

static void damage_huge_events(struct test_blob *b, size_t *size)
{
	b->hdr.nr_events = U32_MAX;
}

static void damage_many_events(struct test_blob *b, size_t *size)
{
	b->hdr.nr_events = U16_MAX + 2;
}

static void damage_huge_instances(struct test_blob *b, size_t *size)
{
	b->hdr.nr_instances = U32_MAX;
}

static void damage_events_past_blob(struct test_blob *b, size_t *size)
{
	b->hdr.nr_events = 3;
}

static void damage_blob_past_sub_blob(struct test_blob *b, size_t *size)
{
	*size = b->hdr.size - 1;
}

static void damage_huge_blob(struct test_blob *b, size_t *size)
{
	b->hdr.size = U32_MAX;
	*size = SIZE_MAX;
}

static void damage_cpus(struct test_blob *b, size_t *size)
{
	b->hdr.nr_cpu_ids++;
}

static void damage_page_size(struct test_blob *b, size_t *size)
{
	b->hdr.page_size *= 2;
}

static void damage_name_unterminated(struct test_blob *b, size_t *size)
{
	memset(b->inst[0].name, 'k', sizeof(b->inst[0].name));
}

static void damage_name_empty(struct test_blob *b, size_t *size)
{
	b->inst[0].name[0] = '\0';
}

static void damage_name_twice(struct test_blob *b, size_t *size)
{
	strscpy(b->inst[1].name, "keep");
	b->inst[1].flags = 0;
}

static void damage_flags(struct test_blob *b, size_t *size)
{
	b->inst[0].flags |= 0x100;
}

static void damage_global_renamed(struct test_blob *b, size_t *size)
{
	strscpy(b->inst[1].name, "top");
}

static void damage_two_globals(struct test_blob *b, size_t *size)
{
	b->inst[0].flags |= KHO_TRACE_GLOBAL;
}

static void damage_range_past_memory(struct test_blob *b, size_t *size)
{
	b->inst[0].range_size += PAGE_SIZE;
}

static void damage_range_unaligned(struct test_blob *b, size_t *size)
{
	b->inst[0].range_size--;
}

static void damage_range_empty(struct test_blob *b, size_t *size)
{
	b->inst[1].range_size = 0;
}

static void damage_setup_names_memory(struct test_blob *b, size_t *size)
{
	b->inst[0].mem.total_pages = 0;
	b->inst[0].mem.first.phys = PAGE_SIZE;
}

static void damage_setup_too_large(struct test_blob *b, size_t *size)
{
	b->inst[0].mem.total_pages = 0;
	b->inst[0].range_size = PAGE_ALIGN((u64)totalram_pages() << (PAGE_SHIFT - 1));
}

static void damage_memory_past_ram(struct test_blob *b, size_t *size)
{
	b->inst[0].mem.total_pages = U32_MAX;
}

static void damage_options_in_events(struct test_blob *b, size_t *size)
{
	b->inst[0].options = offsetof(struct test_blob, ev[1].name);
}

static void damage_options_in_header(struct test_blob *b, size_t *size)
{
	b->inst[0].options = 4;
}

static void damage_options_past_blob(struct test_blob *b, size_t *size)
{
	b->inst[0].options = b->hdr.size;
}

static void damage_options_cut(struct test_blob *b, size_t *size)
{
	b->options[sizeof(TEST_OPTIONS) - 1] = 'x';
}

static void damage_event_id(struct test_blob *b, size_t *size)
{
	b->ev[1].id = U16_MAX + 1;
}

static void damage_event_system(struct test_blob *b, size_t *size)
{
	memset(b->ev[0].system, 's', sizeof(b->ev[0].system));
}

static void damage_event_name(struct test_blob *b, size_t *size)
{
	memset(b->ev[1].name, 'n', sizeof(b->ev[1].name));
}

static void damage_event_enabled(struct test_blob *b, size_t *size)
{
	b->ev[1].enabled |= BIT_ULL(2);
}

#define BAD(what, reason) { #what, damage_##what, reason }

static const struct bad_blob bad_blobs[] = {
	BAD(short, "blob shorter than its header"),
	BAD(magic, "bad magic"),
	BAD(version, "unknown version"),
	BAD(huge_events, "too many events"),
	BAD(many_events, "too many events"),
	BAD(huge_instances, "too many instances"),
	BAD(events_past_blob, "tables larger than the blob"),
	BAD(blob_past_sub_blob, "blob larger than its sub-blob"),
	BAD(huge_blob, "string area too large"),
	BAD(cpus, "another number of CPUs"),
	BAD(page_size, "another page size"),
	BAD(name_unterminated, "instance with a bad name"),
	BAD(name_empty, "instance with a bad name"),
	BAD(name_twice, "instance named twice"),
	BAD(flags, "instance with unknown flags"),
	BAD(global_renamed, "top-level buffer not named global"),
	BAD(two_globals, "top-level buffer not named global"),
	BAD(range_past_memory, "instance range not in its memory"),
	BAD(range_unaligned, "instance range not in its memory"),
	BAD(range_empty, "instance range not in its memory"),
	BAD(setup_names_memory, "instance without pages names memory"),
	BAD(setup_too_large, "instance buffer larger than a quarter of RAM"),
	BAD(memory_past_ram, "instance memory larger than RAM"),
	BAD(options_in_events, "trace options out of the string area"),
	BAD(options_in_header, "trace options out of the string area"),
	BAD(options_past_blob, "trace options out of the string area"),
	BAD(options_cut, "trace options out of the string area"),
	BAD(event_id, "event ID out of range"),
	BAD(event_system, "event with a bad name"),
	BAD(event_name, "event with a bad name"),
	BAD(event_enabled, "event enabled in a missing instance"),
};

KUNIT_ARRAY_PARAM_DESC(bad_blob, bad_blobs, desc);

/* A malformed blob is refused whole, with the reason the log gives. */
static void parse_malformed_test(struct kunit *test)
{
	const struct bad_blob *bad = test->param_value;
	struct test_blob *b = make_blob(test);
	size_t size = TEST_BLOB_SIZE;
	struct kho_trace_header *copy;
	const char *why = NULL;

	bad->damage(b, &size);
	copy = trace_kho_blob_parse(b, size, &why);
	KUNIT_EXPECT_NULL(test, copy);
	kvfree(copy);
	KUNIT_ASSERT_NOT_NULL(test, why);
	KUNIT_EXPECT_STREQ(test, why, bad->why);
}

#ifdef CONFIG_KEXEC_HANDOVER_FUZZ_TEST
#define FUZZ_SEED	0x6b686f2d74726331ULL
#define FUZZ_GROW	256

/* What an accepted copy of @in must be; the first thing it is not, or NULL */
static const char *fuzz_wrong(const struct kho_trace_header *copy,
			      const void *in, size_t len)
{
	const struct kho_trace_instance *inst = (const void *)(copy + 1);
	const char *opt;
	unsigned int i;

	if (copy->size > len || memcmp(copy, in, copy->size))
		return "the copy is not the blob";
	for (i = 0; i < copy->nr_instances; i++) {
		if (!memchr(inst[i].name, '\0', sizeof(inst[i].name)))
			return "an instance name is not terminated";
		if (!inst[i].options)
			continue;
		opt = trace_kho_blob_str(copy, inst[i].options);
		if (!opt || opt + strlen(opt) >= (const char *)copy + copy->size)
			return "trace options are outside the blob";
	}
	return NULL;
}

/* Mutated sound blobs: refused with a reason, or copied whole and sound */
static void parse_fuzz_test(struct kunit *test)
{
	struct test_blob *seed = make_blob(test);
	struct kho_trace_header *copy;
	const char *why, *wrong;
	struct kho_fuzz f;
	size_t len;
	void *in;

	kho_fuzz_begin(&f, test, FUZZ_SEED);
	while (kho_fuzz_next(&f)) {
		len = TEST_BLOB_SIZE;
		in = kho_fuzz_input(&f, seed, &len, TEST_BLOB_SIZE + FUZZ_GROW);
		why = NULL;
		copy = trace_kho_blob_parse(in, len, &why);
		if (copy) {
			f.accepted++;
			KUNIT_EXPECT_NULL(test, why);
			wrong = fuzz_wrong(copy, in, len);
			KUNIT_EXPECT_NULL_MSG(test, wrong,
					      "input %lu accepted but %s",
					      f.nr, wrong);
			kvfree(copy);
		} else {
			KUNIT_EXPECT_NOT_NULL(test, why);
		}
		kfree(in);
	}
	kho_fuzz_end(&f);
}
#endif /* CONFIG_KEXEC_HANDOVER_FUZZ_TEST */

static struct kunit_case trace_kho_cases[] = {
	KUNIT_CASE(map_identity_test),
	KUNIT_CASE(map_by_name_test),
	KUNIT_CASE(map_common_changed_test),
	KUNIT_CASE(translate_test),
	KUNIT_CASE(raw_unknown_test),
	KUNIT_CASE(raw_changed_test),
	KUNIT_CASE(raw_missing_test),
	KUNIT_CASE(options_test),
	KUNIT_CASE(blob_str_test),
	KUNIT_CASE(format_hash_test),
	KUNIT_CASE(parse_sound_test),
	KUNIT_CASE(parse_setup_only_test),
	KUNIT_CASE_PARAM(parse_malformed_test, bad_blob_gen_params),
#ifdef CONFIG_KEXEC_HANDOVER_FUZZ_TEST
	KUNIT_CASE_SLOW(parse_fuzz_test),
#endif
	{}
};

static struct kunit_suite trace_kho_suite = {
	.name = "trace_kho",
	.test_cases = trace_kho_cases,
};

kunit_test_suite(trace_kho_suite);

MODULE_DESCRIPTION("KUnit tests of trace instances across kexec handover");
MODULE_LICENSE("GPL");
