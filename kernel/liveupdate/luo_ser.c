// SPDX-License-Identifier: GPL-2.0-only
/*
 * Live Update Orchestrator: writing the session list of the LUO sub-blob
 * and reading the one the previous kernel wrote.
 *
 * The incoming list is untrusted. Every block is taken through a
 * &struct luo_block_source, which only hands out preserved memory and each
 * block once, so a chain cannot loop or point into memory this kernel
 * uses. Counts are checked against what fits in a block and against each
 * other, strings must be terminated within their arrays, names and tokens
 * must be unique. A bad entry is refused on its own, with one log line,
 * and the entries around it are kept.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/bits.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/kho.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "luo_internal.h"

#define LUO_PER_BLOCK(type)						\
	((KHO_BLOCK_SIZE - sizeof(struct kho_block_header_ser)) / sizeof(type))

/* Most sessions, and most files in one session, read from a handover. */
#define LUO_MAX_SESSIONS	4096
#define LUO_MAX_FILES		BIT(20)

/* The blocks of the outgoing sub-blob, to free them when it is dropped. */
static void **luo_out_blocks;
static unsigned int luo_out_nr, luo_out_cap;
/* Which of them are the session list, in order. */
static unsigned int luo_out_first_session, luo_out_nr_session;

static void *luo_out_block(void)
{
	void *b;

	if (luo_out_nr == luo_out_cap) {
		unsigned int cap = max(16U, luo_out_cap * 2);
		void **n = krealloc_array(luo_out_blocks, cap, sizeof(*n),
					  GFP_KERNEL);

		if (!n)
			return ERR_PTR(-ENOMEM);
		luo_out_blocks = n;
		luo_out_cap = cap;
	}
	b = kho_alloc_preserve(KHO_BLOCK_SIZE);
	if (!IS_ERR(b))
		luo_out_blocks[luo_out_nr++] = b;
	return b;
}

/*
 * Write a chain of @n entries of @esz bytes, @per to a block, each filled
 * by @fill. *@first_pa is the first block's address, 0 for @n == 0.
 */
static int luo_out_chain(u64 n, size_t esz, unsigned int per,
			 void (*fill)(void *entry, void *arg), void *arg,
			 u64 *first_pa)
{
	struct kho_block_header_ser *prev = NULL, *hdr = NULL;
	u64 i;

	*first_pa = 0;
	for (i = 0; i < n; i++) {
		unsigned int slot = i % per;

		if (!slot) {
			hdr = luo_out_block();
			if (IS_ERR(hdr))
				return PTR_ERR(hdr);
			if (prev)
				prev->next = virt_to_phys(hdr);
			else
				*first_pa = virt_to_phys(hdr);
			prev = hdr;
		}
		fill((char *)(hdr + 1) + slot * esz, arg);
		hdr->count = slot + 1;
	}
	return 0;
}

static void luo_fill_file(void *entry, void *arg)
{
	struct luo_file **cur = arg;
	struct luo_file_ser *ser = entry;
	struct luo_file *f = *cur;

	strscpy(ser->compatible, f->fh->compatible, sizeof(ser->compatible));
	ser->data = f->serialized_data;
	ser->token = f->token;
	*cur = list_next_entry(f, list);
}

static void luo_fill_session(void *entry, void *arg)
{
	struct luo_session **cur = arg;
	struct luo_session_ser *ser = entry;
	struct luo_session *s = *cur;

	strscpy(ser->name, s->name, sizeof(ser->name));
	ser->file_set_ser.files = s->files_pa;
	ser->file_set_ser.count = s->nr_files;
	*cur = list_next_entry(s, list);
}

/**
 * luo_ser_write() - serialize the outgoing sessions
 * @sessions: the list of &struct luo_session
 * @sessions_pa: returns the first block of the session list
 *
 * Called at finalize, with luo_lock held. On error what was written is
 * freed.
 *
 * Return: 0 or a negative error.
 */
