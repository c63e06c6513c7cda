// SPDX-License-Identifier: GPL-2.0-only
/*
 * Trace instances whose ring buffers survive a kexec handover (KHO).
 *
 * An instance named on the command line as trace_instance=NAME@kho:SIZE,
 * or created by writing "NAME SIZE" to /sys/kernel/tracing/kho_instances,
 * gets its ring buffer in a vmalloc area preserved with KHO, laid out as
 * 6.12's persistent ring buffer over a memory range (the layout of
 * trace_instance=NAME@ADDR:SIZE, without a reserve_mem= carve-out). With
 * trace_kho_global=SIZE, or when the previous kernel handed it over, the
 * top-level trace array's buffer is such a range too, from its allocation
 * on. When the handover is finalized, the "ftrace" sub-blob lists these
 * buffers, whether they are tracing, their trace options, and every event
 * ID of this kernel with the instances it is enabled in
 * (<linux/kho/abi/trace.h>).
 *
 * The next kernel maps each area again and shows it as the read-only
 * instance NAME-prev; its events are formatted through this kernel's
 * event of the same system, name and format, or shown raw with their old
 * name. Deleting NAME-prev frees the memory. Early in boot, before any
 * initcall, the next kernel also creates NAME again, handed over in turn,
 * with the events that were enabled in it and its trace options, unless
 * its command line creates NAME itself (the top-level array is configured
 * the same way). The ring buffer code checks each CPU's meta data and
 * pages and discards, with a log line, the buffer of a CPU that does not
 * pass.
 */
#define pr_fmt(fmt) "trace_kho: " fmt

#include <linux/bsearch.h>
#include <linux/jhash.h>
#include <linux/kho.h>
#include <linux/sched/clock.h>
#include <linux/seq_buf.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/timex.h>
#include <linux/tracefs.h>
#include <linux/vmalloc.h>

#include "trace.h"
#include "trace_kho.h"
#include "trace_output.h"

/* An instance of this kernel whose buffer is handed over. */
struct trace_kho_out {
	struct list_head list;
	struct trace_array *tr;
	char name[KHO_TRACE_NAME_LEN];
	unsigned long size;
	struct kho_vmalloc mem;
};

/* Nests inside event_mutex and trace_types_lock. */
static DEFINE_MUTEX(trace_kho_lock);
static LIST_HEAD(trace_kho_out_list);
static unsigned int trace_kho_nr_out;
static struct kho_trace_header *trace_kho_blob;

/* The top-level trace array; whether trace_kho_global= chose its buffer */
static struct trace_array *trace_kho_global;
static bool trace_kho_global_cmdline __initdata;

/**
 * trace_kho_common_hash() - format hash of the common event header
 *
 * Return: the hash, as in &struct kho_trace_header.common_hash.
 */
u32 trace_kho_common_hash(void)
{
	return jhash_3words(sizeof(struct trace_entry),
			    offsetof(struct trace_entry, pid),
			    offsetof(struct trace_entry, preempt_count), 0);
}

/**
 * trace_kho_format_hash() - format hash of an event
 * @call: the event; its fields must be defined
 *
 * Return: the hash of every field's type, name, offset, size and
 * signedness, as in &struct kho_trace_event.format_hash.
 */
u32 trace_kho_format_hash(struct trace_event_call *call)
{
	struct ftrace_event_field *field;
	u32 hash = 0;

	list_for_each_entry(field, trace_get_fields(call), link) {
		hash = jhash(field->type, strlen(field->type), hash);
		hash = jhash(field->name, strlen(field->name), hash);
		hash = jhash_3words(field->offset, field->size,
				    field->is_signed, hash);
	}
	return hash;
}

static const char *trace_kho_system(struct trace_event_call *call)
{
	return call->class->system ?: "";
}

/* ---- this kernel: preserve the instances, describe them at finalize ---- */

static void trace_kho_blob_free(void)
{
	if (!trace_kho_blob)
		return;
	kho_remove_subtree(trace_kho_blob);
	kho_unpreserve_free(trace_kho_blob);
	trace_kho_blob = NULL;
}

/* Set bit @idx of @enabled in the table entries of the events on in @tr. */
static void trace_kho_mark_enabled(struct trace_array *tr,
				   struct kho_trace_event *ev, unsigned int nr,
				   unsigned int idx)
{
	struct trace_event_file *file;
	unsigned int i;

	list_for_each_entry(file, &tr->events, list) {
		if (!(file->flags & EVENT_FILE_FL_ENABLED))
			continue;
		for (i = 0; i < nr; i++) {
			if (ev[i].id == file->event_call->event.type) {
				ev[i].enabled |= BIT_ULL(idx);
				break;
			}
		}
	}
}

/**
 * trace_kho_options() - the trace options of an instance, as handed over
 * @tr: the instance
 * @buf: where to write them; may be NULL if @len is 0
 * @len: the size of @buf
 *
 * Writes the core trace options of @tr ("name" or "noname", separated by
 * spaces; for an instance, not those only the top-level array has) as
 * snprintf() does.
 *
 * Return: the length of the whole string, without its NUL.
 */
