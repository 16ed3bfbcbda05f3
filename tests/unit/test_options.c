/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_options.c - the mount option parser (daemon/options.c): defaults, what
 * each option sets, bad values refused with a message, allow_other
 * implying default_permissions, generic mount options handed to libfuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "options.h"

static struct mount_options opts;
static char err[512];

static int setup(void **state)
{
	(void)state;
	options_init(&opts);
	err[0] = '\0';
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	options_free(&opts);
	return 0;
}

static void parse_ok(const char *list)
{
	int res = options_parse(&opts, list, err, sizeof(err));

	if (res)
		fail_msg("'%s' refused: %s", list, err);
}

static void defaults_are_auto_cache_kernel_read_mode_bpf_labels(void **state)
{
	(void)state;
	assert_int_equal(opts.cache, CACHE_AUTO);
	assert_false(opts.writeback);
	assert_false(opts.direct_io);
	assert_false(opts.read_mode_set);
	assert_int_equal(options_label_source(&opts), LABELS_BPF);
	assert_false(opts.max_readahead_set);
	assert_int_equal(opts.max_threads, OPTIONS_DEFAULT_MAX_THREADS);
	assert_false(opts.clone_fd);
	assert_false(opts.allow_other);
	assert_false(options_default_permissions(&opts));
	assert_false(opts.ro);
	assert_int_equal(opts.max_fds, 0);
	assert_null(opts.trace_path);
	assert_false(opts.notrace);
	assert_true(opts.trace_meta);
	assert_true(opts.classify);
	assert_true(opts.xattr);
	assert_true(opts.app_counters);
	assert_int_equal(opts.uring, URING_AUTO);
	assert_null(opts.fuse_opts);
}

static void each_option_sets_its_field(void **state)
{
	(void)state;
	parse_ok("cache=never,writeback,direct_io,async_read,max_readahead=65536");
	parse_ok("max_threads=4,clone_fd,ro,max_fds=100,trace=/tmp/x.trace");
	parse_ok("notrace,trace_meta=0,classify=0,xattr=0,app_counters=0");
	assert_int_equal(opts.cache, CACHE_NEVER);
	assert_true(opts.writeback);
	assert_true(opts.direct_io);
	assert_true(opts.async_read);
	assert_true(opts.max_readahead_set);
	assert_int_equal(opts.max_readahead, 65536);
	assert_int_equal(opts.max_threads, 4);
	assert_true(opts.clone_fd);
	assert_true(opts.ro);
	assert_int_equal(opts.max_fds, 100);
	assert_string_equal(opts.trace_path, "/tmp/x.trace");
	assert_true(opts.notrace);
	assert_false(opts.trace_meta);
	assert_false(opts.classify);
	assert_false(opts.xattr);
	assert_false(opts.app_counters);
}

/* uring alone is on (asked for by name); uring=auto|on|off as given. */
static void uring_takes_a_mode_or_none(void **state)
{
	(void)state;
	parse_ok("uring");
	assert_int_equal(opts.uring, URING_ON);
	parse_ok("uring=off");
	assert_int_equal(opts.uring, URING_OFF);
	parse_ok("uring=auto");
	assert_int_equal(opts.uring, URING_AUTO);
	parse_ok("uring=on");
	assert_int_equal(opts.uring, URING_ON);
	parse_ok("read_ahead_kb=1024");
	assert_int_equal(opts.read_ahead_kb, 1024);
}

static void cache_modes_set_timeouts_and_keep_cache(void **state)
{
	(void)state;
	parse_ok("cache=never");
	assert_true(options_cache_timeout(&opts) == 0.0);
	assert_false(options_keep_cache(&opts));
	parse_ok("cache=auto");
	assert_true(options_cache_timeout(&opts) > 0.0);
	assert_false(options_keep_cache(&opts));
	parse_ok("cache=always");
	assert_true(options_cache_timeout(&opts) > 1.0);
	assert_true(options_keep_cache(&opts));
}

