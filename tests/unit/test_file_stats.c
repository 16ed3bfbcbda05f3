/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_file_stats.c - every counter of lib/file_stats on hand-built event
 * sequences whose answers follow from Darshan's definitions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "file_stats.h"
#include "report_test_events.h"

static struct file_stats f;

static int setup(void **state)
{
	(void)state;
	file_stats_init(&f, true);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	file_stats_free(&f);
	return 0;
}

static void add(struct trace_event ev)
{
	static uint64_t t;

	assert_int_equal(file_stats_add(&f, &ev, t += 1000), 0);
}

static uint64_t total(unsigned int c)
{
	file_stats_finish(&f);
	return method_stats_counter(file_stats_method(&f, FILE_STATS_ALL), c);
}

static uint64_t of_method(unsigned int m, unsigned int c)
{
	const struct method_stats *s;

	file_stats_finish(&f);
	s = file_stats_method(&f, m);
	assert_non_null(s);
	return method_stats_counter(s, c);
}

static void test_a_files_only_method_has_the_totals_io_without_other_requests(void **state)
{
	const struct method_stats *t, *m;

	(void)state;
	add(test_op(TRACE_OP_OPEN));
	add(test_read(0, 100));
	add(test_read(4096, 50));
	add(test_op(TRACE_OP_FLUSH));
	file_stats_finish(&f);
	t = file_stats_method(&f, FILE_STATS_ALL);
	m = file_stats_method(&f, REPORT_METHOD_READ);
	assert_non_null(m);
	for (unsigned int c = 0; c < FILE_STATS_COUNTER_COUNT; c++) {
		bool other = c == POSIX_OPENS || c == ACCESSFS_FLUSHES;

		assert_int_equal(method_stats_counter(m, c), other ? 0 : method_stats_counter(t, c));
	}
	assert_int_equal(t->c[POSIX_OPENS], 1);
	/* The method's span is its reads', the total's also the open's and flush's. */
	assert_true(m->first_ns > t->first_ns);
	assert_true(m->last_ns < t->last_ns);
	assert_int_equal(m->first_ns, t->rd.first_ns);
	assert_int_equal(m->last_ns, t->rd.last_ns);
	assert_int_equal(m->meta_time_ns, 0);
}

static void test_consecutive_reads_start_where_the_previous_ended(void **state)
{
	(void)state;
	add(test_read(0, 100));
	add(test_read(100, 100));	/* consecutive and sequential */
	add(test_read(300, 100));	/* sequential, after a gap */
	add(test_read(50, 10));		/* backwards: neither */
	assert_int_equal(total(POSIX_CONSEC_READS), 1);
	assert_int_equal(total(POSIX_SEQ_READS), 2);
	assert_int_equal(total(POSIX_READS), 4);
	assert_int_equal(total(POSIX_BYTES_READ), 310);
	assert_int_equal(total(POSIX_MAX_BYTE_READ), 399);
}

static void test_the_first_request_is_neither_consecutive_nor_sequential(void **state)
{
	(void)state;
	add(test_read(4096, 100));
	assert_int_equal(total(POSIX_CONSEC_READS), 0);
	assert_int_equal(total(POSIX_SEQ_READS), 0);
}

static void test_reads_and_writes_are_sequential_each_in_their_own_direction(void **state)
{
	(void)state;
	add(test_read(0, 100));
	add(test_io(TRACE_OP_WRITE, TRACE_METHOD_WRITE, 1000, 100));
	add(test_read(100, 100));	/* follows the read, not the write */
	add(test_io(TRACE_OP_WRITE, TRACE_METHOD_WRITE, 1100, 100));
	assert_int_equal(total(POSIX_CONSEC_READS), 1);
	assert_int_equal(total(POSIX_CONSEC_WRITES), 1);
	assert_int_equal(total(POSIX_RW_SWITCHES), 3);
	assert_int_equal(total(POSIX_BYTES_WRITTEN), 200);
	assert_int_equal(total(POSIX_MAX_BYTE_WRITTEN), 1199);
}