size_t trace_kho_options(struct trace_array *tr, char *buf, size_t len)
{
	size_t n = 0, at;
	int i;

	for (i = 0; trace_options[i]; i++) {
		if (!(tr->flags & TRACE_ARRAY_FL_GLOBAL) &&
		    BIT(i) & TOP_LEVEL_TRACE_FLAGS)
			continue;
		at = min(n, len);
		n += snprintf(buf + at, len - at, "%s%s%s", n ? " " : "",
			      tr->trace_flags & BIT(i) ? "" : "no",
			      trace_options[i]);
	}
	return n;
}

/*
 * The size of an ftrace blob of the handed-over instance @only, or of all
 * of them when @only is NULL; sets *@nr_inst and *@nr_ev to the number of
 * instances and events it lists. Called with event_mutex, trace_types_lock
 * and trace_kho_lock held, as trace_kho_blob_fill().
 */
static size_t trace_kho_blob_size(struct trace_kho_out *only,
				  unsigned int *nr_inst, unsigned int *nr_ev)
{
	struct trace_event_call *call;
	struct trace_kho_out *out;
	size_t size;

	*nr_inst = only ? 1 : trace_kho_nr_out;
	*nr_ev = 0;
	list_for_each_entry(call, &ftrace_events, list)
		(*nr_ev)++;
	size = sizeof(struct kho_trace_header) +
	       *nr_inst * sizeof(struct kho_trace_instance) +
	       *nr_ev * sizeof(struct kho_trace_event);
	list_for_each_entry(out, &trace_kho_out_list, list)
		if (!only || out == only)
			size += trace_kho_options(out->tr, NULL, 0) + 1;
	return size;
}

/*
 * Write the ftrace blob that trace_kho_blob_size() sized into @hdr, zeroed
 * and @size bytes long. The instance @only, when given, is listed alone
 * and without its memory (the trace store carries its range itself).
 */
static void trace_kho_blob_fill(struct kho_trace_header *hdr, size_t size,
				unsigned int nr_inst, unsigned int nr_ev,
				struct trace_kho_out *only)
{
	struct kho_trace_instance *inst, *first;
	struct trace_event_call *call;
	struct kho_trace_event *ev;
	struct trace_kho_out *out;
	size_t strings;
	char *str;

	strings = sizeof(*hdr) + nr_inst * sizeof(*inst) + nr_ev * sizeof(*ev);
	*hdr = (struct kho_trace_header) {
		.magic = KHO_TRACE_MAGIC,
		.version = KHO_TRACE_VERSION,
		.size = size,
		.nr_instances = nr_inst,
		.nr_events = nr_ev,
		.nr_cpu_ids = nr_cpu_ids,
		.page_size = PAGE_SIZE,
		.common_hash = trace_kho_common_hash(),
	};
	first = (void *)(hdr + 1);
	inst = first;
	ev = (void *)(inst + nr_inst);
	list_for_each_entry(call, &ftrace_events, list) {
		ev->id = call->event.type;
		ev->format_hash = trace_kho_format_hash(call);
		strscpy(ev->system, trace_kho_system(call));
		strscpy(ev->name, trace_event_name(call));
		ev++;
	}
	ev = (void *)(inst + nr_inst);
	str = (char *)hdr + strings;
	list_for_each_entry(out, &trace_kho_out_list, list) {
		if (only && out != only)
			continue;
		strscpy(inst->name, out->name);
		inst->range_size = out->size;
		if (!only)
			inst->mem = out->mem;
		if (tracer_tracing_is_on(out->tr))
			inst->flags |= KHO_TRACE_TRACING_ON;
		if (out->tr == trace_kho_global)
			inst->flags |= KHO_TRACE_GLOBAL;
		inst->options = str - (char *)hdr;
		str += trace_kho_options(out->tr, str, (char *)hdr + size - str) + 1;
		trace_kho_mark_enabled(out->tr, ev, nr_ev, inst - first);
		inst++;
	}
}

static int trace_kho_prepare(struct kho_hook *hook, char *reason, size_t len)
{
	struct kho_trace_header *hdr;
	u64 start = local_clock();
	unsigned int nr_inst, nr_ev;
	size_t size;
	int err;

	guard(mutex)(&event_mutex);
	guard(mutex)(&trace_types_lock);
	guard(mutex)(&trace_kho_lock);
	if (!trace_kho_nr_out)
		return 0;
	size = trace_kho_blob_size(NULL, &nr_inst, &nr_ev);
	hdr = kho_alloc_preserve(size);
	if (IS_ERR(hdr)) {
		snprintf(reason, len, "cannot allocate %zu bytes", size);
		return PTR_ERR(hdr);
	}
	trace_kho_blob_fill(hdr, size, nr_inst, nr_ev, NULL);

	err = kho_add_subtree(KHO_TRACE_BLOB_NAME, hdr, size);
	if (err) {
		snprintf(reason, len, "cannot add the %s sub-blob",
			 KHO_TRACE_BLOB_NAME);
		kho_unpreserve_free(hdr);
		return err;
	}
	trace_kho_blob = hdr;
	pr_info("%s sub-blob: %u instance(s), %u event(s), %zu bytes (%llu us)\n",
		KHO_TRACE_BLOB_NAME, nr_inst, nr_ev, size,
		div_u64(local_clock() - start, NSEC_PER_USEC));
	return 0;
}

