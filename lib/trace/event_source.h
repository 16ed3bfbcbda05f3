/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * event_source.h - the events of one or more traces as every command sees
 * them: clocks aligned, path, entry path and process resolved, filtered.
 * dump, report and top read through it, so they select the same events.
 *
 * Clocks: each trace's time counts from its start (header start_mono_ns,
 * else its first event in file order).  Traces recorded on several hosts
 * are placed on one run clock by their wall-clock start (start_wall): the
 * run starts at the earliest one; a trace without start_wall starts at 0.
 *
 * Order: in file order the traces are read one after the other, each in
 * its blocks' order.  In time order the events of all traces come merged
 * by run time, ties by tid: a k-way merge over the traces' runs (one per
 * writer thread, trace_reader.h), so memory is one block and one event per
 * run, whatever the number of events.  A run that goes back in time (the
 * daemon never writes one) cannot be merged exactly: such an event is
 * returned as soon as it is seen, and counted (event_source_late()).
 *
 * It knows nothing of output formats.
 */
#ifndef ACCESSFS_EVENT_SOURCE_H
#define ACCESSFS_EVENT_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "event_filter.h"
#include "trace_reader.h"

enum event_order {
	EVENT_ORDER_TIME,
	EVENT_ORDER_FILE,
};

/* One resolved event; its pointers are valid until the next call. */
struct source_event {
	const struct trace_event *ev;
	unsigned int trace;		/* 0, 1, ... in the order given */
	uint64_t t_ns;			/* run time: ns since the run's start, >= 0 */
	uint64_t trace_start_ns;	/* its trace's start on the event clock */
	const char *path;		/* of file_id; NULL: no file, or never named */
	size_t path_len;
	/*
	 * What the event is about: "path/name" for operations that name an
	 * entry of directory file_id (trace_op_names_entry()), else path.
	 * The filter's --path matches this.
	 */
	const char *entry;
	size_t entry_len;
	bool entry_stable;		/* entry lives until the source is closed */
	const char *path2;		/* of file_id2, or NULL */
	size_t path2_len;
	const struct trace_proc *proc;	/* NULL if no PROC record */
};

struct event_source;

/*
 * Open every path ("-" is standard input) and prepare to return the
 * events f selects (f is copied; its strings must outlive the source).
 * NULL with a one-line message in err.
 */
struct event_source *event_source_open(const char *const *paths, size_t n,
				       const struct event_filter *f, enum event_order order,
				       char *err, size_t errlen);
void event_source_close(struct event_source *s);

/* Next selected event: 1, 0 at the end, -1 (message: event_source_error()). */
int event_source_next(struct event_source *s, struct source_event *e);
const char *event_source_error(const struct event_source *s);

/* The traces, for their headers, warnings and summaries. */
size_t event_source_count(const struct event_source *s);
struct trace_reader *event_source_reader(const struct event_source *s, size_t i);
const char *event_source_path(const struct event_source *s, size_t i);

/* Time order only: events returned later than a later-starting one. */
uint64_t event_source_late(const struct event_source *s);

/*
 * Resolve one event of r into e (path, entry, path2, proc; t_ns and
 * trace are the caller's) and match it against f.  false if f rejects it.
 * entry_buf holds "dir/name" entries.  For callers that read a trace
 * their own way (top follows one that grows).
 */
bool event_source_resolve(struct trace_reader *r, const struct trace_event *ev,
			  const struct event_filter *f, char *entry_buf, size_t entry_size,
			  struct source_event *e);

/* A trace's start on its event clock: header start_mono_ns, else 0. */
uint64_t event_source_header_start(const struct trace_reader *r);

#endif /* ACCESSFS_EVENT_SOURCE_H */
