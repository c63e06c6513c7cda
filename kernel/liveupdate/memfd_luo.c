// SPDX-License-Identifier: GPL-2.0-only
/*
 * Live Update Orchestrator: the memfd (shmem) file handler, "memfd-v2".
 *
 * Preserving a memfd keeps its contents, size, file position and seals.
 * Every page of the file is allocated and pinned at preserve time (holes
 * become zeroed pages) and from then on the file can neither grow nor
 * shrink, nor have holes punched, until it is released. Its contents may
 * still change: the next kernel sees them as they are at kexec, and the
 * file position as it is at kexec. Everything else (the name, FD_CLOEXEC,
 * the owner) starts afresh in the next kernel. memfds backed by hugetlbfs
 * and tmpfs files with a name are not taken.
 *
 * The incoming description is checked before any page is used: the
 * header and the folio array must be preserved memory, every folio must
 * start a preserved block, lie inside the file's size at an index aligned
 * to its size, and be listed once.
 */

#define pr_fmt(fmt) "liveupdate: memfd: " fmt

#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/kho.h>
#include <linux/kho/abi/memfd.h>
#include <linux/liveupdate.h>
#include <linux/memfd.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "luo_internal.h"

static bool memfd_luo_can_preserve(struct liveupdate_file_handler *fh,
				   struct file *file)
{
	return shmem_file(file) && !file_inode(file)->i_nlink;
}

static unsigned long memfd_luo_get_id(struct file *file)
{
	return (unsigned long)file_inode(file);
}

static void memfd_luo_release_folios(struct memfd_luo_folio_ser *fs, u64 nr,
				     bool preserved)
{
	u64 i;

	for (i = 0; i < nr; i++) {
		struct folio *folio = pfn_folio(fs[i].pfn);

		if (preserved)
			kho_unpreserve_folio(folio);
		unpin_folio(folio);
	}
}

/*
 * Pin every folio of the file (allocating holes), preserve it, and record
 * it in a vmalloc array. Returns the array, or an ERR_PTR.
 */
static struct memfd_luo_folio_ser *
memfd_luo_preserve_folios(struct file *file, loff_t size, u64 *nr_out)
{
	unsigned long max = DIV_ROUND_UP(size, PAGE_SIZE);
	struct memfd_luo_folio_ser *fs;
	struct folio **folios;
	pgoff_t offset;
	long nr, i;
	int err;

	folios = kvmalloc_array(max, sizeof(*folios), GFP_KERNEL);
	if (!folios)
		return ERR_PTR(-ENOMEM);
	nr = memfd_pin_folios(file, 0, size - 1, folios, max, &offset);
	if (nr < 0) {
		kvfree(folios);
		return ERR_PTR(nr);
	}
	fs = vcalloc(nr, sizeof(*fs));
	if (!fs) {
		err = -ENOMEM;
		goto unpin;
	}
	for (i = 0; i < nr; i++) {
		struct folio *folio = folios[i];

		err = kho_preserve_folio(folio);
		if (err)
			goto unpreserve;
		folio_lock(folio);
		/*
		 * Whether userspace writes the folio before kexec is not
		 * known here: call every folio dirty so the next kernel never
		 * drops one as clean, and zero those never used.
		 */
		if (!folio_test_uptodate(folio)) {
			folio_zero_range(folio, 0, folio_size(folio));
			flush_dcache_folio(folio);
			folio_mark_uptodate(folio);
		}
		folio_mark_dirty(folio);
		folio_unlock(folio);
		fs[i].pfn = folio_pfn(folio);
		fs[i].flags = MEMFD_LUO_FOLIO_DIRTY | MEMFD_LUO_FOLIO_UPTODATE;
		fs[i].index = folio->index;
		cond_resched();
	}
	kvfree(folios);
	*nr_out = nr;
	return fs;

unpreserve:
	while (i--)
		kho_unpreserve_folio(folios[i]);
	vfree(fs);
unpin:
	unpin_folios(folios, nr);
	kvfree(folios);
	return ERR_PTR(err);
}