/**
 * trace_kho_store_blob() - describe a handed-over instance for the store
 * @name: the instance
 * @size: set to the size of the blob
 * @range: set to the instance's ring buffer range
 * @range_size: set to the size of @range
 *
 * Describes the instance alone, in an ftrace blob without its memory: its
 * size, options, enabled events and every event ID of this kernel, padded
 * with zeros to whole 8-byte words; then turns tracing off in it, so that
 * its range no longer changes.
 *
 * Return: the blob, to be kvfree()d; ERR_PTR(-ENOENT) if no handed-over
 * instance is named @name, ERR_PTR(-ENOMEM).
 */
struct kho_trace_header *trace_kho_store_blob(const char *name, size_t *size,
					      void **range,
					      unsigned long *range_size)
{
	struct trace_kho_out *out, *found = NULL;
	struct kho_trace_header *hdr;
	unsigned int nr_inst, nr_ev;

	guard(mutex)(&event_mutex);
	guard(mutex)(&trace_types_lock);
	guard(mutex)(&trace_kho_lock);
	list_for_each_entry(out, &trace_kho_out_list, list)
		if (!strcmp(out->name, name))
			found = out;
	if (!found)
		return ERR_PTR(-ENOENT);
	/*
	 * Whole 8-byte words, so that the range that follows it on flash
	 * starts a bus word of its own: QEMU's pflash programs a word as it
	 * is written, where NOR flash only clears bits.
	 */
	*size = ALIGN(trace_kho_blob_size(found, &nr_inst, &nr_ev), 8);
	hdr = kvzalloc(*size, GFP_KERNEL);
	if (!hdr)
		return ERR_PTR(-ENOMEM);
	trace_kho_blob_fill(hdr, *size, nr_inst, nr_ev, found);
	tracer_tracing_off(found->tr);
	*range = (void *)found->tr->range_addr_start;
	*range_size = found->size;
	return hdr;
}

static void trace_kho_abort(struct kho_hook *hook)
{
	guard(mutex)(&trace_kho_lock);
	trace_kho_blob_free();
}

static struct kho_hook trace_kho_hook = {
	.name = "ftrace",
	.prepare = trace_kho_prepare,
	.abort = trace_kho_abort,
};

/*
 * Allocate a buffer range of @size bytes for @name and preserve it; NULL
 * on failure, with *@err set.
 */
static struct trace_kho_out *trace_kho_out_alloc(const char *name,
						 unsigned long size,
						 void **range, int *err)
{
	struct trace_kho_out *out;

	*err = -EOPNOTSUPP;
	if (!kho_is_enabled())
		return NULL;
	*err = -ENOMEM;
	out = kzalloc(sizeof(*out), GFP_KERNEL);
	if (!out)
		return NULL;
	out->size = PAGE_ALIGN(size);
	*err = -EINVAL;
	if (!out->size || strscpy(out->name, name) < 0)
		goto free;
	mutex_lock(&trace_kho_lock);
	*err = trace_kho_nr_out < KHO_TRACE_MAX_INSTANCES ? 0 : -ENOSPC;
	mutex_unlock(&trace_kho_lock);
	if (*err)
		goto free;
	*err = -ENOMEM;
	*range = vzalloc(out->size);
	if (!*range)
		goto free;
	*err = kho_preserve_vmalloc(*range, &out->mem);
	if (!*err)
		return out;
	vfree(*range);
free:
	kfree(out);
	return NULL;
}

static void trace_kho_out_add(struct trace_kho_out *out, struct trace_array *tr,
			      u64 start)
{
	out->tr = tr;
	guard(mutex)(&trace_kho_lock);
	list_add_tail(&out->list, &trace_kho_out_list);
	trace_kho_nr_out++;
	pr_info("%s %s: %lu KiB ring buffer handed over at kexec (%llu us)\n",
		tr == trace_kho_global ? "top-level buffer" : "instance",
		out->name, out->size >> 10,
		div_u64(local_clock() - start, NSEC_PER_USEC));
}

/*
 * Create instance @name on a handed-over buffer of @size bytes, as a boot
 * instance: it cannot be deleted, so the set handed over only grows.
 * Called with event_mutex and trace_types_lock held once tracefs is up.
 */
static struct trace_array *trace_kho_create_size(const char *name,
						 unsigned long size)
{
	u64 start = local_clock();
	struct trace_kho_out *out;
	struct trace_array *tr;
	void *range;
	int err;

	if (!strcmp(name, KHO_TRACE_GLOBAL_NAME))
		return ERR_PTR(-EINVAL);
	out = trace_kho_out_alloc(name, size, &range, &err);
	if (!out)
		return ERR_PTR(err);
	tr = trace_array_create_systems(name, NULL, (unsigned long)range,
					out->size);
	if (IS_ERR(tr)) {
		kho_unpreserve_vmalloc(&out->mem);
		vfree(range);
		kfree(out);
		return tr;
	}
	tr->flags |= TRACE_ARRAY_FL_BOOT;
	tr->ref++;
	trace_kho_out_add(out, tr, start);
	return tr;
}