static void test_file_totals_follow_requests_across_methods(void **state)
{
	(void)state;
	add(test_read(0, 100));
	add(test_io(TRACE_OP_READ, TRACE_METHOD_MMAP, 100, 100));
	assert_int_equal(total(POSIX_CONSEC_READS), 1);
	assert_int_equal(of_method(REPORT_METHOD_READ, POSIX_CONSEC_READS), 0);
	assert_int_equal(of_method(REPORT_METHOD_MMAP, POSIX_CONSEC_READS), 0);
	assert_int_equal(of_method(REPORT_METHOD_MMAP, POSIX_BYTES_READ), 100);
}

static void test_size_buckets_include_their_upper_edge(void **state)
{
	(void)state;
	/* Two reads per bucket: its smallest and its largest size. */
	for (unsigned int b = 0; b < FILE_STATS_SIZE_BUCKET_COUNT; b++) {
		uint64_t lo = file_stats_size_bucket_min(b);
		uint64_t hi = b + 1 < FILE_STATS_SIZE_BUCKET_COUNT ?
			      file_stats_size_bucket_min(b + 1) - 1 : lo + 1;

		add(test_read(0, lo));
		add(test_read(0, hi));
	}
	for (unsigned int b = 0; b < FILE_STATS_SIZE_BUCKET_COUNT; b++)
		assert_int_equal(total(POSIX_SIZE_READ_0_100 + b), 2);
}

static void test_size_bucket_edges_are_darshans(void **state)
{
	(void)state;
	add(test_read(0, 100));
	add(test_read(0, 101));
	add(test_read(0, 1024));
	add(test_read(0, 1025));
	assert_int_equal(total(POSIX_SIZE_READ_0_100), 1);
	assert_int_equal(total(POSIX_SIZE_READ_100_1K), 2);
	assert_int_equal(total(POSIX_SIZE_READ_1K_10K), 1);
}

static void test_writes_fill_the_write_size_buckets(void **state)
{
	(void)state;
	add(test_io(TRACE_OP_WRITE, TRACE_METHOD_WRITE, 0, 4096));
	assert_int_equal(total(POSIX_SIZE_WRITE_1K_10K), 1);
	assert_int_equal(total(POSIX_SIZE_READ_1K_10K), 0);
}

static void test_overlapping_reads_cover_their_union_and_refetch_the_overlap(void **state)
{
	(void)state;
	add(test_read(0, 4096));
	add(test_read(2048, 4096));
	add(test_read(10000, 100));
	assert_int_equal(total(ACCESSFS_UNIQUE_BYTES), 6144 + 100);
	assert_int_equal(total(ACCESSFS_REFETCH_BYTES), 2048);
}

static void test_refetch_is_charged_to_the_method_that_fetched_again(void **state)
{
	(void)state;
	add(test_read(0, 8192));
	add(test_io(TRACE_OP_READ, TRACE_METHOD_MMAP, 0, 4096));
	assert_int_equal(of_method(REPORT_METHOD_READ, ACCESSFS_REFETCH_BYTES), 0);
	assert_int_equal(of_method(REPORT_METHOD_MMAP, ACCESSFS_REFETCH_BYTES), 4096);
	assert_int_equal(of_method(REPORT_METHOD_MMAP, ACCESSFS_UNIQUE_BYTES), 4096);
	assert_int_equal(total(ACCESSFS_UNIQUE_BYTES), 8192);
}

static void test_each_method_covers_its_own_bytes_when_a_second_method_arrives(void **state)
{
	(void)state;
	add(test_read(0, 8192));
	add(test_io(TRACE_OP_READ, TRACE_METHOD_MMAP, 4096, 8192));
	add(test_read(0, 100));
	assert_int_equal(of_method(REPORT_METHOD_READ, ACCESSFS_UNIQUE_BYTES), 8192);
	assert_int_equal(of_method(REPORT_METHOD_MMAP, ACCESSFS_UNIQUE_BYTES), 8192);
	assert_int_equal(total(ACCESSFS_UNIQUE_BYTES), 12288);
}

