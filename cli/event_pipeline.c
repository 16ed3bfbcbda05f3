/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * event_pipeline.c - two stages on two threads: this thread reads, merges
 * and resolves events (lib/trace/event_source), a second one consumes
 * them (dump formats and writes them, report analyses them).  The two
 * stages share nothing but the events, so on a machine with two CPUs the
 * whole takes about as long as the slower stage alone.
 *
 * Events go across in batches, two of them: one filled here while the
 * other is consumed.  A batch owns copies of what the source lends only
 * until its next call (the event itself, its names, a "dir/name" entry
 * that is not stable); paths, process records and stable entries live as
 * long as the source does, so pointers to them are passed as they are.
 * The consumer sees exactly what a loop over event_source_next() would
 * show it: batches are consumed in the order they were filled, all on
 * one thread.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "event_pipeline.h"

#define BATCH_EVENTS	4096

/*
 * Each batch starts a cache line pair of its own, so that the fields this
 * thread writes while filling one batch share no line with the batch the
 * other thread is reading.
 */
struct batch {
	_Alignas(128) struct trace_event ev[BATCH_EVENTS];
	struct source_event se[BATCH_EVENTS];
	size_t n;
	char *names;			/* copies of ev[].name, .name2, se[].entry */
	size_t names_len, names_cap;
};

struct pipeline {
	int (*consume)(void *ctx, const struct source_event *e);
	void *ctx;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct batch batch[2];
	bool full[2];			/* filled, not yet consumed */
	bool done;			/* no batch will follow */
	bool stopped;			/* the consumer said stop: stop reading */
};

/* Room for n more name bytes; false when out of memory. */
static bool names_reserve(struct batch *b, size_t n)
{
	size_t cap = b->names_cap ? b->names_cap : 64 * 1024;
	char *p;

	if (b->names_len + n <= b->names_cap)
		return true;
	while (cap < b->names_len + n)
		cap *= 2;
	p = realloc(b->names, cap);
	if (!p)
		return false;
	b->names = p;
	b->names_cap = cap;
	return true;
}

static size_t names_put(struct batch *b, const char *s, size_t len)
{
	size_t at = b->names_len;

	if (len)
		memcpy(b->names + at, s, len);
	b->names_len += len;
	return at;
}

/* A name as its offset in b->names, while the buffer may still move. */
static const char *names_copy(struct batch *b, const char *s, size_t len)
{
	return (const char *)(uintptr_t)names_put(b, s, len);
}

static const char *names_at(const struct batch *b, const char *offset)
{
	return b->names + (uintptr_t)offset;
}

/* Copy se into b; names become pointers in batch_seal(). */
static bool batch_add(struct batch *b, const struct source_event *se)
{
	struct trace_event *ev = &b->ev[b->n];
	struct source_event *e = &b->se[b->n];
	size_t entry_len = se->entry && !se->entry_stable ? se->entry_len : 0;

	if (!names_reserve(b, se->ev->name_len + se->ev->name2_len + entry_len))
		return false;
	*ev = *se->ev;
	ev->name = names_copy(b, se->ev->name, se->ev->name_len);
	ev->name2 = names_copy(b, se->ev->name2, se->ev->name2_len);
	*e = *se;
	e->ev = ev;
	if (se->entry && !se->entry_stable)
		e->entry = names_copy(b, se->entry, se->entry_len);
	b->n++;
	return true;
}

static void batch_seal(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct source_event *e = &b->se[i];

		b->ev[i].name = names_at(b, b->ev[i].name);
		b->ev[i].name2 = names_at(b, b->ev[i].name2);
		if (e->entry && !e->entry_stable)
			e->entry = names_at(b, e->entry);
	}
}

/* The consuming thread: every full batch in turn, until done or stopped. */
static void *consume_batches(void *arg)
{
	struct pipeline *p = arg;

	for (unsigned int k = 0;; k ^= 1) {
		struct batch *b = &p->batch[k];
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
	batch_seal(&p->batch[k]);
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
	struct source_event se;
	int rc = 1;

	while (rc == 1) {
		struct batch *b = &p->batch[k];

		if (!wait_free(p, k))
			return 1;
		b->n = 0;
		b->names_len = 0;
		while (b->n < BATCH_EVENTS && (rc = event_source_next(src, &se)) == 1)
			if (!batch_add(b, &se)) {
				rc = -2;
				break;
			}
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
	free(p->batch[0].names);
	free(p->batch[1].names);
	free(p);
out:
	if (rc == -2)
		snprintf(err, errlen, "out of memory");
	else if (rc < 0)
		snprintf(err, errlen, "%s", event_source_error(src));
	return rc < 0 ? -1 : rc;
}