int luo_ser_write(struct list_head *sessions, u64 *sessions_pa)
{
	struct luo_session *s, *cur;
	u64 n = 0;
	int err;

	list_for_each_entry(s, sessions, list) {
		struct luo_file *f = list_first_entry_or_null(&s->files,
							      struct luo_file,
							      list);

		err = luo_out_chain(s->nr_files, sizeof(struct luo_file_ser),
				    LUO_PER_BLOCK(struct luo_file_ser),
				    luo_fill_file, &f, &s->files_pa);
		if (err)
			goto fail;
		n++;
	}
	luo_out_first_session = luo_out_nr;
	cur = list_first_entry_or_null(sessions, struct luo_session, list);
	err = luo_out_chain(n, sizeof(struct luo_session_ser),
			    LUO_PER_BLOCK(struct luo_session_ser),
			    luo_fill_session, &cur, sessions_pa);
	if (err)
		goto fail;
	luo_out_nr_session = luo_out_nr - luo_out_first_session;
	return 0;
fail:
	luo_ser_free();
	*sessions_pa = 0;
	return err;
}

/**
 * luo_ser_rewrite() - write the session list again, at kexec
 * @sessions: the sessions still open, at most as many as luo_ser_write()
 *	      wrote
 * @sessions_pa: the first block of the session list, or 0 if none is left
 *
 * Sessions closed since luo_ser_write() leave the list; their blocks stay
 * preserved, unreferenced, until the next kernel's handover finishes.
 */
void luo_ser_rewrite(struct list_head *sessions, u64 *sessions_pa)
{
	const unsigned int per = LUO_PER_BLOCK(struct luo_session_ser);
	struct kho_block_header_ser *hdr = NULL, *next;
	struct luo_session *s;
	unsigned int b = 0, slot = per;

	*sessions_pa = 0;
	list_for_each_entry(s, sessions, list) {
		struct luo_session *cur = s;

		if (slot == per) {
			if (WARN_ON_ONCE(b == luo_out_nr_session))
				break;
			next = luo_out_blocks[luo_out_first_session + b++];
			if (hdr)
				hdr->next = virt_to_phys(next);
			else
				*sessions_pa = virt_to_phys(next);
			hdr = next;
			slot = 0;
		}
		luo_fill_session((struct luo_session_ser *)(hdr + 1) + slot,
				 &cur);
		hdr->count = ++slot;
	}
	if (hdr)
		hdr->next = 0;
}

/**
 * luo_ser_free() - free every block of the outgoing sub-blob
 *
 * Called when finalize fails or the handover is aborted, with luo_lock
 * held and the handover idle again.
 */
void luo_ser_free(void)
{
	while (luo_out_nr)
		kho_unpreserve_free(luo_out_blocks[--luo_out_nr]);
	luo_out_first_session = 0;
	luo_out_nr_session = 0;
}

/*
 * Take the block at @pa and check its header: between 1 and @per entries.
 * Returns the header or NULL (logged).
 */
static const struct kho_block_header_ser *
luo_in_block(const struct luo_block_source *src, u64 pa, unsigned int per,
	     const char *what)
{
	const struct kho_block_header_ser *hdr = src->take(src->ctx, pa);

	if (!hdr) {
		pr_warn("%s block at %#llx is not preserved memory, or is listed twice\n",
			what, pa);
		return NULL;
	}
	if (!hdr->count || hdr->count > per) {
		pr_warn("%s block at %#llx holds %llu entries, not 1..%u\n",
			what, pa, hdr->count, per);
		return NULL;
	}
	return hdr;
}

/*
 * Read the files of session @name. They are handed on only if the chain
 * holds exactly @want of them; a file with a bad compatible string or a
 * token seen before is refused alone.
 */