static int memfd_luo_preserve(struct liveupdate_file_op_args *args)
{
	struct inode *inode = file_inode(args->file);
	struct memfd_luo_folio_ser *fs = NULL;
	struct memfd_luo_ser *ser;
	unsigned int seals;
	u64 nr = 0;
	loff_t size;
	int err;

	inode_lock(inode);
	seals = SHMEM_I(inode)->seals;
	size = i_size_read(inode);
	err = -EOPNOTSUPP;
	if (seals & ~MEMFD_LUO_ALL_SEALS)
		goto unlock;
	err = -EFBIG;
	if (DIV_ROUND_UP_ULL(size, PAGE_SIZE) > UINT_MAX)
		goto unlock;
	ser = kho_alloc_preserve(sizeof(*ser));
	if (IS_ERR(ser)) {
		err = PTR_ERR(ser);
		goto unlock;
	}
	if (size) {
		fs = memfd_luo_preserve_folios(args->file, size, &nr);
		if (IS_ERR(fs)) {
			err = PTR_ERR(fs);
			goto free_ser;
		}
		err = kho_preserve_vmalloc(fs, &ser->folios);
		if (err)
			goto free_folios;
	}
	ser->pos = args->file->f_pos;
	ser->size = size;
	ser->seals = seals;
	ser->nr_folios = nr;
	shmem_freeze_size(inode, true);
	inode_unlock(inode);
	args->serialized_data = virt_to_phys(ser);
	args->private_data = fs;
	return 0;

free_folios:
	memfd_luo_release_folios(fs, nr, true);
	vfree(fs);
free_ser:
	kho_unpreserve_free(ser);
unlock:
	inode_unlock(inode);
	return err;
}

static void memfd_luo_unpreserve(struct liveupdate_file_op_args *args)
{
	struct memfd_luo_ser *ser = phys_to_virt(args->serialized_data);
	struct inode *inode = file_inode(args->file);
	struct memfd_luo_folio_ser *fs = args->private_data;

	inode_lock(inode);
	if (ser->nr_folios) {
		kho_unpreserve_vmalloc(&ser->folios);
		memfd_luo_release_folios(fs, ser->nr_folios, true);
		vfree(fs);
	}
	shmem_freeze_size(inode, false);
	kho_unpreserve_free(ser);
	inode_unlock(inode);
}

static int memfd_luo_freeze(struct liveupdate_file_op_args *args)
{
	struct memfd_luo_ser *ser = phys_to_virt(args->serialized_data);

	ser->pos = args->file->f_pos;
	return 0;
}

/**
 * memfd_luo_check_header() - check a handed-over memfd header
 * @ser: the header
 * @vmalloc_bytes: bytes of the restored folio array, 0 if none
 *
 * Return: 0 or -EINVAL (logged).
 */
int memfd_luo_check_header(const struct memfd_luo_ser *ser, u64 vmalloc_bytes)
{
	u64 pages = DIV_ROUND_UP_ULL(ser->size, PAGE_SIZE);

	if (ser->size > (u64)MAX_LFS_FILESIZE || ser->pos > (u64)MAX_LFS_FILESIZE) {
		pr_warn("size %llu or position %llu out of range\n",
			ser->size, ser->pos);
		return -EINVAL;
	}
	if ((ser->seals & ~MEMFD_LUO_ALL_SEALS) || ser->flags) {
		pr_warn("unknown seals %#x or flags %#x\n", ser->seals,
			ser->flags);
		return -EINVAL;
	}
	if (ser->nr_folios > pages ||
	    ser->nr_folios > vmalloc_bytes / sizeof(struct memfd_luo_folio_ser)) {
		pr_warn("%llu folios for %llu pages in %llu bytes\n",
			ser->nr_folios, pages, vmalloc_bytes);
		return -EINVAL;
	}
	return 0;
}

/**
 * memfd_luo_check_folio() - check one handed-over folio entry
 * @fs: the entry
 * @nr_pages: pages of the folio found at its pfn, 0 before it is taken
 * @size: the file's size
 *
 * Return: 0 or -EINVAL (logged).
 */
int memfd_luo_check_folio(const struct memfd_luo_folio_ser *fs,
			  unsigned long nr_pages, u64 size)
{
	u64 pages = DIV_ROUND_UP_ULL(size, PAGE_SIZE);
	u64 index = fs->index;

	if (fs->flags & ~MEMFD_LUO_FOLIO_FLAGS || index >= pages ||
	    (nr_pages && (!IS_ALIGNED(index, nr_pages) ||
			  nr_pages > pages - index))) {
		pr_warn("folio at pfn %#llx: index %llu, %lu pages, flags %#x do not fit a file of %llu bytes\n",
			(u64)fs->pfn, index, nr_pages, (unsigned int)fs->flags,
			size);
		return -EINVAL;
	}
	return 0;
}

