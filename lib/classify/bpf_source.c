/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bpf_source.c - load labels.bpf.c, tell it our connection, and match its
 * ring-buffer records to requests by unique id (see bpf_source.h).
 *
 * ring_buffer__consume() reads the ring's mmap and calls back per record
 * without a syscall; the callback files each record in a direct-mapped
 * table.  The kernel hands out unique ids in steps of 2
 * (fs/fuse/dev.c fuse_get_unique), and a record is consumed at most a few
 * hundred requests before it is taken, so a slot is only reused by a
 * request far newer than the one that left it: a stale record is
 * overwritten, never mistaken (the slot keeps its unique id).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <bpf/libbpf.h>
#include "bpf_source.h"
#include "bpf_why.h"
#include "labels.skel.h"

#define SLOTS		16384	/* power of two */
#define POLL_US		20	/* re-read the ring this often while waiting */

struct slot {
	uint64_t unique;	/* 0: empty (the kernel never uses 0) */
	struct label_record rec;
};

struct bpf_source {
	struct labels_bpf *skel;
	struct ring_buffer *ring;
	pthread_mutex_t lock;	/* protects ring consumption and slots */
	struct slot slots[SLOTS];
};

static struct slot *slot_of(struct bpf_source *b, uint64_t unique)
{
	return &b->slots[(unique >> 1) & (SLOTS - 1)];
}

static int on_record(void *ctx, void *data, size_t len)
{
	struct bpf_source *b = ctx;
	const struct label_record *r = data;
	struct slot *s;

	if (len < sizeof(*r))
		return 0;
	s = slot_of(b, r->unique);
	s->unique = r->unique;
	s->rec = *r;
	return 0;
}

struct bpf_source *bpf_source_open(uint64_t mount_dev, char *why, size_t whylen)
{
	struct bpf_source *b;
	int err;

	if (getenv("ACCESSFS_BPF_FAIL")) {
		snprintf(why, whylen, "BPF labels: not loaded (ACCESSFS_BPF_FAIL is set)");
		return NULL;
	}
	if (!mount_dev) {
		snprintf(why, whylen, "BPF labels: the mount's device is unknown");
		return NULL;
	}
	b = calloc(1, sizeof(*b));
	if (!b) {
		snprintf(why, whylen, "BPF labels: out of memory");
		return NULL;
	}
	pthread_mutex_init(&b->lock, NULL);
	bpf_why_begin();
	b->skel = labels_bpf__open_and_load();
	if (!b->skel) {
		bpf_why(why, whylen, "BPF labels", "load", errno);
		goto out_free;
	}
	err = labels_bpf__attach(b->skel);
	if (err) {
		bpf_why(why, whylen, "BPF labels", "attach", err);
		goto out_free;
	}
	b->ring = ring_buffer__new(bpf_map__fd(b->skel->maps.records), on_record, b, NULL);
	if (!b->ring) {
		bpf_why(why, whylen, "BPF labels", "ring buffer", errno);
		goto out_free;
	}
	/* The kernel's dev_t is major << 20 | minor (include/linux/kdev_t.h). */
	b->skel->bss->target_dev = (uint32_t)(major(mount_dev) << 20 | minor(mount_dev));
	return b;

out_free:
	bpf_source_close(b);
	return NULL;
}

void bpf_source_close(struct bpf_source *b)
{
	if (!b)
		return;
	ring_buffer__free(b->ring);
	labels_bpf__destroy(b->skel);
	pthread_mutex_destroy(&b->lock);
	free(b);
}

static bool take_locked(struct bpf_source *b, uint64_t unique, struct label_record *out)
{
	struct slot *s = slot_of(b, unique);

	if (s->unique != unique) {
		ring_buffer__consume(b->ring);
		if (s->unique != unique)
			return false;
	}
	*out = s->rec;
	s->unique = 0;
	return true;
}

bool bpf_source_take(struct bpf_source *b, uint64_t unique, unsigned int wait_us,
		     struct label_record *out)
{
	const struct timespec pause = { 0, POLL_US * 1000 };
	bool found;

	for (unsigned int waited = 0;; waited += POLL_US) {
		pthread_mutex_lock(&b->lock);
		found = take_locked(b, unique, out);
		pthread_mutex_unlock(&b->lock);
		if (found || waited >= wait_us)
			return found;
		nanosleep(&pause, NULL);
	}
}

void bpf_source_state(const struct label_record *r, unsigned int op, struct requester_state *st)
{
	const struct label_cause *c = &r->cause;
	int arg;

	memset(st, 0, sizeof(*st));
	st->readable = true;
	st->io_worker = c->flags & LABEL_F_IO_WORKER;
	st->nr = c->nr == LABEL_NR_KTHREAD ? TRACE_SYSCALL_UNREADABLE : c->nr;
	memcpy(st->args, c->args, sizeof(st->args));
	st->async_ra = c->ra == LABEL_RA_ASYNC;
	arg = classify_fd_arg(op, st->nr);
	if (arg < 0 || arg > 4 || st->nr < 0)
		return;
	st->fd = c->fd_this & (1u << arg) ? FD_THIS_FILE : FD_OTHER_FILE;
	if (st->fd == FD_THIS_FILE && arg < 2) {
		st->pos_known = true;
		st->pos = c->pos[arg];
	}
}

void bpf_source_counters(const struct bpf_source *b, struct bpf_source_counters *out)
{
#define X(name, desc) out->name = b->skel->bss->name;
	LABEL_COUNTERS(X)
#undef X
}

const uint64_t *bpf_source_renames(const struct bpf_source *b)
{
	return (const uint64_t *)&b->skel->bss->renames;
}
