/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace_reader.h - read a trace file written by trace_writer.
 *
 * The reader rejects what it does not understand (wrong magic, a newer
 * version, a corrupt block in the middle) with a one-line message, and
 * treats a torn last block (the daemon was killed) as a warning: every
 * event before it is returned.  It reads the META blocks first, so paths
 * and process names are known for every event, as they were at the event's
 * time, whatever order the writer threads' blocks landed in.
 */
#ifndef ACCESSFS_TRACE_READER_H
#define ACCESSFS_TRACE_READER_H

#include <stdbool.h>
#include <stdint.h>
#include "trace_format.h"

struct trace_reader;

/* Returns NULL with a one-line message ("trace.bin: not an accessfs trace") in err. */
struct trace_reader *trace_reader_open(const char *path, char *err, size_t errlen);
void trace_reader_close(struct trace_reader *r);

/*
 * Like trace_reader_open(), for following a trace that grows: the events
 * pass starts at byte offset from, a trace_reader_offset() of an earlier
 * reader of the same file, so the events before it are neither decoded nor
 * returned (nor checksummed again).  Names and processes still come from
 * the whole file.  0 means the start.  An offset that is no block boundary
 * of the file fails ("...: the trace changed: ...").
 */
struct trace_reader *trace_reader_open_from(const char *path, uint64_t from, char *err,
					    size_t errlen);

/* Where the events pass stands: the end of the last block whose events
 * were all returned (after the end: the first byte not yet readable). */
uint64_t trace_reader_offset(const struct trace_reader *r);

/* Header field value by enum trace_header_key, or NULL if absent. */
const char *trace_reader_header(const struct trace_reader *r, unsigned int key);
uint32_t trace_reader_version(const struct trace_reader *r);

/*
 * Next event in file order.  Returns 1 with *ev filled (its name pointers
 * valid until the next call), 0 at the end, -1 on an error that stops
 * reading (message in trace_reader_error()).  A torn tail is not an error:
 * reading ends with 0 and trace_reader_warning() says what was cut.
 */
int trace_reader_next(struct trace_reader *r, struct trace_event *ev);

/*
 * Runs: the events of one writer thread of the daemon, in the order it
 * recorded them (its EVENTS blocks in file order).  The writer records a
 * request when it is answered and a FUSE worker answers one at a time, so
 * a run is in start order; runs of different threads interleave in the
 * file only roughly.  Runs are read apart from trace_reader_next() and
 * from each other, share the reader's names, and keep about one block
 * (TRACE_BLOCK_MAX at most) resident each.  Runs are numbered 0, 1, ...
 * in the order of their first block, from the open_from offset on.
 */
size_t trace_reader_run_count(const struct trace_reader *r);
struct trace_run;
/* NULL if i is out of range or memory is short. */
struct trace_run *trace_run_open(struct trace_reader *r, size_t i);
/*
 * Like trace_reader_next(), within one run; errors go to the reader's
 * trace_reader_error().  When the last run ends, the reader's warning and
 * error say what trace_reader_next() would say at the end of the file.
 */
int trace_run_next(struct trace_run *run, struct trace_event *ev);
void trace_run_close(struct trace_run *run);

/*
 * Path of file_id relative to the mount root ("dir/file"; "" for the root),
 * as it was at time at_ns (the latest name given at or before it, else the
 * first ever given).  NULL if the trace never named it.  The string is
 * valid until the reader is closed.  len receives its length (it may
 * contain any byte but NUL... and is NUL-terminated).
 */
const char *trace_reader_path(struct trace_reader *r, uint64_t file_id,
			      uint64_t at_ns, size_t *len);

/* The thread's process as it was at at_ns (an exec writes a new PROC
 * record), or NULL if the trace has no PROC record for it. */
const struct trace_proc *trace_reader_proc_at_time(const struct trace_reader *r, uint32_t tid,
						  uint64_t at_ns);

/* The same, as the thread was last recorded. */
const struct trace_proc *trace_reader_proc(const struct trace_reader *r, uint32_t tid);

/* Iterate all PROC records (for process-name metadata in exports). */
size_t trace_reader_proc_count(const struct trace_reader *r);
const struct trace_proc *trace_reader_proc_at(const struct trace_reader *r, size_t i);

/*
 * The app-side view (APP records): available if the daemon sampled the
 * kernel's counters (header app_counters 1; labels=bpf and BPF loaded),
 * which is not the same as all zero.  Then one latest sample per (file,
 * process, method), in the order they first appeared, into *out (false
 * past the last); its comm is valid until the reader is closed.
 */
bool trace_reader_app_available(const struct trace_reader *r);
size_t trace_reader_app_count(const struct trace_reader *r);
bool trace_reader_app_get(const struct trace_reader *r, size_t i, struct trace_app_sample *out);

struct trace_reader_summary {
	uint64_t events;	/* returned so far */
	uint64_t lost;		/* from LOST and END records */
	uint64_t lost_meta;	/* META records (names, processes) lost with them */
	bool clean_end;		/* an END record was found */
	bool torn_tail;		/* the last block was cut or corrupt */
	uint64_t torn_bytes;	/* bytes after the last good block */
	uint64_t first_ns, last_ns; /* event start times seen so far */
	uint64_t label_late;	/* LABELS: labelled from /proc, no BPF record in time */
	uint64_t label_nocause;	/* LABELS: labelled from /proc, a record without a cause */
	bool transport_known;	/* a TRANSPORT record was found */
	uint64_t uring_queues;	/* TRANSPORT: io_uring queues that served */
	uint64_t ring_requests;	/* TRANSPORT: requests they carried */
};
void trace_reader_summary(const struct trace_reader *r, struct trace_reader_summary *s);

/* Last error / warning as one line, or NULL. */
const char *trace_reader_error(const struct trace_reader *r);
const char *trace_reader_warning(const struct trace_reader *r);

#endif /* ACCESSFS_TRACE_READER_H */
