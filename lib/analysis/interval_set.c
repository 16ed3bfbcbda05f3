/* SPDX-License-Identifier: GPL-2.0-or-later */
/* interval_set.c - sorted disjoint byte ranges (see interval_set.h). */
#include <stdlib.h>
#include <string.h>
#include "interval_set.h"

void interval_set_free(struct interval_set *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

int interval_set_copy(struct interval_set *dst, const struct interval_set *src)
{
	struct interval *v = NULL;

	if (src->n) {
		v = malloc(src->n * sizeof(*v));
		if (!v)
			return -1;
		memcpy(v, src->v, src->n * sizeof(*v));
	}
	free(dst->v);
	dst->v = v;
	dst->n = dst->cap = src->n;
	dst->bytes = src->bytes;
	return 0;
}

/* Index of the first range whose end is >= start (it overlaps or touches). */
static size_t first_reaching(const struct interval_set *s, uint64_t start)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->v[mid].end < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int reserve_one(struct interval_set *s)
{
	struct interval *v;
	size_t cap;

	if (s->n < s->cap)
		return 0;
	cap = s->cap ? s->cap * 2 : 4;
	v = realloc(s->v, cap * sizeof(*v));
	if (!v)
		return -1;
	s->v = v;
	s->cap = cap;
	return 0;
}

static uint64_t insert_at(struct interval_set *s, size_t i, uint64_t start, uint64_t end)
{
	if (reserve_one(s) < 0)
		return UINT64_MAX;
	memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(s->v[0]));
	s->v[i] = (struct interval){ start, end };
	s->n++;
	s->bytes += end - start;
	return end - start;
}

uint64_t interval_set_add(struct interval_set *s, uint64_t start, uint64_t end)
{
	uint64_t covered = 0, merged_start, merged_end;
	size_t lo, hi;

	if (end <= start)
		return 0;
	/* Sequential fast path: at or just past the last range. */
	if (s->n && s->v[s->n - 1].end == start) {
		s->v[s->n - 1].end = end;
		s->bytes += end - start;
		return end - start;
	}
	lo = (s->n && s->v[s->n - 1].end < start) ? s->n : first_reaching(s, start);
	if (lo < s->n && s->v[lo].start <= start && end <= s->v[lo].end)
		return 0;	/* a re-read: nothing changes */
	hi = lo;
	while (hi < s->n && s->v[hi].start <= end) {
		uint64_t a = s->v[hi].start > start ? s->v[hi].start : start;
		uint64_t b = s->v[hi].end < end ? s->v[hi].end : end;

		if (b > a)
			covered += b - a;
		hi++;
	}
	if (hi == lo)
		return insert_at(s, lo, start, end);
	merged_start = s->v[lo].start < start ? s->v[lo].start : start;
	merged_end = s->v[hi - 1].end > end ? s->v[hi - 1].end : end;
	for (size_t i = lo; i < hi; i++)
		s->bytes -= s->v[i].end - s->v[i].start;
	s->v[lo] = (struct interval){ merged_start, merged_end };
	s->bytes += merged_end - merged_start;
	memmove(&s->v[lo + 1], &s->v[hi], (s->n - hi) * sizeof(s->v[0]));
	s->n -= hi - lo - 1;
	return (end - start) - covered;
}
