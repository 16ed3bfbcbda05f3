/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * app_counters.h - the app-side view: load bpf/app_counters.bpf.c for one
 * FUSE mount and read what programs asked of its page cache (read-family
 * bytes, mmap faults and the pages they mapped, write-family bytes), per
 * file, process and method, as APP samples (trace_format.h).
 *
 * The counting is the kernel's (a hash map); reading it is a walk of the
 * map that hands out only the keys whose counters changed since the last
 * walk, so sampling once a second costs little more than the files in use.
 * Not thread-safe: one sampler.
 */
#ifndef ACCESSFS_APP_COUNTERS_H
#define ACCESSFS_APP_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "trace_format.h"

struct app_counters;

/* Load and attach for the FUSE mount whose st_dev is mount_dev.  NULL with
 * a one-line reason in why (built without BPF, not root, verifier...). */
struct app_counters *app_counters_open(uint64_t mount_dev, char *why, size_t whylen);
void app_counters_close(struct app_counters *ac);

/*
 * Call emit once per (file, process, method) whose counters changed since
 * the last call, with time_ns as the sample's time.  Returns how many.
 */
size_t app_counters_sample(struct app_counters *ac, uint64_t time_ns,
			   void (*emit)(void *ctx, const struct trace_app_sample *s), void *ctx);

/* Counts the kernel could not keep: its map was full. */
uint64_t app_counters_lost(const struct app_counters *ac);

#endif /* ACCESSFS_APP_COUNTERS_H */