/**
 * trace_kho_create() - create an instance whose buffer is handed over
 * @name: the instance name
 * @size: the size of its ring buffer range, for memparse()
 *
 * Called at boot for trace_instance=NAME@kho:SIZE. The instance is a boot
 * instance: it cannot be deleted.
 *
 * Return: the instance, or an ERR_PTR.
 */
struct trace_array *trace_kho_create(const char *name, const char *size)
{
	unsigned long bytes;
	char *end;

	bytes = memparse(size, &end);
	if (*end)
		return ERR_PTR(-EINVAL);
	return trace_kho_create_size(name, bytes);
}

/* ---- the next kernel: map the event IDs, restore the instances ---- */

static int trace_kho_event_cmp(const void *a, const void *b)
{
	const struct trace_kho_event *x = a, *y = b;

	return (int)x->old_id - (int)y->old_id;
}

/**
 * trace_kho_map_build() - map the previous kernel's event IDs to ours
 * @old: the previous kernel's event table
 * @nr: its number of entries
 * @common_hash: the previous kernel's common header hash
 *
 * An old event maps to the event of this kernel with the same system and
 * name when both the common header and the event's fields have the same
 * format hash; otherwise it does not map and is shown raw. Takes
 * event_mutex.
 *
 * Return: the map, sorted by old ID, to be kvfree()d; NULL without memory.
 */
struct trace_kho_map *trace_kho_map_build(const struct kho_trace_event *old,
					  unsigned int nr, u32 common_hash)
{
	bool common_ok = common_hash == trace_kho_common_hash();
	struct trace_event_call *call;
	struct trace_kho_map *map;
	unsigned int i;

	map = kvzalloc(struct_size(map, events, nr), GFP_KERNEL);
	if (!map)
		return NULL;
	map->nr = nr;

	guard(mutex)(&event_mutex);
	for (i = 0; i < nr; i++) {
		struct trace_kho_event *ev = &map->events[i];

		ev->old_id = old[i].id;
		strscpy(ev->system, old[i].system);
		strscpy(ev->name, old[i].name);
		list_for_each_entry(call, &ftrace_events, list) {
			if (strcmp(trace_kho_system(call), ev->system) ||
			    strcmp(trace_event_name(call), ev->name))
				continue;
			if (common_ok &&
			    trace_kho_format_hash(call) == old[i].format_hash)
				ev->new_id = call->event.type;
			else
				ev->format_changed = true;
			break;
		}
	}
	sort(map->events, nr, sizeof(map->events[0]), trace_kho_event_cmp, NULL);
	return map;
}

/**
 * trace_kho_map_find() - look an old event ID up
 * @map: the map
 * @old_id: the ID in the previous kernel
 *
 * Return: its entry, or NULL if the previous kernel had no such ID.
 */
const struct trace_kho_event *trace_kho_map_find(const struct trace_kho_map *map,
						 u16 old_id)
{
	struct trace_kho_event key = { .old_id = old_id };

	return bsearch(&key, map->events, map->nr, sizeof(map->events[0]),
		       trace_kho_event_cmp);
}

/*
 * Bounds on what the previous kernel may hand over: event IDs are the u16
 * type of struct trace_entry, and an instance's trace options take a few
 * hundred bytes.
 */
#define TRACE_KHO_MAX_EVENTS		(U16_MAX + 1)
#define TRACE_KHO_MAX_OPTIONS_LEN	4096

/* Check the header the previous kernel wrote, before the blob is copied. */
static const char *trace_kho_header_check(const struct kho_trace_header *hdr,
					  size_t size)
{
	u64 want;

	if (hdr->magic != KHO_TRACE_MAGIC)
		return "bad magic";
	if (hdr->version != KHO_TRACE_VERSION)
		return "unknown version";
	if (hdr->nr_instances > KHO_TRACE_MAX_INSTANCES)
		return "too many instances";
	if (hdr->nr_events > TRACE_KHO_MAX_EVENTS)
		return "too many events";
	want = sizeof(*hdr) +
	       (u64)hdr->nr_instances * sizeof(struct kho_trace_instance) +
	       (u64)hdr->nr_events * sizeof(struct kho_trace_event);
	if (hdr->size < want)
		return "tables larger than the blob";
	if (hdr->size > size)
		return "blob larger than its sub-blob";
	if (hdr->size - want > (u64)hdr->nr_instances * TRACE_KHO_MAX_OPTIONS_LEN)
		return "string area too large";
	if (hdr->nr_cpu_ids != nr_cpu_ids)
		return "another number of CPUs";
	if (hdr->page_size != PAGE_SIZE)
		return "another page size";
	return NULL;
}

