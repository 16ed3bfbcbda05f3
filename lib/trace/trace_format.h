/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace_format.h - the accessfs trace: the one contract between the daemon
 * (fs/) and everything that reads what it recorded (lib/, the subcommands).
 *
 * A trace file is a file header followed by blocks:
 *
 *   offset 0   struct trace_file_header   magic "ACCSTRC\n", version
 *              header fields              TLV list, see TRACE_HEADER_KEYS
 *   then       struct trace_block_header  magic, kind, length, crc32c
 *              payload                    records, see below
 *              ... more blocks ...
 *
 * All integers in fixed-width fields are little-endian.  Blocks are written
 * whole by one writer thread with one pwrite() each, so a crash (kill -9 of
 * the daemon) can only tear the last block: a reader detects it by its
 * length or crc32c and reports it as a warning, keeping every block before.
 *
 * Two kinds of block:
 *   TRACE_BLOCK_EVENTS  events recorded by one FUSE worker thread, in the
 *                       order that thread recorded them.  Events are
 *                       delta-coded (see "Event encoding") so that the
 *                       average event costs well under 48 bytes on disk.
 *   TRACE_BLOCK_META    names: which path a file id has (DENTRY), which
 *                       program a thread belongs to (PROC), how many
 *                       events were lost (LOST), and the clean end (END).
 *
 * Because worker threads fill their buffers independently, blocks of
 * different threads interleave in arrival order only roughly.  Readers must
 * not assume an event's DENTRY or PROC record comes before it: they read
 * the META blocks first (they are few and small) and then the events.
 * Every META record carries a time, so a path can be resolved as it was
 * when the event happened (a rename shows both names, same file id).
 *
 * Compatibility: a reader accepts every version <= TRACE_VERSION and
 * rejects newer ones with a clear message.  Adding a field to the event
 * means: bump TRACE_VERSION, append the field at the end of the event
 * encoding (or behind a new TRACE_EV_HAS_* bit), and have the decoder read
 * it only when the file's version is new enough.  META records carry their
 * own length, so unknown META record types are skipped.
 */
#ifndef ACCESSFS_TRACE_FORMAT_H
#define ACCESSFS_TRACE_FORMAT_H

#include <stdint.h>
#include <stddef.h>

#define TRACE_MAGIC		"ACCSTRC\n"	/* 8 bytes, no NUL */
#define TRACE_MAGIC_LEN		8
#define TRACE_VERSION		1
#define TRACE_BLOCK_MAGIC	0x4b4c4241u	/* "ABLK" little-endian */
#define TRACE_BLOCK_MAX		(4u << 20)	/* readers reject larger */

/* On disk at offset 0: 16 bytes, then header_len bytes of TLV fields. */
struct trace_file_header {
	char magic[TRACE_MAGIC_LEN];
	uint32_t version;
	uint32_t header_len;
};

/*
 * Header fields: each is le16 key, le16 length, then that many bytes of
 * UTF-8-or-raw text (numbers are written in decimal).  Unknown keys are
 * kept by readers as "unknown_<n>" and otherwise ignored.
 *
 * X(id, key-name, description)
 */
#define TRACE_HEADER_KEYS(X)						\
	X(1, accessfs_version, "version of the accessfs that wrote the trace") \
	X(2, host, "host name")						\
	X(3, kernel, "kernel release (uname -r)")			\
	X(4, arch, "machine (uname -m); syscall numbers are for it")	\
	X(5, page_size, "page size in bytes")				\
	X(6, source, "backing directory (absolute)")			\
	X(7, mountpoint, "mount point (absolute)")			\
	X(8, mount_options, "mount options as given")			\
	X(9, max_readahead, "negotiated max_readahead in bytes")	\
	X(10, max_write, "negotiated max_write in bytes")		\
	X(11, max_pages, "negotiated max_pages")			\
	X(12, writeback_cache, "1 if the kernel writeback cache was on") \
	X(13, async_read, "1 if the kernel sent reads asynchronously")	\
	X(14, direct_io, "1 if files were opened with direct_io")	\
	X(15, start_wall, "wall-clock start, RFC 3339 with nanoseconds") \
	X(16, start_mono_ns, "CLOCK_MONOTONIC at start, ns; event times use this clock") \
	X(17, classify, "1 if access methods were labelled")		\
	X(18, trace_meta, "1 if metadata operations were recorded")	\
	X(19, daemon_pid, "pid of the accessfs daemon")			\
	X(20, proto, "FUSE protocol major.minor")			\
	X(21, flush_interval_ms, "the writer writes buffered events at least this often") \
	X(22, label_source, "where access-method labels came from: bpf, proc or off")

