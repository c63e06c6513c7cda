// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kexec HandOver: the kho-v4 radix tree of preserved blocks.
 *
 * The tree is the wire format itself (see <linux/kho/abi/kexec_handover.h>):
 * table nodes of physical addresses down to leaf bitmaps, one bit per key.
 * This file only adds, deletes, tests and walks keys; what a key means,
 * which keys may be added and what an incoming tree may contain is decided
 * by mem.c. Keeping the tree apart lets the KUnit suite test it without
 * any of that policy.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/bitmap.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>

#include "internal.h"

static_assert(BITS_PER_LONG == 64, "leaf bitmaps are read as unsigned long");

#define KHO_TABLE_SLOTS		BIT(KHO_TABLE_SIZE_LOG2)
#define KHO_LEAF_BITS		BIT(KHO_BITMAP_SIZE_LOG2)
#define KHO_TOP_LEVEL		(KHO_TREE_MAX_DEPTH - 1)

static unsigned int kho_slot(u64 key, unsigned int level)
{
	return (key >> (KHO_BITMAP_SIZE_LOG2 +
			(level - 1) * KHO_TABLE_SIZE_LOG2)) &
	       (KHO_TABLE_SLOTS - 1);
}

static void *kho_node_alloc(struct kho_radix *tree)
{
	void *node = (void *)get_zeroed_page(GFP_KERNEL);

	if (node)
		tree->nr_nodes++;
	return node;
}

static void kho_node_free(struct kho_radix *tree, void *node)
{
	free_page((unsigned long)node);
	tree->nr_nodes--;
}

/**
 * kho_radix_alloc_root() - give a tree its root node
 * @tree: the tree
 *
 * Return: 0, or -ENOMEM.
 */
int kho_radix_alloc_root(struct kho_radix *tree)
{
	if (!tree->root)
		tree->root = kho_node_alloc(tree);
	return tree->root ? 0 : -ENOMEM;
}

/*
 * Walk from the root towards the leaf holding @key, filling @path[level]
 * with the table node at each level and returning the leaf. With @create,
 * missing nodes are allocated; without, NULL means the key is absent.
 */
static struct kho_radix_leaf *kho_radix_descend(struct kho_radix *tree,
						u64 key, bool create,
						struct kho_radix_node **path)
{
	struct kho_radix_node *node = tree->root;
	unsigned int level;

	for (level = KHO_TOP_LEVEL; level >= 1; level--) {
		u64 *slot = &node->table[kho_slot(key, level)];

		path[level] = node;
		if (!*slot) {
			void *child;

			if (!create)
				return NULL;
			child = kho_node_alloc(tree);
			if (!child)
				return NULL;
			*slot = virt_to_phys(child);
		}
		node = phys_to_virt(*slot);
	}
	return (struct kho_radix_leaf *)node;
}

/**
 * kho_radix_add() - add a key to a tree
 * @tree: the tree, serialised by the caller
 * @key: a key as built by kho_radix_encode_key()
 *
 * Return: 0, -EEXIST if the key is already present, or -ENOMEM.
 */
int kho_radix_add(struct kho_radix *tree, u64 key)
{
	struct kho_radix_node *path[KHO_TREE_MAX_DEPTH];
	struct kho_radix_leaf *leaf;

	if (kho_radix_alloc_root(tree))
		return -ENOMEM;
	leaf = kho_radix_descend(tree, key, true, path);
	if (!leaf)
		return -ENOMEM;
	if (__test_and_set_bit(key & (KHO_LEAF_BITS - 1),
			       (unsigned long *)leaf->bitmap))
		return -EEXIST;
	tree->nr_keys++;
	tree->gen++;
	return 0;
}

/**
 * kho_radix_del() - remove a key from a tree, freeing nodes left empty
 * @tree: the tree, serialised by the caller
 * @key: the key
 *
 * Return: 0, or -ENOENT if the key is absent.
 */
