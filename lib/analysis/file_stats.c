/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * file_stats.c - per-file, per-method counters (see file_stats.h).
 *
 * Every data request updates two method_stats: the file's total and its
 * method's (the latter only once the file has seen a second method; see
 * struct file_stats), so file totals (sequential runs, coverage) are computed over
 * all methods exactly as Darshan does over all ranks of a file, and not
 * summed from the parts.  Other requests (open, flush, metadata) only
 * count in the total: they carry no access method.
 */
#include <stdlib.h>
#include <string.h>
#include "file_stats.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const method_names[] = {
#define X(e, id, name, desc, colour, phrase, live) [REPORT_METHOD_##e] = #name,
	TRACE_METHODS(X)
#undef X
#define X(e, id, name, desc, colour, phrase) [REPORT_METHOD_WRITEBACK_##e] = "writeback_" #name,
	TRACE_TRIGGERS(X)
#undef X
};

static const char *const counter_names[] = {
#define X(name, desc) [name] = #name,
	FILE_STATS_COUNTERS(X)
#undef X
};

static const char *const counter_descs[] = {
#define X(name, desc) [name] = desc,
	FILE_STATS_COUNTERS(X)
#undef X
};

static const char *const fcounter_names[] = {
#define X(name, desc) [name] = #name,
	FILE_STATS_FCOUNTERS(X)
#undef X
};

static const char *const fcounter_descs[] = {
#define X(name, desc) [name] = desc,
	FILE_STATS_FCOUNTERS(X)
#undef X
};

static const uint64_t size_bucket_max[] = {
#define X(suffix, max, label) max,
	FILE_STATS_SIZE_BUCKETS(X)
#undef X
};

static const char *const size_bucket_names[] = {
#define X(suffix, max, label) #suffix,
	FILE_STATS_SIZE_BUCKETS(X)
#undef X
};

static const char *const size_bucket_labels[] = {
#define X(suffix, max, label) label,
	FILE_STATS_SIZE_BUCKETS(X)
#undef X
};

const char *report_method_name(unsigned int m)
{
	return m < ARRAY_SIZE(method_names) ? method_names[m] : "?";
}

static bool is_writeback_slot(unsigned int m)
{
	return m >= REPORT_METHOD_WRITEBACK_NONE && m < REPORT_METHOD_COUNT;
}

const char *report_method_colour(unsigned int m)
{
	return is_writeback_slot(m) ? trace_trigger_colour(m - REPORT_METHOD_WRITEBACK_NONE)
				    : trace_method_colour(m);
}

const char *report_method_phrase(unsigned int m)
{
	return is_writeback_slot(m) ? trace_trigger_phrase(m - REPORT_METHOD_WRITEBACK_NONE)
				    : trace_method_phrase(m);
}

int report_method_from_name(const char *name)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(method_names); i++)
		if (strcmp(method_names[i], name) == 0)
			return (int)i;
	return -1;
}

unsigned int report_method_of(const struct trace_event *ev)
{
	if (ev->method >= TRACE_METHOD_COUNT)
		return REPORT_METHOD_UNKNOWN;
	if (ev->method != TRACE_METHOD_WRITEBACK)
		return ev->method;
	if (ev->trigger == TRACE_TRIGGER_NONE || ev->trigger >= TRACE_TRIGGER_COUNT)
		return REPORT_METHOD_WRITEBACK_UNKNOWN;
	return REPORT_METHOD_WRITEBACK_NONE + ev->trigger;
}

const char *file_stats_counter_name(unsigned int c)
{
	return c < FILE_STATS_COUNTER_COUNT ? counter_names[c] : "?";
}

const char *file_stats_counter_desc(unsigned int c)
{
	return c < FILE_STATS_COUNTER_COUNT ? counter_descs[c] : "?";
}

const char *file_stats_fcounter_name(unsigned int c)
{
	return c < FILE_STATS_FCOUNTER_COUNT ? fcounter_names[c] : "?";
}

const char *file_stats_fcounter_desc(unsigned int c)
{
	return c < FILE_STATS_FCOUNTER_COUNT ? fcounter_descs[c] : "?";
}

uint64_t file_stats_size_bucket_min(unsigned int b)
{
	return b == 0 ? 0 : size_bucket_max[b - 1] + 1;
}

const char *file_stats_size_bucket_name(unsigned int b)
{
	return b < ARRAY_SIZE(size_bucket_names) ? size_bucket_names[b] : "?";
}

const char *file_stats_size_bucket_label(unsigned int b)
{
	return b < ARRAY_SIZE(size_bucket_labels) ? size_bucket_labels[b] : "?";
}

