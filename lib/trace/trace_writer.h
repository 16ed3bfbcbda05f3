/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace_writer.h - append events to a trace file, losslessly and cheaply.
 *
 * Request threads append to a buffer of their own (no shared lock on the
 * hot path); one writer thread encodes nothing, it only swaps full or aged
 * buffers out and writes each as one block with one pwrite().  When the
 * writer falls behind, request threads wait for a free buffer: events are
 * never dropped to keep up.  They are dropped only when the trace cannot
 * be written at all (disk full, EIO, file removed): then the filesystem
 * keeps serving, the writer says so once on stderr, counts the loss, and
 * records a LOST record as soon as a write succeeds again, or at close.
 *
 * Buffered events reach the file at most TRACE_FLUSH_INTERVAL_MS after they
 * were appended, which bounds what a kill -9 of the daemon can lose.
 */
#ifndef ACCESSFS_TRACE_WRITER_H
#define ACCESSFS_TRACE_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include "trace_format.h"

#define TRACE_FLUSH_INTERVAL_MS 200

struct trace_writer;

/* One header field: key is enum trace_header_key, value is text. */
struct trace_header_field {
	uint16_t key;
	const char *value;
};

struct trace_writer_stats {
	uint64_t events;	/* appended */
	uint64_t meta_records;
	uint64_t lost;		/* events that could not be written */
	uint64_t lost_meta;	/* META records (names, processes) that could not be */
	uint64_t bytes;		/* written to the file, headers included */
	uint64_t blocks;
	uint64_t waits;		/* times a request thread waited for the writer */
};

/*
 * Create path (mode 0600, O_EXCL unless overwrite) and write the header.
 * Returns NULL with a one-line message in err on failure.
 */
struct trace_writer *trace_writer_open(const char *path,
				       const struct trace_header_field *fields,
				       size_t nfields, bool overwrite,
				       char *err, size_t errlen);

/* Record one event.  Thread-safe; may wait while the writer catches up. */
void trace_writer_append(struct trace_writer *w, const struct trace_event *ev);

/* Record that file_id is at parent/name (on lookup, create, rename, link). */
void trace_writer_dentry(struct trace_writer *w, const struct trace_dentry *d);

/* Record which process and program a thread belongs to (once per tid). */
void trace_writer_proc(struct trace_writer *w, const struct trace_proc *p);

/* The LABELS record: what the BPF label source could not label. */
void trace_writer_labels(struct trace_writer *w, const struct trace_label_stats *st);

/* The TRANSPORT record (transport io_uring), before closing. */
void trace_writer_transport(struct trace_writer *w, const struct trace_transport_stats *st);

/* The APP record: one (file, process, method)'s app-side counters. */
void trace_writer_app(struct trace_writer *w, const struct trace_app_sample *a);

/* Record that file_id lost its last name. */
void trace_writer_unlink(struct trace_writer *w, uint64_t time_ns,
			 uint64_t file_id);

/*
 * Write everything appended so far and fsync the file; returns when done.
 * Safe to call from any thread (not from a signal handler: for SIGUSR1 set
 * a flag and call it from a normal thread, or use trace_writer_request_flush).
 */
void trace_writer_flush(struct trace_writer *w);

/* Async-signal-safe: ask the writer thread to flush soon. */
void trace_writer_request_flush(struct trace_writer *w);

/*
 * Flush, write the END record, close.  Returns 0, or -1 if events were lost
 * (the count is in the END record and in stats).  Frees w.
 */
int trace_writer_close(struct trace_writer *w, struct trace_writer_stats *stats);

void trace_writer_get_stats(struct trace_writer *w, struct trace_writer_stats *stats);

/* CLOCK_MONOTONIC in ns: the clock every trace time uses. */
uint64_t trace_now_ns(void);

#endif /* ACCESSFS_TRACE_WRITER_H */
