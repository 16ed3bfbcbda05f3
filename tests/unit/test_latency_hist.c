/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_latency_hist.c - percentiles of lib/latency_hist within their bound. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "latency_hist.h"

/* The exact percentile of sorted values, by the same rank rule (ceil). */
static uint64_t exact_percentile(const uint64_t *sorted, size_t n, double pct)
{
	size_t rank = (size_t)(pct / 100.0 * (double)n);

	if ((double)rank < pct / 100.0 * (double)n)
		rank++;
	return sorted[rank ? rank - 1 : 0];
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void test_small_values_are_exact(void **state)
{
	struct latency_hist h = { 0 };

	(void)state;
	for (uint64_t v = 1; v <= 15; v++)
		latency_hist_add(&h, v);
	assert_int_equal(latency_hist_percentile(&h, 50), 8);
	assert_int_equal(latency_hist_percentile(&h, 100), 15);
}

static void test_percentiles_are_within_one_eighth_above_the_exact_value(void **state)
{
	enum { N = 10000 };
	static uint64_t v[N];
	static const double pcts[] = { 1, 50, 90, 99, 99.9, 100 };
	struct latency_hist h = { 0 };

	(void)state;
	srandom(42);
	for (size_t i = 0; i < N; i++) {
		/* log-spread latencies from 100 ns to about 100 ms */
		v[i] = (uint64_t)100 << (random() % 20);
		v[i] += (uint64_t)random() % v[i];
		latency_hist_add(&h, v[i]);
	}
	qsort(v, N, sizeof(v[0]), cmp_u64);
	for (size_t i = 0; i < sizeof(pcts) / sizeof(pcts[0]); i++) {
		uint64_t exact = exact_percentile(v, N, pcts[i]);
		uint64_t got = latency_hist_percentile(&h, pcts[i]);

		assert_true(got >= exact);
		assert_true(got <= exact + exact / 8);
	}
}

static void test_the_maximum_is_exact(void **state)
{
	struct latency_hist h = { 0 };

	(void)state;
	latency_hist_add(&h, 1000);
	latency_hist_add(&h, 123456789);
	assert_int_equal(latency_hist_percentile(&h, 100), 123456789);
	assert_int_equal(h.max, 123456789);
}

static void test_huge_values_share_the_top_bucket_but_keep_the_max(void **state)
{
	struct latency_hist h = { 0 };

	(void)state;
	latency_hist_add(&h, UINT64_MAX / 2);
	assert_int_equal(latency_hist_percentile(&h, 50), UINT64_MAX / 2);
}

static void test_an_empty_histogram_reports_zero(void **state)
{
	struct latency_hist h = { 0 };

	(void)state;
	assert_int_equal(latency_hist_percentile(&h, 99), 0);
}

static void test_merge_adds_the_samples_of_both(void **state)
{
	struct latency_hist a = { 0 }, b = { 0 };

	(void)state;
	for (int i = 0; i < 10; i++)
		latency_hist_add(&a, 5);
	for (int i = 0; i < 30; i++)
		latency_hist_add(&b, 9);
	latency_hist_merge(&a, &b);
	assert_int_equal(a.count, 40);
	assert_int_equal(latency_hist_percentile(&a, 25), 5);
	assert_int_equal(latency_hist_percentile(&a, 26), 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_values_are_exact),
		cmocka_unit_test(test_percentiles_are_within_one_eighth_above_the_exact_value),
		cmocka_unit_test(test_the_maximum_is_exact),
		cmocka_unit_test(test_huge_values_share_the_top_bucket_but_keep_the_max),
		cmocka_unit_test(test_an_empty_histogram_reports_zero),
		cmocka_unit_test(test_merge_adds_the_samples_of_both),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
