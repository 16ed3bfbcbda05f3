/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * event_source.c - open traces, align their clocks, resolve and filter
 * their events, in file order or merged in time order (see event_source.h).
 *
 * The time-order merge is a binary heap of runs keyed by the run time of
 * each run's next event: popping the least and refilling it from its run
 * is exact as long as every run is itself in order, and holds one event
 * per run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "event_source.h"

#define ENTRY_MAX	8192

/* One trace and how its clock maps to the run's. */
struct source_trace {
	const char *path;
	struct trace_reader *r;
	struct event_filter filter;	/* the caller's, from this trace's start */
	uint64_t mono_ns;		/* its start on the event clock */
	int64_t wall_ns;		/* start_wall, ns since the epoch; 0 if absent */
	int64_t offset_ns;		/* run time of its start */
	struct trace_event first;	/* file order: read to find the start */
	bool has_first;
};

/* Time order: one run and its next event. */
struct source_run {
	struct trace_run *run;
	unsigned int trace;
	struct trace_event ev;
	int64_t key;			/* run time of ev (may be < 0 before the start) */
};

struct event_source {
	struct source_trace *traces;
	size_t ntraces;
	enum event_order order;
	size_t cur;			/* file order: the trace being read */

	struct source_run *runs;
	struct source_run **heap;
	size_t nruns, nheap;
	struct source_run *returned;	/* its event went out: refill before the next */
	int64_t last_key;		/* of the last event taken off the heap */
	uint32_t last_tid;
	uint64_t late;

	char entry[ENTRY_MAX];
	char error[512];
};

/* RFC 3339 ("2026-11-28T03:20:07.123456789Z" or "+01:00") to ns since the epoch. */
static int64_t parse_rfc3339(const char *s)
{
	struct tm tm = { 0 };
	int64_t frac = 0, scale = 1000000000;
	int tz_h = 0, tz_m = 0, n = 0;
	char sign = 0;

	if (sscanf(s, "%d-%d-%dT%d:%d:%d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
		   &tm.tm_min, &tm.tm_sec, &n) != 6)
		return 0;
	s += n;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			if (scale > 1) {
				scale /= 10;
				frac += (*s - '0') * scale;
			}
	if ((*s == '+' || *s == '-') && sscanf(s + 1, "%d:%d", &tz_h, &tz_m) == 2)
		sign = *s;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return ((int64_t)timegm(&tm) - (sign == '-' ? -1 : sign ? 1 : 0) *
		(tz_h * 3600 + tz_m * 60)) * 1000000000 + frac;
}

uint64_t event_source_header_start(const struct trace_reader *r)
{
	const char *v = trace_reader_header(r, TRACE_HDR_start_mono_ns);

	return v && *v ? strtoull(v, NULL, 10) : 0;
}

/* ---- resolving ---- */

/* "dir/name" into buf (parent "" is the root); false if it does not fit. */
static bool entry_path(char *buf, size_t size, const char *parent, size_t parent_len,
		       const struct trace_event *ev, size_t *len)
{
	size_t sep = parent_len ? 1 : 0;

	if (parent_len + sep + ev->name_len + 1 > size)
		return false;
	memcpy(buf, parent, parent_len);
	buf[parent_len] = '/';
	memcpy(buf + parent_len + sep, ev->name, ev->name_len);
	*len = parent_len + sep + ev->name_len;
	buf[*len] = '\0';
	return true;
}

bool event_source_resolve(struct trace_reader *r, const struct trace_event *ev,
			  const struct event_filter *f, char *entry_buf, size_t entry_size,
			  struct source_event *e)
{
	e->ev = ev;
	e->proc = trace_reader_proc_at_time(r, ev->tid, ev->start_ns);
	e->path = ev->file_id ? trace_reader_path(r, ev->file_id, ev->start_ns, &e->path_len)
			      : NULL;
	if (!e->path)
		e->path_len = 0;
	e->entry = e->path;
	e->entry_len = e->path_len;
	e->entry_stable = e->path != NULL;	/* the reader's table */
	if (e->path && ev->name_len && trace_op_names_entry(ev->op) &&
	    entry_path(entry_buf, entry_size, e->path, e->path_len, ev, &e->entry_len)) {
		e->entry = entry_buf;
		e->entry_stable = false;
	}
	if (!event_filter_match(f, ev, e->entry, e->proc))
		return false;
	e->path2 = ev->file_id2 ? trace_reader_path(r, ev->file_id2, ev->start_ns,
						    &e->path2_len) : NULL;
	if (!e->path2)
		e->path2_len = 0;
	return true;
}