/* Check instance @idx of the copy @hdr; NULL if it is sound. */
static const char *trace_kho_instance_check(const struct kho_trace_header *hdr,
					    unsigned int idx)
{
	const struct kho_trace_instance *inst = (const void *)(hdr + 1);
	const struct kho_trace_instance *in = &inst[idx];
	bool global = !strcmp(in->name, KHO_TRACE_GLOBAL_NAME);
	unsigned int i;

	if (!memchr(in->name, '\0', sizeof(in->name)) || !in->name[0])
		return "instance with a bad name";
	for (i = 0; i < idx; i++)
		if (!strcmp(inst[i].name, in->name))
			return "instance named twice";
	if (in->flags & ~(KHO_TRACE_TRACING_ON | KHO_TRACE_GLOBAL))
		return "instance with unknown flags";
	if (global != !!(in->flags & KHO_TRACE_GLOBAL))
		return "top-level buffer not named " KHO_TRACE_GLOBAL_NAME;
	if (!in->range_size || !PAGE_ALIGNED(in->range_size))
		return "instance range not in its memory";
	if (!in->mem.total_pages) {
		/* A setup without a buffer, as a boot loader hands over */
		if (in->mem.first.phys || in->mem.flags || in->mem.order)
			return "instance without pages names memory";
		if (in->range_size > (u64)totalram_pages() << (PAGE_SHIFT - 2))
			return "instance buffer larger than a quarter of RAM";
	} else if (in->range_size > (u64)in->mem.total_pages << PAGE_SHIFT) {
		return "instance range not in its memory";
	}
	if (in->mem.total_pages > totalram_pages())
		return "instance memory larger than RAM";
	if (!trace_kho_blob_str(hdr, in->options))
		return "trace options out of the string area";
	return NULL;
}

/* Check event @ev of the copy @hdr; NULL if it is sound. */
static const char *trace_kho_event_check(const struct kho_trace_header *hdr,
					 const struct kho_trace_event *ev)
{
	if (ev->id > U16_MAX)
		return "event ID out of range";
	if (!memchr(ev->system, '\0', sizeof(ev->system)) ||
	    !memchr(ev->name, '\0', sizeof(ev->name)))
		return "event with a bad name";
	if (hdr->nr_instances < BITS_PER_TYPE(ev->enabled) &&
	    ev->enabled >> hdr->nr_instances)
		return "event enabled in a missing instance";
	return NULL;
}

/**
 * trace_kho_blob_parse() - copy and check the previous kernel's ftrace blob
 * @blob: the sub-blob, in memory the previous kernel handed over
 * @size: the size of the sub-blob, as the handover says
 * @why: set to why the blob is refused
 *
 * Reads @blob once, into a copy of this kernel's, and checks the copy
 * alone: the header and every count against the fixed limits and against
 * @size before they size anything, then every instance, event and
 * string. The caller may free @blob right away.
 *
 * Return: the copy, to be kvfree()d, or NULL if the blob is refused (or
 * there is no memory for it) and *@why set.
 */
struct kho_trace_header *trace_kho_blob_parse(const void *blob, size_t size,
					      const char **why)
{
	const struct kho_trace_event *ev;
	struct kho_trace_header hdr, *copy;
	unsigned int i;

	if (size < sizeof(hdr)) {
		*why = "blob shorter than its header";
		return NULL;
	}
	memcpy(&hdr, blob, sizeof(hdr));
	*why = trace_kho_header_check(&hdr, size);
	if (*why)
		return NULL;
	copy = kvmalloc(hdr.size, GFP_KERNEL);
	if (!copy) {
		*why = "out of memory";
		return NULL;
	}
	memcpy(copy + 1, blob + sizeof(hdr), hdr.size - sizeof(hdr));
	*copy = hdr;
	for (i = 0; i < hdr.nr_instances && !*why; i++)
		*why = trace_kho_instance_check(copy, i);
	ev = (const void *)((const struct kho_trace_instance *)(copy + 1) +
			    hdr.nr_instances);
	for (i = 0; i < hdr.nr_events && !*why; i++)
		*why = trace_kho_event_check(copy, &ev[i]);
	if (*why) {
		kvfree(copy);
		return NULL;
	}
	return copy;
}

/* The previous kernel's sub-blob, once copied and checked */
static struct kho_trace_header *trace_kho_in __initdata;
static bool trace_kho_in_checked __initdata;

/*
 * The copy of the previous kernel's sub-blob, taken and checked at the
 * first call (logged if it does not check out), until trace_kho_restore()
 * frees it. The handed-over blob is freed at once.
 */
static const struct kho_trace_header * __init trace_kho_blob_get(void)
{
	phys_addr_t phys;
	const char *why;
	void *blob;
	size_t size;

	if (trace_kho_in_checked)
		return trace_kho_in;
	trace_kho_in_checked = true;
	if (kho_retrieve_subtree(KHO_TRACE_BLOB_NAME, &phys, &size))
		return NULL;
	blob = phys_to_virt(phys);
	trace_kho_in = trace_kho_blob_parse(blob, size, &why);
	kho_restore_free(blob);
	if (!trace_kho_in)
		pr_warn("ignoring the handed over trace: %s\n", why);
	return trace_kho_in;
}

/* The size of the top-level buffer the previous kernel handed over, or 0 */
static u64 __init trace_kho_prev_global_size(void)
{
	const struct kho_trace_header *hdr = trace_kho_blob_get();
	const struct kho_trace_instance *inst;
	u64 size = 0;
	unsigned int i;

	if (!hdr)
		return 0;
	inst = (const void *)(hdr + 1);
	for (i = 0; i < hdr->nr_instances; i++)
		if (inst[i].flags & KHO_TRACE_GLOBAL)
			size = inst[i].range_size;
	return size;
}

