/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dump_pipeline.c - dump's two stages on two threads: this thread reads,
 * merges and resolves events (lib/trace/event_source), a second one
 * formats and writes them (lib/export).  Formatting is most of a dump's
 * work and the two stages share nothing but the events, so on a machine
 * with two CPUs a dump takes about as long as its formatting alone.
 *
 * Events go across in batches, two of them: one filled here while the
 * other is formatted.  A batch owns copies of what the source lends only
 * until its next call (the event itself, its names, a "dir/name" entry);
 * paths, process records and hosts live as long as the source does, so
 * pointers to them are passed as they are.  The output is byte for byte
 * what formatting each event in turn would write: batches are formatted
 * in the order they were filled, and the exporter is touched by one
 * thread only.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dump_pipeline.h"

#define BATCH_EVENTS	4096

struct batch {
	struct trace_event ev[BATCH_EVENTS];
	struct export_event ex[BATCH_EVENTS];
	size_t n;
	char *names;			/* copies of ev[].name and .name2 */
	size_t names_len, names_cap;
};

struct pipeline {
	struct exporter *x;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct batch batch[2];
	bool full[2];			/* filled, not yet formatted */
	bool done;			/* no batch will follow */
	bool failed;			/* the output failed: stop reading */
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

/*
 * Copy se into b.  Names are stored as offsets while the batch fills (the
 * buffer may move) and made pointers by batch_seal().
 */
static bool batch_add(struct batch *b, const struct source_event *se, const char *host)
{
	struct trace_event *ev = &b->ev[b->n];
	struct export_event *ex = &b->ex[b->n];
	size_t need = se->ev->name_len + se->ev->name2_len;

	if (!names_reserve(b, need))
		return false;
	*ev = *se->ev;
	ev->name = (const char *)(uintptr_t)names_put(b, se->ev->name, se->ev->name_len);
	ev->name2 = (const char *)(uintptr_t)names_put(b, se->ev->name2, se->ev->name2_len);
	*ex = (struct export_event){
		.ev = ev, .path = se->path, .path_len = se->path_len,
		.path2 = se->path2, .path2_len = se->path2_len, .proc = se->proc,
		.trace_start_ns = se->trace_start_ns, .host = host,
		.trace_index = se->trace,
	};
	b->n++;
	return true;
}

static void batch_seal(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		b->ev[i].name = b->names + (uintptr_t)b->ev[i].name;
		b->ev[i].name2 = b->names + (uintptr_t)b->ev[i].name2;
	}
}

/* The formatting thread: every full batch in turn, until done. */
static void *format_batches(void *arg)
{
	struct pipeline *p = arg;

	for (unsigned int k = 0;; k ^= 1) {
		struct batch *b = &p->batch[k];
		bool failed;

		pthread_mutex_lock(&p->lock);
		while (!p->full[k] && !p->done)
			pthread_cond_wait(&p->changed, &p->lock);
		if (!p->full[k]) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		pthread_mutex_unlock(&p->lock);

		for (size_t i = 0; i < b->n; i++)
			exporter_event(p->x, &b->ex[i]);
		failed = p->x->out.failed;

		pthread_mutex_lock(&p->lock);
		p->full[k] = false;
		p->failed |= failed;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
	}
}

/* Wait until batch k is free to fill; false if the output has failed. */
static bool wait_free(struct pipeline *p, unsigned int k)
{
	bool ok;

	pthread_mutex_lock(&p->lock);
	while (p->full[k] && !p->failed)
		pthread_cond_wait(&p->changed, &p->lock);
	ok = !p->failed;
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

/* Read every event into batches; 0 at the end, -1 if reading failed, -2 out of memory. */
static int fill_batches(struct pipeline *p, struct event_source *src, const char *const *hosts)
{
	unsigned int k = 0;
	struct source_event se;
	int rc = 1;

	while (rc == 1) {
		struct batch *b = &p->batch[k];

		if (!wait_free(p, k))
			return 0;	/* the output failed; exporter_finish() says so */
		b->n = 0;
		b->names_len = 0;
		while (b->n < BATCH_EVENTS && (rc = event_source_next(src, &se)) == 1)
			if (!batch_add(b, &se, hosts[se.trace])) {
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
static int dump_serial(struct exporter *x, struct event_source *src, const char *const *hosts)
{
	struct source_event se;
	int rc;

	while ((rc = event_source_next(src, &se)) == 1) {
		struct export_event e = {
			.ev = se.ev, .path = se.path, .path_len = se.path_len,
			.path2 = se.path2, .path2_len = se.path2_len, .proc = se.proc,
			.trace_start_ns = se.trace_start_ns, .host = hosts[se.trace],
			.trace_index = se.trace,
		};

		exporter_event(x, &e);
	}
	return rc;
}

int dump_pipeline_run(struct exporter *x, struct event_source *src, const char *const *hosts,
		      char *err, size_t errlen)
{
	struct pipeline *p = calloc(1, sizeof(*p));
	pthread_t formatter;
	int rc;

	if (!p) {
		rc = dump_serial(x, src, hosts);
		goto out;
	}
	p->x = x;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->changed, NULL);
	if (pthread_create(&formatter, NULL, format_batches, p) != 0) {
		rc = dump_serial(x, src, hosts);
	} else {
		rc = fill_batches(p, src, hosts);
		pthread_mutex_lock(&p->lock);
		p->done = true;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
		pthread_join(formatter, NULL);
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
	return rc < 0 ? -1 : 0;
}
