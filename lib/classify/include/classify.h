/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * classify.h - label each data request with the access method that caused
 * it: which syscall or page fault of which program made the kernel send it.
 *
 * The daemon calls these at request arrival, from any worker thread.  The
 * classifier observes the requester either from the kernel (a BPF program
 * that recorded, when the kernel sent the request, what its requester was
 * doing: bpf_source.h) or from its /proc state (its syscall, its fd's
 * position, its mappings) through descriptors it caches per thread, so the
 * hot path does no open() and no text parsing.  It never blocks on another
 * process for long: what cannot be found cheaply is labelled unknown.
 *
 * This header is all the daemon sees.  The rules and the kernel paths they
 * rely on are in classify.c, their inputs in classify_rules.h.
 */
#ifndef ACCESSFS_CLASSIFY_H
#define ACCESSFS_CLASSIFY_H

#include <stdbool.h>
#include <stdint.h>
#include "trace_format.h"

struct classifier;

#define CLASSIFY_SYSCALL_LINE_MAX 256	/* a /proc/<tid>/syscall line is at most ~170 */

/*
 * What was read of one request's sender, from classifier_identify() to
 * classify_request() of the same request: its /proc syscall line (read
 * once) and its names for a PROC record.  The caller provides one per
 * request (on its stack), so nothing passes between the two calls through
 * the thread; the fields are the classifier's.
 */
struct classify_scratch {
	uint64_t unique;	/* the FUSE request's unique id: the caller's */
	struct {
		uint32_t tid;
		bool fresh;	/* read for this request, not yet used */
		int err;	/* 0 or the -errno of the read */
		size_t len;
		char line[CLASSIFY_SYSCALL_LINE_MAX];
	} syscall;
	char comm[16];
	char exe[256];
};

struct classifier_config {
	bool labels;		/* false: only identify threads (-o labels=off) */
	bool bpf;		/* observe requesters from the kernel (BPF) where
				 * that loads, else from /proc */
	bool async_read;	/* the kernel sends readahead asynchronously */
	bool writeback_cache;	/* write() becomes pid-0 writeback */
	uint32_t page_size;
	uint64_t mount_dev;	/* st_dev of the mountpoint, to tell our fds */
};

/* NULL with a one-line message in err if it cannot work at all. */
struct classifier *classifier_new(const struct classifier_config *cfg,
				  char *err, size_t errlen);

/* What the kernel granted at INIT, negotiated after classifier_new() (the
 * read mode depends on where labels come from); before any request. */
void classifier_set_conn(struct classifier *c, bool async_read, bool writeback_cache);
void classifier_free(struct classifier *c);

/*
 * Fill ev->pid (the thread group of ev->tid).  The first time a thread is
 * seen (or its tid was reused by a new thread), fill *proc and return true
 * so the caller records a PROC record; proc's strings point into *s.
 */
bool classifier_identify(struct classifier *c, struct trace_event *ev,
			 struct classify_scratch *s, struct trace_proc *proc);

/*
 * At request arrival, after classifier_identify() of the same request with
 * the same *s, with op, file_id, fh, offset, size, flags, tid and pid set:
 * fill method, trigger, syscall, ahead_bytes and map_*.  Also notes
 * OPEN/CREATE requesters, which writeback trigger search needs.
 */
void classify_request(struct classifier *c, struct trace_event *ev,
		      struct classify_scratch *s);

/* After the reply (result and duration set): the stream rule learns here. */
void classify_complete(struct classifier *c, const struct trace_event *ev);

/* A line for stderr if labels are degraded (no CAP_SYS_PTRACE, BPF asked
 * for but not loaded...), else NULL. */
const char *classifier_warning(const struct classifier *c);

/* Where labels come from: "bpf", "proc" or "off" (the trace header's). */
const char *classifier_label_source(const struct classifier *c);

/*
 * Requests the BPF source could not label, each labelled from /proc
 * instead: no record in time (dropped, or never sent), or a record without
 * a cause (sent by another task with nothing recorded when it was queued).
 */
struct classifier_stats {
	uint64_t bpf_late;
	uint64_t bpf_nocause;
	uint64_t bpf_dropped;	/* records the kernel side could not queue */
	uint64_t bpf_overlaps;	/* queued causes replaced before their send */
};
void classifier_stats(const struct classifier *c, struct classifier_stats *out);

#endif /* ACCESSFS_CLASSIFY_H */
