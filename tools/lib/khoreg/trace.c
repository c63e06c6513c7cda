// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libkhoreg: the "ftrace" sub-blob (include/linux/kho/abi/trace.h), read
 * into a trace setup and written from one. Only a setup is ever written
 * (instances with no pages, as a boot loader hands them over); reading
 * takes any blob and refuses one whose counts, offsets or strings do not
 * fit its size.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kho/abi/trace.h>

#include "internal.h"

struct khoreg_trace_instance {
	char name[KHO_TRACE_NAME_LEN];
	uint64_t size;
	uint32_t flags;
	bool has_pages;
	char *options;
};

struct khoreg_trace_event {
	char system[KHO_TRACE_SYSTEM_LEN];
	char name[KHO_TRACE_EVENT_LEN];
	uint64_t enabled;
};

struct khoreg_trace {
	uint32_t nr_cpu_ids;
	uint32_t page_size;
	size_t nr_instances;
	size_t nr_events;
	size_t cap_events;
	struct khoreg_trace_instance inst[KHO_TRACE_MAX_INSTANCES];
	struct khoreg_trace_event *events;
};

/* Copy @len bytes of a fixed-size string field; it must hold its NUL. */
static int copy_name(char *dst, const char *src, size_t len, bool may_be_empty)
{
	size_t n = strnlen(src, len);

	if (n == len || (!n && !may_be_empty))
		return -1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

static int parse_fail(struct khoreg_trace *t, const char *what)
{
	khoreg_trace__free(t);
	return kr_err(-EBADMSG, "%s", what);
}

KHOREG_API int khoreg_trace__parse(const void *data, size_t len,
				   struct khoreg_trace **out)
{
	const uint8_t *p = data;
	struct kho_trace_header hdr;
	struct khoreg_trace *t;
	size_t i, strings;

	*out = NULL;
	if (!data || len < sizeof(hdr))
		return kr_err(-EBADMSG, "shorter than its header");
	memcpy(&hdr, p, sizeof(hdr));
	if (hdr.magic != KHO_TRACE_MAGIC)
		return kr_err(-EBADMSG, "bad magic 0x%08x",
			      hdr.magic);
	if (hdr.version != KHO_TRACE_VERSION)
		return kr_err(-EBADMSG, "version %u, not %u",
			      hdr.version, KHO_TRACE_VERSION);
	if (hdr.size > len || hdr.size < sizeof(hdr))
		return kr_err(-EBADMSG, "size %u, blob is %zu bytes",
			      hdr.size, len);
	if (hdr.nr_instances > KHO_TRACE_MAX_INSTANCES)
		return kr_err(-EBADMSG, "%u instances, at most %u",
			      hdr.nr_instances, KHO_TRACE_MAX_INSTANCES);
	/* Both counts are bounded by the size: no product overflows. */
	strings = sizeof(hdr) + (size_t)hdr.nr_instances *
		  sizeof(struct kho_trace_instance);
	if (hdr.nr_events > hdr.size / sizeof(struct kho_trace_event) ||
	    strings + (size_t)hdr.nr_events * sizeof(struct kho_trace_event) >
	    hdr.size)
		return kr_err(-EBADMSG, "%u instances and %u events do not fit in %u bytes",
			      hdr.nr_instances, hdr.nr_events, hdr.size);
	strings += (size_t)hdr.nr_events * sizeof(struct kho_trace_event);

	t = kr_calloc(1, sizeof(*t));
	if (!t)
		return kr_err(-ENOMEM, "out of memory");
	t->nr_cpu_ids = hdr.nr_cpu_ids;
	t->page_size = hdr.page_size;
	t->nr_instances = hdr.nr_instances;
	for (i = 0; i < t->nr_instances; i++) {
		static const struct kho_vmalloc no_pages;
		struct kho_trace_instance wi;
		struct khoreg_trace_instance *ti = &t->inst[i];
		size_t end;

		memcpy(&wi, p + sizeof(hdr) + i * sizeof(wi), sizeof(wi));
		if (copy_name(ti->name, wi.name, sizeof(wi.name), false))
			return parse_fail(t, "an instance name is empty or not terminated");
		ti->size = wi.range_size;
		ti->flags = wi.flags;
		ti->has_pages = memcmp(&wi.mem, &no_pages, sizeof(no_pages));
		if (!wi.options)
			continue;
		if (wi.options < strings || wi.options >= hdr.size)
			return parse_fail(t, "options outside the string area");
		end = wi.options;
		while (end < hdr.size && p[end])
			end++;
		if (end == hdr.size)
			return parse_fail(t, "options not terminated");
		ti->options = kr_strndup((const char *)p + wi.options,
					 end - wi.options);
		if (!ti->options) {
			khoreg_trace__free(t);
			return kr_err(-ENOMEM, "out of memory");
		}
	}
	t->nr_events = hdr.nr_events;
	t->events = kr_calloc(t->nr_events ? t->nr_events : 1,
			      sizeof(*t->events));
	if (!t->events) {
		khoreg_trace__free(t);
		return kr_err(-ENOMEM, "out of memory");
	}
	for (i = 0; i < t->nr_events; i++) {
		struct kho_trace_event we;

		memcpy(&we, p + sizeof(hdr) + t->nr_instances *
		       sizeof(struct kho_trace_instance) + i * sizeof(we),
		       sizeof(we));
		if (copy_name(t->events[i].system, we.system, sizeof(we.system),
			      false) ||
		    copy_name(t->events[i].name, we.name, sizeof(we.name), false))
			return parse_fail(t, "an event name is empty or not terminated");
		t->events[i].enabled = we.enabled;
	}
	*out = t;
	return 0;
}

KHOREG_API void khoreg_trace__free(struct khoreg_trace *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nr_instances; i++)
		free(t->inst[i].options);
	free(t->events);
	free(t);
}

