/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * khoreg typed state registry: wire format of the registry sub-blob,
 * "khoreg-registry-v1". Shared by the kernel and userspace tools.
 * Documentation/kho/registry-abi.rst is the normative description.
 */
#ifndef _LINUX_KHO_ABI_REGISTRY_H
#define _LINUX_KHO_ABI_REGISTRY_H

#include <linux/types.h>

/**
 * DOC: khoreg registry sub-blob
 *
 * The registry is one sub-blob of the kho-v4 handover, listed in the root
 * FDT under the node name KHOREG_BLOB_NAME. The sub-blob is itself a
 * complete FDT (version 17, no memory reservations)::
 *
 *   / {
 *           compatible = "khoreg-registry-v1";
 *           khoreg,nr-entries = <u32: entries in the blob, nested included>;
 *
 *           <entry-name> {
 *                   compatible = "vendor,thing-vN";
 *                   khoreg,version = <u32: schema version>;
 *                   khoreg,owner = "module_name";            (optional)
 *                   khoreg,fields = "name:type", ...;
 *                   khoreg,annotations = "key=value", ...;   (optional)
 *                   <field-name> = <value encoded per type>;
 *                   ...
 *                   <child-entry-name> { ...same layout... };
 *           };
 *   };
 *
 * Every node below the root is an entry; an entry's subnodes are its child
 * entries. Entry node names are unique among siblings and consist of
 * KHOREG_NAME_MAX or fewer characters from [a-z0-9_.-], starting with a
 * letter or digit.
 *
 * khoreg,fields lists each field exactly once, in declaration order, as
 * "<field-name>:<type>" where <type> is one of the KHOREG_TYPE_NAME_*
 * strings, optionally followed by "[N]" (1 <= N <= KHOREG_ARRAY_MAX) for a
 * fixed-size array of a scalar type. Field names follow the entry name
 * rules but never contain ',' so they cannot collide with the reserved
 * "compatible" and "khoreg,*" properties; "compatible" is not a valid field
 * name. Each listed field has one property of the same name, and the entry
 * has no other properties.
 *
 * Byte order: all multi-byte values in this sub-blob are big-endian, as FDT
 * cells are (this differs from the native-endian u64s of the kho-v4 root).
 *
 * Value encodings and exact property lengths:
 *
 * - u8: 1 byte. u16: 2 bytes. u32: 4 bytes. u64, s64: 8 bytes (two cells,
 *   most significant first; s64 is two's complement).
 * - bool: 4 bytes (one cell), 0 or 1; any other value is invalid.
 * - string: 1..KHOREG_STRING_MAX bytes, NUL terminated, no other NUL, no
 *   bytes below 0x20 except tab and newline.
 * - bytes: 0..KHOREG_BYTES_MAX bytes of opaque data.
 * - range: 16 bytes: u64 phys, u64 size. Preserved physical pages; phys and
 *   size page aligned (4 KiB unit), size non-zero, no overflow.
 * - folio: 12 bytes: u64 phys, u32 order (<= KHOREG_FOLIO_ORDER_MAX); phys
 *   aligned to 4 KiB << order.
 * - vmalloc: 16 bytes: u64 phys of a struct kho_vmalloc descriptor (see
 *   kexec_handover.h), u32 total pages, u32 block order; the two numbers
 *   repeat the descriptor's so tools can check sizes without reading it.
 * - T[N] with T in u8/u16/u32/u64/s64/bool: N elements of T's size above,
 *   packed back to back, exactly N * size(T) bytes.
 *
 * Limits: KHOREG_MAX_DEPTH levels of entries, KHOREG_MAX_FIELDS fields per
 * entry, KHOREG_MAX_ENTRIES entries and KHOREG_BLOB_MAX bytes per blob.
 * Annotations are strings "key=value", key following the field name rules,
 * at most KHOREG_MAX_ANNOTATIONS per entry and KHOREG_STRING_MAX bytes each.
 */
#define KHOREG_BLOB_NAME		"khoreg"
#define KHOREG_COMPATIBLE		"khoreg-registry-v1"

#define KHOREG_PROP_NR_ENTRIES		"khoreg,nr-entries"
#define KHOREG_PROP_VERSION		"khoreg,version"
#define KHOREG_PROP_OWNER		"khoreg,owner"
#define KHOREG_PROP_FIELDS		"khoreg,fields"
#define KHOREG_PROP_ANNOTATIONS		"khoreg,annotations"

#define KHOREG_TYPE_NAME_U8		"u8"
#define KHOREG_TYPE_NAME_U16		"u16"
#define KHOREG_TYPE_NAME_U32		"u32"
#define KHOREG_TYPE_NAME_U64		"u64"
#define KHOREG_TYPE_NAME_S64		"s64"
#define KHOREG_TYPE_NAME_BOOL		"bool"
#define KHOREG_TYPE_NAME_STRING		"string"
#define KHOREG_TYPE_NAME_BYTES		"bytes"
#define KHOREG_TYPE_NAME_RANGE		"range"
#define KHOREG_TYPE_NAME_FOLIO		"folio"
#define KHOREG_TYPE_NAME_VMALLOC	"vmalloc"