enum trace_header_key {
#define X(id, name, desc) TRACE_HDR_##name = id,
	TRACE_HEADER_KEYS(X)
#undef X
};

/* On disk before each block's payload: 32 bytes. */
struct trace_block_header {
	uint32_t magic;		/* TRACE_BLOCK_MAGIC */
	uint32_t kind;		/* enum trace_block_kind */
	uint32_t payload_len;	/* bytes after this header */
	uint32_t crc32c;	/* of the payload (Castagnoli, as in iSCSI) */
	uint64_t seq;		/* 0, 1, 2 ... in file order */
	uint32_t nrecords;
	uint32_t writer_tid;	/* daemon thread that recorded EVENTS; 0 for META */
};

enum trace_block_kind {
	TRACE_BLOCK_EVENTS = 1,
	TRACE_BLOCK_META = 2,
};

/*
 * Operations: every FUSE request the daemon answers.
 * X(enum-suffix, name, is_data)  - name is what every export prints.
 * is_data: 1 for requests that move file data or flush it (they get an
 * access method label), 0 for metadata (left out with -o trace_meta=0).
 */
#define TRACE_OPS(X)				\
	X(LOOKUP, lookup, 0)			\
	X(FORGET, forget, 0)			\
	X(GETATTR, getattr, 0)			\
	X(SETATTR, setattr, 0)			\
	X(READLINK, readlink, 0)		\
	X(MKNOD, mknod, 0)			\
	X(MKDIR, mkdir, 0)			\
	X(UNLINK, unlink, 0)			\
	X(RMDIR, rmdir, 0)			\
	X(SYMLINK, symlink, 0)			\
	X(RENAME, rename, 0)			\
	X(LINK, link, 0)			\
	X(OPEN, open, 1)			\
	X(READ, read, 1)			\
	X(WRITE, write, 1)			\
	X(FLUSH, flush, 1)			\
	X(RELEASE, release, 1)			\
	X(FSYNC, fsync, 1)			\
	X(OPENDIR, opendir, 0)			\
	X(READDIR, readdir, 0)			\
	X(READDIRPLUS, readdirplus, 0)		\
	X(RELEASEDIR, releasedir, 0)		\
	X(FSYNCDIR, fsyncdir, 0)		\
	X(STATFS, statfs, 0)			\
	X(SETXATTR, setxattr, 0)		\
	X(GETXATTR, getxattr, 0)		\
	X(LISTXATTR, listxattr, 0)		\
	X(REMOVEXATTR, removexattr, 0)		\
	X(ACCESS, access, 0)			\
	X(CREATE, create, 1)			\
	X(GETLK, getlk, 0)			\
	X(SETLK, setlk, 0)			\
	X(FLOCK, flock, 0)			\
	X(FALLOCATE, fallocate, 1)		\
	X(COPY_FILE_RANGE, copy_file_range, 1)	\
	X(LSEEK, lseek, 0)

enum trace_op {
#define X(e, name, is_data) TRACE_OP_##e,
	TRACE_OPS(X)
#undef X
	TRACE_OP_COUNT
};

/*
 * Access methods: what in the calling program made the kernel send a
 * request.  X(enum-suffix, name, description)
 */
#define TRACE_METHODS(X)						\
	X(NONE, none, "not a data request, or labels were off")		\
	X(READ, read, "a read-family syscall on this file")		\
	X(MMAP, mmap, "a page fault on a mapping of this file")		\
	X(POPULATE, populate, "MAP_POPULATE, MADV_POPULATE_*, mlock")	\
	X(ADVISE, advise, "madvise/fadvise WILLNEED, readahead(2)")	\
	X(COPY, copy, "sendfile, splice, copy_file_range")		\
	X(KERNEL, kernel, "sent by the kernel itself (pid 0)")		\
	X(WRITE, write, "a write-family syscall on this file")		\
	X(WRITEBACK, writeback, "page-cache writeback of dirty pages")	\
	X(UNKNOWN, unknown, "a data request whose cause was not found")	\
	X(IO_URING, io_uring, "an io_uring request, inline or by an iou-wrk worker")

enum trace_method {
#define X(e, name, desc) TRACE_METHOD_##e,
	TRACE_METHODS(X)
#undef X
	TRACE_METHOD_COUNT
};

