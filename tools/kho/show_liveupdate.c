// SPDX-License-Identifier: GPL-2.0-only
/*
 * khoctl show: the Live Update sessions a handover describes, read from
 * the registry entries of khoreg's view of them (<linux/kho/abi/luo_view.h>):
 *
 *   liveupdate                  the totals
 *     session-<n>               name, files, bytes
 *       file-<token in hex>     token, handler, bytes
 *
 * A child of another compatible is not a session or a file and is left
 * out; a missing value shows as "?" (text) or null (JSON).
 */
#include <inttypes.h>
#include <string.h>

#include <linux/kho/abi/luo_view.h>

#include "json_writer.h"
#include "khoctl.h"

/* The "liveupdate" entry of @doc, NULL when it describes no sessions. */
static const struct khoreg_doc_entry *luo_root(const struct khoreg_doc *doc)
{
	const struct khoreg_doc_entry *e = khoreg_doc__find(doc, LUO_VIEW_ROOT_NAME);

	if (!e || strcmp(khoreg_doc_entry__compatible(e), LUO_VIEW_ROOT_COMPATIBLE))
		return NULL;
	return e;
}

/* Child @i of @e if its compatible is @compat, else NULL. */
static const struct khoreg_doc_entry *
luo_child(const struct khoreg_doc_entry *e, size_t i, const char *compat)
{
	const struct khoreg_doc_entry *c = khoreg_doc_entry__child(e, i);

	return c && !strcmp(khoreg_doc_entry__compatible(c), compat) ? c : NULL;
}

/* The u64 field @name of @e in @val; false when it has none. */
static bool luo_u64(const struct khoreg_doc_entry *e, const char *name,
		    uint64_t *val)
{
	const struct khoreg_doc_field *f = khoreg_doc_entry__find_field(e, name);

	return f && khoreg_doc_field__type(f) == KHOREG_TYPE_U64 &&
	       !khoreg_doc_field__uint(f, 0, val);
}

/* The string field @name of @e, NULL when it has none. */
static const char *luo_string(const struct khoreg_doc_entry *e, const char *name)
{
	const struct khoreg_doc_field *f = khoreg_doc_entry__find_field(e, name);
	const char *s;

	if (!f || khoreg_doc_field__string(f, &s))
		return NULL;
	return s;
}

/*
 * Print " <what> <field @name of @e>" as the registry's text shows it
 * (strings quoted and escaped, integers in decimal), or " <what> ?" when
 * @e has no string or u64 field of that name.
 */
static void text_field(const struct khoreg_doc_entry *e, const char *name,
		       const char *what)
{
	const struct khoreg_doc_field *f = khoreg_doc_entry__find_field(e, name);
	enum khoreg_type t = f ? khoreg_doc_field__type(f) : KHOREG_TYPE_BYTES;
	char buf[512];

	if ((t != KHOREG_TYPE_STRING && t != KHOREG_TYPE_U64) ||
	    khoreg_doc_field__format(f, buf, sizeof(buf)) < 0)
		snprintf(buf, sizeof(buf), "?");
	printf(" %s %s", what, buf);
}

void show_liveupdate_text(const struct khoreg_doc *doc)
{
	const struct khoreg_doc_entry *root = luo_root(doc), *s, *f;
	size_t i, j;

	if (!root)
		return;
	printf("live update:");
	text_field(root, "sessions", "sessions");
	text_field(root, "files", "files");
	text_field(root, "bytes", "bytes");
	printf("\n");
	for (i = 0; i < khoreg_doc_entry__nr_children(root); i++) {
		s = luo_child(root, i, LUO_VIEW_SESSION_COMPATIBLE);
		if (!s)
			continue;
		printf("  %s:", khoreg_doc_entry__path(s));
		text_field(s, "name", "session");
		text_field(s, "files", "files");
		text_field(s, "bytes", "bytes");
		printf("\n");
		for (j = 0; j < khoreg_doc_entry__nr_children(s); j++) {
			f = luo_child(s, j, LUO_VIEW_FILE_COMPATIBLE);
			if (!f)
				continue;
			printf("   ");
			text_field(f, "token", "token");
			text_field(f, "handler", "handler");
			text_field(f, "bytes", "bytes");
			printf("\n");
		}
	}
}

/* Write the u64 field @name of @e as a decimal string, or null. */
static void json_u64(struct jw *w, const struct khoreg_doc_entry *e,
		     const char *name)
{
	char buf[24];
	uint64_t v;

	jw_key(w, name);
	if (!luo_u64(e, name, &v)) {
		jw_raw(w, "null");
		return;
	}
	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	jw_str(w, buf);
}

/* Write the string field @name of @e, or null. */
static void json_string(struct jw *w, const struct khoreg_doc_entry *e,
			const char *name)
{
	const char *s = luo_string(e, name);

	jw_key(w, name);
	if (s)
		jw_str(w, s);
	else
		jw_raw(w, "null");
}

void show_liveupdate_json(struct jw *w, const struct khoreg_doc *doc)
{
	const struct khoreg_doc_entry *root = doc ? luo_root(doc) : NULL, *s, *f;
	size_t i, j;

	jw_key(w, "liveupdate");
	if (!root) {
		jw_raw(w, "null");
		return;
	}
	jw_begin(w, '{');
	json_u64(w, root, "bytes");
	jw_key(w, "sessions");
	jw_begin(w, '[');
	for (i = 0; i < khoreg_doc_entry__nr_children(root); i++) {
		s = luo_child(root, i, LUO_VIEW_SESSION_COMPATIBLE);
		if (!s)
			continue;
		jw_begin(w, '{');
		json_string(w, s, "name");
		jw_key(w, "path");
		jw_str(w, khoreg_doc_entry__path(s));
		json_u64(w, s, "bytes");
		jw_key(w, "files");
		jw_begin(w, '[');
		for (j = 0; j < khoreg_doc_entry__nr_children(s); j++) {
			f = luo_child(s, j, LUO_VIEW_FILE_COMPATIBLE);
			if (!f)
				continue;
			jw_begin(w, '{');
			json_u64(w, f, "token");
			json_string(w, f, "handler");
			json_u64(w, f, "bytes");
			jw_end(w, '}');
		}
		jw_end(w, ']');
		jw_end(w, '}');
	}
	jw_end(w, ']');
	jw_end(w, '}');
}