static void test_a_single_method_covers_what_the_file_covers(void **state)
{
	(void)state;
	add(test_read(0, 4096));
	add(test_read(100000, 4096));
	assert_int_equal(of_method(REPORT_METHOD_READ, ACCESSFS_UNIQUE_BYTES), 8192);
}

static void test_reading_written_bytes_is_not_a_refetch_but_reading_read_bytes_is(void **state)
{
	(void)state;
	add(test_read(0, 4096));
	add(test_io(TRACE_OP_WRITE, TRACE_METHOD_WRITE, 4096, 4096));
	add(test_read(4096, 4096));
	assert_int_equal(total(ACCESSFS_REFETCH_BYTES), 0);
	add(test_read(0, 4096));
	assert_int_equal(total(ACCESSFS_REFETCH_BYTES), 4096);
	assert_int_equal(total(ACCESSFS_UNIQUE_BYTES), 8192);
}

static void test_writes_are_not_fetches(void **state)
{
	(void)state;
	add(test_io(TRACE_OP_WRITE, TRACE_METHOD_WRITE, 0, 4096));
	add(test_io(TRACE_OP_WRITE, TRACE_METHOD_WRITE, 0, 4096));
	assert_int_equal(total(ACCESSFS_REFETCH_BYTES), 0);
	assert_int_equal(total(ACCESSFS_UNIQUE_BYTES), 4096);
}

static void test_readahead_sums_only_known_shares(void **state)
{
	struct trace_event a = test_read(0, 131072), b = test_read(131072, 131072),
			   c = test_read(262144, 131072);

	(void)state;
	a.ahead_bytes = 126976;
	c.ahead_bytes = 131072;
	add(a);
	add(b);
	add(c);
	assert_int_equal(total(ACCESSFS_READAHEAD_BYTES), 126976 + 131072);
	assert_int_equal(total(ACCESSFS_READAHEAD_KNOWN_READS), 2);
}

