/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kexec HandOver (KHO) wire format, "kho-v4".
 *
 * This header is shared by the kernel and by userspace tools
 * (tools/lib/khoreg). It only uses fixed-width types from <linux/types.h>;
 * everything that needs kernel internals sits under __KERNEL__.
 */
#ifndef _LINUX_KHO_ABI_KEXEC_HANDOVER_H
#define _LINUX_KHO_ABI_KEXEC_HANDOVER_H

#include <linux/types.h>

#ifdef __KERNEL__
#include <linux/build_bug.h>
#include <linux/typecheck.h>
/*
 * The x86 setup code (_SETUP, real mode) includes this header for the
 * compatible strings of its ABI note only: <asm/page.h> is not built for
 * it, and its pages are 4 KiB, the default below.
 */
#ifndef _SETUP
#include <asm/page.h>
#endif
#else
#include <assert.h>
#endif
#define KHO_ABI_STATIC_ASSERT(expr, msg)	static_assert(expr, msg)

/**
 * DOC: KHO handover FDT
 *
 * The outgoing kernel describes everything it hands over in one small
 * flattened device tree (the "root FDT"). The incoming kernel finds it via
 * the boot protocol (see "KHO boot protocol" below) and uses it to locate
 * every other piece of preserved state, which lives in ordinary physical
 * memory that the outgoing kernel marked as preserved.
 *
 * Layout of the root FDT::
 *
 *   / {
 *           compatible = "kho-v4";
 *           preserved-memory-map = <u64: phys of the radix tree root>;
 *
 *           name-of-sub-blob {
 *                   preserved-data = <u64: phys of the blob>;
 *                   blob-size = <u64: length of the blob in bytes>;
 *           };
 *           ...
 *   };
 *
 * The root node carries exactly one compatible string, KHO_FDT_COMPATIBLE.
 * Any change to this file's layouts or to the meaning of a property needs a
 * new compatible string; a kernel only accepts the string it was built for.
 *
 * Every direct child of the root names one "sub-blob": an opaque, preserved
 * buffer owned by one subsystem (the child's node name is the subsystem's
 * chosen name, unique in the handover). A sub-blob is frequently an FDT of
 * its own, but that is up to its owner; blob-size gives its length so the
 * next kernel need not parse it to know how big it is.
 *
 * Byte order: unlike ordinary FDT cells, the three u64 properties above
 * (preserved-memory-map, preserved-data, blob-size) are stored as one 8-byte
 * value in the CPU's native byte order (little-endian on x86-64 and arm64),
 * exactly as the outgoing kernel had it in a u64 variable. Consumers must
 * check that each is exactly 8 bytes long and must not assume 4- or 8-byte
 * alignment of the property data.
 */
#define KHO_FDT_COMPATIBLE		"kho-v4"
#define KHO_FDT_MEMORY_MAP_PROP_NAME	"preserved-memory-map"
#define KHO_SUB_TREE_PROP_NAME		"preserved-data"
#define KHO_SUB_TREE_SIZE_PROP_NAME	"blob-size"

/**
 * DOC: KHO boot protocol
 *
 * The outgoing kernel hands two physical ranges to the next one: the root
 * FDT, and the "scratch" array. Scratch is a list of physically contiguous
 * ranges that hold no preserved data; the incoming kernel runs its early
 * boot allocations only from them so that it cannot trample preserved
 * pages before it has read the memory map. The scratch array is a packed
 * array of &struct kho_scratch_entry; its byte length is a multiple of
 * sizeof(struct kho_scratch_entry).
 *
 * On x86 both ranges are passed in one setup_data element of type
 * KHO_X86_SETUP_DATA_TYPE whose payload is &struct kho_x86_setup_data.
 *
 * On device-tree platforms the /chosen node of the boot FDT holds two
 * "reg"-style properties (address and size, each sized by the root node's
 * #address-cells and #size-cells): KHO_DT_CHOSEN_FDT_PROP for the root FDT
 * and KHO_DT_CHOSEN_SCRATCH_PROP for the scratch array.
 *
 * All fields of these two structures are native-endian.
 */
#define KHO_X86_SETUP_DATA_TYPE		10
#define KHO_DT_CHOSEN_FDT_PROP		"linux,kho-fdt"
#define KHO_DT_CHOSEN_SCRATCH_PROP	"linux,kho-scratch"

/**
 * struct kho_x86_setup_data - payload of the x86 KHO setup_data element
 * @fdt_addr: physical address of the root FDT
 * @fdt_size: size in bytes of the buffer that holds the root FDT
 * @scratch_addr: physical address of the scratch array
 * @scratch_size: size in bytes of the scratch array
 */
struct kho_x86_setup_data {
	__u64 fdt_addr;
	__u64 fdt_size;
	__u64 scratch_addr;
	__u64 scratch_size;
};