int kho_radix_del(struct kho_radix *tree, u64 key)
{
	struct kho_radix_node *path[KHO_TREE_MAX_DEPTH];
	struct kho_radix_leaf *leaf;
	void *child;
	unsigned int level;

	if (!tree->root)
		return -ENOENT;
	leaf = kho_radix_descend(tree, key, false, path);
	if (!leaf || !__test_and_clear_bit(key & (KHO_LEAF_BITS - 1),
					   (unsigned long *)leaf->bitmap))
		return -ENOENT;
	tree->nr_keys--;
	tree->gen++;

	child = leaf;
	for (level = 1; level <= KHO_TOP_LEVEL; level++) {
		if (memchr_inv(child, 0, PAGE_SIZE))
			break;
		path[level]->table[kho_slot(key, level)] = 0;
		kho_node_free(tree, child);
		child = path[level];
	}
	return 0;
}

/**
 * kho_radix_test() - is a key present?
 * @tree: the tree
 * @key: the key
 *
 * Return: true if @key is in @tree.
 */
bool kho_radix_test(const struct kho_radix *tree, u64 key)
{
	struct kho_radix_node *path[KHO_TREE_MAX_DEPTH];
	struct kho_radix_leaf *leaf;

	if (!tree->root)
		return false;
	leaf = kho_radix_descend((struct kho_radix *)tree, key, false, path);
	return leaf && test_bit(key & (KHO_LEAF_BITS - 1),
				(unsigned long *)leaf->bitmap);
}

static void kho_radix_free_node(struct kho_radix *tree, void *node,
				unsigned int level)
{
	struct kho_radix_node *table = node;
	unsigned int i;

	if (level) {
		for (i = 0; i < KHO_TABLE_SLOTS; i++)
			if (table->table[i])
				kho_radix_free_node(tree,
						    phys_to_virt(table->table[i]),
						    level - 1);
	}
	kho_node_free(tree, node);
}

/**
 * kho_radix_destroy() - free every node of a tree and empty it
 * @tree: the tree
 */
void kho_radix_destroy(struct kho_radix *tree)
{
	if (tree->root)
		kho_radix_free_node(tree, tree->root, KHO_TOP_LEVEL);
	tree->root = NULL;
	tree->nr_keys = 0;
}

static int kho_walk_node(phys_addr_t phys, unsigned int level, u64 prefix,
			 struct kho_radix_walk *walk)
{
	unsigned long bit;
	unsigned int i;
	int err;

	if (walk->node) {
		err = walk->node(walk, phys, level);
		if (err)
			return err;
	}
	if (!level) {
		const unsigned long *bitmap = phys_to_virt(phys);

		if (!walk->key)
			return 0;

		for_each_set_bit(bit, bitmap, KHO_LEAF_BITS) {
			err = walk->key(walk, prefix | bit);
			if (err)
				return err;
		}
		return 0;
	}
	for (i = 0; i < KHO_TABLE_SLOTS; i++) {
		const struct kho_radix_node *table = phys_to_virt(phys);
		u64 child = READ_ONCE(table->table[i]);
		unsigned int shift = KHO_BITMAP_SIZE_LOG2 +
				     (level - 1) * KHO_TABLE_SIZE_LOG2;

		if (!child)
			continue;
		err = kho_walk_node(child, level - 1,
				    prefix | ((u64)i << shift), walk);
		if (err)
			return err;
	}
	return 0;
}

/**
 * kho_radix_walk() - visit every node and key of a tree
 * @root: physical address of the root node, 0 for an empty tree
 * @walk: callbacks; @walk->node sees each node before it is read, so it
 *	  can refuse addresses that must not be dereferenced; without
 *	  @walk->key, leaves are not read
 *
 * Return: 0, or the first non-zero value a callback returned.
 */
int kho_radix_walk(phys_addr_t root, struct kho_radix_walk *walk)
{
	return root ? kho_walk_node(root, KHO_TOP_LEVEL, 0, walk) : 0;
}
