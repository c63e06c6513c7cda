/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Trace instances whose ring buffers survive a kexec handover (KHO): the
 * hooks trace.c calls. See Documentation/kho/ftrace.rst.
 */
#ifndef _TRACE_KHO_H
#define _TRACE_KHO_H

#include <linux/kho/abi/trace.h>
#include <linux/trace_events.h>

struct trace_array;
struct trace_iterator;

/**
 * struct trace_kho_event - an event ID of the previous kernel
 * @old_id: its ID in the previous kernel
 * @new_id: the ID of the same event in this kernel, 0 if there is none
 * @format_changed: this kernel has the event, with another format
 * @system: its system in the previous kernel
 * @name: its name in the previous kernel
 */
struct trace_kho_event {
	u16 old_id;
	u16 new_id;
	bool format_changed;
	char system[KHO_TRACE_SYSTEM_LEN];
	char name[KHO_TRACE_EVENT_LEN];
};

/**
 * struct trace_kho_map - the previous kernel's event IDs, sorted by @old_id
 * @nr: number of @events
 * @events: the events
 */
struct trace_kho_map {
	unsigned int nr;
	struct trace_kho_event events[] __counted_by(nr);
};

/**
 * struct trace_kho_prev - what an instance restored from the previous
 *	kernel holds (&trace_array.kho_prev)
 * @range: the vmalloc area of its ring buffer
 * @map: the previous kernel's event IDs
 */
struct trace_kho_prev {
	void *range;
	struct trace_kho_map *map;
};

#ifdef CONFIG_TRACE_KHO

struct trace_array *trace_kho_create(const char *name, const char *size);
void trace_kho_global_init(struct trace_array *tr, const char *cmdline);
void trace_kho_restore(void);
void trace_kho_release(struct trace_array *tr);
enum print_line_t trace_kho_print_line(struct trace_iterator *iter);

/* For the trace store (trace_kho_store.c). */
struct kho_trace_header *trace_kho_store_blob(const char *name, size_t *size,
					      void **range,
					      unsigned long *range_size);
struct trace_array *trace_kho_show(const char *name, void *range,
				   unsigned long size,
				   const struct trace_kho_map *map);
const char *trace_kho_store_check(const struct kho_trace_store_header *hdr,
				  u64 store_size);
struct kho_trace_header *
trace_kho_store_parse(const struct kho_trace_store_header *hdr,
		      const void *blob, const void *range, const char **why);

/* For the KUnit tests. */
u32 trace_kho_format_hash(struct trace_event_call *call);
u32 trace_kho_common_hash(void);
struct trace_kho_map *trace_kho_map_build(const struct kho_trace_event *old,
					  unsigned int nr, u32 common_hash);
const struct trace_kho_event *trace_kho_map_find(const struct trace_kho_map *map,
						 u16 old_id);
size_t trace_kho_options(struct trace_array *tr, char *buf, size_t len);
const char *trace_kho_blob_str(const struct kho_trace_header *hdr, u32 off);
struct kho_trace_header *trace_kho_blob_parse(const void *blob, size_t size,
					      const char **why);

#else

static inline struct trace_array *trace_kho_create(const char *name,
						   const char *size)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static inline void trace_kho_global_init(struct trace_array *tr,
					 const char *cmdline) { }
static inline void trace_kho_restore(void) { }
static inline void trace_kho_release(struct trace_array *tr) { }
static inline enum print_line_t trace_kho_print_line(struct trace_iterator *iter)
{
	return TRACE_TYPE_UNHANDLED;
}

#endif /* CONFIG_TRACE_KHO */

#endif /* _TRACE_KHO_H */
