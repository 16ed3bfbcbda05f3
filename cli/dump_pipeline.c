/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dump_pipeline.c - dump in a format whose events can be formatted apart
 * (jsonl, csv), on two threads: this thread reads, merges and resolves
 * events into batches (event_batch.h); a second one formats each batch
 * into that batch's text and writes the texts in order.  Formatting costs
 * about twice what reading does, so when this thread is ahead (no free
 * batch to fill) it formats the newest filled batch itself instead of
 * waiting: both CPUs format, and a dump takes about half of its reading
 * plus formatting instead of all of its formatting.
 *
 * Each batch is in one state, changed under the lock: free, filled,
 * being formatted (by one thread, with that thread's fork of the
 * exporter), formatted.  Only the writing thread writes, in the order the
 * batches were filled, so the output is byte for byte what formatting
 * each event in turn would write.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dump_pipeline.h"
#include "event_batch.h"

#define SLOTS	4

enum slot_state { SLOT_FREE, SLOT_FILLED, SLOT_FORMATTING, SLOT_FORMATTED };

struct slot {
	struct event_batch batch;
	struct outbuf text;		/* its events, formatted */
	enum slot_state state;
};

struct dump_pipeline {
	struct exporter *x;		/* the output: texts are written to it */
	const char *const *hosts;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct slot slot[SLOTS];	/* batch k is in slot k % SLOTS */
	bool done;			/* no batch will follow */
	bool stopped;			/* the output failed: stop reading */
	int write_errno;		/* why, for the calling thread's errno */
};

/* Format s's events into s->text with fork, a fork of p->x of this thread's own. */
static void format_slot(struct dump_pipeline *p, struct exporter *fork, struct slot *s)
{
	fork->out = s->text;
	for (size_t i = 0; i < s->batch.n; i++) {
		const struct source_event *se = &s->batch.se[i];
		struct export_event e = {
			.ev = se->ev, .path = se->path, .path_len = se->path_len,
			.path2 = se->path2, .path2_len = se->path2_len, .proc = se->proc,
			.trace_start_ns = se->trace_start_ns, .host = p->hosts[se->trace],
			.trace_index = se->trace,
		};

		exporter_event(fork, &e);
	}
	s->text = fork->out;	/* failed: out of memory; the writer says so */
	fork->out = (struct outbuf){ 0 };
}

/* Write s's text after the batches before it; false if the output failed. */
static bool write_slot(struct dump_pipeline *p, struct slot *s)
{
	if (s->text.failed)
		p->x->out.failed = true;
	exporter_write(p->x, s->text.buf, s->text.len);
	s->text.len = 0;
	return !p->x->out.failed;
}

/* Under the lock: format s with fork outside it, then mark it formatted. */
static void format_locked(struct dump_pipeline *p, struct exporter *fork, struct slot *s)
{
	s->state = SLOT_FORMATTING;
	pthread_mutex_unlock(&p->lock);
	format_slot(p, fork, s);
	pthread_mutex_lock(&p->lock);
	s->state = SLOT_FORMATTED;
	pthread_cond_broadcast(&p->changed);
}

struct writer {
	struct dump_pipeline *p;
	struct exporter *fork;
};

/* The writing thread: batch after batch in order, formatted unless done already. */
static void *write_batches(void *arg)
{
	struct writer *w = arg;
	struct dump_pipeline *p = w->p;

	pthread_mutex_lock(&p->lock);
	for (size_t k = 0;; k++) {
		struct slot *s = &p->slot[k % SLOTS];
		bool failed;

		while (s->state == SLOT_FREE && !p->done)
			pthread_cond_wait(&p->changed, &p->lock);
		if (s->state == SLOT_FREE)
			break;
		if (s->state == SLOT_FILLED)
			format_locked(p, w->fork, s);
		while (s->state != SLOT_FORMATTED)
			pthread_cond_wait(&p->changed, &p->lock);
		pthread_mutex_unlock(&p->lock);

		failed = !write_slot(p, s);
		if (failed)
			p->write_errno = errno;

		pthread_mutex_lock(&p->lock);
		s->state = SLOT_FREE;
		p->stopped |= failed;
		pthread_cond_broadcast(&p->changed);
		if (failed)
			break;
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* Under the lock: the newest filled batch before batch k, or NULL. */
static struct slot *newest_filled(struct dump_pipeline *p, size_t k)
{
	for (size_t i = 1; i < SLOTS && i <= k; i++) {
		struct slot *s = &p->slot[(k - i) % SLOTS];

		if (s->state == SLOT_FILLED)
			return s;
	}
	return NULL;
}

/*
 * Read every event into batches, formatting one while no slot is free;
 * 0 at the end, 1 if the output failed, -1 if reading failed, -2 out of
 * memory.
 */
static int fill_batches(struct dump_pipeline *p, struct event_source *src,
			struct exporter *fork)
{
	int rc = 1;

	for (size_t k = 0; rc == 1; k++) {
		struct slot *s = &p->slot[k % SLOTS];
		struct slot *h;
		bool stopped;

		pthread_mutex_lock(&p->lock);
		while (s->state != SLOT_FREE && !p->stopped) {
			if ((h = newest_filled(p, k)))
				format_locked(p, fork, h);
			else
				pthread_cond_wait(&p->changed, &p->lock);
		}
		stopped = p->stopped;
		pthread_mutex_unlock(&p->lock);
		if (stopped)
			return 1;
		rc = event_batch_fill(&s->batch, src);
		if (!s->batch.n)
			continue;
		pthread_mutex_lock(&p->lock);
		s->state = SLOT_FILLED;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
	}
	return rc;
}

/* The same on this thread alone, where no second thread can be had. */
static int dump_serial(struct dump_pipeline *p, struct event_source *src, struct exporter *fork)
{
	struct slot *s = &p->slot[0];
	int rc;

	do {
		rc = event_batch_fill(&s->batch, src);
		format_slot(p, fork, s);
	} while (write_slot(p, s) && rc == 1);
	return rc;
}

static void pipeline_free(struct dump_pipeline *p)
{
	for (size_t i = 0; i < SLOTS; i++) {
		event_batch_free(&p->slot[i].batch);
		outbuf_free(&p->slot[i].text);
	}
	pthread_cond_destroy(&p->changed);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

int dump_pipeline_run(struct exporter *x, struct event_source *src, const char *const *hosts,
		      char *err, size_t errlen)
{
	struct dump_pipeline *p = aligned_alloc(_Alignof(struct dump_pipeline), sizeof(*p));
	struct exporter *forks[2] = { exporter_fork(x), exporter_fork(x) };
	struct writer w = { p, forks[1] };
	pthread_t writer;
	int rc = -2;

	if (!p || !forks[0] || !forks[1]) {
		free(p);
		goto out;
	}
	memset(p, 0, sizeof(*p));
	p->x = x;
	p->hosts = hosts;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->changed, NULL);
	if (pthread_create(&writer, NULL, write_batches, &w) != 0) {
		rc = dump_serial(p, src, forks[0]);
	} else {
		rc = fill_batches(p, src, forks[0]);
		pthread_mutex_lock(&p->lock);
		p->done = true;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
		pthread_join(writer, NULL);
		if (p->write_errno)	/* exporter_finish()'s caller reports it */
			errno = p->write_errno;
	}
	pipeline_free(p);
out:
	exporter_free_fork(forks[0]);
	exporter_free_fork(forks[1]);
	if (rc == -2)
		snprintf(err, errlen, "out of memory");
	else if (rc == -1)
		snprintf(err, errlen, "%s", event_source_error(src));
	return rc < 0 ? -1 : 0;
}
