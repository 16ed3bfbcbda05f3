/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * options.h - the mount options of accessfs (-o a,b=c,...).
 *
 * One table (options.c) drives the parser, --help and the defaults, so they
 * cannot drift apart.  Options accessfs does not use itself but the kernel
 * or libfuse understand (rw, nosuid, noatime, fsname=, ...) are collected
 * verbatim for libfuse, so mount -t fuse.accessfs and /etc/fstab work.
 * This module knows nothing of FUSE sessions: it only fills a struct.
 */
#ifndef ACCESSFS_OPTIONS_H
#define ACCESSFS_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum cache_mode {
	CACHE_NEVER,
	CACHE_AUTO,
	CACHE_ALWAYS,
};

/* Where access-method labels come from (-o labels=). */
enum label_source {
	LABELS_BPF,	/* the kernel, through BPF; /proc where that does not load */
	LABELS_PROC,	/* the requester's /proc files */
	LABELS_OFF,
};

/* Whether requests come over FUSE over io_uring (-o uring=). */
enum uring_mode {
	URING_AUTO,	/* where the kernel offers it, silently /dev/fuse where not */
	URING_ON,	/* asked for: one stderr line if it falls back to /dev/fuse */
	URING_OFF,	/* /dev/fuse only */
};

#define OPTIONS_DEFAULT_MAX_THREADS	16
#define OPTIONS_MAX_MAX_THREADS		1024

struct mount_options {
	enum cache_mode cache;
	bool writeback;		/* kernel writeback cache */
	bool direct_io;
	bool async_read;	/* valid if read_mode_set */
	bool read_mode_set;	/* sync_read or async_read given; else async
				 * unless labels come from /proc (ops_fs.c) */
	unsigned int max_readahead;	/* bytes; valid if max_readahead_set */
	bool max_readahead_set;
	unsigned int read_ahead_kb;	/* the mount's bdi readahead; 0: the kernel's */
	unsigned int max_threads;
	bool clone_fd;
	bool allow_other;
	int default_permissions;	/* -1: not given, else 0 or 1 */
	bool ro;
	unsigned int max_fds;	/* O_PATH descriptors cached; 0: automatic */
	char *trace_path;	/* NULL: the default name in the start directory */
	bool notrace;
	bool trace_meta;
	bool classify;		/* classify=0: an old spelling of labels=off */
	enum label_source labels;
	bool xattr;		/* false: ENOSYS to every xattr request */
	bool killpriv_v2;	/* the daemon clears suid/sgid (session_io.h) */
	bool app_counters;	/* the app-side view, where BPF labels load */
	enum uring_mode uring;
	char *fuse_opts;	/* comma-separated, for libfuse; NULL if none */
	char *given;		/* every -o list as given, comma-joined; NULL if none */
};

/* Set every option to its default.  Call before options_parse(). */
void options_init(struct mount_options *o);

/* Free what options_parse() allocated; o may be parsed into again after init. */
void options_free(struct mount_options *o);

/*
 * Parse one comma-separated list (the argument of one -o), on top of what
 * earlier calls set; later options override earlier ones.  Returns 0, or -1
 * with a one-line message (no "accessfs:" prefix) in err.
 */
int options_parse(struct mount_options *o, const char *list, char *err, size_t errlen);

/* Whether the kernel checks permissions: allow_other implies it unless
 * nodefault_permissions was given. */
bool options_default_permissions(const struct mount_options *o);

/* The label source asked for: labels=, or off with classify=0. */
enum label_source options_label_source(const struct mount_options *o);

/* Print every option with its default, one per line, for --help. */
void options_print_help(FILE *out);

/* Entry/attribute timeout in seconds and keep_cache for open, by cache=. */
double options_cache_timeout(const struct mount_options *o);
bool options_keep_cache(const struct mount_options *o);

#endif /* ACCESSFS_OPTIONS_H */