static unsigned int size_bucket_of(uint64_t bytes)
{
	unsigned int b = 0;

	while (bytes > size_bucket_max[b])
		b++;
	return b;
}

/* Space-saving counting: exact while there are at most 16 distinct values. */
static void common_values_add(struct common_values *cv, uint64_t v)
{
	unsigned int min = 0;

	if (cv->n && cv->value[cv->last] == v) {
		cv->count[cv->last]++;
		return;
	}
	for (unsigned int i = 0; i < cv->n; i++) {
		if (cv->value[i] == v) {
			cv->count[i]++;
			cv->last = i;
			return;
		}
		if (cv->count[i] < cv->count[min])
			min = i;
	}
	if (cv->n < FILE_STATS_COMMON_SLOTS) {
		min = cv->n++;
		cv->count[min] = 0;
	}
	cv->value[min] = v;
	cv->count[min]++;
	cv->last = min;
}

/* Write the four most common values to c[value0..], their counts to c[count0..]. */
static void common_values_top(const struct common_values *cv, uint64_t *c,
			      unsigned int value0, unsigned int count0)
{
	bool used[FILE_STATS_COMMON_SLOTS] = { false };

	for (unsigned int k = 0; k < FILE_STATS_TOP; k++) {
		int best = -1;

		for (unsigned int i = 0; i < cv->n; i++) {
			if (used[i])
				continue;
			if (best < 0 || cv->count[i] > cv->count[best] ||
			    (cv->count[i] == cv->count[best] && cv->value[i] < cv->value[best]))
				best = (int)i;
		}
		c[value0 + k] = best < 0 ? 0 : cv->value[best];
		c[count0 + k] = best < 0 ? 0 : cv->count[best];
		if (best >= 0)
			used[best] = true;
	}
}

/* Widen [*first, *last] to hold [start, end]; is_first: nothing recorded yet. */
static void widen_span(uint64_t *first, uint64_t *last, bool is_first, uint64_t start,
		       uint64_t end)
{
	if (is_first || start < *first)
		*first = start;
	if (is_first || end > *last)
		*last = end;
}

static void note_time(struct method_stats *s, uint64_t start, uint64_t end)
{
	widen_span(&s->first_ns, &s->last_ns, !s->any, start, end);
	s->any = true;
}

/*
 * One successful read (is_write 0) or write (1) of bytes at offset.  With
 * track_coverage, returns how many of its bytes s had not touched before
 * (UINT64_MAX if out of memory); else 0.
 */
static uint64_t method_stats_add_io(struct method_stats *s, bool is_write, uint64_t offset,
				    uint64_t bytes, uint64_t t_ns, uint64_t dur_ns,
				    bool track_coverage)
{
	uint8_t dir = is_write ? 2 : 1;
	uint64_t *prev_end = is_write ? &s->write_end : &s->read_end;
	bool had_prev = is_write ? s->c[POSIX_WRITES] > 0 : s->c[POSIX_READS] > 0;
	uint64_t stride = 0, end = offset + bytes;
	struct io_times *times;

	if (had_prev) {
		if (offset == *prev_end)
			s->c[is_write ? POSIX_CONSEC_WRITES : POSIX_CONSEC_READS]++;
		if (offset >= *prev_end) {
			s->c[is_write ? POSIX_SEQ_WRITES : POSIX_SEQ_READS]++;
			stride = offset - *prev_end;
		}
	}
	*prev_end = end;
	if (s->last_dir && s->last_dir != dir)
		s->c[POSIX_RW_SWITCHES]++;
	s->last_dir = dir;

	s->c[is_write ? POSIX_WRITES : POSIX_READS]++;
	s->c[is_write ? POSIX_BYTES_WRITTEN : POSIX_BYTES_READ] += bytes;
	if (bytes) {
		uint64_t *max = &s->c[is_write ? POSIX_MAX_BYTE_WRITTEN : POSIX_MAX_BYTE_READ];

		if (end - 1 > *max)
			*max = end - 1;
	}
	s->c[(is_write ? POSIX_SIZE_WRITE_0_100 : POSIX_SIZE_READ_0_100) + size_bucket_of(bytes)]++;
	common_values_add(&s->sizes, bytes);
	common_values_add(&s->strides, stride);
	latency_hist_add(&s->latency, dur_ns);

	times = is_write ? &s->wr : &s->rd;
	widen_span(&times->first_ns, &times->last_ns, s->c[is_write ? POSIX_WRITES : POSIX_READS] == 1,
		   t_ns, t_ns + dur_ns);
	times->time_ns += dur_ns;
	if (dur_ns > times->max_ns)
		times->max_ns = dur_ns;
	note_time(s, t_ns, t_ns + dur_ns);
	return track_coverage ? interval_set_add(&s->touched, offset, end) : 0;
}

