/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_interval_set.c - coverage arithmetic of lib/interval_set. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "interval_set.h"

static void test_adding_a_range_to_an_empty_set_counts_all_its_bytes_as_new(void **state)
{
	struct interval_set s = { 0 };

	(void)state;
	assert_int_equal(interval_set_add(&s, 100, 200), 100);
	assert_int_equal(interval_set_bytes(&s), 100);
	assert_int_equal(interval_set_count(&s), 1);
	interval_set_free(&s);
}

static void test_adjacent_ranges_merge_into_one(void **state)
{
	struct interval_set s = { 0 };

	(void)state;
	interval_set_add(&s, 0, 4096);
	interval_set_add(&s, 8192, 12288);
	interval_set_add(&s, 4096, 8192);
	assert_int_equal(interval_set_count(&s), 1);
	assert_int_equal(interval_set_bytes(&s), 12288);
	interval_set_free(&s);
}

static void test_overlap_counts_only_the_uncovered_bytes_as_new(void **state)
{
	struct interval_set s = { 0 };

	(void)state;
	interval_set_add(&s, 0, 100);
	interval_set_add(&s, 200, 300);
	/* [50, 250) overlaps 50 bytes of each range and adds the 100-byte gap. */
	assert_int_equal(interval_set_add(&s, 50, 250), 100);
	assert_int_equal(interval_set_bytes(&s), 300);
	assert_int_equal(interval_set_count(&s), 1);
	interval_set_free(&s);
}

static void test_a_range_inside_a_covered_range_adds_nothing(void **state)
{
	struct interval_set s = { 0 };

	(void)state;
	interval_set_add(&s, 0, 1000);
	assert_int_equal(interval_set_add(&s, 10, 20), 0);
	assert_int_equal(interval_set_bytes(&s), 1000);
	interval_set_free(&s);
}

static void test_disjoint_ranges_added_out_of_order_stay_sorted_and_separate(void **state)
{
	struct interval_set s = { 0 };

	(void)state;
	interval_set_add(&s, 300, 400);
	interval_set_add(&s, 100, 200);
	interval_set_add(&s, 500, 600);
	assert_int_equal(interval_set_count(&s), 3);
	assert_int_equal(s.v[0].start, 100);
	assert_int_equal(s.v[1].start, 300);
	assert_int_equal(s.v[2].start, 500);
	assert_int_equal(interval_set_bytes(&s), 300);
	interval_set_free(&s);
}

static void test_a_range_spanning_many_ranges_swallows_them(void **state)
{
	struct interval_set s = { 0 };
	uint64_t covered = 0;

	(void)state;
	for (uint64_t i = 0; i < 10; i++) {
		interval_set_add(&s, i * 100, i * 100 + 10);
		covered += 10;
	}
	assert_int_equal(interval_set_add(&s, 0, 1000), 1000 - covered);
	assert_int_equal(interval_set_count(&s), 1);
	assert_int_equal(interval_set_bytes(&s), 1000);
	interval_set_free(&s);
}

static void test_an_empty_range_adds_nothing(void **state)
{
	struct interval_set s = { 0 };

	(void)state;
	assert_int_equal(interval_set_add(&s, 5, 5), 0);
	assert_int_equal(interval_set_count(&s), 0);
	interval_set_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adding_a_range_to_an_empty_set_counts_all_its_bytes_as_new),
		cmocka_unit_test(test_adjacent_ranges_merge_into_one),
		cmocka_unit_test(test_overlap_counts_only_the_uncovered_bytes_as_new),
		cmocka_unit_test(test_a_range_inside_a_covered_range_adds_nothing),
		cmocka_unit_test(test_disjoint_ranges_added_out_of_order_stay_sorted_and_separate),
		cmocka_unit_test(test_a_range_spanning_many_ranges_swallows_them),
		cmocka_unit_test(test_an_empty_range_adds_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
