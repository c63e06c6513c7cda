// SPDX-License-Identifier: GPL-2.0-only
/*
 * Live Update Orchestrator: khoreg's view of the outgoing sessions.
 *
 * Every outgoing session and every file preserved in it is described by an
 * entry of the khoreg registry, so the registry's presentations show them:
 * sysfs (/sys/kernel/kho/registry/liveupdate, every value root only) and
 * the BPF iterator; BPF validators are offered them as any other entry.
 * The entries are a description only: the
 * sessions themselves travel in the LUO sub-blob, and nothing reads the
 * description back to restore them.
 *
 *   liveupdate                    sessions, files, bytes: the totals
 *     session-<n>                 name, files, bytes
 *       file-<token in hex>       token, handler, bytes
 *
 * (<linux/kho/abi/luo_view.h> has the schemas.) n counts the sessions
 * this kernel created. Bytes are the files' sizes when they were
 * preserved (a preserved memfd cannot change its size).
 * The registry refuses changes while the handover is finalized, as LUO
 * does, so the description is the one finalize saw; a session closed after
 * that stays listed until the handover is aborted.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kho/abi/luo_view.h>
#include <linux/kho/registry.h>
#include <linux/kernel.h>

#include "luo_internal.h"

#define LUO_VIEW_NAME_MAX	32

/* Every value of the view is root only. */
#define LUO_VIEW_U64(_name)						\
	{ .name = (_name), .type = KHOREG_TYPE_U64,			\
	  .flags = KHOREG_FIELD_SECRET }
#define LUO_VIEW_STRING(_name, _max)					\
	{ .name = (_name), .type = KHOREG_TYPE_STRING, .max_size = (_max), \
	  .flags = KHOREG_FIELD_SECRET }
#define LUO_VIEW_SCHEMA(_compatible, _fields, _nr)			\
	{ .compatible = (_compatible), .version = 1, .fields = (_fields), \
	  .nr_fields = (_nr) }

static const struct khoreg_field luo_view_root_fields[] = {
	LUO_VIEW_U64("sessions"),
	LUO_VIEW_U64("files"),
	LUO_VIEW_U64("bytes"),
};

static const struct khoreg_field luo_view_session_fields[] = {
	LUO_VIEW_STRING("name", LIVEUPDATE_SESSION_NAME_LENGTH),
	LUO_VIEW_U64("files"),
	LUO_VIEW_U64("bytes"),
};

static const struct khoreg_field luo_view_file_fields[] = {
	LUO_VIEW_U64("token"),
	LUO_VIEW_STRING("handler", LIVEUPDATE_HNDL_COMPAT_LENGTH),
	LUO_VIEW_U64("bytes"),
};

static const struct khoreg_schema luo_view_root_schema =
	LUO_VIEW_SCHEMA(LUO_VIEW_ROOT_COMPATIBLE, luo_view_root_fields,
			ARRAY_SIZE(luo_view_root_fields));
static const struct khoreg_schema luo_view_session_schema =
	LUO_VIEW_SCHEMA(LUO_VIEW_SESSION_COMPATIBLE, luo_view_session_fields,
			ARRAY_SIZE(luo_view_session_fields));
static const struct khoreg_schema luo_view_file_schema =
	LUO_VIEW_SCHEMA(LUO_VIEW_FILE_COMPATIBLE, luo_view_file_fields,
			ARRAY_SIZE(luo_view_file_fields));

/* The "liveupdate" entry and its totals; luo_lock protects them. */
static struct khoreg_entry *luo_view_root;
static u64 luo_view_sessions, luo_view_files, luo_view_bytes, luo_view_seq;

static int luo_view_totals(void)
{
	return khoreg_set_u64(luo_view_root, "sessions", luo_view_sessions) ?:
	       khoreg_set_u64(luo_view_root, "files", luo_view_files) ?:
	       khoreg_set_u64(luo_view_root, "bytes", luo_view_bytes);
}

/**
 * luo_view_init() - add the "liveupdate" entry to the registry
 *
 * Without the registry there is no view and the other functions do
 * nothing.
 */
