/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offload.c - one helper thread and one job slot (offload.h).  Callers
 * take turns; a caller whose wait runs out while the helper is still on an
 * earlier (stuck) job gives up, so a stuck read costs labels, never more
 * than the bounded wait.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "offload.h"

struct offload {
	pthread_mutex_t lock;	/* protects everything below */
	pthread_cond_t wake;	/* a job, or stop */
	pthread_cond_t done;	/* a job finished */
	pthread_t helper;
	bool stop, pending, busy;
	uint64_t seq, done_seq;
	offload_fn *fn;
	void *ctx;
	unsigned char in[OFFLOAD_MAX_IO], out[OFFLOAD_MAX_IO];
};

static void *helper_main(void *arg)
{
	struct offload *o = arg;
	unsigned char in[OFFLOAD_MAX_IO], out[OFFLOAD_MAX_IO];

	pthread_mutex_lock(&o->lock);
	for (;;) {
		uint64_t seq;
		offload_fn *fn;
		void *ctx;

		while (!o->stop && !o->pending)
			pthread_cond_wait(&o->wake, &o->lock);
		if (o->stop)
			break;
		o->pending = false;
		seq = o->seq;
		fn = o->fn;
		ctx = o->ctx;
		memcpy(in, o->in, sizeof(in));
		pthread_mutex_unlock(&o->lock);
		memset(out, 0, sizeof(out));
		fn(ctx, in, out);	/* may block: unlocked */
		pthread_mutex_lock(&o->lock);
		memcpy(o->out, out, sizeof(out));
		o->done_seq = seq;
		o->busy = false;
		pthread_cond_broadcast(&o->done);
	}
	pthread_mutex_unlock(&o->lock);
	return NULL;
}

struct offload *offload_new(void)
{
	struct offload *o = calloc(1, sizeof(*o));
	pthread_condattr_t ca;

	if (!o)
		return NULL;
	pthread_mutex_init(&o->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&o->wake, NULL);
	pthread_cond_init(&o->done, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&o->helper, NULL, helper_main, o)) {
		free(o);
		return NULL;
	}
	return o;
}

/* A helper stuck in a read is released once the daemon answers the request
 * the target waits on, which it does without the helper: the join returns. */
void offload_free(struct offload *o)
{
	if (!o)
		return;
	pthread_mutex_lock(&o->lock);
	o->stop = true;
	pthread_cond_signal(&o->wake);
	pthread_mutex_unlock(&o->lock);
	pthread_join(o->helper, NULL);
	pthread_cond_destroy(&o->wake);
	pthread_cond_destroy(&o->done);
	pthread_mutex_destroy(&o->lock);
	free(o);
}

static struct timespec deadline_after(uint32_t us)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += (long)us * 1000;
	ts.tv_sec += ts.tv_nsec / 1000000000;
	ts.tv_nsec %= 1000000000;
	return ts;
}

bool offload_run(struct offload *o, offload_fn *fn, void *ctx, const void *in, size_t in_len,
		 void *out, size_t out_len, uint32_t wait_us)
{
	struct timespec deadline = deadline_after(wait_us);
	bool finished = false;
	uint64_t seq;

	if (in_len > OFFLOAD_MAX_IO || out_len > OFFLOAD_MAX_IO)
		return false;
	pthread_mutex_lock(&o->lock);
	while (o->busy)		/* another worker's job, or a stuck one */
		if (pthread_cond_timedwait(&o->done, &o->lock, &deadline))
			goto out;
	o->busy = o->pending = true;
	seq = ++o->seq;
	o->fn = fn;
	o->ctx = ctx;
	memcpy(o->in, in, in_len);
	pthread_cond_signal(&o->wake);
	while (o->done_seq != seq)
		if (pthread_cond_timedwait(&o->done, &o->lock, &deadline))
			break;
	finished = o->done_seq == seq;
	if (finished)
		memcpy(out, o->out, out_len);
out:
	pthread_mutex_unlock(&o->lock);
	return finished;
}
