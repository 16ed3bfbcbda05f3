/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bpf_source.h - the BPF label source: load bpf/labels.bpf.c for one FUSE
 * connection and hand each request's record (bpf/label_record.h) to the
 * worker that handles it.  Private to lib/classify: classify.c decides the
 * label from what this observed, exactly as from a /proc observation.
 *
 * Records are read from the ring buffer's mmap (no syscall per request)
 * into a table indexed by the request's unique id, under one mutex; a
 * worker takes its own.  Nothing is pinned: the programs, links and maps
 * are the daemon's file descriptors and go when it exits, even by SIGKILL.
 */
#ifndef ACCESSFS_BPF_SOURCE_H
#define ACCESSFS_BPF_SOURCE_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "bpf/label_record.h"
#include "classify_rules.h"

struct bpf_source;

/*
 * Load and attach, for the FUSE mount whose st_dev is mount_dev (0: fail).
 * NULL with a one-line reason in why: built without BPF, not root, no BTF,
 * verifier rejection, or ACCESSFS_BPF_FAIL set in the environment (tests).
 */
struct bpf_source *bpf_source_open(uint64_t mount_dev, char *why, size_t whylen);
void bpf_source_close(struct bpf_source *b);

/* The record of request unique, waiting at most wait_us for it to arrive;
 * false if it did not (dropped, or never sent). */
bool bpf_source_take(struct bpf_source *b, uint64_t unique, unsigned int wait_us,
		     struct label_record *out);

/* What a record says of its requester, as requester_observe() says it from
 * /proc: syscall, arguments, whether the fd the rules look at is this file
 * (classify_fd_arg) and its position. */
void bpf_source_state(const struct label_record *r, unsigned int op, struct requester_state *st);

/* The program's count of task renames (exec, PR_SET_NAME) on the system
 * since it loaded, a word the kernel raises: read it with an atomic load. */
const uint64_t *bpf_source_renames(const struct bpf_source *b);

/* The program's own counters (label_record.h LABEL_COUNTERS). */
struct bpf_source_counters {
#define X(name, desc) uint64_t name;
	LABEL_COUNTERS(X)
#undef X
};
void bpf_source_counters(const struct bpf_source *b, struct bpf_source_counters *out);

#endif /* ACCESSFS_BPF_SOURCE_H */