/* Double the heat strip's bin width until byte end - 1 falls in its last bin. */
static void heat_fit(struct file_stats *f, uint64_t end)
{
	while (end > ((uint64_t)FILE_STATS_HEAT_BINS << f->heat_shift) && f->heat_shift < 56) {
		for (unsigned int i = 0; i < FILE_STATS_HEAT_BINS / 2; i++)
			f->heat[i] = f->heat[2 * i] + f->heat[2 * i + 1];
		memset(&f->heat[FILE_STATS_HEAT_BINS / 2], 0,
		       sizeof(f->heat) / 2);
		f->heat_shift++;
	}
}

static void heat_add(struct file_stats *f, uint64_t offset, uint64_t bytes)
{
	uint64_t end = offset + bytes;

	heat_fit(f, end);
	while (offset < end) {
		uint64_t bin = offset >> f->heat_shift;
		uint64_t bin_end = (bin + 1) << f->heat_shift;
		uint64_t n = (bin_end < end ? bin_end : end) - offset;

		if (bin >= FILE_STATS_HEAT_BINS)
			break;
		f->heat[bin] += n;
		offset += n;
	}
}

static uint64_t xorshift64(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/* Reservoir sampling (Vitter's algorithm R): every request equally likely kept. */
static int sample_add(struct file_stats *f, const struct file_stats_point *p)
{
	uint64_t j;

	f->seen_for_sample++;
	if (f->nsample < FILE_STATS_SAMPLE_MAX) {
		if ((f->nsample & (f->nsample - 1)) == 0) {
			size_t cap = f->nsample ? f->nsample * 2 : 16;
			struct file_stats_point *v = realloc(f->sample, cap * sizeof(*v));

			if (!v)
				return -1;
			f->sample = v;
		}
		f->sample[f->nsample++] = *p;
		return 0;
	}
	j = xorshift64(&f->rng) % f->seen_for_sample;
	if (j < FILE_STATS_SAMPLE_MAX)
		f->sample[j] = *p;
	return 0;
}

void file_stats_init(struct file_stats *f, bool keep_sample)
{
	memset(f, 0, sizeof(*f));
	f->keep_sample = keep_sample;
	f->rng = 0x9e3779b97f4a7c15ull;
}

static void method_stats_free(struct method_stats *s)
{
	interval_set_free(&s->touched);
}

void file_stats_free(struct file_stats *f)
{
	method_stats_free(&f->total);
	for (unsigned int m = 0; m < REPORT_METHOD_COUNT; m++) {
		if (!f->method[m])
			continue;
		method_stats_free(f->method[m]);
		free(f->method[m]);
	}
	interval_set_free(&f->fetched);
	free(f->sample);
	memset(f, 0, sizeof(*f));
}

/* A request that moves no data: open, flush, fsync, release, metadata. */
static void count_other(struct method_stats *s, const struct trace_event *ev)
{
	switch (ev->op) {
	case TRACE_OP_OPEN:
	case TRACE_OP_CREATE:
		s->c[POSIX_OPENS]++;
		break;
	case TRACE_OP_FLUSH:
		s->c[ACCESSFS_FLUSHES]++;
		break;
	case TRACE_OP_RELEASE:
		s->c[ACCESSFS_RELEASES]++;
		break;
	case TRACE_OP_FSYNC:
		s->c[(ev->flags & TRACE_FSYNC_DATASYNC) ? POSIX_FDSYNCS : POSIX_FSYNCS]++;
		break;
	default:
		s->c[ACCESSFS_META_OPS]++;
		break;
	}
	s->meta_time_ns += ev->duration_ns;
}

/*
 * A read from storage: re-fetch, readahead, heat.  fresh_total: bytes of it
 * new to the file's coverage, which are the new fetched bytes while the
 * file has seen no write.  m: the method's stats, NULL while they are the
 * total's.
 */
static int count_fetch(struct file_stats *f, struct method_stats *m, const struct trace_event *ev,
		       uint64_t bytes, uint64_t fresh_total)
{
	uint64_t fresh = f->any_write ? interval_set_add(&f->fetched, ev->offset, ev->offset + bytes)
				      : fresh_total;

	if (fresh == UINT64_MAX)
		return -1;
	f->total.c[ACCESSFS_REFETCH_BYTES] += bytes - fresh;
	if (ev->ahead_bytes != TRACE_AHEAD_UNKNOWN) {
		f->total.c[ACCESSFS_READAHEAD_BYTES] += ev->ahead_bytes;
		f->total.c[ACCESSFS_READAHEAD_KNOWN_READS]++;
	}
	heat_add(f, ev->offset, bytes);
	if (!m)
		return 0;
	m->c[ACCESSFS_REFETCH_BYTES] += bytes - fresh;
	if (ev->ahead_bytes != TRACE_AHEAD_UNKNOWN) {
		m->c[ACCESSFS_READAHEAD_BYTES] += ev->ahead_bytes;
		m->c[ACCESSFS_READAHEAD_KNOWN_READS]++;
	}
	return 0;
}

static struct method_stats *method_slot(struct file_stats *f, unsigned int m)
{
	if (!f->method[m])
		f->method[m] = calloc(1, sizeof(*f->method[m]));
	return f->method[m];
}

/* The counters only the total receives: requests that move no data. */
static const unsigned int total_only_counters[] = {
	POSIX_OPENS, POSIX_FSYNCS, POSIX_FDSYNCS, ACCESSFS_FLUSHES, ACCESSFS_RELEASES,
	ACCESSFS_META_OPS, ACCESSFS_ERRORS,
};

/*
 * Fill the only method's stats from the total's, which saw the same reads
 * and writes plus the requests that move no data (see struct file_stats).
 * Its coverage set stays its own.
 */
static void method_from_total(struct method_stats *m, const struct method_stats *t)
{
	struct interval_set touched = m->touched;
	bool r = t->c[POSIX_READS] > 0, w = t->c[POSIX_WRITES] > 0;

	*m = *t;
	m->touched = touched;
	for (unsigned int i = 0; i < ARRAY_SIZE(total_only_counters); i++)
		m->c[total_only_counters[i]] = 0;
	m->meta_time_ns = 0;
	m->first_ns = !w || (r && t->rd.first_ns < t->wr.first_ns) ? t->rd.first_ns
								    : t->wr.first_ns;
	m->last_ns = !w || (r && t->rd.last_ns > t->wr.last_ns) ? t->rd.last_ns : t->wr.last_ns;
}

/*
 * Before a request of method is counted: give the method stats and the
 * coverage sets that start to differ from the total's their own copy (see
 * struct file_stats).
 */
static int split_coverage(struct file_stats *f, unsigned int method, bool is_write)
{
	int rc = 0;

	if (f->nmethods == 0) {
		f->nmethods = 1;
		f->only_method = method;
	} else if (f->nmethods == 1 && method != f->only_method) {
		method_from_total(f->method[f->only_method], &f->total);
		rc |= interval_set_copy(&f->method[f->only_method]->touched, &f->total.touched);
		f->nmethods = 2;
	}
	if (is_write && !f->any_write) {
		rc |= interval_set_copy(&f->fetched, &f->total.touched);
		f->any_write = true;
	}
	return rc;
}

/* A read or write that moved data (or none, but did not fail). */
static bool is_counted_io(const struct trace_event *ev)
{
	bool is_io = ev->op == TRACE_OP_WRITE || ev->op == TRACE_OP_READ ||
		     ev->op == TRACE_OP_COPY_FILE_RANGE;

	return is_io && ev->result >= 0;
}

static int sample_event(struct file_stats *f, const struct trace_event *ev, uint64_t t_ns,
			unsigned int method)
{
	uint64_t bytes = ev->result > 0 ? (uint64_t)ev->result : 0;
	struct file_stats_point p = {
		.t_ns = t_ns, .offset = ev->offset,
		.size = bytes > UINT32_MAX ? UINT32_MAX : (uint32_t)bytes,
		.method = (uint8_t)method, .is_write = ev->op == TRACE_OP_WRITE,
	};

	return sample_add(f, &p);
}

int file_stats_sample(struct file_stats *f, const struct trace_event *ev, uint64_t t_ns)
{
	if (!f->keep_sample || !is_counted_io(ev))
		return 0;
	return sample_event(f, ev, t_ns, report_method_of(ev));
}

int file_stats_add(struct file_stats *f, const struct trace_event *ev, uint64_t t_ns)
{
	bool is_write = ev->op == TRACE_OP_WRITE;
	unsigned int method = report_method_of(ev);
	uint64_t bytes = ev->result > 0 ? (uint64_t)ev->result : 0;
	struct method_stats *m;
	uint64_t fresh;
	int rc = 0;

	f->finished = false;
	/* A failed lookup or getxattr is an answer, not a failure of the file. */
	if (ev->result < 0 && trace_op_is_data(ev->op)) {
		f->total.c[ACCESSFS_ERRORS]++;
		note_time(&f->total, t_ns, t_ns + ev->duration_ns);
		return 0;
	}
	if (!is_counted_io(ev)) {
		count_other(&f->total, ev);
		note_time(&f->total, t_ns, t_ns + ev->duration_ns);
		return 0;
	}
	m = method_slot(f, method);
	if (!m)
		return -1;
	rc |= split_coverage(f, method, is_write);
	fresh = method_stats_add_io(&f->total, is_write, ev->offset, bytes, t_ns, ev->duration_ns,
				    true);
	if (fresh == UINT64_MAX)
		return -1;
	if (f->nmethods == 1)
		m = NULL;	/* filled from the total when needed */
	else if (method_stats_add_io(m, is_write, ev->offset, bytes, t_ns, ev->duration_ns,
				     true) == UINT64_MAX)
		return -1;
	if (!is_write)
		rc |= count_fetch(f, m, ev, bytes, fresh);
	if (f->keep_sample)
		rc |= sample_event(f, ev, t_ns, method);
	return rc;
}

static void method_stats_finish(struct method_stats *s)
{
	common_values_top(&s->sizes, s->c, POSIX_ACCESS1_ACCESS, POSIX_ACCESS1_COUNT);
	common_values_top(&s->strides, s->c, POSIX_STRIDE1_STRIDE, POSIX_STRIDE1_COUNT);
	s->c[ACCESSFS_UNIQUE_BYTES] = interval_set_bytes(&s->touched);
}

void file_stats_finish(struct file_stats *f)
{
	if (f->nmethods == 1)
		method_from_total(f->method[f->only_method], &f->total);
	method_stats_finish(&f->total);
	for (unsigned int m = 0; m < REPORT_METHOD_COUNT; m++)
		if (f->method[m])
			method_stats_finish(f->method[m]);
	if (f->nmethods == 1)	/* its coverage was kept only in the total */
		f->method[f->only_method]->c[ACCESSFS_UNIQUE_BYTES] =
			interval_set_bytes(&f->total.touched);
	f->finished = true;
}

const struct method_stats *file_stats_method(const struct file_stats *f, unsigned int m)
{
	if (m == FILE_STATS_ALL)
		return &f->total;
	return m < REPORT_METHOD_COUNT ? f->method[m] : NULL;
}

uint64_t method_stats_counter(const struct method_stats *s, unsigned int c)
{
	return c < FILE_STATS_COUNTER_COUNT ? s->c[c] : 0;
}

static double seconds(uint64_t ns)
{
	return (double)ns / 1e9;
}

double method_stats_fcounter(const struct method_stats *s, unsigned int c)
{
	switch (c) {
	case POSIX_F_READ_START_TIMESTAMP: return seconds(s->rd.first_ns);
	case POSIX_F_READ_END_TIMESTAMP: return seconds(s->rd.last_ns);
	case POSIX_F_WRITE_START_TIMESTAMP: return seconds(s->wr.first_ns);
	case POSIX_F_WRITE_END_TIMESTAMP: return seconds(s->wr.last_ns);
	case POSIX_F_READ_TIME: return seconds(s->rd.time_ns);
	case POSIX_F_WRITE_TIME: return seconds(s->wr.time_ns);
	case POSIX_F_META_TIME: return seconds(s->meta_time_ns);
	case POSIX_F_MAX_READ_TIME: return seconds(s->rd.max_ns);
	case POSIX_F_MAX_WRITE_TIME: return seconds(s->wr.max_ns);
	case ACCESSFS_F_FIRST_ACCESS_TIMESTAMP: return seconds(s->first_ns);
	case ACCESSFS_F_LAST_ACCESS_TIMESTAMP: return seconds(s->last_ns);
	case ACCESSFS_F_LATENCY_P50: return seconds(latency_hist_percentile(&s->latency, 50));
	case ACCESSFS_F_LATENCY_P99: return seconds(latency_hist_percentile(&s->latency, 99));
	case ACCESSFS_F_LATENCY_MAX: return seconds(s->latency.max);
	default: return 0;
	}
}

uint64_t method_stats_bytes(const struct method_stats *s)
{
	return s->c[POSIX_BYTES_READ] + s->c[POSIX_BYTES_WRITTEN];
}

uint64_t method_stats_requests(const struct method_stats *s)
{
	return s->c[POSIX_READS] + s->c[POSIX_WRITES];
}