/**
 * trace_kho_global_init() - put the top-level buffer on handed-over memory
 * @tr: the top-level trace array, before its buffers are allocated
 * @cmdline: SIZE of trace_kho_global=SIZE on the command line, or NULL
 *
 * With trace_kho_global=SIZE on the command line, or else when the previous
 * kernel handed its top-level buffer over, the buffer of @tr is allocated
 * on a memory range that KHO preserves, as an instance's of
 * trace_instance=NAME@kho:SIZE. Otherwise, or if that fails (logged),
 * @tr is left alone.
 */
void __init trace_kho_global_init(struct trace_array *tr, const char *cmdline)
{
	u64 start = local_clock();
	struct trace_kho_out *out;
	unsigned long size;
	void *range;
	char *end;
	int err;

	trace_kho_global = tr;
	trace_kho_global_cmdline = cmdline;
	if (cmdline) {
		size = memparse(cmdline, &end);
		if (*end || !size) {
			pr_warn("trace_kho_global=%s: not a size\n", cmdline);
			return;
		}
	} else {
		size = trace_kho_prev_global_size();
		if (!size)
			return;
	}
	out = trace_kho_out_alloc(KHO_TRACE_GLOBAL_NAME, size, &range, &err);
	if (!out) {
		pr_warn("the top-level buffer cannot be handed over (%d)\n", err);
		return;
	}
	tr->range_addr_start = (unsigned long)range;
	tr->range_addr_size = out->size;
	/* Its size is fixed: never expand it */
	tr->ring_buffer_expanded = true;
	trace_kho_out_add(out, tr, start);
}

/**
 * trace_kho_blob_str() - a string of the ftrace sub-blob
 * @hdr: the sub-blob, whose header and sizes were checked
 * @off: the string's offset from @hdr
 *
 * Return: the string; "" for an offset of 0; NULL unless @off is in the
 * string area and the string ends before the blob does.
 */
const char *trace_kho_blob_str(const struct kho_trace_header *hdr, u32 off)
{
	const char *str = (const char *)hdr + off;
	size_t start = sizeof(*hdr) +
		hdr->nr_instances * sizeof(struct kho_trace_instance) +
		hdr->nr_events * sizeof(struct kho_trace_event);

	if (!off)
		return "";
	if (off < start || off >= hdr->size ||
	    !memchr(str, '\0', hdr->size - off))
		return NULL;
	return str;
}

/* Set the trace options @opts of the sub-blob in @tr; return how many. */
static unsigned int __init trace_kho_set_options(struct trace_array *tr,
						 const char *name,
						 const char *opts)
{
	char *buf, *word, *next;
	unsigned int n = 0;

	buf = kstrdup(opts, GFP_KERNEL);
	if (!buf)
		return 0;
	next = buf;
	while ((word = strsep(&next, " "))) {
		if (!*word)
			continue;
		if (trace_set_options(tr, word))
			pr_warn("%s: cannot set trace option %s\n", name, word);
		else
			n++;
	}
	kfree(buf);
	return n;
}

/*
 * Create the instance the previous kernel handed over again, with the
 * events enabled that were enabled in it and its trace options, unless the
 * command line made it; configure the top-level array the same way unless
 * the command line handed it over.
 */
static void __init trace_kho_recreate(const struct kho_trace_header *hdr,
				      unsigned int idx)
{
	const struct kho_trace_instance *inst = (const void *)(hdr + 1);
	const struct kho_trace_event *ev = (const void *)(inst + hdr->nr_instances);
	unsigned int i, n = 0, nr_opts;
	struct trace_array *tr;

	inst += idx;
	if (inst->flags & KHO_TRACE_GLOBAL) {
		tr = trace_kho_global_cmdline ? NULL : trace_kho_global;
	} else {
		mutex_lock(&trace_types_lock);
		tr = trace_array_find(inst->name);
		mutex_unlock(&trace_types_lock);
		tr = tr ? NULL : trace_kho_create_size(inst->name, inst->range_size);
		if (IS_ERR(tr)) {
			pr_warn("%s: cannot create it again (%ld)\n", inst->name,
				PTR_ERR(tr));
			return;
		}
	}
	if (!tr) {
		pr_info("%s: configured by the command line\n", inst->name);
		return;
	}
	for (i = 0; i < hdr->nr_events; i++) {
		if (!(ev[i].enabled & BIT_ULL(idx)))
			continue;
		if (!trace_array_set_clr_event(tr, ev[i].system, ev[i].name, true))
			n++;
		else
			pr_warn("%s: cannot enable %s:%s\n", inst->name,
				ev[i].system, ev[i].name);
	}
	nr_opts = trace_kho_set_options(tr, inst->name,
					trace_kho_blob_str(hdr, inst->options));
	/* trace_options= of the command line wins over the handover */
	if (tr == trace_kho_global)
		apply_trace_boot_options();
	if (!(inst->flags & KHO_TRACE_TRACING_ON))
		tracer_tracing_off(tr);
	pr_info("%s: configured by the handover: %u event(s), %u option(s), tracing %s\n",
		inst->name, n, nr_opts,
		inst->flags & KHO_TRACE_TRACING_ON ? "on" : "off");
}

