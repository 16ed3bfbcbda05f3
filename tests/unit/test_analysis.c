/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_analysis.c - lib/analysis and lib/run_stats: files matched by path
 * across traces and hosts, sorted by bytes, run totals by method, process
 * and host, and the timeline.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include "analysis.h"
#include "report_test_events.h"

static struct analysis a;

static int setup(void **state)
{
	(void)state;
	analysis_init(&a, false);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	analysis_free(&a);
	return 0;
}

static unsigned int add_trace(const char *host)
{
	struct run_trace h = { .writeback_cache = -1, .classify = -1, .mount_options = "" };
	int i = analysis_add_trace(&a, "t", host, &h);

	assert_true(i >= 0);
	return (unsigned int)i;
}

static void add(unsigned int trace, const char *path, struct trace_event ev, uint64_t t_ns)
{
	struct analysis_event e = { .ev = &ev, .trace = trace, .t_ns = t_ns, .path = path,
				    .path_len = path ? strlen(path) : 0 };

	assert_int_equal(analysis_add(&a, &e), 0);
}

static void test_a_stable_path_pointer_of_another_trace_is_matched_by_its_text(void **state)
{
	unsigned int t1 = add_trace("h"), t2 = add_trace("h");
	char buf[8] = "a";
	struct trace_event ev = test_read(0, 10);
	struct analysis_event e = { .ev = &ev, .path = buf, .path_len = 1, .path_stable = true };

	(void)state;
	e.trace = t1;
	assert_int_equal(analysis_add(&a, &e), 0);
	/* The first trace's reader is gone; its memory now holds another path. */
	memcpy(buf, "b", 2);
	e.trace = t2;
	assert_int_equal(analysis_add(&a, &e), 0);
	analysis_finish(&a);
	assert_int_equal(a.nfiles, 2);
	assert_non_null(analysis_find(&a, "a"));
	assert_non_null(analysis_find(&a, "b"));
}

/* Reads of "big" and "small", interleaved, each event handed to account. */
static void add_two_files(struct analysis *an, unsigned int trace,
			  int (*account)(struct analysis *, const struct analysis_event *))
{
	for (uint64_t i = 0; i < 3 * FILE_STATS_SAMPLE_MAX; i++) {
		struct trace_event ev = test_read((i * 7919) % 1000 * 4096, 4096);
		struct analysis_event e = { .ev = &ev, .trace = trace, .t_ns = i,
					    .path = i % 4 ? "big" : "small", .path_len = 0 };

		e.path_len = strlen(e.path);
		assert_int_equal(account(an, &e), 0);
	}
}

static void test_a_second_sampling_pass_keeps_what_one_pass_would(void **state)
{
	struct analysis one;
	struct run_trace h = { .writeback_cache = -1, .classify = -1, .mount_options = "" };
	const struct file_stats *want, *got;

	(void)state;
	analysis_init(&one, true);
	assert_int_equal(analysis_add_trace(&one, "t", "h", &h), 0);
	add_two_files(&one, 0, analysis_add);
	analysis_finish(&one);
	add_two_files(&a, add_trace("h"), analysis_add);
	analysis_finish(&a);
	analysis_sample_first(&a, 1);
	add_two_files(&a, 0, analysis_sample);

	want = &analysis_find(&one, "big")->stats;
	got = &analysis_find(&a, "big")->stats;
	assert_int_equal(got->seen_for_sample, want->seen_for_sample);
	assert_int_equal(got->nsample, FILE_STATS_SAMPLE_MAX);
	assert_memory_equal(got->sample, want->sample, want->nsample * sizeof(want->sample[0]));
	assert_int_equal(analysis_find(&a, "small")->stats.nsample, 0);
	analysis_free(&one);
}

static void test_many_files_are_each_found_by_path_after_finish(void **state)
{
	unsigned int t = add_trace("h");
	char path[32];

	(void)state;
	for (int i = 0; i < 5000; i++) {
		snprintf(path, sizeof(path), "f%d", i);
		add(t, path, test_read(0, (uint64_t)i + 1), 0);
	}
	analysis_finish(&a);
	assert_int_equal(a.nfiles, 5000);
	for (int i = 0; i < 5000; i += 499) {
		snprintf(path, sizeof(path), "f%d", i);
		assert_non_null(analysis_find(&a, path));
		assert_int_equal(analysis_find(&a, path)->stats.total.c[POSIX_BYTES_READ], i + 1);
	}
	assert_null(analysis_find(&a, "nope"));
}