void luo_view_init(void)
{
	struct khoreg_entry *root;

	root = khoreg_register(LUO_VIEW_ROOT_NAME, &luo_view_root_schema, NULL);
	if (IS_ERR(root)) {
		if (PTR_ERR(root) != -EOPNOTSUPP)
			pr_warn("no registry view of the sessions (%ld)\n",
				PTR_ERR(root));
		return;
	}
	guard(mutex)(&luo_lock);
	luo_view_root = root;
	if (luo_view_totals()) {
		khoreg_unregister(root);
		luo_view_root = NULL;
		pr_warn("no registry view of the sessions\n");
	}
}

/**
 * luo_view_session_add() - describe a new outgoing session
 * @s: the session; luo_lock held
 *
 * Return: 0, or the registry's error; the session must not be created
 * then, or a validator would not see it.
 */
int luo_view_session_add(struct luo_session *s)
{
	char name[LUO_VIEW_NAME_MAX];
	struct khoreg_entry *e;
	int err;

	lockdep_assert_held(&luo_lock);
	if (!luo_view_root)
		return 0;
	snprintf(name, sizeof(name), "session-%llu", luo_view_seq + 1);
	e = khoreg_register_child(luo_view_root, name, &luo_view_session_schema,
				  NULL);
	if (IS_ERR(e))
		return PTR_ERR(e);
	err = khoreg_set_string(e, "name", s->name) ?:
	      khoreg_set_u64(e, "files", 0) ?:
	      khoreg_set_u64(e, "bytes", 0);
	luo_view_sessions++;
	err = err ?: luo_view_totals();
	if (err) {
		luo_view_sessions--;
		khoreg_unregister(e);
		return err;
	}
	luo_view_seq++;
	s->view = e;
	return 0;
}

/**
 * luo_view_file_add() - describe a file just preserved in a session
 * @s: its session, described by luo_view_session_add(); luo_lock held
 * @f: the file
 *
 * Return: 0, or the registry's error; the file must be unpreserved then.
 */
int luo_view_file_add(struct luo_session *s, struct luo_file *f)
{
	u64 bytes = i_size_read(file_inode(f->file));
	char name[LUO_VIEW_NAME_MAX];
	struct khoreg_entry *e;
	int err;

	lockdep_assert_held(&luo_lock);
	if (!s->view)
		return 0;
	snprintf(name, sizeof(name), "file-%llx", f->token);
	e = khoreg_register_child(s->view, name, &luo_view_file_schema, NULL);
	if (IS_ERR(e))
		return PTR_ERR(e);
	err = khoreg_set_u64(e, "token", f->token) ?:
	      khoreg_set_string(e, "handler", f->fh->compatible) ?:
	      khoreg_set_u64(e, "bytes", bytes) ?:
	      khoreg_set_u64(s->view, "files", s->nr_files + 1) ?:
	      khoreg_set_u64(s->view, "bytes", s->view_bytes + bytes);
	if (!err) {
		luo_view_files++;
		luo_view_bytes += bytes;
		err = luo_view_totals();
		if (err) {
			luo_view_files--;
			luo_view_bytes -= bytes;
		}
	}
	if (err) {
		khoreg_set_u64(s->view, "files", s->nr_files);
		khoreg_set_u64(s->view, "bytes", s->view_bytes);
		khoreg_unregister(e);
		return err;
	}
	s->view_bytes += bytes;
	return 0;
}

/**
 * luo_view_session_remove() - forget a session that is being freed
 * @s: the session; luo_lock held
 */
void luo_view_session_remove(struct luo_session *s)
{
	lockdep_assert_held(&luo_lock);
	if (!s->view)
		return;
	if (khoreg_unregister(s->view)) {
		pr_warn("session %s stays in the registry view: it is frozen\n",
			s->name);
		return;
	}
	s->view = NULL;
	luo_view_sessions--;
	luo_view_files -= s->nr_files;
	luo_view_bytes -= s->view_bytes;
	if (luo_view_totals())
		pr_warn("the registry view's totals are stale\n");
}