/**
 * trace_kho_show() - show a trace of another kernel as a read-only instance
 * @name: the name of the instance to create
 * @range: a vmalloc area laid out as a ring buffer range of the kernel that
 *	wrote it; the instance owns it from now on, and frees it (vfree())
 *	when it is deleted or here if it cannot be created
 * @size: the size of @range
 * @map: that kernel's event IDs, mapped to this kernel's
 *
 * Creates @name over @range with tracing off for good: writing 1 to its
 * tracing_on fails. The ring buffer code checks every CPU's part of
 * @range before it shows any event of it. Failures are logged.
 *
 * Return: the instance, or an ERR_PTR.
 */
struct trace_array *trace_kho_show(const char *name, void *range,
				   unsigned long size,
				   const struct trace_kho_map *map)
{
	struct trace_kho_prev *prev = NULL;
	struct trace_array *tr;
	int err = -EEXIST, cpu;

	guard(mutex)(&event_mutex);
	guard(mutex)(&trace_types_lock);
	if (trace_array_find(name)) {
		pr_warn("%s: discarded: the instance exists\n", name);
		goto free;
	}
	err = -ENOMEM;
	prev = kzalloc(sizeof(*prev), GFP_KERNEL);
	if (prev)
		prev->map = kvmemdup(map, struct_size(map, events, map->nr),
				     GFP_KERNEL);
	if (!prev || !prev->map) {
		pr_warn("%s: discarded: out of memory\n", name);
		goto free;
	}
	tr = trace_array_create_systems(name, NULL, (unsigned long)range, size);
	if (IS_ERR(tr)) {
		err = PTR_ERR(tr);
		pr_warn("%s: discarded: cannot create it (%d)\n", name, err);
		goto free;
	}
	tracer_tracing_off(tr);
	prev->range = range;
	tr->kho_prev = prev;
	/* The buffers of the other CPUs are checked as they come up */
	for_each_online_cpu(cpu)
		pr_info("%s: CPU %d: %lu event(s)\n", name, cpu,
			ring_buffer_entries_cpu(tr->array_buffer.buffer, cpu));
	return tr;

free:
	if (prev)
		kvfree(prev->map);
	kfree(prev);
	vfree(range);
	return ERR_PTR(err);
}

static void __init trace_kho_restore_one(const struct kho_trace_instance *inst,
					 const struct trace_kho_map *map)
{
	char name[KHO_TRACE_NAME_LEN + sizeof("-prev")];
	/* The clocks may not run yet this early: count cycles too. */
	cycles_t cycles = get_cycles();
	u64 start = local_clock();
	struct trace_array *tr;
	void *range;

	snprintf(name, sizeof(name), "%s-prev", inst->name);
	range = kho_restore_vmalloc(&inst->mem);
	if (!range) {
		pr_warn("%s: discarded: its memory was not preserved\n", name);
		return;
	}
	tr = trace_kho_show(name, range, inst->range_size, map);
	if (IS_ERR(tr))
		return;
	pr_info("%s: restored %llu KiB of the previous kernel's trace (%llu us, %llu kcycles)\n",
		name, inst->range_size >> 10,
		div_u64(local_clock() - start, NSEC_PER_USEC),
		div_u64(get_cycles() - cycles, 1000));
}

/**
 * trace_kho_restore() - show the instances the previous kernel handed over
 *
 * Called at boot once the events and the command line's instances exist.
 * Each instance is created as "<name>-prev", read-only, and "<name>" is
 * created again with the previous kernel's events enabled unless the
 * command line created it. An instance without pages (a boot loader's
 * setup, which has no trace to hand over) only creates "<name>". A blob
 * that does not check out is refused whole, an instance whose memory
 * cannot be mapped is skipped, each with one log line; unrestored memory
 * is freed when the handover is finished.
 */
void __init trace_kho_restore(void)
{
	const struct kho_trace_instance *inst;
	const struct kho_trace_header *hdr;
	const struct kho_trace_event *ev;
	struct trace_kho_map *map;
	unsigned int i;

	hdr = trace_kho_blob_get();
	if (!hdr)
		return;
	inst = (const void *)(hdr + 1);
	ev = (const void *)(inst + hdr->nr_instances);
	map = trace_kho_map_build(ev, hdr->nr_events, hdr->common_hash);
	if (!map) {
		pr_warn("ignoring the handed over trace: out of memory\n");
		goto free;
	}
	for (i = 0; i < hdr->nr_instances; i++) {
		/* An instance without pages is a setup only: no "-prev" */
		if (inst[i].mem.total_pages)
			trace_kho_restore_one(&inst[i], map);
		trace_kho_recreate(hdr, i);
	}
	kvfree(map);
free:
	trace_kho_in = NULL;
	kvfree(hdr);
}

/**
 * trace_kho_release() - free what a restored instance holds
 * @tr: an instance being deleted, after its ring buffer was freed
 */
void trace_kho_release(struct trace_array *tr)
{
	struct trace_kho_prev *prev = tr->kho_prev;

	if (!prev)
		return;
	vfree(prev->range);
	kvfree(prev->map);
	kfree(prev);
	tr->kho_prev = NULL;
}