KHO_ABI_STATIC_ASSERT(sizeof(struct kho_x86_setup_data) == 32,
		      "kho_x86_setup_data must be 32 bytes");

/**
 * struct kho_scratch_entry - one scratch range
 * @addr: physical start address, page aligned
 * @size: length in bytes, a non-zero multiple of the page size
 */
struct kho_scratch_entry {
	__u64 addr;
	__u64 size;
};

KHO_ABI_STATIC_ASSERT(sizeof(struct kho_scratch_entry) == 16,
		      "kho_scratch_entry must be 16 bytes");

/*
 * Page size the tree and vmalloc layouts below are built for. The kernel
 * uses its own PAGE_SHIFT; userspace tools default to 4 KiB pages and may
 * define KHO_PAGE_SHIFT before including this header to change that.
 */
#if defined(__KERNEL__) && !defined(_SETUP)
#define KHO_PAGE_SHIFT		PAGE_SHIFT
#elif !defined(KHO_PAGE_SHIFT)
#define KHO_PAGE_SHIFT		12
#endif
#define KHO_PAGE_SIZE		((__u64)1 << KHO_PAGE_SHIFT)

/**
 * DOC: KHO preserved memory map
 *
 * Preserved memory is tracked as a set of (physical address, order) pairs:
 * a naturally aligned block of 2^order pages. The set is stored in a radix
 * tree made of page-sized nodes, and preserved-memory-map in the root FDT
 * holds the physical address of the top node.
 *
 * Key encoding. Each pair becomes one 64-bit key::
 *
 *   shift = KHO_PAGE_SHIFT + order
 *   key   = (1 << (64 - shift)) | (phys >> shift)
 *
 * The low bits are the block's frame number counted in blocks of its own
 * size; the single "order bit" above them records the order (bit 52 for
 * order 0 with 4 KiB pages, bit 51 for order 1, and so on). Every order thus
 * owns a disjoint part of the key space, and one tree holds all orders. To
 * decode, the order bit is the most significant set bit b, order is
 * 64 - KHO_PAGE_SHIFT - b, and phys is key << (KHO_PAGE_SHIFT + order)
 * (the shift pushes the order bit out).
 *
 * Tree shape. A key uses KHO_RADIX_KEY_WIDTH bits. The lowest
 * KHO_BITMAP_SIZE_LOG2 bits select one bit in a leaf (level 0); each
 * further KHO_TABLE_SIZE_LOG2 bits select one slot of a table node, level 1
 * for the lowest group up to level KHO_TREE_MAX_DEPTH - 1 at the top, which
 * is the node preserved-memory-map points to. With 4 KiB pages: 15 leaf
 * bits, 9 bits per table level, and a six-level tree (levels 5..0).
 *
 * The slot used at table level L (1 <= L < KHO_TREE_MAX_DEPTH) is::
 *
 *   (key >> (KHO_BITMAP_SIZE_LOG2 + (L - 1) * KHO_TABLE_SIZE_LOG2))
 *           & ((1 << KHO_TABLE_SIZE_LOG2) - 1)
 *
 * Table node (&struct kho_radix_node): one page of native-endian u64
 * physical addresses of the child node one level down; 0 means "no keys in
 * this subtree". Leaf (&struct kho_radix_leaf): one page used as a bitmap,
 * read as an array of native-endian u64 words: bit i lives in word i / 64 at
 * bit position i % 64. A set bit means the key is present, that is, the
 * block is preserved. All node addresses are page aligned; the nodes
 * themselves are preserved memory too but are not listed in the tree.
 */
#define KHO_RADIX_KEY_WIDTH	(64 - KHO_PAGE_SHIFT + 1)
#define KHO_TABLE_SIZE_LOG2	(KHO_PAGE_SHIFT - 3)
#define KHO_BITMAP_SIZE_LOG2	(KHO_PAGE_SHIFT + 3)
#define KHO_TREE_MAX_DEPTH						\
	((KHO_RADIX_KEY_WIDTH - KHO_BITMAP_SIZE_LOG2 +			\
	  KHO_TABLE_SIZE_LOG2 - 1) / KHO_TABLE_SIZE_LOG2 + 1)

/**
 * struct kho_radix_node - one table level of the preserved memory map
 * @table: physical addresses of next-level nodes, 0 when absent
 */
struct kho_radix_node {
	__u64 table[1 << KHO_TABLE_SIZE_LOG2];
};

/**
 * struct kho_radix_leaf - bottom level of the preserved memory map
 * @bitmap: one bit per key, in native-endian 64-bit words
 */
struct kho_radix_leaf {
	__u64 bitmap[(1 << KHO_BITMAP_SIZE_LOG2) / 64];
};

KHO_ABI_STATIC_ASSERT(sizeof(struct kho_radix_node) == KHO_PAGE_SIZE,
		      "radix table node must fill one page");