/* Fill e from trace t's event ev if the filter takes it. */
static bool take(struct event_source *s, size_t t, const struct trace_event *ev,
		 struct source_event *e)
{
	struct source_trace *tr = &s->traces[t];
	int64_t rt = (int64_t)(ev->start_ns - tr->mono_ns) + tr->offset_ns;

	if (!event_source_resolve(tr->r, ev, &tr->filter, s->entry, sizeof(s->entry), e))
		return false;
	e->trace = (unsigned int)t;
	e->t_ns = rt > 0 ? (uint64_t)rt : 0;
	e->trace_start_ns = tr->mono_ns;
	return true;
}

static int reader_failed(struct event_source *s, const struct trace_reader *r)
{
	snprintf(s->error, sizeof(s->error), "%s", trace_reader_error(r));
	return -1;
}

/* ---- file order ---- */

static int next_in_file_order(struct event_source *s, struct source_event *e)
{
	while (s->cur < s->ntraces) {
		struct source_trace *tr = &s->traces[s->cur];
		struct trace_event *ev = &tr->first;
		int rc = 1;

		if (!tr->has_first)
			rc = trace_reader_next(tr->r, ev);
		tr->has_first = false;
		if (rc < 0)
			return reader_failed(s, tr->r);
		if (rc == 0) {
			s->cur++;
			continue;
		}
		if (take(s, s->cur, ev, e))
			return 1;
	}
	return 0;
}

/* ---- time order ---- */

static int64_t run_key(const struct event_source *s, const struct source_run *run)
{
	const struct source_trace *tr = &s->traces[run->trace];

	return (int64_t)(run->ev.start_ns - tr->mono_ns) + tr->offset_ns;
}

static bool before(const struct source_run *a, const struct source_run *b)
{
	if (a->key != b->key)
		return a->key < b->key;
	if (a->ev.tid != b->ev.tid)
		return a->ev.tid < b->ev.tid;
	if (a->trace != b->trace)
		return a->trace < b->trace;
	return a < b;			/* runs in the order they were opened */
}

static void sift_down(struct event_source *s, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		struct source_run *tmp;

		if (l < s->nheap && before(s->heap[l], s->heap[m]))
			m = l;
		if (l + 1 < s->nheap && before(s->heap[l + 1], s->heap[m]))
			m = l + 1;
		if (m == i)
			return;
		tmp = s->heap[i];
		s->heap[i] = s->heap[m];
		s->heap[m] = tmp;
		i = m;
	}
}

/* The heap's top run has used its event: refill it from its run, or drop it. */
static int refill_top(struct event_source *s)
{
	struct source_run *run = s->heap[0];
	int rc = trace_run_next(run->run, &run->ev);

	if (rc < 0)
		return reader_failed(s, s->traces[run->trace].r);
	if (rc == 0)
		s->heap[0] = s->heap[--s->nheap];
	else
		run->key = run_key(s, run);
	sift_down(s, 0);
	return 0;
}

static int next_in_time_order(struct event_source *s, struct source_event *e)
{
	if (s->returned) {
		s->returned = NULL;
		if (refill_top(s) < 0)
			return -1;
	}
	while (s->nheap) {
		struct source_run *run = s->heap[0];

		if (run->key < s->last_key ||
		    (run->key == s->last_key && run->ev.tid < s->last_tid))
			s->late++;
		else {
			s->last_key = run->key;
			s->last_tid = run->ev.tid;
		}
		if (take(s, run->trace, &run->ev, e)) {
			s->returned = run;
			return 1;
		}
		if (refill_top(s) < 0)
			return -1;
	}
	return 0;
}

/* Open every run of every trace and read its first event. */
static int open_runs(struct event_source *s)
{
	size_t n = 0;

	for (size_t t = 0; t < s->ntraces; t++)
		n += trace_reader_run_count(s->traces[t].r);
	s->runs = calloc(n ? n : 1, sizeof(*s->runs));
	s->heap = calloc(n ? n : 1, sizeof(*s->heap));
	if (!s->runs || !s->heap) {
		snprintf(s->error, sizeof(s->error), "out of memory");
		return -1;
	}
	for (size_t t = 0; t < s->ntraces; t++) {
		struct trace_reader *r = s->traces[t].r;
		struct trace_event none;

		/* No runs: no events; the events pass says why (torn, corrupt). */
		if (!trace_reader_run_count(r) && trace_reader_next(r, &none) < 0)
			return reader_failed(s, r);
		for (size_t i = 0; i < trace_reader_run_count(r); i++) {
			struct source_run *run = &s->runs[s->nruns++];
			int rc;

			run->trace = (unsigned int)t;
			run->run = trace_run_open(r, i);
			if (!run->run) {
				snprintf(s->error, sizeof(s->error), "out of memory");
				return -1;
			}
			rc = trace_run_next(run->run, &run->ev);
			if (rc < 0)
				return reader_failed(s, r);
			if (rc == 1)
				s->heap[s->nheap++] = run;
			/* Runs are numbered in file order: run 0 starts with the first event. */
			if (rc == 1 && i == 0 && !s->traces[t].mono_ns)
				s->traces[t].mono_ns = run->ev.start_ns;
		}
	}
	return 0;
}