/**
 * enum khoreg_type - field types of the registry, in wire order
 * @KHOREG_TYPE_U8: unsigned 8-bit integer
 * @KHOREG_TYPE_U16: unsigned 16-bit integer
 * @KHOREG_TYPE_U32: unsigned 32-bit integer
 * @KHOREG_TYPE_U64: unsigned 64-bit integer
 * @KHOREG_TYPE_S64: signed 64-bit integer
 * @KHOREG_TYPE_BOOL: boolean
 * @KHOREG_TYPE_STRING: NUL-terminated string
 * @KHOREG_TYPE_BYTES: bounded opaque blob
 * @KHOREG_TYPE_RANGE: preserved physical page range
 * @KHOREG_TYPE_FOLIO: preserved folio
 * @KHOREG_TYPE_VMALLOC: preserved vmalloc area
 * @KHOREG_TYPE_NR: number of types
 *
 * The numbers are not stored in the blob (types are stored by name); they
 * only give kernel and userspace code a common enumeration.
 */
enum khoreg_type {
	KHOREG_TYPE_U8,
	KHOREG_TYPE_U16,
	KHOREG_TYPE_U32,
	KHOREG_TYPE_U64,
	KHOREG_TYPE_S64,
	KHOREG_TYPE_BOOL,
	KHOREG_TYPE_STRING,
	KHOREG_TYPE_BYTES,
	KHOREG_TYPE_RANGE,
	KHOREG_TYPE_FOLIO,
	KHOREG_TYPE_VMALLOC,
	KHOREG_TYPE_NR,
};

/*
 * KHOREG_TYPE_NAMES - the initialiser of a table of wire names indexed by
 * &enum khoreg_type, shared by the kernel and userspace decoders so that
 * the two cannot disagree on a name.
 */
#define KHOREG_TYPE_NAMES {						\
	[KHOREG_TYPE_U8] = KHOREG_TYPE_NAME_U8,				\
	[KHOREG_TYPE_U16] = KHOREG_TYPE_NAME_U16,			\
	[KHOREG_TYPE_U32] = KHOREG_TYPE_NAME_U32,			\
	[KHOREG_TYPE_U64] = KHOREG_TYPE_NAME_U64,			\
	[KHOREG_TYPE_S64] = KHOREG_TYPE_NAME_S64,			\
	[KHOREG_TYPE_BOOL] = KHOREG_TYPE_NAME_BOOL,			\
	[KHOREG_TYPE_STRING] = KHOREG_TYPE_NAME_STRING,			\
	[KHOREG_TYPE_BYTES] = KHOREG_TYPE_NAME_BYTES,			\
	[KHOREG_TYPE_RANGE] = KHOREG_TYPE_NAME_RANGE,			\
	[KHOREG_TYPE_FOLIO] = KHOREG_TYPE_NAME_FOLIO,			\
	[KHOREG_TYPE_VMALLOC] = KHOREG_TYPE_NAME_VMALLOC,		\
}

#define KHOREG_NAME_MAX			63
#define KHOREG_STRING_MAX		4096
#define KHOREG_BYTES_MAX		65536
#define KHOREG_ARRAY_MAX		4096
#define KHOREG_FOLIO_ORDER_MAX		30
#define KHOREG_MAX_DEPTH		8
#define KHOREG_MAX_FIELDS		256
#define KHOREG_MAX_ANNOTATIONS		32
#define KHOREG_MAX_ENTRIES		65536
#define KHOREG_BLOB_MAX			(64U << 20)

#define KHOREG_RANGE_SIZE		16
#define KHOREG_FOLIO_SIZE		12
#define KHOREG_VMALLOC_SIZE		16
#define KHOREG_PAGE_SIZE		4096

/**
 * DOC: khoreg ABI note in kernel images
 *
 * So that userspace can tell, before kexec, whether a kernel image will
 * accept a handover, a khoreg kernel records the handover formats it
 * accepts in an ELF note:
 *
 * - name KHOREG_NOTE_NAME ("khoreg", namesz 7), type KHOREG_NOTE_TYPE_ABI;
 * - desc: a list of NUL-terminated strings, padded with NULs to a multiple
 *   of 4 bytes and at most KHOREG_NOTE_DESC_MAX bytes, naming every
 *   accepted format: the kho-v4 root compatible (KHO_FDT_COMPATIBLE) and,
 *   when the kernel restores the registry, KHOREG_COMPATIBLE;
 * - the note header and fields are in the image's byte order.
 *
 * In vmlinux the note comes from a ".note.khoreg" section and so sits in
 * the PT_NOTE segment. Because a bzImage carries vmlinux
 * compressed, x86 also places a byte-identical copy of the note, 4-byte
 * aligned, in the uncompressed setup part of the bzImage. Tools find the
 * note by scanning the file at 4-byte aligned offsets for its header
 * (namesz 7, type 1, name "khoreg"), which works for vmlinux, bzImage and
 * uncompressed images alike.
 */
#define KHOREG_NOTE_NAME		"khoreg"
#define KHOREG_NOTE_TYPE_ABI		1
#define KHOREG_NOTE_DESC_MAX		4096

/**
 * KHOREG_ABI_NOTE() - define the khoreg ABI note
 * @var: name of the variable holding it (add section and __used yourself)
 * @accepts: the accepted formats, a string literal of NUL-separated names
 */
#define KHOREG_ABI_NOTE(var, accepts)					\
	const struct {							\
		__u32 namesz, descsz, type;				\
		char name[(sizeof(KHOREG_NOTE_NAME) + 3) & ~3];		\
		char desc[(sizeof(accepts) + 3) & ~3];			\
	} var = {							\
		sizeof(KHOREG_NOTE_NAME), (sizeof(accepts) + 3) & ~3,	\
		KHOREG_NOTE_TYPE_ABI, KHOREG_NOTE_NAME, accepts		\
	}

#endif /* _LINUX_KHO_ABI_REGISTRY_H */
