/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proc_helper.c - a few helper threads, one job each (proc_helper.h).  Callers take
 * a free helper, or wait for one while the busy ones run within their
 * waits; when every helper holds a job that overstayed its wait, they are
 * stuck and callers give up at once, so a stuck read costs labels, never
 * more than one bounded wait.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "proc_helper.h"

#define HELPERS	4	/* writeback WRITEs come several at a time */
#define PROC_HELPER_START_CAP_US	200000	/* most a job may wait to be started */

struct helper {
	struct proc_helper *o;
	pthread_t thread;
	pthread_cond_t wake;		/* a job for this helper, or stop */
	bool pending, busy;
	uint64_t seq, done_seq;
	uint32_t wait_us;		/* the current job's wait, from its start */
	struct timespec stuck_at;	/* when the current job overstays its wait */
	proc_helper_fn *fn;
	void *ctx;
	unsigned char in[PROC_HELPER_MAX_IO], out[PROC_HELPER_MAX_IO];
};

struct proc_helper {
	pthread_mutex_t lock;	/* protects everything, helpers included */
	pthread_cond_t done;	/* some job finished */
	bool stop;
	unsigned int started;
	struct helper helpers[HELPERS];
};

static struct timespec deadline_after(uint32_t us)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += (long)us * 1000;
	ts.tv_sec += ts.tv_nsec / 1000000000;
	ts.tv_nsec %= 1000000000;
	return ts;
}

static bool before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static void *helper_main(void *arg)
{
	struct helper *h = arg;
	struct proc_helper *o = h->o;
	unsigned char in[PROC_HELPER_MAX_IO], out[PROC_HELPER_MAX_IO];

	pthread_mutex_lock(&o->lock);
	for (;;) {
		uint64_t seq;
		proc_helper_fn *fn;
		void *ctx;

		while (!o->stop && !h->pending)
			pthread_cond_wait(&h->wake, &o->lock);
		if (o->stop)
			break;
		h->pending = false;
		/*
		 * The wait runs from here: a job that is merely waiting to be
		 * scheduled (a loaded machine) is not stuck on a lock.
		 */
		h->stuck_at = deadline_after(h->wait_us);
		pthread_cond_broadcast(&o->done);
		seq = h->seq;
		fn = h->fn;
		ctx = h->ctx;
		memcpy(in, h->in, sizeof(in));
		pthread_mutex_unlock(&o->lock);
		memset(out, 0, sizeof(out));
		fn(ctx, in, out);	/* may block: unlocked */
		pthread_mutex_lock(&o->lock);
		memcpy(h->out, out, sizeof(out));
		h->done_seq = seq;
		h->busy = false;
		pthread_cond_broadcast(&o->done);
	}
	pthread_mutex_unlock(&o->lock);
	return NULL;
}

struct proc_helper *proc_helper_new(void)
{
	struct proc_helper *o = calloc(1, sizeof(*o));
	pthread_condattr_t ca;

	if (!o)
		return NULL;
	pthread_mutex_init(&o->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&o->done, &ca);
	pthread_condattr_destroy(&ca);
	for (; o->started < HELPERS; o->started++) {
		struct helper *h = &o->helpers[o->started];

		h->o = o;
		pthread_cond_init(&h->wake, NULL);
		if (pthread_create(&h->thread, NULL, helper_main, h)) {
			pthread_cond_destroy(&h->wake);
			proc_helper_free(o);
			return NULL;
		}
	}
	return o;
}

/* A helper stuck in a read is released once the daemon answers the request
 * the target waits on, which it does without the helper: the join returns. */
void proc_helper_free(struct proc_helper *o)
{
	if (!o)
		return;
	pthread_mutex_lock(&o->lock);
	o->stop = true;
	for (unsigned int i = 0; i < o->started; i++)
		pthread_cond_signal(&o->helpers[i].wake);
	pthread_mutex_unlock(&o->lock);
	for (unsigned int i = 0; i < o->started; i++) {
		pthread_join(o->helpers[i].thread, NULL);
		pthread_cond_destroy(&o->helpers[i].wake);
	}
	pthread_cond_destroy(&o->done);
	pthread_mutex_destroy(&o->lock);
	free(o);
}

/*
 * A free helper; else NULL with *next set to the earliest time a busy one
 * will be stuck, or NULL and *all_stuck if every one already is.
 */
static struct helper *free_helper(struct proc_helper *o, struct timespec *next, bool *all_stuck)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	*all_stuck = true;
	for (unsigned int i = 0; i < HELPERS; i++) {
		struct helper *h = &o->helpers[i];

		if (!h->busy)
			return h;
		if (before(&now, &h->stuck_at)) {
			if (*all_stuck || before(&h->stuck_at, next))
				*next = h->stuck_at;
			*all_stuck = false;
		}
	}
	return NULL;
}

bool proc_helper_run(struct proc_helper *o, proc_helper_fn *fn, void *ctx,
		     const void *in, size_t in_len, void *out, size_t out_len,
		     uint32_t wait_us)
{
	struct timespec deadline, next;
	struct helper *h;
	bool finished = false, all_stuck;
	uint64_t seq;

	if (in_len > PROC_HELPER_MAX_IO || out_len > PROC_HELPER_MAX_IO)
		return false;
	pthread_mutex_lock(&o->lock);
	while (!(h = free_helper(o, &next, &all_stuck))) {
		if (all_stuck)
			goto out;
		pthread_cond_timedwait(&o->done, &o->lock, &next);
	}
	h->stuck_at = deadline_after(PROC_HELPER_START_CAP_US);
	h->wait_us = wait_us;
	h->busy = h->pending = true;
	seq = ++h->seq;
	h->fn = fn;
	h->ctx = ctx;
	memcpy(h->in, in, in_len);
	pthread_cond_signal(&h->wake);
	while (h->done_seq != seq) {
		struct timespec now;

		deadline = h->stuck_at;	/* moves when the helper starts the job */
		if (pthread_cond_timedwait(&o->done, &o->lock, &deadline) == 0)
			continue;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (!before(&now, &h->stuck_at))
			break;
	}
	finished = h->done_seq == seq;
	if (finished)
		memcpy(out, h->out, out_len);
out:
	pthread_mutex_unlock(&o->lock);
	return finished;
}