static void later_options_override_earlier_ones(void **state)
{
	(void)state;
	parse_ok("async_read,max_threads=3");
	parse_ok("sync_read,max_threads=5");
	assert_false(opts.async_read);
	assert_int_equal(opts.max_threads, 5);
	assert_string_equal(opts.given, "async_read,max_threads=3,sync_read,max_threads=5");
}

static void bad_values_are_refused_with_a_message(void **state)
{
	static const char *const bad[] = {
		"bogus", "cache=sometimes", "cache", "max_threads=0", "max_threads=1025",
		"max_threads=abc", "max_threads=-1", "max_threads=4x", "trace_meta=2",
		"classify=yes", "writeback=1", "trace=", "max_readahead=-1", "max_fds=1",
		"notrace=1", "uring=yes", "uring=", "read_ahead_kb=2", "read_ahead_kb=1048577",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mount_options o;

		options_init(&o);
		err[0] = '\0';
		if (options_parse(&o, bad[i], err, sizeof(err)) == 0)
			fail_msg("'%s' was accepted", bad[i]);
		if (strlen(err) == 0)
			fail_msg("'%s' refused without a message", bad[i]);
		options_free(&o);
	}
}

static void unknown_option_message_names_it(void **state)
{
	(void)state;
	assert_int_equal(options_parse(&opts, "rw,frobnicate", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "frobnicate"));
}

static void allow_other_implies_default_permissions(void **state)
{
	(void)state;
	parse_ok("allow_other");
	assert_true(options_default_permissions(&opts));
}

static void nodefault_permissions_overrides_allow_other_in_either_order(void **state)
{
	(void)state;
	parse_ok("nodefault_permissions,allow_other");
	assert_false(options_default_permissions(&opts));
	options_free(&opts);
	options_init(&opts);
	parse_ok("allow_other,nodefault_permissions");
	assert_false(options_default_permissions(&opts));
}

static void default_permissions_alone_is_honoured(void **state)
{
	(void)state;
	parse_ok("default_permissions");
	assert_true(options_default_permissions(&opts));
}

static void generic_mount_options_go_to_libfuse(void **state)
{
	(void)state;
	parse_ok("rw,nosuid,dev,noatime,fsname=data,cache=never");
	assert_string_equal(opts.fuse_opts, "rw,nosuid,dev,noatime,fsname=data");
}

static void fstab_only_options_are_dropped(void **state)
{
	(void)state;
	parse_ok("defaults,noauto,user,_netdev,nofail,x-systemd.automount");
	assert_null(opts.fuse_opts);
}

static void help_lists_every_option_with_a_default(void **state)
{
	static const char *const names[] = {
		"cache=", "writeback", "direct_io", "max_readahead=", "sync_read",
		"async_read", "max_threads=", "clone_fd", "allow_other",
		"default_permissions", "nodefault_permissions", "ro", "max_fds=", "trace=",
		"notrace", "trace_meta=", "classify=", "xattr=", "app_counters=",
		"uring=", "read_ahead_kb=",
	};
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	assert_non_null(f);
	options_print_help(f);
	fclose(f);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strstr(text, names[i]))
			fail_msg("--help does not list %s", names[i]);
	assert_non_null(strstr(text, "(default: auto)"));
	free(text);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(defaults_are_auto_cache_kernel_read_mode_bpf_labels),
		T(each_option_sets_its_field),
		T(uring_takes_a_mode_or_none),
		T(cache_modes_set_timeouts_and_keep_cache),
		T(later_options_override_earlier_ones),
		T(bad_values_are_refused_with_a_message),
		T(unknown_option_message_names_it),
		T(allow_other_implies_default_permissions),
		T(nodefault_permissions_overrides_allow_other_in_either_order),
		T(default_permissions_alone_is_honoured),
		T(generic_mount_options_go_to_libfuse),
		T(fstab_only_options_are_dropped),
		T(help_lists_every_option_with_a_default),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