KHO_ABI_STATIC_ASSERT(sizeof(struct kho_radix_leaf) == KHO_PAGE_SIZE,
		      "radix leaf must fill one page");

/**
 * kho_radix_encode_key() - build the radix tree key of a preserved block
 * @phys: physical address, aligned to the block size
 * @order: block order (log2 of the number of pages)
 *
 * Return: the key as described in "KHO preserved memory map".
 */
static inline __u64 kho_radix_encode_key(__u64 phys, unsigned int order)
{
	unsigned int shift = KHO_PAGE_SHIFT + order;

	return ((__u64)1 << (64 - shift)) | (phys >> shift);
}

/**
 * kho_radix_decode_key() - split a radix tree key into address and order
 * @key: a non-zero key
 * @order: returns the block order
 *
 * Return: the physical address of the block.
 */
static inline __u64 kho_radix_decode_key(__u64 key, unsigned int *order)
{
	unsigned int top = 63 - __builtin_clzll(key);

	*order = 64 - KHO_PAGE_SHIFT - top;
	return key << (KHO_PAGE_SHIFT + *order);
}

/**
 * DOC: KHO vmalloc preservation
 *
 * A preserved vmalloc area is described by a 16-byte &struct kho_vmalloc
 * (usually embedded in some other preserved structure), which points at a
 * singly linked list of one-page &struct kho_vmalloc_chunk. Each chunk
 * starts with the physical address of the next chunk (0 in the last one)
 * and continues with the physical addresses of the area's backing blocks,
 * in virtual address order, each block being 2^order pages. A chunk's
 * address array ends at its first 0 entry or at its end. All values are
 * native-endian.
 *
 * &struct kho_vmalloc records the total number of pages of the area, the
 * block order, and KHO_VMALLOC_* flags describing how the area was mapped.
 */
#define KHO_VMALLOC_ALLOC	0x0001	/* area came from vmalloc() */
#define KHO_VMALLOC_HUGE_VMAP	0x0002	/* area may use huge mappings */

/*
 * A serialised pointer: the outgoing kernel stores a physical address, the
 * incoming one turns it back into a pointer. Userspace only sees @phys.
 */
#ifdef __KERNEL__
#define DECLARE_KHOSER_PTR(name, type)	\
	union {				\
		__u64 phys;		\
		type ptr;		\
	} name
#define KHOSER_STORE_PTR(dest, val)			\
	({						\
		typeof(val) __v = (val);		\
		typecheck(typeof((dest).ptr), __v);	\
		(dest).phys = virt_to_phys(__v);	\
	})
#define KHOSER_LOAD_PTR(src)						\
	({								\
		typeof(src) __s = (src);				\
		(typeof((__s).ptr))((__s).phys ?			\
				    phys_to_virt((__s).phys) : NULL);	\
	})
#else
#define DECLARE_KHOSER_PTR(name, type)	\
	union {				\
		__u64 phys;		\
	} name
#endif

struct kho_vmalloc_chunk;

/**
 * struct kho_vmalloc_hdr - head of a vmalloc chunk
 * @next: physical address of the next chunk, 0 for the last one
 */
struct kho_vmalloc_hdr {
	DECLARE_KHOSER_PTR(next, struct kho_vmalloc_chunk *);
};

#define KHO_VMALLOC_SIZE						\
	((KHO_PAGE_SIZE - sizeof(struct kho_vmalloc_hdr)) / sizeof(__u64))

/**
 * struct kho_vmalloc_chunk - one page of a vmalloc area's block list
 * @hdr: link to the next chunk
 * @phys: block addresses, terminated by the first 0
 */
struct kho_vmalloc_chunk {
	struct kho_vmalloc_hdr hdr;
	__u64 phys[KHO_VMALLOC_SIZE];
};

/**
 * struct kho_vmalloc - descriptor of a preserved vmalloc area
 * @first: physical address of the first chunk
 * @total_pages: number of pages in the area
 * @flags: KHO_VMALLOC_* flags
 * @order: order of every backing block
 */
struct kho_vmalloc {
	DECLARE_KHOSER_PTR(first, struct kho_vmalloc_chunk *);
	__u32 total_pages;
	__u16 flags;
	__u16 order;
};

KHO_ABI_STATIC_ASSERT(sizeof(struct kho_vmalloc_hdr) == 8,
		      "kho_vmalloc_hdr must be 8 bytes");
KHO_ABI_STATIC_ASSERT(sizeof(struct kho_vmalloc_chunk) == KHO_PAGE_SIZE,
		      "kho_vmalloc_chunk must fill one page");
KHO_ABI_STATIC_ASSERT(sizeof(struct kho_vmalloc) == 16,
		      "kho_vmalloc must be 16 bytes");

#endif /* _LINUX_KHO_ABI_KEXEC_HANDOVER_H */