/* Without start_mono_ns, a trace starts at its first event in file order. */
static int find_start(struct event_source *s, struct source_trace *tr)
{
	int rc;

	tr->mono_ns = event_source_header_start(tr->r);
	if (tr->mono_ns || s->order == EVENT_ORDER_TIME)
		return 0;	/* time order: the first run's first event, below */
	rc = trace_reader_next(tr->r, &tr->first);
	if (rc < 0)
		return reader_failed(s, tr->r);
	tr->has_first = rc == 1;
	if (rc == 1)
		tr->mono_ns = tr->first.start_ns;
	return 0;
}

static int start_time_order(struct event_source *s)
{
	if (open_runs(s) < 0)
		return -1;
	for (size_t i = 0; i < s->nheap; i++)
		s->heap[i]->key = run_key(s, s->heap[i]);
	for (size_t i = s->nheap / 2; i-- > 0;)
		sift_down(s, i);
	s->last_key = INT64_MIN;
	return 0;
}

/* ---- open / close ---- */

static int open_traces(struct event_source *s, const char *const *paths,
		       const struct event_filter *f)
{
	int64_t origin = 0;
	const char *wall;

	for (size_t i = 0; i < s->ntraces; i++) {
		struct source_trace *tr = &s->traces[i];

		tr->path = strcmp(paths[i], "-") == 0 ? "/dev/stdin" : paths[i];
		tr->r = trace_reader_open(tr->path, s->error, sizeof(s->error));
		if (!tr->r)
			return -1;
		wall = trace_reader_header(tr->r, TRACE_HDR_start_wall);
		tr->wall_ns = wall ? parse_rfc3339(wall) : 0;
		if (tr->wall_ns && (!origin || tr->wall_ns < origin))
			origin = tr->wall_ns;
		if (find_start(s, tr) < 0)
			return -1;
		tr->filter = *f;
	}
	for (size_t i = 0; i < s->ntraces; i++) {
		struct source_trace *tr = &s->traces[i];

		tr->offset_ns = tr->wall_ns ? tr->wall_ns - origin : 0;
	}
	return 0;
}

struct event_source *event_source_open(const char *const *paths, size_t n,
				       const struct event_filter *f, enum event_order order,
				       char *err, size_t errlen)
{
	struct event_source *s = calloc(1, sizeof(*s));

	if (!s || !(s->traces = calloc(n ? n : 1, sizeof(*s->traces)))) {
		snprintf(err, errlen, "out of memory");
		free(s);
		return NULL;
	}
	s->ntraces = n;
	s->order = order;
	if (open_traces(s, paths, f) < 0 ||
	    (order == EVENT_ORDER_TIME && start_time_order(s) < 0)) {
		snprintf(err, errlen, "%s", s->error);
		event_source_close(s);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		event_filter_set_start(&s->traces[i].filter, s->traces[i].mono_ns);
	return s;
}

void event_source_close(struct event_source *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nruns; i++)
		trace_run_close(s->runs[i].run);
	for (size_t i = 0; i < s->ntraces; i++)
		trace_reader_close(s->traces[i].r);
	free(s->runs);
	free(s->heap);
	free(s->traces);
	free(s);
}

int event_source_next(struct event_source *s, struct source_event *e)
{
	return s->order == EVENT_ORDER_TIME ? next_in_time_order(s, e)
					    : next_in_file_order(s, e);
}

const char *event_source_error(const struct event_source *s)
{
	return s->error;
}

size_t event_source_count(const struct event_source *s)
{
	return s->ntraces;
}

struct trace_reader *event_source_reader(const struct event_source *s, size_t i)
{
	return s->traces[i].r;
}

const char *event_source_path(const struct event_source *s, size_t i)
{
	return s->traces[i].path;
}

uint64_t event_source_late(const struct event_source *s)
{
	return s->late;
}
