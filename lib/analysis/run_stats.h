/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * run_stats.h - whole-run totals of one or more traces: by report method,
 * by operation, by process and by host, a timeline of bytes per method,
 * and each trace's own health (events, lost events, torn tail, labels).
 *
 * Per-file numbers are file_stats' job; this module never looks at
 * offsets.  Memory is bounded by the number of processes and hosts: the
 * timeline keeps at most RUN_TIMELINE_BINS bins, doubling their width
 * (merging neighbours) when the run outgrows them.
 */
#ifndef ACCESSFS_RUN_STATS_H
#define ACCESSFS_RUN_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "trace_format.h"
#include "file_stats.h"
#include "hash_index.h"

#define RUN_TIMELINE_BINS 512
#define RUN_TIMELINE_MIN_BIN_NS 10000000ull	/* 10 ms */

struct run_io {
	uint64_t requests;
	uint64_t bytes_read;
	uint64_t bytes_written;
};

struct run_op {
	uint64_t count;
	uint64_t errors;
	uint64_t bytes;
	uint64_t time_ns;
};

struct run_process {
	unsigned int host;
	uint32_t pid;		/* 0: the kernel (writeback, readahead) */
	char *comm, *exe;	/* "" if the trace never named it */
	struct run_io io;
	uint64_t bytes_by_method[REPORT_METHOD_COUNT];
};

/* One input trace: what its header said and how it ended. */
struct run_trace {
	char *path;
	unsigned int host;
	int writeback_cache;	/* header value, -1 if absent */
	int classify;		/* -1 if absent */
	int killpriv_v2;	/* -1 if absent (older traces) */
	uint64_t max_readahead;	/* 0 if absent */
	char *mount_options;	/* "" if absent */
	char label_source[8];	/* bpf, proc, off; "" if absent (older traces) */
	uint64_t label_fallbacks; /* under bpf: requests labelled from /proc */
	char transport[12];	/* dev_fuse, io_uring; "" if absent (older traces) */
	bool transport_known;	/* io_uring: the TRANSPORT record was found */
	uint64_t uring_queues, ring_requests;	/* from it */
	uint64_t events, lost, torn_bytes;
	uint64_t first_ns, last_ns;	/* run time of its first and last event */
	bool clean_end, torn_tail, any_event;
};

struct run_host {
	char *name;
	uint64_t events;
	struct run_io io;
};

struct run_stats {
	struct run_io by_method[REPORT_METHOD_COUNT];
	struct run_op by_op[TRACE_OP_COUNT + 1];	/* last: ops out of range */
	uint64_t events;
	uint64_t unlabelled;	/* data requests with method "none" */
	uint64_t unknown;	/* data requests with method "unknown" */
	uint64_t first_ns, last_ns;	/* run time span of all events */
	struct run_process *procs;
	size_t nprocs, procs_cap;
	struct hash_index proc_index;	/* (host, pid) -> position in procs */
	size_t last_proc;	/* index + 1 of the last process found: runs of events share one */
	struct run_trace *traces;
	size_t ntraces;
	struct run_host *hosts;
	size_t nhosts;
	/* Timeline: bytes per bin and method; bin i covers [i, i+1) * bin_ns. */
	uint64_t (*timeline)[REPORT_METHOD_COUNT];
	size_t nbins;
	uint64_t bin_ns;
	/* The last bin used and its span: events come nearly in time order. */
	size_t cur_bin;
	uint64_t cur_start_ns, cur_end_ns;
};

/* A zeroed struct is empty; run_stats_free() releases it. */
void run_stats_free(struct run_stats *rs);

/*
 * Register a trace (its path and header values copied) and its host, by
 * name (traces of the same host share one).  Returns the trace's index, or
 * -1 if memory ran out.
 */
int run_stats_add_trace(struct run_stats *rs, const char *path, const char *host,
			const struct run_trace *header);

/* Record how reading trace i ended (events, lost, torn tail, clean end). */
void run_stats_end_trace(struct run_stats *rs, unsigned int i, const struct run_trace *end);

/*
 * Account one event of trace i at run time t_ns (ns since the run's start);
 * proc may be NULL.  Returns 0, or -1 if memory ran out.
 */
int run_stats_add(struct run_stats *rs, unsigned int trace, const struct trace_event *ev,
		  uint64_t t_ns, const struct trace_proc *proc);

/* Processes sorted by bytes moved, descending (call once, after the last add). */
void run_stats_sort_processes(struct run_stats *rs);

/* Bytes moved (read + written) by a run_io. */
static inline uint64_t run_io_bytes(const struct run_io *io)
{
	return io->bytes_read + io->bytes_written;
}

#endif /* ACCESSFS_RUN_STATS_H */
