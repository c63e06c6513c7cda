/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * khoreg: wire format of the "ftrace" sub-blob, with which ring buffers of
 * trace instances survive a kexec handover. Documentation/kho/ftrace.rst
 * describes how it is used.
 */
#ifndef _LINUX_KHO_ABI_TRACE_H
#define _LINUX_KHO_ABI_TRACE_H

#include <linux/types.h>
#include <linux/kho/abi/kexec_handover.h>

/**
 * DOC: khoreg ftrace sub-blob
 *
 * The outgoing kernel lists the trace instances whose ring buffers it hands
 * over, at most KHO_TRACE_MAX_INSTANCES, with their configuration, in one
 * sub-blob of the kho-v4 handover named KHO_TRACE_BLOB_NAME.
 * The blob is a &struct kho_trace_header followed by @nr_instances
 * &struct kho_trace_instance, then @nr_events &struct kho_trace_event and
 * then a string area; @size covers all of it. Every value is
 * native-endian; strings are NUL terminated within their arrays or, in the
 * string area, within @size.
 *
 * Each instance's ring buffer lives in a preserved vmalloc area (see "KHO
 * vmalloc preservation") laid out as Linux 6.12's persistent ring buffer
 * over a memory range: per CPU, a ring_buffer_meta block, its sub-buffer
 * index array and the sub-buffers. The layout depends on the range size,
 * @nr_cpu_ids and @page_size, which must all match in the incoming kernel.
 * An instance whose @mem is all zero (no pages) hands over its setup
 * only, as a boot loader does: the incoming kernel allocates a buffer of
 * @range_size (at most a quarter of its RAM) and shows no previous trace.
 *
 * Events in the buffers are tagged with the outgoing kernel's event IDs.
 * The event table maps each ID to its system and name and to a hash of its
 * format (every field's type, name, offset, size and signedness, with
 * jhash() as in <linux/jhash.h>); @common_hash covers the common header of
 * every event. The incoming kernel shows an event with its own formatter
 * only when it has an event of the same system and name whose format hash
 * is the same; any other event is shown raw, with its old name. Bit N of an
 * event's @enabled says it was enabled in instance N: the incoming kernel
 * enables the event of the same system and name in its new instance.
 *
 * At most one instance has KHO_TRACE_GLOBAL: it is the buffer of the
 * top-level trace array (/sys/kernel/tracing/trace), named "global".
 * An instance's @options, when not 0, is the offset from the start of the
 * blob of its trace options in the string area: words separated by one
 * space, each an option name as in the trace_options file, prefixed with
 * "no" when the option is off.
 */

#define KHO_TRACE_BLOB_NAME	"ftrace"
#define KHO_TRACE_MAGIC		0x6b74726bU	/* "krtk" */
#define KHO_TRACE_VERSION	2
#define KHO_TRACE_NAME_LEN	64
#define KHO_TRACE_SYSTEM_LEN	32
#define KHO_TRACE_EVENT_LEN	64
#define KHO_TRACE_MAX_INSTANCES	64

/* &struct kho_trace_instance.flags */
#define KHO_TRACE_TRACING_ON	0x0001	/* tracing_on was 1 */
#define KHO_TRACE_GLOBAL	0x0002	/* the top-level trace array */

/* The name of the top-level trace array's entry */
#define KHO_TRACE_GLOBAL_NAME	"global"

/**
 * struct kho_trace_header - start of the ftrace sub-blob
 * @magic: KHO_TRACE_MAGIC
 * @version: KHO_TRACE_VERSION
 * @size: bytes of the whole blob
 * @nr_instances: number of &struct kho_trace_instance that follow
 * @nr_events: number of &struct kho_trace_event after the instances
 * @nr_cpu_ids: nr_cpu_ids of the outgoing kernel
 * @page_size: page size, the size of every ring buffer sub-buffer
 * @common_hash: format hash of the common event header
 */
struct kho_trace_header {
	__u32 magic;
	__u32 version;
	__u32 size;
	__u32 nr_instances;
	__u32 nr_events;
	__u32 nr_cpu_ids;
	__u32 page_size;
	__u32 common_hash;
};

