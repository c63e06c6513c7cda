/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Live Update Orchestrator (LUO) wire format, "luo-v5", as mainline Linux
 * 7.3 writes and reads it. Shared by the kernel and userspace tools.
 */
#ifndef _LINUX_KHO_ABI_LUO_H
#define _LINUX_KHO_ABI_LUO_H

#include <linux/types.h>
#include <linux/kho/abi/kexec_handover.h>
#ifdef __KERNEL__
#include <uapi/linux/liveupdate.h>
#else
#include <linux/liveupdate.h>
#endif

/**
 * DOC: LUO sub-blob
 *
 * LUO hands its state over in one sub-blob of the kho-v4 handover named
 * LUO_KHO_ENTRY_NAME: a &struct luo_ser in memory of its own, preserved
 * as a folio. Every address in it and below it is a physical address of
 * preserved memory; every value is native-endian.
 *
 * Lists are chains of blocks. A block is one page, preserved as an order-0
 * folio, that starts with a &struct kho_block_header_ser: the address of
 * the next block (0 ends the chain) and the number of entries that follow
 * the header in this block, at least 1 and at most what fits in the page.
 * An empty list is the address 0.
 *
 * @sessions_pa of &struct luo_ser heads the list of &struct luo_session_ser.
 * Each session names, in its &struct luo_file_set_ser, the list of its
 * &struct luo_file_ser and how many there are in total. A file entry names
 * the file handler that wrote it (@compatible, e.g. MEMFD_LUO_FH_COMPATIBLE),
 * the token userspace preserved it with, and @data, a physical address the
 * handler interprets. @flbs_pa heads an array of objects shared by several
 * files (&struct luo_flb_header_ser then &struct luo_flb_ser); 0 if none.
 *
 * Strings are NUL-terminated within their arrays. Session names are unique
 * in the handover; tokens are unique within a session. Mainline declares
 * the structures packed; every field here sits at its natural alignment,
 * so the layout is the same (the sizes are asserted below).
 */

#define LUO_KHO_ENTRY_NAME	"LUO"
#define LUO_ABI_COMPATIBLE	"luo-v5"
#define LUO_ABI_COMPAT_LEN	8	/* sizeof(LUO_ABI_COMPATIBLE) rounded to 8 */

/* Size of a list block: one page (the same on both sides of a live update). */
#define KHO_BLOCK_SIZE		KHO_PAGE_SIZE

/**
 * struct kho_block_header_ser - head of a list block
 * @next: physical address of the next block, 0 for the last one
 * @count: entries in this block, right after the header
 */
struct kho_block_header_ser {
	__u64 next;
	__u64 count;
};

/**
 * struct luo_ser - root of the LUO sub-blob
 * @compatible: LUO_ABI_COMPATIBLE, NUL padded
 * @liveupdate_num: live updates so far, counting the one in progress
 * @sessions_pa: first block of &struct luo_session_ser, or 0
 * @flbs_pa: &struct luo_flb_header_ser, or 0
 */
struct luo_ser {
	char compatible[LUO_ABI_COMPAT_LEN];
	__u64 liveupdate_num;
	__u64 sessions_pa;
	__u64 flbs_pa;
};

#define LIVEUPDATE_HNDL_COMPAT_LENGTH	48

/**
 * struct luo_file_ser - one preserved file
 * @compatible: the file handler's compatible string
 * @data: the handler's physical address for this file
 * @token: the token userspace preserved the file with
 */
struct luo_file_ser {
	char compatible[LIVEUPDATE_HNDL_COMPAT_LENGTH];
	__u64 data;
	__u64 token;
};

/**
 * struct luo_file_set_ser - the files of one session
 * @files: first block of &struct luo_file_ser, or 0
 * @count: how many files all those blocks hold together
 */
struct luo_file_set_ser {
	__u64 files;
	__u64 count;
};

/**
 * struct luo_session_ser - one session
 * @name: the session's name
 * @file_set_ser: its files
 */
struct luo_session_ser {
	char name[LIVEUPDATE_SESSION_NAME_LENGTH];
	struct luo_file_set_ser file_set_ser;
};

#define LIVEUPDATE_FLB_COMPAT_LENGTH	48

/**
 * struct luo_flb_header_ser - head of the shared-object array
 * @pgcnt: pages of the whole array, this header included
 * @count: &struct luo_flb_ser entries after the header
 */
struct luo_flb_header_ser {
	__u64 pgcnt;
	__u64 count;
};

/**
 * struct luo_flb_ser - one object shared by several preserved files
 * @name: the object's compatible string
 * @data: its owner's physical address for it
 * @count: how many preserved files used it
 */
struct luo_flb_ser {
	char name[LIVEUPDATE_FLB_COMPAT_LENGTH];
	__u64 data;
	__u64 count;
};

KHO_ABI_STATIC_ASSERT(sizeof(LUO_ABI_COMPATIBLE) <= LUO_ABI_COMPAT_LEN,
		      "LUO compatible must fit its field");
KHO_ABI_STATIC_ASSERT(sizeof(struct kho_block_header_ser) == 16,
		      "kho_block_header_ser must be 16 bytes");
KHO_ABI_STATIC_ASSERT(sizeof(struct luo_ser) == 32,
		      "luo_ser must be 32 bytes");
KHO_ABI_STATIC_ASSERT(sizeof(struct luo_file_ser) == 64,
		      "luo_file_ser must be 64 bytes");
KHO_ABI_STATIC_ASSERT(sizeof(struct luo_file_set_ser) == 16,
		      "luo_file_set_ser must be 16 bytes");
KHO_ABI_STATIC_ASSERT(sizeof(struct luo_session_ser) == 80,
		      "luo_session_ser must be 80 bytes");
KHO_ABI_STATIC_ASSERT(sizeof(struct luo_flb_header_ser) == 16,
		      "luo_flb_header_ser must be 16 bytes");
KHO_ABI_STATIC_ASSERT(sizeof(struct luo_flb_ser) == 64,
		      "luo_flb_ser must be 64 bytes");

#endif /* _LINUX_KHO_ABI_LUO_H */
