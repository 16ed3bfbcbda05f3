/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_event_source.c - the event source puts traces from several hosts
 * on one clock by their wall-clock start, starts a trace without a header
 * start at its first event, merges threads and traces in time order with
 * nothing lost, says when a thread's events go back in time, and matches
 * --path against the entry an operation names ("dir/name").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <pthread.h>
#include "event_source.h"
#include "trace_test_util.h"

#define S 1000000000ull

struct test_trace {
	char path[256];
	struct trace_writer *w;
};

/* A trace whose header says start_wall (NULL: none) and start_mono_ns (0: none). */
static void open_trace(struct test_trace *t, const char *wall, uint64_t mono)
{
	struct trace_header_field f[3] = { { TRACE_HDR_host, "h" } };
	char mono_s[32], err[256];
	size_t n = 1;

	snprintf(mono_s, sizeof(mono_s), "%llu", (unsigned long long)mono);
	if (wall)
		f[n++] = (struct trace_header_field){ TRACE_HDR_start_wall, wall };
	if (mono)
		f[n++] = (struct trace_header_field){ TRACE_HDR_start_mono_ns, mono_s };
	temp_trace_path(t->path, sizeof(t->path));
	t->w = trace_writer_open(t->path, f, n, false, err, sizeof(err));
	assert_non_null(t->w);
}

static void append_at(struct test_trace *t, uint64_t start_ns, uint32_t tid)
{
	struct trace_event ev = read_event(0);

	ev.start_ns = start_ns;
	ev.tid = ev.pid = tid;
	trace_writer_append(t->w, &ev);
}

static struct event_source *open_source(struct test_trace *t, size_t n, enum event_order order)
{
	const char *paths[4];
	struct event_filter f;
	struct event_source *s;
	char err[256];

	for (size_t i = 0; i < n; i++) {
		if (t[i].w)
			assert_int_equal(trace_writer_close(t[i].w, NULL), 0);
		t[i].w = NULL;
		paths[i] = t[i].path;
	}
	event_filter_init(&f);
	s = event_source_open(paths, n, &f, order, err, sizeof(err));
	assert_non_null(s);
	return s;
}

static void close_source(struct event_source *s, struct test_trace *t, size_t n)
{
	event_source_close(s);
	for (size_t i = 0; i < n; i++)
		remove_temp_trace(t[i].path);
}

static void traces_are_aligned_on_their_wall_clock_start(void **state)
{
	struct test_trace t[2];
	struct source_event e;
	struct event_source *s;

	(void)state;
	/* b started 2.5 s after a, on a host whose monotonic clock differs. */
	open_trace(&t[0], "2026-01-02T03:04:05.000000000Z", 100 * S);
	open_trace(&t[1], "2026-01-02T04:04:07.500000000+01:00", 7 * S);
	append_at(&t[0], 101 * S, 1);		/* a + 1 s: run time 1 s */
	append_at(&t[0], 104 * S, 1);		/* run time 4 s */
	append_at(&t[1], 7 * S + S / 2, 2);	/* b + 0.5 s: run time 3 s */
	s = open_source(t, 2, EVENT_ORDER_TIME);

	assert_int_equal(event_source_next(s, &e), 1);
	assert_int_equal(e.trace, 0);
	assert_int_equal(e.t_ns, 1 * S);
	assert_int_equal(e.trace_start_ns, 100 * S);
	assert_int_equal(event_source_next(s, &e), 1);
	assert_int_equal(e.trace, 1);
	assert_int_equal(e.t_ns, 3 * S);
	assert_int_equal(e.trace_start_ns, 7 * S);
	assert_int_equal(event_source_next(s, &e), 1);
	assert_int_equal(e.t_ns, 4 * S);
	assert_int_equal(event_source_next(s, &e), 0);
	close_source(s, t, 2);
}

static void a_trace_without_start_wall_starts_the_run(void **state)
{
	struct test_trace t[2];
	struct source_event e;
	struct event_source *s;

	(void)state;
	open_trace(&t[0], NULL, 50 * S);
	open_trace(&t[1], "2026-01-02T03:04:05Z", 10 * S);
	append_at(&t[0], 52 * S, 1);
	append_at(&t[1], 11 * S, 2);
	s = open_source(t, 2, EVENT_ORDER_FILE);

	assert_int_equal(event_source_next(s, &e), 1);
	assert_int_equal(e.t_ns, 2 * S);
	assert_int_equal(event_source_next(s, &e), 1);
	assert_int_equal(e.t_ns, 1 * S);	/* the origin is b's start: offset 0 */
	close_source(s, t, 2);
}

