/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * classify_rules.h - the classifier's decision rules, as pure functions of
 * the request and of what was observed of the requesting thread, so they
 * can be tested without /proc.  Private to lib/classify (and its unit
 * tests): classify_request() gathers a requester_state and calls these.
 */
#ifndef ACCESSFS_CLASSIFY_RULES_H
#define ACCESSFS_CLASSIFY_RULES_H

#include <stdbool.h>
#include <stdint.h>
#include "classify.h"

/* Whether the fd a syscall names is the request's file (fdinfo "ino:"). */
enum fd_identity {
	FD_UNCHECKED,		/* no fd to check, or its fdinfo was unreadable */
	FD_THIS_FILE,
	FD_OTHER_FILE,
};

/* What was seen of the requesting thread when the request arrived. */
struct requester_state {
	bool readable;		/* false: /proc unreadable, or the thread is gone */
	bool running;		/* /proc said "running": no syscall to show */
	bool io_worker;		/* an io_uring worker: its syscall is meaningless */
	int32_t nr;		/* syscall number; TRACE_SYSCALL_FAULT outside one */
	uint64_t args[6];	/* the syscall's arguments */
	enum fd_identity fd;	/* the fd classify_fd_arg() names, vs ev->file_id */
	bool pos_known;		/* pos is that fd's file position (fdinfo "pos:") */
	uint64_t pos;
	bool stream_hit;	/* ev continues this thread's last labelled
				 * request on this file (requester.c) */
	uint8_t stream_method;	/* that request's method */
	bool async_ra;		/* the READ is async readahead (BPF only:
				 * page_cache_async_ra): all of it is ahead */
};

/* Which argument of syscall nr is the fd a request of op would be read from
 * or written to (sendfile: its in_fd), or -1 if none. */
int classify_fd_arg(unsigned int op, int32_t nr);

/* Whether the rules need the fd's position for this syscall (read, readv...). */
bool classify_needs_pos(int32_t nr);

/*
 * Fill ev->method, ev->syscall and ev->ahead_bytes for a READ or WRITE (and
 * ev->syscall for the other data ops) from st.  Writeback WRITEs get method
 * writeback and trigger unknown: their trigger is classify_trigger_of()'s.
 */
void classify_label(const struct classifier_config *cfg, const struct requester_state *st,
		    struct trace_event *ev);

/* The writeback trigger a thread in syscall nr would be (TRACE_TRIGGER_NONE:
 * none; TRACE_TRIGGER_FLUSHER for a thread dirtying pages, which the
 * kernel may throttle and make start background writeback). */
enum trace_trigger classify_trigger_of(const struct classifier_config *cfg, int32_t nr);

/* The writeback trigger of a WRITE whose pages a kernel thread queued
 * (BPF: the flusher in wb_writeback), by the work's enum wb_reason. */
enum trace_trigger classify_trigger_of_flusher(unsigned int wb_reason);

/* Of two triggers seen in a scan of the writers' threads, the one to report. */
enum trace_trigger classify_trigger_pick(enum trace_trigger a, enum trace_trigger b);

#endif /* ACCESSFS_CLASSIFY_RULES_H */
