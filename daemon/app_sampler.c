/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * app_sampler.c - sample the app-side counters into the trace (see
 * app_sampler.h).  The thread sleeps on a condition variable, so stopping
 * it does not wait out the interval.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "app_counters.h"
#include "app_sampler.h"
#include "trace_writer.h"

struct app_sampler {
	struct app_counters *counters;
	struct trace_writer *writer;
	pthread_t thread;
	bool running;
	pthread_mutex_t lock;	/* protects stop */
	pthread_cond_t wake;
	bool stop;
};

struct app_sampler *app_sampler_open(uint64_t mount_dev, char *why, size_t whylen)
{
	struct app_sampler *s = calloc(1, sizeof(*s));
	pthread_condattr_t ca;

	if (!s) {
		snprintf(why, whylen, "app-side counters: out of memory");
		return NULL;
	}
	s->counters = app_counters_open(mount_dev, why, whylen);
	if (!s->counters) {
		free(s);
		return NULL;
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->wake, &ca);
	pthread_condattr_destroy(&ca);
	return s;
}

static void emit(void *ctx, const struct trace_app_sample *a)
{
	trace_writer_app(ctx, a);
}

static void sample(struct app_sampler *s)
{
	app_counters_sample(s->counters, trace_now_ns(), emit, s->writer);
}

static void *sampler_main(void *arg)
{
	struct app_sampler *s = arg;
	struct timespec next;

	clock_gettime(CLOCK_MONOTONIC, &next);
	pthread_mutex_lock(&s->lock);
	while (!s->stop) {
		next.tv_sec += APP_SAMPLER_INTERVAL_MS / 1000;
		if (pthread_cond_timedwait(&s->wake, &s->lock, &next) != ETIMEDOUT)
			continue;
		pthread_mutex_unlock(&s->lock);
		sample(s);
		pthread_mutex_lock(&s->lock);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

int app_sampler_start(struct app_sampler *s, struct trace_writer *w)
{
	s->writer = w;
	if (pthread_create(&s->thread, NULL, sampler_main, s))
		return -1;
	s->running = true;
	return 0;
}

void app_sampler_close(struct app_sampler *s)
{
	if (!s)
		return;
	if (s->running) {
		pthread_mutex_lock(&s->lock);
		s->stop = true;
		pthread_cond_signal(&s->wake);
		pthread_mutex_unlock(&s->lock);
		pthread_join(s->thread, NULL);
	}
	if (s->writer)	/* the last sample, or the only one without a thread */
		sample(s);
	if (app_counters_lost(s->counters))
		fprintf(stderr, "accessfs: app-side counters: %llu counts lost (the kernel's map "
			"was full)\n", (unsigned long long)app_counters_lost(s->counters));
	app_counters_close(s->counters);
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