/**
 * struct kho_trace_instance - one preserved trace instance
 * @name: instance name; the incoming kernel shows it as "<name>-prev"
 * @range_size: bytes of the ring buffer range
 * @mem: the preserved vmalloc area that holds the range
 * @flags: KHO_TRACE_* flags
 * @options: offset of its trace options in the blob, or 0
 */
struct kho_trace_instance {
	char name[KHO_TRACE_NAME_LEN];
	__u64 range_size;
	struct kho_vmalloc mem;
	__u32 flags;
	__u32 options;
};

/**
 * struct kho_trace_event - an event ID of the outgoing kernel
 * @id: the ID, as found in the common header of its events
 * @format_hash: hash of its fields
 * @system: its system, e.g. "sched"
 * @name: its name, e.g. "sched_switch"
 * @enabled: bit N is set when the event is enabled in instance N
 */
struct kho_trace_event {
	__u32 id;
	__u32 format_hash;
	char system[KHO_TRACE_SYSTEM_LEN];
	char name[KHO_TRACE_EVENT_LEN];
	__u64 enabled;
};

/**
 * DOC: khoreg trace store
 *
 * A persistent store (an MTD device, an offset and a size, named by the
 * "trace-store" registry entry of compatible KHO_TRACE_STORE_COMPATIBLE)
 * holds one handed-over trace instance across a cold boot. It starts with
 * a &struct kho_trace_store_header, followed by @blob_size bytes of an
 * ftrace sub-blob (as above) that lists exactly that one instance, with
 * its @mem all zero, and the events of the kernel that wrote it, then by
 * the instance's ring buffer range (its @range_size bytes, laid out as in
 * memory). @length counts both; @checksum is the CRC-32 of those @length
 * bytes (IEEE 802.3, as zlib's crc32()). Every value is native-endian.
 * Erased flash (@magic all ones) holds no trace; anything else that does
 * not check out is refused whole.
 */

#define KHO_TRACE_STORE_COMPATIBLE	"khoreg,trace-store-v1"
#define KHO_TRACE_STORE_ENTRY		"trace-store"
#define KHO_TRACE_STORE_MAGIC		0x6b747366U	/* "fstk" */
#define KHO_TRACE_STORE_VERSION		1
#define KHO_TRACE_STORE_ERASED		0xffffffffU

/* &struct kho_trace_store_header.reason: when the store was written */
#define KHO_TRACE_STORE_REBOOT		1
#define KHO_TRACE_STORE_KEXEC		2
#define KHO_TRACE_STORE_HALT		3
#define KHO_TRACE_STORE_POWER_OFF	4

/**
 * struct kho_trace_store_header - start of a trace store
 * @magic: KHO_TRACE_STORE_MAGIC
 * @version: KHO_TRACE_STORE_VERSION
 * @length: bytes after the header: @blob_size, then the ring buffer range
 * @checksum: CRC-32 of the @length bytes after the header
 * @blob_size: bytes of the ftrace sub-blob after the header
 * @reason: KHO_TRACE_STORE_REBOOT, _KEXEC, _HALT or _POWER_OFF
 * @reserved: 0
 * @written: the writer's wall-clock time, seconds since the epoch
 */
struct kho_trace_store_header {
	__u32 magic;
	__u32 version;
	__u64 length;
	__u32 checksum;
	__u32 blob_size;
	__u32 reason;
	__u32 reserved;
	__s64 written;
};

KHO_ABI_STATIC_ASSERT(sizeof(struct kho_trace_header) == 32,
		      "kho_trace_header must be 32 bytes");
KHO_ABI_STATIC_ASSERT(sizeof(struct kho_trace_instance) == 96,
		      "kho_trace_instance must be 96 bytes");
KHO_ABI_STATIC_ASSERT(sizeof(struct kho_trace_event) == 112,
		      "kho_trace_event must be 112 bytes");
KHO_ABI_STATIC_ASSERT(sizeof(struct kho_trace_store_header) == 40,
		      "kho_trace_store_header must be 40 bytes");

#endif /* _LINUX_KHO_ABI_TRACE_H */