/* Show an event this kernel cannot format: its old name and its bytes. */
static enum print_line_t trace_kho_print_raw(struct trace_iterator *iter,
					     const struct trace_kho_event *ev)
{
	struct trace_seq *s = &iter->seq;
	unsigned int len = iter->ent_size;
	const void *data = iter->ent;

	if (iter->tr->trace_flags & TRACE_ITER_CONTEXT_INFO)
		trace_print_context(iter);
	if (ev)
		trace_seq_printf(s, "%s:%s: [id %u, %s]", ev->system, ev->name,
				 ev->old_id, ev->format_changed ?
				 "format changed" : "unknown here");
	else
		trace_seq_printf(s, "[unknown id %u]", iter->ent->type);
	if (len > sizeof(struct trace_entry)) {
		len = min_t(unsigned int, len - sizeof(struct trace_entry), 64);
		trace_seq_printf(s, " raw: %*phN%s", len,
				 data + sizeof(struct trace_entry),
				 iter->ent_size - sizeof(struct trace_entry) > len ?
				 "..." : "");
	}
	trace_seq_putc(s, '\n');
	return trace_handle_return(s);
}

/**
 * trace_kho_print_line() - format an event of a restored instance
 * @iter: the iterator, on an event of the previous kernel
 *
 * An event whose ID maps to another ID of this kernel is copied to
 * @iter->temp with the new ID, for the usual formatting; an event that
 * does not map is printed raw.
 *
 * Return: TRACE_TYPE_UNHANDLED when the usual formatting applies to
 * @iter->ent, else the result of printing the line.
 */
enum print_line_t trace_kho_print_line(struct trace_iterator *iter)
{
	const struct trace_kho_event *ev;

	/* Already translated (a partial line being printed again). */
	if (iter->ent == iter->temp)
		return TRACE_TYPE_UNHANDLED;
	ev = trace_kho_map_find(iter->tr->kho_prev->map, iter->ent->type);
	if (!ev || !ev->new_id)
		return trace_kho_print_raw(iter, ev);
	if (ev->new_id == ev->old_id)
		return TRACE_TYPE_UNHANDLED;

	if (!iter->temp || iter->temp_size < iter->ent_size) {
		void *temp = kmalloc(iter->ent_size, GFP_KERNEL);

		if (!temp)
			return trace_kho_print_raw(iter, ev);
		kfree(iter->temp);
		iter->temp = temp;
		iter->temp_size = iter->ent_size;
	}
	memcpy(iter->temp, iter->ent, iter->ent_size);
	iter->ent = iter->temp;
	iter->ent->type = ev->new_id;
	return TRACE_TYPE_UNHANDLED;
}

/* ---- /sys/kernel/tracing/kho_instances ---- */

static ssize_t trace_kho_instances_read(struct file *file, char __user *ubuf,
					size_t cnt, loff_t *ppos)
{
	struct trace_kho_out *out;
	struct seq_buf seq;
	char *buf;
	ssize_t ret;

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	seq_buf_init(&seq, buf, PAGE_SIZE);
	mutex_lock(&trace_kho_lock);
	list_for_each_entry(out, &trace_kho_out_list, list)
		seq_buf_printf(&seq, "%s %lu\n", out->name, out->size);
	mutex_unlock(&trace_kho_lock);
	ret = simple_read_from_buffer(ubuf, cnt, ppos, buf, seq_buf_used(&seq));
	kfree(buf);
	return ret;
}

/* "NAME SIZE": create instance NAME on a handed-over buffer of SIZE. */
static ssize_t trace_kho_instances_write(struct file *file,
					 const char __user *ubuf, size_t cnt,
					 loff_t *ppos)
{
	char *buf, *name, *size;
	struct trace_array *tr;
	int err;

	if (cnt >= KHO_TRACE_NAME_LEN + 32)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, cnt);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	size = strim(buf);
	name = strsep(&size, " ");
	if (!size || !*name) {
		err = -EINVAL;
		goto out;
	}
	mutex_lock(&event_mutex);
	mutex_lock(&trace_types_lock);
	if (trace_array_find(name))
		tr = ERR_PTR(-EEXIST);
	else
		tr = trace_kho_create(name, skip_spaces(size));
	mutex_unlock(&trace_types_lock);
	mutex_unlock(&event_mutex);
	err = PTR_ERR_OR_ZERO(tr);
out:
	kfree(buf);
	return err ?: cnt;
}

static const struct file_operations trace_kho_instances_fops = {
	.open = tracing_open_generic,
	.read = trace_kho_instances_read,
	.write = trace_kho_instances_write,
	.llseek = default_llseek,
};

/*
 * Take part in finalize (no handover can be finalized before userspace
 * runs, so the instances created at boot are all seen) and create the
 * tracefs file. The hook is registered here, not under the tracing locks
 * that creating an instance holds, as finalize takes them inside KHO's.
 */
static __init int trace_kho_init(void)
{
	int err;

	if (!kho_is_enabled())
		return 0;
	err = kho_register_hook(&trace_kho_hook);
	if (err) {
		pr_warn("trace instances cannot be handed over (%d)\n", err);
		return 0;
	}
	if (!tracing_init_dentry())
		trace_create_file("kho_instances", TRACE_MODE_WRITE, NULL, NULL,
				  &trace_kho_instances_fops);
	return 0;
}
fs_initcall(trace_kho_init);
