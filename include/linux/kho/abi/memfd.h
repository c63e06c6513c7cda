/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Wire format of a memfd preserved by the Live Update Orchestrator,
 * "memfd-v2", as mainline Linux 7.3 writes and reads it.
 */
#ifndef _LINUX_KHO_ABI_MEMFD_H
#define _LINUX_KHO_ABI_MEMFD_H

#include <linux/bits.h>
#include <linux/types.h>
#include <linux/kho/abi/kexec_handover.h>

/**
 * DOC: memfd file data
 *
 * The @data of a &struct luo_file_ser whose compatible is
 * MEMFD_LUO_FH_COMPATIBLE is the physical address of a &struct
 * memfd_luo_ser, in a folio of its own. It records the file's size, file
 * position and seals, and a preserved vmalloc area (see "KHO vmalloc
 * preservation") holding @nr_folios &struct memfd_luo_folio_ser: one per
 * folio of the file, with the folio's page frame number, its page index in
 * the file and its state. Each such folio is preserved with its order. A
 * page frame number of 0 marks an unused entry. Indices are unique, and
 * every folio lies inside the file's size. A file of size 0 has no folios
 * and an empty @folios.
 *
 * @seals holds F_SEAL_* bits (userspace ABI), only those of
 * MEMFD_LUO_ALL_SEALS. @flags is 0.
 */

/* The folio holds data written by userspace. */
#define MEMFD_LUO_FOLIO_DIRTY		BIT(0)
/* The folio's contents are valid (it was zeroed or written). */
#define MEMFD_LUO_FOLIO_UPTODATE	BIT(1)
#define MEMFD_LUO_FOLIO_FLAGS		(MEMFD_LUO_FOLIO_DIRTY | \
					 MEMFD_LUO_FOLIO_UPTODATE)

/**
 * struct memfd_luo_folio_ser - one folio of the file
 * @pfn: page frame number of the folio's first page (bits 0-51)
 * @flags: MEMFD_LUO_FOLIO_* (bits 52-63)
 * @index: page index of the folio's first page in the file
 */
struct memfd_luo_folio_ser {
	__u64 pfn:52;
	__u64 flags:12;
	__u64 index;
};

/* F_SEAL_SEAL, F_SEAL_SHRINK, F_SEAL_GROW, F_SEAL_WRITE, F_SEAL_FUTURE_WRITE,
 * F_SEAL_EXEC: the seals this version hands over.
 */
#define MEMFD_LUO_ALL_SEALS	0x003fU

/**
 * struct memfd_luo_ser - a preserved memfd
 * @pos: file position
 * @size: file size in bytes
 * @seals: F_SEAL_* bits
 * @flags: 0
 * @nr_folios: entries in the array @folios describes
 * @folios: preserved vmalloc area of &struct memfd_luo_folio_ser
 */
struct memfd_luo_ser {
	__u64 pos;
	__u64 size;
	__u32 seals;
	__u32 flags;
	__u64 nr_folios;
	struct kho_vmalloc folios;
};

#define MEMFD_LUO_FH_COMPATIBLE	"memfd-v2"

KHO_ABI_STATIC_ASSERT(sizeof(struct memfd_luo_folio_ser) == 16,
		      "memfd_luo_folio_ser must be 16 bytes");
KHO_ABI_STATIC_ASSERT(sizeof(struct memfd_luo_ser) == 48,
		      "memfd_luo_ser must be 48 bytes");

#endif /* _LINUX_KHO_ABI_MEMFD_H */