static void luo_parse_files(const struct luo_session_ser *ss,
			    const struct luo_block_source *src,
			    const struct luo_parse_ops *ops, void *cookie)
{
	const unsigned int per = LUO_PER_BLOCK(struct luo_file_ser);
	u64 want = ss->file_set_ser.count, seen = 0, i, j;
	const struct luo_file_ser **all;
	u64 pa = ss->file_set_ser.files;

	if (want > LUO_MAX_FILES) {
		pr_warn("session %s: %llu files, more than %lu\n", ss->name,
			want, LUO_MAX_FILES);
		return;
	}
	if (!want != !pa) {
		pr_warn("session %s: %llu files but list at %#llx\n", ss->name,
			want, pa);
		return;
	}
	if (!want)
		return;
	all = kvmalloc_array(want, sizeof(*all), GFP_KERNEL);
	if (!all)
		return;
	while (pa) {
		const struct kho_block_header_ser *hdr =
			luo_in_block(src, pa, per, "file");
		const struct luo_file_ser *fs;

		if (!hdr)
			goto out;
		if (hdr->count > want - seen) {
			pr_warn("session %s: more files listed than its count %llu\n",
				ss->name, want);
			goto out;
		}
		fs = (const struct luo_file_ser *)(hdr + 1);
		for (i = 0; i < hdr->count; i++)
			all[seen++] = &fs[i];
		pa = hdr->next;
	}
	if (seen != want) {
		pr_warn("session %s: %llu files listed, its count says %llu\n",
			ss->name, seen, want);
		goto out;
	}
	for (i = 0; i < seen; i++) {
		const struct luo_file_ser *f = all[i];

		if (!memchr(f->compatible, 0, sizeof(f->compatible)) ||
		    !f->compatible[0]) {
			pr_warn("session %s: token %llu has no valid handler name, refused\n",
				ss->name, f->token);
			continue;
		}
		for (j = 0; j < i; j++)
			if (all[j]->token == f->token)
				break;
		if (j < i) {
			pr_warn("session %s: token %llu listed twice, second refused\n",
				ss->name, f->token);
			continue;
		}
		ops->file(ops->ctx, cookie, f->compatible, f->data, f->token);
	}
out:
	kvfree(all);
}

/**
 * luo_ser_parse_sessions() - read the previous kernel's session list
 * @sessions_pa: the first block, from &struct luo_ser
 * @src: where blocks come from
 * @ops: what each valid session and file is handed to
 *
 * Return: the number of sessions handed to @ops->session, or -EINVAL if
 * the list is broken before its end (the sessions before stay handed on).
 */
int luo_ser_parse_sessions(u64 sessions_pa, const struct luo_block_source *src,
			   const struct luo_parse_ops *ops)
{
	const unsigned int per = LUO_PER_BLOCK(struct luo_session_ser);
	const struct luo_session_ser **done;
	int nr = 0, err = 0, i;
	u64 pa = sessions_pa;

	done = kcalloc(LUO_MAX_SESSIONS, sizeof(*done), GFP_KERNEL);
	if (!done)
		return -ENOMEM;
	while (pa && !err) {
		const struct kho_block_header_ser *hdr =
			luo_in_block(src, pa, per, "session");
		const struct luo_session_ser *ss;
		u64 k;

		if (!hdr) {
			err = -EINVAL;
			break;
		}
		ss = (const struct luo_session_ser *)(hdr + 1);
		for (k = 0; k < hdr->count; k++, ss++) {
			void *cookie;

			if (nr == LUO_MAX_SESSIONS) {
				pr_warn("more than %d sessions, the rest refused\n",
					LUO_MAX_SESSIONS);
				err = -EINVAL;
				break;
			}
			if (!memchr(ss->name, 0, sizeof(ss->name)) ||
			    !ss->name[0]) {
				pr_warn("a session without a valid name refused\n");
				continue;
			}
			for (i = 0; i < nr; i++)
				if (!strcmp(done[i]->name, ss->name))
					break;
			if (i < nr) {
				pr_warn("session %s listed twice, second refused\n",
					ss->name);
				continue;
			}
			done[nr++] = ss;
			cookie = ops->session(ops->ctx, ss->name);
			if (cookie)
				luo_parse_files(ss, src, ops, cookie);
		}
		pa = hdr->next;
	}
	kfree(done);
	return err ? err : nr;
}
