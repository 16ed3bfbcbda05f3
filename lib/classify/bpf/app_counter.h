/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * app_counter.h - the app-side view's map (app_counters.bpf.c): per file,
 * process and access method, what the program asked of the page cache,
 * summed in the kernel and read by the daemon (app_counters.c) once a
 * second.  Included by the BPF program (vmlinux.h types) and the daemon
 * (<linux/types.h>); built from the same tree, so no version.
 */
#ifndef ACCESSFS_APP_COUNTER_H
#define ACCESSFS_APP_COUNTER_H

/* app_key.method: trace_format.h's TRACE_METHOD_* ids (checked in app_counters.c). */
#define APP_METHOD_READ		1
#define APP_METHOD_MMAP		2
#define APP_METHOD_POPULATE	3
#define APP_METHOD_WRITE	7

struct app_key {
	__u64 ino;		/* the FUSE inode's i_ino: the backing st_ino, the trace's file_id */
	__u32 tgid;
	__u32 method;		/* APP_METHOD_* */
};

struct app_value {
	__u64 bytes;		/* read: asked for (clamped at EOF); write: sent */
	__u64 calls;		/* read- and write-family syscalls */
	__u64 faults;		/* mmap, populate: page faults (pages touched unmapped) */
	__u64 major;		/* of them, faults that added pages to the page cache */
	__u64 mapped;		/* pages those faults mapped, fault-around windows included */
	char comm[16];		/* of the thread that first counted here */
};

/* A CPU's counts not yet added to the map (app_counters.bpf.c counts_of). */
struct app_pending {
	struct app_key key;	/* ino 0: none */
	struct app_value val;
};

#endif /* ACCESSFS_APP_COUNTER_H */
