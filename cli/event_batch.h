/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * event_batch.h - events of a source, copied so that they outlive the
 * source's next call: how the pipelines (event_pipeline.c, dump_pipeline.c)
 * hand events from the reading thread to another.
 *
 * A batch owns copies of what the source lends only until its next call
 * (the event itself, its names, a "dir/name" entry that is not stable);
 * paths, process records and stable entries live as long as the source
 * does, so pointers to them are kept as they are.
 */
#ifndef ACCESSFS_EVENT_BATCH_H
#define ACCESSFS_EVENT_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include "event_source.h"
#include "outbuf.h"

#define EVENT_BATCH_EVENTS	4096

/*
 * Each batch starts a cache line pair of its own, so that the fields one
 * thread writes while filling a batch share no line with a batch another
 * thread is reading.
 */
struct event_batch {
	_Alignas(128) struct trace_event ev[EVENT_BATCH_EVENTS];
	struct source_event se[EVENT_BATCH_EVENTS];
	size_t n;
	struct outbuf names;		/* copies of ev[].name, .name2, se[].entry */
};

/*
 * Empty b and fill it with up to EVENT_BATCH_EVENTS events of src: 1 when
 * it is full (more may follow), 0 at the end, -1 if reading failed
 * (event_source_error()), -2 out of memory.  b->n events are valid in all
 * cases.
 */
int event_batch_fill(struct event_batch *b, struct event_source *src);
void event_batch_free(struct event_batch *b);

#endif /* ACCESSFS_EVENT_BATCH_H */