static void test_files_are_sorted_by_bytes_moved(void **state)
{
	unsigned int t = add_trace("h");

	(void)state;
	add(t, "small", test_read(0, 10), 0);
	add(t, "big", test_read(0, 1000), 0);
	add(t, "middle", test_io(TRACE_OP_WRITE, TRACE_METHOD_WRITE, 0, 100), 0);
	analysis_finish(&a);
	assert_string_equal(a.files[0]->path, "big");
	assert_string_equal(a.files[1]->path, "middle");
	assert_string_equal(a.files[2]->path, "small");
}

static void test_the_same_path_in_two_traces_of_two_hosts_is_one_file(void **state)
{
	unsigned int t1 = add_trace("alpha"), t2 = add_trace("beta"), t3 = add_trace("alpha");

	(void)state;
	add(t1, "shared", test_read(0, 100), 0);
	add(t2, "shared", test_read(100, 100), 0);
	add(t3, "shared", test_read(200, 100), 0);
	analysis_finish(&a);
	assert_int_equal(a.nfiles, 1);
	assert_int_equal(a.files[0]->stats.total.c[POSIX_BYTES_READ], 300);
	assert_int_equal(a.run.nhosts, 2);
	assert_int_equal(a.run.hosts[0].io.bytes_read, 200);
	assert_int_equal(a.run.hosts[1].io.bytes_read, 100);
}

static void test_run_totals_split_by_method_and_process(void **state)
{
	unsigned int t = add_trace("h");
	struct trace_event wb = test_io(TRACE_OP_WRITE, TRACE_METHOD_WRITEBACK, 0, 4096);

	(void)state;
	wb.pid = 0;
	wb.trigger = TRACE_TRIGGER_FSYNC;
	add(t, "f", test_read(0, 100), 0);
	add(t, "f", test_io(TRACE_OP_READ, TRACE_METHOD_MMAP, 0, 4096), 0);
	add(t, "f", wb, 0);
	add(t, NULL, test_op(TRACE_OP_STATFS), 0);
	analysis_finish(&a);
	assert_int_equal(a.run.events, 4);
	assert_int_equal(a.run.by_method[REPORT_METHOD_READ].bytes_read, 100);
	assert_int_equal(a.run.by_method[REPORT_METHOD_MMAP].bytes_read, 4096);
	assert_int_equal(a.run.by_method[REPORT_METHOD_WRITEBACK_FSYNC].bytes_written, 4096);
	assert_int_equal(a.run.by_op[TRACE_OP_STATFS].count, 1);
	assert_int_equal(a.run.nprocs, 2);
	/* sorted by bytes: pid 100 moved 4196, the kernel 4096 */
	assert_int_equal(a.run.procs[0].pid, 100);
	assert_string_equal(a.run.procs[1].comm, "[kernel]");
	assert_int_equal(a.nfiles, 1);
}

static void test_the_timeline_coarsens_to_stay_bounded(void **state)
{
	unsigned int t = add_trace("h");
	uint64_t total = 0;

	(void)state;
	/* 100 s at 10 ms bins would need 10000 bins. */
	for (uint64_t s = 0; s < 100; s++)
		add(t, "f", test_read(s * 10, 10), s * 1000000000ull);
	assert_true(a.run.nbins <= RUN_TIMELINE_BINS);
	assert_true(a.run.bin_ns * RUN_TIMELINE_BINS > 99000000000ull);
	for (size_t b = 0; b < a.run.nbins; b++)
		total += a.run.timeline[b][REPORT_METHOD_READ];
	assert_int_equal(total, 1000);
}

static void test_unknown_and_unlabelled_requests_are_counted(void **state)
{
	unsigned int t = add_trace("h");

	(void)state;
	add(t, "f", test_io(TRACE_OP_READ, TRACE_METHOD_UNKNOWN, 0, 1), 0);
	add(t, "f", test_io(TRACE_OP_READ, TRACE_METHOD_NONE, 0, 1), 0);
	add(t, "f", test_read(0, 1), 0);
	assert_int_equal(a.run.unknown, 1);
	assert_int_equal(a.run.unlabelled, 1);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_many_files_are_each_found_by_path_after_finish),
		T(test_a_stable_path_pointer_of_another_trace_is_matched_by_its_text),
		T(test_a_second_sampling_pass_keeps_what_one_pass_would),
		T(test_files_are_sorted_by_bytes_moved),
		T(test_the_same_path_in_two_traces_of_two_hosts_is_one_file),
		T(test_run_totals_split_by_method_and_process),
		T(test_the_timeline_coarsens_to_stay_bounded),
		T(test_unknown_and_unlabelled_requests_are_counted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
