/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * event_pipeline.c - two stages on two threads: this thread reads, merges
 * and resolves events (lib/trace/event_source), a second one consumes
 * them in order (report analyses them; dump formats them in formats
 * whose events cannot be formatted apart, see dump_pipeline.c for the
 * others).  The two stages share nothing but the events, so on a machine
 * with two CPUs the whole takes about as long as the slower stage alone.
 *
 * Events go across in batches (event_batch.h), two of them: one filled
 * here while the other is consumed.  The consumer sees exactly what a
 * loop over event_source_next() would show it: batches are consumed in
 * the order they were filled, all on one thread.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "event_batch.h"
#include "event_pipeline.h"

struct pipeline {
	int (*consume)(void *ctx, const struct source_event *e);
	void *ctx;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct event_batch batch[2];
	bool full[2];			/* filled, not yet consumed */
	bool done;			/* no batch will follow */
	bool stopped;			/* the consumer said stop: stop reading */
};

/* The consuming thread: every full batch in turn, until done or stopped. */
static void *consume_batches(void *arg)
{
	struct pipeline *p = arg;

	for (unsigned int k = 0;; k ^= 1) {
		struct event_batch *b = &p->batch[k];
		bool stop = false;

		pthread_mutex_lock(&p->lock);
		while (!p->full[k] && !p->done)
			pthread_cond_wait(&p->changed, &p->lock);
		if (!p->full[k]) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		pthread_mutex_unlock(&p->lock);

		for (size_t i = 0; i < b->n && !stop; i++)
			stop = p->consume(p->ctx, &b->se[i]) != 0;

		pthread_mutex_lock(&p->lock);
		p->full[k] = false;
		p->stopped |= stop;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
		if (stop)
			return NULL;
	}
}

/* Wait until batch k is free to fill; false if the consumer stopped. */
static bool wait_free(struct pipeline *p, unsigned int k)
{
	bool ok;

	pthread_mutex_lock(&p->lock);
	while (p->full[k] && !p->stopped)
		pthread_cond_wait(&p->changed, &p->lock);
	ok = !p->stopped;
	pthread_mutex_unlock(&p->lock);
	return ok;
}

static void hand_over(struct pipeline *p, unsigned int k)
{
	pthread_mutex_lock(&p->lock);
	p->full[k] = true;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
}

/* Read every event into batches; 0 at the end, 1 if the consumer stopped,
 * -1 if reading failed, -2 out of memory. */
static int fill_batches(struct pipeline *p, struct event_source *src)
{
	unsigned int k = 0;
	int rc = 1;

	while (rc == 1) {
		struct event_batch *b = &p->batch[k];

		if (!wait_free(p, k))
			return 1;
		rc = event_batch_fill(b, src);
		if (b->n)
			hand_over(p, k);
		k ^= 1;
	}
	return rc;
}

/* The same, on this thread alone: where no second thread can be had. */
static int consume_serial(struct event_source *src,
			  int (*consume)(void *ctx, const struct source_event *e), void *ctx)
{
	struct source_event se;
	int rc;

	while ((rc = event_source_next(src, &se)) == 1)
		if (consume(ctx, &se) != 0)
			return 1;
	return rc;
}

int event_pipeline_run(struct event_source *src,
		       int (*consume)(void *ctx, const struct source_event *e), void *ctx,
		       char *err, size_t errlen)
{
	struct pipeline *p = aligned_alloc(_Alignof(struct pipeline), sizeof(*p));
	pthread_t consumer;
	int rc;

	if (!p) {
		rc = consume_serial(src, consume, ctx);
		goto out;
	}
	memset(p, 0, sizeof(*p));
	p->consume = consume;
	p->ctx = ctx;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->changed, NULL);
	if (pthread_create(&consumer, NULL, consume_batches, p) != 0) {
		rc = consume_serial(src, consume, ctx);
	} else {
		rc = fill_batches(p, src);
		pthread_mutex_lock(&p->lock);
		p->done = true;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
		pthread_join(consumer, NULL);
		if (rc >= 0 && p->stopped)
			rc = 1;
	}
	pthread_cond_destroy(&p->changed);
	pthread_mutex_destroy(&p->lock);
	event_batch_free(&p->batch[0]);
	event_batch_free(&p->batch[1]);
	free(p);
out:
	if (rc == -2)
		snprintf(err, errlen, "out of memory");
	else if (rc < 0)
		snprintf(err, errlen, "%s", event_source_error(src));
	return rc < 0 ? -1 : rc;
}
