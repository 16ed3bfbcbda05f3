/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace_follow.h - follow a trace file that a daemon is still writing:
 * each poll hands over the events that arrived since the previous poll.
 */
#ifndef ACCESSFS_TRACE_FOLLOW_H
#define ACCESSFS_TRACE_FOLLOW_H

#include <stdint.h>
#include "trace_reader.h"

struct trace_follow;

/* Called per new event; r is open for path and process look-ups. */
typedef void (*trace_follow_fn)(void *arg, struct trace_reader *r,
				const struct trace_event *ev);

/* Never fails: a trace that does not exist yet is simply empty so far. */
struct trace_follow *trace_follow_new(const char *path);
void trace_follow_free(struct trace_follow *f);

/*
 * Deliver the events appended since the last poll.  Returns how many, or
 * -1 when the file cannot be read as a trace (message: trace_follow_error).
 */
long trace_follow_poll(struct trace_follow *f, trace_follow_fn fn, void *arg);
const char *trace_follow_error(const struct trace_follow *f);

/* True once the trace ended cleanly (the daemon closed it). */
int trace_follow_ended(const struct trace_follow *f);

#endif /* ACCESSFS_TRACE_FOLLOW_H */
