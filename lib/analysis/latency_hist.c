/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * latency_hist.c - log-linear latency buckets (see latency_hist.h).  Bucket
 * i < 8 holds the value i; above, a value's bucket is its most significant
 * bit (the octave) and the next three bits (the sub-bucket).
 */
#include "latency_hist.h"

#define SUB_COUNT (1u << LATENCY_SUB_BITS)

static unsigned int bucket_of(uint64_t v)
{
	unsigned int msb, shift;

	if (v < SUB_COUNT)
		return (unsigned int)v;
	msb = 63u - (unsigned int)__builtin_clzll(v);
	if (msb > LATENCY_TOP_BIT)
		return LATENCY_BUCKETS - 1;
	shift = msb - LATENCY_SUB_BITS;
	return ((shift + 1) << LATENCY_SUB_BITS) + (unsigned int)((v >> shift) & (SUB_COUNT - 1));
}

/* Largest value that falls in bucket i. */
static uint64_t bucket_upper(unsigned int i)
{
	unsigned int shift;

	if (i < SUB_COUNT)
		return i;
	shift = (i >> LATENCY_SUB_BITS) - 1;
	return (((uint64_t)SUB_COUNT + (i & (SUB_COUNT - 1)) + 1) << shift) - 1;
}

void latency_hist_add(struct latency_hist *h, uint64_t value)
{
	h->bucket[bucket_of(value)]++;
	h->count++;
	h->sum += value;
	if (value > h->max)
		h->max = value;
}

void latency_hist_merge(struct latency_hist *dst, const struct latency_hist *src)
{
	for (unsigned int i = 0; i < LATENCY_BUCKETS; i++)
		dst->bucket[i] += src->bucket[i];
	dst->count += src->count;
	dst->sum += src->sum;
	if (src->max > dst->max)
		dst->max = src->max;
}

uint64_t latency_hist_percentile(const struct latency_hist *h, double pct)
{
	double want = pct / 100.0 * (double)h->count;
	uint64_t rank, seen = 0;

	if (h->count == 0)
		return 0;
	rank = (uint64_t)want;
	if ((double)rank < want)
		rank++;		/* ceil, without libm */
	if (rank < 1)
		rank = 1;
	for (unsigned int i = 0; i < LATENCY_BUCKETS; i++) {
		seen += h->bucket[i];
		/* The top bucket is open-ended: its honest upper edge is the max. */
		if (seen >= rank && i < LATENCY_BUCKETS - 1)
			return bucket_upper(i) < h->max ? bucket_upper(i) : h->max;
		if (seen >= rank)
			return h->max;
	}
	return h->max;
}
