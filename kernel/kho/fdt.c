// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver: the root FDT.
 *
 * The outgoing kernel generates the root FDT at finalize from the address
 * of its preserved-memory tree and its list of named sub-blobs. The
 * incoming kernel checks a received FDT completely before it reads a
 * single value from it: header and block bounds, every tag, name and
 * property of the structure block, the compatible string, and the shape
 * of every property KHO defines.
 *
 * Both work on a buffer and a list only, without any state of the core,
 * so that the KUnit suite can feed them well-formed and malformed FDTs.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/kernel.h>
#include <linux/libfdt.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "internal.h"

/* Deepest node nesting accepted in an incoming FDT (root is depth 1). */
#define KHO_FDT_MAX_DEPTH	8
#define KHO_BLOB_NAME_MAX	63

/**
 * kho_blob_name_valid() - may this name be a sub-blob node name?
 * @name: the name
 *
 * Return: true for 1..63 characters from [A-Za-z0-9,._+@-].
 */
bool kho_blob_name_valid(const char *name)
{
	static const char allowed[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,._+@-";
	size_t len = strnlen(name, KHO_BLOB_NAME_MAX + 1);

	if (!len || len > KHO_BLOB_NAME_MAX)
		return false;
	return strspn(name, allowed) == len;
}

/**
 * kho_fdt_size() - buffer size that holds the root FDT for a list of blobs
 * @blobs: list of &struct kho_blob
 *
 * Return: a size in bytes, a multiple of PAGE_SIZE.
 */
size_t kho_fdt_size(const struct list_head *blobs)
{
	const struct kho_blob *blob;
	size_t size = 512;

	list_for_each_entry(blob, blobs, list)
		size += 64 + strlen(blob->name);
	return PAGE_ALIGN(size);
}

/**
 * kho_fdt_build() - write the root FDT
 * @buf: the buffer
 * @size: its size
 * @mem_map: physical address of the preserved-memory tree's root
 * @blobs: list of &struct kho_blob, each becoming one child node
 *
 * Return: 0, -ENOSPC if @buf is too small, or -EINVAL.
 */
int kho_fdt_build(void *buf, size_t size, u64 mem_map,
		  const struct list_head *blobs)
{
	const struct kho_blob *blob;
	int err;

	err = fdt_create(buf, size);
	err = err ?: fdt_finish_reservemap(buf);
	err = err ?: fdt_begin_node(buf, "");
	err = err ?: fdt_property_string(buf, "compatible", KHO_FDT_COMPATIBLE);
	err = err ?: fdt_property(buf, KHO_FDT_MEMORY_MAP_PROP_NAME, &mem_map,
				  sizeof(mem_map));
	list_for_each_entry(blob, blobs, list) {
		u64 phys = blob->phys;

		err = err ?: fdt_begin_node(buf, blob->name);
		err = err ?: fdt_property(buf, KHO_SUB_TREE_PROP_NAME, &phys,
					  sizeof(phys));
		err = err ?: fdt_property(buf, KHO_SUB_TREE_SIZE_PROP_NAME,
					  &blob->size, sizeof(blob->size));
		err = err ?: fdt_end_node(buf);
	}
	err = err ?: fdt_end_node(buf);
	err = err ?: fdt_finish(buf);
	if (err == -FDT_ERR_NOSPACE)
		return -ENOSPC;
	return err ? -EINVAL : 0;
}

/* Read a KHO u64 property: exactly 8 native-endian bytes, any alignment. */
static int kho_fdt_u64(const void *fdt, int node, const char *name, u64 *val)
{
	const void *p;
	int len;

	p = fdt_getprop(fdt, node, name, &len);
	if (!p)
		return -ENOENT;
	if (len != sizeof(u64))
		return -EINVAL;
	*val = get_unaligned((const u64 *)p);
	return 0;
}

/* Every tag, name and property of the structure block is in bounds. */
static int kho_fdt_check_structure(const void *fdt, int max_depth,
				   const char **why)
{
	int offset = 0, next, depth = 0, len;
	bool root_seen = false;
	const char *name;
	u32 tag;

	for (;;) {
		tag = fdt_next_tag(fdt, offset, &next);
		if (next < 0) {
			*why = "has a structure block that runs past its end";
			return -EINVAL;
		}
		/*
		 * libfdt takes a property length of -8 as a step of zero and
		 * a more negative one as a step back: either would walk
		 * this loop forever.
		 */
		if (next <= offset) {
			*why = "has a property length that walks backwards";
			return -EINVAL;
		}
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (!depth && root_seen) {
				*why = "has more than one root node";
				return -EINVAL;
			}
			root_seen = true;
			if (++depth > max_depth) {
				*why = "nests nodes too deeply";
				return -EINVAL;
			}
			if (!fdt_get_name(fdt, offset, &len)) {
				*why = "has a node with a bad name";
				return -EINVAL;
			}
			break;
		case FDT_END_NODE:
			if (--depth < 0) {
				*why = "ends more nodes than it begins";
				return -EINVAL;
			}
			break;
		case FDT_PROP:
			if (!depth) {
				*why = "has a property outside any node";
				return -EINVAL;
			}
			if (!fdt_getprop_by_offset(fdt, offset, &name, &len)) {
				*why = "has a property with a bad name or length";
				return -EINVAL;
			}
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			if (depth || !root_seen) {
				*why = "ends inside a node";
				return -EINVAL;
			}
			return 0;
		default:
			*why = "has an unknown tag";
			return -EINVAL;
		}
		offset = next;
	}
}

