/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_page_cache_view.c - the app-side view from APP records to the
 * report's sentence: an APP record decodes to what was encoded, the latest
 * sample of a (file, process, method) is its total whatever order they
 * come in, processes of one file and method add up, and the sentence says
 * readahead as a ratio and caching as a hit ratio.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "app_samples.h"
#include "page_cache_view.h"
#include "report.h"
#include "trace_encode.h"

static struct trace_app_sample sample(uint64_t t, uint64_t file, uint32_t pid, uint8_t method,
				      uint64_t bytes)
{
	return (struct trace_app_sample){
		.time_ns = t, .file_id = file, .pid = pid, .method = method, .bytes = bytes,
		.calls = bytes / 4096, .comm = "python3",
	};
}

static void an_app_record_decodes_to_what_was_encoded(void **state)
{
	uint8_t buf[TRACE_META_RECORD_MAX];
	struct trace_app_sample in = {
		.time_ns = 7, .file_id = 1234567, .pid = 42, .method = TRACE_METHOD_MMAP,
		.bytes = 1, .calls = 2, .faults = 3, .major = 1, .mapped = 48, .comm = "trainer",
	}, out;
	const uint8_t *p = buf;
	struct trace_meta_record rec;
	size_t len = trace_meta_encode_app(buf, &in), clen;

	(void)state;
	assert_int_equal(trace_meta_next(&p, buf + len, &rec), 0);
	assert_int_equal(rec.type, TRACE_META_APP);
	assert_int_equal(trace_meta_decode_app(&rec, &out, &clen), 0);
	assert_int_equal(out.file_id, 1234567);
	assert_int_equal(out.pid, 42);
	assert_int_equal(out.method, TRACE_METHOD_MMAP);
	assert_int_equal(out.faults, 3);
	assert_int_equal(out.major, 1);
	assert_int_equal(out.mapped, 48);
	assert_int_equal(clen, 7);
	assert_memory_equal(out.comm, "trainer", 7);
}

static void the_latest_sample_of_a_key_is_kept_whatever_the_order(void **state)
{
	struct app_samples t = { 0 };
	struct trace_app_sample s;

	(void)state;
	s = sample(10, 5, 100, TRACE_METHOD_READ, 4096);
	assert_int_equal(app_samples_put(&t, &s, 7), 0);
	s = sample(30, 5, 100, TRACE_METHOD_READ, 12288);
	assert_int_equal(app_samples_put(&t, &s, 7), 0);
	s = sample(20, 5, 100, TRACE_METHOD_READ, 8192);	/* older: dropped */
	assert_int_equal(app_samples_put(&t, &s, 7), 0);
	s = sample(20, 5, 101, TRACE_METHOD_READ, 1);		/* another process */
	assert_int_equal(app_samples_put(&t, &s, 7), 0);
	s = sample(20, 5, 100, TRACE_METHOD_MMAP, 2);		/* another method */
	assert_int_equal(app_samples_put(&t, &s, 7), 0);

	assert_int_equal(t.n, 3);
	assert_true(app_samples_get(&t, 0, &s));
	assert_int_equal(s.bytes, 12288);
	assert_string_equal(s.comm, "python3");
	assert_true(app_samples_get(&t, 1, &s));
	assert_int_equal(s.pid, 101);
	assert_false(app_samples_get(&t, 3, &s));
	app_samples_free(&t);
}

static uint64_t storage_of(const void *ctx, const char *path, unsigned int method)
{
	(void)ctx;
	if (!strcmp(path, "shard03.bin") && method == TRACE_METHOD_MMAP)
		return 38u << 20;
	if (!strcmp(path, "twice") && method == TRACE_METHOD_READ)
		return 1u << 20;
	return 0;
}

static void processes_of_a_file_and_method_add_up_and_rows_sort_by_bytes(void **state)
{
	struct page_cache_view v;
	struct trace_app_sample a = sample(1, 1, 10, TRACE_METHOD_READ, 1u << 20);
	struct trace_app_sample b = sample(1, 1, 11, TRACE_METHOD_READ, 1u << 20);
	struct trace_app_sample m = {
		.time_ns = 1, .file_id = 2, .pid = 12, .method = TRACE_METHOD_MMAP,
		.faults = 80, .major = 3, .mapped = 1280, .comm = "python3",
	};

	(void)state;
	page_cache_view_init(&v);
	page_cache_view_trace(&v, 4096);
	assert_int_equal(page_cache_view_add(&v, "twice", 5, &a), 0);
	assert_int_equal(page_cache_view_add(&v, "twice", 5, &b), 0);
	assert_int_equal(page_cache_view_add(&v, "shard03.bin", 11, &m), 0);
	page_cache_view_finish(&v, storage_of, NULL);

	assert_int_equal(v.nrows, 2);
	assert_string_equal(v.rows[0].path, "shard03.bin");	/* 38 MiB first */
	assert_int_equal(pcv_asked_bytes(&v, v.rows[0].method, &v.rows[0].n), 5u << 20);
	assert_int_equal(v.rows[1].nprocs, 2);
	assert_int_equal(v.rows[1].n.bytes, 2u << 20);
	assert_int_equal(v.rows[1].storage_bytes, 1u << 20);
	page_cache_view_free(&v);
}

static void the_sentence_says_readahead_as_a_ratio_and_caching_as_hits(void **state)
{
	struct page_cache_view v;
	struct trace_app_sample r = sample(1, 1, 10, TRACE_METHOD_READ, 2u << 20);
	struct trace_app_sample m = {
		.time_ns = 1, .file_id = 2, .pid = 12, .method = TRACE_METHOD_MMAP,
		.faults = 80, .major = 3, .mapped = 1280, .comm = "python3",
	};
	char line[512];

	(void)state;
	page_cache_view_init(&v);
	page_cache_view_trace(&v, 4096);
	assert_int_equal(page_cache_view_add(&v, "shard03.bin", 11, &m), 0);
	assert_int_equal(page_cache_view_add(&v, "twice", 5, &r), 0);
	page_cache_view_finish(&v, storage_of, NULL);

	report_page_cache_sentence(line, sizeof(line), &v, &v.rows[0]);
	assert_string_equal(line, "python3 faulted 80 times (3 major) on shard03.bin by mmap, "
			    "mapping 5.0 MiB; 38 MiB reached storage (7.6x, readahead)");
	report_page_cache_sentence(line, sizeof(line), &v, &v.rows[1]);
	assert_string_equal(line, "python3 asked for 2.0 MiB of twice by read(); "
			    "1.0 MiB reached storage (50% page-cache hits)");
	page_cache_view_free(&v);
}

static void a_view_no_trace_had_is_unavailable_not_empty(void **state)
{
	struct page_cache_view v;

	(void)state;
	page_cache_view_init(&v);
	assert_false(v.available);
	page_cache_view_trace(&v, 0);
	assert_true(v.available);
	assert_int_equal(v.page_size, 4096);
	page_cache_view_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_app_record_decodes_to_what_was_encoded),
		cmocka_unit_test(the_latest_sample_of_a_key_is_kept_whatever_the_order),
		cmocka_unit_test(processes_of_a_file_and_method_add_up_and_rows_sort_by_bytes),
		cmocka_unit_test(the_sentence_says_readahead_as_a_ratio_and_caching_as_hits),
		cmocka_unit_test(a_view_no_trace_had_is_unavailable_not_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