KHOREG_API uint32_t khoreg_trace__nr_cpu_ids(const struct khoreg_trace *t)
{
	return t->nr_cpu_ids;
}

KHOREG_API uint32_t khoreg_trace__page_size(const struct khoreg_trace *t)
{
	return t->page_size;
}

KHOREG_API size_t khoreg_trace__nr_instances(const struct khoreg_trace *t)
{
	return t->nr_instances;
}

KHOREG_API const struct khoreg_trace_instance *
khoreg_trace__instance(const struct khoreg_trace *t, size_t idx)
{
	return idx < t->nr_instances ? &t->inst[idx] : NULL;
}

KHOREG_API size_t khoreg_trace__nr_events(const struct khoreg_trace *t)
{
	return t->nr_events;
}

KHOREG_API const struct khoreg_trace_event *
khoreg_trace__event(const struct khoreg_trace *t, size_t idx)
{
	return idx < t->nr_events ? &t->events[idx] : NULL;
}

KHOREG_API const char *
khoreg_trace_instance__name(const struct khoreg_trace_instance *i)
{
	return i->name;
}

KHOREG_API uint64_t
khoreg_trace_instance__size(const struct khoreg_trace_instance *i)
{
	return i->size;
}

KHOREG_API bool
khoreg_trace_instance__has_pages(const struct khoreg_trace_instance *i)
{
	return i->has_pages;
}

KHOREG_API bool
khoreg_trace_instance__tracing_on(const struct khoreg_trace_instance *i)
{
	return i->flags & KHO_TRACE_TRACING_ON;
}

KHOREG_API bool
khoreg_trace_instance__global(const struct khoreg_trace_instance *i)
{
	return i->flags & KHO_TRACE_GLOBAL;
}

KHOREG_API const char *
khoreg_trace_instance__options(const struct khoreg_trace_instance *i)
{
	return i->options ? i->options : "";
}

KHOREG_API const char *
khoreg_trace_event__system(const struct khoreg_trace_event *e)
{
	return e->system;
}

KHOREG_API const char *
khoreg_trace_event__name(const struct khoreg_trace_event *e)
{
	return e->name;
}

KHOREG_API bool
khoreg_trace_event__enabled_in(const struct khoreg_trace_event *e,
			       size_t instance)
{
	return instance < 64 && (e->enabled >> instance) & 1;
}

/* ---- writing a setup ---- */

/**
 * kr_trace_new() - an empty trace setup, to be filled by kr_trace_add_*()
 * @nr_cpu_ids: the incoming kernel's nr_cpu_ids
 * @page_size: its page size
 *
 * Return: the setup, or NULL (error set) when out of memory.
 */
struct khoreg_trace *kr_trace_new(uint32_t nr_cpu_ids, uint32_t page_size)
{
	struct khoreg_trace *t = kr_calloc(1, sizeof(*t));

	if (!t) {
		kr_err(-ENOMEM, "out of memory");
		return NULL;
	}
	t->nr_cpu_ids = nr_cpu_ids;
	t->page_size = page_size;
	return t;
}

/*
 * kr_trace_add_instance() - add an instance with no pages; the one named
 * KHO_TRACE_GLOBAL_NAME is the top-level buffer.
 */
