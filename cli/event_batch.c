/* SPDX-License-Identifier: GPL-2.0-or-later */
/* event_batch.c - copies of a source's events (see event_batch.h). */
#include <stdint.h>
#include "event_batch.h"

/* A name as its offset in b->names (room reserved), while the buffer may still move. */
static const char *names_copy(struct event_batch *b, const char *s, size_t len)
{
	size_t at = b->names.len;

	outbuf_write(&b->names, s, len);
	return (const char *)(uintptr_t)at;
}

static const char *names_at(const struct event_batch *b, const char *offset)
{
	return b->names.buf + (uintptr_t)offset;
}

/* Copy se into b; names become pointers in seal(). */
static bool add(struct event_batch *b, const struct source_event *se)
{
	struct trace_event *ev = &b->ev[b->n];
	struct source_event *e = &b->se[b->n];
	bool copy_entry = se->entry && !se->entry_stable;

	if (!outbuf_reserve(&b->names, se->ev->name_len + se->ev->name2_len +
			    (copy_entry ? se->entry_len : 0)))
		return false;
	*ev = *se->ev;
	ev->name = names_copy(b, se->ev->name, se->ev->name_len);
	ev->name2 = names_copy(b, se->ev->name2, se->ev->name2_len);
	*e = *se;
	e->ev = ev;
	if (copy_entry)
		e->entry = names_copy(b, se->entry, se->entry_len);
	b->n++;
	return true;
}

static void seal(struct event_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct source_event *e = &b->se[i];

		b->ev[i].name = names_at(b, b->ev[i].name);
		b->ev[i].name2 = names_at(b, b->ev[i].name2);
		if (e->entry && !e->entry_stable)
			e->entry = names_at(b, e->entry);
	}
}

int event_batch_fill(struct event_batch *b, struct event_source *src)
{
	struct source_event se;
	int rc = 1;

	b->n = 0;
	b->names.len = 0;
	while (b->n < EVENT_BATCH_EVENTS && (rc = event_source_next(src, &se)) == 1)
		if (!add(b, &se)) {
			rc = -2;
			break;
		}
	seal(b);
	return rc;
}

void event_batch_free(struct event_batch *b)
{
	outbuf_free(&b->names);
}
