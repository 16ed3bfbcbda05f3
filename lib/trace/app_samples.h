/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * app_samples.h - the APP records of a trace, reduced to what they mean:
 * the counters are cumulative, so the latest sample of each (file,
 * process, method) is its total and the earlier ones are dropped.  The
 * trace reader keeps one table; unit-tested alone.
 */
#ifndef ACCESSFS_APP_SAMPLES_H
#define ACCESSFS_APP_SAMPLES_H

#include <stdbool.h>
#include <stddef.h>
#include "hash_index.h"
#include "trace_format.h"

struct app_sample_entry {
	struct trace_app_sample s;	/* s.comm: see app_samples_at() */
	char comm[16];
};

struct app_samples {
	struct app_sample_entry *items;
	size_t n, cap;
	struct hash_index index;	/* (file_id, pid, method) -> item */
};

/* Keep s if it is the first or the latest of its key (comm is comm_len
 * bytes, cut to 15).  0, or -1 if memory ran out. */
int app_samples_put(struct app_samples *t, const struct trace_app_sample *s, size_t comm_len);

/* Into *out, the i-th key's latest sample, in the order keys first
 * appeared; its comm is valid until the next put.  False if i >= n. */
bool app_samples_get(const struct app_samples *t, size_t i, struct trace_app_sample *out);

void app_samples_free(struct app_samples *t);

#endif /* ACCESSFS_APP_SAMPLES_H */
