/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_event_filter.c - each selection option keeps exactly the events it
 * names, options combine with AND, and bad values are refused with a
 * message naming the option.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>
#include "event_filter.h"

static const struct trace_proc dd = { .tid = 10, .pid = 10, .comm = "dd", .exe = "" };
static const struct trace_event read_at_2s = {
	.start_ns = 1000000000ull + 2000000000ull, .op = TRACE_OP_READ, .pid = 10, .tid = 10,
};

static struct event_filter filter_of(const char *opt, const char *value)
{
	struct event_filter f;
	char err[128];

	event_filter_init(&f);
	event_filter_set_start(&f, 1000000000ull);
	assert_int_equal(event_filter_option(&f, opt, value, err, sizeof(err)), 1);
	return f;
}

static bool matches(const char *opt, const char *value)
{
	struct event_filter f = filter_of(opt, value);

	return event_filter_match(&f, &read_at_2s, "data/in.bin", &dd);
}

static void empty_filter_matches_everything(void **state)
{
	struct event_filter f;

	(void)state;
	event_filter_init(&f);
	assert_true(event_filter_match(&f, &read_at_2s, NULL, NULL));
}

static void path_glob_matches_from_the_mount_root(void **state)
{
	struct event_filter f = filter_of("--path", "*.bin");

	(void)state;
	assert_true(matches("--path", "data/*"));
	assert_true(matches("--path", "/data/in.bin"));
	assert_true(matches("--path", "*.bin"));
	assert_false(matches("--path", "data/*.txt"));
	assert_false(event_filter_match(&f, &read_at_2s, NULL, &dd));
}

static void pid_and_comm_select_the_requester(void **state)
{
	struct event_filter f = filter_of("--comm", "dd");

	(void)state;
	assert_true(matches("--pid", "10"));
	assert_false(matches("--pid", "11"));
	assert_true(matches("--comm", "dd"));
	assert_false(matches("--comm", "d"));
	assert_false(event_filter_match(&f, &read_at_2s, "x", NULL));
}

static void op_list_selects_operations(void **state)
{
	(void)state;
	assert_true(matches("--op", "read"));
	assert_true(matches("--op", "write,read"));
	assert_false(matches("--op", "write,flush"));
}

static void since_and_until_count_from_the_trace_start(void **state)
{
	(void)state;
	assert_true(matches("--since", "2"));
	assert_true(matches("--since", "1.5"));
	assert_false(matches("--since", "2.000000001"));
	assert_true(matches("--until", "2.5"));
	assert_false(matches("--until", "2"));
	assert_false(matches("--until", "0"));
}

static void options_combine_with_and(void **state)
{
	struct event_filter f = filter_of("--pid", "10");
	char err[128];

	(void)state;
	assert_int_equal(event_filter_option(&f, "--op", "write", err, sizeof(err)), 1);
	assert_false(event_filter_match(&f, &read_at_2s, "x", &dd));
}

static void bad_values_are_refused_naming_the_option(void **state)
{
	static const char *const bad[][2] = {
		{ "--pid", "ten" }, { "--pid", "-1" }, { "--pid", "99999999999" },
		{ "--op", "reed" }, { "--op", "read,,write" }, { "--op", "" },
		{ "--since", "soon" }, { "--until", "-3" },
	};
	struct event_filter f;
	char err[128];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		event_filter_init(&f);
		assert_int_equal(event_filter_option(&f, bad[i][0], bad[i][1], err, sizeof(err)), -1);
		assert_true(strncmp(err, bad[i][0], strlen(bad[i][0])) == 0);
	}
	assert_int_equal(event_filter_option(&f, "--format", "csv", err, sizeof(err)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_filter_matches_everything),
		cmocka_unit_test(path_glob_matches_from_the_mount_root),
		cmocka_unit_test(pid_and_comm_select_the_requester),
		cmocka_unit_test(op_list_selects_operations),
		cmocka_unit_test(since_and_until_count_from_the_trace_start),
		cmocka_unit_test(options_combine_with_and),
		cmocka_unit_test(bad_values_are_refused_naming_the_option),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
