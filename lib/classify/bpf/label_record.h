/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * label_record.h - what labels.bpf.c sends the daemon for each FUSE data
 * request of its connection: one ring-buffer record, keyed by the
 * request's unique id.  Included by the BPF program (types from vmlinux.h)
 * and by bpf_source.c (types from <linux/types.h>); the two are built from
 * the same tree, so the layout has no version.
 *
 * A record states facts (which task, which syscall and arguments, whether
 * the fds it names are this file), never a label: the rules that turn them
 * into one are classify.c's, shared with the /proc source.
 */
#ifndef ACCESSFS_LABEL_RECORD_H
#define ACCESSFS_LABEL_RECORD_H

#define LABEL_NR_KTHREAD	(-2)	/* cause is a kernel thread (the flusher) */

/* label_record.ctx: whose context the cause was taken from. */
enum label_ctx {
	LABEL_CTX_SELF = 1,	/* the task sending the request is its requester */
	LABEL_CTX_QUEUED = 2,	/* sent later by another task: the cause recorded
				 * when the requester queued it (readahead, writeback) */
	LABEL_CTX_NONE = 3,	/* sent by another task, no cause recorded */
};

/* label_cause.ra: the readahead tracepoint that preceded a READ. */
enum label_ra {
	LABEL_RA_NONE = 0,
	LABEL_RA_SYNC = 1,	/* page_cache_sync_ra, ra_order, ra_unbounded */
	LABEL_RA_ASYNC = 2,	/* page_cache_async_ra: all of it is ahead */
};

#define LABEL_F_IO_WORKER	0x1	/* an io_uring worker (PF_IO_WORKER) */
#define LABEL_F_KTHREAD		0x2	/* a kernel thread (PF_KTHREAD) */

/* What the requesting task was doing. */
struct label_cause {
	__u64 args[6];		/* the syscall's arguments */
	__u64 pos[2];		/* f_pos of the fds args[0], args[1], if this file */
	__u32 tid;
	__u32 pid;		/* thread group id */
	__s32 nr;		/* syscall; -1 a user page fault; LABEL_NR_KTHREAD */
	__u8 fd_this;		/* bit i: args[i] is an fd of this file (i = 0, 1, 4) */
	__u8 ra;		/* enum label_ra */
	__u8 wb_reason;		/* kernel thread writing back: enum wb_reason + 1 */
	__u8 flags;		/* LABEL_F_* */
	__u32 origin;		/* kernel thread doing sync work: the process that
				 * asked for it (sync, syncfs); 0: its own work */
	__u32 seq;		/* which syscall or fault of tid this is (labels.bpf.c
				 * call_seq), so a cause is not taken for the next
				 * call with the same arguments */
	__u64 file;		/* the struct file of the fd found to be this file
				 * (labels.bpf.c refresh_cause); 0: none */
};

struct label_record {
	__u64 unique;		/* the FUSE request's unique id */
	__u64 nodeid;
	__u32 opcode;
	__u32 sender_tid;	/* the task that sent it (may be a daemon thread) */
	__u8 ctx;		/* enum label_ctx */
	__u8 pad[7];
	struct label_cause cause;
};

/* Counters in the program's .bss, read by the daemon at the end. */
#define LABEL_COUNTERS(X)						\
	X(dropped, "records lost: the ring buffer was full")		\
	X(overlaps, "a file's queued cause replaced by another task's before it was sent")

#endif /* ACCESSFS_LABEL_RECORD_H */
