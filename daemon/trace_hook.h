/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace_hook.h - glue from a FUSE request to lib's trace writer and
 * classifier: one line at arrival, one after the reply.
 *
 *	struct op_trace t;
 *	op_trace_begin(&t, req, TRACE_OP_READ, ino, fi->fh, off, size, 0);
 *	... syscall, reply ...
 *	op_trace_end(&t, res);
 *
 * With notrace, or a metadata op under trace_meta=0, begin marks the
 * record off and returns at once.  Names (DENTRY) and unlinks are recorded
 * whenever a trace is written, even without metadata events, so paths in
 * reports still resolve.  The writer and classifier live only between
 * trace_hook_start() (in the FUSE init callback, when the negotiated
 * values for the header are known) and trace_hook_stop().
 */
#ifndef ACCESSFS_TRACE_HOOK_H
#define ACCESSFS_TRACE_HOOK_H

#include <stdbool.h>
#include <stdint.h>
#include "daemon.h"
#include "trace_format.h"

struct op_trace {
	struct trace_event ev;
	bool on;		/* an event is being recorded */
	bool unlinks;		/* the name removed is tracked (unlink, rmdir) */
	bool last_name;		/* it was the file's last name */
	uint64_t victim_id;
};

/* What the trace header records about the kernel connection. */
struct trace_hook_conn {
	unsigned int proto_major, proto_minor;
	unsigned int max_readahead, max_write, max_pages;
	bool writeback_cache, async_read;
	bool uring;		/* the INIT reply asks for FUSE over io_uring */
	bool killpriv_v2;	/* ... and for FUSE_HANDLE_KILLPRIV_V2 */
};

/*
 * Start the classifier, before the read mode is negotiated (it depends on
 * where labels come from).  0, or -1 with a one-line message in err.
 * Not with notrace.
 */
int trace_hook_prepare(const struct accessfs_daemon *d, char *err, size_t errlen);

/* After trace_hook_prepare(): whether labels come from /proc (not BPF, not off). */
bool trace_hook_labels_from_proc(void);

/*
 * After trace_hook_prepare(): open d->trace_path, write the header and the
 * root's DENTRY.  0, or -1 with a one-line message in err.
 */
int trace_hook_start(const struct accessfs_daemon *d, const struct trace_hook_conn *conn,
		     char *err, size_t errlen);

/* Close the trace (prints a line if events were lost); 0, or -1 if any were. */
int trace_hook_stop(void);

/* Async-signal-safe (SIGUSR1): have the writer flush soon. */
void trace_hook_request_flush(void);

/* With transport io_uring: how many queues served and how many requests
 * came over them, for the trace's TRANSPORT record.  Before stop. */
void trace_hook_transport(unsigned int queues, unsigned long ring_requests);

/* Start recording a request about inode ino (0: none). */
void op_trace_begin(struct op_trace *t, fuse_req_t req, enum trace_op op, fuse_ino_t ino,
		    uint64_t fh, uint64_t offset, uint64_t size, uint32_t flags);

/* Start recording a request about name in parent (and name2 in parent2, or a target). */
void op_trace_begin_name(struct op_trace *t, fuse_req_t req, enum trace_op op,
			 fuse_ino_t parent, const char *name, fuse_ino_t parent2,
			 const char *name2, uint32_t flags);

/* Before unlink/rmdir: note which file the name is, to record its last unlink. */
void op_trace_unlink_victim(struct op_trace *t, int parent_fd, const char *name);

/* The reply was sent: result is bytes done, 0, or -errno. */
void op_trace_end(struct op_trace *t, int64_t result);

static inline bool op_trace_on(const struct op_trace *t)
{
	return t->on;
}

/* Known only after the syscall: the file handle an open or create made. */
static inline void op_trace_fh(struct op_trace *t, uint64_t fh)
{
	t->ev.fh = fh;
}

/* The second inode of a request (copy_file_range's destination). */
void op_trace_file2(struct op_trace *t, fuse_req_t req, fuse_ino_t ino2);

/*
 * CREATE opened a new file: the event is about that file (so its opens and
 * the writeback trigger search count it), the parent moves to file_id2.
 */
void op_trace_created(struct op_trace *t, fuse_req_t req, fuse_ino_t ino);

/* After rename: dirfd/name (dir is its node) now names whatever it names. */
void op_trace_dentry_at(int dirfd, const struct inode_node *dir, const char *name);

/* n is now known as parent/name: record it unless that was the last name recorded. */
void op_trace_dentry(struct inode_node *n, const struct inode_node *parent, const char *name);

#endif /* ACCESSFS_TRACE_HOOK_H */