/**
 * kho_fdt_check_blob() - check that an incoming FDT is safe to read
 * @fdt: the FDT
 * @size: bytes readable at @fdt
 * @max_depth: deepest node nesting allowed, the root node being 1
 * @why: set to a short reason on failure ("<FDT> <why>")
 *
 * Checks the header, and the bounds of every tag, node name and property
 * of the structure block, so that libfdt's read functions can be used on
 * @fdt afterwards.
 *
 * Return: 0, or -EINVAL.
 */
int kho_fdt_check_blob(const void *fdt, size_t size, int max_depth,
		       const char **why)
{
	if (size < sizeof(struct fdt_header)) {
		*why = "is truncated";
		return -EINVAL;
	}
	if (fdt_magic(fdt) != FDT_MAGIC) {
		*why = "has no FDT magic";
		return -EINVAL;
	}
	if (fdt_totalsize(fdt) > size) {
		*why = "is truncated";
		return -EINVAL;
	}
	if (fdt_check_header(fdt)) {
		*why = "has an invalid header";
		return -EINVAL;
	}
	return kho_fdt_check_structure(fdt, max_depth, why);
}

/**
 * kho_fdt_check() - validate an incoming root FDT
 * @fdt: the FDT
 * @size: bytes readable at @fdt
 * @info: filled with what was found
 * @blob_ok: if not NULL, called with each sub-blob's address and size; it
 *	     returns false, with a reason in its last argument, to refuse it
 * @why: set to a short reason on failure ("handover FDT <why>")
 *
 * Return: 0 if @fdt is a well-formed kho-v4 root FDT, else -EINVAL.
 */
int kho_fdt_check(const void *fdt, size_t size, struct kho_fdt_info *info,
		  bool (*blob_ok)(phys_addr_t phys, u64 size, const char **why),
		  const char **why)
{
	int node, err;
	u64 phys, val;

	memset(info, 0, sizeof(*info));
	if (kho_fdt_check_blob(fdt, size, KHO_FDT_MAX_DEPTH, why))
		return -EINVAL;
	if (fdt_node_check_compatible(fdt, 0, KHO_FDT_COMPATIBLE)) {
		*why = "is not compatible with " KHO_FDT_COMPATIBLE;
		return -EINVAL;
	}
	err = kho_fdt_u64(fdt, 0, KHO_FDT_MEMORY_MAP_PROP_NAME, &info->mem_map);
	if (err || !info->mem_map || !PAGE_ALIGNED(info->mem_map)) {
		*why = "has no valid " KHO_FDT_MEMORY_MAP_PROP_NAME;
		return -EINVAL;
	}
	fdt_for_each_subnode(node, fdt, 0) {
		if (kho_fdt_u64(fdt, node, KHO_SUB_TREE_PROP_NAME, &phys) ||
		    kho_fdt_u64(fdt, node, KHO_SUB_TREE_SIZE_PROP_NAME, &val)) {
			*why = "has a sub-blob without valid " KHO_SUB_TREE_PROP_NAME
			       " and " KHO_SUB_TREE_SIZE_PROP_NAME;
			return -EINVAL;
		}
		if (blob_ok && !blob_ok(phys, val, why))
			return -EINVAL;
		info->nr_blobs++;
	}
	return 0;
}

/**
 * kho_fdt_find_blob() - look a sub-blob up in a validated root FDT
 * @fdt: the FDT, checked by kho_fdt_check()
 * @name: node name
 * @phys: returns the blob's physical address
 * @size: returns its size
 *
 * Return: 0, or -ENOENT if there is no such sub-blob.
 */
int kho_fdt_find_blob(const void *fdt, const char *name, u64 *phys, u64 *size)
{
	int node = fdt_subnode_offset(fdt, 0, name);

	if (node < 0)
		return -ENOENT;
	if (kho_fdt_u64(fdt, node, KHO_SUB_TREE_PROP_NAME, phys) ||
	    kho_fdt_u64(fdt, node, KHO_SUB_TREE_SIZE_PROP_NAME, size))
		return -EINVAL;
	return 0;
}
