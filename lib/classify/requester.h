/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * requester.h - what the classifier knows about each requesting thread,
 * read from /proc through descriptors kept open per thread: its thread
 * group, name and executable (once, and its name again at opens, to see
 * an exec or rename: a pread), its current syscall (one pread per
 * request), the fdinfo of the fds it uses on our files, and where its last
 * labelled request on each file ended (the stream rule).
 *
 * Entries are keyed by tid in a hash table with a mutex per bucket, so the
 * daemon's worker threads can call in concurrently; the table holds at most
 * REQUESTER_MAX entries (oldest evicted with their descriptors).  A cached
 * descriptor whose pread fails with ESRCH means the thread died; its tid
 * may have been reused, so the entry is rebuilt from scratch.
 */
#ifndef ACCESSFS_REQUESTER_H
#define ACCESSFS_REQUESTER_H

#include <stdbool.h>
#include <stdint.h>
#include "classify_rules.h"

#define REQUESTER_MAX		1024	/* cached threads */
#define REQUESTER_FDS		4	/* fdinfo descriptors per thread */
#define REQUESTER_STREAMS	4	/* files per thread for the stream rule */

struct requester_table;

struct requester_identity {
	uint32_t tgid;
	bool is_new;		/* first sight of this thread (or of a reused tid),
				 * or its name changed (exec): a PROC record is due */
	bool io_worker;		/* an io_uring worker (comm "iou-wrk-..."): its
				 * /proc syscall says nothing of the program */
	char comm[16];
	char exe[256];
};

struct requester_table *requester_table_new(void);
void requester_table_free(struct requester_table *t);

/*
 * A count of task renames on the system (exec, PR_SET_NAME) that the
 * kernel raises, read atomically; NULL (the default): none known, and
 * check_name reads /proc/<tid>/comm every time.  With it, only after the
 * count moved.
 */
void requester_table_watch_renames(struct requester_table *t, const uint64_t *renames);

/* How much of /proc/<tid>/syscall requester_identify() may read. */
enum requester_syscall_read {
	REQUESTER_SYSCALL_NOW,		/* read it, for the observe that follows */
	REQUESTER_SYSCALL_SETTLED,	/* the same, for a thread that waits for our
					 * reply: while it reads "running", wait a
					 * little (it is about to sleep) */
	REQUESTER_SYSCALL_RECHECK,	/* only now and then, to see the thread lives */
	REQUESTER_SYSCALL_NEVER,	/* not at all: it might block (proc_helper.h) */
	REQUESTER_SYSCALL_UNLESS_EXEC,	/* SETTLED, unless the thread may be inside
					 * an execve: then never (requester.c) */
};

/*
 * Who is tid: fill *id.  A syscall line read for how is kept in *snap for
 * the requester_observe() of the same request.  check_name: see whether
 * its comm changed (exec), and if so read it again and say is_new.  0,
 * -ESRCH if the thread is gone, -EACCES if /proc is unreadable.
 */
int requester_identify(struct requester_table *t, uint32_t tid, enum requester_syscall_read how,
		       bool check_name, struct requester_identity *id,
		       struct classify_scratch *snap);

/* Whether *snap holds a syscall line of tid that requester_identify() read
 * for this request. */
bool requester_has_snapshot(const struct classify_scratch *snap, uint32_t tid);

/* An proc_helper_fn: in is a uint32_t tid, out gets its /proc syscall line
 * (NUL-terminated, "" if unreadable). */
void requester_syscall_line_job(void *ctx, const void *in, void *out);

/*
 * Fill *st for a request of ev->tid on ev->file_id: the thread's syscall
 * (the line requester_identify() left in *snap, or read now),
 * whether the fd that syscall names (classify_fd_arg) is ev->file_id and
 * its position if the rules need it, and the stream rule's memory.
 * 0, or the -errno that made the thread unreadable (-ESRCH: gone).
 */
int requester_observe(struct requester_table *t, const struct trace_event *ev,
		      struct classify_scratch *snap, struct requester_state *st);

/* Remember that tid's request on file_id ending at end had this method
 * (a stream keeps its furthest end when requests come out of order). */
void requester_learn_stream(struct requester_table *t, uint32_t tid, uint64_t file_id,
			    uint64_t end, uint8_t method);

/*
 * Parse a /proc/<tid>/syscall line into st (readable, running, nr, args).
 * Exposed for the unit tests.
 */
void requester_parse_syscall(const char *line, size_t len, struct requester_state *st);

/* Parse fdinfo text: "pos:" and "ino:"; false if either is missing. */
bool requester_parse_fdinfo(const char *text, size_t len, uint64_t *pos, uint64_t *ino);

#endif /* ACCESSFS_REQUESTER_H */