int kr_trace_add_instance(struct khoreg_trace *t, const char *name,
			  uint64_t size, bool tracing_on, const char *options)
{
	bool global = !strcmp(name, KHO_TRACE_GLOBAL_NAME);
	struct khoreg_trace_instance *ti;
	size_t i;

	if (t->nr_instances == KHO_TRACE_MAX_INSTANCES)
		return kr_err(-EINVAL, "more than %u trace instances",
			      KHO_TRACE_MAX_INSTANCES);
	if (!*name || strlen(name) >= KHO_TRACE_NAME_LEN || strchr(name, '/'))
		return kr_err(-EINVAL, "trace instance name \"%.70s\": 1 to %u characters, no '/'",
			      name, KHO_TRACE_NAME_LEN - 1);
	if (!size || size % t->page_size)
		return kr_err(-EINVAL, "trace instance \"%s\": size %llu, not a multiple of %u",
			      name, (unsigned long long)size, t->page_size);
	for (i = 0; i < t->nr_instances; i++)
		if (!strcmp(t->inst[i].name, name))
			return kr_err(-EINVAL, "trace instance \"%s\" given twice", name);
	ti = &t->inst[t->nr_instances];
	if (options && *options) {
		ti->options = kr_strndup(options, strlen(options));
		if (!ti->options)
			return kr_err(-ENOMEM, "out of memory");
	}
	snprintf(ti->name, sizeof(ti->name), "%s", name);
	ti->size = size;
	ti->flags = (tracing_on ? KHO_TRACE_TRACING_ON : 0) |
		    (global ? KHO_TRACE_GLOBAL : 0);
	t->nr_instances++;
	return 0;
}

int kr_trace_enable_event(struct khoreg_trace *t, const char *system,
			  const char *name)
{
	size_t i, n = t->nr_instances - 1;
	struct khoreg_trace_event *e;
	void *grown;

	if (!t->nr_instances)
		return kr_err(-EINVAL, "an event needs an instance");
	if (!*system || strlen(system) >= KHO_TRACE_SYSTEM_LEN ||
	    !*name || strlen(name) >= KHO_TRACE_EVENT_LEN)
		return kr_err(-EINVAL, "trace event \"%.40s:%.70s\": system 1-%u, name 1-%u chars",
			      system, name, KHO_TRACE_SYSTEM_LEN - 1,
			      KHO_TRACE_EVENT_LEN - 1);
	for (i = 0; i < t->nr_events; i++) {
		e = &t->events[i];
		if (!strcmp(e->system, system) && !strcmp(e->name, name)) {
			e->enabled |= 1ULL << n;
			return 0;
		}
	}
	grown = kr_grow(t->events, &t->cap_events, t->nr_events + 1, sizeof(*e));
	if (!grown)
		return kr_err(-ENOMEM, "out of memory");
	t->events = grown;
	e = &t->events[t->nr_events++];
	memset(e, 0, sizeof(*e));
	snprintf(e->system, sizeof(e->system), "%s", system);
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->enabled = 1ULL << n;
	return 0;
}

/*
 * kr_trace_encode() - the sub-blob of a setup: header, instances (no
 * pages), events numbered from 0 in the order first enabled (a setup's
 * IDs name no event of any buffer), then the options strings.
 */
int kr_trace_encode(const struct khoreg_trace *t, struct kr_buf *out)
{
	size_t strings = sizeof(struct kho_trace_header) +
			 t->nr_instances * sizeof(struct kho_trace_instance) +
			 t->nr_events * sizeof(struct kho_trace_event);
	struct kho_trace_header hdr = { 0 };
	size_t i, opt = strings;

	for (i = 0; i < t->nr_instances; i++)
		if (t->inst[i].options)
			opt += strlen(t->inst[i].options) + 1;
	if (opt > UINT32_MAX)
		return kr_err(-EINVAL, "ftrace sub-blob above 4 GiB");
	hdr.magic = KHO_TRACE_MAGIC;
	hdr.version = KHO_TRACE_VERSION;
	hdr.size = opt;
	hdr.nr_instances = t->nr_instances;
	hdr.nr_events = t->nr_events;
	hdr.nr_cpu_ids = t->nr_cpu_ids;
	hdr.page_size = t->page_size;
	kr_buf_put(out, &hdr, sizeof(hdr));
	opt = strings;
	for (i = 0; i < t->nr_instances; i++) {
		const struct khoreg_trace_instance *ti = &t->inst[i];
		struct kho_trace_instance wi = { 0 };

		memcpy(wi.name, ti->name, sizeof(wi.name));
		wi.range_size = ti->size;
		wi.flags = ti->flags;
		if (ti->options) {
			wi.options = opt;
			opt += strlen(ti->options) + 1;
		}
		kr_buf_put(out, &wi, sizeof(wi));
	}
	for (i = 0; i < t->nr_events; i++) {
		struct kho_trace_event we = { 0 };

		we.id = i;
		memcpy(we.system, t->events[i].system, sizeof(we.system));
		memcpy(we.name, t->events[i].name, sizeof(we.name));
		we.enabled = t->events[i].enabled;
		kr_buf_put(out, &we, sizeof(we));
	}
	for (i = 0; i < t->nr_instances; i++)
		if (t->inst[i].options)
			kr_buf_put(out, t->inst[i].options,
				   strlen(t->inst[i].options) + 1);
	return out->oom ? kr_err(-ENOMEM, "out of memory") : 0;
}
