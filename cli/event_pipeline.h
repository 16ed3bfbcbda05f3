/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * event_pipeline.h - hand every event a source selects to a consumer on a
 * second thread, reading on the calling thread (see event_pipeline.c):
 * dump formats events there, report analyses them.
 */
#ifndef ACCESSFS_EVENT_PIPELINE_H
#define ACCESSFS_EVENT_PIPELINE_H

#include <stddef.h>
#include "event_source.h"

/*
 * consume(ctx, e) is called for every event in the source's order, all
 * calls on one thread; e and what it points to that the source lends
 * only until its next call (the event, its names, a "dir/name" entry) are
 * valid during the call, the rest as long as the source.  A nonzero
 * return stops the pipeline.  Returns 0 when every event was consumed, 1
 * when the consumer stopped it, -1 with a one-line message in err when
 * reading failed or memory ran out.  Memory: two batches of 4096 events
 * and their names, besides the source's own.
 */
int event_pipeline_run(struct event_source *src,
		       int (*consume)(void *ctx, const struct source_event *e), void *ctx,
		       char *err, size_t errlen);

#endif /* ACCESSFS_EVENT_PIPELINE_H */
