/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * interval_set.h - the set of byte ranges of a file that were touched, kept
 * as sorted, disjoint, non-adjacent [start, end) ranges: adding a range
 * merges it with every range it overlaps or touches.  So memory grows with
 * the number of separate regions touched, not with the number of requests,
 * and a sequential scan of any length costs one range.
 *
 * It counts bytes, not how often each byte was touched (that is the heat
 * strip's job, at a coarser grain).  Ranges live in one sorted array:
 * appending past the end (the common, sequential case) is O(1), a range in
 * the middle costs a binary search plus a memmove of the tail.
 */
#ifndef ACCESSFS_INTERVAL_SET_H
#define ACCESSFS_INTERVAL_SET_H

#include <stddef.h>
#include <stdint.h>

struct interval {
	uint64_t start, end;	/* [start, end) */
};

struct interval_set {
	struct interval *v;
	size_t n, cap;
	uint64_t bytes;		/* sum of the ranges' lengths */
};

/* A zeroed struct is an empty set; interval_set_free() releases it. */
void interval_set_free(struct interval_set *s);

/*
 * Add [start, end).  Returns how many of its bytes were not in the set
 * before (so len - result bytes were already there).  -1 (all bits set)
 * only if memory ran out, with the set unchanged.
 */
uint64_t interval_set_add(struct interval_set *s, uint64_t start, uint64_t end);

/* Make dst an exact copy of src (dst's old ranges are freed).  0, or -1 if out of memory. */
int interval_set_copy(struct interval_set *dst, const struct interval_set *src);

/* Bytes covered by the set. */
static inline uint64_t interval_set_bytes(const struct interval_set *s)
{
	return s->bytes;
}

/* Number of disjoint ranges. */
static inline size_t interval_set_count(const struct interval_set *s)
{
	return s->n;
}

#endif /* ACCESSFS_INTERVAL_SET_H */