/* What started page-cache writeback.  X(enum-suffix, name, description) */
#define TRACE_TRIGGERS(X)						\
	X(NONE, none, "not a writeback request")			\
	X(MSYNC, msync, "msync(MS_SYNC)")				\
	X(FSYNC, fsync, "fsync or fdatasync")				\
	X(CLOSE, close, "close of a descriptor (the kernel flushes before FLUSH)") \
	X(MUNMAP, munmap, "munmap of a shared mapping")			\
	X(EXIT, exit, "process exit, which unmaps and closes")		\
	X(SYNC, sync, "sync or syncfs")					\
	X(FLUSHER, flusher, "the kernel's background writeback")	\
	X(UNKNOWN, unknown, "writeback whose trigger was not found")	\
	X(RECLAIM, reclaim, "writeback the kernel started for memory reclaim (vmscan)")

enum trace_trigger {
#define X(e, name, desc) TRACE_TRIGGER_##e,
	TRACE_TRIGGERS(X)
#undef X
	TRACE_TRIGGER_COUNT
};

/* Values of trace_event.syscall that are not syscall numbers. */
#define TRACE_SYSCALL_NONE	(-3)	/* not looked at (labels off, pid 0) */
#define TRACE_SYSCALL_UNREADABLE (-2)	/* "running", or /proc unreadable */
#define TRACE_SYSCALL_FAULT	(-1)	/* blocked outside a syscall: a fault */

/* trace_event.map_flags */
#define TRACE_MAP_PROT_READ	0x1u
#define TRACE_MAP_PROT_WRITE	0x2u
#define TRACE_MAP_PROT_EXEC	0x4u
#define TRACE_MAP_SHARED	0x8u

#define TRACE_AHEAD_UNKNOWN	UINT64_MAX

/*
 * trace_event.flags, by op (the request flags that matter):
 *   OPEN, CREATE   open(2) flags as the kernel sent them (O_ACCMODE...)
 *   WRITE          TRACE_WRITE_CACHE if the kernel's writepage flag was set
 *   FSYNC, FSYNCDIR TRACE_FSYNC_DATASYNC for fdatasync
 *   RENAME         renameat2 flags (RENAME_NOREPLACE, RENAME_EXCHANGE)
 *   SETATTR        the FUSE_SET_ATTR_* mask
 *   FALLOCATE      fallocate mode
 *   FLOCK, SETLK   the lock operation
 */
#define TRACE_WRITE_CACHE	0x1u
#define TRACE_FSYNC_DATASYNC	0x1u

/*
 * One request, in memory.  Writers fill it, readers return it.  Field
 * meanings are the JSON keys of `accessfs dump` (see doc/accessfs.1).
 */
struct trace_event {
	uint64_t start_ns;	/* CLOCK_MONOTONIC when the request arrived */
	uint64_t duration_ns;	/* until the reply was sent */
	uint64_t file_id;	/* backing st_ino of the inode; 0: none */
	uint64_t file_id2;	/* second inode: rename/link target dir, copy
				 * dest; for CREATE the parent directory (file_id
				 * is then the new file) */
	uint64_t fh;		/* FUSE file handle, 0 if none */
	uint64_t offset;	/* bytes; for READDIR the directory offset */
	uint64_t size;		/* bytes asked for */
	int64_t result;		/* bytes done, 0, or -errno */
	uint32_t tid;		/* requesting thread (FUSE ctx pid); 0: kernel */
	uint32_t pid;		/* its thread group id; 0: kernel or unknown */
	uint32_t uid;
	uint32_t gid;
	uint32_t flags;		/* see TRACE_WRITE_CACHE etc. above */
	uint8_t op;		/* enum trace_op */
	uint8_t method;		/* enum trace_method */
	uint8_t trigger;	/* enum trace_trigger */
	int32_t syscall;	/* requester's syscall number, or TRACE_SYSCALL_* */
	uint64_t ahead_bytes;	/* READ bytes beyond demand; TRACE_AHEAD_UNKNOWN */
	/* The mapping an mmap/populate request faulted on; map_len 0: unknown */
	uint64_t map_start;
	uint64_t map_len;
	uint64_t map_offset;	/* file offset of map_start */
	uint32_t map_flags;	/* TRACE_MAP_* */
	/*
	 * Names for name-based operations (lookup, create, mkdir, unlink,
	 * rmdir, symlink, link, rename: name -> name2; xattrs: the attribute
	 * name).  Not NUL-terminated; lengths up to 65535.  A writer copies
	 * them; a reader's pointers are valid until its next call.
	 */
	const char *name;
	const char *name2;
	uint16_t name_len;
	uint16_t name2_len;
};

