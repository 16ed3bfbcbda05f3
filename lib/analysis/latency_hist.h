/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * latency_hist.h - a bounded log-linear histogram of request latencies, in
 * the style of HdrHistogram: each power of two is cut into 8 equal
 * sub-buckets, so a percentile is reported within 12.5% of the true value
 * whatever the number of samples, in a fixed 1.2 KiB.
 *
 * It does not keep samples, so it cannot give exact percentiles; values
 * below 16 ns are exact, and the maximum is kept exactly on the side.
 * Values of 2^41 ns (about 37 minutes) and more share the top bucket.
 */
#ifndef ACCESSFS_LATENCY_HIST_H
#define ACCESSFS_LATENCY_HIST_H

#include <stdint.h>

#define LATENCY_SUB_BITS	3
#define LATENCY_TOP_BIT		40
#define LATENCY_BUCKETS		((LATENCY_TOP_BIT - LATENCY_SUB_BITS + 2) << LATENCY_SUB_BITS)

struct latency_hist {
	uint64_t count;
	uint64_t sum;
	uint64_t max;
	uint32_t bucket[LATENCY_BUCKETS];
};

/* Record one value (ns).  A zeroed struct is an empty histogram. */
void latency_hist_add(struct latency_hist *h, uint64_t value);

/* Add every sample of src to dst. */
void latency_hist_merge(struct latency_hist *dst, const struct latency_hist *src);

/*
 * The value at or below which pct percent (0 < pct <= 100) of the samples
 * lie: the upper edge of the bucket holding that rank, never above the
 * exact maximum.  0 if the histogram is empty.
 */
uint64_t latency_hist_percentile(const struct latency_hist *h, double pct);

#endif /* ACCESSFS_LATENCY_HIST_H */