static int memfd_luo_insert_folios(struct file *file,
				   const struct memfd_luo_folio_ser *fs,
				   u64 nr, u64 size)
{
	struct inode *inode = file_inode(file);
	u64 i;
	int err;

	for (i = 0; i < nr; i++) {
		struct folio *folio;

		if (!fs[i].pfn)
			continue;
		err = memfd_luo_check_folio(&fs[i], 0, size);
		if (err)
			return err;
		folio = kho_restore_folio(PFN_PHYS(fs[i].pfn));
		if (!folio) {
			pr_warn("folio at pfn %#llx is not preserved memory, or listed twice\n",
				(u64)fs[i].pfn);
			return -EINVAL;
		}
		err = memfd_luo_check_folio(&fs[i], folio_nr_pages(folio), size);
		if (!err)
			err = shmem_insert_folio(inode, folio, fs[i].index,
						 fs[i].flags & MEMFD_LUO_FOLIO_UPTODATE,
						 fs[i].flags & MEMFD_LUO_FOLIO_DIRTY);
		folio_put(folio);
		if (err) {
			pr_warn("folio at pfn %#llx, index %llu not restored (%d)\n",
				(u64)fs[i].pfn, (u64)fs[i].index, err);
			return err;
		}
		/* A file of a GiB is 262,144 folios, restored in an initcall. */
		cond_resched();
	}
	return 0;
}

static int memfd_luo_retrieve(struct liveupdate_file_op_args *args)
{
	struct memfd_luo_folio_ser *fs = NULL;
	const struct memfd_luo_ser *in;
	struct memfd_luo_ser ser;
	struct folio *head;
	struct inode *inode;
	struct file *file;
	u64 bytes = 0;
	int err;

	head = PAGE_ALIGNED(args->serialized_data) ?
		kho_restore_folio(args->serialized_data) : NULL;
	if (!head) {
		pr_warn("header at %#llx is not preserved memory\n",
			args->serialized_data);
		return -EINVAL;
	}
	in = folio_address(head);
	ser = *in;
	folio_put(head);
	if (ser.nr_folios) {
		fs = kho_restore_vmalloc(&ser.folios);
		if (!fs) {
			pr_warn("folio array is not preserved memory\n");
			return -EINVAL;
		}
		bytes = (u64)ser.folios.total_pages * PAGE_SIZE;
	}
	err = memfd_luo_check_header(&ser, bytes);
	if (err)
		goto free_array;

	file = shmem_file_setup("memfd:luo", 0, VM_NORESERVE);
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		goto free_array;
	}
	file->f_mode |= FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE |
			FMODE_ATOMIC_POS;
	file->f_flags |= O_LARGEFILE;
	inode = file_inode(file);
	inode_lock(inode);
	i_size_write(inode, ser.size);
	err = memfd_luo_insert_folios(file, fs, ser.nr_folios, ser.size);
	SHMEM_I(inode)->seals = ser.seals;
	inode_unlock(inode);
	if (err) {
		fput(file);
		goto free_array;
	}
	file->f_pos = ser.pos;
	args->file = file;
free_array:
	vfree(fs);
	return err;
}

static const struct liveupdate_file_ops memfd_luo_ops = {
	.can_preserve	= memfd_luo_can_preserve,
	.preserve	= memfd_luo_preserve,
	.unpreserve	= memfd_luo_unpreserve,
	.freeze		= memfd_luo_freeze,
	.retrieve	= memfd_luo_retrieve,
	.get_id		= memfd_luo_get_id,
	.owner		= THIS_MODULE,
};

static struct liveupdate_file_handler memfd_luo_handler = {
	.ops		= &memfd_luo_ops,
	.compatible	= MEMFD_LUO_FH_COMPATIBLE,
};

static int __init memfd_luo_init(void)
{
	int err = liveupdate_register_file_handler(&memfd_luo_handler);

	if (err && err != -EOPNOTSUPP)
		pr_err("cannot register the memfd handler (%d)\n", err);
	return 0;
}
device_initcall(memfd_luo_init);
