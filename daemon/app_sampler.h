/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * app_sampler.h - the app-side view in the trace: a thread that samples
 * the kernel's app-side counters (app_counters.h) into APP records once a
 * second, and once more at the end, so a trace cut short by kill -9 still
 * has what was counted up to its last second.
 */
#ifndef ACCESSFS_APP_SAMPLER_H
#define ACCESSFS_APP_SAMPLER_H

#include <stdint.h>

struct trace_writer;
struct app_sampler;

#define APP_SAMPLER_INTERVAL_MS 1000

/* Load the counters for the mount whose st_dev is mount_dev; NULL (with a
 * reason in why) if they do not load.  Nothing is sampled yet. */
struct app_sampler *app_sampler_open(uint64_t mount_dev, char *why, size_t whylen);

/* Start sampling into w.  0, or -1 if the thread could not start: then
 * w still gets one sample, at close. */
int app_sampler_start(struct app_sampler *s, struct trace_writer *w);

/* Stop the thread, write the last sample (if started), unload the counters. */
void app_sampler_close(struct app_sampler *s);

#endif /* ACCESSFS_APP_SAMPLER_H */
