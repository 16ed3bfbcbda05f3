/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_trace_ids.c - the on-disk numbers of ops, methods and triggers are
 * what every trace already written relies on: each number still decodes
 * to the same name.  (trace_format.h's _Static_asserts keep the enum in
 * step with the table; this pins the table itself.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "trace_format.h"

static const char *const version1_ops[] = {
	"lookup", "forget", "getattr", "setattr", "readlink", "mknod", "mkdir", "unlink",
	"rmdir", "symlink", "rename", "link", "open", "read", "write", "flush", "release",
	"fsync", "opendir", "readdir", "readdirplus", "releasedir", "fsyncdir", "statfs",
	"setxattr", "getxattr", "listxattr", "removexattr", "access", "create", "getlk",
	"setlk", "flock", "fallocate", "copy_file_range", "lseek",
};

static const char *const version1_methods[] = {
	"none", "read", "mmap", "populate", "advise", "copy", "kernel", "write",
	"writeback", "unknown",
};

static const char *const version1_triggers[] = {
	"none", "msync", "fsync", "close", "munmap", "exit", "sync", "flusher", "unknown",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void every_version1_op_number_decodes_to_its_name(void **state)
{
	(void)state;
	assert_true(TRACE_OP_COUNT >= N(version1_ops));
	for (unsigned int i = 0; i < N(version1_ops); i++)
		assert_string_equal(trace_op_name(i), version1_ops[i]);
}

static void every_version1_method_number_decodes_to_its_name(void **state)
{
	(void)state;
	assert_true(TRACE_METHOD_COUNT >= N(version1_methods));
	for (unsigned int i = 0; i < N(version1_methods); i++)
		assert_string_equal(trace_method_name(i), version1_methods[i]);
}

static void every_version1_trigger_number_decodes_to_its_name(void **state)
{
	(void)state;
	assert_true(TRACE_TRIGGER_COUNT >= N(version1_triggers));
	for (unsigned int i = 0; i < N(version1_triggers); i++)
		assert_string_equal(trace_trigger_name(i), version1_triggers[i]);
}

static void ops_that_name_an_entry_are_the_directory_ones(void **state)
{
	(void)state;
	assert_true(trace_op_names_entry(TRACE_OP_LOOKUP));
	assert_true(trace_op_names_entry(TRACE_OP_RENAME));
	assert_false(trace_op_names_entry(TRACE_OP_CREATE));
	assert_false(trace_op_names_entry(TRACE_OP_LINK));
	assert_false(trace_op_names_entry(TRACE_OP_READ));
	assert_false(trace_op_names_entry(TRACE_OP_COUNT + 5));
}

static void every_method_and_trigger_has_a_colour_and_a_phrase(void **state)
{
	(void)state;
	for (unsigned int m = 0; m <= TRACE_METHOD_COUNT; m++) {
		assert_int_equal(trace_method_colour(m)[0], '#');
		assert_true(trace_method_phrase(m)[0] != '\0');
	}
	for (unsigned int t = 0; t <= TRACE_TRIGGER_COUNT; t++) {
		assert_int_equal(trace_trigger_colour(t)[0], '#');
		assert_true(trace_trigger_phrase(t)[0] != '\0');
	}
}

static void meta_record_types_and_header_keys_keep_their_numbers(void **state)
{
	(void)state;
	assert_int_equal(TRACE_META_DENTRY, 1);
	assert_int_equal(TRACE_META_PROC, 2);
	assert_int_equal(TRACE_META_LOST, 3);
	assert_int_equal(TRACE_META_END, 4);
	assert_int_equal(TRACE_META_UNLINK, 5);
	assert_int_equal(TRACE_META_LABELS, 6);
	assert_int_equal(TRACE_META_APP, 7);
	assert_int_equal(TRACE_HDR_label_source, 22);
	assert_int_equal(TRACE_HDR_app_counters, 23);
	assert_string_equal(trace_header_key_name(23), "app_counters");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_version1_op_number_decodes_to_its_name),
		cmocka_unit_test(every_version1_method_number_decodes_to_its_name),
		cmocka_unit_test(every_version1_trigger_number_decodes_to_its_name),
		cmocka_unit_test(ops_that_name_an_entry_are_the_directory_ones),
		cmocka_unit_test(every_method_and_trigger_has_a_colour_and_a_phrase),
		cmocka_unit_test(meta_record_types_and_header_keys_keep_their_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