static void test_the_four_most_common_sizes_in_order_of_count(void **state)
{
	static const struct { uint64_t size; int n; } mix[] = {
		{ 100, 2 }, { 8192, 3 }, { 300, 1 }, { 4096, 5 }, { 200, 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(mix) / sizeof(mix[0]); i++)
		for (int k = 0; k < mix[i].n; k++)
			add(test_read(0, mix[i].size));
	assert_int_equal(total(POSIX_ACCESS1_ACCESS), 4096);
	assert_int_equal(total(POSIX_ACCESS1_COUNT), 5);
	assert_int_equal(total(POSIX_ACCESS2_ACCESS), 8192);
	assert_int_equal(total(POSIX_ACCESS2_COUNT), 3);
	assert_int_equal(total(POSIX_ACCESS3_ACCESS), 100);
	assert_int_equal(total(POSIX_ACCESS3_COUNT), 2);
	/* 200 and 300 tie: the smaller value wins. */
	assert_int_equal(total(POSIX_ACCESS4_ACCESS), 200);
	assert_int_equal(total(POSIX_ACCESS4_COUNT), 1);
}

static void test_strides_are_gaps_after_the_previous_end(void **state)
{
	(void)state;
	add(test_read(0, 4096));	/* first: stride 0, as in Darshan */
	add(test_read(8192, 4096));	/* gap 4096 */
	add(test_read(16384, 4096));	/* gap 4096 */
	add(test_read(20480, 4096));	/* consecutive: stride 0 */
	add(test_read(40960, 4096));	/* gap 16384 */
	assert_int_equal(total(POSIX_STRIDE1_STRIDE), 0);
	assert_int_equal(total(POSIX_STRIDE1_COUNT), 2);
	assert_int_equal(total(POSIX_STRIDE2_STRIDE), 4096);
	assert_int_equal(total(POSIX_STRIDE2_COUNT), 2);
	assert_int_equal(total(POSIX_STRIDE3_STRIDE), 16384);
	assert_int_equal(total(POSIX_STRIDE3_COUNT), 1);
	assert_int_equal(total(POSIX_STRIDE4_COUNT), 0);
}

static void test_latency_percentiles_come_from_the_durations(void **state)
{
	const struct method_stats *s;

	(void)state;
	for (uint64_t i = 1; i <= 100; i++) {
		struct trace_event ev = test_read(0, 10);

		ev.duration_ns = i < 100 ? 10 : 1000000;	/* one slow outlier */
		add(ev);
	}
	file_stats_finish(&f);
	s = file_stats_method(&f, FILE_STATS_ALL);
	assert_true(method_stats_fcounter(s, ACCESSFS_F_LATENCY_P50) == 10e-9);
	assert_true(method_stats_fcounter(s, ACCESSFS_F_LATENCY_P99) == 10e-9);
	assert_true(method_stats_fcounter(s, ACCESSFS_F_LATENCY_MAX) == 1e-3);
	assert_true(method_stats_fcounter(s, POSIX_F_MAX_READ_TIME) == 1e-3);
}

static void test_writeback_lands_in_the_slot_of_its_trigger(void **state)
{
	struct trace_event ev = test_io(TRACE_OP_WRITE, TRACE_METHOD_WRITEBACK, 0, 1 << 20);

	(void)state;
	ev.trigger = TRACE_TRIGGER_MUNMAP;
	add(ev);
	ev.trigger = TRACE_TRIGGER_NONE;
	add(ev);
	assert_int_equal(of_method(REPORT_METHOD_WRITEBACK_MUNMAP, POSIX_WRITES), 1);
	assert_int_equal(of_method(REPORT_METHOD_WRITEBACK_UNKNOWN, POSIX_WRITES), 1);
	assert_null(file_stats_method(&f, REPORT_METHOD_WRITEBACK));
	assert_string_equal(report_method_name(REPORT_METHOD_WRITEBACK_MUNMAP), "writeback_munmap");
}

static void test_requests_without_data_count_only_in_the_file_total(void **state)
{
	struct trace_event fdatasync = test_op(TRACE_OP_FSYNC);

	(void)state;
	fdatasync.flags = TRACE_FSYNC_DATASYNC;
	add(test_op(TRACE_OP_OPEN));
	add(test_op(TRACE_OP_CREATE));
	add(test_op(TRACE_OP_FLUSH));
	add(test_op(TRACE_OP_FSYNC));
	add(fdatasync);
	add(test_op(TRACE_OP_RELEASE));
	add(test_op(TRACE_OP_GETATTR));
	add(test_op(TRACE_OP_SETATTR));
	assert_int_equal(total(POSIX_OPENS), 2);
	assert_int_equal(total(ACCESSFS_FLUSHES), 1);
	assert_int_equal(total(POSIX_FSYNCS), 1);
	assert_int_equal(total(POSIX_FDSYNCS), 1);
	assert_int_equal(total(ACCESSFS_RELEASES), 1);
	assert_int_equal(total(ACCESSFS_META_OPS), 2);
	assert_int_equal(total(POSIX_READS), 0);
	assert_null(file_stats_method(&f, REPORT_METHOD_NONE));
}

static void test_failed_requests_count_as_errors_not_as_reads(void **state)
{
	struct trace_event ev = test_read(0, 4096);

	(void)state;
	ev.result = -5;
	add(ev);
	assert_int_equal(total(ACCESSFS_ERRORS), 1);
	assert_int_equal(total(POSIX_READS), 0);
}

static void test_a_failed_metadata_request_is_metadata_not_an_error(void **state)
{
	struct trace_event ev = test_op(TRACE_OP_GETXATTR);

	(void)state;
	ev.result = -61;	/* ENODATA: the answer "no such attribute" */
	add(ev);
	assert_int_equal(total(ACCESSFS_ERRORS), 0);
	assert_int_equal(total(ACCESSFS_META_OPS), 1);
}

static void test_short_reads_count_the_bytes_returned(void **state)
{
	struct trace_event ev = test_read(0, 131072);

	(void)state;
	ev.result = 1000;	/* end of file */
	add(ev);
	assert_int_equal(total(POSIX_BYTES_READ), 1000);
	assert_int_equal(total(POSIX_SIZE_READ_100_1K), 1);
}

static void test_first_and_last_access_times_span_all_requests(void **state)
{
	struct trace_event a = test_read(0, 10), b = test_op(TRACE_OP_RELEASE);
	const struct method_stats *s;

	(void)state;
	a.duration_ns = 500;
	b.duration_ns = 700;
	assert_int_equal(file_stats_add(&f, &a, 2000000000), 0);
	assert_int_equal(file_stats_add(&f, &b, 3000000000), 0);
	file_stats_finish(&f);
	s = file_stats_method(&f, FILE_STATS_ALL);
	assert_true(method_stats_fcounter(s, ACCESSFS_F_FIRST_ACCESS_TIMESTAMP) == 2.0);
	assert_true(method_stats_fcounter(s, ACCESSFS_F_LAST_ACCESS_TIMESTAMP) == 3.0000007);
	assert_true(method_stats_fcounter(s, POSIX_F_READ_END_TIMESTAMP) == 2.0000005);
}

static void test_the_heat_strip_counts_fetched_bytes_where_they_were_fetched(void **state)
{
	uint64_t sum = 0;

	(void)state;
	add(test_read(0, 1 << 20));
	add(test_read(0, 4096));
	for (unsigned int i = 0; i < FILE_STATS_HEAT_BINS; i++)
		sum += f.heat[i];
	assert_int_equal(sum, (1 << 20) + 4096);
	assert_true(f.heat[0] > f.heat[1]);
	assert_true(((uint64_t)FILE_STATS_HEAT_BINS << f.heat_shift) >= (1 << 20));
}

static void test_the_sample_keeps_at_most_its_bound(void **state)
{
	(void)state;
	for (uint64_t i = 0; i < 3 * FILE_STATS_SAMPLE_MAX; i++)
		add(test_read(i * 10, 10));
	assert_int_equal(f.nsample, FILE_STATS_SAMPLE_MAX);
}

static void test_counter_names_are_darshans_spelling(void **state)
{
	(void)state;
	assert_string_equal(file_stats_counter_name(POSIX_SIZE_READ_1G_PLUS), "POSIX_SIZE_READ_1G_PLUS");
	assert_string_equal(file_stats_counter_name(POSIX_CONSEC_READS), "POSIX_CONSEC_READS");
	assert_string_equal(file_stats_fcounter_name(POSIX_F_READ_TIME), "POSIX_F_READ_TIME");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_consecutive_reads_start_where_the_previous_ended),
		T(test_the_first_request_is_neither_consecutive_nor_sequential),
		T(test_reads_and_writes_are_sequential_each_in_their_own_direction),
		T(test_file_totals_follow_requests_across_methods),
		T(test_size_buckets_include_their_upper_edge),
		T(test_size_bucket_edges_are_darshans),
		T(test_writes_fill_the_write_size_buckets),
		T(test_overlapping_reads_cover_their_union_and_refetch_the_overlap),
		T(test_refetch_is_charged_to_the_method_that_fetched_again),
		T(test_writes_are_not_fetches),
		T(test_each_method_covers_its_own_bytes_when_a_second_method_arrives),
		T(test_a_single_method_covers_what_the_file_covers),
		T(test_reading_written_bytes_is_not_a_refetch_but_reading_read_bytes_is),
		T(test_readahead_sums_only_known_shares),
		T(test_the_four_most_common_sizes_in_order_of_count),
		T(test_strides_are_gaps_after_the_previous_end),
		T(test_latency_percentiles_come_from_the_durations),
		T(test_writeback_lands_in_the_slot_of_its_trigger),
		T(test_requests_without_data_count_only_in_the_file_total),
		T(test_failed_requests_count_as_errors_not_as_reads),
		T(test_a_failed_metadata_request_is_metadata_not_an_error),
		T(test_short_reads_count_the_bytes_returned),
		T(test_first_and_last_access_times_span_all_requests),
		T(test_the_heat_strip_counts_fetched_bytes_where_they_were_fetched),
		T(test_the_sample_keeps_at_most_its_bound),
		T(test_a_files_only_method_has_the_totals_io_without_other_requests),
		T(test_counter_names_are_darshans_spelling),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