static void without_start_mono_the_first_event_in_file_is_the_start(void **state)
{
	enum event_order orders[] = { EVENT_ORDER_FILE, EVENT_ORDER_TIME };

	(void)state;
	for (int o = 0; o < 2; o++) {
		struct test_trace t;
		struct source_event e;
		struct event_source *s;

		open_trace(&t, NULL, 0);
		append_at(&t, 30 * S, 1);
		append_at(&t, 31 * S, 1);
		s = open_source(&t, 1, orders[o]);
		assert_int_equal(event_source_next(s, &e), 1);
		assert_int_equal(e.t_ns, 0);
		assert_int_equal(e.trace_start_ns, 30 * S);
		assert_int_equal(event_source_next(s, &e), 1);
		assert_int_equal(e.t_ns, 1 * S);
		assert_int_equal(event_source_next(s, &e), 0);
		close_source(s, &t, 1);
	}
}

#define THREADS		4
#define PER_THREAD	30000

struct worker {
	struct test_trace *t;
	uint32_t tid;
};

/* Each thread's clock runs at its own pace, as gen_trace's do. */
static void *worker_main(void *arg)
{
	struct worker *wk = arg;

	for (uint64_t i = 0; i < PER_THREAD; i++)
		append_at(wk->t, S + i * (1000 + 300 * wk->tid), wk->tid);
	return NULL;
}

static void threads_and_traces_merge_in_time_order_with_nothing_lost(void **state)
{
	struct test_trace t[2];
	struct worker wk[2][THREADS];
	pthread_t th[2][THREADS];
	struct source_event e;
	struct event_source *s;
	uint64_t n = 0, last = 0;
	uint32_t last_tid = 0;

	(void)state;
	for (int k = 0; k < 2; k++) {
		open_trace(&t[k], NULL, S);
		for (uint32_t i = 0; i < THREADS; i++) {
			wk[k][i] = (struct worker){ .t = &t[k], .tid = 1 + i + k * THREADS };
			pthread_create(&th[k][i], NULL, worker_main, &wk[k][i]);
		}
	}
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < THREADS; i++)
			pthread_join(th[k][i], NULL);
	s = open_source(t, 2, EVENT_ORDER_TIME);
	assert_true(trace_reader_run_count(event_source_reader(s, 0)) >= THREADS);
	while (event_source_next(s, &e) == 1) {
		assert_true(e.t_ns > last || (e.t_ns == last && e.ev->tid >= last_tid));
		last = e.t_ns;
		last_tid = e.ev->tid;
		n++;
	}
	assert_int_equal(n, 2 * THREADS * PER_THREAD);
	assert_int_equal(event_source_late(s), 0);
	close_source(s, t, 2);
}

static void a_thread_going_back_in_time_is_counted_not_dropped(void **state)
{
	struct test_trace t;
	struct source_event e;
	struct event_source *s;
	int n = 0;

	(void)state;
	open_trace(&t, NULL, S);
	append_at(&t, 5 * S, 1);
	append_at(&t, 3 * S, 1);	/* earlier than the one before it */
	s = open_source(&t, 1, EVENT_ORDER_TIME);
	while (event_source_next(s, &e) == 1)
		n++;
	assert_int_equal(n, 2);
	assert_int_equal(event_source_late(s), 1);
	close_source(s, &t, 1);
}

static void path_matches_the_entry_an_operation_names(void **state)
{
	struct trace_dentry d = { .time_ns = 0, .file_id = 5, .parent_id = 1, .kind = 4,
				  .name = "d", .name_len = 1 };
	struct trace_dentry root = { .time_ns = 0, .file_id = 1, .kind = 4 };
	struct trace_event lookup = read_event(0);
	const char *paths[1];
	struct event_filter f;
	struct source_event e;
	struct test_trace t;
	struct event_source *s;
	char err[256];

	(void)state;
	open_trace(&t, NULL, S);
	trace_writer_dentry(t.w, &root);
	trace_writer_dentry(t.w, &d);
	lookup.op = TRACE_OP_LOOKUP;
	lookup.file_id = 5;
	lookup.name = "f";
	lookup.name_len = 1;
	trace_writer_append(t.w, &lookup);
	assert_int_equal(trace_writer_close(t.w, NULL), 0);

	paths[0] = t.path;
	event_filter_init(&f);
	assert_int_equal(event_filter_option(&f, "--path", "d/f", err, sizeof(err)), 1);
	s = event_source_open(paths, 1, &f, EVENT_ORDER_TIME, err, sizeof(err));
	assert_non_null(s);
	assert_int_equal(event_source_next(s, &e), 1);
	assert_string_equal(e.path, "d");
	assert_string_equal(e.entry, "d/f");
	assert_int_equal(event_source_next(s, &e), 0);
	event_source_close(s);
	remove_temp_trace(t.path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(traces_are_aligned_on_their_wall_clock_start),
		cmocka_unit_test(a_trace_without_start_wall_starts_the_run),
		cmocka_unit_test(without_start_mono_the_first_event_in_file_is_the_start),
		cmocka_unit_test(threads_and_traces_merge_in_time_order_with_nothing_lost),
		cmocka_unit_test(a_thread_going_back_in_time_is_counted_not_dropped),
		cmocka_unit_test(path_matches_the_entry_an_operation_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