/*
 * Event encoding in TRACE_BLOCK_EVENTS (version 1).  "v" is an unsigned
 * LEB128 varint, "z" a zigzag LEB128 of the difference to the same field of
 * the previous event in the same block (all zero at the block's start).
 *
 *   byte  op
 *   byte  method
 *   byte  trigger
 *   v     has           TRACE_EV_HAS_* bits: which optional groups follow
 *   z     start_ns      delta to the previous event's start_ns
 *   v     duration_ns
 *   z     file_id
 *   z     fh
 *   z     offset        delta to the previous event's offset + size
 *   v     size
 *   z     result        delta to size (so a full read costs one byte)
 *   z     tid, pid, uid, gid
 *   z     syscall
 *   [HAS_FLAGS]   v flags
 *   [HAS_AHEAD]   v ahead_bytes
 *   [HAS_FILE2]   z file_id2 (delta to file_id)
 *   [HAS_MAP]     v map_start, v map_len, v map_offset, v map_flags
 *   [HAS_NAME]    v len, bytes
 *   [HAS_NAME2]   v len, bytes
 */
#define TRACE_EV_HAS_FLAGS	0x01u
#define TRACE_EV_HAS_AHEAD	0x02u
#define TRACE_EV_HAS_FILE2	0x04u
#define TRACE_EV_HAS_MAP	0x08u
#define TRACE_EV_HAS_NAME	0x10u
#define TRACE_EV_HAS_NAME2	0x20u

/*
 * META records: byte type, v payload length, payload.  Payloads (all "v"
 * unsigned varints unless said; "s" is v length + bytes):
 *
 *   DENTRY  v time_ns, v file_id, v parent_id, v kind (S_IFMT >> 12), s name
 *           file_id is known at parent/name from time_ns on.  The mount
 *           root has parent_id 0 and an empty name.
 *   PROC    v time_ns, v tid, v pid, s comm, s exe
 *           the thread tid of process pid, as seen from time_ns on: a
 *           thread that execs (or renames itself) gets another PROC record,
 *           and readers take the one in force at an event's time.
 *   LOST    v time_ns, v count [, v meta_count]
 *           count events could not be recorded (trace write failed);
 *           meta_count META records (names, processes) with them.
 *   END     v time_ns, v events, v lost [, v lost_meta]
 *           the writer closed the trace cleanly.
 *   ([...]: added to version 1 without a bump: readers take a missing one
 *   as 0, and readers that predate it skip it, as every reader ignores
 *   bytes after the numbers it knows.)
 *   UNLINK  v time_ns, v file_id
 *           the last name of file_id went away (informational).
 *   LABELS  v time_ns, v late, v nocause, v dropped, v overlaps
 *           with label_source bpf, written before END: requests labelled
 *           from /proc because their BPF record did not come in time
 *           (late) or named no cause (nocause); records the kernel could
 *           not queue (dropped); queued causes replaced by another before
 *           their request was sent (overlaps, a possible mislabel).
 */
#define TRACE_META_RECORDS(X)		\
	X(DENTRY, dentry, 1)		\
	X(PROC, proc, 2)		\
	X(LOST, lost, 3)		\
	X(END, end, 4)			\
	X(UNLINK, unlink, 5)		\
	X(LABELS, labels, 6)

enum trace_meta_type {
#define X(e, name, id) TRACE_META_##e = id,
	TRACE_META_RECORDS(X)
#undef X
};

struct trace_dentry {
	uint64_t time_ns;
	uint64_t file_id;
	uint64_t parent_id;
	uint32_t kind;		/* S_IFMT >> 12: 4 dir, 8 regular, 10 symlink */
	const char *name;
	uint16_t name_len;
};

struct trace_proc {
	uint64_t time_ns;
	uint32_t tid;
	uint32_t pid;
	const char *comm;	/* NUL-terminated */
	const char *exe;	/* NUL-terminated, "" if unknown */
};

/* The LABELS record. */
struct trace_label_stats {
	uint64_t time_ns;
	uint64_t late;
	uint64_t nocause;
	uint64_t dropped;
	uint64_t overlaps;
};

/* Names, generated from the tables above (lib/trace_names.c). */
const char *trace_op_name(unsigned int op);		/* "read"; "op_N" if out of range */
const char *trace_method_name(unsigned int method);
const char *trace_trigger_name(unsigned int trigger);
const char *trace_header_key_name(unsigned int key);	/* NULL if unknown */
int trace_op_from_name(const char *name);		/* -1 if unknown */
int trace_op_is_data(unsigned int op);
/* x86_64 syscall name ("pread64"), or NULL if not in our table. */
const char *trace_syscall_name(int nr);

#endif /* ACCESSFS_TRACE_FORMAT_H */
