/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace_format.h - the accessfs trace: the one contract between the daemon
 * (daemon/) and everything that reads what it recorded (lib/, cli/).
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
	X(22, label_source, "where access-method labels came from: bpf, proc or off") \
	X(23, app_counters, "1 if the app-side counters were sampled (APP records)") \
	X(24, transport, "how requests were to come: dev_fuse, or io_uring (TRANSPORT record)") \
	X(25, killpriv_v2, "1 if the daemon cleared set-user-ID/set-group-ID on write and truncate" \
	  " (FUSE_HANDLE_KILLPRIV_V2): the kernel then sends no GETXATTR security.capability" \
	  " before writes")

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
 * The three enumerations below are on disk (one byte each in every event),
 * so each row carries its on-disk id explicitly: a row is never renumbered
 * and an id never reused.  New rows go at the end; the _Static_asserts make
 * a row inserted mid-table, or a reused id, fail the build.  Each table has
 * every column its consumers need, so adding a row is one line here (and,
 * for a method, one rule in lib/classify/classify.c).
 */
#define TRACE_ASSERT_ID(enum_name, id, table)					\
	_Static_assert(enum_name == (id), #table ": " #enum_name " must keep on-disk id " \
		       #id "; add new rows at the end")

/*
 * Operations: every FUSE request the daemon answers.
 * X(enum-suffix, id, name, is_data, names_entry)
 *   name         what every export prints
 *   is_data      1 for requests that move file data or flush it (they get
 *                an access method label), 0 for metadata (left out with
 *                -o trace_meta=0)
 *   names_entry  1 if the request names an entry (name) of directory
 *                file_id (daemon/ops_entry.c passes the parent), so it is
 *                about the path "dir/name"; LINK and CREATE are not: their
 *                file_id is the inode itself
 */
#define TRACE_OPS(X)					\
	X(LOOKUP, 0, lookup, 0, 1)			\
	X(FORGET, 1, forget, 0, 0)			\
	X(GETATTR, 2, getattr, 0, 0)			\
	X(SETATTR, 3, setattr, 0, 0)			\
	X(READLINK, 4, readlink, 0, 0)			\
	X(MKNOD, 5, mknod, 0, 1)			\
	X(MKDIR, 6, mkdir, 0, 1)			\
	X(UNLINK, 7, unlink, 0, 1)			\
	X(RMDIR, 8, rmdir, 0, 1)			\
	X(SYMLINK, 9, symlink, 0, 1)			\
	X(RENAME, 10, rename, 0, 1)			\
	X(LINK, 11, link, 0, 0)				\
	X(OPEN, 12, open, 1, 0)				\
	X(READ, 13, read, 1, 0)				\
	X(WRITE, 14, write, 1, 0)			\
	X(FLUSH, 15, flush, 1, 0)			\
	X(RELEASE, 16, release, 1, 0)			\
	X(FSYNC, 17, fsync, 1, 0)			\
	X(OPENDIR, 18, opendir, 0, 0)			\
	X(READDIR, 19, readdir, 0, 0)			\
	X(READDIRPLUS, 20, readdirplus, 0, 0)		\
	X(RELEASEDIR, 21, releasedir, 0, 0)		\
	X(FSYNCDIR, 22, fsyncdir, 0, 0)			\
	X(STATFS, 23, statfs, 0, 0)			\
	X(SETXATTR, 24, setxattr, 0, 0)			\
	X(GETXATTR, 25, getxattr, 0, 0)			\
	X(LISTXATTR, 26, listxattr, 0, 0)		\
	X(REMOVEXATTR, 27, removexattr, 0, 0)		\
	X(ACCESS, 28, access, 0, 0)			\
	X(CREATE, 29, create, 1, 0)			\
	X(GETLK, 30, getlk, 0, 0)			\
	X(SETLK, 31, setlk, 0, 0)			\
	X(FLOCK, 32, flock, 0, 0)			\
	X(FALLOCATE, 33, fallocate, 1, 0)		\
	X(COPY_FILE_RANGE, 34, copy_file_range, 1, 0)	\
	X(LSEEK, 35, lseek, 0, 0)

enum trace_op {
#define X(e, id, name, is_data, names_entry) TRACE_OP_##e,
	TRACE_OPS(X)
#undef X
	TRACE_OP_COUNT
};

#define X(e, id, name, is_data, names_entry) TRACE_ASSERT_ID(TRACE_OP_##e, id, TRACE_OPS);
TRACE_OPS(X)
#undef X

/*
 * Access methods: what in the calling program made the kernel send a
 * request.  X(enum-suffix, id, name, description, colour, phrase, live)
 *   colour  the HTML report's colour for it (colour-blind safe palette)
 *   phrase  how a report finding names the cause of its requests
 *   live    the live views' column for its bytes (lib/analysis/io_tally.h):
 *           READ_SYSCALL, READ_MMAP, WRITE_SYSCALL, WRITE_BACK, or OTHER
 *           (a READ counted elsewhere than a read column, or a WRITE
 *           elsewhere than a write column, goes to that direction's other)
 */
#define TRACE_METHODS(X)							\
	X(NONE, 0, none, "not a data request, or labels were off",		\
	  "#999999", "unlabelled requests", OTHER)				\
	X(READ, 1, read, "a read-family syscall on this file",			\
	  "#0072b2", "read() calls", READ_SYSCALL)					\
	X(MMAP, 2, mmap, "a page fault on a mapping of this file",		\
	  "#e69f00", "mmap faults", READ_MMAP)					\
	X(POPULATE, 3, populate, "MAP_POPULATE, MADV_POPULATE_*, mlock",	\
	  "#cc79a7", "populate (MAP_POPULATE, madvise, mlock)", READ_MMAP)		\
	X(ADVISE, 4, advise, "madvise/fadvise WILLNEED, readahead(2)",		\
	  "#56b4e9", "readahead advice (fadvise, madvise, readahead)", OTHER)	\
	X(COPY, 5, copy, "sendfile, splice, copy_file_range",			\
	  "#8c564b", "copies (sendfile, splice, copy_file_range)", OTHER)	\
	X(KERNEL, 6, kernel, "sent by the kernel itself (pid 0)",		\
	  "#7f7f7f", "the kernel itself", OTHER)				\
	X(WRITE, 7, write, "a write-family syscall on this file",		\
	  "#009e73", "write() calls", WRITE_SYSCALL)					\
	X(WRITEBACK, 8, writeback, "page-cache writeback of dirty pages",	\
	  "#d55e00", "writeback", WRITE_BACK)						\
	X(UNKNOWN, 9, unknown, "a data request whose cause was not found",	\
	  "#000000", "requests of unknown cause", OTHER)			\
	X(IO_URING, 10, io_uring, "an io_uring request, inline or by an iou-wrk worker", \
	  "#ddcc77", "io_uring requests", OTHER)

enum trace_method {
#define X(e, id, name, desc, colour, phrase, live) TRACE_METHOD_##e,
	TRACE_METHODS(X)
#undef X
	TRACE_METHOD_COUNT
};

#define X(e, id, name, desc, colour, phrase, live) \
	TRACE_ASSERT_ID(TRACE_METHOD_##e, id, TRACE_METHODS);
TRACE_METHODS(X)
#undef X

/*
 * What started page-cache writeback.
 * X(enum-suffix, id, name, description, colour, phrase)
 *   colour  the HTML report's colour for writeback with this trigger
 *   phrase  how a finding says when such writeback reached storage
 */
#define TRACE_TRIGGERS(X)							\
	X(NONE, 0, none, "not a writeback request",				\
	  "#bbbbbb", "by writeback")						\
	X(MSYNC, 1, msync, "msync(MS_SYNC)",					\
	  "#d55e00", "at msync")						\
	X(FSYNC, 2, fsync, "fsync or fdatasync",				\
	  "#b2182b", "at fsync")						\
	X(CLOSE, 3, close, "close of a descriptor (the kernel flushes before FLUSH)", \
	  "#f0e442", "at close")						\
	X(MUNMAP, 4, munmap, "munmap of a shared mapping",			\
	  "#882255", "only at munmap")						\
	X(EXIT, 5, exit, "process exit, which unmaps and closes",		\
	  "#44aa99", "only at process exit")					\
	X(SYNC, 6, sync, "sync or syncfs",					\
	  "#117733", "at sync")							\
	X(FLUSHER, 7, flusher, "the kernel's background writeback",		\
	  "#aa4499", "through the kernel's background flusher")			\
	X(UNKNOWN, 8, unknown, "writeback whose trigger was not found",	\
	  "#332288", "by writeback of unknown trigger")				\
	X(RECLAIM, 9, reclaim, "writeback the kernel started for memory reclaim (vmscan)", \
	  "#661100", "when memory reclaim forced it out")

enum trace_trigger {
#define X(e, id, name, desc, colour, phrase) TRACE_TRIGGER_##e,
	TRACE_TRIGGERS(X)
#undef X
	TRACE_TRIGGER_COUNT
};

#define X(e, id, name, desc, colour, phrase) \
	TRACE_ASSERT_ID(TRACE_TRIGGER_##e, id, TRACE_TRIGGERS);
TRACE_TRIGGERS(X)
#undef X

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
 *   APP     v time_ns, v file_id, v pid, v method, v bytes, v calls,
 *           v faults, v major, v mapped, s comm
 *           with app_counters 1: what process pid (named comm) asked of
 *           file_id's page cache by method (read, mmap, populate, write),
 *           as counted in the kernel from the mount's start to time_ns
 *           (doc/labels.md "The app-side view").  Sampled once a second
 *           for the counters that changed, and at the end: the last
 *           record of a (file_id, pid, method) holds its totals.
 *   TRANSPORT v time_ns, v queues, v ring_requests
 *           with transport io_uring, written before END: the io_uring
 *           queues that served (0: the rings could not be set up and every
 *           request came over /dev/fuse) and the requests they carried.
 */
#define TRACE_META_RECORDS(X)		\
	X(DENTRY, dentry, 1)		\
	X(PROC, proc, 2)		\
	X(LOST, lost, 3)		\
	X(END, end, 4)			\
	X(UNLINK, unlink, 5)		\
	X(LABELS, labels, 6)		\
	X(APP, app, 7)			\
	X(TRANSPORT, transport, 8)

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

/* The TRANSPORT record. */
struct trace_transport_stats {
	uint64_t time_ns;
	uint64_t queues;	/* io_uring queues that served; 0: /dev/fuse alone */
	uint64_t ring_requests;	/* requests that came over them */
};

/* The APP record: cumulative counters of one (file, process, method). */
struct trace_app_sample {
	uint64_t time_ns;
	uint64_t file_id;
	uint32_t pid;
	uint8_t method;		/* enum trace_method: READ, MMAP, POPULATE, WRITE */
	uint64_t bytes;		/* read: asked for, up to EOF; write: written */
	uint64_t calls;		/* read- or write-family syscalls */
	uint64_t faults;	/* mmap, populate: page faults on the file */
	uint64_t major;		/* of them, faults that added pages to the cache */
	uint64_t mapped;	/* pages those faults mapped, with fault-around */
	const char *comm;	/* NUL-terminated, at most 15 bytes */
};

/* Names and columns, generated from the tables above (lib/trace/trace_names.c). */
const char *trace_op_name(unsigned int op);		/* "read"; "op_unknown" if out of range */
const char *trace_method_name(unsigned int method);
const char *trace_trigger_name(unsigned int trigger);
const char *trace_header_key_name(unsigned int key);	/* NULL if unknown */
int trace_op_from_name(const char *name);		/* -1 if unknown */
int trace_op_is_data(unsigned int op);
int trace_op_names_entry(unsigned int op);
const char *trace_method_colour(unsigned int method);	/* out of range: unknown's */
const char *trace_method_phrase(unsigned int method);
const char *trace_trigger_colour(unsigned int trigger);
const char *trace_trigger_phrase(unsigned int trigger);
/* x86_64 syscall name ("pread64"), or NULL if not in our table. */
const char *trace_syscall_name(int nr);

#endif /* ACCESSFS_TRACE_FORMAT_H */
