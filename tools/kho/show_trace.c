// SPDX-License-Identifier: GPL-2.0-only
/*
 * khoctl show: the trace setup of a handover's "ftrace" sub-blob, as text
 * or as the JSON object that khoctl author takes under "trace".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kho/abi/trace.h>

#include "json_writer.h"
#include "khoctl.h"

/*
 * Read the ftrace sub-blob of @h. Return: 1 and the setup in @t, 0 when
 * there is no such blob or its contents are not known, -1 when it is
 * malformed (the reason in libkhoreg_last_error()).
 */
static int get_trace(const struct khoreg_handover *h, struct khoreg_trace **t)
{
	const struct khoreg_blob *b;
	const void *data;
	size_t len;

	*t = NULL;
	b = khoreg_handover__find_blob(h, KHO_TRACE_BLOB_NAME);
	data = b ? khoreg_blob__data(b, &len) : NULL;
	if (!data)
		return 0;
	return khoreg_trace__parse(data, len, t) ? -1 : 1;
}

void show_trace_text(const struct khoreg_handover *h)
{
	const struct khoreg_trace_instance *in;
	const struct khoreg_trace_event *ev;
	struct khoreg_trace *t;
	size_t i, j, n;
	int ret;

	ret = get_trace(h, &t);
	if (ret <= 0) {
		if (ret < 0)
			printf("trace: (%s)\n", libkhoreg_last_error());
		return;
	}
	printf("trace: %zu instance(s), %zu event(s), for nr_cpu_ids %" PRIu32
	       " and page size %" PRIu32 "\n", khoreg_trace__nr_instances(t),
	       khoreg_trace__nr_events(t), khoreg_trace__nr_cpu_ids(t),
	       khoreg_trace__page_size(t));
	for (i = 0; (in = khoreg_trace__instance(t, i)); i++) {
		printf("  %s: %" PRIu64 " bytes, %s, tracing %s%s\n",
		       khoreg_trace_instance__name(in),
		       khoreg_trace_instance__size(in),
		       khoreg_trace_instance__has_pages(in) ?
		       "buffer handed over" : "setup only",
		       khoreg_trace_instance__tracing_on(in) ? "on" : "off",
		       khoreg_trace_instance__global(in) ? ", top level" : "");
		if (*khoreg_trace_instance__options(in))
			printf("    options: %s\n",
			       khoreg_trace_instance__options(in));
		for (j = 0, n = 0; (ev = khoreg_trace__event(t, j)); j++)
			if (khoreg_trace_event__enabled_in(ev, i))
				printf("%s%s:%s", n++ ? " " : "    events: ",
				       khoreg_trace_event__system(ev),
				       khoreg_trace_event__name(ev));
		if (n)
			printf("\n");
	}
	khoreg_trace__free(t);
}

void show_trace_json(struct jw *w, const struct khoreg_handover *h)
{
	const struct khoreg_trace_instance *in;
	const struct khoreg_trace_event *ev;
	struct khoreg_trace *t;
	char name[KHO_TRACE_SYSTEM_LEN + KHO_TRACE_EVENT_LEN];
	size_t i, j;
	int ret;

	jw_key(w, "trace");
	ret = get_trace(h, &t);
	if (ret <= 0) {
		if (!ret) {
			jw_raw(w, "null");
			return;
		}
		jw_begin(w, '{');
		jw_key(w, "error");
		jw_str(w, libkhoreg_last_error());
		jw_end(w, '}');
		return;
	}
	jw_begin(w, '{');
	jw_key(w, "nr_cpu_ids");
	jw_raw(w, "%" PRIu32, khoreg_trace__nr_cpu_ids(t));
	jw_key(w, "page_size");
	jw_raw(w, "%" PRIu32, khoreg_trace__page_size(t));
	jw_key(w, "instances");
	jw_begin(w, '[');
	for (i = 0; (in = khoreg_trace__instance(t, i)); i++) {
		const char *opt = khoreg_trace_instance__options(in);

		jw_begin(w, '{');
		jw_key(w, "name");
		jw_str(w, khoreg_trace_instance__name(in));
		jw_key(w, "size");
		jw_raw(w, "%" PRIu64, khoreg_trace_instance__size(in));
		jw_key(w, "pages");
		jw_raw(w, khoreg_trace_instance__has_pages(in) ? "true" : "false");
		jw_key(w, "tracing_on");
		jw_raw(w, khoreg_trace_instance__tracing_on(in) ? "true" : "false");
		jw_key(w, "events");
		jw_begin(w, '[');
		for (j = 0; (ev = khoreg_trace__event(t, j)); j++) {
			if (!khoreg_trace_event__enabled_in(ev, i))
				continue;
			snprintf(name, sizeof(name), "%s:%s",
				 khoreg_trace_event__system(ev),
				 khoreg_trace_event__name(ev));
			jw_str(w, name);
		}
		jw_end(w, ']');
		jw_key(w, "options");
		jw_begin(w, '[');
		while (*opt) {
			size_t len = strcspn(opt, " ");
			char *word = strndup(opt, len);

			jw_str(w, word ? word : "?");
			free(word);
			opt += len;
			opt += *opt == ' ';
		}
		jw_end(w, ']');
		jw_end(w, '}');
	}
	jw_end(w, ']');
	jw_end(w, '}');
	khoreg_trace__free(t);
}
